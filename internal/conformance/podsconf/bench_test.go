package podsconf

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/kubernetes/pkg/controller"

	"github.com/reckon-k8s/reckon/workload/pods"
)

// benchScaleDown is a ReplicaSet of n pods on n/100 nodes as a cluster holds them (mostly running
// and ready for up to three hours, some not ready, a few pending and unscheduled, a few restarted,
// 1% with a deletion cost), with nanosecond timestamps and unique UIDs so that upstream's sort has
// one answer. The same shape as workload/pods' benchmark data.
func benchScaleDown(n int) scaleDown {
	rng := rand.New(rand.NewPCG(1, 2))
	nodes := max(n/100, 1)
	c := scaleDown{now: now0, pods: make([]*corev1.Pod, n)}
	for i := range c.pods {
		created := now0.Add(-time.Duration(rng.Int64N(int64(3 * time.Hour))))
		p := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{
				Name:              fmt.Sprintf("web-%06d", i),
				Namespace:         "prod",
				UID:               types.UID(fmt.Sprintf("%08x-%04x", rng.Uint32(), i)),
				CreationTimestamp: metav1.NewTime(created),
			},
			Spec:   corev1.PodSpec{NodeName: fmt.Sprintf("node-%04d", rng.IntN(nodes))},
			Status: corev1.PodStatus{Phase: corev1.PodRunning},
		}
		switch r := rng.IntN(100); {
		case r < 2:
			p.Spec.NodeName = ""
			p.Status.Phase = corev1.PodPending
		case r < 7:
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse}}
		default:
			since := created.Add(time.Duration(rng.Int64N(int64(time.Minute))))
			p.Status.Conditions = []corev1.PodCondition{
				{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
				{Type: corev1.PodInitialized, Status: corev1.ConditionTrue},
				{Type: corev1.ContainersReady, Status: corev1.ConditionTrue},
				{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(since)},
			}
		}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "web", RestartCount: int32(max(rng.IntN(20)-16, 0))}}
		if rng.IntN(100) == 0 {
			p.Annotations = map[string]string{corev1.PodDeletionCost: fmt.Sprint(rng.IntN(200) - 100)}
		}
		c.pods[i] = p
	}
	c.ranks = pods.CoLocationRanks(c.pods, c.pods)
	return c
}

// upstreamFirst is upstream's getPodsToDelete for k < len: sort everything, keep the first k.
func upstreamFirst(c scaleDown, k int) []*corev1.Pod {
	s := controller.ActivePodsWithRanks{Pods: slices.Clone(c.pods), Rank: slices.Clone(c.ranks), Now: metav1.NewTime(c.now)}
	sort.Sort(s)
	return s.Pods[:k]
}

// TestBenchmarkDataSamePods: on the benchmark's data reckon deletes the same pods, in the same
// order, as upstream.
func TestBenchmarkDataSamePods(t *testing.T) {
	c := benchScaleDown(100_000)
	sorted := upstreamFirst(c, len(c.pods))
	for _, k := range []int{1, 10, 500} {
		want := sorted[:k]
		if got := pods.SelectForDeletion(c.pods, c.ranks, k, c.now); !slices.Equal(got, want) {
			t.Errorf("k=%d: reckon %v, upstream %v", k, podNames(got), podNames(want))
		}
	}
}

// BenchmarkScaleDown chooses 10 of 100,000 pods: reckon's partial selection against upstream's
// full sort.Sort of ActivePodsWithRanks (including the copies of the pod and rank slices that
// sorting in place needs). Compare with benchstat -col /impl.
func BenchmarkScaleDown(b *testing.B) {
	c := benchScaleDown(100_000)
	b.Run("impl=reckon", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pods.SelectForDeletion(c.pods, c.ranks, 10, c.now)
		}
	})
	b.Run("impl=upstream", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			upstreamFirst(c, 10)
		}
	})
}
