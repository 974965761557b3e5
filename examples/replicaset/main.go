// Command replicaset walks the ReplicaSet story of the Kubernetes
// documentation with reckon's planner and workloadtest's simulated cluster,
// printing what a person running kubectl would see, and the requests the
// controller sends:
//
//  1. bare pods carrying tier=frontend exist; the frontend ReplicaSet (3
//     replicas) adopts them and creates only one pod;
//  2. a bare pod created later is adopted and deleted as surplus;
//  3. a pod relabelled out of the selector is released and replaced;
//  4. editing replicas scales up and down;
//  5. a deleted pod is replaced at once.
//
// It uses reckon's public API only, so it can be copied out of the
// repository as it is. Run it with: go run ./examples/replicaset
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

func main() {
	c := workloadtest.New(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	c.Nodes = []string{"node-a", "node-b"}
	c.ReadyAfter = 3 * time.Second

	say("Bare pods pod1 and pod2 carry tier=frontend and have no owner.")
	for _, name := range []string{"pod1", "pod2"} {
		_, err := c.Apply(barePod(name))
		check(err)
		fmt.Printf("$ kubectl apply -f %s.yaml\npod/%s created\n", name, name)
	}
	c.Advance(5 * time.Second)

	say("Apply the frontend ReplicaSet: 3 replicas, selector tier=frontend.")
	_, err := c.Apply(frontend(3))
	check(err)
	fmt.Println("$ kubectl apply -f frontend.yaml\nreplicaset.apps/frontend created")
	reconcile(c)
	c.Advance(5 * time.Second)
	reconcile(c)
	kubectl(c, "get pods")

	say("A bare pod created now is acquired, then deleted as surplus.")
	_, err = c.Apply(barePod("pod3"))
	check(err)
	fmt.Println("$ kubectl apply -f pod3.yaml\npod/pod3 created")
	reconcile(c)
	c.Advance(30 * time.Second)
	reconcile(c)
	kubectl(c, "get pods")

	say("Relabel pod1 out of the selector: it is released and replaced.")
	check(c.UpdatePod("pod1", func(p *corev1.Pod) { p.Labels = map[string]string{"tier": "debug"} }))
	fmt.Println("$ kubectl label pod pod1 tier=debug --overwrite\npod/pod1 labeled")
	reconcile(c)
	c.Advance(5 * time.Second)
	reconcile(c)
	kubectl(c, "get pods")

	say("Scale to 5, then back to 2.")
	for _, n := range []int32{5, 2} {
		_, err := c.Apply(frontend(n))
		check(err)
		fmt.Printf("$ kubectl scale rs frontend --replicas=%d\nreplicaset.apps/frontend scaled\n", n)
		reconcile(c)
		c.Advance(5 * time.Second)
		reconcile(c)
	}
	kubectl(c, "get rs")

	say("Delete pod2: it is replaced at once and counted as terminating until it is gone.")
	check(c.DeletePod("pod2"))
	fmt.Println("$ kubectl delete pod pod2\npod \"pod2\" deleted")
	reconcile(c)
	kubectl(c, "get pods")
	c.Advance(30 * time.Second)
	reconcile(c)
	kubectl(c, "get pods")
}

// reconcile plays one sync of the ReplicaSet controller and prints the
// requests it sends and the events it records.
func reconcile(c *workloadtest.Cluster) {
	s, err := c.SyncReplicaSet("frontend")
	check(err)
	for _, l := range s.Lines() {
		fmt.Println("  controller:", l)
	}
}

func kubectl(c *workloadtest.Cluster, cmd string) {
	fmt.Println("$ kubectl " + cmd)
	switch cmd {
	case "get pods":
		fmt.Print(c.GetPods())
	case "get rs":
		fmt.Print(c.GetReplicaSets())
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func say(s string) { fmt.Printf("\n# %s\n", strings.TrimSpace(s)) }

func barePod(name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"tier": "frontend"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "hello", Image: "hello-app:1.0"}}},
	}
}

func frontend(replicas int32) *appsv1.ReplicaSet {
	labels := map[string]string{"tier": "frontend"}
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "frontend", Labels: map[string]string{"app": "guestbook", "tier": "frontend"}},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyAlways,
					Containers:    []corev1.Container{{Name: "php-redis", Image: "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5"}},
				},
			},
		},
	}
}
