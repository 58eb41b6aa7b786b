package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// The devd rule of the article (reference §6.5), as f3s_file writes it.
const carpConf = `notify 0 {
        match "system"          "CARP";
        match "subsystem"       "[0-9]+@[0-9a-z.]+";
        match "type"            "(MASTER|BACKUP)";
        action "/usr/local/bin/carpcontrol.sh $type";
};
`

// fileStatArgs is stat(1)'s "MODE OWNER GROUP" format per lab host.
var fileStatArgs = map[string]string{"f0": "-f '%Lp %Su %Sg'", "r0": "-c '%a %U %G'"}

// expectHostFile checks a file's text and "MODE OWNER GROUP" on the host.
func expectHostFile(t *testing.T, l *lab.Lab, hostName, p, content, stat string) resource.TestCheckFunc {
	return hostCheck(func() error {
		got, code := execOnHost(t, l, hostName, "cat "+p)
		if code != 0 || got != content {
			return fmt.Errorf("%s on %s: exit %d, content %q, want %q", p, hostName, code, got, content)
		}
		if st := strings.TrimSpace(mustExec(t, l, hostName, "stat "+fileStatArgs[hostName]+" "+p)); st != stat {
			return fmt.Errorf("%s on %s is %q, want %q", p, hostName, st, stat)
		}
		return nil
	})
}

func expectNoHostFile(t *testing.T, l *lab.Lab, hostName string, paths ...string) resource.TestCheckFunc {
	return hostCheck(func() error {
		for _, p := range paths {
			if out, code := execOnHost(t, l, hostName, "ls -d "+p); code == 0 {
				return fmt.Errorf("%s is still on %s: %s", p, hostName, out)
			}
		}
		return nil
	})
}

func fileConfig(provider, hostName, p, content, mode string) string {
	return provider + fmt.Sprintf(`
resource "f3s_file" "conf" {
  host    = %q
  path    = %q
  content = %q
  mode    = %q
}
`, hostName, p, content, mode)
}

func TestAccFileResource(t *testing.T) {
	t.Parallel()
	for _, h := range accHosts {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			testAccFileResource(t, h)
		})
	}
}

func testAccFileResource(t *testing.T, h labHost) {
	l, provider := testAccLab(t, h)
	group := map[string]string{"f0": "wheel", "r0": "root"}[h.name]
	// The directory does not exist yet on either host.
	p := "/usr/local/etc/f3s-devd/carp.conf"
	p2 := "/usr/local/etc/f3s-devd/carp2.conf"
	changed := strings.Replace(carpConf, "notify 0", "notify 10", 1)
	addr := "f3s_file.conf"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fileConfig(provider, h.name, p, carpConf, "0640"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(h.name+":"+p)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sha256"), knownvalue.StringExact(file.Hash([]byte(carpConf)))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("size"), knownvalue.Int64Exact(int64(len(carpConf)))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("owner"), knownvalue.StringExact("root")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("group"), knownvalue.StringExact(group)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("mode"), knownvalue.StringExact("0640")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("directory_mode"), knownvalue.StringExact("0755")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectHostFile(t, l, h.name, p, carpConf, "640 root "+group),
			},
			{
				// The import reads no content: it may be secret.
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           h.name + ":" + p,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"content", "preexisting"}, // an imported file was there before
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: h.name + ":etc/hosts",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:PATH"),
			},
			{
				// Content and mode change in place; "644" means 0644.
				Config: fileConfig(provider, h.name, p, changed, "644"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("sha256"), knownvalue.StringExact(file.Hash([]byte(changed)))),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("mode"), knownvalue.StringExact("644")),
				},
				Check: expectHostFile(t, l, h.name, p, changed, "644 root "+group),
			},
			{
				// Drift: content edited on the host.
				PreConfig: func() { mustExec(t, l, h.name, "echo '# local edit' >> "+p) },
				Config:    fileConfig(provider, h.name, p, changed, "644"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: expectHostFile(t, l, h.name, p, changed, "644 root "+group),
			},
			{
				// Drift: mode and owner changed on the host.
				PreConfig: func() { mustExec(t, l, h.name, "chmod 0600 "+p+" && chown paul "+p) },
				Config:    fileConfig(provider, h.name, p, changed, "644"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: expectHostFile(t, l, h.name, p, changed, "644 root "+group),
			},
			{
				// Drift: the file deleted on the host.
				PreConfig: func() { mustExec(t, l, h.name, "rm "+p) },
				Config:    fileConfig(provider, h.name, p, changed, "644"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: expectHostFile(t, l, h.name, p, changed, "644 root "+group),
			},
			{
				// A new path is a new file: the old one goes.
				Config: fileConfig(provider, h.name, p2, changed, "644"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				Check: resource.ComposeTestCheckFunc(
					expectHostFile(t, l, h.name, p2, changed, "644 root "+group),
					expectNoHostFile(t, l, h.name, p),
				),
			},
		},
		CheckDestroy: expectNoHostFile(t, l, h.name, p, p2),
	})
}

