package rollout

import (
	"fmt"
	"math"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// HasProgressDeadline reports whether d reports ProgressDeadlineExceeded when
// a rollout stalls: progressDeadlineSeconds is set and not math.MaxInt32
// (deploymentutil.HasProgressDeadline). A nil value reads as the API
// server's default, 600.
func HasProgressDeadline(d *appsv1.Deployment) bool {
	return d != nil && progressDeadlineSeconds(d) != math.MaxInt32
}

// HasRevisionHistoryLimit reports whether d deletes old ReplicaSets beyond
// revisionHistoryLimit: it is set and not math.MaxInt32
// (deploymentutil.HasRevisionHistoryLimit). A nil value reads as the API
// server's default, 10.
func HasRevisionHistoryLimit(d *appsv1.Deployment) bool {
	return d != nil && revisionHistoryLimit(d) != math.MaxInt32
}

func progressDeadlineSeconds(d *appsv1.Deployment) int32 {
	if d.Spec.ProgressDeadlineSeconds == nil {
		return 600
	}
	return *d.Spec.ProgressDeadlineSeconds
}

func revisionHistoryLimit(d *appsv1.Deployment) int32 {
	if d.Spec.RevisionHistoryLimit == nil {
		return 10
	}
	return *d.Spec.RevisionHistoryLimit
}

// DeploymentComplete reports whether a rollout is complete in newStatus: all
// of spec.replicas updated, no other replicas, all available, and the
// status observes d's generation (deploymentutil.DeploymentComplete).
func DeploymentComplete(d *appsv1.Deployment, newStatus *appsv1.DeploymentStatus) bool {
	if d == nil || newStatus == nil {
		return false
	}
	r := DeploymentReplicas(d)
	return newStatus.UpdatedReplicas == r && newStatus.Replicas == r &&
		newStatus.AvailableReplicas == r && newStatus.ObservedGeneration >= d.Generation
}

// DeploymentProgressing reports whether newStatus shows progress over d's
// current status: more updated, ready or available replicas, or fewer old
// ones (replicas - updated) (deploymentutil.DeploymentProgressing).
func DeploymentProgressing(d *appsv1.Deployment, newStatus *appsv1.DeploymentStatus) bool {
	if d == nil || newStatus == nil {
		return false
	}
	old := d.Status
	return newStatus.UpdatedReplicas > old.UpdatedReplicas ||
		newStatus.Replicas-newStatus.UpdatedReplicas < old.Replicas-old.UpdatedReplicas ||
		newStatus.ReadyReplicas > old.ReadyReplicas ||
		newStatus.AvailableReplicas > old.AvailableReplicas
}

// DeploymentTimedOut reports whether d's rollout has exceeded its progress
// deadline at now (deploymentutil.DeploymentTimedOut, with the clock passed
// in): never without a deadline or a Progressing condition in newStatus, or
// when that condition says NewReplicaSetAvailable; always when it already
// says ProgressDeadlineExceeded; otherwise when its lastUpdateTime plus
// progressDeadlineSeconds is strictly before now.
func DeploymentTimedOut(d *appsv1.Deployment, newStatus *appsv1.DeploymentStatus, now time.Time) bool {
	if !HasProgressDeadline(d) || newStatus == nil {
		return false
	}
	c := GetCondition(*newStatus, appsv1.DeploymentProgressing)
	switch {
	case c == nil || c.Reason == NewRSAvailableReason:
		return false
	case c.Reason == TimedOutReason:
		return true
	}
	deadline := time.Duration(progressDeadlineSeconds(d)) * time.Second
	return c.LastUpdateTime.Add(deadline).Before(now)
}

// TerminatingReplicas sums status.terminatingReplicas over rss
// (deploymentutil.GetTerminatingReplicaCountForReplicaSets, with the
// DeploymentReplicaSetTerminatingReplicas gate on as in v1.36): a
// ReplicaSet the ReplicaSet controller never synced (observedGeneration 0,
// no count) contributes nothing, but any other ReplicaSet without a count
// makes the sum unknown (nil). nil entries are skipped.
func TerminatingReplicas(rss []*appsv1.ReplicaSet) *int32 {
	var n int32
	for _, rs := range rss {
		switch {
		case rs == nil:
		case rs.Status.TerminatingReplicas == nil && rs.Status.ObservedGeneration == 0:
		case rs.Status.TerminatingReplicas == nil:
			return nil
		default:
			n += *rs.Status.TerminatingReplicas
		}
	}
	return &n
}

// CalculateStatus is the Deployment status upstream's calculateStatus
// derives from its ReplicaSets (allRSs includes newRS, which may be nil;
// nil entries are skipped):
//
//   - replicas, readyReplicas, availableReplicas: sums of the ReplicaSets'
//     status; updatedReplicas: newRS's status.replicas;
//   - unavailableReplicas: the sum of spec.replicas minus availableReplicas,
//     not below 0; terminatingReplicas: [TerminatingReplicas];
//   - observedGeneration: d's generation; collisionCount and the conditions
//     carried over from d's status;
//   - Available: True ([MinimumReplicasAvailable], "Deployment has minimum
//     availability.") when availableReplicas >= spec.replicas -
//     [MaxUnavailable], else False ([MinimumReplicasUnavailable], "Deployment
//     does not have minimum availability."), set with [SetCondition] and now.
//
// The result shares no memory with d except collisionCount's pointer. A nil
// d gives the zero status.
func CalculateStatus(d *appsv1.Deployment, allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, now time.Time) appsv1.DeploymentStatus {
	if d == nil {
		return appsv1.DeploymentStatus{}
	}
	var replicas, ready, available int32
	for _, rs := range allRSs {
		if rs != nil {
			replicas += rs.Status.Replicas
			ready += rs.Status.ReadyReplicas
			available += rs.Status.AvailableReplicas
		}
	}
	status := appsv1.DeploymentStatus{
		ObservedGeneration:  d.Generation,
		Replicas:            replicas,
		ReadyReplicas:       ready,
		AvailableReplicas:   available,
		UnavailableReplicas: max(TotalReplicas(allRSs)-available, 0),
		TerminatingReplicas: TerminatingReplicas(allRSs),
		CollisionCount:      d.Status.CollisionCount,
	}
	if newRS != nil {
		status.UpdatedReplicas = newRS.Status.Replicas
	}
	for _, c := range d.Status.Conditions {
		status.Conditions = append(status.Conditions, c)
	}
	if available >= DeploymentReplicas(d)-MaxUnavailable(d) {
		SetCondition(&status, NewCondition(appsv1.DeploymentAvailable, corev1.ConditionTrue, MinimumReplicasAvailable, "Deployment has minimum availability.", now))
	} else {
		SetCondition(&status, NewCondition(appsv1.DeploymentAvailable, corev1.ConditionFalse, MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now))
	}
	return status
}

// CalculateRolloutStatus is the status upstream's syncRolloutStatus writes
// during a rollout: [CalculateStatus], then the Progressing and ReplicaFailure
// conditions (pkg/controller/deployment/progress.go):
//
//  1. Without a progress deadline the Progressing condition is removed.
//  2. With one, unless the rollout was already complete (replicas ==
//     updatedReplicas and d's Progressing reason is NewReplicaSetAvailable),
//     the first that applies: [DeploymentComplete] → True
//     NewReplicaSetAvailable "ReplicaSet %q has successfully progressed.";
//     [DeploymentProgressing] → True ReplicaSetUpdated "ReplicaSet %q is
//     progressing." with lastUpdateTime now (lastTransitionTime kept if it
//     was True); [DeploymentTimedOut] → False ProgressDeadlineExceeded
//     "ReplicaSet %q has timed out progressing.". Without a new ReplicaSet
//     the messages say Deployment %q instead.
//  3. ReplicaFailure conditions of newRS, or else of the ReplicaSets in
//     allRSs order, become the Deployment's (first one wins; both times are
//     the ReplicaSet condition's lastTransitionTime); none removes it.
//
// A nil d gives the zero status.
func CalculateRolloutStatus(d *appsv1.Deployment, allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, now time.Time) appsv1.DeploymentStatus {
	if d == nil {
		return appsv1.DeploymentStatus{}
	}
	status := CalculateStatus(d, allRSs, newRS, now)
	if !HasProgressDeadline(d) {
		RemoveCondition(&status, appsv1.DeploymentProgressing)
	}
	cur := GetCondition(d.Status, appsv1.DeploymentProgressing)
	complete := status.Replicas == status.UpdatedReplicas && cur != nil && cur.Reason == NewRSAvailableReason
	if HasProgressDeadline(d) && !complete {
		subject := fmt.Sprintf("Deployment %q", d.Name)
		if newRS != nil {
			subject = fmt.Sprintf("ReplicaSet %q", newRS.Name)
		}
		switch {
		case DeploymentComplete(d, &status):
			SetCondition(&status, NewCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, NewRSAvailableReason, subject+" has successfully progressed.", now))
		case DeploymentProgressing(d, &status):
			c := NewCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReplicaSetUpdatedReason, subject+" is progressing.", now)
			// Progress always refreshes lastUpdateTime, even with the same
			// reason, which SetCondition alone would not.
			if cur != nil {
				if cur.Status == corev1.ConditionTrue {
					c.LastTransitionTime = cur.LastTransitionTime
				}
				RemoveCondition(&status, appsv1.DeploymentProgressing)
			}
			SetCondition(&status, c)
		case DeploymentTimedOut(d, &status, now):
			SetCondition(&status, NewCondition(appsv1.DeploymentProgressing, corev1.ConditionFalse, TimedOutReason, subject+" has timed out progressing.", now))
		}
	}
	if c, ok := replicaFailure(allRSs, newRS); ok {
		SetCondition(&status, c)
	} else {
		RemoveCondition(&status, appsv1.DeploymentReplicaFailure)
	}
	return status
}

