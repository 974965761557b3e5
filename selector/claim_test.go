package selector

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"
)

// Expected values are reasoned from k8s.io/kubernetes@v1.36.3/pkg/controller/controller_ref_manager.go
// (BaseControllerRefManager.ClaimObject); internal/conformance/selectorconf compares ClaimObjects
// with upstream's PodControllerRefManager.ClaimPods on random input.

var testOwner = Owner{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "frontend", Namespace: "ns", UID: "rs-uid"}

func ref(uid types.UID, controller *bool) metav1.OwnerReference {
	return metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: string(uid), UID: uid, Controller: controller}
}

type podOpt func(*corev1.Pod)

func claimPod(name string, opts ...podOpt) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", UID: types.UID(name + "-uid"),
		Labels: map[string]string{"tier": "frontend"}}}
	for _, o := range opts {
		o(p)
	}
	return p
}

func ownedBy(uid types.UID) podOpt {
	return func(p *corev1.Pod) { p.OwnerReferences = append(p.OwnerReferences, ref(uid, ptr.To(true))) }
}
func refNotController(uid types.UID) podOpt {
	return func(p *corev1.Pod) { p.OwnerReferences = append(p.OwnerReferences, ref(uid, ptr.To(false))) }
}
func labelled(l map[string]string) podOpt { return func(p *corev1.Pod) { p.Labels = l } }
func inNamespace(ns string) podOpt        { return func(p *corev1.Pod) { p.Namespace = ns } }
func deleting() podOpt {
	return func(p *corev1.Pod) { p.DeletionTimestamp = &metav1.Time{} }
}

func names(pods []*corev1.Pod) []string {
	out := []string{}
	for _, p := range pods {
		out = append(out, p.Name)
	}
	return out
}

func TestClaimObjectsRules(t *testing.T) {
	sel := FromSet(map[string]string{"tier": "frontend"})
	match := func(p *corev1.Pod) bool { return sel.Matches(p.Labels) }
	noMatch := labelled(map[string]string{"tier": "backend"})
	deletingOwner := testOwner
	deletingOwner.Deleting = true
	clusterOwner := testOwner
	clusterOwner.Namespace = ""
	tests := []struct {
		rule                         string
		owner                        Owner
		pod                          *corev1.Pod
		wantClaimed, wantAdopt, wRel bool
	}{
		{"16 owned by another controller, matching: ignored", testOwner, claimPod("p", ownedBy("other")), false, false, false},
		{"16 owned by another controller, not matching: ignored", testOwner, claimPod("p", ownedBy("other"), noMatch), false, false, false},
		{"16 first controller reference decides", testOwner, claimPod("p", ownedBy("other"), ownedBy("rs-uid")), false, false, false},
		{"16 UID decides, not kind or name", testOwner, claimPod("p", func(p *corev1.Pod) {
			p.OwnerReferences = []metav1.OwnerReference{{Kind: "Job", Name: "x", UID: "rs-uid", Controller: ptr.To(true)}}
		}), true, false, false},
		{"17 ours and matching: claimed", testOwner, claimPod("p", ownedBy("rs-uid")), true, false, false},
		{"17 ours, matching, pod deleting: claimed", testOwner, claimPod("p", ownedBy("rs-uid"), deleting()), true, false, false},
		{"17 ours, matching, owner deleting: claimed", deletingOwner, claimPod("p", ownedBy("rs-uid")), true, false, false},
		{"17 ours in another namespace: claimed", testOwner, claimPod("p", ownedBy("rs-uid"), inNamespace("other")), true, false, false},
		{"18 ours, not matching: released", testOwner, claimPod("p", ownedBy("rs-uid"), noMatch), false, false, true},
		{"18 ours, not matching, pod deleting: released", testOwner, claimPod("p", ownedBy("rs-uid"), noMatch, deleting()), false, false, true},
		{"18 ours, not matching, owner deleting: ignored", deletingOwner, claimPod("p", ownedBy("rs-uid"), noMatch), false, false, false},
		{"19 orphan matching: adopted", testOwner, claimPod("p"), true, true, false},
		{"19 non-controller reference is an orphan", testOwner, claimPod("p", refNotController("rs-uid"), refNotController("other")), true, true, false},
		{"19 controller nil is not a controller", testOwner, claimPod("p", func(p *corev1.Pod) {
			p.OwnerReferences = []metav1.OwnerReference{ref("other", nil)}
		}), true, true, false},
		{"19 orphan not matching: ignored", testOwner, claimPod("p", noMatch), false, false, false},
		{"19 orphan, owner deleting: ignored", deletingOwner, claimPod("p"), false, false, false},
		{"19 orphan deleting: ignored", testOwner, claimPod("p", deleting()), false, false, false},
		{"19 orphan in another namespace: ignored", testOwner, claimPod("p", inNamespace("other")), false, false, false},
		{"19 cluster-scoped owner adopts across namespaces", clusterOwner, claimPod("p", inNamespace("other")), true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			c := ClaimObjects(tt.owner, []*corev1.Pod{tt.pod}, match)
			if got := len(c.Claimed) == 1; got != tt.wantClaimed {
				t.Errorf("claimed = %v, want %v", got, tt.wantClaimed)
			}
			if got := len(c.Adopt) == 1; got != tt.wantAdopt {
				t.Errorf("adopt = %v, want %v", got, tt.wantAdopt)
			}
			if got := len(c.Release) == 1; got != tt.wRel {
				t.Errorf("release = %v, want %v", got, tt.wRel)
			}
		})
	}
}

