package rc

import (
	"context"
	"errors"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"zfskeys_enable", true},
		{"carp_load", true},
		{"ifconfig_re0_alias0", true},
		{"_private", true},
		{"", false},
		{"0abc", false},
		{"zfs-enable", false},
		{"a b", false},
		{"a=b", false},
		{"ä", false},
		{"x;rm", false},
	}
	for _, tt := range tests {
		if err := ValidateName(tt.name); (err == nil) != tt.ok {
			t.Errorf("ValidateName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestValidateFile(t *testing.T) {
	tests := []struct {
		path string
		ok   bool
	}{
		{"/etc/rc.conf", true},
		{"/boot/loader.conf", true},
		{"/etc/rc.conf.d/zrepl", true},
		{"etc/rc.conf", false},
		{"/etc/../etc/rc.conf", false},
		{"/etc/rc.conf/", false},
		{"/", false},
		{"/etc/rc conf", false},
		{"", false},
	}
	for _, tt := range tests {
		if err := ValidateFile(tt.path); (err == nil) != tt.ok {
			t.Errorf("ValidateFile(%q) = %v, want ok=%v", tt.path, err, tt.ok)
		}
	}
}

func TestValidateValue(t *testing.T) {
	for _, v := range []string{"", "YES", "zdata/enc zdata/enc/nfsdata zroot/bhyve", `a "b" 'c' $d \e`} {
		if err := ValidateValue(v); err != nil {
			t.Errorf("ValidateValue(%q) = %v", v, err)
		}
	}
	for _, v := range []string{"a\nb", "a\r", "a\x00"} {
		if err := ValidateValue(v); err == nil {
			t.Errorf("ValidateValue(%q) accepted", v)
		}
	}
}

func TestCheckOS(t *testing.T) {
	if err := CheckOS(host.Info{OS: "FreeBSD"}); err != nil {
		t.Errorf("FreeBSD: %v", err)
	}
	err := CheckOS(host.Info{OS: "Linux", Distro: "rocky", Release: "9.6"})
	if err == nil || !strings.Contains(err.Error(), "FreeBSD only") || !strings.Contains(err.Error(), "Linux (rocky 9.6)") {
		t.Errorf("Linux: %v", err)
	}
}

// TestParseRead follows sysrc's -v line: the file of the last assignment
// (f_sysrc_find), the name, the value (§4.1).
func TestParseRead(t *testing.T) {
	tests := []struct {
		name, file, out string
		want            string
		err             error
	}{
		{"zfskeys_enable", DefaultFile, "/etc/rc.conf: zfskeys_enable: YES\n", "YES", nil},
		{"zfskeys_datasets", DefaultFile, "/etc/rc.conf: zfskeys_datasets: zdata/enc zdata/enc/nfsdata zroot/bhyve\n", "zdata/enc zdata/enc/nfsdata zroot/bhyve", nil},
		// Set to the empty string: sysrc prints a trailing space after the colon.
		{"test2_list", DefaultFile, "/etc/rc.conf: test2_list: \n", "", nil},
		{"carp_load", LoaderConf, "/boot/loader.conf: carp_load: YES\n", "YES", nil},
		{"motd", DefaultFile, "/etc/rc.conf: motd: a: motd: b\n", "a: motd: b", nil},
		// Only the defaults set it: not assigned in FILE.
		{"sshd_enable", DefaultFile, "/etc/defaults/rc.conf: sshd_enable: NO\n", "", ErrNotFound},
		// Assigned through a sourced file: f_sysrc_find finds no file.
		{"x", DefaultFile, ": x: 1\n", "", ErrNotFound},
		{"x", DefaultFile, "garbage\n", "", errors.New("unexpected")},
	}
	for _, tt := range tests {
		got, err := parseRead(tt.file, tt.name, tt.out)
		switch {
		case tt.err == nil && err != nil, tt.err != nil && err == nil:
			t.Errorf("parseRead(%q) error %v, want %v", tt.out, err, tt.err)
		case errors.Is(tt.err, ErrNotFound) && !errors.Is(err, ErrNotFound):
			t.Errorf("parseRead(%q) error %v, want ErrNotFound", tt.out, err)
		case got != tt.want:
			t.Errorf("parseRead(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}

// TestParseChange uses the lines of §4.1 and the blog's real output.
func TestParseChange(t *testing.T) {
	tests := []struct {
		line string
		want Change
		ok   bool
	}{
		{"zfskeys_enable:  -> YES\n", Change{"zfskeys_enable", "", "YES"}, true},
		{"mountd_enable: NO -> YES", Change{"mountd_enable", "NO", "YES"}, true},
		{"test_enable: YES -> YES", Change{"test_enable", "YES", "YES"}, true},
		{"test2_enable:  -> ", Change{"test2_enable", "", ""}, true},
		{"test_list: item1 -> item1 item2", Change{"test_list", "item1", "item1 item2"}, true},
		{"zfskeys_datasets:  -> zdata/enc zdata/enc/nfsdata zroot/bhyve", Change{"zfskeys_datasets", "", "zdata/enc zdata/enc/nfsdata zroot/bhyve"}, true},
		{"test_enable: NO", Change{}, false},
		{"sysrc: unknown variable 'noexist'", Change{}, false},
		{"", Change{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseChange(tt.line)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseChange(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIsUnknown(t *testing.T) {
	unknown := &host.CommandError{ExitCode: 1, Stderr: "sysrc: unknown variable 'noexist'\n"}
	syntax := &host.CommandError{ExitCode: 1, Stderr: "/etc/rc.conf: 3: Syntax error: Unterminated quoted string\nsysrc: Exiting due to previous syntax errors\n"}
	if !isUnknown(unknown, "noexist") {
		t.Error("unknown variable not recognised")
	}
	if isUnknown(unknown, "other") {
		t.Error("unknown variable of another name taken for this one")
	}
	if isUnknown(syntax, "noexist") {
		t.Error("syntax error taken for an unknown variable")
	}
	if isUnknown(errors.New("connection lost"), "noexist") {
		t.Error("transport error taken for an unknown variable")
	}
}

func TestSetCommand(t *testing.T) {
	const replace = `sysrc -f /etc/rc.conf -x -- zfskeys_enable && `
	tests := []struct {
		value, old string
		assigned   bool
		want       string
	}{
		{"YES", "", false, "sysrc -f /etc/rc.conf -- zfskeys_enable=YES"},
		{"YES", "NO", true, "sysrc -f /etc/rc.conf -- zfskeys_enable=YES"},
		{"zdata/enc zdata/enc/nfsdata", "zdata/enc", true, "sysrc -f /etc/rc.conf -- 'zfskeys_enable=zdata/enc zdata/enc/nfsdata'"},
		{"", "x", true, "sysrc -f /etc/rc.conf -- zfskeys_enable="},
		{`a "b"`, "", false, `sysrc -f /etc/rc.conf -- 'zfskeys_enable=a \"b\"'`},
		{`it's`, "x", true, replace + `sysrc -f /etc/rc.conf -- 'zfskeys_enable=it'\''s'`},
		{`$x`, "x", true, replace + `sysrc -f /etc/rc.conf -- 'zfskeys_enable=\$x'`},
		// The old assignment holds quotes that sysrc cannot rewrite in place.
		{"plain", `say "hi"`, true, replace + `sysrc -f /etc/rc.conf -- zfskeys_enable=plain`},
	}
	for _, tt := range tests {
		cmd := setCommand(DefaultFile, "zfskeys_enable", tt.value, tt.old, tt.assigned)
		got := cmd.Script
		if len(cmd.Argv) > 0 {
			got = host.Join(cmd.Argv)
		}
		if got != tt.want {
			t.Errorf("setCommand(%q, %q, %v) = %s, want %s", tt.value, tt.old, tt.assigned, got, tt.want)
		}
	}
}

// TestEscapeRoundTrip writes values the way sysrc appends them,
// NAME="VALUE", and has a POSIX shell source the line as rc(8) does.
func TestEscapeRoundTrip(t *testing.T) {
	values := []string{"", "YES", "a b  c ", `say "hi"`, `it's`, `$HOME ${x} $(id) ` + "`id`", `back\slash \\ \n \"`, `'"'"'`, "tab\there", "ünïcode"}
	for _, v := range values {
		line := `X="` + escapeDoubleQuoted(v) + `"`
		file, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(line), "rc.conf")
		if err != nil {
			t.Errorf("%q: %s does not parse: %v", v, line, err)
			continue
		}
		r, err := interp.New(interp.Env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Run(context.Background(), file); err != nil {
			t.Errorf("%q: %s: %v", v, line, err)
			continue
		}
		if got := r.Vars["X"].String(); got != v {
			t.Errorf("%s evaluates to %q, want %q", line, got, v)
		}
	}
}

func TestGet(t *testing.T) {
	tests := []struct {
		name string
		call call
		want Variable
		err  error
	}{
		{"assigned", call{"sysrc -f /etc/rc.conf -v -- zrepl_enable", "/etc/rc.conf: zrepl_enable: YES\n", "", 0},
			Variable{DefaultFile, "zrepl_enable", "YES"}, nil},
		{"default only", call{"sysrc -f /etc/rc.conf -v -- zrepl_enable", "/etc/defaults/rc.conf: zrepl_enable: NO\n", "", 0},
			Variable{}, ErrNotFound},
		{"unknown", call{"sysrc -f /etc/rc.conf -v -- zrepl_enable", "", "sysrc: unknown variable 'zrepl_enable'\n", 1},
			Variable{}, ErrNotFound},
		{"syntax error", call{"sysrc -f /etc/rc.conf -v -- zrepl_enable", "", "/etc/rc.conf: 3: Syntax error: Unterminated quoted string\n", 1},
			Variable{}, errors.New("exited 1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Get(context.Background(), newScripted(t, tt.call), DefaultFile, "zrepl_enable")
			if tt.err == nil && err != nil || tt.err != nil && err == nil ||
				errors.Is(tt.err, ErrNotFound) != errors.Is(err, ErrNotFound) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSet(t *testing.T) {
	const read = "sysrc -f /etc/rc.conf -v -- zfskeys_datasets"
	tests := []struct {
		name  string
		value string
		calls []call
		err   string
	}{
		{
			name:  "append",
			value: "zdata/enc zroot/bhyve",
			calls: []call{
				{read, "", "sysrc: unknown variable 'zfskeys_datasets'\n", 1},
				{"sysrc -f /etc/rc.conf -- 'zfskeys_datasets=zdata/enc zroot/bhyve'", "zfskeys_datasets:  -> zdata/enc zroot/bhyve\n", "", 0},
			},
		},
		{
			name:  "unchanged",
			value: "zdata/enc",
			calls: []call{{read, "/etc/rc.conf: zfskeys_datasets: zdata/enc\n", "", 0}},
		},
		{
			name:  "quotes replace the assignment",
			value: `say "hi"`,
			calls: []call{
				{read, "/etc/rc.conf: zfskeys_datasets: old\n", "", 0},
				{`sysrc -f /etc/rc.conf -x -- zfskeys_datasets && sysrc -f /etc/rc.conf -- 'zfskeys_datasets=say \"hi\"'`, "zfskeys_datasets:  -> say \"hi\"\n", "", 0},
			},
		},
		{
			name:  "ambiguous output is read again",
			value: "r",
			calls: []call{
				{read, "/etc/rc.conf: zfskeys_datasets: p -> q\n", "", 0},
				{"sysrc -f /etc/rc.conf -- zfskeys_datasets=r", "zfskeys_datasets: p -> q -> r\n", "", 0},
				{read, "/etc/rc.conf: zfskeys_datasets: r\n", "", 0},
			},
		},
		{
			name:  "read back differs",
			value: "new",
			calls: []call{
				{read, "/etc/rc.conf: zfskeys_datasets: old\n", "", 0},
				{"sysrc -f /etc/rc.conf -- zfskeys_datasets=new", "zfskeys_datasets: old -> old\n", "", 0},
				{read, "/etc/rc.conf: zfskeys_datasets: old\n", "", 0},
			},
			err: `reads back as "old" after setting it to "new"`,
		},
		{
			name:  "sysrc refuses",
			value: "new",
			calls: []call{
				{read, "/etc/rc.conf: zfskeys_datasets: old\n", "", 0},
				{"sysrc -f /etc/rc.conf -- zfskeys_datasets=new", "", "sysrc: Not overwriting `/etc/rc.conf' due to previous syntax errors\n", 1},
			},
			err: "Not overwriting",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := newScripted(t, tt.calls...)
			got, err := Set(context.Background(), target, DefaultFile, "zfskeys_datasets", tt.value)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Value != tt.value {
				t.Errorf("value %q, want %q", got.Value, tt.value)
			}
			if target.Unlocked() > 0 {
				t.Errorf("%d commands ran without the file's lock", target.Unlocked())
			}
		})
	}
}

func TestDelete(t *testing.T) {
	const read = "sysrc -f /boot/loader.conf -v -- carp_load"
	t.Run("assigned", func(t *testing.T) {
		target := newScripted(t,
			call{read, "/boot/loader.conf: carp_load: YES\n", "", 0},
			call{"sysrc -f /boot/loader.conf -x -- carp_load", "", "", 0})
		if err := Delete(context.Background(), target, LoaderConf, "carp_load"); err != nil {
			t.Fatal(err)
		}
		if target.Unlocked() > 0 {
			t.Errorf("%d commands ran without the file's lock", target.Unlocked())
		}
	})
	t.Run("absent", func(t *testing.T) {
		target := newScripted(t, call{read, "", "sysrc: unknown variable 'carp_load'\n", 1})
		if err := Delete(context.Background(), target, LoaderConf, "carp_load"); err != nil {
			t.Fatal(err)
		}
	})
}
