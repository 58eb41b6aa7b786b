package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// TestAccAdoptHandBuiltLayout follows the guide "Adopting a hand-built
// layout" (templates/guides/adopting-a-hand-built-layout.md.tmpl) on the
// lab: the storage half of the article built by hand on f0 and f1, then
// the guide's configuration with its import blocks. The first apply only
// imports and adopts (no file rewritten, zrepl keeps its pid, no dataset
// touched), and the plan after it is empty.
func TestAccAdoptHandBuiltLayout(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	const key = "/keys/f0.lan.buetow.org:zdata.key"
	const vip = "192.168.1.138 f3s-storage-ha f3s-storage-ha.lan f3s-storage-ha.lan.buetow.org"
	const exports = "V4: /data/nfs -sec=sys\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\n"
	// The article, by hand (section by section).
	mustExec(t, l, "f0", "mkdir -p /keys && dd if=/dev/random of="+key+" bs=32 count=1 2>/dev/null && chmod 400 "+key)
	mustExec(t, l, "f0", "zpool create -m /data zdata /dev/ada1 && "+
		"zfs create -o encryption=on -o keyformat=raw -o keylocation=file://"+key+" zdata/enc && "+
		"zfs create -o mountpoint=/data/nfs zdata/enc/nfsdata && echo precious > /data/nfs/data.txt")
	mustExec(t, l, "f1", "zpool create -m /data zdata /dev/ada1 && zfs create zdata/sink")
	mustExec(t, l, "f0", `sysrc zfskeys_enable=YES && sysrc zfskeys_datasets="zdata/enc" && `+
		"echo '"+vip+"' >> /etc/hosts && printf '%s' '"+exports+"' > /etc/exports")
	for _, h := range []string{"f0", "f1"} {
		mustExec(t, l, h, "pkg install -y zrepl && sysrc zrepl_enable=YES")
	}
	writeLabFile(t, l, "f0", zreplPath, zreplByHand)
	writeLabFile(t, l, "f1", zreplPath, "# the sink\n"+zreplArticleF1)
	mustExec(t, l, "f0", "service zrepl start")
	mustExec(t, l, "f1", "service zrepl start")
	pid0 := &pidTracker{t: t, l: l, hostName: "f0", script: "cat /var/run/zrepl/daemon.pid"}
	pid0.record()
	before := map[string]string{}
	// What the adoption must not change: rc.conf, zrepl.yml, and the
	// adopted datasets' own properties (zrepl, running, adds snapshots
	// and received datasets of its own meanwhile).
	datasets := map[string]string{"f0": "zdata zdata/enc zdata/enc/nfsdata", "f1": "zdata zdata/sink"}
	snapshot := func(h string) string {
		return mustExec(t, l, h, "cat /etc/rc.conf "+zreplPath+"; zfs get -H -o name,property,value,source -s local all "+datasets[h])
	}
	for _, h := range []string{"f0", "f1"} {
		before[h] = snapshot(h)
	}
	hostsBefore := mustExec(t, l, "f0", "cat /etc/hosts")

	// The guide's configuration, in its order.
	cfg := provider + fmt.Sprintf(`
import {
  to = f3s_zfs_key.zdata
  id = "f0:%[1]s"
}
resource "f3s_zfs_key" "zdata" {
  hosts = ["f0"]
  path  = %[1]q
}

import {
  to = f3s_zpool.zdata_f0
  id = "f0:zdata"
}
resource "f3s_zpool" "zdata_f0" {
  host       = "f0"
  name       = "zdata"
  mountpoint = "/data"
  vdevs      = [{ type = "disk", devices = ["/dev/ada1"] }]
}

import {
  to = f3s_zpool.zdata_f1
  id = "f1:zdata"
}
resource "f3s_zpool" "zdata_f1" {
  host       = "f1"
  name       = "zdata"
  mountpoint = "/data"
  vdevs      = [{ type = "disk", devices = ["/dev/ada1"] }]
}

import {
  to = f3s_zfs_dataset.enc
  id = "f0:zdata/enc"
}
resource "f3s_zfs_dataset" "enc" {
  host        = "f0"
  name        = "zdata/enc"
  encryption  = "on"
  keyformat   = "raw"
  keylocation = "file://${f3s_zfs_key.zdata.path}"
}

import {
  to = f3s_zfs_dataset.nfsdata
  id = "f0:zdata/enc/nfsdata"
}
resource "f3s_zfs_dataset" "nfsdata" {
  host       = "f0"
  name       = "${f3s_zfs_dataset.enc.name}/nfsdata"
  mountpoint = "/data/nfs"
}

import {
  to = f3s_zfs_dataset.sink
  id = "f1:zdata/sink"
}
resource "f3s_zfs_dataset" "sink" {
  host = "f1"
  name = "zdata/sink"
}

import {
  to = f3s_sysrc.zfskeys_enable
  id = "f0:zfskeys_enable"
}
resource "f3s_sysrc" "zfskeys_enable" {
  host  = "f0"
  name  = "zfskeys_enable"
  value = "YES"
}

import {
  to = f3s_sysrc.zfskeys_datasets
  id = "f0:zfskeys_datasets"
}
resource "f3s_sysrc" "zfskeys_datasets" {
  host  = "f0"
  name  = "zfskeys_datasets"
  value = join(" ", distinct(compact([for d in [f3s_zfs_dataset.enc, f3s_zfs_dataset.nfsdata] : d.encryption_root])))
}

# No import: the first apply puts the markers around the lines typed by hand.
resource "f3s_file_block" "vip" {
  host    = "f0"
  path    = "/etc/hosts"
  name    = "f3s-storage-ha"
  content = "%[2]s\n"
}
resource "f3s_file_block" "exports" {
  host    = "f0"
  path    = "/etc/exports"
  name    = "nfs"
  content = %[3]q
}

import {
  to = f3s_package.zrepl_f0
  id = "f0:zrepl"
}
import {
  to = f3s_package.zrepl_f1
  id = "f1:zrepl"
}

import {
  to = f3s_zrepl_config.f0
  id = "f0"
}
import {
  to = f3s_zrepl_config.f1
  id = "f1"
}
%[4]s

import {
  to = f3s_service.zrepl_f0
  id = "f0:zrepl"
}
import {
  to = f3s_service.zrepl_f1
  id = "f1:zrepl"
}
`, key, vip, exports, zreplArticleHCL("1m")+zreplServicesHCL)

	// What the first apply may do: import, and create the two blocks.
	onlyImports := []plancheck.PlanCheck{
		plancheck.ExpectResourceAction("f3s_file_block.vip", plancheck.ResourceActionCreate),
		plancheck.ExpectResourceAction("f3s_file_block.exports", plancheck.ResourceActionCreate),
	}
	for _, a := range []string{"f3s_zfs_key.zdata", "f3s_zpool.zdata_f0", "f3s_zpool.zdata_f1", "f3s_zfs_dataset.enc",
		"f3s_zfs_dataset.nfsdata", "f3s_zfs_dataset.sink", "f3s_sysrc.zfskeys_enable", "f3s_sysrc.zfskeys_datasets",
		"f3s_package.zrepl_f0", "f3s_package.zrepl_f1", "f3s_zrepl_config.f0", "f3s_zrepl_config.f1",
		"f3s_service.zrepl_f0", "f3s_service.zrepl_f1"} {
		onlyImports = append(onlyImports, plancheck.ExpectResourceAction(a, plancheck.ResourceActionNoop))
	}
	cleanup := strings.ReplaceAll(strings.NewReplacer(
		`  keyformat   = "raw"`, "  keyformat   = \"raw\"\n  deletion_protection = false",
		// zrepl's snapshots and received copies go with them.
		`  mountpoint = "/data/nfs"`, "  mountpoint = \"/data/nfs\"\n  deletion_protection = false\n  force_destroy = true",
		`  name = "zdata/sink"`, "  name = \"zdata/sink\"\n  deletion_protection = false\n  force_destroy = true",
		`  vdevs      = [{`, "  force_destroy = true\n  vdevs      = [{",
	).Replace(cfg), `state      = "running"`, `state      = "stopped"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             onlyImports,
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					hostCheck(func() error {
						for _, h := range []string{"f0", "f1"} {
							if got := snapshot(h); got != before[h] {
								return fmt.Errorf("%s changed by the adoption:\n%s\nbefore:\n%s", h, got, before[h])
							}
						}
						return nil
					}),
					expectHostText(t, l, "f0", "/etc/hosts", func() string {
						return strings.Replace(hostsBefore, vip+"\n", "# BEGIN f3s:f3s-storage-ha\n"+vip+"\n# END f3s:f3s-storage-ha\n", 1)
					}),
					expectHostText(t, l, "f0", "/etc/exports", func() string { return "# BEGIN f3s:nfs\n" + exports + "# END f3s:nfs\n" }),
					expectFile(t, l, "f0", "/data/nfs/data.txt", "precious\n"),
					pid0.expect(false),
				),
			},
			{
				// Terraform must not destroy what it adopted: forget it
				// instead (removed blocks), as the guide's last section
				// shows. Here the test's own clean-up: protection off, and
				// zrepl stopped so that its holds can go.
				Config: cleanup,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig: func() {
					for _, h := range []string{"f0", "f1"} {
						mustExec(t, l, h, "for s in $(zfs list -H -t snapshot -o name -r zdata); do "+
							"for h in $(zfs holds -H $s | cut -f2); do zfs release $h $s; done; done")
					}
				},
				Config:   cleanup,
				PlanOnly: true,
			},
		},
	})
}
