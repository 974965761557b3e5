package harness

import (
	"strings"
	"testing"

	"github.com/reckon-k8s/reckon/workload"
)

// What the tests that show a comparison is not vacuous share: plans changed
// against the contract, and a count of the differences found.

// EachWrite calls f with each write of p's steps (not those of fallbacks
// or resumptions).
func EachWrite(p *workload.Plan, f func(w *workload.Write)) {
	for i := range p.Steps {
		for j := range p.Steps[i].Writes {
			f(&p.Steps[i].Writes[j])
		}
	}
}

// EventsBeforeWrites changes p against the contract: the events of each
// write are recorded by its step, before the write and whatever happens to
// it.
func EventsBeforeWrites(p *workload.Plan) {
	for i := range p.Steps {
		s := &p.Steps[i]
		for j := range s.Writes {
			s.Events, s.Writes[j].Events = append(s.Events, s.Writes[j].Events...), nil
		}
	}
}

// Labels counts differences by label, the first word of each ("update
// replicasets: ..." counts as "update").
type Labels map[string]int

// Add counts diffs.
func (l Labels) Add(diffs []string) {
	for _, d := range diffs {
		h, _, _ := strings.Cut(d, ":")
		if f := strings.Fields(h); len(f) > 0 {
			l[f[0]]++
		}
	}
}

// Seen reports whether each of want was counted at least n times.
func (l Labels) Seen(want []string, n int) bool {
	for _, w := range want {
		if l[w] < n {
			return false
		}
	}
	return true
}

// Detects runs one case after another (at least 100, at most limit) until
// each of want showed up at least 3 times among the differences of the
// cases that disagree, and fails t unless it did. run returns a case's
// differences (none if it agrees).
func Detects(t testing.TB, want []string, limit uint64, run func(i uint64) []string) {
	t.Helper()
	labels := Labels{}
	failed, n := 0, 0
	for i := uint64(0); i < limit && (i < 100 || !labels.Seen(want, 3)); i++ {
		n++
		diffs := run(i)
		if len(diffs) > 0 {
			failed++
		}
		labels.Add(diffs)
	}
	t.Logf("%d of %d scenarios disagree; differences: %v", failed, n, labels)
	if !labels.Seen(want, 3) {
		t.Errorf("a wanted kind of difference (%q) showed up less than 3 times", want)
	}
}
