package freebsd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Power loss and boot of a FreeBSD host, as far as the lab models them.
//
// PowerOff is what a power loss leaves: no process (each daemon's stop
// hook runs, so mountd's exports and the zrepl daemon are gone), no kernel
// state (modules, sysctl settings, the devctl queue, interface addresses
// and CARP), no mounts (ZFS datasets unmounted, keys unloaded; UFS media
// unmounted). Files stay as they are on disk, pid files included.
//
// Boot is a FreeBSD 14 boot: the loader loads the kernel with zfs.ko and
// cryptodev.ko (bsdinstall's loader.conf for ZFS on root, which the lab's
// seed leaves implicit) and every module that /boot/loader.conf and
// /boot/loader.conf.local set to load (NAME_load="YES"); then /etc/rc runs
// the rc.d scripts in rcorder(8) order with "faststart": a first pass over
// /etc/rc.d up to $early_late_divider (FILESYSTEMS), a second pass over
// /etc/rc.d and $local_startup after it (/etc/rc). Scripts the lab has run
// as service(8) would run them; the base scripts it does not install keep
// their place in the order (rcorder.go) and do their work in Go where the
// lab needs it: sysctl (/etc/sysctl.conf), mountcritlocal (mount -a of the
// non-network fstab entries), cleanvar (/var/run's files), kld
// ($kld_list). Last, cron runs its @reboot jobs. What rc prints goes to
// console.

// PowerOff is a power loss of h.
func PowerOff(ctx context.Context, h *sim.Host) error {
	var gone []proc
	if err := sim.Update(h, procsState, func(t *procs) error {
		gone, t.List = t.List, nil
		return nil
	}); err != nil {
		return err
	}
	rp := h.NewProc(ctx, rootUser(), strings.NewReader(""), io.Discard, io.Discard)
	for _, g := range gone {
		if hook := daemonHooks[g.Command]; hook.stopped != nil {
			hook.stopped(&rcRun{p: rp})
		}
	}
	var mounts sim.Mounts
	_ = sim.Update(h, sim.MountsState, func(s *sim.Mounts) error { mounts = *s; return nil })
	var ufs []string
	for _, m := range mounts.List {
		if m.FSType == "ufs" && m.Point != "/" {
			ufs = append(ufs, m.Point)
		}
	}
	sort.Slice(ufs, func(i, j int) bool { return len(ufs[i]) > len(ufs[j]) })
	for _, pt := range ufs {
		h.Exec(rp, []string{"/sbin/umount", "-f", pt})
	}
	h.Exec(rp, []string{"/sbin/zfs", "unmount", "-f", "-a"})
	h.Exec(rp, []string{"/sbin/zfs", "unload-key", "-a"})
	steps := []error{
		sim.Update(h, devctlState, func(q *devctlQueue) error { q.Events = nil; return nil }),
		sim.Update(h, sysctlState, func(s *sysctls) error { s.Values = nil; return nil }),
		sim.Update(h, kldState, func(t *kldTable) error {
			*t = kldTable{}
			t.bootKernel()
			return nil
		}),
		sim.Update(h, ifaceState, func(s *ifaces) error {
			if len(s.List) == 0 {
				*s = seedIfaces(h.Name)
			}
			for i := range s.List {
				f := &s.List[i]
				f.Carp = nil
				if f.Flags&iffLoopback == 0 {
					f.Inet = nil
					f.Flags &^= iffUp | iffRunning
				}
			}
			return nil
		}),
	}
	for _, err := range steps {
		if err != nil {
			return err
		}
	}
	return nil
}

// bootKernel is the kernel as the loader starts it, before modules.
func (t *kldTable) bootKernel() {
	t.NextID, t.NextMod, t.NextAddr = 1, 1, 0xffffffff80200000
	t.add("kernel", 0x1f3e2d0, []string{"kernel", "nfsd", "nfscommon", "nfslockd", "krpc", "if_re", "ufs", "ipfw_nat"}, 43)
	t.NextMod = 500
	t.NextAddr = 0xffffffff82140000
}

