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

// A failed apply leaves state true to what happened on the host: these
// tests inject a failure after a first step changed the host, then check
// the host, the state the failure left, and the next plan or destroy.

// TestAccFailedApplyService: zrepl is enabled, then starting it fails.
// The enabled rcvar is in state (tainted), so a destroy takes it out of
// rc.conf again and the next apply replaces the service.
func TestAccFailedApplyService(t *testing.T) {
	t.Parallel()
	const addr = "f3s_service.svc"
	for _, tc := range []struct {
		name    string
		reapply bool // else destroyed right after the failure
	}{{"destroy", false}, {"replace", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, provider := testAccLab(t, accF0)
			rcBefore := mustExec(t, l, "f0", "cat /etc/rc.conf")
			config := serviceConfig(provider, "f0", "zrepl", true, "running", "v1")
			steps := []resource.TestStep{{
				PreConfig: func() {
					l.Faults("f0").FailNextCommand("service zrepl onestart", 1, "/usr/local/etc/rc.d/zrepl: WARNING: failed to start zrepl\n")
				},
				Config:      config,
				ExpectError: errorMatching("Unable to Configure Service", "failed to start zrepl"),
			}, {
				// The rcvar was written before the start failed.
				PreConfig: func() {
					if out, code := execOnHost(t, l, "f0", `[ "$(sysrc -n zrepl_enable)" = YES ]`); code != 0 {
						t.Errorf("zrepl_enable is not YES after the failed start: %s", out)
					}
				},
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "rcvar", "zrepl_enable"),
					resource.TestCheckResourceAttr(addr, "enabled", "true"),
					resource.TestCheckResourceAttr(addr, "state", "stopped"),
				),
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				ExpectNonEmptyPlan: true,
			}}
			if tc.reapply {
				steps = append(steps, resource.TestStep{
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: expectExit(t, l, "f0", "service zrepl status", 0),
				})
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps:                    steps,
				CheckDestroy: hostCheck(func() error {
					if after := mustExec(t, l, "f0", "cat /etc/rc.conf"); after != rcBefore {
						return fmt.Errorf("/etc/rc.conf after destroy:\n%s\nbefore:\n%s", after, rcBefore)
					}
					return nil
				}),
			})
		})
	}
}

