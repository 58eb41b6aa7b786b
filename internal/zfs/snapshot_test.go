package zfs

import (
	"reflect"
	"testing"
)

// The zrepl snapshot of §2.3 and §12.3, with -p columns.
var snapList = tabs(`zdata/enc@zrepl_20250701_193148_000⇥1751398308⇥1200⇥0⇥180224⇥11111111111111111111
zdata/enc@zrepl_20250701_194148_000⇥1751398908⇥1250⇥4096⇥184320⇥2222
zdata/enc@manual⇥1751398908⇥1251⇥0⇥184320⇥3333
zdata/enc/nfsdata@zrepl_20250701_193148_000⇥1751398308⇥1201⇥0⇥208896⇥4444
`)

func TestParseSnapshots(t *testing.T) {
	snaps, err := ParseSnapshots(snapList)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 4 {
		t.Fatalf("%d snapshots", len(snaps))
	}
	want := Snapshot{Name: "zdata/enc@zrepl_20250701_193148_000", Dataset: "zdata/enc", Short: "zrepl_20250701_193148_000",
		Creation: 1751398308, CreateTXG: 1200, Used: 0, Referenced: 180224, GUID: "11111111111111111111"}
	if snaps[0] != want {
		t.Errorf("got %+v\nwant %+v", snaps[0], want)
	}
	for _, bad := range []string{"zdata/enc@x\t1\t2\t3\t4\n", "zdata/enc\t1\t2\t3\t4\t5\n", "zdata/enc@x\tnow\t2\t3\t4\t5\n", "zdata/enc@x\t1\t2\t-\t4\t5\n"} {
		if _, err := ParseSnapshots(bad); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

func TestSelectSnapshots(t *testing.T) {
	snaps, err := ParseSnapshots(snapList)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ss []Snapshot) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	tests := []struct {
		f    SnapshotFilter
		want []string
	}{
		{SnapshotFilter{Dataset: "zdata/enc"}, []string{"zdata/enc@manual", "zdata/enc@zrepl_20250701_194148_000", "zdata/enc@zrepl_20250701_193148_000"}},
		{SnapshotFilter{Dataset: "zdata/enc", Prefix: "zrepl_"}, []string{"zdata/enc@zrepl_20250701_194148_000", "zdata/enc@zrepl_20250701_193148_000"}},
		{SnapshotFilter{Dataset: "zdata/enc", Prefix: "zrepl_", Recursive: true}, []string{"zdata/enc@zrepl_20250701_194148_000",
			"zdata/enc/nfsdata@zrepl_20250701_193148_000", "zdata/enc@zrepl_20250701_193148_000"}},
		{SnapshotFilter{Dataset: "zdata/en", Recursive: true}, nil},
	}
	for _, tt := range tests {
		if got := names(SelectSnapshots(snaps, tt.f)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v: got %v, want %v", tt.f, got, tt.want)
		}
	}
}
