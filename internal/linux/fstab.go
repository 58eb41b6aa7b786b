package linux

import (
	"fmt"
	"strconv"
	"strings"
)

// FstabPath is the file mount(8) and systemd-fstab-generator read.
const FstabPath = "/etc/fstab"

// FstabEntry is one line of fstab(5): six fields separated by blanks,
// with blanks inside a field written as octal escapes (\040).
type FstabEntry struct {
	Source  string
	Target  string
	Type    string
	Options []string
	Freq    int
	Pass    int
}

// Line renders the entry as the provider writes it: single spaces, the
// fields escaped, dump and pass as numbers.
func (e FstabEntry) Line() string {
	opts := strings.Join(e.Options, ",")
	if opts == "" {
		opts = "defaults"
	}
	return strings.Join([]string{escapeField(e.Source), escapeField(e.Target), escapeField(e.Type), escapeField(opts),
		strconv.Itoa(e.Freq), strconv.Itoa(e.Pass)}, " ")
}

// ParseFstabLine reads one line; ok is false for a comment, a blank line
// or a line with fewer than four fields (libmount skips those too).
func ParseFstabLine(line string) (FstabEntry, bool) {
	t := strings.TrimSpace(line)
	if t == "" || strings.HasPrefix(t, "#") {
		return FstabEntry{}, false
	}
	f := strings.Fields(t)
	if len(f) < 4 {
		return FstabEntry{}, false
	}
	e := FstabEntry{Source: unescapeField(f[0]), Target: unescapeField(f[1]), Type: unescapeField(f[2])}
	if o := unescapeField(f[3]); o != "defaults" {
		e.Options = strings.Split(o, ",")
	}
	if len(f) > 4 {
		e.Freq, _ = strconv.Atoi(f[4])
	}
	if len(f) > 5 {
		e.Pass, _ = strconv.Atoi(f[5])
	}
	return e, true
}

// FindFstab returns the last entry mounted on target (the one mount(8)
// uses when several name it) and the line it came from.
func FindFstab(text, target string) (FstabEntry, string, bool) {
	var found FstabEntry
	var raw string
	ok := false
	for _, l := range strings.Split(text, "\n") {
		if e, isEntry := ParseFstabLine(l); isEntry && cleanPath(e.Target) == cleanPath(target) {
			found, raw, ok = e, l, true
		}
	}
	return found, raw, ok
}

// SetFstab replaces every entry mounted on e.Target by e's line, in the
// place of the first, or appends it; other lines stay as they are.
func SetFstab(text string, e FstabEntry) string {
	lines := splitLines(text)
	out := make([]string, 0, len(lines)+1)
	placed := false
	for _, l := range lines {
		if x, ok := ParseFstabLine(l); ok && cleanPath(x.Target) == cleanPath(e.Target) {
			if !placed {
				out = append(out, e.Line())
				placed = true
			}
			continue
		}
		out = append(out, l)
	}
	if !placed {
		out = append(out, e.Line())
	}
	return strings.Join(out, "\n") + "\n"
}

// RemoveFstab drops every entry mounted on target.
func RemoveFstab(text, target string) string {
	lines := splitLines(text)
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if x, ok := ParseFstabLine(l); ok && cleanPath(x.Target) == cleanPath(target) {
			continue
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

func splitLines(text string) []string {
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

func cleanPath(p string) string {
	if len(p) > 1 {
		return strings.TrimRight(p, "/")
	}
	return p
}

// escapeField writes blanks, tabs, newlines and backslashes as fstab(5)
// octal escapes.
func escapeField(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\\':
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unescapeField reads \NNN octal escapes, as libmount's unmangle does.
func unescapeField(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
