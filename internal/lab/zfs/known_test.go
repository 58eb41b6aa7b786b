package zfs

import (
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

func knownOf(t *testing.T, h *sim.Host, name string) (*Dataset, bool) {
	t.Helper()
	st, err := sim.Load[State](h, StateName)
	if err != nil {
		t.Fatal(err)
	}
	_, ds := st.dataset(name)
	if ds == nil {
		t.Fatalf("no dataset %s", name)
	}
	return ds, isTouched(h.Dir, ds.Store)
}

// TestKnownFollowsTheFiles walks a dataset through the changes that make
// what zfs knows of its files stale, and checks what zfs reports after
// each (TestMain also checks every use of Known against the files).
func TestKnownFollowsTheFiles(t *testing.T) {
	h := newTestHost(t)
	must(t, h, "zpool create -m /data zdata /dev/ada1 && zfs create zdata/a && zfs create zdata/a/b")
	used := func(name string) string {
		return must(t, h, "zfs get -H -p -o value used "+name)
	}

	ds, touched := knownOf(t, h, "zdata/a")
	if ds.Known == nil || touched {
		t.Fatalf("a new dataset: known %v, touched %v; want known, not touched", ds.Known, touched)
	}
	if got := used("zdata/a"); got != "196608\n" {
		t.Errorf("used of zdata/a with an empty child: %q", got)
	}

	// A write through the tree marks the dataset that holds the file, not
	// its parent, and zfs sees the bytes.
	must(t, h, "printf 'hello' > /data/a/b/f")
	if _, touched := knownOf(t, h, "zdata/a/b"); !touched {
		t.Error("zdata/a/b not marked after a write into it")
	}
	if _, touched := knownOf(t, h, "zdata/a"); touched {
		t.Error("zdata/a marked by a write into its child")
	}
	if got := used("zdata/a/b"); got != "102400\n" {
		t.Errorf("used of zdata/a/b after a 5-byte file: %q", got)
	}

	// Changing the child's mountpoint directory changes the parent's entry.
	if err := h.Tree.Chmod(h.Root(), "/data/a/b", 0o700); err != nil {
		t.Fatal(err)
	}
	if _, touched := knownOf(t, h, "zdata/a"); !touched {
		t.Error("zdata/a not marked after a chmod of its child's mountpoint")
	}

	// Unmounting takes the files out of the tree: the mark goes, and the
	// next mount knows the files again.
	must(t, h, "zfs unmount zdata/a/b && zfs mount zdata/a/b")
	ds, touched = knownOf(t, h, "zdata/a/b")
	if ds.Known == nil || touched || ds.Known.Bytes != 4096 {
		t.Errorf("after a remount: known %+v, touched %v; want 4096 bytes known", ds.Known, touched)
	}
	if got := used("zdata/a/b"); got != "102400\n" {
		t.Errorf("used of zdata/a/b after a remount: %q", got)
	}

	// A file written where a dataset is then mounted is hidden from the
	// dataset around it.
	must(t, h, "zfs create -o mountpoint=none zdata/a/c")
	if err := h.Tree.MkdirAll(h.Root(), "/data/a/c", 0o755); err != nil {
		t.Fatal(err)
	}
	must(t, h, "printf 'stray' > /data/a/c/s")
	must(t, h, "zfs set mountpoint=/data/a/c zdata/a/c")
	if got := used("zdata/a/c"); got != "102400\n" {
		t.Errorf("used of zdata/a/c mounted over a file: %q", got)
	}

	// Files that zfs itself put where a dataset is then mounted (the
	// parent's own, back from its store) leave the parent's bytes.
	must(t, h, "zfs create -o mountpoint=/p zdata/p && printf 'stray' > /p/c")
	if err := h.Tree.RemoveAll(h.Root(), "/p/c"); err != nil {
		t.Fatal(err)
	}
	if err := h.Tree.MkdirAll(h.Root(), "/p/c", 0o755); err != nil {
		t.Fatal(err)
	}
	must(t, h, "printf 'stray' > /p/c/s && zfs unmount zdata/p && zfs mount zdata/p")
	if got := used("zdata/p"); got != "102400\n" {
		t.Errorf("used of zdata/p with a file: %q", got)
	}
	must(t, h, "zfs create zdata/p/c")
	if got := used("zdata/p"); got != "200704\n" { // 96K for each, and the file now counts for the child
		t.Errorf("used of zdata/p once its file is under a child's mount: %q", got)
	}

	// Removing a directory that holds a mountpoint marks the dataset below.
	must(t, h, "zfs create -o mountpoint=/srv/x/y zdata/y && printf 'z' > /srv/x/y/z")
	must(t, h, "zfs unmount zdata/y && zfs mount zdata/y")
	if _, touched := knownOf(t, h, "zdata/y"); touched {
		t.Fatal("zdata/y marked after a remount")
	}
	if err := h.Tree.RemoveAll(h.Root(), "/srv/x"); err != nil {
		t.Fatal(err)
	}
	if _, touched := knownOf(t, h, "zdata/y"); !touched {
		t.Error("zdata/y not marked after rm -rf of a directory above it")
	}
	used("zdata/y")
}
