package workload_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/reckon-k8s/reckon/workload"
)

// The image of a Deployment with 3 ready replicas changes: one sync creates
// the new ReplicaSet with one replica (maxSurge 25% of 3 rounds up to 1),
// records it in the status and looks at nothing else; the next syncs move
// one replica at a time.
func ExamplePlanDeployment() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	labels := map[string]string{"app": "nginx"}
	template := func(image string) corev1.PodTemplateSpec {
		return corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: labels},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: image}}},
		}
	}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment", Namespace: "default", UID: "d-1", Generation: 2,
			Annotations: map[string]string{"deployment.kubernetes.io/revision": "1"}},
		Spec: appsv1.DeploymentSpec{
			Replicas: new(int32(3)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: template("nginx:1.16.1"),
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxSurge: new(intstr.FromString("25%")), MaxUnavailable: new(intstr.FromString("25%")),
				},
			},
		},
		Status: appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 3, UpdatedReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 3},
	}
	old := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment-66b6c48dd5", Namespace: "default", UID: "rs-1",
			Labels: map[string]string{"app": "nginx", "pod-template-hash": "66b6c48dd5"},
			Annotations: map[string]string{"deployment.kubernetes.io/revision": "1",
				"deployment.kubernetes.io/desired-replicas": "3", "deployment.kubernetes.io/max-replicas": "4"},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))}},
		Spec:   appsv1.ReplicaSetSpec{Replicas: new(int32(3)), Template: template("nginx:1.14.2")},
		Status: appsv1.ReplicaSetStatus{Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 3},
	}

	plan, err := workload.PlanDeployment(d, workload.DeploymentState{ReplicaSets: []*appsv1.ReplicaSet{old}}, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range plan.Actions {
		fmt.Println(a)
	}
	for _, e := range plan.Events {
		fmt.Println(e)
	}
	for _, c := range plan.Status.Conditions {
		fmt.Printf("%s=%s %s: %s\n", c.Type, c.Status, c.Reason, c.Message)
	}
	// Output:
	// create replicaset default/nginx-deployment-6857f48f97 (replicas 1)
	// update deployment status (replicas 3, updated 3, ready 3, available 3)
	// update deployment status (replicas 3, updated 0, ready 3, available 3)
	// Normal ScalingReplicaSet Scaled up replica set nginx-deployment-6857f48f97 from 0 to 1
	// Progressing=True NewReplicaSetCreated: Created new replica set "nginx-deployment-6857f48f97"
	// Available=True MinimumReplicasAvailable: Deployment has minimum availability.
}
