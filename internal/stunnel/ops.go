package stunnel

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Platform is where stunnel lives on one OS.
type Platform struct {
	ConfigPath string
	// Pid is the pid file the service manager looks for: FreeBSD's rc.d
	// script checks /var/run/stunnel.pid, which stunnel only writes when
	// the configuration names it (its compiled-in default is
	// /var/tmp/stunnel.pid, reference §5.1). "" on Linux, where systemd
	// follows the forking daemon itself.
	Pid     string
	freeBSD bool
}

// The platforms: FreeBSD's port (rc.d) and Rocky's package (systemd).
var (
	FreeBSD = Platform{ConfigPath: "/usr/local/etc/stunnel/stunnel.conf", Pid: "/var/run/stunnel.pid", freeBSD: true}
	Linux   = Platform{ConfigPath: "/etc/stunnel/stunnel.conf"}
)

// PlatformOf chooses by the host's OS.
func PlatformOf(info host.Info) (Platform, error) {
	switch {
	case info.IsFreeBSD():
		return FreeBSD, nil
	case info.IsLinux():
		return Linux, nil
	}
	return Platform{}, fmt.Errorf("stunnel is managed on FreeBSD and Linux hosts, and this host runs %q", info.OS)
}

// statusArgv tells, by its exit code, whether stunnel runs.
func (p Platform) statusArgv() []string {
	if p.freeBSD {
		return []string{"service", "stunnel", "status"}
	}
	return []string{"systemctl", "is-active", "--quiet", "stunnel.service"}
}

// restartArgv restarts stunnel whether or not it is enabled at boot:
// onerestart on FreeBSD (restart refuses a service without stunnel_enable),
// systemctl restart on Linux.
func (p Platform) restartArgv() []string {
	if p.freeBSD {
		return []string{"service", "stunnel", "onerestart"}
	}
	return []string{"systemctl", "restart", "stunnel.service"}
}

// Read returns the configuration file's text; found is false when there
// is none.
func Read(ctx context.Context, t host.Target, p string) (text string, found bool, err error) {
	data, err := t.ReadFile(ctx, p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return string(data), true, nil
}

// Running tells whether stunnel runs, from the service manager's status.
func Running(ctx context.Context, t host.Target, p Platform) (bool, error) {
	_, err := t.Run(ctx, host.Command{Argv: p.statusArgv()})
	var ce *host.CommandError
	if errors.As(err, &ce) {
		return false, nil
	}
	return err == nil, err
}

// Result is what Apply did.
type Result struct {
	Changed   bool // the file was written
	Restarted bool // a running stunnel was restarted onto it
}

// missingScript lists, one per line, the paths that do not exist.
func missingScript(paths []string) string {
	var b strings.Builder
	for _, p := range paths {
		q := host.Quote(p)
		fmt.Fprintf(&b, "[ -e %s ] || echo %s\n", q, q)
	}
	b.WriteString("exit 0\n")
	return b.String()
}

// Files are the paths a configuration needs on the host at start-up.
func (c Config) Files() []string {
	var out []string
	for _, p := range []string{c.Service.Cert, c.Service.Key, c.Service.CAFile} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Apply makes the file at path read text. Nothing happens when it already
// does. Otherwise the files the configuration names must exist (stunnel
// would not start without them), the file is replaced atomically, and a
// stunnel that runs is restarted onto it, when restart is set: a stopped
// one stays stopped (the CARP hook starts it on the MASTER). When the
// restart fails, the previous file is put back (or the new one removed),
// stunnel is restarted on it, and the error carries stunnel's complaint.
func Apply(ctx context.Context, t host.Target, p Platform, path string, c Config, restart bool) (Result, error) {
	text := c.Render()
	unlock, err := t.Lock(ctx, path)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	old, existed, err := Read(ctx, t, path)
	if err != nil {
		return Result{}, err
	}
	if existed && old == text {
		return Result{}, nil
	}
	if files := c.Files(); len(files) > 0 {
		res, err := t.Run(ctx, host.Command{Script: missingScript(files)})
		if err != nil {
			return Result{}, err
		}
		if missing := strings.Fields(string(res.Stdout)); len(missing) > 0 {
			return Result{}, fmt.Errorf("%s: the configuration names files that do not exist: %s; create them first (f3s_pki_certificate)",
				t.Name(), strings.Join(missing, ", "))
		}
	}
	running := false
	if restart {
		if running, err = Running(ctx, t, p); err != nil {
			return Result{}, err
		}
	}
	if err := write(ctx, t, path, text); err != nil {
		return Result{}, err
	}
	if !running {
		return Result{Changed: true}, nil
	}
	_, rerr := t.Run(ctx, host.Command{Argv: p.restartArgv()})
	if rerr == nil {
		return Result{Changed: true, Restarted: true}, nil
	}
	// stunnel refused the new file: put the old one back and restart on it.
	if existed {
		err = write(ctx, t, path, old)
	} else {
		err = t.Remove(ctx, path)
	}
	if err == nil && existed {
		_, err = t.Run(ctx, host.Command{Argv: p.restartArgv()})
	}
	if err != nil {
		return Result{Changed: true}, fmt.Errorf("%s: stunnel did not start with the new %s (%w), and restoring the previous file failed too: %w", t.Name(), path, rerr, err)
	}
	return Result{}, fmt.Errorf("%s: stunnel did not start with the new %s, so the previous file was put back and stunnel restarted on it: %w", t.Name(), path, rerr)
}

func write(ctx context.Context, t host.Target, path, text string) error {
	return t.WriteFile(ctx, path, strings.NewReader(text), host.FileOptions{Mode: 0o644, Owner: "root", DirMode: 0o755})
}

// Remove deletes the configuration file. A running stunnel keeps the
// configuration it read until it is stopped or restarted.
func Remove(ctx context.Context, t host.Target, path string) error {
	unlock, err := t.Lock(ctx, path)
	if err != nil {
		return err
	}
	defer unlock()
	return t.Remove(ctx, path)
}
