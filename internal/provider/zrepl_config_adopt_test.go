package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

// zreplByHand is the article's file for f0 as someone typed it: a comment,
// quotes and another key order. It says what the article's says.
var zreplByHand = "# zrepl on f0: push to f1\n" + strings.NewReplacer(
	"  - name: f0_to_f1_nfsdata\n    type: push\n", "  - type: push\n    name: \"f0_to_f1_nfsdata\"   # the NFS data\n",
	"prefix: zrepl_", "prefix: 'zrepl_'",
).Replace(zreplArticleF0)

// TestAccZreplConfigAdopt: a zrepl.yml written by hand, with zrepl running
// on it, is adopted as it stands, by an import or by a create: nothing is
// written and zrepl keeps its pid. A change of what zrepl runs rewrites
// the file and restarts it.
func TestAccZreplConfigAdopt(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	if zreplByHand == "# zrepl on f0: push to f1\n"+zreplArticleF0 {
		t.Fatal("the hand-written file is the article's")
	}
	// The article by hand: install, write, enable, start.
	for _, h := range []string{"f0", "f1"} {
		mustExec(t, l, h, "pkg install -y zrepl && sysrc zrepl_enable=YES")
	}
	writeLabFile(t, l, "f0", zreplPath, zreplByHand)
	f1ByHand := "# the sink\n" + zreplArticleF1
	writeLabFile(t, l, "f1", zreplPath, f1ByHand)
	mustExec(t, l, "f0", "service zrepl start")
	mustExec(t, l, "f1", "service zrepl start")
	pid0 := &pidTracker{t: t, l: l, hostName: "f0", script: "cat /var/run/zrepl/daemon.pid"}
	pid1 := &pidTracker{t: t, l: l, hostName: "f1", script: "cat /var/run/zrepl/daemon.pid"}
	pid0.record()
	pid1.record()
	const f0, f1 = "f3s_zrepl_config.f0", "f3s_zrepl_config.f1"
	// f0 is imported; f1 is simply declared (a create over the file).
	imports := `
import {
  to = f3s_zrepl_config.f0
  id = "f0"
}
`
	config := func(interval string) string { return provider + imports + zreplArticleHCL(interval) }

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("1m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(f0, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(f1, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(f1, tfjsonpath.New("content_sha256"), knownvalue.StringExact(file.Hash([]byte(f1ByHand)))),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(f0, tfjsonpath.New("content_sha256"), knownvalue.StringExact(file.Hash([]byte(zreplByHand)))),
					// Where f0's datasets arrive on f1: zdata/sink/f0/DATASET.
					statecheck.ExpectKnownValue(f1, tfjsonpath.New("received_roots"), knownvalue.MapExact(map[string]knownvalue.Check{
						"f0": knownvalue.StringExact("zdata/sink/f0"),
					})),
					statecheck.ExpectKnownValue(f0, tfjsonpath.New("received_roots"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
				Check: resource.ComposeTestCheckFunc(
					expectFile(t, l, "f0", zreplPath, zreplByHand),
					expectFile(t, l, "f1", zreplPath, f1ByHand),
					pid0.expect(false),
					pid1.expect(false),
				),
			},
			{
				// Laid out again by hand, meaning the same: still no change.
				PreConfig: func() { writeLabFile(t, l, "f0", zreplPath, zreplByHand+"# checked\n") },
				Config:    config("1m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: pid0.expect(false),
			},
			{
				// What zrepl runs changes: the file is written as rendered,
				// and zrepl restarts.
				Config: config("2m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(f0, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(f1, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectFile(t, l, "f0", zreplPath, strings.Replace(zreplArticleF0, "interval: 1m", "interval: 2m", 1)),
					pid0.expect(true),
					pid1.expect(false),
				),
			},
		},
	})
}
