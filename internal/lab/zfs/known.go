package zfs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Space accounting without walking the pool.
//
// A dataset's used, referenced and the pool's allocated space need the
// bytes of every mounted dataset's files, which live in the host's tree.
// Walking them all for each zfs get or zfs list made a read cost as much as
// the pool is large. Instead zfs keeps, per mounted dataset, what it last
// saw of its files (Dataset.Known), and trusts it as long as nothing has
// written under the dataset's mountpoint since:
//
//   - every change the tree makes under a mounted dataset (a write, create,
//     remove, rename, chmod, chown; any process: the SSH sessions, SFTP,
//     f3s-lab exec) first passes the path check touchCheck, which leaves a
//     marker file DIR/hosts/NAME/zfs/touched/STORE for the dataset that
//     holds the path. The check runs before the change, so a reader that
//     finds no marker after the dataset's Known was taken has seen every
//     change that was made: there is no window where a change is made and
//     not yet marked.
//   - a marker stays until the dataset is unmounted (its files then leave
//     the tree and are summed into Dataset.Stored) or destroyed, so a
//     dataset written to is walked at every read until then, as before.
//   - zfs's own moves (mount, unmount, receive, rollback) go below the path
//     checks; settle, at the end of each command that changed the state,
//     drops what they made stale and walks what it must to know again.
//   - a dataset with another file system mounted inside it (a UFS stick)
//     is always walked: mount(8) moves directories on disk, below the tree.
//
// With F3S_LAB_VERIFY_KNOWN set (the package's tests set it), every use of
// Known is checked against a walk, and a difference panics.

// Known is what zfs last saw of a mounted dataset's files.
type Known struct {
	Bytes uint64 `json:"bytes"`
	// Hash is "" when only the bytes are known (a child's mountpoint
	// directory was made or left in the dataset: no bytes, a new entry).
	Hash string `json:"hash,omitempty"`
	// Accounts identifies the passwd and group files the hash was taken
	// with: files are hashed with their owners' names.
	Accounts string `json:"accounts,omitempty"`
}

// verifyKnown makes every use of Known walk the files too and panic on a
// difference.
var verifyKnown = os.Getenv("F3S_LAB_VERIFY_KNOWN") != ""

func init() { sim.RegisterPathCheck(sim.FreeBSD, "zfs-touched", touchCheck) }

// touchCheck marks the datasets whose files a change of vpath may change.
// It never refuses anything. It reads the state as last saved (it runs
// inside other commands' updates): a dataset being mounted by a command
// that has not saved yet is not marked, which only matters for a write into
// a mountpoint racing its mount.
func touchCheck(h *sim.Host, op sim.PathOp, vpath string) error {
	if op != sim.PathWrite {
		return nil
	}
	// A state that cannot be read is zfs's own error to report, not
	// every write's: nothing is marked then.
	st, _ := sim.Peek[State](h, StateName)
	mounts, _ := sim.Peek[sim.Mounts](h, sim.MountsState)
	for _, store := range touchedBy(&st, mounts.List, vpath) {
		markTouched(h.Dir, store)
	}
	return nil
}

// holder is a mounted file system: a dataset (ds set) or another one.
type holder struct {
	point string
	ds    *Dataset
}

// mountedAll lists every mount: the mounted datasets of st and the other
// file systems of the mount table.
func mountedAll(st *State, mounts []sim.Mount) []holder {
	var out []holder
	for _, p := range st.imported() {
		for _, d := range p.Datasets {
			if d.Mounted {
				out = append(out, holder{d.MountedAt, d})
			}
		}
	}
	for _, m := range mounts {
		if m.FSType != "zfs" {
			out = append(out, holder{point: m.Point})
		}
	}
	return out
}

// mountHolder is the deepest mount that holds vpath, leaving out skip; its
// dataset is nil when that is not a tracked dataset.
func mountHolder(all []holder, vpath string, skip *Dataset) *Dataset {
	var best *holder
	for i := range all {
		m := &all[i]
		if (m.ds == nil || m.ds != skip) && pathWithin(vpath, m.point) && (best == nil || len(m.point) > len(best.point)) {
			best = m
		}
	}
	if best == nil || best.ds == nil || !tracked(best.ds) {
		return nil
	}
	return best.ds
}

// touchedBy names the stores of the datasets whose walk a change of vpath
// can change: the dataset that holds vpath; when vpath is a mountpoint,
// also the one holding that directory's entry; and every dataset mounted
// below vpath (a directory renamed or removed with what it holds).
func touchedBy(st *State, mounts []sim.Mount, vpath string) []string {
	all := mountedAll(st, mounts)
	var out []string
	var top *holder
	for i := range all {
		m := &all[i]
		if pathWithin(vpath, m.point) && (top == nil || len(m.point) > len(top.point)) {
			top = m
		}
	}
	if top != nil {
		if top.ds != nil && tracked(top.ds) {
			out = append(out, top.ds.Store)
		}
		if top.point == vpath {
			if up := mountHolder(all, vpath, top.ds); up != nil && up != top.ds {
				out = append(out, up.Store)
			}
		}
	}
	for _, m := range all {
		if m.ds != nil && tracked(m.ds) && m.point != vpath && pathWithin(m.point, vpath) {
			out = append(out, m.ds.Store)
		}
	}
	return out
}

func touchedDir(hostDir string) string { return filepath.Join(hostDir, "zfs", "touched") }

