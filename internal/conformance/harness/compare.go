package harness

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/reckon-k8s/reckon/workload"
)

// A Side is what one side of a comparison did in one sync: its store's
// log and what it asked of its work queue.
type Side struct {
	Log     []Entry
	Requeue workload.Requeue
}

// Normalize returns the body of c as compared, a copy of c.Object with
// what the comparison must not see changed (condition times stamped from
// the wall clock, for example), or c.Object itself.
type Normalize func(c *Call) workload.Object

// Compare lists every difference between upstream's sync and reckon's, in
// order, each as "<label>: <detail>" (the labels make a failure's
// signature).
//
// Both logs are laid out in segments: reckon's writes sent in one
// concurrent step (Call.Segment) form one segment, every other write one of
// its own, and upstream's writes, which carry no step, are cut into
// segments of the same sizes in order. The events recorded after a
// segment's first write and before the next segment's belong to it; those
// before any write lead. Segments are compared one by one: their writes in
// order, or as multisets for a concurrent segment (upstream sends those
// from goroutines), then their events likewise. A write is compared by
// verb, resource, namespace, name, the resourceVersion it carries, its
// delete options or patch (type and bytes), its body (see bodyOf) and its
// outcome (ok, or the API error's reason and message).
func Compare(up, rk Side, normUp, normRk Normalize) []string {
	var diffs []string
	var sizes []int
	rkLead, rkSegs := layout(rk.Log, nil)
	for _, s := range rkSegs {
		sizes = append(sizes, len(s.calls))
	}
	upLead, upSegs := layout(up.Log, sizes)
	if d := compareEvents(upLead, rkLead, false); d != "" {
		diffs = append(diffs, "events before the first write: "+d)
	}
	for i := range max(len(upSegs), len(rkSegs)) {
		switch {
		case i >= len(upSegs):
			for _, c := range rkSegs[i].calls {
				diffs = append(diffs, fmt.Sprintf("extra %s %s: reckon's write %s is not upstream's", c.Verb, c.Resource, lineOf(c, normRk).short()))
			}
			continue
		case i >= len(rkSegs):
			for _, c := range upSegs[i].calls {
				diffs = append(diffs, fmt.Sprintf("missing %s %s: upstream's write %s is not reckon's", c.Verb, c.Resource, lineOf(c, normUp).short()))
			}
			continue
		}
		u, r := upSegs[i], rkSegs[i]
		concurrent := len(r.calls) > 1
		diffs = append(diffs, compareCalls(i, u.calls, r.calls, normUp, normRk, concurrent)...)
		if d := compareEvents(u.events, r.events, concurrent); d != "" {
			diffs = append(diffs, fmt.Sprintf("events after write %d: %s", i, d))
		}
	}
	if up.Requeue != rk.Requeue {
		diffs = append(diffs, fmt.Sprintf("requeue: upstream %s, reckon %s", RequeueString(up.Requeue), RequeueString(rk.Requeue)))
	}
	return diffs
}

// RequeueString describes a requeue.
func RequeueString(r workload.Requeue) string {
	switch {
	case r.RateLimited && r.After > 0:
		return fmt.Sprintf("rate-limited and after %v", r.After)
	case r.RateLimited:
		return "rate-limited"
	case r.After > 0:
		return fmt.Sprintf("after %v", r.After)
	}
	return "none"
}

type segment struct {
	calls  []*Call
	events []workload.Event
}

// layout cuts a log into segments: of the given sizes, in order, if sizes
// is not nil (writes beyond them one per segment), else by Call.Segment.
func layout(log []Entry, sizes []int) (lead []workload.Event, segs []segment) {
	for _, e := range log {
		if e.Event != nil {
			if len(segs) == 0 {
				lead = append(lead, *e.Event)
			} else {
				segs[len(segs)-1].events = append(segs[len(segs)-1].events, *e.Event)
			}
			continue
		}
		c := e.Call
		var join bool
		if n := len(segs); n > 0 {
			last := segs[n-1]
			if sizes != nil {
				join = n <= len(sizes) && len(last.calls) < sizes[n-1]
			} else {
				join = c.Segment != 0 && last.calls[len(last.calls)-1].Segment == c.Segment
			}
		}
		if join {
			segs[len(segs)-1].calls = append(segs[len(segs)-1].calls, c)
		} else {
			segs = append(segs, segment{calls: []*Call{c}})
		}
	}
	return lead, segs
}

// line is a write as compared.
type line struct {
	head    string // verb, target, resourceVersion, delete options or patch
	body    workload.Object
	json    string
	outcome string
}

func (l line) key() string { return l.head + " " + l.json + " -> " + l.outcome }

func (l line) short() string { return l.head + " -> " + l.outcome }

func (l line) equal(o line) bool {
	if l.head != o.head || l.outcome != o.outcome {
		return false
	}
	// As the wire sees them: nil and empty maps and slices alike.
	return l.json == o.json || equality.Semantic.DeepEqual(l.body, o.body)
}

