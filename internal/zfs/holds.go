package zfs

import (
	"context"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Hold is one user hold on a snapshot (`zfs hold TAG SNAPSHOT`). zrepl keeps
// holds on the snapshots it sends and receives (zrepl_STEP_J_<job>,
// zrepl_last_received_J_<job>), and zfs destroy refuses a held snapshot.
type Hold struct {
	Snapshot, Tag string
}

// holdsBatch bounds the snapshots named on one zfs holds command line: a
// dataset with thousands of snapshots must not exceed the host's ARG_MAX.
const holdsBatch = 256

// HoldsArgv is `zfs holds -H -- SNAPSHOT...`: one line per hold,
// NAME TAB TAG TAB TIMESTAMP, nothing for a snapshot without holds.
func HoldsArgv(snapshots []string) []string {
	return append([]string{"zfs", "holds", "-H", "--"}, snapshots...)
}

// ParseHolds reads the output of HoldsArgv.
func ParseHolds(out string) []Hold {
	var holds []Hold
	for _, l := range strings.Split(out, "\n") {
		f := strings.Split(l, "\t")
		if len(f) < 2 || f[0] == "" || f[1] == "" {
			continue
		}
		holds = append(holds, Hold{Snapshot: f[0], Tag: f[1]})
	}
	return holds
}

// ReleaseArgv is `zfs release -- TAG SNAPSHOT`.
func ReleaseArgv(h Hold) []string {
	return []string{"zfs", "release", "--", h.Tag, h.Snapshot}
}

// ReleaseHolds releases every user hold on the snapshots of name and of
// everything below it, so that a recursive destroy is not refused, and
// returns what it released. ErrNotFound when name does not exist.
func ReleaseHolds(ctx context.Context, t host.Target, name string) ([]Hold, error) {
	below, err := Descendants(ctx, t, name)
	if err != nil {
		return nil, err
	}
	var snaps []string
	for _, n := range below {
		if strings.Contains(n, "@") {
			snaps = append(snaps, n)
		}
	}
	var released []Hold
	for len(snaps) > 0 {
		batch := snaps[:min(holdsBatch, len(snaps))]
		snaps = snaps[len(batch):]
		out, err := run(ctx, t, host.Command{Argv: HoldsArgv(batch)})
		if err != nil {
			return released, classify(err, "dataset", name)
		}
		for _, h := range ParseHolds(out) {
			if err := runArgv(ctx, t, ReleaseArgv(h)); err != nil {
				return released, classify(err, "dataset", h.Snapshot)
			}
			released = append(released, h)
		}
	}
	return released, nil
}
