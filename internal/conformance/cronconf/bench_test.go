package cronconf

import (
	"runtime"
	"syscall"
	"testing"
	"time"

	robfig "github.com/robfig/cron/v3"

	"github.com/reckon-k8s/reckon/cron"
)

// The schedules of the issue: frequent, weekly, a complex mix, and an
// impossible date (robfig searches five years to return the zero time).
var benchSpecs = []struct{ name, spec string }{
	{"every5min", "*/5 * * * *"},
	{"weekly", "0 2 * * 6"},
	{"complex", "15,45 9-17 1-7 */2 1-5"},
	{"impossible", "0 0 30 2 *"},
}

// benchInstants spreads 64 instants over 2026, at odd seconds and
// nanoseconds, in loc (the same set as the root package's benchmarks).
func benchInstants(loc *time.Location) []time.Time {
	ts := make([]time.Time, 64)
	for i := range ts {
		ts[i] = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*136*time.Hour + time.Duration(i*7919)*time.Second + time.Duration(i*104729)).In(loc)
	}
	return ts
}

// cpuTimer reports, next to wall time, the CPU time of the benchmark's OS
// thread per operation ("cpu-ns/op"): on a shared machine other processes
// inflate wall time but not the CPU time the benchmark itself uses.
type cpuTimer struct{ start int64 }

func threadCPU() int64 {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD on Linux
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func startCPU() cpuTimer {
	runtime.LockOSThread()
	return cpuTimer{threadCPU()}
}

func (c cpuTimer) stop(b *testing.B) {
	used := threadCPU() - c.start
	runtime.UnlockOSThread()
	if b.N > 0 && used > 0 {
		b.ReportMetric(float64(used)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkNext compares Next side by side (compare with benchstat -col
// /lib), from two kinds of instants: "any" spreads them over a year at odd
// seconds; "match" starts each call at a schedule time, as the CronJob
// controller does (it calls Next on lastScheduleTime and on the previous
// result). The impossible schedule has no schedule times.
func BenchmarkNext(b *testing.B) {
	for _, zone := range []string{"UTC", "America/New_York"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			b.Fatal(err)
		}
		for _, bs := range benchSpecs {
			want, _ := robfig.ParseStandard(bs.spec)
			got, _ := cron.Parse(bs.spec)
			for _, from := range []string{"any", "match"} {
				ts := benchInstants(loc)
				if from == "match" {
					if got.Never() {
						continue
					}
					t := ts[0]
					for i := range ts {
						t = want.Next(t)
						ts[i] = t
					}
				}
				name := "zone=" + zone + "/spec=" + bs.name + "/from=" + from
				b.Run(name+"/lib=robfig", func(b *testing.B) {
					b.ReportAllocs()
					c := startCPU()
					for i := 0; b.Loop(); i++ {
						want.Next(ts[i%len(ts)])
					}
					c.stop(b)
				})
				b.Run(name+"/lib=reckon", func(b *testing.B) {
					b.ReportAllocs()
					c := startCPU()
					for i := 0; b.Loop(); i++ {
						got.Next(ts[i%len(ts)])
					}
					c.stop(b)
				})
			}
		}
	}
}

// BenchmarkParse compares parsing side by side.
func BenchmarkParse(b *testing.B) {
	for _, bs := range benchSpecs {
		b.Run("spec="+bs.name+"/lib=robfig", func(b *testing.B) {
			b.ReportAllocs()
			c := startCPU()
			for b.Loop() {
				if _, err := robfig.ParseStandard(bs.spec); err != nil {
					b.Fatal(err)
				}
			}
			c.stop(b)
		})
		b.Run("spec="+bs.name+"/lib=reckon", func(b *testing.B) {
			b.ReportAllocs()
			c := startCPU()
			for b.Loop() {
				if _, err := cron.Parse(bs.spec); err != nil {
					b.Fatal(err)
				}
			}
			c.stop(b)
		})
	}
}

// BenchmarkNeverAnswer: how long it takes to learn that "0 0 30 2 *" never
// fires. robfig's only way is Next (a five-year search returning the zero
// time); reckon answers with Never.
func BenchmarkNeverAnswer(b *testing.B) {
	want, _ := robfig.ParseStandard("0 0 30 2 *")
	got, _ := cron.Parse("0 0 30 2 *")
	from := time.Date(2026, 5, 14, 12, 0, 0, 0, time.UTC)
	b.Run("lib=robfig", func(b *testing.B) {
		c := startCPU()
		for b.Loop() {
			if !want.Next(from).IsZero() {
				b.Fatal("fires")
			}
		}
		c.stop(b)
	})
	b.Run("lib=reckon", func(b *testing.B) {
		c := startCPU()
		for b.Loop() {
			if !got.Never() {
				b.Fatal("fires")
			}
		}
		c.stop(b)
	})
}