func TestClaimObjectsMatchNotCalledForDeletingOwnerOrphans(t *testing.T) {
	// Upstream checks the owner's deletion before calling match on an orphan; a match with side
	// effects (StatefulSet's filters are pure, but callers may count) must see the same calls.
	owner := testOwner
	owner.Deleting = true
	calls := 0
	ClaimObjects(owner, []*corev1.Pod{claimPod("orphan"), claimPod("other", ownedBy("x"))}, func(*corev1.Pod) bool {
		calls++
		return true
	})
	if calls != 0 {
		t.Errorf("match called %d times, want 0", calls)
	}
}

func TestClaimObjectsKeepsOrderAndSkipsNil(t *testing.T) {
	pods := []*corev1.Pod{
		claimPod("c", ownedBy("rs-uid")), nil, claimPod("a"), claimPod("b", ownedBy("rs-uid"), labelled(nil)),
		claimPod("d"), nil, claimPod("e", ownedBy("rs-uid"), labelled(map[string]string{})),
	}
	sel := FromSet(map[string]string{"tier": "frontend"})
	c := ClaimObjects(testOwner, pods, func(p *corev1.Pod) bool { return sel.Matches(p.Labels) })
	if diff := cmp.Diff([]string{"c", "a", "d"}, names(c.Claimed)); diff != "" {
		t.Errorf("Claimed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "d"}, names(c.Adopt)); diff != "" {
		t.Errorf("Adopt (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b", "e"}, names(c.Release)); diff != "" {
		t.Errorf("Release (-want +got):\n%s", diff)
	}
}

func TestClaimObjectsSkipsNilInInterfaces(t *testing.T) {
	var nilPod *corev1.Pod
	objs := []metav1.Object{nil, nilPod, claimPod("a")}
	c := ClaimObjects(testOwner, objs, func(metav1.Object) bool { return true })
	if len(c.Claimed) != 1 || c.Claimed[0].GetName() != "a" {
		t.Errorf("Claimed = %v, want only a", c.Claimed)
	}
}

func TestOwnerControllerRef(t *testing.T) {
	// metav1.NewControllerRef sets both flags to true.
	want := metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "frontend", UID: "rs-uid",
		Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true)}
	if diff := cmp.Diff(want, testOwner.ControllerRef()); diff != "" {
		t.Errorf("ControllerRef (-want +got):\n%s", diff)
	}
}

