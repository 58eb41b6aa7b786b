package zfs

import (
	"strings"
)

// dependents lists what zfs destroy without -r refuses over, as
// zfs_iter_dependents visits it: each child's own dependents, then the
// child, then the dataset's snapshots.
func dependents(p *Pool, ds *Dataset) []string {
	var out []string
	for _, c := range p.children(ds) {
		out = append(out, dependents(p, c)...)
		out = append(out, c.Name)
	}
	for _, s := range ds.Snapshots {
		out = append(out, ds.Name+"@"+s.Name)
	}
	return out
}

// destroyFlags are zfs destroy's options.
type destroyFlags struct {
	recurse, dryRun, verbose, parsable, force, deferred bool
}

func (e *env) zfsDestroy(args []string) int {
	opts, rest, oe := getopt(args, ":vpndfrR")
	if oe != nil {
		return e.badOpt("destroy", oe)
	}
	var f destroyFlags
	for _, o := range opts {
		switch o.c {
		case 'v':
			f.verbose = true
		case 'p':
			f.parsable, f.verbose = true, true
		case 'n':
			f.dryRun = true
		case 'd':
			f.deferred = true
		case 'f':
			f.force = true
		case 'r', 'R':
			f.recurse = true
		}
	}
	if len(rest) == 0 {
		e.errf("missing dataset argument\n")
		return e.usage("destroy")
	}
	if len(rest) > 1 {
		e.errf("too many arguments\n")
		return e.usage("destroy")
	}
	name := rest[0]
	return e.mutate(func(c *ctx) int {
		switch {
		case strings.Contains(name, "@"):
			return c.destroySnapshots(name, f)
		case strings.Contains(name, "#"):
			return c.destroyBookmark(name, f)
		}
		return c.destroyDataset(name, f)
	})
}

// report prints -v / -n lines of zfs destroy.
func (c *ctx) report(f destroyFlags, what, name string) {
	switch {
	case f.parsable:
		c.outf("%s\t%s\n", what, name)
	case f.dryRun:
		c.outf("would %s %s\n", what, name)
	case f.verbose:
		c.outf("will %s %s\n", what, name)
	}
}

func (c *ctx) destroyDataset(name string, f destroyFlags) int {
	p, ds := c.st.dataset(name)
	if ds == nil {
		c.errf("cannot open '%s': %s\n", name, missingText(name))
		return 1
	}
	if !f.recurse && ds == p.root() {
		c.errf("cannot destroy '%s': operation does not apply to pools\n", name)
		c.errf("use 'zfs destroy -r %s' to destroy all datasets in the pool\n", name)
		c.errf("use 'zpool destroy %s' to destroy the pool itself\n", name)
		return 1
	}
	if deps := dependents(p, ds); !f.recurse && len(deps) > 0 {
		c.errf("cannot destroy '%s': %s has children\n", name, ds.Type)
		c.errf("use '-r' to destroy the following datasets:\n")
		for _, d := range deps {
			c.errf("%s\n", d)
		}
		return 1
	}
	// Post-order: the deepest datasets and each one's snapshots first.
	var order []*Dataset
	var visit func(d *Dataset)
	visit = func(d *Dataset) {
		for _, ch := range p.children(d) {
			visit(ch)
		}
		order = append(order, d)
	}
	visit(ds)
	if f.verbose || f.dryRun {
		for _, d := range order {
			if d != p.root() {
				for _, s := range d.Snapshots {
					c.report(f, "destroy", d.Name+"@"+s.Name)
				}
				c.report(f, "destroy", d.Name)
			}
		}
	}
	if f.dryRun {
		return 0
	}
	if !c.p.User.IsRoot() {
		c.errf("cannot destroy '%s': permission denied\n", name)
		return 1
	}
	for _, d := range order {
		for _, s := range d.Snapshots {
			if len(s.Holds) > 0 {
				c.errf("cannot destroy snapshot %s@%s: dataset is busy\n", d.Name, s.Name)
				return 1
			}
		}
		if d.Fixed > 0 && d.Mounted {
			c.errf("cannot unmount '%s': pool or dataset is busy\n", d.MountedAt)
			return 1
		}
	}
	if _, err := c.unmountTree(order); err != nil {
		c.errf("cannot destroy '%s': %v\n", name, err)
		return 1
	}
	for _, d := range order {
		if d == p.root() {
			// zfs destroy -r POOL destroys what is below the root.
			for _, s := range d.Snapshots {
				c.fsys.drop(storeSnap, s.Store)
			}
			d.Snapshots, d.Bookmarks = nil, nil
			if autoMountable(p, d) {
				_ = c.mountDS(p, d)
			}
			continue
		}
		c.dropDataset(p, d)
	}
	p.nextTxg()
	return 0
}

