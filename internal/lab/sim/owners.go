package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// meta is what the disk does not hold for a path: its emulated owner, group
// and mode. The lab may not run as root, so ownership lives here; modes live
// here too because the lab must still read and write files whose emulated
// mode would shut out the lab's own process (0400 root keys, 0555 dirs).
type meta struct {
	UID  int         `json:"uid"`
	GID  int         `json:"gid"`
	Mode fs.FileMode `json:"-"` // permission bits plus setuid, setgid, sticky
}

type metaJSON struct {
	UID  int    `json:"uid"`
	GID  int    `json:"gid"`
	Mode string `json:"mode"` // octal, as chmod(1) takes it
}

// owners is the sidecar file DIR/hosts/NAME/owners.json: virtual path (with
// no symlink in it) to meta. Writers hold owners.lock (in-process and
// flock) and replace the file atomically; readers reload it when its
// identity on disk changed.
type owners struct {
	path  string
	lock  *fileLock
	mu    sync.Mutex // guards cache, stamp and held
	cache map[string]meta
	stamp fileStamp
	// held is the sidecar while a batch holds its lock: updates change it
	// in memory and the batch saves it once at the end.
	held map[string]meta
}

func newOwners(hostDir string) *owners {
	return &owners{
		path: hostDir + "/owners.json",
		lock: newFileLock(hostDir + "/owners.lock"),
	}
}

// get returns the meta of a resolved virtual path, reloading the sidecar
// when the file changed on disk.
func (o *owners) get(vpath string) (meta, bool) {
	o.mu.Lock()
	if o.held != nil {
		v, ok := o.held[vpath]
		o.mu.Unlock()
		return v, ok
	}
	o.mu.Unlock()
	st := stampPath(o.path)
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.held != nil {
		v, ok := o.held[vpath]
		return v, ok
	}
	if o.cache == nil || st != o.stamp {
		m, err := o.load()
		if err != nil {
			return meta{}, false
		}
		o.cache, o.stamp = m, st
	}
	v, ok := o.cache[vpath]
	return v, ok
}

// batch runs fn holding the sidecar's lock, saving the sidecar once at the
// end instead of at each change (seeding a host makes hundreds).
func (o *owners) batch(fn func() error) error {
	unlock, err := o.lock.lock()
	if err != nil {
		return err
	}
	defer unlock()
	o.mu.Lock()
	m, err := o.load()
	if err != nil {
		o.mu.Unlock()
		return err
	}
	o.held = m
	o.mu.Unlock()
	ferr := fn()
	o.mu.Lock()
	defer o.mu.Unlock()
	m, o.held = o.held, nil
	return errors.Join(ferr, o.save(m))
}

func (o *owners) load() (map[string]meta, error) {
	data, err := os.ReadFile(o.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]meta{}, nil
	}
	if err != nil {
		return nil, err
	}
	var raw map[string]metaJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", o.path, err)
	}
	m := make(map[string]meta, len(raw))
	for p, r := range raw {
		mode, err := strconv.ParseUint(r.Mode, 8, 32)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: mode %q: %w", o.path, p, r.Mode, err)
		}
		m[p] = meta{UID: r.UID, GID: r.GID, Mode: fromUnixMode(uint32(mode))}
	}
	return m, nil
}

// update changes the sidecar under its lock and saves it.
func (o *owners) update(fn func(m map[string]meta)) error {
	o.mu.Lock()
	if o.held != nil {
		fn(o.held)
		o.mu.Unlock()
		return nil
	}
	o.mu.Unlock()
	unlock, err := o.lock.lock()
	if err != nil {
		return err
	}
	defer unlock()
	o.mu.Lock()
	defer o.mu.Unlock()
	m, err := o.load()
	if err != nil {
		return err
	}
	fn(m)
	return o.save(m)
}

// save writes m as the sidecar; the caller holds the lock and o.mu.
func (o *owners) save(m map[string]meta) error {
	raw := make(map[string]metaJSON, len(m))
	for p, v := range m {
		raw[p] = metaJSON{UID: v.UID, GID: v.GID, Mode: fmt.Sprintf("%04o", toUnixMode(v.Mode))}
	}
	data, err := json.MarshalIndent(raw, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(o.path, append(data, '\n')); err != nil {
		return err
	}
	o.cache, o.stamp = m, stampPath(o.path)
	return nil
}

func (o *owners) set(vpath string, v meta) error {
	return o.update(func(m map[string]meta) { m[vpath] = v })
}

// forget drops vpath and everything below it.
func (o *owners) forget(vpath string) error {
	return o.update(func(m map[string]meta) {
		for p := range m {
			if within(p, vpath) {
				delete(m, p)
			}
		}
	})
}

// move renames the entries of oldpath and everything below it to newpath,
// dropping whatever newpath held before.
func (o *owners) move(oldpath, newpath string) error {
	return o.update(func(m map[string]meta) {
		moved := map[string]meta{}
		for p, v := range m {
			if within(p, oldpath) {
				moved[newpath+strings.TrimPrefix(p, oldpath)] = v
				delete(m, p)
			}
		}
		for p := range m {
			if within(p, newpath) {
				delete(m, p)
			}
		}
		maps.Copy(m, moved)
	})
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	if dir == "/" {
		return true
	}
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// fileStamp identifies one version of a file on disk.
type fileStamp struct {
	ok         bool
	dev, ino   uint64
	size       int64
	mtime      int64
	ctime      int64
	modeAndLnk uint64
}

func stampOf(fi fs.FileInfo, err error) fileStamp {
	if err != nil {
		return fileStamp{}
	}
	st := fileStamp{ok: true, size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if s, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.dev, st.ino = uint64(s.Dev), s.Ino //nolint:unconvert // narrower on other platforms
		st.ctime = s.Ctim.Sec*1e9 + s.Ctim.Nsec
		st.modeAndLnk = uint64(s.Mode)<<32 | uint64(s.Nlink) //nolint:unconvert // narrower on other platforms
	}
	return st
}

func stampPath(path string) fileStamp { return stampOf(os.Stat(path)) }

func (t *Tree) stampOf(rel string) fileStamp { return stampOf(t.root.Stat(rel)) }

// toUnixMode and fromUnixMode convert the permission and special bits
// between Go's fs.FileMode and the octal notation of chmod(1).
func toUnixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

func fromUnixMode(u uint32) fs.FileMode {
	m := fs.FileMode(u & 0o777)
	if u&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if u&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if u&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// specialBits are the mode bits Chmod may set besides the permissions.
const specialBits = fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// modeBits keeps the permission and special bits of m. Bits 0o7000, which
// fs.FileMode does not use, are taken as chmod(1)'s setuid, setgid and
// sticky bits, so that both fs.ModeSticky|0o777 and 0o1777 mean /tmp's mode.
func modeBits(m fs.FileMode) fs.FileMode {
	return fromUnixMode(uint32(m&0o7777)) | m&specialBits
}

// ModeFromOctal converts chmod(1)'s octal notation (04755) to an fs.FileMode.
func ModeFromOctal(u uint32) fs.FileMode { return fromUnixMode(u) }

// OctalMode converts an fs.FileMode's permission and special bits to
// chmod(1)'s octal notation, as stat(1) prints it.
func OctalMode(m fs.FileMode) uint32 { return toUnixMode(m) }
