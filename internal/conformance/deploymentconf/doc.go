// Package deploymentconf checks that reckon's workload.PlanDeployment,
// applied with workload.Apply, does to an API server what the real
// Deployment controller of Kubernetes v1.36.3
// (k8s.io/kubernetes/pkg/controller/deployment, feature gates at their
// v1.36 defaults) does to it in one sync: the plan contract's promise. It
// has no API: it is its tests.
//
// # The oracle and the API server
//
// Upstream's controller itself, built with deployment.NewDeploymentController
// on a client-go fake clientset and driven for exactly one sync of one key:
//
//  1. The scenario's Deployment, ReplicaSets and pods go straight into the
//     informers' indexers (the informers are never started), the listers
//     are marked synced, and the sync handler is called directly. A new
//     controller is built for every sync, so nothing carries over.
//  2. The fake clientset's only reactor delegates every call to a store
//     with API-server semantics (harness.Store: a workloadtest.Cluster
//     seeded with the scenario's objects as stored): the uncached
//     Deployment read before an adoption, resourceVersions checked on
//     update and update-status (Conflict, which is how upstream's second
//     status write of a sync, made from the same observed copy, is
//     refused), a new resourceVersion per write, UIDs, AlreadyExists for a
//     taken name (how upstream detects a hash collision), the status
//     subresource (keeps spec and labels, takes annotations), strategic-
//     merge patches with their UID precondition, deletion with garbage
//     collection of the pods. Reckon's plan is applied with workload.Apply
//     to a second store seeded identically. Both stores log every write as
//     it arrives (with the resourceVersion it carries and its outcome) and
//     every event, in order.
//  3. Events go to the store's log through a synchronous recorder instead
//     of the asynchronous broadcaster.
//  4. The work queue is a stub recording AddAfter (the progress check) and
//     AddRateLimited (a progress check due within a second); a sync error
//     is the worker's handleErr: a rate-limited requeue, except for an
//     error caused by a terminating namespace, which is forgotten.
//  5. Time: the controller has no injectable clock. Its progress logic
//     reads the package variables nowFn of pkg/controller/deployment and
//     pkg/controller/deployment/util (upstream's own test hooks), reached
//     with go:linkname and set to the scenario's now. The condition times
//     it stamps come from metav1.Now(), the wall clock. Scenario times lie
//     years before the wall clock, so a time stamped during the sync is
//     recognised exactly (it falls between the clock readings taken around
//     the sync) and replaced by the scenario's now before comparison. A
//     progress check measured from such a stamp (a Progressing condition
//     set earlier in the same sync) is corrected by the stamp's distance
//     from now, which makes the comparison exact to the nanosecond; that
//     the stamp is later than now only moves upstream's check further into
//     the future, never across the one-second rate-limit threshold.
//
// # Scenarios
//
// Generated from a seed (printed; -deploy.seed reuses one, -deploy.first
// picks a case), and what an API server would store: defaulted with
// upstream's defaulters (legacyscheme.Scheme.Default with the apps and core
// groups installed), serialized and read back (second-precision times, no
// empty maps), and accepted by upstream's validation (a generator bug
// panics). The generator covers RollingUpdate with integer and percent
// maxSurge/maxUnavailable (0, 0%, 100%, over 100% surge, defaults) and
// Recreate; zero to five old ReplicaSets with revision, desired-replicas and
// max-replicas annotations each valid, missing or corrupt, and a long
// revision history; ReplicaSets with the current template, spelled with or
// without explicit defaults, or differing only in a defaulted field; paused
// and deleted Deployments; Progressing conditions of every reason whose
// lastUpdateTime lies well before, just before, at, just after and long
// after the progress deadline; the legacy rollback annotation
// (deprecated.deployment.rollback.to) to an existing revision, 0 or an
// unknown one (an unparsable value cannot be stored: converting it to the
// internal rollbackTo field fails); spec.replicas changed mid-rollout;
// orphan ReplicaSets (adopted), ReplicaSets owned by other Deployments, by
// this one without matching (released), in other namespaces, with a
// non-controller reference, or squatting the name of the next ReplicaSet
// (a hash collision); a set collisionCount; revisionHistoryLimit 0 to 10
// with cleanable ReplicaSets; pods in every phase, terminating, left behind
// by scaled-down ReplicaSets (Recreate waits for them), in other
// namespaces or with mismatched controller references; a status consistent
// with the ReplicaSets (so a sync may have nothing to write and only
// requeue) or stale, with conditions in either order, repeated or of
// unknown types. Each scenario records the generator dimensions it
// reached; a full run fails if any dimension was never reached, or if
// upstream never produced one of the outcomes listed in requiredOutcomes
// (adoption, release, every write, every event reason, both requeues, a
// sync error, every Progressing reason set, upstream's Conflicts on its
// own second writes, every failure kind, ...).
//
// reckon gets the same objects (its lists shuffled, since its plan must
// not depend on their order) and the same now, must leave them
// unmodified, and must return a plan that keeps the contract's rules the
// store cannot see (harness.CheckPlan).
//
// # Failures
//
// A fifth of the scenarios (and of chain steps) get failures, from a
// random stream of their own so that a seed's scenarios are otherwise
// unchanged: the store's copy drifted from the informers' (a ReplicaSet
// already deleted, deleted and created again under another UID, created
// and not yet seen under the name of the new ReplicaSet, or the Deployment
// or a ReplicaSet written since with another resourceVersion), or it
// refuses chosen writes (harness.Fault: the new ReplicaSet's create with an
// InternalError, a quota Forbidden or a NamespaceTerminating Forbidden; a
// ReplicaSet update or delete, a claim patch or the k-th status write with
// an InternalError; the rollback's Deployment update with a Conflict).
// Targets are picked from reckon's plan, and the store refuses the same
// writes whoever sends them. A full run must exercise every failure kind
// (failureKinds). What a failure shows: the FailedRSCreate condition and
// ReplicaSetCreateError event after a refused create, the sync ended
// without requeue in a terminating namespace, a refused scale-down of an
// old ReplicaSet taken in upstream's stride (the sync goes on), a gone
// ReplicaSet's deletion or release taken as made, the rate-limited requeue
// after a Conflict.
//
// Not generated, because a plan cannot follow it: an adoption that finds
// the ReplicaSet gone (upstream drops it from what it claimed and every
// later decision changes); a create of a name the informer holds (planned
// to meet AlreadyExists) that finds the name free, or that a hash
// collision's create meets another refusal (upstream's FailedRSCreate path,
// where the plan states the collision's fallback).
//
// # What is compared
//
// harness.Compare, per sync, in order: every write attempted, by verb,
// resource, namespace and name, the resourceVersion it carries (so
// preconditions are compared, including those of writes computed from an
// earlier write's result, Precondition.FromPrevious), its delete options
// or patch (type and exact bytes), its body (whole ReplicaSets and
// Deployments as sent, metadata.generation aside since the API server sets
// it, condition times upstream took from the wall clock read as now) and
// its outcome (ok, or the API error's reason and message); every event and
// the write it follows (events recorded on a refused or unreached write
// must not appear); and the requeue (delayed, rate-limited or none).
// Objects are compared as the wire sees them (equality.Semantic where
// their JSON differs: nil and empty maps and slices alike).
//
// Upstream is non-deterministic in one place the comparison must allow
// for: it claims (adopts and releases) ReplicaSets in the order its
// informer lists them, a map order. The claim patches are one concurrent
// step of reckon's plan, compared as a multiset (exact bytes). Every later
// order is deterministic: upstream sorts the claimed ReplicaSets by
// creation time and name before using them, and its sorts on ties
// (ReplicaSetsByRevision with corrupt revisions is not even a strict order)
// run on that sorted input.
//
// Upstream writes from its informer's copy: the second status write of a
// first sync or of a new template, and the second update of a ReplicaSet
// whose annotations a return to an old template syncs twice, are refused
// with a Conflict; both sides must show it (required outcomes, and
// TestFirstSyncSecondStatusWriteConflicts,
// TestReturnToOldTemplateSecondUpdateConflicts).
//
// # Tests
//
// TestDeploymentConformance runs -deploy.n single syncs (default 10000).
// TestDeploymentChains runs -deploy.chains chains (default 500) of
// -deploy.steps syncs (default 8): after each sync the state reckon's store
// was left in (equal to upstream's) becomes the next scenario, time passes
// (often exactly to the requested requeue), the ReplicaSet controller
// creates and deletes pods and reports status (or lags), the kubelet
// starts, readies, fails and removes pods, the garbage collector removes
// the pods of deleted ReplicaSets, and the user scales, changes the image,
// pauses, resumes, asks for a rollback or changes the strategy; then both
// sides sync the same state again. TestHarnessDetectsDifferences shows the
// comparison is not vacuous: reckon given one more replica, a now 10ms
// later or one ReplicaSet fewer, or its plan changed against the contract
// (events recorded before their write, every write computed from the
// observed copy, no fallback, no resumption, no requeue), must be caught.
//
// A disagreement is minimized (ReplicaSets and pods dropped while it still
// fails the same way), reported with the command that reruns it, and saved
// under testdata/ as a JSON regression case (with its drift and faults)
// unless a saved case has the same signature (-deploy.save=false to not
// save); TestDeploymentRegressions replays every saved case.
//
// No test asserts on timing.
package deploymentconf
