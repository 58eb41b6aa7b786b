package zfs

import (
	"sort"
	"strings"
)

// walkOpts selects the nodes of zfs list / get / inherit ... as zfs_for_each.
type walkOpts struct {
	types   dsType
	recurse bool
	depth   int // with recurse: levels below an argument, <0 unlimited
}

// openErr is a failure to open an argument; it carries zfs's message text.
type openErr struct{ name, msg string }

// resolve finds a dataset, snapshot or bookmark by full name.
func (s *State) resolve(name string) (node, bool) {
	dsName, rest, sep := splitSnap(name)
	p, ds := s.dataset(dsName)
	if ds == nil {
		return node{}, false
	}
	switch sep {
	case '@':
		sn := ds.snapshot(rest)
		if sn == nil {
			return node{}, false
		}
		return node{pool: p, ds: ds, snap: sn}, true
	case '#':
		b := ds.bookmark(rest)
		if b == nil {
			return node{}, false
		}
		return node{pool: p, ds: ds, book: b}, true
	}
	return node{pool: p, ds: ds}, true
}

// splitSnap splits "ds@snap" or "ds#book"; sep is 0 for a plain dataset.
func splitSnap(name string) (string, string, byte) {
	if i := strings.IndexAny(name, "@#"); i >= 0 {
		return name[:i], name[i+1:], name[i]
	}
	return name, "", 0
}

// walk gathers the nodes named by args (all pools when none), recursing as
// asked, in zfs_compare order; missing arguments are returned as errors.
func (s *State) walk(args []string, o walkOpts) ([]node, []openErr) {
	var out []node
	var errs []openErr
	seen := map[string]bool{}
	add := func(n node) {
		k := n.name()
		if !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	var visit func(p *Pool, ds *Dataset, level int)
	visit = func(p *Pool, ds *Dataset, level int) {
		if ds.typ()&o.types != 0 {
			add(node{pool: p, ds: ds})
		}
		if !o.recurse || (o.depth >= 0 && level >= o.depth) {
			return
		}
		if o.types&typeSnap != 0 {
			for _, sn := range ds.Snapshots {
				add(node{pool: p, ds: ds, snap: sn})
			}
		}
		if o.types&typeBook != 0 {
			for _, b := range ds.Bookmarks {
				add(node{pool: p, ds: ds, book: b})
			}
		}
		for _, c := range p.children(ds) {
			visit(p, c, level+1)
		}
	}
	if len(args) == 0 {
		for _, p := range s.imported() {
			if r := p.root(); r != nil {
				visit(p, r, 0)
			}
		}
	}
	for _, a := range args {
		n, ok := s.resolve(a)
		if !ok {
			errs = append(errs, openErr{a, missingText(a)})
			continue
		}
		if n.snap != nil || n.book != nil {
			add(n)
			continue
		}
		visit(n.pool, n.ds, 0)
	}
	sortNodes(out)
	return out, errs
}

// missingText is libzfs's reason for a name that does not open.
func missingText(name string) string {
	if err := checkName(name, typeFS|typeVol|typeSnap|typeBook); err != "" {
		return err
	}
	return "dataset does not exist"
}

// sortNodes orders as zfs_compare: by dataset name, a dataset before its
// snapshots and bookmarks, those by createtxg.
func sortNodes(ns []node) {
	sort.SliceStable(ns, func(i, j int) bool { return lessNode(ns[i], ns[j]) })
}

func lessNode(a, b node) bool {
	if a.ds.Name != b.ds.Name {
		return a.ds.Name < b.ds.Name
	}
	aPlain, bPlain := a.snap == nil && a.book == nil, b.snap == nil && b.book == nil
	if aPlain != bPlain {
		return aPlain
	}
	return a.createTxg() < b.createTxg()
}

func (n node) createTxg() uint64 {
	switch {
	case n.snap != nil:
		return n.snap.CreateTxg
	case n.book != nil:
		return n.book.CreateTxg
	}
	return n.ds.CreateTxg
}
