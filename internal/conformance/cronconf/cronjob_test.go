package cronconf

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	_ "unsafe" // for go:linkname

	"github.com/go-logr/logr"
	robfig "github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/tools/record"
	batch "k8s.io/kubernetes/pkg/apis/batch"
	batchvalidation "k8s.io/kubernetes/pkg/apis/batch/validation"
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
	_ "k8s.io/kubernetes/pkg/controller/cronjob" // linked below

	"github.com/reckon-k8s/reckon/cron"
)

// The CronJob controller's arithmetic is unexported; these declarations
// bind to it directly, so the oracle is the exact upstream code.
// missedSchedulesType is an int.

//go:linkname upstreamMostRecent k8s.io/kubernetes/pkg/controller/cronjob.mostRecentScheduleTime
func upstreamMostRecent(cj *batchv1.CronJob, now time.Time, schedule robfig.Schedule, includeStartingDeadlineSeconds bool) (time.Time, *time.Time, int, error)

//go:linkname upstreamNextScheduleTime k8s.io/kubernetes/pkg/controller/cronjob.nextScheduleTime
func upstreamNextScheduleTime(logger logr.Logger, cj *batchv1.CronJob, now time.Time, schedule robfig.Schedule, recorder record.EventRecorder) (*time.Time, error)

//go:linkname upstreamRequeue k8s.io/kubernetes/pkg/controller/cronjob.nextScheduleTimeDuration
func upstreamRequeue(cj *batchv1.CronJob, now time.Time, schedule robfig.Schedule) *time.Duration

//go:linkname upstreamFormatSchedule k8s.io/kubernetes/pkg/controller/cronjob.formatSchedule
func upstreamFormatSchedule(cj *batchv1.CronJob, recorder record.EventRecorder) string

//go:linkname upstreamJobName k8s.io/kubernetes/pkg/controller/cronjob.getJobName
func upstreamJobName(cj *batchv1.CronJob, scheduledTime time.Time) string

//go:linkname upstreamJobFromTemplate k8s.io/kubernetes/pkg/controller/cronjob.getJobFromTemplate2
func upstreamJobFromTemplate(cj *batchv1.CronJob, scheduledTime time.Time) (*batchv1.Job, error)

// arithmeticSpecs are schedules with regular, irregular (the estimate in
// mostRecentScheduleTime undershoots), zoned and @every intervals. Leap-day
// schedules are left out: near 2100 upstream's walk never returns (see
// TestMostRecentWhereUpstreamNeverReturns in package cron).
var arithmeticSpecs = []string{
	"*/5 * * * *", "0 * * * *", "30 6-16/4 * * 1-5", "30 10,11,12 * * 1-5", "0 12 * * 4", "0 0 1 * *",
	"@every 1h", "@every 90s", "@every 36h", "TZ=America/New_York 30 1 * * *", "TZ=America/New_York 30 2 * * *",
	"CRON_TZ=Australia/Lord_Howe */30 1-3 * * *", "0 0 13 * 5", "59 23 31 2 *", "0 0 31 4 *", "0,1 0 1 * *",
	"*/7 * * * *", "0 9 * * 1-5",
}

func randomTime(r *rand.Rand, lo time.Time, span time.Duration) time.Time {
	t := lo.Add(time.Duration(r.Int64N(int64(span))))
	switch r.IntN(3) {
	case 0:
		t = t.Truncate(time.Minute)
	case 1:
		t = t.Truncate(time.Second)
	}
	return t
}

