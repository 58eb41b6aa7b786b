package unix

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// runCat is cat(1) with -n, -b, -s and -u.
func runCat(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: "bnsu", permute: true, long: map[string]longOpt{
		"number": {"n", noArg}, "number-nonblank": {"b", noArg}, "squeeze-blank": {"s", noArg}, "help": {"help", noArg},
	}}, "usage: cat [-belnstuv] [file ...]", 1)
	if !ok {
		return code
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	number, nonblank, squeeze := o.has("n"), o.has("b"), o.has("s")
	rc := 0
	line := 0
	for _, f := range files {
		r, err := c.open(f, true)
		if err != nil {
			c.pathErr(f, err)
			rc = 1
			continue
		}
		if !number && !nonblank && !squeeze {
			_, err = io.Copy(c.Stdout, r)
		} else {
			err = catNumbered(c.Stdout, r, nonblank, number, squeeze, &line)
		}
		r.Close()
		if err != nil && !isBrokenPipe(err) {
			c.pathErr(f, err)
			rc = 1
		}
	}
	return rc
}

// catNumbered writes r with line numbers ("%6d\t") as cat -n and -b do.
func catNumbered(w io.Writer, r io.Reader, nonblank, number, squeeze bool, line *int) error {
	br := bufio.NewReader(r)
	prevBlank := false
	for {
		s, err := br.ReadString('\n')
		if s != "" {
			blank := s == "\n"
			if !squeeze || !blank || !prevBlank {
				switch {
				case nonblank && !blank, number && !nonblank:
					*line++
					fmt.Fprintf(w, "%6d\t%s", *line, s)
				default:
					_, _ = io.WriteString(w, s)
				}
			}
			prevBlank = blank
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func isBrokenPipe(err error) bool {
	return errors.Is(err, io.ErrClosedPipe) || errors.Is(err, syscall.EPIPE)
}

// runMkdir is mkdir(1) with -p, -m and -v.
func runMkdir(c *cmd) int {
	o, dirs, code, ok := c.parse(optSpec{short: "m:pv", permute: true, long: map[string]longOpt{
		"mode": {"m", reqArg}, "parents": {"p", noArg}, "verbose": {"v", noArg}, "help": {"help", noArg},
	}}, "usage: mkdir [-pv] [-m mode] directory_name ...", 64)
	if !ok {
		return code
	}
	if len(dirs) == 0 {
		if c.gnu {
			return c.usage("missing operand", "", 1)
		}
		return c.usage("", "usage: mkdir [-pv] [-m mode] directory_name ...", 64)
	}
	mode, explicit := fs.FileMode(0o777), false
	if m, has := o.last("m"); has {
		nm, err := applyMode(m, 0o777, true, c.umask())
		if err != nil {
			if c.gnu {
				c.errorf("invalid mode %s", quote(m))
			} else {
				c.errorf("invalid file mode: %s", m)
			}
			return 1
		}
		mode, explicit = nm, true
	}
	rc := 0
	for _, d := range dirs {
		if err := c.mkdirOne(d, mode, explicit, o.has("p"), o.has("v")); err != nil {
			rc = 1
		}
	}
	return rc
}

func (c *cmd) mkdirOne(d string, mode fs.FileMode, explicit, parents, verbose bool) error {
	report := func(name string, err error) error {
		if c.gnu {
			c.errorf("cannot create directory %s: %s", quote(name), errText(err))
		} else {
			c.pathErr(name, err)
		}
		return err
	}
	created := func(name string) {
		if verbose {
			if c.gnu {
				c.out("%s: created directory %s\n", c.name, quote(name))
			} else {
				c.out("%s\n", name)
			}
		}
	}
	if !parents {
		if err := c.tree().Mkdir(c.User, c.abs(d), mode); err != nil {
			return report(d, relabel(err, d))
		}
		if explicit {
			_ = c.tree().Chmod(c.User, c.abs(d), mode)
		}
		created(d)
		return nil
	}
	// Intermediate directories get u+wx despite the umask, as both do.
	parts := strings.Split(strings.Trim(d, "/"), "/")
	prefix := ""
	if strings.HasPrefix(d, "/") {
		prefix = "/"
	}
	for i, part := range parts {
		if part == "" {
			continue
		}
		cur := prefix + strings.Join(parts[:i+1], "/")
		last := i == len(parts)-1
		fi, err := c.stat(cur)
		if err == nil {
			if !fi.IsDir() {
				if last {
					return report(d, pathError(d, syscall.EEXIST))
				}
				return report(d, pathError(d, syscall.ENOTDIR))
			}
			continue
		}
		t, m := c.Host.Tree.WithUmask(c.umask()&^0o300), fs.FileMode(0o777)
		if last {
			t, m = c.tree(), mode
		}
		if err := t.Mkdir(c.User, c.abs(cur), m); err != nil && !errors.Is(err, fs.ErrExist) {
			return report(d, relabel(err, d))
		}
		if last && explicit {
			_ = c.tree().Chmod(c.User, c.abs(cur), mode)
		}
		created(cur)
	}
	return nil
}

// runRmdir is rmdir(1) with -p and -v.
func runRmdir(c *cmd) int {
	o, dirs, code, ok := c.parse(optSpec{short: "pv", permute: true, long: map[string]longOpt{
		"parents": {"p", noArg}, "verbose": {"v", noArg}, "help": {"help", noArg},
	}}, "usage: rmdir [-pv] directory ...", 1)
	if !ok {
		return code
	}
	if len(dirs) == 0 {
		if c.gnu {
			return c.usage("missing operand", "", 1)
		}
		return c.usage("", "usage: rmdir [-pv] directory ...", 1)
	}
	rc := 0
	for _, d := range dirs {
		targets := []string{d}
		if o.has("p") {
			for p := path.Dir(strings.TrimRight(d, "/")); p != "." && p != "/"; p = path.Dir(p) {
				targets = append(targets, p)
			}
		}
		for _, t := range targets {
			err := c.rmdir(t)
			if err != nil {
				if c.gnu {
					c.errorf("failed to remove %s: %s", quote(t), errText(err))
				} else {
					c.pathErr(t, err)
				}
				rc = 1
				break
			}
			if o.has("v") {
				if c.gnu {
					c.out("%s: removing directory, %s\n", c.name, quote(t))
				} else {
					c.out("%s\n", t)
				}
			}
		}
	}
	return rc
}

func (c *cmd) rmdir(name string) error {
	fi, err := c.lstat(name)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return pathError(name, syscall.ENOTDIR)
	}
	return relabel(c.tree().Remove(c.User, c.abs(name)), name)
}

// runRm is rm(1) with -f, -r/-R, -d, -v (-i and -I are accepted and, with no
// terminal to ask on, do nothing).
func runRm(c *cmd) int {
	const use = "usage: rm [-f | -i] [-dIPRrvWx] file ...\n       unlink [--] file"
	o, files, code, ok := c.parse(optSpec{short: "dfiIPRrvx", permute: true, long: map[string]longOpt{
		"force": {"f", noArg}, "recursive": {"r", noArg}, "dir": {"d", noArg}, "verbose": {"v", noArg},
		"interactive": {"i", optArg}, "one-file-system": {"x", noArg}, "help": {"help", noArg},
	}}, use, 64)
	if !ok {
		return code
	}
	force := false
	for _, x := range o {
		switch x.key {
		case "f":
			force = true
		case "i", "I":
			force = false
		}
	}
	recursive, dirOK, verbose := o.has("r") || o.has("R"), o.has("d"), o.has("v")
	if len(files) == 0 {
		if force {
			return 0
		}
		if c.gnu {
			return c.usage("missing operand", "", 1)
		}
		return c.usage("", use, 64)
	}
	rc := 0
	for _, f := range files {
		if c.abs(f) == "/" && recursive {
			if c.gnu {
				c.errorf("it is dangerous to operate recursively on '/'")
				c.errorf("use --no-preserve-root to override this failsafe")
			} else {
				c.errorf("\"/\" may not be removed")
			}
			rc = 1
			continue
		}
		base := path.Base(strings.TrimRight(f, "/"))
		if base == "." || base == ".." {
			if c.gnu {
				c.errorf("refusing to remove '.' or '..' directory: skipping %s", quote(f))
			} else {
				c.errorf("\".\" and \"..\" may not be removed")
			}
			rc = 1
			continue
		}
		fail := func(err error) {
			if c.gnu {
				c.errorf("cannot remove %s: %s", quote(f), errText(err))
			} else {
				c.pathErr(f, err)
			}
			rc = 1
		}
		fi, err := c.lstat(f)
		if err != nil {
			if !force || !isNotExist(err) {
				fail(err)
			}
			continue
		}
		if fi.IsDir() {
			switch {
			case recursive:
				err = c.tree().RemoveAll(c.User, c.abs(f))
			case dirOK:
				err = c.tree().Remove(c.User, c.abs(f))
			default:
				if c.gnu {
					fail(pathError(f, syscall.EISDIR))
				} else {
					c.errorf("%s: is a directory", f)
					rc = 1
				}
				continue
			}
		} else {
			err = c.tree().Remove(c.User, c.abs(f))
		}
		if err != nil {
			fail(relabel(err, f))
			continue
		}
		if verbose {
			if c.gnu {
				if fi.IsDir() {
					c.out("removed directory %s\n", quote(f))
				} else {
					c.out("removed %s\n", quote(f))
				}
			} else {
				c.out("%s\n", f)
			}
		}
	}
	return rc
}

// runMv is mv(1) with -f, -n, -v (-i accepted: there is no terminal to ask on).
func runMv(c *cmd) int {
	const use = "usage: mv [-f | -i | -n] [-hv] source target\n       mv [-f | -i | -n] [-v] source ... directory"
	o, args, code, ok := c.parse(optSpec{short: "fhinv", permute: true, long: map[string]longOpt{
		"force": {"f", noArg}, "interactive": {"i", noArg}, "no-clobber": {"n", noArg}, "verbose": {"v", noArg}, "help": {"help", noArg},
	}}, use, 64)
	if !ok {
		return code
	}
	if len(args) < 2 {
		if c.gnu {
			if len(args) == 0 {
				return c.usage("missing file operand", "", 1)
			}
			return c.usage(fmt.Sprintf("missing destination file operand after %s", quote(args[0])), "", 1)
		}
		return c.usage("", use, 64)
	}
	srcs, target := args[:len(args)-1], args[len(args)-1]
	tfi, terr := c.stat(target)
	targetIsDir := terr == nil && tfi.IsDir()
	if len(srcs) > 1 && !targetIsDir {
		if c.gnu {
			c.errorf("target %s is not a directory", quote(target))
		} else {
			c.errorf("%s is not a directory", target)
		}
		return 1
	}
	noClobber := false
	for _, x := range o {
		switch x.key {
		case "n":
			noClobber = true
		case "f", "i":
			noClobber = false
		}
	}
	rc := 0
	for _, s := range srcs {
		dst := target
		if targetIsDir {
			dst = path.Join(target, path.Base(strings.TrimRight(s, "/")))
		}
		if _, err := c.lstat(s); err != nil {
			if c.gnu {
				c.errorf("cannot stat %s: %s", quote(s), errText(err))
			} else {
				c.errorf("rename %s to %s: %s", s, dst, errText(err))
			}
			rc = 1
			continue
		}
		if noClobber {
			if _, err := c.lstat(dst); err == nil {
				continue
			}
		}
		err := c.tree().Rename(c.User, c.abs(s), c.abs(dst))
		if errors.Is(err, syscall.EXDEV) {
			// across file systems (an NFS mount): copy, then remove, as
			// both mv(1)s do
			cp := copier{c: c, recursive: true, preserve: true}
			if !cp.copy(s, dst, true) {
				rc = 1
				continue
			}
			err = c.tree().RemoveAll(c.User, c.abs(s))
		}
		if err != nil {
			if c.gnu {
				c.errorf("cannot move %s to %s: %s", quote(s), quote(dst), errText(err))
			} else {
				c.errorf("rename %s to %s: %s", s, dst, errText(err))
			}
			rc = 1
			continue
		}
		if o.has("v") {
			if c.gnu {
				c.out("renamed %s -> %s\n", quote(s), quote(dst))
			} else {
				c.out("%s -> %s\n", s, dst)
			}
		}
	}
	return rc
}

// runCp is cp(1) with -R/-r, -p, -f, -n, -v (and GNU's -a).
func runCp(c *cmd) int {
	const use = "usage: cp [-R [-H | -L | -P]] [-f | -i | -n] [-alpsvx] source_file target_file\n" +
		"       cp [-R [-H | -L | -P]] [-f | -i | -n] [-alpsvx] source_file ... target_directory"
	o, args, code, ok := c.parse(optSpec{short: "aRrpfinvP", permute: true, long: map[string]longOpt{
		"archive": {"a", noArg}, "recursive": {"r", noArg}, "force": {"f", noArg}, "interactive": {"i", noArg},
		"no-clobber": {"n", noArg}, "verbose": {"v", noArg}, "no-dereference": {"P", noArg},
		"preserve": {"preserve", optArg}, "help": {"help", noArg},
	}}, use, 64)
	if !ok {
		return code
	}
	if len(args) < 2 {
		if c.gnu {
			if len(args) == 0 {
				return c.usage("missing file operand", "", 1)
			}
			return c.usage(fmt.Sprintf("missing destination file operand after %s", quote(args[0])), "", 1)
		}
		return c.usage("", use, 64)
	}
	cp := copier{c: c, recursive: o.has("R") || o.has("r") || o.has("a"), preserve: o.has("p") || o.has("a") || o.has("preserve"),
		noClobber: o.has("n"), verbose: o.has("v")}
	srcs, target := args[:len(args)-1], args[len(args)-1]
	tfi, terr := c.stat(target)
	targetIsDir := terr == nil && tfi.IsDir()
	if len(srcs) > 1 && !targetIsDir {
		if c.gnu {
			c.errorf("target %s is not a directory", quote(target))
		} else {
			c.errorf("%s is not a directory", target)
		}
		return 1
	}
	rc := 0
	for _, s := range srcs {
		dst := target
		if targetIsDir {
			dst = path.Join(target, path.Base(strings.TrimRight(s, "/")))
		}
		if !cp.copy(s, dst, true) {
			rc = 1
		}
	}
	return rc
}

// copier copies files and trees inside the host's tree.
type copier struct {
	c                                       *cmd
	recursive, preserve, noClobber, verbose bool
}

func (cp *copier) copy(src, dst string, top bool) bool {
	c := cp.c
	var fi sim.FileInfo
	var err error
	if top && !cp.recursive {
		fi, err = c.stat(src)
	} else {
		fi, err = c.lstat(src)
	}
	if err != nil {
		if c.gnu {
			c.errorf("cannot stat %s: %s", quote(src), errText(err))
		} else {
			c.pathErr(src, err)
		}
		return false
	}
	if cp.noClobber {
		if _, err := c.lstat(dst); err == nil {
			return true
		}
	}
	switch {
	case fi.IsDir():
		if !cp.recursive {
			if c.gnu {
				c.errorf("-r not specified; omitting directory %s", quote(src))
			} else {
				c.errorf("%s is a directory (not copied).", src)
			}
			return false
		}
		return cp.copyDir(src, dst, fi)
	case fi.Mode&fs.ModeSymlink != 0:
		_ = c.tree().Remove(c.User, c.abs(dst))
		if err := c.tree().Symlink(c.User, fi.Target, c.abs(dst)); err != nil {
			c.pathErr(dst, relabel(err, dst))
			return false
		}
	default:
		if err := cp.copyFile(src, dst, fi); err != nil {
			return false
		}
	}
	if cp.verbose {
		if c.gnu {
			c.out("%s -> %s\n", quote(src), quote(dst))
		} else {
			c.out("%s -> %s\n", src, dst)
		}
	}
	return true
}

func (cp *copier) copyFile(src, dst string, fi sim.FileInfo) error {
	c := cp.c
	data, err := c.readAll(src, false)
	if err != nil {
		c.pathErr(src, err)
		return err
	}
	_, existed := c.stat(dst)
	perm := fi.Mode.Perm()
	if err := c.tree().WriteFile(c.User, c.abs(dst), data, perm); err != nil {
		err = relabel(err, dst)
		if c.gnu {
			c.errorf("cannot create regular file %s: %s", quote(dst), errText(err))
		} else {
			c.pathErr(dst, err)
		}
		return err
	}
	if cp.preserve {
		cp.preserveAttrs(dst, fi)
	} else if existed != nil {
		_ = c.tree().Chmod(c.User, c.abs(dst), fileMode(unixMode(fi.Mode))&^(c.umask()|fs.ModeSetuid|fs.ModeSetgid))
	}
	return nil
}

func (cp *copier) preserveAttrs(dst string, fi sim.FileInfo) {
	c := cp.c
	if c.User.IsRoot() {
		_ = c.tree().Chown(c.User, c.abs(dst), fi.Owner, fi.Group)
	}
	_ = c.tree().Chmod(c.User, c.abs(dst), fileMode(unixMode(fi.Mode)))
}

func (cp *copier) copyDir(src, dst string, fi sim.FileInfo) bool {
	c := cp.c
	if dfi, err := c.stat(dst); err != nil {
		if err := c.tree().Mkdir(c.User, c.abs(dst), fi.Mode.Perm()|0o700); err != nil {
			c.pathErr(dst, relabel(err, dst))
			return false
		}
	} else if !dfi.IsDir() {
		c.pathErr(dst, pathError(dst, syscall.ENOTDIR))
		return false
	}
	entries, err := c.tree().ReadDir(c.User, c.abs(src))
	if err != nil {
		c.pathErr(src, relabel(err, src))
		return false
	}
	ok := true
	for _, e := range entries {
		if !cp.copy(path.Join(src, e.Name), path.Join(dst, e.Name), false) {
			ok = false
		}
	}
	if cp.preserve {
		cp.preserveAttrs(dst, fi)
	} else {
		_ = c.tree().Chmod(c.User, c.abs(dst), fi.Mode.Perm()&^c.umask())
	}
	return ok
}

// runLn is ln(1) with -s, -f, -n/-h, -v. The tree has no hard links, so a
// hard link is made as a copy with the same mode and owner.
func runLn(c *cmd) int {
	const use = "usage: ln [-s [-F] | -L | -P] [-f | -i] [-hnv] source_file [target_file]\n" +
		"       ln [-s [-F] | -L | -P] [-f | -i] [-hnv] source_file ... target_dir\n" +
		"       link source_file target_file"
	o, args, code, ok := c.parse(optSpec{short: "sfnhvi", permute: true, long: map[string]longOpt{
		"symbolic": {"s", noArg}, "force": {"f", noArg}, "no-dereference": {"n", noArg}, "verbose": {"v", noArg},
		"interactive": {"i", noArg}, "help": {"help", noArg},
	}}, use, 1)
	if !ok {
		return code
	}
	if len(args) == 0 {
		if c.gnu {
			return c.usage("missing file operand", "", 1)
		}
		return c.usage("", use, 1)
	}
	if len(args) == 1 {
		args = append(args, ".")
	}
	srcs, target := args[:len(args)-1], args[len(args)-1]
	noDeref := o.has("n") || o.has("h")
	targetIsDir := false
	if fi, err := c.lstat(target); err == nil {
		if fi.IsDir() {
			targetIsDir = true
		} else if fi.Mode&fs.ModeSymlink != 0 && !noDeref {
			if tfi, err := c.stat(target); err == nil && tfi.IsDir() {
				targetIsDir = true
			}
		}
	}
	if len(srcs) > 1 && !targetIsDir {
		if c.gnu {
			c.errorf("target %s is not a directory", quote(target))
		} else {
			c.pathErr(target, pathError(target, syscall.ENOTDIR))
		}
		return 1
	}
	symbolic, force := o.has("s"), o.has("f")
	rc := 0
	for _, s := range srcs {
		dst := target
		if targetIsDir {
			dst = path.Join(target, path.Base(strings.TrimRight(s, "/")))
		}
		fail := func(err error) {
			switch {
			case c.gnu && symbolic:
				c.errorf("failed to create symbolic link %s: %s", quote(dst), errText(err))
			case c.gnu:
				c.errorf("failed to create hard link %s => %s: %s", quote(dst), quote(s), errText(err))
			default:
				c.pathErr(dst, err)
			}
			rc = 1
		}
		if !symbolic {
			if _, err := c.stat(s); err != nil {
				if c.gnu {
					c.errorf("failed to access %s: %s", quote(s), errText(err))
				} else {
					c.pathErr(s, err)
				}
				rc = 1
				continue
			}
		}
		if dfi, err := c.lstat(dst); err == nil {
			if !force {
				fail(pathError(dst, syscall.EEXIST))
				continue
			}
			if dfi.IsDir() {
				fail(pathError(dst, syscall.EISDIR))
				continue
			}
			if err := c.tree().Remove(c.User, c.abs(dst)); err != nil {
				fail(relabel(err, dst))
				continue
			}
		}
		var err error
		if symbolic {
			err = c.tree().Symlink(c.User, s, c.abs(dst))
		} else {
			cp := copier{c: c, preserve: true}
			var fi sim.FileInfo
			if fi, err = c.stat(s); err == nil {
				if fi.IsDir() {
					err = pathError(s, syscall.EPERM)
				} else if data, rerr := c.readAll(s, false); rerr != nil {
					err = rerr
				} else if err = c.tree().WriteFile(c.User, c.abs(dst), data, fi.Mode.Perm()); err == nil {
					cp.preserveAttrs(dst, fi)
				}
			}
		}
		if err != nil {
			fail(relabel(err, dst))
			continue
		}
		if o.has("v") {
			arrow := "->"
			if !symbolic {
				arrow = "=>"
			}
			if c.gnu {
				c.out("%s %s %s\n", quote(dst), arrow, quote(s))
			} else {
				c.out("%s %s %s\n", dst, arrow, s)
			}
		}
	}
	return rc
}

// runTouch is touch(1) with -c (-a, -m and -f accepted): it creates missing
// files and sets the times of existing ones to now.
func runTouch(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: "acfm", permute: true, long: map[string]longOpt{
		"no-create": {"c", noArg}, "help": {"help", noArg},
	}}, "usage: touch [-A [-][[hh]mm]SS] [-achm] [-r file] [-t [[CC]YY]MMDDhhmm[.SS]]\n       [-d YYYY-MM-DDThh:mm:SS[.frac][tz]] file ...", 1)
	if !ok {
		return code
	}
	if len(files) == 0 {
		if c.gnu {
			return c.usage("missing file operand", "", 1)
		}
		return c.usage("", "usage: touch [-A [-][[hh]mm]SS] [-achm] [-r file] [-t [[CC]YY]MMDDhhmm[.SS]]\n       [-d YYYY-MM-DDThh:mm:SS[.frac][tz]] file ...", 1)
	}
	rc := 0
	for _, f := range files {
		fail := func(err error) {
			if c.gnu {
				c.errorf("cannot touch %s: %s", quote(f), errText(err))
			} else {
				c.pathErr(f, err)
			}
			rc = 1
		}
		if devices[c.abs(f)] {
			continue
		}
		_, err := c.stat(f)
		switch {
		case err != nil && isNotExist(err):
			if o.has("c") {
				continue
			}
			now := c.Host.Now()
			if err := c.tree().WriteFile(c.User, c.abs(f), nil, 0o666); err != nil {
				fail(relabel(err, f))
			} else {
				_ = c.tree().Chtimes(c.User, c.abs(f), now, now)
			}
		case err != nil:
			fail(err)
		default:
			now := c.Host.Now()
			if err := c.tree().Chtimes(c.User, c.abs(f), now, now); err != nil {
				fail(relabel(err, f))
			}
		}
	}
	return rc
}
