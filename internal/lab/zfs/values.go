package zfs

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Space accounting constants, chosen to match the article's real output: an
// empty filesystem references 96K, an empty encrypted one 200K, a new volume
// 56K; files take whole 4K sectors (ashift 12).
const (
	baseRefer      = 98304
	baseReferCrypt = 204800
	baseReferVol   = 57344
	sector         = 4096
	minSlop        = 128 << 20
)

// usage supplies what the state cannot know: the files of live datasets,
// which are in the host's tree while mounted and in their store while not.
type usage interface {
	// liveBytes returns the bytes of ds's current files.
	liveBytes(p *Pool, ds *Dataset) uint64
	// liveHash returns the hash of ds's current files.
	liveHash(p *Pool, ds *Dataset) string
}

// view evaluates properties over a state.
type view struct {
	st     *State
	loc    *time.Location
	use    usage
	bytes  map[*Dataset]uint64
	hashes map[*Dataset]string
	// usedOf holds used per dataset of each pool, for a view over a state
	// that does not change while it lives (a listing's): a pool's totals
	// are summed once, not once per dataset printed. nil in the views of
	// commands that change the state.
	usedOf map[*Pool]map[*Dataset]uint64
}

func newView(st *State, loc *time.Location, use usage) *view {
	if loc == nil {
		loc = time.UTC
	}
	return &view{st: st, loc: loc, use: use, bytes: map[*Dataset]uint64{}, hashes: map[*Dataset]string{}}
}

// frozen marks v as a view over a state that nobody changes while it lives.
func (v *view) frozen() *view {
	v.usedOf = map[*Pool]map[*Dataset]uint64{}
	return v
}

// node is a dataset, or one of its snapshots or bookmarks.
type node struct {
	pool *Pool
	ds   *Dataset
	snap *Snapshot
	book *Bookmark
}

func (n node) name() string {
	switch {
	case n.snap != nil:
		return n.ds.Name + "@" + n.snap.Name
	case n.book != nil:
		return n.ds.Name + "#" + n.book.Name
	}
	return n.ds.Name
}

func (n node) typ() dsType {
	switch {
	case n.snap != nil:
		return typeSnap
	case n.book != nil:
		return typeBook
	}
	return n.ds.typ()
}

func (n node) typeName() string {
	switch n.typ() {
	case typeSnap:
		return "snapshot"
	case typeBook:
		return "bookmark"
	case typeVol:
		return "volume"
	}
	return "filesystem"
}

// pval is a property's value and source as zfs get prints them; ok is false
// when zfs_prop_get fails (the property is skipped by "all", printed "-").
type pval struct {
	val string
	src string
	ok  bool
}

const (
	srcNone      = "-"
	srcDefault   = "default"
	srcLocal     = "local"
	srcReceived  = "received"
	srcTemporary = "temporary"
	srcInherited = "inherited from "
)

func none(v string) pval { return pval{v, srcNone, true} }

var failed = pval{"-", srcNone, false}

// tracked reports whether a dataset's files are tracked.
func tracked(ds *Dataset) bool { return ds.Fixed == 0 && !ds.isVolume() }

// fileBytes returns (and caches) the bytes of ds's files.
func (v *view) fileBytes(p *Pool, ds *Dataset) uint64 {
	if n, ok := v.bytes[ds]; ok {
		return n
	}
	var n uint64
	if tracked(ds) && v.use != nil {
		n = v.use.liveBytes(p, ds)
	}
	v.bytes[ds] = n
	return n
}

// fileHash returns (and caches) the hash of ds's files.
func (v *view) fileHash(p *Pool, ds *Dataset) string {
	if h, ok := v.hashes[ds]; ok {
		return h
	}
	h := emptyHash
	if tracked(ds) && v.use != nil {
		h = v.use.liveHash(p, ds)
	}
	v.hashes[ds] = h
	return h
}

// forget drops cached file facts after a change.
func (v *view) forget() {
	clear(v.bytes)
	clear(v.hashes)
	clear(v.usedOf)
}

