package sim

import (
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

// attrs returns the emulated mode (permission and special bits), uid and gid
// of a resolved path whose disk info is fi.
func (t *Tree) attrs(vpath string, fi fs.FileInfo) (fs.FileMode, int, int) {
	if m, ok := t.owners.get(vpath); ok {
		return m.Mode, m.UID, m.GID
	}
	return fi.Mode() & (fs.ModePerm | specialBits), 0, 0
}

// may reports whether u has the access bits want (4 read, 2 write, 1
// exec/search) on the resolved path vpath. Root passes every check but
// executing a file that has no x bit at all.
func (t *Tree) may(u User, vpath string, fi fs.FileInfo, want fs.FileMode) bool {
	mode, uid, gid := t.attrs(vpath, fi)
	if u.IsRoot() {
		return want&1 == 0 || fi.IsDir() || mode&0o111 != 0
	}
	var bits fs.FileMode
	switch {
	case uid == u.UID:
		bits = mode >> 6 & 7
	case t.accounts().inGroup(u, gid):
		bits = mode >> 3 & 7
	default:
		bits = mode & 7
	}
	return bits&want == want
}

func (t *Tree) info(name, vpath string, fi fs.FileInfo) FileInfo {
	mode, uid, gid := t.attrs(vpath, fi)
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
		out.Target, _ = t.root.Readlink(rel(vpath))
	}
	return out
}

