package unix

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
)

// runGrep is grep(1) (and egrep, fgrep) with -E -F -G -e -f -i -v -x -w -c
// -n -l -L -q -s -h -H -o -m -r. Patterns run on Go's RE2 after translation
// from POSIX BRE/ERE (see translateBRE); back-references are refused as an
// invalid expression. Exit 0 when a line is selected, 1 when none, 2 on error.
func runGrep(c *cmd) int {
	const use = "usage: grep [-abcdDEFGHhIiLlmnOopqRSsUVvwxz] [-A num] [-B num] [-C[num]]\n" +
		"\t[-e pattern] [-f file] [--binary-files=value] [--color=when]\n" +
		"\t[--context[=num]] [--directories=action] [--label] [--line-buffered]\n" +
		"\t[--null] [pattern] [file ...]"
	o, args, code, ok := c.parse(optSpec{short: "EFGe:f:ivxwcnlLqshHom:rRyU", bsdLong: true, permute: true, long: map[string]longOpt{
		"extended-regexp": {"E", noArg}, "fixed-strings": {"F", noArg}, "basic-regexp": {"G", noArg},
		"regexp": {"e", reqArg}, "file": {"f", reqArg}, "ignore-case": {"i", noArg}, "invert-match": {"v", noArg},
		"line-regexp": {"x", noArg}, "word-regexp": {"w", noArg}, "count": {"c", noArg}, "line-number": {"n", noArg},
		"files-with-matches": {"l", noArg}, "files-without-match": {"L", noArg}, "quiet": {"q", noArg}, "silent": {"q", noArg},
		"no-messages": {"s", noArg}, "no-filename": {"h", noArg}, "with-filename": {"H", noArg}, "only-matching": {"o", noArg},
		"max-count": {"m", reqArg}, "recursive": {"r", noArg}, "help": {"help", noArg},
	}}, use, 2)
	if !ok {
		return code
	}
	mode := byte('G')
	switch c.name {
	case "egrep":
		mode = 'E'
	case "fgrep":
		mode = 'F'
	}
	var patterns []string
	havePattern := false
	for _, x := range o {
		switch x.key {
		case "E", "F", "G":
			mode = x.key[0]
		case "e":
			patterns = append(patterns, strings.Split(x.val, "\n")...)
			havePattern = true
		case "f":
			data, err := c.readAll(x.val, true)
			if err != nil {
				c.pathErr(x.val, err)
				return 2
			}
			s := strings.TrimSuffix(string(data), "\n")
			if s != "" {
				patterns = append(patterns, strings.Split(s, "\n")...)
			}
			havePattern = true
		}
	}
	if !havePattern {
		if len(args) == 0 {
			if c.gnu {
				fmt.Fprintf(c.Stderr, "Usage: %s [OPTION]... PATTERNS [FILE]...\n", c.name)
				fmt.Fprintf(c.Stderr, "Try '%s --help' for more information.\n", c.name)
				return 2
			}
			return c.usage("", use, 2)
		}
		patterns = strings.Split(args[0], "\n")
		args = args[1:]
	}
	m, err := newMatcher(patterns, mode, o.has("i") || o.has("y"), o.has("w"), o.has("x"))
	if err != nil {
		c.errorf("%s", err)
		return 2
	}
	g := grepper{c: c, m: m, o: o, maxCount: -1}
	if v, has := o.last("m"); has {
		if _, err := fmt.Sscan(v, &g.maxCount); err != nil {
			c.errorf("invalid max count")
			return 2
		}
	}
	recursive := o.has("r") || o.has("R")
	if len(args) == 0 {
		if recursive {
			args = []string{"."}
		} else {
			args = []string{"-"}
		}
	}
	g.showName = (len(args) > 1 || recursive || o.has("H")) && !o.has("h")
	for _, f := range args {
		if f == "-" {
			g.search(c.Stdin, "(standard input)")
			continue
		}
		fi, err := c.stat(f)
		if err == nil && fi.IsDir() {
			if recursive {
				g.walk(f)
				continue
			}
			if !o.has("s") {
				c.errorf("%s: Is a directory", f)
			}
			g.errors = true
			continue
		}
		r, err := c.open(f, false)
		if err != nil {
			if !o.has("s") {
				c.pathErr(f, err)
			}
			g.errors = true
			continue
		}
		g.search(r, f)
		r.Close()
		if g.done {
			break
		}
	}
	switch {
	case g.matched && o.has("q"):
		return 0
	case g.errors:
		return 2
	case g.matched:
		return 0
	}
	return 1
}

