package zfs

import (
	"bytes"
	"strings"
	"testing"
)

// fixture is a state like the article's f0 after zdata/enc and nfsdata
// exist, with one zrepl snapshot; sizes are fixed (no files are tracked).
func fixture() *State {
	p := &Pool{Name: "zdata", Size: 996432412672, Meta: freshPoolMeta, Txg: 100,
		Vdevs: []Vdev{{Type: "disk", Devices: []string{"/dev/ada1"}, Size: 996432412672}}}
	enc := &Encryption{Suite: "aes-256-gcm", Root: "zdata/enc", Format: "raw", Loaded: true}
	p.Datasets = []*Dataset{
		{Name: "zdata", Type: "filesystem", CreateTxg: 1, Local: map[string]string{"mountpoint": "/data"}, Mounted: true, MountedAt: "/data"},
		{Name: "zdata/enc", Type: "filesystem", CreateTxg: 10, Enc: enc, Mounted: true, MountedAt: "/data/enc",
			Local:     map[string]string{"keylocation": "file:///keys/f0.lan.buetow.org:zdata.key"},
			Snapshots: []*Snapshot{{Name: "zrepl_20250701_193148_000", CreateTxg: 20, Refer: 180224}}},
		{Name: "zdata/enc/nfsdata", Type: "filesystem", CreateTxg: 15, Enc: &Encryption{Suite: "aes-256-gcm", Root: "zdata/enc"},
			Local: map[string]string{"mountpoint": "/data/nfs"}, Mounted: true, MountedAt: "/data/nfs"},
	}
	return &State{Pools: []*Pool{p}}
}

func TestListGolden(t *testing.T) {
	st := fixture()
	v := newView(st, testNow.Location(), nil)
	tests := []struct {
		name     string
		fields   string
		types    dsType
		scripted bool
		parsable bool
		want     string
	}{
		{
			name: "default columns", fields: "name,used,available,referenced,mountpoint", types: typeFS | typeVol | typeSnap,
			want: "NAME                                  USED  AVAIL  REFER  MOUNTPOINT\n" +
				"zdata                                 496K   899G    96K  /data\n" +
				"zdata/enc                             400K   899G   200K  /data/enc\n" +
				"zdata/enc@zrepl_20250701_193148_000     0B      -   176K  -\n" +
				"zdata/enc/nfsdata                     200K   899G   200K  /data/nfs\n",
		},
		{
			name: "scripted parsable", fields: "name,used,avail,refer,mountpoint", types: typeFS | typeVol | typeSnap, scripted: true, parsable: true,
			want: "zdata\t507904\t965280800768\t98304\t/data\n" +
				"zdata/enc\t409600\t965280800768\t204800\t/data/enc\n" +
				"zdata/enc@zrepl_20250701_193148_000\t0\t-\t180224\t-\n" +
				"zdata/enc/nfsdata\t204800\t965280800768\t204800\t/data/nfs\n",
		},
		{
			name: "mounted", fields: "name,mountpoint,mounted", types: typeFS,
			want: "NAME               MOUNTPOINT  MOUNTED\n" +
				"zdata              /data       yes\n" +
				"zdata/enc          /data/enc   yes\n" +
				"zdata/enc/nfsdata  /data/nfs   yes\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields, err := parseFields(tt.fields)
			if err != nil {
				t.Fatal(err)
			}
			nodes, _ := st.walk(nil, walkOpts{types: tt.types, recurse: true, depth: -1})
			var b bytes.Buffer
			v.writeList(&b, nodes, fields, tt.scripted, tt.parsable)
			if b.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tt.want)
			}
		})
	}
}

