package file

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// cronSpecials are the @ schedules of FreeBSD's cron (usr.sbin/cron
// entry.c); cronie (Rocky) knows all but the @every_ ones.
var cronSpecials = []string{"@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
	"@every_minute", "@every_second"}

// freebsdOnlySpecials are not understood by cronie.
var freebsdOnlySpecials = []string{"@every_minute", "@every_second"}

var (
	cronMonths = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	cronDays   = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
)

type cronField struct {
	name     string
	lo, hi   int
	names    []string
	nameBase int // the number of names[0]
}

var cronFields = []cronField{
	{"minute", 0, 59, nil, 0},
	{"hour", 0, 23, nil, 0},
	{"day of month", 1, 31, nil, 0},
	{"month", 1, 12, cronMonths, 1},
	{"day of week", 0, 7, cronDays, 0},
}

// ValidateSchedule accepts a cron schedule as crontab(5) reads it: five
// fields (minute hour day-of-month month day-of-week), each a comma list
// of *, N or N-M with an optional /STEP after * or a range, month and day
// names allowed; or one of the @ words (@reboot, @daily, ...).
func ValidateSchedule(s string) error {
	f := strings.Fields(s)
	if len(f) == 0 {
		return fmt.Errorf("%q is empty: give five fields such as \"* * * * *\" or a word such as \"@reboot\"", s)
	}
	if strings.HasPrefix(f[0], "@") {
		if len(f) != 1 {
			return fmt.Errorf("%q: an @ schedule stands alone, without further fields", s)
		}
		if !slices.Contains(cronSpecials, strings.ToLower(f[0])) {
			return fmt.Errorf("%q is not a cron schedule word: use one of %s", f[0], strings.Join(cronSpecials, ", "))
		}
		return nil
	}
	if len(f) != 5 {
		return fmt.Errorf("%q has %d fields: a cron schedule has five (minute hour day-of-month month day-of-week)", s, len(f))
	}
	for i, cf := range cronFields {
		if err := cf.check(f[i]); err != nil {
			return fmt.Errorf("%q: %s field %q: %w", s, cf.name, f[i], err)
		}
	}
	return nil
}

// ScheduleSupportedOnLinux tells whether cronie understands the schedule.
func ScheduleSupportedOnLinux(s string) error {
	f := strings.Fields(s)
	if len(f) == 1 && slices.Contains(freebsdOnlySpecials, strings.ToLower(f[0])) {
		return fmt.Errorf("%q is understood by FreeBSD's cron only, not by cronie on Linux", f[0])
	}
	return nil
}

// NormalizeSchedule is the schedule with single spaces between fields, as
// an entry is written.
func NormalizeSchedule(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func (cf cronField) check(s string) error {
	for _, part := range strings.Split(s, ",") {
		rng, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			n, err := strconv.Atoi(step)
			if err != nil || n <= 0 {
				return fmt.Errorf("step %q must be a positive number", step)
			}
		}
		if rng == "*" {
			continue
		}
		a, b, isRange := strings.Cut(rng, "-")
		lo, err := cf.value(a)
		if err != nil {
			return err
		}
		if !isRange {
			if hasStep {
				// cron reads a single number and stops: N/STEP is rejected.
				return fmt.Errorf("%q: a step needs * or a range before it (such as */%s or %s-%d/%s)", part, step, a, cf.hi, step)
			}
			continue
		}
		hi, err := cf.value(b)
		if err != nil {
			return err
		}
		if hi < lo {
			return fmt.Errorf("range %q runs backwards", rng)
		}
	}
	return nil
}

func (cf cronField) value(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("a value is missing")
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < cf.lo || n > cf.hi {
			return 0, fmt.Errorf("%d is out of range %d-%d", n, cf.lo, cf.hi)
		}
		return n, nil
	}
	for i, nm := range cf.names {
		if strings.EqualFold(s, nm) {
			return cf.nameBase + i, nil
		}
	}
	if cf.names != nil {
		return 0, fmt.Errorf("%q is neither a number %d-%d nor a name (%s)", s, cf.lo, cf.hi, strings.Join(cf.names, ", "))
	}
	return 0, fmt.Errorf("%q is not a number %d-%d", s, cf.lo, cf.hi)
}
