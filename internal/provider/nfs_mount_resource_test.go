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

const (
	nfsMountAddr  = "f3s_nfs_mount.k3s"
	monitorTimer  = "f3s-nfs-monitor-data-nfs-k3svolumes.timer"
	monitorScript = "/usr/local/sbin/f3s-nfs-monitor-data-nfs-k3svolumes"
)

func nfsMountConfig(provider, extra string) string {
	return provider + `
resource "f3s_nfs_mount" "k3s" {
  host        = "r0"
  port        = 2323
  export      = "/k3svolumes"
  mount_point = "/data/nfs/k3svolumes"
  ` + extra + `
}
`
}

// expectClientMount checks r0's fstab line and that the mount reaches f0's files.
func expectClientMount(t *testing.T, l *lab.Lab, fstabLine string) resource.TestCheckFunc {
	return resource.ComposeTestCheckFunc(
		expectFileLine(t, l, "r0", "/etc/fstab", fstabLine, ""),
		expectOutput(t, l, "r0", "findmnt -n -r -o SOURCE,FSTYPE "+clientMountPoint, "127.0.0.1:/k3svolumes nfs4\n"),
		expectOutput(t, l, "r0", "cat "+clientMountPoint+"/hello", "from f0\n"),
		expectExit(t, l, "r0", "systemctl is-active "+monitorTimer+" && systemctl is-enabled "+monitorTimer, 0),
	)
}

// expectClientClean checks that destroy left r0 as it was.
func expectClientClean(t *testing.T, l *lab.Lab) resource.TestCheckFunc {
	return hostCheck(func() error {
		out, code := execOnHost(t, l, "r0", "grep k3svolumes /etc/fstab; findmnt "+clientMountPoint+"; ls /etc/systemd/system | grep f3s-nfs-monitor; ls "+monitorScript+" "+clientMountPoint+" 2>&1 >/dev/null | wc -l")
		if code != 0 || strings.TrimSpace(out) != "2" {
			return fmt.Errorf("r0 is not clean after destroy (exit %d):\n%s", code, out)
		}
		return nil
	})
}

