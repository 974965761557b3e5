package selector

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Expected values in this file are reasoned from apimachinery v0.36.3
// (pkg/labels/selector.go Requirement.Matches, Parse; pkg/apis/meta/v1/helpers.go
// LabelSelectorAsSelector). Parse results and error texts were recorded by running labels.Parse
// v0.36.3; every table row is also checked against apimachinery at run time.

type matchCase struct {
	labels map[string]string
	want   bool
}

func TestMatchesRules(t *testing.T) {
	tests := []struct {
		rule  string
		sel   string
		cases []matchCase
	}{
		{"1 AND of requirements", "a=1,b=2", []matchCase{
			{map[string]string{"a": "1", "b": "2", "c": "3"}, true},
			{map[string]string{"a": "1"}, false},
			{map[string]string{"a": "1", "b": "3"}, false},
		}},
		{"1 same key twice must satisfy both", "a=1,a=2", []matchCase{
			{map[string]string{"a": "1"}, false},
			{map[string]string{"a": "2"}, false},
		}},
		{"1 empty selector matches everything", "", []matchCase{
			{nil, true}, {map[string]string{"x": "y"}, true},
		}},
		{"2 equals needs key and value", "a=x", []matchCase{
			{map[string]string{"a": "x"}, true}, {map[string]string{"a": "X"}, false}, {nil, false},
		}},
		{"2 double equals is equals", "a==x", []matchCase{
			{map[string]string{"a": "x"}, true}, {map[string]string{"a": "y"}, false},
		}},
		{"2 in matches any value", "a in (x,y)", []matchCase{
			{map[string]string{"a": "y"}, true}, {map[string]string{"a": "z"}, false}, {map[string]string{}, false},
		}},
		{"2 empty value is a value", "a=", []matchCase{
			{map[string]string{"a": ""}, true}, {map[string]string{}, false}, {map[string]string{"a": "x"}, false},
		}},
		{"3 not equals matches absent key", "a!=x", []matchCase{
			{map[string]string{}, true}, {map[string]string{"a": "y"}, true}, {map[string]string{"a": "x"}, false},
		}},
		{"3 notin matches absent key", "a notin (x,y)", []matchCase{
			{nil, true}, {map[string]string{"a": "z"}, true}, {map[string]string{"a": "x"}, false},
		}},
		{"4 exists", "a", []matchCase{
			{map[string]string{"a": ""}, true}, {map[string]string{"b": "a"}, false},
		}},
		{"4 does not exist", "!a", []matchCase{
			{map[string]string{"b": "a"}, true}, {map[string]string{"a": ""}, false},
		}},
		{"5 gt is strict and numeric", "a>5", []matchCase{
			{map[string]string{"a": "6"}, true}, {map[string]string{"a": "5"}, false},
			{map[string]string{"a": "10"}, true}, {map[string]string{"a": "006"}, true},
			{map[string]string{"a": "+6"}, true}, {map[string]string{"a": "-6"}, false},
			{map[string]string{"a": "x"}, false}, {map[string]string{"a": ""}, false}, {nil, false},
			{map[string]string{"a": "9223372036854775808"}, false}, // overflows int64: not a number
		}},
		{"5 lt accepts negative label values", "a<01", []matchCase{
			{map[string]string{"a": "0"}, true}, {map[string]string{"a": "-9223372036854775808"}, true},
			{map[string]string{"a": "1"}, false}, {map[string]string{"a": "1.0"}, false},
		}},
		{"9 matching is case-sensitive", "App=Web", []matchCase{
			{map[string]string{"App": "Web"}, true}, {map[string]string{"app": "Web"}, false}, {map[string]string{"App": "web"}, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			sel, err := Parse(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			up, err := labels.Parse(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tt.cases {
				if got := sel.Matches(c.labels); got != c.want {
					t.Errorf("Parse(%q).Matches(%v) = %v, want %v", tt.sel, c.labels, got, c.want)
				}
				if up.Matches(labels.Set(c.labels)) != c.want {
					t.Errorf("table disagrees with upstream for %q on %v", tt.sel, c.labels)
				}
			}
		})
	}
}

func TestEverythingNothingAndZero(t *testing.T) {
	tests := []struct {
		name      string
		sel       Selector
		wantMatch bool
		wantEmpty bool
	}{
		{"Everything matches all (labels.Everything)", Everything(), true, true},
		{"Nothing matches none (labels.Nothing)", Nothing(), false, false},
		{"zero Selector is Nothing", Selector{}, false, false},
		{"FromSet(nil) is Everything (labels.SelectorFromSet)", FromSet(nil), true, true},
		{"FromSet(empty) is Everything", FromSet(map[string]string{}), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, set := range []map[string]string{nil, {}, {"a": "b"}} {
				if got := tt.sel.Matches(set); got != tt.wantMatch {
					t.Errorf("Matches(%v) = %v, want %v", set, got, tt.wantMatch)
				}
			}
			if got := tt.sel.Empty(); got != tt.wantEmpty {
				t.Errorf("Empty() = %v, want %v", got, tt.wantEmpty)
			}
			if got := tt.sel.String(); got != "" {
				t.Errorf("String() = %q, want empty", got)
			}
		})
	}
}

func TestFromSet(t *testing.T) {
	// labels.SelectorFromSet: one "=" per entry, sorted by key, no validation.
	sel := FromSet(map[string]string{"tier": "frontend", "app": "web", "Bad Key": "bad value!"})
	if got, want := sel.String(), "Bad Key=bad value!,app=web,tier=frontend"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !sel.Matches(map[string]string{"app": "web", "tier": "frontend", "Bad Key": "bad value!", "x": "y"}) {
		t.Error("want match")
	}
	if sel.Matches(map[string]string{"app": "web", "tier": "frontend"}) {
		t.Error("want no match")
	}
}

func TestParseGrammar(t *testing.T) {
	// Recorded from labels.Parse v0.36.3. wantErr is a substring of the error text; the property
	// test compares complete error texts with upstream.
	tests := []struct {
		rule, in   string
		wantString string
		wantEmpty  bool
		wantErr    string
	}{
		{"1 empty string is Everything", "", "", true, ""},
		{"8 whitespace separates tokens", " a = b ", "a=b", false, ""},
		{"8 whitespace kinds", "a\t=\nb,\rc", "a=b,c", false, ""},
		{"8 missing exact value is empty", "a=", "a=", false, ""},
		{"8 empty set is the empty value", "a in ()", "a in ()", false, ""},
		{"8 empty slots are the empty value", "a in (,)", "a in ()", false, ""},
		{"8 set values sorted and de-duplicated", "x in (foo,,baz)", "x in (,baz,foo)", false, ""},
		{"8 duplicates removed", "a in (c,b,b)", "a in (b,c)", false, ""},
		{"8 keywords are values after an operator", "a in (in,notin)", "a in (in,notin)", false, ""},
		{"8 keywords are keys", "in=in", "in=in", false, ""},
		{"8 no space needed before paren", "a in(b)", "a in (b)", false, ""},
		{"8 double equals kept", "a==b", "a==b", false, ""},
		{"9 requirements sorted by key", "a notin (b,c),!d,e", "a notin (b,c),!d,e", false, ""},
		{"9 sorted by key", "z,!y,x=1", "x=1,!y,z", false, ""},
		{"1 same key kept twice", "a=b,a=c", "a=b,a=c", false, ""},
		{"5 gt/lt with leading zeros", "a>01", "a>01", false, ""},
		{"5 gt and lt", "a>1,b<2", "a>1,b<2", false, ""},
		{"5 negative threshold is not a label value", "a>-1", "", false, `values[0][a]: Invalid value: "-1"`},
		{"5 signed threshold is not a label value", "a>+1", "", false, `values[0][a]: Invalid value: "+1"`},
		{"5 threshold beyond int64", "a>9223372036854775808", "", false, "the value must be an integer"},
		{"5 threshold must be an integer", "a<b", "", false, `values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`},
		{"8 no >= operator", "a>=1", "", false, "unable to parse requirement: found '=', expected: identifier"},
		{"8 ! takes no operator", "!a=b", "", false, "found '=', expected: ',' or 'end of string'"},
		{"8 keyword needs a space", "ain (b)", "", false, "found '(', expected: in, notin, =, ==, !=, gt, lt"},
		{"8 one value after exact operator", "a=b c", "", false, "found 'c', expected: ',' or 'end of string'"},
		{"8 no chained operators", "a=b=c", "", false, "found '=', expected: ',' or 'end of string'"},
		{"8 no parens after exact operator", "x=(a)", "", false, "found '(', expected: identifier"},
		{"8 set values separated by commas", "a in (b c)", "", false, "found 'c', expected: ',' or ')'"},
		{"8 set needs parens", "a notin b", "", false, "found 'b' expected: '('"},
		{"8 unclosed set", "a in (b", "", false, "found '', expected: ',' or ')'"},
		{"8 trailing comma", "a,", "", false, "found '', expected: identifier after ','"},
		{"8 leading comma", ",a", "", false, "found ',', expected: !, identifier, or 'end of string'"},
		{"8 double bang", "!!a", "", false, "found '!', expected: identifier"},
		{"6 invalid key", "A/b=c", "", false, `<nil>: Invalid value: "A/b": prefix part`},
		{"6 invalid value", "a=b_", "", false, `values[0][a]: Invalid value: "b_"`},
		{"8 NUL between tokens ends the input", "\x00a=b", "", true, ""},
		{"8 NUL after a token is skipped", "a\x00=b", "a=b", false, ""},
		{"8 NUL inside then more tokens", "a=b\x00junk", "", false, "found 'junk', expected: ',' or 'end of string'"},
	}
	for _, tt := range tests {
		t.Run(tt.rule+"/"+tt.in, func(t *testing.T) {
			sel, err := Parse(tt.in)
			up, uerr := labels.Parse(tt.in)
			if (err == nil) != (uerr == nil) || (err != nil && err.Error() != uerr.Error()) {
				t.Fatalf("Parse(%q) error %v, upstream %v", tt.in, err, uerr)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tt.in, err)
			}
			if got := sel.String(); got != tt.wantString || got != up.String() {
				t.Errorf("String() = %q, want %q (upstream %q)", got, tt.wantString, up.String())
			}
			if got := sel.Empty(); got != tt.wantEmpty {
				t.Errorf("Empty() = %v, want %v", got, tt.wantEmpty)
			}
		})
	}
}

func TestFromLabelSelector(t *testing.T) {
	// Accept/reject reasoned from LabelSelectorAsSelector and labels.NewRequirement; error paths
	// and wording follow metav1validation.ValidateLabelSelector, with matchLabels[key].
	path := field.NewPath("spec", "selector")
	tests := []struct {
		name       string
		ls         *metav1.LabelSelector
		wantString string
		wantEmpty  bool
		wantErrs   []string // exact error texts, in order
	}{
		{"7 nil is Nothing", nil, "", false, nil},
		{"7 empty is Everything", &metav1.LabelSelector{}, "", true, nil},
		{"7 empty non-nil collections are Everything", &metav1.LabelSelector{MatchLabels: map[string]string{}, MatchExpressions: []metav1.LabelSelectorRequirement{}}, "", true, nil},
		{"7 matchLabels become equals", &metav1.LabelSelector{MatchLabels: map[string]string{"b": "2", "a": "1"}}, "a=1,b=2", false, nil},
		{"7 expressions keep duplicate values and print them sorted", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "a", Operator: metav1.LabelSelectorOpIn, Values: []string{"y", "x", "x"}},
			{Key: "b", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"z"}},
			{Key: "c", Operator: metav1.LabelSelectorOpExists},
			{Key: "d", Operator: metav1.LabelSelectorOpDoesNotExist},
		}}, "a in (x,x,y),b notin (z),c,!d", false, nil},
		{"7 matchLabels before expressions on the same key", &metav1.LabelSelector{
			MatchLabels:      map[string]string{"a": "x"},
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: metav1.LabelSelectorOpIn, Values: []string{"y"}}},
		}, "a=x,a in (y)", false, nil},
		{"7 Gt is not a label selector operator", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "a", Operator: "Gt", Values: []string{"1"}},
		}}, "", false, []string{`spec.selector.matchExpressions[0].operator: Unsupported value: "Gt": supported values: "In", "NotIn", "Exists", "DoesNotExist"`}},
		{"7 In needs values", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "a", Operator: metav1.LabelSelectorOpIn},
		}}, "", false, []string{"spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"}},
		{"7 Exists takes no values", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "a", Operator: metav1.LabelSelectorOpExists, Values: []string{"x"}},
		}}, "", false, []string{"spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"}},
		{"6 every problem is reported with its path", &metav1.LabelSelector{
			MatchLabels: map[string]string{"b": "ok", "a/b/c": "v", "c": "-bad"},
			MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "ok", Operator: metav1.LabelSelectorOpIn, Values: []string{"fine", "no good"}},
				{Key: "", Operator: metav1.LabelSelectorOpExists},
			},
		}, "", false, []string{
			`spec.selector.matchLabels[a/b/c]: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters`,
			`spec.selector.matchLabels[c]: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters`,
			`spec.selector.matchExpressions[0].values[1]: Invalid value: "no good": a valid label must be an empty string`,
			`spec.selector.matchExpressions[1].key: Invalid value: "": name part must be non-empty`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, errs := FromLabelSelector(tt.ls, path)
			up, uerr := metav1.LabelSelectorAsSelector(tt.ls)
			if (uerr == nil) != (len(tt.wantErrs) == 0) {
				t.Fatalf("table disagrees with upstream: upstream error %v", uerr)
			}
			if len(errs) != len(tt.wantErrs) {
				t.Fatalf("errors = %v, want %d: %q", errs, len(tt.wantErrs), tt.wantErrs)
			}
			for i, want := range tt.wantErrs {
				if got := errs[i].Error(); !strings.HasPrefix(got, want) {
					t.Errorf("error %d = %q, want prefix %q", i, got, want)
				}
			}
			if len(errs) != 0 {
				if sel.Matches(nil) || sel.Matches(map[string]string{"a": "x"}) {
					t.Error("selector returned with errors must match nothing")
				}
				return
			}
			if got := sel.String(); got != tt.wantString || got != up.String() {
				t.Errorf("String() = %q, want %q (upstream %q)", got, tt.wantString, up.String())
			}
			if got := sel.Empty(); got != tt.wantEmpty || got != up.Empty() {
				t.Errorf("Empty() = %v, want %v", got, tt.wantEmpty)
			}
		})
	}
}

func TestFromLabelSelectorDoesNotRetainInput(t *testing.T) {
	ls := &metav1.LabelSelector{
		MatchLabels:      map[string]string{"app": "web"},
		MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "env", Operator: metav1.LabelSelectorOpIn, Values: []string{"prod"}}},
	}
	sel, errs := FromLabelSelector(ls, nil)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	ls.MatchLabels["app"] = "other"
	ls.MatchExpressions[0].Values[0] = "dev"
	if !sel.Matches(map[string]string{"app": "web", "env": "prod"}) {
		t.Error("selector changed when its input was modified")
	}
}
