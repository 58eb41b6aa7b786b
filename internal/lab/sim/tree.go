package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Access modes for Tree.Access, as access(2) takes them.
const (
	AccessRead  = 4
	AccessWrite = 2
	AccessExec  = 1
)

// Tree is a host's confined file tree: virtual absolute paths map to
// DIR/hosts/NAME/root on disk through an os.Root, with symlinks resolved by
// the tree itself (see resolve.go). Owner, group and mode are emulated in the
// sidecar DIR/hosts/NAME/owners.json (see owners.go); a path missing from it
// is root's, with the mode it has on disk. Files keep at least the owner's
// read and write bits on disk (directories rwx) so the lab can always use them.
//
// A Tree value is a view of the tree: Unchecked returns another view of the
// same files without the path checks (see check.go), WithUmask one that
// creates files with a process's umask instead of DefaultUmask.
type Tree struct {
	*treeCore
	unchecked bool
	umask     fs.FileMode
	umaskSet  bool
	ctx       context.Context // bounds waits on a hung remote mount (remote.go)
}

// WithUmask returns a view of the same tree whose creations (files,
// directories, FreeBSD symlinks) apply the creation mask m, as the kernel
// applies a process's umask; Chmod still sets exact modes.
func (t *Tree) WithUmask(m fs.FileMode) *Tree {
	v := *t
	v.umask, v.umaskSet = m&fs.ModePerm, true
	return &v
}

// mask is the creation mask of this view.
func (t *Tree) mask() fs.FileMode {
	if !t.umaskSet {
		return DefaultUmask
	}
	return t.umask
}

// treeCore is what every view of a tree shares.
type treeCore struct {
	os         OS
	dir        string // DIR/hosts/NAME
	root       *os.Root
	owners     *owners
	acct       accountCache
	writeFault atomic.Pointer[func(vpath string) error]
	// host, once set by NewHost, makes the path checks registered for the
	// tree's OS apply (see check.go).
	host atomic.Pointer[Host]
}

// OpenTree opens the tree of the host directory hostDir (DIR/hosts/NAME),
// creating hostDir/root when missing.
func OpenTree(hostDir string, os OS) (*Tree, error) {
	if err := mkdirAllDisk(filepath.Join(hostDir, "root")); err != nil {
		return nil, err
	}
	root, err := openRoot(filepath.Join(hostDir, "root"))
	if err != nil {
		return nil, err
	}
	return &Tree{treeCore: &treeCore{os: os, dir: hostDir, root: root, owners: newOwners(hostDir)}}, nil
}

// Close releases the tree's directory handle and lock file.
func (t *Tree) Close() error {
	return errors.Join(t.root.Close(), t.owners.lock.close())
}

// SetWriteFault installs a hook consulted before every open for writing
// (WriteFile, AppendFile, OpenFile with a write flag) with the resolved
// virtual path; a non-nil error fails the write with it. The lab uses it to
// inject "Input/output error".
func (t *Tree) SetWriteFault(f func(vpath string) error) {
	if f == nil {
		t.writeFault.Store(nil)
		return
	}
	t.writeFault.Store(&f)
}

func (t *Tree) checkWriteFault(op, name, vpath string) error {
	if f := t.writeFault.Load(); f != nil {
		if err := (*f)(vpath); err != nil {
			var errno syscall.Errno
			if errors.As(err, &errno) {
				return pathErr(op, name, errno)
			}
			return &fs.PathError{Op: op, Path: name, Err: err}
		}
	}
	return nil
}

// batch runs fn with the ownership sidecar saved once at the end rather
// than at every change; other processes wait for the tree's writes meanwhile.
func (t *Tree) batch(fn func() error) error { return t.owners.batch(fn) }

func (t *Tree) info(name string, pl place, fi fs.FileInfo) FileInfo {
	mode, uid, gid := pl.attrs(fi)
	out := FileInfo{
		Name:    path.Base(name),
		Path:    name,
		Mode:    fi.Mode().Type() | mode,
		Size:    fi.Size(),
		ModTime: t.labTime(fi.ModTime()),
		UID:     uid,
		GID:     gid,
		Owner:   t.userName(uid),
		Group:   t.groupName(gid),
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		out.Target, _ = pl.core.root.Readlink(pl.rel())
	}
	return out
}

