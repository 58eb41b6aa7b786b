package unix

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// canonical resolves every symbolic link in name, as realpath(3) does.
// With lastMayBeMissing (GNU's default for realpath and readlink -f) the
// final component need not exist; with anyMayBeMissing (readlink -m) none must.
func (c *cmd) canonical(name string, lastMayBeMissing, anyMayBeMissing bool) (string, error) {
	todo := strings.Split(c.abs(name), "/")
	resolved := "/"
	links := 0
	for len(todo) > 0 {
		part := todo[0]
		todo = todo[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			resolved = path.Dir(resolved)
			continue
		}
		next := path.Join(resolved, part)
		fi, err := c.tree().Lstat(next)
		if err != nil {
			missingOK := anyMayBeMissing || (lastMayBeMissing && len(nonEmpty(todo)) == 0)
			if isNotExist(err) && missingOK {
				resolved = next
				continue
			}
			return "", pathError(name, errnoOf(err))
		}
		if fi.Mode&fs.ModeSymlink != 0 {
			links++
			if links > 32 {
				return "", pathError(name, syscall.ELOOP)
			}
			target := fi.Target
			if target == "" {
				target, _ = c.tree().Readlink(next)
			}
			if strings.HasPrefix(target, "/") {
				resolved = "/"
			}
			todo = append(strings.Split(target, "/"), todo...)
			continue
		}
		if !fi.IsDir() && len(nonEmpty(todo)) > 0 {
			if anyMayBeMissing {
				resolved = next
				continue
			}
			return "", pathError(name, syscall.ENOTDIR)
		}
		resolved = next
	}
	return resolved, nil
}

func nonEmpty(parts []string) []string {
	var out []string
	for _, p := range parts {
		if p != "" && p != "." {
			out = append(out, p)
		}
	}
	return out
}

// errnoOf extracts the errno of a tree error for re-labelling.
func errnoOf(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// lookPath finds a program as the host's shell would for user u with env.
func (c *cmd) lookPath(name string, u sim.User, env []string) (string, bool) {
	p := *c.Proc
	p.User, p.Env = u, env
	prog, err := c.Host.LookPath(&p, name)
	return prog, err == nil
}

// getenv reads KEY from a KEY=VALUE list (the last assignment wins).
func getenv(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// setenv returns env with KEY=VALUE replacing any earlier assignment.
func setenv(env []string, key, val string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != key {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+val)
}

// runReadlink is readlink(1): FreeBSD's (stat-based: -f, -n; silent) and
// GNU's (-f, -e, -m, -n, -q, -s, -v).
func runReadlink(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: c.pick("fn", "femnqsvz"), permute: true, long: map[string]longOpt{
		"canonicalize": {"f", noArg}, "canonicalize-existing": {"e", noArg}, "canonicalize-missing": {"m", noArg},
		"no-newline": {"n", noArg}, "quiet": {"q", noArg}, "silent": {"s", noArg}, "verbose": {"v", noArg}, "help": {"help", noArg},
	}}, "usage: readlink [-fn] [file ...]", 1)
	if !ok {
		return code
	}
	if len(files) == 0 {
		if c.gnu {
			return c.usage("missing operand", "", 1)
		}
		return c.usage("", "usage: readlink [-fn] [file ...]", 1)
	}
	verbose := false
	for _, x := range o {
		switch x.key {
		case "v":
			verbose = true
		case "q", "s":
			verbose = false
		}
	}
	nl := "\n"
	if o.has("n") {
		nl = ""
	}
	rc := 0
	for _, f := range files {
		var out string
		var err error
		switch {
		case o.has("m"):
			out, err = c.canonical(f, true, true)
		case o.has("e"):
			out, err = c.canonical(f, false, false)
		case o.has("f"):
			out, err = c.canonical(f, c.gnu, false)
		default:
			var fi fileInfo
			if fi, err = c.lstat(f); err == nil {
				if fi.Mode&fs.ModeSymlink == 0 {
					err = pathError(f, syscall.EINVAL)
				} else if out = fi.Target; out == "" {
					out, err = c.tree().Readlink(c.abs(f))
				}
			}
		}
		if err != nil {
			if c.gnu && verbose {
				c.pathErr(f, err)
			}
			rc = 1
			continue
		}
		c.out("%s%s", out, nl)
	}
	return rc
}

