package cron

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Schedule is a parsed cron schedule. It is immutable and safe for concurrent
// use. The zero value is not a valid schedule; use [Parse].
type Schedule struct {
	spec string

	// loc is the location named by a TZ= or CRON_TZ= prefix. Nil means the
	// schedule has none (or named "Local"), and each call works in the
	// location of the time it is given, as robfig/cron does for time.Local.
	loc *time.Location

	// every is the delay of an @every schedule; zero for field schedules.
	every time.Duration

	minute uint64 // bit i: minute i (0-59)
	hour   uint64 // bit i: hour i (0-23)
	dom    uint64 // bit i: day of month i (1-31)
	month  uint64 // bit i: month i (1-12)
	dow    uint64 // bit i: weekday i (0 = Sunday)

	// and is robfig's "star bit" rule: when the day-of-month or the
	// day-of-week field contains * or ?, a day must match both fields;
	// when both are restricted, matching either is enough (rule 5).
	and bool

	// days[w] holds, for a month whose first day is weekday w, the days
	// 1-31 that satisfy the day-of-month and day-of-week fields together.
	// It turns the day search into one table read and a mask.
	days [7]uint64

	// never: no calendar time satisfies the fields (rule 9).
	never bool
	// neverAnyMonth: the minute, hour or month field is empty, or no day
	// of a 31-day month satisfies the day fields. Such a schedule gives
	// the zero time in every location. A schedule that is never only
	// because of its months can still fire where robfig's DST handling
	// walks into a neighbouring month (see Next).
	neverAnyMonth bool
}

// String returns the spec the schedule was parsed from.
func (s *Schedule) String() string { return s.spec }

// Never reports whether no calendar time satisfies the schedule, such as
// "0 0 30 2 *" (February 30th), "0 0 31 4,6,9,11 *" or a field made only of
// commas. The answer is computed by Parse, so Never costs nothing; robfig/cron
// finds the same thing only by searching five years and returning the zero
// time. An @every schedule always fires.
func (s *Schedule) Never() bool { return s.never }

// parseError is returned by Parse. Its message without the "cron: " prefix
// is the detail of the spec.schedule validation error.
type parseError struct{ msg string }

func (e *parseError) Error() string { return "cron: " + e.msg }

func errorf(format string, args ...any) error {
	return &parseError{msg: fmt.Sprintf(format, args...)}
}

// Parse parses a schedule exactly as Kubernetes v1.36 does for
// CronJob.spec.schedule, that is robfig/cron v3.0.1 ParseStandard: five fields
// (minute, hour, day of month, month, day of week), descriptors, and an
// optional TZ=<zone> or CRON_TZ=<zone> prefix (rules 1-7 of the package
// documentation). Parse accepts exactly the specs ParseStandard accepts and
// builds the same schedule. Its error messages are its own: they name the
// field and the reason. Where ParseStandard panics (a TZ= prefix with no
// space after it), Parse returns an error, as Kubernetes does by recovering
// the panic in ParseCronScheduleWithPanicRecovery.
func Parse(spec string) (*Schedule, error) {
	if spec == "" {
		return nil, errorf("empty schedule")
	}
	s := &Schedule{spec: spec}
	rest := spec
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		// robfig cuts the zone name at the first ASCII space of the whole
		// spec; without one it panics slicing spec[eq+1:-1].
		sp := strings.IndexByte(spec, ' ')
		if sp < 0 {
			return nil, errorf("time zone prefix in %q must be followed by a space and the schedule", spec)
		}
		name := spec[strings.IndexByte(spec, '=')+1 : sp]
		loc, err := time.LoadLocation(name)
		if err != nil {
			return nil, errorf("bad time zone %q: %v", name, err)
		}
		if loc != time.Local {
			s.loc = loc
		}
		rest = strings.TrimSpace(spec[sp:])
	}
	if strings.HasPrefix(rest, "@") {
		if err := s.parseDescriptor(rest); err != nil {
			return nil, err
		}
		return s, nil
	}

	// Split like strings.Fields (Unicode white space), without allocating.
	var fields [5]string
	n := 0
	for f, tail := nextField(rest); f != ""; f, tail = nextField(tail) {
		if n < len(fields) {
			fields[n] = f
		}
		n++
	}
	if n != len(fields) {
		hint := ""
		if n == 6 {
			hint = " (Kubernetes schedules have no seconds field)"
		}
		return nil, errorf("expected 5 fields (minute, hour, day of month, month, day of week), found %d in %q%s", n, rest, hint)
	}
	var (
		set  [5]uint64
		star [5]bool
	)
	for i := range fields {
		var err error
		if set[i], star[i], err = parseField(fields[i], &fieldKinds[i]); err != nil {
			return nil, err
		}
	}
	s.minute, s.hour, s.dom, s.month, s.dow = set[0], set[1], set[2], set[3], set[4]
	s.and = star[2] || star[4]
	s.complete()
	return s, nil
}

