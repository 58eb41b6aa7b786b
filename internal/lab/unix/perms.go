package unix

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// walk calls fn for name and, when recursive, for everything below it
// (symbolic links are not followed, as with -P, the default of -R).
func (c *cmd) walk(name string, recursive bool, fn func(name string, fi fileInfo) error) error {
	fi, err := c.stat(name)
	if err != nil {
		return err
	}
	if err := fn(name, fi); err != nil {
		return err
	}
	if !recursive || !fi.IsDir() {
		return nil
	}
	var rec func(dir string) error
	rec = func(dir string) error {
		entries, err := c.tree().ReadDir(c.User, c.abs(dir))
		if err != nil {
			return relabel(err, dir)
		}
		var first error
		for _, e := range entries {
			p := path.Join(dir, e.Name)
			efi, err := c.lstat(p)
			if err != nil {
				continue
			}
			if efi.Mode&fs.ModeSymlink != 0 {
				continue
			}
			if err := fn(p, efi); err != nil && first == nil {
				first = err
			}
			if efi.IsDir() {
				if err := rec(p); err != nil && first == nil {
					first = err
				}
			}
		}
		return first
	}
	return rec(name)
}

// modeArg reports whether a "-..." argument is a chmod mode such as -w or -x,
// which both chmod implementations take as the mode operand.
func modeArg(a string) bool {
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	for _, ch := range a[1:] {
		if !strings.ContainsRune("rwxXstugoa,+-=01234567", ch) {
			return false
		}
	}
	return true
}

// splitPermOpts separates -R -f -v -h (and -H -L -P) from the operands,
// leaving a mode like "-w" among the operands.
func (c *cmd) splitPermOpts(bsdUsage string) (opts, []string, int, bool) {
	var o opts
	args := c.args()
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if c.gnu && strings.HasPrefix(a, "--") {
			name, val, _ := strings.Cut(a[2:], "=")
			key, lo, msg := matchLong(true, map[string]longOpt{
				"recursive": {"R", noArg}, "silent": {"f", noArg}, "quiet": {"f", noArg}, "verbose": {"v", noArg},
				"changes": {"v", noArg}, "no-dereference": {"h", noArg}, "dereference": {"deref", noArg},
				"reference": {"reference", reqArg}, "help": {"help", noArg},
			}, name)
			if msg != "" {
				return nil, nil, c.usage(msg, "", 1), false
			}
			if key == "help" {
				fmt.Fprintf(c.Stdout, "Usage: %s [OPTION]... MODE[,MODE]... FILE...\n", c.name)
				return nil, nil, 0, false
			}
			o = append(o, option{key: lo.key, val: val})
			continue
		}
		if len(a) < 2 || a[0] != '-' || (c.name == "chmod" && modeArg(a)) {
			break
		}
		for _, ch := range a[1:] {
			if !strings.ContainsRune("RfvhHLP", ch) {
				if c.gnu {
					return nil, nil, c.usage(fmt.Sprintf("invalid option -- '%c'", ch), "", 1), false
				}
				return nil, nil, c.usage(fmt.Sprintf("illegal option -- %c", ch), bsdUsage, 1), false
			}
			o = append(o, option{key: string(ch)})
		}
	}
	return o, args[i:], 0, true
}

// runChmod is chmod(1) with octal and symbolic modes, -R, -f, -v.
func runChmod(c *cmd) int {
	const use = "usage: chmod [-fhv] [-R [-H | -L | -P]] mode file ..."
	o, args, code, ok := c.splitPermOpts(use)
	if !ok {
		return code
	}
	if len(args) < 2 {
		if c.gnu {
			if len(args) == 0 {
				return c.usage("missing operand", "", 1)
			}
			return c.usage("missing operand after "+quote(args[0]), "", 1)
		}
		return c.usage("", use, 1)
	}
	spec, files := args[0], args[1:]
	if _, err := applyMode(spec, 0o644, false, c.umask()); err != nil {
		if c.gnu {
			return c.usage("invalid mode: "+quote(spec), "", 1)
		}
		c.errorf("Invalid file mode: %s", spec)
		return 1
	}
	quiet, verbose := o.has("f"), o.has("v")
	rc := 0
	for _, f := range files {
		err := c.walk(f, o.has("R"), func(name string, fi fileInfo) error {
			nm, _ := applyMode(spec, fi.Mode, fi.IsDir(), c.umask())
			if err := c.tree().Chmod(c.User, c.abs(name), nm); err != nil {
				err = relabel(err, name)
				if !quiet {
					if c.gnu {
						c.errorf("changing permissions of %s: %s", quote(name), errText(err))
					} else {
						c.pathErr(name, err)
					}
				}
				rc = 1
				return nil
			}
			if verbose {
				if c.gnu {
					c.out("mode of %s changed from %04o (%s) to %04o (%s)\n", quote(name),
						unixMode(fi.Mode), modeString(fi.Mode)[1:], unixMode(nm), modeString(nm)[1:])
				} else {
					c.out("%s\n", name)
				}
			}
			return nil
		})
		if err != nil {
			if !quiet {
				if c.gnu {
					c.errorf("cannot access %s: %s", quote(f), errText(err))
				} else {
					c.pathErr(f, err)
				}
			}
			rc = 1
		}
	}
	return rc
}

