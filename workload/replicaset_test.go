package workload_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/workload"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func newRS(name string, replicas int32) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("rs-" + name), Generation: 1, ResourceVersion: "10"},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "frontend"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"tier": "frontend"}},
				Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyAlways,
					Containers:    []corev1.Container{{Name: "php-redis", Image: "gb-frontend:v5"}},
				},
			},
		},
	}
}

type podOpt func(*corev1.Pod)

func newPod(name string, opts ...podOpt) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: "default", UID: types.UID("uid-" + name),
			Labels:            map[string]string{"tier": "frontend"},
			CreationTimestamp: metav1.NewTime(t0.Add(-time.Hour)),
		},
		Spec:   corev1.PodSpec{NodeName: "node-1"},
		Status: corev1.PodStatus{Phase: corev1.PodRunning},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func ownedBy(rs *appsv1.ReplicaSet) podOpt {
	return func(p *corev1.Pod) {
		p.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))}
	}
}

func ownedByOther(p *corev1.Pod) {
	p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "other", UID: "rs-other", Controller: new(true)}}
}

func readySince(t time.Time) podOpt {
	return func(p *corev1.Pod) {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t)})
	}
}

func phase(ph corev1.PodPhase) podOpt { return func(p *corev1.Pod) { p.Status.Phase = ph } }

func labels(kv ...string) podOpt {
	return func(p *corev1.Pod) {
		p.Labels = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			p.Labels[kv[i]] = kv[i+1]
		}
	}
}

func deleting(p *corev1.Pod) { p.DeletionTimestamp = &metav1.Time{Time: t0} }

func unscheduled(p *corev1.Pod) { p.Spec.NodeName = "" }

func plan(t *testing.T, rs *appsv1.ReplicaSet, ps ...*corev1.Pod) workload.Plan {
	t.Helper()
	p, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: ps}, t0)
	require.NoError(t, err)
	requireWellFormed(t, p, observedOf(nil, []*appsv1.ReplicaSet{rs}, ps))
	return p
}

func TestReplicaSetRuleClaim(t *testing.T) {
	rs := newRS("frontend", 3)
	tests := []struct {
		name     string
		pods     []*corev1.Pod
		want     []string
		replicas int32
	}{
		{"orphan matching active pods are adopted and counted",
			[]*corev1.Pod{newPod("pod1"), newPod("pod2")}, []string{"adopt pod1", "adopt pod2", "create"}, 2},
		{"orphan not matching the selector is ignored",
			[]*corev1.Pod{newPod("other", labels("tier", "backend"))}, []string{"create", "create", "create"}, 0},
		{"terminating orphan is not adopted",
			[]*corev1.Pod{newPod("pod1", deleting)}, []string{"create", "create", "create"}, 0},
		{"terminal orphan is not adopted",
			[]*corev1.Pod{newPod("pod1", phase(corev1.PodSucceeded))}, []string{"create", "create", "create"}, 0},
		{"owned pod that stopped matching is released and replaced",
			[]*corev1.Pod{newPod("a", ownedBy(rs)), newPod("b", ownedBy(rs)), newPod("c", ownedBy(rs), labels("tier", "debug"))},
			[]string{"release c", "create"}, 2},
		{"pod controlled by another owner is never touched",
			[]*corev1.Pod{newPod("theirs", ownedByOther), newPod("a", ownedBy(rs)), newPod("b", ownedBy(rs)), newPod("c", ownedBy(rs))},
			nil, 3},
		{"pods of other namespaces are ignored",
			[]*corev1.Pod{newPod("elsewhere", func(p *corev1.Pod) { p.Namespace = "other" })}, []string{"create", "create", "create"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plan(t, rs, tt.pods...)
			require.Equal(t, tt.want, summary(p))
			require.Equal(t, tt.replicas, mustRSStatus(t, p).Replicas)
		})
	}
}

