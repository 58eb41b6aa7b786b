package linux

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/service"
)

// UnitDir is where the administrator's unit files live (systemd.unit(5):
// /etc/systemd/system overrides the package's /usr/lib/systemd/system).
const UnitDir = "/etc/systemd/system"

// UnitPath is the unit file of name.
func UnitPath(name string) string { return UnitDir + "/" + name }

// ErrUnitNotFound means the unit file is not in UnitDir.
var ErrUnitNotFound = errors.New("unit file not found")

// Unit is a unit file with the state it should be in.
type Unit struct {
	Name    string
	Content string
	Enabled bool
	// State is service.Running, service.Stopped, or "" to leave it.
	State string
}

// UnitStatus is what the host has.
type UnitStatus struct {
	Name    string
	Content string
	Enabled bool
	Active  bool
}

// ReadUnit reads the unit file and what systemctl says about the unit.
func ReadUnit(ctx context.Context, t host.Target, name string) (UnitStatus, error) {
	data, err := t.ReadFile(ctx, UnitPath(name))
	if errors.Is(err, fs.ErrNotExist) {
		return UnitStatus{}, fmt.Errorf("%s: %s: %w", t.Name(), UnitPath(name), ErrUnitNotFound)
	}
	if err != nil {
		return UnitStatus{}, err
	}
	s, err := service.Get(ctx, t, name)
	if err != nil && !errors.Is(err, service.ErrNotFound) {
		return UnitStatus{}, err
	}
	return UnitStatus{Name: name, Content: string(data), Enabled: s.Enabled, Active: s.Running}, nil
}

// writeUnitFile writes content unless the file already holds it, and
// tells whether it wrote.
func writeUnitFile(ctx context.Context, t host.Target, p, content string, mode fs.FileMode) (bool, error) {
	data, err := t.ReadFile(ctx, p)
	if err == nil && string(data) == content {
		return false, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	if err := t.WriteFile(ctx, p, strings.NewReader(content), host.FileOptions{Mode: mode, Owner: "root", Group: "root", DirMode: 0o755}); err != nil {
		return true, err
	}
	return true, nil
}

// DaemonReload makes systemd read the unit files again.
func DaemonReload(ctx context.Context, t host.Target) error {
	_, err := t.Run(ctx, host.Command{Argv: []string{"systemctl", "daemon-reload"}})
	return err
}

// ApplyUnit writes the unit file (daemon-reload only when it changed),
// enables or disables the unit, starts or stops it, and restarts a
// running unit whose file changed. It returns the state read back.
func ApplyUnit(ctx context.Context, t host.Target, u Unit) (UnitStatus, error) {
	changed, err := writeUnitFile(ctx, t, UnitPath(u.Name), u.Content, 0o644)
	if err != nil {
		return UnitStatus{}, err
	}
	if changed {
		if err := DaemonReload(ctx, t); err != nil {
			return UnitStatus{}, err
		}
	}
	// A timer, a target or a path unit is not restarted: a new file
	// takes effect with daemon-reload; a service runs its new command.
	restart := changed && strings.HasSuffix(u.Name, ".service")
	if _, err := service.Apply(ctx, t, service.Desired{Name: u.Name, Enabled: u.Enabled, State: u.State, Restart: restart}); err != nil {
		return UnitStatus{}, err
	}
	return ReadUnit(ctx, t, u.Name)
}

// RemoveUnit stops and disables the unit, removes its file and reloads
// systemd. A unit already gone is not an error.
func RemoveUnit(ctx context.Context, t host.Target, name string) error {
	if _, err := t.Stat(ctx, UnitPath(name)); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if err := service.Remove(ctx, t, name); err != nil {
		return err
	}
	if err := t.Remove(ctx, UnitPath(name)); err != nil {
		return err
	}
	return DaemonReload(ctx, t)
}
