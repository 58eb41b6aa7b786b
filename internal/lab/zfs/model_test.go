package zfs

import (
	"strings"
	"testing"
	"time"
)

func TestVdevSize(t *testing.T) {
	tests := []struct {
		disk, want uint64
	}{
		{ada1Size, 996432412672},               // 928G, as the article's zpool list
		{506810000000 + labelSpace, zrootSize}, // a partition the size zroot has
		{da0Size, 29 << 29},                    // the 15000 MB stick: 29 metaslabs of 512 MiB
		{64 << 20, 0},
	}
	for _, tt := range tests {
		got := vdevSize(tt.disk)
		if tt.want == 0 {
			if got >= tt.disk {
				t.Errorf("vdevSize(%d) = %d, not below the disk", tt.disk, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("vdevSize(%d) = %d, want %d", tt.disk, got, tt.want)
		}
	}
}

func TestCheckName(t *testing.T) {
	tests := []struct {
		name    string
		allowed dsType
		want    string
	}{
		{"zdata/enc", typeFS, ""},
		{"zdata/enc@s", typeFS, "snapshot delimiter '@' is not expected here"},
		{"zdata/enc#b", typeFS, "bookmark delimiter '#' is not expected here"},
		{"zdata/enc@s", typeSnap, ""},
		{"zdata/enc", typeSnap, "missing '@' delimiter in snapshot name"},
		{"zdata//enc", typeFS, "empty component or misplaced '@' or '#' delimiter in name"},
		{"zdata/enc/", typeFS, "trailing slash in name"},
		{"/zdata", typeFS, "leading slash in name"},
		{"zdata/../x", typeFS, "parent reference, '..' is found in name"},
		{"zdata/a*b", typeFS, "invalid character '*' in name"},
		{"1data/x", typeFS, "pool doesn't begin with a letter"},
		{"zdata/enc@a@b", typeSnap, "multiple '@' and/or '#' delimiters in name"},
		{strings.Repeat("a", 256), typeFS, "name is too long"},
	}
	for _, tt := range tests {
		if got := checkName(tt.name, tt.allowed); got != tt.want {
			t.Errorf("checkName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	for name, want := range map[string]string{
		"zdata": "", "1data": "name must begin with a letter", "mirror": "name is reserved", "c0d0": "pool name is reserved",
		"zda/ta": "invalid character '/' in pool name",
	} {
		if got := checkPoolName(name); got != want {
			t.Errorf("checkPoolName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestValidateProp(t *testing.T) {
	tests := []struct {
		name, value string
		t           dsType
		creating    bool
		want        string
		err         string
	}{
		{"encryption", "on", typeFS, true, "aes-256-gcm", ""},
		{"encryption", "on", typeFS, false, "", "'encryption' is readonly"},
		{"quota", "10G", typeFS, false, "10737418240", ""},
		{"quota", "none", typeFS, false, "0", ""},
		{"recsize", "1M", typeFS, false, "1048576", ""},
		{"recordsize", "3K", typeFS, false, "", "invalid recordsize"},
		{"volsize", "1G", typeFS, false, "", "'volsize' does not apply to datasets of this type"},
		{"compress", "zstd-fast-1000", typeFS, false, "zstd-fast-1000", ""},
		{"canmount", "maybe", typeFS, false, "", "'canmount' must be one of 'on | off | noauto'"},
		{"mountpoint", "/data/", typeFS, false, "/data", ""},
		{"keylocation", "file:///keys/x", typeFS, false, "file:///keys/x", ""},
		{"keylocation", "file://x", typeFS, false, "", "invalid keylocation"},
		{"pbkdf2iters", "1000", typeFS, true, "", "minimum pbkdf2 iterations is 100000"},
		{"org.f3s:managed", "yes", typeFS, false, "yes", ""},
		{"Org:x", "yes", typeFS, false, "", "invalid property 'Org:x'"},
	}
	for _, tt := range tests {
		ps, err := validateProp(tt.name, tt.value, tt.t, tt.creating)
		if err != tt.err || (err == "" && ps.value != tt.want) {
			t.Errorf("validateProp(%s=%s) = %q, %q; want %q, %q", tt.name, tt.value, ps.value, err, tt.want, tt.err)
		}
	}
}

func TestWrappingKey(t *testing.T) {
	raw := key(7)
	hexKey := []byte(strings.Repeat("07", 32) + "\n")
	k1, err := wrappingKey("raw", raw, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := wrappingKey("hex", hexKey, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fingerprint(k1) != fingerprint(k2) {
		t.Errorf("raw and hex of the same bytes differ")
	}
	p1, err := wrappingKey("passphrase", []byte("correct horse\n"), 42, 100000)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := wrappingKey("passphrase", []byte("correct horse"), 43, 100000)
	if fingerprint(p1) == fingerprint(p2) {
		t.Errorf("salt does not change the passphrase key")
	}
	for _, tt := range []struct {
		format string
		in     string
		err    string
	}{
		{"raw", strings.Repeat("x", 31), "Raw key too short (expected 32)."},
		{"raw", strings.Repeat("x", 33), "Raw key too long (expected 32)."},
		{"hex", strings.Repeat("0", 63), "Hex key too short (expected 64)."},
		{"hex", strings.Repeat("0", 65), "Hex key too long (expected 64)."},
		{"hex", strings.Repeat("z", 64), "Invalid hex key provided."},
		{"passphrase", "1234567", "Passphrase too short (min 8)."},
		{"passphrase", strings.Repeat("p", 513), "Passphrase too long (max 512)."},
	} {
		if _, err := wrappingKey(tt.format, []byte(tt.in), 1, 100000); err == nil || err.Error() != tt.err {
			t.Errorf("wrappingKey(%s, %d bytes) error = %v, want %q", tt.format, len(tt.in), err, tt.err)
		}
	}
}

func TestArchiveSumIgnoresTimes(t *testing.T) {
	a := &archive{Entries: []entry{{Path: "f", Mode: 0o644, Owner: "root", Group: "wheel", Data: []byte("x"), MTime: 1}}}
	b := &archive{Entries: []entry{{Path: "f", Mode: 0o644, Owner: "root", Group: "wheel", Data: []byte("x"), MTime: 2}}}
	c := &archive{Entries: []entry{{Path: "f", Mode: 0o644, Owner: "root", Group: "wheel", Data: []byte("y"), MTime: 1}}}
	if a.sum() != b.sum() {
		t.Errorf("times change the hash")
	}
	if a.sum().Hash == c.sum().Hash {
		t.Errorf("data does not change the hash")
	}
	if a.sum().Bytes != sector {
		t.Errorf("one small file takes %d bytes, want a sector", a.sum().Bytes)
	}
}

func TestStreamRoundTrip(t *testing.T) {
	s := &stream{Source: "zdata/enc/nfsdata", Type: "filesystem", Raw: true,
		Encryption: &streamCrypt{Suite: "aes-256-gcm", Format: "raw", KeyFP: "ab"},
		From:       &streamFrom{Name: "a", GUID: 1},
		Snapshots:  []streamSnap{{Name: "b", GUID: 2, Files: archive{Entries: []entry{{Path: "x", Mode: 0o600, Data: []byte{0, 1, 2}}}}}}}
	b, err := s.encode()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "LAB-ZFS-STREAM 1\n{") {
		t.Errorf("stream header: %q", b[:20])
	}
	got, err := decodeStream(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != s.Source || got.From.GUID != 1 || string(got.Snapshots[0].Files.Entries[0].Data) != "\x00\x01\x02" || got.Encryption.KeyFP != "ab" {
		t.Errorf("round trip: %+v", got)
	}
	for in, want := range map[string]string{"": "failed to read from stream", "garbage": "invalid stream (bad magic number)"} {
		if _, err := decodeStream([]byte(in)); err == nil || err.Error() != want {
			t.Errorf("decodeStream(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestMountpointInheritance(t *testing.T) {
	p := &Pool{Name: "zroot", Datasets: []*Dataset{
		{Name: "zroot", Local: map[string]string{"mountpoint": "/zroot"}},
		{Name: "zroot/ROOT", Local: map[string]string{"mountpoint": "none"}},
		{Name: "zroot/ROOT/default", Local: map[string]string{"mountpoint": "/"}},
		{Name: "zroot/ROOT/default/x"},
		{Name: "zroot/a"},
		{Name: "zroot/a/b"},
		{Name: "zroot/r", Received: map[string]string{"mountpoint": "/r"}},
		{Name: "zroot/r/c"},
	}}
	q := &Pool{Name: "tank", Datasets: []*Dataset{{Name: "tank"}, {Name: "tank/x"}}}
	tests := []struct {
		p        *Pool
		ds       string
		val, src string
	}{
		{p, "zroot", "/zroot", "local"},
		{p, "zroot/ROOT", "none", "local"},
		{p, "zroot/ROOT/default", "/", "local"},
		{p, "zroot/ROOT/default/x", "/x", "inherited from zroot/ROOT/default"},
		{p, "zroot/a/b", "/zroot/a/b", "inherited from zroot"},
		{p, "zroot/r", "/r", "received"},
		{p, "zroot/r/c", "/r/c", "inherited from zroot/r"},
		{q, "tank", "/tank", "default"},
		{q, "tank/x", "/tank/x", "default"},
	}
	for _, tt := range tests {
		v, s := mountpoint(tt.p, tt.p.dataset(tt.ds))
		if v != tt.val || s != tt.src {
			t.Errorf("mountpoint(%s) = %q, %q; want %q, %q", tt.ds, v, s, tt.val, tt.src)
		}
	}
}

func TestSortNodes(t *testing.T) {
	p := &Pool{Name: "zdata"}
	mk := func(name string) *Dataset { return &Dataset{Name: name} }
	enc, nfs, enc2 := mk("zdata/enc"), mk("zdata/enc/nfsdata"), mk("zdata/enc2")
	s1, s2 := &Snapshot{Name: "z", CreateTxg: 5}, &Snapshot{Name: "a", CreateTxg: 9}
	ns := []node{{pool: p, ds: enc2}, {pool: p, ds: enc, snap: s2}, {pool: p, ds: nfs}, {pool: p, ds: enc, snap: s1}, {pool: p, ds: enc}}
	sortNodes(ns)
	var got []string
	for _, n := range ns {
		got = append(got, n.name())
	}
	want := "zdata/enc zdata/enc@z zdata/enc@a zdata/enc/nfsdata zdata/enc2"
	if strings.Join(got, " ") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
}

func TestGetopt(t *testing.T) {
	opts, rest, oe := getopt([]string{"-Hpo", "name,used", "-r", "zdata", "-x"}, ":Hpo:r")
	if oe != nil || len(opts) != 4 || opts[2].arg != "name,used" || len(rest) != 2 {
		t.Errorf("getopt = %+v, %v, %v", opts, rest, oe)
	}
	if _, _, oe := getopt([]string{"-z"}, ":H"); oe == nil || oe.c != 'z' || oe.missing {
		t.Errorf("unknown option: %+v", oe)
	}
	if _, _, oe := getopt([]string{"-o"}, ":o:"); oe == nil || !oe.missing {
		t.Errorf("missing argument: %+v", oe)
	}
}

func TestZvolReservation(t *testing.T) {
	got := zvolReservation(1<<30, 16384)
	if got <= 1<<30 || got > (1<<30)+(1<<30)/50 {
		t.Errorf("zvolReservation(1G) = %d", got)
	}
}

func TestDateAndHoldFormatsUseHostZone(t *testing.T) {
	loc := time.FixedZone("UTC+3", 3*3600)
	if got := dateString(testNow.Unix(), loc); got != "Tue Jul  1 22:31 2025" {
		t.Errorf("dateString = %q", got)
	}
}
