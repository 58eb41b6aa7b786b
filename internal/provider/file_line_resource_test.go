package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func fileLineConfig(provider, hostName, hostsLine, fstabLine string) string {
	return provider + fmt.Sprintf(`
resource "f3s_file_line" "vip" {
  host = %[1]q
  path = "/etc/hosts"
  line = %[2]q
}

resource "f3s_file_line" "keys" {
  host  = %[1]q
  path  = "/etc/fstab"
  line  = %[3]q
  match = "^\\S+\\s+/keys\\s"
}
`, hostName, hostsLine, fstabLine)
}

func TestAccFileLineResource(t *testing.T) {
	t.Parallel()
	for _, h := range accHosts {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			testAccFileLineResource(t, h)
		})
	}
}

func testAccFileLineResource(t *testing.T, h labHost) {
	l, provider := testAccLab(t, h)
	var hostsBefore, fstabBefore string
	const (
		vip   = "192.168.1.138 f3s-storage-ha"
		vip2  = "192.168.1.138 f3s-storage-ha f3s-storage-ha.lan"
		keys  = "/dev/da0 /keys ufs rw 0 2"
		keys2 = "/dev/da0 /keys ufs rw,noatime 0 2"
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		PreCheck: func() {
			hostsBefore = mustExec(t, l, h.name, "cat /etc/hosts")
			fstabBefore = mustExec(t, l, h.name, "cat /etc/fstab")
		},
		Steps: []resource.TestStep{
			{
				Config: fileLineConfig(provider, h.name, vip, keys),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("f3s_file_line.vip", tfjsonpath.New("id"), knownvalue.StringExact(h.name+":/etc/hosts:"+vip)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectHostText(t, l, h.name, "/etc/hosts", func() string { return hostsBefore + vip + "\n" }),
					expectHostText(t, l, h.name, "/etc/fstab", func() string { return fstabBefore + keys + "\n" }),
				),
			},
			{
				ResourceName:      "f3s_file_line.vip",
				ImportState:       true,
				ImportStateId:     h.name + ":/etc/hosts:" + vip,
				ImportStateVerify: true,
			},
			{
				// match is configuration only.
				ResourceName:            "f3s_file_line.keys",
				ImportState:             true,
				ImportStateId:           h.name + ":/etc/fstab:" + keys,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"match"},
			},
			{
				// A changed line replaces the old one where it stands.
				Config: fileLineConfig(provider, h.name, vip2, keys2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_file_line.vip", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_file_line.keys", plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectHostText(t, l, h.name, "/etc/hosts", func() string { return hostsBefore + vip2 + "\n" }),
					expectHostText(t, l, h.name, "/etc/fstab", func() string { return fstabBefore + keys2 + "\n" }),
				),
			},
			{
				// Drift: the fstab options edited on the host are seen through
				// match and put back in place.
				PreConfig: func() { editHostFile(t, l, h.name, "/etc/fstab", "sed 's/rw,noatime/ro/'") },
				Config:    fileLineConfig(provider, h.name, vip2, keys2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_file_line.keys", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_file_line.vip", plancheck.ResourceActionNoop),
					},
				},
				Check: expectHostText(t, l, h.name, "/etc/fstab", func() string { return fstabBefore + keys2 + "\n" }),
			},
			{
				// Drift: the hosts line deleted on the host.
				PreConfig: func() { editHostFile(t, l, h.name, "/etc/hosts", "grep -v f3s-storage-ha") },
				Config:    fileLineConfig(provider, h.name, vip2, keys2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_file_line.vip", plancheck.ResourceActionCreate),
					},
				},
				Check: expectHostText(t, l, h.name, "/etc/hosts", func() string { return hostsBefore + vip2 + "\n" }),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectHostText(t, l, h.name, "/etc/hosts", func() string { return hostsBefore }),
			expectHostText(t, l, h.name, "/etc/fstab", func() string { return fstabBefore }),
		),
	})
}

func TestAccFileLineResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct {
		body string
		want *regexp.Regexp
	}{
		{`path = "/etc/../etc/hosts"
  line = "x"`, errorMatching("Invalid Path", `".." component`)},
		{`path = "/etc/hosts"
  line = ""`, errorMatching("Invalid Line", "line", "must not be empty")},
		{`path = "/etc/hosts"
  line = "a\nb"`, errorMatching("Invalid Line", "single line")},
		{`path = "/etc/hosts"
  line = "x"
  match = "[a"`, errorMatching("Invalid Regular Expression", "match")},
	}
	steps := make([]resource.TestStep, len(tests))
	for i, tt := range tests {
		steps[i] = resource.TestStep{
			Config:      provider + "resource \"f3s_file_line\" \"bad\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
			PlanOnly:    true,
			ExpectError: tt.want,
		}
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}
