// Package deploymentconf checks that reckon's workload.PlanDeployment
// decides what the real Deployment controller of Kubernetes v1.36.3
// (k8s.io/kubernetes/pkg/controller/deployment, feature gates at their
// v1.36 defaults) decides. It has no API: it is its tests.
//
// # The oracle
//
// Upstream's controller itself, built with deployment.NewDeploymentController
// on a client-go fake clientset and driven for exactly one sync of one key:
//
//  1. The scenario's Deployment, ReplicaSets and pods go straight into the
//     informers' indexers (the informers are never started), the listers
//     are marked synced, and the sync handler is called directly. A new
//     controller is built for every sync, so nothing carries over.
//  2. A reactor on the fake clientset plays the API server: it answers the
//     uncached Deployment read that precedes an adoption, refuses a
//     ReplicaSet create whose name is taken (AlreadyExists, which is how
//     upstream detects a hash collision), fills in what the server fills
//     in on create, and records every patch, create, update, status update
//     and delete. Any other call fails the case.
//  3. Events go to a record.FakeRecorder, which formats them synchronously
//     and in order, instead of the asynchronous broadcaster.
//  4. The work queue is a stub recording AddAfter (the progress check) and
//     AddRateLimited (a progress check due within a second); a sync error
//     counts as a rate-limited requeue, as the worker's handleErr does.
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
// sync error, every Progressing reason set, ...).
//
// reckon gets the same objects (its lists shuffled, since its plan must
// not depend on their order) and the same now, and must leave them
// unmodified.
//
// # What is compared
//
// Per sync, exactly: the ReplicaSet creates and updates (whole objects as
// sent, so names and pod-template hashes must match), the ReplicaSet
// deletes, the Deployment update of a rollback (whole object), each status
// write (status and the annotations sent with it; the harness checks that
// upstream changes nothing else in a status write), all in call order; the
// events in order; the rate-limited requeue; and the requeue delay. Objects
// are compared with equality.Semantic, which treats nil and empty maps and
// slices alike, as the wire does. The plan's Status and WriteStatus must
// agree with its status writes.
//
// Upstream is non-deterministic in one place the comparison must allow
// for: it claims (adopts and releases) ReplicaSets in the order its
// informer lists them, a map order. The claim patches come before every
// other write, and are compared as a set (exact bytes). Every later order
// is deterministic: upstream sorts the claimed ReplicaSets by creation time
// and name before using them, and its sorts on ties (ReplicaSetsByRevision
// with corrupt revisions is not even a strict order) run on that sorted
// input.
//
// Like the fake clientset, the comparison takes upstream's writes as all
// succeeding: when one sync writes the same object twice, the second write
// carries a stale resourceVersion that a real API server would refuse.
// reckon's plan documents the same model.
//
// # Tests
//
// TestDeploymentConformance runs -deploy.n single syncs (default 10000).
// TestDeploymentChains runs -deploy.chains chains (default 500) of
// -deploy.steps syncs (default 8): after each sync the writes are applied
// as the API server applies them (strategic-merge claim patches,
// generation bumps, status-only status writes), time passes (often exactly
// to the requested requeue), the ReplicaSet controller creates and deletes
// pods and reports status (or lags), the kubelet starts, readies, fails and
// removes pods, the garbage collector removes the pods of deleted
// ReplicaSets, and the user scales, changes the image, pauses, resumes,
// asks for a rollback or changes the strategy; then both sides sync the
// same state again. TestHarnessDetectsDifferences shows the comparison is
// not vacuous: reckon given one more replica, a now 10ms later or one
// ReplicaSet fewer must be caught.
//
// A disagreement is minimized (ReplicaSets and pods dropped while it still
// fails the same way), reported with the command that reruns it, and saved
// under testdata/ as a JSON regression case unless a saved case has the
// same signature (-deploy.save=false to not save);
// TestDeploymentRegressions replays every saved case.
//
// No test asserts on timing.
package deploymentconf
