package pods_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/workload/pods"
)

func examplePod(name, node string, readySince time.Time) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID("uid-" + name)},
		Spec:       corev1.PodSpec{NodeName: node},
		Status:     corev1.PodStatus{Phase: corev1.PodRunning},
	}
	if !readySince.IsZero() {
		p.Status.Conditions = []corev1.PodCondition{{
			Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(readySince),
		}}
	}
	return p
}

// A ReplicaSet with four pods scales down to two: the pod that is not ready goes first, then the
// one sharing a node with another pod.
func ExampleSelectForDeletion() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	candidates := []*corev1.Pod{
		examplePod("web-a", "node-1", now.Add(-2*time.Hour)),
		examplePod("web-b", "node-1", now.Add(-2*time.Hour)),
		examplePod("web-c", "node-2", now.Add(-2*time.Hour)),
		examplePod("web-d", "node-3", time.Time{}), // not ready
	}
	ranks := pods.CoLocationRanks(candidates, candidates)
	fmt.Println("ranks:", ranks)
	for _, p := range pods.SelectForDeletion(candidates, ranks, 2, now) {
		fmt.Println("delete", p.Name)
	}
	// Output:
	// ranks: [2 2 1 1]
	// delete web-d
	// delete web-a
}

// Availability waits minReadySeconds after the pod became ready, boundary included.
func ExampleIsAvailable() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := examplePod("web-a", "node-1", now.Add(-7*time.Second))
	fmt.Println(pods.IsAvailable(p, 10, now))
	fmt.Println(pods.NextAvailabilityCheck(p, 10, now))
	fmt.Println(pods.IsAvailable(p, 10, now.Add(3*time.Second)))
	// Output:
	// false
	// 3s true
	// true
}

func ExampleFromTemplate() {
	rs := &appsv1.ReplicaSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: metav1.ObjectMeta{Name: "frontend", Namespace: "default", UID: "1234"},
		Spec: appsv1.ReplicaSetSpec{Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"tier": "frontend"}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "php-redis", Image: "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5"}}},
		}},
	}
	ref := metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))
	pod, err := pods.FromTemplate(&rs.Spec.Template, rs, ref)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pod.Namespace, pod.GenerateName, pod.Labels, pod.OwnerReferences[0].Kind, pod.OwnerReferences[0].Name)

	_, err = pods.FromTemplate(&corev1.PodTemplateSpec{}, rs, ref)
	fmt.Println(err)
	// Output:
	// default frontend- map[tier:frontend] ReplicaSet frontend
	// template.metadata.labels: Required value: unable to create pods, no labels
}
