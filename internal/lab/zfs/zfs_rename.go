package zfs

import (
	"strings"
)

func (e *env) zfsRename(args []string) int {
	opts, rest, oe := getopt(args, ":fpur")
	if oe != nil {
		return e.badOpt("rename", oe)
	}
	var parents, noMount, recursive bool
	for _, o := range opts {
		switch o.c {
		case 'p':
			parents = true
		case 'u':
			noMount = true
		case 'r':
			recursive = true
		}
	}
	switch {
	case len(rest) < 1:
		e.errf("missing source dataset argument\n")
		return e.usage("rename")
	case len(rest) < 2:
		e.errf("missing target dataset argument\n")
		return e.usage("rename")
	case len(rest) > 2:
		e.errf("too many arguments\n")
		return e.usage("rename")
	case recursive && parents:
		e.errf("-p and -r options are mutually exclusive\n")
		return e.usage("rename")
	case noMount && parents:
		e.errf("-u and -p options are mutually exclusive\n")
		return e.usage("rename")
	case recursive && !strings.Contains(rest[0], "@"):
		e.errf("source dataset for recursive rename must be a snapshot\n")
		return e.usage("rename")
	}
	src, dst := rest[0], rest[1]
	return e.mutate(func(c *ctx) int {
		n, ok := c.st.resolve(src)
		if !ok {
			c.errf("cannot open '%s': %s\n", src, missingText(src))
			return 1
		}
		if !c.p.User.IsRoot() {
			c.errf("cannot rename '%s': permission denied\n", src)
			return 1
		}
		if n.snap != nil {
			return c.renameSnapshot(n, dst, recursive)
		}
		if n.book != nil {
			c.errf("cannot rename '%s': operation not applicable to datasets of this type\n", src)
			return 1
		}
		return c.renameDataset(n.pool, n.ds, dst, parents, noMount)
	})
}

func (c *ctx) renameDataset(p *Pool, ds *Dataset, dst string, parents, noMount bool) int {
	src := ds.Name
	if poolOf(dst) != p.Name {
		c.errf("cannot rename to '%s': datasets must be within same pool\n", dst)
		return 1
	}
	if msg := checkName(dst, ds.typ()); msg != "" {
		c.errf("cannot rename to '%s': %s\n", dst, msg)
		return 1
	}
	if ds == p.root() || dst == p.Name {
		c.errf("cannot rename to '%s': dataset already exists\n", dst)
		return 1
	}
	if strings.HasPrefix(dst, src+"/") {
		c.errf("cannot rename to '%s': New dataset name cannot be a descendant of current dataset name.\n", dst)
		return 1
	}
	if p.dataset(dst) != nil {
		c.errf("cannot rename '%s': dataset already exists\n", src)
		return 1
	}
	parentName := dst[:strings.LastIndexByte(dst, '/')]
	newParent := p.dataset(parentName)
	if newParent == nil && parents {
		if rc := c.createAncestors(p, parentName); rc != 0 {
			return rc
		}
		newParent = p.dataset(parentName)
	}
	if newParent == nil {
		c.errf("cannot rename to '%s': parent does not exist\n", dst)
		return 1
	}
	if newParent.isVolume() {
		c.errf("cannot rename to '%s': parent is not a filesystem\n", dst)
		return 1
	}
	if ds.Enc != nil && ds.Enc.Root != ds.Name {
		root := ds.Enc.Root
		if parentName != root && !strings.HasPrefix(parentName, root+"/") {
			c.errf("cannot rename '%s': cannot move encrypted child outside of its encryption root\n", src)
			return 1
		}
	}
	tree := withTree(p, ds)
	var was []*Dataset
	if !noMount {
		var err error
		if was, err = c.unmountTree(tree); err != nil {
			c.errf("cannot rename '%s': %v\n", src, err)
			return 1
		}
	}
	renameTree(p, src, dst)
	p.nextTxg()
	c.v.forget()
	if !noMount {
		c.remountAfter(p, tree, was, false)
	}
	return 0
}

func (c *ctx) renameSnapshot(n node, dst string, recursive bool) int {
	dsName, newSnap, sep := splitSnap(dst)
	if sep == 0 {
		c.errf("cannot rename to '%s': not a snapshot name\n", dst)
		return 1
	}
	if dsName != "" && dsName != n.ds.Name {
		c.errf("cannot rename to '%s': snapshots must be part of same dataset\n", dst)
		return 1
	}
	if msg := checkName(n.ds.Name+"@"+newSnap, typeSnap); msg != "" {
		c.errf("cannot rename to '%s': %s\n", dst, msg)
		return 1
	}
	list := []*Dataset{n.ds}
	if recursive {
		list = withTree(n.pool, n.ds)
	}
	for _, d := range list {
		if d.snapshot(newSnap) != nil {
			c.errf("cannot rename to '%s@%s': dataset already exists\n", d.Name, newSnap)
			return 1
		}
	}
	for _, d := range list {
		if s := d.snapshot(n.snap.Name); s != nil {
			s.Name = newSnap
		}
	}
	return 0
}
