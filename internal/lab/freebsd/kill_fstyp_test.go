package freebsd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

const signalList = "HUP INT QUIT ILL TRAP ABRT EMT FPE KILL BUS SEGV SYS PIPE ALRM TERM URG\nSTOP TSTP CONT CHLD TTIN TTOU IO XCPU XFSZ VTALRM PROF WINCH INFO USR1 USR2\n"

// TestKill: /bin/kill (and sh's kill, which runs it) over the process table.
func TestKill(t *testing.T) {
	l := newLabHost(t, "f0")
	l.steps([]step{
		{cmd: "mkdir -p /data/nfs /data/other && sysrc mountd_enable=YES >/dev/null && echo '/data/nfs -network 127.0.0.1/32' > /etc/exports && service mountd start", stdout: "Starting rpcbind.\nStarting mountd.\n"},
	})
	pid := strings.TrimSpace(l.file("/var/run/mountd.pid"))
	l.steps([]step{
		{cmd: "kill -0 " + pid + "; echo $?", stdout: "0\n"},
		{cmd: "kill -0 " + pid, user: true, stderr: "kill: " + pid + ": Operation not permitted\n", code: 1},
		{cmd: "kill " + pid, user: true, stderr: "kill: " + pid + ": Operation not permitted\n", code: 1},
		// HUP: mountd reads /etc/exports again
		{cmd: "echo '/data/other -ro' >> /etc/exports && kill -HUP " + pid + " && showmount -e | tail -1", stdout: "/data/other                        Everyone\n"},
		{cmd: "kill -s hup " + pid + " && kill -SIGHUP " + pid + " && kill -1 " + pid + " && kill -0 " + pid},
		{cmd: "kill -CONT " + pid + " && kill -INFO " + pid + " && kill -0 " + pid},
		// TERM ends it
		{cmd: "kill " + pid},
		{cmd: "kill -0 " + pid, stderr: "kill: " + pid + ": No such process\n", code: 1},
		{cmd: "service mountd status", stdout: "mountd is not running.\n", code: 1},
		{cmd: "showmount -e", stderr: "showmount: can't do exports rpc\n", code: 1},
		{cmd: "kill 99999 1234567", stderr: "kill: 99999: No such process\nkill: 1234567: No such process\n", code: 1},
		{cmd: "/bin/kill -l", stdout: signalList},
		{cmd: "kill -l 143", stdout: "TERM\n"},
		{cmd: "kill -FOO 1", stderr: "kill: unknown signal FOO; valid signals:\n" + signalList, code: 2},
		{cmd: "kill abc", stderr: "kill: illegal process id: abc\n", code: 2},
		{cmd: "kill", stderr: killUsage, code: 2},
		{cmd: "kill -s", stderr: "kill: option requires an argument -- s\n" + killUsage, code: 2},
	})
	// a process of the login user is the user's to signal
	var own int
	if err := sim.Update(l.h, procsState, func(t *procs) error { own = t.spawn("/usr/local/bin/job", "", "paul"); return nil }); err != nil {
		t.Fatal(err)
	}
	l.steps([]step{
		{cmd: fmt.Sprintf("kill -0 %d && kill %d && kill -0 %d", own, own, own), user: true, stderr: fmt.Sprintf("kill: %d: No such process\n", own), code: 1},
	})
}

// TestFstyp: fstyp(8) over the host's disks.
func TestFstyp(t *testing.T) {
	l := newLabHost(t, "f0")
	usage := "usage: fstyp [-l] [-s] [-u] special\n"
	l.steps([]step{
		{cmd: "fstyp /dev/da0", stderr: "fstyp: /dev/da0: filesystem not recognized\n", code: 1},
		{cmd: "newfs /dev/da0 >/dev/null && fstyp /dev/da0", stdout: "ufs\n"},
		{cmd: "fstyp -l /dev/da0", stdout: "ufs\n"},
		// a pool's disk is reported only with -u (ZFS cannot be mounted with mount(8))
		{cmd: "fstyp /dev/ada0", stderr: "fstyp: /dev/ada0: filesystem not recognized\n", code: 1},
		{cmd: "fstyp -u /dev/ada0", stdout: "zfs\n"},
		{cmd: "fstyp -lu /dev/ada0", stdout: "zfs zroot\n"},
		{cmd: "fstyp /dev/da9", stderr: "fstyp: /dev/da9: No such file or directory\n", code: 1},
		{cmd: "fstyp /dev/da0", user: true, stderr: "fstyp: /dev/da0: Permission denied\n", code: 1},
		{cmd: "fstyp /etc/rc.conf", stderr: "fstyp: /etc/rc.conf: filesystem not recognized\n", code: 1},
		{cmd: "fstyp", stderr: usage, code: 1},
		{cmd: "fstyp -x /dev/da0", stderr: "fstyp: illegal option -- x\n" + usage, code: 1},
	})
}
