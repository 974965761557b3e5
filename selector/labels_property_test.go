package selector

import (
	"strconv"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"pgregory.net/rapid"
)

// The properties below use apimachinery itself as the oracle: every accept/reject decision, every
// match result, Empty and String are compared with what labels.Parse,
// metav1.LabelSelectorAsSelector and labels.SelectorFromSet return for the same input.

// sameSelector checks that ours behaves like upstream's on the given label sets.
func sameSelector(t *rapid.T, input string, ours Selector, theirs labels.Selector, compareString bool) {
	if got, want := ours.Empty(), theirs.Empty(); got != want {
		t.Fatalf("%q: Empty() = %v, upstream %v", input, got, want)
	}
	if compareString {
		if got, want := ours.String(), theirs.String(); got != want {
			t.Fatalf("%q: String() = %q, upstream %q", input, got, want)
		}
	}
	for i := 0; i < 8; i++ {
		set := genLabels().Draw(t, "labels")
		if got, want := ours.Matches(set), theirs.Matches(labels.Set(set)); got != want {
			t.Fatalf("%q: Matches(%v) = %v, upstream %v", input, set, got, want)
		}
	}
}

func TestParseAgreesWithLabelsParse(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSelectorText().Draw(t, "selector")
		ours, err := Parse(s)
		theirs, uerr := labels.Parse(s)
		if (err == nil) != (uerr == nil) {
			t.Fatalf("Parse(%q) error = %v, upstream error = %v", s, err, uerr)
		}
		if err != nil {
			if err.Error() != uerr.Error() {
				t.Fatalf("Parse(%q) error text\n got %q\nwant %q", s, err, uerr)
			}
			return
		}
		sameSelector(t, s, ours, theirs, true)
		// String round-trips through both parsers to the same selector.
		again, err := Parse(ours.String())
		if err != nil || again.String() != ours.String() {
			t.Fatalf("Parse(%q).String() = %q does not round-trip: %q, %v", s, ours.String(), again.String(), err)
		}
	})
}

func TestParseAgreesWithLabelsParseOnArbitraryStrings(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringOfN(rapid.RuneFrom([]rune("ab=!(),<>- \t\n\r\x00in/._0123456789Zü")), 0, 24, -1).Draw(t, "s")
		ours, err := Parse(s)
		theirs, uerr := labels.Parse(s)
		if (err == nil) != (uerr == nil) || (err != nil && err.Error() != uerr.Error()) {
			t.Fatalf("Parse(%q) error = %v, upstream error = %v", s, err, uerr)
		}
		if err == nil {
			sameSelector(t, s, ours, theirs, true)
		}
	})
}

func TestFromLabelSelectorAgreesWithLabelSelectorAsSelector(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ls := genLabelSelector().Draw(t, "selector")
		ours, errs := FromLabelSelector(ls, nil)
		theirs, uerr := metav1.LabelSelectorAsSelector(ls)
		if (len(errs) == 0) != (uerr == nil) {
			t.Fatalf("FromLabelSelector(%v) errors = %v, upstream error = %v", ls, errs, uerr)
		}
		if uerr != nil {
			return
		}
		// Up to 12 requirements upstream's sort is stable and its String deterministic.
		n := 0
		if ls != nil {
			n = len(ls.MatchLabels) + len(ls.MatchExpressions)
		}
		sameSelector(t, ls.String(), ours, theirs, n <= 12)
	})
}

func TestFromSetAgreesWithSelectorFromSet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := rapid.MapOfN(genKey(), genValue(), 0, 5).Draw(t, "set")
		sameSelector(t, labels.Set(set).String(), FromSet(set), labels.SelectorFromSet(set), true)
	})
}

func TestParseInt64AgreesWithStrconv(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(
			rapid.StringOfN(rapid.RuneFrom([]rune("+-0123456789_ xe")), 0, 22, -1),
			rapid.Map(rapid.Int64(), func(n int64) string { return strconv.FormatInt(n, 10) }),
			rapid.SampledFrom(values),
		).Draw(t, "s")
		got, ok := parseInt64(s)
		want, err := strconv.ParseInt(s, 10, 64)
		if ok != (err == nil) || (ok && got != want) {
			t.Fatalf("parseInt64(%q) = %d, %v; strconv: %d, %v", s, got, ok, want, err)
		}
	})
}
