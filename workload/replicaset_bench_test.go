package workload_test

import (
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/workload"
)

// BenchmarkPlanReplicaSet plans one sync over n owned, ready pods: at
// steady state (nothing to do) and scaling down by 10.
func BenchmarkPlanReplicaSet(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		rs := newRS("frontend", int32(n))
		ps := make([]*corev1.Pod, n)
		for i := range ps {
			ps[i] = newPod(fmt.Sprintf("frontend-%06d", i), ownedBy(rs), readySince(t0.Add(-time.Duration(i+1)*time.Second)))
			ps[i].UID = types.UID(fmt.Sprintf("uid-%06d", i))
			ps[i].Spec.NodeName = fmt.Sprintf("node-%d", i%100)
		}
		b.Run(fmt.Sprintf("steady/pods=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: ps}, t0); err != nil {
					b.Fatal(err)
				}
			}
		})
		down := rs.DeepCopy()
		down.Spec.Replicas = new(int32(n - 10))
		b.Run(fmt.Sprintf("scale-down-10/pods=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := workload.PlanReplicaSet(down, workload.ReplicaSetState{Pods: ps}, t0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
