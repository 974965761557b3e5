package cron_test

import (
	"strings"
	"testing"

	"github.com/reckon-k8s/reckon/cron"
)

// TestParseAcceptsWhatRobfigAccepts checks rules 1, 2, 3 and 6 on accept or
// reject. The expectations were recorded by running robfig/cron v3.0.1
// ParseStandard on each spec (a panic counts as a rejection).
func TestParseAcceptsWhatRobfigAccepts(t *testing.T) {
	tests := []struct {
		rule string
		spec string
		ok   bool
	}{
		{"1 five fields", "* * * * *", true},
		{"1 five fields", "0 0 1 1 0", true},
		{"1 five fields", "59 23 31 12 6", true},
		{"1 five fields", "* * * * * *", false},
		{"1 five fields", "* * * *", false},
		{"1 five fields", "", false},
		{"1 five fields", "   ", false},
		{"1 unicode white space separates", "*\t*\n* *\u00a0*", true},
		{"1 unicode white space separates", " * * * * * ", true},
		{"1 names", "0 0 1 JAN SUN", true},
		{"1 names", "0 0 1 dec sat", true},
		{"1 names", "0 0 1 Jan-Mar Mon-Fri", true},
		{"1 names", "* * * * sun-sat", true},
		{"1 names", "* * * * sat-sun", false},
		{"1 names", "* * * january *", false},
		{"1 names", "* * * * monday", false},
		{"1 names", "jan * * * *", false},
		{"1 ranges", "* * * * 7", false},
		{"1 ranges", "60 * * * *", false},
		{"1 ranges", "* 24 * * *", false},
		{"1 ranges", "* * 0 * *", false},
		{"1 ranges", "* * 32 * *", false},
		{"1 ranges", "* * * 0 *", false},
		{"1 ranges", "* * * 13 *", false},
		{"2 steps", "*/0 * * * *", false},
		{"2 steps", "*/1 * * * *", true},
		{"2 steps", "*/60 * * * *", true},
		{"2 steps", "*/99999999999 * * * *", true},
		{"2 steps", "*/99999999999999999999 * * * *", false},
		{"2 steps", "*/+2 * * * *", true},
		{"2 steps", "*/-1 * * * *", false},
		{"2 steps", "*/-0 * * * *", false},
		{"2 steps", "*/ * * * *", false},
		{"2 steps", "/2 * * * *", false},
		{"2 steps", "1/2/3 * * * *", false},
		{"2 ranges", "5-3 * * * *", false},
		{"2 ranges", "1-2-3 * * * *", false},
		{"2 ranges", "1- * * * *", false},
		{"2 ranges", "5-* * * * *", false},
		{"2 numbers", "-1 * * * *", false},
		{"2 numbers", "+1 * * * *", true},
		{"2 numbers", "0x1 * * * *", false},
		{"2 numbers", "1.5 * * * *", false},
		{"2 star swallows a dash", "*-5 * * * *", true},
		{"2 star swallows a dash", "?-x/2 * * * *", true},
		{"2 empty items", ", * * * *", true},
		{"2 empty items", "1,,2 * * * *", true},
		{"2 question mark", "? ? ? ? ?", true},
		{"3 descriptors", "@yearly", true},
		{"3 descriptors", "@annually", true},
		{"3 descriptors", "@monthly", true},
		{"3 descriptors", "@weekly", true},
		{"3 descriptors", "@daily", true},
		{"3 descriptors", "@midnight", true},
		{"3 descriptors", "@hourly", true},
		{"3 descriptors", "@reboot", false},
		{"3 descriptors", "@Daily", false},
		{"3 descriptors", "@daily ", false},
		{"3 descriptors", " @daily", false},
		{"3 every", "@every 5m", true},
		{"3 every", "@every 0", true},
		{"3 every", "@every -1h", true},
		{"3 every", "@every 1.5s", true},
		{"3 every", "@every 1h30m", true},
		{"3 every", "@every", false},
		{"3 every", "@every ", false},
		{"3 every", "@every 5", false},
		{"3 every", "@every 5 m", false},
		{"3 every", "@every  5m", false},
		{"6 time zone", "TZ=UTC * * * * *", true},
		{"6 time zone", "CRON_TZ=America/New_York 0 9 * * 1-5", true},
		{"6 time zone", "TZ= * * * * *", true},
		{"6 time zone", "TZ=Local * * * * *", true},
		{"6 time zone", "TZ=UTC  @daily  ", true},
		{"6 time zone", "TZ=UTC @every 1h", true},
		{"6 time zone", "TZ=Nowhere/Else * * * * *", false},
		{"6 time zone", "tz=UTC * * * * *", false},
		{"6 time zone", "TZ=UTC ", false},
		{"6 time zone", "TZ=../etc/passwd * * * * *", false},
		{"6 time zone", "TZ=UTC * * * *", false},
		{"6 time zone without a space", "TZ=UTC", false},            // robfig panics
		{"6 time zone without a space", "CRON_TZ=", false},          // robfig panics
		{"6 time zone without a space", "TZ=UTC\t* * * * *", false}, // the name is "UTC\t*"
	}
	for _, tt := range tests {
		t.Run("rule "+tt.rule+"/"+tt.spec, func(t *testing.T) {
			s, err := cron.Parse(tt.spec)
			if (err == nil) != tt.ok {
				t.Fatalf("Parse(%q) error = %v, want ok = %v", tt.spec, err, tt.ok)
			}
			if err == nil && s.String() != tt.spec {
				t.Errorf("String() = %q, want %q", s.String(), tt.spec)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "cron: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

// TestParseErrorsNameTheFieldAndReason checks the wording Parse adds on top
// of robfig (whose messages do not name the field).
func TestParseErrorsNameTheFieldAndReason(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"* * * * 7", `day-of-week field: 7 in "7" is out of range 0-6 (Sunday is 0; Kubernetes does not accept 7)`},
		{"*/0 * * * *", `minute field: step must be at least 1 in "*/0"`},
		{"* 5-3 * * *", `hour field: range start 5 is after range end 3 in "5-3"`},
		{"* * * foo *", `month field: "foo" in "foo" is neither a number nor a month name`},
		{"* * 1-2-3 * *", `day-of-month field: too many hyphens in "1-2-3"`},
		{"-5 * * * *", `minute field: missing value in "-5" (negative numbers are not allowed)`},
		{"0 0 0 * * *", `found 6 in "0 0 0 * * *" (Kubernetes schedules have no seconds field)`},
		{"TZ=UTC", `time zone prefix in "TZ=UTC" must be followed by a space and the schedule`},
		{"TZ=Nowhere/Else * * * * *", `bad time zone "Nowhere/Else"`},
		{"@fortnightly", `unknown descriptor "@fortnightly"`},
		{"@every 5x", `bad duration in "@every 5x"`},
		{"", "empty schedule"},
	}
	for _, tt := range tests {
		_, err := cron.Parse(tt.spec)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", tt.spec, err, tt.want)
		}
	}
}
