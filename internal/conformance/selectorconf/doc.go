// Package selectorconf holds the conformance tests of package
// github.com/reckon-k8s/reckon/selector against the code Kubernetes v1.36 runs:
// k8s.io/component-helpers/scheduling/corev1/nodeaffinity (LazyErrorNodeSelector,
// NewNodeSelector, GetRequiredNodeAffinity, NewPreferredSchedulingTerms) for node selectors,
// and k8s.io/kubernetes/pkg/controller PodControllerRefManager.ClaimPods, run against a
// client-go fake clientset, for ownership claims. It has no non-test code.
//
// Run more random cases with
//
//	go test ./selectorconf/ -selector.n=1000000
//
// and replay a failure with the seed it prints: -selector.seed=N.
package selectorconf
