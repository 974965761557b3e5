package cron_test

import (
	"testing"
	"time"

	"github.com/reckon-k8s/reckon/cron"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at parses a wall time in the named location.
func at(t testing.TB, zone, wall string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", wall, mustLoad(t, zone))
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func format(tm time.Time) string {
	if tm.IsZero() {
		return "zero"
	}
	return tm.Format(time.RFC3339Nano)
}

// TestNextRules checks Next on every rule that shapes it. The expectations
// were recorded by running robfig/cron v3.0.1 ParseStandard(spec).Next(from);
// results are RFC 3339 in from's location (which Next keeps) or "zero".
func TestNextRules(t *testing.T) {
	tests := []struct {
		name, spec, zone, from, want string
	}{
		{"rule 8 seed hour 13", "* 13 * * *", "UTC", "2026-05-14T09:30:00", "2026-05-14T13:00:00Z"},
		{"rule 8 seed hour 13 inside", "* 13 * * *", "UTC", "2026-05-14T13:59:00", "2026-05-15T13:00:00Z"},
		{"rule 8 seed hour list", "* 1,3,5 * * *", "UTC", "2026-05-14T01:59:59.5", "2026-05-14T03:00:00Z"},
		{"rule 8 seed hour step", "* */2 * * *", "UTC", "2026-05-14T23:59:00", "2026-05-15T00:00:00Z"},
		{"rule 8 seed hour range", "* 0-5 * * *", "UTC", "2026-05-14T05:59:00", "2026-05-15T00:00:00Z"},
		{"rule 8 seed sunday", "* * * * 0", "UTC", "2026-05-14T12:00:00", "2026-05-17T00:00:00Z"},
		{"rule 8 seed minute step", "*/2 * * * *", "UTC", "2026-05-14T12:01:00", "2026-05-14T12:02:00Z"},
		{"rule 8 seed minute step from a match", "*/2 * * * *", "UTC", "2026-05-14T12:02:00", "2026-05-14T12:04:00Z"},
		{"rule 1 month names in any case", "0 0 1 jAn,JUL *", "UTC", "2026-02-01T00:00:00", "2026-07-01T00:00:00Z"},
		{"rule 1 weekday name range", "30 8 * * Mon-fri", "UTC", "2026-05-15T09:00:00", "2026-05-18T08:30:00Z"},
		{"rule 2 empty list items", "1,,2 * * * *", "UTC", "2026-05-14T12:01:30", "2026-05-14T12:02:00Z"},
		{"rule 2 n/step runs to the maximum", "50/3 * * * *", "UTC", "2026-05-14T12:54:00", "2026-05-14T12:56:00Z"},
		{"rule 2 star swallows a dash", "*-5 * * * *", "UTC", "2026-05-14T12:34:56", "2026-05-14T12:35:00Z"},
		{"rule 2 plus sign and zeros", "+05,007 * * * *", "UTC", "2026-05-14T12:05:00", "2026-05-14T12:07:00Z"},
		{"rule 3 yearly", "@yearly", "UTC", "2026-05-14T12:00:00", "2027-01-01T00:00:00Z"},
		{"rule 3 annually", "@annually", "UTC", "2026-01-01T00:00:00", "2027-01-01T00:00:00Z"},
		{"rule 3 monthly", "@monthly", "UTC", "2026-05-14T12:00:00", "2026-06-01T00:00:00Z"},
		{"rule 3 weekly", "@weekly", "UTC", "2026-05-14T12:00:00", "2026-05-17T00:00:00Z"},
		{"rule 3 daily", "@daily", "UTC", "2026-05-14T12:00:00", "2026-05-15T00:00:00Z"},
		{"rule 3 midnight", "@midnight", "UTC", "2026-05-14T23:59:59.999999999", "2026-05-15T00:00:00Z"},
		{"rule 3 hourly", "@hourly", "UTC", "2026-05-14T12:00:00", "2026-05-14T13:00:00Z"},
		{"rule 4 every", "@every 90m", "UTC", "2026-05-14T12:00:00.75", "2026-05-14T13:30:00Z"},
		{"rule 4 every truncates to seconds", "@every 1.5s", "UTC", "2026-05-14T12:00:00.25", "2026-05-14T12:00:01Z"},
		{"rule 4 every is at least a second", "@every 10ms", "UTC", "2026-05-14T12:00:00.25", "2026-05-14T12:00:01Z"},
		{"rule 4 every ignores the time zone", "TZ=Asia/Kolkata @every 1h", "America/New_York", "2026-05-14T12:00:00", "2026-05-14T13:00:00-04:00"},
		{"rule 5 both restricted: either", "0 0 13 * 5", "UTC", "2026-01-01T00:00:00", "2026-01-02T00:00:00Z"},
		{"rule 5 day of month star: weekday only", "0 0 * * 5", "UTC", "2026-01-01T00:00:00", "2026-01-02T00:00:00Z"},
		{"rule 5 star slash one keeps the star", "0 0 */1 * 1", "UTC", "2026-01-01T00:00:00", "2026-01-05T00:00:00Z"},
		{"rule 5 full range is not a star", "0 0 1-31 * 1", "UTC", "2026-01-01T00:00:00", "2026-01-02T00:00:00Z"},
		{"rule 5 step drops the star", "0 0 */10 * 1", "UTC", "2026-01-01T00:00:00", "2026-01-05T00:00:00Z"},
		{"rule 5 question mark is a star", "0 0 ? * 1", "UTC", "2026-01-01T00:00:00", "2026-01-05T00:00:00Z"},
		{"rule 6 TZ prefix, result in t's location", "TZ=America/New_York 0 9 * * *", "UTC", "2026-05-14T12:00:00", "2026-05-14T13:00:00Z"},
		{"rule 6 CRON_TZ prefix", "CRON_TZ=Asia/Kolkata 0 9 * * *", "UTC", "2026-05-14T12:00:00", "2026-05-15T03:30:00Z"},
		{"rule 6 empty zone is UTC", "TZ= 0 9 * * *", "Asia/Tokyo", "2026-05-14T12:00:00", "2026-05-14T18:00:00+09:00"},
		{"rule 6 Local is t's location", "TZ=Local 0 9 * * *", "Asia/Tokyo", "2026-05-14T12:00:00", "2026-05-15T09:00:00+09:00"},
		{"rule 7 no zone is t's location", "0 9 * * *", "Asia/Tokyo", "2026-05-14T12:00:00", "2026-05-15T09:00:00+09:00"},
		{"rule 8 spring-forward gap skips the day", "TZ=America/New_York 30 2 * * *", "America/New_York", "2026-03-07T03:00:00", "2026-03-09T02:30:00-04:00"},
		{"rule 8 fall-back overlap runs twice (first)", "TZ=America/New_York 30 1 * * *", "America/New_York", "2026-11-01T00:00:00", "2026-11-01T01:30:00-04:00"},
		{"rule 8 fall-back overlap runs twice (second)", "TZ=America/New_York 30 1 * * *", "UTC", "2026-11-01T05:30:00", "2026-11-01T06:30:00Z"},
		{"rule 8 London spring forward", "TZ=Europe/London 30 1 * * *", "UTC", "2026-03-28T02:00:00", "2026-03-30T00:30:00Z"},
		{"rule 8 Lord Howe half-hour gap gives a non-matching hour", "TZ=Australia/Lord_Howe 30 1 * * *", "Australia/Lord_Howe", "2025-10-05T01:30:30", "2025-10-05T02:30:00+11:00"},
		{"rule 8 Lord Howe after the gap skips runs", "TZ=Australia/Lord_Howe * 1 * * *", "Australia/Lord_Howe", "2025-10-05T01:59:00", "2025-10-06T01:30:00+11:00"},
		{"rule 8 local mean time runs late", "*/5 * * * *", "America/New_York", "1850-03-04T05:03:07", "1850-03-04T05:10:00-04:56"},
		{"rule 8 leap day", "0 0 29 2 *", "UTC", "2026-01-01T00:00:00", "2028-02-29T00:00:00Z"},
		{"rule 8 year end", "59 23 31 12 *", "UTC", "2026-12-31T23:59:00", "2027-12-31T23:59:00Z"},
		{"rule 8 five-year limit", "0 0 29 2 *", "UTC", "2097-01-01T00:00:00", "zero"},
		{"rule 9 never", "0 0 30 2 *", "UTC", "2026-01-01T00:00:00", "zero"},
		{"rule 9 never in a DST zone", "59 23 31 4,6,9,11 *", "America/New_York", "2026-01-01T00:00:00", "zero"},
		{"rule 9 Baghdad midnight gap fires a never schedule", "TZ=Asia/Baghdad 0 0 31 4 *", "Asia/Baghdad", "1982-04-15T00:00:00", "1982-05-31T00:00:00+04:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cron.Parse(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			from := at(t, tt.zone, tt.from)
			got := s.Next(from)
			if format(got) != tt.want {
				t.Errorf("Parse(%q).Next(%s) = %s, want %s", tt.spec, format(from), format(got), tt.want)
			}
			if !got.IsZero() && got.Location() != from.Location() {
				t.Errorf("result in %s, want %s", got.Location(), from.Location())
			}
		})
	}
}

// TestNextWhereRobfigNeverReturns pins the deliberate difference: robfig's
// Next loops forever when its day loop meets a day that a zone change skips
// (internal/conformance/cronconf shows the fixed point); Next returns the
// zero time.
func TestNextWhereRobfigNeverReturns(t *testing.T) {
	for _, tt := range []struct{ spec, zone, from string }{
		{"TZ=Pacific/Apia 0 12 30 12 *", "UTC", "2011-12-20T00:00:00"},
		{"TZ=Pacific/Kiritimati 0 0 1 12,1 *", "UTC", "1994-12-15T00:00:00"},
	} {
		s, err := cron.Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Next(at(t, tt.zone, tt.from)); !got.IsZero() {
			t.Errorf("Parse(%q).Next(%s) = %s, want the zero time", tt.spec, tt.from, format(got))
		}
	}
}

// TestNeverRule9 checks Never against rule 9 (calendar reasoning, confirmed
// in internal/conformance/cronconf against robfig's zero time from 2000).
func TestNeverRule9(t *testing.T) {
	tests := []struct {
		spec  string
		never bool
	}{
		{"0 0 30 2 *", true},
		{"0 0 31 2 *", true},
		{"0 0 31 4,6,9,11 *", true},
		{"0 0 30 2 */1", true},  // */1 keeps the star: both must match
		{"0 0 30 2 */2", false}, // a stepped weekday is restricted: either
		{"0 0 31 2 1", false},   // Mondays in February
		{"0 0 29 2 *", false},   // leap years
		{"0 0 31 */2 *", false}, // January has 31 days
		{", * * * *", true},     // no minute
		{"* ,, * * *", true},    // no hour
		{"* * * , *", true},     // no month
		{"0 0 , * *", true},     // no day, weekday star: both must match
		{"0 0 , * 1", false},    // no day, but Mondays: either
		{"0 0 * * ,", true},     // no weekday, day star: both must match
		{"0 0 31 4 ?", true},    // ? is a star
		{"@yearly", false},
		{"@every 1h", false},
		{"TZ=Asia/Baghdad 0 0 31 4 *", true}, // even though robfig fired it in 1982
	}
	for _, tt := range tests {
		s, err := cron.Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		if s.Never() != tt.never {
			t.Errorf("Parse(%q).Never() = %v, want %v", tt.spec, s.Never(), tt.never)
		}
	}
}

// TestPrevRule10 checks Prev. There is no upstream Prev: the expectations are
// reasoned from rule 10 (latest matching wall-clock reading strictly before
// t), shown in the comments.
func TestPrevRule10(t *testing.T) {
	tests := []struct {
		name, spec, zone, from, want string
	}{
		{"strictly before", "*/5 * * * *", "UTC", "2026-05-14T12:05:00", "2026-05-14T12:00:00Z"},
		{"a nanosecond after a match", "*/5 * * * *", "UTC", "2026-05-14T12:05:00.000000001", "2026-05-14T12:05:00Z"},
		{"last Saturday 02:00", "0 2 * * 6", "UTC", "2026-05-14T12:00:00", "2026-05-09T02:00:00Z"},
		{"last leap day", "0 0 29 2 *", "UTC", "2026-01-01T00:00:00", "2024-02-29T00:00:00Z"},
		// 2100 is not a leap year, and 2096 is before 2103-5 = 2098.
		{"five-year limit", "0 0 29 2 *", "UTC", "2103-01-01T00:00:00", "zero"},
		{"never", "0 0 30 2 *", "UTC", "2026-01-01T00:00:00", "zero"},
		// 02:30 did not exist on 2026-03-08 in New York.
		{"spring-forward gap has no run", "TZ=America/New_York 30 2 * * *", "America/New_York", "2026-03-09T00:00:00", "2026-03-07T02:30:00-05:00"},
		// 01:30 happened twice on 2026-11-01: 05:30Z (EDT) and 06:30Z (EST).
		{"fall-back second run", "TZ=America/New_York 30 1 * * *", "UTC", "2026-11-01T06:45:00", "2026-11-01T06:30:00Z"},
		{"fall-back first run", "TZ=America/New_York 30 1 * * *", "UTC", "2026-11-01T06:15:00", "2026-11-01T05:30:00Z"},
		{"zone prefix, result in t's location", "TZ=Asia/Kolkata 0 9 * * *", "UTC", "2026-05-14T12:00:00", "2026-05-14T03:30:00Z"},
		// Rounded up to 12:00:01, minus 90 minutes.
		{"every undoes Next", "@every 90m", "UTC", "2026-05-14T12:00:00.25", "2026-05-14T10:30:01Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cron.Parse(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			from := at(t, tt.zone, tt.from)
			if got := s.Prev(from); format(got) != tt.want {
				t.Errorf("Parse(%q).Prev(%s) = %s, want %s", tt.spec, format(from), format(got), tt.want)
			}
		})
	}
}