// nextField returns the first run of non-space characters of s and what
// follows it. Space is unicode.IsSpace, as for strings.Fields; bytes that are
// not valid UTF-8 are not space.
func nextField(s string) (field, rest string) {
	start := -1
	for i := 0; i < len(s); {
		c, size, space := s[i], 1, false
		if c < utf8.RuneSelf {
			space = c == ' ' || c-'\t' <= '\r'-'\t' // \t \n \v \f \r
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			if start >= 0 {
				return s[start:i], s[i:]
			}
		} else if start < 0 {
			start = i
		}
		i += size
	}
	if start < 0 {
		return "", ""
	}
	return s[start:], ""
}

// fieldKind describes one of the five fields.
type fieldKind struct {
	name     string
	min, max uint64
	names    string // three-letter lower-case names of min, min+1, ...; "" if none
	hint     string // appended to out-of-range errors
}

var fieldKinds = [5]fieldKind{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: "janfebmaraprmayjunjulaugsepoctnovdec"},
	{name: "day-of-week", min: 0, max: 6, names: "sunmontuewedthufrisat",
		hint: " (Sunday is 0; Kubernetes does not accept 7)"},
}

// parseField parses a comma-separated list of ranges. Empty list items are
// skipped, as strings.FieldsFunc does for robfig, so a field of only commas
// is accepted and matches nothing.
func parseField(field string, k *fieldKind) (set uint64, star bool, err error) {
	for field != "" {
		item := field
		if i := strings.IndexByte(field, ','); i >= 0 {
			item, field = field[:i], field[i+1:]
		} else {
			field = ""
		}
		if item == "" {
			continue
		}
		b, st, err := parseRange(item, k)
		if err != nil {
			return 0, false, err
		}
		set |= b
		star = star || st
	}
	return set, star, nil
}

// parseRange parses one list item: "*" or "?" (optionally followed by "-"
// and anything, which robfig ignores), a value, or "a-b", each optionally
// followed by "/step". A value or range bound is a decimal number or, for
// months and weekdays, a three-letter name in any case. "*/1" keeps the star
// (rule 5); a larger step drops it.
func parseRange(item string, k *fieldKind) (set uint64, star bool, err error) {
	rng, stepText, hasStep := strings.Cut(item, "/")
	if hasStep && strings.IndexByte(stepText, '/') >= 0 {
		return 0, false, errorf("%s field: too many slashes in %q", k.name, item)
	}
	var start, end uint64
	single := false
	if low, _, _ := strings.Cut(rng, "-"); low == "*" || low == "?" {
		start, end, star = k.min, k.max, true
		single = strings.IndexByte(rng, '-') < 0
	} else {
		low, high, isRange := strings.Cut(rng, "-")
		if start, err = parseValue(low, item, k); err != nil {
			return 0, false, err
		}
		end = start
		if isRange {
			if strings.IndexByte(high, '-') >= 0 {
				return 0, false, errorf("%s field: too many hyphens in %q", k.name, item)
			}
			if end, err = parseValue(high, item, k); err != nil {
				return 0, false, err
			}
		} else {
			single = true
		}
	}
	step := uint64(1)
	if hasStep {
		var ok bool
		if step, ok = parseNumber(stepText); !ok {
			return 0, false, errorf("%s field: step %q in %q is not a non-negative decimal number", k.name, stepText, item)
		}
		if single {
			end = k.max // "n/step" means "n-max/step"
		}
		if step > 1 {
			star = false
		}
	}
	switch {
	case start < k.min || end > k.max:
		v := start
		if start >= k.min {
			v = end
		}
		return 0, false, errorf("%s field: %d in %q is out of range %d-%d%s", k.name, v, item, k.min, k.max, k.hint)
	case start > end:
		return 0, false, errorf("%s field: range start %d is after range end %d in %q", k.name, start, end, item)
	case step == 0:
		return 0, false, errorf("%s field: step must be at least 1 in %q", k.name, item)
	}
	for v := start; v <= end; v += step {
		set |= 1 << v
	}
	return set, star, nil
}

