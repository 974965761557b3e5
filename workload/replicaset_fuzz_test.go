package workload_test

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload"
)

// FuzzPlanReplicaSet feeds arbitrary specs and pods: the planner must never
// panic, must answer errors as field errors, and its plans must be well
// formed (requireWellFormed) and only touch pods it was given.
func FuzzPlanReplicaSet(f *testing.F) {
	f.Add("frontend", "default", int32(3), int32(0), "tier", "frontend", "In", "frontend", "pod1", "tier", "frontend", "Running", "", int64(10), "-3")
	f.Add("", "", int32(-1), int32(-5), "", "", "Gt", "x", "", "a b", "", "", "n", int64(-1), "+1")
	f.Fuzz(func(t *testing.T, name, ns string, replicas, minReady int32, selKey, selVal, op, exprVal, podName, labelKey, labelVal, phase, node string, ageSeconds int64, cost string) {
		rs := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: "rs-uid"},
			Spec: appsv1.ReplicaSetSpec{
				Replicas:        &replicas,
				MinReadySeconds: minReady,
				Selector: &metav1.LabelSelector{
					MatchLabels:      map[string]string{selKey: selVal},
					MatchExpressions: []metav1.LabelSelectorRequirement{{Key: selKey, Operator: metav1.LabelSelectorOperator(op), Values: []string{exprVal}}},
				},
				Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{labelKey: labelVal}}},
			},
		}
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: podName, Namespace: ns, UID: "pod-uid", Labels: map[string]string{labelKey: labelVal},
				Annotations:       map[string]string{"controller.kubernetes.io/pod-deletion-cost": cost},
				CreationTimestamp: metav1.NewTime(time.Unix(ageSeconds, 0))},
			Spec:   corev1.PodSpec{NodeName: node},
			Status: corev1.PodStatus{Phase: corev1.PodPhase(phase), Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}},
		}
		p, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: []*corev1.Pod{pod, nil, pod}}, time.Unix(1e9, 0))
		if err != nil {
			requireFieldErrors(t, err)
			return
		}
		requireWellFormed(t, p, observedOf(nil, []*appsv1.ReplicaSet{rs}, []*corev1.Pod{pod}))
		for _, w := range p.Writes() {
			switch {
			case w.Verb == workload.Create, w.Target.UID == rs.UID:
			case w.Target.Name != pod.Name || w.Target.UID != pod.UID:
				t.Fatalf("touches a pod it was not given: %v", w)
			}
		}
		_ = p.String()
	})
}
