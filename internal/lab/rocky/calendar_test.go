package rocky

import (
	"testing"
	"time"
)

func TestCalendarNext(t *testing.T) {
	base := time.Date(2025, 7, 4, 10, 17, 30, 0, time.UTC) // a Friday
	for _, c := range []struct {
		spec, want string
	}{
		{"minutely", "2025-07-04 10:18:00"},
		{"hourly", "2025-07-04 11:00:00"},
		{"daily", "2025-07-05 00:00:00"},
		{"weekly", "2025-07-07 00:00:00"},
		{"monthly", "2025-08-01 00:00:00"},
		{"yearly", "2026-01-01 00:00:00"},
		{"*:0/15", "2025-07-04 10:30:00"},
		{"*-*-* 02:30", "2025-07-05 02:30:00"},
		{"Mon..Wed *-*-* 08:00", "2025-07-07 08:00:00"},
		{"Sat,Sun 12:00", "2025-07-05 12:00:00"},
		{"*-*-01 06:00:00", "2025-08-01 06:00:00"},
		{"2025-12-24 18:00", "2025-12-24 18:00:00"},
		{"10:17:45", "2025-07-04 10:17:45"},
	} {
		spec, ok := parseCalendar(c.spec)
		if !ok {
			t.Errorf("%s: not parsed", c.spec)
			continue
		}
		got, ok := spec.next(base)
		if !ok || got.Format("2006-01-02 15:04:05") != c.want {
			t.Errorf("%s: %v %v, want %s", c.spec, got, ok, c.want)
		}
	}
	for _, bad := range []string{"sometimes", "25:00", "*-13-01", "Mon..Funday"} {
		if _, ok := parseCalendar(bad); ok {
			t.Errorf("%s parsed", bad)
		}
	}
}
