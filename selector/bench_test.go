package selector

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// benchCases are typical controller selectors (1-3 matchLabels, an In, a NotIn) against typical
// pod label sets (5-10 labels), matching and not matching.
var benchCases = []struct {
	name string
	sel  *metav1.LabelSelector
	set  map[string]string
}{
	{
		name: "1label/match",
		sel:  &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
		set:  map[string]string{"app": "web", "pod-template-hash": "5d8f7c9b6", "tier": "frontend", "env": "prod", "version": "v1.2.3"},
	},
	{
		name: "3labels+in+notin/match",
		sel: &metav1.LabelSelector{
			MatchLabels: map[string]string{"app": "web", "tier": "frontend", "app.kubernetes.io/part-of": "shop"},
			MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "env", Operator: metav1.LabelSelectorOpIn, Values: []string{"prod", "staging"}},
				{Key: "track", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"canary"}},
			},
		},
		set: map[string]string{"app": "web", "tier": "frontend", "app.kubernetes.io/part-of": "shop", "env": "prod",
			"track": "stable", "pod-template-hash": "5d8f7c9b6", "version": "v1.2.3", "team": "payments", "zone": "a", "release": "r42"},
	},
	{
		name: "3labels+in+notin/miss-last",
		sel: &metav1.LabelSelector{
			MatchLabels: map[string]string{"app": "web", "tier": "frontend", "app.kubernetes.io/part-of": "shop"},
			MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "env", Operator: metav1.LabelSelectorOpIn, Values: []string{"prod", "staging"}},
				{Key: "track", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"canary"}},
			},
		},
		set: map[string]string{"app": "web", "tier": "frontend", "app.kubernetes.io/part-of": "shop", "env": "prod",
			"track": "canary", "pod-template-hash": "5d8f7c9b6", "version": "v1.2.3"},
	},
	{
		name: "2labels+in/miss-app",
		sel: &metav1.LabelSelector{
			MatchLabels: map[string]string{"app": "web", "tier": "frontend"},
			MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "env", Operator: metav1.LabelSelectorOpIn, Values: []string{"prod", "staging"}},
			},
		},
		set: map[string]string{"app": "api", "tier": "backend", "env": "prod", "pod-template-hash": "7f9c", "version": "v2"},
	},
	{
		name: "2labels+notin/match-absent",
		sel: &metav1.LabelSelector{
			MatchLabels: map[string]string{"app": "web", "tier": "frontend"},
			MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "track", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"canary", "debug"}},
			},
		},
		set: map[string]string{"app": "web", "tier": "frontend", "env": "prod", "pod-template-hash": "7f9c", "version": "v2", "team": "payments"},
	},
}

// BenchmarkMatches compares Selector.Matches with labels.Selector.Matches on the same selectors
// and label sets. Compare with: benchstat -col /impl.
func BenchmarkMatches(b *testing.B) {
	for _, bc := range benchCases {
		ours, errs := FromLabelSelector(bc.sel, nil)
		theirs, err := metav1.LabelSelectorAsSelector(bc.sel)
		if len(errs) != 0 || err != nil {
			b.Fatal(errs, err)
		}
		want := theirs.Matches(labels.Set(bc.set))
		if ours.Matches(bc.set) != want {
			b.Fatalf("%s: implementations disagree", bc.name)
		}
		b.Run(bc.name+"/impl=labels", func(b *testing.B) {
			set := labels.Set(bc.set)
			b.ReportAllocs()
			for b.Loop() {
				if theirs.Matches(set) != want {
					b.Fatal("wrong result")
				}
			}
		})
		b.Run(bc.name+"/impl=reckon", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ours.Matches(bc.set) != want {
					b.Fatal("wrong result")
				}
			}
		})
	}
}
