package cron_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reckon-k8s/reckon/cron"
)

func ptr[T any](v T) *T { return &v }

// topOfTheHour and after are the fixtures of upstream's utils_test.go.
var topOfTheHour = time.Date(2016, 5, 19, 10, 0, 0, 0, time.UTC)

func after(d time.Duration) time.Time { return topOfTheHour.Add(d) }

// TestFormatScheduleRule11 follows upstream formatSchedule line by line
// (cronjob_controllerv2.go); internal/conformance/cronconf compares it with
// the function itself.
func TestFormatScheduleRule11(t *testing.T) {
	tests := []struct {
		schedule string
		timeZone *string
		want     string
	}{
		{"*/5 * * * *", nil, "*/5 * * * *"},
		{"*/5 * * * *", ptr("America/New_York"), "TZ=America/New_York */5 * * * *"},
		{"*/5 * * * *", ptr("Nowhere/Else"), "*/5 * * * *"}, // the controller stops earlier: UnknownTimeZone
		{"TZ=UTC 0 * * * *", ptr("America/New_York"), "TZ=UTC 0 * * * *"},
		{"0 * * * *", ptr(""), "TZ= 0 * * * *"}, // LoadLocation("") is UTC
		{"0 * * * *", ptr("Local"), "TZ=Local 0 * * * *"},
	}
	for _, tt := range tests {
		if got := cron.FormatSchedule(tt.schedule, tt.timeZone); got != tt.want {
			t.Errorf("FormatSchedule(%q, %v) = %q, want %q", tt.schedule, tt.timeZone, got, tt.want)
		}
	}
}

