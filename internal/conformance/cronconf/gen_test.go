package cronconf

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	flagN    = flag.Int("cron.n", 100000, "number of random (spec, instant, zone) cases in the differential tests")
	flagSeed = flag.Uint64("cron.seed", 0, "seed of the differential tests; 0 picks one from the clock")
)

// seed returns the seed to use and logs it, so that any failure can be
// replayed with -cron.seed.
func seed(t *testing.T) uint64 {
	s := *flagSeed
	if s == 0 {
		s = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -cron.seed=%d)", s, s)
	return s
}

// zoneNames are the locations schedules and instants are drawn from. Besides
// the three the issue asks for (two DST regimes and Lord Howe's 30-minute
// shift) they cover half- and quarter-hour offsets, DST gaps at midnight
// (Baghdad 1982, Sao Paulo, Havana, Damascus, Santiago), an offset that is not
// a whole minute (Monrovia until 1972, every zone's local mean time), a
// skipped calendar day (Apia 2011), negative DST (Dublin), a two-hour shift
// (Troll) and the extremes of UTC offsets.
var zoneNames = []string{
	"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe",
	"Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns",
	"Asia/Baghdad", "America/Sao_Paulo", "America/Havana", "Asia/Damascus",
	"America/Santiago", "Africa/Monrovia", "Pacific/Apia", "Europe/Dublin",
	"Antarctica/Troll", "Asia/Tehran", "Pacific/Kiritimati", "Etc/GMT+12",
	"Europe/Moscow", "America/Los_Angeles",
}

var zones = func() []*time.Location {
	var locs []*time.Location
	for _, name := range zoneNames {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(err)
		}
		locs = append(locs, loc)
	}
	// Locations only a caller's time can have: fixed offsets, one not a
	// whole minute, and Local.
	return append(locs, time.FixedZone("fixed+0530", 5*3600+30*60),
		time.FixedZone("odd", -(4*3600+56*60+2)), time.Local)
}()

// zone returns the loaded location of a name in zoneNames.
func zone(name string) *time.Location {
	for i, n := range zoneNames {
		if n == name {
			return zones[i]
		}
	}
	panic("zone " + name + " is not in zoneNames")
}

// gen draws random schedules and instants.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) chance(p float64) bool    { return g.r.Float64() < p }

type fieldSpec struct {
	min, max int
	names    []string
	favour   []int // values worth trying often: ends of months, leap day, ...
}

var fields = [5]fieldSpec{
	{0, 59, nil, []int{0, 1, 29, 30, 45, 59}},
	{0, 23, nil, []int{0, 1, 2, 3, 12, 23}},
	{1, 31, nil, []int{1, 28, 29, 30, 31}},
	{1, 12, []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}, []int{1, 2, 3, 4, 10, 11, 12}},
	{0, 6, []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, []int{0, 1, 5, 6}},
}

// value renders a field value in one of the accepted notations, rarely an
// out-of-range one.
func (g *gen) value(f fieldSpec, bad bool) string {
	var v int
	switch {
	case bad:
		v = []int{f.min - 1, f.max + 1, 7, 60, 99, 1 << 40}[g.r.IntN(6)]
	case g.chance(0.5):
		v = f.favour[g.r.IntN(len(f.favour))]
	default:
		v = f.min + g.r.IntN(f.max-f.min+1)
	}
	if v < 0 {
		return "-" + strconv.Itoa(-v)
	}
	if f.names != nil && v >= f.min && v <= f.max && g.chance(0.3) {
		name := f.names[v-f.min]
		switch g.r.IntN(3) {
		case 0:
			name = strings.ToUpper(name)
		case 1:
			name = strings.ToUpper(name[:1]) + name[1:]
		}
		return name
	}
	s := strconv.Itoa(v)
	switch {
	case g.chance(0.05):
		s = "0" + s
	case g.chance(0.03):
		s = "+" + s
	}
	return s
}

func (g *gen) step() string {
	switch g.r.IntN(12) {
	case 0:
		return "1"
	case 1:
		return "0" // rejected
	case 2:
		return strconv.Itoa(1 + g.r.IntN(70))
	case 3:
		return "01"
	default:
		return strconv.Itoa(2 + g.r.IntN(6))
	}
}