// refer is the bytes a live dataset references.
func (v *view) refer(p *Pool, ds *Dataset) uint64 {
	switch {
	case ds.Fixed > 0:
		return ds.Fixed
	case ds.isVolume():
		return baseReferVol
	case ds.Enc != nil:
		return baseReferCrypt + v.fileBytes(p, ds)
	}
	return baseRefer + v.fileBytes(p, ds)
}

func (v *view) usedByChildren(p *Pool, ds *Dataset) uint64 {
	var n uint64
	for _, c := range p.children(ds) {
		n += v.used(p, c)
	}
	return n
}

func (v *view) usedByRefreserv(p *Pool, ds *Dataset) uint64 {
	rr := numLocal(ds, "refreservation")
	if r := v.refer(p, ds); rr > r {
		return rr - r
	}
	return 0
}

func (v *view) used(p *Pool, ds *Dataset) uint64 {
	if v.usedOf == nil {
		return v.refer(p, ds) + v.usedByChildren(p, ds) + v.usedByRefreserv(p, ds)
	}
	m, ok := v.usedOf[p]
	if !ok {
		m = v.usedAll(p)
		v.usedOf[p] = m
	}
	return m[ds]
}

// usedAll computes used for every dataset of p in one pass: from the last
// name to the first, so that every dataset comes after all of its
// descendants ("a/b/c" sorts after "a/b"), adding each one's used to its
// parent's. A result that no walk of files went into is shared with the
// next commands that read the same state (totals).
func (v *view) usedAll(p *Pool) map[*Dataset]uint64 {
	sc, _ := v.use.(sizeCache)
	var key string
	var walks int
	if sc != nil {
		key, walks = sc.sizesKey()
		if m := totals.get(p, key); m != nil {
			return m
		}
	}
	m := make(map[*Dataset]uint64, len(p.Datasets))
	below := make([]uint64, len(p.Datasets))
	for i := len(p.Datasets) - 1; i >= 0; i-- {
		ds := p.Datasets[i]
		n := v.refer(p, ds) + below[i] + v.usedByRefreserv(p, ds)
		m[ds] = n
		if j := strings.LastIndexByte(ds.Name, '/'); j >= 0 {
			if k, ok := p.index(ds.Name[:j]); ok {
				below[k] += n
			}
		}
	}
	if sc != nil {
		if _, after := sc.sizesKey(); after == walks {
			totals.put(p, key, m)
		}
	}
	return m
}

// sizeCache is a usage whose answers may be shared between commands: key
// names what they depend on beyond the state (which datasets are marked
// written, what else is mounted), walks counts the walks of files so far,
// whose results can change at any time.
type sizeCache interface {
	sizesKey() (key string, walks int)
}

// totals keeps the used of every dataset of the last few pool states that
// read commands saw. A state that sim.Peek decoded is shared by every
// reader until it is saved again, and its *Pool with it, so a pool's
// totals are summed once per state rather than once per command. The maps
// are never changed once stored.
var totals totalsCache

type totalsCache struct {
	mu      sync.Mutex
	entries [8]totalsEntry
	next    int
}

type totalsEntry struct {
	pool *Pool
	key  string
	used map[*Dataset]uint64
}

func (c *totalsCache) get(p *Pool, key string) map[*Dataset]uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if e.pool == p && e.key == key {
			return e.used
		}
	}
	return nil
}

func (c *totalsCache) put(p *Pool, key string, used map[*Dataset]uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[c.next] = totalsEntry{p, key, used}
	c.next = (c.next + 1) % len(c.entries)
}

// alloc is the pool's allocated bytes.
func (v *view) alloc(p *Pool) uint64 {
	if r := p.root(); r != nil {
		return p.Meta + v.used(p, r)
	}
	return p.Meta
}

func (v *view) free(p *Pool) uint64 {
	if a := v.alloc(p); a < p.Size {
		return p.Size - a
	}
	return 0
}

