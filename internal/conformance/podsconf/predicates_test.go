package podsconf

import (
	"math/rand/v2"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	podutil "k8s.io/kubernetes/pkg/api/v1/pod"
	"k8s.io/kubernetes/pkg/apis/core/helper"
	"k8s.io/kubernetes/pkg/controller"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/reckon-k8s/reckon/workload/pods"
)

// TestPredicatesMatchUpstream compares the pod predicates and DeletionCost with their upstream
// counterparts on random pods, minReadySeconds around the ready time, and pod lists.
func TestPredicatesMatchUpstream(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for i := range 3000 {
		c := genTied(rng, 1+rng.IntN(6), rng.IntN(2) == 0)
		now := now0.Add(time.Duration(rng.IntN(5)-2) * time.Second)
		minReady := []int32{0, 1, 10, 2400, 3000, -5}[rng.IntN(6)]
		for _, p := range c.pods {
			if rng.IntN(4) == 0 {
				p.DeletionTimestamp = &metav1.Time{Time: now0}
			}
			if got, want := pods.IsActive(p), controller.IsPodActive(p); got != want {
				t.Fatalf("case %d: IsActive %v, upstream %v", i, got, want)
			}
			if got, want := pods.IsTerminating(p), controller.IsPodTerminating(p); got != want {
				t.Fatalf("case %d: IsTerminating %v, upstream %v", i, got, want)
			}
			if got, want := pods.IsReady(p), podutil.IsPodReady(p); got != want {
				t.Fatalf("case %d: IsReady %v, upstream %v", i, got, want)
			}
			if got, want := pods.IsAvailable(p, minReady, now), podutil.IsPodAvailable(p, minReady, metav1.NewTime(now)); got != want {
				t.Fatalf("case %d: IsAvailable(%d) %v, upstream %v for %v", i, minReady, got, want, p.Status.Conditions)
			}
			want, _ := helper.GetDeletionCostFromPodAnnotations(p.Annotations)
			if got := pods.DeletionCost(p); got != want {
				t.Fatalf("case %d: DeletionCost %d, upstream %d", i, got, want)
			}
		}
		got, ok := pods.MinNextAvailabilityCheck(c.pods, minReady, now)
		want := controller.FindMinNextPodAvailabilityCheck(c.pods, minReady, now, clocktesting.NewFakePassiveClock(now))
		if ok != (want != nil) || (ok && got != *want) {
			t.Fatalf("case %d: MinNextAvailabilityCheck %v %v, upstream %v", i, got, ok, want)
		}
	}
}

// TestDeletionCostStrings compares DeletionCost with upstream's parser on awkward strings.
func TestDeletionCostStrings(t *testing.T) {
	for _, s := range []string{"", "0", "-0", "00", "+1", "008", "-007", "-", "1_000", " 1", "1 ", "0x1f", "1e3",
		"2147483647", "2147483648", "-2147483648", "-2147483649", "99999999999999999999", "１", "٣"} {
		p := &corev1.Pod{}
		p.Annotations = map[string]string{corev1.PodDeletionCost: s}
		want, _ := helper.GetDeletionCostFromPodAnnotations(p.Annotations)
		if got := pods.DeletionCost(p); got != want {
			t.Errorf("DeletionCost(%q) = %d, upstream %d", s, got, want)
		}
	}
}
