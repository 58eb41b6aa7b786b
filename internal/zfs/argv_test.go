package zfs

import (
	"reflect"
	"testing"
)

func TestArgv(t *testing.T) {
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"get all", GetArgv("zdata/enc"),
			[]string{"zfs", "get", "-H", "-p", "-o", "name,property,value,source", "all", "zdata/enc"}},
		{"get some", GetPropsArgv([]string{"keystatus", "mounted"}, "zdata/enc"),
			[]string{"zfs", "get", "-H", "-p", "-o", "name,property,value,source", "keystatus,mounted", "zdata/enc"}},
		{"zpool get", PoolGetArgv("zdata"),
			[]string{"zpool", "get", "-H", "-p", "-o", "name,property,value,source", "all", "zdata"}},
		// The blog's zfs create of zdata/enc (§2.1).
		{"create encrypted", CreateArgv(DatasetSpec{Name: "zdata/enc", Properties: map[string]string{
			"encryption": "on", "keyformat": "raw", "keylocation": "file:///keys/f0.lan.buetow.org:zdata.key"}}),
			[]string{"zfs", "create", "-o", "encryption=on", "-o", "keyformat=raw",
				"-o", "keylocation=file:///keys/f0.lan.buetow.org:zdata.key", "--", "zdata/enc"}},
		{"create plain", CreateArgv(DatasetSpec{Name: "zdata/enc/nfsdata"}),
			[]string{"zfs", "create", "--", "zdata/enc/nfsdata"}},
		{"create volume", CreateArgv(DatasetSpec{Name: "zdata/vol", Volsize: "10G", Properties: map[string]string{"volblocksize": "16K"}}),
			[]string{"zfs", "create", "-V", "10G", "-o", "volblocksize=16K", "--", "zdata/vol"}},
		{"set", SetArgv("zdata/sink/f0/zdata/enc/nfsdata", map[string]string{"readonly": "on", "mountpoint": "/data/nfs"}),
			[]string{"zfs", "set", "mountpoint=/data/nfs", "readonly=on", "zdata/sink/f0/zdata/enc/nfsdata"}},
		{"inherit", InheritArgv("zdata/enc", "readonly"), []string{"zfs", "inherit", "readonly", "zdata/enc"}},
		{"rename", RenameArgv("zroot/bhyve", "zroot/bhyve_old"), []string{"zfs", "rename", "zroot/bhyve", "zroot/bhyve_old"}},
		{"destroy", DestroyArgv("zdata/enc", false), []string{"zfs", "destroy", "--", "zdata/enc"}},
		{"destroy -r", DestroyArgv("zdata/enc", true), []string{"zfs", "destroy", "-r", "--", "zdata/enc"}},
		{"descendants", DescendantsArgv("zdata/enc"),
			[]string{"zfs", "list", "-H", "-o", "name", "-t", "filesystem,volume,snapshot", "-r", "zdata/enc"}},
		{"snapshot", SnapshotArgv("zroot/bhyve_old/rocky@hamburger", false),
			[]string{"zfs", "snapshot", "--", "zroot/bhyve_old/rocky@hamburger"}},
		{"snapshot -r", SnapshotArgv("zroot/bhyve_old@hamburger", true),
			[]string{"zfs", "snapshot", "-r", "--", "zroot/bhyve_old@hamburger"}},
		{"snapshots", SnapshotsArgv("zdata/enc"),
			[]string{"zfs", "list", "-H", "-p", "-o", "name,creation,createtxg,used,referenced,guid", "-t", "snapshot", "-r", "zdata/enc"}},
		// The blog's load-key and mount on f1 (§2.6).
		{"load-key -L", LoadKeyArgv("zdata/sink/f0/zdata/enc/nfsdata", "file:///keys/f0.lan.buetow.org:zdata.key"),
			[]string{"zfs", "load-key", "-L", "file:///keys/f0.lan.buetow.org:zdata.key", "--", "zdata/sink/f0/zdata/enc/nfsdata"}},
		{"load-key", LoadKeyArgv("zdata/enc", ""), []string{"zfs", "load-key", "--", "zdata/enc"}},
		{"mount", MountArgv("zdata/enc/nfsdata"), []string{"zfs", "mount", "zdata/enc/nfsdata"}},
		// The blog's zpool create (§1.1).
		{"zpool create", CreatePoolArgv(PoolSpec{Name: "zdata", Mountpoint: "/data", Vdevs: []Vdev{{Type: VdevDisk, Devices: []string{"/dev/ada1"}}}}),
			[]string{"zpool", "create", "-m", "/data", "--", "zdata", "/dev/ada1"}},
		{"zpool create layout", CreatePoolArgv(PoolSpec{Name: "tank",
			Properties:     map[string]string{"ashift": "12", "autotrim": "on"},
			RootProperties: map[string]string{"compression": "lz4"},
			Vdevs: []Vdev{{Type: VdevMirror, Devices: []string{"/dev/ada1", "/dev/ada2"}},
				{Type: VdevRaidz2, Devices: []string{"da0", "da1", "da2"}}, {Type: VdevDisk, Devices: []string{"da3", "da4"}}}}),
			[]string{"zpool", "create", "-o", "ashift=12", "-o", "autotrim=on", "-O", "compression=lz4", "--", "tank",
				"mirror", "/dev/ada1", "/dev/ada2", "raidz2", "da0", "da1", "da2", "da3", "da4"}},
		{"zpool set", PoolSetArgv("zdata", "autotrim", "on"), []string{"zpool", "set", "autotrim=on", "zdata"}},
		{"zpool destroy", DestroyPoolArgv("zdata"), []string{"zpool", "destroy", "zdata"}},
		{"zpool status", StatusArgv("zdata"), []string{"zpool", "status", "-P", "zdata"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Fatalf("got  %q\nwant %q", tt.got, tt.want)
			}
		})
	}
}

func TestReceiveScript(t *testing.T) {
	tests := []struct {
		name string
		spec ReceiveSpec
		want string
	}{
		// The article's migration step (§3).
		{"plain", ReceiveSpec{Snapshot: "zroot/bhyve_old/rocky@hamburger", Name: "zroot/bhyve/rocky"},
			"zfs send zroot/bhyve_old/rocky@hamburger | zfs recv zroot/bhyve/rocky"},
		{"raw", ReceiveSpec{Snapshot: "zdata/enc@s", Name: "zdata/copy", Raw: true},
			"zfs send -w zdata/enc@s | zfs recv zdata/copy"},
		{"new encryption root", ReceiveSpec{Snapshot: "zroot/bhyve_old@hamburger", Name: "zroot/bhyve",
			Options: map[string]string{"encryption": "on", "keyformat": "raw", "keylocation": "file:///keys/f0.lan.buetow.org:bhyve.key"}},
			"zfs send zroot/bhyve_old@hamburger | zfs recv -o encryption=on -o keyformat=raw " +
				"-o keylocation=file:///keys/f0.lan.buetow.org:bhyve.key zroot/bhyve"},
		{"quoted", ReceiveSpec{Snapshot: "zroot/a@s", Name: "zroot/b", Options: map[string]string{"com.example:note": "it's"}},
			`zfs send zroot/a@s | zfs recv -o 'com.example:note=it'\''s' zroot/b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReceiveScript(tt.spec); got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
