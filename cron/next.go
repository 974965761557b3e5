package cron

import (
	"math/bits"
	"time"
)

// Next returns the first activation of the schedule after t, exactly as
// robfig/cron v3.0.1 computes it for a schedule from ParseStandard (the
// Schedule.Next that Kubernetes v1.36's CronJob controller calls). For every
// accepted spec, instant and location the result is the same time.Time value
// (instant, location and representation):
//
//   - @every d: t + d minus t's fraction of a second, in t's location; the
//     schedule's time zone plays no part.
//   - Otherwise t is moved into the schedule's location (or kept in its own
//     when the schedule has none), the search starts at the next whole
//     second, and the result is returned in t's location. Nothing found by
//     the end of the fifth year after that second's year gives the zero
//     time; so does, without searching, a schedule for which
//     [Schedule.Never] is true, except in the rare places described below.
//
// Next reproduces robfig's daylight-saving behaviour, including its oddities:
// a wall time skipped by a spring-forward gap is not run that day; a wall time
// repeated by a fall-back overlap runs twice; after a 30-minute shift (as in
// Australia/Lord_Howe) robfig can return a time half an hour off its minute
// field or skip runs; in a zone whose offset is not a whole number of minutes
// (local mean time before 1900 or so) the first run can be late; and where a
// gap swallows midnight at the start of a month (Asia/Baghdad on 1982-05-01),
// robfig can even fire a schedule that is Never, on a day of the following
// month. Next takes a fast path (wall-clock arithmetic on bit masks) whenever
// the stretch robfig would search lies inside one period of constant UTC
// offset, and otherwise replays robfig's own stepwise search; tests check the
// fast path against the replay, and both against robfig. Next does not
// allocate.
//
// Where robfig never returns, Next returns the zero time: when its search
// meets a change of offset that skips a whole calendar day (Pacific/Apia and
// Pacific/Fakaofo on 2011-12-30, Pacific/Kiritimati and Pacific/Kanton on
// 1994-12-31, Pacific/Kwajalein on 1993-08-21, Asia/Manila on 1844-12-31)
// on a day the schedule does not match, and near the end of time.Time's
// range, where time arithmetic saturates.
func (s *Schedule) Next(t time.Time) time.Time {
	if s.every > 0 {
		return t.Add(s.every - time.Duration(t.Nanosecond()))
	}
	if s.neverAnyMonth {
		return time.Time{}
	}
	orig := t.Location()
	loc := orig
	if s.loc != nil {
		loc = s.loc
	}
	// The search starts at the next whole second: t.Unix()+1.
	if unix, found, ok := s.nextFast(t.Unix()+1, loc); ok {
		if !found {
			return time.Time{}
		}
		return time.Unix(unix, 0).In(orig)
	}
	if s.loc != nil {
		t = t.In(loc)
	}
	t = t.Add(time.Second - time.Duration(t.Nanosecond()))
	if s.never && noMidnightGap(t, loc) {
		return time.Time{}
	}
	if r, found := s.replay(t, loc); found {
		return r.In(orig)
	}
	return time.Time{}
}

// fastRange bounds the Unix seconds the fast path handles, so that wall-clock
// arithmetic in int64 cannot overflow (about ±35 million years).
const fastRange = 1 << 50

