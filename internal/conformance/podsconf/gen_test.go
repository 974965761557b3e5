package podsconf

import (
	"fmt"
	"math/rand/v2"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

var now0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// tiedTimes are the few timestamps tied cases draw from: zero, the future, now, one nanosecond
// ago, both sides of a bucket edge (2^35ns), float-rounding territory (2^53-1ns rounds into bucket
// 53), and several instants sharing bucket 41 (about 36 to 73 minutes ago).
var tiedTimes = []time.Time{
	{}, now0.Add(time.Minute), now0, now0.Add(-1), now0.Add(-(1 << 35)), now0.Add(-(1<<35 - 1)),
	now0.Add(-(1<<53 - 1)), now0.Add(-(1 << 53)),
	now0.Add(-40 * time.Minute), now0.Add(-40*time.Minute - time.Second), now0.Add(-50 * time.Minute),
	now0.Add(-time.Hour), now0.Add(-100 * time.Hour),
}

// scaleDown is one ranking input: the pods, their co-location ranks, and now.
type scaleDown struct {
	pods  []*corev1.Pod
	ranks []int
	now   time.Time
}

// genTied draws n pods from small value sets, so that pods often tie under some rules; with
// crowded set they are all scheduled, running and ready with ready times in one bucket, where
// upstream's comparison is most often inconsistent.
func genTied(rng *rand.Rand, n int, crowded bool) scaleDown {
	pick := func(n int) int { return rng.IntN(n) }
	c := scaleDown{now: now0}
	if !crowded && pick(10) == 0 {
		c.now = time.Time{}
	}
	for i := range n {
		p := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{
				Name:              fmt.Sprintf("p%03d", i),
				Namespace:         []string{"ns", "ns2"}[pick(2)],
				UID:               types.UID(string(rune('a' + pick(10)))),
				CreationTimestamp: metav1.NewTime(tiedTimes[pick(len(tiedTimes))]),
			},
			Spec:   corev1.PodSpec{NodeName: "n1"},
			Status: corev1.PodStatus{Phase: corev1.PodRunning},
		}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "c", RestartCount: int32(pick(2))}}
		if pick(2) == 0 {
			restart := []*corev1.ContainerRestartPolicy{nil, ptr.To(corev1.ContainerRestartPolicyAlways)}[pick(2)]
			p.Spec.InitContainers = []corev1.Container{{Name: "sc", RestartPolicy: restart}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "sc", RestartCount: int32(pick(2))}}
		}
		ready := corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue}
		if crowded {
			ready.LastTransitionTime = metav1.NewTime(tiedTimes[8+pick(3)])
			p.Status.Conditions = []corev1.PodCondition{ready}
			c.pods = append(c.pods, p)
			c.ranks = append(c.ranks, 0)
			continue
		}
		p.Spec.NodeName = []string{"", "n1", "n2"}[pick(3)]
		p.Status.Phase = []corev1.PodPhase{corev1.PodRunning, corev1.PodRunning, corev1.PodPending, corev1.PodUnknown, "", corev1.PodSucceeded}[pick(6)]
		switch pick(4) {
		case 0:
		case 1:
			ready.Status = []corev1.ConditionStatus{corev1.ConditionFalse, corev1.ConditionUnknown}[pick(2)]
			ready.LastTransitionTime = metav1.NewTime(tiedTimes[pick(len(tiedTimes))])
			p.Status.Conditions = []corev1.PodCondition{ready}
		default:
			ready.LastTransitionTime = metav1.NewTime(tiedTimes[pick(len(tiedTimes))])
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionTrue}, ready}
		}
		if v := []string{"-", "0", "-1", "5", "+1", "008", "2147483648"}[pick(7)]; v != "-" {
			p.Annotations = map[string]string{corev1.PodDeletionCost: v}
		}
		c.pods = append(c.pods, p)
		c.ranks = append(c.ranks, pick(3))
	}
	return c
}

// genDistinct draws n pods whose timestamps are random to the nanosecond and whose UIDs are
// unique, so that upstream's comparison is a strict total order and sort.Sort has one answer.
func genDistinct(rng *rand.Rand, n int) scaleDown {
	c := scaleDown{now: now0}
	ago := func(max time.Duration) time.Time { return now0.Add(-time.Duration(rng.Int64N(int64(max)))) }
	for i := range n {
		created := ago(1000 * time.Hour)
		p := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{
				Name:              fmt.Sprintf("p%05d", i),
				Namespace:         "ns",
				UID:               types.UID(fmt.Sprintf("%08x-%05d", rng.Uint32(), i)),
				CreationTimestamp: metav1.NewTime(created),
			},
			Spec:   corev1.PodSpec{NodeName: fmt.Sprintf("n%d", rng.IntN(5))},
			Status: corev1.PodStatus{Phase: corev1.PodRunning},
		}
		switch r := rng.IntN(20); {
		case r == 0:
			p.Spec.NodeName = ""
			p.Status.Phase = corev1.PodPending
		case r == 1:
			p.Status.Phase = corev1.PodUnknown
		case r < 4:
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse}}
		default:
			since := created.Add(time.Duration(rng.Int64N(int64(time.Hour))))
			if since.After(now0) {
				since = now0.Add(-time.Duration(rng.Int64N(int64(time.Hour)) + 1))
			}
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(since)}}
		}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "c", RestartCount: int32(max(rng.IntN(10)-7, 0))}}
		if rng.IntN(10) == 0 {
			p.Annotations = map[string]string{corev1.PodDeletionCost: fmt.Sprint(rng.IntN(7) - 3)}
		}
		c.pods = append(c.pods, p)
		c.ranks = append(c.ranks, rng.IntN(4))
	}
	return c
}