func TestGetGolden(t *testing.T) {
	st := fixture()
	v := newView(st, testNow.Location(), nil)
	n, _ := st.resolve("zdata/enc/nfsdata")
	fields, _ := parseFields("mounted")
	o := getOpts{fields: fields, columns: []getColumn{colName, colProperty, colValue, colSource}}
	var b bytes.Buffer
	v.writeGet(&b, []node{n}, v.getLines([]node{n}, o), o)
	want := "NAME               PROPERTY  VALUE    SOURCE\nzdata/enc/nfsdata  mounted   yes      -\n"
	if b.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", b.String(), want)
	}
	// A received sink copy, as on f1.
	st.Pools[0].Datasets = append(st.Pools[0].Datasets, &Dataset{Name: "zdata/sink/f0/zdata/enc/nfsdata", Type: "filesystem", CreateTxg: 50,
		Enc: &Encryption{Suite: "aes-256-gcm", Root: "zdata/sink/f0/zdata/enc/nfsdata", Format: "raw"}, Local: map[string]string{"keylocation": "prompt"}})
	st.Pools[0].sortDatasets()
	n, _ = st.resolve("zdata/sink/f0/zdata/enc/nfsdata")
	fields, _ = parseFields("keystatus")
	o.fields = fields
	b.Reset()
	v.writeGet(&b, []node{n}, v.getLines([]node{n}, o), o)
	want = "NAME                             PROPERTY   VALUE        SOURCE\nzdata/sink/f0/zdata/enc/nfsdata  keystatus  unavailable  -\n"
	if b.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", b.String(), want)
	}
	// Unencrypted dataset: keystatus and encryptionroot print "-".
	n, _ = st.resolve("zdata")
	fields, _ = parseFields("encryption,keystatus,encryptionroot,keyformat,keylocation")
	o = getOpts{fields: fields, columns: []getColumn{colName, colProperty, colValue, colSource}, scripted: true}
	b.Reset()
	v.writeGet(&b, []node{n}, v.getLines([]node{n}, o), o)
	want = "zdata\tencryption\toff\tdefault\nzdata\tkeystatus\t-\t-\nzdata\tencryptionroot\t-\t-\nzdata\tkeyformat\tnone\tdefault\nzdata\tkeylocation\tnone\tdefault\n"
	if b.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", b.String(), want)
	}
}

func TestGetAllOrderAndWidth(t *testing.T) {
	h := newTestHost(t)
	out := must(t, h, "zfs get all zroot/bhyve/rocky")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != "NAME               PROPERTY              VALUE                  SOURCE" {
		t.Errorf("header = %q", lines[0])
	}
	var names []string
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		names = append(names, f[1])
	}
	want := "type creation used available referenced compressratio mounted quota reservation recordsize mountpoint sharenfs " +
		"checksum compression atime devices exec setuid readonly jailed snapdir aclmode aclinherit createtxg canmount xattr " +
		"copies version utf8only normalization casesensitivity vscan nbmand sharesmb refquota refreservation guid " +
		"primarycache secondarycache usedbysnapshots usedbydataset usedbychildren usedbyrefreservation logbias objsetid " +
		"dedup sync dnodesize refcompressratio written logicalused logicalreferenced volmode filesystem_limit " +
		"snapshot_limit filesystem_count snapshot_count snapdev context fscontext defcontext rootcontext relatime " +
		"redundant_metadata overlay encryption keylocation keyformat pbkdf2iters special_small_blocks"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("zfs get all order:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(out, "zroot/bhyve/rocky  compression           lz4                    inherited from zroot\n") {
		t.Errorf("compression line missing or misaligned:\n%s", out)
	}
	if !strings.Contains(out, "zroot/bhyve/rocky  creation              Sun Jun  1 22:41 2025  -\n") {
		t.Errorf("creation line missing or misaligned:\n%s", out)
	}
}

func TestZpoolGolden(t *testing.T) {
	h := newTestHost(t)
	must(t, h, "zpool create -m /data zdata /dev/ada1")
	status := must(t, h, "zpool status zdata")
	want := "  pool: zdata\n state: ONLINE\nconfig:\n\n" +
		"\tNAME        STATE     READ WRITE CKSUM\n" +
		"\tzdata       ONLINE       0     0     0\n" +
		"\t  ada1      ONLINE       0     0     0\n\n" +
		"errors: No known data errors\n"
	if status != want {
		t.Errorf("zpool status:\n%s\nwant:\n%s", status, want)
	}
	if got := must(t, h, "zpool status -P zdata"); !strings.Contains(got, "\t  /dev/ada1  ONLINE       0     0     0\n") {
		t.Errorf("zpool status -P:\n%s", got)
	}
	if got := must(t, h, "zpool status -x"); got != "all pools are healthy\n" {
		t.Errorf("zpool status -x = %q", got)
	}
	if got := must(t, h, "zpool status -x zdata"); got != "pool 'zdata' is healthy\n" {
		t.Errorf("zpool status -x zdata = %q", got)
	}
	all := must(t, h, "zpool get -H -p -o name,property,value,source all zdata")
	lines := strings.Split(all, "\n")
	wantHead := []string{
		"zdata\tsize\t996432412672\t-",
		"zdata\tcapacity\t0\t-",
		"zdata\taltroot\t-\tdefault",
		"zdata\thealth\tONLINE\t-",
	}
	for i, w := range wantHead {
		if lines[i] != w {
			t.Errorf("zpool get all line %d = %q, want %q", i, lines[i], w)
		}
	}
	for _, w := range []string{
		"zdata\tversion\t-\tdefault", "zdata\tfailmode\twait\tdefault", "zdata\tdedupratio\t1.00\t-",
		"zdata\tallocated\t12689408\t-", "zdata\tfree\t996419723264\t-", "zdata\treadonly\toff\t-",
		"zdata\texpandsize\t-\t-", "zdata\tcheckpoint\t-\t-", "zdata\tcompatibility\toff\tdefault",
		"zdata\tbcloneratio\t1.00\t-", "zdata\tfeature@async_destroy\tenabled\tlocal", "zdata\tfeature@empty_bpobj\tactive\tlocal",
	} {
		if !strings.Contains(all, w+"\n") {
			t.Errorf("zpool get all lacks %q", w)
		}
	}
	if got := must(t, h, "zpool get -H -o value capacity,fragmentation,dedupratio zdata"); got != "0%\n0%\n1.00x\n" {
		t.Errorf("zpool get human values = %q", got)
	}
	must(t, h, "zpool export zdata")
	imp := must(t, h, "zpool import")
	if !strings.HasPrefix(imp, "   pool: zdata\n     id: ") ||
		!strings.HasSuffix(imp, "  state: ONLINE\n action: The pool can be imported using its name or numeric identifier.\n config:\n\n\tzdata       ONLINE\n\t  ada1      ONLINE\n") {
		t.Errorf("zpool import:\n%s", imp)
	}
	if got := must(t, h, "zpool list -H -o name"); got != "zroot\n" {
		t.Errorf("exported pool still listed: %q", got)
	}
	must(t, h, "zpool import zdata")
	if got := must(t, h, "zfs get -H -o value mounted zdata"); got != "yes\n" {
		t.Errorf("imported pool root mounted = %q", got)
	}
}