// nextFast computes Next from the Unix second u (the next whole second) in
// loc, in wall-clock arithmetic. It reports ok=false when its answer
// might differ from robfig's stepwise search: when the stretch of wall-clock
// time robfig would visit is not inside one period of constant UTC offset, or
// when that offset is not a whole number of minutes (robfig truncates
// instants, not wall times, to the minute).
//
// Inside one such period robfig's search is a plain forward scan for the
// first wall time that matches, beginning at a point it rewinds to: the start
// of the month, day or hour, or the minute, of the first field that start
// fails. That rewind point is where the visited stretch begins; the result
// (or, when there is none, January 1st of the year after the five-year limit)
// is where it ends. time.Date, which robfig uses to rewind and step, gives the
// plain offset answer only when both the wall time and the wall time read as
// a Unix time lie in the period, so the check covers both.
func (s *Schedule) nextFast(u int64, loc *time.Location) (unix int64, found, ok bool) {
	if u <= -fastRange || u >= fastRange {
		return 0, false, false
	}
	// The period of constant offset around u: unbounded in UTC.
	var off, zoneStart, zoneEnd int64 = 0, -fastRange * 2, fastRange * 2
	if loc != time.UTC {
		start := time.Unix(u, 0).In(loc)
		_, offset := start.Zone()
		if offset%60 != 0 {
			return 0, false, false
		}
		off = int64(offset)
		if zs, ze := start.ZoneBounds(); !zs.IsZero() {
			zoneStart = zs.Unix()
			if !ze.IsZero() {
				zoneEnd = ze.Unix()
			}
		} else if !ze.IsZero() {
			zoneEnd = ze.Unix()
		}
	}
	wall := u + off
	day := floorDiv(wall, secondsPerDay)
	sec := wall - day*secondsPerDay
	y, m, d := civil(day)
	h, mi := int(sec/3600), int(sec/60%60)
	sec %= 60

	first := day - int64(d) + 1 // the month's first day
	var rewind int64            // wall seconds where robfig's search starts stepping
	switch {
	case s.month&(1<<m) == 0:
		rewind = first * secondsPerDay
	case s.days[weekday(first)]&(1<<d) == 0:
		rewind = day * secondsPerDay
	case s.hour&(1<<h) == 0:
		rewind = day*secondsPerDay + int64(h)*3600
	case s.minute&(1<<mi) == 0:
		rewind = wall - sec
	case sec != 0:
		rewind = wall
	default:
		return u, true, true // start itself matches
	}
	if sec != 0 {
		mi++
	}
	end, found := int64(0), false
	if !s.never {
		end, found = s.after(y, m, d, h, mi, first)
	}
	if !found {
		end = daysFromCivil(y+6, 1, 1) * secondsPerDay
	}
	if min(rewind, rewind-off) < zoneStart || max(end, end-off) >= zoneEnd {
		return 0, false, false
	}
	return end - off, found, true
}

// after returns the first matching wall time at or after year y, month m,
// day d, hour h, minute mi (mi may be 60, h 24, d past the month's end),
// searching no further than the end of year y+5, as robfig does. first is
// the day number of the first of month m.
func (s *Schedule) after(y int64, m, d, h, mi int, first int64) (wall int64, found bool) {
	limit := y + 5
	for {
		if s.month&(1<<m) == 0 {
			later := s.month &^ (1<<(m+1) - 1)
			if later == 0 {
				if y++; y > limit {
					return 0, false
				}
				later = s.month
			}
			m, d, h, mi = bits.TrailingZeros64(later), 1, 0, 0
			first = daysFromCivil(y, m, 1)
		}
		length := daysIn(y, m)
		days := s.days[weekday(first)] & monthDays[length] &^ (1<<d - 1)
		if days == 0 {
			if m++; m > 12 {
				if y++; y > limit {
					return 0, false
				}
				m = 1
			}
			d, h, mi = 1, 0, 0
			first += int64(length)
			continue
		}
		if nd := bits.TrailingZeros64(days); nd != d {
			d, h, mi = nd, 0, 0
		}
		hours := s.hour &^ (1<<h - 1)
		if hours == 0 {
			d, h, mi = d+1, 0, 0
			continue
		}
		if nh := bits.TrailingZeros64(hours); nh != h {
			h, mi = nh, 0
		}
		minutes := s.minute &^ (1<<mi - 1)
		if minutes == 0 {
			h, mi = h+1, 0
			continue
		}
		mi = bits.TrailingZeros64(minutes)
		return (first+int64(d)-1)*secondsPerDay + int64(h)*3600 + int64(mi)*60, true
	}
}

