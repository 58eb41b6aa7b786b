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

// nfsServer prepares f0 as the article has it before /etc/exports: the
// data directory is a mounted file system (here a UFS stick, so that
// -alldirs holds), a hand-written line the resources must leave alone,
// and mountd running.
func nfsServer(t *testing.T, l *lab.Lab) string {
	mustExec(t, l, "f0", "newfs /dev/da0 >/dev/null && mkdir -p /data/nfs /data/plain /data/adopt && mount /dev/da0 /data/nfs")
	const hand = "# hand-written\n/data/plain -ro 10.9.9.9\n"
	mustExec(t, l, "f0", "printf '%s' '"+hand+"' > /etc/exports && sysrc mountd_enable=YES >/dev/null && service mountd start >/dev/null")
	return hand
}

func nfsExportConfig(provider, extra string) string {
	return provider + `
resource "f3s_nfs_export" "v4" {
  host    = "f0"
  path    = "/data/nfs"
  v4_root = true
  sec     = ["sys"]
}

resource "f3s_nfs_export" "data" {
  host    = "f0"
  path    = "/data/nfs"
  alldirs = true
  maproot = "root"
  network = "127.0.0.1"
  mask    = "255.255.255.255"
  ` + extra + `
}
`
}

const articleExports = "V4: /data/nfs -sec=sys\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\n"

func TestAccNFSExportResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	hand := nfsServer(t, l)
	const addr = "f3s_nfs_export.data"
	var exportsBefore string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: nfsExportConfig(provider, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:/data/nfs")),
					statecheck.ExpectKnownValue("f3s_nfs_export.v4", tfjsonpath.New("id"), knownvalue.StringExact("f0:V4:/data/nfs")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("line"),
						knownvalue.StringExact("/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					hostCheck(func() error {
						got := mustExec(t, l, "f0", "cat /etc/exports")
						if !strings.HasPrefix(got, hand) || len(got) != len(hand)+len(articleExports) {
							return fmt.Errorf("/etc/exports:\n%s", got)
						}
						for _, line := range strings.Split(strings.TrimSpace(articleExports), "\n") {
							if !strings.Contains(got, line+"\n") {
								return fmt.Errorf("/etc/exports lacks %q:\n%s", line, got)
							}
						}
						return nil
					}),
					// mountd re-read the file: showmount lists the export.
					hostCheck(func() error {
						out := mustExec(t, l, "f0", "showmount -e")
						if !strings.Contains(out, "/data/nfs                          127.0.0.1 \n") {
							return fmt.Errorf("showmount -e:\n%s", out)
						}
						return nil
					}),
				),
			},
			{ResourceName: addr, ImportState: true, ImportStateId: "f0:/data/nfs", ImportStateVerify: true},
			{ResourceName: "f3s_nfs_export.v4", ImportState: true, ImportStateId: "f0:V4:/data/nfs", ImportStateVerify: true},
			{ResourceName: addr, ImportState: true, ImportStateId: "f0:data/nfs", ExpectError: errorMatching("Invalid Import ID", "HOST:PATH")},
			{
				// In place: the line is rewritten where it stands.
				Config: nfsExportConfig(provider, "read_only = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectExit(t, l, "f0", "grep -qx '/data/nfs -alldirs -maproot=root -ro -network 127.0.0.1 -mask 255.255.255.255' /etc/exports", 0),
			},
			{
				// Drift: the line edited by hand is seen and put back.
				PreConfig: func() {
					mustExec(t, l, "f0", "sed -i '' 's/-maproot=root -ro/-ro/' /etc/exports")
				},
				Config: nfsExportConfig(provider, "read_only = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: expectExit(t, l, "f0", "grep -qx '/data/nfs -alldirs -maproot=root -ro -network 127.0.0.1 -mask 255.255.255.255' /etc/exports", 0),
			},
			{
				// Drift: the line removed by hand is written again.
				PreConfig: func() { mustExec(t, l, "f0", "grep -v '^/data/nfs ' /etc/exports > /tmp/e; cat /tmp/e > /etc/exports") },
				Config:    nfsExportConfig(provider, "read_only = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: expectExit(t, l, "f0", "grep -c '^/data/nfs ' /etc/exports", 0),
			},
			{
				// mountd rejects -alldirs on a directory that is no mount
				// point: the apply fails with its words, the file is put back.
				PreConfig: func() { exportsBefore = mustExec(t, l, "f0", "cat /etc/exports") },
				Config: strings.Replace(nfsExportConfig(provider, "read_only = true"), `path    = "/data/nfs"
  alldirs`, `path    = "/data/plain"
  alldirs`, 1),
				ExpectError: errorMatching("Unable to Update NFS Export", "mountd rejected the line",
					"-alldirs requested but /data/plain is not a filesystem mountpoint", "previous /etc/exports was put back"),
			},
			{
				PreConfig: func() {
					if after := mustExec(t, l, "f0", "cat /etc/exports"); after != exportsBefore {
						t.Errorf("the rejected file was not restored:\n%s\nbefore:\n%s", after, exportsBefore)
					}
				},
				Config:             nfsExportConfig(provider, "read_only = true"),
				ConfigPlanChecks:   resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ExpectNonEmptyPlan: false,
			},
		},
		// Only the hand-written line is left.
		CheckDestroy: expectFile(t, l, "f0", "/etc/exports", hand),
	})
}

