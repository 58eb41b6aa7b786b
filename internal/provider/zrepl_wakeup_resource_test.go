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
	zreplStandby = "zdata/sink/f0/zdata/enc/nfsdata"
	f0ZdataKey   = "/keys/f0.lan.buetow.org:zdata.key"
)

// zreplArticleStorage builds, out of band, the storage the article has
// before replication: zdata with an encrypted zdata/enc on both nodes,
// zdata/enc/nfsdata (with a file) and the encrypted VM dataset on f0, the
// sink's root on f1, and f0's zdata key copied to f1's key stick.
func zreplArticleStorage(t *testing.T, l *lab.Lab) {
	t.Helper()
	for _, h := range []string{"f0", "f1"} {
		key := "/keys/" + h + ".lan.buetow.org:zdata.key"
		mustExec(t, l, h, strings.Join([]string{
			"zpool create -m /data zdata /dev/ada1",
			"mkdir -p /keys && chmod 700 /keys",
			"dd if=/dev/random of=" + key + " bs=32 count=1 2>/dev/null && chmod 400 " + key,
			"zfs create -o encryption=on -o keyformat=raw -o keylocation=file://" + key + " zdata/enc",
		}, " && "))
	}
	mustExec(t, l, "f0", strings.Join([]string{
		"dd if=/dev/random of=/keys/f0.lan.buetow.org:bhyve.key bs=32 count=1 2>/dev/null",
		"zfs create zdata/enc/nfsdata",
		"echo hello > /data/enc/nfsdata/hello.txt",
		"zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/f0.lan.buetow.org:bhyve.key zroot/bhyve/fedora",
	}, " && "))
	mustExec(t, l, "f1", "zfs create zdata/sink")
	f0, f1 := l.Host("f0"), l.Host("f1")
	key, err := f0.Tree.ReadFile(f0.Root(), f0ZdataKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := f1.Tree.WriteFile(f1.Root(), f0ZdataKey, key, 0o400); err != nil {
		t.Fatal(err)
	}
}

// zreplReplicationHCL adds to the article's zrepl setup a wakeup of the NFS
// job, its status, and the standby copy on f1, which waits for delivery.
func zreplReplicationHCL(provider, trigger string) string {
	return provider + zreplArticleHCL("1m") + zreplServicesHCL + fmt.Sprintf(`
resource "f3s_zrepl_wakeup" "nfsdata" {
  host         = "f0"
  job          = "f0_to_f1_nfsdata"
  wait_timeout = "1m"
  triggers     = { config = f3s_zrepl_config.f0.content_sha256, run = %q }
  depends_on   = [f3s_service.zrepl_f0, f3s_service.zrepl_f1]
}

data "f3s_zrepl_status" "f0" {
  host       = "f0"
  job        = f3s_zrepl_wakeup.nfsdata.job
}

data "f3s_zrepl_status" "f1" {
  host       = "f1"
  depends_on = [f3s_zrepl_wakeup.nfsdata]
}

resource "f3s_zfs_properties" "standby" {
  host         = "f1"
  dataset      = %q
  load_key     = true
  key_location = "file://%s"
  mount        = true
  properties = {
    readonly    = "on"
    mountpoint  = "/data/nfs"
    keylocation = "file://%s"
  }
  depends_on = [f3s_zrepl_wakeup.nfsdata]
}
`, trigger, zreplStandby, f0ZdataKey, f0ZdataKey)
}

func TestAccZreplReplication(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	zreplArticleStorage(t, l)
	const (
		wakeup  = "f3s_zrepl_wakeup.nfsdata"
		status  = "data.f3s_zrepl_status.f0"
		standby = "f3s_zfs_properties.standby"
	)
	job := tfjsonpath.New("jobs").AtSliceIndex(0)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// zrepl installed, configured and started on both nodes; the
				// wakeup delivers at once, and the standby copy is set up.
				Config: zreplReplicationHCL(provider, "1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(wakeup, tfjsonpath.New("id"), knownvalue.StringExact("f0:f0_to_f1_nfsdata")),
					statecheck.ExpectKnownValue(wakeup, tfjsonpath.New("last_attempt_state"), knownvalue.StringExact("done")),
					statecheck.ExpectKnownValue(wakeup, tfjsonpath.New("last_attempt_finish"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(status, tfjsonpath.New("healthy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(status, job.AtMapKey("name"), knownvalue.StringExact("f0_to_f1_nfsdata")),
					statecheck.ExpectKnownValue(status, job.AtMapKey("type"), knownvalue.StringExact("push")),
					statecheck.ExpectKnownValue(status, job.AtMapKey("last_attempt_state"), knownvalue.StringExact("done")),
					statecheck.ExpectKnownValue(status, job.AtMapKey("errors"), knownvalue.ListExact([]knownvalue.Check{})),
					statecheck.ExpectKnownValue(status, job.AtMapKey("last_snapshot"), knownvalue.StringRegexp(regexp.MustCompile(`^zrepl_\d{8}_\d{6}_000$`))),
					statecheck.ExpectKnownValue(status, job.AtMapKey("pruning_sender_state"), knownvalue.StringExact("Done")),
					statecheck.ExpectKnownValue(status, job.AtMapKey("filesystems").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("zdata/enc/nfsdata")),
					statecheck.ExpectKnownValue("data.f3s_zrepl_status.f1", tfjsonpath.New("jobs").AtSliceIndex(0).AtMapKey("type"), knownvalue.StringExact("sink")),
					statecheck.ExpectKnownValue("data.f3s_zrepl_status.f1", tfjsonpath.New("jobs").AtSliceIndex(0).AtMapKey("last_attempt_state"), knownvalue.Null()),
					statecheck.ExpectKnownValue(standby, tfjsonpath.New("key_status"), knownvalue.StringExact("available")),
					statecheck.ExpectKnownValue(standby, tfjsonpath.New("mounted"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "f1", "zfs list "+zreplStandby, 0),
					expectExit(t, l, "f1", `[ "$(zfs get -H -o value readonly,mountpoint,keylocation `+zreplStandby+` | tr '\n' ' ')" = "on /data/nfs file://`+f0ZdataKey+` " ]`, 0),
					expectExit(t, l, "f1", `[ "$(cat /data/nfs/hello.txt)" = hello ]`, 0),
				),
			},
			{
				ResourceName:            wakeup,
				ImportState:             true,
				ImportStateId:           "f0:f0_to_f1_nfsdata",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"triggers", "wait_timeout", "last_attempt_state", "last_attempt_finish"},
			},
			{
				// Drift: the standby copy made writable by hand.
				PreConfig: func() { mustExec(t, l, "f1", "zfs set readonly=off "+zreplStandby) },
				Config:    zreplReplicationHCL(provider, "1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(standby, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(wakeup, plancheck.ResourceActionNoop),
					},
				},
				Check: expectExit(t, l, "f1", `[ "$(zfs get -H -o value readonly `+zreplStandby+`)" = on ]`, 0),
			},
			{
				// A write on the writable copy breaks the next incremental
				// receive: the wakeup fails with zfs's words, not a hang.
				PreConfig: func() {
					mustExec(t, l, "f1", "zfs set readonly=off "+zreplStandby+" && echo oops > /data/nfs/oops.txt")
					mustExec(t, l, "f0", "echo v2 > /data/enc/nfsdata/hello.txt && zfs snapshot zdata/enc/nfsdata@manual_1")
				},
				Config:      zreplReplicationHCL(provider, "2"),
				ExpectError: regexp.MustCompile(`(?s)zrepl Replication Did Not Complete.*has\s+been\s+modified`),
			},
			{
				// Rolled back by hand: the next apply wakes the job again,
				// delivers, and makes the copy read-only again.
				PreConfig: func() {
					mustExec(t, l, "f1", "zfs rollback $(zfs list -H -o name -t snapshot "+zreplStandby+" | tail -n 1)")
				},
				Config: zreplReplicationHCL(provider, "2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(wakeup, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(wakeup, tfjsonpath.New("last_attempt_state"), knownvalue.StringExact("done")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "f1", `[ "$(cat /data/nfs/hello.txt)" = v2 ] && ! test -e /data/nfs/oops.txt`, 0),
					expectExit(t, l, "f1", `[ "$(zfs get -H -o value readonly `+zreplStandby+`)" = on ]`, 0),
				),
			},
			{
				// A job the daemon does not run fails the apply.
				Config: zreplReplicationHCL(provider, "2") + `
resource "f3s_zrepl_wakeup" "bogus" {
  host         = "f0"
  job          = "nosuchjob"
  depends_on   = [f3s_service.zrepl_f0]
}
`,
				ExpectError: regexp.MustCompile(`zrepl Job Not Found(?s).*runs no job "nosuchjob"`),
			},
		},
	})
}

func TestAccZreplWakeupInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct{ name, body, want string }{
		{"internal job name", `job = "_control"`, `job: job name "_control" starts with "_"`},
		{"option-shaped job name", `job = "--help"`, `job: job name "--help" starts with "-", which zrepl's command line takes for a flag`},
		{"bad wait", `
  job          = "a"
  wait_timeout = "soon"`, `wait_timeout: "soon" must be a duration`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      provider + "resource \"f3s_zrepl_wakeup\" \"x\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(strings.ReplaceAll(tt.want, " ", `\s+`)),
				}},
			})
		})
	}
}
