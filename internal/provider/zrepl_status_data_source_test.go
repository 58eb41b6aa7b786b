package provider

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zrepl"
)

// zreplArticleDaemons installs and starts zrepl out of band with the
// article's configurations (f0 pushes, f1 is the sink), and delivers both
// jobs once, so that the configuration under test holds only the data
// sources and a stalled job can be made on the hosts without Terraform
// wanting to repair it.
func zreplArticleDaemons(t *testing.T, l *lab.Lab) {
	t.Helper()
	zreplArticleStorage(t, l)
	for _, h := range []string{"f1", "f0"} {
		yml, err := os.ReadFile("../zrepl/testdata/article-" + h + ".yml")
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, l, h, "pkg install -y zrepl >/dev/null && mkdir -p /usr/local/etc/zrepl")
		hh := l.Host(h)
		if err := hh.Tree.WriteFile(hh.Root(), "/usr/local/etc/zrepl/zrepl.yml", yml, 0o644); err != nil {
			t.Fatal(err)
		}
		mustExec(t, l, h, "service zrepl onestart >/dev/null")
	}
	mustExec(t, l, "f0", "zrepl signal wakeup f0_to_f1_nfsdata && zrepl signal wakeup f0_to_f1_fedora")
}

const zreplFreshnessHCL = `
data "f3s_zrepl_status" "nfs" {
  host    = "f0"
  job     = "f0_to_f1_nfsdata"
  max_lag = "15m"
}

data "f3s_zrepl_status" "fedora" {
  host    = "f0"
  job     = "f0_to_f1_fedora"
  max_lag = "4m"
}

data "f3s_zrepl_status" "f0" {
  host    = "f0"
  max_lag = "15m"
}
`

// checkLag checks a lag_seconds attribute against a bound.
func checkLag(name, key string, ok func(int64) bool, want string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(name, key, func(v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !ok(n) {
			return fmt.Errorf("%s.%s = %q, want %s", name, key, v, want)
		}
		return nil
	})
}

// checkLastSuccessIsCursor compares a job's reported last success with the
// creation time f0's zfs gives the job's replication cursor bookmark on fs
// (read the zfs way, not the provider's).
func checkLastSuccessIsCursor(t *testing.T, l *lab.Lab, name, job, fs string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[name]
		if !ok {
			return fmt.Errorf("%s not in state", name)
		}
		at, err := time.Parse(time.RFC3339, rs.Primary.Attributes["jobs.0.filesystems.0.last_success"])
		if err != nil {
			return err
		}
		out, code := execOnHost(t, l, "f0", "zfs list -H -p -r -d 1 -o creation,name -t bookmark "+fs+" | grep -- '_J_"+job+"$' | cut -f 1")
		if code != 0 {
			return fmt.Errorf("zfs list -t bookmark %s: exit %d: %s", fs, code, out)
		}
		if got := strings.TrimSpace(out); got != strconv.FormatInt(at.Unix(), 10) {
			return fmt.Errorf("last_success %s (%d), but the cursor of %s on %s was created at %q", at, at.Unix(), job, fs, got)
		}
		return nil
	}
}

