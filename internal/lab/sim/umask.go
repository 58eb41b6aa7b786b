package sim

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/interp"
)

// The interpreter has no umask of its own, and its handlers cannot set
// shell state. The shell's umask therefore lives in a variable, so that a
// subshell, a pipeline's command and a function see the mask of the shell
// they came from and a change made in a subshell stays there, as with a
// real umask. The umask builtin sets it through eval, with the assignment's
// xtrace line (set -x) sent to /dev/null: the trace shows "+ umask 077"
// and nothing else.
const umaskVar = "__lab_umask"

// umask is the mask of the shell (or subshell) running the handler: the
// mask its umask builtin set last, else the one the shell started with.
func (s *session) umask(ctx context.Context) fs.FileMode {
	if vr := interp.HandlerCtx(ctx).Env.Get(umaskVar); vr.IsSet() {
		if n, err := strconv.ParseUint(vr.String(), 8, 32); err == nil {
			return fs.FileMode(n) & fs.ModePerm
		}
	}
	return s.umask0
}

// setUmask records m as the running shell's mask.
func (s *session) setUmask(ctx context.Context, m fs.FileMode) error {
	return interp.HandlerCtx(ctx).Builtin(ctx, []string{"eval", fmt.Sprintf("%s=%04o 2>/dev/null", umaskVar, uint32(m))})
}

// umaskBuiltin is umask [-S] [mode] as FreeBSD's sh (bin/sh/miscbltin.c)
// and bash (builtins/umask.def, also -p) implement it.
func (s *session) umaskBuiltin(p *Proc, args []string, c caller) int {
	symbolic, reusable := false, false
	fail := func(code int, format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		if s.h.OS == Rocky {
			fmt.Fprintf(p.Stderr, "%s: line %d: umask: %s\n", c.arg0, c.line, msg)
		} else {
			fmt.Fprintf(p.Stderr, "umask: %s\n", msg)
		}
		return code
	}
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		if args[0] == "--" {
			args = args[1:]
			break
		}
		for _, ch := range args[0][1:] {
			switch {
			case ch == 'S':
				symbolic = true
			case ch == 'p' && s.h.OS == Rocky:
				reusable = true
			case s.h.OS == Rocky:
				fail(2, "-%c: invalid option", ch)
				fmt.Fprintln(p.Stderr, "umask: usage: umask [-p] [-S] [mode]")
				return 2
			default:
				return fail(2, "Illegal option -%c", ch)
			}
		}
		args = args[1:]
	}
	cur := s.umask(p.Ctx)
	if len(args) == 0 {
		text := fmt.Sprintf("%04o", uint32(cur))
		if symbolic {
			text = symbolicUmask(cur)
		}
		if reusable {
			prefix := "umask "
			if symbolic {
				prefix = "umask -S "
			}
			text = prefix + text
		}
		fmt.Fprintln(p.Stdout, text)
		return 0
	}
	m, msg := parseUmask(args[0], cur, s.h.OS)
	if msg != "" {
		if s.h.OS == Rocky {
			return fail(1, "%s", msg)
		}
		return fail(2, "%s", msg)
	}
	if err := s.setUmask(p.Ctx, m); err != nil {
		fmt.Fprintf(p.Stderr, "%s: umask: %v\n", c.arg0, err)
		return 2
	}
	if symbolic && s.h.OS == Rocky {
		// bash prints the new mask for -S with a mode; FreeBSD's sh does not.
		fmt.Fprintln(p.Stdout, symbolicUmask(m))
	}
	return 0
}

// symbolicUmask is umask -S: the permissions the mask leaves.
func symbolicUmask(m fs.FileMode) string {
	class := func(shift uint) string {
		var b strings.Builder
		for i, ch := range "rwx" {
			if m>>shift&(4>>i) == 0 {
				b.WriteRune(ch)
			}
		}
		return b.String()
	}
	return "u=" + class(6) + ",g=" + class(3) + ",o=" + class(0)
}

// parseUmask computes the mask an umask MODE argument sets, or the
// message the shell prints: an octal number, or symbolic clauses
// ([ugoa]*[+-=][rwx]*) applied to the permissions the current mask allows.
func parseUmask(mode string, cur fs.FileMode, os OS) (fs.FileMode, string) {
	if mode[0] >= '0' && mode[0] <= '9' {
		n, err := strconv.ParseUint(mode, 8, 32)
		if err != nil || n > 0o777 {
			if os == Rocky {
				return 0, mode + ": octal number out of range"
			}
			return 0, "Illegal number: " + mode
		}
		return fs.FileMode(n), ""
	}
	allowed := ^cur & 0o777
	for clause := range strings.SplitSeq(mode, ",") {
		i := 0
		var who fs.FileMode
		for ; i < len(clause) && strings.IndexByte("ugoa", clause[i]) >= 0; i++ {
			who |= map[byte]fs.FileMode{'u': 0o700, 'g': 0o070, 'o': 0o007, 'a': 0o777}[clause[i]]
		}
		if who == 0 {
			who = 0o777
		}
		if i >= len(clause) || strings.IndexByte("+-=", clause[i]) < 0 {
			if os == Rocky {
				op := "\x00" // bash prints the string's terminating NUL
				if i < len(clause) {
					op = clause[i : i+1]
				}
				return 0, fmt.Sprintf("`%s': invalid symbolic mode operator", op)
			}
			return 0, "Illegal number: " + mode
		}
		for i < len(clause) && strings.IndexByte("+-=", clause[i]) >= 0 {
			op := clause[i]
			i++
			var perm fs.FileMode
			for ; i < len(clause) && strings.IndexByte("+-=", clause[i]) < 0; i++ {
				switch clause[i] {
				case 'r':
					perm |= 0o444
				case 'w':
					perm |= 0o222
				case 'x':
					perm |= 0o111
				default:
					if os == Rocky {
						return 0, fmt.Sprintf("`%c': invalid symbolic mode character", clause[i])
					}
					return 0, "Illegal number: " + mode
				}
			}
			switch op {
			case '+':
				allowed |= perm & who
			case '-':
				allowed &^= perm & who
			case '=':
				allowed = allowed&^who | perm&who
			}
		}
	}
	return ^allowed & 0o777, ""
}
