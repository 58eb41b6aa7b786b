package zfs

import "strings"

// opt is one parsed option.
type opt struct {
	c   byte
	arg string
}

// optErr is what getopt(3) with a leading ':' in its spec reports: an
// unknown option ('?') or a missing argument (':').
type optErr struct {
	c       byte
	missing bool
}

// getopt parses args as FreeBSD getopt(3): clustered flags, "-oVAL" or
// "-o VAL", stopping at the first operand or after "--".
func getopt(args []string, spec string) ([]opt, []string, *optErr) {
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
				return out, nil, &optErr{c: c}
			}
			if k+1 < len(spec) && spec[k+1] == ':' {
				switch {
				case j+1 < len(a):
					out = append(out, opt{c: c, arg: a[j+1:]})
				case i+1 < len(args):
					i++
					out = append(out, opt{c: c, arg: args[i]})
				default:
					return out, nil, &optErr{c: c, missing: true}
				}
				break
			}
			out = append(out, opt{c: c})
		}
		i++
	}
	return out, args[i:], nil
}
