package rocky

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// flockCmd is util-linux 2.37's flock(1) in its wrapping forms, `flock
// [options] FILE COMMAND [ARGS]` and `flock [options] FILE -c COMMAND`
// (flock(1)): the file is created when missing (0644 less the umask is
// what open(O_CREAT, 0666) gives), an exclusive lock is taken (-s shared),
// waiting unless -n (or -w SECONDS, 0 meaning -n), and the command runs
// while it is held. The lock is a real flock(2) on the file's copy on disk,
// so it holds across lab processes and is gone when the command ends, also
// when it is killed: that is what makes flock safer than a lock file that a
// killed run leaves behind. A conflict exits 1 quietly, or -E's code.
// Not modelled: the file-descriptor form (`flock 9`), -u, -o, --verbose.
func flockCmd(p *sim.Proc) int {
	// options end at the first operand, FILE: what follows is the command's
	raw := p.Args[1:]
	end := 0
	for end < len(raw) && strings.HasPrefix(raw[end], "-") && len(raw[end]) > 1 && raw[end] != "--" {
		a := raw[end]
		end++
		if takesSeparateArg(a) && end < len(raw) {
			end++
		}
	}
	args := append(splitShortOpts(raw[:end], "wEc"), raw[end:]...)
	usage := func(msg string) int {
		if msg != "" {
			errw(p, "flock: %s", msg)
		}
		errw(p, "Try 'flock --help' for more information.")
		return 64 // EX_USAGE
	}
	nonblock, shared, conflict := false, false, 1
	wait := time.Duration(-1)
	var command string
	var operands []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() (string, bool) {
			if v, ok := strings.CutPrefix(a, "="); ok {
				return v, true
			}
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		name, inline, hasInline := strings.Cut(a, "=")
		if len(operands) > 0 {
			if (a == "-c" || a == "--command") && len(operands) == 1 && i+1 < len(args) {
				command = args[i+1] // flock FILE -c COMMAND
				break
			}
			// after FILE everything is the command (getopt's "+" mode)
			operands = append(operands, args[i:]...)
			break
		}
		switch name {
		case "--":
			operands = append(operands, args[i+1:]...)
			i = len(args)
		case "-n", "--nb", "--nonblock":
			nonblock = true
		case "-s", "--shared":
			shared = true
		case "-x", "-e", "--exclusive":
			shared = false
		case "-o", "--close":
		case "-w", "--wait", "--timeout", "-E", "--conflict-exit-code", "-c", "--command":
			v := inline
			if !hasInline {
				var ok bool
				if v, ok = next(); !ok {
					return usage("option requires an argument -- '" + strings.TrimLeft(name, "-")[:1] + "'")
				}
			}
			switch name {
			case "-w", "--wait", "--timeout":
				secs, err := strconv.ParseFloat(v, 64)
				if err != nil || secs < 0 {
					return usage("invalid timeout value: '" + v + "'")
				}
				wait = time.Duration(secs * float64(time.Second))
			case "-E", "--conflict-exit-code":
				n, err := strconv.Atoi(v)
				if err != nil || n < 0 || n > 255 {
					return usage("invalid exit code: '" + v + "'")
				}
				conflict = n
			default:
				command = v
			}
		default:
			if strings.HasPrefix(a, "-") && len(a) > 1 {
				return usage("invalid option -- '" + strings.TrimLeft(a, "-") + "'")
			}
			operands = append(operands, a)
		}
	}
	if len(operands) == 0 || (command == "" && len(operands) < 2) || (command != "" && len(operands) != 1) {
		if len(operands) == 1 && command == "" {
			// the file-descriptor form
			return usage("lab: the file descriptor form is not emulated")
		}
		return usage("not enough arguments")
	}
	file := operands[0]
	if !strings.HasPrefix(file, "/") {
		file = p.Dir + "/" + file
	}
	f, err := p.Tree().OpenFile(p.User, file, os.O_RDONLY|os.O_CREATE, 0o666)
	if err != nil {
		errw(p, "flock: cannot open lock file %s: %s", operands[0], sim.ErrText(err))
		return 66 // EX_NOINPUT
	}
	defer f.Close()
	fd, ok := f.(interface{ Fd() uintptr })
	if !ok {
		errw(p, "flock: %s: lab: not a local file", operands[0])
		return 1
	}
	how := syscall.LOCK_EX
	if shared {
		how = syscall.LOCK_SH
	}
	if wait == 0 {
		nonblock = true
	}
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(fd.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if err != syscall.EWOULDBLOCK || nonblock || (wait > 0 && time.Now().After(deadline)) {
			if err != syscall.EWOULDBLOCK {
				errw(p, "flock: %s: %s", operands[0], sim.ErrText(err))
				return 1
			}
			return conflict
		}
		if p.Ctx == nil {
			return conflict
		}
		select {
		case <-p.Ctx.Done():
			return 1
		case <-time.After(20 * time.Millisecond):
		}
	}
	argv := operands[1:]
	if command != "" {
		argv = []string{"/bin/sh", "-c", command}
	}
	q := *p
	return p.Host.Exec(&q, argv)
}

// takesSeparateArg tells whether an option word of flock takes the next
// word as its argument: -w, -E, -c and their long forms without "=", or a
// cluster ending in one of them ("-nw" "5").
func takesSeparateArg(a string) bool {
	switch a {
	case "--wait", "--timeout", "--conflict-exit-code", "--command":
		return true
	}
	if strings.HasPrefix(a, "--") {
		return false
	}
	for j := 1; j < len(a); j++ {
		if strings.IndexByte("wEc", a[j]) >= 0 {
			return j == len(a)-1
		}
	}
	return false
}
