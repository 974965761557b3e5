package pods

import (
	"math"
	"strconv"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"
)

// Expected values in this file are reasoned from upstream k8s.io/kubernetes@v1.36.3
// controller.ActivePodsWithRanks.Less (pkg/controller/controller_utils.go) with LogarithmicScaleDown
// and PodDeletionCost on, helper.GetDeletionCostFromPodAnnotations (pkg/apis/core/helper) and
// getPodsRankedByRelatedPodsOnSameNode (pkg/controller/replicaset/replica_set.go). The nested
// module internal/conformance/podsconf checks the same functions against the upstream code itself.

// lessCase compares a and b; want is -1 when a is deleted first, +1 when b is, 0 when upstream
// leaves them tied (Less false both ways).
type lessCase struct {
	name         string
	a, b         *corev1.Pod
	rankA, rankB int
	now          time.Time // t0 unless zeroNow
	zeroNow      bool
	want         int
}

func runLessCases(t *testing.T, tests []lessCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := t0
			if tt.zeroNow {
				now = time.Time{}
			}
			ab := DeletionLess(tt.a, tt.b, tt.rankA, tt.rankB, now)
			ba := DeletionLess(tt.b, tt.a, tt.rankB, tt.rankA, now)
			if ab != (tt.want < 0) || ba != (tt.want > 0) {
				t.Errorf("DeletionLess(a,b)=%v DeletionLess(b,a)=%v, want order %d", ab, ba, tt.want)
			}
		})
	}
}

func TestDeletionLessRule1Unassigned(t *testing.T) {
	runLessCases(t, []lessCase{
		{name: "unassigned before assigned", a: mkPod("a", onNode("")), b: mkPod("b"), want: -1},
		{name: "unassigned before assigned even if running vs pending",
			a: mkPod("a", onNode("")), b: mkPod("b", phase(corev1.PodPending)), want: -1},
		{name: "unassigned before assigned even if rank is lower",
			a: mkPod("a", onNode("")), b: mkPod("b"), rankA: 0, rankB: 9, want: -1},
		{name: "both unassigned: not decided here", a: mkPod("a", onNode("")), b: mkPod("b", onNode("")), want: 0},
		{name: "different nodes: not decided here", a: mkPod("a"), b: mkPod("b", onNode("node-2")), want: 0},
	})
}

func TestDeletionLessRule2Phase(t *testing.T) {
	runLessCases(t, []lessCase{
		{name: "pending before running", a: mkPod("a", phase(corev1.PodPending)), b: mkPod("b"), want: -1},
		{name: "unknown before running", a: mkPod("a", phase(corev1.PodUnknown)), b: mkPod("b"), want: -1},
		{name: "pending before unknown", a: mkPod("a", phase(corev1.PodPending)), b: mkPod("b", phase(corev1.PodUnknown)), want: -1},
		{name: "empty phase ranks as pending", a: mkPod("a", phase("")), b: mkPod("b", phase(corev1.PodPending)), want: 0},
		{name: "empty phase before unknown", a: mkPod("a", phase("")), b: mkPod("b", phase(corev1.PodUnknown)), want: -1},
		{name: "succeeded ranks as pending", a: mkPod("a", phase(corev1.PodSucceeded)), b: mkPod("b", phase(corev1.PodPending)), want: 0},
		{name: "failed before running", a: mkPod("a", phase(corev1.PodFailed)), b: mkPod("b"), want: -1},
		{name: "phase before readiness", a: mkPod("a", phase(corev1.PodPending), readySince(t0)), b: mkPod("b"), want: -1},
	})
}

func TestDeletionLessRule3Readiness(t *testing.T) {
	runLessCases(t, []lessCase{
		{name: "not ready before ready", a: mkPod("a"), b: mkPod("b", readySince(t0)), want: -1},
		{name: "ready unknown is not ready",
			a: mkPod("a", cond(corev1.PodReady, corev1.ConditionUnknown, t0)), b: mkPod("b", readySince(t0)), want: -1},
		{name: "only the first ready condition counts",
			a: mkPod("a", cond(corev1.PodReady, corev1.ConditionFalse, t0), readySince(t0)), b: mkPod("b", readySince(t0)), want: -1},
		{name: "readiness before cost", a: mkPod("a", cost("100")), b: mkPod("b", readySince(t0), cost("-100")), want: -1},
	})
}

