package zrepl

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// cursorListing is CursorsScript's output on f0 of the reference's example
// (12.3, 12.4): the host's clock at 2025-07-01T19:33:48Z, the NFS job's
// cursor on the snapshot zrepl_20250701_193148_000 (created 19:31:48Z), a
// cursor of another job, a bookmark of someone else's and zrepl's old v1
// cursor, which do not count.
const cursorListing = "1751398428\n" +
	"zdata/enc/nfsdata#zrepl_CURSOR_G_2b8a4f0c9d1e7a35_J_f0_to_f1_nfsdata\t1751398308\n" +
	"zroot/bhyve/fedora#zrepl_CURSOR_G_00000000000000ff_J_f0_to_f1_fedora\t1751390000\n" +
	"zdata/enc/nfsdata#before_upgrade\t1751000000\n" +
	"zdata/enc/nfsdata#zrepl_replication_cursor\t1751000000\n"

func TestParseCursors(t *testing.T) {
	c, err := ParseCursors([]byte(cursorListing))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 7, 1, 19, 33, 48, 0, time.UTC); !c.Now.Equal(want) {
		t.Errorf("Now = %v, want %v", c.Now, want)
	}
	at, ok := c.Of("f0_to_f1_nfsdata", "zdata/enc/nfsdata")
	if want := time.Date(2025, 7, 1, 19, 31, 48, 0, time.UTC); !ok || !at.Equal(want) {
		t.Errorf("cursor of the NFS job = %v %v, want %v", at, ok, want)
	}
	if got := c.Filesystems("f0_to_f1_fedora"); !cmp.Equal(got, []string{"zroot/bhyve/fedora"}) {
		t.Errorf("Filesystems(fedora) = %q", got)
	}
	if got := c.Filesystems("before_upgrade"); len(got) != 0 {
		t.Errorf("a bookmark that is no cursor counted: %q", got)
	}
	// No bookmarks at all: zfs says so on stderr and prints nothing.
	if c, err := ParseCursors([]byte("1751398428\n")); err != nil || len(c.Filesystems("f0_to_f1_nfsdata")) != 0 {
		t.Errorf("empty listing: %v %+v", err, c)
	}
	for _, bad := range []string{"", "Tue Jul  1 19:33:48 UTC 2025\n", "1751398428\nzdata/x#zrepl_CURSOR_G_00000000000000ff_J_j 12:00\n",
		"1751398428\nno tab here\n"} {
		if _, err := ParseCursors([]byte(bad)); err == nil {
			t.Errorf("ParseCursors(%q) accepted it", bad)
		}
	}
}

