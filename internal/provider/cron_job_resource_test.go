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

func cronJobConfig(provider, hostName, schedule, command string) string {
	return provider + fmt.Sprintf(`
resource "f3s_cron_job" "failback" {
  host     = %q
  name     = "carp-auto-failback"
  schedule = %q
  command  = %q
}
`, hostName, schedule, command)
}

// expectCrontab checks crontab -l of root on the host; "" means no crontab
// (FreeBSD says "crontab: no crontab for root", cronie the same without the
// prefix).
func expectCrontab(t *testing.T, l *lab.Lab, hostName string, want func() string) resource.TestCheckFunc {
	return hostCheck(func() error {
		out, stderr, code, err := l.Exec(hostName, "crontab -l")
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

// TestAccCronJobResource starts without a crontab: destroy leaves none. It
// runs on FreeBSD's crontab and on Rocky's (cronie).
func TestAccCronJobResource(t *testing.T) {
	t.Parallel()
	for _, h := range []labHost{accF0, accR0} {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			testAccCronJobResource(t, h)
		})
	}
}

func testAccCronJobResource(t *testing.T, h labHost) {
	l, provider := testAccLab(t, h)
	addr := "f3s_cron_job.failback"
	entry := func(schedule, command string) func() string {
		return func() string { return "# f3s:carp-auto-failback\n" + schedule + " " + command + "\n" }
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cronJobConfig(provider, h.name, "* * * * *", failbackScript),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(h.name+":root:carp-auto-failback")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("user"), knownvalue.StringExact("root")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectCrontab(t, l, h.name, entry("* * * * *", failbackScript)),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     h.name + ":root:carp-auto-failback",
				ImportStateVerify: true,
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     h.name + ":carp-auto-failback",
				ImportStateVerify: true,
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: h.name + ":root:bad name",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:USER:NAME"),
			},
			{
				// Schedule and command change in place; the spacing of the
				// schedule is the user's.
				Config: cronJobConfig(provider, h.name, "*/2  * * * *", failbackScript+" --quiet"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectCrontab(t, l, h.name, entry("*/2 * * * *", failbackScript+" --quiet")),
			},
			{
				// Drift: the entry edited on the host.
				PreConfig: func() {
					mustExec(t, l, h.name, "crontab -l | sed 's|^\\*/2 |0 |' | crontab -")
				},
				Config: cronJobConfig(provider, h.name, "*/2  * * * *", failbackScript+" --quiet"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: expectCrontab(t, l, h.name, entry("*/2 * * * *", failbackScript+" --quiet")),
			},
			{
				// Drift: the crontab removed.
				PreConfig: func() { mustExec(t, l, h.name, "crontab -r") },
				Config:    cronJobConfig(provider, h.name, "*/2  * * * *", failbackScript+" --quiet"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: expectCrontab(t, l, h.name, entry("*/2 * * * *", failbackScript+" --quiet")),
			},
		},
		CheckDestroy: expectCrontab(t, l, h.name, func() string { return "" }),
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
		CheckDestroy: expectCrontab(t, l, "f0", func() string { return others }),
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
  user = "-u"
  schedule = "@daily"
  command = "x"`, errorMatching("Invalid User", "user", `"-u" is not a user name`)},
		{"f0", `name = "a"
  schedule = "@daily"
  command = "a\nb"`, errorMatching("Invalid Command", "single line")},
		{"r0", `name = "a"
  schedule = "@every_second"
  command = "x"`, errorMatching("Invalid Schedule", "FreeBSD's cron only")},
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

// TestAccCronJobResourceNoCrontab: on a Rocky host without cronie's
// crontab the plan fails, naming the package to install.
func TestAccCronJobResourceNoCrontab(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accR0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				mustExec(t, l, "r0", "rm -f /usr/bin/crontab")
				if _, _, code, err := l.Exec("r0", "command -v crontab"); err != nil || code == 0 {
					t.Fatalf("crontab still on r0 (exit %d, %v)", code, err)
				}
			},
			Config:      cronJobConfig(provider, "r0", "@daily", "x"),
			PlanOnly:    true,
			ExpectError: errorMatching("Crontab Not Available", `host "r0"`, "cronie"),
		}},
	})
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
