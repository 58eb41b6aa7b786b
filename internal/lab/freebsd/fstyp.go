package freebsd

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

const fstypUsage = "usage: fstyp [-l] [-s] [-u] special"

// fstypCmd is /usr/sbin/fstyp [-l] [-s] [-u] special (usr.sbin/fstyp):
// "ufs" for a disk holding a UFS file system (newfs), "zfs" for a pool's
// disk, but only with -u: fstyp's table marks ZFS "unmountable" (mount(8)
// cannot mount a pool), so without -u a pool's disk is not recognized, as
// fstyp(8) says. With -l a pool's name is printed as its label; UFS has
// none (newfs without -L). A blank disk or a regular file is not
// recognized. Disks are root:operator 0640, so others cannot open them.
func fstypCmd(p *sim.Proc) int {
	o, args, gerr := getopt(p.Args[1:], "lsu")
	if gerr != nil || len(args) != 1 {
		if gerr != nil {
			fmt.Fprint(p.Stderr, gerr.message("fstyp"))
		}
		fmt.Fprintln(p.Stderr, fstypUsage)
		return 1
	}
	flags := map[byte]bool{}
	for _, x := range o {
		flags[x.c] = true
	}
	special := args[0]
	vpath := special
	if !path.IsAbs(vpath) {
		vpath = path.Join(p.Dir, vpath)
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(p.Stderr, "fstyp: "+format+"\n", a...)
		return 1
	}
	disk, isDisk := findDisk(p.Host, vpath)
	if !isDisk && isPartition(p.Host, vpath) {
		// A partition node is a disk to fstyp; what it holds is not modelled.
		if !p.User.IsRoot() {
			return fail("%s: %s", special, sim.ErrText(syscall.EACCES))
		}
		return fail("%s: filesystem not recognized", special)
	}
	if !isDisk {
		// not a disk of the host: a file of the tree, or nothing
		fi, err := p.Host.Tree.StatAs(p.User, vpath)
		if err == nil {
			err = p.Host.Tree.Access(p.User, vpath, sim.AccessRead)
		}
		switch {
		case err != nil:
			return fail("%s: %s", special, sim.ErrText(err))
		case strings.HasPrefix(vpath, "/dev/") && (fi.Mode&fs.ModeDevice != 0 || fi.Mode&fs.ModeCharDevice != 0):
			if !flags['s'] {
				return fail("%s: not a disk", special)
			}
		case !fi.Mode.IsRegular() && !flags['s']:
			return fail("%s: not a disk", special)
		}
		return fail("%s: filesystem not recognized", special)
	}
	if !p.User.IsRoot() {
		return fail("%s: %s", special, sim.ErrText(syscall.EACCES))
	}
	name, label := "", ""
	switch {
	case disk.Holder == "ufs":
		name = "ufs"
	case strings.HasPrefix(disk.Holder, "zpool:") && flags['u']:
		name, label = "zfs", strings.TrimPrefix(disk.Holder, "zpool:")
	}
	if name == "" {
		return fail("%s: filesystem not recognized", special)
	}
	if flags['l'] && label != "" {
		fmt.Fprintf(p.Stdout, "%s %s\n", name, label)
		return 0
	}
	fmt.Fprintln(p.Stdout, name)
	return 0
}
