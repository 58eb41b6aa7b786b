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

func serviceConfig(provider, hostName, name string, enabled bool, state, trigger string) string {
	config := ""
	if name == "zrepl" {
		config = zreplConfigFile
	}
	dependsOn := ""
	if config != "" {
		dependsOn = "\n  depends_on = [f3s_file.config]"
	}
	return provider + config + fmt.Sprintf(`
resource "f3s_package" "pkg" {
  host = %[1]q
  name = %[2]q
}

resource "f3s_service" "svc" {
  host     = %[1]q
  name     = f3s_package.pkg.name
  enabled  = %[3]v
  state    = %[4]q
  triggers = { config = %[5]q }%[6]s
}
`, hostName, name, enabled, state, trigger, dependsOn)
}

// zreplConfigFile gives zrepl a configuration: the port's sample zrepl.yml
// has no jobs, so zrepl refuses to start with it, as on a real host.
const zreplConfigFile = `
resource "f3s_file" "config" {
  host    = f3s_package.pkg.host
  path    = "/usr/local/etc/zrepl/zrepl.yml"
  content = <<-EOT
    jobs:
      - name: snap
        type: snap
        filesystems: {"zroot/home": true}
        snapshotting: {type: manual}
        pruning:
          keep: [{type: last_n, count: 10}]
  EOT
}
`

// expectExit checks a command's exit status on a lab host.
func expectExit(t *testing.T, l *lab.Lab, hostName, script string, want int) resource.TestCheckFunc {
	return hostCheck(func() error {
		if out, code := execOnHost(t, l, hostName, script); code != want {
			return fmt.Errorf("%s: %q exited %d, want %d: %s", hostName, script, code, want, out)
		}
		return nil
	})
}

// pidTracker remembers a service's pid to tell whether it was restarted.
type pidTracker struct {
	t        *testing.T
	l        *lab.Lab
	hostName string
	script   string // prints the pid
	last     string
}

func (p *pidTracker) record() {
	p.last = strings.TrimSpace(mustExec(p.t, p.l, p.hostName, p.script))
}

func (p *pidTracker) expect(changed bool) resource.TestCheckFunc {
	return hostCheck(func() error {
		now := strings.TrimSpace(mustExec(p.t, p.l, p.hostName, p.script))
		if (now != p.last) != changed || now == "" {
			return fmt.Errorf("pid %q, before %q: want changed=%v", now, p.last, changed)
		}
		return nil
	})
}

func TestAccServiceResourceFreeBSD(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	rcBefore := mustExec(t, l, "f0", "cat /etc/rc.conf")
	pid := &pidTracker{t: t, l: l, hostName: "f0", script: "cat /var/run/zrepl/daemon.pid"}
	const addr = "f3s_service.svc"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: serviceConfig(provider, "f0", "zrepl", true, "running", "v1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:zrepl")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("state"), knownvalue.StringExact("running")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rcvar"), knownvalue.StringExact("zrepl_enable")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("unit"), knownvalue.Null()),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "f0", "service zrepl status", 0),
					expectExit(t, l, "f0", `[ "$(sysrc -n zrepl_enable)" = YES ]`, 0),
				),
			},
			{
				ResourceName:                         addr,
				ImportState:                          true,
				ImportStateId:                        "f0:zrepl",
				ImportStateVerify:                    true,
				ImportStateVerifyIgnore:              []string{"triggers", "preexisting"}, // an imported service was there before
				ImportStateVerifyIdentifierAttribute: "id",
			},
			{
				// Changed triggers restart the running daemon.
				PreConfig: pid.record,
				Config:    serviceConfig(provider, "f0", "zrepl", true, "running", "v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: pid.expect(true),
			},
			{
				Config: serviceConfig(provider, "f0", "zrepl", false, "stopped", "v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "f0", "service zrepl status", 1),
					expectExit(t, l, "f0", `grep -qx 'zrepl_enable="NO"' /etc/rc.conf`, 0),
				),
			},
			{
				// Drift: started by hand.
				PreConfig: func() { mustExec(t, l, "f0", "service zrepl onestart") },
				Config:    serviceConfig(provider, "f0", "zrepl", false, "stopped", "v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: expectExit(t, l, "f0", "service zrepl status", 1),
			},
			{
				Config: serviceConfig(provider, "f0", "zrepl", true, "running", "v2"),
				Check:  expectExit(t, l, "f0", "service zrepl status", 0),
			},
			{
				// Drift: stopped and its rcvar removed by hand.
				PreConfig: func() { mustExec(t, l, "f0", "service zrepl onestop && sysrc -x zrepl_enable") },
				Config:    serviceConfig(provider, "f0", "zrepl", true, "running", "v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "f0", "service zrepl status", 0),
					expectExit(t, l, "f0", "service zrepl enabled", 0),
				),
			},
			{
				// state unset: triggers still restart a running service.
				PreConfig: pid.record,
				Config: provider + zreplConfigFile + `
resource "f3s_package" "pkg" {
  host = "f0"
  name = "zrepl"
}

resource "f3s_service" "svc" {
  host       = "f0"
  name       = f3s_package.pkg.name
  triggers   = { config = "v3" }
  depends_on = [f3s_file.config]
}
`,
				Check: pid.expect(true),
			},
		},
		// The package is gone and rc.conf is as it was.
		CheckDestroy: hostCheck(func() error {
			if out, code := execOnHost(t, l, "f0", "pkg info -e zrepl"); code != 1 {
				return fmt.Errorf("zrepl still installed after destroy (%d): %s", code, out)
			}
			if after := mustExec(t, l, "f0", "cat /etc/rc.conf"); after != rcBefore {
				return fmt.Errorf("/etc/rc.conf after destroy:\n%s\nbefore:\n%s", after, rcBefore)
			}
			return nil
		}),
	})
}

