package rc

import (
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// readArgv asks for the value and the file that holds the last assignment
// in one line: `FILE: NAME: VALUE` (sysrc -v). Without the file, a value
// that only /etc/defaults/rc.conf sets would look assigned. sysrc parses
// its options with getopts, so "--" ends them before every operand.
func readArgv(file, name string) []string {
	return []string{"sysrc", "-f", file, "-v", "--", name}
}

// parseRead takes the value out of `sysrc -f FILE -v NAME` output. ErrNotFound
// when the assignment sysrc found is not in file (only a default).
func parseRead(file, name, out string) (string, error) {
	out = strings.TrimSuffix(out, "\n")
	sep := ": " + name + ": "
	i := strings.Index(out, sep)
	if i < 0 {
		return "", fmt.Errorf("unexpected sysrc output %q", out)
	}
	if out[:i] != file {
		return "", ErrNotFound
	}
	return out[i+len(sep):], nil
}

// deleteArgv removes every assignment of name from file.
func deleteArgv(file, name string) []string {
	return []string{"sysrc", "-f", file, "-x", "--", name}
}

// shSpecial are the characters that a double-quoted sh word does not take
// literally, plus the single quote that a single-quoted assignment cannot
// hold.
const shSpecial = "\"\\$`'"

// setCommand writes name=value into file, given the value it holds now
// (assigned tells whether it holds one). sysrc writes the value verbatim
// between quotes: as `NAME="VALUE"` when it appends, and keeping the old
// quote character when it rewrites an assignment in place, through awk -v,
// which also interprets backslashes, and which cannot find the end of a
// value holding \" (the result fails sysrc's sh -n check). Plain values go
// through the rewrite, which keeps the assignment where it is. Otherwise
// the value is escaped for double quotes and appended after removing the
// old assignment: the one path where sysrc writes it exactly as given.
func setCommand(file, name, value, old string, assigned bool) host.Command {
	plain := !strings.ContainsAny(value, shSpecial)
	if plain && (!assigned || !strings.ContainsAny(old, shSpecial)) {
		return host.Command{Argv: setArgv(file, name, value)}
	}
	set := setArgv(file, name, escapeDoubleQuoted(value))
	if !assigned {
		return host.Command{Argv: set}
	}
	return host.Command{Script: host.Join(deleteArgv(file, name)) + " && " + host.Join(set)}
}

// setArgv passes NAME=VALUE as one word, so spaces and quotes reach sysrc intact.
func setArgv(file, name, value string) []string {
	return []string{"sysrc", "-f", file, "--", name + "=" + value}
}

// escapeDoubleQuoted makes value read back unchanged inside "...".
func escapeDoubleQuoted(value string) string {
	var b strings.Builder
	for _, r := range value {
		if r == '"' || r == '\\' || r == '$' || r == '`' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Change is one line sysrc prints when it assigns: `NAME: OLD -> NEW`.
type Change struct {
	Name, Old, New string
}

// ParseChange reads a `NAME: OLD -> NEW` line. When a value itself holds
// " -> ", the split is ambiguous; the first separator is taken.
func ParseChange(line string) (Change, bool) {
	line = strings.TrimSuffix(line, "\n")
	name, rest, ok := strings.Cut(line, ": ")
	if !ok || ValidateName(name) != nil {
		return Change{}, false
	}
	old, nv, ok := strings.Cut(rest, " -> ")
	if !ok {
		return Change{}, false
	}
	return Change{Name: name, Old: old, New: nv}, true
}
