package file

import "testing"

const failback = "* * * * * /usr/local/bin/carp-auto-failback.sh"

func TestSetCronJob(t *testing.T) {
	j := CronJob{Name: "carp-failback", Schedule: "* * * * *", Command: "/usr/local/bin/carp-auto-failback.sh"}
	entry := "# f3s:carp-failback\n" + failback + "\n"
	tests := []struct {
		name, tab, want string
		j               CronJob
	}{
		{"no crontab", "", entry, j},
		{"append", "MAILTO=root\n0 3 * * * /usr/bin/true\n", "MAILTO=root\n0 3 * * * /usr/bin/true\n" + entry, j},
		{"no final newline", "0 3 * * * /usr/bin/true", "0 3 * * * /usr/bin/true\n" + entry, j},
		{"present", "a=b\n" + entry + "@daily x\n", "a=b\n" + entry + "@daily x\n", j},
		{"replace the entry below the marker", "# f3s:carp-failback\n*/5 * * * * old\n# mine\n",
			entry + "# mine\n", j},
		{"marker without entry", "# f3s:carp-failback\n# mine\n", entry + "# mine\n", j},
		{"marker last without newline", "x=1\n# f3s:carp-failback", "x=1\n" + entry, j},
		{"duplicate markers collapse", "# f3s:carp-failback\n1 * * * * a\nz=1\n# f3s:carp-failback\n2 * * * * b\n",
			entry + "z=1\n", j},
		{"other names untouched", "# f3s:carp-failback2\n1 * * * * a\n", "# f3s:carp-failback2\n1 * * * * a\n" + entry, j},
		{"schedule normalised", "", "# f3s:r\n@reboot /x\n", CronJob{Name: "r", Schedule: " @reboot ", Command: "/x"}},
		{"schedule spaces", "", "# f3s:r\n0 3 * * 1-5 /x\n", CronJob{Name: "r", Schedule: "0  3 *\t* 1-5", Command: "/x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SetCronJob(tt.tab, tt.j)
			if got != tt.want {
				t.Errorf("SetCronJob(%q)\n got %q\nwant %q", tt.tab, got, tt.want)
			}
			if again := SetCronJob(got, tt.j); again != got {
				t.Errorf("not idempotent: %q", again)
			}
			found, ok := FindCronJob(got, tt.j.Name)
			if !ok || found.Schedule != NormalizeSchedule(tt.j.Schedule) || found.Command != tt.j.Command {
				t.Errorf("FindCronJob after SetCronJob = %+v, %v", found, ok)
			}
		})
	}
}

func TestFindCronJob(t *testing.T) {
	tests := []struct {
		name, tab string
		want      CronJob
		ok        bool
	}{
		{"found", "# f3s:a\n" + failback + "\n", CronJob{Name: "a", Schedule: "* * * * *", Command: "/usr/local/bin/carp-auto-failback.sh"}, true},
		{"command keeps inner spacing", "# f3s:a\n0 3 * * *   sh -c 'a  b' # c\n", CronJob{Name: "a", Schedule: "0 3 * * *", Command: "sh -c 'a  b' # c"}, true},
		{"tabs", "# f3s:a\n0\t3\t*\t*\t*\tx\n", CronJob{Name: "a", Schedule: "0 3 * * *", Command: "x"}, true},
		{"special", "# f3s:a\n@reboot /x y\n", CronJob{Name: "a", Schedule: "@reboot", Command: "/x y"}, true},
		{"entry deleted", "# f3s:a\n", CronJob{Name: "a"}, false},
		{"entry commented out", "# f3s:a\n#* * * * * x\n", CronJob{Name: "a"}, false},
		{"marker deleted", failback + "\n", CronJob{Name: "a"}, false},
		{"no command", "# f3s:a\n* * * * *\n", CronJob{Name: "a"}, false},
		{"no crontab", "", CronJob{Name: "a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FindCronJob(tt.tab, "a")
			if got != tt.want || ok != tt.ok {
				t.Errorf("FindCronJob = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRemoveCronJob(t *testing.T) {
	tests := []struct {
		name, tab, want string
		removed         bool
	}{
		{"only entry", "# f3s:a\n" + failback + "\n", "", true},
		{"others stay", "MAILTO=x\n# f3s:a\n" + failback + "\n0 3 * * * b\n", "MAILTO=x\n0 3 * * * b\n", true},
		{"marker without entry", "# f3s:a\n# mine\n", "# mine\n", true},
		{"absent", "0 3 * * * b\n", "0 3 * * * b\n", false},
		{"does not take an unmarked entry", failback + "\n", failback + "\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, removed := RemoveCronJob(tt.tab, "a")
			if got != tt.want || removed != tt.removed {
				t.Errorf("RemoveCronJob(%q) = %q, %v; want %q, %v", tt.tab, got, removed, tt.want, tt.removed)
			}
		})
	}
	if !IsEmptyCrontab("\n \n") || IsEmptyCrontab("# x\n") {
		t.Error("IsEmptyCrontab")
	}
}

func TestValidateSchedule(t *testing.T) {
	good := []string{"* * * * *", "*/5 * * * *", "0 3 * * 1-5", "0,30 8-18/2 1 jan-mar mon,fri", "0 0 1 12 7", "@reboot", "@DAILY",
		"@every_minute", "  0  3 * * *  ", "59 23 31 12 sun"}
	bad := map[string]string{
		"":                "empty",
		"* * * *":         "4 fields",
		"* * * * * *":     "6 fields",
		"60 * * * *":      "out of range 0-59",
		"* 24 * * *":      "out of range 0-23",
		"* * 0 * *":       "out of range 1-31",
		"* * * 13 *":      "out of range 1-12",
		"* * * * 8":       "out of range 0-7",
		"5/10 * * * *":    "a step needs",
		"*/0 * * * *":     "positive",
		"* * * foo *":     "neither a number",
		"a * * * *":       "not a number",
		"5-1 * * * *":     "backwards",
		"1, * * * *":      "missing",
		"@sometimes":      "not a cron schedule word",
		"@reboot * * * *": "stands alone",
		"* * * * mon-":    "missing",
		"1-2-3 * * * *":   "not a number",
	}
	for _, s := range good {
		if err := ValidateSchedule(s); err != nil {
			t.Errorf("ValidateSchedule(%q) = %v", s, err)
		}
	}
	for s, want := range bad {
		err := ValidateSchedule(s)
		if err == nil || !contains(err.Error(), want) {
			t.Errorf("ValidateSchedule(%q) = %v, want an error with %q", s, err, want)
		}
	}
	if ScheduleSupportedOnLinux("@every_second") == nil || ScheduleSupportedOnLinux("@daily") != nil || ScheduleSupportedOnLinux("* * * * *") != nil {
		t.Error("ScheduleSupportedOnLinux")
	}
}

func TestParseCronEntry(t *testing.T) {
	for _, tt := range []struct{ in, sched, cmd string }{
		{"* * * * * x", "* * * * *", "x"},
		{"  0 3 * * *  a b  ", "0 3 * * *", "a b  "},
		{"@hourly\tx", "@hourly", "x"},
	} {
		s, c, ok := ParseCronEntry(tt.in)
		if !ok || s != tt.sched || c != tt.cmd {
			t.Errorf("ParseCronEntry(%q) = %q, %q, %v", tt.in, s, c, ok)
		}
	}
	for _, in := range []string{"* * * *", "@daily", "* * * * * "} {
		if _, _, ok := ParseCronEntry(in); ok {
			t.Errorf("ParseCronEntry(%q) accepted an entry without command", in)
		}
	}
}
