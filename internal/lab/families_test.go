package lab

import (
	"context"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestFamiliesPathChecks runs the default profile: the path checks the
// families register (zfs's read-only datasets) apply to the utilities of a
// lab's hosts, and again after reopening. (Stale NFS mounts are the remote
// mounts' business: nfs_test.go.)
func TestFamiliesPathChecks(t *testing.T) {
	dir := t.TempDir()
	l, err := Start(context.Background(), Options{Dir: dir, Hosts: []HostSpec{{"f0", sim.FreeBSD}, {"r0", sim.Rocky}}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type want struct {
		out, err string
		code     int
	}
	check := func(l *Lab, host, script string, w want) {
		t.Helper()
		out, errs, code, err := l.Exec(host, script)
		if err != nil || out != w.out || errs != w.err || code != w.code {
			t.Errorf("%s: %s\n got %q %q %d %v\nwant %q %q %d", host, script, out, errs, code, err, w.out, w.err, w.code)
		}
	}
	const erofs = "Read-only file system"
	check(l, "f0", "zpool create -m /data zdata /dev/ada1 && zfs create -o mountpoint=/data/nfs zdata/nfs && touch /data/nfs/a && zfs set readonly=on zdata/nfs", want{})
	check(l, "f0", "touch /data/nfs/x", want{err: "touch: /data/nfs/x: " + erofs + "\n", code: 1})
	check(l, "f0", "mkdir /data/nfs/d", want{err: "mkdir: /data/nfs/d: " + erofs + "\n", code: 1})
	check(l, "f0", "rm /data/nfs/a", want{err: "rm: /data/nfs/a: " + erofs + "\n", code: 1})
	check(l, "f0", "echo x > /data/nfs/x", want{err: "sh: cannot create /data/nfs/x: " + erofs + "\n", code: 2})
	check(l, "f0", "ls /data/nfs && mount | grep -c 'zdata/nfs on /data/nfs (zfs, local, read-only, nfsv4acls)'", want{out: "a\n1\n"})
	check(l, "f0", "fstyp -u /dev/ada1; seq -s ' ' 3; echo; timeout 2 ls /data/nfs/a", want{out: "zfs\n1 2 3 \n/data/nfs/a\n"})

	check(l, "r0", "rpm -q --quiet nfs-utils; echo $?; mkdir -p /data/nfs/k3svolumes", want{out: "1\n"})
	l.Close()

	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	check(again, "f0", "echo x > /data/nfs/x", want{err: "sh: cannot create /data/nfs/x: " + erofs + "\n", code: 2})
	check(again, "r0", "ls -d /data/nfs/k3svolumes", want{out: "/data/nfs/k3svolumes\n"})
	if out, _, _, _ := again.Exec("f0", "zfs set readonly=off zdata/nfs && echo ok > /data/nfs/x && cat /data/nfs/x"); !strings.HasPrefix(out, "ok") {
		t.Errorf("readonly=off: %q", out)
	}
}
