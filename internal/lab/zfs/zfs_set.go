package zfs

import (
	"strings"
)

func (e *env) zfsSet(args []string) int {
	if len(args) < 1 {
		e.errf("missing arguments\n")
		return e.usage("set")
	}
	if len(args) < 2 {
		if !strings.Contains(args[0], "=") {
			e.errf("missing property=value argument(s)\n")
		} else {
			e.errf("missing dataset name(s)\n")
		}
		return e.usage("set")
	}
	dsStart := -1
	for i, a := range args {
		if strings.Contains(a, "=") {
			if dsStart >= 0 {
				e.errf("invalid argument order\n")
				return e.usage("set")
			}
		} else if dsStart < 0 {
			dsStart = i
		}
	}
	if dsStart < 0 {
		e.errf("missing dataset name(s)\n")
		return e.usage("set")
	}
	var pa propArgs
	for _, a := range args[:dsStart] {
		if !pa.add(e, a) {
			return 255
		}
	}
	targets := args[dsStart:]
	return e.mutate(func(c *ctx) int {
		rc := 0
		for _, t := range targets {
			n, ok := c.st.resolve(t)
			if !ok {
				c.errf("cannot open '%s': %s\n", t, missingText(t))
				rc |= 1
				continue
			}
			if !c.p.User.IsRoot() {
				c.errf("cannot set property for '%s': permission denied\n", t)
				rc = -1
				continue
			}
			if !c.setProps(n, &pa) {
				rc = -1
			}
		}
		if rc < 0 {
			return 255
		}
		return rc
	})
}

// setProps is zfs_prop_set_list for one dataset or snapshot.
func (c *ctx) setProps(n node, pa *propArgs) bool {
	fail := func(msg string) bool {
		c.errf("cannot set property for '%s': %s\n", n.name(), msg)
		return false
	}
	var settings []propSetting
	for _, name := range pa.names {
		ps, msg := validateProp(name, pa.values[name], n.typ(), false)
		if msg != "" {
			return fail(msg)
		}
		if n.snap != nil && ps.prop != nil {
			return fail("this property can not be modified for snapshots")
		}
		settings = append(settings, ps)
	}
	if n.snap != nil {
		for _, s := range settings {
			if n.snap.Local == nil {
				n.snap.Local = map[string]string{}
			}
			n.snap.Local[s.name] = s.value
		}
		return true
	}
	p, ds := n.pool, n.ds
	for _, s := range settings {
		switch s.name {
		case "keylocation":
			switch {
			case ds.Enc == nil && s.value != "none":
				return fail("keylocation must be 'none' for unencrypted datasets")
			case ds.Enc != nil && ds.Enc.Root != ds.Name:
				return fail("keylocation may only be set on encryption roots")
			case ds.Enc != nil && s.value == "none":
				return fail("keylocation must not be 'none' for encrypted datasets")
			}
		case "volsize":
			if s.value == "0" {
				return fail("volume size cannot be zero")
			}
			if parseU(s.value)%ds.VolBlock != 0 {
				return fail("volume size must be a multiple of volume block size")
			}
		}
	}
	remount := false
	for _, s := range settings {
		if s.name == "mountpoint" {
			remount = true
		}
	}
	var tree, was []*Dataset
	if remount {
		tree = withTree(p, ds)
		var err error
		if was, err = c.unmountTree(tree); err != nil {
			return fail(err.Error())
		}
	}
	for _, s := range settings {
		switch s.name {
		case "volsize":
			if numLocal(ds, "refreservation") == zvolReservation(ds.VolSize, ds.VolBlock) {
				ds.setLocal("refreservation", uitoa(zvolReservation(parseU(s.value), ds.VolBlock)))
			}
			ds.VolSize = parseU(s.value)
		case "canmount":
			ds.setLocal(s.name, s.value)
			if s.value == "off" && ds.Mounted {
				if err := c.unmountDS(ds); err != nil {
					return fail(err.Error())
				}
			}
		default:
			ds.setLocal(s.name, s.value)
		}
	}
	c.v.forget()
	if remount && !c.remountAfter(p, tree, was, true) {
		c.errf("property may be set but unable to remount filesystem\n")
		return false
	}
	return true
}

