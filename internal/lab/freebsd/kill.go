package freebsd

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// signalNames is FreeBSD's sys_signame: sys_nsig is 32, so THR and LIBRT,
// beyond NSIG, have no name here.
var signalNames = []string{"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "EMT", "FPE", "KILL", "BUS", "SEGV", "SYS", "PIPE", "ALRM", "TERM", "URG", "STOP", "TSTP", "CONT", "CHLD", "TTIN", "TTOU", "IO", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "INFO", "USR1", "USR2"}

const (
	sigHUP  = 1
	sigTERM = 15
)

// terminating are the signals whose delivery ends a lab daemon: those whose
// default action is to terminate and that the base daemons do not catch
// for another purpose (HUP means reload to all of them).
var terminating = map[int]bool{2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true, 11: true, 12: true, 13: true, 14: true, 15: true, 24: true, 25: true, 26: true, 27: true, 30: true, 31: true}

const killUsage = "usage: kill [-s signal_name] pid ...\n       kill -l [exit_status]\n       kill -signal_name pid ...\n       kill -signal_number pid ...\n"

// killCmd is /bin/kill (bin/kill/kill.c, also sh's kill builtin) over the
// host's process table (freebsd-procs): signal 0 checks that the process
// exists and may be signalled; HUP runs the daemon's reload (mountd re-reads
// /etc/exports); a terminating signal removes the process, as its exit
// would, and runs what the lab does when the daemon stops (the pid file
// stays, as a killed daemon may leave it; rc.subr then finds no process).
// Other signals are delivered without a modelled effect. Only root, or the
// user the process runs as, may signal it.
func killCmd(p *sim.Proc) int {
	args := p.Args[1:]
	if len(args) == 0 {
		fmt.Fprint(p.Stderr, killUsage)
		return 2
	}
	sig := sigTERM
	if args[0] == "-l" {
		return killList(p, args[1:])
	}
	switch a := args[0]; {
	case a == "-s":
		if len(args) < 2 {
			fmt.Fprintln(p.Stderr, "kill: option requires an argument -- s")
			fmt.Fprint(p.Stderr, killUsage)
			return 2
		}
		if args[1] == "0" {
			sig = 0
		} else if sig = signalNumber(args[1]); sig < 0 {
			return noSignal(p, args[1])
		}
		args = args[2:]
	case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--"):
		name := a[1:]
		switch {
		case name != "" && isAlpha(name[0]):
			if sig = signalNumber(name); sig < 0 {
				return noSignal(p, name)
			}
		case name != "" && name[0] >= '0' && name[0] <= '9':
			n, err := strconv.Atoi(name)
			if err != nil {
				fmt.Fprintf(p.Stderr, "kill: illegal signal number: %s\n", name)
				return 2
			}
			sig = n
		default:
			return noSignal(p, name)
		}
		args = args[1:]
	}
	if len(args) > 0 && strings.HasPrefix(args[0], "--") {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprint(p.Stderr, killUsage)
		return 2
	}
	errors := 0
	for _, a := range args {
		pid, err := strconv.Atoi(a)
		if err != nil || pid < -1<<31 || pid >= 1<<31 {
			fmt.Fprintf(p.Stderr, "kill: illegal process id: %s\n", a)
			return 2
		}
		if text := signal(p, pid, sig); text != "" {
			fmt.Fprintf(p.Stderr, "kill: %s: %s\n", a, text)
			errors = 1
		}
	}
	return errors
}

// signal delivers sig to pid and returns kill(2)'s error text, if any.
func signal(p *sim.Proc, pid, sig int) string {
	var target proc
	found := false
	err := sim.Update(p.Host, procsState, func(t *procs) error {
		for i, x := range t.List {
			if x.PID != pid {
				continue
			}
			target, found = x, true
			if !mayKill(p.User, x) {
				return nil
			}
			if terminating[sig] {
				t.List = append(t.List[:i], t.List[i+1:]...)
			}
			return nil
		}
		return nil
	})
	switch {
	case err != nil:
		return err.Error()
	case !found:
		return "No such process"
	case !mayKill(p.User, target):
		return "Operation not permitted"
	}
	hook := daemonHooks[target.Command]
	r := &rcRun{p: p}
	switch {
	case sig == sigHUP && hook.hup != nil:
		hook.hup(r)
	case terminating[sig] && hook.stopped != nil:
		hook.stopped(r)
	}
	return ""
}

func mayKill(u sim.User, x proc) bool {
	return u.IsRoot() || x.User == u.Name
}

// signalNumber is signame_to_signum: a name with or without SIG, in any
// case; -1 when unknown.
func signalNumber(s string) int {
	name := strings.ToUpper(s)
	name = strings.TrimPrefix(name, "SIG")
	for i, x := range signalNames {
		if i > 0 && x == name {
			return i
		}
	}
	return -1
}

func noSignal(p *sim.Proc, name string) int {
	fmt.Fprintf(p.Stderr, "kill: unknown signal %s; valid signals:\n", name)
	printSignals(p.Stderr)
	return 2
}

// printSignals is kill -l's list: a line break after signal sys_nsig/2 (16)
// and after the last.
func printSignals(w io.Writer) {
	var b strings.Builder
	for n := 1; n < len(signalNames); n++ {
		b.WriteString(signalNames[n])
		if n == len(signalNames)/2 || n == len(signalNames)-1 {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
	}
	_, _ = io.WriteString(w, b.String())
}

func killList(p *sim.Proc, args []string) int {
	switch {
	case len(args) == 0:
		printSignals(p.Stdout)
		return 0
	case len(args) > 1 || args[0] == "" || args[0][0] < '0' || args[0][0] > '9':
		fmt.Fprint(p.Stderr, killUsage)
		return 2
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		fmt.Fprintf(p.Stderr, "kill: illegal signal number: %s\n", args[0])
		return 2
	}
	if n >= 128 {
		n -= 128
	}
	if n <= 0 || n >= len(signalNames) {
		return noSignal(p, args[0])
	}
	fmt.Fprintln(p.Stdout, signalNames[n])
	return 0
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
