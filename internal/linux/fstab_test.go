package linux

import (
	"reflect"
	"testing"
)

// A Rocky 9 installer's /etc/fstab with the article's line appended.
const recordedFstab = `
#
# /etc/fstab
# Created by anaconda on Sun Jul  6 09:58:01 2025
#
# Accessible filesystems, by reference, are maintained under '/dev/disk/'.
# See man pages fstab(5), findfs(8), mount(8) and/or blkid(8) for more info.
#
# After editing this file, run 'systemctl daemon-reload' to update systemd
# units generated from this file.
#
/dev/mapper/rl-root     /                       xfs     defaults        0 0
UUID=5e3b8a8c-1f3c-4a55-9c1b-3a7f2f1f0d2e /boot                   xfs     defaults        0 0
UUID=7C1A-2B3D          /boot/efi               vfat    umask=0077,shortname=winnt 0 2
/dev/mapper/rl-swap     none                    swap    defaults        0 0
127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,intr,_netdev 0 0
`

func TestFstab(t *testing.T) {
	e, line, ok := FindFstab(recordedFstab, "/data/nfs/k3svolumes/")
	if !ok || line != "127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,intr,_netdev 0 0" {
		t.Fatalf("FindFstab: %v %q", ok, line)
	}
	m, ok := MountFromFstab(e)
	want := NFSMount{Server: "127.0.0.1", Port: 2323, Export: "/k3svolumes", MountPoint: "/data/nfs/k3svolumes", Options: []string{"hard", "intr", "_netdev"}}
	if !ok || !reflect.DeepEqual(m, want) {
		t.Errorf("MountFromFstab: %+v", m)
	}
	m = NFSMount{Server: "127.0.0.1", Port: 2323, Export: "/k3svolumes", MountPoint: "/data/nfs/k3svolumes", Options: DefaultMountOptions, After: "stunnel.service"}
	wantLine := "127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,_netdev,x-systemd.requires=stunnel.service,x-systemd.after=stunnel.service 0 0"
	if got := m.Fstab().Line(); got != wantLine {
		t.Errorf("line %q", got)
	}
	text := SetFstab(recordedFstab, m.Fstab())
	e, line, _ = FindFstab(text, m.MountPoint)
	if line != wantLine {
		t.Errorf("SetFstab kept %q", line)
	}
	if back, _ := MountFromFstab(e); !reflect.DeepEqual(back, m) {
		t.Errorf("round trip: %+v", back)
	}
	if text[:len(recordedFstab)-len("127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,intr,_netdev 0 0\n")] != recordedFstab[:len(recordedFstab)-len("127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,intr,_netdev 0 0\n")] {
		t.Errorf("other lines changed:\n%s", text)
	}
	removed := RemoveFstab(text, m.MountPoint)
	if _, _, ok := FindFstab(removed, m.MountPoint); ok || len(removed) >= len(text) {
		t.Errorf("RemoveFstab:\n%s", removed)
	}
	// an edit the provider did not make is seen
	e, _ = ParseFstabLine("127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,soft,x-systemd.requires=stunnel.service 0 0")
	if got, _ := MountFromFstab(e); got.After != "" || !reflect.DeepEqual(got.Options, []string{"soft", "x-systemd.requires=stunnel.service"}) {
		t.Errorf("edited line: %+v", got)
	}
	// escapes
	e, _ = ParseFstabLine(`srv:/a\040b /mnt/a\040b nfs4 defaults 0 0`)
	if e.Source != "srv:/a b" || e.Target != "/mnt/a b" || e.Options != nil || e.Line() != `srv:/a\040b /mnt/a\040b nfs4 defaults 0 0` {
		t.Errorf("escapes: %+v %q", e, e.Line())
	}
}

// Recorded from Rocky 9 (util-linux 2.37.4) with the article's mount:
// `findmnt -n -r -o SOURCE,TARGET,FSTYPE,OPTIONS -t nfs4,nfs`.
const recordedFindmnt = `127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 rw,relatime,vers=4.2,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,port=2323,timeo=600,retrans=2,sec=sys,clientaddr=127.0.0.1,local_lock=none,addr=127.0.0.1
srv:/a\x20b /mnt/a\x20b nfs4 rw,relatime,vers=4.2,soft,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=192.168.1.120,local_lock=none,addr=192.168.1.138
`

func TestFindmnt(t *testing.T) {
	ms := ParseFindmnt(recordedFindmnt)
	if len(ms) != 2 || ms[1].Source != "srv:/a b" || ms[1].Target != "/mnt/a b" {
		t.Fatalf("%+v", ms)
	}
	live, ok := FindMounted(ms, "/data/nfs/k3svolumes")
	if !ok {
		t.Fatal("not found")
	}
	m := NFSMount{Server: "127.0.0.1", Port: 2323, Export: "/k3svolumes", MountPoint: "/data/nfs/k3svolumes", Options: DefaultMountOptions}
	if !m.Serves(live) {
		t.Error("the article's mount does not serve")
	}
	for _, other := range []NFSMount{
		{Server: "127.0.0.1", Port: 2049, Export: "/k3svolumes", Options: DefaultMountOptions},
		{Server: "127.0.0.1", Port: 2323, Export: "/other", Options: DefaultMountOptions},
		{Server: "127.0.0.1", Port: 2323, Export: "/k3svolumes", Options: []string{"soft"}},
	} {
		if other.Serves(live) {
			t.Errorf("%+v serves %+v", other, live)
		}
	}
	if soft, _ := FindMounted(ms, "/mnt/a b"); !(NFSMount{Server: "srv", Port: 2049, Export: "/a b", Options: []string{"soft"}}).Serves(soft) {
		t.Error("a soft mount on 2049 does not serve")
	}
	if _, ok := FindMounted(ParseFindmnt(""), "/x"); ok {
		t.Error("found in nothing")
	}
}

func TestValidators(t *testing.T) {
	good := map[string]func(string) error{
		"/data/nfs/k3svolumes": ValidateMountPoint, "/k3svolumes": ValidateExport, "/": ValidateExport,
		"127.0.0.1": ValidateServer, "f3s-storage-ha.lan": ValidateServer, "[::1]": ValidateServer,
		"stunnel.service": ValidateUnitName, "stunnel@nfs.service": ValidateUnitName, "x.timer": ValidateUnitName,
		"hard": ValidateOption, "timeo=600": ValidateOption, "nfsvers=4.2": ValidateOption,
	}
	for v, f := range good {
		if err := f(v); err != nil {
			t.Errorf("%q: %v", v, err)
		}
	}
	bad := map[string]func(string) error{
		"/": ValidateMountPoint, "data": ValidateMountPoint, "/a/../b": ValidateMountPoint, "/a b": ValidateMountPoint, "-x": ValidateMountPoint,
		"k3svolumes": ValidateExport, "/a/./b": ValidateExport,
		"-oops": ValidateServer, "a b": ValidateServer, "::1": ValidateServer,
		"stunnel": ValidateUnitName, "-x.service": ValidateUnitName, "a b.service": ValidateUnitName,
		"port=2323": ValidateOption, "x-systemd.after=a.service": ValidateOption, "a,b": ValidateOption, "-o": ValidateOption, "": ValidateOption,
	}
	for v, f := range bad {
		if err := f(v); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
	if ValidateOptions([]string{"hard", "soft"}) == nil {
		t.Error("hard and soft accepted")
	}
}
