package pods

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
)

// benchPods returns n pods of one ReplicaSet spread over n/100 nodes, as a cluster would hold
// them: most running and ready for up to three hours, some not ready, a few pending and
// unscheduled, a few restarted, 1% with a deletion cost. Timestamps have nanosecond precision and
// UIDs are distinct, so upstream's comparison is a strict total order and a full sort has exactly
// one answer; ranks come from CoLocationRanks.
func benchPods(n int) ([]*corev1.Pod, []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	nodes := max(n/100, 1)
	ps := make([]*corev1.Pod, n)
	for i := range ps {
		created := t0.Add(-time.Duration(rng.Int64N(int64(3 * time.Hour))))
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
		ps[i] = p
	}
	return ps, CoLocationRanks(ps, ps)
}

// byDeletionLess sorts pods with DeletionLess, as upstream's sort.Sort(ActivePodsWithRanks) does.
type byDeletionLess struct {
	pods  []*corev1.Pod
	ranks []int
	now   time.Time
}

func (s byDeletionLess) Len() int { return len(s.pods) }
func (s byDeletionLess) Less(i, j int) bool {
	return DeletionLess(s.pods[i], s.pods[j], s.ranks[i], s.ranks[j], s.now)
}
func (s byDeletionLess) Swap(i, j int) {
	s.pods[i], s.pods[j] = s.pods[j], s.pods[i]
	s.ranks[i], s.ranks[j] = s.ranks[j], s.ranks[i]
}

// sortAll is the upstream approach: copy, sort everything, keep the first k.
func sortAll(ps []*corev1.Pod, ranks []int, k int, now time.Time) []*corev1.Pod {
	s := byDeletionLess{slices.Clone(ps), slices.Clone(ranks), now}
	sort.Sort(s)
	return s.pods[:k]
}

// TestBenchmarkSelectionMatchesSort: on data of the benchmark's shape the partial selection picks
// the same pods, in the same order, as a full sort by upstream's comparison. It uses 20,000 pods
// to stay fast under -race; internal/conformance/podsconf checks the benchmark's 100,000 pods
// against upstream's own sort.
func TestBenchmarkSelectionMatchesSort(t *testing.T) {
	ps, ranks := benchPods(20_000)
	sorted := sortAll(ps, ranks, len(ps), t0)
	for _, k := range []int{1, 10, 500} {
		if got := names(SelectForDeletion(ps, ranks, k, t0)); !slices.Equal(got, names(sorted[:k])) {
			t.Errorf("k=%d: got %v, want %v", k, got, names(sorted[:k]))
		}
	}
}

// BenchmarkScaleDown chooses 10 of 100,000 pods by partial selection (impl=select) and by a full
// sort.Sort with the same comparison (impl=sort), side by side: benchstat -col /impl.
func BenchmarkScaleDown(b *testing.B) {
	ps, ranks := benchPods(100_000)
	b.Run("impl=select", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			SelectForDeletion(ps, ranks, 10, t0)
		}
	})
	b.Run("impl=sort", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sortAll(ps, ranks, 10, t0)
		}
	})
}

// TestSelectForDeletionAllocations: the number of allocations does not grow with the number of
// candidates, also when the boundary falls in a long run of pods that became ready at the same
// instant (here: ready pods equal under rules 1-5 with times truncated to the minute).
func TestSelectForDeletionAllocations(t *testing.T) {
	for _, n := range []int{1_000, 10_000} {
		all, _ := benchPods(n)
		var ps []*corev1.Pod
		for _, p := range all {
			if IsReady(p) && p.Spec.NodeName != "" && p.Annotations == nil {
				p.CreationTimestamp.Time = p.CreationTimestamp.Truncate(time.Minute)
				for i := range p.Status.Conditions {
					c := &p.Status.Conditions[i]
					c.LastTransitionTime.Time = c.LastTransitionTime.Truncate(time.Minute)
				}
				ps = append(ps, p)
			}
		}
		ranks := make([]int, len(ps))
		if allocs := testing.AllocsPerRun(5, func() { SelectForDeletion(ps, ranks, 10, t0) }); allocs > 2 {
			t.Errorf("%d pods: %v allocations per call, want at most 2 (the selection and the result)", len(ps), allocs)
		}
	}
}
