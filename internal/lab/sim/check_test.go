package sim

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
)

// checkedState is the state the test check reads with Peek: paths under
// RO refuse changes, paths under Stale refuse everything.
type checkedState struct {
	RO, Stale string
}

const checkedStateName = "test-checks"

// testCheck is registered for both OSes but acts only on hosts named
// "chk", so that it cannot disturb the package's other tests.
func testCheck(h *Host, op PathOp, vpath string) error {
	if h.Name != "chk" {
		return nil
	}
	s, err := Peek[checkedState](h, checkedStateName)
	if err != nil {
		return err
	}
	under := func(p string) bool { return p != "" && (vpath == p || strings.HasPrefix(vpath, p+"/")) }
	switch {
	case under(s.Stale):
		return syscall.ESTALE
	case op == PathWrite && under(s.RO):
		return syscall.EROFS
	}
	return nil
}

func TestPathChecks(t *testing.T) {
	for _, os := range []OS{FreeBSD, Rocky} {
		RegisterPathCheck(os, "sim-test", testCheck)
		t.Cleanup(func() { RegisterPathCheck(os, "sim-test", nil) })
	}
	h, err := NewHost(t.TempDir(), "chk", FreeBSD, testRegistry(FreeBSD), nil, testImage)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	root, paul := h.Root(), paul(t, h)
	for _, d := range []string{"/ro/sub", "/nfs"} {
		if err := h.Tree.MkdirAll(root, d, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := h.Tree.WriteFile(root, d+"/f", []byte("x\n"), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Tree.Symlink(root, "/ro/sub", "/link"); err != nil {
		t.Fatal(err)
	}
	// Inside an Update, as zfs and rocky run their tree operations: the
	// check must not wait for the state lock, and sees the last saved state.
	err = Update(h, checkedStateName, func(s *checkedState) error {
		s.RO, s.Stale = "/ro", "/nfs"
		if err := h.Tree.WriteFile(root, "/ro/f", []byte("y\n"), 0o644); err != nil {
			t.Errorf("before the save: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tree := h.Tree
	tests := []struct {
		name string
		op   func() error
		want error
	}{
		{"read under ro", func() error { _, err := tree.ReadFile(paul, "/ro/sub/f"); return err }, nil},
		{"list ro", func() error { _, err := tree.ReadDir(paul, "/ro"); return err }, nil},
		{"create under ro", func() error { return tree.WriteFile(root, "/ro/new", nil, 0o644) }, syscall.EROFS},
		{"create through a symlink", func() error { return tree.WriteFile(root, "/link/new", nil, 0o644) }, syscall.EROFS},
		{"truncate", func() error { return tree.Truncate(root, "/ro/f", 0) }, syscall.EROFS},
		{"append", func() error { return tree.AppendFile(paul, "/ro/sub/f", []byte("z"), 0o644) }, syscall.EROFS},
		{"open for writing", func() error { _, err := tree.OpenFile(root, "/ro/f", os.O_WRONLY, 0); return err }, syscall.EROFS},
		{"mkdir", func() error { return tree.Mkdir(root, "/ro/d", 0o755) }, syscall.EROFS},
		{"mkdir existing", func() error { return tree.Mkdir(root, "/ro/sub", 0o755) }, syscall.EEXIST},
		{"remove", func() error { return tree.Remove(root, "/ro/f") }, syscall.EROFS},
		{"remove missing", func() error { return tree.Remove(root, "/ro/nope") }, syscall.ENOENT},
		{"remove all missing", func() error { return tree.RemoveAll(root, "/ro/nope") }, nil},
		{"rename out", func() error { return tree.Rename(root, "/ro/f", "/tmp/f") }, syscall.EROFS},
		{"rename in", func() error { return tree.Rename(root, "/etc/hosts", "/ro/hosts") }, syscall.EROFS},
		{"chmod", func() error { return tree.Chmod(root, "/ro/f", 0o600) }, syscall.EROFS},
		{"chown", func() error { return tree.Chown(root, "/ro/f", "paul", "") }, syscall.EROFS},
		{"symlink", func() error { return tree.Symlink(root, "x", "/ro/l") }, syscall.EROFS},
		{"write beside ro", func() error { return tree.WriteFile(root, "/rox", nil, 0o644) }, nil},
		{"stat stale", func() error { _, err := tree.Stat("/nfs"); return err }, syscall.ESTALE},
		{"stat under stale", func() error { _, err := tree.StatAs(paul, "/nfs/f"); return err }, syscall.ESTALE},
		{"read stale", func() error { _, err := tree.ReadFile(root, "/nfs/f"); return err }, syscall.ESTALE},
		{"open missing under stale", func() error { _, err := tree.OpenFile(root, "/nfs/nope", os.O_RDONLY, 0); return err }, syscall.ESTALE},
		{"list stale", func() error { _, err := tree.ReadDir(root, "/nfs"); return err }, syscall.ESTALE},
		{"create under stale", func() error { return tree.WriteFile(root, "/nfs/g", nil, 0o644) }, syscall.ESTALE},
		{"unchecked write", func() error { return tree.Unchecked().WriteFile(root, "/ro/kernel", nil, 0o644) }, nil},
		{"unchecked remove", func() error { return tree.Unchecked().Remove(root, "/ro/kernel") }, nil},
		{"unchecked read", func() error { _, err := tree.Unchecked().ReadFile(root, "/nfs/f"); return err }, nil},
		{"unchecked keeps permissions", func() error { return tree.Unchecked().WriteFile(paul, "/etc/x", nil, 0o644) }, syscall.EACCES},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op()
			if (tt.want == nil && err != nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			var pe *fs.PathError
			if err != nil && !errors.As(err, &pe) {
				t.Errorf("%v is not an *fs.PathError", err)
			}
		})
	}
	if got := ErrText(&fs.PathError{Op: "stat", Path: "/nfs", Err: syscall.ESTALE}); got != "Stale file handle" {
		t.Errorf("ErrText(ESTALE) = %q", got)
	}
	if h.Tree.Exists("/nfs/f") {
		t.Error("a file under a stale mount exists")
	}
	// the shell's redirections go through the same checks
	out, errs, code := sh(h, root, "echo x > /ro/y; echo $?; cat /nfs/f", "")
	if out != "2\n" || errs != "sh: cannot create /ro/y: Read-only file system\ncat: /nfs/f: Stale file handle\n" || code != 1 {
		t.Errorf("shell: out %q err %q code %d", out, errs, code)
	}

	// a reopened host consults the same registered checks
	again, err := NewHost(h.Dir+"/../..", h.Name, h.OS, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := again.Tree.WriteFile(root, "/ro/z", nil, 0o644); !errors.Is(err, syscall.EROFS) {
		t.Errorf("reopened host: %v, want EROFS", err)
	}
	// the other host's change is seen without a lock
	if err := Update(again, checkedStateName, func(s *checkedState) error { s.RO = ""; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := h.Tree.WriteFile(root, "/ro/z", nil, 0o644); err != nil {
		t.Errorf("after clearing ro: %v", err)
	}
}

func TestRegisterPathCheck(t *testing.T) {
	const os OS = "test-os"
	calls := ""
	mk := func(tag string) PathCheck {
		return func(*Host, PathOp, string) error { calls += tag; return nil }
	}
	RegisterPathCheck(os, "a", mk("a"))
	RegisterPathCheck(os, "b", mk("b"))
	RegisterPathCheck(os, "a", mk("A")) // replaces a, keeps its place
	for _, c := range checksFor(os) {
		_ = c.check(nil, PathLookup, "/")
	}
	RegisterPathCheck(os, "a", nil)
	RegisterPathCheck(os, "nothing", nil)
	for _, c := range checksFor(os) {
		_ = c.check(nil, PathLookup, "/")
	}
	if calls != "Abb" {
		t.Errorf("calls %q, want Abb", calls)
	}
}

func TestPeek(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	type st struct{ N int }
	if v, err := Peek[st](h, "peek"); err != nil || v.N != 0 {
		t.Fatalf("before any save: %v %v", v, err)
	}
	for i := 1; i <= 3; i++ {
		// saves in quick succession, of equal size: the cache must follow
		if err := Update(h, "peek", func(s *st) error { s.N = i; return nil }); err != nil {
			t.Fatal(err)
		}
		if v, err := Peek[st](h, "peek"); err != nil || v.N != i {
			t.Errorf("after save %d: %v %v", i, v, err)
		}
	}
	if _, err := Peek[st](h, "../x"); err == nil {
		t.Error("bad state name accepted")
	}
}
