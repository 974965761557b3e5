package sim

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/internal/podcond"
)

// GetPods prints the pods like `kubectl get pods -o wide`, with the
// controller owning each pod.
func (c *Cluster) GetPods() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	fmt.Fprintln(w, "NAME\tREADY\tSTATUS\tAGE\tNODE\tCONTROLLED BY")
	for _, p := range c.Pods() {
		ready := "0/1"
		if podcond.IsReady(p) {
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
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, ready, status, age(c.Now, p.CreationTimestamp), node, owner)
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
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%s\n", rs.Name, desired(rs), rs.Status.Replicas, rs.Status.ReadyReplicas, age(c.Now, rs.CreationTimestamp))
	}
	w.Flush()
	return b.String()
}

// ReplicaSetStatusLine prints a ReplicaSet status on one line.
func ReplicaSetStatusLine(st appsv1.ReplicaSetStatus) string {
	term := "nil"
	if st.TerminatingReplicas != nil {
		term = fmt.Sprint(*st.TerminatingReplicas)
	}
	s := fmt.Sprintf("replicas=%d fullyLabeled=%d ready=%d available=%d terminating=%s observedGeneration=%d",
		st.Replicas, st.FullyLabeledReplicas, st.ReadyReplicas, st.AvailableReplicas, term, st.ObservedGeneration)
	for _, c := range st.Conditions {
		s += fmt.Sprintf(" condition=%s:%s:%s", c.Type, c.Status, c.Reason)
	}
	return s
}

func desired(rs *appsv1.ReplicaSet) int32 {
	if rs.Spec.Replicas == nil {
		return 1
	}
	return *rs.Spec.Replicas
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
