package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccZFSDataSources(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	// Two zrepl snapshots a second apart, and one of another name.
	mustExec(t, l, "f0", "zfs snapshot zroot/bhyve/rocky@zrepl_20250701_193148_000 && "+
		"zfs snapshot zroot/bhyve/rocky@manual && zfs snapshot zroot/bhyve/rocky@zrepl_20250701_194148_000 && "+
		"zfs set com.example:owner=paul zroot/bhyve")
	obj := func(kv map[string]knownvalue.Check) knownvalue.Check { return knownvalue.ObjectPartial(kv) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + `
data "f3s_zpool" "zroot" {
  host = "f0"
  name = "zroot"
}

data "f3s_zfs_dataset" "rocky" {
  host = "f0"
  name = "zroot/bhyve/rocky"
}

data "f3s_zfs_snapshots" "zrepl" {
  host        = "f0"
  dataset     = "zroot/bhyve/rocky"
  name_prefix = "zrepl_"
}

data "f3s_zfs_snapshots" "all" {
  host      = "f0"
  dataset   = "zroot/bhyve"
  recursive = true
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.f3s_zpool.zroot", tfjsonpath.New("health"), knownvalue.StringExact("ONLINE")),
					statecheck.ExpectKnownValue("data.f3s_zpool.zroot", tfjsonpath.New("mountpoint"), knownvalue.StringExact("/zroot")),
					statecheck.ExpectKnownValue("data.f3s_zpool.zroot", tfjsonpath.New("vdevs"), knownvalue.ListExact([]knownvalue.Check{
						obj(map[string]knownvalue.Check{"type": knownvalue.StringExact("disk"),
							"devices": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("/dev/ada0p4")})}),
					})),
					statecheck.ExpectKnownValue("data.f3s_zpool.zroot", tfjsonpath.New("properties").AtMapKey("bootfs"),
						obj(map[string]knownvalue.Check{"value": knownvalue.StringExact("zroot/ROOT/default"), "source": knownvalue.StringExact("local")})),
					statecheck.ExpectKnownValue("data.f3s_zpool.zroot", tfjsonpath.New("root_dataset_properties").AtMapKey("compression"),
						obj(map[string]knownvalue.Check{"value": knownvalue.StringExact("lz4"), "source": knownvalue.StringExact("local")})),

					statecheck.ExpectKnownValue("data.f3s_zfs_dataset.rocky", tfjsonpath.New("id"), knownvalue.StringExact("f0:zroot/bhyve/rocky")),
					statecheck.ExpectKnownValue("data.f3s_zfs_dataset.rocky", tfjsonpath.New("type"), knownvalue.StringExact("filesystem")),
					statecheck.ExpectKnownValue("data.f3s_zfs_dataset.rocky", tfjsonpath.New("mountpoint"), knownvalue.StringExact("/zroot/bhyve/rocky")),
					statecheck.ExpectKnownValue("data.f3s_zfs_dataset.rocky", tfjsonpath.New("encryption"), knownvalue.StringExact("off")),
					statecheck.ExpectKnownValue("data.f3s_zfs_dataset.rocky", tfjsonpath.New("key_status"), knownvalue.StringExact("none")),
					statecheck.ExpectKnownValue("data.f3s_zfs_dataset.rocky", tfjsonpath.New("encryption_root"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.f3s_zfs_dataset.rocky", tfjsonpath.New("properties").AtMapKey("mountpoint"),
						obj(map[string]knownvalue.Check{"value": knownvalue.StringExact("/zroot/bhyve/rocky"), "source": knownvalue.StringExact("inherited from zroot")})),
					statecheck.ExpectKnownValue("data.f3s_zfs_dataset.rocky", tfjsonpath.New("properties").AtMapKey("com.example:owner"),
						obj(map[string]knownvalue.Check{"value": knownvalue.StringExact("paul"), "source": knownvalue.StringExact("inherited from zroot/bhyve")})),

					statecheck.ExpectKnownValue("data.f3s_zfs_snapshots.zrepl", tfjsonpath.New("snapshots"), knownvalue.ListExact([]knownvalue.Check{
						obj(map[string]knownvalue.Check{"name": knownvalue.StringExact("zroot/bhyve/rocky@zrepl_20250701_194148_000"),
							"snapshot": knownvalue.StringExact("zrepl_20250701_194148_000"), "guid": knownvalue.StringRegexp(regexpDigits)}),
						obj(map[string]knownvalue.Check{"name": knownvalue.StringExact("zroot/bhyve/rocky@zrepl_20250701_193148_000"),
							"dataset": knownvalue.StringExact("zroot/bhyve/rocky")}),
					})),
					statecheck.ExpectKnownValue("data.f3s_zfs_snapshots.all", tfjsonpath.New("snapshots"), knownvalue.ListSizeExact(3)),
				},
			},
			{
				Config: provider + `
data "f3s_zpool" "nope" {
  host = "f0"
  name = "nope"
}
`,
				ExpectError: errorMatching("ZFS Pool Not Found", `"nope"`),
			},
			{
				Config: provider + `
data "f3s_zfs_dataset" "nope" {
  host = "f0"
  name = "zroot/nope"
}
`,
				ExpectError: errorMatching("ZFS Dataset Not Found", `"zroot/nope"`),
			},
		},
	})
}

func TestAccZFSResourcesOnLinux(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + `
resource "f3s_zfs_dataset" "d" {
  host = "r0"
  name = "zdata/enc"
}
`,
				PlanOnly:    true,
				ExpectError: errorMatching("Unsupported Operating System", "FreeBSD hosts only", "rocky"),
			},
			{
				Config: provider + `
resource "f3s_zpool" "p" {
  host  = "r0"
  name  = "zdata"
  vdevs = [{ type = "disk", devices = ["/dev/sdb"] }]
}
`,
				PlanOnly:    true,
				ExpectError: errorMatching("Unsupported Operating System", "FreeBSD hosts only"),
			},
		},
	})
}

// TestAccZFSExamples plans the documentation's resource examples against
// lab hosts, so that they stay valid against the schema.
func TestAccZFSExamples(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accF1)
	var steps []resource.TestStep
	for _, typ := range []string{"f3s_zpool", "f3s_zfs_dataset", "f3s_zfs_properties", "f3s_zfs_snapshot"} {
		example, err := os.ReadFile(filepath.Join("..", "..", "examples", "resources", typ, "resource.tf"))
		if err != nil {
			t.Fatal(err)
		}
		steps = append(steps, resource.TestStep{
			Config:             provider + string(example),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}
