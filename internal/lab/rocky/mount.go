package rocky

import (
	"fmt"
	"path"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// fstabEntry is one line of /etc/fstab (fstab(5)).
type fstabEntry struct {
	Spec, File, Type, Opts string
}

func parseFstab(text string) []fstabEntry {
	var out []fstabEntry
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		e := fstabEntry{Spec: f[0], File: f[1], Type: "auto", Opts: "defaults"}
		if len(f) > 2 {
			e.Type = f[2]
		}
		if len(f) > 3 {
			e.Opts = f[3]
		}
		if e.File != "none" && e.File != "swap" {
			e.File = path.Clean(e.File)
		}
		out = append(out, e)
	}
	return out
}

func hasOpt(opts, name string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == name {
			return true
		}
	}
	return false
}

func loadFstab(h *sim.Host) []fstabEntry {
	text, err := readFile(h, "/etc/fstab")
	if err != nil {
		return nil
	}
	return parseFstab(text)
}

func loadMounts(h *sim.Host) []sim.Mount {
	m, err := sim.Load[sim.Mounts](h, sim.MountsState)
	if err != nil {
		return nil
	}
	return m.List
}

// fmtMountLine is mount(8)'s listing: "SRC on TARGET type TYPE (OPTS)".
func fmtMountLine(m sim.Mount) string {
	return fmt.Sprintf("%s on %s type %s (%s)", m.Source, m.Point, m.FSType, strings.Join(m.Options, ","))
}

type mountOpts struct {
	types, opts string
	all, fake   bool
	pos         []string
	typesGiven  bool
	optsGiven   bool
}

// mountCmd is util-linux 2.37 mount(8) over the shared mount table.
func mountCmd(p *sim.Proc) int {
	o := &mountOpts{}
	args := splitShortOpts(p.Args[1:], "LoOUtTN")
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			o.pos = append(o.pos, args[i+1:]...)
			break
		}
		need := func() (string, bool) {
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			errw(p, "mount: option requires an argument -- '%s'", strings.TrimLeft(a, "-"))
			return "", false
		}
		switch {
		case a == "-t" || a == "--types":
			v, ok := need()
			if !ok {
				return 1
			}
			o.types, o.typesGiven = v, true
		case strings.HasPrefix(a, "--types="):
			o.types, o.typesGiven = strings.TrimPrefix(a, "--types="), true
		case a == "-o" || a == "--options":
			v, ok := need()
			if !ok {
				return 1
			}
			o.opts = joinOpts(o.opts, v)
			o.optsGiven = true
		case strings.HasPrefix(a, "--options="):
			o.opts = joinOpts(o.opts, strings.TrimPrefix(a, "--options="))
			o.optsGiven = true
		case a == "-a" || a == "--all":
			o.all = true
		case a == "-f" || a == "--fake":
			o.fake = true
		case a == "-r" || a == "--read-only":
			o.opts = joinOpts(o.opts, "ro")
		case a == "-w" || a == "--rw" || a == "--read-write":
			o.opts = joinOpts(o.opts, "rw")
		case a == "-v" || a == "--verbose" || a == "-n" || a == "--no-mtab" || a == "-l" || a == "--show-labels":
		case a == "-V" || a == "--version":
			outw(p.Stdout, "mount from util-linux 2.37.4 (libmount 2.37.4: selinux, smack, btrfs, namespaces, assert, debug)")
			return 0
		case strings.HasPrefix(a, "-") && len(a) > 1:
			errw(p, "mount: unrecognized option '%s'", a)
			errw(p, "Try 'mount --help' for more information.")
			return 1
		default:
			o.pos = append(o.pos, a)
		}
	}
	h := p.Host
	if len(o.pos) == 0 && !o.all {
		for _, m := range loadMounts(h) {
			if o.typesGiven && !typeMatches(o.types, m.FSType) {
				continue
			}
			outw(p.Stdout, "%s", fmtMountLine(m))
		}
		return 0
	}
	if !p.User.IsRoot() {
		switch {
		case o.typesGiven:
			errw(p, "mount: only root can use \"--types\" option")
			return 1
		case o.optsGiven:
			errw(p, "mount: only root can use \"--options\" option")
			return 1
		case o.all:
			errw(p, "mount: only root can do that")
			return 1
		}
	}
	if o.all {
		return mountAll(p, o)
	}
	if len(o.pos) > 2 {
		errw(p, "mount: bad usage")
		errw(p, "Try 'mount --help' for more information.")
		return 1
	}
	if len(o.pos) == 1 {
		arg := o.pos[0]
		var ent *fstabEntry
		for _, e := range loadFstab(h) {
			if e.File == path.Clean(arg) || e.Spec == arg {
				ent = &e
				break
			}
		}
		if ent == nil {
			errw(p, "mount: %s: can't find in /etc/fstab.", arg)
			return 1
		}
		if !p.User.IsRoot() && !hasOpt(ent.Opts, "user") && !hasOpt(ent.Opts, "users") {
			errw(p, "mount: %s: operation permitted for root only.", ent.File)
			return 1
		}
		t := ent.Type
		if o.typesGiven {
			t = o.types
		}
		return doMount(p, ent.Spec, ent.File, t, joinOpts(ent.Opts, o.opts), o.fake)
	}
	t := o.types
	if t == "" {
		t = "auto"
	}
	return doMount(p, o.pos[0], path.Clean(o.pos[1]), t, o.opts, o.fake)
}

