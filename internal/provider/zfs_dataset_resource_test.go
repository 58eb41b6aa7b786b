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

// makeKey writes a 32-byte raw key on the host the way the article does
// by hand. (f3s_zfs_key will manage keys; these tests need one file.)
func makeKey(t *testing.T, l *lab.Lab, path string) {
	t.Helper()
	mustExec(t, l, "f0", fmt.Sprintf("mkdir -p /keys && dd if=/dev/random of=%s bs=32 count=1 2>/dev/null && chmod 400 %s", path, path))
}

const zdataKey = "/keys/f0.lan.buetow.org:zdata.key"

// datasetConfig is the article's zdata pool with zdata/enc and a child,
// plus a volume. child and volume are the varying bodies.
func datasetConfig(provider, enc, child, volume string) string {
	cfg := provider + `
resource "f3s_zpool" "zdata" {
  host          = "f0"
  name          = "zdata"
  vdevs         = [{ type = "disk", devices = ["/dev/ada1"] }]
  mountpoint    = "/data"
  force_destroy = true
}

resource "f3s_zfs_dataset" "enc" {
  host        = "f0"
  deletion_protection = false
  name        = "${f3s_zpool.zdata.name}/enc"
  encryption  = "on"
  keyformat   = "raw"
` + enc + `
}
`
	if child != "" {
		cfg += `
resource "f3s_zfs_dataset" "nfsdata" {
  host = "f0"
  deletion_protection = false
` + child + `
}
`
	}
	if volume != "" {
		cfg += `
resource "f3s_zfs_dataset" "vol" {
  host = "f0"
  deletion_protection = false
  name = "${f3s_zfs_dataset.enc.name}/vol"
  type = "volume"
` + volume + `
}
`
	}
	return cfg
}

func datasetExists(t *testing.T, l *lab.Lab, name string) bool {
	t.Helper()
	_, code := execOnHost(t, l, "f0", "zfs list -H -o name "+name)
	return code == 0
}

func expectDataset(t *testing.T, l *lab.Lab, name string, want bool) resource.TestCheckFunc {
	return hostCheck(func() error {
		if got := datasetExists(t, l, name); got != want {
			return fmt.Errorf("dataset %s exists: %v, want %v", name, got, want)
		}
		return nil
	})
}

func TestAccZFSDatasetResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	makeKey(t, l, zdataKey)
	makeKey(t, l, "/keys/other.key")
	const child = "f3s_zfs_dataset.nfsdata"
	enc := `  keylocation = "file://` + zdataKey + `"`
	encMoved := `  keylocation = "file:///keys/other.key"`
	childV1 := `
  name       = "${f3s_zfs_dataset.enc.name}/nfsdata"
  mountpoint = "/data/nfs"
  properties = {
    compression         = "lz4"
    quota               = "10G"
    "com.example:owner" = "paul"
  }`
	childV2 := `
  name       = "${f3s_zfs_dataset.enc.name}/nfsdata"
  mountpoint = "/data/nfs2"
  properties = {
    compression = "zstd"
    quota       = "10G"
    readonly    = "on"
  }`
	childRenamed := strings.Replace(childV2, "/nfsdata", "/nfs", 1)
	childForce := childRenamed + "\n  force_destroy = true"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: datasetConfig(provider, enc, childV1, `  volsize = "1G"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("f3s_zfs_dataset.enc", tfjsonpath.New("id"), knownvalue.StringExact("f0:zdata/enc")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.enc", tfjsonpath.New("encryption"), knownvalue.StringExact("on")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.enc", tfjsonpath.New("encryption_root"), knownvalue.StringExact("zdata/enc")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.enc", tfjsonpath.New("key_status"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.enc", tfjsonpath.New("mountpoint"), knownvalue.StringExact("/data/enc")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.enc", tfjsonpath.New("type"), knownvalue.StringExact("filesystem")),
					statecheck.ExpectKnownValue(child, tfjsonpath.New("encryption"), knownvalue.StringExact("aes-256-gcm")),
					statecheck.ExpectKnownValue(child, tfjsonpath.New("encryption_root"), knownvalue.StringExact("zdata/enc")),
					statecheck.ExpectKnownValue(child, tfjsonpath.New("keylocation"), knownvalue.StringExact("none")),
					statecheck.ExpectKnownValue(child, tfjsonpath.New("mounted"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(child, tfjsonpath.New("properties").AtMapKey("quota"), knownvalue.StringExact("10G")),
					statecheck.ExpectKnownValue("f3s_zfs_dataset.vol", tfjsonpath.New("volsize"), knownvalue.StringExact("1G")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectZFS(t, l, "zfs", "keylocation", "zdata/enc", "file://"+zdataKey),
					expectZFS(t, l, "zfs", "encryptionroot", "zdata/enc/nfsdata", "zdata/enc"),
					expectZFS(t, l, "zfs", "mountpoint", "zdata/enc/nfsdata", "/data/nfs"),
					expectZFS(t, l, "zfs", "quota", "zdata/enc/nfsdata", "10G"),
					expectZFS(t, l, "zfs", "com.example:owner", "zdata/enc/nfsdata", "paul"),
					expectZFS(t, l, "zfs", "volsize", "zdata/enc/vol", "1G"),
				),
			},
			{
				// Import reports what the host prints: encryption as the
				// cipher, sizes in bytes; both plan as no change afterwards.
				// used and available follow the data, which the children
				// created after zdata/enc's read back have added.
				ResourceName:            "f3s_zfs_dataset.enc",
				ImportState:             true,
				ImportStateId:           "f0:zdata/enc",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"encryption", "used", "available", "deletion_protection"},
			},
			{
				ResourceName:            child,
				ImportState:             true,
				ImportStateId:           "f0:zdata/enc/nfsdata",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"properties.quota", "available", "deletion_protection"},
			},
			{
				ResourceName:            "f3s_zfs_dataset.vol",
				ImportState:             true,
				ImportStateId:           "f0:zdata/enc/vol",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"volsize", "available", "deletion_protection"},
			},
			{
				// Properties, mountpoint, volsize and keylocation change in place.
				Config: datasetConfig(provider, encMoved, childV2, `  volsize = "2G"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(child, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_zfs_dataset.enc", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_zfs_dataset.vol", plancheck.ResourceActionUpdate),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					expectZFS(t, l, "zfs", "keylocation", "zdata/enc", "file:///keys/other.key"),
					expectZFS(t, l, "zfs", "mountpoint", "zdata/enc/nfsdata", "/data/nfs2"),
					expectZFS(t, l, "zfs", "compression", "zdata/enc/nfsdata", "zstd"),
					expectZFS(t, l, "zfs", "readonly", "zdata/enc/nfsdata", "on"),
					expectZFS(t, l, "zfs", "com.example:owner", "zdata/enc/nfsdata", "-"),
					expectZFS(t, l, "zfs", "volsize", "zdata/enc/vol", "2G"),
				),
			},
			{
				// A rename is an update, and the ID follows.
				Config: datasetConfig(provider, encMoved, childRenamed, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(child, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(child, tfjsonpath.New("id"), knownvalue.StringExact("f0:zdata/enc/nfs")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectDataset(t, l, "zdata/enc/nfsdata", false),
					expectDataset(t, l, "zdata/enc/nfs", true),
					expectDataset(t, l, "zdata/enc/vol", false),
					expectZFS(t, l, "zfs", "readonly", "zdata/enc/nfs", "on"),
				),
			},
			{
				// Drift: a managed property changed and one reverted on the host.
				PreConfig: func() {
					mustExec(t, l, "f0", "zfs set compression=off zdata/enc/nfs && zfs inherit readonly zdata/enc/nfs")
				},
				Config: datasetConfig(provider, encMoved, childRenamed, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(child, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					expectZFS(t, l, "zfs", "compression", "zdata/enc/nfs", "zstd"),
					expectZFS(t, l, "zfs", "readonly", "zdata/enc/nfs", "on"),
				),
			},
			{
				// An unmanaged property set on the host is no drift.
				PreConfig: func() { mustExec(t, l, "f0", "zfs set atime=off zdata/enc/nfs") },
				Config:    datasetConfig(provider, encMoved, childRenamed, ""),
				PlanOnly:  true,
			},
			{
				// Drift: the dataset destroyed on the host.
				PreConfig: func() { mustExec(t, l, "f0", "zfs destroy zdata/enc/nfs") },
				Config:    datasetConfig(provider, encMoved, childRenamed, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(child, plancheck.ResourceActionCreate)},
				},
				Check: expectDataset(t, l, "zdata/enc/nfs", true),
			},
			{
				// A child and a snapshot nobody declared hold the destroy
				// (the snapshot held, as zrepl holds what it receives).
				PreConfig: func() {
					mustExec(t, l, "f0", "zfs create zdata/enc/nfs/undeclared && zfs snapshot zdata/enc/nfs/undeclared@keep zdata/enc/nfs@keep && zfs hold zrepl_last_received_J_sink zdata/enc/nfs/undeclared@keep")
				},
				Config:      datasetConfig(provider, encMoved, "", ""),
				ExpectError: errorMatching("Refusing to Destroy ZFS Dataset", `"zdata/enc/nfs"`, "zdata/enc/nfs@keep", "zdata/enc/nfs/undeclared", "force_destroy"),
			},
			{
				Config: datasetConfig(provider, encMoved, childForce, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(child, plancheck.ResourceActionUpdate)},
				},
			},
			{
				// force_destroy releases the hold and destroys everything below.
				Config: datasetConfig(provider, encMoved, "", ""),
				Check: resource.ComposeTestCheckFunc(
					expectDataset(t, l, "zdata/enc/nfs", false),
					expectDataset(t, l, "zdata/enc/nfs/undeclared", false),
					expectDataset(t, l, "zdata/enc", true),
				),
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

func TestAccZFSDatasetResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct {
		body string
		want []string
	}{
		{`name = "zdata//x"`, []string{"Invalid Dataset Name", "empty component"}},
		{`name = "zdata/x@snap"`, []string{"Invalid Dataset Name", "snapshot"}},
		{`name = "1data/x"`, []string{"Invalid Dataset Name", "begin with a letter"}},
		{"name = \"zdata/x\"\n  properties = { foo = \"bar\" }", []string{"Invalid ZFS Property", `properties\["foo"\]`, "not a native ZFS property"}},
		{"name = \"zdata/x\"\n  properties = { used = \"1\" }", []string{"Invalid ZFS Property", "read-only"}},
		{"name = \"zdata/x\"\n  properties = { encryption = \"on\" }", []string{"Invalid ZFS Property", "attribute of its own", "encryption"}},
		{"name = \"zdata/x\"\n  properties = { compression = \"fast\" }", []string{"Invalid ZFS Property Value", "compression"}},
		{"name = \"zdata/x\"\n  properties = { recordsize = \"100K\" }", []string{"Invalid ZFS Property Value", "power of two"}},
		{"name = \"zdata/x\"\n  mountpoint = \"data\"", []string{"Invalid Mountpoint", "absolute"}},
		{"name = \"zdata/x\"\n  keyformat = \"raw\"", []string{"Invalid ZFS Configuration", "keylocation", "terminal"}},
		{"name = \"zdata/x\"\n  keyformat = \"raw\"\n  keylocation = \"prompt\"", []string{"Invalid ZFS Configuration", "prompt"}},
		{"name = \"zdata/x\"\n  keyformat = \"pem\"\n  keylocation = \"file:///k\"", []string{"keyformat", "pem"}},
		{"name = \"zdata/x\"\n  keyformat = \"raw\"\n  keylocation = \"/keys/k\"", []string{"Invalid Key Location", "file:///absolute/path"}},
		{"name = \"zdata/x\"\n  type = \"volume\"", []string{"Invalid ZFS Configuration", "volsize"}},
		{"name = \"zdata/x\"\n  volsize = \"1G\"", []string{"Invalid ZFS Configuration", "type = \"volume\""}},
		{"name = \"zdata/x\"\n  source_raw = true", []string{"Invalid ZFS Configuration", "source_snapshot"}},
		{"name = \"zdata/x\"\n  source_snapshot = \"zdata/y\"", []string{"Invalid Snapshot Name", "DATASET@SNAPSHOT"}},
	}
	steps := make([]resource.TestStep, 0, len(tests))
	for _, tt := range tests {
		steps = append(steps, resource.TestStep{
			Config:      provider + "resource \"f3s_zfs_dataset\" \"d\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
			PlanOnly:    true,
			ExpectError: errorMatchingRaw(tt.want...),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

func TestAccZFSDatasetCreateOnlyProperties(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	const addr = "f3s_zfs_dataset.smb"
	cfg := func(props string) string {
		return provider + `
resource "f3s_zfs_dataset" "smb" {
  host       = "f0"
  deletion_protection = false
  name       = "zroot/smb"
  properties = {` + props + `}
}
`
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// zfs reports properties fixed at creation with source "-":
				// they are compared by value, and the plan stays empty.
				Config: cfg(`casesensitivity = "insensitive", compression = "zstd"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("properties").AtMapKey("casesensitivity"), knownvalue.StringExact("insensitive")),
				},
				Check: expectZFS(t, l, "zfs", "casesensitivity", "zroot/smb", "insensitive"),
			},
			{
				Config:      cfg(`casesensitivity = "mixed", compression = "zstd"`),
				PlanOnly:    true,
				ExpectError: errorMatching("ZFS Property Cannot Change", "casesensitivity", "only be set when the dataset is created"),
			},
			{
				// Leaving it out stops managing it; nothing can be reverted.
				Config: cfg(`compression = "zstd"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectZFS(t, l, "zfs", "casesensitivity", "zroot/smb", "insensitive"),
			},
			{
				// Managing one again with the value the dataset has is no
				// change to it (the plan knows the value from the last read).
				Config: cfg(`casesensitivity = "insensitive", utf8only = "off", compression = "zstd"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("properties").AtMapKey("utf8only"), knownvalue.StringExact("off")),
				},
			},
			{
				Config:      cfg(`casesensitivity = "insensitive", utf8only = "on", compression = "zstd"`),
				PlanOnly:    true,
				ExpectError: errorMatching("ZFS Property Cannot Change", "utf8only"),
			},
		},
	})
}