func lineOf(c *Call, norm Normalize) line {
	l := line{outcome: "ok"}
	if c.Err != nil {
		l.outcome = outcomeOf(c.Err)
	}
	name := c.Name
	if name == "" {
		name = "*"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s/%s", c.Verb, c.Resource, c.Namespace, name)
	if c.Object != nil {
		if rv := c.Object.GetResourceVersion(); rv != "" || c.Verb != workload.Create {
			fmt.Fprintf(&b, " [rv %q]", rv)
		}
		body := c.Object
		if norm != nil {
			body = norm(c)
		}
		l.body = bodyOf(body)
		j, err := json.Marshal(l.body)
		if err != nil {
			panic(err)
		}
		l.json = string(j)
	}
	if c.Verb == workload.Patch {
		fmt.Fprintf(&b, " %s %s", c.PatchType, c.Patch)
	}
	if c.Verb == workload.Delete {
		j, err := json.Marshal(c.Options)
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(&b, " %s", j)
	}
	l.head = b.String()
	return l
}

// bodyOf is the body of a write as compared: the object without its
// resourceVersion (compared with the write's target) and generation (the
// API server sets it: rest.BeforeCreate and BeforeUpdate overwrite what is
// sent, and an upstream write computed from an object an earlier write
// returned carries the generation the server gave that write, which no
// plan can know).
func bodyOf(o workload.Object) workload.Object {
	c := copyObject(o)
	c.SetResourceVersion("")
	c.SetGeneration(0)
	return c
}

func outcomeOf(err error) string {
	reason := string(apierrors.ReasonForError(err))
	if reason == "" {
		reason = "error"
	}
	return fmt.Sprintf("%s %q", reason, err.Error())
}

func compareCalls(seg int, up, rk []*Call, normUp, normRk Normalize, concurrent bool) []string {
	ul, rl := make([]line, len(up)), make([]line, len(rk))
	for i, c := range up {
		ul[i] = lineOf(c, normUp)
	}
	for i, c := range rk {
		rl[i] = lineOf(c, normRk)
	}
	if concurrent {
		sortLines(ul)
		sortLines(rl)
	}
	var diffs []string
	for i := range max(len(ul), len(rl)) {
		switch {
		case i >= len(ul):
			diffs = append(diffs, fmt.Sprintf("extra %s %s: reckon's write %d.%d %s is not upstream's", rk[i].Verb, rk[i].Resource, seg, i, rl[i].short()))
		case i >= len(rl):
			diffs = append(diffs, fmt.Sprintf("missing %s %s: upstream's write %d.%d %s is not reckon's", up[i].Verb, up[i].Resource, seg, i, ul[i].short()))
		case !ul[i].equal(rl[i]):
			u, r := ul[i], rl[i]
			var what []string
			if u.head != r.head {
				what = append(what, fmt.Sprintf("upstream %s, reckon %s", u.head, r.head))
			}
			if u.outcome != r.outcome {
				what = append(what, fmt.Sprintf("outcome upstream %s, reckon %s", u.outcome, r.outcome))
			}
			if u.json != r.json && !equality.Semantic.DeepEqual(u.body, r.body) {
				what = append(what, "body "+strings.Join(DiffJSON(u.body, r.body), "; "))
			}
			label := fmt.Sprintf("%s %s", firstWord(u.head), resourceOf(u.head))
			diffs = append(diffs, fmt.Sprintf("%s: write %d.%d %s: %s", label, seg, i, u.short(), strings.Join(what, "; ")))
		}
	}
	return diffs
}

func firstWord(s string) string     { f := strings.Fields(s); return f[0] }
func resourceOf(head string) string { f := strings.Fields(head); return f[1] }

func sortLines(ls []line) {
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].key() < ls[j].key() })
}

func compareEvents(up, rk []workload.Event, concurrent bool) string {
	us, rs := eventStrings(up), eventStrings(rk)
	if concurrent {
		sort.Strings(us)
		sort.Strings(rs)
	}
	if slices.Equal(us, rs) {
		return ""
	}
	return fmt.Sprintf("upstream %q, reckon %q", us, rs)
}

func eventStrings(es []workload.Event) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.String()
	}
	return out
}

// DiffJSON lists the JSON paths where a (upstream) and b (reckon) differ,
// with both values, at most a dozen.
func DiffJSON(a, b any) []string {
	var out []string
	walkDiff("", toJSON(a), toJSON(b), &out)
	if len(out) == 0 {
		out = append(out, fmt.Sprintf("no difference in JSON (below its precision?): upstream %+v, reckon %+v", a, b))
	}
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("... %d more", len(out)-12))
	}
	return out
}

func toJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return out
}

func walkDiff(path string, a, b any, out *[]string) {
	ma, aok := a.(map[string]any)
	mb, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range ma {
			keys[k] = true
		}
		for k := range mb {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			walkDiff(path+"."+k, ma[k], mb[k], out)
		}
		return
	}
	sa, aok := a.([]any)
	sb, bok := b.([]any)
	if aok && bok && len(sa) == len(sb) {
		for i := range sa {
			walkDiff(fmt.Sprintf("%s[%d]", path, i), sa[i], sb[i], out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		if path == "" {
			path = "."
		}
		*out = append(*out, fmt.Sprintf("%s upstream %s reckon %s", path, shortJSON(a), shortJSON(b)))
	}
}

// shortJSON renders v as JSON, eliding the middle of long values.
func shortJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 120 {
		return fmt.Sprintf("%s...(%d bytes)...%s", b[:60], len(b)-100, b[len(b)-40:])
	}
	return string(b)
}
