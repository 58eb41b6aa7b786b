package zfs

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
)

// StateName is the sim.Update/sim.Load name of the ZFS state of a host.
const StateName = "zfs"

// State is a host's ZFS state: its pools, imported or exported, and their
// datasets. It is JSON in the host's state directory.
type State struct {
	Pools    []*Pool `json:"pools,omitempty"`
	MountSeq uint64  `json:"mount_seq,omitempty"` // last mount order handed out
}

// Pool is a storage pool.
type Pool struct {
	Name     string            `json:"name"`
	GUID     uint64            `json:"guid"`
	LoadGUID uint64            `json:"load_guid"`
	Vdevs    []Vdev            `json:"vdevs"`
	Size     uint64            `json:"size"`            // zpool SIZE, bytes
	Meta     uint64            `json:"meta"`            // allocated bytes that no dataset accounts for
	Created  int64             `json:"created"`         // unix seconds
	Txg      uint64            `json:"txg"`             // last transaction group
	Objsets  uint64            `json:"objsets"`         // last object set id handed out
	Props    map[string]string `json:"props,omitempty"` // pool properties set locally
	Exported bool              `json:"exported,omitempty"`
	Datasets []*Dataset        `json:"datasets"` // sorted by name; the first is the root
}

// Vdev is a top-level vdev: a disk, a mirror or a raidz group.
type Vdev struct {
	Type    string   `json:"type"` // disk, mirror, raidz1, raidz2, raidz3
	Devices []string `json:"devices"`
	Size    uint64   `json:"size"` // raw bytes, as zpool list counts them
}

// Dataset is a filesystem or a volume.
type Dataset struct {
	Name      string            `json:"name"`
	Type      string            `json:"type"` // filesystem or volume
	GUID      uint64            `json:"guid"`
	Objset    uint64            `json:"objset"`
	CreateTxg uint64            `json:"createtxg"`
	Creation  int64             `json:"creation"`
	Local     map[string]string `json:"local,omitempty"`    // properties set locally (canonical values)
	Received  map[string]string `json:"received,omitempty"` // properties set by zfs receive
	VolSize   uint64            `json:"volsize,omitempty"`
	VolBlock  uint64            `json:"volblock,omitempty"`
	Mounted   bool              `json:"mounted,omitempty"`
	MountedAt string            `json:"mounted_at,omitempty"` // where it is mounted
	MountSeq  uint64            `json:"mount_seq,omitempty"`  // order of mounting, for the mount table
	// Fixed marks a system dataset of the installed host whose files are
	// not tracked: it references this many bytes whatever its directory holds.
	Fixed uint64 `json:"fixed,omitempty"`
	// Store names the dataset's files outside the tree while unmounted.
	Store        string            `json:"store"`
	Stored       *ContentSum       `json:"stored,omitempty"` // what the store holds while unmounted
	Known        *Known            `json:"known,omitempty"`  // what zfs last saw of its files while mounted (known.go)
	Temp         map[string]string `json:"temp,omitempty"`   // zfs mount -o options while mounted
	Enc          *Encryption       `json:"enc,omitempty"`
	Snapshots    []*Snapshot       `json:"snapshots,omitempty"` // createtxg order
	Bookmarks    []*Bookmark       `json:"bookmarks,omitempty"` // createtxg order
	SnapsChanged int64             `json:"snapshots_changed,omitempty"`
}

// ContentSum summarises a dataset's files: their bytes and a hash of names,
// modes, owners and data (not times), to tell a modified dataset.
type ContentSum struct {
	Bytes uint64 `json:"bytes"`
	Hash  string `json:"hash"`
}

