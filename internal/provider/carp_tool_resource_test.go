package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// carpToolConfig: vhid 1 on f0 and (less preferred) f1, vhid 2 on f0 alone.
func carpToolConfig(provider, block string) string {
	return provider + carpVIP{vhid: 1, address: "192.168.1.138", password: "toolpass", version: 1}.config() +
		carpVIP{host: "f1", name: "f1", vhid: 1, address: "192.168.1.138", password: "toolpass", version: 1, advskew: 100,
			extra: "  depends_on          = [f3s_carp_address.vip]\n"}.config() +
		carpVIP{name: "vip2", vhid: 2, address: "192.168.1.139", password: "toolpass", version: 1, advskew: 100,
			extra: "  depends_on          = [f3s_carp_address.vip]\n"}.config() + fmt.Sprintf(`
resource "f3s_carp_tool" "carp" {
  host       = "f0"
  block_file = %q
}

data "f3s_carp_state" "f0" {
  host      = "f0"
  interface = "re0"

  depends_on = [f3s_carp_address.vip, f3s_carp_address.vip2]
}
`, block)
}

// TestAccCarpToolResource: the carp command and the f3s_carp_state data
// source on a host with two vhids.
func TestAccCarpToolResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	const addr = "f3s_carp_tool.carp"
	const block, block2 = "/var/db/carp.NO_AUTO_FAILBACK", "/var/db/carp.maintenance"
	expectOutput := func(cmd string, code int, lines ...string) resource.TestCheckFunc {
		return hostCheck(func() error {
			out, got := execOnHost(t, l, "f0", cmd)
			if got != code {
				return fmt.Errorf("%s exited %d, want %d:\n%s", cmd, got, code, out)
			}
			for _, line := range lines {
				if !strings.Contains(out, line+"\n") {
					return fmt.Errorf("%s printed no line %q:\n%s", cmd, line, out)
				}
			}
			return nil
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: carpToolConfig(provider, block),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:/usr/local/bin/carp")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("ok")),
					statecheck.ExpectKnownValue("data.f3s_carp_state.f0", tfjsonpath.New("states"), knownvalue.MapExact(map[string]knownvalue.Check{
						"1@re0": knownvalue.StringExact("MASTER"), "2@re0": knownvalue.StringExact("MASTER"),
					})),
					statecheck.ExpectKnownValue("data.f3s_carp_state.f0", tfjsonpath.New("vhids").AtSliceIndex(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"interface": knownvalue.StringExact("re0"), "vhid": knownvalue.Int64Exact(2), "state": knownvalue.StringExact("MASTER"),
						"advbase": knownvalue.Int64Exact(1), "advskew": knownvalue.Int64Exact(100),
						"addresses": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("192.168.1.139/32")}),
					})),
				},
				Check: resource.ComposeTestCheckFunc(
					expectOutput("carp", 0, "CARP state on re0 (vhid 1): MASTER", "CARP state on re0 (vhid 2): MASTER"),
					// f1 takes vhid 1; vhid 2 has no peer.
					expectOutput("carp backup 1", 0, "Setting CARP vhid 1 on re0 to backup (was MASTER)...",
						"CARP state on re0 (vhid 1): BACKUP", "CARP state on re0 (vhid 2): MASTER",
						"Note: where auto-failback runs, it makes this node MASTER again once its storage is ready;"),
					expectOutput("carp master 1", 0, "Setting CARP vhid 1 on re0 to master (was BACKUP)...", "CARP state on re0 (vhid 1): MASTER"),
					expectOutput("carp auto-failback disable", 0, "Auto-failback DISABLED (created "+block+")"),
					expectOutput("carp auto-failback disable", 0, "Auto-failback was already disabled"),
					// Every vhid: vhid 2, alone on the link, is MASTER again as
					// soon as its master-down timer runs out.
					expectOutput("carp backup", 0, "Setting CARP vhid 1 on re0 to backup (was MASTER)...",
						"Setting CARP vhid 2 on re0 to backup (was MASTER)...", "CARP state on re0 (vhid 1): BACKUP",
						"WARNING: Auto-failback is DISABLED (file exists: "+block+")"),
					expectFileLine(t, l, "f0", "/var/log/messages", "f0 kernel: carp: 2@re0: MASTER -> BACKUP (user requested via ifconfig)", ""),
					expectOutput("carp master", 0, "CARP state on re0 (vhid 1): MASTER", "CARP state on re0 (vhid 2): MASTER"),
					expectOutput("carp auto-failback enable", 0, "Auto-failback ENABLED (removed "+block+")"),
					expectOutput("carp master 7", 1, "Error: No CARP vhid 7 on this node"),
					expectOutput("carp sideways", 1, "Usage: carp [master [VHID] | backup [VHID] | auto-failback enable | auto-failback disable]"),
					expectOutput("carp master x", 1, "  Without arguments: show the CARP state of every vhid"),
				),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "f0:/usr/local/bin/carp",
				ImportStateVerify: true,
			},
			{
				// The data source follows a failover; the resources do not drift.
				PreConfig: func() { mustExec(t, l, "f0", "carp backup 1") },
				Config:    carpToolConfig(provider, block),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.f3s_carp_state.f0", tfjsonpath.New("states").AtMapKey("1@re0"), knownvalue.StringExact("BACKUP")),
				},
			},
			{
				Config: carpToolConfig(provider, block2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectChanged{addr: addr, attrs: []string{"block_file"}},
					},
				},
				Check: expectOutput("carp auto-failback disable", 0, "Auto-failback DISABLED (created "+block2+")"),
			},
			{
				PreConfig: func() { mustExec(t, l, "f0", "echo 'exit 0' >> /usr/local/bin/carp") },
				Config:    carpToolConfig(provider, block2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectChanged{addr: addr, attrs: []string{"status"}}},
				},
			},
		},
		CheckDestroy: expectNoHostFile(t, l, "f0", "/usr/local/bin/carp"),
	})
}

func TestAccCarpStateDataSourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      provider + "data \"f3s_carp_state\" \"x\" {\n  host = \"f0\"\n  interface = \"em9\"\n}\n",
				ExpectError: errorMatching("Unable to Read CARP State", "interface em9"),
			},
			{
				Config:      provider + "data \"f3s_carp_state\" \"x\" {\n  host = \"r0\"\n}\n",
				ExpectError: errorMatching("Unable to Read CARP State", "FreeBSD only"),
			},
			{
				Config:      provider + "data \"f3s_carp_state\" \"x\" {\n  host = \"f0\"\n  interface = \"-re0\"\n}\n",
				ExpectError: errorMatching("Invalid Interface Name", "interface"),
			},
		},
	})
}

const carpToolOnly = `
resource "f3s_carp_tool" "carp" {
  host = "f0"
}
`

func TestAccCarpToolDroppedConnection(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { l.Faults("f0").DropConnectionOnCommand("/usr/local/bin/.carp.f3s-") },
				Config:      provider + carpToolOnly,
				ExpectError: regexp.MustCompile(`(?i)connection|exit status`),
			},
			{
				Config: provider + carpToolOnly,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectExit(t, l, "f0", "carp auto-failback disable", 0),
			},
		},
		CheckDestroy: expectNoHostFile(t, l, "f0", "/usr/local/bin/carp"),
	})
}

func TestAccCarpToolInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      provider + "resource \"f3s_carp_tool\" \"x\" {\n  host = \"f0\"\n  path = \"usr/local/bin/carp\"\n}\n",
				PlanOnly:    true,
				ExpectError: errorMatching("Invalid Path", "path"),
			},
			{
				Config:      provider + "resource \"f3s_carp_tool\" \"x\" {\n  host = \"f0\"\n  block_file = \"/var/db/no failback\"\n}\n",
				PlanOnly:    true,
				ExpectError: errorMatching("Invalid Path", "block_file"),
			},
			{
				Config:      provider + "resource \"f3s_carp_tool\" \"x\" {\n  host = \"r0\"\n}\n",
				PlanOnly:    true,
				ExpectError: errorMatching("Unsupported Operating System", "f3s_carp_tool"),
			},
		},
	})
}
