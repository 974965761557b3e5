package cron_test

import (
	"testing"
	"time"

	"github.com/reckon-k8s/reckon/cron"
)

// benchSpecs are the schedules of the issue: frequent, weekly, a complex mix,
// and an impossible date.
var benchSpecs = []struct{ name, spec string }{
	{"every5min", "*/5 * * * *"},
	{"weekly", "0 2 * * 6"},
	{"complex", "15,45 9-17 1-7 */2 1-5"},
	{"impossible", "0 0 30 2 *"},
}

// benchInstants spreads 64 instants over a year, at odd seconds and
// nanoseconds, in loc.
func benchInstants(loc *time.Location) []time.Time {
	ts := make([]time.Time, 64)
	for i := range ts {
		ts[i] = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*136*time.Hour + time.Duration(i*7919)*time.Second + time.Duration(i*104729)).In(loc)
	}
	return ts
}

func BenchmarkNext(b *testing.B) {
	for _, zone := range []string{"UTC", "America/New_York"} {
		ts := benchInstants(mustLoad(b, zone))
		for _, bs := range benchSpecs {
			s, err := cron.Parse(bs.spec)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(zone+"/"+bs.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					s.Next(ts[i%len(ts)])
				}
			})
		}
	}
}

func BenchmarkPrev(b *testing.B) {
	ts := benchInstants(time.UTC)
	for _, bs := range benchSpecs {
		s, _ := cron.Parse(bs.spec)
		b.Run(bs.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				s.Prev(ts[i%len(ts)])
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for _, bs := range benchSpecs {
		b.Run(bs.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cron.Parse(bs.spec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNever(b *testing.B) {
	s, _ := cron.Parse("0 0 30 2 *")
	b.ReportAllocs()
	for b.Loop() {
		if !s.Never() {
			b.Fatal("not never")
		}
	}
}
