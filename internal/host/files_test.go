package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fileModes are the two ways files travel: SFTP as the login user, and a
// become'd shell script.
var fileModes = []struct {
	name   string
	user   string
	become Become
}{
	{"sftp", "root", BecomeNone},
	{"doas", "f3s", BecomeDoas},
	{"sudo", "f3s", BecomeSudo},
}

func fileHost(t *testing.T, user string, become Become) (*testServer, *Host) {
	t.Helper()
	srv := newTestServer(t)
	c := srv.config("f0")
	c.User, c.Become = user, become
	return srv, mustHost(t, newPool(t, c), "f0")
}

// leftovers lists temporary files left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var tmp []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".f3s-") {
			tmp = append(tmp, e.Name())
		}
	}
	return tmp
}

func currentUser(t *testing.T) (string, string) {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		t.Fatal(err)
	}
	return u.Username, g.Name
}

func TestFiles(t *testing.T) {
	for _, m := range fileModes {
		t.Run(m.name, func(t *testing.T) {
			srv, h := fileHost(t, m.user, m.become)
			ctx := context.Background()
			p := filepath.Join(srv.dir, "etc", "exports")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if _, err := h.ReadFile(ctx, p); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("ReadFile of a missing file = %v, want fs.ErrNotExist", err)
			}
			if _, err := h.Stat(ctx, p); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("Stat of a missing file = %v, want fs.ErrNotExist", err)
			}
			if err := h.Remove(ctx, p); err != nil {
				t.Fatalf("Remove of a missing file = %v", err)
			}

			content := []byte("V4: /data/nfs -sec=sys\n/data/nfs/k3svolumes -maproot=root 127.0.0.1\n")
			if err := h.WriteFile(ctx, p, bytes.NewReader(content), FileOptions{Mode: 0o640}); err != nil {
				t.Fatal(err)
			}
			got, err := h.ReadFile(ctx, p)
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("ReadFile = %q, %v", got, err)
			}
			owner, group := currentUser(t)
			fi, err := h.Stat(ctx, p)
			want := FileInfo{Path: p, Mode: 0o640, Owner: owner, Group: group, Size: int64(len(content))}
			if err != nil || fi != want {
				t.Fatalf("Stat = %+v, %v; want %+v", fi, err, want)
			}

			// Overwrite, empty content, default mode.
			if err := h.WriteFile(ctx, p, bytes.NewReader(nil), FileOptions{}); err != nil {
				t.Fatal(err)
			}
			if fi, err := h.Stat(ctx, p); err != nil || fi.Mode != 0o644 || fi.Size != 0 {
				t.Fatalf("after overwrite: Stat = %+v, %v", fi, err)
			}

			if os.Geteuid() == 0 {
				if err := h.WriteFile(ctx, p, strings.NewReader("x"), FileOptions{Mode: 0o400, Owner: "daemon", Group: "daemon"}); err != nil {
					t.Fatal(err)
				}
				if fi, err := h.Stat(ctx, p); err != nil || fi.Owner != "daemon" || fi.Group != "daemon" || fi.Mode != 0o400 {
					t.Fatalf("after chown: Stat = %+v, %v", fi, err)
				}
				if err := h.WriteFile(ctx, p, strings.NewReader("x"), FileOptions{Mode: 0o600, Group: "daemon"}); err != nil {
					t.Fatal(err)
				}
				if fi, err := h.Stat(ctx, p); err != nil || fi.Owner != owner || fi.Group != "daemon" {
					t.Fatalf("after chgrp: Stat = %+v, %v", fi, err)
				}
			}

			deep := filepath.Join(srv.dir, "keys", "sub", "f0:zdata.key")
			if err := h.WriteFile(ctx, deep, strings.NewReader("k"), FileOptions{Mode: 0o400, DirMode: 0o750}); err != nil {
				t.Fatal(err)
			}
			for _, d := range []string{filepath.Dir(deep), filepath.Dir(filepath.Dir(deep))} {
				if fi, err := h.Stat(ctx, d); err != nil || fi.Mode != fs.ModeDir|0o750 {
					t.Errorf("Stat(%s) = %+v, %v; want a 0750 directory", d, fi, err)
				}
			}
			if err := os.Symlink("exports", filepath.Join(srv.dir, "etc", "link")); err != nil {
				t.Fatal(err)
			}
			if fi, err := h.Stat(ctx, filepath.Join(srv.dir, "etc", "link")); err != nil || fi.Mode&fs.ModeSymlink == 0 {
				t.Errorf("Stat(link) = %+v, %v; want a symlink", fi, err)
			}

			if err := h.Remove(ctx, p); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the file survived Remove: %v", err)
			}
			if tmp := leftovers(t, filepath.Dir(p)); len(tmp) > 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
			if m.become != BecomeNone {
				log, _ := os.ReadFile(srv.becomeLog)
				if !strings.Contains(string(log), string(m.become)+" [-n]") {
					t.Errorf("file operations did not go through %s: %q", m.become, log)
				}
			}
		})
	}
}

