package sim

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Remote mounts: an entry of a host's mount table with Remote set (an NFS
// mount) makes every path at or below its mount point live in the serving
// host's tree, under the directory the server gave. The tree resolves a path
// in the client's namespace, component by component as before (so ".." and
// a symlink's absolute target stay on the client, as NFS symlinks are
// resolved by the client), and hands each component below a mount point to
// the server's tree: its files, its ownership sidecar (uid and gid by
// number, the names are the client's), its path checks (a read-only ZFS
// dataset there gives EROFS here) and its permissions for the credential
// the export maps the client's user to.
//
// An operation checks a mount's route once, when it first reaches the
// mount: the route (RegisterRoute) must still lead to the host, directory
// and file system that served the mount, else every access gives ESTALE
// until the mount is made again. When the route leads nowhere, a hard mount
// waits, polling the route, until the route comes back or the process's
// context ends (EINTR, as a killed process never sees); a soft one fails
// after its timeout with EIO (ETIMEDOUT with softerr). Nothing is locked
// while waiting: the mount table and the route are read with Peek.

// routePoll is how often a waiting access tries the route again.
var routePoll = 100 * time.Millisecond

// WithContext returns a view of the same tree whose accesses to a remote
// mount that hangs wait at most until ctx ends. A view without a context
// gives EINTR at once on a hard mount that hangs.
func (t *Tree) WithContext(ctx context.Context) *Tree {
	v := *t
	v.ctx = ctx
	return &v
}

// walk is one tree operation: the host's remote mounts as it found them,
// and the ones it has entered.
type walk struct {
	t       *Tree
	mounts  []Mount // remote mounts, the longest mount point first
	entered map[string]*remoteRoot
	// noWait probes a route once instead of waiting on it: a directory
	// listing shows a mount point without looking into a hung mount.
	noWait bool
}

// remoteRoot is a remote mount an operation reached.
type remoteRoot struct {
	point  string
	m      *RemoteMount
	ro     bool  // mounted ro, or exported -ro
	server *Tree // the server's tree, nil when err is set
	err    error // the route's verdict: ESTALE, EIO, EINTR, ...
}

// place is where a resolved path lives: a tree (the client's or a
// server's) and the path there.
type place struct {
	core *treeCore
	path string
	rr   *remoteRoot // nil on the client's own tree
}

func (p place) rel() string { return rel(p.path) }

func (t *Tree) walk() *walk {
	w := &walk{t: t}
	h := t.host.Load()
	if h == nil || t.unchecked {
		return w
	}
	ms, err := Peek[Mounts](h, MountsState)
	if err != nil {
		return w
	}
	for _, m := range ms.List {
		if m.Remote != nil {
			w.mounts = append(w.mounts, m)
		}
	}
	slices.SortStableFunc(w.mounts, func(a, b Mount) int { return len(b.Point) - len(a.Point) })
	return w
}

// mountAt returns the remote mount whose mount point is vpath or its
// nearest ancestor.
func (w *walk) mountAt(vpath string) *Mount {
	for i := range w.mounts {
		if within(vpath, w.mounts[i].Point) {
			return &w.mounts[i]
		}
	}
	return nil
}

// isMountPoint reports whether vpath is a remote mount point.
func (w *walk) isMountPoint(vpath string) bool {
	for i := range w.mounts {
		if w.mounts[i].Point == vpath {
			return true
		}
	}
	return false
}

// place locates the resolved client path vpath, entering the remote mount
// it is under (and checking its route) when there is one.
func (w *walk) place(vpath string) (place, error) {
	m := w.mountAt(vpath)
	if m == nil {
		return place{core: w.t.treeCore, path: vpath}, nil
	}
	rr := w.enter(m)
	if rr.err != nil {
		return place{}, rr.err
	}
	sub := strings.TrimPrefix(vpath, m.Point)
	return place{core: rr.server.treeCore, path: path.Join(m.Remote.Dir, "/"+sub), rr: rr}, nil
}

func (w *walk) enter(m *Mount) *remoteRoot {
	if rr := w.entered[m.Point]; rr != nil {
		return rr
	}
	rm := m.Remote
	rr := &remoteRoot{point: m.Point, m: rm, ro: rm.ReadOnly || (len(m.Options) > 0 && m.Options[0] == "ro")}
	if w.entered == nil {
		w.entered = map[string]*remoteRoot{}
	}
	w.entered[m.Point] = rr
	ex, err := w.reach(rm)
	switch {
	case errors.Is(err, syscall.EACCES):
		rr.err = syscall.EACCES
	case err != nil && (Unreachable(err) || errors.Is(err, syscall.EINTR) || errors.Is(err, syscall.EIO)):
		rr.err = err
	case err != nil:
		rr.err = syscall.ESTALE
	case ex.Host == nil || ex.Host.Name != rm.Host || ex.Dir != rm.Dir || ex.FS != rm.FS:
		rr.err = syscall.ESTALE // another server (a failover), another file system
	default:
		if _, lerr := ex.Host.Tree.root.Lstat(rel(rm.Dir)); lerr != nil {
			rr.err = syscall.ESTALE // the directory went away on the server
			break
		}
		rr.server = ex.Host.Tree
	}
	return rr
}

