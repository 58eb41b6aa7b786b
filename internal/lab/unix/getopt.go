package unix

import (
	"fmt"
	"sort"
	"strings"
)

// The two option parsers are emulated rather than taken from a flag library
// because callers see their exact texts: FreeBSD's libc getopt(3) stops at the
// first operand and says "illegal option -- x"; glibc's getopt_long (GNU
// coreutils on Rocky) permutes operands and options, accepts unambiguous
// prefixes of long options and says "invalid option -- 'x'".

// argMode says whether an option takes an argument.
type argMode int

const (
	noArg argMode = iota
	reqArg
	optArg // GNU long options only: --opt[=value]
)

// longOpt maps a GNU long option to the key it is reported under (usually
// its short letter) and its argument mode.
type longOpt struct {
	key string
	arg argMode
}

// optSpec describes one utility's options.
type optSpec struct {
	short string // getopt(3) string, "f:qn": a ':' after a letter takes an argument, "::" an optional attached one
	long  map[string]longOpt
	// permute lets options follow operands (glibc's default); FreeBSD's
	// getopt and GNU utilities that set '+' stop at the first operand.
	permute bool
	// bsdLong marks a FreeBSD utility built on getopt_long(3), whose
	// unknown-option text is "unknown option -- x".
	bsdLong bool
}

// option is one parsed option: key is the short letter or the long key.
type option struct {
	key string
	val string
}

// opts is the parsed result in command-line order.
type opts []option

// has reports whether key was given.
func (o opts) has(key string) bool {
	for _, x := range o {
		if x.key == key {
			return true
		}
	}
	return false
}

// last returns the value of the last occurrence of key.
func (o opts) last(key string) (string, bool) {
	v, ok := "", false
	for _, x := range o {
		if x.key == key {
			v, ok = x.val, true
		}
	}
	return v, ok
}

// all returns the values of every occurrence of key.
func (o opts) all(key string) []string {
	var vs []string
	for _, x := range o {
		if x.key == key {
			vs = append(vs, x.val)
		}
	}
	return vs
}

// parseOpts parses args (without the program name). gnu selects glibc's
// messages and long options. On error it returns the message that follows
// "prog: " on stderr.
func parseOpts(gnu bool, spec optSpec, args []string) (opts, []string, string) {
	var out opts
	var operands []string
	long := gnu || spec.bsdLong
	permute := long && spec.permute
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			operands = append(operands, args[i+1:]...)
			return out, operands, ""
		}
		if long && strings.HasPrefix(a, "--") {
			name, val, hasVal := strings.Cut(a[2:], "=")
			key, lo, msg := matchLong(gnu, spec.long, name)
			if msg != "" {
				return nil, nil, msg
			}
			switch lo.arg {
			case noArg:
				if hasVal {
					if !gnu {
						return nil, nil, "option doesn't take an argument -- " + key
					}
					return nil, nil, fmt.Sprintf("option '--%s' doesn't allow an argument", key)
				}
			case reqArg:
				if !hasVal {
					if i+1 >= len(args) {
						if !gnu {
							return nil, nil, "option requires an argument -- " + key
						}
						return nil, nil, fmt.Sprintf("option '--%s' requires an argument", key)
					}
					i++
					val = args[i]
				}
			}
			out = append(out, option{key: lo.key, val: val})
			continue
		}
		if len(a) < 2 || a[0] != '-' {
			if permute {
				operands = append(operands, a)
				continue
			}
			operands = append(operands, args[i:]...)
			return out, operands, ""
		}
		for j := 1; j < len(a); j++ {
			ch := a[j]
			k := strings.IndexByte(spec.short, ch)
			if ch == ':' || k < 0 {
				switch {
				case gnu:
					return nil, nil, fmt.Sprintf("invalid option -- '%c'", ch)
				case spec.bsdLong:
					return nil, nil, fmt.Sprintf("unknown option -- %c", ch)
				}
				return nil, nil, fmt.Sprintf("illegal option -- %c", ch)
			}
			if k+2 < len(spec.short) && spec.short[k+1] == ':' && spec.short[k+2] == ':' {
				// glibc's optional argument ("i::"): attached or none.
				out = append(out, option{key: string(ch), val: a[j+1:]})
				break
			}
			if k+1 < len(spec.short) && spec.short[k+1] == ':' {
				val := a[j+1:]
				if val == "" {
					if i+1 >= len(args) {
						if gnu {
							return nil, nil, fmt.Sprintf("option requires an argument -- '%c'", ch)
						}
						return nil, nil, fmt.Sprintf("option requires an argument -- %c", ch)
					}
					i++
					val = args[i]
				}
				out = append(out, option{key: string(ch), val: val})
				break
			}
			out = append(out, option{key: string(ch)})
		}
	}
	return out, operands, ""
}

// matchLong finds a long option by exact name or unambiguous prefix.
func matchLong(gnu bool, long map[string]longOpt, name string) (string, longOpt, string) {
	if lo, ok := long[name]; ok {
		return name, lo, ""
	}
	var cands []string
	for k := range long {
		if strings.HasPrefix(k, name) {
			cands = append(cands, k)
		}
	}
	sort.Strings(cands)
	switch {
	case len(cands) == 1:
		return cands[0], long[cands[0]], ""
	case len(cands) > 1:
		// Prefixes of aliases that share one meaning are not ambiguous.
		same := true
		for _, c := range cands[1:] {
			if long[c] != long[cands[0]] {
				same = false
			}
		}
		if same {
			return cands[0], long[cands[0]], ""
		}
		if !gnu {
			return "", longOpt{}, "ambiguous option -- " + name
		}
		var b strings.Builder
		for _, c := range cands {
			b.WriteString(" '--" + c + "'")
		}
		return "", longOpt{}, fmt.Sprintf("option '--%s' is ambiguous; possibilities:%s", name, b.String())
	}
	if !gnu {
		return "", longOpt{}, "unknown option -- " + name
	}
	return "", longOpt{}, fmt.Sprintf("unrecognized option '--%s'", name)
}
