package lab

import (
	"bytes"
	"context"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestSeededDevices runs the default profile: the disks the families seed
// have device nodes in /dev (FreeBSD: character devices root:operator
// 0640; Rocky: block devices root:disk 0660), and the seeded stick is the
// blog's 15000 MB one.
func TestSeededDevices(t *testing.T) {
	l, err := Start(context.Background(), Options{Dir: t.TempDir(), Hosts: []HostSpec{{"f0", sim.FreeBSD}, {"r0", sim.Rocky}}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type want struct {
		out, err string
		code     int
	}
	check := func(host, script string, w want) {
		t.Helper()
		out, errs, code, err := l.Exec(host, script)
		if err != nil || out != w.out || errs != w.err || code != w.code {
			t.Errorf("%s: %s\n got %q %q %d %v\nwant %q %q %d", host, script, out, errs, code, err, w.out, w.err, w.code)
		}
	}
	check("f0", "for d in ada0 ada0p1 ada0p4 ada1 da0; do test -c /dev/$d && test -e /dev/$d && echo $d; done; test -e /dev/ada2 || echo no ada2; test -b /dev/da0 || echo not a block device",
		want{out: "ada0\nada0p1\nada0p4\nada1\nda0\nno ada2\nnot a block device\n"})
	check("f0", "ls -l /dev/da0 | awk '{print $1, $2, $3, $4, $NF}'; stat -f '%HT %Su:%Sg %Lp' /dev/ada1", want{out: "crw-r----- 1 root operator /dev/da0\nCharacter Device root:operator 640\n"})
	check("f0", "ls /dev | grep -c '^ada0'; ls /dev | grep -x null", want{out: "5\nnull\n"})
	check("f0", "fstyp /dev/ada0p4", want{err: "fstyp: /dev/ada0p4: filesystem not recognized\n", code: 1})
	check("f0", "test -r /dev/da0 && test -w /dev/da0 && echo root can", want{out: "root can\n"})
	var out, errs bytes.Buffer
	code, err := l.Shell(context.Background(), "f0", "test -r /dev/da0 || echo paul cannot read; head -c 1 /dev/da0", nil, &out, &errs)
	if err != nil || code != 1 || out.String() != "paul cannot read\n" || errs.String() != "head: /dev/da0: Permission denied\n" {
		t.Errorf("paul: %q %q %d %v", out.String(), errs.String(), code, err)
	}
	check("r0", "for d in vda vda1 vda2 vda3; do test -b /dev/$d && echo $d; done; test -c /dev/vda || echo not a char device; stat -c '%F %U:%G %a %t:%T' /dev/vda /dev/vda2",
		want{out: "vda\nvda1\nvda2\nvda3\nnot a char device\nblock special file root:disk 660 fc:0\nblock special file root:disk 660 fc:2\n"})
	check("r0", "ls -l /dev/vda | awk '{print $1, $3, $4, $5, $6, $NF}'", want{out: "brw-rw----. root disk 252, 0 /dev/vda\n"})

	// The blog's newfs of the stick (reference §10), on the seeded host.
	newfs := "/dev/da0: 15000.0MB (30720000 sectors) block size 32768, fragment size 4096\n" +
		"\tusing 24 cylinder groups of 625.22MB, 20007 blks, 80128 inodes.\n" +
		"\twith soft updates\n" +
		"super-block backups (for fsck_ffs -b #) at:\n" +
		" 192, 1280640, 2561088, 3841536, 5121984, 6402432, 7682880, 8963328, 10243776,\n" +
		" 11524224, 12804672, 14085120, 15365568, 16646016, 17926464, 19206912,\n" +
		" 20487360, 21767808, 23048256, 24328704, 25609152, 26889600, 28170048, 29450496\n"
	check("f0", "newfs /dev/da0", want{out: newfs})
	check("f0", "mkdir /keys && mount /dev/da0 /keys && df | awk '/keys/ {print $1, $2, $3, $4, $6}'", want{out: "/dev/da0 14877596 8 13687384 /keys\n"})
}