// TestValidateRule12 follows validateScheduleFormat and validateTimeZone in
// pkg/apis/batch/validation; internal/conformance/cronconf compares with the
// API server's ValidateCronJobCreate and ValidateCronJobUpdate.
func TestValidateRule12(t *testing.T) {
	tests := []struct {
		name     string
		schedule string
		timeZone *string
		want     string // "" for no error; a prefix when the detail is reckon's parse error
	}{
		{"valid", "0 * * * *", nil, ""},
		{"valid with zone", "0 * * * *", ptr("America/New_York"), ""},
		{"legacy names with digits and plus", "0 * * * *", ptr("Etc/GMT+5"), ""},
		{"schedule required", "", nil, "spec.schedule: Required value"},
		{"schedule must parse", "0 * * *", nil, `spec.schedule: Invalid value: "0 * * *": expected 5 fields`},
		{"no TZ in a new schedule", "TZ=UTC 0 * * * *", nil, `spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`},
		{"empty zone", "0 * * * *", ptr(""), `spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string`},
		{"zone characters", "0 * * * *", ptr("America/New York"), `spec.timeZone: Invalid value: "America/New York": unknown time zone America/New York`},
		{"zone dot-dot", "0 * * * *", ptr("../etc"), `spec.timeZone: Invalid value: "../etc": unknown time zone ../etc`},
		{"zone value printed as JSON", "0 * * * *", ptr("<b>"), `spec.timeZone: Invalid value: "\u003cb\u003e": unknown time zone <b>`},
		{"Local is not explicit", "0 * * * *", ptr("Local"), `spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones`},
		{"local is not explicit and unknown", "0 * * * *", ptr("local"), `[spec.timeZone: Invalid value: "local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones, spec.timeZone: Invalid value: "local": unknown time zone local]`},
		{"unknown zone", "0 * * * *", ptr("Mars/Olympus"), `spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := cron.Validate(tt.schedule, tt.timeZone)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate = %v, want nil", err)
			case tt.want == "":
				return
			case err == nil || !strings.HasPrefix(err.Error(), tt.want):
				t.Fatalf("Validate = %v, want %s", err, tt.want)
			}
			var list cron.FieldErrors
			var one *cron.FieldError
			if !errors.As(err, &list) || len(list) == 0 || !errors.As(err, &one) || one != list[0] {
				t.Fatalf("Validate returned %T, want FieldErrors unwrapping to *FieldError", err)
			}
		})
	}
}

// TestFieldErrorsText: like apimachinery's aggregate, one message alone,
// several bracketed, and each distinct message once.
func TestFieldErrorsText(t *testing.T) {
	a := &cron.FieldError{Field: "spec.schedule", Value: "x", Detail: "bad"}
	b := &cron.FieldError{Field: "spec.timeZone", Value: "y", Detail: "worse"}
	for _, tt := range []struct {
		errs cron.FieldErrors
		want string
	}{
		{cron.FieldErrors{a}, `spec.schedule: Invalid value: "x": bad`},
		{cron.FieldErrors{a, a}, `spec.schedule: Invalid value: "x": bad`},
		{cron.FieldErrors{a, b, a}, `[spec.schedule: Invalid value: "x": bad, spec.timeZone: Invalid value: "y": worse]`},
	} {
		if got := tt.errs.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestValidateUpdateRule12(t *testing.T) {
	tests := []struct {
		name                  string
		schedule, oldSchedule string
		timeZone, oldTimeZone *string
		want                  string
	}{
		{"TZ kept from the old schedule", "TZ=UTC 5 * * * *", "TZ=UTC 0 * * * *", nil, nil, ""},
		{"TZ kept, but timeZone set too", "TZ=UTC 5 * * * *", "TZ=UTC 0 * * * *", ptr("UTC"), nil, `spec.schedule: Invalid value: "TZ=UTC 5 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule`},
		{"TZ added", "TZ=UTC 5 * * * *", "0 * * * *", nil, nil, `spec.schedule: Invalid value: "TZ=UTC 5 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`},
		{"unchanged bad zone is not rechecked", "0 * * * *", "0 * * * *", ptr("Mars/Olympus"), ptr("Mars/Olympus"), ""},
		{"changed bad zone", "0 * * * *", "0 * * * *", ptr("Mars/Olympus"), nil, `spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := cron.ValidateUpdate(tt.schedule, tt.timeZone, tt.oldSchedule, tt.oldTimeZone)
			if (tt.want == "") != (err == nil) || (err != nil && err.Error() != tt.want) {
				t.Fatalf("ValidateUpdate = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestMostRecentRule13 holds the cases of upstream's TestMostRecentScheduleTime
// (pkg/controller/cronjob/utils_test.go) with their expected values, and the
// walkthrough of a five-minute schedule reasoned from mostRecentScheduleTime.
func TestMostRecentRule13(t *testing.T) {
	oneMinute := int64(60)
	tests := []struct {
		name         string
		spec         string
		created      time.Time
		last         *time.Time
		deadline     *int64 // only passed when includeDeadline
		now          time.Time
		wantEarliest time.Time
		wantRecent   *time.Time
		wantMissed   cron.Missed
		wantErr      bool
	}{
		{"now before next schedule", "0 * * * *", topOfTheHour, nil, nil, topOfTheHour.Add(30 * time.Second), topOfTheHour, nil, cron.MissedNone, false},
		{"now just after next schedule", "0 * * * *", topOfTheHour, nil, nil, after(61 * time.Minute), topOfTheHour, ptr(after(60 * time.Minute)), cron.MissedNone, false},
		{"missed 5 schedules", "0 * * * *", after(10 * time.Second), nil, nil, after(301 * time.Minute), after(10 * time.Second), ptr(after(300 * time.Minute)), cron.MissedFew, false},
		{"complex schedule", "30 6-16/4 * * 1-5", topOfTheHour, ptr(after(30 * time.Minute)), nil, after(24*time.Hour + 31*time.Minute), after(30 * time.Minute), ptr(after(24*time.Hour + 30*time.Minute)), cron.MissedFew, false},
		// Upstream's estimate overshoots past Friday's runs: no recent time.
		{"another complex schedule", "30 10,11,12 * * 1-5", topOfTheHour, ptr(after(30 * time.Minute)), nil, after(30*time.Hour + 30*time.Minute), after(30 * time.Minute), nil, cron.MissedFew, false},
		{"complex schedule with longer diff between executions", "30 6-16/4 * * 1-5", topOfTheHour, ptr(after(30 * time.Minute)), nil, after(96*time.Hour + 31*time.Minute), after(30 * time.Minute), ptr(after(96*time.Hour + 30*time.Minute)), cron.MissedFew, false},
		{"complex schedule with shorter diff between executions", "30 6-16/4 * * 1-5", topOfTheHour, nil, nil, after(24*time.Hour + 31*time.Minute), topOfTheHour, ptr(after(24*time.Hour + 30*time.Minute)), cron.MissedFew, false},
		// Upstream sets startingDeadlineSeconds 10 here but leaves it out.
		{"@every schedule", "@every 1h", after(-59 * time.Minute), ptr(after(time.Minute)), nil, after(7 * 24 * time.Hour), after(time.Minute), ptr(after(6*24*time.Hour + 23*time.Hour + time.Minute)), cron.MissedMany, false},
		{"rogue cronjob", "59 23 31 2 *", after(10 * time.Second), nil, nil, after(time.Hour), after(10 * time.Second), nil, cron.MissedNone, true},
		{"earliestTime being CreationTimestamp and LastScheduleTime", "0 * * * *", topOfTheHour, ptr(topOfTheHour), nil, after(30 * time.Second), topOfTheHour, nil, cron.MissedNone, false},
		{"earliestTime being LastScheduleTime", "*/5 * * * *", topOfTheHour, ptr(after(30 * time.Minute)), nil, after(31 * time.Minute), after(30 * time.Minute), nil, cron.MissedNone, false},
		{"earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)", "*/5 * * * *", topOfTheHour, ptr(after(30 * time.Minute)), &oneMinute, after(32 * time.Minute), after(31 * time.Minute), nil, cron.MissedNone, false},
		// Every five minutes from 00:00 (upstream-workloads.md §8.2).
		{"walkthrough: nothing due yet", "*/5 * * * *", topOfTheHour, nil, nil, after(3 * time.Minute), topOfTheHour, nil, cron.MissedNone, false},
		{"walkthrough: one due", "*/5 * * * *", topOfTheHour, nil, nil, after(7 * time.Minute), topOfTheHour, ptr(after(5 * time.Minute)), cron.MissedNone, false},
		{"walkthrough: a few missed", "*/5 * * * *", topOfTheHour, nil, nil, after(12 * time.Minute), topOfTheHour, ptr(after(10 * time.Minute)), cron.MissedFew, false},
		{"walkthrough: many missed", "*/5 * * * *", topOfTheHour, nil, nil, after(16*time.Hour + 40*time.Minute), topOfTheHour, ptr(after(16*time.Hour + 40*time.Minute)), cron.MissedMany, false},
		{"walkthrough: deadline drops the old ones", "*/5 * * * *", topOfTheHour, nil, ptr(int64(120)), after(16*time.Hour + 40*time.Minute), after(16*time.Hour + 38*time.Minute), ptr(after(16*time.Hour + 40*time.Minute)), cron.MissedNone, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cron.Parse(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			earliest, recent, missed, err := s.MostRecent(tt.created, tt.last, tt.deadline, tt.now)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if !earliest.Equal(tt.wantEarliest) {
				t.Errorf("earliest = %s, want %s", earliest, tt.wantEarliest)
			}
			if (recent == nil) != (tt.wantRecent == nil) || (recent != nil && !recent.Equal(*tt.wantRecent)) {
				t.Errorf("mostRecent = %v, want %v", recent, tt.wantRecent)
			}
			if missed != tt.wantMissed {
				t.Errorf("missed = %v, want %v", missed, tt.wantMissed)
			}
		})
	}
}

// TestMostRecentWhereUpstreamNeverReturns pins the deliberate difference:
// for "0 0 29 2 *" last run 2092-02-29 and now in 2102, upstream estimates
// its walk should start at 2096-02-29, from where robfig finds no leap day
// within five years (2100 is not a leap year) and returns the zero time;
// upstream then walks on from the year 1, meets the same gap at year 96, and
// loops forever. MostRecent stops at the gap.
func TestMostRecentWhereUpstreamNeverReturns(t *testing.T) {
	s, _ := cron.Parse("0 0 29 2 *")
	earliest := time.Date(2091, 1, 1, 0, 0, 0, 0, time.UTC)
	now := time.Date(2102, 1, 1, 0, 0, 0, 0, time.UTC)
	_, recent, missed, err := s.MostRecent(earliest, nil, nil, now)
	if err != nil || recent != nil || missed != cron.MissedFew {
		t.Errorf("MostRecent = (%v, %v, %v), want (nil, few, nil)", recent, missed, err)
	}
}

// TestDueRule13 follows upstream nextScheduleTime: MostRecent with the
// deadline, and the TooManyMissedTimes condition.
func TestDueRule13(t *testing.T) {
	s, _ := cron.Parse("*/5 * * * *")
	got, tooMany, err := s.Due(topOfTheHour, nil, nil, after(16*time.Hour+40*time.Minute))
	if err != nil || got == nil || !got.Equal(after(16*time.Hour+40*time.Minute)) || !tooMany {
		t.Errorf("Due = (%v, %v, %v), want (16:40 after, true, nil)", got, tooMany, err)
	}
	got, tooMany, err = s.Due(topOfTheHour, nil, ptr(int64(120)), after(16*time.Hour+40*time.Minute))
	if err != nil || got == nil || tooMany {
		t.Errorf("Due with a deadline = (%v, %v, %v), want a time, false, nil", got, tooMany, err)
	}
	rogue, _ := cron.Parse("59 23 31 2 *")
	if got, _, err := rogue.Due(topOfTheHour, nil, nil, after(time.Hour)); got != nil || err == nil {
		t.Errorf("Due of a never schedule = (%v, %v), want (nil, error)", got, err)
	}
}

// TestRequeueAfterRule15 holds the cases of upstream's
// TestNextScheduleTimeDuration with their expected values.
func TestRequeueAfterRule15(t *testing.T) {
	tests := []struct {
		name    string
		spec    string
		created time.Time
		last    *time.Time
		now     time.Time
		want    time.Duration
	}{
		{"complex schedule skipping weekend", "30 6-16/4 * * 1-5", topOfTheHour, ptr(after(30 * time.Minute)), after(24*time.Hour + 31*time.Minute), 3*time.Hour + 59*time.Minute + cron.RequeueDelta},
		{"another complex schedule skipping weekend", "30 10,11,12 * * 1-5", topOfTheHour, ptr(after(30 * time.Minute)), after(30*time.Hour + 30*time.Minute), 66*time.Hour + cron.RequeueDelta},
		{"once a week cronjob, missed two runs", "0 12 * * 4", topOfTheHour, ptr(after(2 * time.Hour)), after(19*24*time.Hour + time.Hour + 30*time.Minute), 48*time.Hour + 30*time.Minute + cron.RequeueDelta},
		{"no previous run of a cronjob", "0 12 * * 5", topOfTheHour, nil, after(6 * time.Hour), 20*time.Hour + cron.RequeueDelta},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := cron.Parse(tt.spec)
			if got := s.RequeueAfter(tt.created, tt.last, tt.now); got != tt.want {
				t.Errorf("RequeueAfter = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestTooLateRule14 follows syncCronJob's check: strictly more than the
// deadline after the schedule time.
func TestTooLateRule14(t *testing.T) {
	scheduled := topOfTheHour
	tests := []struct {
		deadline *int64
		now      time.Time
		want     bool
	}{
		{nil, after(1000 * time.Hour), false},
		{ptr(int64(60)), after(time.Minute), false},
		{ptr(int64(60)), after(time.Minute + time.Nanosecond), true},
		{ptr(int64(0)), after(time.Nanosecond), true},
	}
	for _, tt := range tests {
		if got := cron.TooLate(scheduled, tt.deadline, tt.now); got != tt.want {
			t.Errorf("TooLate(%s, %v, %s) = %v, want %v", scheduled, tt.deadline, tt.now, got, tt.want)
		}
	}
}

// TestJobNameRule16: "<name>-<minutes since the epoch>" (getJobName) and the
// scheduled-timestamp annotation (getJobFromTemplate2), as in upstream's
// TestGetJobFromTemplate2.
func TestJobNameRule16(t *testing.T) {
	scheduled := time.Date(2024, 1, 1, 0, 5, 0, 0, time.UTC) // 1704067500 s
	if got := cron.JobName("hello", scheduled); got != "hello-28401125" {
		t.Errorf("JobName = %q", got)
	}
	for _, tt := range []struct {
		zone *string
		want string
	}{
		{nil, "2024-01-01T00:05:00Z"},
		{ptr("America/New_York"), "2023-12-31T19:05:00-05:00"},
		{ptr("Asia/Kolkata"), "2024-01-01T05:35:00+05:30"},
	} {
		got, err := cron.ScheduledTimestamp(scheduled, tt.zone)
		if err != nil || got != tt.want {
			t.Errorf("ScheduledTimestamp(%v) = %q, %v; want %q", tt.zone, got, err, tt.want)
		}
	}
	if _, err := cron.ScheduledTimestamp(scheduled, ptr("Mars/Olympus")); err == nil {
		t.Error("ScheduledTimestamp with an unknown zone: no error")
	}
}

func TestMissedString(t *testing.T) {
	for m, want := range map[cron.Missed]string{cron.MissedNone: "none", cron.MissedFew: "few", cron.MissedMany: "many", 7: "unknown(7)"} {
		if m.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(m), m.String(), want)
		}
	}
}
