// Package replicasetconf checks that reckon's workload.PlanReplicaSet
// decides what the real ReplicaSet controller of Kubernetes v1.36.3
// (k8s.io/kubernetes/pkg/controller/replicaset) decides. It has no API: it
// is its tests.
//
// The oracle is upstream's controller itself, built with
// replicaset.NewReplicaSetController on a fake clientset and driven for
// exactly one sync of one key:
//
//  1. The scenario's objects go straight into the informers' indexers (the
//     informers are never started), the listers are marked synced, the
//     controller is new for every sync so its expectations are satisfied
//     (or primed with one pending creation when the scenario says so), and
//     its sync handler is called directly.
//  2. A reactor on the fake clientset plays the API server: it names pods
//     created with generateName deterministically and records every create,
//     patch (adoption, release), delete and status update.
//  3. The controller's clock is a fake clock at the scenario's now, and its
//     work queue a stub that records AddAfter (the availability requeue).
//  4. The scale-down ranking reads the wall clock (metav1.Now()) rather than
//     the injectable clock, for its log2 age buckets. So every timestamp of
//     the scenario is shifted to make the scenario's now the wall clock at
//     the start of the sync; generated ages are about 1.5·2^k ns and are
//     then kept at least 50ms from any power-of-two-nanosecond bucket edge,
//     so the microseconds between the two clock reads cannot change a
//     bucket; and when upstream deleted pods the harness checks that no age
//     changed bucket while the sync ran (else it runs the case again).
//
// Scenarios are generated from a seed (printed; -rs.seed reuses one) and
// are what an API server would store: defaulted by upstream's defaulters,
// and for ReplicaSets accepted by upstream's validation. Both sides get the
// same objects and the same instant; reckon gets the lists shuffled.
//
// Compared, per sync: adoption and release patches (exact bytes, as a set),
// created pods (the object sent, except the name the API server generates,
// as a multiset), deleted pods (as a set; upstream sorts with the unstable
// sort.Sort, so a different choice is accepted when upstream's own sort,
// given an input order its informer can produce, makes it too), whether the
// status is written and what (except the lastTransitionTime upstream stamps
// from the wall clock on a condition it adds), and the timed requeue.
// Events are not compared: upstream records them asynchronously.
//
// TestReplicaSetMultiStep feeds the state forward for several syncs: the
// writes of each sync are applied as the API server would apply them, time
// passes, pods get scheduled, become ready or not, fail or finish
// terminating, the user scales, and both sides sync again.
//
// A disagreement is classified (by the unusual scenario features it
// involves, else by what differs), minimized, and saved under testdata/
// unless a saved case of its class exists; TestReplicaSetRegressions
// replays every saved case. Flags: -rs.n (single syncs, default 5000),
// -rs.chains and -rs.steps (multi-sync chains, default 250 × 8), -rs.seed,
// -rs.first (first case or chain, to rerun one), -rs.save.
package replicasetconf