// snapRange expands a zfs destroy snapshot list: "a,b", "a%b", "%b", "a%".
func snapRange(ds *Dataset, spec string) ([]*Snapshot, bool) {
	var out []*Snapshot
	ok := true
	for _, part := range strings.Split(spec, ",") {
		from, to, isRange := strings.Cut(part, "%")
		if !isRange {
			if s := ds.snapshot(part); s != nil {
				out = append(out, s)
			}
			continue
		}
		in := from == ""
		found := false
		for _, s := range ds.Snapshots {
			if s.Name == from {
				in = true
			}
			if in {
				out = append(out, s)
				found = true
			}
			if to != "" && s.Name == to {
				break
			}
		}
		if (from != "" && ds.snapshot(from) == nil) || (to != "" && ds.snapshot(to) == nil) || !found {
			ok = false
		}
	}
	return out, ok
}

func (c *ctx) destroySnapshots(name string, f destroyFlags) int {
	dsName, spec, _ := splitSnap(name)
	p, ds := c.st.dataset(dsName)
	if ds == nil {
		c.errf("cannot open '%s': %s\n", dsName, missingText(dsName))
		return 1
	}
	type target struct {
		ds *Dataset
		s  *Snapshot
	}
	var targets []target
	list := []*Dataset{ds}
	if f.recurse {
		list = withTree(p, ds)
	}
	for _, d := range list {
		snaps, _ := snapRange(d, spec)
		for _, s := range snaps {
			targets = append(targets, target{d, s})
		}
	}
	if len(targets) == 0 {
		c.errf("could not find any snapshots to destroy; check snapshot names.\n")
		return 1
	}
	for _, t := range targets {
		c.report(f, "destroy", t.ds.Name+"@"+t.s.Name)
	}
	if f.verbose || f.dryRun {
		if f.parsable {
			c.outf("reclaim\t0\n")
		} else if f.dryRun {
			c.outf("would reclaim 0B\n")
		} else {
			c.outf("will reclaim 0B\n")
		}
	}
	if f.dryRun {
		return 0
	}
	rc := 0
	for _, t := range targets {
		full := t.ds.Name + "@" + t.s.Name
		switch {
		case !c.p.User.IsRoot():
			c.errf("cannot destroy snapshot %s: permission denied\n", full)
			rc = 1
		case len(t.s.Holds) > 0:
			if !f.deferred {
				c.errf("cannot destroy snapshot %s: dataset is busy\n", full)
				rc = 1
			}
		default:
			c.fsys.drop(storeSnap, t.s.Store)
			t.ds.removeSnapshot(t.s.Name)
			t.ds.SnapsChanged = c.now.Unix()
		}
	}
	c.v.forget()
	return rc
}

func (c *ctx) destroyBookmark(name string, f destroyFlags) int {
	switch {
	case f.dryRun:
		c.errf("dryrun is not supported with bookmark\n")
		return 255
	case f.deferred:
		c.errf("defer destroy is not supported with bookmark\n")
		return 255
	case f.recurse:
		c.errf("recursive is not supported with bookmark\n")
		return 255
	}
	n, ok := c.st.resolve(name)
	if !ok || n.book == nil {
		c.errf("bookmark '%s' does not exist.\n", name)
		return 1
	}
	if !c.p.User.IsRoot() {
		c.errf("cannot destroy bookmark: permission denied\n")
		return 1
	}
	var keep []*Bookmark
	for _, b := range n.ds.Bookmarks {
		if b != n.book {
			keep = append(keep, b)
		}
	}
	n.ds.Bookmarks = keep
	return 0
}
