package unix

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// runSeq is seq(1): FreeBSD's (usr.bin/seq, from NetBSD: doubles printed
// with %g, the separator after every number, first > last counting down by
// default) or GNU's (exact integers, the separator between numbers and a
// newline at the end, an empty sequence when first > last). Supported: seq
// LAST, seq FIRST LAST, seq FIRST INCR LAST, -s STRING and -w; FreeBSD's -t.
// Not supported: -f FORMAT.
func runSeq(c *cmd) int {
	if c.gnu {
		return gnuSeq(c)
	}
	return bsdSeq(c)
}

const bsdSeqUsage = "usage: seq [-w] [-f format] [-s string] [-t string] [first [incr]] last"

// seqOperands splits options from operands as both seqs do: an argument
// that reads as a number (negative ones included) is an operand, not an
// option.
func seqOperands(args []string, numeric func(string) bool) (flags, operands []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(operands, args[i+1:]...)
		case numeric(a) || len(a) < 2 || a[0] != '-':
			return flags, append(operands, args[i:]...)
		}
		flags = append(flags, a)
		// an option's argument travels with it
		switch a {
		case "-s", "-t", "-f", "--separator", "--terminator", "--format":
			if i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, operands
}

// bsdNumeric is seq.c's numeric(): sign, digits, one '.', an exponent.
func bsdNumeric(s string) bool {
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	dot := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
		case ch == '.' && !dot:
			dot = true
		case (ch == 'e' || ch == 'E') && i+1 < len(s) && (s[i+1] == '+' || s[i+1] == '-' || s[i+1] >= '0' && s[i+1] <= '9'):
			i++
		default:
			return false
		}
	}
	return true
}

func bsdSeq(c *cmd) int {
	flags, operands := seqOperands(c.args(), bsdNumeric)
	spec := optSpec{short: "f:hs:t:w", long: map[string]longOpt{
		"format": {"f", reqArg}, "separator": {"s", reqArg}, "terminator": {"t", reqArg}, "equal-width": {"w", noArg},
	}, bsdLong: true}
	o, rest, msg := parseOpts(false, spec, flags)
	if msg != "" {
		c.errorf("%s", msg)
	}
	if msg != "" || o.has("h") || o.has("f") || len(rest) > 0 || len(operands) < 1 || len(operands) > 3 {
		if o.has("f") && msg == "" {
			c.errorf("lab: -f is not emulated")
			return 1
		}
		fmt.Fprintln(c.Stderr, bsdSeqUsage)
		return 1
	}
	nums := make([]float64, len(operands))
	for i, a := range operands {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil {
			c.errorf("invalid floating point argument: %s", a)
			return 2
		}
		nums[i] = f + 0 // no negative zero
	}
	first, incr, last := 1.0, 0.0, nums[len(nums)-1]
	if len(nums) > 1 {
		first = nums[0]
	}
	if len(nums) > 2 {
		incr = nums[1]
		if incr == 0 {
			dir := "de"
			if first < last {
				dir = "in"
			}
			c.errorf("zero %screment", dir)
			return 1
		}
	}
	if incr == 0 {
		incr = 1
		if first > last {
			incr = -1
		}
	}
	switch {
	case incr <= 0 && first < last:
		c.errorf("needs positive increment")
		return 1
	case incr >= 0 && first > last:
		c.errorf("needs negative decrement")
		return 1
	}
	sep := unescapeSeq(optOr(o, "s", "\n"))
	format := bsdSeqFormat(first, incr, last, o.has("w"))
	var b strings.Builder
	cur, prev := first, 0.0
	for step := 1.0; (incr > 0 && cur <= last) || (incr < 0 && cur >= last); step++ {
		b.WriteString(format(cur))
		b.WriteString(sep)
		prev = cur
		cur = first + incr*step
	}
	// seq.c prints last when rounding made the loop stop just short of it
	if format(cur) == format(last) && format(cur) != format(prev) {
		b.WriteString(format(last))
		b.WriteString(sep)
	}
	if t, ok := o.last("t"); ok {
		b.WriteString(unescapeSeq(t))
	}
	c.out("%s", b.String())
	return 0
}

// optOr is the last value of option key, or def.
func optOr(o opts, key, def string) string {
	if v, ok := o.last(key); ok {
		return v
	}
	return def
}

