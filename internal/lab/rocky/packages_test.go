package rocky

import (
	"strings"
	"testing"
)

const metadataLine = "Last metadata expiration check: 0:12:34 ago on Sun Jul  6 09:47:26 2025.\n"

func TestDnfAndRpmErrors(t *testing.T) {
	h, _ := newHost(t, "r0")
	tests := []struct {
		user, script string
		want         result
	}{
		{"", "dnf install -y stunnel", result{err: "Error: This command has to be run with superuser privileges (under the root user on most systems).\n", code: 1}},
		{"", "dnf remove -y stunnel", result{err: "Error: This command has to be run with superuser privileges (under the root user on most systems).\n", code: 1}},
		{"", "sudo -n dnf install -y foo", result{out: metadataLine + "No match for argument: foo\n", err: "Error: Unable to find a match: foo\n", code: 1}},
		{"root", "dnf install -y foo stunnel bar", result{out: metadataLine + "No match for argument: foo\nNo match for argument: bar\n", err: "Error: Unable to find a match: foo bar\n", code: 1}},
		{"root", "dnf install stunnel </dev/null", result{out: "", err: "Error: Operation aborted.\n", code: 1}},
		{"root", "dnf remove -y stunnel", result{out: "No match for argument: stunnel\nDependencies resolved.\nNothing to do.\nComplete!\n", err: "No packages marked for removal.\n"}},
		{"root", "dnf remove -y systemd", result{err: "Error: \n Problem: The operation would result in removing the following protected packages: systemd\n", code: 1}},
		{"", "rpm -q foo", result{out: "package foo is not installed\n", code: 1}},
		{"", "rpm -q bash foo bar", result{out: "bash-5.1.8-9.el9.x86_64\npackage foo is not installed\npackage bar is not installed\n", code: 2}},
		// --quiet: the NOTICE lines (results and "not installed") are hidden, the status stays
		{"", "rpm -q --quiet foo", result{code: 1}},
		{"", "rpm -q --quiet bash foo bar", result{code: 2}},
		{"", "rpm --quiet -q bash", result{}},
		{"", "rpm -qf --quiet /etc/hostname", result{code: 1}},
		{"", "rpm -q --quiet", result{err: "rpm: no arguments given for query\n", code: 1}},
		{"", "rpm -q", result{err: "rpm: no arguments given for query\n", code: 1}},
		{"", "rpm -q --qf '%{BOGUS}' bash", result{err: "error: incorrect format: unknown tag: \"BOGUS\"\n", code: 1}},
		{"", "rpm -qf /usr/bin/systemctl", result{out: "systemd-252-51.el9.x86_64\n"}},
		{"", "rpm -qf /etc/hostname", result{out: "file /etc/hostname is not owned by any package\n", code: 1}},
		{"", "rpm -ql coreutils", result{out: "(contains no files)\n"}},
		{"", "dnf list installed foo", result{err: "Error: No matching Packages to list\n", code: 1}},
	}
	for _, tt := range tests {
		got := run(t, h, tt.user, tt.script)
		if tt.script == "dnf install stunnel </dev/null" {
			// the table and prompt precede the refusal
			if got.code != 1 || got.err != tt.want.err || !strings.HasSuffix(got.out, "Is this ok [y/N]: \n") {
				t.Errorf("%s: %+v", tt.script, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("%s\n got: %+v\nwant: %+v", tt.script, got, tt.want)
		}
	}
}

func TestDnfInstallTranscript(t *testing.T) {
	h, _ := newHost(t, "r0")
	want := metadataLine +
		"Dependencies resolved.\n" +
		"================================================================================\n" +
		" Package          Architecture    Version              Repository          Size\n" +
		"================================================================================\n" +
		"Installing:\n" +
		" stunnel          x86_64          5.62-3.el9           appstream          190 k\n" +
		"\n" +
		"Transaction Summary\n" +
		"================================================================================\n" +
		"Install  1 Package\n" +
		"\n" +
		"Total download size: 190 k\n" +
		"Installed size: 488 k\n" +
		"Downloading Packages:\n" +
		"--------------------------------------------------------------------------------\n" +
		"Total                                           190 kB/s | 190 kB     00:01     \n" +
		"Running transaction check\n" +
		"Transaction check succeeded.\n" +
		"Running transaction test\n" +
		"Transaction test succeeded.\n" +
		"Running transaction\n" +
		"  Preparing        :                                                        1/1 \n" +
		"  Installing       : stunnel-5.62-3.el9.x86_64                              1/1 \n" +
		"  Running scriptlet: stunnel-5.62-3.el9.x86_64                              1/1 \n" +
		"  Verifying        : stunnel-5.62-3.el9.x86_64                              1/1 \n" +
		"\n" +
		"Installed:\n" +
		"  stunnel-5.62-3.el9.x86_64                                                     \n" +
		"\n" +
		"Complete!\n"
	expect(t, h, "root", "dnf install -y stunnel", result{out: want})
	expect(t, h, "", "ls -l /usr/bin/stunnel | cut -c1-10", result{out: "-rwxr-xr-x\n"})
	expect(t, h, "", "dnf list installed stunnel", result{out: "Installed Packages\nstunnel.x86_64                       5.62-3.el9                       @appstream\n"})
	expect(t, h, "", "rpm -ql stunnel | grep systemd", result{out: "/usr/lib/systemd/system/stunnel.service\n/usr/lib/systemd/system/stunnel@.service\n"})
	expect(t, h, "", "cat /usr/lib/systemd/system/stunnel.service", result{out: stunnelUnit})
}

func TestDnfRemove(t *testing.T) {
	h, _ := newHost(t, "r0")
	mustRun(t, h, "root", "dnf install -y -q stunnel nfs-utils")
	mustRun(t, h, "root", "printf 'client = yes\\n[x]\\naccept = 1\\nconnect = 2\\n' > /etc/stunnel/stunnel.conf && systemctl enable --now -q stunnel")
	r := run(t, h, "root", "dnf remove -y stunnel")
	if r.code != 0 || !strings.Contains(r.out, "Removing:\n stunnel ") || !strings.Contains(r.out, "@appstream") ||
		!strings.Contains(r.out, "Remove  1 Package\n\nFreed space: 488 k\n") ||
		!strings.Contains(r.out, "  Running scriptlet: stunnel-5.62-3.el9.x86_64                              1/1 \nRemoved \"/etc/systemd/system/multi-user.target.wants/stunnel.service\".\n\n  Erasing          : stunnel-5.62-3.el9.x86_64") ||
		!strings.HasSuffix(r.out, "\nRemoved:\n  stunnel-5.62-3.el9.x86_64                                                     \n\nComplete!\n") {
		t.Errorf("remove:\n%s\nstderr:\n%s", r.out, r.err)
	}
	expect(t, h, "", "systemctl is-active stunnel", result{out: "inactive\n", code: 3})
	expect(t, h, "", "systemctl is-enabled stunnel", result{err: "Failed to get unit file state for stunnel.service: No such file or directory\n", code: 1})
	expect(t, h, "", "stunnel", result{err: "/bin/sh: line 1: stunnel: command not found\n", code: 127})
	// removing a dependency takes its dependents, then their unused dependencies
	r = run(t, h, "root", "dnf remove -y libev")
	if r.code != 0 || !strings.Contains(r.out, "Removing:\n libev ") || !strings.Contains(r.out, "Removing dependent packages:\n gssproxy ") ||
		!strings.Contains(r.out, "Removing unused dependencies:\n keyutils ") || !strings.Contains(r.out, "Remove  11 Packages\n") {
		t.Errorf("remove libev:\n%s\nstderr:\n%s", r.out, r.err)
	}
	expect(t, h, "", "rpm -q nfs-utils rpcbind; test -e /usr/sbin/mount.nfs4 || echo gone", result{out: "package nfs-utils is not installed\npackage rpcbind is not installed\ngone\n"})
}

func TestJournalAndSystemdCat(t *testing.T) {
	h, _ := newHost(t, "r0")
	mustRun(t, h, "root", "echo 'hello journal' | systemd-cat -t nfs-monitor -p warning")
	expect(t, h, "root", "journalctl -t nfs-monitor", result{out: "Jul 06 10:00:00 r0 nfs-monitor: hello journal\n"})
	expect(t, h, "root", "journalctl -t nfs-monitor -p err", result{out: "-- No entries --\n"})
	expect(t, h, "root", "journalctl -u sshd -n 1", result{out: "Jul 06 09:58:06 r0 systemd[1]: Started OpenSSH server daemon.\n"})
	expect(t, h, "", "journalctl -u sshd", result{err: "No journal files were opened due to insufficient permissions.\n", code: 1})
	expect(t, h, "root", "tail -1 /var/log/messages", result{out: "Jul  6 10:00:00 r0 nfs-monitor: hello journal\n"})
}