// replay is robfig's SpecSchedule.Next search, step for step, from start (the
// next whole second, in loc). It is used where the fast path cannot vouch for
// its answer: near changes of UTC offset and in odd offsets. Each field is
// brought to a matching value by stepping it forward; the first field that
// has to move first rewinds the smaller fields to their start ("rewound" is
// robfig's "added" flag), and a smaller field wrapping around sends the search
// back to the month. It reports found=false where robfig returns the zero time
// and where robfig never returns (see loopGuard).
func (s *Schedule) replay(t time.Time, loc *time.Location) (time.Time, bool) {
	rewound := false
	limit := t.Year() + 5
	var guard loopGuard
restart:
	for {
		if t.Year() > limit {
			return time.Time{}, false
		}
		for s.month&(1<<t.Month()) == 0 {
			if !rewound {
				rewound = true
				t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
			}
			t = t.AddDate(0, 1, 0)
			if guard.stuck(t, 1) {
				return time.Time{}, false
			}
			if t.Month() == time.January {
				continue restart
			}
		}
		for !s.dayMatches(t) {
			if !rewound {
				rewound = true
				t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
			}
			t = t.AddDate(0, 0, 1)
			// robfig's correction for days that do not start at midnight.
			if h := t.Hour(); h > 12 {
				t = t.Add(time.Duration(24-h) * time.Hour)
			} else if h != 0 {
				t = t.Add(-time.Duration(h) * time.Hour)
			}
			if guard.stuck(t, 2) {
				return time.Time{}, false
			}
			if t.Day() == 1 {
				continue restart
			}
		}
		for s.hour&(1<<t.Hour()) == 0 {
			if !rewound {
				rewound = true
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, loc)
			}
			t = t.Add(time.Hour)
			if guard.stuck(t, 3) {
				return time.Time{}, false
			}
			if t.Hour() == 0 {
				continue restart
			}
		}
		for s.minute&(1<<t.Minute()) == 0 {
			if !rewound {
				rewound = true
				t = t.Truncate(time.Minute)
			}
			t = t.Add(time.Minute)
			if guard.stuck(t, 4) {
				return time.Time{}, false
			}
			if t.Minute() == 0 {
				continue restart
			}
		}
		// ParseStandard's seconds field is always "0".
		for t.Second() != 0 {
			if !rewound {
				rewound = true
				t = t.Truncate(time.Second)
			}
			t = t.Add(time.Second)
			if guard.stuck(t, 5) {
				return time.Time{}, false
			}
			if t.Second() == 0 {
				continue restart
			}
		}
		return t, true
	}
}

// replaySteps bounds replay. robfig's search takes at most some hundred
// thousand steps before its five-year limit, unless it loops, which
// loopGuard sees long before this bound.
const replaySteps = 1 << 24

// loopGuard notices when robfig's search would run forever. After each step
// robfig's state is the time and the loop the step was taken in (the rewind
// has happened by then), and the search is deterministic, so meeting the same
// state twice means it never returns. That happens where a change of offset
// skips a whole day (Pacific/Apia on 2011-12-30: stepping a day from
// December 29th 00:00 lands on December 29th 00:00 again) and where time
// arithmetic saturates at the end of time.Time's range. Brent's method finds
// such a cycle within a few times its length, with one comparison per step.
type loopGuard struct {
	saved     time.Time
	savedLoop int
	power     int // steps between saves, doubling
	n, steps  int
}

func (g *loopGuard) stuck(t time.Time, loop int) bool {
	if t == g.saved && loop == g.savedLoop {
		return true
	}
	if g.steps++; g.steps >= replaySteps {
		return true
	}
	if g.n++; g.n >= g.power {
		g.saved, g.savedLoop, g.power, g.n = t, loop, max(2*g.power, 1), 0
	}
	return false
}

// dayMatches is robfig's day test on t's wall-clock date.
func (s *Schedule) dayMatches(t time.Time) bool {
	dom := s.dom&(1<<t.Day()) != 0
	dow := s.dow&(1<<t.Weekday()) != 0
	if s.and {
		return dom && dow
	}
	return dom || dow
}

// noMidnightGap reports whether no change of UTC offset that robfig's search
// from start could meet skips over a wall-clock midnight. For a schedule that
// is Never only because of its months, robfig's search then stays in the
// allowed months and ends at its five-year limit with the zero time. Only a
// gap that swallows midnight, turning robfig's step to the next day into a
// step back to 23:00 of the day before, lets it wander into a month the
// schedule does not allow.
func noMidnightGap(start time.Time, loc *time.Location) bool {
	from := start.Add(-32 * 24 * time.Hour)                               // robfig may rewind to the month's start
	until := time.Date(start.Year()+6, 1, 2, 0, 0, 0, 0, time.UTC).Unix() // in wall seconds
	t := from.In(loc)
	_, before := t.Zone()
	for steps := 0; steps < 1000; steps++ {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Unix() > until-int64(before) {
			return true
		}
		t = end
		_, after := t.Zone()
		if after > before {
			// Wall times [end+before, end+after) do not exist.
			first := end.Unix() + int64(before)
			last := end.Unix() + int64(after) - 1
			if floorDiv(first, secondsPerDay) != floorDiv(last, secondsPerDay) || mod(first, secondsPerDay) == 0 {
				return false
			}
		}
		before = after
	}
	return false
}
