package unix

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// image holds the static files of a fresh host, under image/OS/ at their
// absolute paths. Host-specific files (rc.conf, hosts, hostname...) are
// rendered in freebsdFiles and rockyFiles.
//
//go:embed image
var image embed.FS

// entry is one thing Seed creates: a directory, a file or a symbolic link,
// with its owner, group and mode as on a fresh install of the real system.
type entry struct {
	path         string
	kind         byte // 'd' directory, 'f' file, 'l' symlink
	mode         fs.FileMode
	owner, group string
	content      string // file content, or symlink target
}

func dir(p string, mode fs.FileMode, owner, group string) entry {
	return entry{path: p, kind: 'd', mode: mode, owner: owner, group: group}
}

// file is a root-owned file.
func file(p string, mode fs.FileMode, group, content string) entry {
	return entry{path: p, kind: 'f', mode: mode, owner: "root", group: group, content: content}
}

func link(p, target string) entry { return entry{path: p, kind: 'l', content: target} }

// Seed returns the function that writes a fresh host's files for os: the
// base directories, accounts, configuration files and the program files of
// this package's utilities (PATH lookup needs them to exist).
func Seed(os sim.OS) func(*sim.Host) error {
	return func(h *sim.Host) error {
		var entries []entry
		switch os {
		case sim.FreeBSD:
			entries = freebsdFiles(h.Name)
		case sim.Rocky:
			entries = rockyFiles(h.Name)
		default:
			return fmt.Errorf("unix: no image for OS %q", os)
		}
		return writeEntries(h, os, entries)
	}
}

// writeEntries creates the entries in order, as root. Accounts come first,
// since ownership is given by name.
func writeEntries(h *sim.Host, os sim.OS, entries []entry) error {
	root := sim.User{Name: "root", UID: 0, GID: 0, Group: "wheel", Home: "/root"}
	if os == sim.Rocky {
		root.Group = "root"
	}
	t := h.Tree
	for _, e := range entries {
		var err error
		switch e.kind {
		case 'd':
			if err = t.MkdirAll(root, e.path, 0o755); err == nil {
				err = t.Chmod(root, e.path, e.mode)
			}
		case 'f':
			if err = t.MkdirAll(root, path.Dir(e.path), 0o755); err == nil {
				err = t.WriteFile(root, e.path, []byte(e.content), e.mode.Perm())
			}
			if err == nil {
				err = t.Chmod(root, e.path, e.mode)
			}
		case 'l':
			if _, lerr := t.Lstat(e.path); lerr == nil {
				continue
			}
			err = t.Symlink(root, e.content, e.path)
		}
		if err == nil && e.kind != 'l' {
			err = t.Chown(root, e.path, e.owner, e.group)
		}
		if err != nil {
			return fmt.Errorf("unix: seed %s: %w", e.path, err)
		}
	}
	return nil
}

// static reads a file of the embedded image.
func static(os sim.OS, p string) string {
	data, err := image.ReadFile("image/" + string(os) + p)
	if err != nil {
		panic("unix: missing image file " + p)
	}
	return string(data)
}

// hostDigit is the last digit of a host name (f0 → 0), which numbers the
// article's hosts' addresses; 0 when the name has none.
func hostDigit(name string) int {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] >= '0' && name[i] <= '9' {
			return int(name[i] - '0')
		}
	}
	return 0
}

