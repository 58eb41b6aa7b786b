// Package rc manages rc.conf(5)-style variable assignments on FreeBSD
// through sysrc(8): one variable in one file (/etc/rc.conf, or another file
// such as /boot/loader.conf). It holds the argv, the parsing of sysrc's
// output and the validation of names, files and values; internal/provider
// maps the f3s_sysrc resource onto it.
//
// A variable "exists" only when FILE assigns it: sysrc also consults
// /etc/defaults/rc.conf, so a variable that only has a default there is
// reported as not found, which is what a resource managing one assignment
// in FILE means.
package rc

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// DefaultFile is where a variable goes unless another file is named.
const DefaultFile = "/etc/rc.conf"

// LoaderConf is the boot loader's file, sysrc-compatible (carp_load="YES").
const LoaderConf = "/boot/loader.conf"

// ErrNotFound means FILE holds no assignment of the variable.
var ErrNotFound = errors.New("variable not assigned")

// Variable is one assignment in one file, its value as sh evaluates it
// (what rc(8) and the loader see), not its quoted text.
type Variable struct {
	File  string
	Name  string
	Value string
}

var namePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// NamePattern describes valid variable names, for validators and docs.
const NamePattern = "letters, digits and `_`, not starting with a digit"

// ValidateName accepts what sysrc accepts as a shell variable name.
func ValidateName(name string) error {
	if !namePattern.MatchString(name) {
		return fmt.Errorf("%q is not a variable name: use %s", name, NamePattern)
	}
	return nil
}

// ValidateFile accepts an absolute, clean path without white space, which
// sysrc takes as one -f argument.
func ValidateFile(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q is not an absolute path", p)
	case path.Clean(p) != p:
		return fmt.Errorf("%q is not a clean path (use %q)", p, path.Clean(p))
	case p == "/":
		return fmt.Errorf("%q is a directory", p)
	case strings.ContainsAny(p, " \t\n\r\x00"):
		return fmt.Errorf("%q contains white space", p)
	}
	return nil
}

// ValidateValue rejects what one rc.conf line cannot hold.
func ValidateValue(v string) error {
	if strings.ContainsAny(v, "\n\r\x00") {
		return errors.New("the value must be one line (no newline, carriage return or NUL)")
	}
	return nil
}

// CheckOS fails on a host that has no sysrc.
func CheckOS(info host.Info) error {
	if info.IsFreeBSD() {
		return nil
	}
	return fmt.Errorf("sysrc and rc.conf exist on FreeBSD only, and this host runs %s", osName(info))
}

func osName(info host.Info) string {
	if info.Distro != "" && info.Distro != strings.ToLower(info.OS) {
		return fmt.Sprintf("%s (%s %s)", info.OS, info.Distro, info.Release)
	}
	return strings.TrimSpace(info.OS + " " + info.Release)
}

// Get reads the assignment of name in file with one command.
func Get(ctx context.Context, t host.Target, file, name string) (Variable, error) {
	res, err := t.Run(ctx, host.Command{Argv: readArgv(file, name)})
	if err != nil {
		if isUnknown(err, name) {
			return Variable{}, ErrNotFound
		}
		return Variable{}, err
	}
	value, err := parseRead(file, name, string(res.Stdout))
	if err != nil {
		return Variable{}, fmt.Errorf("%s: reading %s from %s: %w", t.Name(), name, file, err)
	}
	return Variable{File: file, Name: name, Value: value}, nil
}

// Set assigns value to name in file and returns the assignment as read back.
// It holds the file's lock and reads the file again under it, so that
// concurrent edits of the same file never lose one another.
func Set(ctx context.Context, t host.Target, file, name, value string) (Variable, error) {
	if err := ValidateValue(value); err != nil {
		return Variable{}, err
	}
	unlock, err := t.Lock(ctx, file)
	if err != nil {
		return Variable{}, err
	}
	defer unlock()
	cur, err := Get(ctx, t, file, name)
	assigned := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Variable{}, err
	}
	if assigned && cur.Value == value {
		return cur, nil
	}
	res, err := t.Run(ctx, setCommand(file, name, value, cur.Value, assigned))
	if err != nil {
		return Variable{}, err
	}
	// sysrc prints the value it reads back; only when that line does not
	// show the value (or is ambiguous) is the file read once more.
	if c, ok := ParseChange(lastLine(string(res.Stdout))); ok && c.Name == name && c.New == value {
		return Variable{File: file, Name: name, Value: value}, nil
	}
	got, err := Get(ctx, t, file, name)
	if errors.Is(err, ErrNotFound) {
		return Variable{}, fmt.Errorf("%s: sysrc reported success, but %s holds no assignment of %s afterwards", t.Name(), file, name)
	}
	if err != nil {
		return Variable{}, err
	}
	if got.Value != value {
		return got, fmt.Errorf("%s: %s in %s reads back as %q after setting it to %q", t.Name(), name, file, got.Value, value)
	}
	return got, nil
}

// Delete removes every assignment of name from file, under the file's
// lock. A variable that file does not assign is not an error.
func Delete(ctx context.Context, t host.Target, file, name string) error {
	unlock, err := t.Lock(ctx, file)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := Get(ctx, t, file, name); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
	_, err = t.Run(ctx, host.Command{Argv: deleteArgv(file, name)})
	if err != nil && isUnknown(err, name) {
		return nil
	}
	return err
}

func lastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// isUnknown tells sysrc's "unknown variable" (exit 1) apart from other
// failures, such as a file with syntax errors.
func isUnknown(err error, name string) bool {
	var ce *host.CommandError
	return errors.As(err, &ce) && ce.ExitCode == 1 &&
		strings.Contains(ce.Stderr, "sysrc: unknown variable '"+name+"'")
}
