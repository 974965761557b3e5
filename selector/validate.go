package selector

import (
	"slices"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// FromLabelSelector compiles a metav1.LabelSelector with the semantics of
// metav1.LabelSelectorAsSelector:
//
//   - nil gives Nothing() (matches no object); a selector with no matchLabels and no
//     matchExpressions gives Everything();
//   - each matchLabels entry is an "=" requirement; matchExpressions support In, NotIn (at least
//     one value), Exists and DoesNotExist (no values); all requirements are ANDed, so a key used in
//     both lists must satisfy both;
//   - keys must be valid label keys and values valid label values.
//
// It accepts exactly the selectors LabelSelectorAsSelector accepts. Where upstream stops at the
// first problem with an unlocated message, FromLabelSelector reports every problem as a field
// error under path, worded like the API server's ValidateLabelSelector (one error per field, its
// messages joined by "; "): matchLabels problems at path.matchLabels[key], expression problems at
// path.matchExpressions[i].operator (an unsupported operator, listing the supported ones), .key,
// .values and .values[j]. Problems in matchLabels come first, in key order. On error the returned
// selector is Nothing(). The selector does not retain ls.
func FromLabelSelector(ls *metav1.LabelSelector, path *field.Path) (Selector, field.ErrorList) {
	if ls == nil {
		return Nothing(), nil
	}
	if len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
		return Everything(), nil
	}
	var errs field.ErrorList
	reqs := make([]requirement, 0, len(ls.MatchLabels)+len(ls.MatchExpressions))
	keys := make([]string, 0, len(ls.MatchLabels))
	for k := range ls.MatchLabels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	mlPath := path.Child("matchLabels")
	for _, k := range keys {
		v := ls.MatchLabels[k]
		if err := keyError(k, mlPath.Key(k)); err != nil {
			errs = append(errs, err)
		}
		if err := valueError(v, mlPath.Key(k)); err != nil {
			errs = append(errs, err)
		}
		reqs = append(reqs, requirement{key: k, op: opEquals, values: []string{v}})
	}
	for i := range ls.MatchExpressions {
		expr := &ls.MatchExpressions[i]
		p := path.Child("matchExpressions").Index(i)
		var op operator
		switch expr.Operator {
		case metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn:
			op = opIn
			if expr.Operator == metav1.LabelSelectorOpNotIn {
				op = opNotIn
			}
			if len(expr.Values) == 0 {
				errs = append(errs, field.Required(p.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
			}
		case metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist:
			op = opExists
			if expr.Operator == metav1.LabelSelectorOpDoesNotExist {
				op = opDoesNotExist
			}
			if len(expr.Values) > 0 {
				errs = append(errs, field.Forbidden(p.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
			}
		default:
			errs = append(errs, field.NotSupported(p.Child("operator"), expr.Operator, labelSelectorOperators))
		}
		if err := keyError(expr.Key, p.Child("key")); err != nil {
			errs = append(errs, err)
		}
		for j, v := range expr.Values {
			if err := valueError(v, p.Child("values").Index(j)); err != nil {
				errs = append(errs, err)
			}
		}
		reqs = append(reqs, requirement{key: expr.Key, op: op, values: slices.Clone(expr.Values)})
	}
	if len(errs) != 0 {
		return Nothing(), errs
	}
	// Upstream appends matchLabels (in map order) then matchExpressions and sorts with sort.Sort.
	// With matchLabels in key order this is one of the orders upstream can produce, and for up to
	// 12 requirements (sort.Sort's insertion-sort range, which is stable) it is the only one.
	sort.Sort(byKey(reqs))
	return Selector{reqs: reqs, selectable: true}, nil
}

var labelSelectorOperators = []metav1.LabelSelectorOperator{
	metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn,
	metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist,
}

// keyError validates a label key as upstream's labels package does (one error joining every
// message), or returns nil.
func keyError(key string, path *field.Path) *field.Error {
	if msgs := validation.IsQualifiedName(key); len(msgs) != 0 {
		return field.Invalid(path, key, strings.Join(msgs, "; "))
	}
	return nil
}

// valueError validates a label value the same way, or returns nil.
func valueError(v string, path *field.Path) *field.Error {
	if msgs := validation.IsValidLabelValue(v); len(msgs) != 0 {
		return field.Invalid(path, v, strings.Join(msgs, "; "))
	}
	return nil
}

// newRequirement builds and validates a requirement with the rules and the error texts and paths
// of labels.NewRequirement(key, op, vals, field.WithPath(path)):
//
//  1. the key is a valid label key (error at path.key);
//  2. in/notin have at least one value; "=", "==", "!=" exactly one; exists/"!" none; gt/lt
//     exactly one (errors at path.values);
//  3. every gt/lt value is a base-10 int64 (error at path.values[i]);
//  4. every value is a valid label value (error at path.values[i][key], upstream's path).
//
// vals is copied; the requirement keeps the values in the given order.
func newRequirement(key string, op operator, vals []string, path *field.Path) (requirement, field.ErrorList) {
	var errs field.ErrorList
	if err := keyError(key, path.Child("key")); err != nil {
		errs = append(errs, err)
	}
	vals = slices.Clone(vals) // keeps nil and empty apart: they print differently in errors
	r := requirement{key: key, op: op, values: vals}
	valuePath := path.Child("values")
	switch op {
	case opIn, opNotIn:
		if len(vals) == 0 {
			errs = append(errs, field.Invalid(valuePath, vals, "for 'in', 'notin' operators, values set can't be empty"))
		}
	case opEquals, opDoubleEquals, opNotEquals:
		if len(vals) != 1 {
			errs = append(errs, field.Invalid(valuePath, vals, "exact-match compatibility requires one single value"))
		}
	case opExists, opDoesNotExist:
		if len(vals) != 0 {
			errs = append(errs, field.Invalid(valuePath, vals, "values set must be empty for exists and does not exist"))
		}
	case opGreaterThan, opLessThan:
		if len(vals) != 1 {
			errs = append(errs, field.Invalid(valuePath, vals, "for 'Gt', 'Lt' operators, exactly one value is required"))
		}
		for i, v := range vals {
			n, ok := parseInt64(v)
			if !ok {
				errs = append(errs, field.Invalid(valuePath.Index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"))
			}
			r.num = n
		}
	}
	for i, v := range vals {
		if err := valueError(v, valuePath.Index(i).Key(key)); err != nil {
			errs = append(errs, err)
		}
	}
	return r, errs
}
