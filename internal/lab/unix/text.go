package unix

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// openErr reports a file that cannot be opened for reading: FreeBSD's
// "head: X: strerror", GNU's "head: cannot open 'X' for reading: strerror".
func (c *cmd) openErr(name string, err error) {
	if c.gnu {
		c.errorf("cannot open %s for reading: %s", quote(name), errText(err))
		return
	}
	c.pathErr(name, err)
}

// obsoleteCount turns head/tail's historical "-5" into "-n 5".
func obsoleteCount(args []string) []string {
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && isNumber(args[0][1:]) {
		return append([]string{"-n", args[0][1:]}, args[1:]...)
	}
	return args
}

// runHead is head(1) with -n, -c, -q, -v.
func runHead(c *cmd) int {
	const use = "usage: head [-n lines | -c bytes] [file ...]"
	c.Args = append([]string{c.Args[0]}, obsoleteCount(c.args())...)
	o, files, code, ok := c.parse(optSpec{short: c.pick("n:c:qv", "n:c:qvz"), bsdLong: true, permute: true, long: map[string]longOpt{
		"lines": {"n", reqArg}, "bytes": {"c", reqArg}, "quiet": {"q", noArg}, "silent": {"q", noArg}, "verbose": {"v", noArg}, "help": {"help", noArg},
	}}, use, 1)
	if !ok {
		return code
	}
	lines, bytesN := int64(10), int64(-1)
	for _, x := range o {
		switch x.key {
		case "n", "c":
			n, err := strconv.ParseInt(strings.TrimPrefix(x.val, "+"), 10, 64)
			if err != nil || n < 0 {
				switch {
				case c.gnu && x.key == "n":
					c.errorf("invalid number of lines: %s", quote(x.val))
				case c.gnu:
					c.errorf("invalid number of bytes: %s", quote(x.val))
				case x.key == "n":
					c.errorf("illegal line count -- %s", x.val)
				default:
					c.errorf("illegal byte count -- %s", x.val)
				}
				return 1
			}
			if x.key == "n" {
				lines, bytesN = n, -1
			} else {
				bytesN = n
			}
		}
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	header := (len(files) > 1 && !o.has("q")) || o.has("v")
	rc := 0
	first := true
	for _, f := range files {
		r, err := c.open(f, true)
		if err != nil {
			c.openErr(f, err)
			rc = 1
			continue
		}
		if header {
			if !first {
				c.out("\n")
			}
			name := f
			if f == "-" {
				name = "standard input"
			}
			c.out("==> %s <==\n", name)
		}
		first = false
		if bytesN >= 0 {
			_, _ = io.CopyN(c.Stdout, r, bytesN)
		} else {
			br := bufio.NewReader(r)
			for i := int64(0); i < lines; i++ {
				s, err := br.ReadString('\n')
				_, _ = io.WriteString(c.Stdout, s)
				if err != nil {
					break
				}
			}
		}
		r.Close()
	}
	return rc
}

// runTail is tail(1) with -n [+]N, -c [+]N, -q, -v; -f and -F (which never
// end) are refused as unknown options.
func runTail(c *cmd) int {
	const use = "usage: tail [-F | -f | -r] [-q] [-b # | -c # | -n #] [file ...]"
	args := c.args()
	if len(args) > 0 && len(args[0]) > 1 && (args[0][0] == '-' || args[0][0] == '+') && isNumber(args[0][1:]) {
		n := args[0][1:]
		if args[0][0] == '+' {
			n = "+" + n
		}
		args = append([]string{"-n", n}, args[1:]...)
	}
	c.Args = append([]string{c.Args[0]}, args...)
	o, files, code, ok := c.parse(optSpec{short: "n:c:qv", bsdLong: true, permute: true, long: map[string]longOpt{
		"lines": {"n", reqArg}, "bytes": {"c", reqArg}, "quiet": {"q", noArg}, "silent": {"q", noArg}, "verbose": {"v", noArg}, "help": {"help", noArg},
	}}, use, 1)
	if !ok {
		return code
	}
	count, fromStart, byBytes := int64(10), false, false
	for _, x := range o {
		if x.key != "n" && x.key != "c" {
			continue
		}
		v := x.val
		from := strings.HasPrefix(v, "+")
		n, err := strconv.ParseInt(strings.TrimLeft(v, "+-"), 10, 64)
		if err != nil {
			if c.gnu {
				what := "lines"
				if x.key == "c" {
					what = "bytes"
				}
				c.errorf("invalid number of %s: %s", what, quote(v))
			} else {
				c.errorf("illegal offset -- %s", v)
			}
			return 1
		}
		count, fromStart, byBytes = n, from, x.key == "c"
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	header := (len(files) > 1 && !o.has("q")) || o.has("v")
	rc := 0
	first := true
	for _, f := range files {
		data, err := c.readAll(f, true)
		if err != nil {
			c.openErr(f, err)
			rc = 1
			continue
		}
		if header {
			if !first {
				c.out("\n")
			}
			name := f
			if f == "-" {
				name = "standard input"
			}
			c.out("==> %s <==\n", name)
		}
		first = false
		_, _ = c.Stdout.Write(tailOf(data, count, fromStart, byBytes))
	}
	return rc
}

// tailOf selects the tail of data: the last count lines or bytes, or from
// line/byte count (1-based) on when fromStart.
func tailOf(data []byte, count int64, fromStart, byBytes bool) []byte {
	if byBytes {
		if fromStart {
			if count <= 1 {
				return data
			}
			if count-1 >= int64(len(data)) {
				return nil
			}
			return data[count-1:]
		}
		if count >= int64(len(data)) {
			return data
		}
		return data[int64(len(data))-count:]
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	if fromStart {
		if count <= 1 {
			return data
		}
		if count-1 >= int64(len(lines)) {
			return nil
		}
		return bytes.Join(lines[count-1:], nil)
	}
	if count >= int64(len(lines)) {
		return data
	}
	return bytes.Join(lines[int64(len(lines))-count:], nil)
}

// forEachLine feeds every line (without its newline) of the inputs to fn;
// "-" or no file is stdin. It reports unreadable files and returns 1 for them.
func (c *cmd) forEachLine(files []string, fn func(line string)) int {
	if len(files) == 0 {
		files = []string{"-"}
	}
	rc := 0
	for _, f := range files {
		r, err := c.open(f, true)
		if err != nil {
			c.pathErr(f, err)
			rc = 1
			continue
		}
		br := bufio.NewReader(r)
		for {
			s, err := br.ReadString('\n')
			if s != "" {
				fn(strings.TrimSuffix(s, "\n"))
			}
			if err != nil {
				break
			}
		}
		r.Close()
	}
	return rc
}

// runCut is cut(1) with -f, -d, -s, -c and -b.
func runCut(c *cmd) int {
	const use = "usage: cut -b list [-n] [file ...]\n       cut -c list [file ...]\n       cut -f list [-s] [-w | -d delim] [file ...]"
	o, files, code, ok := c.parse(optSpec{short: "b:c:d:f:ns", permute: true, long: map[string]longOpt{
		"bytes": {"b", reqArg}, "characters": {"c", reqArg}, "delimiter": {"d", reqArg}, "fields": {"f", reqArg},
		"only-delimited": {"s", noArg}, "output-delimiter": {"output-delimiter", reqArg}, "help": {"help", noArg},
	}}, use, 1)
	if !ok {
		return code
	}
	mode, list := "", ""
	for _, k := range []string{"b", "c", "f"} {
		if v, has := o.last(k); has {
			if mode != "" {
				if c.gnu {
					return c.usage("only one type of list may be specified", "", 1)
				}
				return c.usage("", use, 1)
			}
			mode, list = k, v
		}
	}
	if mode == "" {
		if c.gnu {
			return c.usage("you must specify a list of bytes, characters, or fields", "", 1)
		}
		return c.usage("", use, 1)
	}
	ranges, ok := parseList(list)
	if !ok {
		if c.gnu {
			return c.usage(fmt.Sprintf("invalid field value %s", quote(list)), "", 1)
		}
		c.errorf("[-bcf] list: illegal list value")
		return 1
	}
	delim := "\t"
	if d, has := o.last("d"); has {
		if len(d) != 1 {
			if c.gnu {
				return c.usage("the delimiter must be a single character", "", 1)
			}
			c.errorf("bad delimiter")
			return 1
		}
		delim = d
	}
	outDelim := delim
	if d, has := o.last("output-delimiter"); has {
		outDelim = d
	}
	return c.forEachLine(files, func(line string) {
		if mode != "f" {
			var b strings.Builder
			for i := 0; i < len(line); i++ {
				if inList(ranges, i+1) {
					b.WriteByte(line[i])
				}
			}
			c.out("%s\n", b.String())
			return
		}
		if !strings.Contains(line, delim) {
			if !o.has("s") {
				c.out("%s\n", line)
			}
			return
		}
		fields := strings.Split(line, delim)
		var sel []string
		for i, f := range fields {
			if inList(ranges, i+1) {
				sel = append(sel, f)
			}
		}
		c.out("%s\n", strings.Join(sel, outDelim))
	})
}

type span struct{ lo, hi int } // hi 0 means open-ended

// parseList reads a cut list: "1", "1,3", "2-4", "-3", "5-".
func parseList(s string) ([]span, bool) {
	var out []span
	for _, part := range strings.Split(s, ",") {
		if part == "" {
			return nil, false
		}
		lo, hi, isRange := strings.Cut(part, "-")
		var sp span
		var err error
		switch {
		case !isRange:
			sp.lo, err = strconv.Atoi(lo)
			sp.hi = sp.lo
		case lo == "":
			sp.lo = 1
			sp.hi, err = strconv.Atoi(hi)
		case hi == "":
			sp.lo, err = strconv.Atoi(lo)
		default:
			sp.lo, err = strconv.Atoi(lo)
			if err == nil {
				sp.hi, err = strconv.Atoi(hi)
			}
		}
		if err != nil || sp.lo < 1 || (sp.hi != 0 && sp.hi < sp.lo) {
			return nil, false
		}
		out = append(out, sp)
	}
	return out, true
}

func inList(ranges []span, n int) bool {
	for _, r := range ranges {
		if n >= r.lo && (r.hi == 0 || n <= r.hi) {
			return true
		}
	}
	return false
}

// runTr is tr(1) with -d, -s, -c/-C and ranges, escapes and [:class:].
func runTr(c *cmd) int {
	const use = "usage: tr [-Ccsu] string1 string2\n       tr [-Ccu] -d string1\n       tr [-Ccu] -s string1\n       tr [-Ccu] -ds string1 string2"
	o, args, code, ok := c.parse(optSpec{short: "Ccdsu", long: map[string]longOpt{
		"complement": {"c", noArg}, "delete": {"d", noArg}, "squeeze-repeats": {"s", noArg}, "help": {"help", noArg},
	}}, use, 1)
	if !ok {
		return code
	}
	del, squeeze, compl := o.has("d"), o.has("s"), o.has("c") || o.has("C")
	need := 2
	if del && !squeeze || (squeeze && !del && len(args) == 1) {
		need = 1
	}
	if len(args) < need || len(args) > 2 || (del && !squeeze && len(args) != 1) {
		if c.gnu {
			if len(args) == 0 {
				return c.usage("missing operand", "", 1)
			}
			if len(args) > need {
				return c.usage("extra operand "+quote(args[need]), "", 1)
			}
			return c.usage("missing operand after "+quote(args[len(args)-1]), "", 1)
		}
		return c.usage("", use, 1)
	}
	set1 := expandSet(args[0])
	var set2 []byte
	if len(args) == 2 {
		set2 = expandSet(args[1])
	}
	in1 := [256]bool{}
	for _, b := range set1 {
		in1[b] = true
	}
	if compl {
		for i := range in1 {
			in1[i] = !in1[i]
		}
	}
	var mapping [256]int
	for i := range mapping {
		mapping[i] = -1
	}
	if !del && len(set2) > 0 {
		if compl {
			last := set2[len(set2)-1]
			for i := 0; i < 256; i++ {
				if in1[i] {
					mapping[i] = int(last)
				}
			}
		} else {
			for i, b := range set1 {
				t := set2[len(set2)-1]
				if i < len(set2) {
					t = set2[i]
				}
				mapping[b] = int(t)
			}
		}
	}
	sqSet := [256]bool{}
	if squeeze {
		src := set2
		if !del && len(set2) == 0 || del {
			src = nil
			if del {
				src = set2
			} else {
				for i := 0; i < 256; i++ {
					if in1[i] {
						src = append(src, byte(i))
					}
				}
			}
		}
		for _, b := range src {
			sqSet[b] = true
		}
	}
	data := c.stdinBytes()
	out := make([]byte, 0, len(data))
	prev := -1
	for _, b := range data {
		if del && in1[b] {
			continue
		}
		nb := b
		if mapping[b] >= 0 {
			nb = byte(mapping[b])
		}
		if squeeze && sqSet[nb] && prev == int(nb) {
			continue
		}
		out = append(out, nb)
		prev = int(nb)
	}
	_, _ = c.Stdout.Write(out)
	return 0
}

// expandSet expands a tr string: escapes, ranges a-z, [:class:].
func expandSet(s string) []byte {
	classes := map[string]func(b byte) bool{
		"alpha": func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' },
		"digit": func(b byte) bool { return b >= '0' && b <= '9' },
		"alnum": func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' },
		"upper": func(b byte) bool { return b >= 'A' && b <= 'Z' },
		"lower": func(b byte) bool { return b >= 'a' && b <= 'z' },
		"space": func(b byte) bool { return b == ' ' || b >= '\t' && b <= '\r' },
		"blank": func(b byte) bool { return b == ' ' || b == '\t' },
		"punct": func(b byte) bool {
			return b > ' ' && b < 127 && (b < 'a' || b > 'z') && (b < 'A' || b > 'Z') && (b < '0' || b > '9')
		},
		"xdigit": func(b byte) bool { return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F' },
		"cntrl":  func(b byte) bool { return b < ' ' || b == 127 },
		"print":  func(b byte) bool { return b >= ' ' && b < 127 },
		"graph":  func(b byte) bool { return b > ' ' && b < 127 },
	}
	var raw []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '[' && i+1 < len(s) && s[i+1] == ':' {
			if j := strings.Index(s[i+2:], ":]"); j >= 0 {
				if f, ok := classes[s[i+2:i+2+j]]; ok {
					for b := 0; b < 256; b++ {
						if f(byte(b)) {
							raw = append(raw, byte(b))
						}
					}
					i += j + 3
					continue
				}
			}
		}
		b := s[i]
		if b == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b = '\n'
			case 't':
				b = '\t'
			case 'r':
				b = '\r'
			case '\\':
				b = '\\'
			default:
				if s[i] >= '0' && s[i] <= '7' {
					n := 0
					k := 0
					for ; k < 3 && i+k < len(s) && s[i+k] >= '0' && s[i+k] <= '7'; k++ {
						n = n*8 + int(s[i+k]-'0')
					}
					i += k - 1
					b = byte(n)
				} else {
					b = s[i]
				}
			}
		}
		if i+2 < len(s) && s[i+1] == '-' {
			hi := s[i+2]
			if hi >= b {
				for x := int(b); x <= int(hi); x++ {
					raw = append(raw, byte(x))
				}
				i += 2
				continue
			}
		}
		raw = append(raw, b)
	}
	return raw
}

// runSort is sort(1) with -u, -n, -r, -f, -t SEP and -k N[,M].
func runSort(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: "fk:nrt:uo:", bsdLong: true, permute: true, long: map[string]longOpt{
		"ignore-case": {"f", noArg}, "key": {"k", reqArg}, "numeric-sort": {"n", noArg}, "reverse": {"r", noArg},
		"field-separator": {"t", reqArg}, "unique": {"u", noArg}, "output": {"o", reqArg}, "help": {"help", noArg},
	}}, "", 2)
	if !ok {
		return code
	}
	sep, hasSep := o.last("t")
	keyLo, keyHi := 0, 0
	if k, has := o.last("k"); has {
		lo, hi, _ := strings.Cut(k, ",")
		var err error
		if keyLo, err = strconv.Atoi(strings.TrimRight(lo, "bdfgiMhnRrV")); err != nil || keyLo < 1 {
			c.errorf("invalid number at field start: invalid count at start of %s", quote(k))
			return 2
		}
		if hi != "" {
			if keyHi, err = strconv.Atoi(strings.TrimRight(hi, "bdfgiMhnRrV")); err != nil {
				c.errorf("invalid number after ',': invalid count at start of %s", quote(hi))
				return 2
			}
		}
	}
	var lines []string
	if rc := c.forEachLine(files, func(l string) { lines = append(lines, l) }); rc != 0 {
		return 2
	}
	key := func(l string) string {
		if keyLo == 0 {
			return l
		}
		var fields []string
		if hasSep {
			fields = strings.Split(l, sep)
		} else {
			fields = strings.Fields(l)
		}
		if keyLo > len(fields) {
			return ""
		}
		hi := len(fields)
		if keyHi > 0 && keyHi < hi {
			hi = keyHi
		}
		j := " "
		if hasSep {
			j = sep
		}
		return strings.Join(fields[keyLo-1:hi], j)
	}
	numeric, fold, reverse := o.has("n"), o.has("f"), o.has("r")
	cmp := func(a, b string) int {
		ka, kb := key(a), key(b)
		if numeric {
			na, nb := leadingNumber(ka), leadingNumber(kb)
			if na != nb {
				if na < nb {
					return -1
				}
				return 1
			}
			return 0
		}
		if fold {
			ka, kb = strings.ToUpper(ka), strings.ToUpper(kb)
		}
		return strings.Compare(ka, kb)
	}
	sort.SliceStable(lines, func(i, j int) bool {
		r := cmp(lines[i], lines[j])
		if r == 0 && !o.has("u") {
			r = strings.Compare(lines[i], lines[j])
		}
		if reverse {
			return r > 0
		}
		return r < 0
	})
	var out []string
	for i, l := range lines {
		if o.has("u") && i > 0 && cmp(lines[i-1], l) == 0 {
			continue
		}
		out = append(out, l)
	}
	text := ""
	if len(out) > 0 {
		text = strings.Join(out, "\n") + "\n"
	}
	if dst, has := o.last("o"); has {
		w, err := c.create(dst, false)
		if err != nil {
			c.errorf("open failed: %s: %s", dst, errText(err))
			return 2
		}
		_, err = io.WriteString(w, text)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			c.errorf("write failed: %s: %s", dst, errText(err))
			return 2
		}
		return 0
	}
	c.out("%s", text)
	return 0
}

