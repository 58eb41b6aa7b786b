package service

import (
	"context"
	"errors"
	"strconv"
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
		{"nfsd", true},
		{"local_unbound", true},
		{"stunnel.service", true},
		{"nfs-mount-monitor.timer", true},
		{"getty@tty1", true},
		{`data-nfs\x2dk3s.mount`, true},
		{"", false},
		{"-zrepl", false},
		{".hidden", false},
		{"a b", false},
		{"../etc/rc.d/x", false},
		{"x;reboot", false},
		{strings.Repeat("a", 256), false},
	}
	for _, tt := range tests {
		if err := ValidateName(tt.name); (err == nil) != tt.ok {
			t.Errorf("ValidateName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestUnitName(t *testing.T) {
	for in, want := range map[string]string{
		"stunnel":                 "stunnel.service",
		"stunnel.service":         "stunnel.service",
		"nfs-mount-monitor.timer": "nfs-mount-monitor.timer",
		"data-nfs.mount":          "data-nfs.mount",
		"getty@tty1":              "getty@tty1.service",
		"multi-user.target":       "multi-user.target",
	} {
		if got := UnitName(in); got != want {
			t.Errorf("UnitName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScript(t *testing.T) {
	want := `service zrepl rcvar 2>&1; printf '\nf3s:rcvar %s\n' "$?"
service zrepl enabled >/dev/null 2>&1; printf '\nf3s:enabled %s\n' "$?"
service zrepl status 2>&1; printf '\nf3s:status %s\n' "$?"
`
	if got := (rcd{}).read("zrepl").Script; got != want {
		t.Errorf("rc.d read script:\n%s\nwant:\n%s", got, want)
	}
	want = `systemctl is-enabled stunnel.service 2>&1; printf '\nf3s:enabled %s\n' "$?"
systemctl is-active stunnel.service 2>&1; printf '\nf3s:active %s\n' "$?"
`
	if got := (systemd{}).read("stunnel").Script; got != want {
		t.Errorf("systemd read script:\n%s\nwant:\n%s", got, want)
	}
}

func TestParseSteps(t *testing.T) {
	out := "line one\nline two\n\nf3s:a 0\n\nf3s:b 1\nno newline\nf3s:c 3\n"
	got, err := parseSteps(out, "a", "b", "c")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]result{"a": {"line one\nline two", 0}, "b": {"", 1}, "c": {"no newline", 3}}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %+v, want %+v", k, got[k], w)
		}
	}
	if _, err := parseSteps("f3s:a 0\n", "a", "b"); err == nil {
		t.Error("a missing marker was accepted")
	}
	if _, err := parseSteps("f3s:a x\n", "a"); err == nil {
		t.Error("a marker without a number was accepted")
	}
}

// rcdOutput is the read script's output from given step outputs and codes.
func rcdOutput(rcvar string, rcvarCode, enabledCode int, status string, statusCode int) string {
	return rcvar + "\n\nf3s:rcvar " + strconv.Itoa(rcvarCode) + "\n\nf3s:enabled " + strconv.Itoa(enabledCode) + "\n" +
		status + "\n\nf3s:status " + strconv.Itoa(statusCode) + "\n"
}

const (
	zreplRCVar  = "# zrepl\n#\nzrepl_enable=\"NO\"\n#   (default: \"\")\n"
	notExist    = "zrepl does not exist in /etc/rc.d or the local startup\ndirectories (/usr/local/etc/rc.d), or is not executable"
	zreplRuns   = "zrepl is running as pid 2649."
	zreplStops  = "zrepl is not running."
	zfsNoStatus = "/etc/rc.d/zfs: unknown directive 'status'.\nUsage: /etc/rc.d/zfs [fast|force|one|quiet](start|stop|restart|rcvar|enable|disable|delete|enabled|describe|extracommands)"
)

// TestParseRCD uses the texts of §5.
func TestParseRCD(t *testing.T) {
	tests := []struct {
		name string
		out  string
		want Status
		err  error
	}{
		{"running and enabled", rcdOutput(zreplRCVar, 0, 0, zreplRuns, 0),
			Status{Name: "zrepl", RCVar: "zrepl_enable", Enabled: true, Running: true, HasStatus: true, Detail: zreplRuns}, nil},
		{"stopped and disabled", rcdOutput(zreplRCVar, 0, 1, zreplStops, 1),
			Status{Name: "zrepl", RCVar: "zrepl_enable", HasStatus: true, Detail: zreplStops}, nil},
		{"no status command", rcdOutput("# zfs : Mount and share ZFS datasets\n#\nzfs_enable=\"YES\"\n#   (default: \"\")\n", 0, 0, zfsNoStatus, 1),
			Status{Name: "zrepl", RCVar: "zfs_enable", Enabled: true, Detail: zfsNoStatus}, nil},
		{"several rcvars", rcdOutput("# nfsd\n#\nnfs_server_enable=\"YES\"\nnfsv4_server_enable=\"NO\"\n", 0, 0, "nfsd is running as pid 7.", 0),
			Status{Name: "zrepl", RCVar: "nfs_server_enable", Enabled: true, Running: true, HasStatus: true, Detail: "nfsd is running as pid 7."}, nil},
		{"no rcvar", rcdOutput("# netwait\n#\n", 0, 1, zreplStops, 1),
			Status{Name: "zrepl", HasStatus: true, Detail: zreplStops}, nil},
		{"missing", rcdOutput(notExist, 1, 1, notExist, 1),
			Status{Name: "zrepl", Detail: strings.Join(strings.Fields(notExist), " ")}, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := (rcd{}).parse("zrepl", host.Result{Stdout: []byte(tt.out)})
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if s != tt.want {
				t.Errorf("got  %+v\nwant %+v", s, tt.want)
			}
		})
	}
}

func systemdOutput(enabled string, enabledCode int, active string, activeCode int) string {
	return enabled + "\n\nf3s:enabled " + strconv.Itoa(enabledCode) + "\n" + active + "\n\nf3s:active " + strconv.Itoa(activeCode) + "\n"
}

// TestParseSystemd uses the outputs and exit codes of §13.1.
func TestParseSystemd(t *testing.T) {
	base := Status{Name: "stunnel", Unit: "stunnel.service", HasStatus: true}
	with := func(f func(*Status)) Status { s := base; f(&s); return s }
	tests := []struct {
		name string
		out  string
		want Status
		err  error
	}{
		{"enabled active", systemdOutput("enabled", 0, "active", 0), with(func(s *Status) {
			s.Enabled, s.Running, s.UnitFileState, s.Detail = true, true, "enabled", "systemctl is-active stunnel.service: active"
		}), nil},
		{"disabled inactive", systemdOutput("disabled", 1, "inactive", 3), with(func(s *Status) {
			s.UnitFileState, s.Detail = "disabled", "systemctl is-active stunnel.service: inactive"
		}), nil},
		{"static failed", systemdOutput("static", 0, "failed", 3), with(func(s *Status) {
			s.Enabled, s.UnitFileState, s.Detail = true, "static", "systemctl is-active stunnel.service: failed"
		}), nil},
		{"masked", systemdOutput("masked", 1, "inactive", 3), with(func(s *Status) {
			s.UnitFileState, s.Detail = "masked", "systemctl is-active stunnel.service: inactive"
		}), nil},
		{"missing (v252)", systemdOutput("Failed to get unit file state for stunnel.service: No such file or directory", 1, "inactive", 3),
			Status{Name: "stunnel", Unit: "stunnel.service", Detail: "Failed to get unit file state for stunnel.service: No such file or directory"}, ErrNotFound},
		{"missing (v253+)", systemdOutput("not-found", 4, "inactive", 4),
			Status{Name: "stunnel", Unit: "stunnel.service", Detail: "not-found"}, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := (systemd{}).parse("stunnel", host.Result{Stdout: []byte(tt.out)})
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if s != tt.want {
				t.Errorf("got  %+v\nwant %+v", s, tt.want)
			}
		})
	}
	if _, err := (systemd{}).parse("stunnel", host.Result{Stdout: []byte(systemdOutput("Failed to connect to bus: No medium found", 1, "", 3))}); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("a bus error parsed as %v", err)
	}
}

