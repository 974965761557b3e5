// Package kubectlconf holds the differential tests of reckon's rollout/kubectl
// package against the real kubectl code it reproduces
// (k8s.io/kubectl v0.36.3, run in-process on a client-go fake clientset):
//
//   - kubectl.Status against polymorphichelpers.DeploymentStatusViewer;
//   - kubectl.History and kubectl.FormatHistory against
//     polymorphichelpers.DeploymentHistoryViewer (ViewHistory and GetHistory);
//   - kubectl.Undo against polymorphichelpers.DeploymentRollbacker, comparing
//     the Deployment the fake API stores after kubectl's JSON patch;
//   - kubectl.ReplicasLine and kubectl.DescribeConditions against
//     describe.DeploymentDescriber.
//
// Cases are generated from a seed; a failure prints the seed and the case
// index. Run more cases with -kubectlconf.cases=N, replay one seed with
// -kubectlconf.seed=S. The package has no non-test code.
package kubectlconf
