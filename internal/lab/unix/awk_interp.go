package unix

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// awkInterp runs one parsed program.
type awkInterp struct {
	c      *cmd
	prog   *awkProgram
	vars   map[string]awkVal
	arrays map[string]map[string]awkVal
	fields []string // fields[0] is $0
	nf     int
	out    *bufio.Writer
}

type awkNext struct{}
type awkExit struct{ code int }
type awkError struct{ msg string }

func newAwkInterp(c *cmd, p *awkProgram) *awkInterp {
	in := &awkInterp{c: c, prog: p, vars: map[string]awkVal{}, arrays: map[string]map[string]awkVal{},
		fields: []string{""}, out: bufio.NewWriter(c.Stdout)}
	in.vars["FS"] = awkStr(" ")
	in.vars["OFS"] = awkStr(" ")
	in.vars["ORS"] = awkStr("\n")
	in.vars["RS"] = awkStr("\n")
	in.vars["NR"] = awkNum(0)
	in.vars["FNR"] = awkNum(0)
	in.vars["SUBSEP"] = awkStr("\x1c")
	in.vars["OFMT"] = awkStr("%.6g")
	in.vars["CONVFMT"] = awkStr("%.6g")
	return in
}

func (in *awkInterp) setVar(name string, v awkVal) { in.vars[name] = v }

// run executes BEGIN, the main items over every input, then END.
func (in *awkInterp) run(operands []string) (code int) {
	defer in.out.Flush()
	defer func() {
		if r := recover(); r != nil {
			switch e := r.(type) {
			case awkExit:
				code = e.code
			case awkError:
				in.out.Flush()
				in.c.errorf("%s", e.msg)
				code = 2
			default:
				panic(r)
			}
		}
	}()
	code = 0
	exitCode := -1
	runItems := func(kind string) {
		for _, it := range in.prog.items {
			if it.kind == kind {
				in.execBlock(it.body)
			}
		}
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				if e, ok := r.(awkExit); ok {
					exitCode = e.code
					return
				}
				panic(r)
			}
		}()
		runItems("BEGIN")
		hasMain := false
		for _, it := range in.prog.items {
			if it.kind != "BEGIN" {
				hasMain = true
			}
		}
		if !hasMain {
			return
		}
		files := 0
		for _, op := range operands {
			if k, v, ok := strings.Cut(op, "="); ok && awkName.MatchString(k) {
				in.vars[k] = awkStrnum(unescapeAwk(v))
				continue
			}
			files++
			r, err := in.c.open(op, true)
			if err != nil {
				in.out.Flush()
				in.c.errorf("can't open file %s", op)
				code = 2
				continue
			}
			in.vars["FILENAME"] = awkStr(op)
			in.readInput(r)
			r.Close()
		}
		if files == 0 {
			in.readInput(in.c.Stdin)
		}
	}()
	if exitCode >= 0 {
		code = exitCode
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				if e, ok := r.(awkExit); ok {
					code = e.code
					return
				}
				panic(r)
			}
		}()
		runItems("END")
	}()
	return code
}

func (in *awkInterp) readInput(r io.Reader) {
	if in.vars["RS"].str() != "\n" {
		panic(awkError{"unsupported program: RS other than a newline"})
	}
	in.vars["FNR"] = awkNum(0)
	br := bufio.NewReader(r)
	for {
		s, err := br.ReadString('\n')
		if s == "" && err != nil {
			return
		}
		in.vars["NR"] = awkNum(in.vars["NR"].num() + 1)
		in.vars["FNR"] = awkNum(in.vars["FNR"].num() + 1)
		in.setRecord(strings.TrimSuffix(s, "\n"))
		in.runMain()
		if err != nil {
			return
		}
	}
}

func (in *awkInterp) runMain() {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(awkNext); ok {
				return
			}
			panic(r)
		}
	}()
	for _, it := range in.prog.items {
		if it.kind != "main" {
			continue
		}
		if it.pattern != nil && !in.eval(it.pattern).truth() {
			continue
		}
		if it.body == nil {
			_, _ = in.out.WriteString(in.fields[0] + in.vars["ORS"].str())
			continue
		}
		in.execBlock(it.body)
	}
}