// genClaimPods returns pods with every ownership shape ClaimObject distinguishes.
func genClaimPods(t *rapid.T) []*corev1.Pod {
	n := rapid.IntRange(0, 12).Draw(t, "n")
	pods := make([]*corev1.Pod, 0, n)
	for i := 0; i < n; i++ {
		if rapid.IntRange(0, 15).Draw(t, "nil") == 0 {
			pods = append(pods, nil)
			continue
		}
		var opts []podOpt
		switch rapid.IntRange(0, 5).Draw(t, "ownership") {
		case 1:
			opts = append(opts, ownedBy("rs-uid"))
		case 2:
			opts = append(opts, ownedBy("other-uid"))
		case 3:
			opts = append(opts, refNotController("rs-uid"))
		case 4:
			opts = append(opts, refNotController("x"), ownedBy(rapid.SampledFrom([]types.UID{"rs-uid", "other-uid"}).Draw(t, "uid")))
		}
		if rapid.Bool().Draw(t, "relabel") {
			opts = append(opts, labelled(map[string]string{"tier": rapid.SampledFrom([]string{"frontend", "backend"}).Draw(t, "tier")}))
		}
		if rapid.IntRange(0, 3).Draw(t, "deleting") == 0 {
			opts = append(opts, deleting())
		}
		if rapid.IntRange(0, 3).Draw(t, "ns") == 0 {
			opts = append(opts, inNamespace("other"))
		}
		pods = append(pods, claimPod(fmt.Sprintf("p%d", i), opts...))
	}
	return pods
}

func TestClaimObjectsProperties(t *testing.T) {
	sel := FromSet(map[string]string{"tier": "frontend"})
	match := func(p *corev1.Pod) bool { return sel.Matches(p.Labels) }
	rapid.Check(t, func(t *rapid.T) {
		owner := testOwner
		owner.Deleting = rapid.Bool().Draw(t, "ownerDeleting")
		pods := genClaimPods(t)
		before := make([]*corev1.Pod, len(pods))
		for i, p := range pods {
			if p != nil {
				before[i] = p.DeepCopy()
			}
		}
		c := ClaimObjects(owner, pods, match)

		// Inputs unchanged.
		if diff := cmp.Diff(before, pods); diff != "" {
			t.Fatalf("input modified (-before +after):\n%s", diff)
		}
		// Never adopts or releases, nor claims, what another controller controls.
		for _, list := range [][]*corev1.Pod{c.Claimed, c.Adopt, c.Release} {
			for _, p := range list {
				if r := controllerOf(p); r != nil && r.UID != owner.UID {
					t.Fatalf("%s is controlled by %s but was claimed, adopted or released", p.Name, r.UID)
				}
			}
		}
		// Adopt is a subset of Claimed; Release is disjoint from Claimed; a deleting owner
		// changes no ownership.
		for _, p := range c.Adopt {
			if !slices.Contains(c.Claimed, p) || controllerOf(p) != nil {
				t.Fatalf("adopted %s is not a claimed orphan", p.Name)
			}
		}
		for _, p := range c.Release {
			if slices.Contains(c.Claimed, p) || match(p) {
				t.Fatalf("released %s is claimed or still matches", p.Name)
			}
		}
		if owner.Deleting && len(c.Adopt)+len(c.Release) != 0 {
			t.Fatalf("deleting owner adopts %v, releases %v", names(c.Adopt), names(c.Release))
		}
		// Same sets for any input order, each list in input order.
		perm := rapid.Permutation(pods).Draw(t, "perm")
		c2 := ClaimObjects(owner, perm, match)
		for _, pair := range [][2][]*corev1.Pod{{c.Claimed, c2.Claimed}, {c.Adopt, c2.Adopt}, {c.Release, c2.Release}} {
			a, b := names(pair[0]), names(pair[1])
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) {
				t.Fatalf("order changed the outcome: %v vs %v", a, b)
			}
		}
		for _, list := range [][]*corev1.Pod{c.Claimed, c.Adopt, c.Release} {
			if !slices.IsSortedFunc(list, func(a, b *corev1.Pod) int { return slices.Index(pods, a) - slices.Index(pods, b) }) {
				t.Fatalf("list not in input order: %v", names(list))
			}
		}
	})
}