func joinOpts(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "," + b
}

func typeMatches(list, t string) bool {
	neg := strings.HasPrefix(list, "no")
	if neg {
		list = strings.TrimPrefix(list, "no")
	}
	for _, x := range strings.Split(list, ",") {
		if x == t {
			return !neg
		}
	}
	return neg
}

// mountAll is mount -a: every fstab entry not noauto and not mounted yet.
func mountAll(p *sim.Proc, o *mountOpts) int {
	h := p.Host
	ok, failed := 0, 0
	for _, e := range loadFstab(h) {
		if e.Type == "swap" || e.File == "none" || e.File == "swap" || hasOpt(e.Opts, "noauto") {
			continue
		}
		if o.typesGiven && !typeMatches(o.types, e.Type) {
			continue
		}
		mounted := false
		for _, m := range loadMounts(h) {
			if m.Point == e.File {
				mounted = true
			}
		}
		if mounted {
			continue
		}
		if doMount(p, e.Spec, e.File, e.Type, joinOpts(e.Opts, o.opts), o.fake) == 0 {
			ok++
		} else {
			failed++
		}
	}
	switch {
	case failed == 0:
		return 0
	case ok == 0:
		return 32
	}
	return 64
}

var virtualFS = setOf("tmpfs", "proc", "sysfs", "devtmpfs", "devpts", "cgroup2", "mqueue", "debugfs", "tracefs", "configfs", "fusectl", "hugetlbfs", "securityfs", "bpf", "pstore", "ramfs")

// doMount mounts one filesystem, through /sbin/mount.TYPE when the type has
// a helper (libmount's order), else "in the kernel".
func doMount(p *sim.Proc, src, tgt, fstype, opts string, fake bool) int {
	h := p.Host
	if !p.User.IsRoot() {
		errw(p, "mount: %s: must be superuser to use mount.", tgt)
		return 32
	}
	if fstype == "auto" && strings.Contains(src, ":/") {
		fstype = "nfs"
	}
	if hasOpt(opts, "remount") {
		return remount(p, tgt, opts)
	}
	if strings.HasPrefix(src, "UUID=") || strings.HasPrefix(src, "LABEL=") {
		// tags name the device already mounted there, or nothing the lab has
		for _, m := range loadMounts(h) {
			if m.Point == tgt {
				errw(p, "mount: %s: %s already mounted on %s.", tgt, m.Source, tgt)
				return 32
			}
		}
		errw(p, "mount: %s: can't find %s.", tgt, src)
		return 32
	}
	for _, helper := range []string{"/usr/sbin/mount." + fstype, "/sbin/mount." + fstype} {
		if fstype != "auto" && exists(h, helper) {
			argv := []string{helper, src, tgt}
			if kopts := strings.Trim(opts, ","); kopts != "" {
				argv = append(argv, "-o", kopts)
			}
			if fake {
				argv = append(argv, "-f")
			}
			return h.Exec(p, argv)
		}
	}
	switch fstype {
	case "nfs", "nfs4", "cifs", "smb3":
		errw(p, "mount: %s: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.", tgt)
		return 32
	}
	fi, err := h.Tree.Stat(tgt)
	if err != nil {
		errw(p, "mount: %s: mount point does not exist.", tgt)
		return 32
	}
	if !fi.IsDir() {
		errw(p, "mount: %s: mount point is not a directory.", tgt)
		return 32
	}
	var kopts []string
	switch {
	case virtualFS[fstype]:
		kopts = []string{"rw", "relatime", "seclabel"}
		if fstype == "tmpfs" {
			kopts = []string{"rw", "relatime", "seclabel"}
			for _, o := range strings.Split(opts, ",") {
				if strings.HasPrefix(o, "size=") || strings.HasPrefix(o, "mode=") {
					kopts = append(kopts, o)
				}
			}
			kopts = append(kopts, "inode64")
		}
	case strings.HasPrefix(src, "/dev/"):
		if !exists(h, src) {
			errw(p, "mount: %s: special device %s does not exist.", tgt, src)
			return 32
		}
		if fstype == "auto" {
			errw(p, "mount: %s: wrong fs type, bad option, bad superblock on %s, missing codepage or helper program, or other error.", tgt, src)
			return 32
		}
		kopts = []string{"rw", "relatime", "seclabel"}
		if fstype == "xfs" {
			kopts = append(kopts, "attr2", "inode64", "logbufs=8", "logbsize=32k", "noquota")
		}
	default:
		if fstype == "auto" {
			errw(p, "mount: %s: special device %s does not exist.", tgt, src)
			return 32
		}
		errw(p, "mount: %s: unknown filesystem type '%s'.", tgt, fstype)
		return 32
	}
	if hasOpt(opts, "ro") {
		kopts[0] = "ro"
	}
	for _, flag := range []string{"nosuid", "nodev", "noexec"} {
		if hasOpt(opts, flag) {
			kopts = append(kopts[:1], append([]string{flag}, kopts[1:]...)...)
		}
	}
	for _, m := range loadMounts(h) {
		if m.Point == tgt && m.Source == src {
			errw(p, "mount: %s: %s already mounted on %s.", tgt, src, tgt)
			return 32
		}
	}
	if fake {
		return 0
	}
	entry := sim.Mount{Source: src, Point: tgt, FSType: fstype, Options: kopts}
	if err := sim.Update[sim.Mounts](h, sim.MountsState, func(s *sim.Mounts) error {
		s.List = append(s.List, entry)
		return nil
	}); err != nil {
		errw(p, "mount: %s: %v.", tgt, err)
		return 32
	}
	return 0
}

