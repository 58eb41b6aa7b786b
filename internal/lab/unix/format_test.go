package unix

import (
	"io/fs"
	"reflect"
	"testing"
	"time"
)

func TestParseOpts(t *testing.T) {
	t.Parallel()
	long := map[string]longOpt{"lines": {"n", reqArg}, "quiet": {"q", noArg}, "quit": {"Q", noArg}, "verbose": {"v", noArg}}
	tests := []struct {
		name     string
		gnu      bool
		spec     optSpec
		args     []string
		opts     opts
		operands []string
		msg      string
	}{
		{"bsd stops at operand", false, optSpec{short: "n:q", permute: true}, []string{"-q", "f", "-n", "3"},
			opts{{key: "q"}}, []string{"f", "-n", "3"}, ""},
		{"gnu permutes", true, optSpec{short: "n:q", permute: true}, []string{"-q", "f", "-n", "3"},
			opts{{key: "q"}, {key: "n", val: "3"}}, []string{"f"}, ""},
		{"gnu without permute", true, optSpec{short: "n:q"}, []string{"f", "-q"},
			nil, []string{"f", "-q"}, ""},
		{"attached and grouped", false, optSpec{short: "n:qv"}, []string{"-qvn5", "x"},
			opts{{key: "q"}, {key: "v"}, {key: "n", val: "5"}}, []string{"x"}, ""},
		{"double dash", true, optSpec{short: "q", permute: true}, []string{"--", "-q"},
			nil, []string{"-q"}, ""},
		{"lone dash is an operand", false, optSpec{short: "q"}, []string{"-", "-q"},
			nil, []string{"-", "-q"}, ""},
		{"bsd illegal", false, optSpec{short: "q"}, []string{"-z"}, nil, nil, "illegal option -- z"},
		{"bsd getopt_long unknown", false, optSpec{short: "q", bsdLong: true}, []string{"-z"}, nil, nil, "unknown option -- z"},
		{"bsd missing argument", false, optSpec{short: "n:"}, []string{"-n"}, nil, nil, "option requires an argument -- n"},
		{"gnu invalid", true, optSpec{short: "q"}, []string{"-z"}, nil, nil, "invalid option -- 'z'"},
		{"gnu missing argument", true, optSpec{short: "n:"}, []string{"-n"}, nil, nil, "option requires an argument -- 'n'"},
		{"gnu long with =", true, optSpec{long: long}, []string{"--lines=4"}, opts{{key: "n", val: "4"}}, nil, ""},
		{"gnu long separate", true, optSpec{long: long}, []string{"--lines", "4"}, opts{{key: "n", val: "4"}}, nil, ""},
		{"gnu long prefix", true, optSpec{long: long}, []string{"--verb"}, opts{{key: "v"}}, nil, ""},
		{"gnu long ambiguous", true, optSpec{long: long}, []string{"--qui"}, nil, nil,
			"option '--qui' is ambiguous; possibilities: '--quiet' '--quit'"},
		{"gnu long unknown", true, optSpec{long: long}, []string{"--nope"}, nil, nil, "unrecognized option '--nope'"},
		{"gnu long needs argument", true, optSpec{long: long}, []string{"--lines"}, nil, nil, "option '--lines' requires an argument"},
		{"gnu long takes none", true, optSpec{long: long}, []string{"--quiet=1"}, nil, nil, "option '--quiet' doesn't allow an argument"},
		{"bsd long unknown", false, optSpec{long: long, bsdLong: true}, []string{"--nope"}, nil, nil, "unknown option -- nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, operands, msg := parseOpts(tc.gnu, tc.spec, tc.args)
			if msg != tc.msg || !reflect.DeepEqual(o, tc.opts) || !reflect.DeepEqual(operands, tc.operands) {
				t.Errorf("parseOpts(%q) = %v %q %q, want %v %q %q", tc.args, o, operands, msg, tc.opts, tc.operands, tc.msg)
			}
		})
	}
}

