package rollout

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func condAt(t appsv1.DeploymentConditionType, s corev1.ConditionStatus, reason, msg string, at time.Time) appsv1.DeploymentCondition {
	return appsv1.DeploymentCondition{Type: t, Status: s, Reason: reason, Message: msg, LastUpdateTime: metav1.NewTime(at), LastTransitionTime: metav1.NewTime(at)}
}

// Expectations follow deploymentutil.SetDeploymentCondition and
// RemoveDeploymentCondition.
func TestSetCondition(t *testing.T) {
	then, now := base.Add(-time.Hour), base
	avail := condAt(appsv1.DeploymentAvailable, corev1.ConditionTrue, MinimumReplicasAvailable, "a", then)
	prog := condAt(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReplicaSetUpdatedReason, "p", then)
	for _, tc := range []struct {
		name        string
		c           appsv1.DeploymentCondition
		wantTypes   []appsv1.DeploymentConditionType
		wantReason  string
		wantMessage string
		wantLTT     time.Time
		wantLUT     time.Time
	}{
		{"same status and reason: nothing changes, not even the message",
			condAt(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReplicaSetUpdatedReason, "new message", now),
			[]appsv1.DeploymentConditionType{"Progressing", "Available"}, ReplicaSetUpdatedReason, "p", then, then},
		{"same status, other reason: replaced at the end, transition time kept",
			condAt(appsv1.DeploymentProgressing, corev1.ConditionTrue, NewRSAvailableReason, "done", now),
			[]appsv1.DeploymentConditionType{"Available", "Progressing"}, NewRSAvailableReason, "done", then, now},
		{"other status: replaced with new times",
			condAt(appsv1.DeploymentProgressing, corev1.ConditionFalse, TimedOutReason, "late", now),
			[]appsv1.DeploymentConditionType{"Available", "Progressing"}, TimedOutReason, "late", now, now},
		{"new type: appended",
			condAt(appsv1.DeploymentReplicaFailure, corev1.ConditionTrue, "FailedCreate", "f", now),
			[]appsv1.DeploymentConditionType{"Progressing", "Available", "ReplicaFailure"}, "FailedCreate", "f", now, now},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shared := []appsv1.DeploymentCondition{prog, avail}
			status := appsv1.DeploymentStatus{Conditions: shared}
			SetCondition(&status, tc.c)
			var types []appsv1.DeploymentConditionType
			for _, c := range status.Conditions {
				types = append(types, c.Type)
			}
			if len(types) != len(tc.wantTypes) {
				t.Fatalf("conditions %v, want %v", types, tc.wantTypes)
			}
			for i := range types {
				if types[i] != tc.wantTypes[i] {
					t.Fatalf("conditions %v, want %v", types, tc.wantTypes)
				}
			}
			got := GetCondition(status, tc.c.Type)
			if got.Reason != tc.wantReason || got.Message != tc.wantMessage || !got.LastTransitionTime.Time.Equal(tc.wantLTT) || !got.LastUpdateTime.Time.Equal(tc.wantLUT) {
				t.Errorf("condition = %+v", got)
			}
			if shared[0] != prog || shared[1] != avail {
				t.Error("the original backing array was written")
			}
		})
	}
}

func TestRemoveAndGetCondition(t *testing.T) {
	status := appsv1.DeploymentStatus{Conditions: []appsv1.DeploymentCondition{
		condAt(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReplicaSetUpdatedReason, "p", base),
	}}
	c := GetCondition(status, appsv1.DeploymentProgressing)
	c.Reason = "changed"
	if status.Conditions[0].Reason != ReplicaSetUpdatedReason {
		t.Error("GetCondition returned a pointer into the status")
	}
	if GetCondition(status, appsv1.DeploymentAvailable) != nil {
		t.Error("found a missing condition")
	}
	RemoveCondition(&status, appsv1.DeploymentProgressing)
	if status.Conditions != nil {
		t.Errorf("RemoveCondition left %v", status.Conditions)
	}
}

func TestNewCondition(t *testing.T) {
	c := NewCondition(appsv1.DeploymentAvailable, corev1.ConditionTrue, MinimumReplicasAvailable, "m", base)
	if !c.LastUpdateTime.Time.Equal(base) || !c.LastTransitionTime.Time.Equal(base) || c.Reason != MinimumReplicasAvailable || c.Message != "m" {
		t.Errorf("NewCondition = %+v", c)
	}
}
