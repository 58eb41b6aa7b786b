package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// TestAccCarpPasswordNotLogged runs the CARP address through create, a
// new password, a password changed on the host and an import, with
// Terraform's and the provider's logs at trace level, and scans every log
// line for the passwords. Not parallel: it sets the logging environment.
func TestAccCarpPasswordNotLogged(t *testing.T) {
	l, provider := testAccLab(t, accF0)
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	const pw1, pw2, pw3 = "logged-One", "logged-Two", "logged-Three"
	// The password comes from an ephemeral variable, as a user's would:
	// the configuration text holds no password for a log to repeat.
	hcl := func(version int) string {
		return provider + `
variable "carp_password" {
  type      = string
  ephemeral = true
  sensitive = true
}
` + strings.Replace(carpVIP{vhid: 1, address: "192.168.1.138", password: "PLACEHOLDER", version: version}.config(),
			`"PLACEHOLDER"`, "var.carp_password", 1)
	}
	vars := func(pw string) config.Variables { return config.Variables{"carp_password": config.StringVariable(pw)} }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: hcl(1), ConfigVariables: vars(pw1)},
			{Config: hcl(2), ConfigVariables: vars(pw2)},
			{
				PreConfig:       func() { mustExec(t, l, "f0", "ifconfig re0 vhid 1 pass "+pw3) },
				Config:          hcl(2),
				ConfigVariables: vars(pw2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("f3s_carp_address.vip", plancheck.ResourceActionUpdate)},
				},
			},
			{
				Config:                  hcl(2),
				ConfigVariables:         vars(pw2),
				ResourceName:            "f3s_carp_address.vip",
				ImportState:             true,
				ImportStateId:           "f0:re0:1",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password_fingerprint", "password_wo_version"},
			},
		},
	})
	logs, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil || len(logs) == 0 {
		t.Fatalf("no trace log was written in %s: %v", dir, err)
	}
	var all strings.Builder
	for _, p := range logs {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	text := all.String()
	// The scan must see what it scans: the provider's own command log and
	// Terraform's trace lines are there.
	for _, want := range []string{"ssh command", "[TRACE]", "ifconfig -k re0"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the trace logs (%d bytes) have no %q: the scan would prove nothing", len(text), want)
		}
	}
	for _, pw := range []string{pw1, pw2, pw3} {
		if i := strings.Index(text, pw); i >= 0 {
			start := max(0, strings.LastIndexByte(text[:i], '\n'))
			t.Errorf("password %q is in the trace log: %s", pw, strings.TrimSpace(text[start:min(len(text), i+200)]))
		}
	}
}