// The claim's patches are one step (upstream goes on after a failed one
// and fails the sync at the end), adoptions first, each pinning the pod's
// UID.
func TestReplicaSetRuleClaimAdoptAndReleasePatches(t *testing.T) {
	rs := newRS("frontend", 1)
	p := plan(t, rs, newPod("pod1"), newPod("old", ownedBy(rs), labels("tier", "x")))
	require.Equal(t, []string{"adopt pod1", "release old"}, summary(p))
	claim := p.Steps[0].Writes
	require.Len(t, claim, 2, "adoption and release in one step")
	adopt, release := claim[0], claim[1]
	// The bodies upstream's ControllerRefManager sends (ownerRefControllerPatch
	// and GenerateDeleteOwnerRefStrategicMergeBytes), written out by hand.
	require.Equal(t, types.StrategicMergePatchType, adopt.PatchType)
	require.JSONEq(t, `{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"frontend","uid":"rs-frontend","controller":true,"blockOwnerDeletion":true}],"uid":"uid-pod1"}}`, string(adopt.PatchData))
	require.Equal(t, workload.Target{Resource: corev1.SchemeGroupVersion.WithResource("pods"), Namespace: "default", Name: "pod1", UID: "uid-pod1"}, adopt.Target)
	require.Equal(t, workload.Precondition{UID: "uid-pod1"}, adopt.Precondition)
	require.Equal(t, []workload.ErrorKind{workload.NotFound}, adopt.OnError.Ignore)
	require.Equal(t, types.StrategicMergePatchType, release.PatchType)
	require.Equal(t, `{"metadata":{"uid":"uid-old","ownerReferences":[{"$patch":"delete","uid":"rs-frontend"}]}}`, string(release.PatchData))
	require.Equal(t, workload.Precondition{UID: "uid-old"}, release.Precondition)
	// A release the API server refuses as invalid (the pod was recreated
	// under another UID) or finds gone is no failure, as upstream.
	require.ElementsMatch(t, []workload.ErrorKind{workload.NotFound, workload.Invalid}, release.OnError.Ignore)
}

func TestReplicaSetRuleClaimDeletingOwnerOnlyWritesStatus(t *testing.T) {
	rs := newRS("frontend", 3)
	rs.DeletionTimestamp = &metav1.Time{Time: t0}
	p := plan(t, rs, newPod("orphan"), newPod("a", ownedBy(rs)), newPod("gone", ownedBy(rs), labels("tier", "x")))
	require.Empty(t, summary(p), "no adoption, no release, no creation while the owner is being deleted")
	require.Len(t, p.Writes(), 1, "the status write only")
	require.Equal(t, int32(1), mustRSStatus(t, p).Replicas)
}

func TestReplicaSetRuleTerminatingPodsAreReplacedAndCounted(t *testing.T) {
	rs := newRS("frontend", 2)
	p := plan(t, rs,
		newPod("a", ownedBy(rs)),
		newPod("b", ownedBy(rs), deleting),
		newPod("c", ownedBy(rs), deleting, labels("tier", "x")), // no longer selected: not counted
		newPod("d", ownedBy(rs), phase(corev1.PodFailed)),       // terminal: neither active nor terminating
	)
	require.Equal(t, []string{"create"}, summary(p))
	st := mustRSStatus(t, p)
	require.Equal(t, int32(1), st.Replicas)
	require.Equal(t, int32(1), *st.TerminatingReplicas)
}

func TestReplicaSetRuleManageCreate(t *testing.T) {
	rs := newRS("frontend", 2)
	rs.Spec.Template.Annotations = map[string]string{"a": "b"}
	p := plan(t, rs)
	require.Equal(t, []string{"create", "create"}, summary(p))
	create := p.Writes()[0]
	require.Equal(t, workload.Target{Resource: corev1.SchemeGroupVersion.WithResource("pods"), Namespace: "default"}, create.Target,
		"a create names no pod: the API server generates the name")
	pod := create.Object.(*corev1.Pod)
	want := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: "frontend-",
			Namespace:    "default",
			Labels:       map[string]string{"tier": "frontend"},
			Annotations:  map[string]string{"a": "b"},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "frontend", UID: "rs-frontend",
				Controller: new(true), BlockOwnerDeletion: new(true),
			}},
			Finalizers: []string{}, // upstream's getPodsFinalizers copies into make([]string, 0)
		},
		Spec: rs.Spec.Template.Spec,
	}
	if d := cmp.Diff(want, pod); d != "" {
		t.Fatalf("created pod (-want +got):\n%s", d)
	}
	for _, st := range p.Steps {
		require.Empty(t, st.Events, "a create's event travels with the create")
	}
	require.Equal(t, []workload.Event{{Type: corev1.EventTypeNormal, Reason: "SuccessfulCreate", Message: "Created pod: " + workload.NamePlaceholder}}, create.Events)
	require.Equal(t, "Created pod: frontend-abcde", create.Events[0].Expand("frontend-abcde", nil).Message)
	require.NotSame(t, create.Object, p.Writes()[1].Object, "each create owns its body")
}