// expectNoSecret fails when secret appears anywhere in the plan or state
// that `terraform show -json` gives.
type expectNoSecret struct{ secret string }

func (e expectNoSecret) scan(what string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	// The secret's text without its surrounding whitespace: a trailing
	// newline is escaped in JSON, so the whole secret would never match.
	if strings.Contains(string(b), strings.TrimSpace(e.secret)) {
		return fmt.Errorf("the write-only content appears in the %s", what)
	}
	return nil
}

// CheckPlan scans everything in the plan but the configuration: the plan
// JSON repeats the configuration's literal expressions, and a literal
// write-only value there is what the user wrote, not what Terraform kept.
func (e expectNoSecret) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	plan := *req.Plan
	plan.Config = nil
	resp.Error = e.scan("plan", plan)
}

func (e expectNoSecret) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = e.scan("state", req.State)
}

// checkNoSecretAttribute scans every attribute of every resource in the
// state the test framework holds.
func checkNoSecretAttribute(secret string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, m := range s.Modules {
			for addr, rs := range m.Resources {
				for k, v := range rs.Primary.Attributes {
					if strings.Contains(v, secret) {
						return fmt.Errorf("%s.%s holds the write-only content", addr, k)
					}
				}
			}
		}
		return nil
	}
}

func fileWOConfig(provider, secret string, version int) string {
	return provider + fmt.Sprintf(`
resource "f3s_file" "secret" {
  host               = "f0"
  path               = "/usr/local/etc/stunnel/psk.txt"
  content_wo         = %q
  content_wo_version = %d
  mode               = "0400"
}
`, secret, version)
}

func TestAccFileResourceWriteOnly(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	const p = "/usr/local/etc/stunnel/psk.txt"
	secrets := []string{"client1:c2VjcmV0LW9uZS1mM3M=\n", "client1:c2VjcmV0LXR3by1mM3M=\n", "client1:c2VjcmV0LXRocmVlLWYz\n"}
	addr := "f3s_file.secret"
	step := func(secret string, version int, action plancheck.ResourceActionType) resource.TestStep {
		var preApply []plancheck.PlanCheck
		if action != "" {
			preApply = append(preApply, plancheck.ExpectResourceAction(addr, action))
		}
		preApply = append(preApply, expectNoSecret{secret})
		return resource.TestStep{
			Config: fileWOConfig(provider, secret, version),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             preApply,
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), expectNoSecret{secret}},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				expectNoSecret{secret},
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("sha256"), knownvalue.StringExact(file.Hash([]byte(secret)))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("content_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("content"), knownvalue.Null()),
			},
			Check: resource.ComposeTestCheckFunc(
				checkNoSecretAttribute(strings.TrimSpace(secret)),
				expectHostFile(t, l, "f0", p, secret, "400 root wheel"),
			),
		}
	}
	drift := step(secrets[1], 2, plancheck.ResourceActionUpdate)
	drift.PreConfig = func() { mustExec(t, l, "f0", "echo tampered > "+p) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			step(secrets[0], 1, plancheck.ResourceActionCreate),
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           "f0:" + p,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"content_wo_version", "preexisting"},
			},
			// A new version writes the new value.
			step(secrets[1], 2, plancheck.ResourceActionUpdate),
			drift,
			// A new value without a new version is written too: its hash differs.
			step(secrets[2], 2, plancheck.ResourceActionUpdate),
		},
		CheckDestroy: expectNoHostFile(t, l, "f0", p),
	})
}

func TestAccFileResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"relative path", `path = "etc/hosts"
  content = "x"`, errorMatching("Invalid Path", "path", "not absolute")},
		{"dot-dot path", `path = "/etc/../hosts"
  content = "x"`, errorMatching("Invalid Path", `".." component`)},
		{"directory path", `path = "/etc/"
  content = "x"`, errorMatching("Invalid Path", "names a directory")},
		{"bad mode", `path = "/etc/x"
  content = "x"
  mode = "0999"`, errorMatching("Invalid Mode", "mode", "digits 0-7")},
		{"setuid mode", `path = "/etc/x"
  content = "x"
  mode = "4755"`, errorMatching("Invalid Mode", "setuid")},
		{"bad directory mode", `path = "/etc/x"
  content = "x"
  directory_mode = "rwx"`, errorMatching("Invalid Mode", "directory_mode")},
		{"numeric owner", `path = "/etc/x"
  content = "x"
  owner = "0"`, errorMatching("Invalid Owner", "owner")},
		{"option-shaped group", `path = "/etc/x"
  content = "x"
  group = "-wheel"`, errorMatching("Invalid Group", "group")},
		{"both contents", `path = "/etc/x"
  content = "x"
  content_wo = "y"`, errorMatching("Invalid Attribute Combination", "content")},
		{"no content", `path = "/etc/x"`, errorMatching("Missing Attribute Configuration", "content", "content_wo")},
		{"version without content_wo", `path = "/etc/x"
  content = "x"
  content_wo_version = 1`, errorMatching("Invalid Attribute Combination", "content_wo")},
		{"unknown host", `path = "/etc/x"
  content = "x"`, errorMatching("Unknown Host", `"f9"`)},
	}
	steps := make([]resource.TestStep, len(tests))
	for i, tt := range tests {
		hostName := "f0"
		if tt.name == "unknown host" {
			hostName = "f9"
		}
		steps[i] = resource.TestStep{
			Config:      provider + fmt.Sprintf("resource \"f3s_file\" \"bad\" {\n  host = %q\n  %s\n}\n", hostName, tt.body),
			PlanOnly:    true,
			ExpectError: tt.want,
		}
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

// TestAccFilePreexisting: a file that was there before the resource stays
// when the resource is destroyed (with the content Terraform wrote), unless
// keep_on_destroy = false.
func TestAccFilePreexisting(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	const p = "/usr/local/etc/handmade.conf"
	mustExec(t, l, "f0", "echo 'by hand' > "+p)
	cfg := func(extra string) string {
		return provider + fmt.Sprintf(`
resource "f3s_file" "conf" {
  host    = "f0"
  path    = %q
  content = "by terraform\n"
%s
}
`, p, extra)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("f3s_file.conf", tfjsonpath.New("preexisting"), knownvalue.Bool(true)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: provider,
				Check:  expectHostFile(t, l, "f0", p, "by terraform\n", "644 root wheel"),
			},
			{
				Config: cfg("  keep_on_destroy = false"),
			},
			{
				Config: provider,
				Check:  expectNoHostFile(t, l, "f0", p),
			},
		},
	})
}
