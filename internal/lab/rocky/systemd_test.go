package rocky

import (
	"strings"
	"testing"
	"time"
)

func TestSystemctlErrors(t *testing.T) {
	h, _ := newHost(t, "r0")
	mustRun(t, h, "root", "printf '[Unit]\\nDescription=No reload\\n[Service]\\nType=oneshot\\nRemainAfterExit=yes\\nExecStart=/usr/bin/true\\n' > /etc/systemd/system/noreload.service")
	tests := []struct {
		user, script string
		want         result
	}{
		// systemd 252: a missing unit is "inactive", exit 3 (reference §13.1, systemd#25680)
		{"", "systemctl is-active nonexistent", result{out: "inactive\n", code: 3}},
		{"", "systemctl is-active -q nonexistent sshd", result{}},
		{"", "systemctl is-active sshd nonexistent", result{out: "active\ninactive\n"}},
		{"", "systemctl is-enabled nonexistent", result{err: "Failed to get unit file state for nonexistent.service: No such file or directory\n", code: 1}},
		{"", "systemctl is-enabled sshd noreload systemd-journald", result{out: "enabled\nstatic\nstatic\n"}},
		{"", "systemctl is-enabled dbus", result{out: "alias\n"}},
		{"", "systemctl status nonexistent", result{err: "Unit nonexistent.service could not be found.\n", code: 4}},
		{"root", "systemctl start nonexistent", result{err: "Failed to start nonexistent.service: Unit nonexistent.service not found.\n", code: 5}},
		{"root", "systemctl stop nonexistent", result{err: "Failed to stop nonexistent.service: Unit nonexistent.service not loaded.\n", code: 5}},
		{"root", "systemctl enable nonexistent", result{err: "Failed to enable unit: Unit file nonexistent.service does not exist.\n", code: 1}},
		{"root", "systemctl disable nonexistent", result{err: "Failed to disable unit: Unit file nonexistent.service does not exist.\n", code: 1}},
		{"", "systemctl start sshd", result{err: "Failed to start sshd.service: Interactive authentication required.\nSee system logs and 'systemctl status sshd.service' for details.\n", code: 1}},
		{"", "systemctl enable sshd", result{err: "Failed to enable unit: Interactive authentication required.\n", code: 1}},
		{"", "systemctl daemon-reload", result{err: "Failed to reload daemon: Interactive authentication required.\n", code: 1}},
		{"root", "systemctl reload noreload", result{err: "Failed to reload noreload.service: Job type reload is not applicable for unit noreload.service.\n", code: 3}},
		{"root", "systemctl stop crond && systemctl reload crond", result{err: "crond.service is not active, cannot reload.\n", code: 1}},
		{"root", "systemctl start network.target", result{err: "Failed to start network.target: Operation refused, unit network.target may be requested by dependency only (it is configured to refuse manual start/stop).\nSee system logs and 'systemctl status network.target' for details.\n", code: 4}},
		{"", "systemctl frobnicate", result{err: "Unknown command verb frobnicate.\n", code: 1}},
		{"root", "systemctl is-active", result{err: "Too few arguments.\n", code: 1}},
	}
	for _, tt := range tests {
		expect(t, h, tt.user, tt.script, tt.want)
	}
}

func TestEnableDisableMask(t *testing.T) {
	h, _ := newHost(t, "r0")
	mustRun(t, h, "root", "dnf install -y -q stunnel")
	expect(t, h, "", "systemctl is-enabled stunnel", result{out: "disabled\n", code: 1})
	expect(t, h, "root", "systemctl enable stunnel", result{err: "Created symlink /etc/systemd/system/multi-user.target.wants/stunnel.service → /usr/lib/systemd/system/stunnel.service.\n"})
	expect(t, h, "root", "systemctl enable stunnel", result{})
	expect(t, h, "root", "LANG=C systemctl disable stunnel", result{err: "Removed \"/etc/systemd/system/multi-user.target.wants/stunnel.service\".\n"})
	expect(t, h, "root", "LANG=C systemctl enable stunnel", result{err: "Created symlink /etc/systemd/system/multi-user.target.wants/stunnel.service -> /usr/lib/systemd/system/stunnel.service.\n"})
	expect(t, h, "root", "systemctl mask stunnel", result{err: "Created symlink /etc/systemd/system/stunnel.service → /dev/null.\n"})
	expect(t, h, "", "systemctl is-enabled stunnel", result{out: "masked\n", code: 1})
	expect(t, h, "root", "systemctl start stunnel", result{err: "Failed to start stunnel.service: Unit stunnel.service is masked.\n", code: 1})
	expect(t, h, "root", "systemctl unmask stunnel", result{err: "Removed \"/etc/systemd/system/stunnel.service\".\n"})
	expect(t, h, "", "systemctl is-enabled stunnel", result{out: "enabled\n"})
	expect(t, h, "root", "systemctl enable stunnel@nfs", result{err: "Created symlink /etc/systemd/system/multi-user.target.wants/stunnel@nfs.service → /usr/lib/systemd/system/stunnel@.service.\n"})
	expect(t, h, "", "systemctl is-enabled stunnel@nfs stunnel@.service", result{out: "enabled\nindirect\n"})
	mustRun(t, h, "root", "printf '[Unit]\\nDescription=Static\\n[Service]\\nType=oneshot\\nExecStart=/usr/bin/true\\n' > /etc/systemd/system/static.service")
	r := run(t, h, "root", "systemctl enable static")
	if r.code != 0 || r.out != "" || !strings.HasPrefix(r.err, "The unit files have no installation config (WantedBy=, RequiredBy=, Also=,\n") || !strings.Contains(r.err, "\n• A unit may be statically enabled") {
		t.Errorf("enable of a static unit: %+v", r)
	}
}