// TestCronJobArithmeticDifferential compares MostRecent, Due, RequeueAfter,
// JobName and ScheduledTimestamp with the upstream functions on random
// CronJob histories.
func TestCronJobArithmeticDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(seed(t), 7))
	locs := []*time.Location{time.UTC, zone("America/New_York"), zone("Australia/Lord_Howe")}
	n := *flagN / 10
	failures := 0
	var due, none, errs, many int
	for i := 0; i < n && failures < 10; i++ {
		spec := arithmeticSpecs[r.IntN(len(arithmeticSpecs))]
		want, err := robfig.ParseStandard(spec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := cron.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		loc := locs[r.IntN(len(locs))]
		created := randomTime(r, time.Date(2010, 1, 1, 0, 0, 0, 0, loc), 60*365*24*time.Hour)
		cj := &batchv1.CronJob{
			ObjectMeta: metav1.ObjectMeta{Name: "cj", CreationTimestamp: metav1.NewTime(created)},
			Spec:       batchv1.CronJobSpec{Schedule: spec},
		}
		var last *time.Time
		if r.IntN(3) > 0 {
			l := randomTime(r, created, 30*24*time.Hour)
			if r.IntN(2) == 0 {
				l = want.Next(created) // a real schedule time
			}
			last = &l
			cj.Status.LastScheduleTime = &metav1.Time{Time: l}
		}
		var sds *int64
		if r.IntN(2) == 0 {
			v := []int64{0, 10, 59, 60, 120, 3600, 200000, 1 << 40}[r.IntN(8)]
			sds = &v
			cj.Spec.StartingDeadlineSeconds = sds
		}
		base := created
		if last != nil {
			base = *last
		}
		spans := []time.Duration{time.Minute, time.Hour, 24 * time.Hour, 10 * 24 * time.Hour, 400 * 24 * time.Hour}
		now := randomTime(r, base.Add(-time.Hour), spans[r.IntN(len(spans))])

		report := func(format string, args ...any) {
			t.Errorf("case %d, spec %q, created %s, last %v, sds %v, now %s: %s", i, spec, describe(created), last, ptrString(sds), describe(now), fmt.Sprintf(format, args...))
			failures++
		}
		for _, include := range []bool{false, true} {
			we, wr, wm, werr := upstreamMostRecent(cj, now, want, include)
			d := sds
			if !include {
				d = nil
			}
			ge, gr, gm, gerr := got.MostRecent(created, last, d, now)
			if !ge.Equal(we) || !sameTime(gr, wr) || int(gm) != wm || errString(gerr) != errString(werr) {
				report("MostRecent(include=%v) = (%s, %s, %v, %v), upstream (%s, %s, %d, %v)", include, describe(ge), ptrTime(gr), gm, gerr, describe(we), ptrTime(wr), wm, werr)
			}
		}
		recorder := record.NewFakeRecorder(10)
		wt, werr := upstreamNextScheduleTime(logr.Discard(), cj, now, want, recorder)
		wtoo := len(recorder.Events) > 0 && strings.Contains(<-recorder.Events, "TooManyMissedTimes")
		gt, gtoo, gerr := got.Due(created, last, sds, now)
		switch {
		case werr != nil:
			errs++
		case wt == nil:
			none++
		case wtoo:
			many++
		default:
			due++
		}
		if !sameTime(gt, wt) || gtoo != wtoo || errString(gerr) != errString(werr) {
			report("Due = (%s, %v, %v), upstream (%s, %v, %v)", ptrTime(gt), gtoo, gerr, ptrTime(wt), wtoo, werr)
		}
		if w, g := *upstreamRequeue(cj, now, want), got.RequeueAfter(created, last, now); g != w {
			report("RequeueAfter = %s, upstream %s", g, w)
		}
		if wt != nil {
			if w, g := upstreamJobName(cj, *wt), cron.JobName(cj.Name, *wt); g != w {
				report("JobName = %q, upstream %q", g, w)
			}
		}
	}
	t.Logf("%d cases: %d due, %d due with too many missed, %d not due, %d InvalidSchedule", n, due, many, none, errs)
}

// TestJobAnnotationDifferential compares ScheduledTimestamp with the
// annotation getJobFromTemplate2 sets, and its error, across time zones.
func TestJobAnnotationDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(seed(t), 9))
	names := append([]string{"", "Local", "Nowhere/Else", "../etc"}, zoneNames...)
	for range 2000 {
		scheduled := randomTime(r, time.Date(1950, 1, 1, 0, 0, 0, 0, zones[r.IntN(len(zones))]), 150*365*24*time.Hour)
		var tz *string
		if r.IntN(5) > 0 {
			tz = &names[r.IntN(len(names))]
		}
		cj := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "cj", UID: "u"}, Spec: batchv1.CronJobSpec{TimeZone: tz}}
		job, werr := upstreamJobFromTemplate(cj, scheduled)
		got, gerr := cron.ScheduledTimestamp(scheduled, tz)
		if (werr == nil) != (gerr == nil) || (werr == nil && got != job.Annotations[batchv1.CronJobScheduledTimestampAnnotation]) {
			t.Errorf("ScheduledTimestamp(%s, %s) = %q, %v; upstream %v, %v", describe(scheduled), ptrString(tz), got, gerr, job, werr)
		}
		if werr == nil && job.Name != cron.JobName(cj.Name, scheduled) {
			t.Errorf("JobName(%s) = %q, upstream %q", describe(scheduled), cron.JobName(cj.Name, scheduled), job.Name)
		}
	}
}

