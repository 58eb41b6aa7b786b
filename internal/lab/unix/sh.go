package unix

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// runSh is sh(1): "sh -c SCRIPT [ARG0 ARG...]", "sh [-n] FILE [ARG...]" and
// a script on stdin ("sh" or "sh -s"). The set options -e -u -x -f -v -a -C
// and "-o NAME" are passed to the interpreter; -n only checks the syntax.
func runSh(c *cmd) int {
	args := c.args()
	var sets []string
	var dashC, dashS, noexec bool
	i := 0
parse:
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-" {
			i++
			break
		}
		if len(a) < 2 || (a[0] != '-' && a[0] != '+') {
			break
		}
		for _, ch := range a[1:] {
			switch ch {
			case 'c':
				dashC = true
			case 's':
				dashS = true
			case 'n':
				noexec = true
			case 'e', 'u', 'x', 'f', 'v', 'a', 'C':
				sets = append(sets, string(a[0])+string(ch))
			case 'i', 'l', 'm', 'p', 'h', 'E', 'V', 'T', 'b', 'I', 'P':
				// Interactive, login and editing modes mean nothing here.
			case 'o':
				if i+1 >= len(args) {
					break parse
				}
				i++
				sets = append(sets, string(a[0])+"o "+args[i])
			default:
				if c.gnu {
					c.errorf("-%c: invalid option", ch)
					fmt.Fprintf(c.Stderr, "Usage:\t%s [GNU long option] [option] ...\n\t%s [GNU long option] [option] script-file ...\n", c.name, c.name)
				} else {
					c.errorf("Illegal option -%c", ch)
				}
				return 2
			}
		}
	}
	operands := args[i:]

	var script, file string
	var params []string
	switch {
	case dashC:
		if len(operands) == 0 {
			c.errorf("-c: option requires an argument")
			return 2
		}
		script = operands[0]
		params = operands[1:]
		if len(params) == 0 {
			// $0 is the name sh was invoked as: "/bin/sh: x: not found".
			params = []string{c.Args[0]}
		}
	case dashS || len(operands) == 0:
		data, err := io.ReadAll(c.Stdin)
		if err != nil {
			return 2
		}
		script = string(data)
		params = append([]string{c.name}, operands...)
	default:
		file = operands[0]
		data, err := c.readAll(file, false)
		if err != nil {
			if c.gnu {
				c.errorf("%s: %s", file, errText(err))
			} else {
				c.errorf("cannot open %s: %s", file, errText(err))
			}
			return 127
		}
		script = string(data)
		params = operands
	}

	if noexec {
		name := file
		if name == "" {
			name = c.name
		}
		if msg := c.syntaxError(script, name); msg != "" {
			fmt.Fprintln(c.Stderr, msg)
			return 2
		}
		return 0
	}
	if len(sets) > 0 {
		// On the first line, so that line numbers in messages stay right.
		script = "set " + strings.Join(sets, " ") + "; " + script
	}
	return c.Host.Shell(c.Proc, script, params)
}

// syntaxError parses script as the host's sh would and returns the message
// sh -n prints, or "". FreeBSD's sh says "NAME: LINE: Syntax error: TEXT",
// bash "NAME: line LINE: syntax error: TEXT"; the TEXT is the parser's own.
func (c *cmd) syntaxError(script, name string) string {
	lang := syntax.LangPOSIX
	if c.gnu {
		lang = syntax.LangBash
	}
	_, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(script), "")
	if err == nil {
		return ""
	}
	var pe syntax.ParseError
	var le syntax.LangError
	line, text := uint(1), err.Error()
	switch {
	case errors.As(err, &pe):
		line, text = pe.Pos.Line(), pe.Text
	case errors.As(err, &le):
		line = le.Pos.Line()
		text = strings.TrimPrefix(err.Error(), le.Pos.String()+": ")
	}
	if c.gnu {
		return fmt.Sprintf("%s: line %d: syntax error: %s", name, line, text)
	}
	return fmt.Sprintf("%s: %d: Syntax error: %s", name, line, text)
}

// runBuiltin runs echo, printf, test and [ as programs (for doas test -f X,
// env printf ...) through the interpreter's own builtins.
func runBuiltin(c *cmd) int {
	return c.Host.Shell(c.Proc, `builtin "$0" "$@"`, append([]string{c.name}, c.args()...))
}

func runTrue(*cmd) int  { return 0 }
func runFalse(*cmd) int { return 1 }

// runPwd prints the working directory (-L and -P agree: the tree keeps no
// logical path).
func runPwd(c *cmd) int {
	_, _, code, ok := c.parse(optSpec{short: "LP", long: map[string]longOpt{"logical": {"L", noArg}, "physical": {"P", noArg}, "help": {"help", noArg}}},
		"usage: pwd [-L | -P]", 1)
	if !ok {
		return code
	}
	dir := c.Dir
	if dir == "" {
		dir = "/"
	}
	c.out("%s\n", dir)
	return 0
}

// stdinBytes reads all of stdin.
func (c *cmd) stdinBytes() []byte {
	var b bytes.Buffer
	_, _ = io.Copy(&b, c.Stdin)
	return b.Bytes()
}