// replicaFailure is the first ReplicaFailure condition of newRS, or else of
// allRSs in order, as a Deployment condition (upstream's getReplicaFailures
// and ReplicaSetToDeploymentCondition).
func replicaFailure(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) (appsv1.DeploymentCondition, bool) {
	if c, ok := rsFailure(newRS); ok {
		return c, true
	}
	for _, rs := range allRSs {
		if c, ok := rsFailure(rs); ok {
			return c, true
		}
	}
	return appsv1.DeploymentCondition{}, false
}

func rsFailure(rs *appsv1.ReplicaSet) (appsv1.DeploymentCondition, bool) {
	if rs == nil {
		return appsv1.DeploymentCondition{}, false
	}
	for _, c := range rs.Status.Conditions {
		if c.Type == appsv1.ReplicaSetReplicaFailure {
			return appsv1.DeploymentCondition{
				Type:               appsv1.DeploymentConditionType(c.Type),
				Status:             c.Status,
				LastTransitionTime: c.LastTransitionTime,
				LastUpdateTime:     c.LastTransitionTime,
				Reason:             c.Reason,
				Message:            c.Message,
			}, true
		}
	}
	return appsv1.DeploymentCondition{}, false
}

// ProgressCheckAfter is how long until d's rollout passes its progress
// deadline, as upstream's requeueStuckDeployment computes it after a sync
// that left the status unchanged: the Progressing condition's
// lastUpdateTime in d's status plus progressDeadlineSeconds, minus now. ok
// is false when no check is due: no deadline, no Progressing condition, a
// newStatus that is complete ([DeploymentComplete]), or a rollout already
// timed out. Upstream looks again after the result plus one second, or at
// once (rate limited) when the result is under a second.
func ProgressCheckAfter(d *appsv1.Deployment, newStatus *appsv1.DeploymentStatus, now time.Time) (after time.Duration, ok bool) {
	if !HasProgressDeadline(d) || newStatus == nil {
		return 0, false
	}
	c := GetCondition(d.Status, appsv1.DeploymentProgressing)
	if c == nil || DeploymentComplete(d, newStatus) || c.Reason == TimedOutReason {
		return 0, false
	}
	deadline := time.Duration(progressDeadlineSeconds(d)) * time.Second
	return c.LastUpdateTime.Add(deadline).Sub(now), true
}
