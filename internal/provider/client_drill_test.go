package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/pkitest"
)

// TestAccClientFailoverDrill is the issue's client-side drill: r0 mounts
// the HA export through its stunnel (f3s_nfs_mount with its monitor) while
// f0 and f1 run the CARP layout of TestAccCarpFailoverDrill. f0 fails: r0's
// mount is stale until the monitor's timer runs, then reads f1's read-only
// copy; f0 comes back and fails back: the monitor remounts onto f0 and
// writes work again. Every step logs what r0 saw; the plan stays empty.
func TestAccClientFailoverDrill(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1, accR0)
	setupDrillStorage(t, l)
	for _, h := range []string{"f0", "f1"} {
		// NFSv4 (the article's rc.conf): without it nfsd serves v3 only.
		mustExec(t, l, h, "sysrc nfsv4_server_enable=YES >/dev/null")
	}
	// f0's data, and f1's copy of it: replication (zrepl) is not part of
	// this drill, so the copy is written by hand and made read-only, as
	// a replicated dataset is. The file "where" tells the servers apart.
	mustExec(t, l, "f0", "mkdir -p "+clientMountPoint+" && echo 'written on f0' > "+clientMountPoint+"/hello && echo f0 > "+clientMountPoint+"/where")
	mustExec(t, l, "f1", "mkdir -p "+clientMountPoint+" && echo 'written on f0' > "+clientMountPoint+"/hello && echo f1 > "+clientMountPoint+"/where && zfs set readonly=on zdata/copy")
	ca := pkitest.NewCA(t, "F3S Stunnel CA")
	server := ca.Issue(t, "f3s-storage-ha.lan", pkitest.DNS("f3s-storage-ha.lan"))
	for _, h := range []string{"f0", "f1"} {
		setupStunnelServer(t, l, ca, server, h)
	}
	setupStunnelClient(t, l, ca)
	config := drillConfig(provider) + `
resource "f3s_nfs_mount" "k3s" {
  host        = "r0"
  port        = 2323
  export      = "/k3svolumes"
  mount_point = "/data/nfs/k3svolumes"

  depends_on = [f3s_carp_hook.f0, f3s_carp_hook.f1]
}
`
	empty := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	const mp = clientMountPoint
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// f0 MASTER; r0 reads f0's file through the tunnel.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectHA(t, l, "f0"),
					hostCheck(func() error {
						clientSees(t, l, "before the failover", "cat "+mp+"/hello "+mp+"/where", "written on f0\nf0\n", 0)
						return nil
					}),
				),
			},
			{
				PreConfig: func() {
					// f0 loses power: f1 becomes MASTER and serves its copy.
					must(t, l.FailHost("f0"))
					mustHA := func() {
						if got := carpState(t, l, "f1"); got != "MASTER" {
							t.Fatalf("f0 is down and f1 is %s", got)
						}
					}
					mustHA()
					// The mount is stale until the monitor runs.
					clientSees(t, l, "right after the failover", "cat "+mp+"/hello", "Stale file handle", 1)
					must(t, l.AdvanceClock(10*time.Second))
					clientSees(t, l, "after the monitor ran", "cat "+mp+"/hello "+mp+"/where", "written on f0\nf1\n", 0)
					clientSees(t, l, "writing to f1's copy", "echo x > "+mp+"/during-failover", "Read-only file system", 1)
					clientSees(t, l, "in the journal", "journalctl -t f3s-nfs-monitor", "mounted again", 0)
					// f0 boots and joins as BACKUP; the failback job (a
					// minute) returns the VIP; the monitor remounts onto f0.
					must(t, l.RestoreHost("f0"))
					must(t, l.AdvanceClock(time.Minute))
					must(t, l.AdvanceClock(15*time.Second))
					mustHA2 := carpState(t, l, "f0")
					if mustHA2 != "MASTER" {
						t.Fatalf("f0 is %s after the failback job", mustHA2)
					}
					clientSees(t, l, "after the failback", "cat "+mp+"/where && echo 'written on r0' > "+mp+"/after-failback && cat "+mp+"/after-failback", "f0\nwritten on r0\n", 0)
					if out := mustExec(t, l, "f0", "cat "+mp+"/after-failback"); out != "written on r0\n" {
						t.Fatalf("f0 has %q in the file r0 wrote", out)
					}
				},
				Config:           config,
				ConfigPlanChecks: empty,
				Check:            expectHA(t, l, "f0"),
			},
		},
	})
}
