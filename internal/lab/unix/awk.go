package unix

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// runAwk is a small awk. No maintained Go awk is available to the lab, so
// this interpreter covers the one-liners scripts use and refuses the rest
// with "awk: unsupported program: ..." and exit 2. The subset:
//
//   - options -F FS, -v NAME=VALUE, -f PROGFILE; NAME=VALUE operands
//   - items: BEGIN {...}, END {...}, PATTERN {...}, PATTERN alone (print $0), {...}
//   - patterns and expressions: /re/ (matches $0), ~ !~, == != < <= > >=
//     (numeric when both sides look numeric, else string), && || !, ?:,
//   - - * / % ^, unary - +, concatenation, ( ), $N and $expr, NR NF FNR FS
//     OFS ORS FILENAME, variables, associative arrays a[k] and (k in a),
//     ++ -- and = += -= *= /= %= ^= on variables, fields and elements
//   - statements: print [expr, ...], printf FMT, ..., if/else, while,
//     for (;;), for (k in a), next, exit [code], delete a[k] / delete a, { ... }
//   - functions: length, substr, index, split, sub, gsub, match, tolower,
//     toupper, sprintf, int, sqrt
//
// Not supported: getline, output redirection (print > FILE, | cmd), range
// patterns, user-defined functions, RS other than a newline, printf %c of
// multibyte text. Regular expressions are ERE run on Go's RE2.
func runAwk(c *cmd) int {
	args := c.args()
	var prog string
	haveProg := false
	var assigns []string
	fs := " "
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		opt, val := a[1], a[2:]
		if opt != 'F' && opt != 'v' && opt != 'f' {
			return c.awkUsage(fmt.Sprintf("unknown option %s ignored", a))
		}
		if val == "" {
			if i+1 >= len(args) {
				return c.awkUsage(fmt.Sprintf("no argument for -%c", opt))
			}
			i++
			val = args[i]
		}
		switch opt {
		case 'F':
			fs = val
			if fs == "t" {
				fs = "\t"
			}
		case 'v':
			assigns = append(assigns, val)
		case 'f':
			data, err := c.readAll(val, true)
			if err != nil {
				c.errorf("can't open file %s", val)
				return 2
			}
			prog += string(data) + "\n"
			haveProg = true
		}
	}
	if !haveProg {
		if i >= len(args) {
			return c.awkUsage("")
		}
		prog = args[i]
		i++
	}
	operands := args[i:]
	p, err := parseAwk(prog)
	if err != nil {
		c.errorf("unsupported program: %s", err)
		return 2
	}
	in := newAwkInterp(c, p)
	in.setVar("FS", awkStr(unescapeAwk(fs)))
	for _, a := range assigns {
		k, v, ok := strings.Cut(a, "=")
		if !ok || !awkName.MatchString(k) {
			c.errorf("invalid -v argument: %s", a)
			return 2
		}
		in.setVar(k, awkStrnum(unescapeAwk(v)))
	}
	return in.run(operands)
}

func (c *cmd) awkUsage(msg string) int {
	if msg != "" {
		c.errorf("%s", msg)
	}
	if c.gnu {
		fmt.Fprintf(c.Stderr, "Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\nUsage: awk [POSIX or GNU style options] [--] 'program' file ...\n")
	} else {
		fmt.Fprintf(c.Stderr, "usage: awk [-F fs][-v var=value][-safe][-version] [prog | -f progfile][file ...]\n")
	}
	return 2
}

