package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const bhyveKey = "/keys/f0.lan.buetow.org:bhyve.key"

// migrationConfig is the article's move of the unencrypted zroot/bhyve
// into an encrypted one: the old tree adopted and renamed to bhyve_old
// (mounted at /mnt), a snapshot @hamburger, a new encrypted zroot/bhyve,
// and zroot/bhyve/rocky received from the snapshot.
func migrationConfig(provider string, keepOld bool, oldExtra string) string {
	cfg := provider
	if keepOld {
		cfg += `
import {
  to = f3s_zfs_dataset.old
  id = "f0:zroot/bhyve"
}

resource "f3s_zfs_dataset" "old" {
  host       = "f0"
  name       = "zroot/bhyve_old"
  mountpoint = "/mnt"
  deletion_protection = false
` + oldExtra + `
}

resource "f3s_zfs_snapshot" "hamburger" {
  host    = "f0"
  dataset = "${f3s_zfs_dataset.old.name}/rocky"
  name    = "hamburger"
}
`
	}
	cfg += fmt.Sprintf(`
resource "f3s_zfs_dataset" "bhyve" {
  host        = "f0"
  name        = "zroot/bhyve"
  deletion_protection = false
  encryption  = "on"
  keyformat   = "raw"
  keylocation = "file://%s"
  mountpoint  = "/zroot/bhyve"
  %s
}

resource "f3s_zfs_dataset" "rocky" {
  host            = "f0"
  name            = "${f3s_zfs_dataset.bhyve.name}/rocky"
  source_snapshot = %s
  deletion_protection = false
  mountpoint      = "/zroot/bhyve/rocky"
}
`, bhyveKey, map[bool]string{true: "depends_on = [f3s_zfs_dataset.old]", false: ""}[keepOld],
		map[bool]string{true: `"${f3s_zfs_snapshot.hamburger.dataset}@${f3s_zfs_snapshot.hamburger.name}"`,
			false: `"zroot/bhyve_old/rocky@hamburger"`}[keepOld])
	return cfg
}

func TestAccZFSMigration(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	makeKey(t, l, bhyveKey)
	mustExec(t, l, "f0", "mkdir -p /zroot/bhyve/.config && echo 'loader=uefi' > /zroot/bhyve/.config/system.conf && "+
		"dd if=/dev/random of=/zroot/bhyve/rocky/disk0.img bs=1024 count=64 2>/dev/null && "+
		"echo 'vm rocky' > /zroot/bhyve/rocky/rocky.conf")
	diskSum := mustExec(t, l, "f0", "sha256 -q /zroot/bhyve/rocky/disk0.img")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: migrationConfig(provider, true, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						// zfs rename and zfs set mountpoint=/mnt on the adopted tree.
						plancheck.ExpectResourceAction("f3s_zfs_dataset.old", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_zfs_dataset.bhyve", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("f3s_zfs_dataset.rocky", plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("f3s_zfs_dataset.old", tfjsonpath.New("id"), knownvalue.StringExact("f0:zroot/bhyve_old")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.rocky", tfjsonpath.New("encryption_root"), knownvalue.StringExact("zroot/bhyve")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.rocky", tfjsonpath.New("keylocation"), knownvalue.StringExact("none")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.rocky", tfjsonpath.New("key_status"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.bhyve", tfjsonpath.New("encryption_root"), knownvalue.StringExact("zroot/bhyve")),
				},
				Check: resource.ComposeTestCheckFunc(
					// The blog's closing check (§2.1): rocky encrypted with bhyve's key.
					expectZFS(t, l, "zfs", "encryption", "zroot/bhyve/rocky", "aes-256-gcm"),
					expectZFS(t, l, "zfs", "keyformat", "zroot/bhyve/rocky", "raw"),
					expectZFS(t, l, "zfs", "keylocation", "zroot/bhyve", "file://"+bhyveKey),
					expectZFS(t, l, "zfs", "mountpoint", "zroot/bhyve_old", "/mnt"),
					hostCheck(func() error {
						if got := mustExec(t, l, "f0", "sha256 -q /zroot/bhyve/rocky/disk0.img"); got != diskSum {
							return fmt.Errorf("disk0.img after the migration has sha256 %q, before %q", got, diskSum)
						}
						if got := mustExec(t, l, "f0", "cat /zroot/bhyve/rocky/rocky.conf /mnt/.config/system.conf"); got != "vm rocky\nloader=uefi\n" {
							return fmt.Errorf("migrated files hold %q", got)
						}
						return nil
					}),
				),
			},
			{
				// The old tree holds the snapshot that rocky came from and
				// its own rocky: not destroyed without force_destroy.
				Config:      migrationConfig(provider, false, ""),
				ExpectError: errorMatching("Refusing to Destroy ZFS Dataset", `"zroot/bhyve_old"`, "zroot/bhyve_old/rocky", "force_destroy"),
			},
			{
				Config: migrationConfig(provider, true, "  force_destroy = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("f3s_zfs_dataset.old", plancheck.ResourceActionUpdate)},
				},
			},
			{
				// The article's zfs destroy -R zroot/bhyve_old; the copy stays.
				Config: migrationConfig(provider, false, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_zfs_dataset.old", plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction("f3s_zfs_dataset.rocky", plancheck.ResourceActionNoop),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					expectDataset(t, l, "zroot/bhyve_old", false),
					expectDataset(t, l, "zroot/bhyve/rocky@hamburger", true),
					hostCheck(func() error {
						if got := mustExec(t, l, "f0", "sha256 -q /zroot/bhyve/rocky/disk0.img"); got != diskSum {
							return fmt.Errorf("disk0.img has sha256 %q after the old tree went, want %q", got, diskSum)
						}
						return nil
					}),
				),
			},
		},
		CheckDestroy: hostCheck(func() error {
			if datasetExists(t, l, "zroot/bhyve") {
				return fmt.Errorf("zroot/bhyve is still there after destroy")
			}
			return nil
		}),
	})
}
