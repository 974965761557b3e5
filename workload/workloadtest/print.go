package workloadtest

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload/pods"
)

// GetPods prints the pods like `kubectl get pods -o wide`, with the
// controller of each pod.
func (c *Cluster) GetPods() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	fmt.Fprintln(w, "NAME\tREADY\tSTATUS\tAGE\tNODE\tCONTROLLED BY")
	for _, p := range c.Pods() {
		ready := "0/1"
		if pods.IsReady(p) {
			ready = "1/1"
		}
		status := string(p.Status.Phase)
		if p.DeletionTimestamp != nil {
			status = "Terminating"
		}
		owner := "<none>"
		if ref := metav1.GetControllerOfNoCopy(p); ref != nil {
			owner = ref.Kind + "/" + ref.Name
		}
		node := p.Spec.NodeName
		if node == "" {
			node = "<none>"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, ready, status, age(c.now, p.CreationTimestamp), node, owner)
	}
	w.Flush()
	return b.String()
}

// GetReplicaSets prints the ReplicaSets like `kubectl get rs`.
func (c *Cluster) GetReplicaSets() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	fmt.Fprintln(w, "NAME\tDESIRED\tCURRENT\tREADY\tAGE")
	for _, rs := range c.ReplicaSets() {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%s\n", rs.Name, *rs.Spec.Replicas, rs.Status.Replicas, rs.Status.ReadyReplicas, age(c.now, rs.CreationTimestamp))
	}
	w.Flush()
	return b.String()
}

// GetDeployments prints the Deployments like `kubectl get deployments`.
func (c *Cluster) GetDeployments() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	fmt.Fprintln(w, "NAME\tREADY\tUP-TO-DATE\tAVAILABLE\tAGE")
	for _, d := range c.Deployments() {
		fmt.Fprintf(w, "%s\t%d/%d\t%d\t%d\t%s\n", d.Name, d.Status.ReadyReplicas, *d.Spec.Replicas, d.Status.UpdatedReplicas, d.Status.AvailableReplicas, age(c.now, d.CreationTimestamp))
	}
	w.Flush()
	return b.String()
}

// age prints a duration the way kubectl's AGE column does for short spans.
func age(now time.Time, t metav1.Time) string {
	d := now.Sub(t.Time)
	switch {
	case d < 2*time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < 10*time.Minute:
		m := int(d.Minutes())
		if s := int(d.Seconds()) % 60; s != 0 {
			return fmt.Sprintf("%dm%ds", m, s)
		}
		return fmt.Sprintf("%dm", m)
	default:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
}
