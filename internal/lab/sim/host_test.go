package sim

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

type counter struct {
	N    int
	Tags []string
}

func TestUpdatePersists(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	err := Update(h, "counter", func(s *counter) error {
		s.N = 41
		s.Tags = append(s.Tags, "a")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	failed := errors.New("no")
	if err := Update(h, "counter", func(s *counter) error { s.N = 0; return failed }); !errors.Is(err, failed) {
		t.Fatalf("Update = %v", err)
	}
	again, err := NewHost(h.Dir+"/../..", h.Name, h.OS, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	got, err := Load[counter](again, "counter")
	if err != nil || got.N != 41 || len(got.Tags) != 1 {
		t.Errorf("Load = %+v, %v; want the first update only", got, err)
	}
	if empty, err := Load[Mounts](again, MountsState); err != nil || len(empty.List) != 0 {
		t.Errorf("absent state = %+v, %v", empty, err)
	}
	if err := Update(h, "../x", func(*counter) error { return nil }); err == nil {
		t.Error("a state name with a slash was accepted")
	}
}

// TestUpdateSerialised adds from goroutines of two Host values on the same
// directory (as two processes have) and from a child process.
func TestUpdateSerialised(t *testing.T) {
	if os.Getenv("SIM_UPDATE_CHILD") != "" {
		return
	}
	h := newTestHost(t, FreeBSD)
	other, err := NewHost(h.Dir+"/../..", h.Name, h.OS, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	const perWorker = 50
	child := exec.Command(os.Args[0], "-test.run=^TestUpdateChild$")
	child.Env = append(os.Environ(), "SIM_UPDATE_CHILD="+h.Dir, "SIM_UPDATE_N="+strconv.Itoa(perWorker))
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, host := range []*Host{h, h, other, other} {
		wg.Go(func() {
			for range perWorker {
				if err := Update(host, "counter", func(s *counter) error { s.N++; return nil }); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := child.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	got, err := Load[counter](h, "counter")
	if err != nil {
		t.Fatal(err)
	}
	if want := 5 * perWorker; got.N != want {
		t.Errorf("N = %d, want %d: lost updates", got.N, want)
	}
}

// TestUpdateChild is the child process of TestUpdateSerialised.
func TestUpdateChild(t *testing.T) {
	dir := os.Getenv("SIM_UPDATE_CHILD")
	if dir == "" {
		t.Skip("child process only")
	}
	n, _ := strconv.Atoi(os.Getenv("SIM_UPDATE_N"))
	h, err := NewHost(dir+"/../..", "h0", FreeBSD, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for range n {
		if err := Update(h, "counter", func(s *counter) error { s.N++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNewHostSeedsOnce(t *testing.T) {
	dir := t.TempDir()
	runs := 0
	seed := func(h *Host) error {
		runs++
		return h.Tree.MkdirAll(h.Root(), "/etc", 0o755)
	}
	base := Registry{"/sbin/zfs": catCmd, "/bin/sh": shCmd}
	pkgs := Registry{"/usr/local/bin/zrepl": catCmd}
	for i := range 2 {
		h, err := NewHost(dir, "f0", FreeBSD, base, pkgs, seed)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := h.Tree.Remove(h.Root(), "/bin/sh"); err != nil {
				t.Fatal(err)
			}
		}
		h.Close()
	}
	h, err := NewHost(dir, "f0", FreeBSD, base, pkgs, seed)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if runs != 1 {
		t.Errorf("seeds ran %d times", runs)
	}
	zfs, err := h.Tree.Stat("/sbin/zfs")
	if err != nil {
		t.Fatal(err)
	}
	if zfs.Mode.Perm() != 0o555 || zfs.Owner != "root" || zfs.Group != "wheel" {
		t.Errorf("stub = %v %s:%s", zfs.Mode, zfs.Owner, zfs.Group)
	}
	if data, _ := h.Tree.ReadFile(h.Root(), "/sbin/zfs"); string(data) != StubScript {
		t.Errorf("stub content %q", data)
	}
	if h.Tree.Exists("/bin/sh") {
		t.Error("a removed program came back on reopen")
	}
	if h.Tree.Exists("/usr/local/bin/zrepl") {
		t.Error("a package program has a file before it is installed")
	}
	if h.Registry["/usr/local/bin/zrepl"] == nil {
		t.Error("package program missing from the lookup table")
	}
	if h.LoginUser.Name != LoginName || h.LoginUser.UID != 1001 {
		t.Errorf("login user %+v", h.LoginUser)
	}
	if _, err := NewHost(dir, "../x", FreeBSD, nil, nil); err == nil {
		t.Error("host name with a slash accepted")
	}
	failing := func(*Host) error { return errors.New("boom") }
	if _, err := NewHost(dir, "f1", FreeBSD, nil, nil, failing); err == nil {
		t.Error("failed seed not reported")
	}
}

func TestSyslogAndUsers(t *testing.T) {
	h := newTestHost(t, Rocky)
	h.SetClock(func() time.Time { return time.Date(2025, 7, 5, 9, 3, 7, 0, time.UTC) })
	h.Syslog("carp", "MASTER")
	h.Syslog("zfs", "loaded")
	data, err := h.Tree.ReadFile(h.Root(), "/var/log/messages")
	if err != nil {
		t.Fatal(err)
	}
	want := "Jul  5 09:03:07 h0 carp: MASTER\nJul  5 09:03:07 h0 zfs: loaded\n"
	if string(data) != want {
		t.Errorf("messages = %q, want %q", data, want)
	}
	tests := []struct {
		name string
		want string
		ok   bool
	}{
		{"paul", "paul 1001 1001 paul /home/paul", true},
		{"1002", "bob 1002 1002 bob /home/bob", true},
		{"root", "root 0 0 root /root", true},
		{"nobody9", "", false},
	}
	for _, tt := range tests {
		u, ok := h.LookupUser(tt.name)
		got := ""
		if ok {
			got = fmt.Sprintf("%s %d %d %s %s", u.Name, u.UID, u.GID, u.Group, u.Home)
		}
		if ok != tt.ok || got != tt.want {
			t.Errorf("LookupUser(%q) = %q %v, want %q %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNestedUpdateFails(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	old := lockWait
	lockWait = 100 * time.Millisecond
	defer func() { lockWait = old }()
	err := Update(h, "outer", func(*counter) error {
		return Update(h, "inner", func(*counter) error { return nil })
	})
	if err == nil || !strings.Contains(err.Error(), "inside an Update") {
		t.Errorf("nested Update = %v, want the lock error", err)
	}
	if err := Update(h, "outer", func(*counter) error { return nil }); err != nil {
		t.Errorf("after the nested failure: %v", err)
	}
}
