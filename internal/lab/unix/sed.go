package unix

import (
	"bufio"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// runSed is a small sed(1): -n, -e SCRIPT, -E/-r, and the commands s///
// (flags g, p, N), d, p and q, each with an optional address or range of
// addresses (N, $, /RE/). Other commands (and -i) are refused as the real
// sed refuses unknown ones.
func runSed(c *cmd) int {
	const use = "usage: sed script [-Ealnru] [-i extension] [file ...]\n\tsed [-Ealnu] [-i extension] [-e script] ... [-f script_file] ... [file ...]"
	o, args, code, ok := c.parse(optSpec{short: "nEre:", permute: true, long: map[string]longOpt{
		"quiet": {"n", noArg}, "silent": {"n", noArg}, "regexp-extended": {"E", noArg}, "expression": {"e", reqArg}, "help": {"help", noArg},
	}}, use, 1)
	if !ok {
		return code
	}
	scripts := o.all("e")
	if len(scripts) == 0 {
		if len(args) == 0 {
			if c.gnu {
				fmt.Fprintf(c.Stderr, "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n")
				return 1
			}
			return c.usage("", use, 1)
		}
		scripts, args = args[:1], args[1:]
	}
	ere := o.has("E") || o.has("r")
	var prog []sedCmd
	for i, s := range scripts {
		cmds, err := parseSed(s, ere)
		if err != nil {
			if c.gnu {
				c.errorf("-e expression #%d, char %d: %s", i+1, err.pos, err.msg)
			} else {
				c.errorf("%d: %q: %s", i+1, s, err.msg)
			}
			return 1
		}
		prog = append(prog, cmds...)
	}
	var lines []string
	rc := c.forEachLine(args, func(l string) { lines = append(lines, l) })
	w := bufio.NewWriter(c.Stdout)
	defer w.Flush()
	active := make([]bool, len(prog))
	for n, line := range lines {
		last := n == len(lines)-1
		deleted, quit := false, false
		for i := range prog {
			cmd := &prog[i]
			if !cmd.selects(n+1, last, line, &active[i]) {
				continue
			}
			switch cmd.op {
			case 'd':
				deleted = true
			case 'p':
				_, _ = w.WriteString(line + "\n")
			case 'q':
				quit = true
			case 's':
				var b []byte
				last, count, replaced := 0, 0, false
				for _, m := range cmd.re.FindAllStringSubmatchIndex(line, -1) {
					count++
					if (cmd.nth > 0 && count != cmd.nth) || (!cmd.global && cmd.nth == 0 && count > 1) {
						continue
					}
					b = append(b, line[last:m[0]]...)
					b = cmd.re.ExpandString(b, cmd.repl, line, m)
					last, replaced = m[1], true
				}
				if replaced {
					line = string(append(b, line[last:]...))
				}
				if replaced && cmd.print {
					_, _ = w.WriteString(line + "\n")
				}
			}
			if deleted || quit {
				break
			}
		}
		if !deleted && !o.has("n") {
			_, _ = w.WriteString(line + "\n")
		}
		if quit {
			break
		}
	}
	return rc
}

type sedCmd struct {
	addr1, addr2 *sedAddr
	op           byte
	re           *regexp.Regexp
	repl         string
	global       bool
	print        bool
	nth          int
}

type sedAddr struct {
	line int // 0: not a line address
	last bool
	re   *regexp.Regexp
}

func (a *sedAddr) match(n int, last bool, line string) bool {
	switch {
	case a.last:
		return last
	case a.re != nil:
		return a.re.MatchString(line)
	}
	return a.line == n
}

func (s *sedCmd) selects(n int, last bool, line string, active *bool) bool {
	if s.addr1 == nil {
		return true
	}
	if s.addr2 == nil {
		return s.addr1.match(n, last, line)
	}
	if *active {
		if s.addr2.match(n, last, line) || (s.addr2.line > 0 && n >= s.addr2.line) {
			*active = false
		}
		return true
	}
	if s.addr1.match(n, last, line) {
		*active = s.addr2.line <= 0 || s.addr2.line > n
		return true
	}
	return false
}

type sedError struct {
	pos int
	msg string
}

func parseSed(src string, ere bool) ([]sedCmd, *sedError) {
	var cmds []sedCmd
	i := 0
	fail := func(msg string) ([]sedCmd, *sedError) { return nil, &sedError{pos: i + 1, msg: msg} }
	compile := func(p string) (*regexp.Regexp, error) {
		var e string
		var err error
		if ere {
			e, err = translateERE(p)
		} else {
			e, err = translateBRE(p)
		}
		if err != nil {
			return nil, err
		}
		return regexp.Compile(e)
	}
	addr := func() (*sedAddr, *sedError) {
		switch {
		case i < len(src) && src[i] == '$':
			i++
			return &sedAddr{last: true}, nil
		case i < len(src) && src[i] >= '0' && src[i] <= '9':
			j := i
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(src[i:j])
			i = j
			return &sedAddr{line: n}, nil
		case i < len(src) && src[i] == '/':
			j := strings.IndexByte(src[i+1:], '/')
			if j < 0 {
				return nil, &sedError{pos: len(src), msg: "unterminated address regex"}
			}
			re, err := compile(src[i+1 : i+1+j])
			if err != nil {
				return nil, &sedError{pos: i + 1, msg: "invalid regular expression"}
			}
			i += j + 2
			return &sedAddr{re: re}, nil
		}
		return nil, nil
	}
	for i < len(src) {
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == ';') {
			i++
		}
		if i >= len(src) {
			break
		}
		var cmd sedCmd
		a1, err := addr()
		if err != nil {
			return nil, err
		}
		cmd.addr1 = a1
		if a1 != nil && i < len(src) && src[i] == ',' {
			i++
			a2, err := addr()
			if err != nil {
				return nil, err
			}
			if a2 == nil {
				return fail("unexpected `,'")
			}
			cmd.addr2 = a2
		}
		if i >= len(src) {
			return fail("missing command")
		}
		cmd.op = src[i]
		i++
		switch cmd.op {
		case 'd', 'p', 'q':
		case 's':
			if i >= len(src) {
				return fail("unterminated `s' command")
			}
			delim := src[i]
			i++
			var parts []string
			var cur strings.Builder
			for len(parts) < 2 {
				if i >= len(src) {
					return fail("unterminated `s' command")
				}
				ch := src[i]
				if ch == '\\' && i+1 < len(src) {
					if src[i+1] == delim {
						cur.WriteByte(delim)
					} else {
						cur.WriteByte('\\')
						cur.WriteByte(src[i+1])
					}
					i += 2
					continue
				}
				if ch == delim {
					parts = append(parts, cur.String())
					cur.Reset()
					i++
					continue
				}
				cur.WriteByte(ch)
				i++
			}
			re, cerr := compile(parts[0])
			if cerr != nil {
				return fail("invalid regular expression")
			}
			cmd.re = re
			cmd.repl = sedReplacement(parts[1])
			for i < len(src) && strings.IndexByte("gpI0123456789", src[i]) >= 0 {
				switch ch := src[i]; ch {
				case 'g':
					cmd.global = true
				case 'p':
					cmd.print = true
				case 'I':
					cmd.re = regexp.MustCompile("(?i)" + cmd.re.String())
				default:
					cmd.nth = cmd.nth*10 + int(ch-'0')
				}
				i++
			}
		default:
			return fail(fmt.Sprintf("unknown command: `%c'", cmd.op))
		}
		cmds = append(cmds, cmd)
	}
	return cmds, nil
}

// sedReplacement converts & and \N into Go's template syntax.
func sedReplacement(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\\' && i+1 < len(s):
			i++
			n := s[i]
			switch {
			case n >= '0' && n <= '9':
				b.WriteString("${" + string(n) + "}")
			case n == 'n':
				b.WriteByte('\n')
			case n == 't':
				b.WriteByte('\t')
			case n == '$':
				b.WriteString("$$")
			default:
				b.WriteByte(n)
			}
		case ch == '&':
			b.WriteString("${0}")
		case ch == '$':
			b.WriteString("$$")
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}