var awkName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// unescapeAwk interprets the escapes of awk string constants and -v values.
func unescapeAwk(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			b.WriteString(awkEscape(s[i]))
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func awkEscape(ch byte) string {
	switch ch {
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case 'r':
		return "\r"
	case '\\':
		return `\`
	case '"':
		return `"`
	case '/':
		return "/"
	case 'a':
		return "\a"
	case 'b':
		return "\b"
	case 'f':
		return "\f"
	case 'v':
		return "\v"
	}
	return `\` + string(ch)
}

// ---- values ----

type awkKind int

const (
	kNum awkKind = iota
	kStr
	kStrnum // input-derived: numeric if it looks like a number
)

type awkVal struct {
	kind awkKind
	s    string
	n    float64
}

func awkNum(n float64) awkVal { return awkVal{kind: kNum, n: n} }
func awkStr(s string) awkVal  { return awkVal{kind: kStr, s: s} }
func awkStrnum(s string) awkVal {
	return awkVal{kind: kStrnum, s: s}
}

var looksNumeric = regexp.MustCompile(`^[ \t\n]*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)[ \t\n]*$`)

func (v awkVal) isNumeric() bool {
	switch v.kind {
	case kNum:
		return true
	case kStrnum:
		return looksNumeric.MatchString(v.s)
	}
	return false
}

func (v awkVal) num() float64 {
	if v.kind == kNum {
		return v.n
	}
	s := strings.TrimSpace(v.s)
	end := 0
	for end < len(s) {
		ch := s[end]
		if ch >= '0' && ch <= '9' || ch == '.' || (end == 0 && (ch == '-' || ch == '+')) ||
			((ch == 'e' || ch == 'E') && end > 0 && end+1 < len(s)) ||
			((ch == '-' || ch == '+') && end > 0 && (s[end-1] == 'e' || s[end-1] == 'E')) {
			end++
			continue
		}
		break
	}
	for end > 0 {
		if f, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return f
		}
		end--
	}
	return 0
}

func (v awkVal) str() string {
	if v.kind != kNum {
		return v.s
	}
	return fmtNum(v.n)
}

func fmtNum(n float64) string {
	if n == math.Trunc(n) && math.Abs(n) < 1e16 {
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatFloat(n, 'g', 6, 64)
}

func (v awkVal) truth() bool {
	switch v.kind {
	case kNum:
		return v.n != 0
	case kStrnum:
		if v.isNumeric() {
			return v.num() != 0
		}
	}
	return v.s != ""
}

// ---- lexer ----

type tokKind int

const (
	tEOF tokKind = iota
	tNewline
	tNum
	tStr
	tRegex
	tName
	tFunc // builtin function name
	tKeyword
	tPunct
)

type token struct {
	kind tokKind
	s    string
	n    float64
}

var awkKeywords = map[string]bool{
	"BEGIN": true, "END": true, "if": true, "else": true, "while": true, "for": true, "in": true, "do": true,
	"next": true, "exit": true, "print": true, "printf": true, "delete": true, "getline": true, "function": true,
	"func": true, "return": true, "break": true, "continue": true, "nextfile": true,
}

var awkBuiltins = map[string]bool{
	"length": true, "substr": true, "index": true, "split": true, "sub": true, "gsub": true, "match": true,
	"tolower": true, "toupper": true, "sprintf": true, "int": true, "sqrt": true,
}

func lexAwk(src string) ([]token, error) {
	var toks []token
	regexOK := func() bool {
		if len(toks) == 0 {
			return true
		}
		t := toks[len(toks)-1]
		switch t.kind {
		case tNum, tStr, tName, tRegex:
			return false
		case tFunc:
			return false
		case tPunct:
			return t.s != ")" && t.s != "]" && t.s != "$" && t.s != "++" && t.s != "--"
		}
		return true
	}
	for i := 0; i < len(src); {
		ch := src[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\r':
			i++
		case ch == '\\' && i+1 < len(src) && src[i+1] == '\n':
			i += 2
		case ch == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case ch == '\n' || ch == ';':
			if ch == ';' {
				toks = append(toks, token{kind: tPunct, s: ";"})
			} else {
				toks = append(toks, token{kind: tNewline})
			}
			i++
		case ch == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
					b.WriteString(awkEscape(src[j]))
					continue
				}
				if src[j] == '\n' {
					return nil, errors.New("newline in string")
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, errors.New("non-terminated string")
			}
			toks = append(toks, token{kind: tStr, s: b.String()})
			i = j + 1
		case ch == '/' && regexOK():
			var b strings.Builder
			j := i + 1
			inBracket := false
			for ; j < len(src); j++ {
				if src[j] == '\\' && j+1 < len(src) {
					if src[j+1] == '/' {
						b.WriteByte('/')
					} else {
						b.WriteByte('\\')
						b.WriteByte(src[j+1])
					}
					j++
					continue
				}
				if src[j] == '[' {
					inBracket = true
				} else if src[j] == ']' {
					inBracket = false
				} else if src[j] == '/' && !inBracket {
					break
				} else if src[j] == '\n' {
					return nil, errors.New("newline in regex")
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, errors.New("non-terminated regular expression")
			}
			toks = append(toks, token{kind: tRegex, s: b.String()})
			i = j + 1
		case ch >= '0' && ch <= '9' || ch == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k < len(src) && src[k] >= '0' && src[k] <= '9' {
					j = k
					for j < len(src) && src[j] >= '0' && src[j] <= '9' {
						j++
					}
				}
			}
			n, err := strconv.ParseFloat(src[i:j], 64)
			if err != nil {
				return nil, fmt.Errorf("bad number %s", src[i:j])
			}
			toks = append(toks, token{kind: tNum, n: n})
			i = j
		case ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z':
			j := i
			for j < len(src) && (src[j] == '_' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			w := src[i:j]
			switch {
			case awkKeywords[w]:
				toks = append(toks, token{kind: tKeyword, s: w})
			case awkBuiltins[w]:
				toks = append(toks, token{kind: tFunc, s: w})
			default:
				toks = append(toks, token{kind: tName, s: w})
			}
			i = j
		default:
			for _, op := range []string{"&&", "||", "==", "!=", "<=", ">=", "!~", "++", "--", "+=", "-=", "*=", "/=", "%=", "^=", ">>", "**"} {
				if strings.HasPrefix(src[i:], op) {
					toks = append(toks, token{kind: tPunct, s: op})
					i += len(op)
					goto next
				}
			}
			if strings.IndexByte("{}()[];,<>!~?:+-*/%^=$|", ch) < 0 {
				return nil, fmt.Errorf("unexpected character %q", ch)
			}
			toks = append(toks, token{kind: tPunct, s: string(ch)})
			i++
		next:
		}
	}
	return append(toks, token{kind: tEOF}), nil
}

// ---- AST ----

type awkExpr interface{}

type (
	eNum   struct{ v float64 }
	eStr   struct{ v string }
	eRegex struct{ re *regexp.Regexp }
	eVar   struct{ name string }
	eField struct{ idx awkExpr }
	eIndex struct {
		name string
		keys []awkExpr
	}
	eBinary struct {
		op   string
		l, r awkExpr
	}
	eUnary struct {
		op string
		x  awkExpr
	}
	eAssign struct {
		op     string
		lv, rv awkExpr
	}
	eIncr struct {
		op  string
		pre bool
		lv  awkExpr
	}
	eCond struct{ c, a, b awkExpr }
	eIn   struct {
		keys []awkExpr
		arr  string
	}
	eCall struct {
		name string
		args []awkExpr
	}
	eGroup struct{ x awkExpr }
)

type awkStmt interface{}

type (
	sExpr  struct{ x awkExpr }
	sPrint struct {
		printf bool
		args   []awkExpr
	}
	sIf struct {
		c         awkExpr
		then, els awkStmt
	}
	sWhile struct {
		c    awkExpr
		body awkStmt
	}
	sFor struct {
		init, post awkStmt
		c          awkExpr
		body       awkStmt
	}
	sForIn struct {
		v, arr string
		body   awkStmt
	}
	sBlock  struct{ list []awkStmt }
	sNext   struct{}
	sExit   struct{ code awkExpr }
	sDelete struct {
		arr  string
		keys []awkExpr
	}
)

type awkItem struct {
	kind    string // "BEGIN", "END", "main"
	pattern awkExpr
	body    *sBlock // nil: print $0
}

type awkProgram struct{ items []awkItem }

// ---- parser ----

type awkParser struct {
	toks []token
	pos  int
}

func parseAwk(src string) (*awkProgram, error) {
	toks, err := lexAwk(src)
	if err != nil {
		return nil, err
	}
	p := &awkParser{toks: toks}
	prog := &awkProgram{}
	defer func() {}()
	for {
		p.skipTerms()
		t := p.peek()
		if t.kind == tEOF {
			return prog, nil
		}
		var item awkItem
		switch {
		case t.kind == tKeyword && (t.s == "BEGIN" || t.s == "END"):
			p.pos++
			item.kind = t.s
			b, err := p.block()
			if err != nil {
				return nil, err
			}
			item.body = b
		case t.kind == tPunct && t.s == "{":
			item.kind = "main"
			b, err := p.block()
			if err != nil {
				return nil, err
			}
			item.body = b
		default:
			item.kind = "main"
			e, err := p.expr(false)
			if err != nil {
				return nil, err
			}
			if p.isPunct(",") {
				return nil, errors.New("range patterns")
			}
			item.pattern = e
			if p.isPunct("{") {
				b, err := p.block()
				if err != nil {
					return nil, err
				}
				item.body = b
			}
		}
		prog.items = append(prog.items, item)
	}
}

func (p *awkParser) peek() token { return p.toks[p.pos] }

func (p *awkParser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tPunct && t.s == s
}

func (p *awkParser) isKeyword(s string) bool {
	t := p.peek()
	return t.kind == tKeyword && t.s == s
}

func (p *awkParser) expect(s string) error {
	if !p.isPunct(s) {
		return fmt.Errorf("expected %q near %s", s, p.near())
	}
	p.pos++
	return nil
}

func (p *awkParser) near() string {
	t := p.peek()
	switch t.kind {
	case tEOF:
		return "end of program"
	case tNewline:
		return "newline"
	case tNum:
		return fmtNum(t.n)
	case tStr:
		return strconv.Quote(t.s)
	case tRegex:
		return "/" + t.s + "/"
	}
	return t.s
}

func (p *awkParser) skipNewlines() {
	for p.peek().kind == tNewline {
		p.pos++
	}
}

func (p *awkParser) skipTerms() {
	for p.peek().kind == tNewline || p.isPunct(";") {
		p.pos++
	}
}

func (p *awkParser) block() (*sBlock, error) {
	p.skipNewlines()
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	b := &sBlock{}
	for {
		p.skipTerms()
		if p.isPunct("}") {
			p.pos++
			return b, nil
		}
		if p.peek().kind == tEOF {
			return nil, errors.New("missing }")
		}
		s, err := p.stmt()
		if err != nil {
			return nil, err
		}
		b.list = append(b.list, s)
	}
}

// simpleEnd reports the end of a simple statement.
func (p *awkParser) simpleEnd() bool {
	t := p.peek()
	return t.kind == tNewline || t.kind == tEOF || (t.kind == tPunct && (t.s == ";" || t.s == "}"))
}

func (p *awkParser) stmt() (awkStmt, error) {
	t := p.peek()
	if t.kind == tPunct && t.s == "{" {
		return p.block()
	}
	if t.kind == tKeyword {
		switch t.s {
		case "if":
			p.pos++
			if err := p.expect("("); err != nil {
				return nil, err
			}
			c, err := p.expr(false)
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			p.skipNewlines()
			then, err := p.stmt()
			if err != nil {
				return nil, err
			}
			save := p.pos
			p.skipTerms()
			if p.isKeyword("else") {
				p.pos++
				p.skipNewlines()
				els, err := p.stmt()
				if err != nil {
					return nil, err
				}
				return &sIf{c: c, then: then, els: els}, nil
			}
			p.pos = save
			return &sIf{c: c, then: then}, nil
		case "while":
			p.pos++
			if err := p.expect("("); err != nil {
				return nil, err
			}
			c, err := p.expr(false)
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			p.skipNewlines()
			body, err := p.stmt()
			if err != nil {
				return nil, err
			}
			return &sWhile{c: c, body: body}, nil
		case "for":
			return p.forStmt()
		case "next":
			p.pos++
			return &sNext{}, nil
		case "exit":
			p.pos++
			if p.simpleEnd() {
				return &sExit{}, nil
			}
			e, err := p.expr(false)
			if err != nil {
				return nil, err
			}
			return &sExit{code: e}, nil
		case "print", "printf":
			p.pos++
			var args []awkExpr
			if p.isPunct(">") || p.isPunct(">>") || p.isPunct("|") {
				return nil, errors.New("output redirection")
			}
			if !p.simpleEnd() {
				var err error
				args, err = p.exprList(true)
				if err != nil {
					return nil, err
				}
				if len(args) == 1 {
					if g, ok := args[0].(*eGroup); ok {
						if l, ok := g.x.([]awkExpr); ok {
							args = l
						}
					}
				}
			}
			if p.isPunct(">") || p.isPunct(">>") || p.isPunct("|") {
				return nil, errors.New("output redirection")
			}
			if t.s == "printf" && len(args) == 0 {
				return nil, errors.New("printf: no format")
			}
			return &sPrint{printf: t.s == "printf", args: args}, nil
		case "delete":
			p.pos++
			n := p.peek()
			if n.kind != tName {
				return nil, fmt.Errorf("delete of %s", p.near())
			}
			p.pos++
			d := &sDelete{arr: n.s}
			if p.isPunct("[") {
				p.pos++
				keys, err := p.exprList(false)
				if err != nil {
					return nil, err
				}
				if err := p.expect("]"); err != nil {
					return nil, err
				}
				d.keys = keys
			}
			return d, nil
		default:
			return nil, fmt.Errorf("%s", t.s)
		}
	}
	e, err := p.expr(false)
	if err != nil {
		return nil, err
	}
	return &sExpr{x: e}, nil
}

func (p *awkParser) forStmt() (awkStmt, error) {
	p.pos++
	if err := p.expect("("); err != nil {
		return nil, err
	}
	// for (k in a)
	if p.peek().kind == tName && p.toks[p.pos+1].kind == tKeyword && p.toks[p.pos+1].s == "in" &&
		p.toks[p.pos+2].kind == tName && p.toks[p.pos+3].kind == tPunct && p.toks[p.pos+3].s == ")" {
		v, arr := p.peek().s, p.toks[p.pos+2].s
		p.pos += 4
		p.skipNewlines()
		body, err := p.stmt()
		if err != nil {
			return nil, err
		}
		return &sForIn{v: v, arr: arr, body: body}, nil
	}
	f := &sFor{}
	if !p.isPunct(";") {
		e, err := p.expr(false)
		if err != nil {
			return nil, err
		}
		f.init = &sExpr{x: e}
	}
	if err := p.expect(";"); err != nil {
		return nil, err
	}
	p.skipNewlines()
	if !p.isPunct(";") {
		e, err := p.expr(false)
		if err != nil {
			return nil, err
		}
		f.c = e
	}
	if err := p.expect(";"); err != nil {
		return nil, err
	}
	p.skipNewlines()
	if !p.isPunct(")") {
		e, err := p.expr(false)
		if err != nil {
			return nil, err
		}
		f.post = &sExpr{x: e}
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	p.skipNewlines()
	body, err := p.stmt()
	if err != nil {
		return nil, err
	}
	f.body = body
	return f, nil
}

func (p *awkParser) exprList(noGT bool) ([]awkExpr, error) {
	var out []awkExpr
	for {
		e, err := p.expr(noGT)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		if !p.isPunct(",") {
			return out, nil
		}
		p.pos++
		p.skipNewlines()
	}
}

// expr parses an expression; noGT makes '>' end it (print's redirection).
func (p *awkParser) expr(noGT bool) (awkExpr, error) { return p.ternary(noGT) }

func (p *awkParser) ternary(noGT bool) (awkExpr, error) {
	c, err := p.or(noGT)
	if err != nil {
		return nil, err
	}
	if p.isPunct("?") {
		p.pos++
		p.skipNewlines()
		a, err := p.ternary(noGT)
		if err != nil {
			return nil, err
		}
		p.skipNewlines()
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		p.skipNewlines()
		b, err := p.ternary(noGT)
		if err != nil {
			return nil, err
		}
		return &eCond{c: c, a: a, b: b}, nil
	}
	for _, op := range []string{"=", "+=", "-=", "*=", "/=", "%=", "^="} {
		if p.isPunct(op) {
			if !isLvalue(c) {
				return nil, fmt.Errorf("assignment to non-variable")
			}
			p.pos++
			p.skipNewlines()
			rv, err := p.ternary(noGT)
			if err != nil {
				return nil, err
			}
			return &eAssign{op: op, lv: c, rv: rv}, nil
		}
	}
	return c, nil
}

func isLvalue(e awkExpr) bool {
	switch e.(type) {
	case *eVar, *eField, *eIndex:
		return true
	}
	return false
}

func (p *awkParser) or(noGT bool) (awkExpr, error) {
	l, err := p.and(noGT)
	if err != nil {
		return nil, err
	}
	for p.isPunct("||") {
		p.pos++
		p.skipNewlines()
		r, err := p.and(noGT)
		if err != nil {
			return nil, err
		}
		l = &eBinary{op: "||", l: l, r: r}
	}
	return l, nil
}

func (p *awkParser) and(noGT bool) (awkExpr, error) {
	l, err := p.in(noGT)
	if err != nil {
		return nil, err
	}
	for p.isPunct("&&") {
		p.pos++
		p.skipNewlines()
		r, err := p.in(noGT)
		if err != nil {
			return nil, err
		}
		l = &eBinary{op: "&&", l: l, r: r}
	}
	return l, nil
}

func (p *awkParser) in(noGT bool) (awkExpr, error) {
	l, err := p.match(noGT)
	if err != nil {
		return nil, err
	}
	for p.isKeyword("in") {
		p.pos++
		t := p.peek()
		if t.kind != tName {
			return nil, fmt.Errorf("in: expected an array near %s", p.near())
		}
		p.pos++
		keys := []awkExpr{l}
		if g, ok := l.(*eGroup); ok {
			if list, ok := g.x.([]awkExpr); ok {
				keys = list
			}
		}
		l = &eIn{keys: keys, arr: t.s}
	}
	return l, nil
}

func (p *awkParser) match(noGT bool) (awkExpr, error) {
	l, err := p.compare(noGT)
	if err != nil {
		return nil, err
	}
	for p.isPunct("~") || p.isPunct("!~") {
		op := p.peek().s
		p.pos++
		r, err := p.compare(noGT)
		if err != nil {
			return nil, err
		}
		l = &eBinary{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *awkParser) compare(noGT bool) (awkExpr, error) {
	l, err := p.concat()
	if err != nil {
		return nil, err
	}
	for _, op := range []string{"==", "!=", "<=", ">=", "<", ">"} {
		if p.isPunct(op) && (!noGT || op != ">") {
			p.pos++
			r, err := p.concat()
			if err != nil {
				return nil, err
			}
			return &eBinary{op: op, l: l, r: r}, nil
		}
	}
	return l, nil
}

// startsOperand reports whether the next token can begin a concatenated operand.
func (p *awkParser) startsOperand() bool {
	t := p.peek()
	switch t.kind {
	case tNum, tStr, tRegex, tName, tFunc:
		return true
	case tPunct:
		return t.s == "$" || t.s == "(" || t.s == "!" || t.s == "++" || t.s == "--" || t.s == "-"
	}
	return false
}

func (p *awkParser) concat() (awkExpr, error) {
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	for p.startsOperand() && !p.isPunct("-") && !p.isPunct("!") {
		if p.isKeyword("in") {
			break
		}
		r, err := p.additive()
		if err != nil {
			return nil, err
		}
		l = &eBinary{op: " ", l: l, r: r}
	}
	return l, nil
}

func (p *awkParser) additive() (awkExpr, error) {
	l, err := p.multiplicative()
	if err != nil {
		return nil, err
	}
	for p.isPunct("+") || p.isPunct("-") {
		op := p.peek().s
		p.pos++
		r, err := p.multiplicative()
		if err != nil {
			return nil, err
		}
		l = &eBinary{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *awkParser) multiplicative() (awkExpr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.isPunct("*") || p.isPunct("/") || p.isPunct("%") {
		op := p.peek().s
		p.pos++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &eBinary{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *awkParser) unary() (awkExpr, error) {
	for _, op := range []string{"!", "-", "+"} {
		if p.isPunct(op) {
			p.pos++
			x, err := p.unary()
			if err != nil {
				return nil, err
			}
			return &eUnary{op: op, x: x}, nil
		}
	}
	return p.power()
}

func (p *awkParser) power() (awkExpr, error) {
	l, err := p.postfix()
	if err != nil {
		return nil, err
	}
	if p.isPunct("^") || p.isPunct("**") {
		p.pos++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &eBinary{op: "^", l: l, r: r}, nil
	}
	return l, nil
}

func (p *awkParser) postfix() (awkExpr, error) {
	if p.isPunct("++") || p.isPunct("--") {
		op := p.peek().s
		p.pos++
		lv, err := p.primary()
		if err != nil {
			return nil, err
		}
		if !isLvalue(lv) {
			return nil, fmt.Errorf("%s of non-variable", op)
		}
		return &eIncr{op: op, pre: true, lv: lv}, nil
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	if (p.isPunct("++") || p.isPunct("--")) && isLvalue(x) {
		op := p.peek().s
		p.pos++
		return &eIncr{op: op, lv: x}, nil
	}
	return x, nil
}

func (p *awkParser) primary() (awkExpr, error) {
	t := p.peek()
	switch t.kind {
	case tNum:
		p.pos++
		return &eNum{v: t.n}, nil
	case tStr:
		p.pos++
		return &eStr{v: t.s}, nil
	case tRegex:
		p.pos++
		re, err := compileAwkRegex(t.s)
		if err != nil {
			return nil, err
		}
		return &eRegex{re: re}, nil
	case tName:
		p.pos++
		if p.isPunct("[") {
			p.pos++
			keys, err := p.exprList(false)
			if err != nil {
				return nil, err
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			return &eIndex{name: t.s, keys: keys}, nil
		}
		if p.isPunct("(") {
			return nil, fmt.Errorf("user-defined function %s", t.s)
		}
		return &eVar{name: t.s}, nil
	case tFunc:
		p.pos++
		call := &eCall{name: t.s}
		if !p.isPunct("(") {
			if t.s == "length" {
				return call, nil
			}
			return nil, fmt.Errorf("%s without arguments", t.s)
		}
		p.pos++
		if !p.isPunct(")") {
			args, err := p.exprList(false)
			if err != nil {
				return nil, err
			}
			call.args = args
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return call, nil
	case tPunct:
		switch t.s {
		case "$":
			p.pos++
			x, err := p.postfixNoIncr()
			if err != nil {
				return nil, err
			}
			return &eField{idx: x}, nil
		case "(":
			p.pos++
			list, err := p.exprList(false)
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			if len(list) == 1 {
				return &eGroup{x: list[0]}, nil
			}
			return &eGroup{x: list}, nil
		}
	case tKeyword:
		return nil, fmt.Errorf("%s", t.s)
	}
	return nil, fmt.Errorf("syntax error near %s", p.near())
}

// postfixNoIncr parses the operand of $ (a primary, so $i++ increments the field).
func (p *awkParser) postfixNoIncr() (awkExpr, error) {
	if p.isPunct("-") {
		p.pos++
		x, err := p.primary()
		if err != nil {
			return nil, err
		}
		return &eUnary{op: "-", x: x}, nil
	}
	return p.primary()
}

func compileAwkRegex(s string) (*regexp.Regexp, error) {
	e, err := translateERE(s)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(e)
	if err != nil {
		return nil, fmt.Errorf("regular expression /%s/", s)
	}
	return re, nil
}
