// Package rollout holds the rolling-update arithmetic of the Kubernetes
// Deployment controller (pkg/controller/deployment and its util package,
// v1.36) as pure functions over k8s.io/api types.
// [github.com/reckon-k8s/reckon/workload.PlanDeployment] assembles them into
// one controller sync; callers building their own controllers can use them
// directly. kubectl's side of a rollout (rollout status, history and undo,
// the describe lines) is package [github.com/reckon-k8s/reckon/rollout/kubectl].
//
// # Rules
//
// Each rule is named by the slug that starts its item; the documentation of
// the functions it names gives the exact upstream function each reproduces,
// and their table tests are named after those functions
// (TestProportionalScale for [ProportionalScale]).
//
//   - fenceposts: maxSurge resolves rounding up, maxUnavailable rounding
//     down, both as percentages of spec.replicas; if both resolve to 0,
//     maxUnavailable becomes 1 ([ResolveFenceposts]). MaxUnavailable is
//     clamped to spec.replicas; the Recreate strategy has neither
//     ([MaxSurge], [MaxUnavailable], [MinAvailable]).
//   - revisions: a ReplicaSet's revision is its [RevisionAnnotation]; the
//     new ReplicaSet gets the highest old revision + 1 ([Revision],
//     [MaxRevision], [LastRevision]).
//   - new-replica-set: the new ReplicaSet is the oldest whose pod template
//     equals the Deployment's, ignoring the [PodTemplateHashLabel] and
//     comparing semantically ([EqualIgnoreHash]); its name is
//     <deployment>-<hash> ([TemplateHash]).
//   - rolling-growth: the new ReplicaSet grows while the ReplicaSets' total
//     stays within spec.replicas + maxSurge, never beyond spec.replicas
//     ([NewRSNewReplicas]).
//   - rolling-shrink: old ReplicaSets first lose unhealthy replicas, then
//     available ones while at least [MinAvailable] stay available, oldest
//     first; the new ReplicaSet's unavailable replicas count against the
//     budget ([ScaleDownOldReplicaSets]).
//   - proportional-scaling: when spec.replicas changes mid-rollout, the
//     difference is spread over the active ReplicaSets in proportion to
//     their size against the [MaxReplicasAnnotation] they were last sized
//     with, rounding half away from zero, the rest to the first in order
//     ([ProportionalScale], [ReplicaSetProportion]); a single active
//     ReplicaSet simply takes spec.replicas ([FindActiveOrLatest]), and a
//     saturated new one ends the old ones ([IsSaturated]).
//   - history-limit: old empty ReplicaSets beyond revisionHistoryLimit are
//     deleted lowest revision first ([ReplicaSetsToCleanUp]).
//   - status: counters are sums over the ReplicaSets; Available is True when
//     at least [MinAvailable] replicas are available ([CalculateStatus]);
//     Progressing tracks completion, progress and the progress deadline,
//     which is exceeded strictly after lastUpdateTime +
//     progressDeadlineSeconds ([CalculateRolloutStatus],
//     [DeploymentTimedOut], [ProgressCheckAfter]). Conditions change as
//     [SetCondition] says: same status and reason is no change, a new reason
//     with the same status keeps lastTransitionTime.
//
// # Defaults and inputs
//
// Like the API server, these functions read a nil spec.replicas, strategy,
// maxSurge, maxUnavailable, revisionHistoryLimit or progressDeadlineSeconds
// as its apps/v1 default (1, RollingUpdate, 25%, 25%, 10, 600), and a nil
// ReplicaSet spec.replicas as 1; [DeploymentReplicas] and
// [ReplicaSetReplicas] are the one place in this package that reads
// spec.replicas. [SkipCopyAnnotation] is the one list of annotations never
// copied between a Deployment and its ReplicaSets. The functions never
// modify their arguments (the Sort functions excepted), never read the
// clock (now is a parameter) and do not panic on nil arguments or entries.
package rollout