func TestAccNFSMount(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accR0)
	setupSingleServer(t, l)
	mustExec(t, l, "f0", "echo 'from f0' > "+clientMountPoint+"/hello")
	config := nfsMountConfig(provider, "")
	const line = "127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,_netdev,x-systemd.requires=stunnel.service,x-systemd.after=stunnel.service 0 0"
	empty := resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	update := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(nfsMountAddr, plancheck.ResourceActionUpdate)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// The connection drops right after mount ran: the create
				// reads back what it made (fstab line, mounted, no monitor
				// yet) and keeps it, tainted.
				PreConfig:   func() { l.Faults("r0").DropConnectionOnCommand("mount -- /data/nfs/k3svolumes") },
				Config:      config,
				ExpectError: errorMatching("Unable to Mount"),
			},
			{
				// The next apply replaces it and converges.
				Config:           config,
				ConfigPlanChecks: empty,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(nfsMountAddr, tfjsonpath.New("fstab_line"), knownvalue.StringExact(line)),
					statecheck.ExpectKnownValue(nfsMountAddr, tfjsonpath.New("monitor_timer"), knownvalue.StringExact(monitorTimer)),
					statecheck.ExpectKnownValue(nfsMountAddr, tfjsonpath.New("mounted"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(nfsMountAddr, tfjsonpath.New("id"), knownvalue.StringExact("r0:/data/nfs/k3svolumes")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectClientMount(t, l, line),
					// The monitor run by hand: while another run holds its
					// lock it does nothing; then it mounts what is missing.
					expectExit(t, l, "r0", "umount "+clientMountPoint+" && flock /run/f3s-nfs-monitor-data-nfs-k3svolumes.lock "+monitorScript+" && findmnt "+clientMountPoint, 1),
					expectOutput(t, l, "r0", monitorScript+" && findmnt -n -o SOURCE "+clientMountPoint+" && journalctl -t f3s-nfs-monitor | tail -n 2 | cut -d' ' -f6-",
						"127.0.0.1:/k3svolumes\n/data/nfs/k3svolumes: not mounted\n/data/nfs/k3svolumes: mounted again\n"),
				),
			},
			{ResourceName: nfsMountAddr, ImportState: true, ImportStateId: "r0:/data/nfs/k3svolumes", ImportStateVerify: true},
			{
				// In place: an option (fstab only, the mount stays) and the
				// monitor's interval.
				Config:           nfsMountConfig(provider, `options = ["hard", "_netdev", "timeo=600"]`+"\n  monitor_interval = \"20s\""),
				ConfigPlanChecks: update,
				Check: resource.ComposeTestCheckFunc(
					expectClientMount(t, l, strings.Replace(line, "_netdev,", "_netdev,timeo=600,", 1)),
					expectExit(t, l, "r0", "grep -qx 'OnUnitActiveSec=20s' /etc/systemd/system/f3s-nfs-monitor-data-nfs-k3svolumes.timer", 0),
				),
			},
			{
				// Drift: unmounted by hand.
				PreConfig:        func() { mustExec(t, l, "r0", "umount "+clientMountPoint) },
				Config:           config,
				ConfigPlanChecks: update,
				Check:            expectClientMount(t, l, line),
			},
			{
				// Drift: the fstab line edited to soft.
				PreConfig:        func() { mustExec(t, l, "r0", "sed -i 's/,hard,/,soft,/' /etc/fstab") },
				Config:           config,
				ConfigPlanChecks: update,
				Check:            expectClientMount(t, l, line),
			},
			{
				// Drift: the monitor's timer stopped, its script edited.
				PreConfig: func() {
					mustExec(t, l, "r0", "systemctl stop "+monitorTimer+" && echo '# edited' >> "+monitorScript)
				},
				Config:           config,
				ConfigPlanChecks: update,
				Check: resource.ComposeTestCheckFunc(
					expectClientMount(t, l, line),
					expectExit(t, l, "r0", "grep -q edited "+monitorScript, 1),
				),
			},
			{
				// Another mount there (port 2049 is not the tunnel's): remounted.
				PreConfig: func() {
					mustExec(t, l, "r0", "umount "+clientMountPoint+" && mount -t nfs4 -o port=2323,soft 127.0.0.1:/k3svolumes "+clientMountPoint)
				},
				Config:           config,
				ConfigPlanChecks: update,
				Check: resource.ComposeTestCheckFunc(
					expectClientMount(t, l, line),
					expectExit(t, l, "r0", "findmnt -n -o OPTIONS "+clientMountPoint+" | grep -q hard", 0),
				),
			},
			{
				// Without the monitor and not mounted: the fstab line only.
				Config:           nfsMountConfig(provider, "monitor = false\n  mounted = false"),
				ConfigPlanChecks: update,
				Check: resource.ComposeTestCheckFunc(
					expectFileLine(t, l, "r0", "/etc/fstab", line, ""),
					expectExit(t, l, "r0", "findmnt "+clientMountPoint, 1),
					expectExit(t, l, "r0", "ls /etc/systemd/system/"+monitorTimer+" "+monitorScript, 2),
				),
			},
			{
				// Back to mounted with the monitor.
				Config:           config,
				ConfigPlanChecks: update,
				Check:            expectClientMount(t, l, line),
			},
			{
				// The server gone (the VIP removed: no host answers): the hard
				// mount hangs, and destroy neither hangs nor fails: umount is
				// bounded, then the mount is detached lazily.
				PreConfig: func() {
					mustExec(t, l, "f0", "ifconfig re0 inet "+clientVIP+" -alias")
					if _, code := execOnHost(t, l, "r0", "timeout 1 stat "+clientMountPoint); code != 124 {
						t.Fatalf("the mount does not hang without the server: stat exited %d", code)
					}
				},
				Config:  config,
				Destroy: true,
				Check:   expectClientClean(t, l),
			},
		},
		CheckDestroy: expectClientClean(t, l),
	})
}

func TestAccNFSMountInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	for _, c := range []struct{ extra, config, want string }{
		{extra: `options = ["hard", "soft"]`, want: "Invalid Mount Options"},
		{extra: `options = ["port=2049"]`, want: "Invalid Mount Option"},
		{extra: `options = ["-o"]`, want: "Invalid Mount Option"},
		{extra: `server = "-oops"`, want: "Invalid NFS Server"},
		{extra: `after_unit = "stunnel"`, want: "Invalid Unit Name"},
		{extra: `monitor_interval = "500ms"`, want: "Invalid Monitor Interval"},
		{config: `resource "f3s_nfs_mount" "x" {
  host        = "r0"
  export      = "k3svolumes"
  mount_point = "/data/nfs/k3svolumes"
}`, want: "Invalid Export Path"},
		{config: `resource "f3s_nfs_mount" "x" {
  host        = "r0"
  export      = "/k3svolumes"
  mount_point = "/data/../etc"
}`, want: "Invalid Mount Point"},
		{config: `resource "f3s_nfs_mount" "x" {
  host        = "f0"
  export      = "/k3svolumes"
  mount_point = "/data/nfs/k3svolumes"
}`, want: "Unsupported Operating System"},
	} {
		config := nfsMountConfig(provider, c.extra)
		if c.config != "" {
			config = provider + c.config
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps:                    []resource.TestStep{{Config: config, PlanOnly: true, ExpectError: errorMatching(c.want)}},
		})
	}
}
