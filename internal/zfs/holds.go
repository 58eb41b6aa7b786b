package zfs

import (
	"context"
	"errors"
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

// noSuchTag is how zfs release says the hold is not there (anymore): zrepl
// moves its holds on as it receives (`cannot release hold from snapshot
// 'X': no such tag on this dataset`).
const noSuchTag = "no such tag on this dataset"

// onlyVanished reports whether every line of a zfs holds stderr says that a
// snapshot does not exist.
func onlyVanished(stderr string) bool {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for _, l := range lines {
		if !strings.HasPrefix(l, "cannot open '") || !strings.HasSuffix(l, "': dataset does not exist") {
			return false
		}
	}
	return len(lines) > 0 && lines[0] != ""
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
			// zrepl prunes while we look: a snapshot gone since the list
			// has no hold left to release, and zfs still lists the others.
			var ce *host.CommandError
			if !errors.As(err, &ce) || !onlyVanished(ce.Stderr) {
				return released, err
			}
			out = ce.Stdout
		}
		for _, h := range ParseHolds(out) {
			err := runArgv(ctx, t, ReleaseArgv(h))
			var ce *host.CommandError
			if err != nil && (IsMissing(err, h.Snapshot) || errors.As(err, &ce) && strings.Contains(ce.Stderr, noSuchTag)) {
				continue
			}
			if err != nil {
				return released, err
			}
			released = append(released, h)
		}
	}
	return released, nil
}
