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

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// The NFS services of the article that the lab runs without more setup
// than /etc/exports (stunnel needs its package and configuration).
var nfsServices = []string{"rpcbind", "mountd", "nfsd", "nfsuserd"}

// setupNFSHost gives a lab host a mounted dataset and /etc/exports, so
// that the hook can start the NFS services.
func setupNFSHost(t *testing.T, l *lab.Lab, hostName string) {
	mustExec(t, l, hostName, "zpool create -m /data zdata /dev/ada1 && zfs create zdata/nfs && touch /etc/exports")
}

// expectServices checks which of the services run on the host.
func expectServices(t *testing.T, l *lab.Lab, hostName string, running bool, services ...string) resource.TestCheckFunc {
	return hostCheck(func() error { return checkServices(t, l, hostName, running, services...) })
}

func checkServices(t *testing.T, l *lab.Lab, hostName string, running bool, services ...string) error {
	for _, s := range services {
		_, code := execOnHost(t, l, hostName, "service "+s+" onestatus")
		if (code == 0) != running {
			return fmt.Errorf("on %s, %s running is %v, want %v", hostName, s, code == 0, running)
		}
	}
	return nil
}

func hclList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// carpHookConfig: f0's VIP has advskew 100, so a peer with a lower one
// (carpPeer on f1) takes MASTER from it.
func carpHookConfig(provider string, services []string, extra string) string {
	return provider + carpVIP{vhid: 1, address: "192.168.1.138", password: "hookpass", version: 1, advskew: 100}.config() + fmt.Sprintf(`
resource "f3s_carp_hook" "nfs" {
  host              = "f0"
  interface         = "re0"
  vhid              = f3s_carp_address.vip.vhid
  services          = %s
  required_datasets = ["zdata/nfs"]
%s}
`, hclList(services), extra)
}

func devdPid(t *testing.T, l *lab.Lab) string {
	return strings.TrimSpace(mustExec(t, l, "f0", "cat /var/run/devd.pid"))
}

func TestAccCarpHookResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	setupNFSHost(t, l, "f0")
	const addr = "f3s_carp_hook.nfs"
	peer := func() { carpPeer(t, l, "f1", 1, "192.168.1.138", 0, "hookpass") }
	dropPeer := func() { dropCarpPeer(t, l, "f1", "192.168.1.138") }
	const script, rule = "/usr/local/bin/carpcontrol.sh", "/usr/local/etc/devd/carp.conf"
	three := nfsServices[:3]
	const prio20 = "  priority          = 20\n"
	var pid string
	savePid := func() { pid = devdPid(t, l) }
	devdRestarted := func(want bool) resource.TestCheckFunc {
		return hostCheck(func() error {
			if got := devdPid(t, l) != pid; got != want {
				return fmt.Errorf("devd restarted: %v, want %v (pid %s before)", got, want, pid)
			}
			return nil
		})
	}
	drift := func(pre string, changed string) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { mustExec(t, l, "f0", pre) },
			Config:    carpHookConfig(provider, nfsServices, prio20),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectChanged{addr: addr, attrs: []string{changed}},
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// The vhid is MASTER: the apply runs the new hook, which starts
				// the services.
				Config: carpHookConfig(provider, nfsServices, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:"+rule)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("script_path"), knownvalue.StringExact(script)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("script_status"), knownvalue.StringExact("ok")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rule_status"), knownvalue.StringExact("ok")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectServices(t, l, "f0", true, nfsServices...),
					expectFileLine(t, l, "f0", rule, "\tmatch \"subsystem\"\t\"1@re0\";", "644 root"),
					expectFileLine(t, l, "f0", rule, "\taction \""+script+" $subsystem $type\";", ""),
					expectFileLine(t, l, "f0", script, "SERVICES='rpcbind mountd nfsd nfsuserd'", "755 root"),
					expectFileLine(t, l, "f0", "/var/log/messages", "f0 carpcontrol: 1@re0: MASTER: started nfsd", ""),
				),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "f0:" + rule,
				ImportStateVerify: true,
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "f0:/etc/devd.conf",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:RULE_FILE"),
			},
			{
				// BACKUP through devd (f1 takes over): the services stop, in
				// reverse order; a failover is no drift.
				PreConfig: peer,
				Config:    carpHookConfig(provider, nfsServices, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectServices(t, l, "f0", false, nfsServices...),
					expectFileLine(t, l, "f0", "/var/log/messages", "f0 carpcontrol: 1@re0: BACKUP: stopping nfsuserd nfsd mountd rpcbind ", ""),
				),
			},
			{
				// MASTER again (f1 gone) with the dataset not mounted: nothing
				// starts.
				PreConfig: func() { mustExec(t, l, "f0", "zfs unmount zdata/nfs"); dropPeer() },
				Config:    carpHookConfig(provider, nfsServices, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectServices(t, l, "f0", false, nfsServices...),
					expectFileLine(t, l, "f0", "/var/log/messages",
						"f0 carpcontrol: 1@re0: MASTER, but dataset zdata/nfs is not mounted (no): services not started", ""),
					expectExit(t, l, "f0", script+" 1@re0 MASTER", 1),
				),
			},
			{
				// Mounted again, the next MASTER starts them.
				PreConfig: func() {
					mustExec(t, l, "f0", "zfs mount zdata/nfs")
					peer()
					dropPeer()
				},
				Config: carpHookConfig(provider, nfsServices, ""),
				Check:  expectServices(t, l, "f0", true, nfsServices...),
			},
			{
				// Fewer services: the script changes, the rule does not, so
				// devd keeps running.
				PreConfig: savePid,
				Config:    carpHookConfig(provider, three, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectChanged{addr: addr, attrs: []string{"services"}},
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					devdRestarted(false),
					expectFileLine(t, l, "f0", script, "SERVICES='rpcbind mountd nfsd'", "755 root"),
				),
			},
			{
				// A new priority changes the rule: devd restarts.
				PreConfig: savePid,
				Config:    carpHookConfig(provider, nfsServices, prio20),
				Check: resource.ComposeTestCheckFunc(
					devdRestarted(true),
					expectFileLine(t, l, "f0", rule, "notify 20 {", ""),
				),
			},
			// Drift, each named by the plan.
			drift("rm "+rule, "rule_status"),
			drift("echo '# local edit' >> "+script, "script_status"),
			drift("chmod 0644 "+script, "script_status"),
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectNoHostFile(t, l, "f0", script, rule),
		),
	})
}