func TestDeletionLessRule4Cost(t *testing.T) {
	runLessCases(t, []lessCase{
		{name: "-5 before none", a: mkPod("a", cost("-5")), b: mkPod("b"), want: -1},
		{name: "2 before 10", a: mkPod("a", cost("10")), b: mkPod("b", cost("2")), want: 1},
		{name: "0 before 1", a: mkPod("a", cost("0")), b: mkPod("b", cost("1")), want: -1},
		{name: "+1 is invalid, reads 0", a: mkPod("a", cost("+1")), b: mkPod("b", cost("0")), want: 0},
		{name: "008 is invalid, reads 0", a: mkPod("a", cost("008")), b: mkPod("b"), want: 0},
		{name: "008 is invalid: before 1", a: mkPod("a", cost("008")), b: mkPod("b", cost("1")), want: -1},
		{name: "empty reads 0", a: mkPod("a", cost("")), b: mkPod("b", cost("1")), want: -1},
		{name: "overflow reads 0", a: mkPod("a", cost("2147483648")), b: mkPod("b", cost("1")), want: -1},
		{name: "int32 extremes", a: mkPod("a", cost("-2147483648")), b: mkPod("b", cost("2147483647")), want: -1},
		{name: "-007 is accepted as -7", a: mkPod("a", cost("-007")), b: mkPod("b", cost("-6")), want: -1},
		{name: "cost before rank", a: mkPod("a", cost("-1")), b: mkPod("b"), rankA: 0, rankB: 5, want: -1},
	})
}

func TestDeletionCost(t *testing.T) {
	tests := []struct {
		value string
		set   bool
		want  int32
	}{
		{"", false, 0},
		{"", true, 0},
		{"0", true, 0},
		{"1", true, 1},
		{"-5", true, -5},
		{"100", true, 100},
		{"+1", true, 0},
		{"008", true, 0},
		{"00", true, 0},
		{"-0", true, 0},
		{"-", true, 0},
		{"-007", true, -7},
		{" 1", true, 0},
		{"1 ", true, 0},
		{"1_000", true, 0},
		{"1e3", true, 0},
		{"0x10", true, 0},
		{"2147483647", true, math.MaxInt32},
		{"2147483648", true, 0},
		{"-2147483648", true, math.MinInt32},
		{"-2147483649", true, 0},
		{"99999999999999999999999", true, 0},
		{"１", true, 0}, // full-width digit
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.value), func(t *testing.T) {
			p := mkPod("a")
			if tt.set {
				cost(tt.value)(p)
			}
			if got := DeletionCost(p); got != tt.want {
				t.Errorf("DeletionCost = %d, want %d", got, tt.want)
			}
		})
	}
	if got := DeletionCost(nil); got != 0 {
		t.Errorf("DeletionCost(nil) = %d, want 0", got)
	}
}

func TestDeletionLessRule5Rank(t *testing.T) {
	runLessCases(t, []lessCase{
		{name: "higher rank first", a: mkPod("a"), b: mkPod("b"), rankA: 3, rankB: 1, want: -1},
		{name: "lower rank later", a: mkPod("a"), b: mkPod("b"), rankA: 0, rankB: 1, want: 1},
		{name: "rank before ready time",
			a: mkPod("a", readySince(t0.Add(-100*time.Hour))), b: mkPod("b", readySince(t0.Add(-time.Second))),
			rankA: 2, rankB: 1, want: -1},
	})
}

