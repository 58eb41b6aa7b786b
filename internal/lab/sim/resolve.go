package sim

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"syscall"
)

// maxSymlinks is the kernel's limit on links followed in one lookup
// (FreeBSD MAXSYMLINKS and Linux both use 32 for a whole path; 40 on Linux).
const maxSymlinks = 32

// Symlinks are stored on disk with their target verbatim, as the real system
// would show it (/usr/local/etc/x is absolute). os.Root refuses to follow an
// absolute target (it would leave the root), so every path is resolved here,
// component by component, against the tree: an absolute target restarts at the
// tree's root, ".." never climbs above it. The resolved path contains no
// symlink, and only then is it handed to os.Root, which stays the last line of
// defence against an escape.

// resolve returns the virtual path of name with every symlink resolved, the
// final one only when follow is set. A missing final component is not an
// error (the caller is about to create it or report it missing); a missing
// directory on the way is ENOENT. When u is set and not root, each directory
// searched needs its x bit for u (EACCES otherwise), as namei(9) demands; on
// a remote mount, for the credential the export maps u to. The route of a
// remote mount the path reaches is checked there (see remote.go).
func (w *walk) resolve(u *User, name string, follow bool) (string, error) {
	if name == "" {
		return "", syscall.ENOENT
	}
	comps := splitPath(name)
	if strings.HasSuffix(name, "/") {
		follow = true
	}
	cur := "/"
	curInfo, curPl, err := w.lstat("/")
	if err != nil {
		return "", err
	}
	links := 0
	for len(comps) > 0 {
		c := comps[0]
		comps = comps[1:]
		if c == ".." {
			cur = path.Dir(cur)
			if curInfo, curPl, err = w.lstat(cur); err != nil {
				return "", err
			}
			continue
		}
		if u != nil && (!u.IsRoot() || curPl.rr != nil) && !curPl.may(w.ident(*u, curPl), curInfo, 1) {
			return "", syscall.EACCES
		}
		next := path.Join(cur, c)
		fi, pl, err := w.lstat(next)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if len(comps) == 0 {
					return next, nil
				}
				return "", syscall.ENOENT
			}
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 && (len(comps) > 0 || follow) {
			links++
			if links > maxSymlinks {
				return "", syscall.ELOOP
			}
			target, err := w.readlink(next)
			if err != nil {
				return "", err
			}
			if strings.HasPrefix(target, "/") {
				cur = "/"
				if curInfo, curPl, err = w.lstat("/"); err != nil {
					return "", err
				}
			}
			comps = append(splitPath(target), comps...)
			continue
		}
		if len(comps) > 0 && !fi.IsDir() {
			return "", syscall.ENOTDIR
		}
		cur, curInfo, curPl = next, fi, pl
	}
	if strings.HasSuffix(name, "/") && !curInfo.IsDir() {
		return "", syscall.ENOTDIR
	}
	return cur, nil
}

// splitPath splits a virtual path into its components, dropping empty ones
// and "."; ".." stays, to be applied physically after symlinks.
func splitPath(p string) []string {
	var out []string
	for c := range strings.SplitSeq(p, "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}

// rel is the path os.Root takes for a resolved virtual path.
func rel(vpath string) string {
	if vpath == "/" {
		return "."
	}
	return strings.TrimPrefix(vpath, "/")
}

// clean makes name absolute and lexically clean, for messages and FileInfo.Path.
func clean(name string) string {
	return path.Clean("/" + name)
}
