package workload_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/workload"
)

// The ReplicaSet walkthrough of the Kubernetes documentation: the frontend
// ReplicaSet, which wants three pods, finds the bare pods pod1 and pod2
// carrying its labels. One sync adopts both (one step: the patches may be
// sent concurrently), creates the third pod (its event names the pod the
// API server generates once the create succeeds) and writes the status.
func ExamplePlanReplicaSet() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	labels := map[string]string{"tier": "frontend"}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "frontend", Namespace: "default", UID: "rs-1", Generation: 1, ResourceVersion: "3"},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: new(int32(3)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "php-redis", Image: "gb-frontend:v5"}}},
			},
		},
	}
	bare := func(name string) *corev1.Pod {
		return &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("uid-" + name), Labels: labels},
			Status:     corev1.PodStatus{Phase: corev1.PodRunning},
		}
	}

	plan, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: []*corev1.Pod{bare("pod2"), bare("pod1")}}, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, step := range plan.Steps {
		for _, w := range step.Writes {
			fmt.Printf("step %d: %v\n", i, w)
			for _, e := range w.Events {
				fmt.Printf("  on success: %v\n", e.Expand("frontend-8qjqm", nil))
			}
		}
	}
	// Output:
	// step 0: patch pod default/pod1 (adopt by replicaset frontend)
	// step 0: patch pod default/pod2 (adopt by replicaset frontend)
	// step 1: create pod default/* (generateName frontend-)
	//   on success: Normal SuccessfulCreate Created pod: frontend-8qjqm
	// step 2: update-status replicaset default/frontend (replicas 2, ready 0, available 0) [rv 3]
}

// Invalid specs come back as field errors naming the path, never a panic.
func ExampleValidateReplicaSet() {
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "frontend", Namespace: "default"},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: new(int32(-1)),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "frontend"}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"tier": "backend"}}},
		},
	}
	for _, e := range workload.ValidateReplicaSet(rs) {
		fmt.Println(e)
	}
	// Output:
	// spec.replicas: Invalid value: -1: must be greater than or equal to 0
	// spec.template.metadata.labels: Invalid value: {"tier":"backend"}: `selector` does not match template `labels`
}
