package zrepl

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// statusExample is the reference's section 12.4 example, one line as zrepl
// prints it, with the elided parts ("…") filled in with values of the same
// shape.
const statusExample = `{"Jobs":{` +
	`"_control":{"internal":null,"type":"internal"},` +
	`"f0_to_f1_nfsdata":{"push":{` +
	`"Replication":{"StartAt":"2025-07-01T22:31:48.712143123+03:00","FinishAt":"2025-07-01T22:31:49.001+03:00",` +
	`"WaitReconnectSince":"0001-01-01T00:00:00Z","WaitReconnectUntil":"0001-01-01T00:00:00Z","WaitReconnectError":null,` +
	`"Attempts":[{"State":"done","StartAt":"2025-07-01T22:31:48.712143123+03:00","FinishAt":"2025-07-01T22:31:49.001+03:00","PlanError":null,` +
	`"Filesystems":[{"Info":{"Name":"zdata/enc/nfsdata"},"State":"done","BlockedOn":"nothing",` +
	`"PlanError":null,"StepError":null,"CurrentStep":1,` +
	`"Steps":[{"Info":{"From":"@zrepl_20250701_193048_000","To":"@zrepl_20250701_193148_000",` +
	`"Resumed":false,"BytesExpected":624,"BytesReplicated":624}}]}]}]},` +
	`"PruningSender":{"State":"Done","Error":"","Pending":null,"Completed":[{"Filesystem":"zdata/enc/nfsdata",` +
	`"SnapshotList":[{"Name":"zrepl_20250701_193148_000","Replicated":true,"Date":"2025-07-01T19:31:48Z"}],"DestroyList":[],"SkipReason":"","LastError":""}]},` +
	`"PruningReceiver":{"State":"Done","Error":"","Pending":null,"Completed":[{"Filesystem":"zdata/enc/nfsdata",` +
	`"SnapshotList":[{"Name":"zrepl_20250701_193148_000","Replicated":true,"Date":"2025-07-01T19:31:48Z"}],"DestroyList":[],"SkipReason":"","LastError":""}]},` +
	`"Snapshotting":{"Type":"periodic","Periodic":{"State":16,"SleepUntil":"2025-07-01T22:32:48.7+03:00","Error":"",` +
	`"Progress":[{"Path":"zdata/enc/nfsdata","State":4,"SnapName":"zrepl_20250701_193148_000","StartAt":"2025-07-01T22:31:48.70+03:00",` +
	`"Hooks":"","HooksHadError":false,"DoneAt":"2025-07-01T22:31:48.71+03:00"}]},"Cron":null,"Manual":null}` +
	`},"type":"push"},` +
	`"sink":{"sink":{"Snapper":null},"type":"sink"}` +
	`},` +
	`"Global":{"ZFSCmds":{"Active":null},"Envconst":{"Entries":[]},"OsEnviron":["PATH=/sbin:/bin:/usr/sbin:/usr/bin"]}}`

// statusBeforeFirstRun is a push job right after the daemon started.
const statusBeforeFirstRun = `{"Jobs":{"_control":{"internal":null,"type":"internal"},` +
	`"_prometheus":{"internal":null,"type":"internal"},` +
	`"f0_to_f1_fedora":{"push":{"Replication":null,"PruningSender":null,"PruningReceiver":null,` +
	`"Snapshotting":{"Type":"periodic","Periodic":{"State":1,"SleepUntil":"0001-01-01T00:00:00Z","Error":"","Progress":null},"Cron":null,"Manual":null}},"type":"push"}},` +
	`"Global":{"ZFSCmds":{"Active":null},"Envconst":{"Entries":null},"OsEnviron":null}}`

// statusFailed is a push job whose receive failed because the sink's copy
// was written to (reference 12.3), and whose sender pruning failed.
const statusFailed = `{"Jobs":{"f0_to_f1_nfsdata":{"push":{` +
	`"Replication":{"StartAt":"2025-07-01T20:41:00Z","FinishAt":"2025-07-01T20:41:01Z",` +
	`"WaitReconnectSince":"0001-01-01T00:00:00Z","WaitReconnectUntil":"0001-01-01T00:00:00Z","WaitReconnectError":null,` +
	`"Attempts":[{"State":"filesystem-error","StartAt":"2025-07-01T20:41:00Z","FinishAt":"2025-07-01T20:41:01Z","PlanError":null,` +
	`"Filesystems":[{"Info":{"Name":"zdata/enc/nfsdata"},"State":"step-error","BlockedOn":"nothing","PlanError":null,` +
	`"StepError":{"Err":"zfs exited with error: exit status 1\nstderr:\ncannot receive incremental stream: destination zdata/sink/f0/zdata/enc/nfsdata has been modified\nsince most recent snapshot\n","Time":"2025-07-01T20:41:01Z"},` +
	`"CurrentStep":0,"Steps":[{"Info":{"From":"@zrepl_20250701_204054_000","To":"@zrepl_20250701_204100_000","Resumed":false,"BytesExpected":624,"BytesReplicated":0}}]}]}]},` +
	`"PruningSender":{"State":"ExecErr","Error":"","Pending":null,"Completed":[{"Filesystem":"zdata/enc/nfsdata","SkipReason":"","LastError":"dataset is busy"}]},` +
	`"PruningReceiver":null,` +
	`"Snapshotting":{"Type":"periodic","Periodic":{"State":32,"SleepUntil":"0001-01-01T00:00:00Z","Error":"cannot create snapshot",` +
	`"Progress":[{"Path":"zdata/enc/nfsdata","State":8,"SnapName":"zrepl_20250701_204100_000","StartAt":"2025-07-01T20:41:00Z","Hooks":"pre.sh exited 1","HooksHadError":true,"DoneAt":"0001-01-01T00:00:00Z"}]},"Cron":null,"Manual":null}` +
	`},"type":"push"}}}`

