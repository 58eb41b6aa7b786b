package zfs

import (
	"strings"
	"testing"
)

func TestValidatePoolName(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string
	}{
		{"zdata", ""},
		{"zroot", ""},
		{"Tank_1.a:b-c", ""},
		{"", "empty"},
		{"1pool", "must begin with a letter"},
		{"_pool", "must begin with a letter"},
		{"tank/x", "contains '/'"},
		{"mirror", "reserved"},
		{"raidz", "reserved"},
		{"raidz2", "reserved"},
		{"draid1", "reserved"},
		{"spare", "reserved"},
		{"log", "reserved"},
		{"mirrored", ""},
		{"logs", ""},
		{"c0t0d0", "reserved"},
		{"cache", ""},
		{"tank pool", "invalid character"},
		{"tank@x", "invalid character"},
		{strings.Repeat("a", 256), "at most 255"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ValidatePoolName(tt.name), tt.wantErr)
		})
	}
}

func TestValidateDatasetName(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string
	}{
		{"zdata", ""},
		{"zdata/enc", ""},
		{"zdata/sink/f0/zdata/enc/nfsdata", ""},
		{"zroot/bhyve_old", ""},
		{"zdata/.hidden", ""},
		{"zdata/a:b", ""},
		{"zdata//enc", "empty component"},
		{"zdata/enc/", "empty component"},
		{"/zdata", "empty"},
		{"zdata/./x", "reserves"},
		{"zdata/..", "reserves"},
		{"zdata/enc@snap", "snapshot"},
		{"zdata/enc#book", "bookmark"},
		{"zdata/with space", "invalid character"},
		{"zdata/a$b", "invalid character"},
		{"1data/x", "must begin with a letter"},
		{"mirror/x", "reserved"},
		{"zdata/" + strings.Repeat("a", 250), "at most 255"},
		{"p" + strings.Repeat("/a", 50), "nested 51 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ValidateDatasetName(tt.name), tt.wantErr)
		})
	}
}

func TestValidateSnapshotName(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string
	}{
		{"zroot/bhyve_old/rocky@hamburger", ""},
		{"zdata/enc@zrepl_20250701_193148_000", ""},
		{"zdata/enc", "DATASET@SNAPSHOT"},
		{"zdata/enc@", "empty"},
		{"zdata/enc@a@b", "must not contain"},
		{"zdata/enc@a/b", "must not contain"},
		{"zdata//enc@a", "empty component"},
		{"zdata/enc@a b", "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ValidateSnapshotName(tt.name), tt.wantErr)
		})
	}
}

func TestPoolOfAndParent(t *testing.T) {
	tests := []struct{ name, pool, parent string }{
		{"zdata", "zdata", ""},
		{"zdata/enc", "zdata", "zdata"},
		{"zdata/enc/nfsdata", "zdata", "zdata/enc"},
		{"zdata/enc@snap", "zdata", "zdata"},
	}
	for _, tt := range tests {
		if got := PoolOf(tt.name); got != tt.pool {
			t.Errorf("PoolOf(%q) = %q, want %q", tt.name, got, tt.pool)
		}
		if got := Parent(tt.name); got != tt.parent {
			t.Errorf("Parent(%q) = %q, want %q", tt.name, got, tt.parent)
		}
	}
}

// checkErr fails unless err is nil when want is empty, or contains want.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	}
}
