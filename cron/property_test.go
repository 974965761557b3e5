package cron

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// fixedZones have no changes of UTC offset; in them robfig's Next is the
// plain "first matching wall time", which the properties state.
var fixedZones = []*time.Location{
	time.UTC,
	time.FixedZone("+05:30", 5*3600+30*60),
	time.FixedZone("-03:30", -(3*3600 + 30*60)),
	time.FixedZone("+14", 14*3600),
	time.FixedZone("-12", -12*3600),
}

// dstZones have offset changes, including 30-minute ones and gaps at
// midnight.
var dstZones = []string{
	"America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo",
	"Asia/Baghdad", "America/Havana", "Pacific/Chatham", "Africa/Monrovia", "Pacific/Apia",
}

// specGen draws valid five-field specs of every form, sparse and dense.
func specGen() *rapid.Generator[string] {
	type bound struct{ min, max int }
	bounds := []bound{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}}
	item := func(t *rapid.T, b bound, label string) string {
		v := func(name string) int { return rapid.IntRange(b.min, b.max).Draw(t, label+name) }
		switch rapid.IntRange(0, 7).Draw(t, label+"kind") {
		case 0:
			return "*"
		case 1:
			return "?"
		case 2:
			return fmt.Sprintf("*/%d", rapid.IntRange(1, 40).Draw(t, label+"step"))
		case 3:
			return fmt.Sprintf("%d/%d", v("start"), rapid.IntRange(1, 40).Draw(t, label+"step"))
		case 4:
			lo, hi := v("lo"), v("hi")
			return fmt.Sprintf("%d-%d", min(lo, hi), max(lo, hi))
		case 5:
			lo, hi := v("lo"), v("hi")
			return fmt.Sprintf("%d-%d/%d", min(lo, hi), max(lo, hi), rapid.IntRange(1, 10).Draw(t, label+"step"))
		default:
			return fmt.Sprint(v("value"))
		}
	}
	return rapid.Custom(func(t *rapid.T) string {
		if rapid.IntRange(0, 9).Draw(t, "descriptor") == 0 {
			return rapid.SampledFrom([]string{"@yearly", "@monthly", "@weekly", "@daily", "@hourly", "0 0 30 2 *", "0 0 29 2 *", "0 0 31 */2 *"}).Draw(t, "special")
		}
		fields := make([]string, 5)
		for i, b := range bounds {
			items := make([]string, rapid.IntRange(1, 3).Draw(t, "items"))
			for j := range items {
				items[j] = item(t, b, fmt.Sprintf("f%d.%d.", i, j))
			}
			fields[i] = strings.Join(items, ",")
		}
		return strings.Join(fields, " ")
	})
}

func instantGen(zones []*time.Location) *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		lo := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		hi := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		sec := rapid.Int64Range(lo, hi).Draw(t, "unix")
		if rapid.Bool().Draw(t, "whole minute") {
			sec -= sec % 60
		}
		ns := rapid.SampledFrom([]int64{0, 1, 999_999_999, 500_000_000}).Draw(t, "ns")
		return time.Unix(sec, ns).In(rapid.SampledFrom(zones).Draw(t, "zone"))
	})
}

// matches reports whether the wall-clock reading of tm (already in the
// schedule's location) satisfies the schedule: the fields, second 0.
func (s *Schedule) matches(tm time.Time) bool {
	return s.month&(1<<tm.Month()) != 0 && s.dayMatches(tm) &&
		s.hour&(1<<tm.Hour()) != 0 && s.minute&(1<<tm.Minute()) != 0 &&
		tm.Second() == 0 && tm.Nanosecond() == 0
}

// firstBetween finds by brute force the first matching minute strictly
// after from and strictly before to, in a fixed-offset location: day by day,
// and minute by minute on matching days. It uses only package time.
func (s *Schedule) firstBetween(from, to time.Time, loc *time.Location) (time.Time, bool) {
	from, to = from.In(loc), to.In(loc)
	day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		if s.month&(1<<day.Month()) == 0 || !s.dayMatches(day) {
			continue
		}
		for m := day; m.Before(day.AddDate(0, 0, 1)) && m.Before(to); m = m.Add(time.Minute) {
			if m.After(from) && s.matches(m) {
				return m, true
			}
		}
	}
	return time.Time{}, false
}

func (s *Schedule) loc0(t time.Time) *time.Location {
	if s.loc != nil {
		return s.loc
	}
	return t.Location()
}

