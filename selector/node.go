package selector

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// NodeSelector is a compiled corev1.NodeSelector (the required node affinity of a pod, or any
// other list of node selector terms). It is an immutable value, safe for concurrent use. The zero
// NodeSelector has no terms and matches no node.
//
// It reproduces component-helpers nodeaffinity.LazyErrorNodeSelector
// (k8s.io/component-helpers/scheduling/corev1/nodeaffinity), the form the scheduler, the kubelet
// and the DaemonSet controller use: terms are ORed; a term with neither matchExpressions nor
// matchFields is dropped; a term with a compile error never matches, while the other terms still
// can (the scheduler ignores the error). See doc.go rules for the operators.
type NodeSelector struct {
	terms []nodeTerm // valid, non-empty terms in input order
}

// nodeTerm is one valid corev1.NodeSelectorTerm: every label requirement and every field
// requirement must hold.
type nodeTerm struct {
	labels []requirement      // from matchExpressions
	fields []fieldRequirement // from matchFields
}

// fieldRequirement is "key In (value)" or "key NotIn (value)" over the node's fields. The only
// field a node has is metadata.name; any other key reads as "".
type fieldRequirement struct {
	key, value string
	notIn      bool
}

// nodeNameField is the only field selector key a node exposes (upstream extractNodeFields).
const nodeNameField = "metadata.name"

var nodeSelectorOperators = []corev1.NodeSelectorOperator{
	corev1.NodeSelectorOpIn, corev1.NodeSelectorOpNotIn,
	corev1.NodeSelectorOpExists, corev1.NodeSelectorOpDoesNotExist,
	corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt,
}

var nodeFieldSelectorOperators = []corev1.NodeSelectorOperator{
	corev1.NodeSelectorOpIn, corev1.NodeSelectorOpNotIn,
}

// CompileNodeSelector compiles ns. Errors are reported per term, with the texts and paths of
// upstream nodeaffinity.NewLazyErrorNodeSelector(ns, field.WithPath(path)) (under
// path.nodeSelectorTerms[i].matchExpressions[j] and .matchFields[j]); an erroneous term is kept out
// of the result, so it never matches, and the remaining terms still work. A nil ns has no terms and
// matches no node (upstream would panic). The result does not retain ns.
func CompileNodeSelector(ns *corev1.NodeSelector, path *field.Path) (NodeSelector, field.ErrorList) {
	if ns == nil {
		return NodeSelector{}, nil
	}
	var sel NodeSelector
	var errs field.ErrorList
	termsPath := path.Child("nodeSelectorTerms")
	for i := range ns.NodeSelectorTerms {
		t, ok, terr := compileNodeTerm(&ns.NodeSelectorTerms[i], termsPath.Index(i))
		errs = append(errs, terr...)
		if ok && len(terr) == 0 {
			sel.terms = append(sel.terms, t)
		}
	}
	return sel, errs
}

// compileNodeTerm compiles one term. ok is false for an empty term, which upstream skips without
// looking at it.
func compileNodeTerm(term *corev1.NodeSelectorTerm, path *field.Path) (t nodeTerm, ok bool, errs field.ErrorList) {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return nodeTerm{}, false, nil
	}
	exprPath := path.Child("matchExpressions")
	for j := range term.MatchExpressions {
		expr := &term.MatchExpressions[j]
		p := exprPath.Index(j)
		var op operator
		switch expr.Operator {
		case corev1.NodeSelectorOpIn:
			op = opIn
		case corev1.NodeSelectorOpNotIn:
			op = opNotIn
		case corev1.NodeSelectorOpExists:
			op = opExists
		case corev1.NodeSelectorOpDoesNotExist:
			op = opDoesNotExist
		case corev1.NodeSelectorOpGt:
			op = opGreaterThan
		case corev1.NodeSelectorOpLt:
			op = opLessThan
		default:
			errs = append(errs, field.NotSupported(p.Child("operator"), expr.Operator, nodeSelectorOperators))
			continue
		}
		r, rerr := newRequirement(expr.Key, op, expr.Values, p)
		errs = append(errs, rerr...)
		t.labels = append(t.labels, r)
	}
	fieldPath := path.Child("matchFields")
	for j := range term.MatchFields {
		expr := &term.MatchFields[j]
		p := fieldPath.Index(j)
		switch expr.Operator {
		case corev1.NodeSelectorOpIn, corev1.NodeSelectorOpNotIn:
			if len(expr.Values) != 1 {
				errs = append(errs, field.Invalid(p.Child("values"), slices.Clone(expr.Values), "must have one element"))
				continue
			}
			t.fields = append(t.fields, fieldRequirement{
				key: expr.Key, value: expr.Values[0], notIn: expr.Operator == corev1.NodeSelectorOpNotIn,
			})
		default:
			errs = append(errs, field.NotSupported(p.Child("operator"), expr.Operator, nodeFieldSelectorOperators))
		}
	}
	return t, true, errs
}

