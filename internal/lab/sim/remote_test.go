package sim

import (
	"context"
	"errors"
	"io/fs"
	"sync"
	"syscall"
	"testing"
	"time"
)

func newNamedHost(t *testing.T, name string, os OS) *Host {
	t.Helper()
	h, err := NewHost(t.TempDir(), name, os, testRegistry(os), nil, testImage)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// testRoute is a route whose answer the test sets.
type testRoute struct {
	mu    sync.Mutex
	ex    *NFSExport
	err   error
	calls int
}

func (r *testRoute) set(ex *NFSExport, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ex, r.err = ex, err
}

func (r *testRoute) route(context.Context, *Host, *RemoteMount) (*NFSExport, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	return r.ex, r.err
}

// remoteSetup mounts s0:/export on c0's /mnt/nfs (kind "test") with rm's
// options and returns the client, the two servers and the route.
func remoteSetup(t *testing.T, rm RemoteMount) (c, s0, s1 *Host, r *testRoute) {
	t.Helper()
	c = newNamedHost(t, "c0", Rocky)
	s0, s1 = newNamedHost(t, "s0", FreeBSD), newNamedHost(t, "s1", FreeBSD)
	for _, s := range []*Host{s0, s1} {
		if err := s.Tree.MkdirAll(s.Root(), "/export/sub", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := s.Tree.WriteFile(s.Root(), "/export/hello", []byte("from "+s.Name+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Tree.MkdirAll(c.Root(), "/mnt/nfs", 0o755); err != nil {
		t.Fatal(err)
	}
	r = &testRoute{}
	r.set(&NFSExport{Host: s0, Dir: "/export", FS: "fs0"}, nil)
	RegisterRoute("test", r.route)
	rm.Kind, rm.Host, rm.Dir, rm.FS = "test", "s0", "/export", "fs0"
	if err := Update(c, MountsState, func(m *Mounts) error {
		m.List = append(m.List, Mount{Source: "s0:/export", Point: "/mnt/nfs", FSType: "nfs4", Options: []string{"rw"}, Remote: &rm})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return c, s0, s1, r
}

func TestRemoteMountFiles(t *testing.T) {
	c, s0, _, _ := remoteSetup(t, RemoteMount{MapRoot: Cred{UID: 0, GID: 0}})
	root, paul := c.Root(), paul(t, c)
	if data, err := c.Tree.ReadFile(paul, "/mnt/nfs/hello"); err != nil || string(data) != "from s0\n" {
		t.Fatalf("read: %q %v", data, err)
	}
	if err := c.Tree.WriteFile(root, "/mnt/nfs/sub/new", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := s0.Tree.Stat("/export/sub/new"); err != nil || fi.UID != 0 || fi.GID != 0 {
		t.Errorf("on the server: %+v %v", fi, err)
	}
	// paul is uid 1001 on both; the server's directory is root's 0755
	if err := c.Tree.WriteFile(paul, "/mnt/nfs/p", nil, 0o644); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("paul's create in root's directory: %v", err)
	}
	if err := s0.Tree.Chmod(s0.Root(), "/export", 0o1777); err != nil {
		t.Fatal(err)
	}
	if err := c.Tree.WithUmask(0o077).WriteFile(paul, "/mnt/nfs/p", nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if fi, err := s0.Tree.Stat("/export/p"); err != nil || fi.UID != 1001 || fi.Mode.Perm() != 0o600 || fi.GID != 0 {
		t.Errorf("paul's file on the server (uid 1001, the client's umask, BSD group): %+v %v", fi, err)
	}
	if fi, err := c.Tree.Stat("/mnt/nfs/p"); err != nil || fi.Owner != "paul" || fi.Path != "/mnt/nfs/p" {
		t.Errorf("paul's file on the client: %+v %v", fi, err)
	}
	if err := c.Tree.Rename(root, "/mnt/nfs/sub/new", "/mnt/nfs/moved"); err != nil {
		t.Fatal(err)
	}
	if !s0.Tree.Exists("/export/moved") || s0.Tree.Exists("/export/sub/new") {
		t.Error("rename on the server")
	}
	if err := c.Tree.Rename(root, "/mnt/nfs/moved", "/tmp/moved"); !errors.Is(err, syscall.EXDEV) {
		t.Errorf("rename across the mount: %v", err)
	}
	if err := c.Tree.Remove(root, "/mnt/nfs"); !errors.Is(err, syscall.EBUSY) {
		t.Errorf("remove the mount point: %v", err)
	}
	// symlinks are the client's to resolve; .. leaves the mount
	if err := c.Tree.Symlink(root, "/etc/hosts", "/mnt/nfs/hosts"); err != nil {
		t.Fatal(err)
	}
	if data, err := c.Tree.ReadFile(root, "/mnt/nfs/hosts"); err != nil || string(data) != "127.0.0.1 localhost\n" {
		t.Errorf("absolute symlink on the mount: %q %v", data, err)
	}
	if target, err := s0.Tree.Readlink("/export/hosts"); err != nil || target != "/etc/hosts" {
		t.Errorf("the server keeps the link: %q %v", target, err)
	}
	if data, err := c.Tree.ReadFile(root, "/mnt/nfs/sub/../../nfs/hello"); err != nil || string(data) != "from s0\n" {
		t.Errorf(".. through the mount: %q %v", data, err)
	}
	list, err := c.Tree.ReadDir(root, "/mnt")
	if err != nil || len(list) != 1 || list[0].Mode.Perm() != 0o777 || list[0].Mode&fs.ModeSticky == 0 {
		t.Errorf("the mount point lists as the server's directory: %+v %v", list, err)
	}
	names := map[string]bool{}
	list, _ = c.Tree.ReadDir(root, "/mnt/nfs")
	for _, e := range list {
		names[e.Name] = true
	}
	if !names["hello"] || !names["moved"] || !names["p"] || !names["sub"] || !names["hosts"] {
		t.Errorf("listing: %v", names)
	}
}

func TestRemoteMountMapping(t *testing.T) {
	c, s0, _, _ := remoteSetup(t, RemoteMount{MapRoot: NobodyCred})
	if err := s0.Tree.Chmod(s0.Root(), "/export", 0o1777); err != nil {
		t.Fatal(err)
	}
	if err := c.Tree.WriteFile(c.Root(), "/mnt/nfs/r", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := s0.Tree.Stat("/export/r"); fi.UID != 65534 {
		t.Errorf("root without -maproot is nobody: %+v", fi)
	}
	if err := c.Tree.Chown(c.Root(), "/mnt/nfs/hello", "paul", ""); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("nobody may not chown: %v", err)
	}
	// nobody may not search a directory closed to others, which root could
	if err := s0.Tree.Chmod(s0.Root(), "/export/sub", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := s0.Tree.WriteFile(s0.Root(), "/export/sub/f", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tree.StatAs(c.Root(), "/mnt/nfs/sub/f"); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("root as nobody searching a 0700 directory: %v", err)
	}
}

func TestRemoteMountChecksAndReadOnly(t *testing.T) {
	c, _, _, _ := remoteSetup(t, RemoteMount{MapRoot: Cred{}, ReadOnly: true})
	if err := c.Tree.WriteFile(c.Root(), "/mnt/nfs/x", nil, 0o644); !errors.Is(err, syscall.EROFS) {
		t.Errorf("read-only export: %v", err)
	}
	if _, err := c.Tree.ReadFile(c.Root(), "/mnt/nfs/hello"); err != nil {
		t.Errorf("read-only export reads: %v", err)
	}
	c2, _, _, _ := remoteSetup(t, RemoteMount{MapRoot: Cred{}})
	RegisterPathCheck(FreeBSD, "test-remote-ro", func(_ *Host, op PathOp, vpath string) error {
		if op == PathWrite && within(vpath, "/export/sub") {
			return syscall.EROFS
		}
		return nil
	})
	defer RegisterPathCheck(FreeBSD, "test-remote-ro", nil)
	if err := c2.Tree.WriteFile(c2.Root(), "/mnt/nfs/sub/x", nil, 0o644); !errors.Is(err, syscall.EROFS) {
		t.Errorf("the server's path check: %v", err)
	}
	if err := c2.Tree.WriteFile(c2.Root(), "/mnt/nfs/x", nil, 0o644); err != nil {
		t.Errorf("outside the server's read-only part: %v", err)
	}
}

func TestRemoteMountStaleAndHung(t *testing.T) {
	c, _, s1, r := remoteSetup(t, RemoteMount{MapRoot: Cred{}})
	root := c.Root()
	r.set(&NFSExport{Host: s1, Dir: "/export", FS: "fs0"}, nil)
	if _, err := c.Tree.Stat("/mnt/nfs"); !errors.Is(err, syscall.ESTALE) {
		t.Errorf("another server: %v", err)
	}
	if _, err := c.Tree.ReadDir(root, "/mnt"); err != nil {
		t.Errorf("the parent still lists: %v", err)
	}
	if _, err := c.Tree.Stat("/mnt"); err != nil {
		t.Errorf("above the mount: %v", err)
	}
	r.set(nil, syscall.EACCES)
	if _, err := c.Tree.Stat("/mnt/nfs/hello"); !errors.Is(err, syscall.EACCES) {
		t.Errorf("refused: %v", err)
	}

	// nothing at the end of the route: a hard mount waits
	r.set(nil, syscall.ECONNRESET)
	if _, err := c.Tree.Stat("/mnt/nfs"); !errors.Is(err, syscall.EINTR) {
		t.Errorf("no context: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Tree.WithContext(ctx).Stat("/mnt/nfs"); !errors.Is(err, syscall.EINTR) || time.Since(start) < 250*time.Millisecond {
		t.Errorf("hard mount: %v after %v", err, time.Since(start))
	}
	// a listing of the parent does not wait
	if _, err := c.Tree.WithContext(context.Background()).ReadDir(root, "/mnt"); err != nil {
		t.Errorf("listing the parent of a hung mount: %v", err)
	}
}

func TestRemoteMountRecoversAndSoft(t *testing.T) {
	c, s0, _, r := remoteSetup(t, RemoteMount{MapRoot: Cred{}})
	r.set(nil, syscall.EHOSTUNREACH)
	go func() {
		time.Sleep(200 * time.Millisecond)
		r.set(&NFSExport{Host: s0, Dir: "/export", FS: "fs0"}, nil)
	}()
	data, err := c.Tree.WithContext(context.Background()).ReadFile(c.Root(), "/mnt/nfs/hello")
	if err != nil || string(data) != "from s0\n" {
		t.Errorf("after the route came back: %q %v", data, err)
	}

	soft := func(softerr bool) error {
		c, _, _, r := remoteSetup(t, RemoteMount{MapRoot: Cred{}, Soft: true, SoftErr: softerr, Timeo: 1, Retrans: 1})
		r.set(nil, syscall.ECONNREFUSED)
		start := time.Now()
		_, err := c.Tree.WithContext(context.Background()).Stat("/mnt/nfs")
		if d := time.Since(start); d < 250*time.Millisecond {
			t.Errorf("soft mount gave up after %v, before 0.1 s + 0.2 s", d)
		}
		return err
	}
	if err := soft(false); !errors.Is(err, syscall.EIO) {
		t.Errorf("soft: %v", err)
	}
	if err := soft(true); !errors.Is(err, syscall.ETIMEDOUT) {
		t.Errorf("softerr: %v", err)
	}
	if d := (&RemoteMount{Timeo: 600, Retrans: 2}).SoftTimeout(); d != 6*time.Minute {
		t.Errorf("default soft timeout %v", d)
	}
	if d := (&RemoteMount{Timeo: 3000, Retrans: 2}).SoftTimeout(); d != 5*time.Minute+10*time.Minute+10*time.Minute {
		t.Errorf("capped soft timeout %v", d)
	}
}

func TestDial(t *testing.T) {
	a, b := newNamedHost(t, "a", Rocky), newNamedHost(t, "b", FreeBSD)
	RegisterAddresses(Rocky, func(h *Host) []string { return []string{"10.0.0.1"} })
	RegisterAddresses(FreeBSD, func(h *Host) []string { return []string{"10.0.0.2"} })
	defer RegisterAddresses(Rocky, nil)
	defer RegisterAddresses(FreeBSD, nil)
	a.SetPeers(func(addr string) (*Host, bool) { return b, addr == "10.0.0.2" })
	echo := func(h *Host, addr string, port int) (Service, bool) {
		if port != 7 {
			return nil, false
		}
		return func(c *Conn, req any) (any, error) {
			return h.Name + " " + c.Addr + " from " + c.Src + " " + req.(string), nil
		}, true
	}
	RegisterListener(Rocky, "test-echo", echo)
	RegisterListener(FreeBSD, "test-echo", echo)
	defer RegisterListener(Rocky, "test-echo", nil)
	defer RegisterListener(FreeBSD, "test-echo", nil)
	for _, tt := range []struct {
		addr string
		port int
		want string
		err  error
	}{
		{"127.0.0.1", 7, "a 127.0.0.1 from 127.0.0.1 x", nil},
		{"10.0.0.1", 7, "a 10.0.0.1 from 10.0.0.1 x", nil},
		{"10.0.0.2", 7, "b 10.0.0.2 from 10.0.0.1 x", nil},
		{"10.0.0.2", 8, "", syscall.ECONNREFUSED},
		{"10.0.0.3", 7, "", syscall.EHOSTUNREACH},
		{"not-an-address", 7, "", syscall.EHOSTUNREACH},
	} {
		got, err := a.Dial(&Conn{}, tt.addr, tt.port, "x")
		if s, _ := got.(string); s != tt.want || (tt.err == nil) != (err == nil) || (tt.err != nil && !errors.Is(err, tt.err)) {
			t.Errorf("%s:%d = %q %v, want %q %v", tt.addr, tt.port, got, err, tt.want, tt.err)
		}
	}
}
