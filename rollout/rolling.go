package rollout

import (
	"slices"

	appsv1 "k8s.io/api/apps/v1"
)

// ScaleDownOldReplicaSets is the scale-down half of a rolling update,
// upstream's reconcileOldReplicaSets with cleanupUnhealthyReplicas and
// scaleDownOldReplicaSetsForRollingUpdate (pkg/controller/deployment/
// rolling.go). It returns the scales in the order upstream issues them (one
// ReplicaSet may appear twice: cleaned up, then scaled down further) and
// whether upstream reports having scaled down:
//
//  1. Only active old ReplicaSets (spec.replicas > 0) are scaled, oldest
//     first ([SortByCreation]). With none, nothing happens.
//  2. maxScaledDown = the spec.replicas of oldRSs and newRS - [MinAvailable] -
//     the new ReplicaSet's unavailable replicas (spec - available). At or
//     below 0, nothing happens: unavailable new pods must not let old
//     available ones go.
//  3. Unhealthy cleanup, within maxScaledDown: each old ReplicaSet whose
//     spec.replicas differs from its available replicas loses up to that
//     difference. An old ReplicaSet reporting more available replicas than
//     its spec.replicas makes upstream stop with an error: the scales
//     already issued stand and the result is "not scaled".
//  4. Scale-down, within the available replicas (old ReplicaSets as
//     observed, plus newRS) above MinAvailable: old ReplicaSets lose
//     replicas oldest first, from their size after step 3.
//
// Availability is read from each ReplicaSet's status as observed; the scales
// of step 3 do not change it.
func ScaleDownOldReplicaSets(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) (scales []Scale, scaled bool) {
	if d == nil {
		return nil, false
	}
	active := make([]*appsv1.ReplicaSet, 0, len(oldRSs))
	for _, rs := range oldRSs {
		if rs != nil && ReplicaSetReplicas(rs) > 0 {
			active = append(active, rs)
		}
	}
	if TotalReplicas(active) == 0 {
		return nil, false
	}
	slices.SortFunc(active, compareByCreation)
	minAvailable := DeploymentReplicas(d) - MaxUnavailable(d)
	var newUnavailable, newAvailable int32
	if newRS != nil {
		newUnavailable = ReplicaSetReplicas(newRS) - newRS.Status.AvailableReplicas
		newAvailable = newRS.Status.AvailableReplicas
	}
	maxScaledDown := TotalReplicas(oldRSs) + ReplicaSetReplicas(newRS) - minAvailable - newUnavailable
	if maxScaledDown <= 0 {
		return nil, false
	}

	sizes := make([]int32, len(active))
	var cleaned int32
	for i, rs := range active {
		sizes[i] = ReplicaSetReplicas(rs)
		if cleaned >= maxScaledDown || sizes[i] == rs.Status.AvailableReplicas {
			continue
		}
		k := min(maxScaledDown-cleaned, sizes[i]-rs.Status.AvailableReplicas)
		if k < 0 {
			// Upstream: "got invalid request to scale down", an error
			// its caller reads as nothing scaled.
			return scales, false
		}
		sizes[i] -= k
		cleaned += k
		scales = append(scales, Scale{ReplicaSet: rs, Replicas: sizes[i]})
	}

	available := newAvailable
	for _, rs := range active {
		available += rs.Status.AvailableReplicas
	}
	var scaledDown int32
	if available > minAvailable {
		budget := available - minAvailable
		for i, rs := range active {
			if scaledDown >= budget {
				break
			}
			if sizes[i] == 0 {
				continue
			}
			k := min(sizes[i], budget-scaledDown)
			sizes[i] -= k
			scaledDown += k
			scales = append(scales, Scale{ReplicaSet: rs, Replicas: sizes[i]})
		}
	}
	return scales, cleaned+scaledDown > 0
}

// ReplicaSetsToCleanUp returns the old ReplicaSets upstream's
// cleanupDeployment deletes to keep d's revisionHistoryLimit, in the order it
// deletes them:
//
//  1. Nothing without a limit (a nil limit reads as the default 10;
//     math.MaxInt32 means unlimited).
//  2. Candidates are the oldRSs not being deleted; with n candidates and
//     limit l, the first n-l by [SortByRevision] (lowest revisions first) are
//     looked at.
//  3. Of those, one is deleted only if it has no replicas (spec and status),
//     and its status has caught up with its generation. Skipped ones are
//     not replaced by later candidates.
//
// oldRSs is taken in the order given, which matters only when revisions do
// not parse (see [SortByRevision]).
func ReplicaSetsToCleanUp(d *appsv1.Deployment, oldRSs []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	if d == nil || !HasRevisionHistoryLimit(d) {
		return nil
	}
	var cleanable []*appsv1.ReplicaSet
	for _, rs := range oldRSs {
		if rs != nil && rs.DeletionTimestamp == nil {
			cleanable = append(cleanable, rs)
		}
	}
	diff := int32(len(cleanable)) - revisionHistoryLimit(d)
	if diff <= 0 {
		return nil
	}
	diff = min(diff, int32(len(cleanable))) // a negative limit is invalid
	SortByRevision(cleanable)
	var out []*appsv1.ReplicaSet
	for _, rs := range cleanable[:diff] {
		if rs.Status.Replicas != 0 || ReplicaSetReplicas(rs) != 0 || rs.Generation > rs.Status.ObservedGeneration {
			continue
		}
		out = append(out, rs)
	}
	return out
}