// Encryption is a dataset's native encryption.
type Encryption struct {
	Suite string `json:"suite"` // aes-256-gcm, ...
	Root  string `json:"root"`  // the encryption root's name (its own when it is one)
	// The rest is kept on the encryption root only.
	Format string `json:"format,omitempty"` // raw, hex, passphrase
	KeyFP  string `json:"key_fp,omitempty"` // sha256 (hex) of the wrapping key, never the key
	Salt   uint64 `json:"salt,omitempty"`   // pbkdf2 salt (passphrase)
	Iters  uint64 `json:"iters,omitempty"`  // pbkdf2 iterations (passphrase)
	Loaded bool   `json:"loaded,omitempty"`
}

// Snapshot is a dataset's snapshot; its files are in its store.
type Snapshot struct {
	Name      string            `json:"name"` // after the '@'
	GUID      uint64            `json:"guid"`
	Objset    uint64            `json:"objset"`
	CreateTxg uint64            `json:"createtxg"`
	Creation  int64             `json:"creation"`
	Refer     uint64            `json:"refer"`
	Written   uint64            `json:"written"`
	Hash      string            `json:"hash"`
	Store     string            `json:"store"`
	Holds     map[string]int64  `json:"holds,omitempty"` // tag -> time
	Local     map[string]string `json:"local,omitempty"` // user properties
}

// Bookmark is a dataset's bookmark.
type Bookmark struct {
	Name      string `json:"name"` // after the '#'
	GUID      uint64 `json:"guid"`
	CreateTxg uint64 `json:"createtxg"`
	Creation  int64  `json:"creation"`
	Refer     uint64 `json:"refer"`
}

// randGUID returns a random non-zero 64-bit guid.
func randGUID() uint64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:])
		if v := binary.BigEndian.Uint64(b[:]) &^ (1 << 63); v != 0 {
			return v
		}
	}
}

// newStoreID names a fresh file store.
func newStoreID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// pool returns the imported pool named name.
func (s *State) pool(name string) *Pool {
	for _, p := range s.Pools {
		if p.Name == name && !p.Exported {
			return p
		}
	}
	return nil
}