// setRecord sets $0 and splits it into fields.
func (in *awkInterp) setRecord(rec string) {
	parts := splitFields(rec, in.vars["FS"].str())
	in.fields = append([]string{rec}, parts...)
	in.nf = len(parts)
	in.vars["NF"] = awkNum(float64(in.nf))
}

// splitFields splits as awk does: FS " " splits on runs of blanks and
// newlines, one other character literally, anything longer as an ERE.
func splitFields(s, fs string) []string {
	switch {
	case fs == " ":
		return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
	case s == "":
		return nil
	case len(fs) == 1 && fs != "\\":
		return strings.Split(s, fs)
	}
	re, err := compileAwkRegex(fs)
	if err != nil {
		panic(awkError{err.Error()})
	}
	return re.Split(s, -1)
}

// rebuild joins the fields into $0 with OFS after a field assignment.
func (in *awkInterp) rebuild() {
	in.fields[0] = strings.Join(in.fields[1:in.nf+1], in.vars["OFS"].str())
}

func (in *awkInterp) getField(i int) awkVal {
	if i < 0 {
		panic(awkError{fmt.Sprintf("trying to access out of range field %d", i)})
	}
	if i == 0 {
		return awkStrnum(in.fields[0])
	}
	if i > in.nf {
		return awkStrnum("")
	}
	return awkStrnum(in.fields[i])
}

func (in *awkInterp) setField(i int, v string) {
	if i < 0 {
		panic(awkError{fmt.Sprintf("trying to access out of range field %d", i)})
	}
	if i == 0 {
		in.setRecord(v)
		return
	}
	for len(in.fields) <= i {
		in.fields = append(in.fields, "")
	}
	if i > in.nf {
		in.nf = i
		in.vars["NF"] = awkNum(float64(i))
	}
	in.fields[i] = v
	in.rebuild()
}

func (in *awkInterp) execBlock(b *sBlock) {
	for _, s := range b.list {
		in.exec(s)
	}
}

func (in *awkInterp) exec(s awkStmt) {
	switch s := s.(type) {
	case *sBlock:
		in.execBlock(s)
	case *sExpr:
		in.eval(s.x)
	case *sPrint:
		in.print(s)
	case *sIf:
		if in.eval(s.c).truth() {
			in.exec(s.then)
		} else if s.els != nil {
			in.exec(s.els)
		}
	case *sWhile:
		for in.eval(s.c).truth() {
			in.exec(s.body)
		}
	case *sFor:
		if s.init != nil {
			in.exec(s.init)
		}
		for s.c == nil || in.eval(s.c).truth() {
			in.exec(s.body)
			if s.post != nil {
				in.exec(s.post)
			}
		}
	case *sForIn:
		arr := in.array(s.arr)
		keys := make([]string, 0, len(arr))
		for k := range arr {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			in.vars[s.v] = awkStrnum(k)
			in.exec(s.body)
		}
	case *sNext:
		panic(awkNext{})
	case *sExit:
		code := 0
		if s.code != nil {
			code = int(in.eval(s.code).num())
		}
		panic(awkExit{code})
	case *sDelete:
		if s.keys == nil {
			in.arrays[s.arr] = map[string]awkVal{}
			return
		}
		delete(in.array(s.arr), in.key(s.keys))
	}
}

func (in *awkInterp) print(s *sPrint) {
	if s.printf {
		vals := make([]awkVal, len(s.args))
		for i, a := range s.args {
			vals[i] = in.eval(a)
		}
		_, _ = in.out.WriteString(awkSprintf(vals[0].str(), vals[1:]))
		return
	}
	if len(s.args) == 0 {
		_, _ = in.out.WriteString(in.fields[0] + in.vars["ORS"].str())
		return
	}
	parts := make([]string, len(s.args))
	for i, a := range s.args {
		v := in.eval(a)
		if v.kind == kNum && v.n != math.Trunc(v.n) {
			parts[i] = awkSprintf(in.vars["OFMT"].str(), []awkVal{v})
		} else {
			parts[i] = v.str()
		}
	}
	_, _ = in.out.WriteString(strings.Join(parts, in.vars["OFS"].str()) + in.vars["ORS"].str())
}

