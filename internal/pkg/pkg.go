// Package pkg installs and removes binary packages: pkg(8) on FreeBSD, dnf
// and rpm on Rocky Linux. It holds the argv, the parsing of the query
// output and the validation of package names; internal/provider maps the
// f3s_package resource onto it.
package pkg

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// ErrNotFound means the package is not installed.
var ErrNotFound = errors.New("package not installed")

// Package is an installed package and its version as the package
// manager reports it: 0.6.1_1 (pkg), 5.62-3.el9 (rpm VERSION-RELEASE).
type Package struct {
	Name    string
	Version string
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.+-]*$`)

// NamePattern describes valid package names, for validators and docs.
const NamePattern = "letters, digits and `_ . + -`, not starting with `.`, `+` or `-`"

// ValidateName accepts package names as pkg and rpm spell them
// (py311-setuptools, libstdc++, nfs-utils). Paths, globs and options are
// refused.
func ValidateName(name string) error {
	if len(name) > 255 || !namePattern.MatchString(name) {
		return fmt.Errorf("%q is not a package name: use %s", name, NamePattern)
	}
	return nil
}

// manager is one OS's package tool dialect.
type manager struct {
	query   func(name string) []string
	parse   func(name string, res host.Result, err error) (string, error)
	install func(name string) []string
	remove  func(name string) string // a script: removes only when installed
}

// dnfDistros are the os-release IDs of distributions managed with dnf and rpm.
var dnfDistros = []string{"rocky", "rhel", "almalinux", "centos", "fedora", "ol"}

func managerFor(info host.Info) (manager, error) {
	switch {
	case info.IsFreeBSD():
		return freebsd, nil
	case info.IsLinux() && slices.Contains(dnfDistros, info.Distro):
		return rocky, nil
	case info.IsLinux():
		return manager{}, fmt.Errorf("packages on Linux are managed with dnf (%s), and this host runs %q",
			strings.Join(dnfDistros, ", "), info.Distro)
	}
	return manager{}, fmt.Errorf("packages are managed on FreeBSD (pkg) and on Linux with dnf, and this host runs %q", info.OS)
}

// CheckOS fails on a host whose package manager this package does not speak.
func CheckOS(info host.Info) error {
	_, err := managerFor(info)
	return err
}

// Get reads whether name is installed, and its version, in one command.
func Get(ctx context.Context, t host.Target, name string) (Package, error) {
	m, err := targetManager(ctx, t)
	if err != nil {
		return Package{}, err
	}
	res, err := t.Run(ctx, host.Command{Argv: m.query(name)})
	v, err := m.parse(name, res, err)
	if err != nil {
		return Package{}, err
	}
	return Package{Name: name, Version: v}, nil
}

// Install installs name (a no-op when it already is) and reads it back. A
// package the repositories do not have fails with the package manager's
// own message.
func Install(ctx context.Context, t host.Target, name string) (Package, error) {
	m, err := targetManager(ctx, t)
	if err != nil {
		return Package{}, err
	}
	if _, err := t.Run(ctx, host.Command{Argv: m.install(name)}); err != nil {
		return Package{}, err
	}
	p, err := Get(ctx, t, name)
	if errors.Is(err, ErrNotFound) {
		return Package{}, fmt.Errorf("%s: the package manager reported success, but %s is not installed afterwards", t.Name(), name)
	}
	return p, err
}

// Remove uninstalls name; a package that is not installed is not an error.
func Remove(ctx context.Context, t host.Target, name string) error {
	m, err := targetManager(ctx, t)
	if err != nil {
		return err
	}
	_, err = t.Run(ctx, host.Command{Script: m.remove(name)})
	return err
}

func targetManager(ctx context.Context, t host.Target) (manager, error) {
	info, err := t.Info(ctx)
	if err != nil {
		return manager{}, err
	}
	m, err := managerFor(info)
	if err != nil {
		return manager{}, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return m, nil
}

// lastLine is the version of the last installed instance; rpm prints one
// line per installed instance (kernel, multilib), in installation order.
func lastLine(out []byte) string {
	s := strings.TrimSpace(string(out))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[i+1:])
	}
	return s
}
