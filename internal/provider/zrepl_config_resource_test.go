package provider

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// The article's zrepl.yml files (reference section 12.2), as they are on
// f0 and f1 after `doas tee /usr/local/etc/zrepl/zrepl.yml`; the domain's
// tests use the same files.
var (
	zreplArticleF0 = readZreplTestdata("article-f0.yml")
	zreplArticleF1 = readZreplTestdata("article-f1.yml")
)

const zreplPath = "/usr/local/etc/zrepl/zrepl.yml"

func readZreplTestdata(name string) string {
	b, err := os.ReadFile(filepath.Join("..", "zrepl", "testdata", name))
	if err != nil {
		panic(err)
	}
	return string(b)
}

// zreplArticleHCL is the article's configuration of f0 (two push jobs,
// the NFS one every nfsInterval) and f1 (the sink) as resources.
func zreplArticleHCL(nfsInterval string) string {
	return fmt.Sprintf(`
locals {
  logging = [{ type = "stdout", level = "info", format = "human" }]
  keep    = { keep_sender = [{ type = "last_n", count = 10 }], keep_receiver = [{ type = "last_n", count = 10 }] }
}

resource "f3s_zrepl_config" "f0" {
  host   = "f0"
  global = { logging = local.logging }

  push_job {
    name         = "f0_to_f1_nfsdata"
    connect      = { type = "tcp", address = "192.168.2.131:8888" }
    filesystems  = { "zdata/enc/nfsdata" = true }
    send         = { encrypted = true }
    snapshotting = { type = "periodic", prefix = "zrepl_", interval = %q }
    pruning      = local.keep
  }

  push_job {
    name         = "f0_to_f1_fedora"
    connect      = { type = "tcp", address = "192.168.2.131:8888" }
    filesystems  = { "zroot/bhyve/fedora" = true }
    snapshotting = { type = "periodic", prefix = "zrepl_", interval = "10m" }
    pruning      = local.keep
  }
}

resource "f3s_zrepl_config" "f1" {
  host   = "f1"
  global = { logging = local.logging }

  sink_job {
    name    = "sink"
    serve   = { type = "tcp", listen = "192.168.2.131:8888", clients = { "192.168.2.130" = "f0" } }
    recv    = { placeholder = { encryption = "inherit" } }
    root_fs = "zdata/sink"
  }
}
`, nfsInterval)
}

// zreplServicesHCL installs zrepl and runs it on f0 and f1 once their
// configuration is in place.
const zreplServicesHCL = `
resource "f3s_package" "zrepl_f0" {
  host = "f0"
  name = "zrepl"
}

resource "f3s_package" "zrepl_f1" {
  host = "f1"
  name = "zrepl"
}

resource "f3s_service" "zrepl_f0" {
  host       = "f0"
  name       = f3s_package.zrepl_f0.name
  enabled    = true
  state      = "running"
  depends_on = [f3s_zrepl_config.f0]
}

resource "f3s_service" "zrepl_f1" {
  host       = "f1"
  name       = f3s_package.zrepl_f1.name
  enabled    = true
  state      = "running"
  depends_on = [f3s_zrepl_config.f1]
}
`

// expectFile checks a file's content on a lab host.
func expectFile(t *testing.T, l *lab.Lab, hostName, p, want string) resource.TestCheckFunc {
	return hostCheck(func() error {
		if got := mustExec(t, l, hostName, "cat "+p); got != want {
			return fmt.Errorf("%s:%s is\n%s\nwant\n%s", hostName, p, got, want)
		}
		return nil
	})
}