// item renders one list item of every form the grammar has.
func (g *gen) item(f fieldSpec) string {
	bad := g.chance(0.02)
	switch g.r.IntN(16) {
	case 0, 1:
		return "*"
	case 2:
		return "?"
	case 3, 4:
		return g.pick("*", "?") + "/" + g.step()
	case 5, 6, 7:
		return g.value(f, bad)
	case 8:
		return g.value(f, bad) + "/" + g.step()
	case 9, 10, 11:
		return g.value(f, bad) + "-" + g.value(f, false)
	case 12:
		return g.value(f, false) + "-" + g.value(f, bad) + "/" + g.step()
	case 13:
		return g.pick("*-5", "?-x", "*-1-2/3", "1-2-3", "1//2", "", "-1", "1-", "x", "*/", "/2", "*/+2", "*/-1")
	default:
		lo := f.min + g.r.IntN(f.max-f.min+1)
		return strconv.Itoa(lo) + "-" + strconv.Itoa(f.max)
	}
}

// field renders a list of items. Fields of only commas (matching nothing)
// are drawn for day, month and weekday only: with an empty minute or hour
// field robfig steps through five years minute by minute, about a second per
// call, so TestEmptyFields covers those.
func (g *gen) field(f fieldSpec) string {
	n := 1
	if g.chance(0.3) {
		n += 1 + g.r.IntN(3)
	}
	items := make([]string, n)
	for i := range items {
		items[i] = g.item(f)
	}
	s := strings.Join(items, ",")
	if g.chance(0.01) {
		s = g.pick(s+",", ","+s, s+",,"+s)
		if f.min > 0 || f.max == 6 {
			s = g.pick(",", ",,", s)
		}
	}
	return s
}

// spec returns a random schedule spec: mostly five fields, sometimes a
// descriptor, a time zone prefix, odd white space or a wrong field count.
func (g *gen) spec() string {
	var body string
	switch {
	case g.chance(0.08):
		body = g.pick("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@reboot", "@Daily", "@daily ")
	case g.chance(0.06):
		body = "@every " + g.pick("1s", "5m", "90m", "1h30m", "1.5s", "500ms", "-5s", "0", "25h", "1µs", "2h45m30.5s", "1h ", "", "7", "86400s", "168h")
	case g.chance(0.1):
		body = g.impossible()
	default:
		parts := make([]string, 5)
		for i := range parts {
			parts[i] = g.field(fields[i])
		}
		if g.chance(0.01) {
			parts = append(parts, "0")
		} else if g.chance(0.01) {
			parts = parts[:4]
		}
		sep := " "
		if g.chance(0.05) {
			sep = g.pick("  ", "\t", " \t ", "\u00a0", "\n")
		}
		body = strings.Join(parts, sep)
		if g.chance(0.03) {
			body = g.pick(" ", "\t") + body + g.pick("", " ", "\n")
		}
	}
	if g.chance(0.25) {
		zone := zoneNames[g.r.IntN(len(zoneNames))]
		if g.chance(0.05) {
			zone = g.pick("", "Local", "Foo/Bar", "utc", "../etc", "America/New York")
		}
		prefix := g.pick("TZ=", "CRON_TZ=")
		switch {
		case g.chance(0.02):
			return prefix + zone // no space: robfig panics
		case g.chance(0.05):
			return prefix + zone + g.pick("  ", " \t") + body
		}
		return prefix + zone + " " + body
	}
	return body
}

// impossible returns specs around dates that do not exist or rarely do.
func (g *gen) impossible() string {
	return g.pick(
		"0 0 30 2 *", "0 0 31 2 *", "59 23 31 2 *", "0 0 31 4 *", "0 0 31 4,6,9,11 *",
		"0 0 29 2 *", "0 0 29 2 1", "0 0 30,31 2 ?", "0 0 31 */2 *", "0 0 31 2-4 *",
		"0 0 L * *", "0 0 31 feb,apr *", "0 0 30-31 2 */7", "0 0 , * *", "* * , * *",
		"0 0 1 1 *", "59 23 31 12 *", "0 0 28-31 * *", "30 2 * * *", "30 1 * * *",
		"0 0 * * *", "0 2 * * 6", "*/5 * * * *", "15,45 9-17 1-7 */2 1-5", "0 0 1 * MON",
		"0 0 */10 * 1", "0 0 13 * 5", "* 1 * * *", "30 1 * * *", "0,30 * * * *",
	)
}

