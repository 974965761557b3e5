// Package replicasetconf checks that reckon's workload.PlanReplicaSet,
// applied with workload.Apply, does to an API server what the real
// ReplicaSet controller of Kubernetes v1.36.3
// (k8s.io/kubernetes/pkg/controller/replicaset) does to it in one sync:
// the plan contract's promise. It has no API: it is its tests.
//
// # The oracle and the API server
//
// Upstream's controller itself, built with replicaset.NewReplicaSetController
// on a client-go fake clientset and driven for exactly one sync of one key:
//
//  1. The scenario's objects go straight into the informers' indexers (the
//     informers are never started), the listers are marked synced, the
//     controller is new for every sync so its expectations are satisfied
//     (or primed with one pending creation when the scenario says so), and
//     its sync handler is called directly.
//  2. The fake clientset's only reactor delegates every call to a store
//     with API-server semantics (harness.Store: a workloadtest.Cluster
//     seeded with the scenario's objects as stored): resourceVersions
//     checked on update and update-status (Conflict), a new resourceVersion
//     per write, names from generateName, UIDs, the status subresource,
//     strategic-merge patches with their UID precondition, graceful pod
//     deletion. Reckon's plan is applied with workload.Apply to a second
//     store seeded identically. Both stores log every write as it arrives
//     (with the resourceVersion it carries and its outcome) and every
//     event, in order: upstream's pod control records its events there
//     synchronously.
//  3. The controller's clock is a fake clock at the scenario's now, and its
//     work queue a stub that records AddAfter; a sync error is the
//     worker's AddRateLimited.
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
// same objects and the same instant; reckon gets the lists shuffled, and
// must leave them unmodified and return a plan that keeps the contract's
// rules the store cannot see (harness.CheckPlan).
//
// # Failures
//
// A fifth of the scenarios (and of chain steps) get failures, from a
// random stream of their own so that a seed's scenarios are otherwise
// unchanged: the store's copy drifted from the informers' (a pod already
// deleted or deleted and created again under another UID, the ReplicaSet
// written since with another resourceVersion and perhaps replicas), or it
// refuses chosen writes (harness.Fault: the k-th pod create of the sync,
// or all from the k-th on, with an InternalError, a quota Forbidden or a
// NamespaceTerminating Forbidden; the delete of a pod with an InternalError
// or NotFound; a claim patch with an InternalError; the status write with a
// Conflict once or twice, or an InternalError). Targets are picked from
// reckon's plan (a delete fault only names a pod every order upstream's
// unstable sort can produce deletes), and the store refuses the same writes
// whoever sends them. A full run must exercise every failure kind
// (failureKinds). What a failure shows: FailedCreate and FailedDelete
// events with the error's text, the slow-start batches skipped after a
// refused create, the ReplicaFailure status written as a fallback, a gone
// pod's deletion taken as made, a terminating namespace's refusals taken
// as creations, the status retried on a fresh copy after a Conflict, the
// rate-limited requeue.
//
// Not generated, because a plan cannot follow it: an adoption that finds
// the pod gone (upstream then drops the pod from what it claimed, and every
// later decision of the sync changes).
//
// # What is compared
//
// harness.Compare, per sync, in order: every write attempted, by verb,
// resource, namespace and name, the resourceVersion it carries (so
// preconditions are compared, a Conflict meets both sides alike), its
// delete options or patch (type and exact bytes), its body (created pods as
// sent, with the name the API server generates left out; ReplicaSet status
// writes whole, except the lastTransitionTime of a condition the sync adds,
// which upstream stamps from the wall clock; metadata.generation, which the
// API server sets), and its outcome (ok, or the API error's reason and
// message); every event and the write it follows (events recorded on a
// refused or unreached write must not appear); and the requeue (delayed,
// rate-limited or none). Writes reckon sends in one concurrent step (the
// pod creates of a slow-start batch, the deletions, the claim patches,
// which upstream sends in its informer's order) compare as multisets, with
// their events. Where upstream's unstable sort.Sort leaves a choice among
// tied pods to delete, a different choice is accepted when upstream's own
// sort, given an input order its informer can produce, makes it too; the
// comparison then names reckon's pods as upstream's.
//
// TestHarnessDetectsDifferences shows the comparison is not vacuous: plans
// changed against the contract (events recorded before their write, a
// refused write's events or fallback dropped, the status write not
// retried, nothing ignored, no requeue) must be caught.
//
// TestReplicaSetMultiStep feeds the state forward for several syncs: the
// state reckon's store was left in (equal to upstream's) becomes the next
// scenario, time passes, pods get scheduled, become ready or not, fail or
// finish terminating, the user scales, and both sides sync again.
//
// A disagreement is classified (by the unusual scenario features it
// involves, else by what differs), minimized, and saved under testdata/
// (with its drift and faults) unless a saved case of its class exists;
// TestReplicaSetRegressions replays every saved case. Flags: -rs.n (single
// syncs, default 5000), -rs.chains and -rs.steps (multi-sync chains,
// default 250 × 8), -rs.seed, -rs.first (first case or chain, to rerun
// one), -rs.save.
package replicasetconf
