package file

import (
	"io/fs"
	"strings"
	"testing"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestValidatePath(t *testing.T) {
	good := []string{"/etc/hosts", "/usr/local/etc/devd/carp.conf", "/keys/f0:zdata.key", "/a b/c"}
	bad := map[string]string{
		"":              "empty",
		"etc/hosts":     "not absolute",
		"/etc/../hosts": `".." component`,
		"/etc/./hosts":  `"." component`,
		"/etc//hosts":   "empty component",
		"/etc/":         "directory",
		"/":             "directory",
		"/etc/ho\x00st": "NUL",
		"/etc/a\nb":     "line break",
	}
	for _, p := range good {
		if err := ValidatePath(p); err != nil {
			t.Errorf("ValidatePath(%q) = %v", p, err)
		}
	}
	for p, want := range bad {
		if err := ValidatePath(p); err == nil || !contains(err.Error(), want) {
			t.Errorf("ValidatePath(%q) = %v, want %q", p, err, want)
		}
	}
}

func TestValidateName(t *testing.T) {
	for name, ok := range map[string]bool{"vip": true, "carp-auto-failback": true, "a.b_c-1": true, "9x": true,
		"": false, "-x": false, "a b": false, "a:b": false, strings.Repeat("a", 65): false, "ä": false} {
		if err := ValidateName(name); (err == nil) != ok {
			t.Errorf("ValidateName(%q) = %v", name, err)
		}
	}
}

func TestValidateMisc(t *testing.T) {
	checks := []struct {
		name string
		fn   func(string) error
		good []string
		bad  []string
	}{
		{"comment prefix", ValidateCommentPrefix, []string{"#", "//", ";", "--"}, []string{"", "# ", "123456789"}},
		{"line", ValidateLine, []string{"a", " x "}, []string{"", "a\nb", "a\r"}},
		{"content", ValidateContent, []string{"", "a\nb\n"}, []string{"a\x00"}},
		{"account", ValidateAccount, []string{"root", "wheel", "_sshd", "nfs-user", "machine$"}, []string{"", "0", "1000", "a b", "a:b"}},
		{"cron user", ValidateCronUser, []string{"root", "paul", "_x"}, []string{"", "0", "a b", "x$"}},
		{"regexp", ValidateRegexp, []string{"^a", `\s+`}, []string{"(", "a[", `\p{Foo}`}},
		{"command", ValidateCommand, []string{"/bin/true", "a % b"}, []string{"", "  ", "a\nb"}},
	}
	for _, c := range checks {
		for _, s := range c.good {
			if err := c.fn(s); err != nil {
				t.Errorf("%s %q: %v", c.name, s, err)
			}
		}
		for _, s := range c.bad {
			if err := c.fn(s); err == nil {
				t.Errorf("%s %q: accepted", c.name, s)
			}
		}
	}
}

func TestParseMode(t *testing.T) {
	tests := []struct {
		in   string
		want fs.FileMode
		err  string
	}{
		{"0644", 0o644, ""},
		{"644", 0o644, ""},
		{"0400", 0o400, ""},
		{"0777", 0o777, ""},
		{"0000", 0, ""},
		{"4755", 0, "setuid"},
		{"1777", 0, "setuid"},
		{"0844", 0, "digits 0-7"},
		{"64", 0, "3 or 4"},
		{"00644", 0, "3 or 4"},
		{"rw-", 0, "digits 0-7"},
		{"", 0, "3 or 4"},
	}
	for _, tt := range tests {
		got, err := ParseMode(tt.in)
		if tt.err != "" {
			if err == nil || !contains(err.Error(), tt.err) {
				t.Errorf("ParseMode(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseMode(%q) = %o, %v", tt.in, got, err)
		}
	}
	for m, want := range map[fs.FileMode]string{0o644: "0644", 0o7: "0007", 0o755 | fs.ModeSetuid: "4755", 0o777 | fs.ModeSticky: "1777"} {
		if got := FormatMode(m); got != want {
			t.Errorf("FormatMode(%o) = %q, want %q", m, got, want)
		}
	}
	if !SameMode("644", 0o644) || !SameMode("0644", 0o644) || SameMode("0644", 0o600) || SameMode("0644", 0o644|fs.ModeSetuid) {
		t.Error("SameMode")
	}
}

func TestParseStat(t *testing.T) {
	tests := []struct {
		in   string
		want Stat
	}{
		{"0644 root wheel 1234 Regular File", Stat{Mode: 0o644, Owner: "root", Group: "wheel", Size: 1234, Kind: Regular}},
		{"4755 root wheel 10 Regular File", Stat{Mode: 0o755 | fs.ModeSetuid, Owner: "root", Group: "wheel", Size: 10, Kind: Regular}},
		{"0755 root wheel 512 Directory", Stat{Mode: 0o755, Owner: "root", Group: "wheel", Size: 512, Kind: Directory}},
		{"0755 root wheel 7 Symbolic Link", Stat{Mode: 0o755, Owner: "root", Group: "wheel", Size: 7, Kind: Symlink}},
		{"644 root root 0 regular empty file", Stat{Mode: 0o644, Owner: "root", Group: "root", Size: 0, Kind: Regular}},
		{"600 paul paul 3 regular file", Stat{Mode: 0o600, Owner: "paul", Group: "paul", Size: 3, Kind: Regular}},
		{"777 root root 9 symbolic link", Stat{Mode: 0o777, Owner: "root", Group: "root", Size: 9, Kind: Symlink}},
		{"644 root root 0 fifo", Stat{Mode: 0o644, Owner: "root", Group: "root", Kind: Other}},
	}
	for _, tt := range tests {
		got, err := parseStat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseStat(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "0644 root wheel", "x root wheel 1 Regular File", "0644 root wheel big Regular File", "77777 a b 1 Regular File"} {
		if _, err := parseStat(in); err == nil {
			t.Errorf("parseStat(%q) accepted", in)
		}
	}
}

func TestHash(t *testing.T) {
	// sha256 of "abc" (FIPS 180-2 example).
	if got := Hash([]byte("abc")); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("Hash = %s", got)
	}
}
