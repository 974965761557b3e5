package selector

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"pgregory.net/rapid"
)

// Generators shared by the property tests. The pools are small so that random selectors and random
// label sets meet often, and they hold the inputs where label selector rules are subtle.

var (
	// validKeys are label keys upstream accepts, including the keywords and upper case names.
	validKeys = []string{"app", "tier", "env", "a", "b", "in", "notin", "Upper", "x.y_z-1",
		"example.com/app", "app.kubernetes.io/name", strings.Repeat("k", 63)}
	// invalidKeys are rejected by upstream's key validation.
	invalidKeys = []string{"", "A.com/b", "-a", "a-", "a/", "/a", "a/b/c", "ex_ample.com/a", "a b", "ü",
		strings.Repeat("k", 64), strings.Repeat("p", 254) + "/a"}
	// values covers valid values (empty, keywords, numbers with signs and leading zeros, limits)
	// and invalid ones.
	values = []string{"", "web", "prod", "staging", "in", "notin", "Web", "a.b-c_d",
		"0", "1", "01", "007", "10", "-1", "+1", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "99999999999999999999",
		strings.Repeat("v", 63), strings.Repeat("v", 64), "_a", "a_", "a b", "ü", "1e3", "0x10"}
	// labelOps are the metav1 operators plus invalid ones.
	labelOps = []metav1.LabelSelectorOperator{"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "", "in", "Foo"}
	// nodeOps are the node selector operators plus invalid ones.
	nodeOps = []corev1.NodeSelectorOperator{"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "", "in", "Foo"}
)

func genKey() *rapid.Generator[string] {
	return rapid.OneOf(rapid.SampledFrom(validKeys), rapid.SampledFrom(validKeys), rapid.SampledFrom(invalidKeys))
}

func genValidKey() *rapid.Generator[string] { return rapid.SampledFrom(validKeys) }

func genValue() *rapid.Generator[string] { return rapid.SampledFrom(values) }

// genValues returns nil, an empty slice or up to four values, to hit upstream's nil/empty and
// value-count rules.
func genValues() *rapid.Generator[[]string] {
	return rapid.Custom(func(t *rapid.T) []string {
		switch rapid.IntRange(0, 5).Draw(t, "valuesShape") {
		case 0:
			return nil
		case 1:
			return []string{}
		default:
			return rapid.SliceOfN(genValue(), 1, 4).Draw(t, "values")
		}
	})
}

// genLabels returns a label set drawn from the same pools as the selectors.
func genLabels() *rapid.Generator[map[string]string] {
	return rapid.Custom(func(t *rapid.T) map[string]string {
		if rapid.IntRange(0, 9).Draw(t, "nilLabels") == 0 {
			return nil
		}
		return rapid.MapOfN(genValidKey(), genValue(), 0, 8).Draw(t, "labels")
	})
}

func genLabelSelector() *rapid.Generator[*metav1.LabelSelector] {
	return rapid.Custom(func(t *rapid.T) *metav1.LabelSelector {
		if rapid.IntRange(0, 15).Draw(t, "nilSelector") == 0 {
			return nil
		}
		ls := &metav1.LabelSelector{}
		if n := rapid.IntRange(0, 3).Draw(t, "matchLabelsLen"); n > 0 {
			ls.MatchLabels = rapid.MapOfN(genKey(), genValue(), 0, n).Draw(t, "matchLabels")
		}
		for i, n := 0, rapid.IntRange(0, 3).Draw(t, "exprLen"); i < n; i++ {
			ls.MatchExpressions = append(ls.MatchExpressions, metav1.LabelSelectorRequirement{
				Key:      genKey().Draw(t, "key"),
				Operator: rapid.SampledFrom(labelOps).Draw(t, "op"),
				Values:   genValues().Draw(t, "values"),
			})
		}
		return ls
	})
}

// Fragments of the string syntax: every token kind, keywords in all positions, whitespace of every
// kind, NUL, and operator-like sequences that do not exist.
var syntaxFragments = []string{
	"=", "==", "!=", "!", ">", "<", ">=", "<=", "===", "!==", "=!", "(", ")", ",", ",,", "()", "(,)",
	" in ", " notin ", "in", "notin", " ", "  ", "\t", "\n", "\r", "\x00", "\x01", "=\x00", "in(", ")in",
	"a=b", "!a", "a in (b,c)", "a notin (in,notin)", "a>1", "a<01", "a>-1", "a>+1", "a>9223372036854775808",
}

// genSelectorText returns selector strings: well-formed ones built from requirements with random
// spacing, mutated ones, and fragment soup.
func genSelectorText() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		switch rapid.IntRange(0, 2).Draw(t, "textShape") {
		case 0:
			return genWellFormedText(t)
		case 1:
			s := genWellFormedText(t)
			for i, n := 0, rapid.IntRange(1, 3).Draw(t, "mutations"); i < n; i++ {
				pos := rapid.IntRange(0, len(s)).Draw(t, "pos")
				switch rapid.IntRange(0, 2).Draw(t, "mutation") {
				case 0: // insert a fragment
					s = s[:pos] + rapid.SampledFrom(syntaxFragments).Draw(t, "frag") + s[pos:]
				case 1: // delete a byte
					if pos < len(s) {
						s = s[:pos] + s[pos+1:]
					}
				default: // insert a random byte
					s = s[:pos] + string([]byte{rapid.Byte().Draw(t, "byte")}) + s[pos:]
				}
			}
			return s
		default:
			var b strings.Builder
			for i, n := 0, rapid.IntRange(0, 8).Draw(t, "frags"); i < n; i++ {
				b.WriteString(rapid.OneOf(rapid.SampledFrom(syntaxFragments), genKey(), genValue()).Draw(t, "frag"))
			}
			return b.String()
		}
	})
}

func genSpace(t *rapid.T, label string) string {
	return rapid.SampledFrom([]string{"", "", "", " ", "  ", "\t", "\n", "\r", " \t"}).Draw(t, label)
}

func genWellFormedText(t *rapid.T) string {
	var reqs []string
	for i, n := 0, rapid.IntRange(0, 4).Draw(t, "reqs"); i < n; i++ {
		key := genKey().Draw(t, "key")
		sp := func() string { return genSpace(t, "space") }
		var r string
		switch rapid.IntRange(0, 8).Draw(t, "form") {
		case 0:
			r = key
		case 1:
			r = "!" + sp() + key
		case 2, 3:
			op := rapid.SampledFrom([]string{"=", "==", "!="}).Draw(t, "op")
			r = key + sp() + op + sp() + genValue().Draw(t, "value")
		case 4, 5:
			op := rapid.SampledFrom([]string{"in", "notin"}).Draw(t, "op")
			vals := rapid.SliceOfN(genValue(), 0, 4).Draw(t, "values")
			for j := range vals {
				vals[j] = sp() + vals[j] + sp()
			}
			r = key + " " + sp() + op + sp() + "(" + strings.Join(vals, ",") + ")"
		default:
			op := rapid.SampledFrom([]string{">", "<"}).Draw(t, "op")
			r = key + sp() + op + sp() + genValue().Draw(t, "value")
		}
		reqs = append(reqs, sp()+r+sp())
	}
	return strings.Join(reqs, ",")
}