func TestDeletionLessRule6ReadyTime(t *testing.T) {
	var zero time.Time
	// Buckets are int64(log2(now-t in ns)): 1m ≈ 2^35.8 → 35, 1h ≈ 2^41.7 → 41, 40m → 41, 50m → 41.
	runLessCases(t, []lessCase{
		{name: "younger bucket first", a: mkPod("a", uid("z"), readySince(t0.Add(-time.Minute))),
			b: mkPod("b", uid("a"), readySince(t0.Add(-time.Hour))), want: -1},
		{name: "same bucket: smaller UID first, not the more recent", a: mkPod("a", uid("b"), readySince(t0.Add(-40*time.Minute))),
			b: mkPod("b", uid("a"), readySince(t0.Add(-50*time.Minute))), want: 1},
		{name: "same bucket: smaller UID first", a: mkPod("a", uid("a"), readySince(t0.Add(-40*time.Minute))),
			b: mkPod("b", uid("b"), readySince(t0.Add(-50*time.Minute))), want: -1},
		{name: "bucket edge: 2^35-1ns is bucket 34, 2^35ns is 35",
			a: mkPod("a", uid("z"), readySince(t0.Add(-(1<<35 - 1)))), b: mkPod("b", uid("a"), readySince(t0.Add(-(1 << 35)))), want: -1},
		{name: "float rounding: 2^53-1ns rounds into bucket 53, same as 2^53ns",
			a: mkPod("a", uid("z"), readySince(t0.Add(-(1<<53 - 1)))), b: mkPod("b", uid("a"), readySince(t0.Add(-(1 << 53)))), want: 1},
		{name: "age 0 is bucket -1, before age 1ns (bucket 0)",
			a: mkPod("a", uid("z"), readySince(t0)), b: mkPod("b", uid("a"), readySince(t0.Add(-1))), want: -1},
		{name: "future and now share bucket -1: UID decides",
			a: mkPod("a", uid("z"), readySince(t0)), b: mkPod("b", uid("a"), readySince(t0.Add(time.Hour))), want: 1},
		{name: "zero ready time first", a: mkPod("a", uid("z"), readySince(zero)),
			b: mkPod("b", uid("a"), readySince(t0.Add(-time.Second))), want: -1},
		{name: "both zero: same instant falls through to restarts",
			a: mkPod("a", uid("z"), readySince(zero), restartCounts(1)), b: mkPod("b", uid("a"), readySince(zero)), want: -1},
		{name: "same instant falls through to restarts, not UID",
			a: mkPod("a", uid("z"), readySince(t0.Add(-time.Hour)), restartCounts(2)),
			b: mkPod("b", uid("a"), readySince(t0.Add(-time.Hour))), want: -1},
		{name: "same instant, same restarts: falls through to creation",
			a: mkPod("a", uid("z"), readySince(t0.Add(-time.Hour)), created(t0.Add(-time.Minute))),
			b: mkPod("b", uid("a"), readySince(t0.Add(-time.Hour)), created(t0.Add(-time.Hour))), want: -1},
		{name: "same bucket and same UID: tied, restarts not consulted",
			a: mkPod("a", uid("u"), readySince(t0.Add(-40*time.Minute)), restartCounts(5)),
			b: mkPod("b", uid("u"), readySince(t0.Add(-50*time.Minute))), want: 0},
		{name: "zero now: later ready time first, UID ignored", zeroNow: true,
			a: mkPod("a", uid("a"), readySince(t0.Add(-50*time.Minute))), b: mkPod("b", uid("b"), readySince(t0.Add(-40*time.Minute))), want: 1},
		{name: "zero now: zero ready time first", zeroNow: true,
			a: mkPod("a", uid("z"), readySince(zero)), b: mkPod("b", uid("a"), readySince(t0)), want: -1},
		{name: "not ready pods skip the rule",
			a: mkPod("a", uid("a"), cond(corev1.PodReady, corev1.ConditionFalse, t0.Add(-time.Hour))),
			b: mkPod("b", uid("b"), cond(corev1.PodReady, corev1.ConditionFalse, t0)), want: 0},
	})
}

func TestDeletionLessRule7Restarts(t *testing.T) {
	runLessCases(t, []lessCase{
		{name: "max restarts over containers", a: mkPod("a", restartCounts(1, 3)), b: mkPod("b", restartCounts(2, 2)), want: -1},
		{name: "no statuses is zero", a: mkPod("a"), b: mkPod("b", restartCounts(1)), want: 1},
		{name: "negative counts read as zero", a: mkPod("a", restartCounts(-3)), b: mkPod("b"), want: 0},
		{name: "restartable init containers break ties",
			a: mkPod("a", restartCounts(1), initContainer("sidecar", true, 4)),
			b: mkPod("b", restartCounts(1), initContainer("sidecar", true, 1)), want: -1},
		{name: "regular restarts before sidecar restarts",
			a: mkPod("a", restartCounts(1)), b: mkPod("b", initContainer("sidecar", true, 9)), want: -1},
		{name: "plain init containers are ignored",
			a: mkPod("a", initContainer("init", false, 9)), b: mkPod("b"), want: 0},
		{name: "init status without a restartable spec is ignored",
			a: mkPod("a", func(p *corev1.Pod) {
				p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "ghost", RestartCount: 7}}
			}), b: mkPod("b"), want: 0},
		{name: "restartPolicy on any same-named init container counts",
			a: mkPod("a", initContainer("x", false, 3), func(p *corev1.Pod) {
				p.Spec.InitContainers = append(p.Spec.InitContainers,
					corev1.Container{Name: "x", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways)})
			}), b: mkPod("b"), want: -1},
		{name: "restarts before creation time",
			a: mkPod("a", restartCounts(1), created(t0.Add(-100*time.Hour))), b: mkPod("b", created(t0)), want: -1},
	})
}

