// Package freebsd emulates the FreeBSD 14 administration commands of the
// lab's FreeBSD hosts other than zfs and zpool: sysrc and rc.conf,
// service(8) and rc.subr with the rc.d scripts in the tree, ifconfig with
// CARP and devd notifications, kldload/kldstat, pkg, crontab, newfs,
// mount/umount/df with /etc/fstab and UFS media, showmount and sysctl, plus
// the zrepl and stunnel programs packages install. It is written from
// ../shared/reference/freebsd.md; README.md lists what is modelled and the
// points the reference leaves unconfirmed.
package freebsd

import (
	"path"
	"strconv"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Commands are the base system's programs, keyed by absolute path, and
// the base rc.d scripts (a script's emulation is run_rc_command over the
// script's own header, read from the tree).
func Commands() sim.Registry {
	r := sim.Registry{
		"/usr/sbin/sysrc":    sysrcCmd,
		"/usr/sbin/service":  serviceCmd,
		"/sbin/ifconfig":     ifconfigCmd,
		"/sbin/kldload":      kldloadCmd,
		"/sbin/kldstat":      kldstatCmd,
		"/sbin/kldunload":    kldunloadCmd,
		"/usr/sbin/pkg":      pkgCmd,
		"/usr/bin/crontab":   crontabCmd,
		"/sbin/newfs":        newfsCmd,
		"/sbin/mount":        mountCmd,
		"/sbin/umount":       umountCmd,
		"/bin/df":            dfCmd,
		"/usr/bin/showmount": showmountCmd,
		"/sbin/sysctl":       sysctlCmd,
		"/bin/kill":          killCmd,
		"/usr/sbin/fstyp":    fstypCmd,
		// What /etc/crontab runs: present, quiet (the lab does not model
		// log rotation, periodic(8)'s reports or entropy files).
		"/usr/libexec/save-entropy": quietCmd,
		"/usr/sbin/newsyslog":       quietCmd,
		"/usr/sbin/periodic":        quietCmd,
		"/sbin/adjkerntz":           quietCmd,
	}
	for name := range baseRCScripts {
		p := "/etc/rc.d/" + name
		r[p] = rcScriptCmd(p)
	}
	return r
}

// quietCmd stands for a base program whose work the lab leaves out.
func quietCmd(*sim.Proc) int { return 0 }

// PackageCommands are programs that exist once a package installs their
// files: pkg itself (preinstalled), zrepl, stunnel and their rc.d scripts.
func PackageCommands() sim.Registry {
	return sim.Registry{
		"/usr/local/sbin/pkg":         pkgCmd,
		"/usr/local/bin/zrepl":        zreplCmd,
		"/usr/local/bin/stunnel":      stunnelCmd,
		"/usr/local/etc/rc.d/zrepl":   rcScriptCmd("/usr/local/etc/rc.d/zrepl"),
		"/usr/local/etc/rc.d/stunnel": rcScriptCmd("/usr/local/etc/rc.d/stunnel"),
	}
}

const devdConf = `#
# Refer to devd.conf(5) and devd(8) man pages for the details on how to
# run and configure devd.
#

# NB: All regular expressions have an implicit ^$ around them.
# NB: device-name is shorthand for 'match device-name'

options {
	# Each "directory" directive adds a directory to the list of
	# directories that we scan for files.  Files are loaded in the order
	# that they are returned from readdir(3).  The rule-sets are combined
	# to create a DFA that's used to match events to actions.
	directory "/etc/devd";
	directory "/usr/local/etc/devd";
	pid-file "/var/run/devd.pid";

	# Setup some shorthand for regex that we use later in the file.
	#XXX Yes, this is gross -- imp
	set scsi-controller-regex
		"(aac|adv|adw|aic|ahc|ahd|amr|bt|ciss|dpt|\
		esp|ida|iir|ips|isp|mlx|mly|mpr|mps|mpt|ncr|ncv|nsp|stg|sym|\
		trm)\
		[0-9]+";
};

# Notify all users before beginning emergency shutdown when we get
# a _critical_ temperature reading.
notify 10 {
	match "system"		"ACPI";
	match "subsystem"	"Thermal";
	match "notify"		"0xcc";
	action "logger -p kern.emerg 'WARNING: system temperature too high, shutting down soon!'";
};

# Switch power profiles when the AC line state changes.
notify 10 {
	match "system"		"ACPI";
	match "subsystem"	"ACAD";
	action "service power_profile $notify";
};

# Notify all users of suspend/resume events.
notify 10 {
	match "system"		"ACPI";
	match "subsystem"	"Suspend";
	action "logger -p kern.notice 'Suspending system'";
};
`

const fstabDefault = "# Device\t\tMountpoint\tFStype\tOptions\t\tDump\tPass#\n/dev/ada0p3\t\tnone\tswap\tsw\t\t0\t0\n"

// Seed lays out a fresh FreeBSD host for this family: the base rc.d
// scripts and the daemons they start, /etc/devd.conf and /etc/fstab when
// missing, cron's spool, the preinstalled packages (pkg, doas), the
// interfaces re0/lo0/wg0, the loaded kernel modules, and the daemons
// running from boot (syslogd, devd, sshd, cron) with their pid files.
func Seed(h *sim.Host) error {
	root := h.Root()
	t := h.Tree
	for _, d := range []string{"/boot", "/etc/rc.d", "/etc/devd", "/var/run", "/var/db", "/var/log", "/usr/local/etc/rc.d", "/usr/local/etc/devd"} {
		if err := t.MkdirAll(root, d, 0o755); err != nil {
			return err
		}
	}
	if err := t.MkdirAll(root, cronTabsDir, 0o700); err != nil {
		return err
	}
	for name, text := range baseRCScripts {
		p := "/etc/rc.d/" + name
		if err := t.WriteFile(root, p, []byte(text), 0o555); err != nil {
			return err
		}
		if err := t.Chmod(root, p, 0o555); err != nil {
			return err
		}
	}
	for _, d := range baseDaemons {
		if !t.Exists(d) {
			if err := h.WriteStub(d); err != nil {
				return err
			}
		}
	}
	for p, c := range map[string]string{"/etc/devd.conf": devdConf, "/etc/fstab": fstabDefault} {
		if !t.Exists(p) {
			if err := t.WriteFile(root, p, []byte(c), 0o644); err != nil {
				return err
			}
		}
	}
	if err := seedPackages(h); err != nil {
		return err
	}
	if err := sim.Update(h, ifaceState, func(s *ifaces) error {
		if len(s.List) == 0 {
			*s = seedIfaces(h.Name)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := sim.Update(h, kldState, func(s *kldTable) error { s.init(); return nil }); err != nil {
		return err
	}
	if err := sim.Update(h, sim.MountsState, func(s *sim.Mounts) error {
		for _, m := range s.List {
			if m.FSType == "devfs" {
				return nil
			}
		}
		s.List = append(s.List, sim.Mount{Source: "devfs", Point: "/dev", FSType: "devfs"})
		return nil
	}); err != nil {
		return err
	}
	return seedBootDaemons(h)
}

func seedPackages(h *sim.Host) error {
	return sim.Update(h, pkgState, func(s *pkgDB) error {
		if s.Packages == nil {
			s.Packages = map[string]pkgInstalled{}
		}
		for _, n := range pkgPreinstalled {
			d := pkgCatalog[n]
			for _, f := range d.Files {
				if f.Stub && !h.Tree.Exists(f.Path) {
					if err := h.WriteStub(f.Path); err != nil {
						return err
					}
				}
			}
			s.Packages[n] = pkgInstalled{Version: d.Version, Origin: d.Origin, InstalledAt: h.Now().Unix()}
		}
		return nil
	})
}

// bootDaemon is a daemon running from boot: its procname and pid file.
var bootDaemon = map[string][2]string{
	"syslogd": {"/usr/sbin/syslogd", "/var/run/syslog.pid"},
	"devd":    {"/sbin/devd", "/var/run/devd.pid"},
	"sshd":    {"/usr/sbin/sshd", "/var/run/sshd.pid"},
	"cron":    {"/usr/sbin/cron", "/var/run/cron.pid"},
}

func seedBootDaemons(h *sim.Host) error {
	pids := map[string]int{}
	err := sim.Update(h, procsState, func(t *procs) error {
		for _, name := range bootServices {
			d := bootDaemon[name]
			if len(t.byName(d[0])) > 0 {
				continue
			}
			pids[name] = t.spawn(d[0], "", "root")
		}
		return nil
	})
	if err != nil {
		return err
	}
	root := h.Root()
	for name, pid := range pids {
		pf := bootDaemon[name][1]
		if err := h.Tree.MkdirAll(root, path.Dir(pf), 0o755); err != nil {
			return err
		}
		if err := h.Tree.WriteFile(root, pf, []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}
