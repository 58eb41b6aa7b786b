package sim

import (
	"io"
	"io/fs"
	"time"
)

// This file is the contract between the lab core (which implements Host and
// Tree) and the command families. Signatures here change only by agreement.

// FileInfo describes a file in a host's tree, with emulated ownership.
type FileInfo struct {
	Name    string // base name
	Path    string // virtual absolute path
	Mode    fs.FileMode
	Size    int64
	ModTime time.Time
	UID     int
	GID     int
	Owner   string // user name from the tree's /etc/passwd, or the number
	Group   string // group name from the tree's /etc/group, or the number
	Target  string // symlink target, for Lstat of a symlink
	Rdev    uint64 // a device node's st_rdev (Linux: major<<8 | minor)
}

// IsDir reports whether the file is a directory.
func (fi FileInfo) IsDir() bool { return fi.Mode.IsDir() }

// File is an open file in a host's tree.
type File interface {
	io.Reader
	io.Writer
	io.Closer
}

// TreeAPI is what Tree implements: virtual absolute paths ("/etc/rc.conf"),
// confined to the host's own directory on disk (no path, ".." or symlink
// escapes), with permissions checked for the acting user (root passes every
// check, as on the real systems). Errors are *fs.PathError carrying the
// virtual path and an errno-like error (fs.ErrNotExist, fs.ErrPermission,
// syscall.ENOTDIR, syscall.EISDIR, syscall.EEXIST, syscall.ENOTEMPTY), so
// that ErrText prints what the real utilities print.
type TreeAPI interface {
	ReadFile(u User, name string) ([]byte, error)
	// WriteFile creates or truncates; a new file is owned by u.
	WriteFile(u User, name string, data []byte, perm fs.FileMode) error
	AppendFile(u User, name string, data []byte, perm fs.FileMode) error
	OpenFile(u User, name string, flag int, perm fs.FileMode) (File, error)
	Stat(name string) (FileInfo, error)
	Lstat(name string) (FileInfo, error)
	ReadDir(u User, name string) ([]FileInfo, error) // sorted by name
	Mkdir(u User, name string, perm fs.FileMode) error
	MkdirAll(u User, name string, perm fs.FileMode) error
	Remove(u User, name string) error
	RemoveAll(u User, name string) error
	Rename(u User, oldname, newname string) error
	Chmod(u User, name string, mode fs.FileMode) error
	// Chown takes names; an empty name leaves that part unchanged.
	Chown(u User, name, owner, group string) error
	Symlink(u User, target, link string) error
	Readlink(name string) (string, error)
	Exists(name string) bool
}

var _ TreeAPI = (*Tree)(nil)

// HostAPI is what Host implements for the command families.
type HostAPI interface {
	// Exec runs a program found by PATH lookup in the tree (or an absolute
	// path), with p's stdio, user, dir and env, as a shell would: 127 and
	// "sh: NAME: not found" when there is none, 126 when not executable.
	Exec(p *Proc, argv []string) int
	// Shell runs a POSIX sh script in the interpreter with p's stdio and
	// identity; args become $0, $1, ... as for sh -c SCRIPT ARG0 ARG1.
	Shell(p *Proc, script string, args []string) int
	// LookupUser finds a user by name or decimal uid in the tree's /etc/passwd.
	LookupUser(name string) (User, bool)
	// Now is the host's clock (tests may fix it).
	Now() time.Time
	// Syslog appends a line to the host's system log (/var/log/messages), as logger(1) does.
	Syslog(tag, msg string)
}

var _ HostAPI = (*Host)(nil)

// Mount is one entry of a host's mount table, shared by zfs, mount(8) and findmnt.
type Mount struct {
	Source  string   // "zdata/enc", "/dev/da0", "127.0.0.1:/k3svolumes"
	Point   string   // "/data/enc"
	FSType  string   // "zfs", "ufs", "nfs4"
	Options []string // as mount(8) prints them
	// Remote, set on an NFS client's mount, says where the files at and
	// below Point live (another host's tree, see remote.go).
	Remote *RemoteMount `json:",omitempty"`
}

// Mounts is the state kept under the name MountsState.
type Mounts struct {
	List []Mount
}

// MountsState is the Update/Load name of the mount table.
const MountsState = "mounts"

// Disk is a block device of a host, shared by zpool and newfs/mount. The
// disk and its partitions have nodes in the host's /dev (see devices.go).
type Disk struct {
	Path   string   // "/dev/ada1"
	Size   int64    // bytes
	Holder string   // "" free; "zpool:zdata" part of a pool; "ufs" holds a UFS filesystem
	Parts  []string `json:",omitempty"` // its partitions' nodes, "/dev/ada0p1"
}

// Disks is the state kept under the name DisksState.
type Disks struct {
	List []Disk
}

// DisksState is the Update/Load name of the device list.
const DisksState = "disks"