func (in *awkInterp) array(name string) map[string]awkVal {
	a, ok := in.arrays[name]
	if !ok {
		a = map[string]awkVal{}
		in.arrays[name] = a
	}
	return a
}

func (in *awkInterp) key(keys []awkExpr) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = in.eval(k).str()
	}
	return strings.Join(parts, in.vars["SUBSEP"].str())
}

func (in *awkInterp) load(lv awkExpr) awkVal {
	switch lv := lv.(type) {
	case *eVar:
		return in.vars[lv.name]
	case *eField:
		return in.getField(int(in.eval(lv.idx).num()))
	case *eIndex:
		return in.array(lv.name)[in.key(lv.keys)]
	}
	panic(awkError{"assignment to non-variable"})
}

func (in *awkInterp) store(lv awkExpr, v awkVal) {
	switch lv := lv.(type) {
	case *eVar:
		if lv.name == "NF" {
			n := int(v.num())
			for len(in.fields) <= n {
				in.fields = append(in.fields, "")
			}
			in.nf = n
			in.rebuild()
		}
		in.vars[lv.name] = v
	case *eField:
		in.setField(int(in.eval(lv.idx).num()), v.str())
	case *eIndex:
		in.array(lv.name)[in.key(lv.keys)] = v
	}
}

func (in *awkInterp) eval(e awkExpr) awkVal {
	switch e := e.(type) {
	case *eNum:
		return awkNum(e.v)
	case *eStr:
		return awkStr(e.v)
	case *eRegex:
		return boolVal(e.re.MatchString(in.fields[0]))
	case *eVar:
		return in.vars[e.name]
	case *eField:
		return in.getField(int(in.eval(e.idx).num()))
	case *eIndex:
		return in.array(e.name)[in.key(e.keys)]
	case *eGroup:
		if _, isList := e.x.([]awkExpr); !isList {
			return in.eval(e.x)
		}
		panic(awkError{"unsupported program: grouping list"})
	case *eIn:
		_, ok := in.array(e.arr)[in.key(e.keys)]
		return boolVal(ok)
	case *eCond:
		if in.eval(e.c).truth() {
			return in.eval(e.a)
		}
		return in.eval(e.b)
	case *eUnary:
		x := in.eval(e.x)
		switch e.op {
		case "!":
			return boolVal(!x.truth())
		case "-":
			return awkNum(-x.num())
		}
		return awkNum(x.num())
	case *eAssign:
		v := in.eval(e.rv)
		if e.op != "=" {
			v = awkNum(arith(e.op[:1], in.load(e.lv).num(), v.num()))
		} else if v.kind == kStrnum && !v.isNumeric() {
			v = awkStr(v.s)
		}
		in.store(e.lv, v)
		return v
	case *eIncr:
		old := in.load(e.lv).num()
		n := old + 1
		if e.op == "--" {
			n = old - 1
		}
		in.store(e.lv, awkNum(n))
		if e.pre {
			return awkNum(n)
		}
		return awkNum(old)
	case *eBinary:
		return in.binary(e)
	case *eCall:
		return in.call(e)
	}
	panic(awkError{fmt.Sprintf("unsupported program: expression %T", e)})
}

func boolVal(b bool) awkVal {
	if b {
		return awkNum(1)
	}
	return awkNum(0)
}

func arith(op string, a, b float64) float64 {
	switch op {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		if b == 0 {
			panic(awkError{"division by zero"})
		}
		return a / b
	case "%":
		if b == 0 {
			panic(awkError{"division by zero in %"})
		}
		return math.Mod(a, b)
	case "^":
		return math.Pow(a, b)
	}
	return 0
}

func (in *awkInterp) regexOf(e awkExpr) *regexp.Regexp {
	if r, ok := e.(*eRegex); ok {
		return r.re
	}
	re, err := compileAwkRegex(in.eval(e).str())
	if err != nil {
		panic(awkError{err.Error()})
	}
	return re
}