// instant returns a random instant in a random location. Most are near the
// places where schedules go wrong: offset changes of the given zone,
// month and year ends, leap days.
func (g *gen) instant(zone *time.Location) time.Time {
	loc := zones[g.r.IntN(len(zones))]
	ns := 0
	if g.chance(0.5) {
		ns = g.r.IntN(1e9)
	}
	var t time.Time
	switch k := g.r.IntN(10); {
	case k < 4:
		t = g.nearTransition(zone)
	case k < 6:
		y := 1950 + g.r.IntN(200)
		m := 1 + g.r.IntN(12)
		d := g.pick("last", "first", "feb28", "feb29", "dec31")
		switch d {
		case "last":
			t = time.Date(y, time.Month(m)+1, 0, 23, 59-g.r.IntN(3), g.r.IntN(60), ns, zone)
		case "first":
			t = time.Date(y, time.Month(m), 1, 0, g.r.IntN(3), g.r.IntN(60), ns, zone)
		case "feb28":
			t = time.Date(y, 2, 28, 23, 59, g.r.IntN(60), ns, zone)
		case "feb29":
			t = time.Date(y-y%4, 2, 29, g.r.IntN(24), g.r.IntN(60), 0, ns, zone)
		default:
			t = time.Date(y, 12, 31, 23, 59, g.r.IntN(60), ns, zone)
		}
	case k < 9:
		lo := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		hi := time.Date(2150, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		t = time.Unix(lo+g.r.Int64N(hi-lo), int64(ns))
		if g.chance(0.5) {
			t = t.Truncate(time.Minute) // exact minutes are matches more often
		}
	default:
		// Far years, including before year 1 and after 9999.
		y := g.pick("1", "0", "-100", "9999", "10000", "100000", "-5000", "1600", "2100", "2400")
		year, _ := strconv.Atoi(y)
		t = time.Date(year, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(31), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), ns, zone)
	}
	return t.In(loc)
}

// nearTransition returns an instant within a few hours of a change of UTC
// offset of zone, when it has one in the chosen year.
func (g *gen) nearTransition(zone *time.Location) time.Time {
	var y int
	if g.chance(0.7) {
		y = 1970 + g.r.IntN(70)
	} else {
		y = 1880 + g.r.IntN(220)
	}
	t := time.Date(y, time.Month(1+g.r.IntN(12)), 1, 0, 0, 0, 0, zone)
	_, end := t.ZoneBounds()
	if end.IsZero() {
		return t.Add(time.Duration(g.r.Int64N(int64(365 * 24 * time.Hour))))
	}
	var d time.Duration
	switch g.r.IntN(3) {
	case 0:
		d = time.Duration(g.r.IntN(7200)-3600) * time.Second
	case 1:
		d = time.Duration(g.r.IntN(3*24*60)-24*60) * time.Minute
	default:
		d = time.Duration(g.r.IntN(48)-24) * time.Hour
	}
	return end.Add(d)
}

// scheduleZone guesses the location a spec's prefix names, for choosing
// instants near its transitions.
func scheduleZone(spec string) *time.Location {
	rest, ok := strings.CutPrefix(spec, "TZ=")
	if !ok {
		rest, ok = strings.CutPrefix(spec, "CRON_TZ=")
	}
	if ok {
		if name, _, found := strings.Cut(rest, " "); found {
			if loc, err := time.LoadLocation(name); err == nil && loc != time.Local {
				return loc
			}
		}
	}
	return nil
}

func describe(t time.Time) string {
	if t.IsZero() {
		return "zero time"
	}
	return fmt.Sprintf("%s (%s, unix %d)", t.Format("2006-01-02T15:04:05.999999999 MST -07:00:00"), t.Location(), t.Unix())
}