type grepper struct {
	c        *cmd
	m        *matcher
	o        opts
	maxCount int
	showName bool
	matched  bool
	errors   bool
	done     bool
}

func (g *grepper) walk(dir string) {
	entries, err := g.c.tree().ReadDir(g.c.User, g.c.abs(dir))
	if err != nil {
		if !g.o.has("s") {
			g.c.pathErr(dir, relabel(err, dir))
		}
		g.errors = true
		return
	}
	for _, e := range entries {
		p := path.Join(dir, e.Name)
		switch {
		case e.IsDir():
			g.walk(p)
		case e.Mode.IsRegular():
			r, err := g.c.open(p, false)
			if err != nil {
				if !g.o.has("s") {
					g.c.pathErr(p, err)
				}
				g.errors = true
				continue
			}
			g.search(r, p)
			r.Close()
		}
	}
}

func (g *grepper) search(r io.Reader, name string) {
	o := g.o
	invert, quiet := o.has("v"), o.has("q")
	count := 0
	br := bufio.NewReader(r)
	lineNo := 0
	for g.maxCount < 0 || count < g.maxCount {
		s, err := br.ReadString('\n')
		if s == "" && err != nil {
			break
		}
		lineNo++
		line := strings.TrimSuffix(s, "\n")
		hit := g.m.match(line) != invert
		if hit {
			count++
			g.matched = true
			if quiet {
				g.done = true
				return
			}
			if !o.has("c") && !o.has("l") && !o.has("L") {
				g.printLine(name, lineNo, line, invert)
			}
		}
		if err != nil {
			break
		}
	}
	switch {
	case o.has("l"):
		if count > 0 {
			g.c.out("%s\n", name)
		}
	case o.has("L"):
		if count == 0 {
			g.c.out("%s\n", name)
		}
	case o.has("c"):
		if g.showName {
			g.c.out("%s:%d\n", name, count)
		} else {
			g.c.out("%d\n", count)
		}
	}
}

func (g *grepper) printLine(name string, n int, line string, invert bool) {
	prefix := ""
	if g.showName {
		prefix = name + ":"
	}
	if g.o.has("n") {
		prefix += fmt.Sprintf("%d:", n)
	}
	if g.o.has("o") && !invert {
		for _, part := range g.m.parts(line) {
			if part != "" {
				g.c.out("%s%s\n", prefix, part)
			}
		}
		return
	}
	g.c.out("%s%s\n", prefix, line)
}

// matcher selects lines for one set of patterns.
type matcher struct {
	res  []*regexp.Regexp
	word bool // -w: the match is group 1
}

// newMatcher compiles grep patterns: mode 'G' (BRE), 'E' (ERE) or 'F' (fixed).
func newMatcher(patterns []string, mode byte, icase, word, whole bool) (*matcher, error) {
	m := &matcher{word: word && !whole}
	for _, p := range patterns {
		var expr string
		switch mode {
		case 'F':
			expr = regexp.QuoteMeta(p)
		case 'E':
			e, err := translateERE(p)
			if err != nil {
				return nil, err
			}
			expr = e
		default:
			e, err := translateBRE(p)
			if err != nil {
				return nil, err
			}
			expr = e
		}
		switch {
		case whole:
			expr = "^(?:" + expr + ")$"
		case word:
			expr = `(?:^|[^[:alnum:]_])(` + expr + `)(?:[^[:alnum:]_]|$)`
		}
		if icase {
			expr = "(?i)" + expr
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, errors.New("Invalid regular expression") //nolint:staticcheck // grep's own message
		}
		re.Longest()
		m.res = append(m.res, re)
	}
	return m, nil
}