func (in *awkInterp) binary(e *eBinary) awkVal {
	switch e.op {
	case "&&":
		return boolVal(in.eval(e.l).truth() && in.eval(e.r).truth())
	case "||":
		return boolVal(in.eval(e.l).truth() || in.eval(e.r).truth())
	case "~", "!~":
		m := in.regexOf(e.r).MatchString(in.eval(e.l).str())
		return boolVal(m == (e.op == "~"))
	case " ":
		return awkStr(in.eval(e.l).str() + in.eval(e.r).str())
	case "+", "-", "*", "/", "%", "^":
		return awkNum(arith(e.op, in.eval(e.l).num(), in.eval(e.r).num()))
	}
	l, r := in.eval(e.l), in.eval(e.r)
	var c int
	if l.isNumeric() && r.isNumeric() {
		switch a, b := l.num(), r.num(); {
		case a < b:
			c = -1
		case a > b:
			c = 1
		}
	} else {
		c = strings.Compare(l.str(), r.str())
	}
	switch e.op {
	case "==":
		return boolVal(c == 0)
	case "!=":
		return boolVal(c != 0)
	case "<":
		return boolVal(c < 0)
	case "<=":
		return boolVal(c <= 0)
	case ">":
		return boolVal(c > 0)
	case ">=":
		return boolVal(c >= 0)
	}
	panic(awkError{"unsupported program: operator " + e.op})
}

func (in *awkInterp) call(e *eCall) awkVal {
	argc := len(e.args)
	need := func(lo, hi int) {
		if argc < lo || argc > hi {
			panic(awkError{fmt.Sprintf("unsupported program: %s with %d arguments", e.name, argc)})
		}
	}
	arg := func(i int) awkVal { return in.eval(e.args[i]) }
	switch e.name {
	case "length":
		need(0, 1)
		if argc == 0 {
			return awkNum(float64(utf8.RuneCountInString(in.fields[0])))
		}
		if v, ok := e.args[0].(*eVar); ok {
			if a, isArr := in.arrays[v.name]; isArr {
				return awkNum(float64(len(a)))
			}
		}
		return awkNum(float64(utf8.RuneCountInString(arg(0).str())))
	case "substr":
		need(2, 3)
		r := []rune(arg(0).str())
		start := math.Round(arg(1).num())
		end := math.Inf(1)
		if argc == 3 {
			end = start + math.Round(arg(2).num())
		}
		if start < 1 {
			start = 1
		}
		if end > float64(len(r)+1) {
			end = float64(len(r) + 1)
		}
		if end <= start {
			return awkStr("")
		}
		return awkStr(string(r[int(start)-1 : int(end)-1]))
	case "index":
		need(2, 2)
		i := strings.Index(arg(0).str(), arg(1).str())
		if i < 0 {
			return awkNum(0)
		}
		return awkNum(float64(utf8.RuneCountInString(arg(0).str()[:i]) + 1))
	case "split":
		need(2, 3)
		v, ok := e.args[1].(*eVar)
		if !ok {
			panic(awkError{"unsupported program: split target"})
		}
		var parts []string
		if argc == 3 {
			if r, isRe := e.args[2].(*eRegex); isRe {
				parts = r.re.Split(arg(0).str(), -1)
				if arg(0).str() == "" {
					parts = nil
				}
			} else {
				parts = splitFields(arg(0).str(), arg(2).str())
			}
		} else {
			parts = splitFields(arg(0).str(), in.vars["FS"].str())
		}
		a := map[string]awkVal{}
		for i, p := range parts {
			a[strconv.Itoa(i+1)] = awkStrnum(p)
		}
		in.arrays[v.name] = a
		return awkNum(float64(len(parts)))
	case "sub", "gsub":
		need(2, 3)
		re := in.regexOf(e.args[0])
		repl := arg(1).str()
		var target awkExpr = &eField{idx: &eNum{v: 0}}
		if argc == 3 {
			target = e.args[2]
			if !isLvalue(target) {
				panic(awkError{"unsupported program: " + e.name + " target"})
			}
		}
		src := in.load(target).str()
		n := 0
		out := re.ReplaceAllStringFunc(src, func(m string) string {
			n++
			if e.name == "sub" && n > 1 {
				return m
			}
			return awkReplacement(repl, m)
		})
		if e.name == "sub" && n > 1 {
			n = 1
		}
		if n > 0 {
			in.store(target, awkStr(out))
		}
		return awkNum(float64(n))
	case "match":
		need(2, 2)
		s := arg(0).str()
		loc := in.regexOf(e.args[1]).FindStringIndex(s)
		if loc == nil {
			in.vars["RSTART"], in.vars["RLENGTH"] = awkNum(0), awkNum(-1)
			return awkNum(0)
		}
		start := utf8.RuneCountInString(s[:loc[0]]) + 1
		in.vars["RSTART"] = awkNum(float64(start))
		in.vars["RLENGTH"] = awkNum(float64(utf8.RuneCountInString(s[loc[0]:loc[1]])))
		return awkNum(float64(start))
	case "tolower":
		need(1, 1)
		return awkStr(strings.ToLower(arg(0).str()))
	case "toupper":
		need(1, 1)
		return awkStr(strings.ToUpper(arg(0).str()))
	case "sprintf":
		need(1, 64)
		vals := make([]awkVal, argc)
		for i := range e.args {
			vals[i] = arg(i)
		}
		return awkStr(awkSprintf(vals[0].str(), vals[1:]))
	case "int":
		need(1, 1)
		return awkNum(math.Trunc(arg(0).num()))
	case "sqrt":
		need(1, 1)
		return awkNum(math.Sqrt(arg(0).num()))
	}
	panic(awkError{"unsupported program: function " + e.name})
}

