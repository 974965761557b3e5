package cron

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// This file holds the CronJob controller's schedule arithmetic
// (k8s.io/kubernetes/pkg/controller/cronjob, v1.36.3) and the API server's
// validation of spec.schedule and spec.timeZone
// (pkg/apis/batch/validation), on plain values.

// FormatSchedule returns the spec the CronJob controller parses for a
// CronJob's spec.schedule and spec.timeZone, as upstream formatSchedule does:
// a schedule containing "TZ" is used as is (upstream also records the
// warning event UnsupportedSchedule for it); otherwise a timeZone that
// time.LoadLocation accepts is prefixed as "TZ=<timeZone> "; otherwise the
// schedule is used as is. Without a zone the schedule is evaluated in the
// location of the times handed to it: in kube-controller-manager that is its
// local zone, because metav1 times are local.
func FormatSchedule(schedule string, timeZone *string) string {
	if strings.Contains(schedule, "TZ") || timeZone == nil {
		return schedule
	}
	if _, err := time.LoadLocation(*timeZone); err != nil {
		return schedule
	}
	return "TZ=" + *timeZone + " " + schedule
}

// FieldError is one invalid CronJob field. Its text is what
// k8s.io/apimachinery's field.Invalid (or field.Required when Value and
// Detail are empty) prints for the same field, value and detail.
type FieldError struct {
	Field  string // "spec.schedule" or "spec.timeZone"
	Value  string // the rejected value
	Detail string // why it is rejected; empty for a missing required value
}

// Error returns "<field>: Invalid value: <value>: <detail>", or
// "<field>: Required value".
func (e *FieldError) Error() string {
	if e.Value == "" && e.Detail == "" {
		return e.Field + ": Required value"
	}
	// Upstream passes the schedule as a string (printed with %q) and the
	// time zone as a *string (printed as JSON).
	value := strconv.Quote(e.Value)
	if e.Field == fieldTimeZone {
		b, _ := json.Marshal(e.Value) // a string always marshals
		value = string(b)
	}
	return e.Field + ": Invalid value: " + value + ": " + e.Detail
}

// FieldErrors is the error Validate and ValidateUpdate return. Its text is
// that of apimachinery's aggregate of the same field errors: one error's
// text, or all of them, each once, in brackets separated by commas.
type FieldErrors []*FieldError

