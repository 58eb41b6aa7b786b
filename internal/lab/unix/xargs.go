package unix

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// runXargs is xargs(1), the part scripts use (the article's "ifconfig -l |
// xargs -n1"): -n NUMBER, -L NUMBER, -0, -r, -t, -I REPLSTR; the utility
// defaults to echo. Arguments are the input's blank-separated words, with
// '...' and "..." quoting and backslash escapes (FreeBSD usr.bin/xargs,
// findutils); with -0, NUL-separated. An empty input runs nothing on
// FreeBSD; GNU runs the utility once unless -r. The utility's stdin is
// /dev/null. Exit status: 127 utility not found, 126 not executable; GNU
// 123 when an invocation failed with 1–125, FreeBSD 1.
func runXargs(c *cmd) int {
	bsdUsage := "usage: xargs [-0opt] [-E eofstr] [-I replstr [-R replacements] [-S replsize]]\n" +
		"             [-J replstr] [-L number] [-n number [-x]] [-P maxprocs]\n" +
		"             [-s size] [utility [argument ...]]"
	o, operands, code, ok := c.parse(optSpec{short: "0n:L:rtI:", long: map[string]longOpt{
		"null": {"0", noArg}, "max-args": {"n", reqArg}, "max-lines": {"L", reqArg},
		"no-run-if-empty": {"r", noArg}, "verbose": {"t", noArg}, "replace": {"I", reqArg},
	}}, bsdUsage, 1)
	if !ok {
		return code
	}
	perRun, perLine := 0, 0
	for _, k := range []string{"n", "L"} {
		v, has := o.last(k)
		if !has {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			if c.gnu {
				c.errorf("invalid number %s for -%s option", quote(v), k)
				return 1
			}
			c.errorf("%s: illegal number", v)
			return 1
		}
		if k == "n" {
			perRun = n
		} else {
			perLine = n
		}
	}
	repl, hasRepl := o.last("I")
	if hasRepl {
		perLine = 1
	}
	utility := operands
	if len(utility) == 0 {
		utility = []string{"echo"}
		if !c.gnu {
			utility = []string{"/bin/echo"}
		}
	}
	data, err := io.ReadAll(c.Stdin)
	if err != nil {
		c.errorf("%s", err)
		return 1
	}
	var groups [][]string
	if o.has("0") {
		var words []string
		for _, w := range strings.Split(string(data), "\x00") {
			if w != "" {
				words = append(words, w)
			}
		}
		groups = chunk(words, max(perRun, 0))
	} else if perLine > 0 {
		var lines [][]string
		for _, line := range strings.Split(string(data), "\n") {
			if w := xargsWords(line); len(w) > 0 {
				lines = append(lines, w)
			}
		}
		for i := 0; i < len(lines); i += perLine {
			var g []string
			for _, l := range lines[i:min(i+perLine, len(lines))] {
				g = append(g, l...)
			}
			groups = append(groups, g)
		}
	} else {
		groups = chunk(xargsWords(string(data)), perRun)
	}
	if len(groups) == 0 && c.gnu && !o.has("r") && !hasRepl {
		groups = [][]string{nil}
	}
	status := 0
	for _, g := range groups {
		argv := append([]string(nil), utility...)
		if hasRepl {
			line := strings.Join(g, " ")
			for i := range argv {
				argv[i] = strings.ReplaceAll(argv[i], repl, line)
			}
		} else {
			argv = append(argv, g...)
		}
		if o.has("t") {
			fmt.Fprintln(c.Stderr, strings.Join(argv, " "))
		}
		if _, found := c.lookPath(argv[0], c.User, c.Env); !found {
			c.errorf("%s: No such file or directory", argv[0])
			return 127
		}
		p := *c.Proc
		p.Stdin = strings.NewReader("")
		switch rc := c.Host.Exec(&p, argv); {
		case rc == 255:
			c.errorf("%s: exited with status 255; aborting", argv[0])
			return 124
		case rc == 126 || rc == 127:
			return rc
		case rc != 0 && c.gnu:
			status = 123
		case rc != 0:
			status = 1
		}
	}
	return status
}

// chunk splits words into runs of n (all in one when n is 0).
func chunk(words []string, n int) [][]string {
	if len(words) == 0 {
		return nil
	}
	if n <= 0 {
		return [][]string{words}
	}
	var out [][]string
	for i := 0; i < len(words); i += n {
		out = append(out, words[i:min(i+n, len(words))])
	}
	return out
}

// xargsWords splits input as xargs reads it: blanks separate, quotes group,
// a backslash takes the next character.
func xargsWords(s string) []string {
	var words []string
	var b strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			} else {
				b.WriteByte(ch)
			}
		case ch == '\'' || ch == '"':
			quote, inWord = ch, true
		case ch == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
			inWord = true
		case ch == ' ' || ch == '\t' || ch == '\n':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteByte(ch)
			inWord = true
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words
}
