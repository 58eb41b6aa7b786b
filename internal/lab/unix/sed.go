package unix

import (
	"bufio"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// runSed is a small sed(1): -n, -e SCRIPT, -E/-r, -i (in place), and the
// commands s/// (flags g, p, N), d, p and q, each with an optional address
// or range of addresses (N, $, /RE/). Other commands are refused as the
// real sed refuses unknown ones.
//
// -i follows each dialect's option syntax: FreeBSD's takes the backup
// extension as a separate or attached argument (an empty argument for
// none, "-i.bak", "-i .bak"; so "-i -e" makes "-e" the extension), GNU's only attached
// ("-i", "-i.bak", "--in-place=.bak"). Each file is then edited on its own
// (line numbers and $ restart), through a temporary file in its directory
// that takes the file's mode (and, for root, its owner) and is renamed over
// it; a backup is the original renamed.
func runSed(c *cmd) int {
	const use = "usage: sed script [-Ealnru] [-i extension] [file ...]\n\tsed [-Ealnu] [-i extension] [-e script] ... [-f script_file] ... [file ...]"
	spec := optSpec{short: "nEre:i:"}
	if c.gnu {
		spec = optSpec{short: "nEre:i::", permute: true, long: map[string]longOpt{
			"quiet": {"n", noArg}, "silent": {"n", noArg}, "regexp-extended": {"E", noArg}, "expression": {"e", reqArg},
			"in-place": {"i", optArg}, "help": {"help", noArg},
		}}
	}
	o, args, code, ok := c.parse(spec, use, 1)
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
	if suffix, inPlace := o.last("i"); inPlace {
		return c.sedInPlace(prog, o.has("n"), args, suffix)
	}
	var lines []string
	rc := c.forEachLine(args, func(l string) { lines = append(lines, l) })
	w := bufio.NewWriter(c.Stdout)
	defer w.Flush()
	sedRun(prog, lines, o.has("n"), w)
	return rc
}

// sedRun runs the program over one input's lines.
func sedRun(prog []sedCmd, lines []string, quiet bool, w *bufio.Writer) {
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
		if !deleted && !quiet {
			_, _ = w.WriteString(line + "\n")
		}
		if quit {
			break
		}
	}
}

// sedInPlace is sed -i over files, each edited on its own. GNU's failures
// are sed/execute.c's (a missing file: exit 2, the others 4), FreeBSD's
// usr.bin/sed/main.c's (exit 1).
func (c *cmd) sedInPlace(prog []sedCmd, quiet bool, files []string, suffix string) int {
	if len(files) == 0 {
		if c.gnu {
			c.errorf("no input files")
			return 4
		}
		c.errorf("-I or -i may not be used with stdin")
		return 1
	}
	rc := 0
	fail := func(gnuCode int) {
		if !c.gnu {
			gnuCode = 1
		}
		rc = max(rc, gnuCode)
	}
	for _, f := range files {
		fi, err := c.stat(f)
		if f == "" {
			err = pathError(f, syscall.ENOENT) // the working directory is not ""
		}
		if err != nil {
			if c.gnu {
				c.errorf("can't read %s: %s", f, errText(err))
			} else {
				c.pathErr(f, err)
			}
			fail(2)
			continue
		}
		if !fi.Mode.IsRegular() {
			if c.gnu {
				c.errorf("couldn't edit %s: not a regular file", f)
			} else {
				c.errorf("%s: in-place editing only works for regular files", f)
			}
			fail(4)
			continue
		}
		data, err := c.readAll(f, false)
		if err != nil {
			if c.gnu {
				c.errorf("can't read %s: %s", f, errText(err))
			} else {
				c.pathErr(f, err)
			}
			fail(2)
			continue
		}
		var b strings.Builder
		w := bufio.NewWriter(&b)
		sedRun(prog, splitLines(string(data)), quiet, w)
		_ = w.Flush()
		if !c.sedReplace(f, fi, b.String(), suffix) {
			fail(4)
		}
	}
	return rc
}

// sedReplace writes the edited text to a temporary file beside f with f's
// mode and owner, keeps the original as the backup when there is a
// suffix, and renames the temporary file over f.
func (c *cmd) sedReplace(f string, fi sim.FileInfo, text, suffix string) bool {
	dir, base := path.Split(c.abs(f))
	tmp := path.Join(dir, fmt.Sprintf(".!%d!%s", fakePID(), base)) // FreeBSD: "%s/.!%ld!%s" with the pid
	if c.gnu {
		tmp = path.Join(dir, "sed"+randomName(6))
	}
	t := c.tree()
	if err := t.WriteFile(c.User, tmp, []byte(text), 0o600); err != nil {
		if c.gnu {
			c.errorf("couldn't open temporary file %s: %s", tmp, errText(err))
		} else {
			c.pathErr(tmp, err)
		}
		return false
	}
	_ = t.Chmod(c.User, tmp, fi.Mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))
	if c.User.IsRoot() {
		_ = t.Chown(c.User, tmp, fi.Owner, fi.Group)
	} else {
		_ = t.Chown(c.User, tmp, "", fi.Group) // as fchown(2) lets the owner
	}
	if suffix != "" {
		backup := c.abs(f) + suffix
		if c.gnu && strings.Contains(suffix, "*") {
			backup = path.Join(dir, strings.ReplaceAll(suffix, "*", base))
		}
		if err := t.Rename(c.User, c.abs(f), backup); err != nil {
			_ = t.Remove(c.User, tmp)
			if c.gnu {
				c.errorf("cannot rename %s: %s", f, errText(err))
			} else {
				c.errorf("rename(): %s", errText(err))
			}
			return false
		}
	}
	if err := t.Rename(c.User, tmp, c.abs(f)); err != nil {
		_ = t.Remove(c.User, tmp)
		if c.gnu {
			c.errorf("cannot rename %s: %s", tmp, errText(err))
		} else {
			c.errorf("rename(): %s", errText(err))
		}
		return false
	}
	return true
}

// splitLines splits text into lines without their newlines, as
// forEachLine reads them.
func splitLines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
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