// awkReplacement expands & (the match) and \& (a literal &) in sub/gsub.
func awkReplacement(repl, m string) string {
	var b strings.Builder
	for i := 0; i < len(repl); i++ {
		switch {
		case repl[i] == '\\' && i+1 < len(repl) && (repl[i+1] == '&' || repl[i+1] == '\\'):
			i++
			b.WriteByte(repl[i])
		case repl[i] == '&':
			b.WriteString(m)
		default:
			b.WriteByte(repl[i])
		}
	}
	return b.String()
}

// awkSprintf implements printf's conversions d i o x X u c s e E f F g G %.
func awkSprintf(format string, args []awkVal) string {
	var b strings.Builder
	ai := 0
	next := func() awkVal {
		if ai >= len(args) {
			return awkStr("")
		}
		ai++
		return args[ai-1]
	}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("-+ #0", format[j]) >= 0 {
			j++
		}
		spec := format[i+1 : j]
		for j < len(format) && (format[j] >= '0' && format[j] <= '9' || format[j] == '.' || format[j] == '*') {
			if format[j] == '*' {
				spec += strconv.Itoa(int(next().num()))
			} else {
				spec += string(format[j])
			}
			j++
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		verb := format[j]
		i = j
		switch verb {
		case '%':
			b.WriteByte('%')
		case 'd', 'i', 'u':
			fmt.Fprintf(&b, "%"+spec+"d", int64(next().num()))
		case 'o', 'x', 'X':
			fmt.Fprintf(&b, "%"+spec+string(verb), int64(next().num()))
		case 'c':
			v := next()
			s := v.str()
			if v.kind == kNum {
				s = string(rune(int(v.n)))
			} else if s != "" {
				r, _ := utf8.DecodeRuneInString(s)
				s = string(r)
			}
			fmt.Fprintf(&b, "%"+spec+"s", s)
		case 's':
			fmt.Fprintf(&b, "%"+spec+"s", next().str())
		case 'e', 'E', 'f', 'F', 'g', 'G':
			if verb == 'F' {
				verb = 'f'
			}
			fmt.Fprintf(&b, "%"+spec+string(verb), next().num())
		default:
			b.WriteString(format[i-len(spec)-1 : j+1])
		}
	}
	return b.String()
}
