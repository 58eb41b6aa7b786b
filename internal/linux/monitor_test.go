package linux

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestEscapePath(t *testing.T) {
	for in, want := range map[string]string{
		"/data/nfs/k3svolumes": "data-nfs-k3svolumes",
		"/mnt/a-b":             `mnt-a\x2db`,
		"/mnt/.x":              `mnt-.x`,
		"/.x":                  `\x2ex`,
		"/":                    "-",
		"/a@b+c":               `a\x40b\x2bc`,
	} {
		if got := EscapePath(in); got != want {
			t.Errorf("EscapePath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMonitorScriptShellcheck: the generated script passes shellcheck -s sh.
func TestMonitorScriptShellcheck(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck not installed")
	}
	for _, mp := range []string{"/data/nfs/k3svolumes", "/mnt/it's here-1"} {
		m := Monitor{MountPoint: mp, Interval: DefaultMonitorInterval}
		p := filepath.Join(t.TempDir(), "monitor.sh")
		if err := os.WriteFile(p, []byte(m.RenderScript()), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(sc, "-s", "sh", p).CombinedOutput(); err != nil {
			t.Errorf("shellcheck -s sh (%s): %v\n%s\n%s", mp, err, out, m.RenderScript())
		}
	}
}

func TestMonitorUnits(t *testing.T) {
	m := Monitor{MountPoint: "/data/nfs/k3svolumes", Interval: 10 * time.Second}
	if m.Timer() != "f3s-nfs-monitor-data-nfs-k3svolumes.timer" || m.Script() != "/usr/local/sbin/f3s-nfs-monitor-data-nfs-k3svolumes" {
		t.Errorf("names: %s %s", m.Timer(), m.Script())
	}
	want := "[Unit]\nDescription=Check /data/nfs/k3svolumes for a stale NFS mount every 10s\n\n[Timer]\nOnBootSec=30s\nOnUnitActiveSec=10s\nAccuracySec=1s\n\n[Install]\nWantedBy=timers.target\n"
	if got := m.RenderTimer(); got != want {
		t.Errorf("timer:\n%s", got)
	}
	for _, d := range []time.Duration{0, 500 * time.Millisecond, 2 * time.Hour, 1500 * time.Millisecond} {
		if ValidateInterval(d) == nil {
			t.Errorf("%s accepted", d)
		}
	}
}