func TestMirrorAndRaidzStatus(t *testing.T) {
	h := newTestHost(t)
	must(t, h, "zpool create tank mirror ada1 da0")
	got := must(t, h, "zpool status tank")
	want := "\tNAME        STATE     READ WRITE CKSUM\n" +
		"\ttank        ONLINE       0     0     0\n" +
		"\t  mirror-0  ONLINE       0     0     0\n" +
		"\t    ada1    ONLINE       0     0     0\n" +
		"\t    da0     ONLINE       0     0     0\n"
	if !strings.Contains(got, want) {
		t.Errorf("mirror status:\n%s", got)
	}
	if got := must(t, h, "zpool list -H -p -o name,size tank"); got != "tank\t"+uitoa(vdevSize(da0Size))+"\n" {
		t.Errorf("mirror size = %q", got)
	}
}

func TestHoldsAndMountListing(t *testing.T) {
	h := newTestHost(t)
	must(t, h, "zfs snapshot -r zroot/bhyve@zrepl_20250701_193148_000")
	must(t, h, "zfs hold -r zrepl_STEP_J_f0_to_f1 zroot/bhyve@zrepl_20250701_193148_000")
	got := must(t, h, "zfs holds -r zroot/bhyve@zrepl_20250701_193148_000")
	want := "NAME                                               TAG                    TIMESTAMP\n" +
		"zroot/bhyve@zrepl_20250701_193148_000        zrepl_STEP_J_f0_to_f1  Tue Jul  1 22:31 2025\n"
	if !strings.HasPrefix(got, "NAME  ") || !strings.Contains(got, "zroot/bhyve/rocky@zrepl_20250701_193148_000  zrepl_STEP_J_f0_to_f1  Tue Jul  1 22:31 2025\n") {
		t.Errorf("zfs holds:\n%s\n(wanted lines like %q)", got, want)
	}
	if got := must(t, h, "zfs holds -H zroot/bhyve@zrepl_20250701_193148_000"); got != "zroot/bhyve@zrepl_20250701_193148_000\tzrepl_STEP_J_f0_to_f1\tTue Jul  1 22:31 2025\n" {
		t.Errorf("zfs holds -H = %q", got)
	}
	if got := must(t, h, "zfs get -H -o value userrefs zroot/bhyve@zrepl_20250701_193148_000"); got != "1\n" {
		t.Errorf("userrefs = %q", got)
	}
	must(t, h, "zfs bookmark zroot/bhyve@zrepl_20250701_193148_000 zroot/bhyve#zrepl_CURSOR_G_0000000000000001_J_f0_to_f1")
	got = must(t, h, "zfs list -H -t bookmark -o name,type -r zroot")
	if got != "zroot/bhyve#zrepl_CURSOR_G_0000000000000001_J_f0_to_f1\tbookmark\n" {
		t.Errorf("bookmarks = %q", got)
	}
	mounts := must(t, h, "zfs mount")
	if !strings.HasPrefix(mounts, "zroot/ROOT/default              /\n") {
		t.Errorf("zfs mount:\n%s", mounts)
	}
}