// newMeta is the owner, group and mode of a file id creates in the
// directory parent. A FreeBSD tree gives a new file its directory's group;
// Linux the creator's primary group unless the directory is setgid. The
// creation mask is the client's (the process's umask).
func (t *Tree) newMeta(id ident, parent place, perm fs.FileMode, isDir bool) meta {
	m := meta{UID: id.uid, GID: id.gid, Mode: modeBits(perm) &^ t.mask()}
	if pfi, err := parent.core.root.Lstat(parent.rel()); err == nil {
		pmode, _, pgid := parent.attrs(pfi)
		if parent.core.os == FreeBSD || pmode&fs.ModeSetgid != 0 {
			m.GID = pgid
		}
		if isDir && parent.core.os != FreeBSD && pmode&fs.ModeSetgid != 0 {
			m.Mode |= fs.ModeSetgid
		}
	}
	return m
}

// diskPerm is the mode kept on disk for an emulated mode.
func diskPerm(mode fs.FileMode, isDir bool) fs.FileMode {
	if isDir {
		return mode.Perm() | 0o700
	}
	return mode.Perm() | 0o600
}

// check runs the path checks for op on the resolved vpath living at pl:
// the client's, then what a remote mount adds.
func (t *Tree) check(kind PathOp, opname, name, vpath string, pl place) error {
	if err := t.checkPath(kind, opname, name, vpath); err != nil {
		return err
	}
	return pl.checkRemote(kind, opname, name)
}

// lstatResolved resolves name, runs the path checks for kind and returns
// its disk info (ENOENT when missing). A change is checked only once the
// file is known to exist, as the kernel reports a missing file before a
// read-only file system.
func (t *Tree) lstatResolved(w *walk, u *User, kind PathOp, op, name string, follow bool) (string, place, fs.FileInfo, error) {
	vpath, err := w.resolve(u, name, follow)
	if err != nil {
		return "", place{}, nil, rewrap(op, name, err)
	}
	pl, err := w.place(vpath)
	if err != nil {
		return "", place{}, nil, rewrap(op, name, err)
	}
	if kind != PathWrite {
		if err := t.check(kind, op, name, vpath, pl); err != nil {
			return "", place{}, nil, err
		}
	}
	fi, err := pl.core.root.Lstat(pl.rel())
	if err != nil {
		return "", place{}, nil, rewrap(op, name, err)
	}
	if kind == PathWrite {
		if err := t.check(kind, op, name, vpath, pl); err != nil {
			return "", place{}, nil, err
		}
	}
	return vpath, pl, fi, nil
}

// parentWritable checks that u may add or remove entries of the directory
// dir (a resolved client path).
func (t *Tree) parentWritable(w *walk, u User, op, name, dir string) (place, error) {
	fi, pl, err := w.lstat(dir)
	if err != nil {
		return place{}, rewrap(op, name, err)
	}
	if !pl.may(w.ident(u, pl), fi, 3) {
		return place{}, pathErr(op, name, syscall.EACCES)
	}
	return pl, nil
}

// stickyDenied applies the sticky bit of dir (/tmp): only the owner of the
// entry or of the directory (or root) may remove or rename it.
func stickyDenied(id ident, dir, entry place, fi fs.FileInfo) bool {
	if id.root {
		return false
	}
	dfi, err := dir.core.root.Lstat(dir.rel())
	if err != nil {
		return false
	}
	dmode, duid, _ := dir.attrs(dfi)
	if dmode&fs.ModeSticky == 0 {
		return false
	}
	_, uid, _ := entry.attrs(fi)
	return uid != id.uid && duid != id.uid
}

// busy reports whether removing or renaming vpath would take a remote
// mount point away (EBUSY, as for any mount point in use).
func (w *walk) busy(vpath string, below bool) bool {
	for i := range w.mounts {
		p := w.mounts[i].Point
		if p == vpath || (below && within(p, vpath)) {
			return true
		}
	}
	return false
}

// ReadFile reads a whole file as u.
func (t *Tree) ReadFile(u User, name string) ([]byte, error) {
	f, err := t.OpenFile(u, name, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, rewrap("read", name, err)
	}
	return data, nil
}

