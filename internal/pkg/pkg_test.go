package pkg

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

var rockyInfo = host.Info{OS: "Linux", Distro: "rocky", Release: "9.6"}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"zrepl", true},
		{"stunnel", true},
		{"nfs-utils", true},
		{"py311-setuptools", true},
		{"libstdc++", true},
		{"python3.11", true},
		{"", false},
		{"-y", false},
		{".hidden", false},
		{"a b", false},
		{"/usr/bin/foo", false},
		{"zrepl*", false},
		{"foo;rm", false},
		{strings.Repeat("a", 256), false},
	}
	for _, tt := range tests {
		if err := ValidateName(tt.name); (err == nil) != tt.ok {
			t.Errorf("ValidateName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestCheckOS(t *testing.T) {
	for _, info := range []host.Info{{OS: "FreeBSD"}, rockyInfo} {
		if err := CheckOS(info); err != nil {
			t.Errorf("%s: %v", info.OS, err)
		}
	}
	for _, info := range []host.Info{{OS: "Darwin"}, {OS: "Linux", Distro: "debian"}} {
		if err := CheckOS(info); err == nil {
			t.Errorf("%s %s accepted", info.OS, info.Distro)
		}
	}
}

// TestParse follows §8 (pkg query) and §13.3 (rpm -q).
func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		m      manager
		stdout string
		stderr string
		code   int
		want   string
		err    error
	}{
		{"pkg installed", freebsd, "0.6.1_1\n", "", 0, "0.6.1_1", nil},
		{"pkg not installed", freebsd, "", "", 1, "", ErrNotFound},
		{"pkg database error", freebsd, "", "pkg: sqlite error while executing ...\n", 1, "", errors.New("exited 1")},
		{"rpm installed", rocky, "5.62-3.el9\n", "", 0, "5.62-3.el9", nil},
		{"rpm two instances", rocky, "5.14.0-427.el9\n5.14.0-570.17.1.el9_6\n", "", 0, "5.14.0-570.17.1.el9_6", nil},
		{"rpm not installed", rocky, "package stunnel is not installed\n", "", 1, "", ErrNotFound},
		{"rpm database error", rocky, "", "error: cannot open Packages database in /var/lib/rpm\n", 1, "", errors.New("exited 1")},
		{"empty output", rocky, "", "", 0, "", errors.New("unexpected")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := host.Result{Stdout: []byte(tt.stdout), Stderr: []byte(tt.stderr), ExitCode: tt.code}
			var err error
			if tt.code != 0 {
				err = &host.CommandError{Host: "f0", ExitCode: tt.code, Stdout: tt.stdout, Stderr: tt.stderr}
			}
			got, err := tt.m.parse("stunnel", res, err)
			if tt.err == nil && err != nil || tt.err != nil && err == nil ||
				errors.Is(tt.err, ErrNotFound) != errors.Is(err, ErrNotFound) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("version %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{host.Join(freebsd.query("zrepl")), "pkg query -- %v zrepl"},
		{host.Join(freebsd.install("zrepl")), "pkg install -y -- zrepl"},
		{freebsd.remove("zrepl"), "if pkg info -e -- zrepl; then pkg delete -y -- zrepl; fi"},
		{host.Join(rocky.query("stunnel")), `rpm -q --qf '%{VERSION}-%{RELEASE}\n' stunnel`},
		{host.Join(rocky.install("stunnel")), "dnf install -y stunnel"},
		{rocky.remove("libstdc++"), "if rpm -q --quiet libstdc++; then dnf remove -y libstdc++; fi"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
}

func TestInstall(t *testing.T) {
	t.Run("freebsd", func(t *testing.T) {
		target := newScripted(t,
			call{"pkg install -y -- zrepl", "Updating FreeBSD repository catalogue...\n...\n[1/1] Installing zrepl-0.6.1_1...\n", "", 0},
			call{"pkg query -- %v zrepl", "0.6.1_1\n", "", 0})
		p, err := Install(context.Background(), target, "zrepl")
		if err != nil || p != (Package{"zrepl", "0.6.1_1"}) {
			t.Fatalf("Install = %+v, %v", p, err)
		}
	})
	t.Run("unknown package keeps dnf's words", func(t *testing.T) {
		target := newScripted(t, call{"dnf install -y nosuch", "No match for argument: nosuch\n", "Error: Unable to find a match: nosuch\n", 1})
		target.HostInfo = rockyInfo
		_, err := Install(context.Background(), target, "nosuch")
		if err == nil || !strings.Contains(err.Error(), "Error: Unable to find a match: nosuch") {
			t.Fatalf("Install = %v", err)
		}
	})
	t.Run("not installed afterwards", func(t *testing.T) {
		target := newScripted(t,
			call{"pkg install -y -- zrepl", "", "", 0},
			call{"pkg query -- %v zrepl", "", "", 1})
		_, err := Install(context.Background(), target, "zrepl")
		if err == nil || !strings.Contains(err.Error(), "not installed afterwards") {
			t.Fatalf("Install = %v", err)
		}
	})
}

func TestRemove(t *testing.T) {
	target := newScripted(t, call{"if rpm -q --quiet stunnel; then dnf remove -y stunnel; fi", "", "", 0})
	target.HostInfo = rockyInfo
	if err := Remove(context.Background(), target, "stunnel"); err != nil {
		t.Fatal(err)
	}
}