var (
	zreplRead   = rcd{}.read("zrepl").Script
	stunnelRead = systemd{}.read("stunnel").Script
)

func TestApplyFreeBSD(t *testing.T) {
	tests := []struct {
		name  string
		want  Desired
		calls []call
		err   string
	}{
		{
			name: "enable and start",
			want: Desired{Name: "zrepl", Enabled: true, State: Running},
			calls: []call{
				{zreplRead, rcdOutput(zreplRCVar, 0, 1, zreplStops, 1), "", 0},
				{"sysrc -f /etc/rc.conf -v -- zrepl_enable", "", "sysrc: unknown variable 'zrepl_enable'\n", 1},
				{"sysrc -f /etc/rc.conf -- zrepl_enable=YES", "zrepl_enable:  -> YES\n", "", 0},
				{"service zrepl onestart", "Starting zrepl.\n", "", 0},
				{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplRuns, 0), "", 0},
			},
		},
		{
			name: "nothing to do",
			want: Desired{Name: "zrepl", Enabled: true, State: Running},
			calls: []call{
				{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplRuns, 0), "", 0},
				{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplRuns, 0), "", 0},
			},
		},
		{
			name: "restart for triggers",
			want: Desired{Name: "zrepl", Enabled: true, Restart: true},
			calls: []call{
				{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplRuns, 0), "", 0},
				{"service zrepl onerestart", "Stopping zrepl.\nStarting zrepl.\n", "", 0},
				{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplRuns, 0), "", 0},
			},
		},
		{
			name: "no restart when stopped",
			want: Desired{Name: "zrepl", Enabled: false, Restart: true},
			calls: []call{
				{zreplRead, rcdOutput(zreplRCVar, 0, 1, zreplStops, 1), "", 0},
				{zreplRead, rcdOutput(zreplRCVar, 0, 1, zreplStops, 1), "", 0},
			},
		},
		{
			// service start exits 0 when it refuses (§5): the read-back tells.
			name: "start exits 0 but nothing runs",
			want: Desired{Name: "zrepl", Enabled: false, State: Running},
			calls: []call{
				{zreplRead, rcdOutput(zreplRCVar, 0, 1, zreplStops, 1), "", 0},
				{"service zrepl onestart", "", "", 0},
				{zreplRead, rcdOutput(zreplRCVar, 0, 1, zreplStops, 1), "", 0},
			},
			err: "it is stopped after starting it (status: zrepl is not running.)",
		},
		{
			name: "overridden rcvar",
			want: Desired{Name: "zrepl", Enabled: true},
			calls: []call{
				{zreplRead, rcdOutput(zreplRCVar, 0, 1, zreplStops, 1), "", 0},
				{"sysrc -f /etc/rc.conf -v -- zrepl_enable", "/etc/rc.conf: zrepl_enable: NO\n", "", 0},
				{"sysrc -f /etc/rc.conf -- zrepl_enable=YES", "zrepl_enable: NO -> YES\n", "", 0},
				{zreplRead, rcdOutput(zreplRCVar, 0, 1, zreplStops, 1), "", 0},
			},
			err: "it is disabled after enabling it (zrepl_enable in /etc/rc.conf",
		},
		{
			name:  "missing",
			want:  Desired{Name: "zrepl", Enabled: true},
			calls: []call{{zreplRead, rcdOutput(notExist, 1, 1, notExist, 1), "", 0}},
			err:   `there is no service "zrepl": zrepl does not exist in /etc/rc.d`,
		},
		{
			name:  "state without status command",
			want:  Desired{Name: "zrepl", Enabled: true, State: Running},
			calls: []call{{zreplRead, rcdOutput(zreplRCVar, 0, 0, zfsNoStatus, 1), "", 0}},
			err:   "has no status command",
		},
		{
			// mountd's rc.d script started rpcbind meanwhile (force_depend).
			name: "started by another service meanwhile",
			want: Desired{Name: "zrepl", Enabled: true, State: Running},
			calls: []call{
				{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplStops, 1), "", 0},
				{"service zrepl onestart", "", "zrepl already running?  (pid=4242).\n", 1},
				{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplRuns, 0), "", 0},
			},
		},
		{
			name: "start fails and it still does not run",
			want: Desired{Name: "zrepl", Enabled: true, State: Running},
			calls: []call{
				{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplStops, 1), "", 0},
				{"service zrepl onestart", "", "/usr/local/etc/rc.d/zrepl: WARNING: failed to start zrepl\n", 1},
				{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplStops, 1), "", 0},
			},
			err: "failed to start zrepl",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := newScripted(t, tt.calls...)
			s, err := Apply(context.Background(), target, tt.want)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Enabled != tt.want.Enabled || tt.want.State != "" && s.State() != tt.want.State {
				t.Errorf("got %+v for %+v", s, tt.want)
			}
		})
	}
}

