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

func fileBlockConfig(provider, hostName, hosts, exports string) string {
	return provider + fmt.Sprintf(`
resource "f3s_file_block" "vip" {
  host    = %[1]q
  path    = "/etc/hosts"
  name    = "f3s-storage-ha"
  content = %[2]q
}

resource "f3s_file_block" "exports" {
  host           = %[1]q
  path           = "/etc/f3s-test/exports"
  name           = "nfs"
  content        = %[3]q
  comment_prefix = "//"
}
`, hostName, hosts, exports)
}

// expectHostText checks a file's whole text on a lab host.
func expectHostText(t *testing.T, l *lab.Lab, hostName, p string, want func() string) resource.TestCheckFunc {
	return hostCheck(func() error {
		got, code := execOnHost(t, l, hostName, "cat "+p)
		if code != 0 || got != want() {
			return fmt.Errorf("%s on %s (exit %d):\n%s\nwant:\n%s", p, hostName, code, got, want())
		}
		return nil
	})
}

// editHostFile runs a file through filter on a lab host, out of band,
// keeping its mode and owner as an editor would.
func editHostFile(t *testing.T, l *lab.Lab, hostName, p, filter string) {
	t.Helper()
	mustExec(t, l, hostName, fmt.Sprintf("%s < %s > /tmp/f3s-edit && cat /tmp/f3s-edit > %s && rm /tmp/f3s-edit", filter, p, p))
}

func TestAccFileBlockResource(t *testing.T) {
	t.Parallel()
	for _, h := range accHosts {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			testAccFileBlockResource(t, h)
		})
	}
}

func testAccFileBlockResource(t *testing.T, h labHost) {
	l, provider := testAccLab(t, h)
	var hostsBefore, modeBefore string
	const (
		vip      = "192.168.1.138 f3s-storage-ha\n"
		vip2     = "192.168.1.138 f3s-storage-ha f3s-storage-ha.lan\n"
		exports1 = "V4: /data/nfs -sec=sys\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255"
		exports2 = "V4: /data/nfs -sec=sys\n/data/nfs -alldirs -maproot=root -network 192.168.1.0 -mask 255.255.255.0\n"
	)
	withBlock := func(content string) func() string {
		return func() string {
			return hostsBefore + "# BEGIN f3s:f3s-storage-ha\n" + content + "# END f3s:f3s-storage-ha\n"
		}
	}
	statArgs := fileStatArgs[h.name]
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		PreCheck: func() {
			hostsBefore = mustExec(t, l, h.name, "cat /etc/hosts")
			mustExec(t, l, h.name, "chmod 0640 /etc/hosts")
			modeBefore = mustExec(t, l, h.name, "stat "+statArgs+" /etc/hosts")
		},
		Steps: []resource.TestStep{
			{
				Config: fileBlockConfig(provider, h.name, vip, exports1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("f3s_file_block.vip", tfjsonpath.New("id"), knownvalue.StringExact(h.name+":/etc/hosts:f3s-storage-ha")),
					// The user's spelling stays: no final newline in exports1.
					statecheck.ExpectKnownValue("f3s_file_block.exports", tfjsonpath.New("content"), knownvalue.StringExact(exports1)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectHostText(t, l, h.name, "/etc/hosts", withBlock(vip)),
					expectHostText(t, l, h.name, "/etc/f3s-test/exports", func() string {
						return "// BEGIN f3s:nfs\n" + exports1 + "\n// END f3s:nfs\n"
					}),
					hostCheck(func() error {
						if got := mustExec(t, l, h.name, "stat "+statArgs+" /etc/hosts"); got != modeBefore {
							return fmt.Errorf("/etc/hosts is now %q, was %q", got, modeBefore)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:      "f3s_file_block.vip",
				ImportState:       true,
				ImportStateId:     h.name + ":/etc/hosts:f3s-storage-ha",
				ImportStateVerify: true,
			},
			{
				// The comment prefix is found in the file; the content is the
				// file's (with its final newline), not the configuration's.
				ResourceName:            "f3s_file_block.exports",
				ImportState:             true,
				ImportStateId:           h.name + ":/etc/f3s-test/exports:nfs",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"content"},
			},
			{
				ResourceName:  "f3s_file_block.vip",
				ImportState:   true,
				ImportStateId: h.name + ":/etc/hosts",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:PATH:NAME"),
			},
			{
				Config: fileBlockConfig(provider, h.name, vip2, exports2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_file_block.vip", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_file_block.exports", plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectHostText(t, l, h.name, "/etc/hosts", withBlock(vip2)),
			},
			{
				// Drift: the block edited on the host.
				PreConfig: func() {
					editHostFile(t, l, h.name, "/etc/hosts", "sed 's/f3s-storage-ha.lan/other/'")
				},
				Config: fileBlockConfig(provider, h.name, vip2, exports2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_file_block.vip", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_file_block.exports", plancheck.ResourceActionNoop),
					},
				},
				Check: expectHostText(t, l, h.name, "/etc/hosts", withBlock(vip2)),
			},
			{
				// Drift: the block deleted on the host, the file too.
				PreConfig: func() {
					editHostFile(t, l, h.name, "/etc/hosts", "sed '/^# BEGIN f3s:f3s-storage-ha$/,/^# END f3s:f3s-storage-ha$/d'")
					mustExec(t, l, h.name, "rm /etc/f3s-test/exports")
				},
				Config: fileBlockConfig(provider, h.name, vip2, exports2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_file_block.vip", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("f3s_file_block.exports", plancheck.ResourceActionCreate),
					},
				},
				Check: expectHostText(t, l, h.name, "/etc/hosts", withBlock(vip2)),
			},
		},
		// Destroy restores /etc/hosts byte for byte and removes the file the
		// block created.
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectHostText(t, l, h.name, "/etc/hosts", func() string { return hostsBefore }),
			expectNoHostFile(t, l, h.name, "/etc/f3s-test/exports"),
		),
	})
}