func TestWriteFileFailureLeavesTargetUnchanged(t *testing.T) {
	for _, m := range fileModes {
		t.Run(m.name, func(t *testing.T) {
			srv, h := fileHost(t, m.user, m.become)
			ctx := context.Background()
			p := filepath.Join(srv.dir, "rc.conf")
			if err := os.WriteFile(p, []byte("old\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			boom := errors.New("reader failed halfway")
			half := &failingReader{data: bytes.Repeat([]byte("new content\n"), 10000), err: boom}
			if err := h.WriteFile(ctx, p, half, FileOptions{Mode: 0o644}); !errors.Is(err, boom) {
				t.Fatalf("WriteFile = %v, want the reader's error", err)
			}
			// An owner that does not exist fails after the data is written.
			err := h.WriteFile(ctx, p, strings.NewReader("new\n"), FileOptions{Mode: 0o644, Owner: "no-such-user-f3s"})
			if err == nil {
				t.Fatal("WriteFile with an unknown owner succeeded")
			}
			// A directory that does not exist, without DirMode.
			if err := h.WriteFile(ctx, filepath.Join(srv.dir, "nodir", "x"), strings.NewReader("x"), FileOptions{}); err == nil {
				t.Error("WriteFile into a missing directory succeeded")
			}
			if got, _ := os.ReadFile(p); string(got) != "old\n" {
				t.Errorf("target is %q after failed writes, want it unchanged", got)
			}
			if tmp := leftovers(t, srv.dir); len(tmp) > 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
		})
	}
}

// A connection lost mid-stream looks like end of input to cat on the host;
// the size check must keep the short file from being renamed into place.
func TestWriteScriptRefusesShortInput(t *testing.T) {
	srv := newTestServer(t)
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	p := filepath.Join(srv.dir, "loader.conf")
	if err := os.WriteFile(p, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := writeScriptText(p, 100, FileOptions{Mode: 0o644})
	if _, err := h.Run(context.Background(), Command{Script: script, Stdin: strings.NewReader("short")}); err == nil {
		t.Fatal("the script accepted a short input")
	}
	if got, _ := os.ReadFile(p); string(got) != "old\n" {
		t.Errorf("target is %q, want it unchanged", got)
	}
	if tmp := leftovers(t, srv.dir); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestFilePathsMustBeAbsolute(t *testing.T) {
	_, h := fileHost(t, "root", BecomeNone)
	ctx := context.Background()
	for _, p := range []string{"etc/rc.conf", "", "/", "/a\x00b"} {
		if _, err := h.ReadFile(ctx, p); err == nil {
			t.Errorf("ReadFile(%q) accepted", p)
		}
		if err := h.WriteFile(ctx, p, strings.NewReader(""), FileOptions{}); err == nil {
			t.Errorf("WriteFile(%q) accepted", p)
		}
	}
}

// Parallel read-modify-write of one file under Lock loses no edit.
func TestLockSerialisesEdits(t *testing.T) {
	srv, h := fileHost(t, "root", BecomeNone)
	ctx := context.Background()
	p := filepath.Join(srv.dir, "hosts")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := h.Lock(ctx, p)
			if err != nil {
				errs <- err
				return
			}
			defer unlock()
			old, err := h.ReadFile(ctx, p)
			if err != nil {
				errs <- err
				return
			}
			line := fmt.Sprintf("10.0.0.%d host%d\n", i, i)
			errs <- h.WriteFile(ctx, p, strings.NewReader(string(old)+line), FileOptions{Mode: 0o644})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(p)
	if n := strings.Count(string(got), "\n"); n != 20 {
		t.Errorf("%d lines after 20 locked edits, want 20:\n%s", n, got)
	}
}
