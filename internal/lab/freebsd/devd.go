package freebsd

import (
	"context"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// devdConfDirs are read after /etc/devd.conf when its options block does not
// name others (the stock file names exactly these).
var devdConfDirs = []string{"/etc/devd", "/usr/local/etc/devd"}

// devdRule is one "notify N { match ...; action ...; };" statement.
type devdRule struct {
	Kind     string // notify, attach, detach, nomatch
	Priority int
	Matches  []devdMatch
	Actions  []string
}

type devdMatch struct {
	Key string
	RE  string // as written; "!" inverts
}

// devdEvent is a devctl notification: !system=CARP subsystem=1@re0 type=MASTER.
type devdEvent map[string]string

// parseDevdConf reads devd.conf(5) statements. Unknown statements are skipped.
func parseDevdConf(src string) ([]devdRule, []string, error) {
	toks, err := devdTokens(src)
	if err != nil {
		return nil, nil, err
	}
	var rules []devdRule
	var dirs []string
	i := 0
	next := func() string {
		if i >= len(toks) {
			return ""
		}
		i++
		return toks[i-1]
	}
	for i < len(toks) {
		kw := next()
		switch kw {
		case ";":
			continue
		case "options":
			if next() != "{" {
				return nil, nil, fmt.Errorf("syntax error near options")
			}
			for i < len(toks) && toks[i] != "}" {
				stmt := []string{}
				for i < len(toks) && toks[i] != ";" && toks[i] != "}" {
					stmt = append(stmt, next())
				}
				if i < len(toks) && toks[i] == ";" {
					next()
				}
				if len(stmt) == 2 && stmt[0] == "directory" {
					dirs = append(dirs, stmt[1])
				}
			}
			next() // }
		case "notify", "attach", "detach", "nomatch":
			prio, err := strconv.Atoi(next())
			if err != nil || next() != "{" {
				return nil, nil, fmt.Errorf("syntax error in %s statement", kw)
			}
			r := devdRule{Kind: kw, Priority: prio}
			for i < len(toks) && toks[i] != "}" {
				stmt := []string{}
				for i < len(toks) && toks[i] != ";" && toks[i] != "}" {
					stmt = append(stmt, next())
				}
				if i < len(toks) && toks[i] == ";" {
					next()
				}
				switch {
				case len(stmt) == 3 && stmt[0] == "match":
					r.Matches = append(r.Matches, devdMatch{Key: stmt[1], RE: stmt[2]})
				case len(stmt) == 2 && stmt[0] == "action":
					r.Actions = append(r.Actions, stmt[1])
				case len(stmt) == 2 && (stmt[0] == "device-name" || stmt[0] == "class" || stmt[0] == "subdevice" || stmt[0] == "media-type"):
					r.Matches = append(r.Matches, devdMatch{Key: stmt[0], RE: stmt[1]})
				}
			}
			next() // }
			rules = append(rules, r)
		default:
			// skip an unknown statement up to its terminating ";"
			depth := 0
			for i < len(toks) {
				t := next()
				if t == "{" {
					depth++
				} else if t == "}" {
					depth--
				} else if t == ";" && depth <= 0 {
					break
				}
			}
		}
	}
	return rules, dirs, nil
}

// devdTokens splits devd.conf into words, quoted strings, braces and semicolons;
// "#" and "//" start comments, /* */ too.
func devdTokens(src string) ([]string, error) {
	var toks []string
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '#' || strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return nil, fmt.Errorf("unterminated comment")
			}
			i += j + 4
		case c == '{' || c == '}' || c == ';':
			toks = append(toks, string(c))
			i++
		case c == '"':
			var b strings.Builder
			i++
			for i < len(src) && src[i] != '"' {
				if src[i] == '\\' && i+1 < len(src) && src[i+1] == '"' {
					i++
				}
				b.WriteByte(src[i])
				i++
			}
			if i >= len(src) {
				return nil, fmt.Errorf("unterminated string")
			}
			i++
			toks = append(toks, b.String())
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n{};\"", rune(src[j])) {
				j++
			}
			toks = append(toks, src[i:j])
			i = j
		}
	}
	return toks, nil
}

