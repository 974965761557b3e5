// Package pods holds the building blocks the workload controllers apply to single pods: whether a
// pod counts (active, terminating, ready, available), which pods a scale-down deletes, and the pod a
// controller creates from its template. Each function reproduces a named upstream function of
// Kubernetes v1.36.3 (pkg/controller/controller_utils.go, pkg/api/v1/pod/util.go,
// pkg/controller/replicaset/replica_set.go) at the v1.36 feature-gate defaults. Nothing here reads
// the clock or modifies its arguments, and no input makes it panic.
//
// # Predicates
//
//  1. Active: phase is neither Succeeded nor Failed, and no deletion timestamp (IsActive).
//  2. Terminating: a deletion timestamp, and phase neither Succeeded nor Failed (IsTerminating).
//     A pod is never both; a terminal pod is neither.
//  3. Ready: the first Ready condition has status "True" (IsReady).
//  4. Available: ready, and either minReadySeconds == 0 or the Ready condition's
//     lastTransitionTime is set and lastTransitionTime + minReadySeconds <= now; the boundary
//     instant counts as available (IsAvailable). NextAvailabilityCheck gives the remaining wait.
//
// # Scale-down ranking
//
// When a ReplicaSet has more active pods than replicas, upstream sorts them with
// controller.ActivePodsWithRanks and deletes the first ones. Pod a is deleted before pod b by the
// first of these rules that tells them apart (DeletionLess); LogarithmicScaleDown and
// PodDeletionCost are on in v1.36:
//
//  1. Unassigned first: if exactly one has an empty spec.nodeName, it goes first.
//  2. Phase: Pending < Unknown < Running. Any other phase, including "", Succeeded and Failed,
//     ranks with Pending.
//  3. Not ready before ready.
//  4. Lower controller.kubernetes.io/pod-deletion-cost first (DeletionCost: malformed values are 0).
//  5. Higher co-location rank first: more active related pods on the same node (CoLocationRanks).
//  6. If both are ready and their Ready lastTransitionTimes are different instants: a zero time goes
//     first; with now zero, the later time goes first; otherwise the time in the younger log2 age
//     bucket goes first, where bucket(t) = int64(math.Log2(float64(now-t))) in nanoseconds, or -1
//     when now-t <= 0; within one bucket the smaller UID goes first. Equal instants fall through.
//  7. More restarts first: the highest restartCount over containerStatuses; if equal, the highest
//     over initContainerStatuses of init containers with restartPolicy Always.
//  8. If the creationTimestamps are different instants, the same comparison as rule 6.
//  9. Otherwise the two are tied.
//
// # Ties and cycles
//
// Upstream sorts with the unstable sort.Sort, so the order of tied pods depends on the input order
// and on Go's pdqsort. reckon pins it, a deliberate difference: pods tied by rules 1-9 are ordered
// by UID, then namespace, then name, then position in the input (SelectForDeletionTiered puts the
// caller's tier first, for the listing order upstream's ReplicaSet controller uses: controlled pods
// before adopted orphans). Within one bucket, rules 6 and 8 themselves fall back on UID, so no tie
// key may precede it there; the tier only orders pods that are tied outright.
//
// Rules 6-8 are not always consistent. In one rule-6 bucket, two pods that became ready at the same
// instant are ordered by rules 7 and 8, but each of them is ordered against a third pod of the
// bucket by UID, and the three can form a cycle. Second-granularity timestamps make equal instants
// common. When this happens there is no order that agrees with every pairwise decision, and
// upstream's result is an artifact of pdqsort and the input order. reckon always uses the order
// below. Whenever upstream's comparison is a strict weak ordering on the candidates, it is a
// correct sort by that comparison, with tied pods in the tie-break order above; when it is not, it
// is still one fixed order that does not depend on the order of the input:
//
//	P. Sort by rules 1-5, then for ready pods by rule 6 up to the bucket (zero first; later first
//	   when now is zero). Within one bucket (now set, times non-zero), sort by UID, namespace, name,
//	   position. Everywhere else continue with rules 7, 8 (zero first; later first when now is zero;
//	   otherwise younger bucket first) and UID, namespace, name, position.
//	R. A run is a maximal stretch of P-consecutive pods of one bucket that became ready at the very
//	   same instant. Each run is reordered by rules 7 and 8 and UID, namespace, name, position.
//
// SelectForDeletion returns the first n pods of this order without sorting the others.
//
// SelectForDeletion compares timestamps as wall-clock instants. Upstream's time.Time comparisons
// (and DeletionLess's) use the monotonic clock reading instead when both times carry one, which
// times in API objects never do (only values made in-process by time.Now have one), so the two
// agree on all real inputs.
package pods
