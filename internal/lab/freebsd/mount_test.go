package freebsd

import (
	"bytes"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestMountFstabStyle: mount -p prints the mount table as putfsent does,
// with dump and pass from /etc/fstab when it lists the mount.
func TestMountFstabStyle(t *testing.T) {
	l := newLabHost(t, "f0")
	l.steps([]step{
		{cmd: "mount -p", stdout: "devfs\t\t\t/dev\t\t\tdevfs\trw\t\t0 0\n"},
		{cmd: "newfs /dev/da0 >/dev/null && mkdir /keys && echo '/dev/da0 /keys ufs rw 0 2' >> /etc/fstab && mount /keys && mount -p",
			stdout: "devfs\t\t\t/dev\t\t\tdevfs\trw\t\t0 0\n/dev/da0\t\t/keys\t\t\tufs\trw\t\t0 2\n"},
		{cmd: "mount -p -t ufs", stdout: "/dev/da0\t\t/keys\t\t\tufs\trw\t\t0 2\n"},
		{cmd: "mount -t noufs -p", stdout: "devfs\t\t\t/dev\t\t\tdevfs\trw\t\t0 0\n"},
		{cmd: "umount /keys && mount -r /dev/da0 /keys && mount -p -t ufs", stdout: "/dev/da0\t\t/keys\t\t\tufs\tro\t\t0 2\n"},
		{cmd: "mount -t ufs", stdout: "/dev/da0 on /keys (ufs, local, read-only, soft-updates)\n"},
	})
}

// TestPutfsent: the padding of long names and options, the defaults of
// mounts fstab does not list.
func TestPutfsent(t *testing.T) {
	fstab := []fstabEntry{{Spec: "/dev/ada0p3", File: "none", Type: "swap", Opts: "sw"}, {Spec: "/dev/da1", File: "/data", Type: "ufs", Opts: "rw", Freq: 1, Pass: 3}}
	tests := []struct {
		m    sim.Mount
		want string
	}{
		{sim.Mount{Source: "zroot/ROOT/default", Point: "/", FSType: "zfs", Options: []string{"local", "noatime", "nfsv4acls"}},
			"zroot/ROOT/default\t/\t\t\tzfs\trw,noatime,nfsv4acls \t0 0\n"},
		{sim.Mount{Source: "zroot/var/log", Point: "/var/log", FSType: "zfs", Options: []string{"local", "noatime", "noexec", "nosuid", "nfsv4acls"}},
			"zroot/var/log\t\t/var/log\t\tzfs\trw,noexec,nosuid,noatime,nfsv4acls \t0 0\n"},
		{sim.Mount{Source: "zdata/enc/nfsdata/with/a/long/name", Point: "/data/nfs/with/a/long/name", FSType: "zfs", Options: []string{"local", "read-only", "nfsv4acls"}},
			"zdata/enc/nfsdata/with/a/long/name /data/nfs/with/a/long/name zfs\tro,nfsv4acls \t0 0\n"},
		{sim.Mount{Source: "/dev/ada0p2", Point: "/", FSType: "ufs", Options: []string{"local"}}, "/dev/ada0p2\t\t/\t\t\tufs\trw\t\t1 1\n"},
		{sim.Mount{Source: "/dev/ada1p1", Point: "/mnt", FSType: "ufs", Options: []string{"local"}}, "/dev/ada1p1\t\t/mnt\t\t\tufs\trw\t\t2 2\n"},
		{sim.Mount{Source: "/dev/da9", Point: "/data", FSType: "ufs", Options: []string{"local"}}, "/dev/da9\t\t/data\t\t\tufs\trw\t\t1 3\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		putfsent(&b, tt.m, fstab)
		if b.String() != tt.want {
			t.Errorf("putfsent(%v)\n got %q\nwant %q", tt.m, b.String(), tt.want)
		}
	}
}
