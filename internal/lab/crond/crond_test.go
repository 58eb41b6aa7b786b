package crond

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	src := "# comment\nSHELL=/bin/sh\nMAILTO = \"admin\"\n\n*/5 9-17 * * mon-fri job one\n@daily  two % in\n" +
		"61 * * * * bad\nPATH=/bin\n0 0 1 jan * three\n"
	got := Parse(src, false)
	if len(got) != 3 {
		t.Fatalf("%d entries: %+v", len(got), got)
	}
	if got[0].Cmd != "job one" || strings.Join(got[0].Env, ";") != "SHELL=/bin/sh;MAILTO=admin" || got[0].Line != 5 {
		t.Errorf("first: %+v", got[0])
	}
	if got[2].Cmd != "three" || strings.Join(got[2].Env, ";") != "SHELL=/bin/sh;MAILTO=admin;PATH=/bin" {
		t.Errorf("third: %+v", got[2])
	}
	sys := Parse("SHELL=/bin/sh\n*/11 * * * * operator /usr/libexec/save-entropy\n@reboot root /x\n", true)
	if len(sys) != 2 || sys[0].User != "operator" || sys[0].Cmd != "/usr/libexec/save-entropy" || !sys[1].Reboot || sys[1].User != "root" {
		t.Errorf("system: %+v", sys)
	}
}

func TestMatches(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		line, when string
		want       bool
	}{
		{"* * * * * x", "2025-07-06 10:15", true},
		{"*/5 * * * * x", "2025-07-06 10:15", true},
		{"*/5 * * * * x", "2025-07-06 10:16", false},
		{"5/10 * * * * x", "2025-07-06 10:25", true}, // FreeBSD: N/STEP from N to the end
		{"0 9-17/2 * * * x", "2025-07-06 11:00", true},
		{"0 9-17/2 * * * x", "2025-07-06 12:00", false},
		{"0 0 * * sun x", "2025-07-06 00:00", true}, // a Sunday
		{"0 0 * * 7 x", "2025-07-06 00:00", true},
		{"0 0 1 * mon x", "2025-07-07 00:00", true}, // dom or dow when neither is *
		{"0 0 1 * mon x", "2025-07-08 00:00", false},
		{"0 0 1 * * x", "2025-07-07 00:00", false},
		{"0 0 * jul * x", "2025-07-07 00:00", true},
		{"@hourly x", "2025-07-07 13:00", true},
		{"@hourly x", "2025-07-07 13:01", false},
		{"@weekly x", "2025-07-06 00:00", true},
		{"@monthly x", "2025-07-01 00:00", true},
		{"@yearly x", "2025-01-01 00:00", true},
		{"@every_minute x", "2025-07-07 13:01", true},
		{"@reboot x", "2025-07-07 13:01", false},
	}
	for _, tt := range tests {
		e := Parse(tt.line+"\n", false)
		if len(e) != 1 {
			t.Errorf("%s: not parsed", tt.line)
			continue
		}
		if got := e[0].Due(at(tt.when)); got != tt.want {
			t.Errorf("%s at %s: %v", tt.line, tt.when, got)
		}
	}
	if e := Parse("* * * * * x\n", false)[0]; e.Due(at("2025-07-06 10:15").Add(time.Second)) {
		t.Error("a job is due at :00 of its minute only")
	}
}

func TestNext(t *testing.T) {
	base := time.Date(2025, 7, 6, 10, 15, 30, 0, time.UTC)
	e := Parse("*/5 * * * * x\n0 12 * * * y\n", false)
	got, ok := Next(e, base, base.Add(time.Hour))
	if !ok || !got.Equal(time.Date(2025, 7, 6, 10, 20, 0, 0, time.UTC)) {
		t.Errorf("next %v %v", got, ok)
	}
	if _, ok := Next(Parse("0 12 * * * y\n", false), base, base.Add(time.Hour)); ok {
		t.Error("noon is not within the hour")
	}
	got, ok = Next(Parse("@every_second x\n", false), base, base.Add(time.Minute))
	if !ok || !got.Equal(base.Add(time.Second)) {
		t.Errorf("every second: %v", got)
	}
}

func TestSplitInput(t *testing.T) {
	for _, c := range []struct{ cmd, command, input string }{
		{"date", "date", ""},
		{"date +\\%H", "date +%H", ""},
		{"mail -s hi root%line one%line two", "mail -s hi root", "line one\nline two\n"},
		{"cat%a\\%b%", "cat", "a%b\n"},
		{"echo a\\\\b", "echo a\\\\b", ""},
	} {
		command, input := SplitInput(c.cmd)
		if command != c.command || input != c.input {
			t.Errorf("%q: %q %q, want %q %q", c.cmd, command, input, c.command, c.input)
		}
	}
}
