package rollout

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// A Scale is one ReplicaSet resize the rollout math asks for: set
// ReplicaSet's spec.replicas to Replicas. ReplicaSet points at the caller's
// object, which is never modified.
type Scale struct {
	ReplicaSet *appsv1.ReplicaSet
	Replicas   int32
}

// NewRSNewReplicas is the size the new ReplicaSet should grow to in this
// step (deploymentutil.NewRSNewReplicas): for RollingUpdate, as many as fit
// under spec.replicas + maxSurge (maxSurge rounded up, resolved directly,
// not through [ResolveFenceposts]) counting the spec.replicas of allRSs, but
// never more than spec.replicas; unchanged when the total is already at or
// above that bound. For Recreate, spec.replicas. An invalid maxSurge or an
// unknown strategy type is an error, as upstream. A nil newRS counts as a
// ReplicaSet of size 0.
func NewRSNewReplicas(d *appsv1.Deployment, allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) (int32, error) {
	if d == nil {
		return 0, fmt.Errorf("nil Deployment")
	}
	desired, current := DeploymentReplicas(d), ReplicaSetReplicas(newRS)
	switch d.Spec.Strategy.Type {
	case appsv1.RollingUpdateDeploymentStrategyType, "":
		surge, _ := fenceposts(d)
		maxSurge, err := intstr.GetScaledValueFromIntOrPercent(surge, int(desired), true)
		if err != nil {
			return 0, err
		}
		total := TotalReplicas(allRSs)
		maxTotal := desired + int32(maxSurge)
		if total >= maxTotal {
			return current, nil
		}
		return current + min(maxTotal-total, desired-current), nil
	case appsv1.RecreateDeploymentStrategyType:
		return desired, nil
	}
	return 0, fmt.Errorf("deployment type %v isn't supported", d.Spec.Strategy.Type)
}

// IsSaturated reports whether rs holds all of d's replicas: its
// spec.replicas, its [DesiredReplicasAnnotation] (read with strconv.Atoi and
// truncated to int32, as upstream) and its available replicas all equal
// d's spec.replicas (deploymentutil.IsSaturated). A nil rs is not saturated.
func IsSaturated(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	if d == nil || rs == nil {
		return false
	}
	desired, err := strconv.Atoi(rs.Annotations[DesiredReplicasAnnotation])
	if err != nil {
		return false
	}
	r := DeploymentReplicas(d)
	return ReplicaSetReplicas(rs) == r && int32(desired) == r && rs.Status.AvailableReplicas == r
}

// FindActiveOrLatest returns the ReplicaSet a scaling event simply resizes
// to spec.replicas (deploymentutil.FindActiveOrLatest): the only active one
// (spec.replicas > 0) among newRS and oldRSs; with none active, newRS, or
// the newest old ReplicaSet if newRS is nil; with two or more active, nil
// (they are scaled proportionally). Unlike upstream, oldRSs is not reordered.
func FindActiveOrLatest(newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) *appsv1.ReplicaSet {
	var active, newest *appsv1.ReplicaSet
	n := 0
	for _, rs := range oldRSs {
		if rs == nil {
			continue
		}
		if newest == nil || compareByCreation(rs, newest) > 0 {
			newest = rs
		}
		if ReplicaSetReplicas(rs) > 0 {
			active = rs
			n++
		}
	}
	if newRS != nil && ReplicaSetReplicas(newRS) > 0 {
		active = newRS
		n++
	}
	switch {
	case n == 1:
		return active
	case n > 1:
		return nil
	case newRS != nil:
		return newRS
	}
	return newest
}

// ReplicaSetProportion is how many replicas rs gains (or, negative, loses)
// when a scaling event distributes toAdd replicas of which added have been
// handed out already (deploymentutil.GetReplicaSetProportion): 0 for a nil
// or empty rs or nothing left to distribute; otherwise rs's fraction, capped
// by what is left (the minimum when adding, the maximum when removing).
//
// The fraction is rs's share of the new spec.replicas + maxSurge, against
// the total recorded in rs's [MaxReplicasAnnotation] when it was last sized:
// round(rs.replicas * (replicas + maxSurge) / maxReplicas) - rs.replicas,
// rounding half away from zero (k8s.io/utils/integer.RoundToInt32); the
// product is an int32 product, as upstream's. A missing, unparsable or zero
// annotation falls back to d's status.replicas, and if that is 0 too the
// fraction is 0. With spec.replicas 0 the fraction is -rs.replicas.
func ReplicaSetProportion(rs *appsv1.ReplicaSet, d *appsv1.Deployment, toAdd, added int32) int32 {
	if rs == nil || d == nil || ReplicaSetReplicas(rs) == 0 || toAdd == 0 || toAdd == added {
		return 0
	}
	fraction := replicaSetFraction(rs, d)
	allowed := toAdd - added
	if toAdd > 0 {
		return min(fraction, allowed)
	}
	return max(fraction, allowed)
}

// replicaSetFraction is upstream's getReplicaSetFraction.
func replicaSetFraction(rs *appsv1.ReplicaSet, d *appsv1.Deployment) int32 {
	size := ReplicaSetReplicas(rs)
	if DeploymentReplicas(d) == 0 {
		return -size
	}
	dMax := DeploymentReplicas(d) + MaxSurge(d)
	before, ok := annotationInt32(rs, MaxReplicasAnnotation)
	if !ok || before == 0 {
		before = d.Status.Replicas
		if before == 0 {
			return 0
		}
	}
	return int32(math.Round(float64(size*dMax)/float64(before))) - size
}

