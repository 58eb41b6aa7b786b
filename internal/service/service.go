// Package service enables, starts, stops and restarts system services: rc.d
// scripts through service(8) and their rcvar in /etc/rc.conf on FreeBSD,
// systemd units through systemctl on Linux. It holds the commands, the
// parsing of their output and exit codes, and the order of operations;
// internal/provider maps the f3s_service resource onto it.
package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// ErrNotFound means the host has no such service (no rc.d script, no unit).
var ErrNotFound = errors.New("service not found")

// Running and Stopped are the states a service can be asked to be in.
const (
	Running = "running"
	Stopped = "stopped"
)

// States lists the accepted states, for validators and descriptions.
func States() []string { return []string{Running, Stopped} }

// Status is what the host says about a service.
type Status struct {
	Name    string
	Enabled bool // starts at boot: checkyesno of its rcvar; systemctl is-enabled exit 0
	Running bool // service status / systemctl is-active exit 0

	// HasStatus is false for an rc.d script without a status command
	// (its running state cannot be read, so it cannot be managed).
	HasStatus bool
	// RCVar is the rc.conf variable that enables an rc.d script (FreeBSD).
	RCVar string
	// Unit and UnitFileState are the systemd unit and what is-enabled
	// printed: enabled, disabled, static, masked, ... (Linux).
	Unit          string
	UnitFileState string
	// Detail is the status command's own words, for error messages.
	Detail string
}

