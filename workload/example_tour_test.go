package workload_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

// A short tour (README.md holds this body, kept equal by
// TestReadmeTourIsExample): plan one sync of a new Deployment, print the
// plan, apply it. The API server here is workloadtest's in-memory cluster;
// against a real cluster, a workload.Server of a few lines around a
// client-go clientset takes its place (examples/controller).
func Example() {
	c := workloadtest.New(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	labels := map[string]string{"app": "nginx"}
	_, err := c.Apply(&appsv1.Deployment{ // kubectl apply: defaults, UID, resourceVersion
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment"},
		Spec: appsv1.DeploymentSpec{
			Replicas: new(int32(3)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.14.2"}}},
			},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	d := c.Deployment("nginx-deployment")
	observed := workload.DeploymentState{ReplicaSets: c.ReplicaSets(), Pods: c.Pods()} // what an informer lists
	plan, err := workload.PlanDeployment(d, observed, c.Now())
	if err != nil {
		fmt.Println(err) // field errors, e.g. spec.strategy.rollingUpdate.maxSurge: Invalid value: "abc%": ...
		return
	}
	fmt.Print(plan) // the writes in upstream's order, each with the events it causes

	res := workload.Apply(plan, c) // steps in order, events after their write, stop at the first failure
	fmt.Println("sync ended:", res.Err)
	fmt.Printf("requeue: %+v\n", res.Requeue)
	// Output:
	// create replicaset default/nginx-deployment-7445b75b9d (replicas 3)
	//   then event: Normal ScalingReplicaSet Scaled up replica set nginx-deployment-7445b75b9d from 0 to 3
	// update-status deployment default/nginx-deployment (replicas 0, updated 0, ready 0, available 0) [rv 1]
	// update-status deployment default/nginx-deployment (replicas 0, updated 0, ready 0, available 0) [rv 1]
	// sync ended: Operation cannot be fulfilled on deployments.apps "nginx-deployment": the object has been modified; please apply your changes to the latest version and try again
	// requeue: {After:0s RateLimited:true}
}
