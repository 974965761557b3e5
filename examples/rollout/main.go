// Command rollout walks the Deployment story of the Kubernetes
// documentation with reckon's planners and workloadtest's simulated
// cluster, printing what a person watching `kubectl get rs -w` and running
// `kubectl describe` and `kubectl rollout` would see:
//
//  1. nginx-deployment, 3 replicas of nginx:1.14.2, updated to 1.16.1: the
//     new ReplicaSet goes 1, 2, 3 while the old one goes 2, 1, 0;
//  2. a typo (nginx:1.161) stalls the rollout at one unready pod; after the
//     progress deadline the Progressing condition turns False;
//  3. kubectl rollout undo brings revision 2 back as revision 4.
//
// It uses reckon's public API only, so it can be copied out of the
// repository as it is. Run it with: go run ./examples/rollout
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/rollout/kubectl"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

const name = "nginx-deployment"

func main() {
	c := workloadtest.New(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	c.Nodes = []string{"node-a", "node-b", "node-c"}
	c.ReadyAfter = 2 * time.Second
	c.NeverReady["nginx:1.161"] = true

	step("Create the Deployment", "kubectl apply -f https://k8s.io/examples/controllers/nginx-deployment.yaml")
	_, err := c.Apply(nginxDeployment())
	check(err)
	fmt.Println("deployment.apps/nginx-deployment created")
	watch(c, 20)
	runKubectl(c, "get deployments")

	step("Update the image", "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1")
	setImage(c, "nginx:1.16.1", "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1")
	watch(c, 40)
	runKubectl(c, "describe deployment")
	runKubectl(c, "rollout status")

	step("A typo in the image stalls the rollout", "kubectl set image deployment/nginx-deployment nginx=nginx:1.161")
	setImage(c, "nginx:1.161", "kubectl set image deployment/nginx-deployment nginx=nginx:1.161")
	watch(c, 20)
	runKubectl(c, "describe deployment")
	runKubectl(c, "rollout status")

	step("Ten minutes later the progress deadline has passed", "")
	c.Advance(10 * time.Minute)
	watch(c, 3)
	runKubectl(c, "describe deployment")
	runKubectl(c, "rollout status")
	runKubectl(c, "rollout history")

	step("Roll back to the previous revision", "kubectl rollout undo deployment/nginx-deployment")
	undone, skipped, err := kubectl.Undo(c.Deployment(name), c.ReplicaSets(), 0)
	check(err)
	if !skipped {
		_, err = c.Apply(undone)
		check(err)
		fmt.Println("deployment.apps/nginx-deployment rolled back")
	}
	watch(c, 40)
	runKubectl(c, "describe deployment")
	runKubectl(c, "rollout history")
}

// watch plays the Deployment and ReplicaSet controllers for up to rounds
// seconds and prints each ReplicaSet size change, as `kubectl get rs -w`
// would show it.
func watch(c *workloadtest.Cluster, rounds int) {
	fmt.Println("$ kubectl get rs -w")
	last := map[string]string{}
	for _, rs := range c.ReplicaSets() {
		last[rs.Name] = rsLine(rs)
	}
	for range rounds {
		_, err := c.SyncDeployment(name)
		check(err)
		_, err = c.SyncReplicaSets()
		check(err)
		for _, rs := range c.ReplicaSets() {
			if l := rsLine(rs); last[rs.Name] != l {
				fmt.Println(l)
				last[rs.Name] = l
			}
		}
		c.Advance(time.Second)
	}
}

func rsLine(rs *appsv1.ReplicaSet) string {
	return fmt.Sprintf("%-30s desired=%d current=%d ready=%d", rs.Name, *rs.Spec.Replicas, rs.Status.Replicas, rs.Status.ReadyReplicas)
}

func runKubectl(c *workloadtest.Cluster, cmd string) {
	fmt.Println("$ kubectl " + cmd + " " + name)
	d := c.Deployment(name)
	switch cmd {
	case "get deployments":
		fmt.Print(c.GetDeployments())
	case "describe deployment":
		conds, err := kubectl.DescribeConditions(d, c.ReplicaSets())
		check(err)
		fmt.Printf("Replicas:  %s\n%s", kubectl.ReplicasLine(d), conds)
	case "rollout status":
		msg, _, err := kubectl.Status(d, 0)
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Print(strings.TrimSuffix(msg, "\n") + "\n")
	case "rollout history":
		h, err := kubectl.History(d, c.ReplicaSets())
		check(err)
		fmt.Printf("deployment.apps/%s\n%s", name, kubectl.FormatHistory(h))
	}
}

func setImage(c *workloadtest.Cluster, image, cause string) {
	_, err := c.EditDeployment(name, func(d *appsv1.Deployment) {
		d.Spec.Template.Spec.Containers[0].Image = image
		d.Annotations = map[string]string{"kubernetes.io/change-cause": cause}
	})
	check(err)
	fmt.Println("deployment.apps/nginx-deployment image updated")
}

func step(title, cmd string) {
	fmt.Printf("\n# %s\n", title)
	if cmd != "" {
		fmt.Println("$ " + cmd)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func nginxDeployment() *appsv1.Deployment {
	labels := map[string]string{"app": "nginx"}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: new(int32(3)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "nginx", Image: "nginx:1.14.2",
					Ports: []corev1.ContainerPort{{ContainerPort: 80}},
				}}},
			},
		},
	}
}