// State is Running or Stopped.
func (s Status) State() string {
	if s.Running {
		return Running
	}
	return Stopped
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.@:\\-]*$`)

// NamePattern describes valid service names, for validators and docs.
const NamePattern = "letters, digits and `_ . @ : \\ -`, not starting with a punctuation character"

// ValidateName accepts rc.d script names (zrepl, nfsd) and systemd unit
// names (stunnel, stunnel.service, nfs-mount-monitor.timer, getty@tty1).
func ValidateName(name string) error {
	if len(name) > 255 || !namePattern.MatchString(name) {
		return fmt.Errorf("%q is not a service name: use %s", name, NamePattern)
	}
	return nil
}

// Desired is what Apply makes true.
type Desired struct {
	Name    string
	Enabled bool
	// State is Running, Stopped, or "" to leave the service as it is.
	State string
	// Restart restarts the service if it is (or is to be) running and was
	// not just started: its configuration changed.
	Restart bool
}

// dialect is one OS's service manager.
type dialect interface {
	read(name string) host.Command
	parse(name string, res host.Result) (Status, error)
	setEnabled(ctx context.Context, t host.Target, s Status, on bool) error
	action(s Status, verb string) host.Command // verb: start, stop, restart
	// remove undoes enabling: rc.conf loses the rcvar, systemd disables.
	remove(ctx context.Context, t host.Target, s Status) error
}

func dialectFor(ctx context.Context, t host.Target) (dialect, error) {
	info, err := t.Info(ctx)
	if err != nil {
		return nil, err
	}
	d, err := dialectOf(info)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return d, nil
}

func dialectOf(info host.Info) (dialect, error) {
	switch {
	case info.IsFreeBSD():
		return rcd{}, nil
	case info.IsLinux():
		return systemd{}, nil
	}
	return nil, fmt.Errorf("services are managed on FreeBSD (rc.d) and Linux (systemd) hosts, and this host runs %q", info.OS)
}

// CheckOS fails on a host whose service manager this package does not speak.
func CheckOS(info host.Info) error {
	_, err := dialectOf(info)
	return err
}

// Get reads a service's state with one command.
func Get(ctx context.Context, t host.Target, name string) (Status, error) {
	d, err := dialectFor(ctx, t)
	if err != nil {
		return Status{}, err
	}
	return get(ctx, t, d, name)
}

func get(ctx context.Context, t host.Target, d dialect, name string) (Status, error) {
	// The script reports every exit code itself and always exits 0.
	res, err := t.Run(ctx, d.read(name))
	if err != nil {
		return Status{}, err
	}
	s, err := d.parse(name, res)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Status{}, fmt.Errorf("%s: reading service %s: %w", t.Name(), name, err)
	}
	return s, err
}

// Apply enables or disables the service, starts, stops or restarts it as
// asked, and returns its state read back. It never trusts a command's exit
// status alone (rc.d's start exits 0 when it refuses): the read-back must
// show what was asked, or Apply fails saying what the host reports.
func Apply(ctx context.Context, t host.Target, want Desired) (Status, error) {
	d, err := dialectFor(ctx, t)
	if err != nil {
		return Status{}, err
	}
	s, err := get(ctx, t, d, want.Name)
	if errors.Is(err, ErrNotFound) {
		return Status{}, fmt.Errorf("%s: there is no service %q: %s", t.Name(), want.Name, s.Detail)
	}
	if err != nil {
		return Status{}, err
	}
	if want.State != "" && !s.HasStatus {
		return Status{}, fmt.Errorf("%s: service %s has no status command, so its state cannot be managed: leave state unset", t.Name(), want.Name)
	}
	if s.Enabled != want.Enabled {
		if err := d.setEnabled(ctx, t, s, want.Enabled); err != nil {
			return Status{}, err
		}
	}
	verb := ""
	switch {
	case want.State == Running && !s.Running:
		verb = "start"
	case want.State == Stopped && s.Running:
		verb = "stop"
	case want.Restart && s.Running && want.State != Stopped:
		verb = "restart"
	}
	if verb != "" {
		if _, err := t.Run(ctx, d.action(s, verb)); err != nil {
			// Another service's rc.d script may have started (or stopped)
			// this one meanwhile: mountd's start starts rpcbind, nfsd's
			// starts mountd, so a parallel start of the dependency fails
			// with "already running?". What counts is the state now.
			var ce *host.CommandError
			if !errors.As(err, &ce) || verb == "restart" {
				return Status{}, err
			}
			if got, gerr := get(ctx, t, d, want.Name); gerr == nil && check(t.Name(), want, got) == nil {
				return got, nil
			}
			return Status{}, err
		}
	}
	got, err := get(ctx, t, d, want.Name)
	if err != nil {
		return Status{}, err
	}
	return got, check(t.Name(), want, got)
}

// check compares the state read back with the state asked for.
func check(hostName string, want Desired, got Status) error {
	var problems []string
	if got.Enabled != want.Enabled {
		problems = append(problems, fmt.Sprintf("it is %s after %s it%s",
			onOff(got.Enabled, "enabled", "disabled"), onOff(want.Enabled, "enabling", "disabling"), enableHint(got)))
	}
	if want.State != "" && got.State() != want.State {
		problems = append(problems, fmt.Sprintf("it is %s after %s it (status: %s)",
			got.State(), onOff(want.State == Running, "starting", "stopping"), oneLine(got.Detail)))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s: service %s: %s", hostName, want.Name, strings.Join(problems, "; "))
}

func enableHint(s Status) string {
	switch {
	case s.RCVar != "":
		return fmt.Sprintf(" (%s in /etc/rc.conf; /etc/rc.conf.local or /etc/rc.conf.d may override it)", s.RCVar)
	case s.Unit != "" && s.UnitFileState != "":
		return fmt.Sprintf(" (systemctl is-enabled %s: %s)", s.Unit, s.UnitFileState)
	case s.Unit == "":
		return " (its rc.d script has no rcvar)"
	}
	return ""
}

// Remove stops the service and undoes its enabling: on FreeBSD its rcvar
// leaves /etc/rc.conf, on Linux the unit is disabled. A service that no
// longer exists is not an error.
func Remove(ctx context.Context, t host.Target, name string) error {
	d, err := dialectFor(ctx, t)
	if err != nil {
		return err
	}
	s, err := get(ctx, t, d, name)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if s.Running {
		if _, err := t.Run(ctx, d.action(s, "stop")); err != nil {
			return err
		}
	}
	return d.remove(ctx, t, s)
}

func onOff(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "no output"
	}
	return s
}
