package pods

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

// podsFromBytes decodes fuzz input into pods, 9 bytes per pod, every field drawn from a small set
// of interesting values; byte 0 of a group set to 0xff gives a nil pod.
func podsFromBytes(data []byte) ([]*corev1.Pod, []int) {
	times := []time.Time{
		{}, t0, t0.Add(time.Minute), t0.Add(-1), t0.Add(-(1 << 35)), t0.Add(-time.Hour),
		t0.Add(-40 * time.Minute), time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
	}
	costs := []string{"", "0", "-1", "7", "+1", "008", "2147483648", "-2147483648", "x"}
	phases := []corev1.PodPhase{corev1.PodRunning, corev1.PodPending, corev1.PodUnknown, corev1.PodSucceeded, corev1.PodFailed, ""}
	statuses := []corev1.ConditionStatus{corev1.ConditionTrue, corev1.ConditionFalse, corev1.ConditionUnknown}
	var ps []*corev1.Pod
	var ranks []int
	for i := 0; i+9 <= len(data); i += 9 {
		b := data[i : i+9]
		ranks = append(ranks, int(int8(b[8])))
		if b[0] == 0xff {
			ps = append(ps, nil)
			continue
		}
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{
			Name:              fmt.Sprintf("p%d", i/9),
			UID:               types.UID("u" + string(rune('a'+b[0]%4))),
			CreationTimestamp: metav1.NewTime(times[int(b[1])%len(times)]),
		}}
		p.Spec.NodeName = []string{"", "n1", "n2"}[b[0]%3]
		p.Status.Phase = phases[int(b[2])%len(phases)]
		if b[3]%4 != 0 {
			p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{
				Type: corev1.PodReady, Status: statuses[int(b[3])%len(statuses)],
				LastTransitionTime: metav1.NewTime(times[int(b[4])%len(times)]),
			})
		}
		if int(b[5])%len(costs) != 0 {
			p.Annotations = map[string]string{corev1.PodDeletionCost: costs[int(b[5])%len(costs)]}
		}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{RestartCount: int32(int8(b[6]))}}
		if b[7]%3 != 0 {
			p.Spec.InitContainers = []corev1.Container{{Name: "s", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways)}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "s", RestartCount: int32(b[7])}}
		}
		if b[2]&0x80 != 0 {
			p.DeletionTimestamp = &p.CreationTimestamp
		}
		ps = append(ps, p)
	}
	return ps, ranks
}

// FuzzSelectForDeletion checks that the ranking entry points never panic and that the selection
// is well formed: the right size, drawn from the candidates, no pod twice, and a prefix of any
// larger selection.
func FuzzSelectForDeletion(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xff, 0, 0, 0, 0, 0, 0, 0, 0}, 2, true)
	f.Add([]byte{1, 1, 0, 1, 6, 0, 0, 0, 0, 2, 1, 0, 1, 6, 0, 0, 0, 0, 3, 1, 0, 1, 7, 0, 1, 0, 0}, 1, false)
	f.Fuzz(func(t *testing.T, data []byte, n int, zeroNow bool) {
		ps, ranks := podsFromBytes(data)
		now := t0
		if zeroNow {
			now = time.Time{}
		}
		ranks = ranks[:len(ranks)/2] // exercise missing ranks too
		_ = CoLocationRanks(ps, ps)
		for i := range ps {
			for j := range ps {
				_ = DeletionLess(ps[i], ps[j], rankAt(ranks, i), rankAt(ranks, j), now)
			}
		}
		live := 0
		for _, p := range ps {
			if p != nil {
				live++
			}
		}
		got := SelectForDeletion(ps, ranks, n, now)
		if want := min(max(n, 0), live); len(got) != want {
			t.Fatalf("selected %d pods, want %d", len(got), want)
		}
		seen := map[*corev1.Pod]bool{}
		for _, p := range got {
			if p == nil || seen[p] || !slices.Contains(ps, p) {
				t.Fatalf("bad selection %v", got)
			}
			seen[p] = true
		}
		if n > 0 && n+1 < live {
			if more := SelectForDeletion(ps, ranks, n+1, now); !slices.Equal(more[:n], got) {
				t.Fatalf("selection of %d is not a prefix of selection of %d", n, n+1)
			}
		}
	})
}

// FuzzDeletionCost compares DeletionCost with upstream's parsing written the way upstream writes
// it (validFirstDigit, then strconv.ParseInt(v, 10, 32), 0 on error).
func FuzzDeletionCost(f *testing.F) {
	for _, s := range []string{"", "0", "-0", "+1", "008", "-007", "2147483647", "2147483648", "-2147483649", "1e3", "-", "９"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := int32(0)
		if s != "" && (s[0] == '-' || s == "0" || ('1' <= s[0] && s[0] <= '9')) {
			if v, err := strconv.ParseInt(s, 10, 32); err == nil {
				want = int32(v)
			}
		}
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{corev1.PodDeletionCost: s}}}
		if got := DeletionCost(p); got != want {
			t.Fatalf("DeletionCost(%q) = %d, want %d", s, got, want)
		}
	})
}