// TestFormatScheduleDifferential compares FormatSchedule with formatSchedule.
func TestFormatScheduleDifferential(t *testing.T) {
	schedules := []string{"*/5 * * * *", "TZ=UTC 0 * * * *", "CRON_TZ=Asia/Kolkata @daily", "0 TZ", "@every 1h", ""}
	zonesToTry := []*string{nil}
	for _, z := range []string{"", "UTC", "Local", "America/New_York", "Nowhere/Else", "../etc", "utc"} {
		zonesToTry = append(zonesToTry, &z)
	}
	for _, s := range schedules {
		for _, tz := range zonesToTry {
			cj := &batchv1.CronJob{Spec: batchv1.CronJobSpec{Schedule: s, TimeZone: tz}}
			if got, want := cron.FormatSchedule(s, tz), upstreamFormatSchedule(cj, nil); got != want {
				t.Errorf("FormatSchedule(%q, %s) = %q, upstream %q", s, ptrString(tz), got, want)
			}
		}
	}
}

// TestValidateDifferential compares Validate and ValidateUpdate with the API
// server's ValidateCronJobCreate and ValidateCronJobUpdate, restricted to the
// spec.schedule and spec.timeZone errors. Upstream's detail for a schedule
// that does not parse is robfig's message and reckon's is its own, so for
// those only the field and value are compared.
func TestValidateDifferential(t *testing.T) {
	schedules := []string{"", "*/5 * * * *", "TZ=UTC 0 * * * *", "CRON_TZ=Asia/Kolkata @daily", "TZ=UTC", "* * * * 7", "0 0 30 2 *", "TZ=Nowhere 0 * * * *", "@every 1h", "0 0 * *"}
	zonesToTry := []*string{nil}
	for _, z := range []string{"", "UTC", "Local", "local", "America/New_York", "Nowhere/Else", "../etc", "-x/y", "America/New York", "<b>", "Etc/GMT+5", "abcdefghijklmno/x"} {
		zonesToTry = append(zonesToTry, &z)
	}
	for _, s := range schedules {
		for _, tz := range zonesToTry {
			cj := internalCronJob(s, tz)
			check(t, fmt.Sprintf("Validate(%q, %s)", s, ptrString(tz)), batchvalidation.ValidateCronJobCreate(cj, corevalidation.PodValidationOptions{}), cron.Validate(s, tz))
			for _, old := range schedules[1:4] {
				for _, oldTZ := range zonesToTry[:3] {
					oldCJ := internalCronJob(old, oldTZ)
					cj := internalCronJob(s, tz)
					cj.ResourceVersion = "1"
					oldCJ.ResourceVersion = "1"
					check(t, fmt.Sprintf("ValidateUpdate(%q, %s, %q, %s)", s, ptrString(tz), old, ptrString(oldTZ)),
						batchvalidation.ValidateCronJobUpdate(cj, oldCJ, corevalidation.PodValidationOptions{}), cron.ValidateUpdate(s, tz, old, oldTZ))
				}
			}
		}
	}
}

func internalCronJob(schedule string, tz *string) *batch.CronJob {
	return &batch.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "cj", Namespace: "default"},
		Spec:       batch.CronJobSpec{Schedule: schedule, TimeZone: tz, ConcurrencyPolicy: batch.AllowConcurrent},
	}
}

// check compares the upstream errors on spec.schedule and spec.timeZone with
// reckon's, in order, and their aggregate text when no parse error (whose
// detail differs by design) is among them.
func check(t *testing.T, call string, upstream field.ErrorList, got error) {
	t.Helper()
	var want field.ErrorList
	for _, e := range upstream {
		if e.Field == "spec.schedule" || e.Field == "spec.timeZone" {
			want = append(want, e)
		}
	}
	var gotList cron.FieldErrors
	if got != nil && !errors.As(got, &gotList) {
		t.Fatalf("%s returned %T, want cron.FieldErrors", call, got)
	}
	if len(gotList) != len(want) {
		t.Errorf("%s = %v, upstream %v", call, got, want.ToAggregate())
		return
	}
	parseErrors := false
	for i, w := range want {
		g := gotList[i]
		if w.Field == "spec.schedule" && w.Type == field.ErrorTypeInvalid {
			if _, perr := parseRobfig(g.Value); perr != nil && w.Detail == perr.Error() {
				parseErrors = true
				prefix := strings.TrimSuffix(w.Error(), perr.Error())
				if !strings.HasPrefix(g.Error(), prefix) || g.Detail == "" {
					t.Errorf("%s: error %d = %q, upstream %q", call, i, g, w)
				}
				continue
			}
		}
		if g.Error() != w.Error() {
			t.Errorf("%s: error %d = %q, upstream %q", call, i, g, w)
		}
	}
	if len(want) > 0 && !parseErrors && got.Error() != want.ToAggregate().Error() {
		t.Errorf("%s = %q, upstream %q", call, got, want.ToAggregate())
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func ptrTime(t *time.Time) string {
	if t == nil {
		return "nil"
	}
	return describe(*t)
}

func ptrString[T any](p *T) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%v", *p)
}