// Boot boots h after PowerOff; console receives what rc prints.
func Boot(ctx context.Context, h *sim.Host, console io.Writer) error {
	if console == nil {
		console = io.Discard
	}
	rp := h.NewProc(ctx, rootUser(), strings.NewReader(""), console, console)
	rp.Dir = "/"
	rp.Env = []string{"HOME=/", "PATH=/sbin:/bin:/usr/sbin:/usr/bin"}
	if err := bootLoader(h, console); err != nil {
		return err
	}
	vars := shVars{}
	loadRCConfig(treeFS{rp}, vars, "")
	divider := firstNonEmpty(vars["early_late_divider"], "FILESYSTEMS")
	skip := []string{"nostart", "firstboot"}
	first := rcorder(rcBootScripts(h, []string{"/etc/rc.d"}, true), skip...)
	for _, s := range first {
		runBootScript(rp, s)
		if path.Base(s.path) == divider {
			break
		}
	}
	dirs := append([]string{"/etc/rc.d"}, strings.Fields(vars["local_startup"])...)
	late := false
	for _, s := range rcorder(rcBootScripts(h, dirs, true), skip...) {
		if !late {
			late = path.Base(s.path) == divider
			continue
		}
		runBootScript(rp, s)
	}
	if CronRunning(h) {
		cronReboot(ctx, h)
	}
	return nil
}

// bootLoader fills the kernel's module table as the loader does.
func bootLoader(h *sim.Host, console io.Writer) error {
	mods := []string{"zfs", "cryptodev"}
	for _, f := range []string{"/boot/loader.conf", "/boot/loader.conf.local"} {
		data, err := h.Tree.ReadFile(rootUser(), f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			name, val, ok := strings.Cut(strings.TrimSpace(line), "=")
			mod, isLoad := strings.CutSuffix(strings.TrimSpace(name), "_load")
			if !ok || !isLoad || strings.HasPrefix(name, "#") {
				continue
			}
			if yes, _ := checkYesNo(strings.Trim(strings.TrimSpace(val), `"`)); yes {
				mods = append(mods, mod)
			}
		}
	}
	return sim.Update(h, kldState, func(t *kldTable) error {
		*t = kldTable{}
		t.bootKernel()
		for _, m := range mods {
			if _, err := t.load(m); err != nil && !errors.Is(err, errKLDLoaded) {
				fmt.Fprintf(console, "can't find '%s'\n", m)
			}
		}
		return nil
	})
}

// runBootScript is run_rc_script FILE faststart, or the lab's counterpart
// of a base script it does not install.
func runBootScript(rp *sim.Proc, s rcScript) {
	if rp.Host.Tree.Exists(s.path) {
		runRCScript(rp, s.path, []string{"faststart"})
		return
	}
	switch path.Base(s.path) {
	case "sysctl":
		bootSysctl(rp)
	case "mountcritlocal":
		rp.Host.Exec(rp, []string{"/sbin/mount", "-a", "-t", "nonfs,smbfs"})
	case "cleanvar":
		bootCleanvar(rp.Host)
	case "kld":
		vars := shVars{}
		loadRCConfig(treeFS{rp}, vars, "kld")
		for _, m := range strings.Fields(vars["kld_list"]) {
			rp.Host.Exec(rp, []string{"/sbin/kldload", "-n", m})
		}
	}
}

// bootSysctl is rc.d/sysctl: /etc/sysctl.conf and .local, unknown OIDs ignored.
func bootSysctl(rp *sim.Proc) {
	for _, f := range []string{"/etc/sysctl.conf", "/etc/sysctl.conf.local"} {
		data, err := rp.Host.Tree.ReadFile(rootUser(), f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			line, _, _ = strings.Cut(line, "#")
			line = strings.TrimSpace(line)
			if !strings.Contains(line, "=") {
				continue
			}
			q := *rp
			q.Stdout = io.Discard
			rp.Host.Exec(&q, []string{"/sbin/sysctl", "-q", line})
		}
	}
}

// bootCleanvar is rc.d/cleanvar: the files of /var/run go (the log
// sockets stay; os-release too, which rc.d/os-release writes again).
func bootCleanvar(h *sim.Host) {
	root := rootUser()
	var walk func(dir string)
	walk = func(dir string) {
		list, err := h.Tree.ReadDir(root, dir)
		if err != nil {
			return
		}
		for _, fi := range list {
			p := path.Join(dir, fi.Name)
			switch {
			case fi.IsDir():
				walk(p)
			case fi.Mode.IsRegular() && p != "/var/run/os-release":
				_ = h.Tree.Remove(root, p)
			}
		}
	}
	walk("/var/run")
	_ = h.Tree.WriteFile(root, "/var/run/clean_var", nil, 0o644)
}