// WriteFile creates or truncates; a new file is owned by u.
func (t *Tree) WriteFile(u User, name string, data []byte, perm fs.FileMode) error {
	return t.writeFile(u, name, data, perm, os.O_TRUNC)
}

// AppendFile appends, creating the file when missing.
func (t *Tree) AppendFile(u User, name string, data []byte, perm fs.FileMode) error {
	return t.writeFile(u, name, data, perm, os.O_APPEND)
}

func (t *Tree) writeFile(u User, name string, data []byte, perm fs.FileMode, flag int) error {
	f, err := t.OpenFile(u, name, os.O_WRONLY|os.O_CREATE|flag, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return rewrap("write", name, err)
}

// OpenFile opens name as u with os.OpenFile's flags. Regular files come back
// as *os.File (so also io.ReaderAt, io.WriterAt, io.Seeker).
func (t *Tree) OpenFile(u User, name string, flag int, perm fs.FileMode) (File, error) {
	if dev, ok := device(name); ok {
		return dev(), nil
	}
	acc := flag & (os.O_RDONLY | os.O_WRONLY | os.O_RDWR)
	reading := acc == os.O_RDONLY || acc == os.O_RDWR
	writing := acc == os.O_WRONLY || acc == os.O_RDWR || flag&os.O_TRUNC != 0
	if fi, size, ok := t.diskNode(name); ok {
		if (reading && !t.mayNode(u, fi, 4)) || (writing && !t.mayNode(u, fi, 2)) {
			return nil, pathErr("open", name, syscall.EACCES)
		}
		return &diskFile{left: size}, nil
	}
	w := t.walk()
	excl := flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0
	vpath, err := w.resolve(&u, name, !excl)
	if err != nil {
		return nil, rewrap("open", name, err)
	}
	fi, pl, err := w.lstat(vpath)
	switch {
	case err == nil:
		if excl {
			return nil, pathErr("open", name, syscall.EEXIST)
		}
		if fi.IsDir() && writing {
			return nil, pathErr("open", name, syscall.EISDIR)
		}
		kind := PathRead
		if writing {
			kind = PathWrite
		}
		if err := t.check(kind, "open", name, vpath, pl); err != nil {
			return nil, err
		}
		id := w.ident(u, pl)
		if (reading && !pl.may(id, fi, 4)) || (writing && !pl.may(id, fi, 2)) {
			return nil, pathErr("open", name, syscall.EACCES)
		}
		if writing {
			if err := t.checkWriteFault("open", name, vpath); err != nil {
				return nil, err
			}
		}
		f, err := pl.openDisk(flag&^(os.O_CREATE|os.O_EXCL), 0)
		if err != nil {
			return nil, rewrap("open", name, err)
		}
		return f, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, rewrap("open", name, err)
	case flag&os.O_CREATE == 0:
		if pl, perr := w.place(vpath); perr == nil {
			if err := t.check(PathRead, "open", name, vpath, pl); err != nil {
				return nil, err
			}
		}
		return nil, pathErr("open", name, syscall.ENOENT)
	}
	pl, err = w.place(vpath)
	if err != nil {
		return nil, rewrap("open", name, err)
	}
	if err := t.check(PathWrite, "open", name, vpath, pl); err != nil {
		return nil, err
	}
	parent, err := t.parentWritable(w, u, "open", name, path.Dir(vpath))
	if err != nil {
		return nil, err
	}
	if err := t.checkWriteFault("open", name, vpath); err != nil {
		return nil, err
	}
	m := t.newMeta(w.ident(u, pl), parent, perm, false)
	f, err := pl.openDisk(flag|os.O_CREATE|os.O_EXCL, diskPerm(m.Mode, false))
	if err != nil {
		return nil, rewrap("open", name, err)
	}
	if err := pl.core.root.Chmod(pl.rel(), diskPerm(m.Mode, false)); err != nil {
		f.Close()
		return nil, rewrap("open", name, err)
	}
	if err := pl.core.owners.set(pl.path, m); err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}

// Stat follows symlinks; it checks no permission.
func (t *Tree) Stat(name string) (FileInfo, error) { return t.stat(nil, "stat", name, true) }

// Lstat does not follow a final symlink; it checks no permission.
func (t *Tree) Lstat(name string) (FileInfo, error) { return t.stat(nil, "lstat", name, false) }

// StatAs is Stat with u's search permission on the directories of name.
func (t *Tree) StatAs(u User, name string) (FileInfo, error) { return t.stat(&u, "stat", name, true) }

// LstatAs is Lstat with u's search permission on the directories of name.
func (t *Tree) LstatAs(u User, name string) (FileInfo, error) {
	return t.stat(&u, "lstat", name, false)
}

func (t *Tree) stat(u *User, op, name string, follow bool) (FileInfo, error) {
	if _, ok := device(name); ok {
		return t.deviceInfo(name), nil
	}
	if fi, _, ok := t.diskNode(name); ok {
		return fi, nil
	}
	_, pl, fi, err := t.lstatResolved(t.walk(), u, PathLookup, op, name, follow)
	if err != nil {
		return FileInfo{}, err
	}
	return t.info(clean(name), pl, fi), nil
}

// Access checks u's access to name (AccessRead|AccessWrite|AccessExec), as access(2).
func (t *Tree) Access(u User, name string, mode int) error {
	if _, ok := device(name); ok {
		if mode&AccessExec != 0 {
			return pathErr("access", name, syscall.EACCES)
		}
		return nil
	}
	if fi, _, ok := t.diskNode(name); ok {
		if !t.mayNode(u, fi, fs.FileMode(mode&7)) {
			return pathErr("access", name, syscall.EACCES)
		}
		return nil
	}
	w := t.walk()
	_, pl, fi, err := t.lstatResolved(w, &u, PathLookup, "access", name, true)
	if err != nil {
		return err
	}
	if mode&AccessWrite != 0 && pl.rr != nil && pl.rr.ro {
		return pathErr("access", name, syscall.EROFS)
	}
	if !pl.may(w.ident(u, pl), fi, fs.FileMode(mode&7)) {
		return pathErr("access", name, syscall.EACCES)
	}
	return nil
}

// RealPath resolves every symlink of an existing path, as realpath(3).
func (t *Tree) RealPath(name string) (string, error) {
	vpath, _, _, err := t.lstatResolved(t.walk(), nil, PathLookup, "realpath", name, true)
	return vpath, err
}

// ReadDir lists a directory u may read, sorted by name. An entry that is a
// remote mount point shows the mounted directory, or what lies beneath it
// when its route fails (the entry still lists; accessing it fails).
func (t *Tree) ReadDir(u User, name string) ([]FileInfo, error) {
	w := t.walk()
	vpath, pl, fi, err := t.lstatResolved(w, &u, PathRead, "open", name, true)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, pathErr("open", name, syscall.ENOTDIR)
	}
	if !pl.may(w.ident(u, pl), fi, 4) {
		return nil, pathErr("open", name, syscall.EACCES)
	}
	d, err := pl.core.root.Open(pl.rel())
	if err != nil {
		return nil, rewrap("open", name, err)
	}
	defer d.Close()
	entries, err := d.ReadDir(-1)
	if err != nil {
		return nil, rewrap("readdir", name, err)
	}
	base := clean(name)
	out := make([]FileInfo, 0, len(entries))
	// a listing reads the directory only: a hung mount below it is not waited on
	probe := &walk{t: w.t, mounts: w.mounts, noWait: true}
	for _, e := range entries {
		efi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		child := path.Join(vpath, e.Name())
		epl := place{core: pl.core, path: path.Join(pl.path, e.Name()), rr: pl.rr}
		if pl.rr == nil && w.isMountPoint(child) {
			if mfi, mpl, err := probe.lstat(child); err == nil {
				efi, epl = mfi, mpl
			}
		}
		out = append(out, t.info(path.Join(base, e.Name()), epl, efi))
	}
	if vpath == "/dev" {
		out = append(out, t.devNodes(base)...)
	}
	slices.SortFunc(out, func(a, b FileInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Mkdir creates one directory owned by u.
func (t *Tree) Mkdir(u User, name string, perm fs.FileMode) error {
	w := t.walk()
	vpath, err := w.resolve(&u, name, false)
	if err != nil {
		return rewrap("mkdir", name, err)
	}
	pl, err := w.place(vpath)
	if err != nil {
		return rewrap("mkdir", name, err)
	}
	if _, err := pl.core.root.Lstat(pl.rel()); err == nil {
		return pathErr("mkdir", name, syscall.EEXIST)
	}
	if err := t.check(PathWrite, "mkdir", name, vpath, pl); err != nil {
		return err
	}
	parent, err := t.parentWritable(w, u, "mkdir", name, path.Dir(vpath))
	if err != nil {
		return err
	}
	m := t.newMeta(w.ident(u, pl), parent, perm, true)
	if err := pl.core.root.Mkdir(pl.rel(), diskPerm(m.Mode, true)); err != nil {
		return rewrap("mkdir", name, err)
	}
	if err := pl.core.root.Chmod(pl.rel(), diskPerm(m.Mode, true)); err != nil {
		return rewrap("mkdir", name, err)
	}
	if err := pl.core.owners.set(pl.path, m); err != nil {
		return &fs.PathError{Op: "mkdir", Path: name, Err: err}
	}
	return nil
}

// MkdirAll creates name and its missing parents, each with perm, as os.MkdirAll.
func (t *Tree) MkdirAll(u User, name string, perm fs.FileMode) error {
	cur := ""
	for _, c := range splitPath(clean(name)) {
		cur += "/" + c
		fi, err := t.StatAs(u, cur)
		if err == nil {
			if !fi.IsDir() {
				return pathErr("mkdir", cur, syscall.ENOTDIR)
			}
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := t.Mkdir(u, cur, perm); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return nil
}

// Remove removes a file, a symlink or an empty directory.
func (t *Tree) Remove(u User, name string) error {
	w := t.walk()
	vpath, pl, fi, err := t.lstatResolved(w, &u, PathWrite, "remove", name, false)
	if err != nil {
		return err
	}
	if vpath == "/" || w.busy(vpath, false) {
		return pathErr("remove", name, syscall.EBUSY)
	}
	parent, err := t.parentWritable(w, u, "remove", name, path.Dir(vpath))
	if err != nil {
		return err
	}
	if stickyDenied(w.ident(u, pl), parent, pl, fi) {
		return pathErr("remove", name, syscall.EPERM)
	}
	if err := pl.core.root.Remove(pl.rel()); err != nil {
		return rewrap("remove", name, err)
	}
	return forget(pl, "remove", name)
}

func forget(pl place, op, name string) error {
	if err := pl.core.owners.forget(pl.path); err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	return nil
}

// RemoveAll removes name and everything below it; a missing name is no error.
// A user other than root needs write access to every directory emptied.
func (t *Tree) RemoveAll(u User, name string) error {
	w := t.walk()
	vpath, pl, fi, err := t.lstatResolved(w, &u, PathWrite, "remove", name, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if vpath == "/" || w.busy(vpath, true) {
		return pathErr("remove", name, syscall.EBUSY)
	}
	id := w.ident(u, pl)
	if !id.root {
		parent, err := t.parentWritable(w, u, "remove", name, path.Dir(vpath))
		if err != nil {
			return err
		}
		if stickyDenied(id, parent, pl, fi) {
			return pathErr("remove", name, syscall.EPERM)
		}
		if err := checkEmptiable(id, clean(name), pl, fi); err != nil {
			return err
		}
	}
	if err := pl.core.root.RemoveAll(pl.rel()); err != nil {
		return rewrap("remove", name, err)
	}
	return forget(pl, "remove", name)
}

func checkEmptiable(id ident, name string, pl place, fi fs.FileInfo) error {
	if !fi.IsDir() {
		return nil
	}
	if !pl.may(id, fi, 7) {
		return pathErr("remove", name, syscall.EACCES)
	}
	d, err := pl.core.root.Open(pl.rel())
	if err != nil {
		return rewrap("remove", name, err)
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return rewrap("remove", name, err)
	}
	for _, e := range entries {
		efi, err := e.Info()
		if err != nil {
			continue
		}
		child := place{core: pl.core, path: path.Join(pl.path, e.Name()), rr: pl.rr}
		if stickyDenied(id, pl, child, efi) {
			return pathErr("remove", path.Join(name, e.Name()), syscall.EPERM)
		}
		if err := checkEmptiable(id, path.Join(name, e.Name()), child, efi); err != nil {
			return err
		}
	}
	return nil
}

// Rename moves oldname to newname, replacing a file or an empty directory
// there, as rename(2); symlinks move as links. Across mounts it is EXDEV.
func (t *Tree) Rename(u User, oldname, newname string) error {
	w := t.walk()
	ovpath, opl, ofi, err := t.lstatResolved(w, &u, PathWrite, "rename", oldname, false)
	if err != nil {
		return err
	}
	nvpath, err := w.resolve(&u, newname, false)
	if err != nil {
		return rewrap("rename", newname, err)
	}
	npl, err := w.place(nvpath)
	if err != nil {
		return rewrap("rename", newname, err)
	}
	if err := t.check(PathWrite, "rename", newname, nvpath, npl); err != nil {
		return err
	}
	if ovpath == nvpath {
		return nil
	}
	if ovpath == "/" || nvpath == "/" || w.busy(ovpath, true) || w.busy(nvpath, false) {
		return pathErr("rename", oldname, syscall.EBUSY)
	}
	if !sameFS(opl, npl) {
		return pathErr("rename", oldname, syscall.EXDEV)
	}
	if within(nvpath, ovpath) {
		return pathErr("rename", oldname, syscall.EINVAL)
	}
	var parents [2]place
	for i, p := range []struct{ name, vpath string }{{oldname, ovpath}, {newname, nvpath}} {
		parents[i], err = t.parentWritable(w, u, "rename", p.name, path.Dir(p.vpath))
		if err != nil {
			return err
		}
	}
	id := w.ident(u, opl)
	if stickyDenied(id, parents[0], opl, ofi) {
		return pathErr("rename", oldname, syscall.EPERM)
	}
	if nfi, err := npl.core.root.Lstat(npl.rel()); err == nil {
		switch {
		case ofi.IsDir() && !nfi.IsDir():
			return pathErr("rename", newname, syscall.ENOTDIR)
		case !ofi.IsDir() && nfi.IsDir():
			return pathErr("rename", newname, syscall.EISDIR)
		case stickyDenied(id, parents[1], npl, nfi):
			return pathErr("rename", newname, syscall.EPERM)
		}
	}
	if err := opl.core.root.Rename(opl.rel(), npl.rel()); err != nil {
		return rewrap("rename", newname, err)
	}
	if err := opl.core.owners.move(opl.path, npl.path); err != nil {
		return &fs.PathError{Op: "rename", Path: newname, Err: err}
	}
	return nil
}

// Chmod sets the exact mode (permission, setuid, setgid, sticky bits, given
// as fs.Mode* bits or as octal 0o7000 bits); only the owner or root may.
func (t *Tree) Chmod(u User, name string, mode fs.FileMode) error {
	w := t.walk()
	_, pl, fi, err := t.lstatResolved(w, &u, PathWrite, "chmod", name, true)
	if err != nil {
		return err
	}
	_, uid, gid := pl.attrs(fi)
	if id := w.ident(u, pl); !id.root && uid != id.uid {
		return pathErr("chmod", name, syscall.EPERM)
	}
	m := meta{UID: uid, GID: gid, Mode: modeBits(mode)}
	if err := pl.core.root.Chmod(pl.rel(), diskPerm(m.Mode, fi.IsDir())); err != nil {
		return rewrap("chmod", name, err)
	}
	if err := pl.core.owners.set(pl.path, m); err != nil {
		return &fs.PathError{Op: "chmod", Path: name, Err: err}
	}
	return nil
}

// Chown takes names; an empty name leaves that part unchanged. Root may set
// any owner; the owner of a file may only change its group to one of its own
// groups (EPERM otherwise). Unknown names give ErrUnknownUser or
// ErrUnknownGroup. Names are looked up on this tree, also for a file on a
// remote mount, which records the numbers.
func (t *Tree) Chown(u User, name, owner, group string) error {
	w := t.walk()
	_, pl, fi, err := t.lstatResolved(w, &u, PathWrite, "chown", name, true)
	if err != nil {
		return err
	}
	mode, uid, gid := pl.attrs(fi)
	newUID, newGID := uid, gid
	if owner != "" {
		id, ok := t.lookupUserID(owner)
		if !ok {
			return &fs.PathError{Op: "chown", Path: name, Err: ErrUnknownUser}
		}
		newUID = id
	}
	if group != "" {
		id, ok := t.lookupGroupID(group)
		if !ok {
			return &fs.PathError{Op: "chown", Path: name, Err: ErrUnknownGroup}
		}
		newGID = id
	}
	if id := w.ident(u, pl); !id.root {
		if uid != id.uid || newUID != uid || (newGID != gid && !id.inGroup(newGID)) {
			return pathErr("chown", name, syscall.EPERM)
		}
	}
	if err := pl.core.owners.set(pl.path, meta{UID: newUID, GID: newGID, Mode: mode}); err != nil {
		return &fs.PathError{Op: "chown", Path: name, Err: err}
	}
	return nil
}

// Chtimes sets access and modification times; the owner or root may.
func (t *Tree) Chtimes(u User, name string, atime, mtime time.Time) error {
	w := t.walk()
	_, pl, fi, err := t.lstatResolved(w, &u, PathWrite, "chtimes", name, true)
	if err != nil {
		return err
	}
	if _, uid, _ := pl.attrs(fi); !w.ident(u, pl).root && uid != w.ident(u, pl).uid {
		return pathErr("chtimes", name, syscall.EPERM)
	}
	return rewrap("chtimes", name, pl.core.root.Chtimes(pl.rel(), t.realTime(atime), t.realTime(mtime)))
}

// Truncate changes a file's size; u needs write access.
func (t *Tree) Truncate(u User, name string, size int64) error {
	f, err := t.OpenFile(u, name, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	tf, ok := f.(interface{ Truncate(int64) error })
	if !ok {
		return nil // a device
	}
	return rewrap("truncate", name, tf.Truncate(size))
}

// Symlink creates link pointing to target, stored verbatim (an absolute
// target means a path in this tree, also on a remote mount: the client
// resolves NFS symlinks).
func (t *Tree) Symlink(u User, target, link string) error {
	w := t.walk()
	vpath, err := w.resolve(&u, link, false)
	if err != nil {
		return rewrap("symlink", link, err)
	}
	pl, err := w.place(vpath)
	if err != nil {
		return rewrap("symlink", link, err)
	}
	if _, err := pl.core.root.Lstat(pl.rel()); err == nil {
		return pathErr("symlink", link, syscall.EEXIST)
	}
	if err := t.check(PathWrite, "symlink", link, vpath, pl); err != nil {
		return err
	}
	parent, err := t.parentWritable(w, u, "symlink", link, path.Dir(vpath))
	if err != nil {
		return err
	}
	if err := pl.core.root.Symlink(target, pl.rel()); err != nil {
		return rewrap("symlink", link, err)
	}
	m := t.newMeta(w.ident(u, pl), parent, 0o777, false)
	if pl.core.os != FreeBSD {
		m.Mode = 0o777 // Linux ignores the umask for symlinks
	}
	if err := pl.core.owners.set(pl.path, m); err != nil {
		return &fs.PathError{Op: "symlink", Path: link, Err: err}
	}
	return nil
}

// Readlink returns a symlink's target as stored; EINVAL for anything else.
func (t *Tree) Readlink(name string) (string, error) {
	_, pl, fi, err := t.lstatResolved(t.walk(), nil, PathLookup, "readlink", name, false)
	if err != nil {
		return "", err
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return "", pathErr("readlink", name, syscall.EINVAL)
	}
	target, err := pl.core.root.Readlink(pl.rel())
	return target, rewrap("readlink", name, err)
}

// Exists reports whether name exists, following symlinks.
func (t *Tree) Exists(name string) bool {
	_, err := t.Stat(name)
	return err == nil
}

func openRoot(dir string) (*os.Root, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open tree: %w", err)
	}
	return r, nil
}

func mkdirAllDisk(dir string) error { return os.MkdirAll(dir, 0o755) }