func TestParseStatusExample(t *testing.T) {
	st, err := ParseStatus([]byte(statusExample))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.Names(), []string{"f0_to_f1_nfsdata", "sink"}; !slices.Equal(got, want) {
		t.Fatalf("jobs %q, want %q (internal jobs left out)", got, want)
	}
	push, _ := st.Job("f0_to_f1_nfsdata")
	a := push.LastAttempt()
	if a == nil || a.State != AttemptDone {
		t.Fatalf("last attempt %+v", a)
	}
	wantStart := time.Date(2025, 7, 1, 19, 31, 48, 712143123, time.UTC)
	if !a.StartAt.Equal(wantStart) || !a.FinishAt.Equal(time.Date(2025, 7, 1, 19, 31, 49, 1000000, time.UTC)) {
		t.Errorf("attempt %v - %v", a.StartAt, a.FinishAt)
	}
	if got := push.LastSnapshot(); got != "zrepl_20250701_193148_000" {
		t.Errorf("LastSnapshot = %q", got)
	}
	if got := push.SnapshottingState(); got != "Waiting" {
		t.Errorf("SnapshottingState = %q", got)
	}
	wantFS := []FilesystemSummary{{Name: "zdata/enc/nfsdata", State: "done", LastReplicated: "zrepl_20250701_193148_000"}}
	if diff := cmp.Diff(wantFS, push.Filesystems()); diff != "" {
		t.Errorf("Filesystems (-want +got):\n%s", diff)
	}
	if push.PruningSender.State != "Done" || push.PruningReceiver.State != "Done" {
		t.Errorf("pruning %+v %+v", push.PruningSender, push.PruningReceiver)
	}
	if errs := push.Errors(); len(errs) != 0 || !push.Healthy() {
		t.Errorf("Errors = %q, Healthy = %v", errs, push.Healthy())
	}

	sink, _ := st.Job("sink")
	if sink.Type != JobSink || sink.Replication != nil || sink.Snapshotting != nil || sink.LastAttempt() != nil ||
		sink.LastSnapshot() != "" || sink.SnapshottingState() != "" || sink.Filesystems() != nil || !sink.Healthy() {
		t.Errorf("sink %+v", sink)
	}
}

func TestParseStatusBeforeFirstRun(t *testing.T) {
	st, err := ParseStatus([]byte(statusBeforeFirstRun))
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Names(); !slices.Equal(got, []string{"f0_to_f1_fedora"}) {
		t.Fatalf("jobs %q", got)
	}
	j := st.Jobs[0]
	if j.Replication != nil || j.PruningSender != nil || j.PruningReceiver != nil || j.LastAttempt() != nil {
		t.Errorf("reports before the first run: %+v", j)
	}
	if j.LastSnapshot() != "" || j.SnapshottingState() != "SyncUp" || !j.Healthy() || j.Errors() != nil {
		t.Errorf("LastSnapshot %q, state %q, healthy %v, errors %q", j.LastSnapshot(), j.SnapshottingState(), j.Healthy(), j.Errors())
	}
}

func TestParseStatusErrors(t *testing.T) {
	st, err := ParseStatus([]byte(statusFailed))
	if err != nil {
		t.Fatal(err)
	}
	j := st.Jobs[0]
	want := []string{
		"replication: zdata/enc/nfsdata: zfs exited with error: exit status 1\nstderr:\ncannot receive incremental stream: " +
			"destination zdata/sink/f0/zdata/enc/nfsdata has been modified\nsince most recent snapshot\n",
		"pruning sender: zdata/enc/nfsdata: dataset is busy",
		"snapshotting: cannot create snapshot",
		"snapshotting: zdata/enc/nfsdata: snapshot zrepl_20250701_204100_000 failed",
		"snapshotting: zdata/enc/nfsdata: hook error: pre.sh exited 1",
	}
	if diff := cmp.Diff(want, j.Errors()); diff != "" {
		t.Errorf("Errors (-want +got):\n%s", diff)
	}
	if j.Healthy() || j.LastAttempt().State != AttemptFSError || j.SnapshottingState() != "ErrorWait" || j.LastSnapshot() != "" {
		t.Errorf("healthy %v, state %q, snapshotting %q, last snapshot %q", j.Healthy(), j.LastAttempt().State,
			j.SnapshottingState(), j.LastSnapshot())
	}
	fs := j.Filesystems()
	if len(fs) != 1 || fs[0].LastReplicated != "" || !strings.HasPrefix(fs[0].Error, "zfs exited with error") {
		t.Errorf("Filesystems = %+v", fs)
	}
}

func TestParseStatusRejects(t *testing.T) {
	for _, in := range []string{"", "not json", `{"Global":{}}`, `{"Jobs":{"x":{"push":{}}}}`, `{"Jobs":{"x":{"type":"push","push":{"Replication":7}}}}`} {
		if _, err := ParseStatus([]byte(in)); err == nil {
			t.Errorf("ParseStatus(%q) accepted it", in)
		}
	}
}
