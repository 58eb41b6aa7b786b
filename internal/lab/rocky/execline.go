package rocky

import (
	"fmt"
	"strings"
)

// execLine is one Exec*= setting split as systemd.service(5) "Command
// lines" describes: special prefixes, then words with C-style quoting.
type execLine struct {
	IgnoreFailure bool // "-" prefix
	Argv          []string
	Raw           string
}

// parseExecLine splits a command line; $VAR expands to several words and
// ${VAR} to one, from env. Specifiers were expanded at load time.
func parseExecLine(s string, env map[string]string) (execLine, error) {
	l := execLine{Raw: s}
	s = strings.TrimSpace(s)
	for len(s) > 0 && strings.ContainsRune("-@:+!", rune(s[0])) {
		if s[0] == '-' {
			l.IgnoreFailure = true
		}
		s = s[1:]
	}
	type word struct {
		text  string
		split bool // a lone $VAR: split on whitespace after expansion
	}
	var words []word
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		if s[i] == ';' && (i+1 == len(s) || s[i+1] == ' ') {
			return l, fmt.Errorf("multiple commands on one line are not supported")
		}
		var b strings.Builder
		quoted := false
		start := i
		for i < len(s) && s[i] != ' ' && s[i] != '\t' {
			c := s[i]
			switch {
			case c == '"' || c == '\'':
				quoted = true
				q := c
				i++
				for i < len(s) && s[i] != q {
					if s[i] == '\\' && i+1 < len(s) {
						i++
						b.WriteByte(unescape(s[i]))
					} else {
						b.WriteByte(s[i])
					}
					i++
				}
				if i >= len(s) {
					return l, fmt.Errorf("unbalanced quoting")
				}
				i++
			case c == '\\' && i+1 < len(s):
				i++
				b.WriteByte(unescape(s[i]))
				i++
			default:
				b.WriteByte(c)
				i++
			}
		}
		raw := s[start:i]
		isLoneVar := !quoted && strings.HasPrefix(raw, "$") && !strings.HasPrefix(raw, "${") && len(raw) > 1 && isVarName(raw[1:])
		words = append(words, word{text: b.String(), split: isLoneVar})
	}
	for _, w := range words {
		if w.split {
			v := env[w.text[1:]]
			l.Argv = append(l.Argv, strings.Fields(v)...)
			continue
		}
		l.Argv = append(l.Argv, expandBraced(w.text, env))
	}
	if len(l.Argv) == 0 {
		return l, fmt.Errorf("empty command line")
	}
	return l, nil
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	}
	return c
}

func isVarName(s string) bool {
	for i, c := range s {
		letter := c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		digit := i > 0 && c >= '0' && c <= '9'
		if !letter && !digit {
			return false
		}
	}
	return s != ""
}

func expandBraced(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '{' {
			if end := strings.IndexByte(s[i:], '}'); end > 0 {
				b.WriteString(env[s[i+2:i+end]])
				i += end
				continue
			}
		}
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseEnvironment reads Environment= values: space-separated, optionally
// quoted, VAR=VALUE assignments.
func parseEnvironment(values []string, env map[string]string) {
	for _, v := range values {
		l, err := parseExecLine(v, nil)
		if err != nil {
			continue
		}
		for _, a := range l.Argv {
			if k, val, ok := strings.Cut(a, "="); ok && isVarName(k) {
				env[k] = val
			}
		}
	}
}

// parseEnvironmentFile reads an EnvironmentFile= (KEY=VALUE lines, '#'
// comments, optional quotes).
func parseEnvironmentFile(text string, env map[string]string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(strings.TrimPrefix(k, "export "))
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		if isVarName(k) {
			env[k] = v
		}
	}
}

// exitStatusName is exit_status_to_string(status, LIBC|SYSTEMD) as status
// and show print it; full adds the LSB names, as the manager's log does.
func exitStatusName(status int, full bool) string {
	switch status {
	case 0:
		return "SUCCESS"
	case 1:
		return "FAILURE"
	case 200:
		return "CHDIR"
	case 203:
		return "EXEC"
	case 217:
		return "USER"
	}
	if full {
		switch status {
		case 2:
			return "INVALIDARGUMENT"
		case 3:
			return "NOTIMPLEMENTED"
		case 4:
			return "NOPERMISSION"
		case 5:
			return "NOTINSTALLED"
		case 6:
			return "NOTCONFIGURED"
		case 7:
			return "NOTRUNNING"
		}
	}
	return ""
}

func fmtExitStatus(status int, full bool) string {
	if n := exitStatusName(status, full); n != "" {
		return fmt.Sprintf("%d/%s", status, n)
	}
	if full {
		return fmt.Sprintf("%d/n/a", status)
	}
	return fmt.Sprintf("%d", status)
}
