package selectorconf

import (
	"flag"
	"math/rand/v2"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var (
	flagN    = flag.Int("selector.n", 20000, "random cases per differential test")
	flagSeed = flag.Uint64("selector.seed", 0, "run only the case with this seed (0: run -selector.n cases)")
)

// forEachSeed runs check for -selector.n seeds, or only -selector.seed, and names the seed of a
// failure so it can be replayed.
func forEachSeed(t *testing.T, check func(t *testing.T, r *rand.Rand)) {
	t.Helper()
	seeds := []uint64{*flagSeed}
	if *flagSeed == 0 {
		seeds = seeds[:0]
		for i := 1; i <= *flagN; i++ {
			seeds = append(seeds, uint64(i))
		}
	}
	for _, seed := range seeds {
		func() {
			// Deferred so that it also runs when check stops the test with Fatal.
			defer func() {
				if t.Failed() {
					t.Logf("replay with -selector.seed=%d", seed)
				}
			}()
			check(t, rand.New(rand.NewPCG(seed, 0x5e1ec7)))
		}()
		if t.Failed() {
			return
		}
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

var (
	goodKeys = []string{"zone", "cpus", "gpu", "a", "in", "example.com/tier", "Upper"}
	badKeys  = []string{"", "-bad", "A.com/x", "a/b/c", strings.Repeat("k", 64)}
	// goodVals are valid label values, several of them integers with leading zeros.
	goodVals = []string{"", "a", "b", "ssd", "0", "4", "04", "5", "10", "007", "in", "9223372036854775807"}
	// oddVals are invalid as label values or as integers, or at the int64 limits.
	oddVals   = []string{"-1", "+1", "9223372036854775808", "-9223372036854775808", "x", "Web", "_bad", strings.Repeat("v", 64)}
	nodeNames = []string{"", "n1", "n2", "node-a"}
	fieldKeys = []string{"metadata.name", "metadata.name", "metadata.name", "metadata.namespace", "spec.unschedulable", ""}
	goodOps   = []corev1.NodeSelectorOperator{"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"}
	badOps    = []corev1.NodeSelectorOperator{"", "in", "Foo"}
)

func pickKey(r *rand.Rand) string {
	if r.IntN(10) == 0 {
		return pick(r, badKeys)
	}
	return pick(r, goodKeys)
}

func pickVal(r *rand.Rand) string {
	if r.IntN(7) == 0 {
		return pick(r, oddVals)
	}
	return pick(r, goodVals)
}

func pickOp(r *rand.Rand) corev1.NodeSelectorOperator {
	if r.IntN(12) == 0 {
		return pick(r, badOps)
	}
	return pick(r, goodOps)
}

// genValues returns values fitting op most of the time, and any shape (nil, empty, several)
// otherwise.
func genValues(r *rand.Rand, op corev1.NodeSelectorOperator) []string {
	n := 1
	switch {
	case r.IntN(8) == 0:
		switch r.IntN(3) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		n = 1 + r.IntN(3)
	case op == "Exists" || op == "DoesNotExist":
		return nil
	case op == "In" || op == "NotIn":
		n = 1 + r.IntN(3)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = pickVal(r)
	}
	return out
}

func genLabels(r *rand.Rand) map[string]string {
	if r.IntN(8) == 0 {
		return nil
	}
	m := map[string]string{}
	for i, n := 0, r.IntN(5); i < n; i++ {
		m[pickKey(r)] = pickVal(r)
	}
	return m
}

func genTerm(r *rand.Rand) corev1.NodeSelectorTerm {
	var t corev1.NodeSelectorTerm
	switch r.IntN(5) {
	case 0: // empty term
		if r.IntN(2) == 0 {
			t.MatchExpressions = []corev1.NodeSelectorRequirement{}
		}
		return t
	}
	for i, n := 0, r.IntN(3); i < n; i++ {
		op := pickOp(r)
		t.MatchExpressions = append(t.MatchExpressions, corev1.NodeSelectorRequirement{Key: pickKey(r), Operator: op, Values: genValues(r, op)})
	}
	for i, n := 0, r.IntN(3); i < n; i++ {
		op := corev1.NodeSelectorOperator(pick(r, []string{"In", "NotIn"}))
		if r.IntN(8) == 0 {
			op = pickOp(r)
		}
		req := corev1.NodeSelectorRequirement{Key: pick(r, fieldKeys), Operator: op}
		switch r.IntN(10) {
		case 0:
		case 1:
			req.Values = []string{pick(r, nodeNames), pick(r, nodeNames)}
		default:
			req.Values = []string{pick(r, nodeNames)}
		}
		t.MatchFields = append(t.MatchFields, req)
	}
	return t
}

func genNodeSelector(r *rand.Rand) *corev1.NodeSelector {
	ns := &corev1.NodeSelector{}
	for i, n := 0, r.IntN(4); i < n; i++ {
		ns.NodeSelectorTerms = append(ns.NodeSelectorTerms, genTerm(r))
	}
	return ns
}

func genNode(r *rand.Rand) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: pick(r, nodeNames), Labels: genLabels(r)}}
}