func TestAccServiceResourceRocky(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accR0)
	pid := &pidTracker{t: t, l: l, hostName: "r0", script: "systemctl show -p MainPID rpcbind.service"}
	const addr = "f3s_service.svc"
	packageOnly := provider + `
resource "f3s_package" "pkg" {
  host = "r0"
  name = "rpcbind"
}
`

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: serviceConfig(provider, "r0", "rpcbind", true, "running", "v1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("r0:rpcbind")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("unit"), knownvalue.StringExact("rpcbind.service")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rcvar"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("state"), knownvalue.StringExact("running")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "r0", "systemctl is-active rpcbind", 0),
					expectExit(t, l, "r0", "systemctl is-enabled rpcbind", 0),
				),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           "r0:rpcbind",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"triggers", "preexisting"},
			},
			{
				PreConfig: pid.record,
				Config:    serviceConfig(provider, "r0", "rpcbind", true, "running", "v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: pid.expect(true),
			},
			{
				// Drift: stopped and disabled by hand.
				PreConfig: func() { mustExec(t, l, "r0", "systemctl stop rpcbind && systemctl disable rpcbind") },
				Config:    serviceConfig(provider, "r0", "rpcbind", true, "running", "v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "r0", "systemctl is-active rpcbind", 0),
					expectExit(t, l, "r0", "systemctl is-enabled rpcbind", 0),
				),
			},
			{
				// rpcbind's package enables and starts it (Rocky's presets),
				// so the resource found it up: preexisting. keep_on_destroy
				// = false has its destroy stop and disable it all the same.
				Config: strings.Replace(serviceConfig(provider, "r0", "rpcbind", true, "running", "v2"),
					"triggers =", "keep_on_destroy = false\n  triggers =", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("preexisting"), knownvalue.Bool(true)),
				},
			},
			{
				// Removing the service resource stops and disables the unit.
				Config: packageOnly,
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "r0", "systemctl is-active rpcbind", 3),
					expectExit(t, l, "r0", "systemctl is-enabled rpcbind", 1),
				),
			},
		},
		CheckDestroy: expectExit(t, l, "r0", "rpm -q rpcbind", 1),
	})
}

func TestAccServiceResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct {
		name, body string
		planOnly   bool
		want       []string
	}{
		{"name", `name = "-zrepl"`, true, []string{"Invalid Service Name", "name", `"-zrepl" is not a service name`}},
		{"state", `name = "zrepl"
  state = "started"`, true, []string{"state", `value must be one of: ["running" "stopped"]`}},
		{"missing service", `name = "nosuch"`, false, []string{"Unable to Configure Service", `there is no service "nosuch"`, "nosuch does not exist in /etc/rc.d"}},
		{"no status command", `name = "zfs"
  state = "running"`, false, []string{"Unable to Configure Service", "service zfs has no status command", "leave state unset"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      provider + "resource \"f3s_service\" \"bad\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
					PlanOnly:    tt.planOnly,
					ExpectError: errorMatching(tt.want...),
				}},
			})
		})
	}
}

// TestAccServicePreexisting: a service that was enabled and running before
// the resource stays so when the resource is destroyed.
func TestAccServicePreexisting(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accR0)
	mustExec(t, l, "r0", "dnf install -y rpcbind && systemctl enable --now rpcbind")
	const addr = "f3s_service.svc"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: serviceConfig(provider, "r0", "rpcbind", true, "running", "v1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("preexisting"), knownvalue.Bool(true)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Removed from the configuration: forgotten, still up.
				Config: provider,
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "r0", "systemctl is-active rpcbind", 0),
					expectExit(t, l, "r0", "systemctl is-enabled rpcbind", 0),
				),
			},
		},
	})
}
