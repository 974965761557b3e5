package selector

import (
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// fuzzReader turns fuzz bytes into structured input: small numbers, pool picks and raw strings.
type fuzzReader struct{ b []byte }

func (r *fuzzReader) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *fuzzReader) intn(n int) int { return int(r.byte()) % n }

// str returns a label-ish string: mostly from the pools, sometimes raw fuzz bytes.
func (r *fuzzReader) str() string {
	switch r.intn(4) {
	case 0:
		n := r.intn(12)
		if n > len(r.b) {
			n = len(r.b)
		}
		s := string(r.b[:n])
		r.b = r.b[n:]
		return s
	case 1:
		return values[r.intn(len(values))]
	case 2:
		return invalidKeys[r.intn(len(invalidKeys))]
	default:
		return validKeys[r.intn(len(validKeys))]
	}
}

func (r *fuzzReader) strs() []string {
	switch n := r.intn(5); n {
	case 0:
		return nil
	default:
		out := make([]string, n-1)
		for i := range out {
			out[i] = r.str()
		}
		return out
	}
}

func (r *fuzzReader) labels() map[string]string {
	if r.intn(6) == 0 {
		return nil
	}
	m := map[string]string{}
	for i, n := 0, r.intn(6); i < n; i++ {
		m[r.str()] = r.str()
	}
	return m
}

func (r *fuzzReader) nodeTerm() corev1.NodeSelectorTerm {
	var t corev1.NodeSelectorTerm
	for i, n := 0, r.intn(4); i < n; i++ {
		t.MatchExpressions = append(t.MatchExpressions, corev1.NodeSelectorRequirement{
			Key: r.str(), Operator: nodeOps[r.intn(len(nodeOps))], Values: r.strs()})
	}
	for i, n := 0, r.intn(3); i < n; i++ {
		key := "metadata.name"
		if r.intn(3) == 0 {
			key = r.str()
		}
		t.MatchFields = append(t.MatchFields, corev1.NodeSelectorRequirement{
			Key: key, Operator: nodeOps[r.intn(len(nodeOps))], Values: r.strs()})
	}
	return t
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "a=b", "a in (b,,c)", "!a,b notin (in)", "a>01,b<2", "a=\x00b", " a\t==\nb ", "a in (", "a>=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ours, err := Parse(s)
		theirs, uerr := labels.Parse(s)
		if (err == nil) != (uerr == nil) || (err != nil && err.Error() != uerr.Error()) {
			t.Fatalf("Parse(%q) error %v, upstream %v", s, err, uerr)
		}
		if err == nil && (ours.String() != theirs.String() || ours.Empty() != theirs.Empty()) {
			t.Fatalf("Parse(%q) = %q (empty %v), upstream %q (empty %v)", s, ours, ours.Empty(), theirs, theirs.Empty())
		}
	})
}

func FuzzFromLabelSelector(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte("matchLabels and expressions"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{data}
		var ls *metav1.LabelSelector
		if r.intn(8) != 0 {
			ls = &metav1.LabelSelector{MatchLabels: r.labels()}
			for i, n := 0, r.intn(4); i < n; i++ {
				ls.MatchExpressions = append(ls.MatchExpressions, metav1.LabelSelectorRequirement{
					Key: r.str(), Operator: labelOps[r.intn(len(labelOps))], Values: r.strs()})
			}
		}
		sel, errs := FromLabelSelector(ls, field.NewPath("spec", "selector"))
		theirs, uerr := metav1.LabelSelectorAsSelector(ls)
		if (len(errs) == 0) != (uerr == nil) {
			t.Fatalf("errors %v, upstream %v", errs, uerr)
		}
		for _, e := range errs {
			if !strings.HasPrefix(e.Field, "spec.selector.match") {
				t.Fatalf("error without a field path: %v", e)
			}
		}
		if uerr == nil {
			set := r.labels()
			if sel.Matches(set) != theirs.Matches(labels.Set(set)) {
				t.Fatalf("Matches(%v) differs from upstream for %v", set, ls)
			}
		}
	})
}

