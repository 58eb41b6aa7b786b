package unix

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"
)

// exitTimeout is the status of a command timeout(1) had to stop, in both
// FreeBSD's and GNU's implementation.
const exitTimeout = 124

const bsdTimeoutUsage = "Usage: timeout [--signal sig | -s sig] [--preserve-status] [--kill-after time | -k time] [--foreground] <duration> <command> <arg ...>"

// runTimeout is timeout(1): timeout [-s SIG] [-k DURATION] [--preserve-status]
// [--foreground] DURATION COMMAND [ARG...] (GNU adds -v). The command runs
// through the host with a context that ends after DURATION; a lab command
// ends when its context does, so "sending the signal" is cancelling it. The
// status is the command's, or 124 when the time ran out (128 plus the
// signal with --preserve-status). -k is validated; nothing in the lab
// outlives its context, so the second signal is never needed.
func runTimeout(c *cmd) int {
	spec := optSpec{short: "k:s:h", long: map[string]longOpt{
		"kill-after": {"k", reqArg}, "signal": {"s", reqArg}, "preserve-status": {"preserve-status", noArg},
		"foreground": {"foreground", noArg}, "help": {"h", noArg},
	}, bsdLong: true}
	if c.gnu {
		spec.short = "k:s:v" // help is --help only; -v/--verbose is GNU's
		spec.long["verbose"] = longOpt{"v", noArg}
	}
	o, operands, msg := parseOpts(c.gnu, spec, c.args())
	usage := func(msg string) int {
		if c.gnu {
			return c.usage(msg, "", 125)
		}
		if msg != "" {
			c.errorf("%s", msg)
		}
		fmt.Fprintln(c.Stderr, bsdTimeoutUsage)
		return 64 // EX_USAGE
	}
	switch {
	case msg != "":
		return usage(msg)
	case o.has("h") && c.gnu:
		c.out("Usage: timeout [OPTION] DURATION COMMAND [ARG]...\n  or:  timeout [OPTION]\n")
		return 0
	case o.has("h"), len(operands) < 2:
		return usage("")
	}
	sig := 15 // TERM
	if s, ok := o.last("s"); ok {
		n, ok := signalNumber(s, c.gnu)
		if !ok {
			if c.gnu {
				return c.usage(s+": invalid signal", "", 125)
			}
			c.errorf("invalid signal")
			return 125
		}
		sig = n
	}
	if k, ok := o.last("k"); ok {
		if _, code := c.timeoutDuration(k); code != 0 {
			return code
		}
	}
	d, code := c.timeoutDuration(operands[0])
	if code != 0 {
		return code
	}
	argv := operands[1:]
	if _, err := c.Host.LookPath(c.Proc, argv[0]); err != nil {
		code := 127
		if errors.Is(err, fs.ErrPermission) {
			code = 126
		}
		text := errText(err)
		if code == 127 {
			text = "No such file or directory"
		}
		if c.gnu {
			c.errorf("failed to run command %s: %s", quote(argv[0]), text)
		} else {
			c.errorf("exec(%s): %s", argv[0], text)
		}
		return code
	}
	parent := c.Ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := parent, context.CancelFunc(func() {})
	if d > 0 {
		ctx, cancel = context.WithTimeout(parent, d)
	}
	defer cancel()
	p := *c.Proc
	p.Ctx = ctx
	if d > 0 {
		// the command is killed at the deadline: nothing it would write
		// after that reaches its output
		p.Stdout, p.Stderr = killable(ctx, p.Stdout), killable(ctx, p.Stderr)
	}
	status := c.Host.Exec(&p, argv)
	if d > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) && parent.Err() == nil {
		if c.gnu && o.has("v") {
			c.errorf("sending signal %s to command %s", signalName(sig, true), quote(argv[0]))
		}
		if o.has("preserve-status") {
			return 128 + sig
		}
		return exitTimeout
	}
	return status
}

// timeoutDuration parses a duration as both timeouts do: a floating number
// (strtod) with an optional unit s, m, h or d; 0 means no limit. A bad one
// is reported, with the exit status returned.
func (c *cmd) timeoutDuration(s string) (time.Duration, int) {
	num, unit := floatPrefix(s)
	v, err := strconv.ParseFloat(num, 64)
	bad := err != nil || len(unit) > 1 || v < 0 || math.IsNaN(v)
	mult := 1.0
	switch unit {
	case "", "s":
	case "m":
		mult = 60
	case "h":
		mult = 3600
	case "d":
		mult = 86400
	default:
		bad = true
	}
	v *= mult
	if !bad && !c.gnu && v >= 1e8 {
		bad = true
	}
	if bad {
		if c.gnu {
			return 0, c.usage("invalid time interval "+quote(s), "", 125)
		}
		c.errorf("invalid duration")
		if num != "" && len(unit) > 1 {
			return 0, 64 // EX_USAGE, for junk after the number
		}
		return 0, 125
	}
	if v*float64(time.Second) > float64(math.MaxInt64) {
		return math.MaxInt64, 0
	}
	return time.Duration(v * float64(time.Second)), 0
}

// floatPrefix splits s into its longest leading floating-point number, as
// strtod(3) reads it, and the rest.
func floatPrefix(s string) (string, string) {
	for i := len(s); i > 0; i-- {
		if _, err := strconv.ParseFloat(s[:i], 64); err == nil && !strings.ContainsAny(s[:i], "_") {
			return s[:i], s[i:]
		}
	}
	return "", s
}

// signals are the names kill(1) and timeout(1) take, by number, on each
// system (FreeBSD's sys_signame, Linux's x86-64 numbering).
var (
	bsdSignals = []string{"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "EMT", "FPE", "KILL", "BUS", "SEGV", "SYS", "PIPE", "ALRM", "TERM", "URG", "STOP", "TSTP", "CONT", "CHLD", "TTIN", "TTOU", "IO", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "INFO", "USR1", "USR2"}
	gnuSignals = []string{"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"}
)

// signalNumber reads a signal as a number or a name, with or without SIG,
// in any case.
func signalNumber(s string, gnu bool) (int, bool) {
	names := bsdSignals
	if gnu {
		names = gnuSignals
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0 && n < len(names)
	}
	name := strings.ToUpper(s)
	name = strings.TrimPrefix(name, "SIG")
	for i, x := range names {
		if x != "" && x == name {
			return i, true
		}
	}
	return 0, false
}

func signalName(n int, gnu bool) string {
	names := bsdSignals
	if gnu {
		names = gnuSignals
	}
	if n > 0 && n < len(names) {
		return names[n]
	}
	return strconv.Itoa(n)
}

// killedWriter drops what is written once ctx has ended.
type killedWriter struct {
	ctx context.Context
	w   io.Writer
}

func (k killedWriter) Write(b []byte) (int, error) {
	if k.ctx.Done() != nil && k.killed() {
		return len(b), nil
	}
	return k.w.Write(b)
}

func (k killedWriter) killed() bool {
	select {
	case <-k.ctx.Done():
		return true
	default:
		return false
	}
}

func killable(ctx context.Context, w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	return killedWriter{ctx, w}
}
