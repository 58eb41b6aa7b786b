package sim

import (
	"io"
	"io/fs"
	"path"
	"slices"
	"time"
)

// The disks of the host's device list (DisksState, which zfs seeds on
// FreeBSD and rocky on Rocky) and their partitions have nodes in /dev,
// emulated like the standard devices whatever the tree holds, so that a
// program can check that a device exists (test -c, stat, ls -l). FreeBSD's
// GEOM disks are character devices, root:operator 0640; Linux's are block
// devices, root:disk 0660. Opened, a node reads as zeros up to the disk's
// size and takes writes without keeping them. Only the tree's lookups,
// opens and /dev's listing know them; they cannot be removed, renamed or
// chmodded.

// Owner group of disk nodes: FreeBSD's operator (5), Linux's disk (6).
var diskGroup = map[OS]int{FreeBSD: 5, Rocky: 6}

// diskNode describes name when it is a disk or partition node, with the
// size its reads give.
func (t *Tree) diskNode(name string) (FileInfo, int64, bool) {
	p := clean(name)
	if path.Dir(p) != "/dev" {
		return FileInfo{}, 0, false
	}
	for _, n := range t.diskNodeList() {
		if n.info.Path == p {
			return n.info, n.size, true
		}
	}
	return FileInfo{}, 0, false
}

type diskNodeEntry struct {
	info FileInfo
	size int64
}

// diskNodeList is every disk and partition node, in the device list's order.
func (t *Tree) diskNodeList() []diskNodeEntry {
	h := t.host.Load()
	if h == nil {
		return nil
	}
	disks, err := Peek[Disks](h, DisksState)
	if err != nil {
		return nil
	}
	var out []diskNodeEntry
	for i, d := range disks.List {
		out = append(out, diskNodeEntry{t.diskNodeInfo(d.Path, i, 0), d.Size})
		for j, part := range d.Parts {
			// A partition's size is not recorded; its reads end with the disk's.
			out = append(out, diskNodeEntry{t.diskNodeInfo(part, i, j+1), d.Size})
		}
	}
	return out
}

// diskNodeInfo is the node of the i-th disk's j-th partition (0: the disk).
// Linux numbers virtio-blk disks 252:16*i+j; FreeBSD's devfs numbers are
// allocated at boot, stand-ins here (derived).
func (t *Tree) diskNodeInfo(p string, i, j int) FileInfo {
	gid := diskGroup[t.os]
	fi := FileInfo{
		Name:    path.Base(p),
		Path:    p,
		ModTime: time.Unix(0, 0),
		UID:     0,
		GID:     gid,
		Owner:   t.userName(0),
		Group:   t.groupName(gid),
	}
	if t.os == FreeBSD {
		fi.Mode = fs.ModeDevice | fs.ModeCharDevice | 0o640
		fi.Rdev = uint64(0x60 + 0x10*i + j)
	} else {
		fi.Mode = fs.ModeDevice | 0o660
		fi.Rdev = 252<<8 | uint64(16*i+j)
	}
	return fi
}

// mayNode checks u's access bits want on a node.
func (t *Tree) mayNode(u User, fi FileInfo, want fs.FileMode) bool {
	if u.IsRoot() {
		return want&1 == 0
	}
	var bits fs.FileMode
	switch {
	case fi.UID == u.UID:
		bits = fi.Mode >> 6 & 7
	case t.accounts().inGroup(u, fi.GID):
		bits = fi.Mode >> 3 & 7
	default:
		bits = fi.Mode & 7
	}
	return bits&want == want
}

// devNodes are the emulated nodes /dev lists, named under dir (as given).
func (t *Tree) devNodes(dir string) []FileInfo {
	var out []FileInfo
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range devices {
			if !yield(k) {
				return
			}
		}
	}) {
		fi := t.deviceInfo(name)
		fi.Path = path.Join(dir, fi.Name)
		out = append(out, fi)
	}
	for _, n := range t.diskNodeList() {
		fi := n.info
		fi.Path = path.Join(dir, fi.Name)
		out = append(out, fi)
	}
	return out
}

// diskFile is an open disk node: zeros up to the disk's size.
type diskFile struct{ left int64 }

func (d *diskFile) Read(p []byte) (int, error) {
	if d.left <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), d.left))
	clear(p[:n])
	d.left -= int64(n)
	return n, nil
}

func (*diskFile) Write(p []byte) (int, error) { return len(p), nil }
func (*diskFile) Close() error                { return nil }
