package unix

import (
	"strconv"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestFreshImage checks owner, group, mode and type of what a fresh host
// has, as stat shows them on the real systems.
func TestFreshImage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		os     sim.OS
		name   string
		format string
		want   map[string]string
	}{
		{sim.FreeBSD, "f1", "%Sp %Su %Sg", map[string]string{
			"/etc/passwd":              "-rw-r--r-- root wheel",
			"/etc/master.passwd":       "-rw------- root wheel",
			"/etc/group":               "-rw-r--r-- root wheel",
			"/etc/rc.conf":             "-rw-r--r-- root wheel",
			"/etc/defaults/rc.conf":    "-r--r--r-- root wheel",
			"/etc/fstab":               "-rw-r--r-- root wheel",
			"/etc/hosts":               "-rw-r--r-- root wheel",
			"/etc/crontab":             "-rw-r--r-- root wheel",
			"/usr/local/etc/doas.conf": "-rw-r--r-- root wheel",
			"/usr/local/bin/doas":      "-rwsr-xr-x root wheel",
			"/bin/sh":                  "-r-xr-xr-x root wheel",
			"/sbin/sha256":             "-r-xr-xr-x root wheel",
			"/usr/sbin/chown":          "-r-xr-xr-x root wheel",
			"/home/paul":               "drwxr-xr-x paul paul",
			"/root":                    "drwxr-x--- root wheel",
			"/tmp":                     "drwxrwxrwt root wheel",
			"/var/log/messages":        "-rw-r--r-- root wheel",
			"/etc/os-release":          "lrwxr-xr-x root wheel",
		}},
		{sim.Rocky, "r1", "%A %U %G", map[string]string{
			"/etc/passwd":         "-rw-r--r-- root root",
			"/etc/shadow":         "---------- root root",
			"/etc/hostname":       "-rw-r--r-- root root",
			"/etc/sudoers":        "-r--r----- root root",
			"/etc/sudoers.d":      "drwxr-x--- root root",
			"/etc/sudoers.d/paul": "-r--r----- root root",
			"/usr/bin/sudo":       "---s--x--x root root",
			"/usr/bin/cat":        "-rwxr-xr-x root root",
			"/home/paul":          "drwx------ paul paul",
			"/root":               "dr-xr-x--- root root",
			"/tmp":                "drwxrwxrwt root root",
			"/var/log/messages":   "-rw------- root root",
		}},
	}
	for _, tc := range tests {
		h := newHost(t, tc.os, tc.name)
		flag := "-f"
		if tc.os == sim.Rocky {
			flag = "-c"
		}
		for p, want := range tc.want {
			got := run(t, h, "root", "stat "+flag+" '"+tc.format+"' "+p)
			check(t, string(tc.os)+" "+p, got, result{out: want + "\n"})
		}
	}
}

func TestFreshConfiguration(t *testing.T) {
	t.Parallel()
	f2 := newHost(t, sim.FreeBSD, "f2")
	rcConf := freebsdFiles("f2")
	size := 0
	for _, e := range rcConf {
		if e.path == "/etc/rc.conf" {
			size = len(e.content)
		}
	}
	check(t, "rc.conf stat", run(t, f2, "", "stat -f '%Lp %Su %Sg %z %HT' /etc/rc.conf"),
		result{out: "644 root wheel " + strconv.Itoa(size) + " Regular File\n"})
	check(t, "rc.conf addresses", run(t, f2, "", "grep -E '^(hostname|ifconfig_re0|ifconfig_wg0)=' /etc/rc.conf"),
		result{out: "hostname=\"f2.lan\"\nifconfig_re0=\"inet 192.168.1.132 netmask 255.255.255.0\"\nifconfig_wg0=\"inet 192.168.2.132 netmask 255.255.255.0\"\n"})
	check(t, "defaults parse as sh", run(t, f2, "", "sh -n /etc/defaults/rc.conf && . /etc/defaults/rc.conf && echo $mountd_flags $nfs_server_flags $nfsv4_server_only $zfs_enable"),
		result{out: "-r -S -u -t NO NO\n"})
	check(t, "zfskeys is not a default", run(t, f2, "", "grep -c zfskeys /etc/defaults/rc.conf"),
		result{out: "0\n", code: 1})
	check(t, "fstab", run(t, f2, "", "awk '$3 == \"msdosfs\" || $3 == \"swap\" {print $1, $2}' /etc/fstab"),
		result{out: "/dev/gpt/efiboot0 /boot/efi\n/dev/ada0p3 none\n"})
	check(t, "os-release", run(t, f2, "", ". /etc/os-release && echo $NAME $VERSION_ID"),
		result{out: "FreeBSD 14.2\n"})

	r0 := newHost(t, sim.Rocky, "r0")
	check(t, "rocky hostname file", run(t, r0, "", "cat /etc/hostname"), result{out: "r0.lan\n"})
	check(t, "redhat-release", run(t, r0, "", "cat /etc/redhat-release"), result{out: "Rocky Linux release 9.4 (Blue Onyx)\n"})
	check(t, "fstab root", run(t, r0, "", "grep -E '^/dev/mapper/rl-root' /etc/fstab | awk '{print $2, $3}'"),
		result{out: "/ xfs\n"})
	check(t, "bin is usr/bin", run(t, r0, "", "readlink /bin; /bin/cat /etc/hostname"), result{out: "usr/bin\nr0.lan\n"})
	if got := run(t, r0, "", "ls /usr/bin | wc -l"); got.code != 0 || strings.TrimSpace(got.out) == "0" {
		t.Errorf("no programs in /usr/bin: %+v", got)
	}
}

