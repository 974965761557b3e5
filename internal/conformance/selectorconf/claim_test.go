package selectorconf

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/controller"
	"k8s.io/utils/ptr"

	"github.com/reckon-k8s/reckon/selector"
)

const ownerUID = types.UID("rs-uid")

// genClaimCase returns an owner and pods covering every branch of ClaimObject: orphans,
// non-controller references, our and other controllers (first controller reference wins),
// deleting pods and owners, other namespaces, matching and non-matching labels.
func genClaimCase(r *rand.Rand) (selector.Owner, *metav1.LabelSelector, []*corev1.Pod) {
	owner := selector.Owner{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "frontend", Namespace: "ns", UID: ownerUID,
		Deleting: r.IntN(5) == 0}
	if r.IntN(6) == 0 {
		owner.Namespace = "" // a cluster-scoped owner adopts in any namespace
	}
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "frontend"}}
	if r.IntN(3) == 0 {
		sel.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "track", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"canary"}}}
	}
	var pods []*corev1.Pod
	for i, n := 0, r.IntN(10); i < n; i++ {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{
			Name: fmt.Sprintf("p%d", i), Namespace: pick(r, []string{"ns", "ns", "ns", "other"}),
			UID:    types.UID(fmt.Sprintf("pod-%d", i)),
			Labels: map[string]string{"tier": pick(r, []string{"frontend", "frontend", "backend"})},
		}}
		if r.IntN(4) == 0 {
			p.Labels["track"] = pick(r, []string{"stable", "canary"})
		}
		for j, m := 0, r.IntN(3); j < m; j++ {
			uid := pick(r, []types.UID{ownerUID, ownerUID, "other-uid"})
			p.OwnerReferences = append(p.OwnerReferences, metav1.OwnerReference{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: string(uid), UID: uid,
				Controller: pick(r, []*bool{nil, ptr.To(false), ptr.To(true), ptr.To(true)}),
			})
		}
		if r.IntN(4) == 0 {
			p.DeletionTimestamp = &metav1.Time{}
			p.Finalizers = []string{"example.com/keep"} // the fake tracker deletes objects without finalizers
		}
		pods = append(pods, p)
	}
	return owner, sel, pods
}

type upstreamClaim struct {
	claimed          []string
	adopted, release []string
	after            map[string]*corev1.Pod // pods as the fake API server holds them after the patches
}

// runUpstreamClaim runs PodControllerRefManager.ClaimPods with a RealPodControl on a fake
// clientset holding the pods, and records what it patched.
func runUpstreamClaim(t *testing.T, owner selector.Owner, ls *metav1.LabelSelector, pods []*corev1.Pod) upstreamClaim {
	t.Helper()
	objs := make([]runtime.Object, 0, len(pods))
	for _, p := range pods {
		objs = append(objs, p.DeepCopy())
	}
	client := fake.NewClientset(objs...)
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: owner.Name, Namespace: owner.Namespace, UID: owner.UID}}
	if owner.Deleting {
		rs.DeletionTimestamp = &metav1.Time{}
	}
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil {
		t.Fatal(err)
	}
	m := controller.NewPodControllerRefManager(
		controller.RealPodControl{KubeClient: client, Recorder: record.NewFakeRecorder(100)},
		rs, sel, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"), nil)
	input := make([]*corev1.Pod, len(pods))
	for i, p := range pods {
		input[i] = p.DeepCopy()
	}
	claimed, err := m.ClaimPods(context.Background(), input)
	if err != nil {
		t.Fatalf("upstream ClaimPods: %v", err)
	}
	var out upstreamClaim
	for _, p := range claimed {
		out.claimed = append(out.claimed, p.Name)
	}
	for _, a := range client.Actions() {
		patch, ok := a.(clienttesting.PatchAction)
		if !ok {
			continue
		}
		key := patch.GetNamespace() + "/" + patch.GetName()
		if strings.Contains(string(patch.GetPatch()), `"$patch":"delete"`) {
			out.release = append(out.release, key)
		} else {
			out.adopted = append(out.adopted, key)
		}
	}
	out.after = map[string]*corev1.Pod{}
	for _, p := range pods {
		got, err := client.CoreV1().Pods(p.Namespace).Get(context.Background(), p.Name, metav1.GetOptions{})
		if err != nil {
			t.Fatalf("get %s/%s after claim: %v", p.Namespace, p.Name, err)
		}
		out.after[p.Namespace+"/"+p.Name] = got
	}
	return out
}

