// Package rocky emulates the administration commands of a Rocky Linux 9
// client of the lab: systemctl (systemd 252) with units, timers and a
// journal, rpm and dnf with a small package world, mount, umount and findmnt
// (util-linux 2.37) over the shared mount table, mount.nfs through the lab's
// network (the client's stunnel to the server's), stunnel, and ip. It is
// written from ../shared/reference (freebsd.md §11 and §13) and the article,
// never from the provider's code. README.md lists what is modelled and
// every point the reference leaves UNCONFIRMED.
package rocky

import (
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Commands are the programs of a minimal Rocky 9 install, by their /usr
// paths (/bin and /sbin are symlinks to usr/bin and usr/sbin there).
func Commands() sim.Registry {
	return sim.Registry{
		"/usr/bin/systemctl":   systemctlCmd,
		"/usr/bin/journalctl":  journalctlCmd,
		"/usr/bin/systemd-cat": systemdCatCmd,
		"/usr/bin/dnf-3":       dnfCmd,
		"/usr/bin/dnf":         dnfCmd,
		"/usr/bin/yum":         dnfCmd,
		"/usr/bin/rpm":         rpmCmd,
		"/usr/bin/mount":       mountCmd,
		"/usr/bin/umount":      umountCmd,
		"/usr/bin/findmnt":     findmntCmd,
		"/usr/sbin/ip":         ipCmd,
		"/usr/bin/crontab":     crontabCmd,
		"/usr/bin/flock":       flockCmd,
	}
}

// PackageCommands are programs that exist once dnf installs their package:
// stunnel (stunnel), mount.nfs, mount.nfs4 and showmount (nfs-utils).
func PackageCommands() sim.Registry {
	return sim.Registry{
		"/usr/bin/stunnel":     stunnelCmd,
		"/usr/sbin/mount.nfs":  mountNFSCmd,
		"/usr/sbin/mount.nfs4": mountNFSCmd,
		"/usr/sbin/showmount":  showmountCmd,
	}
}

// Seed lays out what this package owns on a fresh Rocky host: systemd unit
// files and presets with their enablement symlinks, the service manager's
// state at first boot (sshd, crond, chronyd, firewalld, ... running), the
// rpm database of a minimal install (no stunnel, no nfs-utils), the mount
// table (/ and /boot on xfs, /boot/efi, the usual pseudo filesystems) and the LAN
// interface 192.168.1.12N/24 of host rN. /etc/fstab, /etc/passwd and the
// base tree are the unix family's.
func Seed(h *sim.Host) error {
	now := h.Now()
	for _, d := range []string{"/usr/lib/systemd/system", "/usr/lib/systemd/system-preset", etcUnitDir, "/usr/bin", "/usr/sbin"} {
		if err := h.Tree.MkdirAll(root, d, 0o755); err != nil {
			return err
		}
	}
	// cronie's spool and its empty deny list.
	if err := h.Tree.MkdirAll(root, cronSpoolDir, 0o700); err != nil {
		return err
	}
	if err := h.Tree.Chmod(root, cronSpoolDir, 0o700); err != nil {
		return err
	}
	if !h.Tree.Exists("/usr/bin/crontab") {
		// cronie's crontab is setuid root; the core's stub would be 0555.
		if err := h.Tree.WriteFile(root, "/usr/bin/crontab", []byte(sim.StubScript), 0o755); err != nil {
			return err
		}
		if err := h.Tree.Chmod(root, "/usr/bin/crontab", sim.ModeFromOctal(0o4755)); err != nil {
			return err
		}
	}
	if !h.Tree.Exists("/etc/cron.deny") {
		if err := h.Tree.WriteFile(root, "/etc/cron.deny", nil, 0o644); err != nil {
			return err
		}
	}
	for name, text := range baseUnits {
		if err := h.Tree.WriteFile(root, "/usr/lib/systemd/system/"+name, []byte(text), 0o644); err != nil {
			return err
		}
	}
	for name, text := range map[string]string{"90-default.preset": defaultPreset, "99-default-disable.preset": "# Disable all units by default.\ndisable *\n"} {
		if err := h.Tree.WriteFile(root, "/usr/lib/systemd/system-preset/"+name, []byte(text), 0o644); err != nil {
			return err
		}
	}
	for _, l := range []struct{ link, target string }{
		{etcUnitDir + "/default.target", "/usr/lib/systemd/system/multi-user.target"},
		{"/usr/bin/dnf", "dnf-3"},
		{"/usr/bin/yum", "dnf-3"},
	} {
		if _, err := h.Tree.Lstat(l.link); err == nil {
			continue
		}
		if err := h.Tree.Symlink(root, l.target, l.link); err != nil {
			return err
		}
	}
	for _, u := range baseEnabled {
		if _, _, err := enableUnit(h, u, map[string]bool{}); err != nil {
			return err
		}
	}
	boot := now.Add(-2 * time.Minute)
	var entries []journalEntry
	if err := updateManager(h, func(m *managerState) error {
		m.Boot = boot
		m.NextPID = 1200
		m.Units = map[string]*unitState{}
		up := func(id, sub string, at time.Time) *unitState {
			d := resolveUnit(h, id)
			u := loadInto(m, d)
			u.Active, u.Sub, u.Result = "active", sub, "success"
			u.ActiveEnter, u.InactiveExit, u.StateChange = at, at, at
			return u
		}
		for i, t := range baseTargets {
			up(t, "active", boot.Add(time.Duration(i)*100*time.Millisecond))
		}
		for _, s := range []string{"dbus.socket", "systemd-journald.socket", "syslog.socket"} {
			up(s, "listening", boot)
		}
		for i, s := range baseActive {
			at := boot.Add(time.Duration(1+i) * time.Second)
			u := up(s.unit, "running", at)
			u.MainPID, u.MainCmd, u.ExecMainPID = s.pid, s.argv, s.pid
			d := resolveUnit(h, s.unit)
			entries = append(entries,
				journalEntry{Time: at, Ident: "systemd", PID: 1, Unit: s.unit, Priority: 6, Message: "Starting " + d.description() + "..."},
				journalEntry{Time: at, Ident: "systemd", PID: 1, Unit: s.unit, Priority: 6, Message: "Started " + d.description() + "."})
		}
		return nil
	}); err != nil {
		return err
	}
	if err := sim.Update[journalState](h, journalStateName, func(s *journalState) error {
		s.Entries = append(s.Entries, entries...)
		return nil
	}); err != nil {
		return err
	}
	if err := updateRPM(h, func(s *rpmState) error {
		for i := range basePackages {
			bp := basePackages[i]
			s.Packages[bp.Name] = &installed{pkg: bp, InstallTime: boot.Add(-time.Hour), Reason: "user", FromRepo: "@anaconda"}
		}
		s.MetadataCheck = now.Add(-754 * time.Second)
		return nil
	}); err != nil {
		return err
	}
	if err := sim.Update[sim.Mounts](h, sim.MountsState, func(s *sim.Mounts) error {
		if len(s.List) == 0 {
			s.List = baseMounts()
		}
		return nil
	}); err != nil {
		return err
	}
	if err := sim.Update[sim.Disks](h, sim.DisksState, func(s *sim.Disks) error {
		if len(s.List) == 0 {
			s.List = baseDisks()
		}
		return nil
	}); err != nil {
		return err
	}
	return sim.Update[netState](h, netStateName, func(s *netState) error {
		if len(s.Interfaces) == 0 {
			*s = defaultNet(h.Name)
		}
		return nil
	})
}

// vdaSize is the VM's virtio disk (bhyve's disk0.img): 100 GiB (derived).
const vdaSize = 100 << 30

// baseDisks is the VM's one disk as the mount table implies it: vda1 the
// EFI partition (/boot/efi), vda2 /boot, vda3 LVM's physical volume of the
// rl volume group (root and swap).
func baseDisks() []sim.Disk {
	return []sim.Disk{{Path: "/dev/vda", Size: vdaSize, Holder: "lvm:rl", Parts: []string{"/dev/vda1", "/dev/vda2", "/dev/vda3"}}}
}

// baseMounts is /proc/self/mounts of a fresh Rocky 9 VM (LVM root, EFI and
// /boot partitions on the virtio disk), reduced to the usual entries.
func baseMounts() []sim.Mount {
	o := func(s string) []string { return splitColumns(s) }
	return []sim.Mount{
		{Source: "proc", Point: "/proc", FSType: "proc", Options: o("rw,nosuid,nodev,noexec,relatime")},
		{Source: "sysfs", Point: "/sys", FSType: "sysfs", Options: o("rw,nosuid,nodev,noexec,relatime,seclabel")},
		{Source: "devtmpfs", Point: "/dev", FSType: "devtmpfs", Options: o("rw,nosuid,seclabel,size=4096k,nr_inodes=496393,mode=755,inode64")},
		{Source: "tmpfs", Point: "/dev/shm", FSType: "tmpfs", Options: o("rw,nosuid,nodev,seclabel,inode64")},
		{Source: "devpts", Point: "/dev/pts", FSType: "devpts", Options: o("rw,nosuid,noexec,relatime,seclabel,gid=5,mode=620,ptmxmode=000")},
		{Source: "tmpfs", Point: "/run", FSType: "tmpfs", Options: o("rw,nosuid,nodev,seclabel,size=800764k,nr_inodes=819200,mode=755,inode64")},
		{Source: "cgroup2", Point: "/sys/fs/cgroup", FSType: "cgroup2", Options: o("rw,nosuid,nodev,noexec,relatime,seclabel,nsdelegate,memory_recursiveprot")},
		{Source: "/dev/mapper/rl-root", Point: "/", FSType: "xfs", Options: o("rw,relatime,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota")},
		{Source: "/dev/vda2", Point: "/boot", FSType: "xfs", Options: o("rw,relatime,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota")},
		{Source: "/dev/vda1", Point: "/boot/efi", FSType: "vfat", Options: o("rw,relatime,fmask=0077,dmask=0077,codepage=437,iocharset=ascii,shortname=winnt,errors=remount-ro")},
	}
}
