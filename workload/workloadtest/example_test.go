package workloadtest_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

// A Deployment rolled out by playing its controllers in rounds, as a
// controller manager would: each round syncs the Deployment, then every
// ReplicaSet, then lets a second pass; pods are scheduled onto the least
// loaded node and become ready ReadyAfter their creation. A sync the API
// server ends with a refusal (a write from a stale copy) is retried in the
// next round, as a rate-limited work queue would.
func ExampleCluster_SyncDeployment() {
	c := workloadtest.New(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	c.Nodes = []string{"node-a", "node-b"}
	c.ReadyAfter = 2 * time.Second
	labels := map[string]string{"app": "web"}
	_, err := c.Apply(&appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: new(int32(2)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
			},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	seen := 0
	for round := 1; round <= 4; round++ {
		s, err := c.SyncDeployment("web")
		if err != nil {
			fmt.Println(err)
			return
		}
		if s.Result.Err != nil {
			fmt.Printf("round %d: the deployment sync ended at a refused write (%s), requeued\n", round, apierrors.ReasonForError(s.Result.Err))
		}
		if _, err := c.SyncReplicaSets(); err != nil {
			fmt.Println(err)
			return
		}
		for _, e := range c.Events()[seen:] { // like kubectl get events -w
			fmt.Printf("round %d: %s\n", round, e)
		}
		seen = len(c.Events())
		c.Advance(time.Second)
	}
	fmt.Print(c.GetDeployments())
	fmt.Print(c.GetPods())
	// Output:
	// round 1: the deployment sync ended at a refused write (Conflict), requeued
	// round 1: deployment default/web: Normal ScalingReplicaSet Scaled up replica set web-8448b6f544 from 0 to 2
	// round 1: replicaset default/web-8448b6f544: Normal SuccessfulCreate Created pod: web-8448b6f544-plhlh
	// round 1: replicaset default/web-8448b6f544: Normal SuccessfulCreate Created pod: web-8448b6f544-8qjqm
	// NAME   READY   UP-TO-DATE   AVAILABLE   AGE
	// web    2/2     2            2           4s
	// NAME                   READY   STATUS    AGE   NODE     CONTROLLED BY
	// web-8448b6f544-8qjqm   1/1     Running   4s    node-b   ReplicaSet/web-8448b6f544
	// web-8448b6f544-plhlh   1/1     Running   4s    node-a   ReplicaSet/web-8448b6f544
}

// The ReplicaSet walkthrough of the Kubernetes documentation: two bare
// pods, pod1 and pod2, carry the frontend ReplicaSet's labels; its first
// sync adopts them and creates only the third pod.
func ExampleCluster_SyncReplicaSet() {
	c := workloadtest.New(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	labels := map[string]string{"tier": "frontend"}
	for _, name := range []string{"pod1", "pod2"} {
		if _, err := c.Apply(&corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "hello", Image: "hello-app:1.0"}}},
		}); err != nil {
			fmt.Println(err)
			return
		}
	}
	c.Advance(time.Second) // the bare pods start
	if _, err := c.Apply(&appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "frontend"},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: new(int32(3)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "php-redis", Image: "gb-frontend:v5"}}},
			},
		},
	}); err != nil {
		fmt.Println(err)
		return
	}
	s, err := c.SyncReplicaSet("frontend")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range s.Lines() {
		fmt.Println(l)
	}
	fmt.Print(c.GetPods())
	// Output:
	// patch pod default/pod1 (adopt by replicaset frontend)
	// patch pod default/pod2 (adopt by replicaset frontend)
	// create pod default/frontend-8qjqm
	// event: Normal SuccessfulCreate Created pod: frontend-8qjqm
	// update-status replicaset default/frontend (replicas 2, ready 2, available 2) [rv 5]
	// NAME             READY   STATUS    AGE   NODE     CONTROLLED BY
	// frontend-8qjqm   0/1     Pending   0s    node-1   ReplicaSet/frontend
	// pod1             1/1     Running   1s    node-1   ReplicaSet/frontend
	// pod2             1/1     Running   1s    node-1   ReplicaSet/frontend
}
