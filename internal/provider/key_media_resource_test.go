package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

func keyMediaConfig(provider, hostName, device, mp string, format bool) string {
	return provider + fmt.Sprintf(`
resource "f3s_key_media" "keys" {
  host        = %q
  device      = %q
  mount_point = %q
  format      = %v
}
`, hostName, device, mp, format)
}

// expectStick checks the fstab line and the mount of the stick on f0.
func expectStick(t *testing.T, l *lab.Lab, fstabBefore, mp string) resource.TestCheckFunc {
	return hostCheck(func() error {
		want := fstabBefore + "/dev/da0 " + mp + " ufs rw 0 2\n"
		if got := mustExec(t, l, "f0", "cat /etc/fstab"); got != want {
			return fmt.Errorf("/etc/fstab is\n%s\nwant\n%s", got, want)
		}
		if got := mustExec(t, l, "f0", "mount | grep da0 || true"); got != "/dev/da0 on "+mp+" (ufs, local, soft-updates)\n" {
			return fmt.Errorf("mount table: %q", got)
		}
		return nil
	})
}

func TestAccKeyMediaResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	fstabBefore := mustExec(t, l, "f0", "cat /etc/fstab")
	addr := "f3s_key_media.keys"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: keyMediaConfig(provider, "f0", "/dev/da0", "/keys", true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:/keys")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("fstab_line"), knownvalue.StringExact("/dev/da0 /keys ufs rw 0 2")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("mounted"), knownvalue.Bool(true)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectStick(t, l, fstabBefore, "/keys"),
					// A file on the stick, to see that nothing wipes it.
					hostCheck(func() error { mustExec(t, l, "f0", "echo key > /keys/probe"); return nil }),
				),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           "f0:/keys",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"format"},
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "f0:keys",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:MOUNT_POINT"),
			},
			{
				// Drift: unmounted behind Terraform's back.
				PreConfig: func() { mustExec(t, l, "f0", "umount /keys") },
				Config:    keyMediaConfig(provider, "f0", "/dev/da0", "/keys", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("mounted"), knownvalue.Bool(true)),
					},
				},
				Check: expectStick(t, l, fstabBefore, "/keys"),
			},
			{
				// Drift: the fstab line edited.
				PreConfig: func() {
					mustExec(t, l, "f0", "sed 's|/keys ufs rw|/keys ufs ro|' /etc/fstab > /tmp/fstab && cat /tmp/fstab > /etc/fstab")
				},
				Config: keyMediaConfig(provider, "f0", "/dev/da0", "/keys", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: expectStick(t, l, fstabBefore, "/keys"),
			},
			{
				// Drift: the fstab line removed.
				PreConfig: func() {
					mustExec(t, l, "f0", "grep -v /keys /etc/fstab > /tmp/fstab; cat /tmp/fstab > /etc/fstab")
				},
				Config: keyMediaConfig(provider, "f0", "/dev/da0", "/keys", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: expectStick(t, l, fstabBefore, "/keys"),
			},
			{
				// A new mount point moves the mount and the entry in place;
				// format changes nothing after create.
				Config: keyMediaConfig(provider, "f0", "/dev/da0", "/stick", false),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectStick(t, l, fstabBefore, "/stick"),
					expectNoHostFile(t, l, "f0", "/keys"),
					hostCheck(func() error {
						if got := mustExec(t, l, "f0", "cat /stick/probe"); got != "key\n" {
							return fmt.Errorf("the stick lost its file: %q", got)
						}
						return nil
					}),
				),
			},
		},
		CheckDestroy: hostCheck(func() error {
			if got := mustExec(t, l, "f0", "cat /etc/fstab"); got != fstabBefore {
				return fmt.Errorf("/etc/fstab after destroy:\n%s", got)
			}
			if got := mustExec(t, l, "f0", "mount | grep da0 || true; ls -d /stick 2>&1 || true"); got != "ls: /stick: No such file or directory\n" {
				return fmt.Errorf("after destroy: %q", got)
			}
			// The device is not wiped.
			if got := mustExec(t, l, "f0", "mount -t ufs /dev/da0 /mnt && cat /mnt/probe && umount /mnt"); got != "key\n" {
				return fmt.Errorf("the device lost its file: %q", got)
			}
			return nil
		}),
	})
}