func (m *matcher) match(line string) bool {
	for _, re := range m.res {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// parts returns what -o prints: the matched text (the word group for -w).
func (m *matcher) parts(line string) []string {
	var out []string
	for _, re := range m.res {
		for _, sm := range re.FindAllStringSubmatch(line, -1) {
			if m.word {
				out = append(out, sm[1])
			} else {
				out = append(out, sm[0])
			}
		}
	}
	return out
}

// translateBRE turns a POSIX basic regular expression (with GNU's \+ \? \|
// extensions) into Go syntax: \( \) \{ \} become groups and intervals, bare
// ( ) { } | + ? are literals, a leading * is literal.
func translateBRE(p string) (string, error) {
	var b strings.Builder
	atStart := true
	for i := 0; i < len(p); i++ {
		ch := p[i]
		switch {
		case ch == '\\' && i+1 < len(p):
			i++
			n := p[i]
			switch n {
			case '(', ')', '{', '}', '|', '+', '?':
				b.WriteByte(n)
				atStart = n == '(' || n == '|'
				continue
			case '<', '>':
				b.WriteString(`\b`)
			case 'w', 'W', 's', 'S', 'b', 'B':
				b.WriteByte('\\')
				b.WriteByte(n)
			case '1', '2', '3', '4', '5', '6', '7', '8', '9':
				return "", fmt.Errorf("back-references are not supported")
			default:
				b.WriteString(escapedLiteral(n))
			}
		case ch == '[':
			j, err := bracketEnd(p, i)
			if err != nil {
				return "", err
			}
			b.WriteString(bracket(p[i : j+1]))
			i = j
		case ch == '*' && atStart:
			b.WriteString(`\*`)
		case strings.IndexByte("(){}|+?", ch) >= 0:
			b.WriteByte('\\')
			b.WriteByte(ch)
		case ch == '^' && !atStart:
			b.WriteString(`\^`)
		case ch == '$' && i != len(p)-1 && !strings.HasPrefix(p[i+1:], `\)`) && !strings.HasPrefix(p[i+1:], `\|`):
			b.WriteString(`\$`)
		default:
			b.WriteByte(ch)
		}
		atStart = ch == '^' && atStart
	}
	return b.String(), nil
}

// translateERE adapts an extended regular expression: brackets are copied
// so POSIX classes survive, \< \> become \b, back-references are refused.
func translateERE(p string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		ch := p[i]
		switch {
		case ch == '\\' && i+1 < len(p):
			i++
			n := p[i]
			switch {
			case n == '<' || n == '>':
				b.WriteString(`\b`)
			case n >= '1' && n <= '9':
				return "", fmt.Errorf("back-references are not supported")
			case strings.IndexByte("wWsSbB", n) >= 0:
				b.WriteByte('\\')
				b.WriteByte(n)
			default:
				b.WriteString(escapedLiteral(n))
			}
		case ch == '[':
			j, err := bracketEnd(p, i)
			if err != nil {
				return "", err
			}
			b.WriteString(bracket(p[i : j+1]))
			i = j
		case ch == '{' && (i+1 >= len(p) || p[i+1] < '0' || p[i+1] > '9'):
			b.WriteString(`\{`)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String(), nil
}

// bracketEnd finds the ']' closing the bracket expression at p[i].
func bracketEnd(p string, i int) (int, error) {
	j := i + 1
	if j < len(p) && p[j] == '^' {
		j++
	}
	if j < len(p) && p[j] == ']' {
		j++
	}
	for j < len(p) {
		if p[j] == '[' && j+1 < len(p) && (p[j+1] == ':' || p[j+1] == '.' || p[j+1] == '=') {
			end := strings.Index(p[j+2:], string(p[j+1])+"]")
			if end < 0 {
				return 0, errors.New("Unmatched [, [^, [:, [., or [=") //nolint:staticcheck // grep's own message
			}
			j += end + 4
			continue
		}
		if p[j] == ']' {
			return j, nil
		}
		j++
	}
	return 0, errors.New("Unmatched [, [^, [:, [., or [=") //nolint:staticcheck // grep's own message
}

// bracket rewrites a POSIX bracket expression for RE2, where a backslash
// inside brackets is an escape rather than a literal.
func bracket(s string) string {
	inner := s[1 : len(s)-1]
	neg := ""
	if strings.HasPrefix(inner, "^") {
		neg, inner = "^", inner[1:]
	}
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		ch := inner[i]
		switch {
		case ch == '[' && i+1 < len(inner) && inner[i+1] == ':':
			end := strings.Index(inner[i:], ":]")
			b.WriteString(inner[i : i+end+2])
			i += end + 1
		case ch == '\\' || (ch == ']' && i == 0) || ch == '[':
			b.WriteByte('\\')
			b.WriteByte(ch)
		default:
			b.WriteByte(ch)
		}
	}
	return "[" + neg + b.String() + "]"
}

// escapedLiteral is the RE2 text for a backslash-escaped character: the
// control characters of \n \t \r \f \v, anything else literally.
func escapedLiteral(n byte) string {
	switch n {
	case 'n':
		return `\n`
	case 't':
		return `\t`
	case 'r':
		return `\r`
	case 'f':
		return `\f`
	case 'v':
		return `\v`
	}
	return regexp.QuoteMeta(string(n))
}
