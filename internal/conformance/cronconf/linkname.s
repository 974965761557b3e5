// This file is empty on purpose: a package with an assembly file may declare
// functions without a body, which cronjob_test.go does to reach the
// unexported functions of k8s.io/kubernetes/pkg/controller/cronjob through
// //go:linkname and use them as the test oracle.