func TestApplyLinux(t *testing.T) {
	target := newScripted(t,
		call{stunnelRead, systemdOutput("disabled", 1, "inactive", 3), "", 0},
		call{"systemctl enable stunnel.service", "", "Created symlink /etc/systemd/system/multi-user.target.wants/stunnel.service → /usr/lib/systemd/system/stunnel.service.\n", 0},
		call{"systemctl start stunnel.service", "", "", 0},
		call{stunnelRead, systemdOutput("enabled", 0, "active", 0), "", 0})
	target.HostInfo = rockyInfo
	s, err := Apply(context.Background(), target, Desired{Name: "stunnel", Enabled: true, State: Running})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Enabled || !s.Running || s.Unit != "stunnel.service" {
		t.Errorf("got %+v", s)
	}

	target = newScripted(t,
		call{stunnelRead, systemdOutput("static", 0, "active", 0), "", 0},
		call{"systemctl disable stunnel.service", "", "", 0},
		call{stunnelRead, systemdOutput("static", 0, "active", 0), "", 0})
	target.HostInfo = rockyInfo
	_, err = Apply(context.Background(), target, Desired{Name: "stunnel", Enabled: false})
	if err == nil || !strings.Contains(err.Error(), "systemctl is-enabled stunnel.service: static") {
		t.Errorf("disabling a static unit: %v", err)
	}
}

