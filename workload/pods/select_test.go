package pods

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"pgregory.net/rapid"
)

func TestSelectForDeletion(t *testing.T) {
	running := func(name string, opts ...opt) *corev1.Pod {
		return mkPod(name, append([]opt{readySince(t0.Add(-time.Hour))}, opts...)...)
	}
	tests := []struct {
		name       string
		candidates []*corev1.Pod
		ranks      []int
		n          int
		want       []string
	}{
		{"n = 0", []*corev1.Pod{running("a")}, nil, 0, nil},
		{"n < 0", []*corev1.Pod{running("a")}, nil, -1, nil},
		{"no candidates", nil, nil, 3, nil},
		{"only nil candidates", []*corev1.Pod{nil, nil}, nil, 1, nil},
		// Upstream deletes all of them without sorting: input order is kept.
		{"n = len keeps input order",
			[]*corev1.Pod{running("b"), mkPod("a", onNode(""))}, nil, 2, []string{"b", "a"}},
		{"n > len keeps input order and skips nil",
			[]*corev1.Pod{running("b"), nil, mkPod("a", onNode(""))}, nil, 5, []string{"b", "a"}},
		{"rules 1, 2, 3 in order",
			[]*corev1.Pod{running("ready"), mkPod("not-ready"), mkPod("pending", phase(corev1.PodPending)), mkPod("unassigned", onNode(""))},
			nil, 3, []string{"unassigned", "pending", "not-ready"}},
		{"cost, then rank",
			[]*corev1.Pod{running("r1"), running("r3"), running("cheap", cost("-1")), running("r2")},
			[]int{1, 3, 0, 2}, 3, []string{"cheap", "r3", "r2"}},
		{"missing ranks are 0",
			[]*corev1.Pod{running("a"), running("b"), running("c")}, []int{0, 1}, 1, []string{"b"}},
		{"nil candidates are skipped",
			[]*corev1.Pod{nil, running("a"), nil, mkPod("b")}, nil, 1, []string{"b"}},
		{"ties by UID",
			[]*corev1.Pod{running("a", uid("3")), running("b", uid("1")), running("c", uid("2"))}, nil, 2, []string{"b", "c"}},
		{"same UID: namespace, then name",
			[]*corev1.Pod{running("b", uid("1")), running("a", uid("1")), running("c", uid("0"))}, nil, 2, []string{"c", "a"}},
		// A run: p1..p3 became ready at the same instant, so rules 7 and 8 order them, not UID;
		// q (another instant, same bucket) sorts by UID against them.
		{"run reordered by restarts",
			[]*corev1.Pod{
				mkPod("q", uid("0"), readySince(t0.Add(-50*time.Minute))),
				mkPod("p1", uid("1"), readySince(t0.Add(-40*time.Minute))),
				mkPod("p2", uid("2"), readySince(t0.Add(-40*time.Minute))),
				mkPod("p3", uid("3"), readySince(t0.Add(-40*time.Minute)), restartCounts(1)),
			}, nil, 2, []string{"q", "p3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SelectForDeletion(tt.candidates, tt.ranks, tt.n, t0)
			if tt.want == nil {
				if got != nil {
					t.Fatalf("got %v, want nil", names(got))
				}
				return
			}
			if diff := cmp.Diff(tt.want, names(got)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestSelectForDeletionCycle pins reckon's answer where upstream's comparison has a cycle:
// p and r became ready at the same instant and r has more restarts (r before p), but q, ready at
// another instant of the same bucket, has a UID between theirs (p before q before r by UID).
// Upstream's result depends on the input order; reckon's is rule P then R of the package
// documentation: by UID p, q, r, three runs of one pod each.
func TestSelectForDeletionCycle(t *testing.T) {
	at := t0.Add(-40 * time.Minute)
	p := mkPod("p", uid("1"), readySince(at))
	q := mkPod("q", uid("2"), readySince(at.Add(-time.Minute)))
	r := mkPod("r", uid("3"), readySince(at), restartCounts(1))
	if !DeletionLess(r, p, 0, 0, t0) || !DeletionLess(p, q, 0, 0, t0) || !DeletionLess(q, r, 0, 0, t0) {
		t.Fatal("fixture is not a cycle of DeletionLess")
	}
	for _, in := range [][]*corev1.Pod{{p, q, r}, {r, q, p}, {q, r, p}} {
		if got := names(SelectForDeletion(in, nil, 2, t0)); !slices.Equal(got, []string{"p", "q"}) {
			t.Errorf("input %v: got %v, want [p q]", names(in), got)
		}
	}
}

func TestSelectForDeletionDoesNotMutate(t *testing.T) {
	in := []*corev1.Pod{mkPod("b", readySince(t0)), mkPod("a"), nil, mkPod("c", cost("-3"))}
	ranks := []int{2, 0, 5, 1}
	before := deepCopyPods(in)
	ranksBefore := slices.Clone(ranks)
	_ = SelectForDeletion(in, ranks, 2, t0)
	if diff := cmp.Diff(before, in); diff != "" {
		t.Errorf("input changed (-before +after)\n%s", diff)
	}
	if !slices.Equal(ranks, ranksBefore) {
		t.Errorf("ranks changed: %v -> %v", ranksBefore, ranks)
	}
}

func deepCopyPods(ps []*corev1.Pod) []*corev1.Pod {
	if ps == nil {
		return nil
	}
	out := make([]*corev1.Pod, len(ps))
	for i, p := range ps {
		if p != nil {
			out[i] = p.DeepCopy()
		}
	}
	return out
}

// genSelectCase draws scale-down inputs with many ties: few nodes, phases, costs and restart
// counts, and timestamps from a small set spanning zero, the future, bucket edges and equal
// instants. Half of the cases are "crowded": running, ready pods equal under rules 1-5 whose ready
// times share one log2 bucket, where upstream's comparison often has cycles.
type selectCase struct {
	pods  []*corev1.Pod
	ranks []int
	now   time.Time
}

func genSelectCase(t *rapid.T) selectCase {
	times := []time.Time{
		{}, t0, t0.Add(time.Minute), t0.Add(-1), t0.Add(-(1 << 35)), t0.Add(-(1<<35 - 1)),
		t0.Add(-40 * time.Minute), t0.Add(-40*time.Minute - time.Second), t0.Add(-50 * time.Minute),
		t0.Add(-time.Hour), t0.Add(-100 * time.Hour),
	}
	crowdedTimes := []time.Time{t0.Add(-40 * time.Minute), t0.Add(-40*time.Minute - time.Second), t0.Add(-50 * time.Minute)}
	crowded := rapid.Bool().Draw(t, "crowded")
	n := rapid.IntRange(0, 12).Draw(t, "n")
	c := selectCase{now: t0}
	if !crowded && rapid.IntRange(0, 9).Draw(t, "zeroNow") == 0 {
		c.now = time.Time{}
	}
	for i := range n {
		p := mkPod(fmt.Sprintf("p%02d", i),
			uid(rapid.SampledFrom([]string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}).Draw(t, "uid")),
			created(rapid.SampledFrom(times).Draw(t, "created")),
		)
		p.Namespace = rapid.SampledFrom([]string{"ns", "ns2"}).Draw(t, "ns")
		restartCounts(int32(rapid.IntRange(0, 1).Draw(t, "restarts")))(p)
		if rapid.Bool().Draw(t, "sidecar") {
			initContainer("sc", rapid.Bool().Draw(t, "restartable"), int32(rapid.IntRange(0, 1).Draw(t, "sidecarRestarts")))(p)
		}
		if crowded {
			readySince(rapid.SampledFrom(crowdedTimes).Draw(t, "readySince"))(p)
			c.pods = append(c.pods, p)
			c.ranks = append(c.ranks, 0)
			continue
		}
		onNode(rapid.SampledFrom([]string{"", "n1", "n2"}).Draw(t, "node"))(p)
		phase(rapid.SampledFrom([]corev1.PodPhase{corev1.PodRunning, corev1.PodRunning, corev1.PodPending, corev1.PodUnknown, ""}).Draw(t, "phase"))(p)
		switch rapid.IntRange(0, 3).Draw(t, "ready") {
		case 0:
		case 1:
			cond(corev1.PodReady, corev1.ConditionFalse, rapid.SampledFrom(times).Draw(t, "notReadySince"))(p)
		default:
			readySince(rapid.SampledFrom(times).Draw(t, "readySince"))(p)
		}
		if v := rapid.SampledFrom([]string{"-", "0", "-1", "5", "+1", "008"}).Draw(t, "cost"); v != "-" {
			cost(v)(p)
		}
		c.pods = append(c.pods, p)
		c.ranks = append(c.ranks, rapid.IntRange(0, 2).Draw(t, "rank"))
	}
	return c
}

// fullOrder is the specification of SelectForDeletion's order written as a full sort (rules P and R
// of the package documentation), for checking the partial selection against.
func fullOrder(c selectCase) []*corev1.Pod {
	r := newRanker(c.now)
	ks := make([]key, len(c.pods))
	for i, p := range c.pods {
		ks[i] = r.head(p, c.ranks[i], i)
		r.finish(&ks[i])
	}
	sortKeys(ks, r.cmpP)
	r.orderRuns(ks)
	out := make([]*corev1.Pod, len(ks))
	for i := range ks {
		out[i] = ks[i].pod
	}
	return out
}

// strictWeak reports whether DeletionLess is a strict weak ordering on c's pods: irreflexive,
// transitive, and with transitive incomparability.
func strictWeak(c selectCase) bool {
	n := len(c.pods)
	less := func(i, j int) bool { return DeletionLess(c.pods[i], c.pods[j], c.ranks[i], c.ranks[j], c.now) }
	for i := range n {
		if less(i, i) {
			return false
		}
		for j := range n {
			for k := range n {
				if less(i, j) && less(j, k) && !less(i, k) {
					return false
				}
				inc := func(x, y int) bool { return !less(x, y) && !less(y, x) }
				if inc(i, j) && inc(j, k) && !inc(i, k) {
					return false
				}
			}
		}
	}
	return true
}

func identityLess(a, b *corev1.Pod) int {
	return cmpOr(strings.Compare(string(a.UID), string(b.UID)),
		strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Name, b.Name))
}

func cmpOr(cs ...int) int {
	for _, c := range cs {
		if c != 0 {
			return c
		}
	}
	return 0
}

// TestSelectForDeletionMatchesSort: wherever upstream's comparison is a strict weak ordering (so
// that sorting by it is well defined), SelectForDeletion(k) is the first k pods of a stable sort by
// DeletionLess with ties broken by UID, namespace, name and input position.
func TestSelectForDeletionMatchesSort(t *testing.T) {
	consistent, total := 0, 0
	rapid.Check(t, func(t *rapid.T) {
		c := genSelectCase(t)
		total++
		if !strictWeak(c) {
			return
		}
		consistent++
		idx := make([]int, len(c.pods))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(x, y int) bool {
			i, j := idx[x], idx[y]
			if DeletionLess(c.pods[i], c.pods[j], c.ranks[i], c.ranks[j], c.now) {
				return true
			}
			if DeletionLess(c.pods[j], c.pods[i], c.ranks[j], c.ranks[i], c.now) {
				return false
			}
			return identityLess(c.pods[i], c.pods[j]) < 0
		})
		want := make([]string, len(idx))
		for x, i := range idx {
			want[x] = c.pods[i].Name
		}
		for k := 1; k < len(c.pods); k++ {
			got := names(SelectForDeletion(c.pods, c.ranks, k, c.now))
			if !slices.Equal(got, want[:k]) {
				t.Fatalf("k=%d: got %v, want %v", k, got, want[:k])
			}
		}
	})
	if consistent*4 < total {
		t.Errorf("only %d of %d generated cases were strict weak orderings; the property was barely exercised", consistent, total)
	}
}

// TestSelectForDeletionProperties holds on every input, including those where upstream's
// comparison has cycles.
func TestSelectForDeletionProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genSelectCase(t)
		before := deepCopyPods(c.pods)
		full := names(fullOrder(c))
		for k := 1; k < len(c.pods); k++ {
			got := SelectForDeletion(c.pods, c.ranks, k, c.now)
			// Partial selection is the prefix of the full order.
			if !slices.Equal(names(got), full[:k]) {
				t.Fatalf("k=%d: got %v, want prefix of %v", k, names(got), full)
			}
			// Any input order gives the same answer (names are unique in generated cases).
			perm := rapid.Permutation(seq(len(c.pods))).Draw(t, "perm")
			ps, rs := make([]*corev1.Pod, len(perm)), make([]int, len(perm))
			for x, i := range perm {
				ps[x], rs[x] = c.pods[i], c.ranks[i]
			}
			if again := SelectForDeletion(ps, rs, k, c.now); !slices.Equal(names(again), names(got)) {
				t.Fatalf("k=%d: permuted input gave %v, want %v", k, names(again), names(got))
			}
		}
		if diff := cmp.Diff(before, c.pods); diff != "" {
			t.Fatalf("input changed (-before +after)\n%s", diff)
		}
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