// anyPool returns the pool named name, imported or exported.
func (s *State) anyPool(name string) *Pool {
	for _, p := range s.Pools {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// imported returns the imported pools sorted by name.
func (s *State) imported() []*Pool {
	var out []*Pool
	for _, p := range s.Pools {
		if !p.Exported {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// poolOf returns the pool name of a dataset, snapshot or bookmark name.
func poolOf(name string) string {
	if i := strings.IndexAny(name, "/@#"); i >= 0 {
		return name[:i]
	}
	return name
}

// dataset returns the dataset named name (no '@' or '#') and its pool.
func (s *State) dataset(name string) (*Pool, *Dataset) {
	p := s.pool(poolOf(name))
	if p == nil {
		return nil, nil
	}
	return p, p.dataset(name)
}

func (p *Pool) dataset(name string) *Dataset {
	if i, ok := p.index(name); ok {
		return p.Datasets[i]
	}
	return nil
}

// index is the position of the dataset named name in p.Datasets.
func (p *Pool) index(name string) (int, bool) {
	i := sort.Search(len(p.Datasets), func(i int) bool { return p.Datasets[i].Name >= name })
	return i, i < len(p.Datasets) && p.Datasets[i].Name == name
}

// root is the pool's root dataset.
func (p *Pool) root() *Dataset { return p.dataset(p.Name) }

// add inserts ds keeping the datasets sorted.
func (p *Pool) add(ds *Dataset) {
	p.Datasets = append(p.Datasets, ds)
	p.sortDatasets()
}

func (p *Pool) sortDatasets() {
	sort.Slice(p.Datasets, func(i, j int) bool { return p.Datasets[i].Name < p.Datasets[j].Name })
}

// remove drops the dataset named name.
func (p *Pool) remove(name string) {
	for i, d := range p.Datasets {
		if d.Name == name {
			p.Datasets = append(p.Datasets[:i], p.Datasets[i+1:]...)
			return
		}
	}
}

// nextTxg advances the pool's transaction group.
func (p *Pool) nextTxg() uint64 {
	p.Txg++
	return p.Txg
}

func (p *Pool) nextObjset() uint64 {
	if p.Objsets < 54 {
		p.Objsets = 54
	}
	p.Objsets += 1 + p.Txg%7
	return p.Objsets
}

// below returns the datasets below ds (not ds), sorted by name, as a
// window of p.Datasets: the names that start with "NAME/" are contiguous in
// the sorted list, between "NAME/" and "NAME0" ('0' follows '/'), so two
// binary searches find them whatever the pool holds. The caller must not
// keep or change the slice.
func (p *Pool) below(ds *Dataset) []*Dataset {
	first, after := ds.Name+"/", ds.Name+"0"
	lo := sort.Search(len(p.Datasets), func(i int) bool { return p.Datasets[i].Name >= first })
	hi := lo + sort.Search(len(p.Datasets)-lo, func(i int) bool { return p.Datasets[lo+i].Name >= after })
	return p.Datasets[lo:hi]
}

// descendants returns the datasets below ds (not ds), sorted by name.
func (p *Pool) descendants(ds *Dataset) []*Dataset {
	return append([]*Dataset(nil), p.below(ds)...)
}

// children returns the datasets directly below ds.
func (p *Pool) children(ds *Dataset) []*Dataset {
	var out []*Dataset
	for _, d := range p.below(ds) {
		if !strings.Contains(d.Name[len(ds.Name)+1:], "/") {
			out = append(out, d)
		}
	}
	return out
}

// parent returns the dataset above ds, nil for the root.
func (p *Pool) parent(ds *Dataset) *Dataset {
	i := strings.LastIndexByte(ds.Name, '/')
	if i < 0 {
		return nil
	}
	return p.dataset(ds.Name[:i])
}

// snapshot returns ds's snapshot named name.
func (ds *Dataset) snapshot(name string) *Snapshot {
	for _, s := range ds.Snapshots {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// bookmark returns ds's bookmark named name.
func (ds *Dataset) bookmark(name string) *Bookmark {
	for _, b := range ds.Bookmarks {
		if b.Name == name {
			return b
		}
	}
	return nil
}

// latest is ds's most recent snapshot, nil when it has none.
func (ds *Dataset) latest() *Snapshot {
	if len(ds.Snapshots) == 0 {
		return nil
	}
	return ds.Snapshots[len(ds.Snapshots)-1]
}

// removeSnapshot drops ds's snapshot named name.
func (ds *Dataset) removeSnapshot(name string) {
	for i, s := range ds.Snapshots {
		if s.Name == name {
			ds.Snapshots = append(ds.Snapshots[:i], ds.Snapshots[i+1:]...)
			return
		}
	}
}

func (ds *Dataset) isVolume() bool { return ds.Type == "volume" }

// typ is the zfs_type_t of the dataset.
func (ds *Dataset) typ() dsType {
	if ds.isVolume() {
		return typeVol
	}
	return typeFS
}

// setLocal sets a local property value.
func (ds *Dataset) setLocal(name, value string) {
	if ds.Local == nil {
		ds.Local = map[string]string{}
	}
	ds.Local[name] = value
}

// encRoot returns the encryption root of ds (nil when ds is not encrypted).
func (p *Pool) encRoot(ds *Dataset) *Dataset {
	if ds.Enc == nil {
		return nil
	}
	if ds.Enc.Root == ds.Name {
		return ds
	}
	return p.dataset(ds.Enc.Root)
}

// keyLoaded reports whether ds is unencrypted or its key is loaded.
func (p *Pool) keyLoaded(ds *Dataset) bool {
	r := p.encRoot(ds)
	return r == nil || (r.Enc != nil && r.Enc.Loaded)
}

func sortStrings(s []string) { sort.Strings(s) }

func parseU(s string) uint64 {
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

func uitoa(n uint64) string { return strconv.FormatUint(n, 10) }
