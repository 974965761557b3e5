package cronconf

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	robfig "github.com/robfig/cron/v3"

	"github.com/reckon-k8s/reckon/cron"
)

// parseRobfig is ParseStandard with its panics turned into errors, as
// Kubernetes' ParseCronScheduleWithPanicRecovery does.
func parseRobfig(spec string) (s robfig.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("invalid schedule format: %v", r)
		}
	}()
	return robfig.ParseStandard(spec)
}

// chain is how many successive Next calls each case compares.
const chain = 4

// compare checks that both parsers agree on spec and, when they accept it,
// that Next agrees from `from` for a few successive runs. It reports the
// first difference.
func compare(spec string, from time.Time) error {
	want, wantErr := parseRobfig(spec)
	got, gotErr := cron.Parse(spec)
	if (wantErr == nil) != (gotErr == nil) {
		return fmt.Errorf("Parse(%q): robfig error %v, reckon error %v", spec, wantErr, gotErr)
	}
	if wantErr != nil {
		return nil
	}
	if robfigMayHang(spec, from) {
		got.Next(from) // must return; robfig would not
		return nil
	}
	w, g := from, from
	for i := range chain {
		w, g = want.Next(w), got.Next(g)
		if w != g {
			return fmt.Errorf("spec %q from %s, step %d: robfig %s, reckon %s", spec, describe(from), i+1, describe(w), describe(g))
		}
		if w.IsZero() {
			break
		}
	}
	if scheduleZone(spec) == nil {
		// Without a zone the schedule runs in UTC here, where no DST gap
		// can lead robfig astray, and every schedule that can fire does so
		// within five years of 2000-01-01; so robfig's zero time from there
		// must coincide with Never.
		y2k := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		if never := want.Next(y2k).IsZero(); got.Never() != never {
			return fmt.Errorf("spec %q: Never() = %v, but robfig's Next(%s) is zero: %v", spec, got.Never(), describe(y2k), never)
		}
	}
	return nil
}

// robfigMayHang reports whether robfig's search from `from` may meet a change
// of UTC offset that skips half a day or more. Stepping a day from midnight
// then lands on the same midnight again (Pacific/Apia, 2011-12-29), and robfig
// loops forever. It is decided from the zone's offset changes alone,
// independently of the code under test.
func robfigMayHang(spec string, from time.Time) bool {
	loc := scheduleZone(spec)
	if loc == nil {
		loc = from.Location()
	}
	t := from.Add(-40 * 24 * time.Hour).In(loc)
	until := from.Add(7 * 366 * 24 * time.Hour)
	for range 1000 {
		_, before := t.Zone()
		_, end := t.ZoneBounds()
		if end.IsZero() || end.After(until) {
			return false
		}
		if _, after := end.Zone(); after-before >= 12*3600 {
			return true
		}
		t = end
	}
	return true
}

// TestNextDifferential compares Parse and Next with robfig ParseStandard and
// Next on random (spec, instant, location) cases.
func TestNextDifferential(t *testing.T) {
	g := newGen(seed(t))
	failures := 0
	for i := 0; i < *flagN && failures < 10; i++ {
		spec := g.spec()
		zone := scheduleZone(spec)
		if zone == nil {
			zone = zones[g.r.IntN(len(zones))]
		}
		from := g.instant(zone)
		if err := compare(spec, from); err != nil {
			t.Errorf("case %d: %v", i, err)
			failures++
		}
	}
}