func podNames(pods []*corev1.Pod) []string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Name)
	}
	return out
}

func podKeys(pods []*corev1.Pod) []string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Namespace+"/"+p.Name)
	}
	return out
}

// applyAdopt is what the adoption patch does to owner references: a strategic merge keyed by UID
// of Owner.ControllerRef(), which replaces the entry with that UID or, when there is none, puts
// the new entry first (the merge lists patch items before the original ones).
func applyAdopt(refs []metav1.OwnerReference, ref metav1.OwnerReference) []metav1.OwnerReference {
	out := slices.Clone(refs)
	for i := range out {
		if out[i].UID == ref.UID {
			out[i] = ref
			return out
		}
	}
	return append([]metav1.OwnerReference{ref}, out...)
}

func applyRelease(refs []metav1.OwnerReference, uid types.UID) []metav1.OwnerReference {
	out := slices.DeleteFunc(slices.Clone(refs), func(r metav1.OwnerReference) bool { return r.UID == uid })
	if len(out) == 0 {
		return nil
	}
	return out
}

func TestClaimObjectsMatchesClaimPods(t *testing.T) {
	n := *flagN / 10 // each case builds a fake clientset
	if *flagSeed != 0 {
		n = 1
	}
	var adopted, released, claimed int
	saved := *flagN
	*flagN = n
	defer func() { *flagN = saved }()
	forEachSeed(t, func(t *testing.T, r *rand.Rand) {
		owner, ls, pods := genClaimCase(r)
		sel, errs := selector.FromLabelSelector(ls, nil)
		if len(errs) != 0 {
			t.Fatal(errs)
		}
		ours := selector.ClaimObjects(owner, pods, func(p *corev1.Pod) bool { return sel.Matches(p.Labels) })
		up := runUpstreamClaim(t, owner, ls, pods)

		for _, c := range []struct {
			what       string
			ours, them []string
		}{
			{"claimed", podNames(ours.Claimed), up.claimed},
			{"adopted", podKeys(ours.Adopt), up.adopted},
			{"released", podKeys(ours.Release), up.release},
		} {
			if !slices.Equal(c.ours, c.them) {
				t.Fatalf("%s: ours %q, upstream %q\nowner %+v pods %v", c.what, c.ours, c.them, owner, describe(pods))
			}
		}
		// Applying our plan gives the owner references the API server ends up with.
		for _, p := range pods {
			want := p.OwnerReferences
			if slices.Contains(ours.Adopt, p) {
				want = applyAdopt(want, owner.ControllerRef())
			}
			if slices.Contains(ours.Release, p) {
				want = applyRelease(want, owner.UID)
			}
			if got := up.after[p.Namespace+"/"+p.Name].OwnerReferences; !equality.Semantic.DeepEqual(want, got) {
				t.Fatalf("%s owner references after the claim: ours applied %+v, upstream %+v", p.Name, want, got)
			}
		}
		adopted += len(ours.Adopt)
		released += len(ours.Release)
		claimed += len(ours.Claimed)
	})
	t.Logf("%d cases: %d claimed, %d adopted, %d released", n, claimed, adopted, released)
	if *flagSeed == 0 && (adopted == 0 || released == 0) {
		t.Error("generator does not reach both adoption and release")
	}
}

func describe(pods []*corev1.Pod) string {
	var b strings.Builder
	for _, p := range pods {
		fmt.Fprintf(&b, "\n  %s/%s labels=%v deleting=%v refs=", p.Namespace, p.Name, p.Labels, p.DeletionTimestamp != nil)
		for _, r := range p.OwnerReferences {
			fmt.Fprintf(&b, "{%s controller=%v}", r.UID, ptr.Deref(r.Controller, false))
		}
	}
	return b.String()
}