// stepSizes are the number of writes of each step of p.
func stepSizes(p workload.Plan) []int {
	var sizes []int
	for _, s := range p.Steps {
		sizes = append(sizes, len(s.Writes))
	}
	return sizes
}

func TestReplicaSetRuleManageBurstLimit(t *testing.T) {
	rs := newRS("frontend", 1000)
	p := plan(t, rs)
	require.Len(t, summary(p), 500, "upstream creates at most BurstReplicas=500 per sync")
	// slow start: batches of 1, 2, 4, ... then the status write
	require.Equal(t, []int{1, 2, 4, 8, 16, 32, 64, 128, 245, 1}, stepSizes(p))
	p2, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{}, t0, workload.BurstReplicas(7))
	require.NoError(t, err)
	require.Len(t, summary(p2), 7)
	require.Equal(t, []int{1, 2, 4, 1}, stepSizes(p2))
}

func TestReplicaSetRuleManageDeleteSurplusByRank(t *testing.T) {
	rs := newRS("frontend", 2)
	p := plan(t, rs,
		newPod("ready-old", ownedBy(rs), readySince(t0.Add(-50*time.Minute))),
		newPod("unscheduled", ownedBy(rs), unscheduled, phase(corev1.PodPending)),
		newPod("pending", ownedBy(rs), phase(corev1.PodPending)),
		newPod("running-not-ready", ownedBy(rs)),
	)
	// Upstream ranks unassigned before assigned, then Pending before Running,
	// then not ready before ready: two deletions take the first two.
	require.Equal(t, []string{"delete unscheduled", "delete pending"}, summary(p))
	require.Equal(t, []int{2, 1}, stepSizes(p), "deletions in one step, then the status")
	for _, w := range p.Steps[0].Writes {
		require.Equal(t, []workload.Event{{Type: corev1.EventTypeNormal, Reason: "SuccessfulDelete", Message: "Deleted pod: " + w.Target.Name}}, w.Events)
		require.Equal(t, workload.Precondition{}, w.Precondition, "upstream's pod deletions carry no precondition")
		require.Equal(t, []workload.ErrorKind{workload.NotFound}, w.OnError.Ignore)
	}
	require.Equal(t, types.UID("uid-unscheduled"), p.Steps[0].Writes[0].Target.UID)
}

func TestReplicaSetRuleManageScaleToZeroDeletesAll(t *testing.T) {
	rs := newRS("frontend", 0)
	p := plan(t, rs, newPod("b", ownedBy(rs)), newPod("a", ownedBy(rs)))
	require.Equal(t, []string{"delete a", "delete b"}, summary(p))
}

func TestReplicaSetRuleManageExpectationsPending(t *testing.T) {
	rs := newRS("frontend", 3)
	p, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: []*corev1.Pod{newPod("orphan")}, ExpectationsPending: true}, t0)
	require.NoError(t, err)
	// The claim still runs (upstream claims before consulting expectations);
	// creations wait.
	require.Equal(t, []string{"adopt orphan"}, summary(p))
}