// TestParseDifferential compares accept and reject decisions on random
// strings: mutations of valid specs and strings over the grammar's alphabet.
func TestParseDifferential(t *testing.T) {
	g := newGen(seed(t) + 1)
	const alphabet = "0123456789*?/-,@ TZ=CRON_ \t+JANFEBSUNMONjanfebsunmondecsatLevryhoulidma\u00a0é"
	runes := []rune(alphabet)
	failures := 0
	from := time.Date(2026, 3, 8, 1, 30, 0, 0, time.UTC)
	for i := 0; i < *flagN && failures < 10; i++ {
		var spec string
		if g.chance(0.5) {
			b := []rune(g.spec())
			for range 1 + g.r.IntN(3) {
				pos := 0
				if len(b) > 0 {
					pos = g.r.IntN(len(b))
				}
				switch g.r.IntN(3) {
				case 0:
					if len(b) > 0 {
						b = append(b[:pos], b[pos+1:]...)
					}
				case 1:
					b = append(b[:pos], append([]rune{runes[g.r.IntN(len(runes))]}, b[pos:]...)...)
				default:
					if len(b) > 0 {
						b[pos] = runes[g.r.IntN(len(runes))]
					}
				}
			}
			spec = string(b)
		} else {
			b := make([]rune, g.r.IntN(24))
			for j := range b {
				b[j] = runes[g.r.IntN(len(runes))]
			}
			spec = string(b)
			if g.chance(0.1) {
				spec = string([]byte{byte(g.r.IntN(256)), byte(g.r.IntN(256))}) + spec
			}
		}
		if err := compare(spec, from.Add(time.Duration(g.r.Int64N(int64(400*24*time.Hour))))); err != nil {
			t.Errorf("case %d: %v", i, err)
			failures++
		}
	}
}

// TestSeeds pins the specs named in the issue and the known robfig
// behaviours, from several instants each.
func TestSeeds(t *testing.T) {
	specs := []string{
		"* 13 * * *", "* 1,3,5 * * *", "* */2 * * *", "* 0-5 * * *", "* * * * 0", "*/2 * * * *",
		"0 0 1 JAN *", "0 12 * * mon-FRI", "@yearly", "@monthly", "@weekly", "@daily", "@hourly", "@every 1h30m",
		"TZ=America/New_York 30 2 * * *", "TZ=America/New_York 30 1 * * *", "CRON_TZ=Australia/Lord_Howe 15 2 * * *",
		"TZ=Australia/Lord_Howe 30 1 * * *", "TZ=Asia/Baghdad 0 0 31 4 *", "0 0 30 2 *", "0 0 29 2 *",
		"0 0 13 * 5", "0 0 */10 * 1", "0 0 */1 * 1", "0 0 1-31 * 1", "TZ=Africa/Monrovia */5 * * * *",
		"TZ=America/Sao_Paulo 0 0 * * *", "TZ=Pacific/Apia 0 12 30 12 *",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, spec := range specs {
		for _, y := range []int{1850, 1960, 1982, 2011, 2018, 2026, 2096, 2100} {
			for range 20 {
				from := time.Date(y, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(2)*r.IntN(1e9), zones[r.IntN(len(zones))])
				if err := compare(spec, from); err != nil {
					t.Error(err)
				}
			}
		}
	}
}

// TestParseEdges compares inputs the generators rarely produce: Unicode that
// lowers to ASCII (the Kelvin sign) or is white space, numbers at the int64
// limit, durations at the time.Duration limit, and nested prefixes.
func TestParseEdges(t *testing.T) {
	specs := []string{
		"0 0 1 \u212Aan *", "0 0 1 JAN\u0130 *", "0 0 1 ja\u00f1 *", "9223372036854775807 * * * *",
		"*/9223372036854775807 * * * *", "*/9223372036854775808 * * * *", "+ * * * *", "- * * * *", "*/+ * * * *",
		"@every 2562047h47m16.854775807s", "@every 2562047h47m17s", "@every +5m", "@every .5h", "@every 1e3s", "@every 5m\x00",
		"TZ=UTC\u00a0* * * * *", "TZ=UTC * * * * *\u0085", "\u2028* * * * *", "*\u3000* * * *", "* * * * *\xff", "\xff * * * *",
		"CRON_TZ=UTC TZ=UTC * * * * *", "TZ=UTC CRON_TZ=UTC @daily", "TZ=UTC=x * * * * *", "TZ= @every 1s", "TZ=Local @hourly",
		"1-1 1-1 1-1 1-1 0-0", "59-59/100 23 31 12 6", "0-59/59 * * * *", "00000000000000000000000001 * * * *", "* * 1-31/31 * *",
	}
	for _, spec := range specs {
		if err := compare(spec, time.Date(2026, 3, 8, 1, 30, 0, 0, zone("America/New_York"))); err != nil {
			t.Error(err)
		}
	}
}

// TestNeverEscapesLikeRobfig pins the one place where a Never schedule
// fires: robfig, stepping a day past April 30th 1982 in Baghdad, lands in the
// DST gap at midnight of May 1st, steps back to April 30th 23:00 and then
// walks May without checking the month.
func TestNeverEscapesLikeRobfig(t *testing.T) {
	baghdad, _ := time.LoadLocation("Asia/Baghdad")
	const spec = "0 0 31 4 *"
	got, err := cron.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Never() {
		t.Fatalf("%q: Never() = false, want true", spec)
	}
	from := time.Date(1982, 4, 15, 0, 0, 0, 0, baghdad)
	want, _ := parseRobfig(spec)
	w := want.Next(from)
	if w.IsZero() {
		t.Fatalf("robfig no longer escapes; this test is stale")
	}
	if g := got.Next(from); g != w {
		t.Errorf("Next(%s) = %s, robfig %s", describe(from), describe(g), describe(w))
	}
}

// TestRobfigNeverReturns pins the deliberate difference where robfig's Next
// loops forever: a zone change that skips a whole day. robfig's day loop
// steps with AddDate(0, 0, 1) from midnight; on the skipped day that step is
// a fixed point, so robfig never returns; reckon returns the zero time.
func TestRobfigNeverReturns(t *testing.T) {
	apia, err := time.LoadLocation("Pacific/Apia")
	if err != nil {
		t.Fatal(err)
	}
	midnight := time.Date(2011, 12, 29, 0, 0, 0, 0, apia)
	if next := midnight.AddDate(0, 0, 1); next != midnight {
		t.Fatalf("AddDate(0, 0, 1) from %s = %s; robfig would not hang, update this test", describe(midnight), describe(next))
	}
	s, err := cron.Parse("TZ=Pacific/Apia 0 12 30 12 *")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2011, 12, 20, 0, 0, 0, 0, time.UTC)
	if got := s.Next(from); !got.IsZero() {
		t.Errorf("Next(%s) = %s, want the zero time", describe(from), describe(got))
	}
	// A schedule whose days all match never enters robfig's day loop.
	s, _ = cron.Parse("TZ=Pacific/Apia 0 12 * * *")
	want, _ := parseRobfig("TZ=Pacific/Apia 0 12 * * *")
	for d := range 4 {
		from := time.Date(2011, 12, 28+d, 13, 0, 0, 0, apia)
		if got, w := s.Next(from), want.Next(from); got != w {
			t.Errorf("Next(%s) = %s, robfig %s", describe(from), describe(got), describe(w))
		}
	}
}