// dspace is the space datasets can use: raidz parity is not theirs.
func dspace(p *Pool) uint64 {
	var n uint64
	for _, vd := range p.Vdevs {
		switch vd.Type {
		case "raidz1", "raidz2", "raidz3":
			par := uint64(vd.Type[5] - '0')
			k := uint64(len(vd.Devices))
			n += vd.Size / k * (k - par)
		default:
			n += vd.Size
		}
	}
	return n
}

// avail is a dataset's available bytes: pool space less slop, bounded by quotas.
func (v *view) avail(p *Pool, ds *Dataset) uint64 {
	space := dspace(p)
	slop := space >> 5
	if slop < minSlop {
		slop = minSlop
	}
	a := v.alloc(p)
	var av uint64
	if a+slop < space {
		av = space - a - slop
	}
	for d := ds; d != nil; d = p.parent(d) {
		if q := numLocal(d, "quota"); q > 0 {
			u := v.used(p, d)
			if u >= q {
				return 0
			}
			if q-u < av {
				av = q - u
			}
		}
	}
	return av
}

// written is the bytes written since the latest snapshot.
func (v *view) written(p *Pool, ds *Dataset) uint64 {
	r := v.refer(p, ds)
	last := ds.latest()
	if last == nil {
		return r
	}
	if ds.Fixed > 0 || ds.isVolume() || v.fileHash(p, ds) == last.Hash {
		return 0
	}
	if r > last.Refer {
		return r - last.Refer
	}
	return sector
}