// reach asks the route of rm for its server, waiting as the mount's
// hard or soft semantics say while the route leads nowhere.
func (w *walk) reach(rm *RemoteMount) (*NFSExport, error) {
	h := w.t.host.Load()
	route := routeFor(rm.Kind)
	if route == nil {
		return nil, syscall.EIO
	}
	ctx := w.t.ctx
	probe := ctx
	if probe == nil {
		probe = context.Background()
	}
	ex, err := h.routeMemoized(probe, route, rm)
	if err == nil || !Unreachable(err) {
		return ex, err
	}
	if w.noWait || (ctx == nil && !rm.Soft) {
		return nil, syscall.EINTR
	}
	var deadline <-chan time.Time
	if rm.Soft {
		timer := time.NewTimer(rm.SoftTimeout())
		defer timer.Stop()
		deadline = timer.C
	}
	tick := time.NewTicker(routePoll)
	defer tick.Stop()
	for {
		select {
		case <-probe.Done():
			return nil, syscall.EINTR
		case <-deadline:
			if rm.SoftErr {
				return nil, syscall.ETIMEDOUT
			}
			return nil, syscall.EIO
		case <-tick.C:
			if ex, err = h.routeMemoized(probe, route, rm); err == nil || !Unreachable(err) {
				return ex, err
			}
		}
	}
}

// ident is who an access acts as on the tree that holds the path: the
// process's user on its own tree, the credential the export maps it to on
// a server's (AUTH_SYS carries the client's groups).
type ident struct {
	uid, gid int
	root     bool
	inGroup  func(gid int) bool
}

func (w *walk) ident(u User, pl place) ident {
	local := func(u User) ident {
		return ident{uid: u.UID, gid: u.GID, root: u.IsRoot(), inGroup: func(g int) bool { return w.t.accounts().inGroup(u, g) }}
	}
	if pl.rr == nil {
		return local(u)
	}
	var c *Cred
	switch {
	case pl.rr.m.MapAll != nil:
		c = pl.rr.m.MapAll
	case u.IsRoot():
		c = &pl.rr.m.MapRoot
	default:
		return local(u)
	}
	groups := append([]int{c.GID}, c.Groups...)
	return ident{uid: c.UID, gid: c.GID, root: c.UID == 0, inGroup: func(g int) bool { return slices.Contains(groups, g) }}
}

// lstat resolves nothing: it looks up the resolved client path vpath.
func (w *walk) lstat(vpath string) (fs.FileInfo, place, error) {
	pl, err := w.place(vpath)
	if err != nil {
		return nil, place{}, err
	}
	fi, err := pl.core.root.Lstat(pl.rel())
	return fi, pl, err
}

func (w *walk) readlink(vpath string) (string, error) {
	pl, err := w.place(vpath)
	if err != nil {
		return "", err
	}
	return pl.core.root.Readlink(pl.rel())
}

// attrs is the emulated mode, uid and gid of pl whose disk info is fi.
func (pl place) attrs(fi fs.FileInfo) (fs.FileMode, int, int) {
	if m, ok := pl.core.owners.get(pl.path); ok {
		return m.Mode, m.UID, m.GID
	}
	return fi.Mode() & (fs.ModePerm | specialBits), 0, 0
}

// may reports whether id has the access bits want (4 read, 2 write, 1
// exec/search) on pl. Root passes every check but executing a file that
// has no x bit at all.
func (pl place) may(id ident, fi fs.FileInfo, want fs.FileMode) bool {
	mode, uid, gid := pl.attrs(fi)
	if id.root {
		return want&1 == 0 || fi.IsDir() || mode&0o111 != 0
	}
	var bits fs.FileMode
	switch {
	case uid == id.uid:
		bits = mode >> 6 & 7
	case id.inGroup(gid):
		bits = mode >> 3 & 7
	default:
		bits = mode & 7
	}
	return bits&want == want
}

// sameFS reports whether two places are on one tree and mount, as rename
// and link need (EXDEV otherwise).
func sameFS(a, b place) bool { return a.core == b.core && a.rr == b.rr }

// checkRemote runs what a remote place adds to the client's path checks:
// EROFS for a change under a read-only mount or export, then the server's
// own checks on its path.
func (pl place) checkRemote(kind PathOp, opname, name string) error {
	if pl.rr == nil {
		return nil
	}
	if kind == PathWrite && pl.rr.ro {
		return pathErr(opname, name, syscall.EROFS)
	}
	return pl.rr.server.checkPath(kind, opname, name, pl.path)
}

// openDisk opens pl on its tree's disk.
func (pl place) openDisk(flag int, perm fs.FileMode) (*os.File, error) {
	return pl.core.root.OpenFile(pl.rel(), flag, perm)
}
