package zrepl

import "testing"

func TestFilter(t *testing.T) {
	f, err := NewFilter(FilesystemsFilter{
		"tank/export<": true, "tank/export/scratch": false, "tank/export/scratch/keep<": true, "zdata/enc/nfsdata": true,
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]bool{
		"tank":                          false,
		"tank/export":                   true,
		"tank/export/a":                 true,
		"tank/export/scratch":           false,
		"tank/export/scratch/x":         true, // the subtree pattern of its parent is more specific than nothing, the exact one does not cover children
		"tank/export/scratch/keep/deep": true,
		"tank/exported":                 false,
		"zdata/enc/nfsdata":             true,
		"zdata/enc/nfsdata/child":       false,
		"zdata/enc":                     false,
	}
	for name, want := range tests {
		if got := f.Match(name); got != want {
			t.Errorf("Match(%q) = %v, want %v", name, got, want)
		}
	}
	all, _ := NewFilter(FilesystemsFilter{"<": true, "tmp<": false})
	for name, want := range map[string]bool{"zroot": true, "zroot/usr": true, "tmp": false, "tmp/x": false} {
		if got := all.Match(name); got != want {
			t.Errorf("all.Match(%q) = %v, want %v", name, got, want)
		}
	}
	for _, bad := range []string{"a<b", "/abs", "pool/"} {
		if _, err := NewFilter(FilesystemsFilter{bad: true}); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}