func remount(p *sim.Proc, tgt, opts string) int {
	found := false
	err := sim.Update[sim.Mounts](p.Host, sim.MountsState, func(s *sim.Mounts) error {
		for i := len(s.List) - 1; i >= 0; i-- {
			if s.List[i].Point != tgt {
				continue
			}
			found = true
			if hasOpt(opts, "ro") {
				s.List[i].Options[0] = "ro"
			} else if hasOpt(opts, "rw") {
				s.List[i].Options[0] = "rw"
			}
			return nil
		}
		return nil
	})
	if err != nil || !found {
		errw(p, "mount: %s: mount point not mounted or bad option.", tgt)
		return 32
	}
	return 0
}

// umountCmd is util-linux 2.37 umount(8): by mount point or source, the
// most recent mount first. Without -f or -l, libmount first stat()s the
// mount point (lookup_umount_fs_by_statfs), which waits on a hung NFS mount
// as any access does; with either it does not ("it's bad idea for
// --lazy/--force umounts as target is probably unreachable NFS"), and the
// kernel's umount_begin ends the mount's pending requests, so umount -f
// and umount -l return at once.
func umountCmd(p *sim.Proc) int {
	var pos []string
	all, skipStat := false, false
	args := splitShortOpts(p.Args[1:], "OtN")
	for i, a := range args {
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		switch {
		case a == "-f" || a == "--force" || a == "-l" || a == "--lazy":
			skipStat = true
		case a == "-v" || a == "--verbose" || a == "-n" || a == "-R" || a == "--recursive" || a == "-r" || a == "-d":
		case a == "-a" || a == "--all":
			all = true
		case a == "-V" || a == "--version":
			outw(p.Stdout, "umount from util-linux 2.37.4 (libmount 2.37.4: selinux, smack, btrfs, namespaces, assert, debug)")
			return 0
		case strings.HasPrefix(a, "-") && len(a) > 1:
			errw(p, "umount: unrecognized option '%s'", a)
			errw(p, "Try 'umount --help' for more information.")
			return 1
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) == 0 && !all {
		errw(p, "umount: bad usage")
		errw(p, "Try 'umount --help' for more information.")
		return 1
	}
	if all {
		errw(p, "lab: umount -a is not emulated")
		return 1
	}
	rc := 0
	for _, a := range pos {
		if r := umountOne(p, a, skipStat); r != 0 {
			rc = r
		}
	}
	return rc
}

func umountOne(p *sim.Proc, arg string, skipStat bool) int {
	h := p.Host
	target := arg
	if strings.HasPrefix(arg, "/") {
		target = path.Clean(arg)
	}
	idx := -1
	list := loadMounts(h)
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Point == target || list[i].Source == arg {
			idx = i
			break
		}
	}
	if idx < 0 {
		if !p.User.IsRoot() {
			errw(p, "umount: %s: not mounted.", target)
			return 1
		}
		if !exists(h, target) {
			errw(p, "umount: %s: no mount point specified.", target)
			return 32
		}
		errw(p, "umount: %s: not mounted.", target)
		return 32
	}
	point := list[idx].Point
	if !p.User.IsRoot() {
		errw(p, "umount: %s: must be superuser to unmount.", point)
		return 32
	}
	if point == "/" {
		errw(p, "umount: /: target is busy.")
		return 32
	}
	for _, m := range list[idx+1:] {
		if strings.HasPrefix(m.Point, point+"/") {
			errw(p, "umount: %s: target is busy.", point)
			return 32
		}
	}
	if !skipStat && list[idx].Remote != nil {
		// a stale mount's stat fails and umount goes on; a hung one waits
		_, _ = p.Tree().Stat(point)
		if p.Ctx != nil && p.Ctx.Err() != nil {
			return 32
		}
	}
	if err := removeMount(h, point); err != nil {
		errw(p, "umount: %s: %v.", point, err)
		return 32
	}
	return 0
}

// removeMount drops the most recent entry mounted on point.
func removeMount(h *sim.Host, point string) error {
	return sim.Update[sim.Mounts](h, sim.MountsState, func(s *sim.Mounts) error {
		for i := len(s.List) - 1; i >= 0; i-- {
			if s.List[i].Point == point {
				s.List = append(s.List[:i], s.List[i+1:]...)
				return nil
			}
		}
		return nil
	})
}
