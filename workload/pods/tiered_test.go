package pods

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

func TestSelectForDeletionTieredBreaksTiesByTierFirst(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(name, uid string, readyAgo time.Duration) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID(uid), CreationTimestamp: metav1.NewTime(now.Add(-time.Hour))},
			Spec: corev1.PodSpec{NodeName: "n"}, Status: corev1.PodStatus{Phase: corev1.PodRunning}}
		if readyAgo > 0 {
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(now.Add(-readyAgo))}}
		}
		return p
	}
	// Fully tied pods: the lower tier goes first, whatever the UIDs.
	a, b := mk("a", "1", 0), mk("b", "2", 0)
	if got := SelectForDeletionTiered([]*corev1.Pod{a, b}, []int{1, 0}, nil, 1, now); got[0] != b {
		t.Fatalf("tiered picked %s, want b (tier 0)", got[0].Name)
	}
	if got := SelectForDeletion([]*corev1.Pod{a, b}, nil, 1, now); got[0] != a {
		t.Fatalf("untiered picked %s, want a (lower UID)", got[0].Name)
	}
	// Not a tie: ready at different times in one log2 bucket, rule 6 orders
	// by UID and the tier must not override it.
	c, d := mk("c", "1", 40*time.Second), mk("d", "2", 41*time.Second)
	if got := SelectForDeletionTiered([]*corev1.Pod{c, d}, []int{1, 0}, nil, 1, now); got[0] != c {
		t.Fatalf("tiered picked %s, want c (rule 6: lower UID within a bucket)", got[0].Name)
	}
}
