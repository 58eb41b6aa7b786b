package zfs

import (
	"reflect"
	"strings"
	"testing"
)

// refPoolGet is the start of the derived zpool get listing of §1.3.
var refPoolGet = tabs(`zdata⇥size⇥996432412672⇥-
zdata⇥capacity⇥0⇥-
zdata⇥altroot⇥-⇥default
zdata⇥health⇥ONLINE⇥-
zdata⇥guid⇥1234567890123456789⇥-
zdata⇥version⇥-⇥default
zdata⇥bootfs⇥-⇥default
zdata⇥delegation⇥on⇥default
zdata⇥autoreplace⇥off⇥default
zdata⇥cachefile⇥-⇥default
zdata⇥failmode⇥wait⇥default
zdata⇥listsnapshots⇥off⇥default
zdata⇥autoexpand⇥off⇥default
zdata⇥dedupratio⇥1.00⇥-
zdata⇥free⇥996419723264⇥-
zdata⇥allocated⇥12689408⇥-
zdata⇥readonly⇥off⇥-
zdata⇥ashift⇥0⇥default
zdata⇥comment⇥-⇥default
zdata⇥expandsize⇥-⇥-
zdata⇥freeing⇥0⇥-
zdata⇥fragmentation⇥0⇥-
zdata⇥leaked⇥0⇥-
zdata⇥multihost⇥off⇥default
zdata⇥checkpoint⇥-⇥-
zdata⇥load_guid⇥9876543210987654321⇥-
zdata⇥autotrim⇥off⇥default
zdata⇥compatibility⇥off⇥default
zdata⇥bcloneused⇥0⇥-
zdata⇥bclonesaved⇥0⇥-
zdata⇥bcloneratio⇥1.00⇥-
zdata⇥feature@async_destroy⇥enabled⇥local
zdata⇥feature@empty_bpobj⇥active⇥local
`)

// refPoolRoot is the root dataset after zpool create -m /data (§1.1).
var refPoolRoot = tabs(`zdata⇥type⇥filesystem⇥-
zdata⇥used⇥1003520⇥-
zdata⇥available⇥965257318400⇥-
zdata⇥mounted⇥yes⇥-
zdata⇥mountpoint⇥/data⇥local
zdata⇥compression⇥off⇥default
`)

// refStatus is the layout of §1.4 with -P.
const refStatus = "  pool: zdata\n state: ONLINE\nconfig:\n\n" +
	"\tNAME        STATE     READ WRITE CKSUM\n" +
	"\tzdata       ONLINE       0     0     0\n" +
	"\t  /dev/ada1  ONLINE       0     0     0\n" +
	"\nerrors: No known data errors\n"

func TestParsePoolRead(t *testing.T) {
	out := refPoolGet + markRoot + "\n" + refPoolRoot + markStatus + "\n" + refStatus
	p, err := ParsePoolRead("zdata", out)
	if err != nil {
		t.Fatal(err)
	}
	if p.Health() != "ONLINE" || p.Size() != 996432412672 || p.Allocated() != 12689408 || p.Free() != 996419723264 {
		t.Errorf("health %q size %d alloc %d free %d", p.Health(), p.Size(), p.Allocated(), p.Free())
	}
	if want := []Vdev{{Type: VdevDisk, Devices: []string{"/dev/ada1"}}}; !reflect.DeepEqual(p.Vdevs, want) {
		t.Errorf("vdevs = %+v", p.Vdevs)
	}
	if got := p.UserProperties(); len(got) != 0 {
		t.Errorf("UserProperties = %v; features are not user properties", got)
	}
	if mp, src := p.Root.Mountpoint(); mp != "/data" || !(Property{Source: src}).IsLocal() {
		t.Errorf("root mountpoint %q %v", mp, src)
	}
	if got := p.RootUserProperties(); len(got) != 0 {
		t.Errorf("RootUserProperties = %v", got)
	}
}

