package selectorconf

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"

	"github.com/reckon-k8s/reckon/selector"
)

// upstreamErrs returns the flattened error texts of an upstream constructor, in order.
func upstreamErrs(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	agg, ok := err.(utilerrors.Aggregate)
	if !ok {
		return []string{err.Error()}
	}
	for _, e := range utilerrors.Flatten(agg).Errors() {
		out = append(out, e.Error())
	}
	return out
}

func ourErrs(errs field.ErrorList, fix func(string) string) []string {
	var out []string
	for _, e := range errs {
		s := e.Error()
		if fix != nil {
			s = fix(s)
		}
		out = append(out, s)
	}
	return out
}

// stats shows in -v output that the random cases reach every outcome.
type stats struct{ cases, matched, unmatched, errored int }

func (s stats) log(t *testing.T, what string) {
	t.Logf("%s: %d cases, %d matches, %d non-matches, %d with errors", what, s.cases, s.matched, s.unmatched, s.errored)
	if *flagSeed == 0 && (s.matched == 0 || s.unmatched == 0 || s.errored == 0) {
		t.Errorf("%s: generator does not reach every outcome: %+v", what, s)
	}
}

func TestCompileNodeSelectorMatchesNodeaffinity(t *testing.T) {
	path := field.NewPath("spec", "affinity")
	var st stats
	forEachSeed(t, func(t *testing.T, r *rand.Rand) {
		ns := genNodeSelector(r)
		ours, errs := selector.CompileNodeSelector(ns, path)
		_, uerr := nodeaffinity.NewNodeSelector(ns, field.WithPath(path))
		if got, want := ourErrs(errs, nil), upstreamErrs(uerr); !slices.Equal(got, want) {
			t.Fatalf("errors for %+v\n got %q\nwant %q", ns, got, want)
		}
		if len(errs) != 0 {
			st.errored++
		}
		lazy := nodeaffinity.NewLazyErrorNodeSelector(ns, field.WithPath(path))
		for i := 0; i < 8; i++ {
			n := genNode(r)
			want, _ := lazy.Match(n)
			if got := ours.Matches(n); got != want {
				t.Fatalf("Matches(%q %v) = %v, upstream %v, selector %+v", n.Name, n.Labels, got, want, ns)
			}
			st.cases++
			if want {
				st.matched++
			} else {
				st.unmatched++
			}
		}
	})
	st.log(t, "node selector")
}

func TestRequiredNodeAffinityMatchesNodeaffinity(t *testing.T) {
	var st stats
	forEachSeed(t, func(t *testing.T, r *rand.Rand) {
		pod := &corev1.Pod{}
		if r.IntN(2) == 0 {
			pod.Spec.NodeSelector = genLabels(r)
		}
		switch r.IntN(5) {
		case 0:
		case 1:
			pod.Spec.Affinity = &corev1.Affinity{}
		case 2:
			pod.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{}}
		default:
			pod.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
				RequiredDuringSchedulingIgnoredDuringExecution: genNodeSelector(r)}}
		}
		ours := selector.RequiredNodeAffinityOf(pod)
		theirs := nodeaffinity.GetRequiredNodeAffinity(pod)
		for i := 0; i < 8; i++ {
			n := genNode(r)
			want, err := theirs.Match(n)
			if got := ours.Matches(n); got != want {
				t.Fatalf("Matches(%q %v) = %v, upstream %v, nodeSelector %v, affinity %v", n.Name, n.Labels, got, want, pod.Spec.NodeSelector, pod.Spec.Affinity)
			}
			st.cases++
			if want {
				st.matched++
			} else {
				st.unmatched++
			}
			if err != nil {
				st.errored++
			}
		}
	})
	st.log(t, "required node affinity")
}

func TestPreferredSchedulingTermsMatchNodeaffinity(t *testing.T) {
	path := field.NewPath("spec", "preferred")
	// Ours names the preference field, upstream leaves it out of the path.
	dropPreference := func(s string) string { return strings.Replace(s, "].preference.", "].", 1) }
	var st stats
	forEachSeed(t, func(t *testing.T, r *rand.Rand) {
		var terms []corev1.PreferredSchedulingTerm
		for i, n := 0, r.IntN(4); i < n; i++ {
			terms = append(terms, corev1.PreferredSchedulingTerm{
				Weight: pick(r, []int32{0, 1, 5, 100, -3}), Preference: genTerm(r)})
		}
		ours, errs := selector.CompilePreferredSchedulingTerms(terms, path)
		theirs, uerr := nodeaffinity.NewPreferredSchedulingTerms(terms, field.WithPath(path))
		if got, want := ourErrs(errs, dropPreference), upstreamErrs(uerr); !slices.Equal(got, want) {
			t.Fatalf("errors for %+v\n got %q\nwant %q", terms, got, want)
		}
		if uerr != nil {
			st.errored++
			return
		}
		for i := 0; i < 8; i++ {
			n := genNode(r)
			want := theirs.Score(n)
			if got := ours.Score(n); got != want {
				t.Fatalf("Score(%q %v) = %d, upstream %d, terms %+v", n.Name, n.Labels, got, want, terms)
			}
			st.cases++
			if want != 0 {
				st.matched++
			} else {
				st.unmatched++
			}
		}
	})
	st.log(t, "preferred terms (matches = non-zero scores)")
}
