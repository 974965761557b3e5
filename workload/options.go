package workload

import "k8s.io/apimachinery/pkg/util/validation/field"

// A ReplicaSetOption sets one of the ReplicaSet controller's knobs. Without
// options [PlanReplicaSet] behaves as kube-controller-manager v1.36 does with
// its defaults. Each planner has its own option type, so an option one
// planner does not read cannot be passed to it.
type ReplicaSetOption func(*replicaSetConfig)

type replicaSetConfig struct {
	burstReplicas int
}

// BurstReplicas caps how many pods one ReplicaSet sync creates or deletes.
// Upstream's ReplicaSet controller uses 500 (replicaset.BurstReplicas); a
// value below 1 makes PlanReplicaSet return an error.
func BurstReplicas(n int) ReplicaSetOption {
	return func(c *replicaSetConfig) { c.burstReplicas = n }
}

func replicaSetOptions(opts []ReplicaSetOption) (replicaSetConfig, field.ErrorList) {
	c := replicaSetConfig{burstReplicas: 500}
	for _, opt := range opts {
		if opt != nil {
			opt(&c)
		}
	}
	var errs field.ErrorList
	if c.burstReplicas < 1 {
		errs = append(errs, field.Invalid(field.NewPath("options", "burstReplicas"), c.burstReplicas, "must be at least 1"))
	}
	return c, errs
}
