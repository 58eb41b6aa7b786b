package rocky

import (
	"fmt"
	"strings"
	"time"
)

// unitFile is a parsed systemd unit file (systemd.syntax(7)): sections of
// Key=Value assignments in file order, drop-ins already merged.
type unitFile struct {
	Sections []unitSection
}

type unitSection struct {
	Name    string
	Entries []unitEntry
}

type unitEntry struct {
	Key, Value string
	Line       int
}

// parseUnitFile reads systemd's ini dialect: '#' and ';' comment lines, a
// trailing backslash continues a line (joined with a space), whitespace around
// '=' is dropped. Assignments before the first section are an error, as
// systemd logs "Assignment outside of section. Ignoring." and skips them.
func parseUnitFile(data string) (*unitFile, error) {
	u := &unitFile{}
	lines := strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n")
	var cont strings.Builder
	contStart := 0
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if cont.Len() == 0 {
			if line == "" || line[0] == '#' || line[0] == ';' {
				continue
			}
			contStart = i + 1
		} else if line != "" && (line[0] == '#' || line[0] == ';') {
			// comment lines inside a continuation are skipped
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cont.WriteString(strings.TrimSuffix(line, "\\"))
			cont.WriteByte(' ')
			continue
		}
		cont.WriteString(line)
		full := strings.TrimSpace(cont.String())
		cont.Reset()
		if strings.HasPrefix(full, "[") {
			if !strings.HasSuffix(full, "]") {
				return nil, fmt.Errorf("line %d: invalid section header %q", contStart, full)
			}
			u.Sections = append(u.Sections, unitSection{Name: full[1 : len(full)-1]})
			continue
		}
		eq := strings.IndexByte(full, '=')
		if eq < 0 {
			return nil, fmt.Errorf("line %d: missing '=', ignoring line", contStart)
		}
		if len(u.Sections) == 0 {
			return nil, fmt.Errorf("line %d: assignment outside of section", contStart)
		}
		s := &u.Sections[len(u.Sections)-1]
		s.Entries = append(s.Entries, unitEntry{
			Key:   strings.TrimSpace(full[:eq]),
			Value: strings.TrimSpace(full[eq+1:]),
			Line:  contStart,
		})
	}
	if cont.Len() > 0 {
		full := strings.TrimSpace(cont.String())
		if eq := strings.IndexByte(full, '='); eq >= 0 && len(u.Sections) > 0 {
			s := &u.Sections[len(u.Sections)-1]
			s.Entries = append(s.Entries, unitEntry{Key: strings.TrimSpace(full[:eq]), Value: strings.TrimSpace(full[eq+1:]), Line: contStart})
		}
	}
	return u, nil
}

// merge appends a drop-in's sections: list settings accumulate and scalar
// settings are overridden, as systemd reads drop-ins after the fragment.
func (u *unitFile) merge(d *unitFile) {
	for _, ds := range d.Sections {
		found := false
		for i := range u.Sections {
			if u.Sections[i].Name == ds.Name {
				u.Sections[i].Entries = append(u.Sections[i].Entries, ds.Entries...)
				found = true
				break
			}
		}
		if !found {
			u.Sections = append(u.Sections, ds)
		}
	}
}

// get returns the last assignment of key in section.
func (u *unitFile) get(section, key string) string {
	v := ""
	for _, s := range u.Sections {
		if s.Name != section {
			continue
		}
		for _, e := range s.Entries {
			if e.Key == key {
				v = e.Value
			}
		}
	}
	return v
}

// list returns the assignments of a list setting: each assignment adds, an
// empty assignment resets the list.
func (u *unitFile) list(section, key string) []string {
	var out []string
	for _, s := range u.Sections {
		if s.Name != section {
			continue
		}
		for _, e := range s.Entries {
			if e.Key != key {
				continue
			}
			if e.Value == "" {
				out = nil
				continue
			}
			out = append(out, e.Value)
		}
	}
	return out
}

// words returns a space-separated list setting (WantedBy=, Requires=, ...).
func (u *unitFile) words(section, key string) []string {
	var out []string
	for _, v := range u.list(section, key) {
		out = append(out, strings.Fields(v)...)
	}
	return out
}

// expandSpecifiers replaces the unit specifiers systemd expands in unit files
// (systemd.unit(5) "Specifiers"); unknown ones are left alone.
func expandSpecifiers(s string, id, instance string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	prefix := id
	if i := strings.IndexByte(prefix, '@'); i >= 0 {
		prefix = prefix[:i]
	} else if i := strings.LastIndexByte(prefix, '.'); i >= 0 {
		prefix = prefix[:i]
	}
	nameNoSuffix := id
	if i := strings.LastIndexByte(nameNoSuffix, '.'); i >= 0 {
		nameNoSuffix = nameNoSuffix[:i]
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case '%':
			b.WriteByte('%')
		case 'n':
			b.WriteString(id)
		case 'N':
			b.WriteString(nameNoSuffix)
		case 'p', 'P':
			b.WriteString(prefix)
		case 'i', 'I':
			b.WriteString(instance)
		default:
			b.WriteByte('%')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// parseTimespan parses a systemd.time(7) span: "30s", "1min 30s", "2h",
// "500ms", or a bare number of seconds.
func parseTimespan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty time span")
	}
	if s == "infinity" {
		return 0, fmt.Errorf("infinite time span")
	}
	units := []struct {
		names []string
		d     time.Duration
	}{
		{[]string{"usec", "us", "µs"}, time.Microsecond},
		{[]string{"msec", "ms"}, time.Millisecond},
		{[]string{"seconds", "second", "sec", "s"}, time.Second},
		{[]string{"minutes", "minute", "min", "m"}, time.Minute},
		{[]string{"hours", "hour", "hr", "h"}, time.Hour},
		{[]string{"days", "day", "d"}, 24 * time.Hour},
		{[]string{"weeks", "week", "w"}, 7 * 24 * time.Hour},
		{[]string{"months", "month", "M"}, 2629800 * time.Second},
		{[]string{"years", "year", "y"}, 31557600 * time.Second},
	}
	var total time.Duration
	rest := s
	for rest != "" {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			break
		}
		j := 0
		for j < len(rest) && (rest[j] >= '0' && rest[j] <= '9' || rest[j] == '.') {
			j++
		}
		if j == 0 {
			return 0, fmt.Errorf("invalid time span %q", s)
		}
		var n float64
		if _, err := fmt.Sscanf(rest[:j], "%g", &n); err != nil {
			return 0, fmt.Errorf("invalid time span %q", s)
		}
		rest = strings.TrimLeft(rest[j:], " \t")
		k := 0
		for k < len(rest) && (rest[k] < '0' || rest[k] > '9') && rest[k] != ' ' && rest[k] != '\t' {
			k++
		}
		unit := rest[:k]
		rest = rest[k:]
		mult := time.Second
		if unit != "" {
			found := false
			for _, u := range units {
				for _, name := range u.names {
					if unit == name {
						mult, found = u.d, true
					}
				}
			}
			if !found {
				return 0, fmt.Errorf("invalid time span %q", s)
			}
		}
		total += time.Duration(n * float64(mult))
	}
	return total, nil
}
