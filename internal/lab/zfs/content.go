package zfs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// maxContent bounds the bytes of files a dataset, snapshot or stream may
// carry: the lab keeps small VM images and NFS test files, not real data.
const maxContent = 64 << 20

// archive is the files of a dataset at one moment, relative to its mountpoint.
type archive struct {
	Entries []entry `json:"entries"`
}

// entry is one file, directory or symlink of an archive.
type entry struct {
	Path   string      `json:"path"` // relative, slash separated
	Mode   fs.FileMode `json:"mode"` // type and permission bits
	Owner  string      `json:"owner"`
	Group  string      `json:"group"`
	MTime  int64       `json:"mtime,omitempty"` // unix nanoseconds
	Data   []byte      `json:"data,omitempty"`
	Target string      `json:"target,omitempty"`
}

// emptyHash is the hash of an archive without entries.
var emptyHash = (&archive{}).sum().Hash

// sum is the archive's bytes (whole sectors per file) and hash; times are
// left out of the hash so that a copy back and forth is not a change.
func (a *archive) sum() ContentSum {
	h := sha256.New()
	var n uint64
	for _, e := range a.Entries {
		fmt.Fprintf(h, "%s\x00%o\x00%s\x00%s\x00%s\x00%d\x00", e.Path, uint32(e.Mode), e.Owner, e.Group, e.Target, len(e.Data))
		h.Write(e.Data)
		if e.Mode.IsRegular() && len(e.Data) > 0 {
			n += (uint64(len(e.Data)) + sector - 1) / sector * sector
		}
	}
	return ContentSum{Bytes: n, Hash: hex.EncodeToString(h.Sum(nil))}
}

// fileStore moves datasets' files between the host's tree and the stores
// outside it (DIR/hosts/NAME/zfs/{live,snap}/ID.json).
type fileStore struct {
	dir  string
	tree *sim.Tree
	root sim.User
	// other holds mountpoints of non-ZFS filesystems; with the mounted
	// datasets of st they are the mountpoints whose contents are not part
	// of a dataset mounted above them.
	other map[string]bool
	st    *State
	// mountTable is the host's mount table as the command found it.
	mountTable []sim.Mount
	// skip caches mountpoints() until a mount changes.
	skip map[string]bool
	// marks, accts and events serve Known (known.go).
	marks  map[string]bool
	accts  string
	events []mountEvent
	walks  int // walks of a mounted dataset's files for its bytes
}

func newFileStore(h *sim.Host, mounts []sim.Mount, st *State) *fileStore {
	// The kernel moves a dataset's files whatever its readonly property:
	// the path checks (readonlyCheck) are for the users of the tree.
	fsys := &fileStore{dir: filepath.Join(h.Dir, "zfs"), tree: h.Tree.Unchecked(), root: h.Root(), other: map[string]bool{}, st: st, mountTable: mounts}
	for _, m := range mounts {
		if m.FSType != "zfs" {
			fsys.other[m.Point] = true
		}
	}
	return fsys
}

// mountpoints returns every mountpoint: the other file systems' and the
// mounted datasets'. The map is shared until a mount changes.
func (f *fileStore) mountpoints() map[string]bool {
	if f.skip != nil {
		return f.skip
	}
	m := make(map[string]bool, len(f.other))
	for k := range f.other {
		m[k] = true
	}
	if f.st != nil {
		for _, p := range f.st.imported() {
			for _, d := range p.Datasets {
				if d.Mounted {
					m[d.MountedAt] = true
				}
			}
		}
	}
	f.skip = m
	return m
}

var errTooLarge = errors.New("lab: dataset content exceeds the lab's limit")

