package zfs

import (
	"sort"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

func (e *env) zfsMount(args []string) int {
	opts, rest, oe := getopt(args, ":alvo:Of")
	if oe != nil {
		return e.badOpt("mount", oe)
	}
	var all, loadKeys bool
	temp := map[string]string{}
	for _, o := range opts {
		switch o.c {
		case 'a':
			all = true
		case 'l':
			loadKeys = true
		case 'o':
			for _, opt := range strings.Split(o.arg, ",") {
				if t, ok := mountOptProps[opt]; ok {
					temp[t[0]] = t[1]
				}
			}
		}
	}
	if !all && len(rest) == 0 && len(opts) == 0 {
		mounts, err := sim.Load[sim.Mounts](e.h, sim.MountsState)
		if err != nil {
			e.errf("internal error: %v\n", err)
			return 1
		}
		for _, m := range mounts.List {
			if m.FSType == "zfs" && !strings.Contains(m.Source, "@") {
				e.outf("%-30s  %s\n", m.Source, m.Point)
			}
		}
		return 0
	}
	if all && len(rest) > 0 {
		e.errf("too many arguments\n")
		return e.usage("mount")
	}
	if !all && len(rest) == 0 {
		e.errf("missing filesystem argument\n")
		return e.usage("mount")
	}
	if len(rest) > 1 {
		e.errf("too many arguments\n")
		return e.usage("mount")
	}
	return e.mutate(func(c *ctx) int {
		if all {
			for _, p := range c.st.imported() {
				if loadKeys {
					c.loadKeysQuiet(p)
				}
				_ = c.mountAll(p, p.Datasets)
			}
			return 0
		}
		name := rest[0]
		n, ok := c.st.resolve(name)
		if !ok {
			c.errf("cannot open '%s': %s\n", name, missingText(name))
			return 1
		}
		p, ds := n.pool, n.ds
		if n.snap != nil || n.book != nil || ds.isVolume() {
			c.errf("cannot open '%s': operation not applicable to datasets of this type\n", name)
			return 1
		}
		if loadKeys && !p.keyLoaded(ds) && canmount(ds) != "off" {
			root := p.encRoot(ds)
			if msg := c.loadKey(root, "", nil, false); msg != "" {
				c.errf("Key load error: %s\n", msg)
				return 1
			}
		}
		if msg := mountCheck(p, ds); msg != "" {
			first, second, two := strings.Cut(msg, "\n")
			c.errf("cannot mount '%s': %s\n", name, first)
			if two {
				c.errf("%s\n", second)
			}
			return 1
		}
		if !c.p.User.IsRoot() {
			mp, _ := mountpoint(p, ds)
			c.errf("cannot mount '%s': Insufficient privileges\n", mp)
			return 1
		}
		if err := c.mountDS(p, ds); err != nil {
			mp, _ := mountpoint(p, ds)
			c.errf("cannot mount '%s': %v\n", mp, err)
			return 1
		}
		if len(temp) > 0 {
			ds.Temp = temp
		}
		return 0
	})
}

// mountOptProps are the zfs mount -o options that set a property
// temporarily (zfs_mount_options), as property and value.
var mountOptProps = map[string][2]string{
	"ro": {"readonly", "on"}, "rw": {"readonly", "off"},
	"atime": {"atime", "on"}, "noatime": {"atime", "off"},
	"exec": {"exec", "on"}, "noexec": {"exec", "off"},
	"suid": {"setuid", "on"}, "nosuid": {"setuid", "off"},
	"dev": {"devices", "on"}, "nodev": {"devices", "off"},
}

// loadKeysQuiet loads the keys of encryption roots whose keylocation is a
// file, as zfs mount -la does; failures leave those datasets unmounted.
func (c *ctx) loadKeysQuiet(p *Pool) {
	for _, d := range p.Datasets {
		if d.Enc != nil && d.Enc.Root == d.Name && !d.Enc.Loaded {
			_ = c.loadKey(d, "", nil, false)
		}
	}
}

func (e *env) zfsUnmount(args []string) int {
	opts, rest, oe := getopt(args, ":afu")
	if oe != nil {
		return e.badOpt("unmount", oe)
	}
	var all, unload bool
	for _, o := range opts {
		switch o.c {
		case 'a':
			all = true
		case 'u':
			unload = true
		}
	}
	if all && len(rest) > 0 {
		e.errf("too many arguments\n")
		return e.usage("unmount")
	}
	if !all && len(rest) == 0 {
		e.errf("missing filesystem argument\n")
		return e.usage("unmount")
	}
	if len(rest) > 1 {
		e.errf("too many arguments\n")
		return e.usage("unmount")
	}
	return e.mutate(func(c *ctx) int {
		if all {
			type pd struct {
				p  *Pool
				ds *Dataset
			}
			var list []pd
			for _, p := range c.st.imported() {
				for _, d := range p.Datasets {
					if d.Mounted && d.Fixed == 0 {
						list = append(list, pd{p, d})
					}
				}
			}
			sort.Slice(list, func(i, j int) bool { return list[i].ds.MountedAt > list[j].ds.MountedAt })
			rc := 0
			for _, x := range list {
				if err := c.unmountDS(x.ds); err != nil {
					c.errf("cannot unmount '%s': %v\n", x.ds.MountedAt, err)
					rc = 1
				}
			}
			return rc
		}
		arg := rest[0]
		var p *Pool
		var ds *Dataset
		if strings.HasPrefix(arg, "/") {
			for _, pp := range c.st.imported() {
				for _, d := range pp.Datasets {
					if d.Mounted && d.MountedAt == strings.TrimRight(arg, "/") || d.Mounted && arg == "/" && d.MountedAt == "/" {
						p, ds = pp, d
					}
				}
			}
			if ds == nil {
				c.errf("cannot unmount '%s': not a mountpoint\n", arg)
				return 1
			}
		} else {
			n, ok := c.st.resolve(arg)
			if !ok {
				c.errf("cannot open '%s': %s\n", arg, missingText(arg))
				return 1
			}
			p, ds = n.pool, n.ds
			if !ds.Mounted {
				c.errf("cannot unmount '%s': not currently mounted\n", arg)
				return 1
			}
		}
		if !c.p.User.IsRoot() {
			c.errf("cannot unmount '%s': permission denied\n", ds.MountedAt)
			return 1
		}
		if ds.Fixed > 0 || c.hasMountsBelow(ds) {
			c.errf("cannot unmount '%s': pool or dataset is busy\n", ds.MountedAt)
			return 1
		}
		if err := c.unmountDS(ds); err != nil {
			c.errf("cannot unmount '%s': %v\n", ds.MountedAt, err)
			return 1
		}
		if unload {
			if r := p.encRoot(ds); r != nil && r == ds {
				r.Enc.Loaded = false
			}
		}
		return 0
	})
}

// hasMountsBelow reports whether another filesystem is mounted below ds.
func (c *ctx) hasMountsBelow(ds *Dataset) bool {
	for m := range c.fsys.mountpoints() {
		if m != ds.MountedAt && strings.HasPrefix(m, strings.TrimSuffix(ds.MountedAt, "/")+"/") {
			return true
		}
	}
	return false
}
