package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
)

// caller describes the shell that runs a command, for its error messages.
// FreeBSD's sh prefixes them with its $0 ("sh: zfs: not found"); bash, which
// is /bin/sh on Rocky, adds the script line ("sh: line 1: zfs: command not
// found"). Exec, called by commands such as doas, reports as "sh" at line 1.
type caller struct {
	arg0 string
	line int
}

// Exec runs a program found by PATH lookup in the tree (or a path with a
// slash, relative to p.Dir), with p's stdio, user, dir and env, as a shell
// would. The program runs its Registry emulation (found by the path looked
// up, or by that path with its symlinks resolved); a file without one that
// starts with "#!/bin/sh" (on Rocky also bash) runs as a script through Shell.
// Anything else fails as a missing command: 127 and, on FreeBSD, "sh: NAME:
// not found" on stderr; 126 and "Permission denied" when not executable.
func (h *Host) Exec(p *Proc, argv []string) int {
	return h.exec(p, argv, caller{arg0: "sh", line: 1})
}

func (h *Host) exec(p *Proc, argv []string, c caller) int {
	if len(argv) == 0 {
		return 0
	}
	p = h.normalize(p)
	prog, err := h.LookPath(p, argv[0])
	if err != nil {
		return h.execFailed(p, argv[0], err, c)
	}
	return h.run(p, prog, argv, c)
}

// normalize returns p with its empty fields defaulted.
func (h *Host) normalize(p *Proc) *Proc {
	q := *p
	if q.Ctx == nil {
		q.Ctx = context.Background()
	}
	if q.Host == nil {
		q.Host = h
	}
	if isNilReader(q.Stdin) {
		q.Stdin = strings.NewReader("")
	}
	if q.Stdout == nil {
		q.Stdout = io.Discard
	}
	if q.Stderr == nil {
		q.Stderr = io.Discard
	}
	if q.Dir == "" {
		q.Dir = "/"
	}
	return &q
}

// LookPath finds the program name as the shell would for p: a name with a
// slash is taken relative to p.Dir, any other is searched in p's PATH (the
// OS default when unset). It returns the absolute path, or an error
// satisfying fs.ErrNotExist or fs.ErrPermission (found but not executable).
func (h *Host) LookPath(p *Proc, name string) (string, error) {
	dir := p.Dir
	if dir == "" {
		dir = "/"
	}
	if name == "" {
		return "", pathErr("exec", name, syscall.ENOENT)
	}
	if strings.Contains(name, "/") {
		abs := path.Join(dir, name)
		if path.IsAbs(name) {
			abs = path.Clean(name)
		}
		if err := h.executable(p.User, abs); err != nil {
			return "", &fs.PathError{Op: "exec", Path: name, Err: err}
		}
		return abs, nil
	}
	pathVar, ok := envValue(p.Env, "PATH")
	if !ok {
		pathVar = DefaultPath(h.OS)
	}
	found := syscall.ENOENT
	for d := range strings.SplitSeq(pathVar, ":") {
		cand := path.Join(d, name)
		if !path.IsAbs(d) {
			cand = path.Join(dir, d, name) // "" and relative entries mean the working directory
		}
		err := h.executable(p.User, cand)
		if err == nil {
			return cand, nil
		}
		if errors.Is(err, syscall.EACCES) {
			found = syscall.EACCES
		}
	}
	return "", pathErr("exec", name, found)
}

// executable checks that vpath is a regular file u may execute.
func (h *Host) executable(u User, vpath string) error {
	fi, err := h.Tree.StatAs(u, vpath)
	switch {
	case errors.Is(err, fs.ErrPermission):
		return syscall.EACCES
	case err != nil:
		return syscall.ENOENT
	case !fi.Mode.IsRegular():
		return syscall.EACCES
	case h.Tree.Access(u, vpath, AccessExec) != nil:
		return syscall.EACCES
	}
	return nil
}

// execFailed reports a program that could not be found or run.
func (h *Host) execFailed(p *Proc, name string, err error, c caller) int {
	code, text := 127, "not found"
	if errors.Is(err, fs.ErrPermission) {
		code, text = 126, ErrText(syscall.EACCES)
	}
	if h.OS == Rocky {
		if code == 127 {
			text = "command not found"
			if strings.Contains(name, "/") {
				text = ErrText(syscall.ENOENT)
			}
		}
		fmt.Fprintf(p.Stderr, "%s: line %d: %s: %s\n", c.arg0, c.line, name, text)
		return code
	}
	fmt.Fprintf(p.Stderr, "%s: %s: %s\n", c.arg0, name, text)
	return code
}

// run executes the program at the absolute path prog.
func (h *Host) run(p *Proc, prog string, argv []string, c caller) int {
	cmd := h.Registry[prog]
	if cmd == nil {
		if rp, err := h.Tree.RealPath(prog); err == nil {
			cmd = h.Registry[rp]
		}
	}
	if cmd != nil {
		q := *p
		q.Args = slices.Clone(argv)
		return runCommand(cmd, &q)
	}
	data, err := h.Tree.ReadFile(p.User, prog)
	if err != nil {
		return h.execFailed(p, argv[0], err, c)
	}
	// $0 of a script is the path the kernel was given: as typed when it
	// had a slash, else where PATH found it.
	script0 := prog
	if strings.Contains(argv[0], "/") {
		script0 = argv[0]
	}
	interp, args, ok := shebang(data)
	if !ok || string(data) == StubScript {
		// A stub whose emulation is not registered (in this process) must
		// not pass for a program that did nothing.
		return h.execFailed(p, argv[0], fs.ErrNotExist, c)
	}
	if h.isShell(interp, args) {
		var opts []string
		if len(args) > 0 && interp != "/usr/bin/env" {
			opts = args
		}
		return h.shell(p, string(data), append([]string{script0}, argv[1:]...), opts)
	}
	if h.Registry[interp] != nil && h.executable(p.User, interp) == nil {
		iargv := append([]string{interp}, args...)
		iargv = append(iargv, script0)
		return h.run(p, interp, append(iargv, argv[1:]...), c)
	}
	return h.execFailed(p, argv[0], fs.ErrNotExist, c)
}

// runCommand runs an emulation; a panic in one becomes its failure (status
// 70, EX_SOFTWARE, with the stack on stderr) instead of killing the lab's
// SSH servers with it.
func runCommand(cmd Command, p *Proc) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(p.Stderr, "%s: lab: emulation panicked: %v\n%s", p.Args[0], r, debug.Stack())
			code = 70
		}
	}()
	return cmd(p)
}

// shebang parses a "#!INTERPRETER [ARG]" first line.
func shebang(data []byte) (string, []string, bool) {
	if !bytes.HasPrefix(data, []byte("#!")) {
		return "", nil, false
	}
	line, _, _ := bytes.Cut(data[2:], []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) == 0 {
		return "", nil, false
	}
	return f[0], f[1:], true
}

// isShell reports whether a shebang names the host's POSIX shell.
func (h *Host) isShell(interp string, args []string) bool {
	shells := []string{"/bin/sh"}
	names := []string{"sh"}
	if h.OS == Rocky {
		shells = append(shells, "/usr/bin/sh", "/bin/bash", "/usr/bin/bash")
		names = append(names, "bash")
	}
	if interp == "/usr/bin/env" {
		return len(args) == 1 && slices.Contains(names, args[0])
	}
	return slices.Contains(shells, interp)
}

func isNilReader(r io.Reader) bool {
	if r == nil {
		return true
	}
	f, ok := r.(*os.File)
	return ok && f == nil
}
