package workloadtest

import (
	"fmt"

	"github.com/reckon-k8s/reckon/workload"
)

// A Sync is one controller sync run against the cluster: the plan, how
// applying it ended, and a transcript of what happened.
type Sync struct {
	Plan   workload.Plan
	Result workload.Result
	// Log has an entry per write sent and per event recorded, in order.
	Log []Entry
}

// Lines prints the log, one line per entry.
func (s Sync) Lines() []string {
	lines := make([]string, len(s.Log))
	for i, e := range s.Log {
		lines[i] = e.String()
	}
	return lines
}

// ApplyPlan applies plan to the cluster with [workload.Apply], as the sync
// of subject: the events it records are about subject.
func (c *Cluster) ApplyPlan(subject workload.Object, plan workload.Plan) Sync {
	ns := subject.GetNamespace()
	if ns == "" {
		ns = c.Namespace
	}
	c.subject = objectRef{Kind: kindOf(subject), Namespace: ns, Name: subject.GetName()}
	c.log = nil
	res := workload.Apply(plan, c)
	s := Sync{Plan: plan, Result: res, Log: c.log}
	c.log = nil
	return s
}

// SyncReplicaSet plans one sync of the named ReplicaSet with every pod and
// ReplicaSet of the namespace, as an informer would list them, and applies
// it. Expectations are always satisfied: the cluster's writes are visible at
// once.
func (c *Cluster) SyncReplicaSet(name string, opts ...workload.ReplicaSetOption) (Sync, error) {
	rs := c.ReplicaSet(name)
	if rs == nil {
		return Sync{}, fmt.Errorf("replicasets.apps %q not found", name)
	}
	plan, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: c.Pods(), ReplicaSets: c.ReplicaSets()}, c.now, opts...)
	if err != nil {
		return Sync{}, err
	}
	return c.ApplyPlan(rs, plan), nil
}

// SyncReplicaSets syncs every ReplicaSet of the namespace once, in name
// order, and returns the transcript lines, each prefixed with the
// ReplicaSet's name.
func (c *Cluster) SyncReplicaSets(opts ...workload.ReplicaSetOption) ([]string, error) {
	var lines []string
	for _, rs := range c.ReplicaSets() {
		s, err := c.SyncReplicaSet(rs.Name, opts...)
		if err != nil {
			return lines, err
		}
		for _, l := range s.Lines() {
			lines = append(lines, rs.Name+": "+l)
		}
	}
	return lines, nil
}

// SyncDeployment plans one sync of the named Deployment with every
// ReplicaSet and pod of the namespace and applies it.
func (c *Cluster) SyncDeployment(name string) (Sync, error) {
	d := c.Deployment(name)
	if d == nil {
		return Sync{}, fmt.Errorf("deployments.apps %q not found", name)
	}
	plan, err := workload.PlanDeployment(d, workload.DeploymentState{ReplicaSets: c.ReplicaSets(), Pods: c.Pods()}, c.now)
	if err != nil {
		return Sync{}, err
	}
	return c.ApplyPlan(d, plan), nil
}
