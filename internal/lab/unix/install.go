package unix

import (
	"bytes"
	"io/fs"
	"path"
	"syscall"
)

// FreeBSD's install(1) exits with sysexits(3) codes.
const (
	exUsage  = 64
	exNoUser = 67
	exOSErr  = 71
)

const installUsage = `usage: install [-bCcpSsUv] [-f flags] [-g group] [-m mode] [-o owner]
               [-M log] [-D dest] [-h hash] [-T tags]
               [-B suffix] [-l linkflags] [-N dbdir]
               file1 file2
       install [-bCcpSsUv] [-f flags] [-g group] [-m mode] [-o owner]
               [-M log] [-D dest] [-h hash] [-T tags]
               [-B suffix] [-l linkflags] [-N dbdir]
               file1 ... fileN directory
       install -dU [-vU] [-g group] [-m mode] [-N dbdir] [-o owner]
               [-M log] [-D dest] [-h hash] [-T tags]
               directory ...`

// runInstall is install(1): -d, -m, -o, -g, -C, -S, -c, -p, -s (no-op),
// -v, and GNU's -D and -t DIR.
func runInstall(c *cmd) int {
	spec := optSpec{short: "CcdSg:m:o:psv", permute: true}
	if c.gnu {
		spec = optSpec{short: "CcDdg:m:o:pst:Tv", permute: true, long: map[string]longOpt{
			"compare": {"C", noArg}, "directory": {"d", noArg}, "group": {"g", reqArg}, "mode": {"m", reqArg},
			"owner": {"o", reqArg}, "preserve-timestamps": {"p", noArg}, "strip": {"s", noArg},
			"target-directory": {"t", reqArg}, "no-target-directory": {"T", noArg}, "verbose": {"v", noArg}, "help": {"help", noArg},
		}}
	}
	o, args, code, ok := c.parse(spec, installUsage, exUsage)
	if !ok {
		return code
	}
	fail := func(bsdCode int) int {
		if c.gnu {
			return 1
		}
		return bsdCode
	}
	mode := fs.FileMode(0o755)
	if m, has := o.last("m"); has {
		nm, err := applyMode(m, 0o755, false, c.umask())
		if err != nil {
			if c.gnu {
				c.errorf("invalid mode %s", quote(m))
			} else {
				c.errorf("invalid file mode: %s", m)
			}
			return fail(exUsage)
		}
		mode = nm
	}
	owner, _ := o.last("o")
	grp, _ := o.last("g")
	if owner != "" && !c.knownUser(owner) {
		if c.gnu {
			c.errorf("invalid user %s", quote(owner))
		} else {
			c.errorf("unknown user %s", owner)
		}
		return fail(exNoUser)
	}
	if grp != "" {
		if _, found := lookupGroup(c.groups(), grp); !found && !isNumber(grp) {
			if c.gnu {
				c.errorf("invalid group %s", quote(grp))
			} else {
				c.errorf("unknown group %s", grp)
			}
			return fail(exNoUser)
		}
	}
	in := installer{c: c, mode: mode, owner: owner, group: grp, compare: o.has("C"), verbose: o.has("v")}

	if o.has("d") {
		if len(args) == 0 {
			if c.gnu {
				return c.usage("missing file operand", "", 1)
			}
			return c.usage("", installUsage, exUsage)
		}
		rc := 0
		for _, d := range args {
			if !in.dir(d) {
				rc = fail(exOSErr)
			}
		}
		return rc
	}

	target, hasT := o.last("t")
	if !hasT {
		if len(args) < 2 {
			if c.gnu {
				if len(args) == 0 {
					return c.usage("missing file operand", "", 1)
				}
				return c.usage("missing destination file operand after "+quote(args[0]), "", 1)
			}
			return c.usage("", installUsage, exUsage)
		}
		target, args = args[len(args)-1], args[:len(args)-1]
	}
	if o.has("D") {
		parent := target
		if !hasT {
			parent = path.Dir(target)
		}
		if !in.parents(parent) {
			return 1
		}
	}
	tfi, terr := c.stat(target)
	toDir := terr == nil && tfi.IsDir() && !o.has("T")
	if len(args) > 1 && !toDir {
		if c.gnu {
			c.errorf("target %s is not a directory", quote(target))
			return 1
		}
		c.errorf("%s: %s", target, errText(pathError(target, syscall.ENOTDIR)))
		return exOSErr
	}
	rc := 0
	for _, src := range args {
		dst := target
		if toDir {
			dst = path.Join(target, path.Base(src))
		}
		if !in.file(src, dst) {
			rc = fail(exOSErr)
		}
	}
	return rc
}