// remountAfter is changelist_postfix: datasets mounted before are mounted
// again, and with a new mountpoint every filesystem with canmount=on.
func (c *ctx) remountAfter(p *Pool, tree, was []*Dataset, mountpointChanged bool) bool {
	wasMounted := map[*Dataset]bool{}
	for _, d := range was {
		wasMounted[d] = true
	}
	var todo []*Dataset
	for _, d := range tree {
		if d.isVolume() || d.Mounted || !p.keyLoaded(d) {
			continue
		}
		mp, _ := mountpoint(p, d)
		if mp == "none" || mp == "legacy" || canmount(d) == "off" {
			continue
		}
		if wasMounted[d] || (mountpointChanged && canmount(d) == "on") {
			todo = append(todo, d)
		}
	}
	ok := true
	for _, d := range sortByMountpoint(p, todo) {
		if err := c.mountDS(p, d); err != nil {
			ok = false
		}
	}
	return ok
}

func sortByMountpoint(p *Pool, list []*Dataset) []*Dataset {
	out := append([]*Dataset(nil), list...)
	mps := map[*Dataset]string{}
	for _, d := range out {
		mps[d], _ = mountpoint(p, d)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && mps[out[j]] < mps[out[j-1]]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func (e *env) zfsInherit(args []string) int {
	opts, rest, oe := getopt(args, ":rS")
	if oe != nil {
		return e.badOpt("inherit", oe)
	}
	var recursive, received bool
	for _, o := range opts {
		switch o.c {
		case 'r':
			recursive = true
		case 'S':
			received = true
		}
	}
	if len(rest) < 1 {
		e.errf("missing property argument\n")
		return e.usage("inherit")
	}
	if len(rest) < 2 {
		e.errf("missing dataset argument\n")
		return e.usage("inherit")
	}
	propname := rest[0]
	if pd := lookupProp(propname); pd != nil {
		if pd.attr == attrReadonly || pd.attr == attrOnetime || pd.attr == attrOnetimeDefault {
			e.errf("%s property is read-only\n", propname)
			return 1
		}
		if pd.attr != attrInherit && !received {
			e.errf("'%s' property cannot be inherited\n", propname)
			switch pd.name {
			case "quota", "reservation", "refquota", "refreservation":
				e.errf("use 'zfs set %s=none' to clear\n", propname)
				e.errf("use 'zfs inherit -S %s' to revert to received value\n", propname)
			}
			return 1
		}
		if received && (pd.name == "volsize" || pd.name == "version") {
			e.errf("'%s' property cannot be reverted\n", propname)
			return 1
		}
		propname = pd.name
	} else if !isUserProp(propname) {
		e.errf("invalid property '%s'\n", propname)
		return e.usage("inherit")
	}
	targets := rest[1:]
	return e.mutate(func(c *ctx) int {
		rc := 0
		for _, t := range targets {
			n, ok := c.st.resolve(t)
			if !ok {
				c.errf("cannot open '%s': %s\n", t, missingText(t))
				rc = 1
				continue
			}
			if !c.p.User.IsRoot() {
				c.errf("cannot inherit %s for '%s': permission denied\n", propname, t)
				rc = 1
				continue
			}
			if !c.inherit(n, propname, recursive, received) {
				rc = 1
			}
		}
		return rc
	})
}

// inherit clears a property of a node (and its descendants with -r).
func (c *ctx) inherit(n node, name string, recursive, received bool) bool {
	if n.snap != nil {
		delete(n.snap.Local, name)
		return true
	}
	p := n.pool
	list := []*Dataset{n.ds}
	if recursive {
		list = withTree(p, n.ds)
	}
	isMP := name == "mountpoint"
	var tree, was []*Dataset
	if isMP {
		tree = withTree(p, n.ds)
		var err error
		if was, err = c.unmountTree(tree); err != nil {
			c.errf("cannot inherit %s for '%s': %v\n", name, n.name(), err)
			return false
		}
	}
	for _, d := range list {
		delete(d.Local, name)
		if !received {
			delete(d.Received, name)
		}
		if recursive {
			for _, s := range d.Snapshots {
				delete(s.Local, name)
			}
		}
	}
	c.v.forget()
	if isMP && !c.remountAfter(p, tree, was, true) {
		c.errf("property may be set but unable to remount filesystem\n")
		return false
	}
	return true
}