// capture reads the files under dir, not descending into other mountpoints.
// withData false reads sizes only (for space accounting).
func (f *fileStore) capture(dir string, withData bool) (*archive, uint64, error) {
	a := &archive{}
	var total uint64
	skip := f.mountpoints()
	var walk func(vdir, rel string) error
	walk = func(vdir, rel string) error {
		infos, err := f.tree.ReadDir(f.root, vdir)
		if err != nil {
			return err
		}
		for _, fi := range infos {
			vp := path.Join(vdir, fi.Name)
			rp := path.Join(rel, fi.Name)
			e := entry{Path: rp, Mode: fi.Mode, Owner: fi.Owner, Group: fi.Group, MTime: fi.ModTime.UnixNano()}
			switch {
			case fi.Mode&fs.ModeSymlink != 0:
				e.Target = fi.Target
			case fi.Mode.IsRegular():
				if fi.Size > 0 {
					total += (uint64(fi.Size) + sector - 1) / sector * sector
				}
				if total > maxContent {
					return errTooLarge
				}
				if withData {
					data, err := f.tree.ReadFile(f.root, vp)
					if err != nil {
						return err
					}
					e.Data = data
				} else {
					e.Data = nil
				}
			}
			a.Entries = append(a.Entries, e)
			if fi.IsDir() && !skip[vp] {
				if err := walk(vp, rp); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if !f.tree.Exists(dir) {
		return a, 0, nil
	}
	if err := walk(dir, ""); err != nil {
		return nil, 0, err
	}
	return a, total, nil
}

// extract writes an archive's files under dir (created when missing).
func (f *fileStore) extract(dir string, a *archive) error {
	if err := f.tree.MkdirAll(f.root, dir, 0o755); err != nil {
		return err
	}
	var dirs []entry
	for _, e := range a.Entries {
		vp := path.Join(dir, e.Path)
		switch {
		case e.Mode.IsDir():
			if err := f.tree.MkdirAll(f.root, vp, e.Mode.Perm()); err != nil {
				return err
			}
			dirs = append(dirs, e)
			continue
		case e.Mode&fs.ModeSymlink != 0:
			_ = f.tree.RemoveAll(f.root, vp)
			if err := f.tree.Symlink(f.root, e.Target, vp); err != nil {
				return err
			}
			continue
		default:
			if err := f.tree.WriteFile(f.root, vp, e.Data, e.Mode.Perm()); err != nil {
				return err
			}
		}
		if err := f.setAttrs(vp, e); err != nil {
			return err
		}
	}
	// Directories last, so their times are not disturbed by their contents.
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := f.setAttrs(path.Join(dir, dirs[i].Path), dirs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (f *fileStore) setAttrs(vp string, e entry) error {
	if err := f.tree.Chmod(f.root, vp, e.Mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
		return err
	}
	if err := f.tree.Chown(f.root, vp, e.Owner, e.Group); err != nil && !errors.Is(err, sim.ErrUnknownUser) && !errors.Is(err, sim.ErrUnknownGroup) {
		return err
	}
	if e.MTime != 0 {
		t := time.Unix(0, e.MTime)
		_ = f.tree.Chtimes(f.root, vp, t, t)
	}
	return nil
}

// clear removes what is under dir, except other mountpoints and what leads to them.
func (f *fileStore) clear(dir string) error {
	return f.clearSkip(dir, f.mountpoints())
}

func (f *fileStore) clearSkip(dir string, skip map[string]bool) error {
	if !f.tree.Exists(dir) {
		return nil
	}
	infos, err := f.tree.ReadDir(f.root, dir)
	if err != nil {
		return err
	}
	for _, fi := range infos {
		vp := path.Join(dir, fi.Name)
		if fi.IsDir() && holdsMount(skip, vp) {
			if !skip[vp] {
				if err := f.clearSkip(vp, skip); err != nil {
					return err
				}
			}
			continue
		}
		if err := f.tree.RemoveAll(f.root, vp); err != nil {
			return err
		}
	}
	return nil
}

// holdsMount reports whether vp is, or contains, another mountpoint.
func holdsMount(skip map[string]bool, vp string) bool {
	for m := range skip {
		if m == vp || strings.HasPrefix(m, vp+"/") {
			return true
		}
	}
	return false
}

func (f *fileStore) file(kind, id string) string { return filepath.Join(f.dir, kind, id+".json") }

// save writes an archive to a store.
func (f *fileStore) save(kind, id string, a *archive) error {
	if err := os.MkdirAll(filepath.Join(f.dir, kind), 0o755); err != nil {
		return err
	}
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	tmp := f.file(kind, id) + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, f.file(kind, id))
}

// load reads a store; a missing one is empty.
func (f *fileStore) load(kind, id string) (*archive, error) {
	data, err := os.ReadFile(f.file(kind, id))
	if errors.Is(err, fs.ErrNotExist) {
		return &archive{}, nil
	}
	if err != nil {
		return nil, err
	}
	var a archive
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

func (f *fileStore) drop(kind, id string) {
	_ = os.Remove(f.file(kind, id))
	if kind == storeLive {
		untouch(f.hostDir(), id)
	}
}

// Store kinds.
const (
	storeLive = "live"
	storeSnap = "snap"
)

// live returns a dataset's current files.
func (f *fileStore) live(ds *Dataset) (*archive, error) {
	if !tracked(ds) {
		return &archive{}, nil
	}
	if ds.Mounted {
		a, _, err := f.capture(ds.MountedAt, true)
		return a, err
	}
	return f.load(storeLive, ds.Store)
}

// setLive replaces a dataset's files.
func (f *fileStore) setLive(ds *Dataset, a *archive) error {
	if !tracked(ds) {
		return nil
	}
	if ds.Mounted {
		ds.Known = nil
		if err := f.clear(ds.MountedAt); err != nil {
			return err
		}
		return f.extract(ds.MountedAt, a)
	}
	sum := a.sum()
	ds.Stored = &sum
	return f.save(storeLive, ds.Store, a)
}

// liveBytes implements usage.
func (f *fileStore) liveBytes(_ *Pool, ds *Dataset) uint64 {
	if !ds.Mounted {
		if ds.Stored != nil {
			return ds.Stored.Bytes
		}
		return 0
	}
	if k := f.known(ds); k != nil {
		if verifyKnown {
			f.verifyBytes(ds, k)
		}
		return k.Bytes
	}
	f.walks++
	_, n, err := f.capture(ds.MountedAt, false)
	if err != nil {
		return 0
	}
	return n
}

// liveHash implements usage.
func (f *fileStore) liveHash(_ *Pool, ds *Dataset) string {
	if !ds.Mounted {
		if ds.Stored != nil {
			return ds.Stored.Hash
		}
		return emptyHash
	}
	if k := f.known(ds); k != nil && k.Hash != "" && k.Accounts == f.accounts() {
		if verifyKnown {
			f.verifyHash(ds, k)
		}
		return k.Hash
	}
	a, _, err := f.capture(ds.MountedAt, true)
	if err != nil {
		return ""
	}
	return a.sum().Hash
}

// moveIn mounts a dataset's files at dir: the store's files go into the tree.
func (f *fileStore) moveIn(ds *Dataset, dir string) error {
	// The mount hides what dir held from the dataset around it.
	infos, _ := f.tree.ReadDir(f.root, dir)
	f.events = append(f.events, mountEvent{dir: dir, ds: ds, hidden: len(infos) > 0})
	f.skip = nil
	ds.Known = nil
	if err := f.tree.MkdirAll(f.root, dir, 0o755); err != nil {
		return err
	}
	if !tracked(ds) {
		return nil
	}
	a, err := f.load(storeLive, ds.Store)
	if err != nil {
		return err
	}
	if err := f.extract(dir, a); err != nil {
		return err
	}
	f.drop(storeLive, ds.Store)
	ds.Stored = nil
	return nil
}

// moveOut unmounts a dataset's files: the tree's files go to the store.
func (f *fileStore) moveOut(ds *Dataset) error {
	f.events = append(f.events, mountEvent{dir: ds.MountedAt, ds: ds})
	f.skip = nil
	ds.Known = nil
	untouch(f.hostDir(), ds.Store)
	if !tracked(ds) {
		return nil
	}
	a, _, err := f.capture(ds.MountedAt, true)
	if err != nil {
		return err
	}
	sum := a.sum()
	if err := f.save(storeLive, ds.Store, a); err != nil {
		return err
	}
	ds.Stored = &sum
	return f.clear(ds.MountedAt)
}
