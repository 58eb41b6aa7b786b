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

const systemdUnitAddr = "f3s_systemd_unit.timer"

// systemdUnitConfig: extra is the timer's state line.
func systemdUnitConfig(provider, message, extra string) string {
	if extra == "" {
		extra = `state = "running"`
	}
	return provider + fmt.Sprintf(`
resource "f3s_systemd_unit" "service" {
  host    = "r0"
  name    = "hello.service"
  content = <<-EOT
    [Unit]
    Description=Say hello

    [Service]
    Type=oneshot
    ExecStart=/usr/bin/logger -t hello %s
  EOT
}

resource "f3s_systemd_unit" "timer" {
  host    = "r0"
  name    = "hello.timer"
  content = <<-EOT
    [Unit]
    Description=Say hello every minute

    [Timer]
    OnUnitActiveSec=1min

    [Install]
    WantedBy=timers.target
  EOT
  %s

  depends_on = [f3s_systemd_unit.service]
}
`, message, extra)
}

// daemonReloads counts systemd's reloads in r0's journal.
func daemonReloads(t *testing.T, l *lab.Lab) int {
	out, _ := execOnHost(t, l, "r0", "journalctl -u init.scope; journalctl -t systemd")
	return strings.Count(out, "Reloading")
}

func TestAccSystemdUnit(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accR0)
	config := systemdUnitConfig(provider, "hello", "")
	reloads := 0
	countReloads := func(want int) resource.TestCheckFunc {
		return hostCheck(func() error {
			n := daemonReloads(t, l)
			if n-reloads != want {
				return fmt.Errorf("%d daemon-reloads since the last step, want %d", n-reloads, want)
			}
			reloads = n
			return nil
		})
	}
	update := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(systemdUnitAddr, plancheck.ResourceActionUpdate)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// The connection drops right after the timer's enable ran.
				PreConfig:   func() { l.Faults("r0").DropConnectionOnCommand("enable hello.timer") },
				Config:      config,
				ExpectError: errorMatching("Unable to Install Systemd Unit"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(systemdUnitAddr, tfjsonpath.New("path"), knownvalue.StringExact("/etc/systemd/system/hello.timer")),
					statecheck.ExpectKnownValue(systemdUnitAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(systemdUnitAddr, tfjsonpath.New("state"), knownvalue.StringExact("running")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "r0", "systemctl is-active hello.timer && systemctl is-enabled hello.timer", 0),
					expectExit(t, l, "r0", "grep -qx 'ExecStart=/usr/bin/logger -t hello hello' /etc/systemd/system/hello.service", 0),
					hostCheck(func() error { reloads = daemonReloads(t, l); return nil }),
				),
			},
			{ResourceName: systemdUnitAddr, ImportState: true, ImportStateId: "r0:hello.timer", ImportStateVerify: true},
			{
				// Nothing changed: no daemon-reload.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            countReloads(0),
			},
			{
				// In place: the service's file changes (one reload); the
				// timer is stopped.
				Config: systemdUnitConfig(provider, "again", `state = "stopped"`),
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "r0", "grep -qx 'ExecStart=/usr/bin/logger -t hello again' /etc/systemd/system/hello.service", 0),
					expectExit(t, l, "r0", "systemctl is-active hello.timer", 3),
					countReloads(1),
				),
			},
			{
				// Drift: the timer's file edited and the timer disabled by hand.
				PreConfig: func() {
					mustExec(t, l, "r0", "sed -i 's/1min/5min/' /etc/systemd/system/hello.timer && systemctl disable hello.timer 2>/dev/null")
				},
				Config:           systemdUnitConfig(provider, "again", `state = "stopped"`),
				ConfigPlanChecks: update,
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "r0", "grep -qx 'OnUnitActiveSec=1min' /etc/systemd/system/hello.timer && systemctl is-enabled hello.timer", 0),
				),
			},
			{
				// Drift: the file removed: created again.
				PreConfig: func() { mustExec(t, l, "r0", "rm /etc/systemd/system/hello.timer && systemctl daemon-reload") },
				Config:    systemdUnitConfig(provider, "again", `state = "stopped"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(systemdUnitAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectNoHostFile(t, l, "r0", "/etc/systemd/system/hello.timer", "/etc/systemd/system/hello.service", "/etc/systemd/system/timers.target.wants/hello.timer"),
		),
	})
}

func TestAccSystemdUnitInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	for _, c := range []struct{ config, want string }{
		{`resource "f3s_systemd_unit" "x" {
  host    = "r0"
  name    = "hello"
  content = "[Unit]\n"
}`, "Invalid Unit Name"},
		{`resource "f3s_systemd_unit" "x" {
  host    = "r0"
  name    = "-x.service"
  content = "[Unit]\n"
}`, "Invalid Unit Name"},
		{`resource "f3s_systemd_unit" "x" {
  host    = "r0"
  name    = "x.service"
  content = "[Unit]\n"
  state   = "started"
}`, "state"},
		{`resource "f3s_systemd_unit" "x" {
  host    = "f0"
  name    = "x.service"
  content = "[Unit]\n"
}`, "Unsupported Operating System"},
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps:                    []resource.TestStep{{Config: provider + c.config, PlanOnly: true, ExpectError: errorMatching(c.want)}},
		})
	}
}
