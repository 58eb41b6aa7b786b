package zfs

import (
	"context"
	"reflect"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host/hosttest"
)

// A sink's copy as zrepl leaves it: the last received snapshot held by the
// sink job, the one before released (zrepl moves the hold on).
const sinkList = "zdata/sink/f0/zdata/enc/nfsdata\n" +
	"zdata/sink/f0/zdata/enc/nfsdata@zrepl_20250701_193148_000\n" +
	"zdata/sink/f0/zdata/enc/nfsdata@zrepl_20250701_193248_000\n"

const sinkHolds = "zdata/sink/f0/zdata/enc/nfsdata@zrepl_20250701_193248_000\tzrepl_last_received_J_sink\tTue Jul  1 19:32 2025\n"

func TestReleaseHolds(t *testing.T) {
	ds := "zdata/sink/f0/zdata/enc/nfsdata"
	s := hosttest.New(t,
		hosttest.Call{Line: "zfs list -H -o name -t filesystem,volume,snapshot -r " + ds, Stdout: sinkList},
		hosttest.Call{Line: "zfs holds -H -- " + ds + "@zrepl_20250701_193148_000 " + ds + "@zrepl_20250701_193248_000", Stdout: sinkHolds},
		hosttest.Call{Line: "zfs release -- zrepl_last_received_J_sink " + ds + "@zrepl_20250701_193248_000"},
	)
	got, err := ReleaseHolds(context.Background(), s, ds)
	if err != nil {
		t.Fatal(err)
	}
	want := []Hold{{Snapshot: ds + "@zrepl_20250701_193248_000", Tag: "zrepl_last_received_J_sink"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("released %v, want %v", got, want)
	}
}

func TestReleaseHoldsNoSnapshots(t *testing.T) {
	s := hosttest.New(t, hosttest.Call{Line: "zfs list -H -o name -t filesystem,volume,snapshot -r zdata/a", Stdout: "zdata/a\n"})
	got, err := ReleaseHolds(context.Background(), s, "zdata/a")
	if err != nil || got != nil {
		t.Errorf("ReleaseHolds = %v, %v; want nothing", got, err)
	}
}

func TestParseHolds(t *testing.T) {
	got := ParseHolds("a@1\tt1\tTue Jul  1 19:32 2025\na@1\tt2\tTue Jul  1 19:33 2025\n\n")
	want := []Hold{{"a@1", "t1"}, {"a@1", "t2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseHolds = %v, want %v", got, want)
	}
}

// zrepl prunes between the list and the holds: the vanished snapshot is
// skipped, the holds zfs still prints are released, and a hold zrepl moved
// on in the meantime is no error.
func TestReleaseHoldsWhilePruned(t *testing.T) {
	ds := "zdata/sink/f0/zdata/enc/nfsdata"
	gone, kept := ds+"@zrepl_20250701_193148_000", ds+"@zrepl_20250701_193248_000"
	s := hosttest.New(t,
		hosttest.Call{Line: "zfs list -H -o name -t filesystem,volume,snapshot -r " + ds, Stdout: sinkList},
		hosttest.Call{Line: "zfs holds -H -- " + gone + " " + kept, Code: 1, Stdout: sinkHolds + kept + "\tzrepl_STEP_J_sink\tTue Jul  1 19:32 2025\n",
			Stderr: "cannot open '" + gone + "': dataset does not exist\n"},
		hosttest.Call{Line: "zfs release -- zrepl_last_received_J_sink " + kept},
		hosttest.Call{Line: "zfs release -- zrepl_STEP_J_sink " + kept, Code: 1, Stderr: "cannot release hold from snapshot '" + kept + "': no such tag on this dataset\n"},
	)
	got, err := ReleaseHolds(context.Background(), s, ds)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Tag != "zrepl_last_received_J_sink" {
		t.Errorf("released %v, want the last-received hold only", got)
	}
}

func TestReleaseHoldsOtherFailure(t *testing.T) {
	ds := "zdata/a"
	s := hosttest.New(t,
		hosttest.Call{Line: "zfs list -H -o name -t filesystem,volume,snapshot -r " + ds, Stdout: ds + "\n" + ds + "@s\n"},
		hosttest.Call{Line: "zfs holds -H -- " + ds + "@s", Code: 1, Stderr: "permission denied\n"},
	)
	if _, err := ReleaseHolds(context.Background(), s, ds); err == nil {
		t.Error("ReleaseHolds hid a failure that is not a vanished snapshot")
	}
}
