package zrepl

import (
	"encoding/json"
	"testing"
	"time"
)

// The JSON shape of §12.4: job maps sorted with the type last, struct
// fields in zrepl's order, zero times and nil slices as zrepl prints them.
func TestStatusShape(t *testing.T) {
	at := time.Date(2025, 7, 1, 22, 31, 48, 712143123, time.FixedZone("EEST", 3*3600))
	s := Status{Jobs: map[string]*JobStatus{
		"_control": {Type: "internal"},
		"sink":     {Type: "sink", Body: &PassiveStatus{}},
		"push": {Type: "push", Body: &ActiveSideStatus{
			Replication: &ReplicationReport{StartAt: at, FinishAt: at, Attempts: []*AttemptReport{{
				State: AttemptDone, StartAt: at, FinishAt: at,
				Filesystems: []*FilesystemReport{{Info: &FilesystemInfo{Name: "zdata/enc/nfsdata"}, State: FilesystemDone, BlockedOn: BlockedOnNothing,
					CurrentStep: 1, Steps: []*StepReport{{Info: &StepInfo{From: "@a", To: "@b", BytesExpected: 624, BytesReplicated: 624}}}}},
			}}},
			Snapshotting: &SnapperReport{Type: "periodic", Periodic: &PeriodicReport{State: SnapperWaiting, SleepUntil: at}},
		}},
	}}
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Jobs":{"_control":{"internal":null,"type":"internal"},` +
		`"push":{"push":{"Replication":{"StartAt":"2025-07-01T22:31:48.712143123+03:00","FinishAt":"2025-07-01T22:31:48.712143123+03:00",` +
		`"WaitReconnectSince":"0001-01-01T00:00:00Z","WaitReconnectUntil":"0001-01-01T00:00:00Z","WaitReconnectError":null,` +
		`"Attempts":[{"State":"done","StartAt":"2025-07-01T22:31:48.712143123+03:00","FinishAt":"2025-07-01T22:31:48.712143123+03:00","PlanError":null,` +
		`"Filesystems":[{"Info":{"Name":"zdata/enc/nfsdata"},"State":"done","BlockedOn":"nothing","PlanError":null,"StepError":null,"CurrentStep":1,` +
		`"Steps":[{"Info":{"From":"@a","To":"@b","Resumed":false,"BytesExpected":624,"BytesReplicated":624}}]}]}]},` +
		`"PruningSender":null,"PruningReceiver":null,` +
		`"Snapshotting":{"Type":"periodic","Periodic":{"State":16,"SleepUntil":"2025-07-01T22:31:48.712143123+03:00","Error":"","Progress":null},"Cron":null,"Manual":null}},"type":"push"},` +
		`"sink":{"sink":{"Snapper":null},"type":"sink"}},` +
		`"Global":{"ZFSCmds":{"Active":null},"Envconst":{"Entries":null},"OsEnviron":null}}`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