func leadingNumber(s string) float64 {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || (end == 0 && s[end] == '-')) {
		end++
	}
	f, _ := strconv.ParseFloat(s[:end], 64)
	return f
}

// runUniq is uniq(1) with -c, -d, -u, -i.
func runUniq(c *cmd) int {
	o, args, code, ok := c.parse(optSpec{short: "cdiu", bsdLong: true, permute: true, long: map[string]longOpt{
		"count": {"c", noArg}, "repeated": {"d", noArg}, "ignore-case": {"i", noArg}, "unique": {"u", noArg}, "help": {"help", noArg},
	}}, "usage: uniq [-c | -d | -D | -u] [-i] [-f fields] [-s chars] [input [output]]", 1)
	if !ok {
		return code
	}
	if len(args) > 2 {
		if c.gnu {
			return c.usage("extra operand "+quote(args[2]), "", 1)
		}
		return c.usage("", "usage: uniq [-c | -d | -D | -u] [-i] [-f fields] [-s chars] [input [output]]", 1)
	}
	var in []string
	if len(args) > 0 {
		in = args[:1]
	}
	var out bytes.Buffer
	var prev string
	n := 0
	flush := func() {
		if n == 0 {
			return
		}
		if (o.has("d") && n < 2) || (o.has("u") && n > 1) {
			return
		}
		if o.has("c") {
			if c.gnu {
				fmt.Fprintf(&out, "%7d %s\n", n, prev)
			} else {
				fmt.Fprintf(&out, "%4d %s\n", n, prev)
			}
			return
		}
		out.WriteString(prev + "\n")
	}
	same := func(a, b string) bool {
		if o.has("i") {
			return strings.EqualFold(a, b)
		}
		return a == b
	}
	rc := c.forEachLine(in, func(l string) {
		if n > 0 && same(prev, l) {
			n++
			return
		}
		flush()
		prev, n = l, 1
	})
	flush()
	if len(args) == 2 {
		w, err := c.create(args[1], false)
		if err != nil {
			c.pathErr(args[1], err)
			return 1
		}
		_, err = w.Write(out.Bytes())
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			c.pathErr(args[1], err)
			return 1
		}
		return rc
	}
	_, _ = c.Stdout.Write(out.Bytes())
	return rc
}

