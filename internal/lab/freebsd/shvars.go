package freebsd

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// shVars is a table of shell variables: the environment in which rc.conf
// files and the headers of rc.d scripts are "sourced". Only assignments are
// evaluated (with the shell's own expansion rules); other commands are
// ignored, which is what sourcing these files amounts to in practice.
type shVars map[string]string

var _ expand.WriteEnviron = shVars(nil)

func (v shVars) Get(name string) expand.Variable {
	if strings.HasPrefix(name, "HOME ") {
		// Tilde expansion of ~user: never consult the machine's user database.
		return expand.Variable{Set: true, Kind: expand.String}
	}
	s, ok := v[name]
	if !ok {
		return expand.Variable{}
	}
	return expand.Variable{Set: true, Kind: expand.String, Str: s}
}

func (v shVars) Each(fn func(string, expand.Variable) bool) {
	for k, s := range v {
		if !fn(k, expand.Variable{Set: true, Kind: expand.String, Str: s}) {
			return
		}
	}
}

func (v shVars) Set(name string, vr expand.Variable) error {
	switch {
	case !vr.IsSet():
		delete(v, name)
	case vr.Kind == expand.KeepValue:
	default:
		v[name] = vr.String()
	}
	return nil
}

// names returns the variable names in the order sh's set(1) lists them.
func (v shVars) names() []string {
	out := make([]string, 0, len(v))
	for k := range v {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (v shVars) clone() shVars {
	out := make(shVars, len(v))
	for k, s := range v {
		out[k] = s
	}
	return out
}

// shSyntaxError is what FreeBSD's /bin/sh -n prints for a file it cannot parse.
type shSyntaxError struct {
	File string
	Line uint
	Text string
}

func (e *shSyntaxError) Error() string {
	return fmt.Sprintf("%s: %d: Syntax error: %s", e.File, e.Line, e.Text)
}

// parseSh parses data as a POSIX sh file, as `sh -n FILE` would check it.
func parseSh(name string, data []byte) (*syntax.File, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(bytes.NewReader(data), name)
	if err != nil {
		var pe syntax.ParseError
		if errors.As(err, &pe) {
			return nil, &shSyntaxError{File: name, Line: pe.Pos.Line(), Text: shErrText(pe.Text)}
		}
		var le syntax.LangError
		if errors.As(err, &le) {
			return nil, &shSyntaxError{File: name, Line: le.Pos.Line(), Text: le.Feature}
		}
		return nil, &shSyntaxError{File: name, Line: 1, Text: err.Error()}
	}
	sim.QuoteEscapes(f)
	return f, nil
}

// shErrText maps the parser's wording to FreeBSD sh's for the common cases.
func shErrText(s string) string {
	switch {
	case strings.Contains(s, "reached EOF without closing quote"):
		return "Unterminated quoted string"
	case strings.Contains(s, "reached EOF"):
		return "Unexpected end of file"
	}
	return s
}

// shEval sources sh files into vars: assignments are evaluated with the
// shell's expansion rules, "if" runs the branch whose test(1) condition holds,
// function definitions are recorded, and calls named in hooks (".",
// load_rc_config, ...) run when met. Other commands are ignored, which is
// what sourcing rc.conf files and rc.d script headers amounts to.
type shEval struct {
	vars  shVars
	funcs map[string]bool
	hooks map[string]func(args []string)
	// fileTest answers test(1)'s unary file operators (-r, -f, -e, -d, -s, -x).
	fileTest func(op, name string) bool
}

func newShEval(v shVars) *shEval {
	return &shEval{vars: v, funcs: map[string]bool{}, hooks: map[string]func([]string){}}
}

func (e *shEval) source(f *syntax.File) {
	for _, st := range f.Stmts {
		e.evalStmt(st)
	}
}

func (e *shEval) cfg() *expand.Config { return &expand.Config{Env: e.vars} }

func (e *shEval) words(ws []*syntax.Word) []string {
	cfg := e.cfg()
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		s, _ := expand.Literal(cfg, w)
		out = append(out, s)
	}
	return out
}

func (e *shEval) evalStmt(st *syntax.Stmt) {
	cfg := e.cfg()
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			for _, a := range c.Assigns {
				e.vars.assign(cfg, a)
			}
			return
		}
		cmd, _ := expand.Literal(cfg, c.Args[0])
		switch {
		case cmd == ":":
			// ": ${VAR:=default}" sets script defaults; expansion performs the assignment.
			for _, w := range c.Args[1:] {
				_, _ = expand.Literal(cfg, w)
			}
		case e.hooks[cmd] != nil:
			e.hooks[cmd](e.words(c.Args[1:]))
		}
	case *syntax.DeclClause:
		for _, a := range c.Args {
			if !a.Naked {
				e.vars.assign(cfg, a)
			}
		}
	case *syntax.FuncDecl:
		if c.Name != nil {
			e.funcs[c.Name.Value] = true
		}
	case *syntax.IfClause:
		for ic := c; ic != nil; ic = ic.Else {
			if len(ic.Cond) == 0 || e.cond(ic.Cond[len(ic.Cond)-1]) {
				for _, s := range ic.Then {
					e.evalStmt(s)
				}
				return
			}
		}
	case *syntax.Block:
		for _, s := range c.Stmts {
			e.evalStmt(s)
		}
	}
}

// cond evaluates a test(1) / [ condition; anything else counts as false.
func (e *shEval) cond(st *syntax.Stmt) bool {
	c, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(c.Args) == 0 {
		return false
	}
	args := e.words(c.Args)
	switch args[0] {
	case "[":
		if args[len(args)-1] != "]" {
			return false
		}
		args = args[1 : len(args)-1]
	case "test":
		args = args[1:]
	default:
		return false
	}
	r := e.test(args)
	if st.Negated {
		return !r
	}
	return r
}

func (e *shEval) test(a []string) bool {
	if len(a) > 0 && a[0] == "!" {
		return !e.test(a[1:])
	}
	switch len(a) {
	case 1:
		return a[0] != ""
	case 2:
		switch a[0] {
		case "-z":
			return a[1] == ""
		case "-n":
			return a[1] != ""
		}
		if e.fileTest != nil && len(a[0]) == 2 && a[0][0] == '-' {
			return e.fileTest(a[0], a[1])
		}
	case 3:
		switch a[1] {
		case "=", "==":
			return a[0] == a[2]
		case "!=":
			return a[0] != a[2]
		}
	}
	return false
}

func (v shVars) assign(cfg *expand.Config, a *syntax.Assign) {
	if a.Name == nil || a.Array != nil || a.Index != nil {
		return
	}
	val := ""
	if a.Value != nil {
		// A command substitution cannot run here: it yields "".
		val, _ = expand.Literal(cfg, a.Value)
	}
	if a.Append {
		val = v[a.Name.Value] + val
	}
	v[a.Name.Value] = val
}

// checkYesNo is rc.subr's checkyesno: (true, true) for yes, (false, true)
// for no, (false, false) for a value that is neither (a warning case).
func checkYesNo(val string) (yes, valid bool) {
	switch strings.ToLower(val) {
	case "yes", "true", "on", "1":
		return true, true
	case "no", "false", "off", "0":
		return false, true
	}
	return false, false
}