var testTime = time.Date(2025, time.July, 1, 19, 31, 48, 123456789, time.UTC)

func TestBSDStatFormat(t *testing.T) {
	t.Parallel()
	reg := statData{name: "/etc/rc.conf", mode: 0o100644, uid: 0, gid: 0, owner: "root", group: "wheel", size: 412, mtime: testTime, nlink: 1, ino: 42}
	dir := statData{name: "/tmp", mode: 0o041777, owner: "root", group: "wheel", size: 8, mtime: testTime, nlink: 2, ino: 7}
	lnk := statData{name: "/etc/os-release", mode: 0o120755, owner: "root", group: "wheel", size: 21, mtime: testTime, nlink: 1, target: "../var/run/os-release"}
	exe := statData{name: "/bin/sh", mode: 0o100555, uid: 1002, gid: 1003, size: 10, mtime: testTime, nlink: 1}
	tests := []struct {
		format string
		st     statData
		want   string
	}{
		{"%N", reg, "/etc/rc.conf"},
		{"%p", reg, "100644"},
		{"%Op", reg, "100644"},
		{"%Lp", reg, "644"},
		{"%OLp", reg, "644"},
		{"%Mp%Lp", dir, "1777"},
		{"%Hp", dir, "4"},
		{"%Hp", reg, "10"},
		{"%Sp", dir, "drwxrwxrwt"},
		{"%SLp", reg, "r--"},
		{"%Su:%Sg %u:%g", reg, "root:wheel 0:0"},
		{"%Su %Sg", exe, "(1002) (1003)"},
		{"%z", reg, "412"},
		{"%HT|%T", reg, "Regular File|"},
		{"%HT|%T", dir, "Directory|/"},
		{"%HT|%T", exe, "Regular File|*"},
		{"%HT|%T|%Y|%SY", lnk, "Symbolic Link|@|../var/run/os-release| -> ../var/run/os-release"},
		{"%m", reg, "1751398308"},
		{"%Fm", reg, "1751398308.123456789"},
		{"%.3Fm", reg, "1751398308.123"},
		{"%Sm", reg, "Jul  1 19:31:48 2025"},
		{"%l", dir, "2"},
		{"%5z|%-5z|%05z", reg, "  412|412  |00412"},
		{"%#o", reg, ""}, // %o is not a datum: bad format (checked below)
		{"%Lp %Su %Sg %z %HT", reg, "644 root wheel 412 Regular File"},
		{"a%%b%tc%n", reg, "a%b\tc\n"},
		{"%Sf", reg, "-"},
		{"%@", reg, "1"},
	}
	for _, tc := range tests {
		got, err := bsdStatFormat(tc.format, tc.st, "%b %e %T %Y", 1)
		if tc.format == "%#o" {
			if err == nil || err.Error() != "%#o: bad format" {
				t.Errorf("bsdStatFormat(%q) error = %v, want %q", tc.format, err, "%#o: bad format")
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("bsdStatFormat(%q) = %q, %v; want %q", tc.format, got, err, tc.want)
		}
	}
	for _, bad := range []string{"%Hz", "%Sz", "%Q"} {
		if _, err := bsdStatFormat(bad, reg, "%c", 1); err == nil {
			t.Errorf("bsdStatFormat(%q) accepted a bad format", bad)
		}
	}
}

func TestGNUStatFormat(t *testing.T) {
	t.Parallel()
	reg := statData{name: "/etc/hosts", mode: 0o100644, owner: "root", group: "root", size: 158, mtime: testTime, nlink: 1, ino: 42}
	empty := statData{name: "/tmp/e", mode: 0o100600, uid: 1001, gid: 1001, owner: "paul", group: "paul", mtime: testTime, nlink: 1}
	dir := statData{name: "/tmp", mode: 0o041777, owner: "root", group: "root", size: 4096, mtime: testTime, nlink: 2}
	lnk := statData{name: "/bin", mode: 0o120777, owner: "root", group: "root", size: 7, mtime: testTime, target: "usr/bin"}
	orphan := statData{name: "/x", mode: 0o100644, uid: 4242, gid: 4343, mtime: testTime}
	tests := []struct {
		format  string
		st      statData
		escapes bool
		want    string
	}{
		{"%n %a %A %U %G %u %g %s %F %Y", reg, false, "/etc/hosts 644 -rw-r--r-- root root 0 0 158 regular file 1751398308"},
		{"%a %A %F", dir, false, "1777 drwxrwxrwt directory"},
		{"%F %s", empty, false, "regular empty file 0"},
		{"%F|%N", lnk, false, "symbolic link|'/bin' -> 'usr/bin'"},
		{"%U %G", orphan, false, "UNKNOWN UNKNOWN"},
		{"%04a|%5u|%-6U|", empty, false, "0600| 1001|paul  |"},
		{"%y", reg, false, "2025-07-01 19:31:48.123456789 +0000"},
		{"%Q", reg, false, "?"},
		{"100%%", reg, false, "100%"},
		{`%n\n`, reg, true, "/etc/hosts\n"},
		{`%n\n`, reg, false, `/etc/hosts\n`},
	}
	for _, tc := range tests {
		if got := gnuStatFormat(tc.format, tc.st, tc.escapes); got != tc.want {
			t.Errorf("gnuStatFormat(%q) = %q, want %q", tc.format, got, tc.want)
		}
	}
}

func TestApplyMode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec  string
		old   fs.FileMode
		isDir bool
		want  fs.FileMode
		bad   bool
	}{
		{spec: "755", old: 0o600, want: 0o755},
		{spec: "0400", old: 0o644, want: 0o400},
		{spec: "4755", old: 0o644, want: 0o755 | fs.ModeSetuid},
		{spec: "1777", old: 0o755, isDir: true, want: 0o777 | fs.ModeSticky},
		{spec: "u+x", old: 0o644, want: 0o744},
		{spec: "go-w", old: 0o666, want: 0o644},
		{spec: "a=r", old: 0o755, want: 0o444},
		{spec: "+x", old: 0o644, want: 0o755},
		{spec: "=rw", old: 0o777, want: 0o644}, // who-less: the umask 022 filters
		{spec: "u=rwx,go=", old: 0o644, want: 0o700},
		{spec: "go+X", old: 0o600, want: 0o600},
		{spec: "go+X", old: 0o700, isDir: true, want: 0o711},
		{spec: "g+s", old: 0o755, isDir: true, want: 0o755 | fs.ModeSetgid},
		{spec: "o+t", old: 0o777, isDir: true, want: 0o777 | fs.ModeSticky},
		{spec: "g=u", old: 0o640, want: 0o660},
		{spec: "8", bad: true},
		{spec: "77777", bad: true},
		{spec: "u+q", bad: true},
		{spec: "abc", bad: true},
		{spec: "", bad: true},
	}
	for _, tc := range tests {
		got, err := applyMode(tc.spec, tc.old, tc.isDir, 0o022)
		if tc.bad {
			if err == nil {
				t.Errorf("applyMode(%q) = %v, want an error", tc.spec, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("applyMode(%q, %v) = %v, %v; want %v", tc.spec, tc.old, got, err, tc.want)
		}
	}
}

func TestModeString(t *testing.T) {
	t.Parallel()
	tests := map[fs.FileMode]string{
		0o644:                                     "-rw-r--r--",
		fs.ModeDir | 0o755:                        "drwxr-xr-x",
		fs.ModeDir | fs.ModeSticky | 0o777:        "drwxrwxrwt",
		fs.ModeDir | fs.ModeSticky | 0o776:        "drwxrwxrwT",
		fs.ModeSetuid | 0o111:                     "---s--x--x",
		fs.ModeSetuid | 0o644:                     "-rwSr--r--",
		fs.ModeSetgid | 0o755:                     "-rwxr-sr-x",
		fs.ModeSymlink | 0o777:                    "lrwxrwxrwx",
		fs.ModeDevice | fs.ModeCharDevice | 0o666: "crw-rw-rw-",
	}
	for m, want := range tests {
		if got := modeString(m); got != want {
			t.Errorf("modeString(%v) = %q, want %q", m, got, want)
		}
	}
}

func TestSumLines(t *testing.T) {
	t.Parallel()
	const sum = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	tests := []struct{ got, want string }{
		{bsdSumLine(sum, "/keys/f0.key", false, false), "SHA256 (/keys/f0.key) = " + sum},
		{bsdSumLine(sum, "/keys/f0.key", true, false), sum},
		{bsdSumLine(sum, "/keys/f0.key", false, true), sum + " /keys/f0.key"},
		{gnuSumLine(sum, "/keys/f0.key", false), sum + "  /keys/f0.key"},
		{gnuSumLine(sum, "-", false), sum + "  -"},
		{gnuSumLine(sum, "x", true), sum + " *x"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	for _, line := range []string{sum + "  f", sum + " *f", "SHA256 (f) = " + sum} {
		if s, name, ok := parseSumLine(line); !ok || s != sum || name != "f" {
			t.Errorf("parseSumLine(%q) = %q %q %v", line, s, name, ok)
		}
	}
	for _, line := range []string{"", sum + " f", "xyz  f", sum[:63] + "  f"} {
		if _, _, ok := parseSumLine(line); ok {
			t.Errorf("parseSumLine(%q) accepted a malformed line", line)
		}
	}
}

func TestStrftime(t *testing.T) {
	t.Parallel()
	ts := time.Date(2025, time.January, 5, 7, 4, 9, 0, time.UTC)
	tests := map[string]string{
		"%Y-%m-%d %H:%M:%S": "2025-01-05 07:04:09",
		"%F %T":             "2025-01-05 07:04:09",
		"%b %e %T %Y":       "Jan  5 07:04:09 2025",
		"%a %A %B %j %u %w": "Sun Sunday January 005 7 0",
		"%s":                "1736060649",
		"%I %p %y %D":       "07 AM 25 01/05/25",
		"%-d %_H %Z %z":     "5  7 UTC +0000",
		"%%%q":              "%%q",
		"%+":                "Sun Jan  5 07:04:09 UTC 2025",
	}
	for f, want := range tests {
		if got := strftime(f, ts); got != want {
			t.Errorf("strftime(%q) = %q, want %q", f, got, want)
		}
	}
}

func TestGrepPatterns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern     string
		mode        byte
		icase, word bool
		whole       bool
		line        string
		want        bool
	}{
		{"a+b", 'G', false, false, false, "a+b", true},
		{"a+b", 'G', false, false, false, "aab", false},
		{`a\+b`, 'G', false, false, false, "aab", true},
		{`\(ab\)\{2\}`, 'G', false, false, false, "abab", true},
		{"a|b", 'G', false, false, false, "a|b", true},
		{`a\|b`, 'G', false, false, false, "b", true},
		{"*x", 'G', false, false, false, "*x", true},
		{"^zdata/enc$", 'G', false, false, false, "zdata/enc", true},
		{"a$b", 'G', false, false, false, "a$b", true},
		{"[[:digit:]]\\{3\\}", 'G', false, false, false, "ab123", true},
		{"[]x]", 'G', false, false, false, "]", true},
		{`[\]`, 'G', false, false, false, `\`, true},
		{"a+b", 'E', false, false, false, "aab", true},
		{"(ab){2}", 'E', false, false, false, "abab", true},
		{"a{", 'E', false, false, false, "a{", true},
		{"a.b", 'F', false, false, false, "axb", false},
		{"a.b", 'F', false, false, false, "a.b", true},
		{"WHEEL", 'G', true, false, false, "wheel:*:0:", true},
		{"foo", 'G', false, true, false, "foobar", false},
		{"foo", 'G', false, true, false, "a foo.", true},
		{"zdata", 'F', false, false, true, "zdata/enc", false},
		{"zdata", 'F', false, false, true, "zdata", true},
		{`\<carp\>`, 'E', false, false, false, "carp: MASTER", true},
	}
	for _, tc := range tests {
		m, err := newMatcher([]string{tc.pattern}, tc.mode, tc.icase, tc.word, tc.whole)
		if err != nil {
			t.Errorf("newMatcher(%q, %c): %v", tc.pattern, tc.mode, err)
			continue
		}
		if got := m.match(tc.line); got != tc.want {
			t.Errorf("%c %q on %q = %v, want %v", tc.mode, tc.pattern, tc.line, got, tc.want)
		}
	}
	for _, bad := range []string{`\(a\)\1`, "[abc"} {
		if _, err := newMatcher([]string{bad}, 'G', false, false, false); err == nil {
			t.Errorf("newMatcher(%q) accepted an unsupported pattern", bad)
		}
	}
}

func TestTextHelpers(t *testing.T) {
	t.Parallel()
	data := []byte("1\n2\n3\n4\n")
	tailTests := []struct {
		count     int64
		fromStart bool
		byBytes   bool
		want      string
	}{
		{2, false, false, "3\n4\n"},
		{10, false, false, "1\n2\n3\n4\n"},
		{3, true, false, "3\n4\n"},
		{3, false, true, "\n4\n"},
		{7, true, true, "4\n"},
		{0, false, false, ""},
	}
	for _, tc := range tailTests {
		if got := string(tailOf(data, tc.count, tc.fromStart, tc.byBytes)); got != tc.want {
			t.Errorf("tailOf(%d, %v, %v) = %q, want %q", tc.count, tc.fromStart, tc.byBytes, got, tc.want)
		}
	}
	if got, ok := parseList("1,3-4,6-"); !ok || !reflect.DeepEqual(got, []span{{1, 1}, {3, 4}, {6, 0}}) {
		t.Errorf("parseList = %v %v", got, ok)
	}
	for _, bad := range []string{"", "0", "3-1", "a", "1,,2"} {
		if _, ok := parseList(bad); ok {
			t.Errorf("parseList(%q) accepted a bad list", bad)
		}
	}
	sets := map[string]string{"a-e": "abcde", `\n\t`: "\n\t", "[:digit:]": "0123456789", `\101`: "A"}
	for in, want := range sets {
		if got := string(expandSet(in)); got != want {
			t.Errorf("expandSet(%q) = %q, want %q", in, got, want)
		}
	}
	paths := []struct{ in, base, dir string }{
		{"/a/b/c", "c", "/a/b"}, {"/a/b/", "b", "/a"}, {"c", "c", "."}, {"/", "/", "/"}, {"//x//", "x", "/"},
	}
	for _, p := range paths {
		if got := basename(p.in, ""); got != p.base {
			t.Errorf("basename(%q) = %q, want %q", p.in, got, p.base)
		}
		if got := dirname(p.in); got != p.dir {
			t.Errorf("dirname(%q) = %q, want %q", p.in, got, p.dir)
		}
	}
}

func TestOdFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		data  string
		radix string
		kind  byte
		size  int
		want  string
	}{
		{"AB", "n", 'x', 1, " 41 42\n"},
		{"AB", "o", 'x', 1, "0000000 41 42\n0000002\n"},
		{"AB", "d", 'o', 1, "0000000 101 102\n0000002\n"},
		{"AB", "n", 'x', 2, " 4241\n"},
		{"a\n", "n", 'c', 1, "   a  \\n\n"},
		{string(make([]byte, 48)), "o", 'x', 1,
			"0000000 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\n0000060\n"},
	}
	for _, tc := range tests {
		if got := odFormat([]byte(tc.data), tc.radix, tc.kind, tc.size, false); got != tc.want {
			t.Errorf("odFormat(%q, %s, %c%d) = %q, want %q", tc.data, tc.radix, tc.kind, tc.size, got, tc.want)
		}
	}
}
