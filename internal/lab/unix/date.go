package unix

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// strftime renders the C-locale conversions of strftime(3) that scripts use.
// An unknown conversion is copied through, as both libcs do.
func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 >= len(format) {
			b.WriteByte(format[i])
			continue
		}
		i++
		// GNU's padding modifiers: %-d (no pad), %_d (space pad).
		padMod := byte(0)
		if (format[i] == '-' || format[i] == '_') && i+1 < len(format) {
			padMod = format[i]
			i++
		}
		num := func(v, width int, padc byte) {
			s := strconv.Itoa(v)
			switch padMod {
			case '-':
				b.WriteString(s)
				return
			case '_':
				padc = ' '
			}
			for len(s) < width {
				s = string(padc) + s
			}
			b.WriteString(s)
		}
		switch format[i] {
		case 'Y':
			num(t.Year(), 4, '0')
		case 'C':
			num(t.Year()/100, 2, '0')
		case 'y':
			num(t.Year()%100, 2, '0')
		case 'm':
			num(int(t.Month()), 2, '0')
		case 'd':
			num(t.Day(), 2, '0')
		case 'e':
			num(t.Day(), 2, ' ')
		case 'H':
			num(t.Hour(), 2, '0')
		case 'I':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			num(h, 2, '0')
		case 'k':
			num(t.Hour(), 2, ' ')
		case 'l':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			num(h, 2, ' ')
		case 'M':
			num(t.Minute(), 2, '0')
		case 'S':
			num(t.Second(), 2, '0')
		case 'j':
			num(t.YearDay(), 3, '0')
		case 'u':
			w := int(t.Weekday())
			if w == 0 {
				w = 7
			}
			num(w, 1, '0')
		case 'w':
			num(int(t.Weekday()), 1, '0')
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case 'N':
			fmt.Fprintf(&b, "%09d", t.Nanosecond())
		case 'a':
			b.WriteString(t.Weekday().String()[:3])
		case 'A':
			b.WriteString(t.Weekday().String())
		case 'b', 'h':
			b.WriteString(t.Month().String()[:3])
		case 'B':
			b.WriteString(t.Month().String())
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'Z':
			name, _ := t.Zone()
			b.WriteString(name)
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 'F':
			b.WriteString(strftime("%Y-%m-%d", t))
		case 'T':
			b.WriteString(strftime("%H:%M:%S", t))
		case 'R':
			b.WriteString(strftime("%H:%M", t))
		case 'D':
			b.WriteString(strftime("%m/%d/%y", t))
		case 'r':
			b.WriteString(strftime("%I:%M:%S %p", t))
		case 'c':
			b.WriteString(strftime("%a %b %e %H:%M:%S %Y", t))
		case 'x':
			b.WriteString(strftime("%m/%d/%y", t))
		case 'X':
			b.WriteString(strftime("%H:%M:%S", t))
		case '+':
			b.WriteString(strftime("%a %b %e %H:%M:%S %Z %Y", t))
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			if padMod != 0 {
				b.WriteByte(padMod)
			}
			b.WriteByte(format[i])
		}
	}
	return b.String()
}

// runDate is date(1): +FORMAT, -u, -r (FreeBSD: seconds or a file; GNU: a
// file), GNU's -d @SECONDS, and -I[date|hours|minutes|seconds]. The hosts
// run on UTC. Setting the clock is not simulated.
func runDate(c *cmd) int {
	const use = "usage: date [-jnRu] [-I[date|hours|minutes|seconds|ns]] [-f input_fmt]\n" +
		"            [ -z output_zone ] [-r filename|seconds] [-v[+|-]val[y|m|w|d|H|M|S]]\n" +
		"            [[[[mm]dd]HH]MM[[cc]yy][.SS] | new_date_fmt] [+output_fmt]"
	var spec optSpec
	if c.gnu {
		spec = optSpec{short: "d:r:uRI::", permute: true, long: map[string]longOpt{
			"date": {"d", reqArg}, "reference": {"r", reqArg}, "utc": {"u", noArg}, "universal": {"u", noArg},
			"rfc-email": {"R", noArg}, "iso-8601": {"I", optArg}, "help": {"help", noArg},
		}}
	} else {
		spec = optSpec{short: "r:uRI::"}
	}
	// Both accept -I with an attached optional argument ("-Iseconds").
	o, args, code, ok := c.parseDateOpts(spec, use)
	if !ok {
		return code
	}
	t := c.Host.Now().UTC()
	if r, has := o.last("r"); has {
		if n, err := strconv.ParseInt(r, 10, 64); err == nil && !c.gnu {
			t = time.Unix(n, 0).UTC()
		} else {
			fi, err := c.stat(r)
			if err != nil {
				if c.gnu {
					c.errorf("%s: %s", r, errText(err))
				} else {
					c.errorf("%s: %s", r, errText(err))
				}
				return 1
			}
			t = fi.ModTime.UTC()
		}
	}
	if d, has := o.last("d"); has {
		n, err := strconv.ParseInt(strings.TrimPrefix(d, "@"), 10, 64)
		if !strings.HasPrefix(d, "@") || err != nil {
			c.errorf("invalid date %s", quote(d))
			return 1
		}
		t = time.Unix(n, 0).UTC()
	}
	format := "%a %b %e %H:%M:%S %Z %Y"
	if o.has("R") {
		format = "%a, %d %b %Y %H:%M:%S %z"
	}
	if iso, has := o.last("I"); has {
		switch iso {
		case "", "date":
			format = "%Y-%m-%d"
		case "hours":
			format = "%Y-%m-%dT%H%:z"
		case "minutes":
			format = "%Y-%m-%dT%H:%M%:z"
		case "seconds":
			format = "%Y-%m-%dT%H:%M:%S%:z"
		default:
			if c.gnu {
				c.errorf("invalid argument %s for '--iso-8601'", quote(iso))
				return 1
			}
			c.errorf("invalid argument '%s' for -I", iso)
			return 1
		}
	}
	for _, a := range args {
		if strings.HasPrefix(a, "+") {
			format = a[1:]
			continue
		}
		if c.gnu {
			c.errorf("invalid date %s", quote(a))
		} else {
			c.errorf("settimeofday (timeval): Operation not permitted")
		}
		return 1
	}
	out := strftime(strings.ReplaceAll(format, "%:z", "+00:00"), t)
	c.out("%s\n", out)
	return 0
}

