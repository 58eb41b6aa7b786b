package zfs

import (
	"slices"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

func mountOf(t *testing.T, h *sim.Host, source string) (sim.Mount, bool) {
	t.Helper()
	m, err := sim.Load[sim.Mounts](h, sim.MountsState)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range m.List {
		if x.Source == source {
			return x, true
		}
	}
	return sim.Mount{}, false
}

func holderOf(t *testing.T, h *sim.Host, path string) string {
	t.Helper()
	d, err := sim.Load[sim.Disks](h, sim.DisksState)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range d.List {
		if x.Path == path {
			return x.Holder
		}
	}
	t.Fatalf("no disk %s", path)
	return ""
}

// TestSharedMountsAndDisks checks what zfs and zpool leave in the state
// shared with mount(8) and newfs: the mount table and the disk holders.
func TestSharedMountsAndDisks(t *testing.T) {
	h := newTestHost(t)
	if m, ok := mountOf(t, h, "zroot/ROOT/default"); !ok || m.Point != "/" || m.FSType != "zfs" || !slices.Equal(m.Options, []string{"local", "noatime", "nfsv4acls"}) {
		t.Errorf("root mount = %+v, %v", m, ok)
	}
	if m, _ := mountOf(t, h, "zroot/var/log"); !slices.Equal(m.Options, []string{"local", "noatime", "noexec", "nosuid", "nfsv4acls"}) {
		t.Errorf("/var/log options = %v", m.Options)
	}
	if got := holderOf(t, h, "/dev/ada1"); got != "" {
		t.Errorf("ada1 holder = %q", got)
	}
	must(t, h, "zpool create -m /data zdata /dev/ada1")
	if got := holderOf(t, h, "/dev/ada1"); got != "zpool:zdata" {
		t.Errorf("ada1 holder = %q", got)
	}
	if m, ok := mountOf(t, h, "zdata"); !ok || m.Point != "/data" || !slices.Equal(m.Options, []string{"local", "nfsv4acls"}) {
		t.Errorf("zdata mount = %+v, %v", m, ok)
	}
	must(t, h, "zfs set readonly=on zdata")
	if m, _ := mountOf(t, h, "zdata"); !slices.Equal(m.Options, []string{"local", "read-only", "nfsv4acls"}) {
		t.Errorf("read-only options = %v", m.Options)
	}
	must(t, h, "zfs set mountpoint=/srv zdata")
	if m, _ := mountOf(t, h, "zdata"); m.Point != "/srv" {
		t.Errorf("remounted at %q", m.Point)
	}
	must(t, h, "zpool export zdata")
	if _, ok := mountOf(t, h, "zdata"); ok {
		t.Errorf("exported pool still mounted")
	}
	must(t, h, "zpool import zdata zfast")
	if got := holderOf(t, h, "/dev/ada1"); got != "zpool:zfast" {
		t.Errorf("renamed import holder = %q", got)
	}
	must(t, h, "zpool destroy zfast")
	if got := holderOf(t, h, "/dev/ada1"); got != "" {
		t.Errorf("destroyed pool's disk holder = %q", got)
	}
	if _, ok := mountOf(t, h, "zfast"); ok {
		t.Errorf("destroyed pool still mounted")
	}
}
