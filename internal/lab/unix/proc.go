package unix

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// cmd is one running utility: the process plus its name and dialect.
type cmd struct {
	*sim.Proc
	name string // base name of Args[0], as err(3) and GNU's error() print it
	gnu  bool   // GNU coreutils (Rocky) rather than FreeBSD base
}

func newCmd(p *sim.Proc) *cmd {
	name := "sh"
	if len(p.Args) > 0 {
		name = path.Base(p.Args[0])
	}
	return &cmd{Proc: p, name: name, gnu: p.Host.OS == sim.Rocky}
}

// args returns the arguments after the program name.
func (c *cmd) args() []string {
	if len(c.Args) == 0 {
		return nil
	}
	return c.Args[1:]
}

// errorf prints "name: message" on stderr, as warnx(3) and error(3) do.
func (c *cmd) errorf(format string, a ...any) {
	fmt.Fprintf(c.Stderr, "%s: %s\n", c.name, fmt.Sprintf(format, a...))
}

// pathErr prints "name: PATH: strerror", as warn(3) does for a path.
func (c *cmd) pathErr(name string, err error) {
	c.errorf("%s: %s", name, sim.ErrText(err))
}

// errText is the strerror text of a tree error.
func errText(err error) string { return sim.ErrText(err) }

// out writes to stdout.
func (c *cmd) out(format string, a ...any) {
	fmt.Fprintf(c.Stdout, format, a...)
}

// usage reports a bad invocation: the parser's message, then the BSD usage
// text or GNU's "Try" line; it returns code.
func (c *cmd) usage(msg, bsdUsage string, code int) int {
	if msg != "" {
		c.errorf("%s", msg)
	}
	if c.gnu {
		fmt.Fprintf(c.Stderr, "Try '%s --help' for more information.\n", c.name)
	} else if bsdUsage != "" {
		fmt.Fprintln(c.Stderr, bsdUsage)
	}
	return code
}

// parse runs the dialect's option parser. ok is false after a usage error,
// whose exit status is then code.
func (c *cmd) parse(spec optSpec, bsdUsage string, code int) (opts, []string, int, bool) {
	o, operands, msg := parseOpts(c.gnu, spec, c.args())
	if msg != "" {
		return nil, nil, c.usage(msg, bsdUsage, code), false
	}
	if c.gnu && o.has("help") {
		fmt.Fprintf(c.Stdout, "Usage: %s [OPTION]... [FILE]...\n", c.name)
		return nil, nil, 0, false
	}
	return o, operands, 0, true
}

// abs turns a name into a virtual absolute path relative to the working directory.
func (c *cmd) abs(name string) string {
	if strings.HasPrefix(name, "/") {
		return path.Clean(name)
	}
	dir := c.Dir
	if dir == "" {
		dir = "/"
	}
	return path.Join(dir, name)
}

// tree is the host's file tree as this process creates files: with its umask.
func (c *cmd) tree() *sim.Tree { return c.Tree() }

// umask is the process's file creation mask.
func (c *cmd) umask() fs.FileMode { return c.Umask() }

// stat and lstat resolve name against the working directory.
func (c *cmd) stat(name string) (sim.FileInfo, error) {
	fi, err := c.tree().Stat(c.abs(name))
	return fi, relabel(err, name)
}

func (c *cmd) lstat(name string) (sim.FileInfo, error) {
	fi, err := c.tree().Lstat(c.abs(name))
	return fi, relabel(err, name)
}

// relabel makes a tree error carry the name as the user typed it, since the
// utilities print what they were given, not the absolute path.
func relabel(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: name, Err: pe.Err}
	}
	return err
}

// devices are the character devices the utilities read or write themselves,
// since the interpreter's open handler only sees the shell's own redirections.
var devices = map[string]bool{
	"/dev/null": true, "/dev/zero": true, "/dev/random": true, "/dev/urandom": true,
	"/dev/stdin": true, "/dev/stdout": true, "/dev/stderr": true,
}

// open opens name for reading: "-" is stdin where dash is true, the random
// and zero devices are endless streams.
func (c *cmd) open(name string, dash bool) (io.ReadCloser, error) {
	if dash && name == "-" {
		return io.NopCloser(c.Stdin), nil
	}
	p := c.abs(name)
	switch p {
	case "/dev/stdin":
		return io.NopCloser(c.Stdin), nil
	case "/dev/null":
		return io.NopCloser(strings.NewReader("")), nil
	case "/dev/zero":
		return io.NopCloser(zeroReader{}), nil
	case "/dev/random", "/dev/urandom":
		return io.NopCloser(randReader{}), nil
	}
	fi, err := c.tree().Stat(p)
	if err != nil {
		return nil, relabel(err, name)
	}
	if fi.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: syscall.EISDIR}
	}
	f, err := c.tree().OpenFile(c.User, p, os.O_RDONLY, 0)
	if err != nil {
		return nil, relabel(err, name)
	}
	return f, nil
}

// readAll reads a whole input.
func (c *cmd) readAll(name string, dash bool) ([]byte, error) {
	r, err := c.open(name, dash)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// create opens name for writing (truncating, or appending); a new file gets
// mode 0666 less the umask, as open(2) gives it.
func (c *cmd) create(name string, appendTo bool) (io.WriteCloser, error) {
	p := c.abs(name)
	switch p {
	case "/dev/null", "/dev/zero", "/dev/random", "/dev/urandom":
		return nopWriteCloser{io.Discard}, nil
	case "/dev/stdout":
		return nopWriteCloser{c.Stdout}, nil
	case "/dev/stderr":
		return nopWriteCloser{c.Stderr}, nil
	}
	if fi, err := c.tree().Stat(p); err == nil && fi.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EISDIR}
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appendTo {
		flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	f, err := c.tree().OpenFile(c.User, p, flag, 0o666)
	if err != nil {
		return nil, relabel(err, name)
	}
	return f, nil
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// quote is GNU's shell-escape quoting of file names in messages ('name').
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// isNotExist reports a missing file.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// pathError builds the *fs.PathError the utilities print.
func pathError(name string, errno error) error {
	return &fs.PathError{Op: "", Path: name, Err: errno}
}

// fileInfo is the lab's file description.
type fileInfo = sim.FileInfo