func TestReplicaSetRuleNoLabels(t *testing.T) {
	// A selector of only DoesNotExist passes validation with an unlabelled
	// template; upstream's pod control then refuses to create.
	rs := newRS("frontend", 1)
	rs.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "x", Operator: metav1.LabelSelectorOpDoesNotExist}}}
	rs.Spec.Template.Labels = nil
	p := plan(t, rs)
	require.Empty(t, summary(p))
	require.True(t, p.Requeue.RateLimited)
	st := mustRSStatus(t, p)
	require.Len(t, st.Conditions, 1)
	c := st.Conditions[0]
	require.Equal(t, appsv1.ReplicaSetReplicaFailure, c.Type)
	require.Equal(t, "FailedCreate", c.Reason)
	require.Equal(t, "unable to create pods, no labels", c.Message)
	require.True(t, c.LastTransitionTime.Time.Equal(t0))
}

func TestReplicaSetRuleStatus(t *testing.T) {
	rs := newRS("frontend", 4)
	rs.Spec.MinReadySeconds = 30
	rs.Spec.Template.Labels["version"] = "v5"
	rs.Status.Conditions = []appsv1.ReplicaSetCondition{{Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue, Reason: "FailedCreate"}}
	p := plan(t, rs,
		newPod("a", ownedBy(rs), labels("tier", "frontend", "version", "v5"), readySince(t0.Add(-30*time.Second))), // available: boundary inclusive
		newPod("b", ownedBy(rs), readySince(t0.Add(-29*time.Second))),                                              // ready, not yet available, not fully labelled
		newPod("c", ownedBy(rs), labels("tier", "frontend", "version", "v5")),                                      // not ready
		newPod("d", ownedBy(rs), deleting),
	)
	want := appsv1.ReplicaSetStatus{
		Replicas: 3, FullyLabeledReplicas: 2, ReadyReplicas: 2, AvailableReplicas: 1,
		TerminatingReplicas: new(int32(1)), ObservedGeneration: 1,
	}
	if d := cmp.Diff(want, mustRSStatus(t, p)); d != "" {
		t.Fatalf("status (-want +got):\n%s", d)
	}
	w := p.Writes()[len(p.Writes())-1]
	require.Equal(t, workload.UpdateStatus, w.Verb, "the status write comes last")
	require.Equal(t, 1, w.Retries, "upstream retries a refused status write once")
	sent := w.Object.(*appsv1.ReplicaSet)
	require.Equal(t, rs.Spec, sent.Spec, "the status write sends the observed object with the new status")
	// availability: b becomes available 1s from now.
	require.Equal(t, workload.Requeue{After: time.Second}, p.Requeue)
}

func TestReplicaSetRuleStatusSkipsUnchanged(t *testing.T) {
	rs := newRS("frontend", 1)
	rs.Status = appsv1.ReplicaSetStatus{Replicas: 1, FullyLabeledReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1, TerminatingReplicas: new(int32(0)), ObservedGeneration: 1}
	p := plan(t, rs, newPod("a", ownedBy(rs), readySince(t0.Add(-time.Minute))))
	require.Empty(t, p.Steps, "nothing to write, not even the status")
	require.Equal(t, workload.Requeue{}, p.Requeue)

	rs.Generation = 2 // a spec change alone forces the write of observedGeneration
	p = plan(t, rs, newPod("a", ownedBy(rs), readySince(t0.Add(-time.Minute))))
	st := mustRSStatus(t, p)
	require.Equal(t, int64(2), st.ObservedGeneration)
	require.Equal(t, rs.Status.Replicas, st.Replicas)
}

func TestReplicaSetRuleAvailabilityRequeueFallsBackToMinReadySeconds(t *testing.T) {
	rs := newRS("frontend", 1)
	rs.Spec.MinReadySeconds = 10
	// Ready with a zero transition time is never available and has no next
	// check: upstream falls back to minReadySeconds.
	p := plan(t, rs, newPod("a", ownedBy(rs), readySince(time.Time{})))
	st := mustRSStatus(t, p)
	require.Equal(t, int32(1), st.ReadyReplicas)
	require.Equal(t, int32(0), st.AvailableReplicas)
	require.Equal(t, workload.Requeue{After: 10 * time.Second}, p.Requeue)
}