// TestAccNFSExportAdopt: an existing hand-written line (aliases, -opt value)
// is imported and then managed without a duplicate and without a rewrite.
func TestAccNFSExportAdopt(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	nfsServer(t, l)
	mustExec(t, l, "f0", `printf '%s\n' '/data/adopt -r root \' '    -net=10.0.0.0/8' >> /etc/exports && service mountd reload`)
	before := mustExec(t, l, "f0", "cat /etc/exports")
	config := provider + `
import {
  to = f3s_nfs_export.adopt
  id = "f0:/data/adopt"
}

resource "f3s_nfs_export" "adopt" {
  host    = "f0"
  path    = "/data/adopt"
  maproot = "root"
  network = "10.0.0.0/8"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("f3s_nfs_export.adopt", plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectFile(t, l, "f0", "/etc/exports", before),
			},
		},
	})
}

// TestAccNFSExportCreateAdopts: a create that finds its line written (by
// hand, or before a dropped connection) keeps it: no second line.
func TestAccNFSExportCreateAdopts(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	nfsServer(t, l)
	config := nfsExportConfig(provider, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// The connection drops right after the file is written.
				PreConfig:   func() { l.Faults("f0").DropConnectionOnCommand(".exports.f3s-") },
				Config:      config,
				ExpectError: errorMatching("Unable to Create NFS Export"),
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "f0", "[ $(grep -c '^/data/nfs ' /etc/exports) -eq 1 ] && [ $(grep -c '^V4: ' /etc/exports) -eq 1 ]", 0),
				),
			},
		},
	})
}

func TestAccNFSExportInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct{ name, body string }{
		{"maproot and mapall", `path = "/data/nfs"
  maproot = "root"
  mapall = "nobody"`},
		{"V4 with alldirs", `path = "/data/nfs"
  v4_root = true
  alldirs = true`},
		{"mask without network", `path = "/data/nfs"
  mask = "255.0.0.0"`},
		{"hosts and network", `path = "/data/nfs"
  hosts = ["r0"]
  network = "10.0.0.0/8"`},
		{"option as host", `path = "/data/nfs"
  hosts = ["-alldirs"]`},
		{"relative path", `path = "-data"`},
		{"sec flavor", `path = "/data/nfs"
  sec = ["ntlm"]`},
	}
	wants := [][]string{{"mutually exclusive"}, {"only -sec, -network and -mask"}, {"-mask requires -network"},
		{"network/host conflict"}, {"Invalid Host", "read as an option"}, {"Invalid Export Path", "not absolute"}, {"sec"}}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      provider + "resource \"f3s_nfs_export\" \"bad\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: errorMatching(wants[i]...),
				}},
			})
		})
	}
}