// parseValue parses a range bound: a name of k or a number.
func parseValue(text, item string, k *fieldKind) (uint64, error) {
	if len(text) == 3 && k.names != "" {
		for i := 0; i+3 <= len(k.names); i += 3 {
			if equalFoldASCII(text, k.names[i:i+3]) {
				return k.min + uint64(i/3), nil
			}
		}
	}
	v, ok := parseNumber(text)
	if !ok {
		if text == "" {
			return 0, errorf("%s field: missing value in %q (negative numbers are not allowed)", k.name, item)
		}
		if k.names != "" {
			return 0, errorf("%s field: %q in %q is neither a number nor a %s name", k.name, text, item, k.name)
		}
		return 0, errorf("%s field: %q in %q is not a number", k.name, text, item)
	}
	return v, nil
}

// parseNumber reports what strconv.Atoi followed by robfig's "negative
// number" check accepts: an optional sign, at least one decimal digit, a
// value in [0, MaxInt64] ("-0" is zero).
func parseNumber(s string) (uint64, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		if v > (1<<63-1-uint64(c))/10 {
			return 0, false // overflows int64: Atoi fails
		}
		v = v*10 + uint64(c)
	}
	if neg && v != 0 {
		return 0, false
	}
	return v, true
}

// equalFoldASCII compares s with the lower-case ASCII name. No non-ASCII
// rune lowers to a letter of a month or weekday name, so ASCII folding
// matches robfig's strings.ToLower lookup.
func equalFoldASCII(s, name string) bool {
	for i := 0; i < len(name); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

const (
	allHours  = 1<<24 - 1 // 0-23
	allDays   = 1<<32 - 2 // 1-31
	allMonths = 1<<13 - 2 // 1-12
	allWeek   = 1<<7 - 1  // 0-6
)

// parseDescriptor handles "@..." specs. The descriptor must be the whole
// remaining spec: robfig compares it exactly, so "@daily " is rejected unless
// a TZ= prefix caused the spec to be trimmed.
func (s *Schedule) parseDescriptor(d string) error {
	s.minute, s.hour = 1, 1 // minute 0, hour 0
	s.dom, s.month, s.dow = allDays, allMonths, allWeek
	s.and = true
	switch d {
	case "@yearly", "@annually":
		s.dom, s.month = 1<<1, 1<<1
	case "@monthly":
		s.dom = 1 << 1
	case "@weekly":
		s.dow = 1 // Sunday
	case "@daily", "@midnight":
	case "@hourly":
		s.hour = allHours
	default:
		text, ok := strings.CutPrefix(d, "@every ")
		if !ok {
			return errorf("unknown descriptor %q (want @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>)", d)
		}
		delay, err := time.ParseDuration(text)
		if err != nil {
			return errorf("bad duration in %q: %v", d, err)
		}
		// robfig's Every: at least one second, whole seconds only.
		if delay < time.Second {
			delay = time.Second
		}
		s.every = delay - delay%time.Second
		return nil
	}
	s.complete()
	return nil
}

// complete derives the day table and the never flags from the field sets.
func (s *Schedule) complete() {
	var any31 uint64
	for w := range s.days {
		// Bit d of onWeekday: day d of a month starting on weekday w falls
		// on a weekday of the day-of-week field. Rotating the week by w
		// gives days 1-7; repeating it every 7 bits gives the month.
		week := (s.dow>>w | s.dow<<(7-w)) & allWeek
		onWeekday := (week | week<<7 | week<<14 | week<<21 | week<<28) << 1 & allDays
		if s.and {
			s.days[w] = s.dom & onWeekday
		} else {
			s.days[w] = s.dom | onWeekday
		}
		any31 |= s.days[w]
	}
	// The longest month the month field allows bounds the usable days.
	longest := uint64(0)
	switch {
	case s.month&(1<<1|1<<3|1<<5|1<<7|1<<8|1<<10|1<<12) != 0:
		longest = 31
	case s.month&(1<<4|1<<6|1<<9|1<<11) != 0:
		longest = 30
	case s.month&(1<<2) != 0:
		longest = 29
	}
	s.neverAnyMonth = s.minute == 0 || s.hour == 0 || s.month == 0 || any31 == 0
	s.never = s.neverAnyMonth || any31&(1<<(longest+1)-1) == 0
}