func TestReplicaSetRuleManageRelatedPodsRankCrowdedNodesFirst(t *testing.T) {
	// Two ReplicaSets of one Deployment. node-1 holds two of this RS's pods
	// plus one of the sibling's; node-2 one pod. All else equal, upstream
	// deletes from the more crowded node.
	deploy := metav1.OwnerReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", UID: "dep-web", Controller: new(true)}
	rs := newRS("web-1", 2)
	rs.OwnerReferences = []metav1.OwnerReference{deploy}
	sib := newRS("web-2", 1)
	sib.OwnerReferences = []metav1.OwnerReference{deploy}
	sib.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "frontend-2"}}
	ready := readySince(t0.Add(-10 * time.Minute))
	onNode := func(n string) podOpt { return func(p *corev1.Pod) { p.Spec.NodeName = n } }
	pods := []*corev1.Pod{
		newPod("a", ownedBy(rs), ready, onNode("node-2")),
		newPod("b", ownedBy(rs), ready, onNode("node-1")),
		newPod("c", ownedBy(rs), ready, onNode("node-3")),
		newPod("s", ownedBy(sib), ready, onNode("node-1"), labels("tier", "frontend-2")),
	}
	p, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: pods, ReplicaSets: []*appsv1.ReplicaSet{sib}}, t0)
	require.NoError(t, err)
	require.Equal(t, []string{"delete b"}, summary(p))
}

func TestValidateReplicaSet(t *testing.T) {
	tests := []struct {
		name string
		edit func(*appsv1.ReplicaSet)
		want string // substring of the aggregated error, naming the field
	}{
		{"negative replicas", func(rs *appsv1.ReplicaSet) { rs.Spec.Replicas = new(int32(-1)) }, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
		{"negative minReadySeconds", func(rs *appsv1.ReplicaSet) { rs.Spec.MinReadySeconds = -5 }, "spec.minReadySeconds: Invalid value: -5"},
		{"nil selector", func(rs *appsv1.ReplicaSet) { rs.Spec.Selector = nil }, "spec.selector: Required value"},
		{"empty selector", func(rs *appsv1.ReplicaSet) { rs.Spec.Selector = &metav1.LabelSelector{} }, "empty selector is invalid for deployment"},
		{"selector not matching template", func(rs *appsv1.ReplicaSet) { rs.Spec.Template.Labels = map[string]string{"tier": "backend"} },
			"spec.template.metadata.labels: Invalid value: {\"tier\":\"backend\"}: `selector` does not match template `labels`"},
		{"bad operator", func(rs *appsv1.ReplicaSet) {
			rs.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "a", Operator: "Gt", Values: []string{"1"}}}
		}, "spec.selector.matchExpressions[0].operator: Invalid value: \"Gt\": not a valid selector operator"},
		{"bad selector value", func(rs *appsv1.ReplicaSet) { rs.Spec.Selector.MatchLabels["tier"] = "a b" }, "spec.selector.matchLabels: Invalid value: \"a b\""},
		{"name not a subdomain", func(rs *appsv1.ReplicaSet) { rs.Name = "Front_End" }, "metadata.name: Invalid value: \"Front_End\""},
		{"missing name", func(rs *appsv1.ReplicaSet) { rs.Name = "" }, "metadata.name: Required value"},
		{"missing namespace", func(rs *appsv1.ReplicaSet) { rs.Namespace = "" }, "metadata.namespace: Required value"},
		{"restartPolicy Never", func(rs *appsv1.ReplicaSet) { rs.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever },
			"spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""},
		{"activeDeadlineSeconds", func(rs *appsv1.ReplicaSet) { rs.Spec.Template.Spec.ActiveDeadlineSeconds = new(int64(5)) },
			"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := newRS("frontend", 1)
			tt.edit(rs)
			p, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{}, t0)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			require.True(t, strings.HasPrefix(err.Error(), `ReplicaSet "`+rs.Name+`" is invalid: `), err.Error())
			requireFieldErrors(t, err)
			require.Empty(t, p.Steps)
		})
	}
	_, err := workload.PlanReplicaSet(nil, workload.ReplicaSetState{}, t0)
	require.Error(t, err)
	require.True(t, strings.Contains(err.Error(), "replicaSet: Required value"))
	requireFieldErrors(t, err)
}