// TestAccFailedApplyZFSDataset: the copy is received, then setting its
// properties fails. The copy is in state (tainted): the next apply
// replaces it, and destroy removes it.
func TestAccFailedApplyZFSDataset(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	mustExec(t, l, "f0", "zpool create -m /data zdata /dev/ada1 && zfs create zdata/src && "+
		"echo hello > /data/src/hello.txt && zfs snapshot zdata/src@s1")
	const addr = "f3s_zfs_dataset.copy"
	// Protected (the default): the half-made copy is saved unprotected,
	// so that the next apply can replace it.
	config := provider + `
resource "f3s_zfs_dataset" "copy" {
  host            = "f0"
  name            = "zdata/copy"
  source_snapshot = "zdata/src@s1"
  mountpoint      = "/data/elsewhere"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					l.Faults("f0").FailNextCommand("zfs set", 1, "cannot set property for 'zdata/copy': permission denied\n")
				},
				Config:      config,
				ExpectError: errorMatching("Unable to Set ZFS Dataset Properties", "permission denied"),
			},
			{
				PreConfig: func() {
					if !datasetExists(t, l, "zdata/copy") {
						t.Error("zdata/copy is not there after the failed property set")
					}
				},
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "id", "f0:zdata/copy"),
					resource.TestCheckResourceAttr(addr, "mountpoint", "/data/copy"),
					resource.TestCheckResourceAttr(addr, "deletion_protection", "false"),
				),
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
				Check: expectZFS(t, l, "zfs", "mountpoint", "zdata/copy", "/data/elsewhere"),
			},
			{
				// Unprotected for the test's destroy.
				Config: strings.Replace(config, `name            = "zdata/copy"`, "name = \"zdata/copy\"\n  deletion_protection = false", 1),
			},
		},
		CheckDestroy: expectDataset(t, l, "zdata/copy", false),
	})
}

// TestAccFailedApplyZFSProperties: an update sets atime and then fails to
// revert readonly. State shows atime applied and readonly still set, so
// the next plan reverts readonly and nothing else.
func TestAccFailedApplyZFSProperties(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	receiveStandby(t, l)
	const addr = "f3s_zfs_properties.standby"
	v1 := `    mountpoint  = "/data/nfs"
    readonly    = "on"
    keylocation = "file://` + zdataKey + `"`
	v2 := `    mountpoint  = "/data/nfs"
    atime       = "off"
    keylocation = "file://` + zdataKey + `"`
	const restore = "  restore_on_destroy = true"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: standbyConfig(provider, v1, restore)},
			{
				PreConfig: func() {
					l.Faults("f0").FailNextCommand("zfs inherit", 1, "cannot inherit readonly for '"+standby+"': permission denied\n")
				},
				Config:      standbyConfig(provider, v2, restore),
				ExpectError: errorMatching("Unable to Revert ZFS Properties", "permission denied"),
			},
			{
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "properties.atime", "off"),
					resource.TestCheckResourceAttr(addr, "properties.readonly", "on"),
					expectZFS(t, l, "zfs", "atime", standby, "off"),
					expectZFS(t, l, "zfs", "readonly", standby, "on"),
				),
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ExpectNonEmptyPlan: true,
			},
			{
				Config: standbyConfig(provider, v2, restore),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectZFS(t, l, "zfs", "readonly", standby, "off"),
					expectZFS(t, l, "zfs", "atime", standby, "off"),
				),
			},
		},
	})
}

// TestAccFailedApplyZFSKey: a host is added and writing the key there
// fails. State shows that copy missing and the same fingerprint, so the
// next apply copies the same key to it.
func TestAccFailedApplyZFSKey(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1, accF2)
	mkdirKeys(t, l, "f0", "f1", "f2")
	const addr = "f3s_zfs_key.zdata"
	leak := noKeyLeak{t: t, l: l, host: "f0", path: articleZdataKey}
	f01, f012 := []string{"f0", "f1"}, []string{"f0", "f1", "f2"}
	var fingerprint string
	sameFingerprint := resource.TestCheckResourceAttrWith(addr, "fingerprint", func(fp string) error {
		if fp != fingerprint {
			return fmt.Errorf("fingerprint %s, want the created key's %s", fp, fingerprint)
		}
		return nil
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: zfsKeyConfig(provider, f01, articleZdataKey, "0400", ""),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrWith(addr, "fingerprint", func(fp string) error {
						fingerprint = fp
						return nil
					}),
					leak.stateCheck(),
				),
			},
			{
				PreConfig:   func() { l.Faults("f2").FailNextWrite("zdata.key") },
				Config:      zfsKeyConfig(provider, f012, articleZdataKey, "0400", ""),
				ExpectError: errorMatching("Unable to Update ZFS Key", "f2"),
			},
			{
				// The state the failure saved lists f2 (the old state did
				// not), its copy missing, the key unchanged.
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "hosts.#", "3"),
					resource.TestCheckResourceAttr(addr, "copies.f0", "ok"),
					resource.TestCheckResourceAttr(addr, "copies.f1", "ok"),
					resource.TestCheckResourceAttr(addr, "copies.f2", "missing"),
					sameFingerprint,
					expectNoHostFile(t, l, "f2", articleZdataKey),
					leak.stateCheck(),
				),
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), leak},
				},
				ExpectNonEmptyPlan: true,
			},
			{
				Config: zfsKeyConfig(provider, f012, articleZdataKey, "0400", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectPriorCopies{addr, map[string]string{"f0": "ok", "f1": "ok", "f2": "missing"}},
						leak,
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{leak},
				Check: resource.ComposeTestCheckFunc(
					sameFingerprint,
					expectKeyCopies(t, l, addr, articleZdataKey, "400", f012...),
					leak.stateCheck(),
				),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectNoHostFile(t, l, "f0", articleZdataKey),
			expectNoHostFile(t, l, "f1", articleZdataKey),
			expectNoHostFile(t, l, "f2", articleZdataKey),
		),
	})
}

// TestAccFailedApplyKeyMedia: the fstab line is written, then mount
// fails. The stick is in state (tainted), and the destroy takes the line
// out of /etc/fstab again.
func TestAccFailedApplyKeyMedia(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	fstabBefore := mustExec(t, l, "f0", "cat /etc/fstab")
	const addr = "f3s_key_media.keys"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { l.Faults("f0").FailNextCommand("mount /keys", 1, "mount: /dev/da0: Device busy\n") },
				Config:      keyMediaConfig(provider, "f0", "/dev/da0", "/keys", true),
				ExpectError: errorMatching("Unable to Set Up Key Media", "Device busy"),
			},
			{
				PreConfig: func() {
					want := fstabBefore + "/dev/da0 /keys ufs rw 0 2\n"
					if got := mustExec(t, l, "f0", "cat /etc/fstab"); got != want {
						t.Errorf("/etc/fstab after the failed mount:\n%s\nwant\n%s", got, want)
					}
				},
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "fstab_line", "/dev/da0 /keys ufs rw 0 2"),
					resource.TestCheckResourceAttr(addr, "mounted", "false"),
				),
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				ExpectNonEmptyPlan: true,
			},
		},
		CheckDestroy: hostCheck(func() error {
			if got := mustExec(t, l, "f0", "cat /etc/fstab"); got != fstabBefore {
				return fmt.Errorf("/etc/fstab after destroy:\n%s\nbefore:\n%s", got, fstabBefore)
			}
			if out, code := execOnHost(t, l, "f0", "mount | grep da0; ls -d /keys"); code == 0 || out != "" {
				return fmt.Errorf("after destroy: %q (exit %d)", out, code)
			}
			return nil
		}),
	})
}
