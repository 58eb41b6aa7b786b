// Package crond is what the lab's two cron daemons share: FreeBSD's cron
// (usr.sbin/cron, Vixie cron 3) and Rocky's cronie (Vixie cron 4.1). Both
// read crontabs the same way (entry.c load_entry, env.c load_env), match a
// minute the same way (cron.c cron_tick) and start a job the same way
// (do_command.c child_process: "%" in the command feeds its stdin, the
// job's stdout and stderr are one stream, the shell is $SHELL -c). The
// families decide the rest: where crontabs are, what the job's default
// environment is, how a run is logged and where its output goes. Nothing
// runs on its own: the lab's clock calls the families' ticks when it
// advances. It depends only on the lab's sim package.
package crond

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Entry is one job line of a crontab.
type Entry struct {
	minute, hour, dom, month, dow uint64 // bit i: value i allowed
	domStar, dowStar              bool
	// Reboot is @reboot: the job runs when cron starts at boot.
	Reboot bool
	// EverySecond is FreeBSD's @every_second.
	EverySecond bool
	// User is the system crontab's user field; empty in a user's crontab.
	User string
	// Cmd is the command as written (with its "%" input, if any).
	Cmd string
	// Env is the crontab's NAME=VALUE settings in force at this line.
	Env []string
	// Line is the line number, for messages.
	Line int
}

var (
	monthNames = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	dowNames   = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}
)

// Parse reads a crontab: env.c's NAME=VALUE lines (quotes stripped) and
// entry.c's jobs, "@" shortcuts included; system says each job line names
// a user before its command (/etc/crontab, cron.d). Lines cron would
// reject are skipped, as cron skips them after logging.
func Parse(src string, system bool) []Entry {
	var out []Entry
	var env []string
	for i, line := range strings.Split(src, "\n") {
		t := strings.TrimLeft(line, " \t")
		if t == "" || t[0] == '#' {
			continue
		}
		if name, val, ok := envLine(t); ok {
			env = setEnv(env, name, val)
			continue
		}
		e, ok := parseEntry(t, system)
		if !ok {
			continue
		}
		e.Env = append([]string(nil), env...)
		e.Line = i + 1
		out = append(out, e)
	}
	return out
}

// envLine recognises "NAME = VALUE" (load_env): a name of no blanks, an
// equals sign, a value with matching outer quotes removed.
func envLine(t string) (name, val string, ok bool) {
	eq := strings.IndexByte(t, '=')
	if eq <= 0 {
		return "", "", false
	}
	name = strings.TrimRight(t[:eq], " \t")
	if name == "" || strings.ContainsAny(name, " \t") {
		return "", "", false
	}
	if c := name[0]; c >= '0' && c <= '9' || c == '*' || c == '@' {
		return "", "", false
	}
	val = strings.Trim(t[eq+1:], " \t")
	if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
		val = val[1 : len(val)-1]
	}
	return name, val, true
}

func setEnv(env []string, name, val string) []string {
	for i, kv := range env {
		if strings.HasPrefix(kv, name+"=") {
			env[i] = name + "=" + val
			return env
		}
	}
	return append(env, name+"="+val)
}

// EnvValue returns the value of name in env.
func EnvValue(env []string, name string) (string, bool) {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v, true
		}
	}
	return "", false
}

func parseEntry(t string, system bool) (Entry, bool) {
	var e Entry
	rest := t
	next := func() string {
		rest = strings.TrimLeft(rest, " \t")
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			w := rest
			rest = ""
			return w
		}
		w := rest[:i]
		rest = rest[i:]
		return w
	}
	if strings.HasPrefix(t, "@") {
		all := func(lo, hi int) uint64 { return bits(lo, hi, 1) }
		e.minute, e.hour = 1, 1
		e.dom, e.month, e.dow = all(1, 31), all(1, 12), all(0, 7)
		switch next() {
		case "@reboot":
			e.Reboot = true
		case "@yearly", "@annually":
			e.dom, e.month, e.dowStar = 1<<1, 1<<1, true
		case "@monthly":
			e.dom, e.dowStar = 1<<1, true
		case "@weekly":
			e.dow, e.domStar = 1|1<<7, true
		case "@daily", "@midnight":
		case "@hourly":
			e.hour = all(0, 23)
		case "@every_minute":
			e.minute, e.hour = all(0, 59), all(0, 23)
		case "@every_second":
			e.EverySecond = true
		default:
			return e, false
		}
	} else {
		fields := []struct {
			dst    *uint64
			lo, hi int
			names  []string
			star   *bool
		}{
			{&e.minute, 0, 59, nil, nil}, {&e.hour, 0, 23, nil, nil}, {&e.dom, 1, 31, nil, &e.domStar},
			{&e.month, 1, 12, monthNames, nil}, {&e.dow, 0, 7, dowNames, &e.dowStar},
		}
		for _, f := range fields {
			w := next()
			v, ok := parseList(w, f.lo, f.hi, f.names)
			if !ok {
				return e, false
			}
			*f.dst = v
			if f.star != nil && strings.HasPrefix(w, "*") {
				*f.star = true
			}
		}
		if e.dow&(1|1<<7) != 0 { // "make sundays equivalent"
			e.dow |= 1 | 1<<7
		}
	}
	if system {
		e.User = next()
		if e.User == "" {
			return e, false
		}
	}
	e.Cmd = strings.TrimLeft(rest, " \t")
	return e, e.Cmd != ""
}