// runRealpath is realpath(1).
func runRealpath(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: c.pick("q", "eqmsz"), permute: true, long: map[string]longOpt{
		"canonicalize-existing": {"e", noArg}, "canonicalize-missing": {"m", noArg}, "quiet": {"q", noArg},
		"strip": {"s", noArg}, "no-symlinks": {"s", noArg}, "help": {"help", noArg},
	}}, "usage: realpath [-q] [path ...]", 1)
	if !ok {
		return code
	}
	if len(files) == 0 {
		if c.gnu {
			return c.usage("missing operand", "", 1)
		}
		files = []string{"."}
	}
	rc := 0
	for _, f := range files {
		var out string
		var err error
		switch {
		case o.has("s"):
			out = c.abs(f)
		case o.has("m"):
			out, err = c.canonical(f, true, true)
		case o.has("e") || !c.gnu:
			out, err = c.canonical(f, false, false)
		default:
			out, err = c.canonical(f, true, false)
		}
		if err != nil {
			if !o.has("q") {
				c.pathErr(f, err)
			}
			rc = 1
			continue
		}
		c.out("%s\n", out)
	}
	return rc
}

// runBasename is basename(1), with -a and -s.
func runBasename(c *cmd) int {
	const use = "usage: basename string [suffix]\n       basename [-a] [-s suffix] string [...]"
	o, args, code, ok := c.parse(optSpec{short: "as:", long: map[string]longOpt{
		"multiple": {"a", noArg}, "suffix": {"s", reqArg}, "help": {"help", noArg},
	}, permute: true}, use, 1)
	if !ok {
		return code
	}
	suffix, hasSuffix := o.last("s")
	multiple := o.has("a") || hasSuffix
	if len(args) == 0 {
		if c.gnu {
			return c.usage("missing operand", "", 1)
		}
		return c.usage("", use, 1)
	}
	if !multiple {
		if len(args) > 2 {
			if c.gnu {
				return c.usage("extra operand "+quote(args[2]), "", 1)
			}
			return c.usage("", use, 1)
		}
		if len(args) == 2 {
			suffix = args[1]
		}
		args = args[:1]
	}
	for _, a := range args {
		c.out("%s\n", basename(a, suffix))
	}
	return 0
}

// basename strips directories and, unless it is the whole name, suffix.
func basename(s, suffix string) string {
	if s == "" {
		return ""
	}
	t := strings.TrimRight(s, "/")
	if t == "" {
		return "/"
	}
	if i := strings.LastIndex(t, "/"); i >= 0 {
		t = t[i+1:]
	}
	if suffix != "" && t != suffix && strings.HasSuffix(t, suffix) {
		t = strings.TrimSuffix(t, suffix)
	}
	return t
}

// runDirname is dirname(1).
func runDirname(c *cmd) int {
	_, args, code, ok := c.parse(optSpec{short: c.pick("", "z"), long: map[string]longOpt{"help": {"help", noArg}}, permute: true},
		"usage: dirname string [...]", 1)
	if !ok {
		return code
	}
	if len(args) == 0 {
		if c.gnu {
			return c.usage("missing operand", "", 1)
		}
		return c.usage("", "usage: dirname string [...]", 1)
	}
	for _, a := range args {
		c.out("%s\n", dirname(a))
	}
	return 0
}

// dirname is POSIX dirname: trailing slashes and the last component removed.
func dirname(s string) string {
	t := strings.TrimRight(s, "/")
	if t == "" {
		if strings.HasPrefix(s, "/") {
			return "/"
		}
		return "."
	}
	i := strings.LastIndex(t, "/")
	if i < 0 {
		return "."
	}
	t = strings.TrimRight(t[:i], "/")
	if t == "" {
		return "/"
	}
	return t
}

// pick chooses the FreeBSD or the GNU variant of a value.
func (c *cmd) pick(bsd, gnu string) string {
	if c.gnu {
		return gnu
	}
	return bsd
}
