package selector

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Expected values are reasoned from component-helpers v0.36.3
// scheduling/corev1/nodeaffinity/nodeaffinity.go (LazyErrorNodeSelector, nodeSelectorTerm.match,
// extractNodeFields, PreferredSchedulingTerms, GetRequiredNodeAffinity) and labels.NewRequirement;
// the rows marked [verified] in /work/shared/reference/upstream-scheduling.md §2.1 were run
// against it. internal/conformance/selectorconf compares the same functions with nodeaffinity on
// random input.

func node(name string, labels map[string]string) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
}

func expr(key string, op corev1.NodeSelectorOperator, vals ...string) corev1.NodeSelectorRequirement {
	return corev1.NodeSelectorRequirement{Key: key, Operator: op, Values: vals}
}

func terms(ts ...corev1.NodeSelectorTerm) *corev1.NodeSelector {
	return &corev1.NodeSelector{NodeSelectorTerms: ts}
}

func labelTerm(es ...corev1.NodeSelectorRequirement) corev1.NodeSelectorTerm {
	return corev1.NodeSelectorTerm{MatchExpressions: es}
}

func fieldTerm(es ...corev1.NodeSelectorRequirement) corev1.NodeSelectorTerm {
	return corev1.NodeSelectorTerm{MatchFields: es}
}

type nodeCase struct {
	node *corev1.Node
	want bool
}

