package pkg

import (
	"errors"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// freebsd is pkg(8): `pkg query %v NAME` prints the version and exits 1
// with no output when NAME is not installed. Its subcommands parse their
// options with getopt_long, so "--" ends them before the operands. (rpm
// and dnf get none: that they take it is not confirmed, and the names are
// checked not to start with "-" anyway.)
var freebsd = manager{
	query: func(name string) []string { return []string{"pkg", "query", "--", "%v", name} },
	parse: func(name string, res host.Result, err error) (string, error) {
		var ce *host.CommandError
		if errors.As(err, &ce) && ce.ExitCode == 1 && strings.TrimSpace(ce.Stdout) == "" && strings.TrimSpace(ce.Stderr) == "" {
			return "", ErrNotFound
		}
		if err != nil {
			return "", err
		}
		return versionOf(name, res.Stdout)
	},
	install: func(name string) []string { return []string{"pkg", "install", "-y", "--", name} },
	remove: func(name string) string {
		return "if " + host.Join([]string{"pkg", "info", "-e", "--", name}) + "; then " +
			host.Join([]string{"pkg", "delete", "-y", "--", name}) + "; fi"
	},
}

// rocky is rpm for queries and dnf for changes. rpm -q prints
// `package NAME is not installed` on stdout and exits with the number of
// unmatched names.
var rocky = manager{
	query: func(name string) []string {
		return []string{"rpm", "-q", "--qf", `%{VERSION}-%{RELEASE}\n`, name}
	},
	parse: func(name string, res host.Result, err error) (string, error) {
		var ce *host.CommandError
		if errors.As(err, &ce) && ce.ExitCode == 1 && strings.Contains(ce.Stdout, "package "+name+" is not installed") {
			return "", ErrNotFound
		}
		if err != nil {
			return "", err
		}
		return versionOf(name, res.Stdout)
	},
	install: func(name string) []string { return []string{"dnf", "install", "-y", name} },
	remove: func(name string) string {
		return "if " + host.Join([]string{"rpm", "-q", "--quiet", name}) + "; then " +
			host.Join([]string{"dnf", "remove", "-y", name}) + "; fi"
	},
}

func versionOf(name string, out []byte) (string, error) {
	v := lastLine(out)
	if v == "" || strings.ContainsAny(v, " \t") {
		return "", fmt.Errorf("unexpected version of %s: %q", name, strings.TrimSpace(string(out)))
	}
	return v, nil
}
