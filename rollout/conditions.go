package rollout

import (
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Reasons of the Deployment conditions and rollback events the controller
// records (pkg/controller/deployment/util, v1.36).
const (
	// Progressing condition reasons.

	// ReplicaSetUpdatedReason: the rollout made progress (Progressing True).
	ReplicaSetUpdatedReason = "ReplicaSetUpdated"
	// FailedRSCreateReason: creating the new ReplicaSet failed
	// (Progressing False).
	FailedRSCreateReason = "ReplicaSetCreateError"
	// NewReplicaSetReason: the new ReplicaSet was created (Progressing True).
	NewReplicaSetReason = "NewReplicaSetCreated"
	// FoundNewRSReason: the new ReplicaSet existed when the Deployment got a
	// progress deadline and had no Progressing condition (Progressing True).
	FoundNewRSReason = "FoundNewReplicaSet"
	// NewRSAvailableReason: the rollout is complete (Progressing True).
	NewRSAvailableReason = "NewReplicaSetAvailable"
	// TimedOutReason: no progress within progressDeadlineSeconds
	// (Progressing False).
	TimedOutReason = "ProgressDeadlineExceeded"
	// PausedDeployReason: the Deployment is paused (Progressing Unknown).
	PausedDeployReason = "DeploymentPaused"
	// ResumedDeployReason: the Deployment was resumed (Progressing Unknown).
	ResumedDeployReason = "DeploymentResumed"

	// Available condition reasons.

	// MinimumReplicasAvailable: at least [MinAvailable] replicas are available.
	MinimumReplicasAvailable = "MinimumReplicasAvailable"
	// MinimumReplicasUnavailable: fewer than [MinAvailable] replicas are
	// available.
	MinimumReplicasUnavailable = "MinimumReplicasUnavailable"

	// Rollback event reasons (the legacy rollback annotation).

	// RollbackRevisionNotFound: no ReplicaSet holds the revision asked for.
	RollbackRevisionNotFound = "DeploymentRollbackRevisionNotFound"
	// RollbackTemplateUnchanged: the revision's template is the current one.
	RollbackTemplateUnchanged = "DeploymentRollbackTemplateUnchanged"
	// RollbackDone: the Deployment's template was rolled back.
	RollbackDone = "DeploymentRollback"
)

// NewCondition returns a Deployment condition whose lastUpdateTime and
// lastTransitionTime are now (deploymentutil.NewDeploymentCondition, with
// the clock passed in).
func NewCondition(condType appsv1.DeploymentConditionType, status corev1.ConditionStatus, reason, message string, now time.Time) appsv1.DeploymentCondition {
	t := metav1.NewTime(now)
	return appsv1.DeploymentCondition{
		Type:               condType,
		Status:             status,
		LastUpdateTime:     t,
		LastTransitionTime: t,
		Reason:             reason,
		Message:            message,
	}
}

// GetCondition returns a copy of the first condition of type condType in
// status, nil if there is none (deploymentutil.GetDeploymentCondition).
func GetCondition(status appsv1.DeploymentStatus, condType appsv1.DeploymentConditionType) *appsv1.DeploymentCondition {
	for i := range status.Conditions {
		if status.Conditions[i].Type == condType {
			c := status.Conditions[i]
			return &c
		}
	}
	return nil
}

// SetCondition puts c into status the way deploymentutil.SetDeploymentCondition
// does: nothing changes when a condition of that type already has the same
// status and reason (even if the message differs); otherwise every condition
// of that type is removed and c is appended at the end, keeping the old
// lastTransitionTime when only the reason changed. status.Conditions gets a
// new backing array, so a slice shared with another status is never written.
func SetCondition(status *appsv1.DeploymentStatus, c appsv1.DeploymentCondition) {
	if status == nil {
		return
	}
	cur := GetCondition(*status, c.Type)
	if cur != nil && cur.Status == c.Status && cur.Reason == c.Reason {
		return
	}
	if cur != nil && cur.Status == c.Status {
		c.LastTransitionTime = cur.LastTransitionTime
	}
	status.Conditions = append(withoutCondition(status.Conditions, c.Type), c)
}

// RemoveCondition removes every condition of type condType from status
// (deploymentutil.RemoveDeploymentCondition), into a new backing array; the
// list becomes nil when nothing is left.
func RemoveCondition(status *appsv1.DeploymentStatus, condType appsv1.DeploymentConditionType) {
	if status == nil {
		return
	}
	status.Conditions = withoutCondition(status.Conditions, condType)
}

func withoutCondition(conds []appsv1.DeploymentCondition, condType appsv1.DeploymentConditionType) []appsv1.DeploymentCondition {
	var out []appsv1.DeploymentCondition
	for _, c := range conds {
		if c.Type != condType {
			out = append(out, c)
		}
	}
	return out
}
