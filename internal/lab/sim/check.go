package sim

import (
	"errors"
	"io/fs"
	"slices"
	"sync"
	"syscall"
)

// Path checks let a command family make the kernel refuse what its model
// says the kernel refuses: a write under a read-only ZFS mount (EROFS), any
// access under a stale NFS mount (ESTALE). A family registers its checks for
// an OS once, in an init function, and every host of that OS opened
// afterwards consults them: they live in memory, not on disk, so a host
// reopened by another process gets them from the same registration.
//
// The tree consults them in every operation, after resolving the path and
// before its permission checks, so root is not exempt (nor is it from
// EROFS or ESTALE on the real systems). A check runs inside whatever the
// caller holds, often a family's sim.Update: it must not call Update, Load,
// Exec or Shell (use Peek for state), nor tree operations of a checked view.
// A family's own bookkeeping below the VFS (zfs moving a dataset's files at
// mount or unmount) goes through Tree.Unchecked instead.

// PathOp is the kind of access a tree operation makes to a path.
type PathOp int

const (
	// PathLookup is stat, lstat, access, realpath, readlink.
	PathLookup PathOp = iota
	// PathRead is an open for reading or a directory listing.
	PathRead
	// PathWrite is any change: create, truncate, append or an open for
	// writing, mkdir, symlink, remove, rename (both names), chmod, chown,
	// chtimes.
	PathWrite
)

// PathCheck decides whether op may proceed on vpath, the path as the tree
// resolved it (absolute, free of symlinks but, for lstat-like operations,
// the final one). A non-nil error fails the operation; a syscall.Errno (or
// an error wrapping one) becomes the operation's errno, so that ErrText
// prints its strerror text.
type PathCheck func(h *Host, op PathOp, vpath string) error

type namedCheck struct {
	name  string
	check PathCheck
}

var pathChecks struct {
	sync.RWMutex
	byOS map[OS][]namedCheck
}

// RegisterPathCheck adds check, under name, to the path checks of every host
// of os; registering a name again replaces its check, a nil check removes
// it. Checks run in the order they were first registered.
func RegisterPathCheck(os OS, name string, check PathCheck) {
	pathChecks.Lock()
	defer pathChecks.Unlock()
	if pathChecks.byOS == nil {
		pathChecks.byOS = map[OS][]namedCheck{}
	}
	list := slices.Clone(pathChecks.byOS[os])
	i := slices.IndexFunc(list, func(c namedCheck) bool { return c.name == name })
	switch {
	case check == nil && i >= 0:
		list = slices.Delete(list, i, i+1)
	case check == nil:
	case i >= 0:
		list[i].check = check
	default:
		list = append(list, namedCheck{name, check})
	}
	pathChecks.byOS[os] = list
}

// checksFor returns the checks of os; the slice is never modified in place.
func checksFor(os OS) []namedCheck {
	pathChecks.RLock()
	defer pathChecks.RUnlock()
	return pathChecks.byOS[os]
}

// Unchecked returns a view of the same tree to which the path checks do not
// apply; permissions still do. It is for a family's own work below the VFS,
// such as zfs moving a dataset's files in and out of its mountpoint, which
// the kernel does whatever the mount's flags.
func (t *Tree) Unchecked() *Tree {
	v := *t
	v.unchecked = true
	return &v
}

// bind makes the path checks of the tree's OS apply, with h as their host.
func (t *Tree) bind(h *Host) { t.host.Store(h) }

// checkPath runs the path checks for op on the resolved vpath; the error
// names the path as given (name) with the operation opname.
func (t *Tree) checkPath(op PathOp, opname, name, vpath string) error {
	if t.unchecked {
		return nil
	}
	h := t.host.Load()
	if h == nil {
		return nil
	}
	for _, c := range checksFor(t.os) {
		err := c.check(h, op, vpath)
		if err == nil {
			continue
		}
		var errno syscall.Errno
		if errors.As(err, &errno) {
			return pathErr(opname, name, errno)
		}
		return &fs.PathError{Op: opname, Path: name, Err: err}
	}
	return nil
}
