package rocky

import (
	"strconv"
	"strings"
	"time"
)

// Calendar timers (OnCalendar=, systemd.time(7)), the simple forms: the
// shortcuts (minutely, hourly, daily, weekly, monthly, quarterly,
// semiannually, yearly/annually) and "[WEEKDAYS] [Y-M-D] [H:M[:S]]" where
// each number is "*", a value, a comma list or a range with an optional
// "/step" ("*:0/15", "Mon..Fri *-*-* 08:00"). Times are the host's (UTC in
// the lab). Anything else is ignored, as a timer with a bad OnCalendar= is
// not started by systemd either.

type calField struct {
	any    bool
	values map[int]bool
}

func (f calField) has(v int) bool { return f.any || f.values[v] }

type calSpec struct {
	weekdays             map[time.Weekday]bool // nil: any day
	year, month, day     calField
	hour, minute, second calField
}

var calShortcuts = map[string]string{
	"minutely":     "*-*-* *:*:00",
	"hourly":       "*-*-* *:00:00",
	"daily":        "*-*-* 00:00:00",
	"weekly":       "Mon *-*-* 00:00:00",
	"monthly":      "*-*-01 00:00:00",
	"quarterly":    "*-01,04,07,10-01 00:00:00",
	"semiannually": "*-01,07-01 00:00:00",
	"yearly":       "*-01-01 00:00:00",
	"annually":     "*-01-01 00:00:00",
}

var calDays = map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}

func parseCalendar(s string) (calSpec, bool) {
	s = strings.TrimSpace(s)
	if x, ok := calShortcuts[strings.ToLower(s)]; ok {
		s = x
	}
	var c calSpec
	star := calField{any: true}
	c.year, c.month, c.day = star, star, star
	c.second = calField{values: map[int]bool{0: true}}
	timeSet := false
	for _, w := range strings.Fields(s) {
		switch {
		case strings.Contains(w, ":"):
			parts := strings.Split(w, ":")
			if len(parts) < 2 || len(parts) > 3 {
				return c, false
			}
			var ok bool
			if c.hour, ok = calParse(parts[0], 0, 23); !ok {
				return c, false
			}
			if c.minute, ok = calParse(parts[1], 0, 59); !ok {
				return c, false
			}
			if len(parts) == 3 {
				if c.second, ok = calParse(parts[2], 0, 59); !ok {
					return c, false
				}
			}
			timeSet = true
		case strings.Count(w, "-") == 2 && !strings.Contains(w, ".."):
			parts := strings.Split(w, "-")
			var ok bool
			if c.year, ok = calParse(parts[0], 1970, 2199); !ok {
				return c, false
			}
			if c.month, ok = calParse(parts[1], 1, 12); !ok {
				return c, false
			}
			if c.day, ok = calParse(parts[2], 1, 31); !ok {
				return c, false
			}
		default:
			days, ok := calWeekdays(w)
			if !ok {
				return c, false
			}
			c.weekdays = days
		}
	}
	if !timeSet {
		zero := calField{values: map[int]bool{0: true}}
		c.hour, c.minute = zero, zero
	}
	return c, true
}

// calParse reads "*", "N", "N,M", "N..M", each with an optional "/STEP".
func calParse(s string, lo, hi int) (calField, bool) {
	if s == "*" {
		return calField{any: true}, true
	}
	f := calField{values: map[int]bool{}}
	for _, part := range strings.Split(s, ",") {
		rng, stepS, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepS)
			if err != nil || n <= 0 {
				return f, false
			}
			step = n
		}
		a, b := lo, hi
		if rng != "*" {
			x, y, isRange := strings.Cut(rng, "..")
			n, err := strconv.Atoi(x)
			if err != nil {
				return f, false
			}
			a = n
			if !hasStep {
				b = n
			}
			if isRange {
				if b, err = strconv.Atoi(y); err != nil {
					return f, false
				}
			}
		}
		if a < lo || b > hi || a > b {
			return f, false
		}
		for v := a; v <= b; v += step {
			f.values[v] = true
		}
	}
	return f, true
}

func calWeekdays(w string) (map[time.Weekday]bool, bool) {
	out := map[time.Weekday]bool{}
	for _, part := range strings.Split(w, ",") {
		a, b, isRange := strings.Cut(strings.ToLower(part), "..")
		x, ok := calDays[a[:min(3, len(a))]]
		if !ok {
			return nil, false
		}
		if !isRange {
			out[x] = true
			continue
		}
		y, ok := calDays[b[:min(3, len(b))]]
		if !ok {
			return nil, false
		}
		for d := x; ; d = (d + 1) % 7 {
			out[d] = true
			if d == y {
				break
			}
		}
	}
	return out, true
}

// next is the first time after "after" that matches (within ten years).
func (c calSpec) next(after time.Time) (time.Time, bool) {
	after = after.UTC()
	day := time.Date(after.Year(), after.Month(), after.Day(), 0, 0, 0, 0, time.UTC)
	for i := 0; i < 3660; i, day = i+1, day.AddDate(0, 0, 1) {
		if !c.year.has(day.Year()) || !c.month.has(int(day.Month())) || !c.day.has(day.Day()) {
			continue
		}
		if c.weekdays != nil && !c.weekdays[day.Weekday()] {
			continue
		}
		for h := 0; h < 24; h++ {
			if !c.hour.has(h) {
				continue
			}
			for m := 0; m < 60; m++ {
				if !c.minute.has(m) {
					continue
				}
				for s := 0; s < 60; s++ {
					if !c.second.has(s) {
						continue
					}
					if t := day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second); t.After(after) {
						return t, true
					}
				}
			}
		}
	}
	return time.Time{}, false
}