// parseDateOpts handles -I's optional attached argument, which getopt(3)
// strings cannot express.
func (c *cmd) parseDateOpts(spec optSpec, use string) (opts, []string, int, bool) {
	var pre opts
	var rest []string
	for i, a := range c.args() {
		if a == "--" {
			rest = append(rest, c.args()[i:]...)
			break
		}
		if strings.HasPrefix(a, "-I") {
			pre = append(pre, option{key: "I", val: a[2:]})
			continue
		}
		rest = append(rest, a)
	}
	spec.short = strings.ReplaceAll(spec.short, "I::", "")
	o, args, msg := parseOpts(c.gnu, spec, rest)
	if msg != "" {
		return nil, nil, c.usage(msg, use, 1), false
	}
	if c.gnu && o.has("help") {
		c.out("Usage: date [OPTION]... [+FORMAT]\n")
		return nil, nil, 0, false
	}
	return append(pre, o...), args, 0, true
}

// runSleep is sleep(1); GNU accepts the suffixes s, m, h and d, FreeBSD 14 too.
func runSleep(c *cmd) int {
	args := c.args()
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		if c.gnu {
			return c.usage("missing operand", "", 1)
		}
		return c.usage("", "usage: sleep number[unit] [...]", 1)
	}
	var total time.Duration
	for _, a := range args {
		d, ok := parseSleep(a)
		if !ok {
			if c.gnu {
				return c.usage("invalid time interval "+quote(a), "", 1)
			}
			return c.usage("", "usage: sleep number[unit] [...]", 1)
		}
		total += d
	}
	if c.Host.Sleep(c.Ctx, total) != nil {
		return 130
	}
	return 0
}

func parseSleep(a string) (time.Duration, bool) {
	mult := time.Second
	switch {
	case strings.HasSuffix(a, "s"):
		a = a[:len(a)-1]
	case strings.HasSuffix(a, "m"):
		a, mult = a[:len(a)-1], time.Minute
	case strings.HasSuffix(a, "h"):
		a, mult = a[:len(a)-1], time.Hour
	case strings.HasSuffix(a, "d"):
		a, mult = a[:len(a)-1], 24*time.Hour
	}
	f, err := strconv.ParseFloat(a, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return time.Duration(f * float64(mult)), true
}

// runEnv is env(1): -i, -u NAME, NAME=VALUE..., then a command or the list.
func runEnv(c *cmd) int {
	args := c.args()
	env := append([]string(nil), c.Env...)
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if a == "-" || a == "-i" || (c.gnu && a == "--ignore-environment") {
			env = nil
			continue
		}
		if a == "-u" || (c.gnu && a == "--unset") {
			if i+1 >= len(args) {
				if c.gnu {
					return c.usage("option requires an argument -- 'u'", "", 125)
				}
				return c.usage("option requires an argument -- u", "usage: env [-0iv] [-L|-U user[/class]] [-P utilpath] [-S string]\n           [-u name] [name=value ...] [utility [argument ...]]", 1)
			}
			i++
			env = unsetenv(env, args[i])
			continue
		}
		if strings.HasPrefix(a, "-u") && len(a) > 2 {
			env = unsetenv(env, a[2:])
			continue
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			if c.gnu {
				return c.usage(fmt.Sprintf("invalid option -- '%c'", a[1]), "", 125)
			}
			return c.usage(fmt.Sprintf("illegal option -- %c", a[1]), "usage: env [-0iv] [-L|-U user[/class]] [-P utilpath] [-S string]\n           [-u name] [name=value ...] [utility [argument ...]]", 1)
		}
		break
	}
	for ; i < len(args) && strings.Contains(args[i], "=") && !strings.HasPrefix(args[i], "="); i++ {
		k, v, _ := strings.Cut(args[i], "=")
		env = setenv(env, k, v)
	}
	if i >= len(args) {
		for _, kv := range env {
			c.out("%s\n", kv)
		}
		return 0
	}
	argv := args[i:]
	if _, found := c.lookPath(argv[0], c.User, env); !found {
		if c.gnu {
			c.errorf("%s: %s", quote(argv[0]), "No such file or directory")
		} else {
			c.errorf("%s: %s", argv[0], "No such file or directory")
		}
		return 127
	}
	p := *c.Proc
	p.Env = env
	return c.Host.Exec(&p, argv)
}

func unsetenv(env []string, key string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != key {
			out = append(out, kv)
		}
	}
	return out
}
