package zfs

import (
	"errors"
	"syscall"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestReadonlyDataset: a dataset mounted read-only refuses every change
// under its mountpoint with EROFS, root included, while zfs itself still
// moves its files at unmount and mount.
func TestReadonlyDataset(t *testing.T) {
	h := newTestHost(t)
	root := h.Root()
	must(t, h, "zpool create -m /data zdata /dev/ada1")
	must(t, h, "zfs create -o mountpoint=/data/nfs zdata/nfs")
	must(t, h, "echo a > /data/nfs/a")
	if err := h.Tree.Mkdir(root, "/data/nfs/d", 0o755); err != nil {
		t.Fatal(err)
	}
	must(t, h, "zfs set readonly=on zdata/nfs")
	if got := must(t, h, "zfs get -H -o value readonly zdata/nfs"); got != "on\n" {
		t.Fatalf("readonly = %q", got)
	}

	const erofs = "Read-only file system"
	for _, tt := range []struct{ script, err string }{
		{"echo x > /data/nfs/x", "sh: cannot create /data/nfs/x: " + erofs + "\n"},
		{"echo x >> /data/nfs/a", "sh: cannot create /data/nfs/a: " + erofs + "\n"},
		{"echo x > /data/nfs/d/x", "sh: cannot create /data/nfs/d/x: " + erofs + "\n"},
	} {
		if r := run(t, h, tt.script); r.rc != 2 || r.err != tt.err {
			t.Errorf("%s: rc=%d err=%q, want 2 %q", tt.script, r.rc, r.err, tt.err)
		}
	}
	tree := h.Tree
	for name, op := range map[string]func() error{
		"mkdir":    func() error { return tree.Mkdir(root, "/data/nfs/e", 0o755) },
		"remove":   func() error { return tree.Remove(root, "/data/nfs/a") },
		"rmdir":    func() error { return tree.Remove(root, "/data/nfs/d") },
		"rename":   func() error { return tree.Rename(root, "/data/nfs/a", "/data/nfs/b") },
		"move out": func() error { return tree.Rename(root, "/data/nfs/a", "/data/a") },
		"chmod":    func() error { return tree.Chmod(root, "/data/nfs/a", 0o600) },
		"chown":    func() error { return tree.Chown(root, "/data/nfs/a", "", "wheel") },
		"truncate": func() error { return tree.Truncate(root, "/data/nfs/a", 0) },
		"symlink":  func() error { return tree.Symlink(root, "a", "/data/nfs/l") },
	} {
		if err := op(); !errors.Is(err, syscall.EROFS) || sim.ErrText(err) != erofs {
			t.Errorf("%s: %v, want EROFS", name, err)
		}
	}
	if got := must(t, h, "read l < /data/nfs/a; echo $l"); got != "a\n" {
		t.Errorf("reading a read-only dataset: %q", got)
	}
	must(t, h, "echo y > /data/y") // the parent dataset is writable

	// a writable dataset mounted below the read-only one
	must(t, h, "zfs create -o readonly=off zdata/nfs/sub")
	must(t, h, "echo z > /data/nfs/sub/z")
	must(t, h, "zfs destroy -r zdata/nfs/sub")

	// zfs moves the files of a read-only dataset out and back
	must(t, h, "zfs unmount zdata/nfs")
	if h.Tree.Exists("/data/nfs/a") {
		t.Error("the files stayed in the tree after unmount")
	}
	must(t, h, "echo below > /data/nfs/below") // the mountpoint directory is on zdata now
	if err := h.Tree.Remove(root, "/data/nfs/below"); err != nil {
		t.Fatal(err)
	}
	must(t, h, "zfs mount zdata/nfs")
	if got := must(t, h, "read l < /data/nfs/a; echo $l"); got != "a\n" {
		t.Errorf("after mount: %q", got)
	}
	if r := run(t, h, "echo x > /data/nfs/x"); r.rc != 2 {
		t.Errorf("still read-only after remount: %+v", r)
	}

	must(t, h, "zfs set readonly=off zdata/nfs")
	must(t, h, "echo x > /data/nfs/x")

	// a temporary read-only mount
	must(t, h, "zfs unmount zdata/nfs && zfs mount -o ro zdata/nfs")
	if r := run(t, h, "echo x > /data/nfs/x"); r.rc != 2 || r.err != "sh: cannot create /data/nfs/x: "+erofs+"\n" {
		t.Errorf("mount -o ro: %+v", r)
	}
	must(t, h, "zfs unmount zdata/nfs && zfs mount zdata/nfs && echo w > /data/nfs/x")
}