// TestAccFileBlockResourceNoCreate: with create_file = false a missing file
// fails the apply, and a block placed with insert_after goes there.
func TestAccFileBlockResourceNoCreate(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	var before string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		PreCheck:                 func() { before = mustExec(t, l, "f0", "cat /etc/hosts") },
		Steps: []resource.TestStep{
			{
				Config: provider + `
resource "f3s_file_block" "missing" {
  host        = "f0"
  path        = "/etc/exports"
  name        = "nfs"
  content     = "V4: /data/nfs -sec=sys\n"
  create_file = false
}
`,
				ExpectError: errorMatching("Shared File Not Found", `Host "f0" has no file /etc/exports`),
			},
			{
				Config: provider + `
resource "f3s_file_block" "after" {
  host         = "f0"
  path         = "/etc/hosts"
  name         = "vip"
  content      = "192.168.1.138 f3s-storage-ha\n"
  insert_after = "^127\\.0\\.0\\.1"
  create_file  = false
}
`,
				Check: hostCheck(func() error {
					got := mustExec(t, l, "f0", "cat /etc/hosts")
					i := strings.Index(before, "127.0.0.1")
					j := i + strings.Index(before[i:], "\n") + 1
					want := before[:j] + "# BEGIN f3s:vip\n192.168.1.138 f3s-storage-ha\n# END f3s:vip\n" + before[j:]
					if got != want {
						return fmt.Errorf("/etc/hosts:\n%s\nwant:\n%s", got, want)
					}
					return nil
				}),
			},
		},
		CheckDestroy: expectHostText(t, l, "f0", "/etc/hosts", func() string { return before }),
	})
}

// TestAccFileBlockResourceConcurrent applies fifty blocks and fifty lines
// to one file on one host in one run, ten at a time (Terraform's default
// parallelism): the per-file lock must keep every one of them.
func TestAccFileBlockResourceConcurrent(t *testing.T) {
	t.Parallel()
	const n = 50
	l, provider := testAccLab(t, accF0)
	config := provider + fmt.Sprintf(`
resource "f3s_file_block" "many" {
  count   = %[1]d
  host    = "f0"
  path    = "/etc/hosts"
  name    = "many-${count.index}"
  content = "10.0.9.${count.index} block-${count.index}\n"
}

resource "f3s_file_line" "many" {
  count = %[1]d
  host  = "f0"
  path  = "/etc/hosts"
  line  = "10.0.8.${count.index} line-${count.index}"
}
`, n)
	var before string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		PreCheck:                 func() { before = mustExec(t, l, "f0", "cat /etc/hosts") },
		Steps: []resource.TestStep{{
			Config: config,
			Check: hostCheck(func() error {
				text := mustExec(t, l, "f0", "cat /etc/hosts")
				if !strings.HasPrefix(text, before) {
					return fmt.Errorf("the original lines of /etc/hosts changed:\n%s", text)
				}
				var missing []string
				for i := range n {
					block := fmt.Sprintf("# BEGIN f3s:many-%d\n10.0.9.%d block-%d\n# END f3s:many-%d\n", i, i, i, i)
					if !strings.Contains(text, block) {
						missing = append(missing, fmt.Sprintf("block %d", i))
					}
					if !regexp.MustCompile(fmt.Sprintf(`(?m)^10\.0\.8\.%d line-%d$`, i, i)).MatchString(text) {
						missing = append(missing, fmt.Sprintf("line %d", i))
					}
				}
				if len(missing) > 0 {
					return fmt.Errorf("missing from /etc/hosts: %s", strings.Join(missing, ", "))
				}
				return nil
			}),
		}},
		CheckDestroy: expectHostText(t, l, "f0", "/etc/hosts", func() string { return before }),
	})
}

func TestAccFileBlockResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct {
		body string
		want *regexp.Regexp
	}{
		{`path = "hosts"
  name = "a"
  content = "x"`, errorMatching("Invalid Path", "not absolute")},
		{`path = "/etc/hosts"
  name = "a b"
  content = "x"`, errorMatching("Invalid Block Name", "name")},
		{`path = "/etc/hosts"
  name = "-a"
  content = "x"`, errorMatching("Invalid Block Name", "name", `"-a" must start with a letter or digit`)},
		{`path = "/etc/hosts"
  name = "a"
  content = "x\n# END f3s:a\n"`, errorMatching("Invalid Content", "marker line")},
		{`path = "/etc/hosts"
  name = "a"
  content = "x"
  comment_prefix = "# "`, errorMatching("Invalid Comment Prefix", "white space")},
		{`path = "/etc/hosts"
  name = "a"
  content = "x"
  insert_after = "("`, errorMatching("Invalid Regular Expression", "insert_after")},
		{`path = "/etc/hosts"
  name = "a"
  content = "x"
  insert_after = "a"
  insert_before = "b"`, errorMatching("Invalid Attribute Combination", "insert_before")},
	}
	steps := make([]resource.TestStep, len(tests))
	for i, tt := range tests {
		steps[i] = resource.TestStep{
			Config:      provider + "resource \"f3s_file_block\" \"bad\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
			PlanOnly:    true,
			ExpectError: tt.want,
		}
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

// TestAccFileBlockAdopt: the article's lines typed by hand into /etc/hosts
// and /etc/exports, without markers, are adopted by the first apply: the
// markers go around them where they stand, and no second copy is added.
func TestAccFileBlockAdopt(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	const vip = "192.168.1.138 f3s-storage-ha f3s-storage-ha.lan f3s-storage-ha.lan.buetow.org\n"
	const exports = "V4: /data/nfs -sec=sys\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\n"
	hostsBefore := mustExec(t, l, "f0", "cat /etc/hosts")
	// As the article does it: tee, and an editor's tab between the fields.
	mustExec(t, l, "f0", "printf '192.168.1.138\\tf3s-storage-ha f3s-storage-ha.lan f3s-storage-ha.lan.buetow.org\\n' >> /etc/hosts && "+
		"printf '%s' '"+exports+"' > /etc/exports && echo '# local additions' >> /etc/exports")
	cfg := provider + fmt.Sprintf(`
resource "f3s_file_block" "vip" {
  host    = "f0"
  path    = "/etc/hosts"
  name    = "f3s-storage-ha"
  content = %q
}

resource "f3s_file_block" "exports" {
  host    = "f0"
  path    = "/etc/exports"
  name    = "nfs"
  content = %q
}
`, vip, exports)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_file_block.vip", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("f3s_file_block.exports", plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectHostText(t, l, "f0", "/etc/hosts", func() string {
						return hostsBefore + "# BEGIN f3s:f3s-storage-ha\n" + vip + "# END f3s:f3s-storage-ha\n"
					}),
					expectHostText(t, l, "f0", "/etc/exports", func() string {
						return "# BEGIN f3s:nfs\n" + exports + "# END f3s:nfs\n# local additions\n"
					}),
				),
			},
			{
				ResourceName:      "f3s_file_block.exports",
				ImportState:       true,
				ImportStateId:     "f0:/etc/exports:nfs",
				ImportStateVerify: true,
			},
		},
		// Destroy takes the block, the adopted lines with it.
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectHostText(t, l, "f0", "/etc/hosts", func() string { return hostsBefore }),
			expectHostText(t, l, "f0", "/etc/exports", func() string { return "# local additions\n" }),
		),
	})
}
