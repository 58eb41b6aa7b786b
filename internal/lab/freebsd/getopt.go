package freebsd

import "strings"

// opt is one parsed option.
type opt struct {
	c   byte
	arg string
}

// getoptErr describes what getopt(3) complains about.
type getoptErr struct {
	c       byte
	missing bool // option needs an argument
}

// getopt parses args as getopt(3) / sh getopts with a POSIX spec ("f:nq"):
// clustered flags, "-fFILE" or "-f FILE", stopping at the first operand or
// after "--".
func getopt(args []string, spec string) ([]opt, []string, *getoptErr) {
	var out []opt
	i := 0
	for i < len(args) {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			k := strings.IndexByte(spec, c)
			if k < 0 || c == ':' {
				return out, nil, &getoptErr{c: c}
			}
			if k+1 < len(spec) && spec[k+1] == ':' {
				if j+1 < len(a) {
					out = append(out, opt{c: c, arg: a[j+1:]})
				} else if i+1 < len(args) {
					i++
					out = append(out, opt{c: c, arg: args[i]})
				} else {
					return out, nil, &getoptErr{c: c, missing: true}
				}
				break
			}
			out = append(out, opt{c: c})
		}
		i++
	}
	return out, args[i:], nil
}

// message is the libc getopt(3) diagnostic for prog.
func (e *getoptErr) message(prog string) string {
	if e.missing {
		return prog + ": option requires an argument -- " + string(e.c) + "\n"
	}
	return prog + ": illegal option -- " + string(e.c) + "\n"
}