// runWc is wc(1) with -l, -w, -c, -m.
func runWc(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: "clmw", permute: true, long: map[string]longOpt{
		"bytes": {"c", noArg}, "chars": {"m", noArg}, "lines": {"l", noArg}, "words": {"w", noArg}, "help": {"help", noArg},
	}}, "usage: wc [-Lclmw] [file ...]", 1)
	if !ok {
		return code
	}
	show := map[string]bool{"l": o.has("l"), "w": o.has("w"), "c": o.has("c") || o.has("m")}
	if !show["l"] && !show["w"] && !show["c"] {
		show = map[string]bool{"l": true, "w": true, "c": true}
	}
	nshow := 0
	for _, v := range show {
		if v {
			nshow++
		}
	}
	type counts struct {
		l, w, c int64
		name    string
		regular bool
		failed  bool
	}
	var all []counts
	names := files
	if len(names) == 0 {
		names = []string{""}
	}
	rc := 0
	for _, f := range names {
		var r io.ReadCloser
		var err error
		regular := false
		if f == "" || f == "-" {
			r = io.NopCloser(c.Stdin)
		} else {
			if fi, serr := c.stat(f); serr == nil && fi.Mode.IsRegular() {
				regular = true
			}
			r, err = c.open(f, false)
		}
		if err != nil {
			c.pathErr(f, err)
			rc = 1
			all = append(all, counts{name: f, failed: true})
			continue
		}
		var k counts
		k.name, k.regular = f, regular
		br := bufio.NewReader(r)
		inWord := false
		for {
			b, err := br.ReadByte()
			if err != nil {
				break
			}
			k.c++
			if b == '\n' {
				k.l++
			}
			space := b == ' ' || b >= '\t' && b <= '\r'
			if !space && !inWord {
				k.w++
			}
			inWord = !space
		}
		r.Close()
		all = append(all, k)
	}
	width := 7
	if c.gnu {
		// coreutils' compute_number_width: regular files size the columns;
		// one count of one input needs no padding.
		width = 1
		if (len(names) != 1 || nshow != 1) && len(all) > 0 && !all[0].failed {
			minw := 1
			var total int64
			for _, k := range all {
				if k.failed {
					continue
				}
				if k.regular {
					total += k.c
				} else {
					minw = 7
				}
			}
			for ; total >= 10; total /= 10 {
				width++
			}
			if width < minw {
				width = minw
			}
		}
	}
	line := func(k counts) string {
		var parts []string
		for _, x := range []struct {
			key string
			n   int64
		}{{"l", k.l}, {"w", k.w}, {"c", k.c}} {
			if show[x.key] {
				if c.gnu {
					parts = append(parts, fmt.Sprintf("%*d", width, x.n))
				} else {
					parts = append(parts, fmt.Sprintf(" %7d", x.n))
				}
			}
		}
		sep := " "
		if !c.gnu {
			sep = ""
		}
		s := strings.Join(parts, sep)
		if k.name != "" {
			s += " " + k.name
		}
		return s
	}
	var tot counts
	for _, k := range all {
		if k.failed {
			continue
		}
		c.out("%s\n", line(k))
		tot.l += k.l
		tot.w += k.w
		tot.c += k.c
	}
	if len(files) > 1 {
		tot.name = "total"
		c.out("%s\n", line(tot))
	}
	return rc
}

// runTee is tee(1) with -a and -i.
func runTee(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: "ai", permute: true, long: map[string]longOpt{
		"append": {"a", noArg}, "ignore-interrupts": {"i", noArg}, "help": {"help", noArg},
	}}, "usage: tee [-ai] [file ...]", 1)
	if !ok {
		return code
	}
	rc := 0
	writers := []io.Writer{c.Stdout}
	var closers []io.Closer
	var names []string
	for _, f := range files {
		w, err := c.create(f, o.has("a"))
		if err != nil {
			c.pathErr(f, err)
			rc = 1
			continue
		}
		writers = append(writers, w)
		closers = append(closers, w)
		names = append(names, f)
	}
	data := c.stdinBytes()
	for _, w := range writers {
		_, _ = w.Write(data)
	}
	for i, cl := range closers {
		if err := cl.Close(); err != nil {
			c.pathErr(names[i], err)
			rc = 1
		}
	}
	return rc
}