// programFiles are the executables of this package's utilities.
func programFiles(os sim.OS) []entry {
	var out []entry
	seen := map[string]bool{}
	for _, p := range programs {
		paths := programPaths(os, p)
		if len(paths) == 0 {
			continue
		}
		// On Rocky the first path is under /usr; /bin and /sbin are links.
		pp := paths[0]
		if seen[pp] {
			continue
		}
		seen[pp] = true
		content := sim.StubScript
		switch {
		case os == sim.FreeBSD && p.name == "doas":
			out = append(out, file(pp, 0o755|fs.ModeSetuid, "wheel", content))
		case os == sim.FreeBSD:
			out = append(out, file(pp, 0o555, "wheel", content))
		case p.name == "sudo":
			out = append(out, file(pp, 0o111|fs.ModeSetuid, "root", content))
		default:
			out = append(out, file(pp, 0o755, "root", content))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// freebsdFiles is a fresh FreeBSD 14.2 host installed on ZFS (bsdinstall's
// zroot layout) with one login user, paul, in wheel.
func freebsdFiles(name string) []entry {
	const os = sim.FreeBSD
	fqdn := name + ".lan"
	d := hostDigit(name)
	rw := func(p, content string) entry { return file(p, 0o644, "wheel", content) }
	es := []entry{
		dir("/etc", 0o755, "root", "wheel"),
		file("/etc/passwd", 0o644, "wheel", static(os, "/etc/passwd")),
		file("/etc/master.passwd", 0o600, "wheel", static(os, "/etc/master.passwd")),
		file("/etc/group", 0o644, "wheel", static(os, "/etc/group")),
	}
	for _, p := range []string{"/bin", "/sbin", "/boot", "/etc/defaults", "/etc/ssh", "/home",
		"/usr", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/libexec", "/usr/share", "/usr/local",
		"/usr/local/bin", "/usr/local/sbin", "/usr/local/etc", "/usr/local/etc/rc.d",
		"/var", "/var/log", "/var/run", "/var/db", "/var/cron", "/mnt"} {
		es = append(es, dir(p, 0o755, "root", "wheel"))
	}
	es = append(es,
		dir("/dev", 0o555, "root", "wheel"),
		dir("/root", 0o750, "root", "wheel"),
		dir("/tmp", 0o777|fs.ModeSticky, "root", "wheel"),
		dir("/var/tmp", 0o777|fs.ModeSticky, "root", "wheel"),
		dir("/var/cron/tabs", 0o700, "root", "wheel"),
		dir("/home/paul", 0o755, "paul", "paul"),
		file("/etc/defaults/rc.conf", 0o444, "wheel", static(os, "/etc/defaults/rc.conf")),
		rw("/etc/rc.conf", fmt.Sprintf(`hostname="%s"
ifconfig_re0="inet 192.168.1.13%d netmask 255.255.255.0"
defaultrouter="192.168.1.1"
cloned_interfaces="wg0"
ifconfig_wg0="inet 192.168.2.13%d netmask 255.255.255.0"
sshd_enable="YES"
ntpd_enable="YES"
moused_nondefault_enable="NO"
# Set dumpdev to "AUTO" to enable crash dumps, "NO" to disable
dumpdev="AUTO"
zfs_enable="YES"
`, fqdn, d, d)),
		rw("/etc/fstab", "# Device\t\tMountpoint\tFStype\tOptions\t\tDump\tPass#\n"+
			"/dev/gpt/efiboot0\t\t/boot/efi\tmsdosfs\trw\t\t2\t2\n"+
			"/dev/ada0p3\t\tnone\tswap\tsw\t\t0\t0\n"),
		rw("/etc/hosts", freebsdHosts),
		rw("/etc/resolv.conf", "# Generated by resolvconf\nsearch lan\nnameserver 192.168.1.1\n"),
		rw("/etc/crontab", static(os, "/etc/crontab")),
		file("/usr/local/etc/doas.conf", 0o644, "wheel", static(os, "/usr/local/etc/doas.conf")),
		file("/var/log/messages", 0o644, "wheel", ""),
		// rc.d/os-release writes /var/run/os-release at boot; /etc/os-release links to it.
		rw("/var/run/os-release", `NAME=FreeBSD
VERSION="`+freebsdRelease+`"
VERSION_ID="14.2"
ID=freebsd
ANSI_COLOR="0;31"
PRETTY_NAME="FreeBSD `+freebsdRelease+`"
CPE_NAME="cpe:/o:freebsd:freebsd:14.2"
HOME_URL="https://FreeBSD.org/"
BUG_REPORT_URL="https://bugs.FreeBSD.org/"
`),
		link("/etc/os-release", "../var/run/os-release"),
	)
	return append(es, programFiles(os)...)
}

// freebsdHosts is FreeBSD's /etc/hosts with the storage nodes added.
const freebsdHosts = `#
# Host Database
#
# This file should contain the addresses and aliases for local hosts that
# share this file.  Replace 'my.domain' below with the domainname of your
# machine.
#
# In the presence of the domain name service or NIS, this file may
# not be consulted at all; see /etc/nsswitch.conf for the resolution order.
#
#
::1			localhost localhost.my.domain
127.0.0.1		localhost localhost.my.domain
#
# Imaginary network.
#10.0.0.2		myname.my.domain myname
#10.0.0.3		myfriend.my.domain myfriend
#
# According to RFC 1918, you can use the following IP networks for
# private nets which will never be connected to the Internet:
#
#	10.0.0.0	-   10.255.255.255
#	172.16.0.0	-   172.31.255.255
#	192.168.0.0	-   192.168.255.255
#
# In case you want to be able to connect to the Internet, you need
# real official assigned numbers.  Do not try to invent your own network
# numbers but instead get one from your network provider (if any) or
# from your regional registry (ARIN, APNIC, LACNIC, RIPE NCC, or AfriNIC.)
#
192.168.1.130		f0.lan f0
192.168.1.131		f1.lan f1
192.168.1.132		f2.lan f2
192.168.2.130		f0.wg0.lan f0.wg0
192.168.2.131		f1.wg0.lan f1.wg0
192.168.2.132		f2.wg0.lan f2.wg0
`

// rockyFiles is a fresh Rocky Linux 9.4 minimal install (LVM root on XFS)
// with one login user, paul, in wheel and with a NOPASSWD sudoers drop-in.
func rockyFiles(name string) []entry {
	const os = sim.Rocky
	fqdn := name + ".lan"
	es := []entry{
		dir("/etc", 0o755, "root", "root"),
		file("/etc/passwd", 0o644, "root", static(os, "/etc/passwd")),
		file("/etc/shadow", 0o000, "root", static(os, "/etc/shadow")),
		file("/etc/group", 0o644, "root", static(os, "/etc/group")),
	}
	for _, p := range []string{"/usr", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64", "/usr/libexec",
		"/usr/share", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/usr/lib/systemd", "/usr/lib/systemd/system",
		"/etc/systemd", "/etc/systemd/system", "/home", "/run", "/var", "/var/lib", "/var/spool", "/mnt", "/opt"} {
		es = append(es, dir(p, 0o755, "root", "root"))
	}
	es = append(es,
		link("/bin", "usr/bin"),
		link("/sbin", "usr/sbin"),
		link("/lib", "usr/lib"),
		link("/lib64", "usr/lib64"),
		link("/var/run", "../run"),
		dir("/boot", 0o555, "root", "root"),
		dir("/dev", 0o755, "root", "root"),
		dir("/root", 0o550, "root", "root"),
		dir("/tmp", 0o777|fs.ModeSticky, "root", "root"),
		dir("/var/tmp", 0o777|fs.ModeSticky, "root", "root"),
		dir("/var/log", 0o755, "root", "root"),
		dir("/home/paul", 0o700, "paul", "paul"),
		dir("/etc/sudoers.d", 0o750, "root", "root"),
		file("/etc/hostname", 0o644, "root", fqdn+"\n"),
		file("/usr/lib/os-release", 0o644, "root", static(os, "/usr/lib/os-release")),
		link("/etc/os-release", "../usr/lib/os-release"),
		file("/etc/rocky-release", 0o644, "root", static(os, "/etc/rocky-release")),
		link("/etc/redhat-release", "rocky-release"),
		link("/etc/system-release", "rocky-release"),
		file("/etc/fstab", 0o644, "root", rockyFstab),
		file("/etc/hosts", 0o644, "root", rockyHosts),
		file("/etc/resolv.conf", 0o644, "root", "# Generated by NetworkManager\nsearch lan\nnameserver 192.168.1.1\n"),
		file("/etc/sudoers", 0o440, "root", static(os, "/etc/sudoers")),
		file("/etc/sudoers.d/paul", 0o440, "root", static(os, "/etc/sudoers.d/paul")),
		file("/var/log/messages", 0o600, "root", ""),
	)
	return append(es, programFiles(os)...)
}

const rockyFstab = `
#
# /etc/fstab
# Created by anaconda on Tue Jan  7 09:12:44 2025
#
# Accessible filesystems, by reference, are maintained under '/dev/disk/'.
# See man pages fstab(5), findfs(8), mount(8) and/or blkid(8) for more info.
#
# After editing this file, run 'systemctl daemon-reload' to update systemd
# units generated from this file.
#
/dev/mapper/rl-root     /                       xfs     defaults        0 0
UUID=5c1f1d8e-3b7a-4e63-9a0c-2f4d6e8b1a27 /boot                   xfs     defaults        0 0
UUID=7A3C-91E2          /boot/efi               vfat    umask=0077,shortname=winnt 0 2
/dev/mapper/rl-swap     none                    swap    defaults        0 0
`

const rockyHosts = `127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4
::1         localhost localhost.localdomain localhost6 localhost6.localdomain6
192.168.1.130 f0.lan f0
192.168.1.131 f1.lan f1
192.168.1.132 f2.lan f2
192.168.1.120 r0.lan r0
192.168.1.121 r1.lan r1
192.168.1.122 r2.lan r2
`
