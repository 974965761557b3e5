// Package cron parses cron schedules and computes their run times exactly as
// Kubernetes v1.36 does for CronJobs, and holds the CronJob controller's
// schedule arithmetic as pure functions.
//
// Kubernetes parses spec.schedule with github.com/robfig/cron/v3 v3.0.1
// ParseStandard and asks the result for Next. This package accepts the same
// specs, builds the same schedules and returns the same times, for every spec,
// instant and location, which a differential test against robfig checks. The
// one difference: where robfig's search never returns (a zone change that
// skips a whole day, such as Pacific/Apia on 2011-12-30), Next returns the
// zero time. The package is faster (Next is a handful of bit operations and
// allocates nothing), never panics, answers [Schedule.Never] without
// searching, and adds [Schedule.Prev]. It imports only the standard library.
//
// # Schedules
//
//  1. A spec is five fields separated by white space (unicode.IsSpace):
//     minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of
//     week 0-6 or SUN-SAT (Sunday is 0; 7 is rejected). Names are three
//     letters in any case. There is no seconds field: runs are at second 0.
//  2. A field is a comma-separated list of items; empty items are ignored, so
//     a field of only commas is valid and matches nothing. An item is "*" or
//     "?" (every value), a value "n", or a range "a-b", each optionally
//     followed by "/step" (step >= 1): "n/step" means "n-max/step". Numbers
//     are decimal, may have leading zeros and a "+" sign, never a "-". After
//     "*" or "?" robfig ignores a "-" and anything after it ("*-5" is "*").
//  3. A spec starting with "@" is a descriptor and must be exactly one of
//     @yearly (= @annually, "0 0 1 1 *"), @monthly ("0 0 1 * *"), @weekly
//     ("0 0 * * 0"), @daily (= @midnight, "0 0 * * *"), @hourly ("0 * * * *"),
//     or "@every " followed by a Go duration (time.ParseDuration).
//  4. @every d runs every d, truncated to whole seconds, at least one second.
//     Its next run after t is t + d minus t's fraction of a second, in t's
//     location; a time zone prefix has no effect on it. Its previous run
//     before t is t rounded up to a whole second, minus d.
//  5. Day of month and day of week combine as in robfig: if either field
//     contains "*" or "?" (the "star"), a day must match both; if both are
//     restricted, either. "*/1" keeps the star; "*/2", "1-31" and any list
//     without "*" or "?" do not. So "0 0 1 * MON" runs on the 1st and on
//     every Monday, "0 0 * * MON" and "0 0 */1 * MON" on Mondays only, and
//     "0 0 */2 * MON" on odd days and on Mondays.
//  6. A spec may start with "TZ=<zone> " or "CRON_TZ=<zone> ": the zone name
//     ends at the first ASCII space of the spec and is loaded with
//     time.LoadLocation ("" is UTC; "Local" means no zone); the rest is
//     trimmed of white space. Such a prefix without any space is an error
//     (robfig panics; Kubernetes recovers the panic into an error).
//  7. Without a zone, a schedule is evaluated in the location of the time
//     it is given, and results are in that location.
//
// # Run times
//
//  8. Next(t) is the first matching wall-clock time after t in the
//     schedule's location, searching from the next whole second, returned in
//     t's location. None within the rest of that year and the five years
//     after gives the zero time. Around changes of UTC offset Next keeps
//     robfig's behaviour: a wall time skipped by a spring-forward gap does
//     not run that day, a wall time repeated by a fall-back overlap runs
//     twice, and the oddities listed on [Schedule.Next].
//  9. A schedule is Never when no calendar time matches it: a field of only
//     commas, or days that no allowed month has ("0 0 30 2 *", "0 0 31 4 *").
//     Such specs parse (as in Kubernetes, where the CronJob then reports
//     InvalidSchedule); Next returns the zero time for them.
//  10. Prev(t) is the latest matching instant strictly before t: an instant
//     whose wall-clock reading in the schedule's location matches. It looks
//     back to the start of the year five years before t's.
//
// # CronJob arithmetic
//
// These functions take plain values (times, *int64 deadlines, *string zones)
// so that the package needs no Kubernetes types; each names the upstream
// function of k8s.io/kubernetes/pkg/controller/cronjob or
// pkg/apis/batch/validation it reproduces.
//
//  11. The spec the controller parses is spec.schedule as is if it contains
//     "TZ", else "TZ=<spec.timeZone> " + spec.schedule when the zone loads,
//     else spec.schedule ([FormatSchedule]).
//  12. The API server rejects an empty or unparseable schedule, TZ or
//     CRON_TZ in a new schedule (or together with timeZone, in an update of
//     a schedule that already had it), and a time zone that is empty, not an
//     IANA-style name, "Local", or unknown ([Validate], [ValidateUpdate]).
//  13. The controller runs only the most recent schedule time in
//     (earliest, now], where earliest is status.lastScheduleTime, else the
//     creation time, raised to now - startingDeadlineSeconds; older missed
//     times are dropped. More than 100 missed times (by upstream's estimate)
//     gives the TooManyMissedTimes warning ([Schedule.MostRecent],
//     [Schedule.Due]).
//  14. A schedule time more than startingDeadlineSeconds before now is not
//     started ([TooLate]).
//  15. The controller looks again at Next of the most recent time plus
//     100ms ([Schedule.RequeueAfter]).
//  16. The Job for schedule time t is named "<cronjob>-<t.Unix()/60>" and
//     annotated batch.kubernetes.io/cronjob-scheduled-timestamp with t in
//     spec.timeZone (UTC if unset) as RFC 3339 ([JobName],
//     [ScheduledTimestamp]).
package cron
