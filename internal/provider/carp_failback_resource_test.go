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

const (
	carpFailbackScript = "/usr/local/bin/carp-auto-failback.sh"
	failbackLog        = "/var/log/carp-auto-failback.log"
	failbackMarker     = "/data/enc/nfs.DO_NOT_REMOVE"
	blockFile          = "/var/db/carp.NO_AUTO_FAILBACK"
)

// setupEncryptedDataset gives f0 an encrypted dataset zdata/enc, mounted
// on /data/enc, whose key can be unloaded.
func setupEncryptedDataset(t *testing.T, l *lab.Lab, hostName string) {
	mustExec(t, l, hostName, "zpool create -m /data zdata /dev/ada1 && dd if=/dev/random of=/root/enc.key bs=32 count=1 2>/dev/null && "+
		"zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///root/enc.key zdata/enc")
}

// carpFailbackConfig declares the VIP on f0 and, with a higher advskew, on
// f1: forced BACKUP, f0 stays BACKUP while f1 is MASTER (no preemption).
func carpFailbackConfig(provider, extra string) string {
	return provider + carpVIP{vhid: 1, address: "192.168.1.138", password: "fbpass", version: 1}.config() +
		carpVIP{host: "f1", name: "f1", vhid: 1, address: "192.168.1.138", password: "fbpass", version: 1, advskew: 100,
			extra: "  depends_on          = [f3s_carp_address.vip]\n"}.config() + `
resource "f3s_carp_tool" "carp" {
  host = "f0"
}

resource "f3s_carp_failback" "f0" {
  host      = "f0"
  interface = "re0"
  vhid      = f3s_carp_address.vip.vhid
  dataset   = "zdata/enc"
` + extra + `}
`
}

// carpState is the vhid's state on the host, from the carp command.
func carpState(t *testing.T, l *lab.Lab, hostName string) string {
	out := mustExec(t, l, hostName, "carp")
	for _, line := range strings.Split(out, "\n") {
		if s, ok := strings.CutPrefix(line, "CARP state on re0 (vhid 1): "); ok {
			return s
		}
	}
	t.Fatalf("carp on %s printed no state for vhid 1:\n%s", hostName, out)
	return ""
}

func expectCarpState(t *testing.T, l *lab.Lab, hostName, want string) resource.TestCheckFunc {
	return hostCheck(func() error {
		if got := carpState(t, l, hostName); got != want {
			return fmt.Errorf("vhid 1 on %s is %s, want %s", hostName, got, want)
		}
		return nil
	})
}

// failbackRun forces BACKUP with the carp command (no reboot), runs the
// failback script as cron would, and checks the state it leaves and the
// log line it adds (none when line is "").
func failbackRun(t *testing.T, l *lab.Lab, prepare, wantState, line string) resource.TestCheckFunc {
	return hostCheck(func() error {
		mustExec(t, l, "f0", "carp backup >/dev/null")
		if prepare != "" {
			mustExec(t, l, "f0", prepare)
		}
		before, _ := execOnHost(t, l, "f0", "cat "+failbackLog+" 2>/dev/null")
		mustExec(t, l, "f0", carpFailbackScript)
		after, _ := execOnHost(t, l, "f0", "cat "+failbackLog+" 2>/dev/null")
		added := strings.TrimPrefix(after, before)
		if got := carpState(t, l, "f0"); got != wantState {
			return fmt.Errorf("after the failback script vhid 1 is %s, want %s (log: %q)", got, wantState, added)
		}
		if line == "" && added != "" || line != "" && !strings.Contains(added, line) {
			return fmt.Errorf("the failback script logged %q, want %q", added, line)
		}
		return nil
	})
}

func TestAccCarpFailbackResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	setupEncryptedDataset(t, l, "f0")
	const addr = "f3s_carp_failback.f0"
	cronLine := "* * * * * " + carpFailbackScript
	const every2 = "  schedule  = \"*/2 * * * *\"\n"
	drift := func(pre, changed string) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { mustExec(t, l, "f0", pre) },
			Config:    carpFailbackConfig(provider, every2),
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
				Config: carpFailbackConfig(provider, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:"+carpFailbackScript)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("marker_file"), knownvalue.StringExact(failbackMarker)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("marker_status"), knownvalue.StringExact("ok")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("cron_status"), knownvalue.StringExact("ok")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("block_file"), knownvalue.StringExact(blockFile)),
				},
				Check: resource.ComposeTestCheckFunc(
					expectFileLine(t, l, "f0", carpFailbackScript, "DATASET='zdata/enc'", "755 root"),
					expectExit(t, l, "f0", "test -f "+failbackMarker, 0),
					hostCheck(func() error {
						if out := mustExec(t, l, "f0", "crontab -l"); !strings.Contains(out, "# f3s:carp-auto-failback-re0-1\n"+cronLine+"\n") {
							return fmt.Errorf("root's crontab has no failback entry:\n%s", out)
						}
						return nil
					}),
					expectCarpState(t, l, "f0", "MASTER"),
					// MASTER already: the script does nothing and logs nothing.
					hostCheck(func() error {
						mustExec(t, l, "f0", carpFailbackScript)
						if out, code := execOnHost(t, l, "f0", "cat "+failbackLog); code == 0 {
							return fmt.Errorf("the failback script logged while MASTER: %s", out)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "f0:" + carpFailbackScript,
				ImportStateVerify: true,
			},
			{
				// Forced BACKUP without a reboot, nfsd not running: the script
				// fails back all the same (the article's would wait for nfsd
				// forever).
				Config: carpFailbackConfig(provider, ""),
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "f0", "service nfsd onestatus", 1),
					failbackRun(t, l, "", "MASTER", "CONDITIONS MET: promoting vhid 1 on re0 to MASTER (was BACKUP)"),
					expectFileLine(t, l, "f0", "/var/log/messages", "carp-auto-failback: 1@re0: reclaimed MASTER (was BACKUP)", ""),
				),
			},
			{
				// Blocked: no failback, one log line however often it runs, and
				// carp warns.
				Config: carpFailbackConfig(provider, ""),
				Check: resource.ComposeTestCheckFunc(
					failbackRun(t, l, "carp auto-failback disable", "BACKUP", "SKIP: failback blocked by "+blockFile),
					failbackRun(t, l, "", "BACKUP", ""),
					hostCheck(func() error {
						if out := mustExec(t, l, "f0", "carp"); !strings.Contains(out, "WARNING: Auto-failback is DISABLED (file exists: "+blockFile+")") {
							return fmt.Errorf("carp does not warn about the block file:\n%s", out)
						}
						return nil
					}),
					failbackRun(t, l, "carp auto-failback enable", "MASTER", "CONDITIONS MET"),
				),
			},
			{
				// Storage not ready: not mounted, then its key not loaded. A
				// dataset that cannot be seen is no drift.
				PreConfig: func() {
					mustExec(t, l, "f0", "carp backup >/dev/null && zfs unmount zdata/enc && "+carpFailbackScript)
				},
				Config:           carpFailbackConfig(provider, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					expectFileLine(t, l, "f0", failbackLog, "SKIP: zdata/enc is not mounted", ""),
					failbackRun(t, l, "zfs unload-key zdata/enc", "BACKUP", "SKIP: the key of zdata/enc is not loaded (unavailable)"),
					failbackRun(t, l, "zfs load-key zdata/enc && zfs mount zdata/enc && mv "+failbackMarker+" /data/enc/x",
						"BACKUP", "SKIP: marker file "+failbackMarker+" not found"),
					failbackRun(t, l, "mv /data/enc/x "+failbackMarker, "MASTER", "CONDITIONS MET"),
				),
			},
			{
				// A new schedule changes the crontab entry in place.
				Config: carpFailbackConfig(provider, every2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectChanged{addr: addr, attrs: []string{"schedule"}},
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectFileLine(t, l, "f0", "/var/cron/tabs/root", "*/2 * * * * "+carpFailbackScript, ""),
			},
			drift("echo '# local edit' >> "+carpFailbackScript, "script_status"),
			drift("crontab -l | grep -v carp-auto-failback | grep -v "+carpFailbackScript+" | crontab -", "cron_status"),
			drift("rm "+failbackMarker, "marker_status"),
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectNoHostFile(t, l, "f0", carpFailbackScript, failbackMarker, "/usr/local/bin/carp"),
			expectExit(t, l, "f0", "crontab -l 2>/dev/null | grep -q carp-auto-failback", 1),
		),
	})
}

// TestAccCarpFailbackUnmounted: the marker is never put on the directory
// beneath an unmounted dataset.
func TestAccCarpFailbackUnmounted(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	setupEncryptedDataset(t, l, "f0")
	mustExec(t, l, "f0", "zfs unmount zdata/enc && mkdir -p /data/enc")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      carpFailbackConfig(provider, ""),
				ExpectError: errorMatching("Unable to Apply CARP Failback", "zdata/enc: the dataset is not mounted", "marker file"),
				Check:       expectNoHostFile(t, l, "f0", failbackMarker),
			},
			{
				PreConfig: func() { mustExec(t, l, "f0", "zfs mount zdata/enc") },
				Config:    carpFailbackConfig(provider, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectExit(t, l, "f0", "test -f "+failbackMarker, 0),
			},
		},
	})
}

func TestAccCarpFailbackDroppedConnection(t *testing.T) {
	t.Parallel()
	for _, pattern := range []string{"crontab -u root -", "touch -- " + failbackMarker} {
		t.Run(pattern, func(t *testing.T) {
			t.Parallel()
			l, provider := testAccLab(t, accF0, accF1)
			setupEncryptedDataset(t, l, "f0")
			config := carpFailbackConfig(provider, "")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig:   func() { l.Faults("f0").DropConnectionOnCommand(pattern) },
						Config:      config,
						ExpectError: regexp.MustCompile(`(?i)connection|exit status`),
					},
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: expectExit(t, l, "f0", "test -f "+failbackMarker, 0),
					},
				},
			})
		})
	}
}

func TestAccCarpFailbackInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	base := `interface = "re0"
  vhid = 1
  dataset = "zdata/enc"`
	tests := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"dataset", strings.Replace(base, `"zdata/enc"`, `"-zdata"`, 1), errorMatching("Invalid Dataset Name", "dataset")},
		{"marker", base + "\n  marker_name = \"../x\"", errorMatching("Invalid Marker Name", "marker_name")},
		{"block file", base + "\n  block_file = \"var/db/x\"", errorMatching("Invalid Path", "block_file")},
		{"schedule", base + "\n  schedule = \"every minute\"", errorMatching("Invalid Schedule", "schedule")},
		{"log", base + "\n  log_file = \"/var/log/a b\"", errorMatching("Invalid Path", "log_file")},
	}
	steps := make([]resource.TestStep, 0, len(tests))
	for _, tt := range tests {
		steps = append(steps, resource.TestStep{
			Config:      provider + "resource \"f3s_carp_failback\" \"bad\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
			PlanOnly:    true,
			ExpectError: tt.want,
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}
