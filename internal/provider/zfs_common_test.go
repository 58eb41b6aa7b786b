package provider

import (
	"reflect"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

func TestReconcileProperties(t *testing.T) {
	tests := []struct {
		name           string
		managed, local map[string]string
		want           map[string]string
	}{
		{"user spelling kept", map[string]string{"quota": "10G", "compression": "lz4"},
			map[string]string{"quota": "10737418240", "compression": "lz4", "atime": "off"},
			map[string]string{"quota": "10G", "compression": "lz4"}},
		{"changed on the host", map[string]string{"quota": "10G"}, map[string]string{"quota": "20G"},
			map[string]string{"quota": "20G"}},
		{"no longer local", map[string]string{"readonly": "on"}, map[string]string{}, map[string]string{}},
		{"nothing managed", nil, map[string]string{"atime": "off"}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reconcileProperties(tt.managed, tt.local, zfs.Equivalent); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSameProperties(t *testing.T) {
	tests := []struct {
		config, state map[string]string
		want          bool
	}{
		{map[string]string{"quota": "10G"}, map[string]string{"quota": "10737418240"}, true},
		{map[string]string{"quota": "10G"}, map[string]string{"quota": "10G", "atime": "off"}, false},
		{map[string]string{"quota": "10G", "atime": "off"}, map[string]string{"quota": "10G"}, false},
		{map[string]string{"readonly": "on"}, map[string]string{"readonly": "off"}, false},
		{map[string]string{}, nil, true},
	}
	for _, tt := range tests {
		if got := sameProperties(tt.config, tt.state, zfs.Equivalent); got != tt.want {
			t.Errorf("sameProperties(%v, %v) = %v", tt.config, tt.state, got)
		}
	}
}

func TestPropertyChanges(t *testing.T) {
	set, removed := propertyChanges(
		map[string]string{"quota": "10G", "atime": "off", "readonly": "on", "casesensitivity": "mixed"},
		map[string]string{"quota": "10737418240", "atime": "on", "compression": "lz4"},
		zfs.Equivalent)
	if want := map[string]string{"atime": "on", "compression": "lz4"}; !reflect.DeepEqual(set, want) {
		t.Errorf("set = %v, want %v", set, want)
	}
	if want := []string{"casesensitivity", "readonly"}; !reflect.DeepEqual(removed, want) {
		t.Errorf("removed = %v, want %v", removed, want)
	}
	set, removed = withoutCreateOnly(map[string]string{"utf8only": "on", "atime": "on"}, removed, zfs.IsCreateOnly)
	if !reflect.DeepEqual(set, map[string]string{"atime": "on"}) || !reflect.DeepEqual(removed, []string{"readonly"}) {
		t.Errorf("withoutCreateOnly: %v %v", set, removed)
	}
}

func TestCreateOnlyChanges(t *testing.T) {
	current := map[string]string{"casesensitivity": "insensitive", "volblocksize": "16384", "compression": "lz4"}
	tests := []struct {
		plan map[string]string
		want []string
	}{
		{map[string]string{"casesensitivity": "insensitive", "volblocksize": "16K", "compression": "zstd"}, nil},
		{map[string]string{"casesensitivity": "mixed"}, []string{"casesensitivity"}},
		{map[string]string{"utf8only": "on"}, []string{"utf8only"}},
		{map[string]string{}, nil},
	}
	for _, tt := range tests {
		if got := createOnlyChanges(current, tt.plan, zfs.IsCreateOnly, zfs.Equivalent); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("createOnlyChanges(%v) = %v, want %v", tt.plan, got, tt.want)
		}
	}
}

func TestParseZFSImportID(t *testing.T) {
	tests := []struct {
		id, host, name string
		ok             bool
	}{
		{"f0:zdata/enc", "f0", "zdata/enc", true},
		{"f1:zdata/sink/f0/zdata/enc/nfsdata", "f1", "zdata/sink/f0/zdata/enc/nfsdata", true},
		{"f0:zdata/a:b", "f0", "zdata/a:b", true},
		{"zdata/enc", "", "", false},
		{":zdata/enc", "", "", false},
		{"f0:", "", "", false},
		{"f0:zdata//enc", "", "", false},
		{"f0:zdata/enc@snap", "", "", false},
	}
	for _, tt := range tests {
		h, n, ok := parseZFSImportID(tt.id, zfs.ValidateDatasetName)
		if h != tt.host || n != tt.name || ok != tt.ok {
			t.Errorf("parseZFSImportID(%q) = %q, %q, %v", tt.id, h, n, ok)
		}
	}
}