// markTouched leaves the marker of store, once.
func markTouched(hostDir, store string) {
	file := filepath.Join(touchedDir(hostDir), store)
	if _, err := os.Lstat(file); err == nil {
		return
	}
	if err := os.WriteFile(file, nil, 0o600); errors.Is(err, fs.ErrNotExist) {
		_ = os.MkdirAll(touchedDir(hostDir), 0o755)
		_ = os.WriteFile(file, nil, 0o600)
	}
}

// readTouched lists the marked stores.
func readTouched(hostDir string) map[string]bool {
	entries, err := os.ReadDir(touchedDir(hostDir))
	out := make(map[string]bool, len(entries))
	if err != nil {
		return out
	}
	for _, e := range entries {
		out[e.Name()] = true
	}
	return out
}

func isTouched(hostDir, store string) bool {
	_, err := os.Lstat(filepath.Join(touchedDir(hostDir), store))
	return err == nil
}

func untouch(hostDir, store string) { _ = os.Remove(filepath.Join(touchedDir(hostDir), store)) }

// hostDir is DIR/hosts/NAME.
func (f *fileStore) hostDir() string { return filepath.Dir(f.dir) }

// touched is the set of marked stores, read once per command.
func (f *fileStore) touched() map[string]bool {
	if f.marks == nil {
		f.marks = readTouched(f.hostDir())
	}
	return f.marks
}

// otherWithin reports whether a file system other than a dataset is
// mounted at or below dir.
func (f *fileStore) otherWithin(dir string) bool {
	for m := range f.other {
		if pathWithin(m, dir) {
			return true
		}
	}
	return false
}

// sizesKey implements sizeCache: the marked datasets and the other file
// systems decide which Known are trusted.
func (f *fileStore) sizesKey() (string, int) {
	keys := make([]string, 0, len(f.touched())+len(f.other))
	for k := range f.touched() {
		keys = append(keys, k)
	}
	keys = append(keys, "")
	for m := range f.other {
		keys = append(keys, m)
	}
	sort.Strings(keys)
	return strings.Join(keys, "\x00"), f.walks
}

// known returns ds's Known when it may be trusted.
func (f *fileStore) known(ds *Dataset) *Known {
	if ds.Known == nil || !ds.Mounted || f.touched()[ds.Store] || f.otherWithin(ds.MountedAt) {
		return nil
	}
	return ds.Known
}

// accounts identifies the host's passwd and group files as they are now.
func (f *fileStore) accounts() string {
	if f.accts == "" {
		f.accts = "-"
		for _, name := range []string{"passwd", "group"} {
			if fi, err := os.Stat(filepath.Join(f.hostDir(), "root", "etc", name)); err == nil {
				f.accts += fmt.Sprintf("%d.%d.%d-", fi.Size(), fi.ModTime().UnixNano(), inode(fi))
			}
		}
	}
	return f.accts
}

// mountEvent is a mount or unmount at dir, which changes the walk of the
// dataset holding dir: a new or removed directory entry (its hash), and
// when the mount hides files that dir held, its bytes too.
type mountEvent struct {
	dir    string
	ds     *Dataset
	hidden bool
}

// settle brings every dataset's Known up to date once a command has
// changed the state: what the command's mounts made stale is dropped, and
// every mounted dataset that is not known (and not marked) is walked.
func (c *ctx) settle() {
	f := c.fsys
	if len(f.events) > 0 {
		all := mountedAll(c.st, f.mountTable)
		for _, ev := range f.events {
			h := mountHolder(all, ev.dir, ev.ds)
			switch {
			case h == nil || h.Known == nil:
			case ev.hidden:
				h.Known = nil
			default:
				h.Known.Hash = ""
			}
		}
		f.events = nil
	}
	recordKnown(c.st, f)
}

// recordKnown walks the mounted datasets whose files are not known (or
// whose hash is not known and matters: they have snapshots) and records
// what it finds, unless a change was marked meanwhile.
func recordKnown(st *State, f *fileStore) {
	f.marks = nil
	for _, p := range st.Pools {
		for _, ds := range p.Datasets {
			if p.Exported || !ds.Mounted || !tracked(ds) {
				ds.Known = nil
				continue
			}
			if ds.Known != nil && (ds.Known.Hash != "" || len(ds.Snapshots) == 0) {
				continue
			}
			ds.Known = nil
			if f.touched()[ds.Store] || f.otherWithin(ds.MountedAt) {
				continue
			}
			a, n, err := f.capture(ds.MountedAt, true)
			if err != nil || isTouched(f.hostDir(), ds.Store) {
				continue
			}
			ds.Known = &Known{Bytes: n, Hash: a.sum().Hash, Accounts: f.accounts()}
		}
	}
	f.marks = nil
}

// verifyBytes and verifyHash check a Known against the files.
func (f *fileStore) verifyBytes(ds *Dataset, k *Known) {
	if _, n, err := f.capture(ds.MountedAt, false); err == nil && n != k.Bytes {
		panic(fmt.Sprintf("lab zfs: %s: known bytes %d, the files hold %d", ds.Name, k.Bytes, n))
	}
}

func (f *fileStore) verifyHash(ds *Dataset, k *Known) {
	if a, _, err := f.capture(ds.MountedAt, true); err == nil && a.sum().Hash != k.Hash {
		panic(fmt.Sprintf("lab zfs: %s: known hash %s, the files hash to %s", ds.Name, k.Hash, a.sum().Hash))
	}
}

func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}
