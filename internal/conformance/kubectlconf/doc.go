// Package kubectlconf holds the differential tests of reckon's rollout
// package against the real kubectl code it reproduces
// (k8s.io/kubectl v0.36.3, run in-process on a client-go fake clientset):
//
//   - rollout.Status against polymorphichelpers.DeploymentStatusViewer;
//   - rollout.History and rollout.FormatHistory against
//     polymorphichelpers.DeploymentHistoryViewer (ViewHistory and GetHistory);
//   - rollout.Undo against polymorphichelpers.DeploymentRollbacker, comparing
//     the Deployment the fake API stores after kubectl's JSON patch;
//   - rollout.ReplicasLine and rollout.DescribeConditions against
//     describe.DeploymentDescriber.
//
// Cases are generated from a seed; a failure prints the seed and the case
// index. Run more cases with -kubectlconf.cases=N, replay one seed with
// -kubectlconf.seed=S. The package has no non-test code.
package kubectlconf