// numLocal returns a numeric property set on ds (local, else received), 0 if none.
func numLocal(ds *Dataset, name string) uint64 {
	s, ok := ds.Local[name]
	if !ok {
		s, ok = ds.Received[name]
	}
	if !ok {
		return 0
	}
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

// own returns the value set on ds itself: local wins over received.
func own(ds *Dataset, name string) (string, string, bool) {
	if v, ok := ds.Local[name]; ok {
		return v, srcLocal, true
	}
	if v, ok := ds.Received[name]; ok {
		return v, srcReceived, true
	}
	return "", "", false
}

// inherited resolves an inheritable property from ds upward. found is false
// when nothing sets it (the default applies).
func inherited(p *Pool, ds *Dataset, name string) (val, src string, from *Dataset, found bool) {
	for a := ds; a != nil; a = p.parent(a) {
		if v, s, ok := own(a, name); ok {
			if a == ds {
				return v, s, a, true
			}
			return v, srcInherited + a.Name, a, true
		}
	}
	return "", srcDefault, nil, false
}

// mountpoint resolves the mountpoint of a filesystem: an inherited path gets
// the dataset's path below the one that sets it.
func mountpoint(p *Pool, ds *Dataset) (string, string) {
	v, src, from, ok := inherited(p, ds, "mountpoint")
	if !ok {
		return "/" + ds.Name, srcDefault
	}
	if from == ds || v == "none" || v == "legacy" {
		return v, src
	}
	rel := ds.Name[len(from.Name):]
	if v == "/" {
		return rel, src
	}
	return v + rel, src
}

// sizeOrNone renders quota, refquota, reservation and refreservation, where
// 0 means none: zfs_prop_get prints "0" for it when literal (-p).
func sizeOrNone(n uint64, parsable bool) string {
	if n == 0 && !parsable {
		return "none"
	}
	return size(n, parsable)
}

// noLimit is a filesystem or snapshot limit (or count) of none: UINT64_MAX.
const noLimit = math.MaxUint64

// limit renders filesystem_limit, snapshot_limit and the counts as
// zfs_prop_get does: literal (-p) prints the number, even UINT64_MAX;
// otherwise UINT64_MAX is none and others go through zfs_nicenum.
func limit(n uint64, parsable bool) string {
	switch {
	case parsable:
		return strconv.FormatUint(n, 10)
	case n == noLimit:
		return "none"
	}
	return nicenum1024(n)
}

// number renders a numeric property's stored value as zfs_prop_get does for
// that property (zfs_prop_get_recvd, the RECEIVED column, goes through it too).
func number(name string, n uint64, parsable bool) string {
	switch name {
	case "quota", "reservation", "refquota", "refreservation":
		return sizeOrNone(n, parsable)
	case "filesystem_limit", "snapshot_limit", "filesystem_count", "snapshot_count":
		return limit(n, parsable)
	}
	return size(n, parsable)
}

func size(n uint64, parsable bool) string {
	if parsable {
		return strconv.FormatUint(n, 10)
	}
	return nicebytes(n)
}

// prop evaluates a native property of a node.
func (v *view) prop(n node, pd *propDef, parsable bool) pval {
	if pd.types&n.typ() == 0 {
		return failed
	}
	p, ds := n.pool, n.ds
	isDS := n.snap == nil && n.book == nil
	switch pd.name {
	case "type":
		return none(n.typeName())
	case "creation":
		c := ds.Creation
		if n.snap != nil {
			c = n.snap.Creation
		} else if n.book != nil {
			c = n.book.Creation
		}
		if parsable {
			return none(strconv.FormatInt(c, 10))
		}
		return none(dateString(c, v.loc))
	case "used":
		if isDS {
			return none(size(v.used(p, ds), parsable))
		}
		return none(size(0, parsable))
	case "available":
		return none(size(v.avail(p, ds), parsable))
	case "referenced", "logicalreferenced":
		switch {
		case n.snap != nil:
			return none(size(n.snap.Refer, parsable))
		case n.book != nil:
			return none(size(n.book.Refer, parsable))
		}
		return none(size(v.refer(p, ds), parsable))
	case "logicalused":
		return none(size(v.used(p, ds), parsable))
	case "compressratio", "refcompressratio":
		return none(ratio(100, parsable))
	case "mounted":
		if ds.Mounted {
			return none("yes")
		}
		return none("no")
	case "origin", "receive_resume_token":
		return failed
	case "quota", "reservation", "refquota", "refreservation":
		if val, src, ok := own(ds, pd.name); ok {
			nv, _ := strconv.ParseUint(val, 10, 64)
			return pval{number(pd.name, nv, parsable), src, true}
		}
		return pval{sizeOrNone(0, parsable), srcDefault, true}
	case "filesystem_limit", "snapshot_limit":
		if val, src, ok := own(ds, pd.name); ok {
			nv, _ := strconv.ParseUint(val, 10, 64)
			return pval{number(pd.name, nv, parsable), src, true}
		}
		return pval{limit(noLimit, parsable), srcDefault, true}
	case "filesystem_count", "snapshot_count":
		// Counts are not tracked: the property's default, UINT64_MAX.
		return pval{limit(noLimit, parsable), srcDefault, true}
	case "volsize":
		if n.snap != nil {
			return none(size(ds.VolSize, parsable))
		}
		return pval{size(ds.VolSize, parsable), srcLocal, true}
	case "volblocksize":
		return none(size(ds.VolBlock, parsable))
	case "mountpoint":
		val, src := mountpoint(p, ds)
		return pval{val, src, true}
	case "createtxg":
		t := ds.CreateTxg
		if n.snap != nil {
			t = n.snap.CreateTxg
		} else if n.book != nil {
			t = n.book.CreateTxg
		}
		return none(strconv.FormatUint(t, 10))
	case "guid":
		g := ds.GUID
		if n.snap != nil {
			g = n.snap.GUID
		} else if n.book != nil {
			g = n.book.GUID
		}
		return none(strconv.FormatUint(g, 10))
	case "objsetid":
		if n.snap != nil {
			return none(strconv.FormatUint(n.snap.Objset, 10))
		}
		return none(strconv.FormatUint(ds.Objset, 10))
	case "usedbysnapshots":
		return none(size(0, parsable))
	case "usedbydataset":
		return none(size(v.refer(p, ds), parsable))
	case "usedbychildren":
		return none(size(v.usedByChildren(p, ds), parsable))
	case "usedbyrefreservation":
		return none(size(v.usedByRefreserv(p, ds), parsable))
	case "defer_destroy":
		return none("off")
	case "userrefs":
		return none(strconv.Itoa(len(n.snap.Holds)))
	case "written":
		if n.snap != nil {
			return none(size(n.snap.Written, parsable))
		}
		return none(size(v.written(p, ds), parsable))
	case "version":
		return none(pd.def)
	case "utf8only", "normalization", "casesensitivity":
		val, _, _, ok := inherited(p, ds, pd.name)
		if !ok {
			val = pd.def
		}
		return none(val)
	case "canmount", "context", "fscontext", "defcontext", "rootcontext":
		if val, src, ok := own(ds, pd.name); ok && isDS {
			return pval{val, src, true}
		}
		return pval{pd.def, srcDefault, true}
	case "encryption":
		if ds.Enc == nil {
			return pval{"off", srcDefault, true}
		}
		return none(ds.Enc.Suite)
	case "keylocation":
		if val, src, ok := own(ds, pd.name); ok {
			return pval{val, src, true}
		}
		return pval{"none", srcDefault, true}
	case "keyformat", "pbkdf2iters":
		r := p.encRoot(ds)
		if r == nil || r.Enc == nil {
			return pval{pd.def, srcDefault, true}
		}
		if pd.name == "keyformat" {
			return none(r.Enc.Format)
		}
		if r.Enc.Format != "passphrase" {
			return pval{"0", srcDefault, true}
		}
		return none(strconv.FormatUint(r.Enc.Iters, 10))
	case "encryptionroot":
		if ds.Enc == nil {
			return failed
		}
		return none(ds.Enc.Root)
	case "keystatus":
		if ds.Enc == nil {
			return failed
		}
		if p.keyLoaded(ds) {
			return none("available")
		}
		return none("unavailable")
	case "snapshots_changed":
		if ds.SnapsChanged == 0 {
			return failed
		}
		if parsable {
			return none(strconv.FormatInt(ds.SnapsChanged, 10))
		}
		return none(dateString(ds.SnapsChanged, v.loc))
	}
	// Inheritable properties; a mount option overrides them while mounted.
	if t, ok := ds.Temp[pd.name]; ok && isDS {
		return pval{t, srcTemporary, true}
	}
	if pd.attr == attrInherit {
		val, src, _, ok := inherited(p, ds, pd.name)
		if !ok {
			if pd.kind == kindNumber && parsable {
				// zfs_prop_get prints a default like any value: "%llu".
				if nv, err := parseSize(pd.def); err == nil {
					return pval{strconv.FormatUint(nv, 10), srcDefault, true}
				}
			}
			return pval{pd.def, srcDefault, true}
		}
		if n.snap != nil && src == srcLocal {
			src = srcInherited + ds.Name
		} else if n.snap != nil && src == srcReceived {
			src = srcInherited + ds.Name
		}
		if pd.kind == kindNumber {
			nv, _ := strconv.ParseUint(val, 10, 64)
			val = size(nv, parsable)
		}
		return pval{val, src, true}
	}
	return failed
}

// userProp evaluates a user property (module:name) of a node.
func (v *view) userProp(n node, name string) pval {
	if n.snap != nil {
		if val, ok := n.snap.Local[name]; ok {
			return pval{val, srcLocal, true}
		}
	}
	if n.book != nil {
		return pval{"-", srcNone, true}
	}
	val, src, _, ok := inherited(n.pool, n.ds, name)
	if !ok {
		return pval{"-", srcNone, true}
	}
	if n.snap != nil && (src == srcLocal || src == srcReceived) {
		src = srcInherited + n.ds.Name
	}
	return pval{val, src, true}
}

// userProps lists the user properties that apply to a node, sorted.
func userProps(n node) []string {
	seen := map[string]bool{}
	if n.snap != nil {
		for k := range n.snap.Local {
			seen[k] = true
		}
	}
	if n.book == nil {
		for a := n.ds; a != nil; a = n.pool.parent(a) {
			for _, m := range []map[string]string{a.Local, a.Received} {
				for k := range m {
					if isUserProp(k) {
						seen[k] = true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}