type installer struct {
	c                *cmd
	mode             fs.FileMode
	owner, group     string
	compare, verbose bool
}

// attrs sets mode and ownership, reporting as install does.
func (in *installer) attrs(name string) bool {
	c := in.c
	if in.owner != "" || in.group != "" {
		owner, grp := in.owner, in.group
		if u, ok := c.Host.LookupUser(owner); ok {
			owner = u.Name
		}
		if g, ok := lookupGroup(c.groups(), grp); ok {
			grp = g.Name
		}
		if err := c.tree().Chown(c.User, c.abs(name), owner, grp); err != nil {
			err = relabel(err, name)
			if c.gnu {
				c.errorf("cannot change ownership of %s: %s", quote(name), errText(err))
			} else {
				c.errorf("%s: chown/chgrp: %s", name, errText(err))
			}
			return false
		}
	}
	if err := c.tree().Chmod(c.User, c.abs(name), in.mode); err != nil {
		err = relabel(err, name)
		if c.gnu {
			c.errorf("cannot change permissions of %s: %s", quote(name), errText(err))
		} else {
			c.errorf("%s: chmod: %s", name, errText(err))
		}
		return false
	}
	return true
}

// parents creates dir and its missing parents with mode 0755.
func (in *installer) parents(dir string) bool {
	c := in.c
	if err := c.tree().MkdirAll(c.User, c.abs(dir), 0o755); err != nil {
		err = relabel(err, dir)
		if c.gnu {
			c.errorf("cannot create directory %s: %s", quote(dir), errText(err))
		} else {
			c.pathErr(dir, err)
		}
		return false
	}
	return true
}

func (in *installer) dir(d string) bool {
	c := in.c
	if fi, err := c.stat(d); err == nil && !fi.IsDir() {
		if c.gnu {
			c.errorf("cannot create directory %s: %s", quote(d), errText(pathError(d, syscall.EEXIST)))
		} else {
			c.errorf("%s exists but is not a directory", d)
		}
		return false
	}
	if !in.parents(d) {
		return false
	}
	if in.verbose {
		if c.gnu {
			c.out("install: creating directory %s\n", quote(d))
		} else {
			c.out("install: mkdir %s\n", d)
		}
	}
	return in.attrs(d)
}

func (in *installer) file(src, dst string) bool {
	c := in.c
	sfi, err := c.stat(src)
	if err != nil {
		if c.gnu {
			c.errorf("cannot stat %s: %s", quote(src), errText(err))
		} else {
			c.pathErr(src, err)
		}
		return false
	}
	if sfi.IsDir() {
		if c.gnu {
			c.errorf("omitting directory %s", quote(src))
		} else {
			c.errorf("%s: %s", src, "Inappropriate file type or format")
		}
		return false
	}
	data, err := c.readAll(src, false)
	if err != nil {
		c.pathErr(src, err)
		return false
	}
	if in.compare {
		if old, err := c.tree().ReadFile(c.User, c.abs(dst)); err == nil && bytes.Equal(old, data) {
			return in.attrs(dst)
		}
	}
	// A fresh file, as install unlinks the target before writing it.
	if fi, err := c.lstat(dst); err == nil && !fi.IsDir() {
		_ = c.tree().Remove(c.User, c.abs(dst))
	}
	if err := c.tree().WriteFile(c.User, c.abs(dst), data, 0o600); err != nil {
		err = relabel(err, dst)
		if c.gnu {
			c.errorf("cannot create regular file %s: %s", quote(dst), errText(err))
		} else {
			c.pathErr(dst, err)
		}
		return false
	}
	if in.verbose {
		if c.gnu {
			c.out("%s -> %s\n", quote(src), quote(dst))
		} else {
			c.out("install: %s -> %s\n", src, dst)
		}
	}
	return in.attrs(dst)
}
