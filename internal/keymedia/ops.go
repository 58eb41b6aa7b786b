package keymedia

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// NewfsArgv is the article's `newfs /dev/da0`: UFS2 with soft updates.
func NewfsArgv(dev string) []string { return []string{"newfs", dev} }

// MountArgv mounts by the fstab entry, as the article's `mount /keys`.
func MountArgv(mp string) []string { return []string{"mount", mp} }

// UmountArgv unmounts the file system at mp.
func UmountArgv(mp string) []string { return []string{"umount", mp} }

// MkdirScript makes the mount point and prints "created" when it did.
func MkdirScript(mp string) string {
	q := host.Quote(mp)
	return fmt.Sprintf("[ -d %s ] && exit 0; mkdir -p %s && echo created", q, q)
}

// RmdirScript removes the mount point if it is empty; anything in it
// (keys written while the stick was not mounted) keeps it.
func RmdirScript(mp string) string {
	return fmt.Sprintf("rmdir %s 2>/dev/null; exit 0", host.Quote(mp))
}

// Result says what Create did beyond the fstab line and the mount.
type Result struct {
	State
	Formatted  bool // newfs ran
	CreatedDir bool // the mount point was made
	// Changing tells that a step that changes the host was started (newfs,
	// the fstab line, the mount point, the mount): after an error, the
	// host may hold part of the stick's setup.
	Changing bool
}

// Create puts the stick in place: the device formatted when format is set
// and it holds no UFS yet, the fstab line, the mount point, the mount.
func Create(ctx context.Context, t host.Target, s Spec, format bool) (Result, error) {
	var r Result
	st, err := Read(ctx, t, s)
	if err != nil {
		return r, err
	}
	if err := checkFree(t.Name(), s, st); err != nil {
		return r, err
	}
	if !st.Mounted {
		if r.Formatted, r.Changing, err = prepare(ctx, t, s.Device, format); err != nil {
			return r, err
		}
	}
	r.Changing = true
	if _, err := file.ApplyLine(ctx, t, FstabPath, s.Line(), file.Placement{}, true); err != nil {
		return r, err
	}
	if r.CreatedDir, err = mountIt(ctx, t, s, st); err != nil {
		return r, err
	}
	r.State, err = Read(ctx, t, s)
	return r, err
}

// checkFree refuses a device mounted elsewhere or a mount point taken by
// another file system.
func checkFree(hostName string, s Spec, st State) error {
	if st.DeviceMountedAt != "" && st.DeviceMountedAt != s.MountPoint {
		return fmt.Errorf("%s: %s is mounted on %s: %w", hostName, s.Device, st.DeviceMountedAt, ErrBusy)
	}
	if st.MountedThere != "" && st.MountedThere != s.Device {
		return fmt.Errorf("%s: %s has %s mounted on it: %w", hostName, s.MountPoint, st.MountedThere, ErrBusy)
	}
	return nil
}

// prepare makes sure dev holds UFS, running newfs only when format is set
// and the device holds no UFS (never over a pool member or GELI). started
// tells that newfs was sent, whatever came of it.
func prepare(ctx context.Context, t host.Target, dev string, format bool) (formatted, started bool, err error) {
	p, err := Probe(ctx, t, dev)
	if err != nil {
		return false, false, fmt.Errorf("%s: probing %s: %w", t.Name(), dev, err)
	}
	if p.Type == "ufs" {
		return false, false, nil
	}
	found := "no file system was recognised"
	if p.Type != "" {
		found = "it holds " + p.Type
	}
	if holder := p.InUse(); holder != "" {
		return false, false, fmt.Errorf("%s: %s is %s: %w", t.Name(), dev, holder, ErrInUse)
	}
	if !format {
		return false, false, fmt.Errorf("%s: %s holds no UFS file system (%s): %w", t.Name(), dev, found, ErrNoFilesystem)
	}
	if _, err := t.Run(ctx, host.Command{Argv: NewfsArgv(dev)}); err != nil {
		return false, true, err
	}
	return true, true, nil
}

// mountIt makes the mount point and mounts the stick unless it is.
func mountIt(ctx context.Context, t host.Target, s Spec, st State) (created bool, err error) {
	if st.Mounted {
		return false, nil
	}
	res, err := t.Run(ctx, host.Command{Script: MkdirScript(s.MountPoint)})
	if err != nil {
		return false, err
	}
	created = strings.TrimSpace(string(res.Stdout)) == "created"
	_, err = t.Run(ctx, host.Command{Argv: MountArgv(s.MountPoint)})
	return created, err
}

// Update brings the stick from prev to next on the same device: a new
// mount point (the old one unmounted and, when empty, removed), the fstab
// line restored where it stands, the mount made again.
func Update(ctx context.Context, t host.Target, prev, next Spec) (State, error) {
	if prev.MountPoint != next.MountPoint {
		old, err := Read(ctx, t, prev)
		if err != nil {
			return State{}, err
		}
		if old.Mounted {
			if _, err := t.Run(ctx, host.Command{Argv: UmountArgv(prev.MountPoint)}); err != nil {
				return State{}, err
			}
		}
	}
	st, err := Read(ctx, t, next)
	if err != nil {
		return State{}, err
	}
	if err := checkFree(t.Name(), next, st); err != nil {
		return State{}, err
	}
	var also []string
	if prev.MountPoint != next.MountPoint {
		also = append(also, prev.MountPoint)
	}
	if _, err := file.ApplyLine(ctx, t, FstabPath, next.Line(also...), file.Placement{}, true); err != nil {
		return State{}, err
	}
	if _, err := mountIt(ctx, t, next, st); err != nil {
		return State{}, err
	}
	if prev.MountPoint != next.MountPoint {
		if _, err := t.Run(ctx, host.Command{Script: RmdirScript(prev.MountPoint)}); err != nil {
			return State{}, err
		}
	}
	return Read(ctx, t, next)
}

// Delete unmounts the stick and removes its fstab line (every entry for
// the mount point); removeDir also removes the mount point when empty.
// The device and its files are left as they are.
func Delete(ctx context.Context, t host.Target, s Spec, removeDir bool) error {
	st, err := Read(ctx, t, s)
	if err != nil {
		return err
	}
	if st.Mounted {
		if _, err := t.Run(ctx, host.Command{Argv: UmountArgv(s.MountPoint)}); err != nil {
			return err
		}
	}
	if err := file.DeleteLine(ctx, t, FstabPath, s.Line(), false); err != nil && !errors.Is(err, file.ErrNotFound) {
		return err
	}
	if removeDir {
		_, err = t.Run(ctx, host.Command{Script: RmdirScript(s.MountPoint)})
	}
	return err
}