// TestAccCarpHookOwnership: a second hook with the first one's paths is
// refused instead of taking over the first vhid's files.
func TestAccCarpHookOwnership(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	hook := func(name string, vhid int) string {
		return fmt.Sprintf(`
resource "f3s_carp_hook" %q {
  host      = "f0"
  interface = "re0"
  vhid      = %d
  services  = ["nfsd"]
}
`, name, vhid)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider + hook("one", 1)},
			{
				Config:      provider + hook("one", 1) + hook("two", 2),
				ExpectError: errorMatching("Unable to Apply CARP Hook", "serves vhid 1 on re0, not vhid 2 on re0", "another path"),
			},
		},
	})
}

func TestAccCarpHookDroppedConnection(t *testing.T) {
	t.Parallel()
	// A drop while the hook runs the script is only a warning: the hook is
	// in place, and the next apply has nothing left to do.
	for pattern, fails := range map[string]bool{"service devd restart": true, "carpcontrol.sh 1@re0 MASTER": false} {
		t.Run(pattern, func(t *testing.T) {
			t.Parallel()
			l, provider := testAccLab(t, accF0)
			setupNFSHost(t, l, "f0")
			config := carpHookConfig(provider, nfsServices, "")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig:   func() { l.Faults("f0").DropConnectionOnCommand(pattern) },
						Config:      config,
						ExpectError: map[bool]*regexp.Regexp{true: regexp.MustCompile(`(?i)connection|exit status`)}[fails],
					},
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: expectServices(t, l, "f0", true, nfsServices...),
					},
				},
			})
		})
	}
}

func TestAccCarpHookInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	base := `interface = "re0"
  vhid = 1
  services = ["nfsd"]`
	tests := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"no services", strings.Replace(base, `["nfsd"]`, `[]`, 1), errorMatching("services", "at least 1")},
		{"service dash", strings.Replace(base, `["nfsd"]`, `["-x"]`, 1), errorMatching("Invalid Service Name", "starts with '-'")},
		{"service twice", strings.Replace(base, `["nfsd"]`, `["nfsd", "nfsd"]`, 1), errorMatching("Duplicate List Value", "services")},
		{"dataset", base + "\n  required_datasets = [\"zdata//x\"]", errorMatching("Invalid Dataset Name", "required_datasets")},
		{"rule file", base + "\n  rule_file = \"/etc/devd.conf\"", errorMatching("Invalid Path", "rule_file", "not read by devd")},
		{"rule file suffix", base + "\n  rule_file = \"/usr/local/etc/devd/carp\"", errorMatching("Invalid Path", "not read by devd")},
		{"script path", base + "\n  script_path = \"/usr/local/bin/carp control\"", errorMatching("Invalid Path", "script_path")},
		{"vhid", strings.Replace(base, "vhid = 1", "vhid = 0", 1), errorMatching("vhid", "between 1 and 255")},
	}
	steps := make([]resource.TestStep, 0, len(tests)+1)
	for _, tt := range tests {
		steps = append(steps, resource.TestStep{
			Config:      provider + "resource \"f3s_carp_hook\" \"bad\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
			PlanOnly:    true,
			ExpectError: tt.want,
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      provider + "resource \"f3s_carp_hook\" \"bad\" {\n  host = \"r0\"\n  " + base + "\n}\n",
		PlanOnly:    true,
		ExpectError: errorMatching("Unsupported Operating System", "f3s_carp_hook"),
	})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}