func bits(lo, hi, step int) uint64 {
	var b uint64
	for i := lo; i <= hi; i += step {
		b |= 1 << i
	}
	return b
}

// parseList is get_list: ranges "N", "N-M", "*", each with an optional
// "/STEP"; FreeBSD also takes "N/STEP" as N to the end.
func parseList(w string, lo, hi int, names []string) (uint64, bool) {
	var out uint64
	for _, r := range strings.Split(w, ",") {
		rng, stepS, hasStep := strings.Cut(r, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepS)
			if err != nil || n <= 0 {
				return 0, false
			}
			step = n
		}
		var a, b int
		switch rng {
		case "*":
			a, b = lo, hi
		default:
			x, y, isRange := strings.Cut(rng, "-")
			var ok bool
			if a, ok = number(x, lo, names); !ok {
				return 0, false
			}
			b = a
			if hasStep {
				b = hi
			}
			if isRange {
				if b, ok = number(y, lo, names); !ok {
					return 0, false
				}
			}
		}
		if a < lo || b > hi || a > b {
			return 0, false
		}
		out |= bits(a, b, step)
	}
	return out, true
}

func number(s string, lo int, names []string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	for i, n := range names {
		if strings.EqualFold(n, s) {
			if lo == 1 {
				return i + 1, true
			}
			return i, true
		}
	}
	return 0, false
}

// Matches is cron_tick's test of the minute t (in the host's time, UTC in
// the lab): minute, hour and month match, and day of month and day of week
// both match when either is "*", else one of them.
func (e Entry) Matches(t time.Time) bool {
	if e.Reboot || e.EverySecond {
		return false
	}
	if e.minute&(1<<t.Minute()) == 0 || e.hour&(1<<t.Hour()) == 0 || e.month&(1<<int(t.Month())) == 0 {
		return false
	}
	dom := e.dom&(1<<t.Day()) != 0
	dow := e.dow&(1<<int(t.Weekday())) != 0
	if e.domStar || e.dowStar {
		return dom && dow
	}
	return dom || dow
}

// SplitInput is child_process's reading of the command: the text before
// the first unescaped "%" is the command ("\%" there stands for "%"), the
// rest is its standard input with each "%" a newline and a newline added
// at the end.
func SplitInput(cmd string) (command, input string) {
	var c strings.Builder
	escaped := false
	i := 0
	for ; i < len(cmd); i++ {
		ch := cmd[i]
		if escaped {
			if ch != '%' {
				c.WriteByte('\\')
			}
			c.WriteByte(ch)
			escaped = false
			continue
		}
		if ch == '\\' {
			escaped = true
			continue
		}
		if ch == '%' {
			break
		}
		c.WriteByte(ch)
	}
	if escaped {
		c.WriteByte('\\')
	}
	if i >= len(cmd) {
		return c.String(), ""
	}
	var in strings.Builder
	escaped = false
	for _, ch := range []byte(cmd[i+1:]) {
		if escaped {
			if ch != '%' {
				in.WriteByte('\\')
			}
		} else if ch == '%' {
			ch = '\n'
		}
		if escaped = ch == '\\'; !escaped {
			in.WriteByte(ch)
		}
	}
	if escaped {
		in.WriteByte('\\')
	}
	s := in.String()
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return c.String(), s
}

// Job is one run to start.
type Job struct {
	User sim.User
	Env  []string // the complete environment
	Cmd  string   // as in the crontab
}

// Run starts the job as cron's grandchild does: $SHELL -c COMMAND as the
// user, in $HOME, stdin the "%" input, stdout and stderr one stream. It
// returns that stream and the exit status.
func Run(ctx context.Context, h *sim.Host, j Job) (output string, status int) {
	command, input := SplitInput(j.Cmd)
	var out bytes.Buffer
	p := h.NewProc(ctx, j.User, strings.NewReader(input), &out, &out)
	p.Env = j.Env
	if home, ok := EnvValue(j.Env, "HOME"); ok {
		if fi, err := h.Tree.StatAs(j.User, home); err == nil && fi.IsDir() {
			p.Dir = home
		}
	}
	shell, _ := EnvValue(j.Env, "SHELL")
	if shell == "" {
		shell = "/bin/sh"
	}
	status = h.Exec(p, []string{shell, "-c", command})
	return out.String(), status
}

// Due reports whether the entry runs at t: a minute boundary it matches
// (cron runs a minute's jobs at its :00: cron_sync, TargetTime += 60), or
// any whole second for @every_second.
func (e Entry) Due(t time.Time) bool {
	if e.EverySecond {
		return t.Nanosecond() == 0
	}
	return t.Second() == 0 && t.Nanosecond() == 0 && e.Matches(t)
}

// Next is the first time after "after" and not after "until" at which one
// of the entries is due.
func Next(entries []Entry, after, until time.Time) (time.Time, bool) {
	if len(entries) == 0 {
		return time.Time{}, false
	}
	for _, e := range entries {
		if e.EverySecond {
			t := after.Truncate(time.Second).Add(time.Second)
			return t, !t.After(until)
		}
	}
	for t := after.Truncate(time.Minute).Add(time.Minute); !t.After(until); t = t.Add(time.Minute) {
		for _, e := range entries {
			if e.Matches(t) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}
