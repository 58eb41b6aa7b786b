package freebsd

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// vfs is the slice of a host's file tree the pure engines (sysrc, rc.conf,
// devd, crontab) need. treeFS binds it to a process (its user's permissions);
// tests use memFS.
type vfs interface {
	ReadFile(name string) ([]byte, error)
	// WriteFile creates or truncates; an existing file keeps mode and owner.
	WriteFile(name string, data []byte, perm fs.FileMode) error
	Stat(name string) (sim.FileInfo, error)
	ReadDir(name string) ([]sim.FileInfo, error)
	Remove(name string) error
	MkdirAll(name string, perm fs.FileMode) error
	// Writable is test(1)'s -w for the acting user.
	Writable(name string) bool
}

type treeFS struct{ p *sim.Proc }

func (t treeFS) ReadFile(name string) ([]byte, error) { return t.p.Host.Tree.ReadFile(t.p.User, name) }
func (t treeFS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	return t.p.Host.Tree.WriteFile(t.p.User, name, data, perm)
}
func (t treeFS) Stat(name string) (sim.FileInfo, error) { return t.p.Host.Tree.Stat(name) }
func (t treeFS) ReadDir(name string) ([]sim.FileInfo, error) {
	return t.p.Host.Tree.ReadDir(t.p.User, name)
}
func (t treeFS) Remove(name string) error { return t.p.Host.Tree.Remove(t.p.User, name) }
func (t treeFS) MkdirAll(name string, perm fs.FileMode) error {
	return t.p.Host.Tree.MkdirAll(t.p.User, name, perm)
}
func (t treeFS) Writable(name string) bool {
	fi, err := t.p.Host.Tree.Stat(name)
	if err != nil {
		return false
	}
	return modeAllows(t.p.User, fi, 2)
}

// modeAllows reports whether u may access fi with bit (4 read, 2 write, 1 exec).
func modeAllows(u sim.User, fi sim.FileInfo, bit fs.FileMode) bool {
	if u.IsRoot() {
		return true
	}
	m := fi.Mode.Perm()
	switch {
	case fi.UID == u.UID:
		return m&(bit<<6) != 0
	case fi.GID == u.GID:
		return m&(bit<<3) != 0
	}
	return m&bit != 0
}

// memFS is an in-memory vfs for tests of the pure engines.
type memFS struct {
	files map[string][]byte
	modes map[string]fs.FileMode
	ro    map[string]bool // paths the acting user may not write
}

func newMemFS(files map[string]string) *memFS {
	m := &memFS{files: map[string][]byte{}, modes: map[string]fs.FileMode{}, ro: map[string]bool{}}
	for k, v := range files {
		m.files[k] = []byte(v)
		m.modes[k] = 0o644
	}
	return m
}

func (m *memFS) ReadFile(name string) ([]byte, error) {
	b, ok := m.files[name]
	if !ok {
		if m.isDir(name) {
			return nil, &fs.PathError{Op: "read", Path: name, Err: syscall.EISDIR}
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return append([]byte(nil), b...), nil
}

func (m *memFS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	if m.ro[name] || m.ro[path.Dir(name)] {
		return &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	if _, ok := m.files[name]; !ok {
		m.modes[name] = perm
	}
	m.files[name] = append([]byte(nil), data...)
	return nil
}

func (m *memFS) isDir(name string) bool {
	prefix := strings.TrimSuffix(name, "/") + "/"
	for k := range m.files {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func (m *memFS) Stat(name string) (sim.FileInfo, error) {
	if b, ok := m.files[name]; ok {
		return sim.FileInfo{Name: path.Base(name), Path: name, Mode: m.modes[name], Size: int64(len(b)), ModTime: time.Unix(0, 0)}, nil
	}
	if m.isDir(name) {
		return sim.FileInfo{Name: path.Base(name), Path: name, Mode: fs.ModeDir | 0o755}, nil
	}
	return sim.FileInfo{}, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

func (m *memFS) ReadDir(name string) ([]sim.FileInfo, error) {
	prefix := strings.TrimSuffix(name, "/") + "/"
	seen := map[string]bool{}
	var out []sim.FileInfo
	for k := range m.files {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		first := strings.SplitN(strings.TrimPrefix(k, prefix), "/", 2)[0]
		if seen[first] {
			continue
		}
		seen[first] = true
		fi, _ := m.Stat(prefix + first)
		out = append(out, fi)
	}
	if len(out) == 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (m *memFS) Remove(name string) error {
	if _, ok := m.files[name]; !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	delete(m.files, name)
	return nil
}

func (m *memFS) MkdirAll(string, fs.FileMode) error { return nil }

func (m *memFS) Writable(name string) bool {
	_, ok := m.files[name]
	return ok && !m.ro[name]
}

// errText is the strerror text of a tree error.
func errText(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "No such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		var en syscall.Errno
		if errors.As(pe.Err, &en) {
			return freebsdErrno(en)
		}
	}
	return sim.ErrText(err)
}

func freebsdErrno(en syscall.Errno) string {
	switch en {
	case syscall.EISDIR:
		return "Is a directory"
	case syscall.ENOTDIR:
		return "Not a directory"
	case syscall.EEXIST:
		return "File exists"
	case syscall.ENOTEMPTY:
		return "Directory not empty"
	case syscall.EBUSY:
		return "Device busy"
	}
	return en.Error()
}

// isNotExist is os.IsNotExist for tree errors.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) || os.IsNotExist(err) }
