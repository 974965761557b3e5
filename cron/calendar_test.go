package cron

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestCalendarMatchesPackageTime pins the wall-clock helpers to package time
// over the whole range the fast path uses.
func TestCalendarMatchesPackageTime(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const maxDays = fastRange / secondsPerDay
	for i := range 200000 {
		days := r.Int64N(2*maxDays) - maxDays
		if i < 1000 {
			days = int64(i-500) * 146097 / 400 // around many era and century edges
		}
		tm := time.Unix(days*secondsPerDay, 0).UTC()
		y, m, d := civil(days)
		if int64(tm.Year()) != y || int(tm.Month()) != m || tm.Day() != d {
			t.Fatalf("civil(%d) = %d-%d-%d, time says %s", days, y, m, d, tm)
		}
		if back := daysFromCivil(y, m, d); back != days {
			t.Fatalf("daysFromCivil(%d, %d, %d) = %d, want %d", y, m, d, back, days)
		}
		if weekday(days) != int(tm.Weekday()) {
			t.Fatalf("weekday(%d) = %d, time says %s", days, weekday(days), tm.Weekday())
		}
		if n := daysIn(y, m); n != time.Date(int(y), time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
			t.Fatalf("daysIn(%d, %d) = %d", y, m, n)
		}
	}
}
