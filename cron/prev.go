package cron

import (
	"math/bits"
	"time"
)

// Prev returns the latest activation of the schedule strictly before t, in
// t's location; robfig/cron has no counterpart. An activation is an instant
// whose wall-clock reading in the schedule's location (t's own when the
// schedule names none) has second 0 and matches every field, so a wall time
// repeated by a daylight-saving overlap is two activations and one skipped
// by a gap is none. The search goes back to the start of the year five years
// before t's (mirroring Next's five-year limit); finding nothing there, or
// for a schedule that is Never, Prev returns the zero time. Instants more
// than about 35 million years from 1970 also give the zero time.
//
// For @every d, Prev rounds t up to a whole second and subtracts d, undoing
// Next, which rounds down and adds.
//
// In every location without changes of UTC offset, Prev and Next mirror each
// other: Prev(t) < t, nothing activates strictly between Prev(t) and t,
// Next(Prev(t)) >= t (unless Next meets its five-year limit), and
// Prev(Next(t)) <= t. Around offset changes they can
// disagree exactly where robfig's Next departs from the wall-clock reading
// (see Next).
func (s *Schedule) Prev(t time.Time) time.Time {
	if s.every > 0 {
		if ns := t.Nanosecond(); ns != 0 {
			t = t.Add(time.Second - time.Duration(ns))
		}
		return t.Add(-s.every)
	}
	if s.never {
		return time.Time{}
	}
	orig := t.Location()
	loc := orig
	if s.loc != nil {
		loc = s.loc
	}
	u := t.Unix() // the last whole second before t
	if t.Nanosecond() == 0 {
		u--
	}
	if u <= -fastRange || u >= fastRange {
		return time.Time{}
	}
	at := time.Unix(u, 0).In(loc)
	limit := int64(at.Year()) - 5
	// Within one period of constant offset the activations are the matching
	// wall times of that period; periods are visited newest first.
	for {
		_, offset := at.Zone()
		zoneStart, _ := at.ZoneBounds()
		wall, ok := s.before(u+int64(offset), limit)
		if !ok {
			return time.Time{}
		}
		p := wall - int64(offset)
		if zoneStart.IsZero() || p >= zoneStart.Unix() {
			return time.Unix(p, 0).In(orig)
		}
		u = zoneStart.Unix() - 1
		at = time.Unix(u, 0).In(loc)
	}
}

// before returns the latest matching wall time at or before wall (in wall
// seconds), searching back no further than the start of year limit.
func (s *Schedule) before(wall, limit int64) (int64, bool) {
	day := floorDiv(wall, secondsPerDay)
	sec := wall - day*secondsPerDay
	y, m, d := civil(day)
	h, mi := int(sec/3600), int(sec/60%60)
	for {
		if s.month&(1<<m) == 0 {
			earlier := s.month & (1<<m - 1)
			if earlier == 0 {
				if y--; y < limit {
					return 0, false
				}
				earlier = s.month
			}
			m, d, h, mi = highest(earlier), 31, 23, 59
		}
		first := daysFromCivil(y, m, 1)
		days := s.days[weekday(first)] & monthDays[daysIn(y, m)] & (1<<(d+1) - 1)
		if days == 0 {
			if m--; m < 1 {
				if y--; y < limit {
					return 0, false
				}
				m = 12
			}
			d, h, mi = 31, 23, 59
			continue
		}
		if nd := highest(days); nd != d {
			d, h, mi = nd, 23, 59
		}
		hours := s.hour & (1<<(h+1) - 1)
		if hours == 0 {
			d, h, mi = d-1, 23, 59
			continue
		}
		if nh := highest(hours); nh != h {
			h, mi = nh, 59
		}
		minutes := s.minute & (1<<(mi+1) - 1)
		if minutes == 0 {
			h, mi = h-1, 59
			continue
		}
		mi = highest(minutes)
		return (first+int64(d)-1)*secondsPerDay + int64(h)*3600 + int64(mi)*60, true
	}
}

func highest(x uint64) int { return 63 - bits.LeadingZeros64(x) }
