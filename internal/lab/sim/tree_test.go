package sim

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestTreeConfinement(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	root := h.Root()
	outside := filepath.Join(filepath.Dir(h.Dir), "outside.txt") // DIR/hosts/outside.txt, beside the host
	if err := os.WriteFile(outside, []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Links the lab itself could never make: pointing at real disk paths.
	diskRoot := filepath.Join(h.Dir, "root")
	for link, target := range map[string]string{"disk-abs": outside, "disk-rel": "../../outside.txt"} {
		if err := os.Symlink(target, filepath.Join(diskRoot, "tmp", link)); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []struct{ target, link string }{
		{"/etc/hosts", "/tmp/abs"},
		{"../../../../../../etc/hosts", "/tmp/dotdot"},
		{"/tmp/chain2", "/tmp/chain1"},
		{"chain3", "/tmp/chain2"},
		{"../etc/hosts", "/tmp/chain3"},
		{"/tmp/loop2", "/tmp/loop1"},
		{"/tmp/loop1", "/tmp/loop2"},
		{"/usr/local/etc", "/etc/localetc"},
	} {
		if err := h.Tree.Symlink(root, l.target, l.link); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		want string // content, or the error text
	}{
		{"/../../etc/hosts", "127.0.0.1 localhost\n"},
		{"/etc/../../../../etc/hosts", "127.0.0.1 localhost\n"},
		{"etc/hosts", "127.0.0.1 localhost\n"},
		{"/tmp/abs", "127.0.0.1 localhost\n"},
		{"/tmp/dotdot", "127.0.0.1 localhost\n"},
		{"/tmp/chain1", "127.0.0.1 localhost\n"},
		{"/tmp/loop1", "Too many levels of symbolic links"},
		{"/tmp/disk-abs", "No such file or directory"},
		{"/tmp/disk-rel", "No such file or directory"},
		{"/hosts/outside.txt", "No such file or directory"},
		{"/etc/hosts/x", "Not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := h.Tree.ReadFile(root, tt.name)
			got := string(data)
			if err != nil {
				got = ErrText(err)
			}
			if got != tt.want {
				t.Errorf("ReadFile(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}

	// Writes through links land in the tree, never outside.
	if err := h.Tree.WriteFile(root, "/etc/localetc/new.conf", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(diskRoot, "usr/local/etc/new.conf")); err != nil {
		t.Errorf("write through /etc/localetc: %v", err)
	}
	if err := h.Tree.Symlink(root, outside, "/tmp/to-outside"); err != nil {
		t.Fatal(err)
	}
	err := h.Tree.WriteFile(root, "/tmp/to-outside", []byte("overwritten"), 0o644)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("write through a link to a disk path: %v, want ENOENT (the path does not exist in the tree)", err)
	}
	if data, _ := os.ReadFile(outside); string(data) != "secret\n" {
		t.Errorf("outside file changed: %q", data)
	}
	if got, err := h.Tree.Readlink("/tmp/abs"); err != nil || got != "/etc/hosts" {
		t.Errorf("Readlink = %q, %v; want the target verbatim", got, err)
	}
	fi, err := h.Tree.Lstat("/tmp/abs")
	if err != nil || fi.Mode&fs.ModeSymlink == 0 || fi.Target != "/etc/hosts" {
		t.Errorf("Lstat = %+v, %v", fi, err)
	}
	if got, err := h.Tree.RealPath("/tmp/chain1"); err != nil || got != "/etc/hosts" {
		t.Errorf("RealPath = %q, %v", got, err)
	}
	if err := h.Tree.RemoveAll(root, "/tmp/dotdot"); err != nil {
		t.Fatal(err)
	}
	if !h.Tree.Exists("/etc/hosts") {
		t.Error("RemoveAll of a link removed its target")
	}
}

func TestTreePermissions(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	root, paul := h.Root(), paul(t, h)
	bob, _ := h.LookupUser("bob")
	mustWrite := func(u User, name, data string, mode fs.FileMode) {
		t.Helper()
		if err := h.Tree.WriteFile(u, name, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		if err := h.Tree.Chmod(u, name, mode); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(root, "/root/key", "k", 0o400)
	mustWrite(root, "/tmp/roots", "r", 0o644)
	mustWrite(root, "/etc/opgroup", "g", 0o660)
	if err := h.Tree.Chown(root, "/etc/opgroup", "", "operator"); err != nil {
		t.Fatal(err)
	}
	mustWrite(paul, "/tmp/pauls", "p", 0o644)
	mustWrite(paul, "/home/paul/private", "p", 0o600)

	tests := []struct {
		name string
		op   func() error
		want error // nil, or an errno
	}{
		{"paul writes /etc", func() error { return h.Tree.WriteFile(paul, "/etc/x", nil, 0o644) }, syscall.EACCES},
		{"root writes /etc", func() error { return h.Tree.WriteFile(root, "/etc/x", nil, 0o644) }, nil},
		{"paul overwrites /etc/hosts", func() error { return h.Tree.WriteFile(paul, "/etc/hosts", nil, 0o644) }, syscall.EACCES},
		{"paul reads /etc/hosts", func() error { _, err := h.Tree.ReadFile(paul, "/etc/hosts"); return err }, nil},
		{"paul reads under /root", func() error { _, err := h.Tree.ReadFile(paul, "/root/key"); return err }, syscall.EACCES},
		{"paul stats under /root", func() error { _, err := h.Tree.StatAs(paul, "/root/key"); return err }, syscall.EACCES},
		{"root reads a 0400 file", func() error { _, err := h.Tree.ReadFile(root, "/root/key"); return err }, nil},
		{"paul reads via group", func() error { _, err := h.Tree.ReadFile(paul, "/etc/opgroup"); return err }, nil},
		{"bob reads a 0660 file of another group", func() error { _, err := h.Tree.ReadFile(bob, "/etc/opgroup"); return err }, syscall.EACCES},
		{"bob reads paul's 0600 file", func() error { _, err := h.Tree.ReadFile(bob, "/home/paul/private"); return err }, syscall.EACCES},
		{"paul writes his home", func() error { return h.Tree.WriteFile(paul, "/home/paul/f", nil, 0o644) }, nil},
		{"paul removes /etc/hosts", func() error { return h.Tree.Remove(paul, "/etc/hosts") }, syscall.EACCES},
		{"paul renames into /etc", func() error { return h.Tree.Rename(paul, "/home/paul/private", "/etc/p") }, syscall.EACCES},
		{"paul removes root's file in sticky /tmp", func() error { return h.Tree.Remove(paul, "/tmp/roots") }, syscall.EPERM},
		{"bob removes paul's file in sticky /tmp", func() error { return h.Tree.Remove(bob, "/tmp/pauls") }, syscall.EPERM},
		{"paul chmods a root file", func() error { return h.Tree.Chmod(paul, "/etc/hosts", 0o777) }, syscall.EPERM},
		{"paul chowns his file to bob", func() error { return h.Tree.Chown(paul, "/home/paul/f", "bob", "") }, syscall.EPERM},
		{"paul chgrps his file to his group", func() error { return h.Tree.Chown(paul, "/home/paul/f", "", "operator") }, nil},
		{"paul chgrps his file to another group", func() error { return h.Tree.Chown(paul, "/home/paul/f", "", "bob") }, syscall.EPERM},
		{"paul mkdir in /usr/local/etc", func() error { return h.Tree.Mkdir(paul, "/usr/local/etc/x", 0o755) }, syscall.EACCES},
		{"paul removes his file in sticky /tmp", func() error { return h.Tree.Remove(paul, "/tmp/pauls") }, nil},
		{"paul RemoveAll /etc", func() error { return h.Tree.RemoveAll(paul, "/etc") }, syscall.EACCES},
		{"chown to an unknown user", func() error { return h.Tree.Chown(root, "/etc/hosts", "nobody9", "") }, ErrUnknownUser},
		{"chown to an unknown group", func() error { return h.Tree.Chown(root, "/etc/hosts", "", "nogroup9") }, ErrUnknownGroup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op()
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if data, _ := h.Tree.ReadFile(root, "/etc/hosts"); len(data) == 0 {
		t.Error("/etc/hosts changed by denied operations")
	}
}

func TestTreeErrors(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	root := h.Root()
	if err := h.Tree.MkdirAll(root, "/d/sub", 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		op   func() error
		text string
	}{
		{"missing", func() error { _, err := h.Tree.ReadFile(root, "/nope"); return err }, "No such file or directory"},
		{"missing parent", func() error { return h.Tree.WriteFile(root, "/nope/x", nil, 0o644) }, "No such file or directory"},
		{"file as dir", func() error { _, err := h.Tree.Stat("/etc/hosts/x"); return err }, "Not a directory"},
		{"write a dir", func() error { return h.Tree.WriteFile(root, "/d", nil, 0o644) }, "Is a directory"},
		{"mkdir existing", func() error { return h.Tree.Mkdir(root, "/d", 0o755) }, "File exists"},
		{"remove non-empty", func() error { return h.Tree.Remove(root, "/d") }, "Directory not empty"},
		{"rename dir over file", func() error { return h.Tree.Rename(root, "/d/sub", "/etc/hosts") }, "Not a directory"},
		{"rename file over dir", func() error { return h.Tree.Rename(root, "/etc/hosts", "/d") }, "Is a directory"},
		{"rename into itself", func() error { return h.Tree.Rename(root, "/d", "/d/sub/d") }, "Invalid argument"},
		{"readlink a file", func() error { _, err := h.Tree.Readlink("/etc/hosts"); return err }, "Invalid argument"},
		{"excl create", func() error {
			_, err := h.Tree.OpenFile(root, "/etc/hosts", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
			return err
		}, "File exists"},
		{"chmod by non-owner", func() error { return h.Tree.Chmod(paul(t, h), "/etc/hosts", 0o600) }, "Operation not permitted"},
		{"mkdirall through a file", func() error { return h.Tree.MkdirAll(root, "/etc/hosts/x", 0o755) }, "Not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op()
			var pe *fs.PathError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %#v, want a *fs.PathError", err)
			}
			if got := ErrText(err); got != tt.text {
				t.Errorf("ErrText = %q, want %q", got, tt.text)
			}
		})
	}
}

func TestTreeOwnership(t *testing.T) {
	for _, os := range []OS{FreeBSD, Rocky} {
		t.Run(string(os), func(t *testing.T) {
			h := newTestHost(t, os)
			root, paul := h.Root(), paul(t, h)
			if err := h.Tree.WriteFile(paul, "/tmp/f", []byte("x"), 0o666); err != nil {
				t.Fatal(err)
			}
			fi, err := h.Tree.Stat("/tmp/f")
			if err != nil {
				t.Fatal(err)
			}
			// FreeBSD gives a new file its directory's group, Linux the creator's.
			wantGroup := map[OS]string{FreeBSD: "wheel", Rocky: "paul"}[os]
			if fi.Owner != "paul" || fi.Group != wantGroup || fi.Mode.Perm() != 0o644 {
				t.Errorf("new file = %s:%s %v, want paul:%s -rw-r--r-- (umask 022)", fi.Owner, fi.Group, fi.Mode, wantGroup)
			}
			hosts, _ := h.Tree.Stat("/etc/hosts")
			if hosts.Owner != "root" || hosts.Group != rootGroup(os) || hosts.UID != 0 {
				t.Errorf("/etc/hosts = %s:%s", hosts.Owner, hosts.Group)
			}
			// Modes and owners follow renames and vanish with removals.
			steps := []func() error{
				func() error { return h.Tree.MkdirAll(root, "/srv/a/b", 0o750) },
				func() error { return h.Tree.WriteFile(root, "/srv/a/b/key", []byte("k"), 0o400) },
				func() error { return h.Tree.Chown(root, "/srv/a/b/key", "paul", "operator") },
				func() error { return h.Tree.Chmod(root, "/srv/a", 0o4711) },
				func() error { return h.Tree.Rename(root, "/srv/a", "/srv/z") },
			}
			for i, step := range steps {
				if err := step(); err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
			}
			key, err := h.Tree.Stat("/srv/z/b/key")
			if err != nil {
				t.Fatal(err)
			}
			if key.Owner != "paul" || key.Group != "operator" || key.Mode.Perm() != 0o400 {
				t.Errorf("moved key = %s:%s %v", key.Owner, key.Group, key.Mode)
			}
			if dir, _ := h.Tree.Stat("/srv/z"); dir.Mode&fs.ModeSetuid == 0 || dir.Mode.Perm() != 0o711 {
				t.Errorf("moved dir mode = %v", dir.Mode)
			}
			if err := h.Tree.RemoveAll(root, "/srv/z"); err != nil {
				t.Fatal(err)
			}
			if err := h.Tree.WriteFile(root, "/srv/z", []byte("again"), 0o644); err != nil {
				t.Fatal(err)
			}
			if again, _ := h.Tree.Stat("/srv/z"); again.Owner != "root" || again.Mode.Perm() != 0o644 {
				t.Errorf("recreated = %s %v, want a fresh root 0644 file", again.Owner, again.Mode)
			}
			// Another Tree on the same directory (another process) sees it all.
			other, err := OpenTree(h.Dir, os)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			if fi, _ := other.Stat("/tmp/f"); fi.Owner != "paul" {
				t.Errorf("reopened owner = %q", fi.Owner)
			}
			list, err := h.Tree.ReadDir(paul, "/etc")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range list {
				names = append(names, e.Name)
			}
			if got := strings.Join(names, " "); got != "group hosts passwd rc.conf" {
				t.Errorf("ReadDir = %s", got)
			}
		})
	}
}

func TestTreeDevicesAndFaults(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	paul := paul(t, h)
	if err := h.Tree.WriteFile(paul, "/dev/null", []byte("gone"), 0o644); err != nil {
		t.Errorf("write /dev/null: %v", err)
	}
	if data, err := h.Tree.ReadFile(paul, "/dev/null"); err != nil || len(data) != 0 {
		t.Errorf("read /dev/null = %q, %v", data, err)
	}
	f, err := h.Tree.OpenFile(paul, "/dev/random", os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 32)
	if n, err := f.Read(buf); n != 32 || err != nil {
		t.Errorf("read /dev/random = %d, %v", n, err)
	}
	f.Close()

	h.Tree.SetWriteFault(func(vpath string) error {
		if strings.HasPrefix(vpath, "/home/paul/") {
			return syscall.EIO
		}
		return nil
	})
	defer h.Tree.SetWriteFault(nil)
	err = h.Tree.WriteFile(paul, "/home/paul/x", []byte("x"), 0o644)
	if ErrText(err) != "Input/output error" {
		t.Errorf("faulted write = %v", err)
	}
	if h.Tree.Exists("/home/paul/x") {
		t.Error("faulted write created the file")
	}
	if err := h.Tree.WriteFile(paul, "/tmp/x", []byte("x"), 0o644); err != nil {
		t.Errorf("unmatched write: %v", err)
	}
}