func TestOneshotFailureAndStatus(t *testing.T) {
	h, c := newHost(t, "r0")
	mustRun(t, h, "root", "printf '[Unit]\\nDescription=Failing job\\n[Service]\\nType=oneshot\\nExecStart=/usr/bin/sh -c \"echo going down; exit 1\"\\n' > /etc/systemd/system/fail.service")
	expect(t, h, "root", "systemctl start fail", result{
		err:  "Job for fail.service failed because the control process exited with error code.\nSee \"systemctl status fail.service\" and \"journalctl -xeu fail.service\" for details.\n",
		code: 1})
	expect(t, h, "", "systemctl is-active fail", result{out: "failed\n", code: 3})
	expect(t, h, "", "systemctl is-failed fail", result{out: "failed\n"})
	c.advance(5 * time.Second)
	st := run(t, h, "root", "systemctl status fail.service")
	if st.code != 3 {
		t.Errorf("status exit = %d, want 3", st.code)
	}
	lines := strings.Split(st.out, "\n")
	want := []string{
		"× fail.service - Failing job",
		"     Loaded: loaded (/etc/systemd/system/fail.service; static)",
		"     Active: failed (Result: exit-code) since Sun 2025-07-06 10:00:00 UTC; 5s ago",
	}
	for i, w := range want {
		if i >= len(lines) || lines[i] != w {
			t.Fatalf("status line %d:\n%s", i, st.out)
		}
	}
	if !strings.Contains(st.out, "ExecStart=/usr/bin/sh -c echo going down; exit 1 (code=exited, status=1/FAILURE)\n") ||
		!strings.Contains(st.out, " sh[") || !strings.Contains(st.out, ": going down\n") ||
		!strings.Contains(st.out, "r0 systemd[1]: fail.service: Main process exited, code=exited, status=1/FAILURE\n") ||
		!strings.Contains(st.out, "r0 systemd[1]: Failed to start Failing job.\n") {
		t.Errorf("status:\n%s", st.out)
	}
	expect(t, h, "root", "systemctl reset-failed fail && systemctl is-active fail", result{out: "inactive\n", code: 3})
	// a missing program fails with systemd's EXIT_EXEC
	mustRun(t, h, "root", "printf '[Service]\\nType=oneshot\\nExecStart=/usr/local/bin/missing\\n' > /etc/systemd/system/nobin.service")
	run(t, h, "root", "systemctl start nobin")
	expect(t, h, "", "systemctl show -p Result,ExecMainStatus nobin", result{out: "Result=exit-code\nExecMainStatus=203\n"})
}

