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

const failbackScript = "/usr/local/bin/carp-auto-failback.sh"

func cronJobConfig(provider, schedule, command string) string {
	return provider + fmt.Sprintf(`
resource "f3s_cron_job" "failback" {
  host     = "f0"
  name     = "carp-auto-failback"
  schedule = %q
  command  = %q
}
`, schedule, command)
}

// expectCrontab checks crontab -l of root on f0; "" means no crontab.
func expectCrontab(t *testing.T, l *lab.Lab, want func() string) resource.TestCheckFunc {
	return hostCheck(func() error {
		out, stderr, code, err := l.Exec("f0", "crontab -l")
		if err != nil {
			return err
		}
		if w := want(); w == "" {
			if code != 1 || !strings.Contains(stderr, "no crontab for root") {
				return fmt.Errorf("root has a crontab (exit %d):\n%s", code, out)
			}
			return nil
		}
		if code != 0 || out != want() {
			return fmt.Errorf("crontab -l (exit %d %s):\n%s\nwant:\n%s", code, stderr, out, want())
		}
		return nil
	})
}

// TestAccCronJobResource starts without a crontab: destroy leaves none.
func TestAccCronJobResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	addr := "f3s_cron_job.failback"
	entry := func(schedule, command string) func() string {
		return func() string { return "# f3s:carp-auto-failback\n" + schedule + " " + command + "\n" }
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cronJobConfig(provider, "* * * * *", failbackScript),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:root:carp-auto-failback")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("user"), knownvalue.StringExact("root")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectCrontab(t, l, entry("* * * * *", failbackScript)),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "f0:root:carp-auto-failback",
				ImportStateVerify: true,
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "f0:carp-auto-failback",
				ImportStateVerify: true,
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "f0:root:bad name",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:USER:NAME"),
			},
			{
				// Schedule and command change in place; the spacing of the
				// schedule is the user's.
				Config: cronJobConfig(provider, "*/2  * * * *", failbackScript+" --quiet"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectCrontab(t, l, entry("*/2 * * * *", failbackScript+" --quiet")),
			},
			{
				// Drift: the entry edited on the host.
				PreConfig: func() {
					mustExec(t, l, "f0", "crontab -l | sed 's|^\\*/2 |0 |' | crontab -")
				},
				Config: cronJobConfig(provider, "*/2  * * * *", failbackScript+" --quiet"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: expectCrontab(t, l, entry("*/2 * * * *", failbackScript+" --quiet")),
			},
			{
				// Drift: the crontab removed.
				PreConfig: func() { mustExec(t, l, "f0", "crontab -r") },
				Config:    cronJobConfig(provider, "*/2  * * * *", failbackScript+" --quiet"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: expectCrontab(t, l, entry("*/2 * * * *", failbackScript+" --quiet")),
			},
		},
		CheckDestroy: expectCrontab(t, l, func() string { return "" }),
	})
}

// TestAccCronJobResourceShared: other entries of the crontab stay, and it
// stays when the job goes.
func TestAccCronJobResourceShared(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	const others = "MAILTO=root\n# nightly scrub\n0 3 * * 0 /sbin/zpool scrub zroot\n"
	config := provider + `
resource "f3s_cron_job" "failback" {
  host     = "f0"
  name     = "carp-auto-failback"
  schedule = "* * * * *"
  command  = "/usr/local/bin/carp-auto-failback.sh"
}

resource "f3s_cron_job" "reboot" {
  host     = "f0"
  name     = "at-boot"
  schedule = "@reboot"
  command  = "/usr/local/bin/at-boot.sh"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		PreCheck:                 func() { mustExec(t, l, "f0", "printf '"+strings.ReplaceAll(others, "\n", "\\n")+"' | crontab -") },
		Steps: []resource.TestStep{{
			Config: config,
			Check: hostCheck(func() error {
				out := mustExec(t, l, "f0", "crontab -l")
				if !strings.HasPrefix(out, others) ||
					!strings.Contains(out, "# f3s:carp-auto-failback\n* * * * * "+failbackScript+"\n") ||
					!strings.Contains(out, "# f3s:at-boot\n@reboot /usr/local/bin/at-boot.sh\n") {
					return fmt.Errorf("crontab -l:\n%s", out)
				}
				return nil
			}),
		}},
		CheckDestroy: expectCrontab(t, l, func() string { return others }),
	})
}

func TestAccCronJobResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	tests := []struct {
		hostName, body string
		want           *regexp.Regexp
	}{
		{"f0", `name = "a"
  schedule = "61 * * * *"
  command = "x"`, errorMatching("Invalid Schedule", "schedule", "minute", "out of range 0-59")},
		{"f0", `name = "a"
  schedule = "* * * *"
  command = "x"`, errorMatching("Invalid Schedule", "4 fields")},
		{"f0", `name = "a"
  schedule = "@sometimes"
  command = "x"`, errorMatching("Invalid Schedule", "not a cron schedule word")},
		{"f0", `name = "a b"
  schedule = "@daily"
  command = "x"`, errorMatching("Invalid Cron Job Name", "name")},
		{"f0", `name = "a"
  user = "0day"
  schedule = "@daily"
  command = "x"`, errorMatching("Invalid User", "user")},
		{"f0", `name = "a"
  schedule = "@daily"
  command = "a\nb"`, errorMatching("Invalid Command", "single line")},
		{"r0", `name = "a"
  schedule = "@every_second"
  command = "x"`, errorMatching("Invalid Schedule", "FreeBSD's cron only")},
		// The lab's Rocky host has no crontab(1) (see the report to the lead):
		// the plan fails, naming the package to install.
		{"r0", `name = "a"
  schedule = "@daily"
  command = "x"`, errorMatching("Crontab Not Available", `host "r0"`, "cronie")},
	}
	steps := make([]resource.TestStep, len(tests))
	for i, tt := range tests {
		steps[i] = resource.TestStep{
			Config:      provider + fmt.Sprintf("resource \"f3s_cron_job\" \"bad\" {\n  host = %q\n  %s\n}\n", tt.hostName, tt.body),
			PlanOnly:    true,
			ExpectError: tt.want,
		}
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

func TestParseCronJobID(t *testing.T) {
	tests := []struct {
		id, host, user, name string
		ok                   bool
	}{
		{"f0:root:carp-auto-failback", "f0", "root", "carp-auto-failback", true},
		{"f0:carp-auto-failback", "f0", "root", "carp-auto-failback", true},
		{"f0:paul:x", "f0", "paul", "x", true},
		{"f0", "", "", "", false},
		{"f0:", "", "", "", false},
		{":root:x", "", "", "", false},
		{"f0:root:a b", "", "", "", false},
		{"f0:0:x", "", "", "", false},
		{"f0:root:x:y", "", "", "", false},
	}
	for _, tt := range tests {
		h, u, n, ok := parseCronJobID(tt.id)
		if h != tt.host || u != tt.user || n != tt.name || ok != tt.ok {
			t.Errorf("parseCronJobID(%q) = %q, %q, %q, %v", tt.id, h, u, n, ok)
		}
	}
}
