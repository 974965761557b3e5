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
// its ScalingReplicaSet event travelling with the create, and writes the
// status twice from the observed copy (upstream's syncs do; a real API
// server refuses the second write with a Conflict, and the retried sync
// writes the status again). The next syncs move one replica at a time.
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
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment", Namespace: "default", UID: "d-1", Generation: 2, ResourceVersion: "7",
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
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment-66b6c48dd5", Namespace: "default", UID: "rs-1", ResourceVersion: "5",
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
	fmt.Print(plan)
	for _, w := range plan.Writes() {
		if sent, ok := w.Object.(*appsv1.Deployment); ok && w.Verb == workload.UpdateStatus {
			fmt.Printf("status write: revision %s,", sent.Annotations["deployment.kubernetes.io/revision"])
			for _, c := range sent.Status.Conditions {
				fmt.Printf(" %s=%s %s", c.Type, c.Status, c.Reason)
			}
			fmt.Println()
		}
	}
	// Output:
	// create replicaset default/nginx-deployment-6857f48f97 (replicas 1)
	//   then event: Normal ScalingReplicaSet Scaled up replica set nginx-deployment-6857f48f97 from 0 to 1
	// update-status deployment default/nginx-deployment (replicas 3, updated 3, ready 3, available 3) [rv 7]
	// update-status deployment default/nginx-deployment (replicas 3, updated 0, ready 3, available 3) [rv 7]
	// status write: revision 2, Progressing=True NewReplicaSetCreated
	// status write: revision 2, Progressing=True NewReplicaSetCreated Available=True MinimumReplicasAvailable
}
