package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccHostDataSource(t *testing.T) {
	_, config := testAccLab(t, accHosts...)
	var checks []statecheck.StateCheck
	for _, h := range accHosts {
		config += fmt.Sprintf("\ndata %q %q {\n  host = %q\n}\n", HostDataSourceType, h.name, h.name)
		addr := "data." + HostDataSourceType + "." + h.name
		nonEmpty := knownvalue.StringRegexp(regexp.MustCompile(`\S`))
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(h.name)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("os"), knownvalue.StringExact(h.wantOS)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("distro"), knownvalue.StringExact(h.wantDistro)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("release"), nonEmpty),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("hostname"), nonEmpty),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("kernel"), nonEmpty),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("machine"), nonEmpty),
		)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:            config,
			ConfigStateChecks: checks,
		}},
	})
}

// TestAccHostDataSourceUnknownHost names a host the provider block does not
// configure: the plan fails before anything reaches a host, and the error
// lists the configured names.
func TestAccHostDataSourceUnknownHost(t *testing.T) {
	_, config := testAccLab(t, accHosts...)
	config += `
data "f3s_host" "missing" {
  host = "f9"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			PlanOnly:    true,
			ExpectError: errorMatching(`Unknown Host`, `Host "f9" is not configured`, `Configured hosts: f0, r0.`),
		}},
	})
}