// runChown is chown(8) with owner[:group], :group, -R, -f, -v, -h.
func runChown(c *cmd) int {
	const use = "usage: chown [-fhvx] [-R [-H | -L | -P]] owner[:group] file ...\n" +
		"       chown [-fhvx] [-R [-H | -L | -P]] :group file ..."
	return c.chownCommon(use, false)
}

// runChgrp is chgrp(1).
func runChgrp(c *cmd) int {
	return c.chownCommon("usage: chgrp [-fhvx] [-R [-H | -L | -P]] group file ...", true)
}

func (c *cmd) chownCommon(use string, groupOnly bool) int {
	o, args, code, ok := c.splitPermOpts(use)
	if !ok {
		return code
	}
	if len(args) < 2 {
		if c.gnu {
			if len(args) == 0 {
				return c.usage("missing operand", "", 1)
			}
			return c.usage("missing operand after "+quote(args[0]), "", 1)
		}
		return c.usage("", use, 1)
	}
	spec, files := args[0], args[1:]
	owner, grp := "", spec
	if !groupOnly {
		owner, grp = spec, ""
		if i := strings.IndexAny(spec, ":."); i >= 0 && (spec[i] == ':' || !c.knownUser(spec)) {
			owner, grp = spec[:i], spec[i+1:]
			if grp == "" && spec[i] == ':' && c.gnu && owner != "" {
				// GNU: "owner:" means the owner's login group.
				if u, ok := c.Host.LookupUser(owner); ok {
					grp = u.Group
				}
			}
		}
	}
	if owner != "" && !c.knownUser(owner) {
		if c.gnu {
			c.errorf("invalid user: %s", quote(spec))
		} else {
			c.errorf("%s: illegal user name", owner)
		}
		return 1
	}
	if grp != "" {
		if _, ok := lookupGroup(c.groups(), grp); !ok && !isNumber(grp) {
			if c.gnu {
				c.errorf("invalid group: %s", quote(spec))
			} else {
				c.errorf("%s: illegal group name", grp)
			}
			return 1
		}
	}
	if owner != "" {
		if u, ok := c.Host.LookupUser(owner); ok {
			owner = u.Name
		}
	}
	if g, ok := lookupGroup(c.groups(), grp); ok {
		grp = g.Name
	}
	quiet, verbose := o.has("f"), o.has("v")
	rc := 0
	for _, f := range files {
		err := c.walk(f, o.has("R"), func(name string, fi fileInfo) error {
			if err := c.tree().Chown(c.User, c.abs(name), owner, grp); err != nil {
				err = relabel(err, name)
				if !quiet {
					if c.gnu {
						what := "ownership"
						if owner == "" {
							what = "group"
						}
						c.errorf("changing %s of %s: %s", what, quote(name), errText(err))
					} else {
						c.pathErr(name, err)
					}
				}
				rc = 1
				return nil
			}
			if verbose {
				if c.gnu {
					c.out("changed ownership of %s to %s\n", quote(name), spec)
				} else {
					c.out("%s\n", name)
				}
			}
			return nil
		})
		if err != nil {
			if !quiet {
				if c.gnu {
					c.errorf("cannot access %s: %s", quote(f), errText(err))
				} else {
					c.pathErr(f, err)
				}
			}
			rc = 1
		}
	}
	return rc
}

func (c *cmd) knownUser(name string) bool {
	if _, ok := c.Host.LookupUser(name); ok {
		return true
	}
	return isNumber(name)
}

func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 32)
	return err == nil
}