// newMeta is the owner, group and mode of a file u creates in dir parent.
// FreeBSD gives a new file its directory's group; Linux the creator's
// primary group unless the directory is setgid.
func (t *Tree) newMeta(u User, parent string, perm fs.FileMode, isDir bool) meta {
	m := meta{UID: u.UID, GID: u.GID, Mode: modeBits(perm) &^ t.mask()}
	if pfi, err := t.root.Lstat(rel(parent)); err == nil {
		pmode, _, pgid := t.attrs(parent, pfi)
		if t.os == FreeBSD || pmode&fs.ModeSetgid != 0 {
			m.GID = pgid
		}
		if isDir && t.os != FreeBSD && pmode&fs.ModeSetgid != 0 {
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

// lstatResolved resolves name, runs the path checks for kind and returns
// its disk info (ENOENT when missing). A change is checked only once the
// file is known to exist, as the kernel reports a missing file before a
// read-only file system.
func (t *Tree) lstatResolved(u *User, kind PathOp, op, name string, follow bool) (string, fs.FileInfo, error) {
	vpath, err := t.resolve(u, name, follow)
	if err != nil {
		return "", nil, rewrap(op, name, err)
	}
	if kind != PathWrite {
		if err := t.checkPath(kind, op, name, vpath); err != nil {
			return "", nil, err
		}
	}
	fi, err := t.root.Lstat(rel(vpath))
	if err != nil {
		return "", nil, rewrap(op, name, err)
	}
	if kind == PathWrite {
		if err := t.checkPath(kind, op, name, vpath); err != nil {
			return "", nil, err
		}
	}
	return vpath, fi, nil
}

// parentWritable checks that u may add or remove entries of dir.
func (t *Tree) parentWritable(u User, op, name, dir string) error {
	fi, err := t.root.Lstat(rel(dir))
	if err != nil {
		return rewrap(op, name, err)
	}
	if !t.may(u, dir, fi, 3) {
		return pathErr(op, name, syscall.EACCES)
	}
	return nil
}

// stickyDenied applies the sticky bit of dir (/tmp): only the owner of the
// entry or of the directory (or root) may remove or rename it.
func (t *Tree) stickyDenied(u User, dir, vpath string, fi fs.FileInfo) bool {
	if u.IsRoot() {
		return false
	}
	dfi, err := t.root.Lstat(rel(dir))
	if err != nil {
		return false
	}
	dmode, duid, _ := t.attrs(dir, dfi)
	if dmode&fs.ModeSticky == 0 {
		return false
	}
	_, uid, _ := t.attrs(vpath, fi)
	return uid != u.UID && duid != u.UID
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
	excl := flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0
	vpath, err := t.resolve(&u, name, !excl)
	if err != nil {
		return nil, rewrap("open", name, err)
	}
	fi, err := t.root.Lstat(rel(vpath))
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
		if err := t.checkPath(kind, "open", name, vpath); err != nil {
			return nil, err
		}
		if (reading && !t.may(u, vpath, fi, 4)) || (writing && !t.may(u, vpath, fi, 2)) {
			return nil, pathErr("open", name, syscall.EACCES)
		}
		if writing {
			if err := t.checkWriteFault("open", name, vpath); err != nil {
				return nil, err
			}
		}
		f, err := t.root.OpenFile(rel(vpath), flag&^(os.O_CREATE|os.O_EXCL), 0)
		if err != nil {
			return nil, rewrap("open", name, err)
		}
		return f, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, rewrap("open", name, err)
	case flag&os.O_CREATE == 0:
		if err := t.checkPath(PathRead, "open", name, vpath); err != nil {
			return nil, err
		}
		return nil, pathErr("open", name, syscall.ENOENT)
	}
	if err := t.checkPath(PathWrite, "open", name, vpath); err != nil {
		return nil, err
	}
	parent := path.Dir(vpath)
	if err := t.parentWritable(u, "open", name, parent); err != nil {
		return nil, err
	}
	if err := t.checkWriteFault("open", name, vpath); err != nil {
		return nil, err
	}
	m := t.newMeta(u, parent, perm, false)
	f, err := t.root.OpenFile(rel(vpath), flag|os.O_CREATE|os.O_EXCL, diskPerm(m.Mode, false))
	if err != nil {
		return nil, rewrap("open", name, err)
	}
	if err := t.root.Chmod(rel(vpath), diskPerm(m.Mode, false)); err != nil {
		f.Close()
		return nil, rewrap("open", name, err)
	}
	if err := t.owners.set(vpath, m); err != nil {
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
	vpath, fi, err := t.lstatResolved(u, PathLookup, op, name, follow)
	if err != nil {
		return FileInfo{}, err
	}
	return t.info(clean(name), vpath, fi), nil
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
	vpath, fi, err := t.lstatResolved(&u, PathLookup, "access", name, true)
	if err != nil {
		return err
	}
	if !t.may(u, vpath, fi, fs.FileMode(mode&7)) {
		return pathErr("access", name, syscall.EACCES)
	}
	return nil
}

// RealPath resolves every symlink of an existing path, as realpath(3).
func (t *Tree) RealPath(name string) (string, error) {
	vpath, _, err := t.lstatResolved(nil, PathLookup, "realpath", name, true)
	return vpath, err
}

// ReadDir lists a directory u may read, sorted by name.
func (t *Tree) ReadDir(u User, name string) ([]FileInfo, error) {
	vpath, fi, err := t.lstatResolved(&u, PathRead, "open", name, true)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, pathErr("open", name, syscall.ENOTDIR)
	}
	if !t.may(u, vpath, fi, 4) {
		return nil, pathErr("open", name, syscall.EACCES)
	}
	d, err := t.root.Open(rel(vpath))
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
	for _, e := range entries {
		efi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, t.info(path.Join(base, e.Name()), path.Join(vpath, e.Name()), efi))
	}
	if vpath == "/dev" {
		out = append(out, t.devNodes(base)...)
	}
	slices.SortFunc(out, func(a, b FileInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Mkdir creates one directory owned by u.
func (t *Tree) Mkdir(u User, name string, perm fs.FileMode) error {
	vpath, err := t.resolve(&u, name, false)
	if err != nil {
		return rewrap("mkdir", name, err)
	}
	if _, err := t.root.Lstat(rel(vpath)); err == nil {
		return pathErr("mkdir", name, syscall.EEXIST)
	}
	if err := t.checkPath(PathWrite, "mkdir", name, vpath); err != nil {
		return err
	}
	parent := path.Dir(vpath)
	if err := t.parentWritable(u, "mkdir", name, parent); err != nil {
		return err
	}
	m := t.newMeta(u, parent, perm, true)
	if err := t.root.Mkdir(rel(vpath), diskPerm(m.Mode, true)); err != nil {
		return rewrap("mkdir", name, err)
	}
	if err := t.root.Chmod(rel(vpath), diskPerm(m.Mode, true)); err != nil {
		return rewrap("mkdir", name, err)
	}
	if err := t.owners.set(vpath, m); err != nil {
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
	vpath, fi, err := t.lstatResolved(&u, PathWrite, "remove", name, false)
	if err != nil {
		return err
	}
	if vpath == "/" {
		return pathErr("remove", name, syscall.EBUSY)
	}
	parent := path.Dir(vpath)
	if err := t.parentWritable(u, "remove", name, parent); err != nil {
		return err
	}
	if t.stickyDenied(u, parent, vpath, fi) {
		return pathErr("remove", name, syscall.EPERM)
	}
	if err := t.root.Remove(rel(vpath)); err != nil {
		return rewrap("remove", name, err)
	}
	return t.forget("remove", name, vpath)
}

func (t *Tree) forget(op, name, vpath string) error {
	if err := t.owners.forget(vpath); err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	return nil
}

// RemoveAll removes name and everything below it; a missing name is no error.
// A user other than root needs write access to every directory emptied.
func (t *Tree) RemoveAll(u User, name string) error {
	vpath, fi, err := t.lstatResolved(&u, PathWrite, "remove", name, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if vpath == "/" {
		return pathErr("remove", name, syscall.EBUSY)
	}
	if !u.IsRoot() {
		parent := path.Dir(vpath)
		if err := t.parentWritable(u, "remove", name, parent); err != nil {
			return err
		}
		if t.stickyDenied(u, parent, vpath, fi) {
			return pathErr("remove", name, syscall.EPERM)
		}
		if err := t.checkEmptiable(u, clean(name), vpath, fi); err != nil {
			return err
		}
	}
	if err := t.root.RemoveAll(rel(vpath)); err != nil {
		return rewrap("remove", name, err)
	}
	return t.forget("remove", name, vpath)
}

func (t *Tree) checkEmptiable(u User, name, vpath string, fi fs.FileInfo) error {
	if !fi.IsDir() {
		return nil
	}
	if !t.may(u, vpath, fi, 7) {
		return pathErr("remove", name, syscall.EACCES)
	}
	d, err := t.root.Open(rel(vpath))
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
		child := path.Join(vpath, e.Name())
		if t.stickyDenied(u, vpath, child, efi) {
			return pathErr("remove", path.Join(name, e.Name()), syscall.EPERM)
		}
		if err := t.checkEmptiable(u, path.Join(name, e.Name()), child, efi); err != nil {
			return err
		}
	}
	return nil
}

// Rename moves oldname to newname, replacing a file or an empty directory
// there, as rename(2); symlinks move as links.
func (t *Tree) Rename(u User, oldname, newname string) error {
	ovpath, ofi, err := t.lstatResolved(&u, PathWrite, "rename", oldname, false)
	if err != nil {
		return err
	}
	nvpath, err := t.resolve(&u, newname, false)
	if err != nil {
		return rewrap("rename", newname, err)
	}
	if err := t.checkPath(PathWrite, "rename", newname, nvpath); err != nil {
		return err
	}
	if ovpath == nvpath {
		return nil
	}
	if ovpath == "/" || nvpath == "/" {
		return pathErr("rename", oldname, syscall.EBUSY)
	}
	if within(nvpath, ovpath) {
		return pathErr("rename", oldname, syscall.EINVAL)
	}
	for _, p := range []struct{ name, vpath string }{{oldname, ovpath}, {newname, nvpath}} {
		if err := t.parentWritable(u, "rename", p.name, path.Dir(p.vpath)); err != nil {
			return err
		}
	}
	if t.stickyDenied(u, path.Dir(ovpath), ovpath, ofi) {
		return pathErr("rename", oldname, syscall.EPERM)
	}
	if nfi, err := t.root.Lstat(rel(nvpath)); err == nil {
		switch {
		case ofi.IsDir() && !nfi.IsDir():
			return pathErr("rename", newname, syscall.ENOTDIR)
		case !ofi.IsDir() && nfi.IsDir():
			return pathErr("rename", newname, syscall.EISDIR)
		case t.stickyDenied(u, path.Dir(nvpath), nvpath, nfi):
			return pathErr("rename", newname, syscall.EPERM)
		}
	}
	if err := t.root.Rename(rel(ovpath), rel(nvpath)); err != nil {
		return rewrap("rename", newname, err)
	}
	if err := t.owners.move(ovpath, nvpath); err != nil {
		return &fs.PathError{Op: "rename", Path: newname, Err: err}
	}
	return nil
}

// Chmod sets the exact mode (permission, setuid, setgid, sticky bits, given
// as fs.Mode* bits or as octal 0o7000 bits); only the owner or root may.
func (t *Tree) Chmod(u User, name string, mode fs.FileMode) error {
	vpath, fi, err := t.lstatResolved(&u, PathWrite, "chmod", name, true)
	if err != nil {
		return err
	}
	_, uid, gid := t.attrs(vpath, fi)
	if !u.IsRoot() && uid != u.UID {
		return pathErr("chmod", name, syscall.EPERM)
	}
	m := meta{UID: uid, GID: gid, Mode: modeBits(mode)}
	if err := t.root.Chmod(rel(vpath), diskPerm(m.Mode, fi.IsDir())); err != nil {
		return rewrap("chmod", name, err)
	}
	if err := t.owners.set(vpath, m); err != nil {
		return &fs.PathError{Op: "chmod", Path: name, Err: err}
	}
	return nil
}

// Chown takes names; an empty name leaves that part unchanged. Root may set
// any owner; the owner of a file may only change its group to one of its own
// groups (EPERM otherwise). Unknown names give ErrUnknownUser or ErrUnknownGroup.
func (t *Tree) Chown(u User, name, owner, group string) error {
	vpath, fi, err := t.lstatResolved(&u, PathWrite, "chown", name, true)
	if err != nil {
		return err
	}
	mode, uid, gid := t.attrs(vpath, fi)
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
	if !u.IsRoot() {
		if uid != u.UID || newUID != uid || (newGID != gid && !t.accounts().inGroup(u, newGID)) {
			return pathErr("chown", name, syscall.EPERM)
		}
	}
	if err := t.owners.set(vpath, meta{UID: newUID, GID: newGID, Mode: mode}); err != nil {
		return &fs.PathError{Op: "chown", Path: name, Err: err}
	}
	return nil
}

// Chtimes sets access and modification times; the owner or root may.
func (t *Tree) Chtimes(u User, name string, atime, mtime time.Time) error {
	vpath, fi, err := t.lstatResolved(&u, PathWrite, "chtimes", name, true)
	if err != nil {
		return err
	}
	if _, uid, _ := t.attrs(vpath, fi); !u.IsRoot() && uid != u.UID {
		return pathErr("chtimes", name, syscall.EPERM)
	}
	return rewrap("chtimes", name, t.root.Chtimes(rel(vpath), t.realTime(atime), t.realTime(mtime)))
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
// target means a path in this tree).
func (t *Tree) Symlink(u User, target, link string) error {
	vpath, err := t.resolve(&u, link, false)
	if err != nil {
		return rewrap("symlink", link, err)
	}
	if _, err := t.root.Lstat(rel(vpath)); err == nil {
		return pathErr("symlink", link, syscall.EEXIST)
	}
	if err := t.checkPath(PathWrite, "symlink", link, vpath); err != nil {
		return err
	}
	parent := path.Dir(vpath)
	if err := t.parentWritable(u, "symlink", link, parent); err != nil {
		return err
	}
	if err := t.root.Symlink(target, rel(vpath)); err != nil {
		return rewrap("symlink", link, err)
	}
	m := t.newMeta(u, parent, 0o777, false)
	if t.os != FreeBSD {
		m.Mode = 0o777 // Linux ignores the umask for symlinks
	}
	if err := t.owners.set(vpath, m); err != nil {
		return &fs.PathError{Op: "symlink", Path: link, Err: err}
	}
	return nil
}

// Readlink returns a symlink's target as stored; EINVAL for anything else.
func (t *Tree) Readlink(name string) (string, error) {
	vpath, fi, err := t.lstatResolved(nil, PathLookup, "readlink", name, false)
	if err != nil {
		return "", err
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return "", pathErr("readlink", name, syscall.EINVAL)
	}
	target, err := t.root.Readlink(rel(vpath))
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