func TestSendEstimatesAndReceiveOptions(t *testing.T) {
	h := newTestHost(t)
	must(t, h, "zfs snapshot zroot/bhyve/rocky@a")
	must(t, h, "zfs snapshot zroot/bhyve/rocky@b")
	got := must(t, h, "zfs send -nvP -i @a zroot/bhyve/rocky@b")
	if got != "incremental\tzroot/bhyve/rocky@a\tzroot/bhyve/rocky@b\t"+"16384\nsize\t16384\n" {
		t.Errorf("send -nvP = %q", got)
	}
	got = must(t, h, "zfs send -nv zroot/bhyve/rocky@a")
	if got != "full send of zroot/bhyve/rocky@a estimated size is 16K\ntotal estimated size is 16K\n" {
		t.Errorf("send -nv = %q", got)
	}
	must(t, h, "zfs send zroot/bhyve/rocky@a | zfs recv -u -o mountpoint=/vm -o org.f3s:note=copy zroot/copy")
	if got := must(t, h, "zfs get -H -o value,source mountpoint,mounted,org.f3s:note zroot/copy"); got != "/vm\tlocal\nno\t-\ncopy\tlocal\n" {
		t.Errorf("received with -u -o: %q", got)
	}
	must(t, h, "zfs mount zroot/copy")
	if !h.Tree.Exists("/vm/rocky.conf") {
		t.Errorf("received files not at /vm")
	}
	must(t, h, "zfs set org.f3s:note=sent zroot/bhyve/rocky")
	must(t, h, "zfs snapshot zroot/bhyve/rocky@c")
	must(t, h, "zfs send -p -I @a zroot/bhyve/rocky@c | zfs recv -x org.f3s:x zroot/copy")
	if got := must(t, h, "zfs list -H -o name -t snapshot -r zroot/copy"); got != "zroot/copy@a\nzroot/copy@b\nzroot/copy@c\n" {
		t.Errorf("-I snapshots = %q", got)
	}
	if got := must(t, h, "zfs get -H -o all org.f3s:note zroot/copy"); got != "zroot/copy\torg.f3s:note\tcopy\tsent\tlocal\n" {
		t.Errorf("received column: %q", got)
	}
	if got := must(t, h, "zfs get -H -o value,source org.f3s:note zroot/copy"); got != "copy\tlocal\n" {
		t.Errorf("local wins over received: %q", got)
	}
	must(t, h, "zfs inherit -S org.f3s:note zroot/copy")
	if got := must(t, h, "zfs get -H -o value,source org.f3s:note zroot/copy"); got != "sent\treceived\n" {
		t.Errorf("after inherit -S: %q", got)
	}
}

func TestEncryptedPoolRoot(t *testing.T) {
	h := newTestHost(t)
	writeKey(t, h, "/keys/p.key", key(9))
	must(t, h, "zpool create -O encryption=on -O keyformat=raw -O keylocation=file:///keys/p.key -m /secure zsec /dev/ada1")
	must(t, h, "zfs create zsec/a")
	got := must(t, h, "zfs get -H -o name,value encryptionroot,keylocation zsec zsec/a")
	want := "zsec\tzsec\nzsec\tfile:///keys/p.key\nzsec/a\tzsec\nzsec/a\tnone\n"
	if got != want {
		t.Errorf("encrypted pool:\n%q\nwant\n%q", got, want)
	}
	r := run(t, h, "zpool create -O encryption=on zbad /dev/da0")
	if r.rc != 1 || r.err != "cannot create 'zbad': Keyformat required for new encryption root.\n" {
		t.Errorf("pool without keyformat: %+v", r)
	}
	if got := holderOf(t, h, "/dev/da0"); got != "" {
		t.Errorf("failed create holds da0: %q", got)
	}
}

func TestTemporaryMountOption(t *testing.T) {
	h := newTestHost(t)
	must(t, h, "zfs unmount zroot/bhyve/rocky")
	must(t, h, "zfs mount -o ro zroot/bhyve/rocky")
	if got := must(t, h, "zfs get -H -o value,source readonly zroot/bhyve/rocky"); got != "on\ttemporary\n" {
		t.Errorf("readonly after mount -o ro = %q", got)
	}
	if got := must(t, h, "zfs get -H -s temporary -o name readonly"); got != "zroot/bhyve/rocky\n" {
		t.Errorf("-s temporary = %q", got)
	}
	must(t, h, "zfs unmount zroot/bhyve/rocky")
	if got := must(t, h, "zfs get -H -o value,source readonly zroot/bhyve/rocky"); got != "off\tdefault\n" {
		t.Errorf("readonly after unmount = %q", got)
	}
}