func FuzzNodeSelector(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
	f.Add([]byte("nodeSelectorTerms matchFields metadata.name"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{data}
		ns := &corev1.NodeSelector{}
		for i, n := 0, r.intn(4); i < n; i++ {
			ns.NodeSelectorTerms = append(ns.NodeSelectorTerms, r.nodeTerm())
		}
		var prefs []corev1.PreferredSchedulingTerm
		for i, n := 0, r.intn(3); i < n; i++ {
			prefs = append(prefs, corev1.PreferredSchedulingTerm{Weight: int32(r.intn(5)) - 1, Preference: r.nodeTerm()})
		}
		pod := &corev1.Pod{Spec: corev1.PodSpec{NodeSelector: r.labels()}}
		if r.intn(2) == 0 {
			pod.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: ns}}
		}
		n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: r.str(), Labels: r.labels()}}

		sel, errs := CompileNodeSelector(ns, field.NewPath("spec"))
		for _, e := range errs {
			if !strings.HasPrefix(e.Field, "spec.nodeSelectorTerms[") {
				t.Fatalf("error without a term path: %v", e)
			}
		}
		matched := sel.Matches(n)
		aff := RequiredNodeAffinityOf(pod)
		if aff.Matches(n) && pod.Spec.Affinity != nil && !matched {
			t.Fatal("required affinity matched a node its node selector rejects")
		}
		p, perrs := CompilePreferredSchedulingTerms(prefs, field.NewPath("p"))
		if score := p.Score(n); len(perrs) != 0 && score != 0 {
			t.Fatalf("score %d despite errors", score)
		}
		sel.Matches(nil)
		aff.Matches(nil)
		p.Score(nil)
	})
}

func FuzzClaimObjects(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{data}
		owner := testOwner
		owner.Deleting = r.intn(3) == 0
		var pods []*corev1.Pod
		for i, n := 0, r.intn(8); i < n; i++ {
			if r.intn(8) == 0 {
				pods = append(pods, nil)
				continue
			}
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprint(i), Namespace: []string{"ns", "other", ""}[r.intn(3)], Labels: r.labels()}}
			for j, m := 0, r.intn(3); j < m; j++ {
				var c *bool
				if k := r.intn(3); k > 0 {
					b := k == 1
					c = &b
				}
				p.OwnerReferences = append(p.OwnerReferences, metav1.OwnerReference{UID: []types.UID{"rs-uid", "x", ""}[r.intn(3)], Controller: c})
			}
			if r.intn(3) == 0 {
				p.DeletionTimestamp = &metav1.Time{}
			}
			pods = append(pods, p)
		}
		sel := FromSet(r.labels())
		c := ClaimObjects(owner, pods, func(p *corev1.Pod) bool { return sel.Matches(p.Labels) })
		for _, list := range [][]*corev1.Pod{c.Claimed, c.Adopt, c.Release} {
			for _, p := range list {
				if ref := controllerOf(p); ref != nil && ref.UID != owner.UID {
					t.Fatalf("touched %s controlled by %q", p.Name, ref.UID)
				}
			}
		}
	})
}

func FuzzServiceEndpoints(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{data}
		s := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns"}}
		s.Spec.Selector = r.labels()
		s.Spec.ClusterIP = []string{"", "None", "10.0.0.1", "fd00::1", "junk"}[r.intn(5)]
		s.Spec.PublishNotReadyAddresses = r.intn(2) == 0
		for i, n := 0, r.intn(3); i < n; i++ {
			s.Spec.IPFamilies = append(s.Spec.IPFamilies, []corev1.IPFamily{"IPv4", "IPv6", "x"}[r.intn(3)])
		}
		var pods []*corev1.Pod
		for i, n := 0, r.intn(6); i < n; i++ {
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: r.str(), Namespace: []string{"ns", "other"}[r.intn(2)], Labels: r.labels()}}
			for j, m := 0, r.intn(3); j < m; j++ {
				p.Status.PodIPs = append(p.Status.PodIPs, corev1.PodIP{IP: []string{"10.1.1.1", "fd00::2", "", "bad"}[r.intn(4)]})
			}
			p.Status.Phase = []corev1.PodPhase{"", corev1.PodRunning, corev1.PodSucceeded, corev1.PodFailed}[r.intn(4)]
			if r.intn(2) == 0 {
				p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodReady, Status: []corev1.ConditionStatus{"True", "False", "Unknown"}[r.intn(3)]})
			}
			if r.intn(3) == 0 {
				p.DeletionTimestamp = &metav1.Time{}
			}
			pods = append(pods, p)
		}
		for _, e := range ServiceEndpoints(s, pods) {
			if e.Ready && !s.Spec.PublishNotReadyAddresses && (!e.Serving || e.Terminating) {
				t.Fatalf("ready endpoint %s is not serving or is terminating", e.Pod.Name)
			}
		}
	})
}