// TestAccZreplStatusFreshness: a delivering job is fresh; a job whose sink
// stopped is stale once the lab clock has moved past max_lag, and a
// postcondition on healthy fails the plan; a job whose runs end "done" with
// no error but with nothing new (the silent case zrepl's counters miss) is
// stale by max_lag alone.
func TestAccZreplStatusFreshness(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	zreplArticleDaemons(t, l)
	const (
		nfs    = "data.f3s_zrepl_status.nfs"
		fedora = "data.f3s_zrepl_status.fedora"
		all    = "data.f3s_zrepl_status.f0"
	)
	job := tfjsonpath.New("jobs").AtSliceIndex(0)
	fs0 := job.AtMapKey("filesystems").AtSliceIndex(0)
	config := provider + zreplFreshnessHCL

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(all, tfjsonpath.New("healthy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(nfs, job.AtMapKey("healthy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(nfs, job.AtMapKey("stale"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(nfs, job.AtMapKey("last_success"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(nfs, fs0.AtMapKey("name"), knownvalue.StringExact("zdata/enc/nfsdata")),
					statecheck.ExpectKnownValue(nfs, fs0.AtMapKey("stale"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(fedora, job.AtMapKey("stale"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkLag(nfs, "jobs.0.lag_seconds", func(n int64) bool { return n >= 0 && n < 120 }, "under two minutes"),
					checkLag(nfs, "jobs.0.filesystems.0.lag_seconds", func(n int64) bool { return n >= 0 && n < 120 }, "under two minutes"),
					checkLastSuccessIsCursor(t, l, nfs, "f0_to_f1_nfsdata", "zdata/enc/nfsdata"),
				),
			},
			{
				// The sink stops and 20 minutes pass on the lab clock: f0 keeps
				// snapshotting, nothing arrives, the standby's data ages.
				PreConfig: func() {
					mustExec(t, l, "f1", "service zrepl onestop >/dev/null")
					must(t, l.AdvanceClock(20*time.Minute))
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(all, tfjsonpath.New("healthy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(nfs, tfjsonpath.New("healthy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(nfs, job.AtMapKey("stale"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(nfs, fs0.AtMapKey("name"), knownvalue.StringExact("zdata/enc/nfsdata")),
					statecheck.ExpectKnownValue(nfs, fs0.AtMapKey("stale"), knownvalue.Bool(true)),
				},
				Check: checkLag(nfs, "jobs.0.lag_seconds", func(n int64) bool { return n >= 19*60 }, "at least 19 minutes"),
			},
			{
				// The same as a CI gate: a postcondition fails the plan.
				Config: config + `
data "f3s_zrepl_status" "gate" {
  host    = "f0"
  job     = "f0_to_f1_nfsdata"
  max_lag = "15m"
  lifecycle {
    postcondition {
      condition     = self.healthy
      error_message = "replication from f0 is stale: last success ${coalesce(self.jobs[0].last_success, "never")}"
    }
  }
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`replication from f0 is stale: last success`),
			},
			{
				// max_lag is checked at plan time.
				Config:      provider + "data \"f3s_zrepl_status\" \"x\" {\n  host    = \"f0\"\n  max_lag = \"soon\"\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`max_lag(?s).*"soon" is not a duration`),
			},
			{
				Config:      provider + "data \"f3s_zrepl_status\" \"x\" {\n  host    = \"f0\"\n  max_lag = \"0s\"\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`max_lag(?s).*"0s" must be positive`),
			},
			{
				// The sink is back and both jobs deliver; then 6 minutes pass.
				// The NFS job (every minute) stays fresh. The VM job (every 10
				// minutes) ends its runs "done" with no error, but its newest
				// data on f1 is older than its max_lag of 4 minutes: stale by
				// age alone.
				PreConfig: func() {
					mustExec(t, l, "f1", "service zrepl onestart >/dev/null")
					mustExec(t, l, "f0", "zrepl signal wakeup f0_to_f1_nfsdata && zrepl signal wakeup f0_to_f1_fedora")
					must(t, l.AdvanceClock(6*time.Minute))
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(nfs, tfjsonpath.New("healthy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(nfs, job.AtMapKey("stale"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(fedora, tfjsonpath.New("healthy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(fedora, job.AtMapKey("stale"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(fedora, job.AtMapKey("errors"), knownvalue.ListExact([]knownvalue.Check{})),
					statecheck.ExpectKnownValue(fedora, job.AtMapKey("last_attempt_state"), knownvalue.StringExact("done")),
				},
				Check: resource.ComposeTestCheckFunc(
					checkLag(nfs, "jobs.0.lag_seconds", func(n int64) bool { return n < 120 }, "under two minutes"),
					checkLag(fedora, "jobs.0.lag_seconds", func(n int64) bool { return n > 4*60 }, "over 4 minutes"),
					checkLastSuccessIsCursor(t, l, fedora, "f0_to_f1_fedora", "zroot/bhyve/fedora"),
				),
			},
		},
	})
}

// A push job whose last attempt failed at planning lists no filesystem;
// the data source still lists the ones its cursor names, with their age,
// and the job is stale and unhealthy. A sink job has null freshness.
func TestZreplJobStatusFromDomainCursorOnly(t *testing.T) {
	st, err := zrepl.ParseStatus([]byte(`{"Jobs":{"p":{"push":{"Replication":{"StartAt":"2025-07-01T21:00:00Z",` +
		`"FinishAt":"0001-01-01T00:00:00Z","WaitReconnectSince":"0001-01-01T00:00:00Z","WaitReconnectUntil":"0001-01-01T00:00:00Z",` +
		`"WaitReconnectError":null,"Attempts":[{"State":"planning-error","StartAt":"2025-07-01T21:00:00Z",` +
		`"FinishAt":"2025-07-01T21:00:01Z","PlanError":{"Err":"connection refused","Time":"2025-07-01T21:00:01Z"},` +
		`"Filesystems":null}]},"PruningSender":null,"PruningReceiver":null,"Snapshotting":null},"type":"push"},` +
		`"sink":{"sink":{"Snapper":null},"type":"sink"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := zrepl.ParseCursors([]byte("1751403600\nzdata/enc/nfsdata#zrepl_CURSOR_G_2b8a4f0c9d1e7a35_J_p\t1751398308\n"))
	if err != nil {
		t.Fatal(err)
	}
	push, _ := st.Job("p")
	jm := zreplJobStatusFromDomain(push, push.Freshness(cur, 15*time.Minute))
	if jm.Healthy.ValueBool() || !jm.Stale.ValueBool() || jm.LagSeconds.ValueInt64() != 5292 ||
		jm.LastSuccess.ValueString() != "2025-07-01T19:31:48Z" {
		t.Errorf("job: healthy %v stale %v lag %v last %v", jm.Healthy, jm.Stale, jm.LagSeconds, jm.LastSuccess)
	}
	if len(jm.Filesystems) != 1 {
		t.Fatalf("filesystems %+v", jm.Filesystems)
	}
	f := jm.Filesystems[0]
	if f.Name.ValueString() != "zdata/enc/nfsdata" || !f.State.IsNull() || !f.Stale.ValueBool() || f.LagSeconds.ValueInt64() != 5292 {
		t.Errorf("filesystem %+v", f)
	}
	sink, _ := st.Job("sink")
	sm := zreplJobStatusFromDomain(sink, sink.Freshness(cur, 15*time.Minute))
	if !sm.Healthy.ValueBool() || sm.Stale.ValueBool() || !sm.LastSuccess.IsNull() || !sm.LagSeconds.IsNull() {
		t.Errorf("sink: %+v", sm)
	}
}
