package zrepl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/service"
)

// The port installs zrepl.yml from its sample as root:wheel 0644 (pkg-plist
// @sample); the daemon runs as root. The file holds no secrets: TLS keys
// and SSH identities are referred to by path only.
const (
	fileMode  = 0o644
	fileOwner = "root"
	fileGroup = "wheel"
	dirMode   = 0o755
)

// CheckOS fails on a host that is not FreeBSD: the operations below use the
// port's paths and its rc.d script.
func CheckOS(info host.Info) error {
	if !info.IsFreeBSD() {
		return fmt.Errorf("zrepl is managed on FreeBSD hosts (the sysutils/zrepl port and its rc.d script), and this host runs %q", info.OS)
	}
	return nil
}

// File is zrepl.yml as read from a host. Config is nil when the file does
// not parse; ParseErr then says why.
type File struct {
	Content  []byte
	SHA256   string
	Config   *Config
	ParseErr error
}

// Read reads and parses the file at p. A missing file is ErrNotFound.
func Read(ctx context.Context, t host.Target, p string) (File, error) {
	data, err := t.ReadFile(ctx, p)
	if errors.Is(err, fs.ErrNotExist) {
		return File{}, fmt.Errorf("%s: %s: %w", t.Name(), p, ErrNotFound)
	}
	if err != nil {
		return File{}, err
	}
	f := File{Content: data, SHA256: file.Hash(data)}
	f.Config, f.ParseErr = Parse(data)
	return f, nil
}

// Applied says what Apply did.
type Applied struct {
	Written   bool // the content changed (a mode or owner fix alone does not count)
	Restarted bool
}

// Apply makes the file at p hold content, root:wheel 0644, written
// atomically. When the content changed and restart is set, a running zrepl
// daemon is restarted; the port's restart runs `zrepl configcheck` first
// and leaves the old daemon running when the new file is refused, in which
// case the previous file is put back, so that the host keeps saying what
// the daemon runs and the next plan tries again. A daemon that is not
// running (or not installed) is left alone: starting it is f3s_service's
// business.
//
// keep, when set, is asked about a file that is there already: true leaves
// it as it is, unwritten, and the daemon unrestarted (a hand-written file
// that says what content says, adopted as it stands).
func Apply(ctx context.Context, t host.Target, p string, content []byte, restart bool, keep func(prev []byte) bool) (Applied, error) {
	prev, err := t.ReadFile(ctx, p)
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Applied{}, err
	}
	if existed && keep != nil && keep(prev) {
		return Applied{}, nil
	}
	var done Applied
	done.Written = !existed || !bytes.Equal(prev, content)
	if err := write(ctx, t, p, content); err != nil {
		return done, err
	}
	if !done.Written || !restart {
		return done, nil
	}
	done.Restarted, err = RestartIfRunning(ctx, t)
	if err == nil {
		return done, nil
	}
	if host.OutcomeUnknown(err) {
		// The restart may have run with the new file: putting the old one
		// back could leave the host saying what the daemon does not run.
		return done, fmt.Errorf("%s: wrote %s, and the restart of zrepl may or may not have happened "+
			"(check with service zrepl status): %w", t.Name(), p, err)
	}
	if existed {
		if rerr := write(ctx, t, p, prev); rerr != nil {
			return done, fmt.Errorf("%s: restarting zrepl with the new %s failed (the daemon keeps its previous "+
				"configuration), and putting the previous file back failed too (%v): %w", t.Name(), p, rerr, err)
		}
		return done, fmt.Errorf("%s: restarting zrepl with the new %s failed, so the previous file was put back "+
			"(the daemon keeps running with it): %w", t.Name(), p, err)
	}
	return done, fmt.Errorf("%s: wrote %s, but restarting zrepl failed (the daemon keeps its previous configuration "+
		"until it restarts): %w", t.Name(), p, err)
}

func write(ctx context.Context, t host.Target, p string, content []byte) error {
	_, _, err := file.Ensure(ctx, t, file.Spec{Path: p, Content: content, Mode: fileMode, Owner: fileOwner,
		Group: fileGroup, DirMode: dirMode})
	return err
}

// RestartIfRunning restarts the zrepl daemon if it runs, and reports
// whether it did. onerestart restarts a daemon started with onestart too.
func RestartIfRunning(ctx context.Context, t host.Target) (bool, error) {
	st, err := service.Get(ctx, t, Service)
	if errors.Is(err, service.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !st.Running {
		return false, nil
	}
	if _, err := t.Run(ctx, host.Command{Argv: []string{"service", Service, "onerestart"}}); err != nil {
		return false, err
	}
	return true, nil
}

// Remove deletes the file. The daemon is not stopped: it keeps the jobs it
// loaded until it is restarted, and f3s_service decides whether it runs.
func Remove(ctx context.Context, t host.Target, p string) error {
	return file.Remove(ctx, t, p)
}

// SameMeaning reports whether data, a zrepl.yml as found on a host, says
// what rendered (Render's output) says: it parses, strictly, into a
// configuration that renders to the same bytes. Layout, comments, key
// order and quoting do not count; every setting zrepl reads does.
func SameMeaning(data, rendered []byte) bool {
	c, err := Parse(data)
	if err != nil {
		return false
	}
	out, err := Render(c)
	return err == nil && bytes.Equal(out, rendered)
}