// matches applies the rule's matches: extended regexes, anchored ^...$,
// case-insensitive, "!" negating.
func (r devdRule) matches(ev devdEvent) bool {
	for _, m := range r.Matches {
		re, inv := m.RE, false
		if strings.HasPrefix(re, "!") {
			re, inv = re[1:], true
		}
		rx, err := regexp.Compile("(?i)^(?:" + expandDevdVars(re, ev) + ")$")
		if err != nil {
			return false
		}
		v, ok := ev[m.Key]
		if !ok {
			return false
		}
		if rx.MatchString(v) == inv {
			return false
		}
	}
	return true
}

var devdVarRE = regexp.MustCompile(`\$(\{[A-Za-z0-9_]+\}|[A-Za-z0-9_]+|\*|_)`)

// expandDevdVars substitutes $name and ${name} from the event.
func expandDevdVars(s string, ev devdEvent) string {
	return devdVarRE.ReplaceAllStringFunc(s, func(m string) string {
		return ev[strings.Trim(m[1:], "{}")]
	})
}

// devdLoadRules reads /etc/devd.conf and the *.conf files of the
// directories its options name, ordered by descending priority.
func devdLoadRules(v vfs) []devdRule {
	var rules []devdRule
	dirs := devdConfDirs
	if data, err := v.ReadFile("/etc/devd.conf"); err == nil {
		r, d, err := parseDevdConf(string(data))
		if err == nil {
			rules = append(rules, r...)
			if len(d) > 0 {
				dirs = d
			}
		}
	}
	for _, d := range dirs {
		list, err := v.ReadDir(d)
		if err != nil {
			continue
		}
		for _, f := range list {
			if !strings.HasSuffix(f.Name, ".conf") || !f.Mode.IsRegular() {
				continue
			}
			data, err := v.ReadFile(path.Join(d, f.Name))
			if err != nil {
				continue
			}
			if r, _, err := parseDevdConf(string(data)); err == nil {
				rules = append(rules, r...)
			}
		}
	}
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority > rules[j].Priority })
	return rules
}

// devdFirstMatch is config::find_and_execute: only the highest-priority
// matching statement runs.
func devdFirstMatch(rules []devdRule, kind string, ev devdEvent) *devdRule {
	for i := range rules {
		if rules[i].Kind == kind && rules[i].matches(ev) {
			return &rules[i]
		}
	}
	return nil
}

// devdDeliver is devd handling one notify event (process_event): $*, $_
// and $timestamp set, the configuration read (real devd reads it at start
// and on restart), the highest-priority matching rule's actions run
// through /bin/sh -c as root, output discarded, one after the other.
func devdDeliver(ctx context.Context, h *sim.Host, ev devdEvent) {
	if ctx == nil {
		ctx = context.Background()
	}
	line := "system=" + ev["system"] + " subsystem=" + ev["subsystem"] + " type=" + ev["type"]
	full := devdEvent{"*": "!" + line, "_": line}
	for k, v := range ev {
		full[k] = v
	}
	now := h.Now()
	full["timestamp"] = fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000)
	q := h.NewProc(ctx, rootUser(), strings.NewReader(""), io.Discard, io.Discard)
	q.Dir = "/"
	q.Env = []string{"HOME=/", "PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"}
	r := devdFirstMatch(devdLoadRules(treeFS{q}), "notify", full)
	if r == nil {
		return
	}
	for _, a := range r.Actions {
		h.Shell(q, expandDevdVars(a, full), []string{"sh"})
	}
}

// daemonRunning is check_pidfile PIDFILE PROCNAME.
func daemonRunning(p *sim.Proc, pidfile, procname string) bool {
	data, err := p.Host.Tree.ReadFile(rootUser(), pidfile)
	if err != nil {
		return false
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return false
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil {
		return false
	}
	t := loadProcs(p.Host)
	return t.pidAlive(pid, procname)
}
