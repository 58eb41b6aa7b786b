package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// drillConfig is the article's HA layout on f0 and f1: the VIP (f0
// preferred), the hooks with the NFS services, auto-failback on f0, and
// the carp command on both.
func drillConfig(provider string) string {
	return provider + `
variable "carp_password" {
  type      = string
  ephemeral = true
  default   = "drill-pass"
}

resource "f3s_carp_address" "f0" {
  host                = "f0"
  interface           = "re0"
  vhid                = 1
  address             = "192.168.1.138"
  password_wo         = var.carp_password
  password_wo_version = 1
}

resource "f3s_carp_address" "f1" {
  host                = "f1"
  interface           = "re0"
  vhid                = 1
  address             = "192.168.1.138"
  advskew             = 100
  password_wo         = var.carp_password
  password_wo_version = 1

  depends_on = [f3s_carp_address.f0]
}

resource "f3s_carp_hook" "f0" {
  host              = "f0"
  interface         = "re0"
  vhid              = f3s_carp_address.f0.vhid
  services          = ["rpcbind", "mountd", "nfsd", "nfsuserd"]
  required_datasets = ["zdata/nfsdata"]
}

resource "f3s_carp_hook" "f1" {
  host              = "f1"
  interface         = "re0"
  vhid              = f3s_carp_address.f1.vhid
  services          = ["rpcbind", "mountd", "nfsd", "nfsuserd"]
  required_datasets = ["zdata/copy"]
}

resource "f3s_carp_failback" "f0" {
  host      = "f0"
  interface = "re0"
  vhid      = f3s_carp_address.f0.vhid
  dataset   = "zdata/nfsdata"
}

resource "f3s_carp_tool" "f0" {
  host = "f0"
}

resource "f3s_carp_tool" "f1" {
  host = "f1"
}
`
}

// setupDrillStorage gives f0 an encrypted zdata/nfsdata on /data/nfs whose
// key loads at boot (zfskeys), and f1 its standby copy on /data/nfs; and
// both the article's /etc/exports.
func setupDrillStorage(t *testing.T, l *lab.Lab) {
	exports := `printf 'V4: /data/nfs -sec=sys\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\n' > /etc/exports`
	mustExec(t, l, "f0", "zpool create -m /data zdata /dev/ada1 && dd if=/dev/random of=/root/f0.key bs=32 count=1 2>/dev/null && "+
		"zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///root/f0.key -o mountpoint=/data/nfs zdata/nfsdata && "+
		"sysrc zfskeys_enable=YES zfskeys_datasets=zdata/nfsdata >/dev/null && "+exports)
	mustExec(t, l, "f1", "zpool create -m /data zdata /dev/ada1 && zfs create -o mountpoint=/data/nfs zdata/copy && "+exports)
}

var drillServices = []string{"rpcbind", "mountd", "nfsd", "nfsuserd"}

// checkHA checks that master is CARP MASTER and the only node running the
// NFS services, and that the other is BACKUP.
func checkHA(t *testing.T, l *lab.Lab, master string) error {
	for _, h := range []string{"f0", "f1"} {
		want := "BACKUP"
		if h == master {
			want = "MASTER"
		}
		if got := carpState(t, l, h); got != want {
			return fmt.Errorf("vhid 1 on %s is %s, want %s", h, got, want)
		}
		if err := checkServices(t, l, h, h == master, drillServices...); err != nil {
			return err
		}
	}
	return nil
}

func expectHA(t *testing.T, l *lab.Lab, master string) resource.TestCheckFunc {
	return hostCheck(func() error { return checkHA(t, l, master) })
}