func TestDaemonReload(t *testing.T) {
	h, _ := newHost(t, "r0")
	mustRun(t, h, "root", "printf '[Unit]\\nDescription=Demo v1\\n[Service]\\nType=oneshot\\nRemainAfterExit=yes\\nExecStart=/usr/bin/true\\n' > /etc/systemd/system/demo.service")
	expect(t, h, "root", "systemctl start demo", result{})
	mustRun(t, h, "root", "printf '[Unit]\\nDescription=Demo v2\\n[Service]\\nType=oneshot\\nRemainAfterExit=yes\\nExecStart=/usr/bin/true\\n' > /etc/systemd/system/demo.service")
	warn := "Warning: The unit file, source configuration file or drop-ins of demo.service changed on disk. Run 'systemctl daemon-reload' to reload units.\n"
	expect(t, h, "root", "systemctl restart demo", result{err: warn})
	expect(t, h, "", "systemctl show -p Description,NeedDaemonReload demo", result{out: "Description=Demo v1\nNeedDaemonReload=yes\n"})
	st := run(t, h, "", "systemctl status demo")
	if st.err != warn || !strings.HasPrefix(st.out, "● demo.service - Demo v1\n") {
		t.Errorf("status before reload: %+v", st)
	}
	expect(t, h, "root", "systemctl daemon-reload", result{})
	expect(t, h, "root", "systemctl restart demo", result{})
	expect(t, h, "", "systemctl show -p Description,NeedDaemonReload demo", result{out: "Description=Demo v2\nNeedDaemonReload=no\n"})
	// a drop-in counts as a change too, and is shown once loaded
	mustRun(t, h, "root", "mkdir -p /etc/systemd/system/demo.service.d && printf '[Unit]\\nDescription=Demo v3\\n' > /etc/systemd/system/demo.service.d/override.conf")
	expect(t, h, "", "systemctl show -p NeedDaemonReload demo", result{out: "NeedDaemonReload=yes\n"})
	mustRun(t, h, "root", "systemctl daemon-reload")
	expect(t, h, "", "systemctl cat demo", result{out: "# /etc/systemd/system/demo.service\n[Unit]\nDescription=Demo v2\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/true\n\n# /etc/systemd/system/demo.service.d/override.conf\n[Unit]\nDescription=Demo v3\n"})
}

const monitorScript = `#!/bin/bash
# a monitor in the article's shape, without timeout(1)
MOUNT_POINT="/data/nfs/k3svolumes"
if stat "$MOUNT_POINT" >/dev/null 2>&1; then
 echo "healthy" | systemd-cat -t nfs-monitor -p info
 echo run >> /var/tmp/monitor.runs
 exit 0
fi
echo "NFS mount unhealthy" | systemd-cat -t nfs-monitor -p warning
exit 1
`

func TestTimerDrivesOneshot(t *testing.T) {
	h, c := newHost(t, "r0")
	mustRun(t, h, "root", "mkdir -p /data/nfs/k3svolumes /usr/local/bin")
	mustRun(t, h, "root", "cat > /usr/local/bin/check-nfs-mount.sh <<'EOF'\n"+monitorScript+"EOF\nchmod +x /usr/local/bin/check-nfs-mount.sh")
	mustRun(t, h, "root", "cat > /etc/systemd/system/nfs-mount-monitor.service <<'EOF'\n"+articleService+"EOF")
	mustRun(t, h, "root", "cat > /etc/systemd/system/nfs-mount-monitor.timer <<'EOF'\n"+articleTimer+"EOF")
	runs := func() int {
		r := run(t, h, "root", "cat /var/tmp/monitor.runs 2>/dev/null | wc -l")
		n := 0
		for _, c := range strings.TrimSpace(r.out) {
			n = n*10 + int(c-'0')
		}
		return n
	}
	expect(t, h, "root", "systemctl daemon-reload", result{})
	expect(t, h, "root", "systemctl enable nfs-mount-monitor.timer", result{err: "Created symlink /etc/systemd/system/timers.target.wants/nfs-mount-monitor.timer → /etc/systemd/system/nfs-mount-monitor.timer.\n"})
	expect(t, h, "", "systemctl is-active nfs-mount-monitor.timer", result{out: "inactive\n", code: 3})
	// Requires= pulls the service in: it runs once when the timer starts
	expect(t, h, "root", "systemctl start nfs-mount-monitor.timer", result{})
	if n := runs(); n != 1 {
		t.Fatalf("runs after start = %d, want 1", n)
	}
	expect(t, h, "", "systemctl is-active nfs-mount-monitor.timer nfs-mount-monitor.service", result{out: "active\ninactive\n"})
	// the boot elapse (boot was 2 minutes ago) is overdue: it fires at once
	if err := FireTimers(h, c.now); err != nil {
		t.Fatal(err)
	}
	if n := runs(); n != 2 {
		t.Fatalf("runs after the boot elapse = %d, want 2", n)
	}
	st := run(t, h, "root", "systemctl status nfs-mount-monitor.timer")
	wantStatus := "● nfs-mount-monitor.timer - Run NFS Mount Health Monitor every 10 seconds\n" +
		"     Loaded: loaded (/etc/systemd/system/nfs-mount-monitor.timer; enabled; preset: disabled)\n" +
		"     Active: active (waiting) since Sun 2025-07-06 10:00:00 UTC; now\n" +
		"    Trigger: Sun 2025-07-06 10:00:10 UTC; 10s left\n" +
		"   Triggers: ● nfs-mount-monitor.service\n"
	if !strings.HasPrefix(st.out, wantStatus) || st.code != 0 {
		t.Errorf("timer status:\n%s\nwant prefix:\n%s", st.out, wantStatus)
	}
	c.advance(5 * time.Second)
	if err := FireTimers(h, c.now); err != nil {
		t.Fatal(err)
	}
	if n := runs(); n != 2 {
		t.Errorf("runs 5s later = %d, want 2 (not due)", n)
	}
	c.advance(5 * time.Second)
	if err := FireTimers(h, c.now); err != nil {
		t.Fatal(err)
	}
	if n := runs(); n != 3 {
		t.Errorf("runs 10s later = %d, want 3", n)
	}
	j := run(t, h, "root", "journalctl -u nfs-mount-monitor --no-pager -n 3")
	wantJ := "Jul 06 10:00:10 r0 systemd[1]: nfs-mount-monitor.service: Deactivated successfully.\nJul 06 10:00:10 r0 systemd[1]: Finished NFS Mount Health Monitor.\n"
	if !strings.HasSuffix(j.out, wantJ) || !strings.Contains(j.out, "nfs-monitor[") {
		t.Errorf("journal:\n%s", j.out)
	}
	svc := run(t, h, "root", "systemctl status nfs-mount-monitor.service")
	if svc.code != 3 || !strings.Contains(svc.out, "TriggeredBy: ● nfs-mount-monitor.timer\n") || !strings.HasPrefix(svc.out, "○ nfs-mount-monitor.service - NFS Mount Health Monitor\n") {
		t.Errorf("service status:\n%s", svc.out)
	}
	// the mount point vanishes: the run fails, the timer keeps going
	mustRun(t, h, "root", "rmdir /data/nfs/k3svolumes")
	c.advance(10 * time.Second)
	if err := FireTimers(h, c.now); err != nil {
		t.Fatal(err)
	}
	expect(t, h, "", "systemctl is-active nfs-mount-monitor.service nfs-mount-monitor.timer", result{out: "failed\nactive\n"})
	expect(t, h, "root", "systemctl stop nfs-mount-monitor.service", result{err: "Warning: Stopping nfs-mount-monitor.service, but it can still be activated by:\n  nfs-mount-monitor.timer\n"})
	expect(t, h, "root", "systemctl list-timers", result{out: "NEXT                        LEFT     LAST                        PASSED UNIT                    ACTIVATES\n" +
		"Sun 2025-07-06 10:00:30 UTC 10s left Sun 2025-07-06 10:00:20 UTC now    nfs-mount-monitor.timer nfs-mount-monitor.service\n\n1 timers listed.\nPass --all to see loaded but inactive timers, too.\n"})
}

