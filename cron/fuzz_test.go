package cron_test

import (
	"testing"
	"time"

	"github.com/reckon-k8s/reckon/cron"
)

// fuzzZones are the locations the fuzz targets evaluate in.
var fuzzZones = func() []*time.Location {
	locs := []*time.Location{time.UTC, time.FixedZone("odd", -(4*3600 + 56*60 + 2))}
	for _, name := range []string{"America/New_York", "Australia/Lord_Howe", "Asia/Baghdad", "Pacific/Apia"} {
		if loc, err := time.LoadLocation(name); err == nil {
			locs = append(locs, loc)
		}
	}
	return locs
}()

var fuzzSpecs = []string{
	"* * * * *", "*/5 * * * *", "0 2 * * 6", "15,45 9-17 1-7 */2 1-5", "0 0 30 2 *", "0 0 29 2 *",
	"TZ=America/New_York 30 2 * * *", "CRON_TZ=Australia/Lord_Howe 30 1 * * *", "TZ=UTC", "TZ= @daily",
	"@every 1h30m", "@every -1s", "1,,2 *-x ? JAN-dec sun", ", * * * *", "*/99999999999 * * * *",
	"TZ=Pacific/Apia 0 12 30 12 *", "* * * * 7", "@every 9999999999h",
}

// endOfTime bounds the instants on which the properties are asserted: within
// a few years of the ends of time.Time's range robfig's own time arithmetic
// overflows, and Next reproduces whatever it computes.
const endOfTime = 1 << 60

// FuzzParse: Parse never panics, and what it accepts can be evaluated.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSpecs {
		f.Add(s)
	}
	from := time.Date(2026, 3, 8, 1, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := cron.Parse(spec)
		if err != nil {
			return
		}
		if s.String() != spec {
			t.Fatalf("String() = %q, want %q", s.String(), spec)
		}
		if next := s.Next(from); !next.IsZero() && !next.After(from) {
			t.Fatalf("%q: Next(%s) = %s", spec, from, next)
		}
		if prev := s.Prev(from); !prev.IsZero() && !prev.Before(from) {
			t.Fatalf("%q: Prev(%s) = %s", spec, from, prev)
		}
		if s.Never() && !s.Next(from).IsZero() {
			t.Fatalf("%q: Never, but Next(%s) = %s", spec, from, s.Next(from))
		}
	})
}

// FuzzNext: Next and Prev never panic and always return, for any spec,
// instant and location; Next is after t and Prev before t.
func FuzzNext(f *testing.F) {
	for i, s := range fuzzSpecs {
		f.Add(s, int64(1772952600+i*86400*37), int64(i*123456789), uint8(i))
	}
	f.Add("0 0 1 12,1 *", int64(787_000_000), int64(0), uint8(5))
	f.Add("*/5 * * * *", int64(-1<<62), int64(999_999_999), uint8(2))
	f.Fuzz(func(t *testing.T, spec string, sec, nsec int64, zone uint8) {
		s, err := cron.Parse(spec)
		if err != nil {
			return
		}
		from := time.Unix(sec, nsec).In(fuzzZones[int(zone)%len(fuzzZones)])
		next, prev := s.Next(from), s.Prev(from)
		if sec <= -endOfTime || sec >= endOfTime {
			return
		}
		if !next.IsZero() && !next.After(from) {
			t.Fatalf("%q: Next(%s) = %s", spec, from, next)
		}
		if !prev.IsZero() && !prev.Before(from) {
			t.Fatalf("%q: Prev(%s) = %s", spec, from, prev)
		}
	})
}
