package workloadtest_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

// The first sync of a new Deployment, as upstream's controller makes it
// against a real API server: it creates the ReplicaSet, writes the status
// with the revision, and then sends a second status write from the same
// stale copy, which the API server refuses. The sync ends there and is
// retried with back-off; the retry finds nothing left but the status.
func ExampleCluster_SyncDeployment() {
	c := workloadtest.New(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	labels := map[string]string{"app": "nginx"}
	_, err := c.Apply(&appsv1.Deployment{
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
	for i := 1; i <= 2; i++ {
		s, err := c.SyncDeployment("nginx-deployment")
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("sync %d, requeue %+v:\n", i, s.Result.Requeue)
		for _, l := range s.Log {
			fmt.Println(" ", l)
		}
	}
	fmt.Print(c.GetReplicaSets())
	// Output:
	// sync 1, requeue {After:0s RateLimited:true}:
	//   create replicaset default/nginx-deployment-7445b75b9d (replicas 3)
	//   event: Normal ScalingReplicaSet Scaled up replica set nginx-deployment-7445b75b9d from 0 to 3
	//   update-status deployment default/nginx-deployment (replicas 0, updated 0, ready 0, available 0) [rv 1]
	//   update-status deployment default/nginx-deployment (replicas 0, updated 0, ready 0, available 0) [rv 1]: Operation cannot be fulfilled on deployments.apps "nginx-deployment": the object has been modified; please apply your changes to the latest version and try again
	// sync 2, requeue {After:0s RateLimited:false}:
	//   update-status deployment default/nginx-deployment (replicas 0, updated 0, ready 0, available 0) [rv 3]
	// NAME                          DESIRED   CURRENT   READY   AGE
	// nginx-deployment-7445b75b9d   3         0         0       0s
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
	for _, l := range s.Log {
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
