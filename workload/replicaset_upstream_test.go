package workload_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload"
)

// Cases the differential harness (internal/conformance/replicasetconf) found
// where an earlier reckon disagreed with upstream; each mirrors a saved
// regression case there.

// Upstream's owner index keys a controller reference by kind, name and UID:
// a pod whose reference has rs's UID under another name is not rs's.
func TestReplicaSetRuleClaimControllerRefNeedsKindAndName(t *testing.T) {
	rs := newRS("frontend", 1)
	impostor := newPod("impostor", func(p *corev1.Pod) {
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "frontend-old", UID: rs.UID, Controller: new(true)}}
	})
	p := plan(t, rs, impostor)
	require.Equal(t, []string{"create"}, summary(p))
	require.Equal(t, int32(0), mustRSStatus(t, p).Replicas)
}

// With creation failing, upstream returns its error before planning the
// availability recheck: a rate-limited requeue, no RequeueAfter.
func TestReplicaSetRuleNoLabelsRequeuesWithBackoff(t *testing.T) {
	rs := newRS("frontend", 2)
	rs.Spec.MinReadySeconds = 30
	rs.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "x", Operator: metav1.LabelSelectorOpDoesNotExist}}}
	rs.Spec.Template.Labels = nil
	p := plan(t, rs, newPod("a", ownedBy(rs), labels(), readySince(t0.Add(-time.Second))))
	require.Equal(t, workload.Requeue{RateLimited: true}, p.Requeue)
	require.Len(t, mustRSStatus(t, p).Conditions, 1)
}

// Among pods the ranking cannot tell apart, upstream deletes the pods it
// already controlled before the orphans it adopts in the same sync.
func TestReplicaSetRuleManageControlledBeforeAdoptedOnTies(t *testing.T) {
	rs := newRS("frontend", 1)
	same := func(p *corev1.Pod) { p.Status.Phase = corev1.PodPending } // not ready, same creation time
	orphan := newPod("orphan", same)
	orphan.UID = "a-first-by-uid"
	mine := newPod("mine", same, ownedBy(rs))
	mine.UID = "z-last-by-uid"
	p := plan(t, rs, orphan, mine)
	require.Equal(t, []string{"adopt orphan", "delete mine"}, summary(p))
}

// Upstream finds the ReplicaSets sharing a controller through a cluster-wide
// index: a sibling in another namespace ranks nodes with its pods there.
func TestReplicaSetRuleManageRelatedPodsAcrossNamespaces(t *testing.T) {
	deploy := metav1.OwnerReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", UID: "dep-web", Controller: new(true)}
	rs := newRS("web-1", 1)
	rs.OwnerReferences = []metav1.OwnerReference{deploy}
	sib := newRS("web-2", 1)
	sib.Namespace = "elsewhere"
	sib.OwnerReferences = []metav1.OwnerReference{deploy}
	ready := readySince(t0.Add(-10 * time.Minute))
	onNode := func(n string) podOpt { return func(p *corev1.Pod) { p.Spec.NodeName = n } }
	ps := []*corev1.Pod{
		newPod("a", ownedBy(rs), ready, onNode("node-1")),
		newPod("b", ownedBy(rs), ready, onNode("node-2")),
		newPod("s", ownedBy(sib), ready, onNode("node-2"), func(p *corev1.Pod) { p.Namespace = "elsewhere" }),
	}
	p, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: ps, ReplicaSets: []*appsv1.ReplicaSet{sib}}, t0)
	require.NoError(t, err)
	require.Equal(t, []string{"delete b"}, summary(p))
}