// bsdSeqFormat is seq.c's generate_format: "%g", or with -w a zero-padded
// width (and precision) covering the first and the last number printed.
func bsdSeqFormat(first, incr, last float64, equal bool) func(float64) string {
	g := func(f float64) string { return fmt.Sprintf("%.6g", f) }
	if !equal {
		return g
	}
	if first > last {
		last = first - incr*math.Floor((first-last)/incr)
	} else {
		last = first + incr*math.Floor((last-first)/incr)
	}
	exp := false
	places := func(s string) int {
		if strings.ContainsRune(s, 'e') {
			exp = true
		}
		if _, frac, ok := strings.Cut(s, "."); ok {
			n := 0
			for n < len(frac) && frac[n] >= '0' && frac[n] <= '9' {
				n++
			}
			return n
		}
		return 0
	}
	precision := places(g(incr))
	w1 := len(g(first))
	p := places(g(first))
	if p > 0 {
		w1 -= p + 1
	}
	precision = max(precision, p)
	w2 := len(g(last))
	if p := places(g(last)); p > 0 {
		w2 -= p + 1
	}
	width := max(w1, w2)
	switch {
	case precision > 0 && exp:
		return func(f float64) string { return fmt.Sprintf("%0*.*e", width+1+precision, precision, f) }
	case precision > 0:
		return func(f float64) string { return fmt.Sprintf("%0*.*f", width+1+precision, precision, f) }
	case exp:
		return func(f float64) string { return fmt.Sprintf("%0*.6e", width, f) }
	}
	return func(f float64) string { return fmt.Sprintf("%0*.6g", width, f) }
}

// unescapeSeq is seq.c's unescape for the common C escapes.
func unescapeSeq(s string) string {
	r := strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\\`, `\`, `\r`, "\r", `\'`, "'", `\"`, `"`, `\a`, "\a", `\b`, "\b", `\f`, "\f", `\v`, "\v")
	return r.Replace(s)
}

// gnuNumeric is GNU seq's test for a negative number among the options:
// '-' followed by a digit or a '.'.
func gnuNumeric(s string) bool {
	return len(s) >= 2 && s[0] == '-' && (s[1] == '.' || s[1] >= '0' && s[1] <= '9')
}

func gnuSeq(c *cmd) int {
	flags, operands := seqOperands(c.args(), gnuNumeric)
	spec := optSpec{short: "f:s:w", long: map[string]longOpt{
		"format": {"f", reqArg}, "separator": {"s", reqArg}, "equal-width": {"w", noArg}, "help": {"help", noArg},
	}}
	o, rest, msg := parseOpts(true, spec, flags)
	if msg != "" {
		return c.usage(msg, "", 1)
	}
	if o.has("help") {
		c.out("Usage: seq [OPTION]... LAST\n  or:  seq [OPTION]... FIRST LAST\n  or:  seq [OPTION]... FIRST INCREMENT LAST\n")
		return 0
	}
	if o.has("f") {
		c.errorf("lab: -f is not emulated")
		return 1
	}
	operands = append(rest, operands...)
	switch {
	case len(operands) == 0:
		return c.usage("missing operand", "", 1)
	case len(operands) > 3:
		return c.usage("extra operand "+quote(operands[3]), "", 1)
	}
	type num struct {
		f      float64
		i      int64
		isInt  bool
		places int
		width  int
	}
	nums := make([]num, len(operands))
	allInt := true
	for k, a := range operands {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil || math.IsNaN(f) {
			return c.usage("invalid floating point argument: "+quote(a), "", 1)
		}
		n := num{f: f, width: len(a)}
		if i, err := strconv.ParseInt(strings.TrimPrefix(a, "+"), 10, 64); err == nil {
			n.i, n.isInt = i, true
		} else {
			allInt = false
			if _, frac, ok := strings.Cut(a, "."); ok && !strings.ContainsAny(a, "eE") {
				n.places = len(frac)
			}
		}
		nums[k] = n
	}
	first, step, last := num{f: 1, i: 1, isInt: true, width: 1}, num{f: 1, i: 1, isInt: true, width: 1}, nums[len(nums)-1]
	if len(nums) > 1 {
		first = nums[0]
	}
	if len(nums) > 2 {
		step = nums[1]
		if step.f == 0 {
			return c.usage("invalid Zero increment value: "+quote(operands[1]), "", 1)
		}
	}
	sep := optOr(o, "s", "\n")
	var items []string
	if allInt {
		for x := first.i; (step.i > 0 && x <= last.i) || (step.i < 0 && x >= last.i); x += step.i {
			items = append(items, strconv.FormatInt(x, 10))
			if (step.i > 0 && x > math.MaxInt64-step.i) || (step.i < 0 && x < math.MinInt64-step.i) {
				break
			}
		}
	} else {
		prec := max(first.places, step.places)
		for k := 0; ; k++ {
			x := first.f + float64(k)*step.f
			if (step.f > 0 && x > last.f) || (step.f < 0 && x < last.f) {
				break
			}
			items = append(items, strconv.FormatFloat(x, 'f', prec, 64))
		}
	}
	if len(items) == 0 {
		return 0
	}
	if o.has("w") {
		width := 0
		for _, s := range items {
			width = max(width, len(s))
		}
		for k, s := range items {
			neg := strings.HasPrefix(s, "-")
			digits := strings.TrimPrefix(s, "-")
			pad := strings.Repeat("0", width-len(s))
			if neg {
				items[k] = "-" + pad + digits
			} else {
				items[k] = pad + digits
			}
		}
	}
	c.out("%s\n", strings.Join(items, sep))
	return 0
}
