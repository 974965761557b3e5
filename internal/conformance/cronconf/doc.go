// Package cronconf holds the conformance tests of package
// github.com/reckon-k8s/reckon/cron against the code Kubernetes v1.36 runs:
// github.com/robfig/cron/v3 v3.0.1 ParseStandard and Schedule.Next, and the
// CronJob controller's schedule arithmetic in
// k8s.io/kubernetes/pkg/controller/cronjob. It also holds the side-by-side
// benchmarks. It has no non-test code.
//
// Run more random cases with
//
//	go test ./cronconf/ -run Differential -cron.n=10000000
//
// and replay a failure with the seed it prints: -cron.seed=N.
package cronconf
