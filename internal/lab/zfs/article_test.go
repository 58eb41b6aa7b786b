package zfs

import (
	"bytes"
	"strings"
	"testing"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

// TestArticleStorageSequence replays the article's ZFS steps on a seeded
// host as root and checks outputs, exit codes and files.
func TestArticleStorageSequence(t *testing.T) {
	h := newTestHost(t)
	must(t, h, "zpool create -m /data zdata /dev/ada1")
	got := must(t, h, "zpool list")
	want := "NAME    SIZE  ALLOC   FREE  CKPOINT  EXPANDSZ   FRAG    CAP  DEDUP    HEALTH  ALTROOT\n" +
		"zdata   928G  12.1M   928G        -         -     0%     0%  1.00x    ONLINE  -\n" +
		"zroot   472G  29.0G   443G        -         -     0%     6%  1.00x    ONLINE  -\n"
	if got != want {
		t.Errorf("zpool list:\n%s\nwant:\n%s", got, want)
	}
	if got, want := must(t, h, "zpool list -H -p -o name,size,alloc,free,health zdata"), "zdata\t996432412672\t12689408\t996419723264\tONLINE\n"; got != want {
		t.Errorf("zpool list -Hp = %q, want %q", got, want)
	}
	writeKey(t, h, "/keys/f0.lan.buetow.org:zdata.key", key(1))
	writeKey(t, h, "/keys/f0.lan.buetow.org:bhyve.key", key(2))
	must(t, h, "zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/f0.lan.buetow.org:zdata.key zdata/enc")
	got = run(t, h, "zfs list | grep zdata").out
	if got != "" {
		t.Logf("grep is not available in this test host: %q", got)
	}
	got = must(t, h, "zfs list -r zdata")
	want = "NAME        USED  AVAIL  REFER  MOUNTPOINT\n" +
		"zdata       296K   899G    96K  /data\n" +
		"zdata/enc   200K   899G   200K  /data/enc\n"
	if got != want {
		t.Errorf("zfs list -r zdata:\n%s\nwant:\n%s", got, want)
	}
	got = must(t, h, "zfs get -H -p -o name,property,value,source encryption,keyformat,keylocation,encryptionroot,keystatus,mounted,readonly,mountpoint zdata/enc")
	want = "zdata/enc\tencryption\taes-256-gcm\t-\n" +
		"zdata/enc\tkeyformat\traw\t-\n" +
		"zdata/enc\tkeylocation\tfile:///keys/f0.lan.buetow.org:zdata.key\tlocal\n" +
		"zdata/enc\tencryptionroot\tzdata/enc\t-\n" +
		"zdata/enc\tkeystatus\tavailable\t-\n" +
		"zdata/enc\tmounted\tyes\t-\n" +
		"zdata/enc\treadonly\toff\tdefault\n" +
		"zdata/enc\tmountpoint\t/data/enc\tinherited from zdata\n"
	if got != want {
		t.Errorf("zfs get -Hp:\n%s\nwant:\n%s", got, want)
	}
	all := must(t, h, "zfs get all zdata/enc")
	for _, line := range []string{
		"zdata/enc  encryption            aes-256-gcm                               -\n",
		"zdata/enc  keylocation           file:///keys/f0.lan.buetow.org:zdata.key  local\n",
		"zdata/enc  keyformat             raw                                       -\n",
		"zdata/enc  encryptionroot        zdata/enc                                 -\n",
		"zdata/enc  keystatus             available                                 -\n",
	} {
		if !strings.Contains(all, line) {
			t.Errorf("zfs get all zdata/enc lacks %q", line)
		}
	}
	must(t, h, "zfs create zdata/enc/nfsdata")
	if got, want := must(t, h, "zfs get mounted zdata/enc/nfsdata"), "NAME               PROPERTY  VALUE    SOURCE\nzdata/enc/nfsdata  mounted   yes      -\n"; got != want {
		t.Errorf("zfs get mounted:\n%q\nwant\n%q", got, want)
	}

	// The bhyve migration.
	must(t, h, "zfs rename zroot/bhyve zroot/bhyve_old")
	must(t, h, "zfs set mountpoint=/mnt zroot/bhyve_old")
	if !h.Tree.Exists("/mnt/rocky/rocky.conf") || h.Tree.Exists("/zroot/bhyve/rocky/rocky.conf") {
		t.Fatalf("rocky's files did not move to /mnt/rocky")
	}
	must(t, h, "zfs snapshot zroot/bhyve_old/rocky@hamburger")
	must(t, h, "zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/f0.lan.buetow.org:bhyve.key zroot/bhyve")
	must(t, h, "zfs set mountpoint=/zroot/bhyve zroot/bhyve")
	r := run(t, h, "zfs set mountpoint=/zroot/bhyve/rocky zroot/bhyve/rocky")
	if r.rc != 1 || r.err != "cannot open 'zroot/bhyve/rocky': dataset does not exist\n" {
		t.Errorf("set on missing dataset: %+v", r)
	}
	must(t, h, "zfs send zroot/bhyve_old/rocky@hamburger | zfs recv zroot/bhyve/rocky")
	data, err := h.Tree.ReadFile(h.Root(), "/zroot/bhyve/rocky/rocky.conf")
	if err != nil || !strings.Contains(string(data), "cpu=4") {
		t.Fatalf("rocky.conf after receive: %q, %v", data, err)
	}
	must(t, h, "zfs destroy -R zroot/bhyve_old")
	if h.Tree.Exists("/mnt/rocky") {
		t.Errorf("/mnt/rocky survived destroy")
	}
	rockyAll := must(t, h, "zfs get all zroot/bhyve/rocky")
	for _, line := range []string{
		"zroot/bhyve/rocky  encryption            aes-256-gcm            -\n",
		"zroot/bhyve/rocky  keylocation           none                   default\n",
		"zroot/bhyve/rocky  keyformat             raw                    -\n",
		"zroot/bhyve/rocky  encryptionroot        zroot/bhyve            -\n",
		"zroot/bhyve/rocky  keystatus             available              -\n",
	} {
		if !strings.Contains(rockyAll, line) {
			t.Errorf("zfs get all zroot/bhyve/rocky lacks %q", line)
		}
	}
	// What rc.d/zfskeys asks, and what a non-root user may read.
	if got := must(t, h, "zfs get -H -s local -o value,name keylocation"); got != "file:///keys/f0.lan.buetow.org:zdata.key\tzdata/enc\nfile:///keys/f0.lan.buetow.org:bhyve.key\tzroot/bhyve\n" {
		t.Errorf("zfs get -s local keylocation = %q", got)
	}
	if r := runAs(t, h, h.LoginUser, "zfs get -H -o value keystatus zroot/bhyve"); r.rc != 0 || r.out != "available\n" {
		t.Errorf("non-root get: %+v", r)
	}
	got = must(t, h, "zfs get -H -o property,value,source encryption,keylocation,keyformat,encryptionroot,keystatus zroot/bhyve/rocky")
	want = "encryption\taes-256-gcm\t-\nkeylocation\tnone\tdefault\nkeyformat\traw\t-\nencryptionroot\tzroot/bhyve\t-\nkeystatus\tavailable\t-\n"
	if got != want {
		t.Errorf("rocky encryption:\n%s\nwant:\n%s", got, want)
	}

	// Raw send to another pool keeps the sender's key.
	must(t, h, "zfs snapshot zdata/enc/nfsdata@s1")
	if err := h.Tree.WriteFile(h.Root(), "/data/enc/nfsdata/hello.txt", []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, h, "zfs snapshot zdata/enc/nfsdata@s2")
	must(t, h, "zpool create zbak /dev/da0")
	must(t, h, "zfs send -w zdata/enc/nfsdata@s1 | zfs recv zbak/nfsdata")
	must(t, h, "zfs send -w -i @s1 zdata/enc/nfsdata@s2 | zfs recv zbak/nfsdata")
	got = must(t, h, "zfs get -H -o value keystatus,keylocation,encryptionroot,mounted zbak/nfsdata")
	if got != "unavailable\nprompt\nzbak/nfsdata\nno\n" {
		t.Errorf("raw received dataset: %q", got)
	}
	r = run(t, h, "zfs mount zbak/nfsdata")
	if r.rc != 1 || r.err != "cannot mount 'zbak/nfsdata': encryption key not loaded\n" {
		t.Errorf("mount without key: %+v", r)
	}
	r = run(t, h, "zfs load-key -L file:///keys/f0.lan.buetow.org:bhyve.key zbak/nfsdata")
	if r.rc != 255 || r.err != "Key load error: Incorrect key provided for 'zbak/nfsdata'.\n" {
		t.Errorf("wrong key: %+v", r)
	}
	must(t, h, "zfs load-key -L file:///keys/f0.lan.buetow.org:zdata.key zbak/nfsdata")
	must(t, h, "zfs set mountpoint=/data/nfs zbak/nfsdata")
	data, err = h.Tree.ReadFile(h.Root(), "/data/nfs/hello.txt")
	if err != nil || string(data) != "hello\n" {
		t.Fatalf("received file: %q, %v", data, err)
	}
	r = run(t, h, "zfs mount zbak/nfsdata")
	if r.rc != 1 || r.err != "cannot mount 'zbak/nfsdata': filesystem already mounted\n" {
		t.Errorf("second mount: %+v", r)
	}
	// A write on the copy breaks the next incremental receive.
	must(t, h, "zfs snapshot zdata/enc/nfsdata@s3")
	if err := h.Tree.WriteFile(h.Root(), "/data/nfs/local.txt", []byte("oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, h, "zfs send -w -i @s2 zdata/enc/nfsdata@s3 | zfs recv zbak/nfsdata")
	if r.rc != 1 || r.err != "cannot receive incremental stream: destination zbak/nfsdata has been modified\nsince most recent snapshot\n" {
		t.Errorf("modified destination: %+v", r)
	}
	must(t, h, "zfs rollback zbak/nfsdata@s2")
	must(t, h, "zfs send -w -i @s2 zdata/enc/nfsdata@s3 | zfs recv zbak/nfsdata")

	// Destroy errors.
	r = run(t, h, "zfs destroy zdata/enc")
	want = "cannot destroy 'zdata/enc': filesystem has children\nuse '-r' to destroy the following datasets:\nzdata/enc/nfsdata@s1\nzdata/enc/nfsdata@s2\nzdata/enc/nfsdata@s3\nzdata/enc/nfsdata\n"
	if r.rc != 1 || r.err != want {
		t.Errorf("destroy with children: rc=%d\n%s\nwant\n%s", r.rc, r.err, want)
	}
	r = run(t, h, "zfs destroy zdata")
	want = "cannot destroy 'zdata': operation does not apply to pools\nuse 'zfs destroy -r zdata' to destroy all datasets in the pool\nuse 'zpool destroy zdata' to destroy the pool itself\n"
	if r.rc != 1 || r.err != want {
		t.Errorf("destroy pool root: %+v", r)
	}
	r = run(t, h, "zpool create zdata2 /dev/ada1")
	want = "invalid vdev specification\nuse '-f' to override the following errors:\n/dev/ada1 is part of active pool 'zdata'\n"
	if r.rc != 1 || r.err != want {
		t.Errorf("device in use: %+v", r)
	}
	t.Log(must(t, h, "zfs list -t all -o name,used,avail,refer,mountpoint"))
}