func TestNodeSelectorRules(t *testing.T) {
	zoneA := node("n1", map[string]string{"zone": "a", "cpus": "5", "gpu": ""})
	zoneB := node("n2", map[string]string{"zone": "b", "cpus": "x"})
	bare := node("n3", nil)
	unnamed := node("", map[string]string{"zone": "a"})
	tests := []struct {
		rule     string
		ns       *corev1.NodeSelector
		cases    []nodeCase
		wantErrs []string // prefixes of the error texts, in order
	}{
		{"11 nil selector matches no node", nil, []nodeCase{{zoneA, false}}, nil},
		{"11 zero terms match no node [verified]", terms(), []nodeCase{{zoneA, false}, {bare, false}}, nil},
		{"11 empty term is dropped [verified]", terms(corev1.NodeSelectorTerm{}), []nodeCase{{zoneA, false}}, nil},
		{"10 terms are ORed, empty term ignored [verified]", terms(corev1.NodeSelectorTerm{}, labelTerm(expr("zone", "In", "a"))),
			[]nodeCase{{zoneA, true}, {zoneB, false}}, nil},
		{"10 expressions are ANDed", terms(labelTerm(expr("zone", "In", "a", "b"), expr("cpus", "Exists"))),
			[]nodeCase{{zoneA, true}, {zoneB, true}, {bare, false}}, nil},
		{"10 expressions and fields are ANDed", terms(corev1.NodeSelectorTerm{
			MatchExpressions: []corev1.NodeSelectorRequirement{expr("zone", "In", "a", "b")},
			MatchFields:      []corev1.NodeSelectorRequirement{expr("metadata.name", "In", "n2")},
		}), []nodeCase{{zoneA, false}, {zoneB, true}}, nil},
		{"12 NotIn matches nodes without the key", terms(labelTerm(expr("zone", "NotIn", "a"))),
			[]nodeCase{{zoneA, false}, {zoneB, true}, {bare, true}}, nil},
		{"12 DoesNotExist", terms(labelTerm(expr("gpu", "DoesNotExist"))),
			[]nodeCase{{zoneA, false}, {zoneB, true}}, nil},
		{"12 Gt compares integers, leading zeros fine [verified]", terms(labelTerm(expr("cpus", "Gt", "04"))),
			[]nodeCase{{zoneA, true}, {zoneB, false}, {bare, false}}, nil},
		{"12 Lt is strict", terms(labelTerm(expr("cpus", "Lt", "5"))), []nodeCase{{zoneA, false}}, nil},
		{"13 matchFields on metadata.name", terms(fieldTerm(expr("metadata.name", "In", "n1"))),
			[]nodeCase{{zoneA, true}, {zoneB, false}}, nil},
		{"13 NotIn on metadata.name", terms(fieldTerm(expr("metadata.name", "NotIn", "n1"))),
			[]nodeCase{{zoneA, false}, {zoneB, true}}, nil},
		{"13 other field keys read as empty", terms(fieldTerm(expr("spec.unschedulable", "In", ""))),
			[]nodeCase{{zoneA, true}}, nil},
		{"13 other field keys never equal a value", terms(fieldTerm(expr("metadata.namespace", "In", "n1"))),
			[]nodeCase{{zoneA, false}}, nil},
		{"13 node without a name skips matchFields [verified]", terms(fieldTerm(expr("metadata.name", "In", "other"))),
			[]nodeCase{{unnamed, true}, {zoneA, false}}, nil},
		{"13 node without a name still checks labels", terms(corev1.NodeSelectorTerm{
			MatchExpressions: []corev1.NodeSelectorRequirement{expr("zone", "In", "b")},
			MatchFields:      []corev1.NodeSelectorRequirement{expr("metadata.name", "In", "other")},
		}), []nodeCase{{unnamed, false}}, nil},
		{"14 erroneous term never matches, others still do", terms(
			labelTerm(expr("zone", "Foo", "a")),
			labelTerm(expr("zone", "In", "a")),
		), []nodeCase{{zoneA, true}, {zoneB, false}}, []string{
			`spec.nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: "Foo": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"`,
		}},
		{"14 one bad expression spoils its term", terms(labelTerm(expr("zone", "In", "a"), expr("cpus", "Gt", "-1"))),
			[]nodeCase{{zoneA, false}}, []string{
				`spec.nodeSelectorTerms[0].matchExpressions[1].values[0][cpus]: Invalid value: "-1": a valid label must be`,
			}},
		{"12 Gt needs exactly one integer", terms(labelTerm(expr("cpus", "Gt", "1", "2"), expr("cpus", "Lt", "x"))),
			[]nodeCase{{zoneA, false}}, []string{
				`spec.nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: ["1","2"]: for 'Gt', 'Lt' operators, exactly one value is required`,
				`spec.nodeSelectorTerms[0].matchExpressions[1].values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
			}},
		{"12 In needs values, Exists none", terms(labelTerm(expr("zone", "In"), expr("zone", "Exists", "a"))),
			[]nodeCase{{zoneA, false}}, []string{
				`spec.nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`,
				`spec.nodeSelectorTerms[0].matchExpressions[1].values: Invalid value: ["a"]: values set must be empty for exists and does not exist`,
			}},
		{"12 invalid key", terms(labelTerm(expr("-zone", "Exists"))), []nodeCase{{zoneA, false}}, []string{
			`spec.nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: "-zone": name part must consist of`,
		}},
		{"13 matchFields need one value and In/NotIn", terms(fieldTerm(expr("metadata.name", "In", "a", "b"), expr("metadata.name", "Exists"))),
			[]nodeCase{{zoneA, false}, {unnamed, false}}, []string{
				`spec.nodeSelectorTerms[0].matchFields[0].values: Invalid value: ["a","b"]: must have one element`,
				`spec.nodeSelectorTerms[0].matchFields[1].operator: Unsupported value: "Exists": supported values: "In", "NotIn"`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			sel, errs := CompileNodeSelector(tt.ns, field.NewPath("spec"))
			checkErrs(t, errs, tt.wantErrs)
			for _, c := range tt.cases {
				if got := sel.Matches(c.node); got != c.want {
					t.Errorf("Matches(%s %v) = %v, want %v", c.node.Name, c.node.Labels, got, c.want)
				}
			}
			if sel.Matches(nil) {
				t.Error("Matches(nil) = true")
			}
		})
	}
}

func checkErrs(t *testing.T, errs field.ErrorList, want []string) {
	t.Helper()
	if len(errs) != len(want) {
		t.Fatalf("errors = %v, want %d: %q", errs, len(want), want)
	}
	for i, w := range want {
		if got := errs[i].Error(); !strings.HasPrefix(got, w) {
			t.Errorf("error %d = %q, want prefix %q", i, got, w)
		}
	}
}

func TestRequiredNodeAffinityRules(t *testing.T) {
	a := node("n1", map[string]string{"zone": "a", "disk": "ssd"})
	b := node("n2", map[string]string{"zone": "b"})
	withAffinity := func(ns *corev1.NodeSelector) *corev1.Affinity {
		return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: ns}}
	}
	tests := []struct {
		rule  string
		pod   *corev1.Pod
		cases []nodeCase
	}{
		{"15 nil pod requires nothing", nil, []nodeCase{{a, true}, {b, true}}},
		{"15 no constraints", &corev1.Pod{}, []nodeCase{{a, true}, {b, true}}},
		{"15 nodeSelector entries must all match", &corev1.Pod{Spec: corev1.PodSpec{NodeSelector: map[string]string{"zone": "a", "disk": "ssd"}}},
			[]nodeCase{{a, true}, {b, false}}},
		{"15 nodeSelector is not validated", &corev1.Pod{Spec: corev1.PodSpec{NodeSelector: map[string]string{"Bad Key!": "x"}}},
			[]nodeCase{{a, false}, {node("n", map[string]string{"Bad Key!": "x"}), true}}},
		{"15 affinity without NodeAffinity requires nothing", &corev1.Pod{Spec: corev1.PodSpec{Affinity: &corev1.Affinity{}}},
			[]nodeCase{{a, true}}},
		{"15 nil required terms require nothing", &corev1.Pod{Spec: corev1.PodSpec{Affinity: withAffinity(nil)}},
			[]nodeCase{{a, true}}},
		{"15 set required selector with zero terms matches no node", &corev1.Pod{Spec: corev1.PodSpec{Affinity: withAffinity(terms())}},
			[]nodeCase{{a, false}, {b, false}}},
		{"15 nodeSelector AND affinity", &corev1.Pod{Spec: corev1.PodSpec{
			NodeSelector: map[string]string{"disk": "ssd"},
			Affinity:     withAffinity(terms(labelTerm(expr("zone", "In", "b")), labelTerm(expr("zone", "In", "a")))),
		}}, []nodeCase{{a, true}, {b, false}, {node("n3", map[string]string{"disk": "ssd", "zone": "c"}), false}}},
		{"14 erroneous required terms are ignored, not fatal", &corev1.Pod{Spec: corev1.PodSpec{
			Affinity: withAffinity(terms(labelTerm(expr("zone", "Gt", "a")), labelTerm(expr("zone", "In", "b")))),
		}}, []nodeCase{{a, false}, {b, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			r := RequiredNodeAffinityOf(tt.pod)
			for _, c := range tt.cases {
				if got := r.Matches(c.node); got != c.want {
					t.Errorf("Matches(%s) = %v, want %v", c.node.Name, got, c.want)
				}
			}
			if r.Matches(nil) {
				t.Error("Matches(nil) = true")
			}
		})
	}
	if !(RequiredNodeAffinity{}).Matches(a) {
		t.Error("zero RequiredNodeAffinity must require nothing")
	}
}

func TestPreferredSchedulingTermsRules(t *testing.T) {
	n := node("n1", map[string]string{"zone": "a", "disk": "ssd"})
	pref := func(w int32, t corev1.NodeSelectorTerm) corev1.PreferredSchedulingTerm {
		return corev1.PreferredSchedulingTerm{Weight: w, Preference: t}
	}
	tests := []struct {
		rule     string
		terms    []corev1.PreferredSchedulingTerm
		want     int64
		wantErrs []string
	}{
		{"14 no terms score 0", nil, 0, nil},
		{"14 sum of matching weights", []corev1.PreferredSchedulingTerm{
			pref(10, labelTerm(expr("zone", "In", "a"))),
			pref(5, labelTerm(expr("disk", "In", "hdd"))),
			pref(7, fieldTerm(expr("metadata.name", "In", "n1"))),
			pref(-2, labelTerm(expr("disk", "Exists"))),
		}, 15, nil},
		{"14 weight 0 is skipped unchecked", []corev1.PreferredSchedulingTerm{
			pref(0, labelTerm(expr("zone", "Foo"))),
			pref(3, labelTerm(expr("zone", "In", "a"))),
		}, 3, nil},
		{"14 empty preference is skipped", []corev1.PreferredSchedulingTerm{
			pref(4, corev1.NodeSelectorTerm{}),
			pref(3, labelTerm(expr("zone", "In", "a"))),
		}, 3, nil},
		{"14 an error fails the whole list", []corev1.PreferredSchedulingTerm{
			pref(3, labelTerm(expr("zone", "In", "a"))),
			pref(1, labelTerm(expr("zone", "Foo"))),
		}, 0, []string{`spec.preferred[1].preference.matchExpressions[0].operator: Unsupported value: "Foo"`}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			p, errs := CompilePreferredSchedulingTerms(tt.terms, field.NewPath("spec", "preferred"))
			checkErrs(t, errs, tt.wantErrs)
			if got := p.Score(n); got != tt.want {
				t.Errorf("Score = %d, want %d", got, tt.want)
			}
			if got := p.Score(nil); got != 0 {
				t.Errorf("Score(nil) = %d, want 0", got)
			}
		})
	}
}
