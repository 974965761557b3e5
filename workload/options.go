package workload

// An Option adjusts one of the few knobs upstream exposes as controller flags.
// Without options a planner behaves as kube-controller-manager v1.36 does with
// its defaults.
type Option func(*options)

type options struct {
	burstReplicas int
}

func defaultOptions() options {
	return options{burstReplicas: 500}
}

func applyOptions(opts []Option) options {
	o := defaultOptions()
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// BurstReplicas caps how many pods one sync creates or deletes. Upstream's
// ReplicaSet controller uses 500 (replicaset.BurstReplicas); values below 1
// are ignored.
func BurstReplicas(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.burstReplicas = n
		}
	}
}