// TestEmptyFields compares specs with a field of only commas, which parse
// and never match. robfig searches five years for them, minute by minute
// when the minute or hour field is empty, so the random tests avoid those.
func TestEmptyFields(t *testing.T) {
	specs := []string{", * * * *", "* ,, * * *", "0 0 , * *", "0 0 , * 1", "* * * , *", "0 0 * * ,", "0 0 1 * ,", "1,,2 * * * *"}
	from := []time.Time{
		time.Date(2026, 3, 8, 1, 59, 30, 0, zone("America/New_York")), // before a gap
		time.Date(1982, 4, 30, 23, 0, 0, 0, zone("Asia/Baghdad")),     // before a gap at midnight
	}
	for _, spec := range specs {
		for _, f := range from {
			if err := compare(spec, f); err != nil {
				t.Error(err)
			}
		}
	}
}

// TestPanicsAreErrors checks the inputs that make robfig panic.
func TestPanicsAreErrors(t *testing.T) {
	for _, spec := range []string{"TZ=UTC", "CRON_TZ=America/New_York", "TZ=", "TZ=UTC\t* * * * *"} {
		_, rerr := parseRobfig(spec)
		_, err := cron.Parse(spec)
		if rerr == nil || err == nil {
			t.Errorf("Parse(%q): robfig error %v, reckon error %v; want both errors", spec, rerr, err)
		}
	}
}
