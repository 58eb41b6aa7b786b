package zfs

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

func run(ctx context.Context, t host.Target, cmd host.Command) (string, error) {
	res, err := t.Run(ctx, cmd)
	if err != nil {
		return "", err
	}
	return string(res.Stdout), nil
}

func runArgv(ctx context.Context, t host.Target, argv []string) error {
	_, err := run(ctx, t, host.Command{Argv: argv})
	return err
}

// ReadDataset reads every property of a dataset or snapshot with one
// command. ErrNotFound when it does not exist.
func ReadDataset(ctx context.Context, t host.Target, name string) (Dataset, error) {
	out, err := run(ctx, t, host.Command{Argv: GetArgv(name)})
	if err != nil {
		return Dataset{}, classify(err, "dataset", name)
	}
	_, props, err := ParseGet(out)
	if err != nil {
		return Dataset{}, fmt.Errorf("%s: reading %q: %w", t.Name(), name, err)
	}
	ps, ok := props[name]
	if !ok {
		return Dataset{}, fmt.Errorf("%s: zfs get did not report %q", t.Name(), name)
	}
	return Dataset{Name: name, Props: ps}, nil
}

// CreateDataset runs zfs create.
func CreateDataset(ctx context.Context, t host.Target, s DatasetSpec) error {
	return runArgv(ctx, t, CreateArgv(s))
}

// ReceiveDataset creates a dataset from a snapshot with send | recv.
func ReceiveDataset(ctx context.Context, t host.Target, r ReceiveSpec) error {
	_, err := run(ctx, t, host.Command{Script: ReceiveScript(r)})
	return err
}

// SetProperties sets several properties in one zfs set; nothing to do for none.
func SetProperties(ctx context.Context, t host.Target, name string, props map[string]string) error {
	if len(props) == 0 {
		return nil
	}
	return runArgv(ctx, t, SetArgv(name, props))
}

// InheritProperties reverts properties to their inherited or default
// values, one zfs inherit each, in one command.
func InheritProperties(ctx context.Context, t host.Target, name string, props []string) error {
	if len(props) == 0 {
		return nil
	}
	sorted := append([]string(nil), props...)
	sort.Strings(sorted)
	parts := make([]string, len(sorted))
	for i, p := range sorted {
		parts[i] = host.Join(InheritArgv(name, p))
	}
	_, err := run(ctx, t, host.Command{Script: strings.Join(parts, " && ")})
	return err
}

// RenameDataset runs zfs rename.
func RenameDataset(ctx context.Context, t host.Target, from, to string) error {
	return runArgv(ctx, t, RenameArgv(from, to))
}

// Descendants lists what lies below a dataset: child datasets at any depth
// and all their snapshots, including the dataset's own snapshots; not the
// dataset itself. ErrNotFound when the dataset does not exist.
func Descendants(ctx context.Context, t host.Target, name string) ([]string, error) {
	out, err := run(ctx, t, host.Command{Argv: DescendantsArgv(name)})
	if err != nil {
		return nil, classify(err, "dataset", name)
	}
	var below []string
	for _, n := range ParseNames(out) {
		if n != name {
			below = append(below, n)
		}
	}
	return below, nil
}

// DestroyDataset runs zfs destroy [-r]. ErrNotFound when already gone.
func DestroyDataset(ctx context.Context, t host.Target, name string, recursive bool) error {
	return classify(runArgv(ctx, t, DestroyArgv(name, recursive)), "dataset", name)
}

// LoadKey runs zfs load-key, with -L when location is given.
func LoadKey(ctx context.Context, t host.Target, name, location string) error {
	return runArgv(ctx, t, LoadKeyArgv(name, location))
}

// Mount runs zfs mount.
func Mount(ctx context.Context, t host.Target, name string) error {
	return runArgv(ctx, t, MountArgv(name))
}

// ErrWaitTimedOut means a dataset did not appear within the wait.
var ErrWaitTimedOut = errors.New("timed out waiting for the dataset")

// WaitForDataset reads a dataset until it exists, every interval, for at
// most timeout: for datasets that another system (zrepl) delivers.
func WaitForDataset(ctx context.Context, t host.Target, name string, timeout, interval time.Duration) (Dataset, error) {
	deadline := time.Now().Add(timeout)
	for {
		ds, err := ReadDataset(ctx, t, name)
		if !errors.Is(err, ErrNotFound) {
			return ds, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return Dataset{}, fmt.Errorf("%s: dataset %q did not appear within %s: %w", t.Name(), name, timeout, ErrWaitTimedOut)
		}
		timer := time.NewTimer(min(interval, left))
		select {
		case <-ctx.Done():
			timer.Stop()
			return Dataset{}, ctx.Err()
		case <-timer.C:
		}
	}
}

// CreateSnapshot runs zfs snapshot [-r].
func CreateSnapshot(ctx context.Context, t host.Target, full string, recursive bool) error {
	return runArgv(ctx, t, SnapshotArgv(full, recursive))
}

// ListSnapshots lists the snapshots of a dataset (and with Recursive of its
// descendants) whose names start with Prefix, newest first, in one command.
func ListSnapshots(ctx context.Context, t host.Target, f SnapshotFilter) ([]Snapshot, error) {
	out, err := run(ctx, t, host.Command{Argv: SnapshotsArgv(f.Dataset)})
	if err != nil {
		return nil, classify(err, "dataset", f.Dataset)
	}
	all, err := ParseSnapshots(out)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return SelectSnapshots(all, f), nil
}

// CreatePool runs zpool create.
func CreatePool(ctx context.Context, t host.Target, s PoolSpec) error {
	return runArgv(ctx, t, CreatePoolArgv(s))
}

// ReadPool reads a pool's properties, its root dataset and its layout with
// one command. ErrNotFound when the pool does not exist.
func ReadPool(ctx context.Context, t host.Target, name string) (Pool, error) {
	out, err := run(ctx, t, host.Command{Script: PoolReadScript(name)})
	if err != nil {
		return Pool{}, classify(err, "pool", name)
	}
	p, err := ParsePoolRead(name, out)
	if err != nil {
		return Pool{}, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return p, nil
}

// SetPoolProperties runs one zpool set per property, in one command.
func SetPoolProperties(ctx context.Context, t host.Target, pool string, props map[string]string) error {
	if len(props) == 0 {
		return nil
	}
	var parts []string
	for _, k := range sortedKeys(props) {
		parts = append(parts, host.Join(PoolSetArgv(pool, k, props[k])))
	}
	_, err := run(ctx, t, host.Command{Script: strings.Join(parts, " && ")})
	return err
}

// DestroyPool runs zpool destroy. ErrNotFound when already gone.
func DestroyPool(ctx context.Context, t host.Target, name string) error {
	return classify(runArgv(ctx, t, DestroyPoolArgv(name)), "pool", name)
}