// wrappedText matches text in Terraform's output, which wraps long
// messages: any space may be a line break.
func wrappedText(text string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`))
}

// writeLabFile writes a file on a lab host out of band, as an admin's
// editor would.
func writeLabFile(t *testing.T, l *lab.Lab, hostName, p, content string) {
	t.Helper()
	mustExec(t, l, hostName, "mkdir -p "+path.Dir(p)+" && cat > "+p+" <<'EOF'\n"+content+"EOF\n")
}

// expectPriorValue is a plan check on the value a resource had before the
// plan (what Read found on the host).
type expectPriorValue struct {
	addr string
	path []any // map keys (string) and list indices (int)
	want any
}

func (e expectPriorValue) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.addr {
			continue
		}
		v := rc.Change.Before
		for _, step := range e.path {
			switch s := step.(type) {
			case string:
				m, ok := v.(map[string]any)
				if !ok {
					resp.Error = fmt.Errorf("%s: no %q in %v", e.addr, s, v)
					return
				}
				v = m[s]
			case int:
				l, ok := v.([]any)
				if !ok || s >= len(l) {
					resp.Error = fmt.Errorf("%s: no [%d] in %v", e.addr, s, v)
					return
				}
				v = l[s]
			}
		}
		if fmt.Sprint(v) != fmt.Sprint(e.want) {
			resp.Error = fmt.Errorf("%s %v before the plan: %v, want %v", e.addr, e.path, v, e.want)
		}
		return
	}
	resp.Error = fmt.Errorf("no change of %s in the plan", e.addr)
}

func TestAccZreplConfigResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	pid := &pidTracker{t: t, l: l, hostName: "f0", script: "cat /var/run/zrepl/daemon.pid"}
	const f0, f1 = "f3s_zrepl_config.f0", "f3s_zrepl_config.f1"
	config := func(interval string) string { return provider + zreplArticleHCL(interval) + zreplServicesHCL }

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// The article's files, byte for byte, and zrepl running.
				Config: config("1m"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(f0, tfjsonpath.New("id"), knownvalue.StringExact("f0:"+zreplPath)),
					statecheck.ExpectKnownValue(f0, tfjsonpath.New("content_sha256"), knownvalue.StringExact(file.Hash([]byte(zreplArticleF0)))),
					statecheck.ExpectKnownValue(f1, tfjsonpath.New("content_sha256"), knownvalue.StringExact(file.Hash([]byte(zreplArticleF1)))),
					// The safe default: the fedora job did not say, and sends raw.
					statecheck.ExpectKnownValue(f0, tfjsonpath.New("push_job").AtSliceIndex(1).AtMapKey("send").AtMapKey("encrypted"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					expectFile(t, l, "f0", zreplPath, zreplArticleF0),
					expectFile(t, l, "f1", zreplPath, zreplArticleF1),
					expectExit(t, l, "f0", `[ "$(stat -f '%Su:%Sg %Lp' `+zreplPath+`)" = "root:wheel 644" ]`, 0),
					expectExit(t, l, "f0", "service zrepl status", 0),
					expectExit(t, l, "f1", "service zrepl status", 0),
				),
			},
			{ResourceName: f0, ImportState: true, ImportStateId: "f0", ImportStateVerify: true, ImportStateVerifyIdentifierAttribute: "id"},
			{ResourceName: f1, ImportState: true, ImportStateId: "f1:" + zreplPath, ImportStateVerify: true, ImportStateVerifyIdentifierAttribute: "id"},
			{
				// An interval changes in place, and the running daemon restarts.
				PreConfig: pid.record,
				Config:    config("2m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(f0, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(f1, plancheck.ResourceActionNoop),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					pid.expect(true),
					expectFile(t, l, "f0", zreplPath, strings.Replace(zreplArticleF0, "interval: 1m", "interval: 2m", 1)),
				),
			},
			{
				// Drift: the interval edited by hand shows as a change of the job.
				PreConfig: func() {
					writeLabFile(t, l, "f0", zreplPath, strings.Replace(zreplArticleF0, "interval: 1m", "interval: 5m", 1))
				},
				Config: config("2m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(f0, plancheck.ResourceActionUpdate),
						expectPriorValue{f0, []any{"push_job", 0, "snapshotting", "interval"}, "5m"},
						plancheck.ExpectKnownValue(f0, tfjsonpath.New("push_job").AtSliceIndex(0).AtMapKey("snapshotting").AtMapKey("interval"), knownvalue.StringExact("2m")),
					},
				},
				Check: expectFile(t, l, "f0", zreplPath, strings.Replace(zreplArticleF0, "interval: 1m", "interval: 2m", 1)),
			},
			{
				// Drift: a file that no longer parses is written again.
				PreConfig: func() { mustExec(t, l, "f1", "printf 'jobs: [\\n' > "+zreplPath) },
				Config:    config("2m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(f1, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(f1, tfjsonpath.New("content_sha256"), knownvalue.StringExact(file.Hash([]byte(zreplArticleF1)))),
					},
				},
				Check: expectFile(t, l, "f1", zreplPath, zreplArticleF1),
			},
			{
				// Without restart_service a change leaves the daemon alone.
				PreConfig: pid.record,
				Config:    strings.Replace(config("3m"), `host   = "f0"`, "host   = \"f0\"\n  restart_service = false", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(f0, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					pid.expect(false),
					expectFile(t, l, "f0", zreplPath, strings.Replace(zreplArticleF0, "interval: 1m", "interval: 3m", 1)),
				),
			},
			{
				// zrepl refuses to restart (its configcheck fails): the
				// previous file is put back and the apply fails.
				PreConfig: func() {
					l.Faults("f0").FailNextCommand("zrepl onerestart", 1,
						"/usr/local/etc/rc.d/zrepl: WARNING: failed precmd routine for zrepl\n")
				},
				Config:      config("4m"),
				ExpectError: wrappedText("restarting zrepl with the new " + zreplPath + " failed, so the previous file was put back"),
			},
			{
				PreConfig: func() {
					want := strings.Replace(zreplArticleF0, "interval: 1m", "interval: 3m", 1)
					if got := mustExec(t, l, "f0", "cat "+zreplPath); got != want {
						t.Errorf("after the refused restart the file is\n%s\nwant the previous one", got)
					}
				},
				Config: config("4m"),
				Check:  expectFile(t, l, "f0", zreplPath, strings.Replace(zreplArticleF0, "interval: 1m", "interval: 4m", 1)),
			},
			{
				// Drift: the file removed by hand is written again.
				PreConfig: func() { mustExec(t, l, "f1", "rm "+zreplPath) },
				Config:    config("2m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(f1, plancheck.ResourceActionCreate)},
				},
				Check: expectFile(t, l, "f1", zreplPath, zreplArticleF1),
			},
		},
		// Destroy removes the files; zrepl's package goes with f3s_package.
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectExit(t, l, "f0", "test -e "+zreplPath, 1),
			expectExit(t, l, "f1", "test -e "+zreplPath, 1),
		),
	})
}

// An import of the article's hand-written files gives the state a create
// gives: the plan after the import blocks has nothing to change.
func TestAccZreplConfigResourceImportArticle(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	writeLabFile(t, l, "f0", zreplPath, zreplArticleF0)
	writeLabFile(t, l, "f1", zreplPath, zreplArticleF1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + zreplArticleHCL("1m") + `
import {
  to = f3s_zrepl_config.f0
  id = "f0"
}

import {
  to = f3s_zrepl_config.f1
  id = "f1:/usr/local/etc/zrepl/zrepl.yml"
}
`,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("f3s_zrepl_config.f0", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("f3s_zrepl_config.f1", plancheck.ResourceActionNoop),
				},
			},
		}},
	})
}

func TestAccZreplConfigResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	push := func(body string) string {
		return provider + `
resource "f3s_zrepl_config" "x" {
  host = "f0"
` + body + `
}
`
	}
	job := func(name, connect, snapshotting string) string {
		return fmt.Sprintf(`
  push_job {
    name         = %q
    connect      = %s
    filesystems  = { "zdata/enc/nfsdata" = true }
    snapshotting = %s
    pruning      = { keep_sender = [{ type = "not_replicated" }], keep_receiver = [{ type = "last_n", count = 10 }] }
  }
`, name, connect, snapshotting)
	}
	tcp := `{ type = "tcp", address = "192.168.2.131:8888" }`
	periodic := `{ type = "periodic", prefix = "zrepl_", interval = "1m" }`
	tests := []struct {
		name, config, want string
	}{
		{"push job without connect", push(`
  push_job {
    name         = "a"
    filesystems  = { "zdata/enc/nfsdata" = true }
    snapshotting = { type = "manual" }
    pruning      = { keep_sender = [{ type = "regex", regex = ".*" }], keep_receiver = [{ type = "regex", regex = ".*" }] }
  }`), `The argument "connect" is required`},
		{"sink job without root_fs", push(`
  sink_job {
    name  = "sink"
    serve = { type = "tcp", listen = ":8888", clients = { "192.168.2.130" = "f0" } }
  }`), `The argument "root_fs" is required`},
		{"tcp connect without address", push(job("a", `{ type = "tcp" }`, periodic)),
			`push_job\[0\]\.connect\.address: is required for connect of type "tcp"`},
		{"tls field on tcp", push(job("a", `{ type = "tcp", address = "h:1", server_cn = "h" }`, periodic)),
			`push_job\[0\]\.connect\.server_cn: is not an option of connect of type "tcp"`},
		{"interval zrepl refuses", push(job("a", tcp, `{ type = "periodic", prefix = "zrepl_", interval = "1 minute" }`)),
			`push_job\[0\]\.snapshotting\.interval: "1 minute" must match`},
		{"empty prefix", push(job("a", tcp, `{ type = "periodic", prefix = "", interval = "1m" }`)),
			`push_job\[0\]\.snapshotting\.prefix: prefix must not be empty`},
		{"option-shaped job name", push(job("--help", tcp, periodic)),
			`push_job\[0\]\.name: job name "--help" starts with "-"`},
		{"duplicate job names", push(job("a", tcp, periodic) + job("a", tcp, periodic)),
			`push_job\[1\]\.name: job name "a" is already used by jobs\[0\]`},
		{"placeholder encryption", push(`
  sink_job {
    name    = "sink"
    serve   = { type = "tcp", listen = ":8888", clients = { "192.168.2.130" = "f0" } }
    recv    = { placeholder = { encryption = "maybe" } }
    root_fs = "zdata/sink"
  }`), `sink_job\[0\]\.recv\.placeholder\.encryption: "maybe" must be one of "unspecified", "inherit", "off"`},
		{"two addresses, one identity", push(`
  sink_job {
    name    = "sink"
    serve   = { type = "tcp", listen = ":8888", clients = { "192.168.2.130" = "f0", "192.168.2.132" = "f0" } }
    root_fs = "zdata/sink"
  }`), `sink_job\[0\]\.serve\.clients\["192\.168\.2\.132"\]: identity "f0" is already mapped to "192\.168\.2\.130"`},
		{"no jobs", push(``), `needs at least one job`},
		{"linux host", strings.Replace(push(job("a", tcp, periodic)), `host = "f0"`, `host = "r0"`, 1),
			`f3s_zrepl_config cannot act on host "r0": zrepl is managed on FreeBSD hosts`},
		{"bad path", push(`path = "zrepl.yml"` + job("a", tcp, periodic)), `path: "zrepl.yml" is not absolute`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				// Terraform wraps long messages: any space may be a line break.
				Steps: []resource.TestStep{{Config: tt.config, PlanOnly: true,
					ExpectError: regexp.MustCompile(strings.ReplaceAll(tt.want, " ", `\s+`))}},
			})
		})
	}
}