func TestDeletionLessRule8Creation(t *testing.T) {
	var zero time.Time
	runLessCases(t, []lessCase{
		{name: "younger bucket first", a: mkPod("a", uid("z"), created(t0.Add(-time.Minute))),
			b: mkPod("b", uid("a"), created(t0.Add(-time.Hour))), want: -1},
		{name: "same bucket: smaller UID first", a: mkPod("a", uid("b"), created(t0.Add(-40*time.Minute))),
			b: mkPod("b", uid("a"), created(t0.Add(-50*time.Minute))), want: 1},
		{name: "zero creation time first", a: mkPod("a", uid("z"), created(zero)), b: mkPod("b", uid("a"), created(t0)), want: -1},
		{name: "future creation is bucket -1", a: mkPod("a", uid("z"), created(t0.Add(time.Second))),
			b: mkPod("b", uid("a"), created(t0.Add(-1))), want: -1},
		{name: "zero now: newer first", zeroNow: true, a: mkPod("a", uid("a"), created(t0.Add(-50*time.Minute))),
			b: mkPod("b", uid("b"), created(t0.Add(-40*time.Minute))), want: 1},
		{name: "same instant: tied", a: mkPod("a", uid("a")), b: mkPod("b", uid("b")), want: 0},
		{name: "same instant in another location: tied",
			a: mkPod("a", uid("a"), created(t0)), b: mkPod("b", uid("b"), created(t0.In(time.FixedZone("X", 3600)))), want: 0},
	})
}

func TestDeletionLessRule9Equal(t *testing.T) {
	runLessCases(t, []lessCase{
		{name: "identical pods", a: mkPod("a"), b: mkPod("a"), want: 0},
		{name: "identical but for name and UID", a: mkPod("a", readySince(t0)), b: mkPod("b", readySince(t0)), want: 0},
		{name: "nil is never first", a: nil, b: mkPod("b"), want: 1},
		{name: "two nils", a: nil, b: nil, want: 0},
	})
}

func TestCoLocationRanks(t *testing.T) {
	a := mkPod("a", onNode("n1"))
	b := mkPod("b", onNode("n1"))
	c := mkPod("c", onNode("n2"))
	u1 := mkPod("u1", onNode(""))
	u2 := mkPod("u2", onNode(""))
	gone := mkPod("gone", onNode("n2"), deleted(t0))
	done := mkPod("done", onNode("n2"), phase(corev1.PodSucceeded))
	other := mkPod("other", onNode("n2"))                  // related pod of a sibling ReplicaSet
	dupOfA := mkPod("a-again", onNode("n2"), uid("uid-a")) // same UID as a: already counted
	noUID1 := mkPod("x", onNode("n3"), uid(""))
	noUID2 := mkPod("y", onNode("n3"), uid(""))

	tests := []struct {
		name       string
		candidates []*corev1.Pod
		related    []*corev1.Pod
		want       []int
	}{
		{"counts include the candidate itself", []*corev1.Pod{a, b, c}, []*corev1.Pod{a, b, c}, []int{2, 2, 1}},
		{"inactive related pods are not counted", []*corev1.Pod{c}, []*corev1.Pod{c, gone, done}, []int{1}},
		{"related pods of other owners count", []*corev1.Pod{c}, []*corev1.Pod{c, other}, []int{2}},
		{"unscheduled pods share node \"\"", []*corev1.Pod{u1, u2}, []*corev1.Pod{u1, u2}, []int{2, 2}},
		{"first of a UID wins", []*corev1.Pod{a, c}, []*corev1.Pod{a, c, dupOfA}, []int{1, 1}},
		{"duplicates of a pointer count once", []*corev1.Pod{a}, []*corev1.Pod{a, a, b}, []int{2}},
		{"UID-less pods are told apart by pointer", []*corev1.Pod{noUID1}, []*corev1.Pod{noUID1, noUID2, noUID1}, []int{2}},
		{"no related pods", []*corev1.Pod{a, b}, nil, []int{0, 0}},
		{"nil entries", []*corev1.Pod{nil, a}, []*corev1.Pod{nil, a}, []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CoLocationRanks(tt.candidates, tt.related)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestLogBucket compares logBucket with upstream's expression int64(math.Log2(float64(d))) around
// every power of two, where float rounding matters, and on random ages.
func TestLogBucket(t *testing.T) {
	check := func(d time.Duration) {
		then := t0.Add(-d)
		age := t0.Sub(then) // saturates, as upstream's now.Sub does
		want := int64(-1)
		if age > 0 {
			want = int64(math.Log2(float64(age)))
		}
		if got := logBucket(t0, then); int64(got) != want {
			t.Fatalf("logBucket(age %d) = %d, want %d", int64(age), got, want)
		}
	}
	for e := 0; e < 63; e++ {
		p := time.Duration(1) << e
		for delta := time.Duration(-1100); delta <= 1100; delta++ {
			check(p + delta)
		}
		for s := 0; s < e; s++ {
			check(p - time.Duration(1)<<s)
			check(p + time.Duration(1)<<s)
			check(p - time.Duration(1)<<s - 1)
		}
	}
	check(math.MaxInt64)
	check(math.MinInt64)
	rapid.Check(t, func(rt *rapid.T) { check(time.Duration(rapid.Int64().Draw(rt, "d"))) })
}