// annotationInt32 reads a non-negative int32 annotation the way upstream's
// getNonNegativeInt32FromAnnotation does (strconv.ParseUint, 32 bits, at
// most math.MaxInt32).
func annotationInt32(rs *appsv1.ReplicaSet, key string) (int32, bool) {
	v, ok := rs.Annotations[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n > math.MaxInt32 {
		return 0, false
	}
	return int32(n), true
}

// DesiredReplicas returns rs's [DesiredReplicasAnnotation] if it holds a
// non-negative int32 (deploymentutil.GetDesiredReplicasAnnotation). A
// Deployment sync whose active ReplicaSets record another desired size than
// spec.replicas is a scaling event.
func DesiredReplicas(rs *appsv1.ReplicaSet) (int32, bool) {
	if rs == nil {
		return 0, false
	}
	return annotationInt32(rs, DesiredReplicasAnnotation)
}

// ProportionalScale is the proportional part of upstream's scale (pkg/
// controller/deployment/sync.go) for a RollingUpdate Deployment whose
// replicas changed while two or more ReplicaSets are active and the new one
// is not saturated. It returns every active ReplicaSet (spec.replicas > 0)
// among oldRSs and newRS with its new size, in the order upstream updates
// them, including those whose size does not change (upstream rewrites them
// to refresh their replica annotations):
//
//  1. allowed = spec.replicas + [MaxSurge] (0 when spec.replicas is 0);
//     toAdd = allowed - the active ReplicaSets' total.
//  2. Order: toAdd > 0 larger first, equal sizes newer first; toAdd < 0
//     larger first, equal sizes older first; toAdd = 0 the old ReplicaSets
//     newest first, then newRS.
//  3. Each gets [ReplicaSetProportion] in that order; whatever is left of toAdd
//     goes to the first, which is not taken below 0.
//
// Sizes do not go negative (barring int32 overflow, as upstream) and add up
// to allowed unless the first ReplicaSet would have to go below 0. For any
// other strategy there is nothing to do (nil).
func ProportionalScale(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) []Scale {
	if d == nil || !isRollingUpdate(d) {
		return nil
	}
	active := make([]*appsv1.ReplicaSet, 0, len(oldRSs)+1)
	for _, rs := range oldRSs {
		if rs != nil && ReplicaSetReplicas(rs) > 0 {
			active = append(active, rs)
		}
	}
	slices.SortFunc(active, func(a, b *appsv1.ReplicaSet) int { return compareByCreation(b, a) })
	if newRS != nil && ReplicaSetReplicas(newRS) > 0 {
		active = append(active, newRS)
	}
	var allowed int32
	if DeploymentReplicas(d) > 0 {
		allowed = DeploymentReplicas(d) + MaxSurge(d)
	}
	toAdd := allowed - TotalReplicas(active)
	switch {
	case toAdd > 0:
		slices.SortFunc(active, compareBySizeNewer)
	case toAdd < 0:
		slices.SortFunc(active, compareBySizeOlder)
	}
	scales := make([]Scale, len(active))
	var added int32
	for i, rs := range active {
		scales[i] = Scale{ReplicaSet: rs, Replicas: ReplicaSetReplicas(rs)}
		if toAdd != 0 {
			p := ReplicaSetProportion(rs, d, toAdd, added)
			scales[i].Replicas += p
			added += p
		}
	}
	if len(scales) > 0 && toAdd != 0 {
		scales[0].Replicas = max(scales[0].Replicas+toAdd-added, 0)
	}
	return scales
}

// TotalReplicas sums the spec.replicas of rss, skipping nil entries
// (deploymentutil.GetReplicaCountForReplicaSets). The sum is an int32 sum, as
// upstream's.
func TotalReplicas(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		n += ReplicaSetReplicas(rs)
	}
	return n
}

// DeploymentReplicas is d's spec.replicas as the API server stores it: a
// nil spec.replicas is defaulted to 1 (SetDefaults_Deployment, apps/v1), so
// it reads as 1. A nil d has 0. Every function of this package that reads a
// Deployment's spec.replicas reads it through DeploymentReplicas.
func DeploymentReplicas(d *appsv1.Deployment) int32 {
	switch {
	case d == nil:
		return 0
	case d.Spec.Replicas == nil:
		return 1
	}
	return *d.Spec.Replicas
}

// ReplicaSetReplicas is rs's spec.replicas as the API server stores it: a
// nil spec.replicas is defaulted to 1 (SetDefaults_ReplicaSet, apps/v1), so
// it reads as 1. A nil rs has 0, so that sums such as [TotalReplicas] skip
// it. Every function of this package that reads a ReplicaSet's
// spec.replicas reads it through ReplicaSetReplicas.
func ReplicaSetReplicas(rs *appsv1.ReplicaSet) int32 {
	switch {
	case rs == nil:
		return 0
	case rs.Spec.Replicas == nil:
		return 1
	}
	return *rs.Spec.Replicas
}