func TestParsePoolReadErrors(t *testing.T) {
	tests := []struct{ out, want string }{
		{refPoolGet, "parts are missing"},
		{refPoolGet + markRoot + "\n" + refPoolRoot + markStatus + "\nno config\n", "no config section"},
		{markRoot + "\n" + refPoolRoot + markStatus + "\n" + refStatus, "not listed"},
	}
	for _, tt := range tests {
		_, err := ParsePoolRead("zdata", tt.out)
		checkErr(t, err, tt.want)
	}
}

func TestParseStatusVdevs(t *testing.T) {
	status := func(rows ...string) string {
		return "  pool: tank\n state: ONLINE\n  scan: scrub repaired 0B\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n" +
			"\t" + strings.Join(rows, "\n\t") + "\n\nerrors: No known data errors\n"
	}
	tests := []struct {
		name        string
		out         string
		data, other []Vdev
	}{
		{"stripe", status("tank ONLINE 0 0 0", "  /dev/ada1 ONLINE 0 0 0", "  /dev/ada2 ONLINE 0 0 0"),
			[]Vdev{{Type: VdevDisk, Devices: []string{"/dev/ada1", "/dev/ada2"}}}, nil},
		{"mirror", status("tank ONLINE 0 0 0", "  mirror-0 ONLINE 0 0 0", "    /dev/ada1 ONLINE 0 0 0", "    /dev/ada2 ONLINE 0 0 0"),
			[]Vdev{{Type: VdevMirror, Devices: []string{"/dev/ada1", "/dev/ada2"}}}, nil},
		{"mixed", status("tank ONLINE 0 0 0",
			"  raidz1-0 ONLINE 0 0 0", "    /dev/da0 ONLINE 0 0 0", "    /dev/da1 ONLINE 0 0 0",
			"  raidz2-1 ONLINE 0 0 0", "    /dev/da2 ONLINE 0 0 0", "    /dev/da3 ONLINE 0 0 0", "    /dev/da4 ONLINE 0 0 0",
			"  /dev/da5 ONLINE 0 0 0",
			"logs", "  /dev/nvd0 ONLINE 0 0 0",
			"cache", "  /dev/nvd1 ONLINE 0 0 0"),
			[]Vdev{{Type: VdevRaidz, Devices: []string{"/dev/da0", "/dev/da1"}},
				{Type: VdevRaidz2, Devices: []string{"/dev/da2", "/dev/da3", "/dev/da4"}},
				{Type: VdevDisk, Devices: []string{"/dev/da5"}}},
			[]Vdev{{Type: "logs", Devices: []string{"/dev/nvd0"}}, {Type: "cache", Devices: []string{"/dev/nvd1"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, other, err := ParseStatusVdevs("tank", tt.out)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(data, tt.data) || !reflect.DeepEqual(other, tt.other) {
				t.Fatalf("data %+v other %+v", data, other)
			}
		})
	}
}

func TestVdevsEquivalent(t *testing.T) {
	d := func(devs ...string) Vdev { return Vdev{Type: VdevDisk, Devices: devs} }
	tests := []struct {
		name string
		a, b []Vdev
		want bool
	}{
		{"same", []Vdev{d("/dev/ada1")}, []Vdev{d("/dev/ada1")}, true},
		{"short name", []Vdev{d("ada1")}, []Vdev{d("/dev/ada1")}, true},
		{"grouping", []Vdev{d("ada1"), d("ada2")}, []Vdev{d("ada1", "ada2")}, true},
		{"order", []Vdev{d("ada1", "ada2")}, []Vdev{d("ada2", "ada1")}, false},
		{"kind", []Vdev{{Type: VdevMirror, Devices: []string{"ada1", "ada2"}}}, []Vdev{d("ada1", "ada2")}, false},
		{"more", []Vdev{d("ada1")}, []Vdev{d("ada1", "ada2")}, false},
	}
	for _, tt := range tests {
		if got := VdevsEquivalent(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: got %v", tt.name, got)
		}
	}
}

func TestValidateVdev(t *testing.T) {
	tests := []struct {
		v    Vdev
		want string
	}{
		{Vdev{Type: VdevDisk, Devices: []string{"/dev/ada1"}}, ""},
		{Vdev{Type: VdevDisk, Devices: []string{"ada1"}}, ""},
		{Vdev{Type: VdevMirror, Devices: []string{"/dev/ada1", "/dev/ada2"}}, ""},
		{Vdev{Type: VdevMirror, Devices: []string{"/dev/ada1"}}, "at least 2"},
		{Vdev{Type: VdevRaidz3, Devices: []string{"a", "b", "c"}}, "at least 4"},
		{Vdev{Type: "draid", Devices: []string{"a"}}, "not a vdev type"},
		{Vdev{Type: VdevDisk, Devices: []string{"ada1", "/dev/ada1"}}, "listed twice"},
		{Vdev{Type: VdevDisk, Devices: []string{"dev/ada1"}}, "neither an absolute path"},
		{Vdev{Type: VdevDisk, Devices: []string{"/dev/ada 1"}}, "invalid character"},
		{Vdev{Type: VdevDisk, Devices: []string{"mirror"}}, "vdev keyword"},
	}
	for _, tt := range tests {
		checkErr(t, ValidateVdev(tt.v), tt.want)
	}
}

func TestPoolProperties(t *testing.T) {
	names := []struct{ name, want string }{
		{"ashift", ""}, {"autotrim", ""}, {"altroot", ""}, {"feature@large_dnode", ""},
		{"feature@", "names no feature"}, {"feature@Bad", "not a feature name"},
		{"size", "read-only"}, {"health", "read-only"}, {"nope", "not a pool property"},
	}
	for _, tt := range names {
		checkErr(t, ValidatePoolPropertyName(tt.name), tt.want)
	}
	values := []struct{ name, value, want string }{
		{"ashift", "12", ""}, {"ashift", "0", ""}, {"ashift", "8", "9 to 16"}, {"ashift", "x", "9 to 16"},
		{"autotrim", "on", ""}, {"autotrim", "yes", "not a valid value"},
		{"failmode", "continue", ""}, {"failmode", "stop", "not a valid value"},
		{"feature@large_dnode", "enabled", ""}, {"feature@large_dnode", "active", "enabled or disabled"},
		{"comment", strings.Repeat("x", 33), "at most 32"}, {"altroot", "mnt", "absolute"},
	}
	for _, tt := range values {
		checkErr(t, ValidatePoolPropertyValue(tt.name, tt.value), tt.want)
	}
	if !PoolEquivalent("feature@large_dnode", "enabled", "active") || PoolEquivalent("feature@x", "enabled", "disabled") ||
		PoolEquivalent("autotrim", "on", "off") {
		t.Error("PoolEquivalent")
	}
	if !IsCreateOnlyPoolProperty("altroot") || IsCreateOnlyPoolProperty("autotrim") {
		t.Error("IsCreateOnlyPoolProperty")
	}
}

func TestPoolReadScript(t *testing.T) {
	want := "zpool get -H -p -o name,property,value,source all zdata && echo @f3s-root-dataset && " +
		"zfs get -H -p -o name,property,value,source all zdata && echo @f3s-status && zpool status -P zdata"
	if got := PoolReadScript("zdata"); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestValidateDevice(t *testing.T) {
	for _, d := range []string{"/dev/ada1", "ada1", "da0p1", "/tmp/disk.img", "nvd0", "a-b", "x-"} {
		if err := ValidateDevice(d); err != nil {
			t.Errorf("%q: %v", d, err)
		}
	}
	for _, tt := range []struct{ device, err string }{
		{"", "empty"},
		{"-f", "starts with '-'"},
		{"--help", "starts with '-'"},
		{"-", "starts with '-'"},
		{"mirror", "vdev keyword"},
		{"/dev//ada1", "neither an absolute path"},
		{"gpt/keys", "neither an absolute path"},
		{"ada 1", "invalid character"},
	} {
		if err := ValidateDevice(tt.device); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%q: %v, want %q", tt.device, err, tt.err)
		}
	}
}