// mustHA is checkHA where no Terraform step runs (f0 is down).
func mustHA(t *testing.T, l *lab.Lab, master string) {
	t.Helper()
	if err := checkHA(t, l, master); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestAccCarpFailoverDrill is the failover drill on two lab hosts:
// f0 fails and f1 serves; f0 comes back as BACKUP and takes the VIP back
// only when the failback job runs; the same without a reboot (carp
// backup); no failback while the block file exists, reboot or not. After
// every step the plan is empty: a failover is runtime state, not drift.
func TestAccCarpFailoverDrill(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	setupDrillStorage(t, l)
	config := drillConfig(provider)
	empty := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	failbackLog := func(want string) resource.TestCheckFunc {
		return expectFileLine(t, l, "f0", "/var/log/carp-auto-failback.log", want, "")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// f0 is MASTER and the only node serving.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectHA(t, l, "f0"),
			},
			{
				// f0 fails: f1 becomes MASTER and its hook starts the services.
				// No plan can read f0 while it is down; then f0 boots, rc loads
				// its key and mounts its data, and it joins as BACKUP (CARP
				// does not preempt): f1 keeps serving until the failback job
				// runs. The plan is empty.
				PreConfig: func() {
					must(t, l.FailHost("f0"))
					if l.HostUp("f0") {
						t.Fatal("f0 is up after FailHost")
					}
					for _, s := range drillServices {
						if _, code := execOnHost(t, l, "f1", "service "+s+" onestatus"); code != 0 {
							t.Fatalf("f0 is down and %s does not run on f1", s)
						}
					}
					if got := carpState(t, l, "f1"); got != "MASTER" {
						t.Fatalf("f0 is down and f1 is %s", got)
					}
					must(t, l.RestoreHost("f0"))
					mustHA(t, l, "f1")
				},
				Config:           config,
				ConfigPlanChecks: empty,
				Check: resource.ComposeTestCheckFunc(
					expectHA(t, l, "f1"),
					expectExit(t, l, "f0", "zfs get -H -o value mounted zdata/nfsdata | grep -qx yes", 0),
					expectFileLine(t, l, "f1", "/var/log/messages", "f1 carpcontrol: 1@re0: MASTER: started nfsd", ""),
				),
			},
			{
				// The failback job runs (the lab clock moves a minute): f0 is
				// MASTER again and f1 has stopped its services.
				PreConfig:        func() { must(t, l.AdvanceClock(time.Minute)) },
				Config:           config,
				ConfigPlanChecks: empty,
				Check: resource.ComposeTestCheckFunc(
					expectHA(t, l, "f0"),
					failbackLog("CONDITIONS MET: promoting vhid 1 on re0 to MASTER (was BACKUP)"),
					expectFileLine(t, l, "f1", "/var/log/messages", "f1 carpcontrol: 1@re0: BACKUP: stopped nfsd", ""),
				),
			},
			{
				// Without a reboot: carp backup hands the VIP to f1, whose hook
				// stops nothing on f0 it should not (f0's hook stops nfsd) ...
				PreConfig:        func() { mustExec(t, l, "f0", "carp backup") },
				Config:           config,
				ConfigPlanChecks: empty,
				Check:            expectHA(t, l, "f1"),
			},
			{
				// ... and the failback job returns it although nfsd is stopped
				// (the article's script would wait for nfsd forever).
				PreConfig:        func() { must(t, l.AdvanceClock(time.Minute)) },
				Config:           config,
				ConfigPlanChecks: empty,
				Check:            expectHA(t, l, "f0"),
			},
			{
				// Failback disabled: f1 keeps the VIP however long the job runs.
				PreConfig: func() {
					mustExec(t, l, "f0", "carp auto-failback disable && carp backup")
					must(t, l.AdvanceClock(3*time.Minute))
				},
				Config:           config,
				ConfigPlanChecks: empty,
				Check: resource.ComposeTestCheckFunc(
					expectHA(t, l, "f1"),
					failbackLog("SKIP: failback blocked by /var/db/carp.NO_AUTO_FAILBACK (carp auto-failback enable removes it)"),
				),
			},
			{
				// ... and after a reboot of f0 too: the block file outlives it.
				PreConfig: func() {
					must(t, l.FailHost("f0"))
					must(t, l.RestoreHost("f0"))
					must(t, l.AdvanceClock(3*time.Minute))
				},
				Config:           config,
				ConfigPlanChecks: empty,
				Check:            expectHA(t, l, "f1"),
			},
			{
				// Enabled again, the next run fails back.
				PreConfig: func() {
					mustExec(t, l, "f0", "carp auto-failback enable")
					must(t, l.AdvanceClock(time.Minute))
				},
				Config:           config,
				ConfigPlanChecks: empty,
				Check:            expectHA(t, l, "f0"),
			},
			{
				// The article's hook script switches on $1, the subsystem: put
				// on f1, a failover leaves f1 MASTER without its services. The
				// plan names the script; the apply puts the right one back.
				PreConfig: func() {
					mustExec(t, l, "f1", articleHookScript)
					mustExec(t, l, "f0", "carp auto-failback disable && carp backup")
					if got := carpState(t, l, "f1"); got != "MASTER" {
						t.Fatalf("f1 is %s after carp backup on f0", got)
					}
					if err := checkServices(t, l, "f1", false, drillServices...); err != nil {
						t.Fatalf("with the article's script: %v", err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_carp_hook.f1", plancheck.ResourceActionUpdate),
						expectChanged{addr: "f3s_carp_hook.f1", attrs: []string{"script_status"}},
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				// The apply ran the restored script for f1's state: MASTER.
				Check: expectHA(t, l, "f1"),
			},
		},
	})
}

// articleHookScript writes the article's carpcontrol.sh (as printed: it
// switches on $1) over the generated one.
var articleHookScript = "cat > /usr/local/bin/carpcontrol.sh <<'EOF'\n" + strings.Join([]string{
	"#!/bin/sh",
	`case "$1" in`,
	"MASTER)",
	`	logger "CARP state changed to MASTER, starting services"`,
	"	service rpcbind start >/dev/null 2>&1",
	"	service mountd start >/dev/null 2>&1",
	"	service nfsd start >/dev/null 2>&1",
	"	service nfsuserd start >/dev/null 2>&1",
	"	;;",
	"BACKUP)",
	`	logger "CARP state changed to BACKUP, stopping services"`,
	"	service nfsd stop >/dev/null 2>&1",
	"	;;",
	"*)",
	`	logger "CARP state changed to $1 (unhandled)"`,
	"	;;",
	"esac",
}, "\n") + "\nEOF\n"
