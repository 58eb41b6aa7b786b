package linux

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// ErrMountNotFound means /etc/fstab has no NFS line for the mount point.
var ErrMountNotFound = errors.New("no NFS mount in /etc/fstab")

// MountState is what the host has for a mount point.
type MountState struct {
	Mount NFSMount // from its /etc/fstab line
	Line  string   // the line as it is in /etc/fstab
	Live  *Mounted // the kernel's mount there, nil when nothing is mounted
}

// Mounted tells whether the fstab line's mount is what is mounted.
func (s MountState) Mounted() bool { return s.Live != nil && s.Mount.Serves(*s.Live) }

const readMarker = "--f3s-findmnt--"

// readMountScript prints /etc/fstab, a marker, then the NFS mounts; one
// round trip. findmnt exits 1 when there is none.
func readMountScript() string {
	return "cat " + FstabPath + " 2>/dev/null; echo; echo " + readMarker + "; " + host.Join(findmntArgv) + " || :"
}

// ReadMount reads the mount point's fstab line and what is mounted there.
// ErrMountNotFound when fstab has no NFS line for it.
func ReadMount(ctx context.Context, t host.Target, mountPoint string) (MountState, error) {
	fstab, live, err := readMounts(ctx, t)
	if err != nil {
		return MountState{}, err
	}
	var st MountState
	if m, ok := FindMounted(live, mountPoint); ok {
		st.Live = &m
	}
	e, line, ok := FindFstab(fstab, mountPoint)
	if !ok {
		return st, fmt.Errorf("%s: %s: %w", t.Name(), mountPoint, ErrMountNotFound)
	}
	m, ok := MountFromFstab(e)
	if !ok {
		return st, fmt.Errorf("%s: %s: the /etc/fstab line for it is not an NFS mount (%q): %w", t.Name(), mountPoint, line, ErrMountNotFound)
	}
	st.Mount, st.Line = m, line
	return st, nil
}

func readMounts(ctx context.Context, t host.Target) (string, []Mounted, error) {
	res, err := t.Run(ctx, host.Command{Script: readMountScript()})
	if err != nil {
		return "", nil, err
	}
	fstab, mounts, ok := bytes.Cut(res.Stdout, []byte("\n"+readMarker+"\n"))
	if !ok {
		return "", nil, fmt.Errorf("%s: reading /etc/fstab and findmnt: unexpected output %q", t.Name(), res.Stdout)
	}
	return string(fstab), ParseFindmnt(string(mounts)), nil
}

// ApplyMount makes the mount as planned: the mount point (created when
// missing), its /etc/fstab line, and mounted now. A mount of something
// else there (another server, port or export, hard where soft is asked)
// is unmounted first; other options are the kernel's and take effect at
// the next mount.
func ApplyMount(ctx context.Context, t host.Target, m NFSMount, unmountWait time.Duration) error {
	_, live, err := readMounts(ctx, t)
	if err != nil {
		return err
	}
	cur, mounted := FindMounted(live, m.MountPoint)
	if !mounted {
		if _, err := t.Run(ctx, host.Command{Argv: []string{"mkdir", "-p", "--", m.MountPoint}}); err != nil {
			return err
		}
	}
	if _, err := file.Edit(ctx, t, FstabPath, file.EditOptions{Create: true}, func(text string) (string, error) {
		return SetFstab(text, m.Fstab()), nil
	}); err != nil {
		return err
	}
	if mounted && m.Serves(cur) {
		return nil
	}
	if mounted {
		if err := Unmount(ctx, t, m.MountPoint, unmountWait); err != nil {
			return err
		}
	}
	// mount reads the source, type and options from /etc/fstab.
	_, err = t.Run(ctx, host.Command{Argv: []string{"mount", "--", m.MountPoint}})
	return err
}

// umountCommandTimeout bounds a plain umount of a hung hard mount, which stats the
// mount point first and would wait for the server.
const umountCommandTimeout = "10"

// Unmount unmounts mountPoint: a plain umount (bounded by timeout), again
// every second while the target is busy, for up to wait; then, busy or
// hung, a lazy unmount (umount -l), which detaches it at once and lets
// the processes that use it finish. Not mounted is no error.
func Unmount(ctx context.Context, t host.Target, mountPoint string, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		_, err := t.Run(ctx, host.Command{Argv: []string{"timeout", umountCommandTimeout, "umount", "--", mountPoint}})
		var ce *host.CommandError
		if err == nil {
			return nil
		}
		if !errors.As(err, &ce) {
			return err
		}
		text := ce.Stderr + ce.Stdout
		if strings.Contains(text, "not mounted") {
			return nil
		}
		busy := strings.Contains(text, "busy")
		if busy && time.Now().Before(deadline) {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Second):
			}
			continue
		}
		// busy past the wait, or hung (timeout's 124): detach lazily
		_, lerr := t.Run(ctx, host.Command{Argv: []string{"umount", "-l", "--", mountPoint}})
		if errors.As(lerr, &ce) && strings.Contains(ce.Stderr, "not mounted") {
			return nil
		}
		return lerr
	}
}

// RemoveMount unmounts (lazily when busy after wait), removes the fstab
// line and the mount point when it is left empty.
func RemoveMount(ctx context.Context, t host.Target, mountPoint string, wait time.Duration) error {
	if err := Unmount(ctx, t, mountPoint, wait); err != nil {
		return err
	}
	if _, err := file.Edit(ctx, t, FstabPath, file.EditOptions{}, func(text string) (string, error) {
		return RemoveFstab(text, mountPoint), nil
	}); err != nil && !errors.Is(err, file.ErrNotFound) {
		return err
	}
	// rmdir removes only an empty directory: data the user put there stays.
	_, err := t.Run(ctx, host.Command{Script: "rmdir -- " + host.Quote(mountPoint) + " 2>/dev/null || :"})
	return err
}

// ApplyFstabOnly writes the fstab line and leaves the mount point
// unmounted (mounted = false): it is mounted at the next boot.
func ApplyFstabOnly(ctx context.Context, t host.Target, m NFSMount, unmountWait time.Duration) error {
	if err := Unmount(ctx, t, m.MountPoint, unmountWait); err != nil {
		return err
	}
	if _, err := t.Run(ctx, host.Command{Script: "[ -d " + host.Quote(m.MountPoint) + " ] || mkdir -p -- " + host.Quote(m.MountPoint)}); err != nil {
		return err
	}
	_, err := file.Edit(ctx, t, FstabPath, file.EditOptions{Create: true}, func(text string) (string, error) {
		return SetFstab(text, m.Fstab()), nil
	})
	return err
}
