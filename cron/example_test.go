package cron_test

import (
	"fmt"
	"time"

	"github.com/reckon-k8s/reckon/cron"
)

func ExampleParse() {
	for _, spec := range []string{"*/15 9-17 * * MON-FRI", "TZ=Europe/London @daily", "* * * * 7", "TZ=UTC"} {
		s, err := cron.Parse(spec)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println("ok:", s)
	}
	// Output:
	// ok: */15 9-17 * * MON-FRI
	// ok: TZ=Europe/London @daily
	// cron: day-of-week field: 7 in "7" is out of range 0-6 (Sunday is 0; Kubernetes does not accept 7)
	// cron: time zone prefix in "TZ=UTC" must be followed by a space and the schedule
}

func ExampleSchedule_Next() {
	s, _ := cron.Parse("TZ=America/New_York 30 1 * * *")
	t := time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC)
	for range 3 {
		t = s.Next(t)
		fmt.Println(t) // 01:30 happens twice when clocks fall back
	}
	// Output:
	// 2026-11-01 05:30:00 +0000 UTC
	// 2026-11-01 06:30:00 +0000 UTC
	// 2026-11-02 06:30:00 +0000 UTC
}

func ExampleSchedule_Prev() {
	s, _ := cron.Parse("0 2 * * 6")
	fmt.Println(s.Prev(time.Date(2026, 5, 14, 12, 0, 0, 0, time.UTC)))
	// Output:
	// 2026-05-09 02:00:00 +0000 UTC
}

func ExampleSchedule_Never() {
	s, _ := cron.Parse("0 0 30 2 *")
	fmt.Println(s.Never(), s.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero())
	// Output:
	// true true
}

func ExampleSchedule_MostRecent() {
	s, _ := cron.Parse("*/5 * * * *")
	created := time.Date(2026, 5, 14, 0, 0, 0, 0, time.UTC)
	for _, now := range []time.Time{created.Add(3 * time.Minute), created.Add(12 * time.Minute), created.Add(16*time.Hour + 40*time.Minute)} {
		_, recent, missed, _ := s.MostRecent(created, nil, nil, now)
		if recent == nil {
			fmt.Println(now.Format("15:04"), "nothing due")
			continue
		}
		fmt.Println(now.Format("15:04"), "run", recent.Format("15:04"), "missed", missed)
	}
	// Output:
	// 00:03 nothing due
	// 00:12 run 00:10 missed few
	// 16:40 run 16:40 missed many
}

func ExampleJobName() {
	scheduled := time.Date(2024, 1, 1, 0, 5, 0, 0, time.UTC)
	stamp, _ := cron.ScheduledTimestamp(scheduled, nil)
	fmt.Println(cron.JobName("hello", scheduled), stamp)
	// Output:
	// hello-28401125 2024-01-01T00:05:00Z
}

func ExampleValidate() {
	zone := "Mars/Olympus"
	fmt.Println(cron.Validate("TZ=UTC 0 * * * *", &zone))
	// Output:
	// [spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead, spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus]
}
