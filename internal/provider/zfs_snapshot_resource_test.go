package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func snapshotConfig(provider, name string) string {
	return provider + fmt.Sprintf(`
resource "f3s_zfs_snapshot" "hamburger" {
  host    = "f0"
  dataset = "zroot/bhyve/rocky"
  name    = %q
}

resource "f3s_zfs_snapshot" "all" {
  host      = "f0"
  dataset   = "zroot/bhyve"
  name      = "all"
  recursive = true
}
`, name)
}

func TestAccZFSSnapshotResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	const addr = "f3s_zfs_snapshot.hamburger"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      snapshotConfig(provider, "two@signs"),
				PlanOnly:    true,
				ExpectError: errorMatching("Invalid Snapshot Name", "must not contain"),
			},
			{
				Config:      provider + `resource "f3s_zfs_snapshot" "bad" {` + "\n  host = \"f0\"\n  dataset = \"zroot//bhyve\"\n  name = \"x\"\n}\n",
				PlanOnly:    true,
				ExpectError: errorMatching("Invalid Dataset Name", "empty component"),
			},
			{
				Config: snapshotConfig(provider, "hamburger"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:zroot/bhyve/rocky@hamburger")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("guid"), knownvalue.StringRegexp(regexpDigits)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("creation"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("recursive"), knownvalue.Bool(false)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectDataset(t, l, "zroot/bhyve/rocky@hamburger", true),
					expectDataset(t, l, "zroot/bhyve@all", true),
					expectDataset(t, l, "zroot/bhyve/rocky@all", true),
				),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "f0:zroot/bhyve/rocky@hamburger",
				ImportStateVerify: true,
			},
			{
				// Whether a snapshot was taken with -r is not on the host.
				ResourceName:            "f3s_zfs_snapshot.all",
				ImportState:             true,
				ImportStateId:           "f0:zroot/bhyve@all",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"recursive"},
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "f0:zroot/bhyve/rocky",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:DATASET@SNAPSHOT"),
			},
			{
				// Drift: the snapshot destroyed on the host.
				PreConfig: func() { mustExec(t, l, "f0", "zfs destroy zroot/bhyve/rocky@hamburger") },
				Config:    snapshotConfig(provider, "hamburger"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: expectDataset(t, l, "zroot/bhyve/rocky@hamburger", true),
			},
			{
				// Snapshots are immutable: a new name is a new snapshot.
				Config: snapshotConfig(provider, "cheeseburger"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: resource.ComposeTestCheckFunc(
					expectDataset(t, l, "zroot/bhyve/rocky@hamburger", false),
					expectDataset(t, l, "zroot/bhyve/rocky@cheeseburger", true),
				),
			},
		},
		CheckDestroy: hostCheck(func() error {
			out, _ := execOnHost(t, l, "f0", "zfs list -H -o name -t snapshot -r zroot/bhyve")
			if strings.TrimSpace(out) != "" {
				return fmt.Errorf("snapshots left after destroy: %q", out)
			}
			return nil
		}),
	})
}