// Error returns the aggregate text described on FieldErrors.
func (l FieldErrors) Error() string {
	var msgs []string
	for _, e := range l {
		m := e.Error()
		if !contains(msgs, m) {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 1 {
		return msgs[0]
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

// Unwrap returns the field errors, for errors.As and errors.Is.
func (l FieldErrors) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

const (
	fieldSchedule = "spec.schedule"
	fieldTimeZone = "spec.timeZone"
)

// Validate checks spec.schedule and spec.timeZone of a CronJob being created,
// as the API server's validateCronJobSpec does (with no old spec): the
// schedule is required and must parse; it must not contain TZ or CRON_TZ;
// the time zone, if set, must be a non-empty IANA name of safe characters,
// not "Local", that time.LoadLocation knows. It returns nil or FieldErrors,
// schedule errors first. The schedule's parse error detail is reckon's own
// wording (upstream shows robfig's message).
func Validate(schedule string, timeZone *string) error {
	return validate(schedule, timeZone, false, true)
}

// ValidateUpdate checks spec.schedule and spec.timeZone of an updated CronJob
// whose previous spec had oldSchedule and oldTimeZone, as validateCronJobSpec
// does on update: a TZ or CRON_TZ prefix is tolerated if the old schedule had
// one, unless timeZone is also set; the time zone is checked only if it
// changed.
func ValidateUpdate(schedule string, timeZone *string, oldSchedule string, oldTimeZone *string) error {
	changed := (timeZone == nil) != (oldTimeZone == nil) ||
		(timeZone != nil && *timeZone != *oldTimeZone)
	return validate(schedule, timeZone, strings.Contains(oldSchedule, "TZ"), changed)
}

func validate(schedule string, timeZone *string, allowTZ, checkZone bool) error {
	var errs FieldErrors
	invalid := func(field, value, detail string) {
		errs = append(errs, &FieldError{Field: field, Value: value, Detail: detail})
	}
	if schedule == "" {
		errs = append(errs, &FieldError{Field: fieldSchedule})
	} else {
		if _, err := Parse(schedule); err != nil {
			invalid(fieldSchedule, schedule, err.(*parseError).msg)
		}
		hasTZ := strings.Contains(schedule, "TZ")
		switch {
		case allowTZ && hasTZ && timeZone != nil:
			invalid(fieldSchedule, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule")
		case !allowTZ && hasTZ:
			invalid(fieldSchedule, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")
		}
	}
	if checkZone && timeZone != nil {
		validateTimeZone(*timeZone, invalid)
	}
	if errs == nil {
		return nil
	}
	return errs
}

// timeZonePart is upstream's validTimeZoneCharacters: IANA name components,
// tolerating digits and '+' for legacy names.
var timeZonePart = regexp.MustCompile(`^[A-Za-z\.\-_0-9+]{1,14}$`)

func validateTimeZone(tz string, invalid func(field, value, detail string)) {
	if tz == "" {
		invalid(fieldTimeZone, tz, "timeZone must be nil or non-empty string")
		return
	}
	for _, part := range strings.Split(tz, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !timeZonePart.MatchString(part) {
			invalid(fieldTimeZone, tz, "unknown time zone "+tz)
			return
		}
	}
	if strings.EqualFold(tz, "Local") {
		invalid(fieldTimeZone, tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")
	}
	if _, err := time.LoadLocation(tz); err != nil {
		invalid(fieldTimeZone, tz, err.Error())
	}
}

// Missed is how many schedule times passed since the CronJob last ran,
// upstream's missedSchedulesType.
type Missed int

const (
	MissedNone Missed = iota // no schedule time passed, or exactly one
	MissedFew                // more than one, at most 100 by upstream's estimate
	MissedMany               // more than 100: upstream warns TooManyMissedTimes
)

// String returns upstream's names: "none", "few" or "many".
func (m Missed) String() string {
	switch m {
	case MissedNone:
		return "none"
	case MissedFew:
		return "few"
	case MissedMany:
		return "many"
	}
	return fmt.Sprintf("unknown(%d)", int(m))
}

// errTooClose is upstream's error for schedules whose next two times are
// less than a second apart, which for schedules from Parse means the zero
// time came back: the schedule never fires (again) within five years.
var errTooClose = errors.New("time difference between two schedules is less than 1 second")

// MostRecent reproduces upstream mostRecentScheduleTime for a CronJob created
// at created, last scheduled at lastScheduled (status.lastScheduleTime, nil
// if never), with spec.startingDeadlineSeconds (nil to leave it out, as
// upstream does with includeStartingDeadlineSeconds=false), at now. It
// returns:
//   - earliest: lastScheduled, else created, raised to now minus the
//     deadline when that is later;
//   - mostRecent: the latest schedule time in (earliest, now], or nil;
//   - missed: MissedNone when at most one schedule time passed; otherwise
//     MissedFew or MissedMany, after upstream's estimate n = (now - t1) /
//     (t2 - t1) + 1 from the first two times t1, t2 after earliest, many
//     when n > 100;
//   - err: when t1 and t2 are less than a second apart (a schedule that
//     stops firing: Next gave the zero time).
//
// Like upstream, it estimates where to start looking (n-2 intervals after
// t1) and walks Next from there to now, so an irregular schedule such as
// "30 6-16/4 * * 1-5" is still answered exactly. Deliberate difference: where
// that walk meets a schedule that stops firing for more than five years (the
// zero time, e.g. "0 0 29 2 *" across 2100), upstream starts over from the
// year 1 and never returns; MostRecent stops at the gap and reports the last
// time found before it, if any.
func (s *Schedule) MostRecent(created time.Time, lastScheduled *time.Time, startingDeadlineSeconds *int64, now time.Time) (earliest time.Time, mostRecent *time.Time, missed Missed, err error) {
	earliest = created
	if lastScheduled != nil {
		earliest = *lastScheduled
	}
	if startingDeadlineSeconds != nil {
		deadline := now.Add(-time.Second * time.Duration(*startingDeadlineSeconds))
		if deadline.After(earliest) {
			earliest = deadline
		}
	}
	t1 := s.Next(earliest)
	t2 := s.Next(t1)
	if now.Before(t1) {
		return earliest, nil, MissedNone, nil
	}
	if now.Before(t2) {
		return earliest, &t1, MissedNone, nil
	}
	interval := int64(t2.Sub(t1).Round(time.Second).Seconds())
	if interval < 1 {
		return earliest, nil, MissedNone, errTooClose
	}
	n := int64(now.Sub(t1).Seconds())/interval + 1
	var recent time.Time
	from := t1.Add(time.Duration((n-2)*interval) * time.Second)
	for t := s.Next(from); !t.IsZero() && !t.After(now); t = s.Next(t) {
		recent = t
	}
	switch {
	case n > 100:
		missed = MissedMany
	case n > 0:
		missed = MissedFew
	}
	if recent.IsZero() {
		return earliest, nil, missed, nil
	}
	return earliest, &recent, missed, nil
}

// Due reproduces upstream nextScheduleTime: the schedule time the controller
// should start a Job for now, or nil. It is MostRecent with the starting
// deadline applied. tooManyMissed is the condition for upstream's warning
// event TooManyMissedTimes ("too many missed start times. Set or decrease
// .spec.startingDeadlineSeconds or check clock skew"); err is MostRecent's,
// upstream's InvalidSchedule event.
func (s *Schedule) Due(created time.Time, lastScheduled *time.Time, startingDeadlineSeconds *int64, now time.Time) (scheduled *time.Time, tooManyMissed bool, err error) {
	_, recent, missed, err := s.MostRecent(created, lastScheduled, startingDeadlineSeconds, now)
	if recent == nil || recent.After(now) {
		return nil, false, err
	}
	return recent, missed == MissedMany, err
}

// RequeueDelta is the padding upstream adds to every requeue delay
// (nextScheduleDelta), to absorb clock skew.
const RequeueDelta = 100 * time.Millisecond

// RequeueAfter reproduces upstream nextScheduleTimeDuration: how long after
// now the controller looks at the CronJob again. It takes MostRecent without
// the starting deadline and returns Next of the most recent time (of
// earliest when none passed, of now when some passed but none is known or
// MostRecent failed), plus RequeueDelta, minus now. For a schedule that never
// fires again it is the zero time plus the delta minus now: a large negative
// duration, as upstream computes.
func (s *Schedule) RequeueAfter(created time.Time, lastScheduled *time.Time, now time.Time) time.Duration {
	earliest, recent, missed, err := s.MostRecent(created, lastScheduled, nil, now)
	from := now
	switch {
	case err != nil:
	case recent != nil:
		from = *recent
	case missed == MissedNone:
		from = earliest
	}
	return s.Next(from).Add(RequeueDelta).Sub(now)
}

// TooLate reports upstream's starting-deadline check in syncCronJob: a
// schedule time more than startingDeadlineSeconds before now is not started
// (event MissSchedule). A nil deadline never expires.
func TooLate(scheduled time.Time, startingDeadlineSeconds *int64, now time.Time) bool {
	return startingDeadlineSeconds != nil &&
		scheduled.Add(time.Second*time.Duration(*startingDeadlineSeconds)).Before(now)
}

// JobName is upstream getJobName: the CronJob's name, a hyphen, and the
// scheduled time in whole minutes since the Unix epoch, e.g.
// "hello-28401125". The same schedule time always gives the same name, which
// is how the controller avoids starting a run twice.
func JobName(cronJobName string, scheduled time.Time) string {
	return cronJobName + "-" + strconv.FormatInt(scheduled.Unix()/60, 10)
}

// ScheduledTimestamp is the value upstream getJobFromTemplate2 gives a Job's
// annotation batch.kubernetes.io/cronjob-scheduled-timestamp: the scheduled
// time in spec.timeZone (UTC when nil), formatted as RFC 3339. It fails, as
// upstream does, when the zone does not load.
func ScheduledTimestamp(scheduled time.Time, timeZone *string) (string, error) {
	name := ""
	if timeZone != nil {
		name = *timeZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return "", err
	}
	return scheduled.In(loc).Format(time.RFC3339), nil
}
