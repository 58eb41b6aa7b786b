package rocky

import (
	"testing"
)

// TestCrontab: cronie's crontab(1) on a fresh host, in the order the
// provider's cron resources use it.
func TestCrontab(t *testing.T) {
	h, _ := newHost(t, "r0")
	const job = "* * * * * /usr/local/bin/check-nfs-mount.sh # tf:nfs\n"
	steps := []struct {
		user, script string
		want         result
	}{
		{"", "command -v crontab; rpm -qf /usr/bin/crontab", result{out: "/usr/bin/crontab\ncronie-1.5.7-13.el9.x86_64\n"}},
		{"", "crontab -l", result{err: "no crontab for paul\n", code: 1}},
		{"root", "crontab -l", result{err: "no crontab for root\n", code: 1}},
		{"root", "echo '" + job[:len(job)-1] + "' | crontab -", result{}},
		{"root", "crontab -l", result{out: job}},
		{"root", "stat -c '%a %U:%G %n' /var/spool/cron /var/spool/cron/root", result{out: "700 root:root /var/spool/cron\n600 root:root /var/spool/cron/root\n"}},
		{"root", "(crontab -l 2>/dev/null | grep -v -F '# tf:nfs'; echo '@reboot /bin/true') | crontab - && crontab -l", result{out: "@reboot /bin/true\n"}},
		{"", "printf 'MAILTO=\"\"\\n# comment\\n\\n*/5 1-3 * jan,Feb mon-fri echo hi\\n' > /tmp/c && crontab /tmp/c && crontab -l", result{out: "MAILTO=\"\"\n# comment\n\n*/5 1-3 * jan,Feb mon-fri echo hi\n"}},
		{"root", "stat -c '%a %U:%G' /var/spool/cron/paul", result{out: "600 paul:paul\n"}},
		{"root", "crontab -u paul -l | tail -1; crontab -u paul -r && crontab -u paul -l", result{out: "*/5 1-3 * jan,Feb mon-fri echo hi\n", err: "no crontab for paul\n", code: 1}},
		{"", "crontab -r", result{err: "no crontab for paul\n", code: 1}},
		{"", "crontab -u root -l", result{err: "must be privileged to use -u\n", code: 1}},
		{"root", "crontab -u nobody2 -l", result{err: "crontab:  user `nobody2' unknown\n", code: 1}},
		// Syntax errors: the first one, named by the file as given, then the verdict.
		{"", "echo '61 * * * * x' | crontab -", result{err: "\"-\":1: bad minute\nerrors in crontab file, can't install.\n", code: 1}},
		{"", "printf '# c\\n0 24 * * * x\\n' | crontab -", result{err: "\"-\":2: bad hour\nerrors in crontab file, can't install.\n", code: 1}},
		{"", "printf '0 0 0 * * x\\n' > /tmp/bad && crontab /tmp/bad", result{err: "\"/tmp/bad\":1: bad day-of-month\nerrors in crontab file, can't install.\n", code: 1}},
		{"", "echo '0 0 1 foo * x' | crontab -", result{err: "\"-\":1: bad month\nerrors in crontab file, can't install.\n", code: 1}},
		{"", "echo '0 0 1 1 8 x' | crontab -", result{err: "\"-\":1: bad day-of-week\nerrors in crontab file, can't install.\n", code: 1}},
		{"", "echo '* * * * *' | crontab -", result{err: "\"-\":1: bad command\nerrors in crontab file, can't install.\n", code: 1}},
		{"", "echo '@often x' | crontab -", result{err: "\"-\":1: bad time specifier\nerrors in crontab file, can't install.\n", code: 1}},
		{"", "printf '* * * * * x' | crontab -", result{err: "\"-\":1: premature EOF\nerrors in crontab file, can't install.\n", code: 1}},
		{"", "echo '- * * * * x' | crontab -", result{err: "\"-\":1: bad option\nerrors in crontab file, can't install.\n", code: 1}},
		{"root", "echo '-0 * * * * x' | crontab - && crontab -l", result{out: "-0 * * * * x\n"}},
		// A failed install leaves the old crontab alone.
		{"", "crontab -l", result{err: "no crontab for paul\n", code: 1}},
		{"", "crontab /nope", result{err: "/nope: No such file or directory\n", code: 1}},
		{"", "crontab /tmp", result{err: "cannot replace crontab with a directory: /tmp\n", code: 1}},
		{"", "crontab -l -r", result{err: "crontab: usage error: only one operation permitted\n" + crontabUsage, code: 1}},
		{"", "crontab -l x", result{err: "crontab: usage error: no arguments permitted after this option\n" + crontabUsage, code: 1}},
		{"", "crontab -z", result{err: "crontab: invalid option -- 'z'\ncrontab: usage error: unrecognized option\n" + crontabUsage, code: 1}},
		{"", "crontab -V", result{out: "cronie 1.5.7\n"}},
		{"root", "echo paul > /etc/cron.deny", result{}},
		{"", "echo '0 * * * * x' | crontab -", result{err: "You (paul) are not allowed to use this program (crontab)\nSee crontab(1) for more information\n", code: 1}},
		{"root", ": > /etc/cron.deny", result{}},
		// -e runs $EDITOR on a copy; an unchanged copy installs nothing.
		{"", "EDITOR=true crontab -e", result{err: "no crontab for paul - using an empty one\ncrontab: no changes made to crontab\n"}},
		{"", "EDITOR='sh -c \"echo 1 2 3 4 5 x >> \\$0\"' crontab -e && crontab -l", result{out: "1 2 3 4 5 x\n", err: "no crontab for paul - using an empty one\ncrontab: installing new crontab\n"}},
		{"", "EDITOR=false crontab -e", result{err: "crontab: \"false\" exited with status 1\n", code: 1}},
		{"", "echo y | crontab -i -r && crontab -l", result{out: "crontab: really delete paul's crontab? ", err: "no crontab for paul\n", code: 1}},
	}
	for _, s := range steps {
		expect(t, h, s.user, s.script, s.want)
	}
}