// TestPropertyNext: in fixed-offset zones Next(t) is after t, matches, and
// nothing matches strictly between; a zero result means nothing matches up
// to the end of the fifth year after t's.
func TestPropertyNext(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := specGen().Draw(t, "spec")
		s, err := Parse(spec)
		if err != nil {
			t.Fatalf("Parse(%q): %v", spec, err)
		}
		from := instantGen(fixedZones).Draw(t, "from")
		loc := s.loc0(from)
		next := s.Next(from)
		if next.IsZero() {
			limit := time.Date(from.In(loc).Add(time.Second).Year()+6, 1, 1, 0, 0, 0, 0, loc)
			if m, ok := s.firstBetween(from, limit, loc); ok {
				t.Fatalf("Next(%s) = zero, but %s matches", from, m)
			}
			return
		}
		if !next.After(from) {
			t.Fatalf("Next(%s) = %s, not after", from, next)
		}
		if !s.matches(next.In(loc)) {
			t.Fatalf("Next(%s) = %s does not match %q", from, next, spec)
		}
		if m, ok := s.firstBetween(from, next, loc); ok {
			t.Fatalf("Next(%s) = %s, but %s matches in between", from, next, m)
		}
	})
}

// TestPropertyPrevMirrorsNext: in fixed-offset zones Prev(t) is before t,
// matches, nothing matches strictly between, and Next and Prev undo each
// other: Next(Prev(t)) >= t and Prev(Next(t)) <= t.
func TestPropertyPrevMirrorsNext(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := specGen().Draw(t, "spec")
		s, err := Parse(spec)
		if err != nil {
			t.Fatalf("Parse(%q): %v", spec, err)
		}
		from := instantGen(fixedZones).Draw(t, "from")
		loc := s.loc0(from)
		prev := s.Prev(from)
		if !prev.IsZero() {
			if !prev.Before(from) || !s.matches(prev.In(loc)) {
				t.Fatalf("Prev(%s) = %s: not before, or does not match %q", from, prev, spec)
			}
			if m, ok := s.firstBetween(prev, from, loc); ok {
				t.Fatalf("Prev(%s) = %s, but %s matches in between", from, prev, m)
			}
			// Next may hit its five-year limit (Feb 29th around 2100).
			if n := s.Next(prev); !n.IsZero() && n.Before(from) {
				t.Fatalf("Next(Prev(%s)) = Next(%s) = %s, before t", from, prev, n)
			}
		} else if !s.Never() {
			limit := time.Date(from.In(loc).Year()-5, 1, 1, 0, 0, 0, 0, loc)
			if m, ok := s.firstBetween(limit.Add(-time.Nanosecond), from, loc); ok {
				t.Fatalf("Prev(%s) = zero, but %s matches", from, m)
			}
		}
		if next := s.Next(from); !next.IsZero() {
			if p := s.Prev(next); p.After(from) {
				t.Fatalf("Prev(Next(%s)) = Prev(%s) = %s, after t", from, next, p)
			}
		}
	})
}

// TestPropertyEveryMirrors: for @every, Next is after t and Prev before t,
// and they undo each other.
func TestPropertyEveryMirrors(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := time.Duration(rapid.Int64Range(-int64(time.Hour), 48*int64(time.Hour)).Draw(t, "every"))
		s, err := Parse("@every " + d.String())
		if err != nil {
			t.Fatal(err)
		}
		from := instantGen(fixedZones).Draw(t, "from")
		next, prev := s.Next(from), s.Prev(from)
		if !next.After(from) || !prev.Before(from) {
			t.Fatalf("@every %s from %s: Next %s, Prev %s", d, from, next, prev)
		}
		if s.Next(prev).Before(from) || s.Prev(next).After(from) {
			t.Fatalf("@every %s from %s: Next(Prev) %s, Prev(Next) %s", d, from, s.Next(prev), s.Prev(next))
		}
	})
}

// TestPropertyFastPathAgreesWithReplay: wherever the fast path vouches for
// its answer, replaying robfig's search step by step gives the same one, in
// zones with offset changes of every kind. The replay is checked against
// robfig itself in internal/conformance/cronconf.
func TestPropertyFastPathAgreesWithReplay(t *testing.T) {
	zones := make([]*time.Location, len(dstZones))
	for i, name := range dstZones {
		var err error
		if zones[i], err = time.LoadLocation(name); err != nil {
			t.Fatal(err)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		spec := specGen().Draw(t, "spec")
		s, err := Parse(spec)
		if err != nil {
			t.Fatalf("Parse(%q): %v", spec, err)
		}
		for i := range 20 {
			from := instantGen(zones).Draw(t, fmt.Sprint("from", i))
			// Move to just before an offset change often.
			if rapid.Bool().Draw(t, fmt.Sprint("near a change", i)) {
				if _, end := from.ZoneBounds(); !end.IsZero() {
					from = end.Add(-time.Duration(rapid.Int64Range(0, int64(40*24*time.Hour)).Draw(t, fmt.Sprint("before", i))))
				}
			}
			start := from.Add(time.Second - time.Duration(from.Nanosecond()))
			unix, found, ok := s.nextFast(start.Unix(), from.Location())
			if !ok {
				continue
			}
			want, wantFound := s.replay(start, from.Location())
			if found != wantFound || (found && unix != want.Unix()) {
				t.Fatalf("%q from %s: fast path (%d, %v), replay (%s, %v)", spec, from, unix, found, want, wantFound)
			}
		}
	})
}
