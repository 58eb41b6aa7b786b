package zrepl

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

var pruneNow = time.Date(2025, 7, 1, 20, 0, 0, 0, time.UTC)

// snaps makes n snapshots one minute apart, the newest a minute before pruneNow.
func snaps(n int, names ...string) []Snapshot {
	var out []Snapshot
	for i := range n {
		name := fmt.Sprintf("zrepl_%02d", i)
		if i < len(names) {
			name = names[i]
		}
		out = append(out, Snapshot{Name: name, CreateTxg: uint64(10 + i), Date: pruneNow.Add(-time.Duration(n-i) * time.Minute)})
	}
	return out
}

func names(s []Snapshot) []string {
	var out []string
	for _, x := range s {
		out = append(out, x.Name)
	}
	return out
}

func rules(t *testing.T, e ...any) []KeepRule {
	t.Helper()
	var in []PruningEnum
	for _, r := range e {
		in = append(in, PruningEnum{Ret: r})
	}
	out, err := NewKeepRules(in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPrune(t *testing.T) {
	twelve := snaps(12)
	replicatedUpTo := func(s []Snapshot, n int) []Snapshot {
		out := append([]Snapshot(nil), s...)
		for i := range out {
			out[i].Replicated = i < n
			out[i].AtCursor = i == n-1
		}
		return out
	}
	tests := []struct {
		name  string
		snaps []Snapshot
		rules []KeepRule
		want  []string
	}{
		{"no rules destroy nothing", twelve, nil, nil},
		{"last_n keeps the newest", twelve, rules(t, &PruneKeepLastN{Count: 10}), []string{"zrepl_00", "zrepl_01"}},
		{"last_n counts only matching names, others go too", snaps(4, "manual", "zrepl_a", "zrepl_b", "zrepl_c"),
			rules(t, &PruneKeepLastN{Count: 2, Regex: "^zrepl_"}), []string{"manual", "zrepl_a"}},
		{"regex keeps what matches", snaps(3, "manual", "zrepl_a", "zrepl_b"), rules(t, &PruneKeepRegex{Regex: "^manual$"}), []string{"zrepl_a", "zrepl_b"}},
		{"negated regex", snaps(3, "manual", "zrepl_a", "zrepl_b"), rules(t, &PruneKeepRegex{Regex: "^zrepl_", Negate: true}), []string{"zrepl_a", "zrepl_b"}},
		{"union of rules", snaps(4, "manual", "zrepl_a", "zrepl_b", "zrepl_c"),
			rules(t, &PruneKeepLastN{Count: 1}, &PruneKeepRegex{Regex: "^manual$"}), []string{"zrepl_a", "zrepl_b"}},
		{"not_replicated keeps the unreplicated and the cursor", replicatedUpTo(snaps(5), 3),
			rules(t, &PruneKeepNotReplicated{KeepSnapshotAtCursor: true}), []string{"zrepl_00", "zrepl_01"}},
		{"not_replicated without the cursor", replicatedUpTo(snaps(5), 3),
			rules(t, &PruneKeepNotReplicated{}), []string{"zrepl_00", "zrepl_01", "zrepl_02"}},
		{"grid: one per 5 minutes for 10 minutes", snaps(12), rules(t, &PruneGrid{Grid: "2x5m", Regex: "^zrepl_"}),
			[]string{"zrepl_00", "zrepl_01", "zrepl_02", "zrepl_04", "zrepl_05", "zrepl_06", "zrepl_07", "zrepl_09", "zrepl_10", "zrepl_11"}}, // keeps the oldest of (now-10m, now-5m] and (now-5m, now]
		{"grid keep=all", snaps(4), rules(t, &PruneGrid{Grid: "1x10m(keep=all)", Regex: ".*"}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(Prune(tt.snaps, tt.rules, pruneNow))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("destroyed %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseGrid(t *testing.T) {
	g, err := ParseGrid("1x1h(keep=all) | 2x1d | 1x1w(keep=3)")
	if err != nil {
		t.Fatal(err)
	}
	want := []GridInterval{{time.Hour, -1}, {24 * time.Hour, 1}, {24 * time.Hour, 1}, {7 * 24 * time.Hour, 3}}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("got %+v, want %+v", g, want)
	}
	for _, bad := range []string{"", "x1h", "0x1h", "1x1 minute", "1x1h(keep=some)"} {
		if _, err := ParseGrid(bad); err == nil {
			t.Errorf("grid %q accepted", bad)
		}
	}
}