func TestStunnelConfigOnStart(t *testing.T) {
	h, _ := newHost(t, "r0")
	mustRun(t, h, "root", "dnf install -y -q stunnel")
	mustRun(t, h, "root", "printf 'client = yes\\nverify = 2\\nfoo = bar\\n' > /etc/stunnel/stunnel.conf")
	expect(t, h, "root", "systemctl start stunnel", result{
		err:  "Job for stunnel.service failed because the control process exited with error code.\nSee \"systemctl status stunnel.service\" and \"journalctl -xeu stunnel.service\" for details.\n",
		code: 1})
	j := run(t, h, "root", "journalctl -u stunnel")
	if !strings.Contains(j.out, ` stunnel[`) || !strings.Contains(j.out, `[!] /etc/stunnel/stunnel.conf:3: "foo = bar": Specified option name is not valid here`) {
		t.Errorf("journal:\n%s", j.out)
	}
	r := run(t, h, "root", "stunnel")
	if r.code != 1 || !strings.HasSuffix(r.err, "[.] Reading configuration from file /etc/stunnel/stunnel.conf\n[.] UTF-8 byte order mark not detected\n[!] /etc/stunnel/stunnel.conf:3: \"foo = bar\": Specified option name is not valid here\n[!] Configuration failed\n") {
		t.Errorf("stunnel: %+v", r)
	}
	r = run(t, h, "", "stunnel -version")
	if r.code != 0 || !strings.HasPrefix(r.err, "stunnel 5.62 on x86_64-redhat-linux-gnu platform\n") {
		t.Errorf("stunnel -version: %+v", r)
	}
	mustRun(t, h, "root", "rm /etc/stunnel/stunnel.conf")
	r = run(t, h, "root", "stunnel")
	if r.code != 1 || !strings.Contains(r.err, "[!] Cannot open configuration file\n") {
		t.Errorf("stunnel without a configuration: %+v", r)
	}
}
