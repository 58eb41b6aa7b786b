package sim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"testing"
)

// testImage is a minimal fresh host: accounts and the usual directories
// (on Rocky /bin is a symlink to usr/bin).
func testImage(h *Host) error {
	root := h.Root()
	if h.OS == Rocky {
		if err := h.Tree.MkdirAll(root, "/usr/bin", 0o755); err != nil {
			return err
		}
		if err := h.Tree.Symlink(root, "usr/bin", "/bin"); err != nil {
			return err
		}
	}
	for _, d := range []struct {
		path string
		mode os.FileMode
	}{{"/etc", 0o755}, {"/root", 0o700}, {"/home", 0o755}, {"/tmp", 0o1777}, {"/var/log", 0o755}, {"/usr/local/etc", 0o755}, {"/usr/local/bin", 0o755}} {
		if err := h.Tree.MkdirAll(root, d.path, 0o755); err != nil {
			return err
		}
		if err := h.Tree.Chmod(root, d.path, d.mode); err != nil {
			return err
		}
	}
	g0 := rootGroup(h.OS)
	files := map[string]string{
		"/etc/passwd":  "root:*:0:0:Charlie &:/root:/bin/sh\npaul:*:1001:1001:Paul:/home/paul:/bin/sh\nbob:*:1002:1002:Bob:/home/bob:/bin/sh\n",
		"/etc/group":   g0 + ":*:0:root\noperator:*:5:root,paul\npaul:*:1001:\nbob:*:1002:\n",
		"/etc/hosts":   "127.0.0.1 localhost\n",
		"/etc/rc.conf": "hostname=\"" + h.Name + "\"\n",
	}
	for p, c := range files {
		if err := h.Tree.WriteFile(root, p, []byte(c), 0o644); err != nil {
			return err
		}
	}
	for _, u := range []string{"paul", "bob"} {
		home := "/home/" + u
		if err := h.Tree.Mkdir(root, home, 0o755); err != nil {
			return err
		}
		if err := h.Tree.Chown(root, home, u, u); err != nil {
			return err
		}
	}
	return nil
}

// catCmd is cat(1) enough for the tests: files through the tree as p.User.
func catCmd(p *Proc) int {
	if len(p.Args) == 1 {
		_, _ = io.Copy(p.Stdout, p.Stdin)
		return 0
	}
	code := 0
	for _, a := range p.Args[1:] {
		if a == "-" {
			_, _ = io.Copy(p.Stdout, p.Stdin)
			continue
		}
		name := a
		if !path.IsAbs(name) {
			name = path.Join(p.Dir, name)
		}
		data, err := p.Host.Tree.ReadFile(p.User, name)
		if err != nil {
			fmt.Fprintf(p.Stderr, "cat: %s: %s\n", a, ErrText(err))
			code = 1
			continue
		}
		_, _ = p.Stdout.Write(data)
	}
	return code
}

// shCmd is sh(1) enough for the tests: -c SCRIPT [ARG0 ARGS...].
func shCmd(p *Proc) int {
	if len(p.Args) >= 3 && p.Args[1] == "-c" {
		args := p.Args[3:]
		if len(args) == 0 {
			args = []string{p.Args[0]}
		}
		return p.Host.Shell(p, p.Args[2], args)
	}
	data, err := io.ReadAll(p.Stdin)
	if err != nil {
		return 2
	}
	return p.Host.Shell(p, string(data), []string{p.Args[0]})
}

func testRegistry(os OS) Registry {
	if os == Rocky {
		return Registry{"/usr/bin/sh": shCmd, "/usr/bin/cat": catCmd}
	}
	return Registry{"/bin/sh": shCmd, "/bin/cat": catCmd}
}

func newTestHost(t testing.TB, os OS) *Host {
	t.Helper()
	h, err := NewHost(t.TempDir(), "h0", os, testRegistry(os), nil, testImage)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func paul(t testing.TB, h *Host) User {
	t.Helper()
	u, ok := h.LookupUser("paul")
	if !ok {
		t.Fatal("no paul")
	}
	return u
}

// sh runs script on h as u and returns stdout, stderr and the exit code.
func sh(h *Host, u User, script string, stdin string) (string, string, int) {
	var out, errb bytes.Buffer
	p := h.NewProc(context.Background(), u, strings.NewReader(stdin), &out, &errb)
	code := h.Shell(p, script, []string{"sh"})
	return out.String(), errb.String(), code
}