func TestRemove(t *testing.T) {
	t.Run("freebsd", func(t *testing.T) {
		target := newScripted(t,
			call{zreplRead, rcdOutput(zreplRCVar, 0, 0, zreplRuns, 0), "", 0},
			call{"service zrepl onestop", "Stopping zrepl.\n", "", 0},
			call{"sysrc -f /etc/rc.conf -v -- zrepl_enable", "/etc/rc.conf: zrepl_enable: YES\n", "", 0},
			call{"sysrc -f /etc/rc.conf -x -- zrepl_enable", "", "", 0})
		if err := Remove(context.Background(), target, "zrepl"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("linux", func(t *testing.T) {
		target := newScripted(t,
			call{stunnelRead, systemdOutput("enabled", 0, "active", 0), "", 0},
			call{"systemctl stop stunnel.service", "", "", 0},
			call{"systemctl disable stunnel.service", "", "Removed \"/etc/systemd/system/multi-user.target.wants/stunnel.service\".\n", 0})
		target.HostInfo = rockyInfo
		if err := Remove(context.Background(), target, "stunnel"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("gone", func(t *testing.T) {
		target := newScripted(t, call{zreplRead, rcdOutput(notExist, 1, 1, notExist, 1), "", 0})
		if err := Remove(context.Background(), target, "zrepl"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCheckOS(t *testing.T) {
	for _, info := range []host.Info{{OS: "FreeBSD"}, rockyInfo} {
		if err := CheckOS(info); err != nil {
			t.Errorf("%s: %v", info.OS, err)
		}
	}
	if err := CheckOS(host.Info{OS: "Darwin"}); err == nil {
		t.Error("Darwin accepted")
	}
}
