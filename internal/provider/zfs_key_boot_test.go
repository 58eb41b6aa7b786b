package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// zfsKeyBootConfig is the article's key setup on f0 and f1: a key stick on
// each, f0's zdata key on both, zfskeys at boot on f0.
func zfsKeyBootConfig(provider string, withKey bool) string {
	cfg := provider + `
resource "f3s_key_media" "f0" {
  host   = "f0"
  device = "/dev/da0"
  format = true
}

resource "f3s_key_media" "f1" {
  host   = "f1"
  device = "/dev/da0"
  format = true
}

resource "f3s_sysrc" "zfskeys_enable" {
  host  = "f0"
  name  = "zfskeys_enable"
  value = "YES"
}

resource "f3s_sysrc" "zfskeys_datasets" {
  host  = "f0"
  name  = "zfskeys_datasets"
  value = "zdata/enc zdata/enc/nfsdata zroot/bhyve"
}
`
	if withKey {
		cfg += `
resource "f3s_zfs_key" "zdata" {
  hosts      = ["f0", "f1"]
  path       = "${f3s_key_media.f0.mount_point}/f0.lan.buetow.org:zdata.key"
  depends_on = [f3s_key_media.f1]
}
`
	}
	return cfg
}

// zfsGet is one property's value on f0.
func zfsGet(t *testing.T, l *lab.Lab, prop, ds string) string {
	t.Helper()
	return strings.TrimSpace(mustExec(t, l, "f0", "zfs get -H -o value "+prop+" "+ds))
}

func TestAccZFSKeyBootLoading(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	before := map[string]string{}
	for _, h := range []string{"f0", "f1"} {
		before[h] = mustExec(t, l, h, "cat /etc/fstab /etc/rc.conf")
	}
	f0 := func(script string) string { t.Helper(); return mustExec(t, l, "f0", script) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: zfsKeyBootConfig(provider, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectKeyCopies(t, l, "f3s_zfs_key.zdata", articleZdataKey, "400", "f0", "f1"),
			},
			{
				// The article's encrypted dataset on the key, then what a
				// reboot does: keys unloaded, rc.d zfskeys loads them.
				PreConfig: func() {
					f0("zpool create -m /data zdata /dev/ada1")
					f0("zfs create -o encryption=on -o keyformat=raw -o keylocation=file://" + articleZdataKey + " zdata/enc")
					f0("zfs create zdata/enc/nfsdata")
					f0("zfs unmount zdata/enc/nfsdata && zfs unmount zdata/enc && zfs unload-key zdata/enc")
					if got := zfsGet(t, l, "keystatus", "zdata/enc"); got != "unavailable" {
						t.Fatalf("keystatus after unload-key: %q", got)
					}
					if out := f0("service zfskeys start"); !strings.Contains(out, "zdata/enc") {
						t.Errorf("service zfskeys start printed %q", out)
					}
					f0("zfs mount -a")
					for _, ds := range []string{"zdata/enc", "zdata/enc/nfsdata"} {
						if got := zfsGet(t, l, "keystatus", ds) + " " + zfsGet(t, l, "mounted", ds); got != "available yes" {
							t.Errorf("%s after zfskeys: keystatus, mounted = %s", ds, got)
						}
					}
					// f1's copy is f0's key: it unlocks the same data.
					if a, b := f0("sha256 -q "+articleZdataKey), mustExec(t, l, "f1", "sha256 -q "+articleZdataKey); a != b {
						t.Errorf("f1's copy differs from f0's: %s vs %s", b, a)
					}
				},
				Config:   zfsKeyBootConfig(provider, true),
				PlanOnly: true,
			},
			{
				// The key of a dataset is not deleted under it.
				Config:      zfsKeyBootConfig(provider, false),
				ExpectError: errorMatching("ZFS Key In Use", "zdata/enc", "keep_on_destroy"),
			},
			{
				PreConfig: func() {
					if got := zfsGet(t, l, "keystatus", "zdata/enc"); got != "available" {
						t.Errorf("keystatus after the refused destroy: %q", got)
					}
					f0("zfs destroy -r zdata/enc")
				},
				Config: zfsKeyBootConfig(provider, false),
				Check: resource.ComposeTestCheckFunc(
					expectNoHostFile(t, l, "f0", articleZdataKey),
					expectNoHostFile(t, l, "f1", articleZdataKey),
				),
			},
		},
		CheckDestroy: hostCheck(func() error {
			for _, h := range []string{"f0", "f1"} {
				if got := mustExec(t, l, h, "cat /etc/fstab /etc/rc.conf"); got != before[h] {
					return fmt.Errorf("%s: /etc/fstab and /etc/rc.conf after destroy:\n%s\nwant\n%s", h, got, before[h])
				}
				if got := mustExec(t, l, h, "mount | grep da0 || true; ls -d /keys 2>&1 || true"); got != "ls: /keys: No such file or directory\n" {
					return fmt.Errorf("%s after destroy: %q", h, got)
				}
			}
			return nil
		}),
	})
}