func TestReadCursorsScript(t *testing.T) {
	h := newScripted(t, call{line: "date +%s && zfs list -H -p -t bookmark -o name,creation", stdout: cursorListing})
	c, err := ReadCursors(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Of("f0_to_f1_nfsdata", "zdata/enc/nfsdata"); !ok {
		t.Errorf("cursor not found: %+v", c)
	}
	h = newScripted(t, call{line: CursorsScript(), stderr: "zfs: not found", code: 127})
	if _, err := ReadCursors(context.Background(), h); err == nil {
		t.Error("a failed listing passed")
	}
}

func mustStatus(t *testing.T, raw string) *Status {
	t.Helper()
	st, err := ParseStatus([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestFreshnessDone(t *testing.T) {
	st := mustStatus(t, statusExample)
	c, _ := ParseCursors([]byte(cursorListing))
	push, _ := st.Job("f0_to_f1_nfsdata")
	created := time.Date(2025, 7, 1, 19, 31, 48, 0, time.UTC)
	for _, tt := range []struct {
		maxLag time.Duration
		stale  bool
	}{{0, false}, {15 * time.Minute, false}, {2 * time.Minute, false}, {time.Minute, true}} {
		f := push.Freshness(c, tt.maxLag)
		want := JobFreshness{LastSuccess: created, Lag: 2 * time.Minute, Stale: tt.stale, Filesystems: []FilesystemFreshness{
			{Name: "zdata/enc/nfsdata", LastSuccess: created, Lag: 2 * time.Minute, Stale: tt.stale}}}
		if diff := cmp.Diff(want, f); diff != "" {
			t.Errorf("max_lag %s (-want +got):\n%s", tt.maxLag, diff)
		}
	}
	sink, _ := st.Job("sink")
	if f := sink.Freshness(c, time.Minute); !cmp.Equal(f, JobFreshness{}) {
		t.Errorf("a sink job has freshness: %+v", f)
	}
}

// A job whose receive fails keeps its old cursor: the last success is that
// of the cursor, however long ago, while the attempt says filesystem-error.
func TestFreshnessFailedKeepsOldCursor(t *testing.T) {
	st := mustStatus(t, statusFailed)
	j := st.Jobs[0]
	c, _ := ParseCursors([]byte("1751402460\n" + // 20:41:00Z, the failed attempt
		"zdata/enc/nfsdata#zrepl_CURSOR_G_2b8a4f0c9d1e7a35_J_f0_to_f1_nfsdata\t1751398308\n"))
	f := j.Freshness(c, 15*time.Minute)
	lag := time.Hour + 9*time.Minute + 12*time.Second
	if !f.Stale || f.Lag != lag || len(f.Filesystems) != 1 || !f.Filesystems[0].Stale {
		t.Errorf("freshness %+v, want stale with lag %s", f, lag)
	}
}

// A job that ran but never delivered anything is stale; before its first
// run it is not, and without max_lag nothing is.
func TestFreshnessNeverReplicated(t *testing.T) {
	c, _ := ParseCursors([]byte("1751402460\n"))
	j := mustStatus(t, statusFailed).Jobs[0]
	f := j.Freshness(c, time.Hour)
	if !f.Stale || !f.LastSuccess.IsZero() || f.Lag != 0 || len(f.Filesystems) != 1 || !f.Filesystems[0].Stale {
		t.Errorf("never replicated: %+v", f)
	}
	if f := j.Freshness(c, 0); f.Stale {
		t.Errorf("stale without max_lag: %+v", f)
	}
	before := mustStatus(t, statusBeforeFirstRun).Jobs[0]
	if f := before.Freshness(c, time.Minute); f.Stale || len(f.Filesystems) != 0 {
		t.Errorf("before the first run: %+v", f)
	}
}

// When the sink cannot be reached the attempt fails at planning and lists
// no filesystem: the job's cursors still say how old its data is.
func TestFreshnessPlanningErrorUsesCursors(t *testing.T) {
	raw := `{"Jobs":{"f0_to_f1_nfsdata":{"push":{"Replication":{"StartAt":"2025-07-01T21:00:00Z","FinishAt":"0001-01-01T00:00:00Z",` +
		`"WaitReconnectSince":"0001-01-01T00:00:00Z","WaitReconnectUntil":"0001-01-01T00:00:00Z","WaitReconnectError":null,` +
		`"Attempts":[{"State":"planning-error","StartAt":"2025-07-01T21:00:00Z","FinishAt":"2025-07-01T21:00:01Z",` +
		`"PlanError":{"Err":"connection refused","Time":"2025-07-01T21:00:01Z"},"Filesystems":null}]},` +
		`"PruningSender":null,"PruningReceiver":null,"Snapshotting":null},"type":"push"}}}`
	j := mustStatus(t, raw).Jobs[0]
	c, _ := ParseCursors([]byte("1751403600\n" + // 21:00:00Z
		"zdata/enc/nfsdata#zrepl_CURSOR_G_2b8a4f0c9d1e7a35_J_f0_to_f1_nfsdata\t1751398308\n"))
	f := j.Freshness(c, 15*time.Minute)
	if !f.Stale || len(f.Filesystems) != 1 || f.Filesystems[0].Name != "zdata/enc/nfsdata" ||
		f.Lag != time.Hour+28*time.Minute+12*time.Second {
		t.Errorf("planning error: %+v", f)
	}
	c, _ = ParseCursors([]byte("1751403600\n"))
	if f := j.Freshness(c, 15*time.Minute); !f.Stale || len(f.Filesystems) != 0 {
		t.Errorf("planning error, no cursor: %+v", f)
	}
}