func TestAccKeyMediaResourceNoFormat(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	fstabBefore := mustExec(t, l, "f0", "cat /etc/fstab")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// A blank device is not formatted without format = true.
				Config:      keyMediaConfig(provider, "f0", "/dev/da0", "/keys", false),
				ExpectError: errorMatching("Key Media Not Formatted", "/dev/da0 holds no UFS file system", "format = true"),
			},
			{
				// A stick formatted by hand is mounted as it is.
				PreConfig: func() {
					if got := mustExec(t, l, "f0", "cat /etc/fstab"); got != fstabBefore {
						t.Errorf("a refused create changed /etc/fstab:\n%s", got)
					}
					mustExec(t, l, "f0", "newfs /dev/da0 >/dev/null && mount -t ufs /dev/da0 /mnt && echo key > /mnt/probe && umount /mnt")
				},
				Config: keyMediaConfig(provider, "f0", "/dev/da0", "/keys", false),
				Check: resource.ComposeTestCheckFunc(
					expectStick(t, l, fstabBefore, "/keys"),
					hostCheck(func() error {
						if got := mustExec(t, l, "f0", "cat /keys/probe"); got != "key\n" {
							return fmt.Errorf("the stick lost its file: %q", got)
						}
						return nil
					}),
				),
			},
		},
	})
}

func TestAccKeyMediaResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	tests := []struct {
		name, config string
		err          *regexp.Regexp
	}{
		{"short device", keyMediaConfig(provider, "f0", "da0", "/keys", false), errorMatching("Invalid Device", "device")},
		{"option-shaped device", keyMediaConfig(provider, "f0", "-f", "/keys", false), errorMatching("Invalid Device", "device", `"-f" is not a device under /dev`)},
		{"device outside /dev", keyMediaConfig(provider, "f0", "/dev/../tmp/x", "/keys", false), errorMatching("Invalid Device", "device")},
		{"relative mount point", keyMediaConfig(provider, "f0", "/dev/da0", "keys", false), errorMatching("Invalid Mount Point", "mount_point")},
		{"mount point with space", keyMediaConfig(provider, "f0", "/dev/da0", "/my keys", false), errorMatching("Invalid Mount Point", "mount_point")},
		{"unknown host", keyMediaConfig(provider, "f9", "/dev/da0", "/keys", false), errorMatching("Unknown Host", `"f9"`)},
		{"linux host", keyMediaConfig(provider, "r0", "/dev/sdb", "/keys", false), errorMatching("Unsupported Operating System", "FreeBSD hosts only")},
	}
	var steps []resource.TestStep
	for _, tt := range tests {
		steps = append(steps, resource.TestStep{Config: tt.config, PlanOnly: true, ExpectError: tt.err})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

// TestAccKeyMediaResourceDeviceInUse: a pool's disk is refused with a
// message of its own, naming the pool, even with format = true.
func TestAccKeyMediaResourceDeviceInUse(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	mustExec(t, l, "f0", "zpool create -m /data zdata /dev/ada1")
	fstabBefore := mustExec(t, l, "f0", "cat /etc/fstab")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      keyMediaConfig(provider, "f0", "/dev/ada1", "/keys", true),
			ExpectError: errorMatching("Key Media Device In Use", `f0: /dev/ada1 is part of ZFS pool "zdata"`, "never formatted"),
		}},
		CheckDestroy: hostCheck(func() error {
			if got := mustExec(t, l, "f0", "cat /etc/fstab"); got != fstabBefore {
				return fmt.Errorf("/etc/fstab changed:\n%s", got)
			}
			if got := mustExec(t, l, "f0", "zpool list -H -o health zdata"); got != "ONLINE\n" {
				return fmt.Errorf("pool health %q", got)
			}
			return nil
		}),
	})
}
