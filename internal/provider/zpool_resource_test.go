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

// zpoolConfig is the article's pool: zdata on /dev/ada1 mounted at /data.
func zpoolConfig(provider, devices, extra string) string {
	return provider + fmt.Sprintf(`
resource "f3s_zpool" "zdata" {
  host  = "f0"
  name  = "zdata"
  vdevs = [{ type = "disk", devices = [%s] }]
%s
}
`, devices, extra)
}

// zfsValue is a property's value as zfs get prints it on the lab host.
func zfsValue(t *testing.T, l *lab.Lab, cmd, prop, name string) string {
	t.Helper()
	return strings.TrimSpace(mustExec(t, l, "f0", fmt.Sprintf("%s get -H -o value %s %s", cmd, prop, name)))
}

func expectZFS(t *testing.T, l *lab.Lab, cmd, prop, name, want string) resource.TestCheckFunc {
	return hostCheck(func() error {
		if got := zfsValue(t, l, cmd, prop, name); got != want {
			return fmt.Errorf("%s %s of %s is %q on the host, want %q", cmd, prop, name, got, want)
		}
		return nil
	})
}

func TestAccZpoolResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	const addr = "f3s_zpool.zdata"
	created := `
  mountpoint              = "/data"
  properties              = { autotrim = "on" }
  root_dataset_properties = { compression = "lz4" }
`
	updated := `
  mountpoint              = "/data2"
  properties              = { autotrim = "off", failmode = "continue" }
  root_dataset_properties = { compression = "zstd", atime = "off" }
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: zpoolConfig(provider, `"/dev/ada1"`, created),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:zdata")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("health"), knownvalue.StringExact("ONLINE")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("mountpoint"), knownvalue.StringExact("/data")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("size"), knownvalue.NotNull()),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectZFS(t, l, "zfs", "mountpoint", "zdata", "/data"),
					expectZFS(t, l, "zfs", "compression", "zdata", "lz4"),
					expectZFS(t, l, "zpool", "autotrim", "zdata", "on"),
				),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "f0:zdata",
				ImportStateVerify: true,
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "zdata",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:POOL"),
			},
			{
				// A short device name and the same layout: nothing to do.
				Config:   zpoolConfig(provider, `"ada1"`, created),
				PlanOnly: true,
			},
			{
				Config: zpoolConfig(provider, `"/dev/ada1"`, updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					expectZFS(t, l, "zfs", "mountpoint", "zdata", "/data2"),
					expectZFS(t, l, "zfs", "compression", "zdata", "zstd"),
					expectZFS(t, l, "zfs", "atime", "zdata", "off"),
					expectZFS(t, l, "zpool", "autotrim", "zdata", "off"),
					expectZFS(t, l, "zpool", "failmode", "zdata", "continue"),
				),
			},
			{
				// Drift: a root property reverted, a pool property changed.
				PreConfig: func() { mustExec(t, l, "f0", "zfs inherit atime zdata && zpool set failmode=wait zdata") },
				Config:    zpoolConfig(provider, `"/dev/ada1"`, updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					expectZFS(t, l, "zfs", "atime", "zdata", "off"),
					expectZFS(t, l, "zpool", "failmode", "zdata", "continue"),
				),
			},
			{
				// A device already in use: zpool create's own message.
				Config: zpoolConfig(provider, `"/dev/ada1"`, updated) + `
resource "f3s_zpool" "other" {
  host  = "f0"
  name  = "other"
  vdevs = [{ type = "disk", devices = ["/dev/ada1"] }]
}
`,
				ExpectError: errorMatching("Unable to Create ZFS Pool", "zpool create", "/dev/ada1 is part of active pool 'zdata'"),
			},
			{
				// A new layout replaces the pool, which force_destroy guards.
				Config: zpoolConfig(provider, `"/dev/ada1", "/dev/da0"`, updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ExpectError: errorMatching("Refusing to Destroy ZFS Pool", "force_destroy"),
			},
			{
				Config:      provider,
				ExpectError: errorMatching("Refusing to Destroy ZFS Pool", `"zdata"`, "force_destroy = true"),
			},
			{
				Config: zpoolConfig(provider, `"/dev/ada1"`, updated+"  force_destroy = true\n"),
				Check:  expectZFS(t, l, "zpool", "health", "zdata", "ONLINE"),
			},
		},
		CheckDestroy: hostCheck(func() error {
			if out, _ := execOnHost(t, l, "f0", "zpool list -H -o name"); strings.Contains(out, "zdata") {
				return fmt.Errorf("pool zdata is still there after destroy: %q", out)
			}
			return nil
		}),
	})
}

func TestAccZpoolResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct {
		name, body string
		want       []string
	}{
		{"reserved name", `name = "mirror"
  vdevs = [{ type = "disk", devices = ["/dev/ada1"] }]`, []string{"Invalid Pool Name", "reserved"}},
		{"slash in name", `name = "zdata/enc"
  vdevs = [{ type = "disk", devices = ["/dev/ada1"] }]`, []string{"Invalid Pool Name", "contains '/'"}},
		{"short mirror", `name = "zdata"
  vdevs = [{ type = "mirror", devices = ["/dev/ada1"] }]`, []string{"vdevs", "mirror vdev needs at least 2"}},
		{"vdev type", `name = "zdata"
  vdevs = [{ type = "stripe", devices = ["/dev/ada1"] }]`, []string{"vdevs", "stripe"}},
		{"pool property", `name = "zdata"
  vdevs = [{ type = "disk", devices = ["/dev/ada1"] }]
  properties = { autotrim = "yes" }`, []string{"Invalid Pool Property Value", `properties\["autotrim"\]`}},
		{"unknown pool property", `name = "zdata"
  vdevs = [{ type = "disk", devices = ["/dev/ada1"] }]
  properties = { size = "1G" }`, []string{"Invalid Pool Property", "read-only"}},
		{"root property", `name = "zdata"
  vdevs = [{ type = "disk", devices = ["/dev/ada1"] }]
  root_dataset_properties = { dedupe = "on" }`, []string{"Invalid ZFS Property", "dedupe"}},
		{"mountpoint", `name = "zdata"
  vdevs = [{ type = "disk", devices = ["/dev/ada1"] }]
  mountpoint = "data"`, []string{"Invalid Mountpoint", "absolute"}},
		// An option-shaped device would reach zpool create as an option.
		{"option-shaped device", `name = "zdata"
  vdevs = [{ type = "disk", devices = ["/dev/ada1", "-f"] }]`, []string{"Invalid Device", `vdevs\[0\]\.devices\[1\]`, `"-f" starts with '-'`}},
		{"option-shaped device in a mirror", `name = "zdata"
  vdevs = [{ type = "mirror", devices = ["--help", "ada2"] }]`, []string{"Invalid Device", `"--help" starts with '-'`}},
	}
	steps := make([]resource.TestStep, 0, len(tests))
	for _, tt := range tests {
		steps = append(steps, resource.TestStep{
			Config:      provider + "resource \"f3s_zpool\" \"p\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
			PlanOnly:    true,
			ExpectError: errorMatchingRaw(tt.want...),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}
