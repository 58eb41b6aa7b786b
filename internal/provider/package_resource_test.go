package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func packageConfig(provider string, keepStunnel bool) string {
	return provider + fmt.Sprintf(`
resource "f3s_package" "zrepl" {
  host = "f0"
  name = "zrepl"
}

resource "f3s_package" "stunnel" {
  host            = "r0"
  name            = "stunnel"
  keep_on_destroy = %v
}
`, keepStunnel)
}

func TestAccPackageResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accR0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: packageConfig(provider, false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("f3s_package.zrepl", tfjsonpath.New("id"), knownvalue.StringExact("f0:zrepl")),
					statecheck.ExpectKnownValue("f3s_package.zrepl", tfjsonpath.New("version"), knownvalue.StringExact("0.6.1_1")),
					statecheck.ExpectKnownValue("f3s_package.stunnel", tfjsonpath.New("version"), knownvalue.StringExact("5.62-3.el9")),
					statecheck.ExpectKnownValue("f3s_package.stunnel", tfjsonpath.New("keep_on_destroy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("f3s_package.zrepl", tfjsonpath.New("preexisting"), knownvalue.Bool(false)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "f0", "pkg info -e zrepl", 0),
					expectExit(t, l, "r0", "rpm -q stunnel", 0),
				),
			},
			{
				ResourceName:      "f3s_package.zrepl",
				ImportState:       true,
				ImportStateId:     "f0:zrepl",
				ImportStateVerify: true,
				// An imported package was there before Terraform.
				ImportStateVerifyIgnore: []string{"preexisting"},
			},
			{
				ResourceName:      "f3s_package.stunnel",
				ImportState:       true,
				ImportStateId:     "r0:stunnel",
				ImportStateVerify: true,
				// keep_on_destroy lives in the configuration only.
				ImportStateVerifyIgnore: []string{"preexisting", "keep_on_destroy"},
			},
			{
				Config: packageConfig(provider, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_package.stunnel", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_package.zrepl", plancheck.ResourceActionNoop),
					},
				},
			},
			{
				// Drift: removed by hand, installed again.
				PreConfig: func() { mustExec(t, l, "f0", "pkg delete -y zrepl") },
				Config:    packageConfig(provider, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("f3s_package.zrepl", plancheck.ResourceActionCreate)},
				},
				Check: expectExit(t, l, "f0", "pkg info -e zrepl", 0),
			},
		},
		// zrepl is removed; stunnel, kept on destroy, stays.
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectExit(t, l, "f0", "pkg info -e zrepl", 1),
			expectExit(t, l, "r0", "rpm -q stunnel", 0),
		),
	})
}

func TestAccPackageResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	tests := []struct {
		name, body string
		planOnly   bool
		want       []string
	}{
		{"name", `host = "f0"
  name = "-y"`, true, []string{"Invalid Package Name", "name", `"-y" is not a package name`}},
		{"pkg unknown package", `host = "f0"
  name = "nosuch"`, false, []string{"Unable to Install Package", "No packages available to install matching 'nosuch' have been found in the repositories"}},
		{"dnf unknown package", `host = "r0"
  name = "nosuch"`, false, []string{"Unable to Install Package", "Error: Unable to find a match: nosuch"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      provider + "resource \"f3s_package\" \"bad\" {\n  " + tt.body + "\n}\n",
					PlanOnly:    tt.planOnly,
					ExpectError: errorMatching(tt.want...),
				}},
			})
		})
	}
}

// TestAccPackagePreexisting: a package installed before the resource stays
// installed when the resource is destroyed, unless keep_on_destroy = false.
func TestAccPackagePreexisting(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	mustExec(t, l, "f0", "pkg install -y zrepl")
	cfg := func(extra string) string {
		return provider + `
resource "f3s_package" "zrepl" {
  host = "f0"
  name = "zrepl"
` + extra + `
}
`
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("f3s_package.zrepl", tfjsonpath.New("preexisting"), knownvalue.Bool(true)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				ResourceName:      "f3s_package.zrepl",
				ImportState:       true,
				ImportStateId:     "f0:zrepl",
				ImportStateVerify: true,
			},
			{
				// Removed from the configuration: forgotten, still installed.
				Config: provider,
				Check:  expectExit(t, l, "f0", "pkg info -e zrepl", 0),
			},
			{
				// Adopted again, then removed with keep_on_destroy = false.
				Config: cfg("  keep_on_destroy = false"),
			},
			{
				Config: provider,
				Check:  expectExit(t, l, "f0", "pkg info -e zrepl", 1),
			},
		},
	})
}
