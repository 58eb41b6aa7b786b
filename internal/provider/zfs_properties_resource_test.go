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

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

const standby = "zdata/sink/f0/zdata/enc/nfsdata"

// receiveStandby builds, out of band, what zrepl leaves on the standby: a
// raw copy of zdata/enc/nfsdata under zrepl's placeholders, its key not
// loaded, keylocation prompt (reference §3, §12.3). One host plays both
// nodes.
func receiveStandby(t *testing.T, l *lab.Lab) {
	t.Helper()
	makeKey(t, l, zdataKey)
	mustExec(t, l, "f0", strings.Join([]string{
		"zpool create -m /data zdata /dev/ada1",
		"zfs create -o encryption=on -o keyformat=raw -o keylocation=file://" + zdataKey + " zdata/enc",
		"zfs create zdata/enc/nfsdata",
		"echo replicated > /data/enc/nfsdata/hello.txt",
		"zfs snapshot zdata/enc/nfsdata@zrepl_20250701_193148_000",
		"zfs create -o zrepl:placeholder=on -o mountpoint=none zdata/sink",
		"zfs create -o zrepl:placeholder=on zdata/sink/f0",
		"zfs create -o zrepl:placeholder=on zdata/sink/f0/zdata",
		"zfs create -o zrepl:placeholder=on zdata/sink/f0/zdata/enc",
		"zfs send -w zdata/enc/nfsdata@zrepl_20250701_193148_000 | zfs recv " + standby,
	}, " && "))
}

func standbyConfig(provider, props, extra string) string {
	return provider + fmt.Sprintf(`
resource "f3s_zfs_properties" "standby" {
  host         = "f0"
  dataset      = %q
  load_key     = true
  key_location = "file://%s"
  mount        = true
  properties = {
%s
  }
%s
}
`, standby, zdataKey, props, extra)
}

func TestAccZFSPropertiesResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	receiveStandby(t, l)
	const addr = "f3s_zfs_properties.standby"
	if got := zfsValue(t, l, "zfs", "keystatus", standby); got != "unavailable" {
		t.Fatalf("the raw copy's key status is %q, want unavailable", got)
	}
	v1 := `    mountpoint  = "/data/nfs"
    readonly    = "on"
    keylocation = "file://` + zdataKey + `"`
	v2 := `    mountpoint  = "/data/nfs"
    atime       = "off"
    keylocation = "file://` + zdataKey + `"`

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: standbyConfig(provider, v1, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:"+standby)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("key_status"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("mounted"), knownvalue.Bool(true)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectZFS(t, l, "zfs", "readonly", standby, "on"),
					expectZFS(t, l, "zfs", "mountpoint", standby, "/data/nfs"),
					expectZFS(t, l, "zfs", "keylocation", standby, "file://"+zdataKey),
					hostCheck(func() error {
						if out := mustExec(t, l, "f0", "cat /data/nfs/hello.txt"); out != "replicated\n" {
							return fmt.Errorf("/data/nfs/hello.txt holds %q", out)
						}
						return nil
					}),
				),
			},
			{
				// load_key, key_location and mount are wishes, not host facts.
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           "f0:" + standby,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"load_key", "key_location", "mount"},
			},
			{
				Config: standbyConfig(provider, v2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					expectZFS(t, l, "zfs", "atime", standby, "off"),
					// Without restore_on_destroy a property left out stays.
					expectZFS(t, l, "zfs", "readonly", standby, "on"),
				),
			},
			{
				// Drift: unmounted, key unloaded, a property changed.
				PreConfig: func() {
					mustExec(t, l, "f0", "zfs unmount "+standby+" && zfs unload-key "+standby+" && zfs set atime=on "+standby)
				},
				Config: standbyConfig(provider, v2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("key_status"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("mounted"), knownvalue.Bool(true)),
				},
				Check: expectZFS(t, l, "zfs", "atime", standby, "off"),
			},
			{
				Config: standbyConfig(provider, v2, "  restore_on_destroy = true"),
			},
			{
				// Destroy reverts the properties; the dataset stays.
				Config: provider,
				Check: resource.ComposeTestCheckFunc(
					expectDataset(t, l, standby, true),
					expectZFS(t, l, "zfs", "keylocation", standby, "prompt"),
					expectZFS(t, l, "zfs", "mountpoint", standby, "none"),
					expectZFS(t, l, "zfs", "atime", standby, "on"),
				),
			},
			{
				Config: provider + `
resource "f3s_zfs_properties" "late" {
  host             = "f0"
  dataset          = "zdata/sink/f0/zdata/enc/later"
  properties       = { readonly = "on" }
  wait_for_dataset = "1s"
}
`,
				ExpectError: errorMatching("ZFS Dataset Did Not Arrive", `"zdata/sink/f0/zdata/enc/later"`, "wait_for_dataset (1s)"),
			},
			{
				Config: provider + `
resource "f3s_zfs_properties" "missing" {
  host       = "f0"
  dataset    = "zdata/nope"
  properties = { readonly = "on" }
}
`,
				ExpectError: errorMatching("ZFS Dataset Not Found", `"zdata/nope"`, "never creates"),
			},
		},
	})
}

func TestAccZFSPropertiesResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct {
		body string
		want []string
	}{
		{"properties = { encryption = \"on\" }", []string{"Invalid ZFS Property", "only be set when a dataset is created"}},
		{"properties = { readonly = \"yes\" }", []string{"Invalid ZFS Property Value", "readonly"}},
		{"properties = { keylocation = \"/keys/x\" }", []string{"Invalid ZFS Property Value", "keylocation"}},
		{"key_location = \"file:///keys/x\"", []string{"Invalid ZFS Configuration", "load_key = true"}},
		{"wait_for_dataset = \"soon\"", []string{"Invalid Duration", "soon"}},
	}
	steps := make([]resource.TestStep, 0, len(tests))
	for _, tt := range tests {
		steps = append(steps, resource.TestStep{
			Config:      provider + "resource \"f3s_zfs_properties\" \"p\" {\n  host = \"f0\"\n  dataset = \"zdata/x\"\n  " + tt.body + "\n}\n",
			PlanOnly:    true,
			ExpectError: errorMatchingRaw(tt.want...),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

// TestAccZFSPropertiesKeyFromProperties: without key_location, load_key
// reads the key from the keylocation that properties sets: the standby
// copy names its key once.
func TestAccZFSPropertiesKeyFromProperties(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	receiveStandby(t, l)
	const addr = "f3s_zfs_properties.standby"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + fmt.Sprintf(`
resource "f3s_zfs_properties" "standby" {
  host     = "f0"
  dataset  = %q
  load_key = true
  mount    = true
  properties = {
    mountpoint  = "/data/nfs"
    keylocation = "file://%s"
  }
}
`, standby, zdataKey),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("key_status"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("mounted"), knownvalue.Bool(true)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectZFS(t, l, "zfs", "keylocation", standby, "file://"+zdataKey),
			},
		},
	})
}
