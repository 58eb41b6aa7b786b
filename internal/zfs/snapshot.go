package zfs

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// SnapshotArgv is `zfs snapshot [-r] -- DATASET@NAME` (§2.5).
func SnapshotArgv(full string, recursive bool) []string {
	if recursive {
		return []string{"zfs", "snapshot", "-r", "--", full}
	}
	return []string{"zfs", "snapshot", "--", full}
}

// Snapshot is one line of a snapshot listing.
type Snapshot struct {
	Name       string // DATASET@SNAP
	Dataset    string
	Short      string // SNAP
	Creation   int64  // epoch seconds
	CreateTXG  uint64
	Used       int64
	Referenced int64
	GUID       string
}

// snapshotColumns are the columns of SnapshotsArgv, in order.
const snapshotColumns = "name,creation,createtxg,used,referenced,guid"

// SnapshotsArgv lists the snapshots of a dataset and its descendants:
// `zfs list -H -p -o name,creation,createtxg,used,referenced,guid -t snapshot -r DATASET` (§2.3).
func SnapshotsArgv(dataset string) []string {
	return []string{"zfs", "list", "-H", "-p", "-o", snapshotColumns, "-t", "snapshot", "-r", dataset}
}

// ParseSnapshots reads SnapshotsArgv's output.
func ParseSnapshots(out string) ([]Snapshot, error) {
	var snaps []Snapshot
	for n, line := range strings.Split(out, "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("line %d of zfs list output has %d fields, want 6 (%s): %q", n+1, len(f), snapshotColumns, line)
		}
		ds, short, ok := SplitSnapshot(f[0])
		if !ok {
			return nil, fmt.Errorf("line %d of zfs list output: %q is not a snapshot", n+1, f[0])
		}
		s := Snapshot{Name: f[0], Dataset: ds, Short: short, GUID: f[5]}
		var err error
		if s.Creation, err = strconv.ParseInt(f[1], 10, 64); err != nil {
			return nil, fmt.Errorf("line %d of zfs list output: creation %q: %w", n+1, f[1], err)
		}
		if s.CreateTXG, err = strconv.ParseUint(f[2], 10, 64); err != nil {
			return nil, fmt.Errorf("line %d of zfs list output: createtxg %q: %w", n+1, f[2], err)
		}
		if s.Used, err = strconv.ParseInt(f[3], 10, 64); err != nil {
			return nil, fmt.Errorf("line %d of zfs list output: used %q: %w", n+1, f[3], err)
		}
		if s.Referenced, err = strconv.ParseInt(f[4], 10, 64); err != nil {
			return nil, fmt.Errorf("line %d of zfs list output: referenced %q: %w", n+1, f[4], err)
		}
		snaps = append(snaps, s)
	}
	return snaps, nil
}

// SnapshotFilter selects from a listing.
type SnapshotFilter struct {
	Dataset   string
	Recursive bool   // also the snapshots of descendants
	Prefix    string // of the part after '@', such as zrepl_
}

// SelectSnapshots keeps the matching snapshots, newest first: by creation
// time, then by transaction group (snapshots taken in the same second).
func SelectSnapshots(all []Snapshot, f SnapshotFilter) []Snapshot {
	var out []Snapshot
	for _, s := range all {
		below := f.Recursive && strings.HasPrefix(s.Dataset, f.Dataset+"/")
		if s.Dataset != f.Dataset && !below {
			continue
		}
		if !strings.HasPrefix(s.Short, f.Prefix) {
			continue
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Creation != out[j].Creation {
			return out[i].Creation > out[j].Creation
		}
		return out[i].CreateTXG > out[j].CreateTXG
	})
	return out
}