func TestPrivilege(t *testing.T) {
	t.Parallel()
	h := newHost(t, sim.FreeBSD, "f0")
	check(t, "bob is not in wheel", run(t, h, "root", "echo 'bob:*:1002:1002::0:0:Bob:/home/bob:/bin/sh' >> /etc/master.passwd && echo 'bob:*:1002:1002:Bob:/home/bob:/bin/sh' >> /etc/passwd && echo 'bob:*:1002:' >> /etc/group"),
		result{})
	check(t, "doas denied", run(t, h, "bob", "doas id"), result{err: "doas: Operation not permitted\n", code: 1})
	check(t, "doas denial logged", run(t, h, "root", "tail -n 1 /var/log/messages"),
		result{out: "Jul  1 19:31:48 f0 doas: failed command for bob: id\n"})
	check(t, "doas -u", run(t, h, "", "doas -u bob id -un"), result{out: "bob\n"})
	check(t, "doas -u unknown", run(t, h, "", "doas -u nobody2 id"), result{err: "doas: unknown user\n", code: 1})
	check(t, "doas usage", run(t, h, "", "doas"), result{err: "usage: doas [-nSs] [-a style] [-C config] [-u user] command [args]\n", code: 1})
	check(t, "doas not found", run(t, h, "", "doas nosuch"), result{err: "doas: nosuch: command not found\n", code: 1})
	check(t, "doas -C", run(t, h, "", "doas -C /usr/local/etc/doas.conf zfs list"), result{out: "permit nopass\n"})
	check(t, "doas passes stdin and exit code", runIn(t, h, "", "doas sh -c 'cat > /root/x; exit 3'; echo $?; doas cat /root/x", "secret\n"),
		result{out: "3\nsecret\n"})
	check(t, "doas needs a password", run(t, h, "root", "echo 'permit :wheel' > /usr/local/etc/doas.conf"), result{})
	check(t, "doas -n", run(t, h, "", "doas -n true"), result{err: "doas: Authorization required\n", code: 1})
	check(t, "doas without -n", run(t, h, "", "doas true"), result{err: "doas: authentication failed\n", code: 1})
	check(t, "doas.conf writable", run(t, h, "root", "echo 'permit nopass :wheel' > /usr/local/etc/doas.conf && chmod 666 /usr/local/etc/doas.conf"), result{})
	check(t, "doas refuses a writable config", run(t, h, "", "doas true"),
		result{err: "doas: /usr/local/etc/doas.conf is writable by group or other\n", code: 1})
	check(t, "doas syntax error", run(t, h, "root", "chmod 644 /usr/local/etc/doas.conf && echo 'permit' >> /usr/local/etc/doas.conf"), result{})
	check(t, "doas reports it", run(t, h, "", "doas true"), result{err: "doas: syntax error at line 2\n", code: 1})
	check(t, "doas disabled", run(t, h, "root", "rm /usr/local/etc/doas.conf"), result{})
	check(t, "doas without config", run(t, h, "", "doas true"),
		result{err: "doas: doas is not enabled, /usr/local/etc/doas.conf: No such file or directory\n", code: 1})

	r := newHost(t, sim.Rocky, "r0")
	check(t, "sudo -u", run(t, r, "", "sudo -n -u paul id -un"), result{out: "paul\n"})
	check(t, "sudo -u unknown", run(t, r, "", "sudo -n -u bob true"),
		result{err: "sudo: unknown user: bob\nsudo: error initializing audit plugin sudoers_audit\n", code: 1})
	check(t, "sudo not found", run(t, r, "", "sudo -n nosuch"), result{err: "sudo: nosuch: command not found\n", code: 1})
	check(t, "sudo env", run(t, r, "", "sudo -n env | grep -E '^(HOME|USER|SUDO_USER|PATH)='"),
		result{out: "HOME=/root\nUSER=root\nPATH=/sbin:/bin:/usr/sbin:/usr/bin\nSUDO_USER=paul\n"})
	check(t, "sudo bad option", run(t, r, "", "sudo -z true 2>&1 | head -2"),
		result{out: "sudo: invalid option -- 'z'\nusage: sudo -h | -K | -k | -V\n"})
	check(t, "sudoers world writable", run(t, r, "root", "chmod 0666 /etc/sudoers"), result{})
	check(t, "sudo refuses it", run(t, r, "", "sudo -n true"),
		result{err: "sudo: /etc/sudoers is world writable\nsudo: no valid sudoers sources found, quitting\n", code: 1})
}
