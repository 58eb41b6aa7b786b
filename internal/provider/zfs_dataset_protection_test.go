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

// TestAccZFSDatasetDeletionProtection: a dataset is protected unless the
// configuration says otherwise. Its destroy and its replacement fail at
// plan time and leave the state and the data as they were; turned off
// (one apply), the destroy goes ahead.
func TestAccZFSDatasetDeletionProtection(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	const addr = "f3s_zfs_dataset.keep"
	cfg := func(body string) string {
		return provider + `
resource "f3s_zfs_dataset" "keep" {
  host = "f0"
  name = "zroot/keep"
` + body + `
}
`
	}
	intact := hostCheck(func() error {
		if got := mustExec(t, l, "f0", "cat /zroot/keep/data.txt"); got != "precious\n" {
			return fmt.Errorf("/zroot/keep/data.txt holds %q", got)
		}
		return nil
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: hostCheck(func() error {
					mustExec(t, l, "f0", "echo precious > /zroot/keep/data.txt")
					return nil
				}),
			},
			{
				// Import protects, as the default does: the same state.
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           "f0:zroot/keep",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"used", "available"},
			},
			{
				// The block removed: refused at plan time.
				Config:      provider,
				ExpectError: errorMatching("Protected ZFS Dataset", `"zroot/keep"`, "deletion_protection = false", "apply"),
			},
			{
				// A replacement (a new type) is refused and names the cause.
				Config:      cfg("  type    = \"volume\"\n  volsize = \"1G\""),
				ExpectError: errorMatching("Protected ZFS Dataset", `"zroot/keep"`, "replace", "type"),
			},
			{
				// Nothing happened: state and data as before.
				Config: cfg(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(intact, expectDataset(t, l, "zroot/keep", true)),
			},
			{
				// Turning protection off is an update that touches nothing.
				Config: cfg("  deletion_protection = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: intact,
			},
			{
				// Then the destroy goes ahead.
				Config: provider,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroy)},
				},
				Check: expectDataset(t, l, "zroot/keep", false),
			},
		},
	})
}
