package zfs

import (
	"fmt"
	"sort"
	"strings"
)

// takeSnapshot records ds's current files as snapshot name in txg.
func (c *ctx) takeSnapshot(p *Pool, ds *Dataset, name string, txg uint64, user map[string]string) error {
	a, err := c.fsys.live(ds)
	if err != nil {
		return err
	}
	sn := &Snapshot{
		Name:      name,
		GUID:      randGUID(),
		CreateTxg: txg,
		Creation:  c.now.Unix(),
		Refer:     c.v.refer(p, ds),
		Written:   c.v.written(p, ds),
		Hash:      a.sum().Hash,
		Store:     newStoreID(),
		Local:     user,
	}
	sn.Objset = p.nextObjset()
	if err := c.fsys.save(storeSnap, sn.Store, a); err != nil {
		return err
	}
	ds.Snapshots = append(ds.Snapshots, sn)
	ds.SnapsChanged = c.now.Unix()
	c.v.forget()
	return nil
}

func (e *env) zfsSnapshot(args []string) int {
	opts, rest, oe := getopt(args, ":ro:")
	if oe != nil {
		return e.badOpt("snapshot", oe)
	}
	var recursive bool
	var pa propArgs
	for _, o := range opts {
		switch o.c {
		case 'r':
			recursive = true
		case 'o':
			if !pa.add(e, o.arg) {
				return e.usage("snapshot")
			}
		}
	}
	if len(rest) == 0 {
		e.errf("missing snapshot argument\n")
		return e.usage("snapshot")
	}
	return e.mutate(func(c *ctx) int {
		type target struct {
			p    *Pool
			ds   *Dataset
			name string
		}
		var targets []target
		for _, a := range rest {
			dsName, snap, sep := splitSnap(a)
			if sep != '@' {
				return c.usage("snapshot")
			}
			p, ds := c.st.dataset(dsName)
			if ds == nil {
				c.errf("cannot open '%s': %s\n", dsName, missingText(dsName))
				return c.usage("snapshot")
			}
			if msg := checkName(a, typeSnap); msg != "" {
				c.errf("cannot create snapshot '%s': %s\n", a, msg)
				return 1
			}
			list := []*Dataset{ds}
			if recursive {
				list = withTree(p, ds)
			}
			for _, d := range list {
				targets = append(targets, target{p, d, snap})
			}
		}
		user := map[string]string{}
		for _, n := range pa.names {
			if !isUserProp(n) {
				c.errf("cannot create snapshot '%s': property '%s' can not be set on snapshots\n", rest[0], n)
				return 1
			}
			user[n] = pa.values[n]
		}
		if len(user) == 0 {
			user = nil
		}
		failed := false
		for _, t := range targets {
			full := t.ds.Name + "@" + t.name
			switch {
			case !c.p.User.IsRoot():
				c.errf("cannot create snapshot '%s': permission denied\n", full)
				failed = true
			case t.ds.snapshot(t.name) != nil:
				c.errf("cannot create snapshot '%s': dataset already exists\n", full)
				failed = true
			}
		}
		if failed {
			if len(targets) > 1 {
				c.errf("no snapshots were created\n")
			}
			return 1
		}
		txgs := map[*Pool]uint64{}
		for _, t := range targets {
			if _, ok := txgs[t.p]; !ok {
				txgs[t.p] = t.p.nextTxg()
			}
			if err := c.takeSnapshot(t.p, t.ds, t.name, txgs[t.p], copyMap(user)); err != nil {
				c.errf("cannot create snapshot '%s@%s': %v\n", t.ds.Name, t.name, err)
				return 1
			}
		}
		return 0
	})
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (e *env) zfsRollback(args []string) int {
	opts, rest, oe := getopt(args, ":rRf")
	if oe != nil {
		return e.badOpt("rollback", oe)
	}
	var recursive bool
	for _, o := range opts {
		if o.c == 'r' || o.c == 'R' {
			recursive = true
		}
	}
	if len(rest) == 0 {
		e.errf("missing dataset argument\n")
		return e.usage("rollback")
	}
	if len(rest) > 1 {
		e.errf("too many arguments\n")
		return e.usage("rollback")
	}
	name := rest[0]
	return e.mutate(func(c *ctx) int {
		n, ok := c.st.resolve(name)
		if !ok || n.snap == nil {
			if ok {
				c.errf("cannot open '%s': operation not applicable to datasets of this type\n", name)
			} else {
				c.errf("cannot open '%s': %s\n", name, missingText(name))
			}
			return 1
		}
		ds, sn := n.ds, n.snap
		var later []string
		for _, s := range ds.Snapshots {
			if s.CreateTxg > sn.CreateTxg {
				later = append(later, ds.Name+"@"+s.Name)
			}
		}
		for _, b := range ds.Bookmarks {
			if b.CreateTxg > sn.CreateTxg {
				later = append(later, ds.Name+"#"+b.Name)
			}
		}
		if len(later) > 0 && !recursive {
			c.errf("cannot rollback to '%s': more recent snapshots or bookmarks exist\n", name)
			c.errf("use '-r' to force deletion of the following snapshots and bookmarks:\n")
			for _, l := range later {
				c.errf("%s\n", l)
			}
			return 1
		}
		if !c.p.User.IsRoot() {
			c.errf("cannot rollback '%s': permission denied\n", ds.Name)
			return 1
		}
		for _, s := range append([]*Snapshot(nil), ds.Snapshots...) {
			if s.CreateTxg > sn.CreateTxg {
				if len(s.Holds) > 0 {
					c.errf("cannot destroy snapshot %s@%s: dataset is busy\n", ds.Name, s.Name)
					return 1
				}
				c.fsys.drop(storeSnap, s.Store)
				ds.removeSnapshot(s.Name)
			}
		}
		var keep []*Bookmark
		for _, b := range ds.Bookmarks {
			if b.CreateTxg <= sn.CreateTxg {
				keep = append(keep, b)
			}
		}
		ds.Bookmarks = keep
		if err := c.restore(ds, sn); err != nil {
			c.errf("cannot rollback '%s': %v\n", ds.Name, err)
			return 1
		}
		return 0
	})
}

// restore makes a snapshot's files the dataset's current files.
func (c *ctx) restore(ds *Dataset, sn *Snapshot) error {
	if !tracked(ds) {
		return nil
	}
	a, err := c.fsys.load(storeSnap, sn.Store)
	if err != nil {
		return err
	}
	err = c.fsys.setLive(ds, a)
	c.v.forget()
	return err
}

func (e *env) zfsBookmark(args []string) int {
	_, rest, oe := getopt(args, ":")
	if oe != nil {
		return e.badOpt("bookmark", oe)
	}
	if len(rest) < 1 {
		e.errf("missing snapshot argument\n")
		return e.usage("bookmark")
	}
	if len(rest) < 2 {
		e.errf("missing bookmark argument\n")
		return e.usage("bookmark")
	}
	if len(rest) > 2 {
		e.errf("too many arguments\n")
		return e.usage("bookmark")
	}
	src, dst := rest[0], rest[1]
	return e.mutate(func(c *ctx) int {
		fail := func(msg string) int {
			c.errf("cannot create bookmark '%s': %s\n", dst, msg)
			return 1
		}
		if !strings.Contains(dst, "#") {
			return fail("missing '#' delimiter in bookmark name")
		}
		n, ok := c.st.resolve(src)
		if !ok || (n.snap == nil && n.book == nil) {
			c.errf("cannot open '%s': %s\n", src, missingText(src))
			return 1
		}
		dsName, bname, _ := splitSnap(dst)
		if dsName != n.ds.Name {
			return fail("source is not an ancestor of the new bookmark's dataset")
		}
		if msg := checkName(dst, typeBook); msg != "" {
			return fail(msg)
		}
		if n.ds.bookmark(bname) != nil {
			return fail("bookmark exists")
		}
		if !c.p.User.IsRoot() {
			return fail("permission denied")
		}
		b := &Bookmark{Name: bname}
		if n.snap != nil {
			b.GUID, b.CreateTxg, b.Creation, b.Refer = n.snap.GUID, n.snap.CreateTxg, n.snap.Creation, n.snap.Refer
		} else {
			b.GUID, b.CreateTxg, b.Creation, b.Refer = n.book.GUID, n.book.CreateTxg, n.book.Creation, n.book.Refer
		}
		n.ds.Bookmarks = append(n.ds.Bookmarks, b)
		sort.SliceStable(n.ds.Bookmarks, func(i, j int) bool { return n.ds.Bookmarks[i].CreateTxg < n.ds.Bookmarks[j].CreateTxg })
		return 0
	})
}

// holdTargets resolves hold/release snapshot arguments, with -r the
// same-named snapshots of descendants.
func (c *ctx) holdTargets(args []string, recursive bool) ([]node, int) {
	var out []node
	rc := 0
	for _, a := range args {
		n, ok := c.st.resolve(a)
		if !ok || n.snap == nil {
			if ok {
				c.errf("'%s' is not a snapshot\n", a)
				return nil, c.usage("hold")
			}
			c.errf("cannot open '%s': %s\n", a, missingText(a))
			rc = 1
			continue
		}
		out = append(out, n)
		if recursive {
			for _, d := range n.pool.descendants(n.ds) {
				if s := d.snapshot(n.snap.Name); s != nil {
					out = append(out, node{pool: n.pool, ds: d, snap: s})
				}
			}
		}
	}
	return out, rc
}

func (e *env) zfsHold(args []string) int    { return e.holdRelease("hold", args) }
func (e *env) zfsRelease(args []string) int { return e.holdRelease("release", args) }

func (e *env) holdRelease(cmd string, args []string) int {
	opts, rest, oe := getopt(args, ":r")
	if oe != nil {
		return e.badOpt(cmd, oe)
	}
	recursive := len(opts) > 0
	if len(rest) < 2 {
		e.errf("too few arguments\n")
		return e.usage(cmd)
	}
	tag := rest[0]
	return e.mutate(func(c *ctx) int {
		nodes, rc := c.holdTargets(rest[1:], recursive)
		if rc == 2 {
			return rc
		}
		for _, n := range nodes {
			sn := n.snap
			switch {
			case !c.p.User.IsRoot():
				if cmd == "hold" {
					c.errf("cannot hold snapshot '%s': permission denied\n", n.name())
				} else {
					c.errf("cannot release hold from snapshot '%s': permission denied\n", n.name())
				}
				rc = 1
			case cmd == "hold":
				if _, ok := sn.Holds[tag]; ok {
					c.errf("cannot hold snapshot '%s': tag already exists on this dataset\n", n.name())
					rc = 1
					continue
				}
				if sn.Holds == nil {
					sn.Holds = map[string]int64{}
				}
				sn.Holds[tag] = c.now.Unix()
			default:
				if _, ok := sn.Holds[tag]; !ok {
					c.errf("cannot release hold from snapshot '%s': no such tag on this dataset\n", n.name())
					rc = 1
					continue
				}
				delete(sn.Holds, tag)
				if len(sn.Holds) == 0 {
					sn.Holds = nil
				}
			}
		}
		return rc
	})
}

func (e *env) zfsHolds(args []string) int {
	opts, rest, oe := getopt(args, ":rHp")
	if oe != nil {
		return e.badOpt("holds", oe)
	}
	var recursive, scripted, parsable bool
	for _, o := range opts {
		switch o.c {
		case 'r':
			recursive = true
		case 'H':
			scripted = true
		case 'p':
			parsable = true
		}
	}
	if len(rest) == 0 {
		e.errf("missing snapshot argument\n")
		return e.usage("holds")
	}
	c, err := e.load()
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	nodes, rc := c.holdTargets(rest, recursive)
	if rc == 2 {
		return rc
	}
	type row struct{ name, tag, ts string }
	var rows []row
	nw, tw := len("NAME"), len("TAG")
	for _, n := range nodes {
		tags := make([]string, 0, len(n.snap.Holds))
		for t := range n.snap.Holds {
			tags = append(tags, t)
		}
		sort.Strings(tags)
		for _, t := range tags {
			ts := holdTime(n.snap.Holds[t], e.loc)
			if parsable {
				ts = fmt.Sprint(n.snap.Holds[t])
			}
			rows = append(rows, row{n.name(), t, ts})
			nw, tw = max(nw, len(n.name())), max(tw, len(t))
		}
	}
	if len(rows) == 0 {
		return rc
	}
	if !scripted {
		e.outf("%-*s  %-*s  %s\n", nw, "NAME", tw, "TAG", "TIMESTAMP")
	}
	for _, r := range rows {
		if scripted {
			e.outf("%s\t%s\t%s\n", r.name, r.tag, r.ts)
		} else {
			e.outf("%-*s  %-*s  %s\n", nw, r.name, tw, r.tag, r.ts)
		}
	}
	return rc
}