// matches reports whether node satisfies the term. A node with an empty name has no fields, and
// upstream then skips the matchFields part of the term altogether (so "metadata.name In (x)" holds
// for it).
func (t *nodeTerm) matches(node *corev1.Node) bool {
	for i := range t.labels {
		if !t.labels[i].matches(node.Labels) {
			return false
		}
	}
	if node.Name == "" {
		return true
	}
	for _, f := range t.fields {
		got := ""
		if f.key == nodeNameField {
			got = node.Name
		}
		if (got == f.value) == f.notIn {
			return false
		}
	}
	return true
}

// Matches reports whether node satisfies at least one valid term of s. A nil node matches nothing.
// It reproduces LazyErrorNodeSelector.Match without the error (errors were reported by
// CompileNodeSelector).
func (s NodeSelector) Matches(node *corev1.Node) bool {
	if node == nil {
		return false
	}
	for i := range s.terms {
		if s.terms[i].matches(node) {
			return true
		}
	}
	return false
}

// RequiredNodeAffinity is what a pod requires of a node to run there: its spec.nodeSelector and its
// required node affinity, both of which must hold. It reproduces component-helpers
// nodeaffinity.RequiredNodeAffinity (GetRequiredNodeAffinity), used by the scheduler's NodeAffinity
// filter and the DaemonSet controller. The zero RequiredNodeAffinity requires nothing.
type RequiredNodeAffinity struct {
	nodeSelector []requirement // spec.nodeSelector as "=" requirements, unvalidated as upstream
	affinity     NodeSelector
	hasAffinity  bool
}

// RequiredNodeAffinityOf returns the node requirements of pod:
//
//   - spec.nodeSelector: every entry must be a node label with exactly that value (not validated,
//     like labels.SelectorFromSet); an empty or nil map requires nothing;
//   - spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution: if set (even with
//     zero terms, which then match no node) the node must match it as CompileNodeSelector does;
//     terms that do not compile never match, as upstream ignores their errors here.
//
// A nil pod requires nothing. The result does not retain pod.
func RequiredNodeAffinityOf(pod *corev1.Pod) RequiredNodeAffinity {
	var r RequiredNodeAffinity
	if pod == nil {
		return r
	}
	if len(pod.Spec.NodeSelector) > 0 {
		r.nodeSelector = FromSet(pod.Spec.NodeSelector).reqs
	}
	if a := pod.Spec.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		r.affinity, _ = CompileNodeSelector(a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution, nil)
		r.hasAffinity = true
	}
	return r
}

// Matches reports whether the pod may run on node as far as node selector and required node
// affinity go. A nil node matches nothing (upstream would panic or, with no requirements, accept).
func (r RequiredNodeAffinity) Matches(node *corev1.Node) bool {
	if node == nil {
		return false
	}
	for i := range r.nodeSelector {
		if !r.nodeSelector[i].matches(node.Labels) {
			return false
		}
	}
	return !r.hasAffinity || r.affinity.Matches(node)
}

// PreferredSchedulingTerms is a compiled list of corev1.PreferredSchedulingTerm (preferred node
// affinity). It reproduces component-helpers nodeaffinity.PreferredSchedulingTerms. The zero value
// has no terms and scores every node 0.
type PreferredSchedulingTerms struct {
	terms []weightedNodeTerm
}

type weightedNodeTerm struct {
	nodeTerm
	weight int64
}

// CompilePreferredSchedulingTerms compiles terms as nodeaffinity.NewPreferredSchedulingTerms does:
// terms with weight 0 or an empty preference are skipped without being checked; any error in
// another term fails the whole list (upstream returns no terms, and the scheduler then fails the
// pod's scoring), so on error the result scores every node 0.
//
// Errors have upstream's texts. Their paths are path[i].preference.matchExpressions[j] (and
// .matchFields[j]); upstream omits the "preference" step, which this package adds so the path
// names the real field.
func CompilePreferredSchedulingTerms(terms []corev1.PreferredSchedulingTerm, path *field.Path) (PreferredSchedulingTerms, field.ErrorList) {
	var out PreferredSchedulingTerms
	var errs field.ErrorList
	for i := range terms {
		if terms[i].Weight == 0 {
			continue
		}
		t, ok, terr := compileNodeTerm(&terms[i].Preference, path.Index(i).Child("preference"))
		errs = append(errs, terr...)
		if ok && len(terr) == 0 {
			out.terms = append(out.terms, weightedNodeTerm{nodeTerm: t, weight: int64(terms[i].Weight)})
		}
	}
	if len(errs) != 0 {
		return PreferredSchedulingTerms{}, errs
	}
	return out, nil
}

// Score returns the sum of the weights of the terms node matches (upstream
// PreferredSchedulingTerms.Score). A nil node scores 0.
func (p PreferredSchedulingTerms) Score(node *corev1.Node) int64 {
	if node == nil {
		return 0
	}
	var score int64
	for i := range p.terms {
		if p.terms[i].matches(node) {
			score += p.terms[i].weight
		}
	}
	return score
}
