package sim

import "io/fs"

// Tree is a host's confined file tree. STUB: the lab core replaces the bodies.
type Tree struct{}

func (t *Tree) ReadFile(u User, name string) ([]byte, error)                        { panic("stub") }
func (t *Tree) WriteFile(u User, name string, data []byte, perm fs.FileMode) error  { panic("stub") }
func (t *Tree) AppendFile(u User, name string, data []byte, perm fs.FileMode) error { panic("stub") }
func (t *Tree) OpenFile(u User, name string, flag int, perm fs.FileMode) (File, error) {
	panic("stub")
}
func (t *Tree) Stat(name string) (FileInfo, error)                   { panic("stub") }
func (t *Tree) Lstat(name string) (FileInfo, error)                  { panic("stub") }
func (t *Tree) ReadDir(u User, name string) ([]FileInfo, error)      { panic("stub") }
func (t *Tree) Mkdir(u User, name string, perm fs.FileMode) error    { panic("stub") }
func (t *Tree) MkdirAll(u User, name string, perm fs.FileMode) error { panic("stub") }
func (t *Tree) Remove(u User, name string) error                     { panic("stub") }
func (t *Tree) RemoveAll(u User, name string) error                  { panic("stub") }
func (t *Tree) Rename(u User, oldname, newname string) error         { panic("stub") }
func (t *Tree) Chmod(u User, name string, mode fs.FileMode) error    { panic("stub") }
func (t *Tree) Chown(u User, name, owner, group string) error        { panic("stub") }
func (t *Tree) Symlink(u User, target, link string) error            { panic("stub") }
func (t *Tree) Readlink(name string) (string, error)                 { panic("stub") }
func (t *Tree) Exists(name string) bool                              { panic("stub") }

// ErrText is the strerror text a FreeBSD or Linux utility prints for err
// ("No such file or directory", "Permission denied", ...). STUB.
func ErrText(err error) string { panic("stub") }
