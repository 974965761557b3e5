package podcond

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// Expected values are reasoned from upstream k8s.io/kubernetes@v1.36.3/pkg/api/v1/pod/util.go
// (GetPodConditionFromList returns the first match; IsPodReadyConditionTrue compares with ConditionTrue).
func TestReadyCondition(t *testing.T) {
	cond := func(typ corev1.PodConditionType, st corev1.ConditionStatus, reason string) corev1.PodCondition {
		return corev1.PodCondition{Type: typ, Status: st, Reason: reason}
	}
	tests := []struct {
		name       string
		pod        *corev1.Pod
		wantReason string // reason of the returned condition; "-" means nil
		wantReady  bool
	}{
		{"nil pod", nil, "-", false},
		{"no conditions", &corev1.Pod{}, "-", false},
		{"other types only", &corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{
			cond(corev1.PodScheduled, corev1.ConditionTrue, "a"), cond(corev1.ContainersReady, corev1.ConditionTrue, "b")}}}, "-", false},
		{"ready true", &corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{
			cond(corev1.PodScheduled, corev1.ConditionTrue, "a"), cond(corev1.PodReady, corev1.ConditionTrue, "r")}}}, "r", true},
		{"ready false", &corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{
			cond(corev1.PodReady, corev1.ConditionFalse, "r")}}}, "r", false},
		{"ready unknown", &corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{
			cond(corev1.PodReady, corev1.ConditionUnknown, "r")}}}, "r", false},
		{"status text is case-sensitive", &corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{
			cond(corev1.PodReady, "true", "r")}}}, "r", false},
		{"first duplicate wins (false then true)", &corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{
			cond(corev1.PodReady, corev1.ConditionFalse, "first"), cond(corev1.PodReady, corev1.ConditionTrue, "second")}}}, "first", false},
		{"first duplicate wins (true then false)", &corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{
			cond(corev1.PodReady, corev1.ConditionTrue, "first"), cond(corev1.PodReady, corev1.ConditionFalse, "second")}}}, "first", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ReadyCondition(tt.pod)
			switch {
			case tt.wantReason == "-" && c != nil:
				t.Fatalf("ReadyCondition = %+v, want nil", c)
			case tt.wantReason != "-" && (c == nil || c.Reason != tt.wantReason):
				t.Fatalf("ReadyCondition = %+v, want reason %q", c, tt.wantReason)
			}
			if c != nil && !pointsInto(tt.pod, c) {
				t.Fatalf("ReadyCondition returned a copy, want a pointer into the pod")
			}
			if got := IsReady(tt.pod); got != tt.wantReady {
				t.Fatalf("IsReady = %v, want %v", got, tt.wantReady)
			}
		})
	}
}

func pointsInto(p *corev1.Pod, c *corev1.PodCondition) bool {
	for i := range p.Status.Conditions {
		if &p.Status.Conditions[i] == c {
			return true
		}
	}
	return false
}