// TestCronCheck: cronie's parser quirks that decide the error line.
func TestCronCheck(t *testing.T) {
	tests := []struct {
		src, want string
		root      bool
	}{
		{"0 * * * * a\n", "", false},
		{"MAILTO = root\nSHELL='/bin/bash'\n0 * * * * a\n", "", false},
		{"*/15 * * * * a\n0 0 * * sun,SAT a\n0 0 1-31/2 1,12 0-7 a\n@daily a\n", "", false},
		{"# only a comment\n", "", false},
		{"", "", false},
		{"0 0 * * 7-1 a\n", `"-":1: bad day-of-week`, false},
		{"*/0 * * * * a\n", `"-":1: bad minute`, false},
		{"* * * * * *\n", `"-":1: bad command`, false},
		{"@daily\n", `"-":1: bad command`, false},
		{"0 * * * * a\n5 5 5 5 5 a", `"-":2: premature EOF`, false},
		{"0 * * * * a\n\n5 5 5 5 5 a", `"-":2: bad command`, false},
		// load_env reads the line first: one cut short is "premature EOF"
		// only if it is the line load_env reads; after skipped comments
		// the entry reads it, misses the newline and counts a line less.
		{"0 * * * * a\n\n# c\n5 5 5 5 5", `"-":3: bad day-of-week`, false},
		{"# c\n0 * * * * a", `"-":1: bad command`, false},
		{"-0 * * * * a\n", "", true},
		{"- * * * * a\n", `"-":1: bad minute`, true},
		{"foo bar\n", `"-":1: bad minute`, false},
	}
	for _, tt := range tests {
		if got := cronCheck("-", tt.src, tt.root); got != tt.want {
			t.Errorf("cronCheck(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestCrontabProgram(t *testing.T) {
	h, _ := newHost(t, "r0")
	expect(t, h, "", "ls -l /usr/bin/crontab | cut -c1-11", result{out: "-rwsr-xr-x.\n"})
}
