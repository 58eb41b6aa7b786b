package rocky

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStaleMount: after a failover the client's mount point answers every
// access with ESTALE (stat, ls, cat, the shell's redirections), which the
// article's check-nfs-mount.sh detects with "timeout 2s stat" and repairs
// with umount -f and mount.
func TestStaleMount(t *testing.T) {
	h, _ := newHost(t, "r0")
	f := newFakeStorage(t, h)
	f.setUpClient(t, h)
	mustRun(t, h, "root", "echo '127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,intr,_netdev 0 0' >> /etc/fstab")
	mustRun(t, h, "root", "mount /data/nfs/k3svolumes && echo hi > /data/nfs/k3svolumes/f")
	if data, err := f.servers["f0"].Tree.ReadFile(root, "/data/nfs/k3svolumes/f"); err != nil || string(data) != "hi\n" {
		t.Fatalf("f0's copy: %q %v", data, err)
	}
	// zrepl's copy on f1
	if err := f.servers["f1"].Tree.WriteFile(root, "/data/nfs/k3svolumes/f", []byte("hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f.setMaster("f1")
	const stale = "Stale file handle"
	for _, tt := range []struct {
		user, script string
		want         result
	}{
		{"", "stat /data/nfs/k3svolumes", result{err: "stat: cannot statx '/data/nfs/k3svolumes': " + stale + "\n", code: 1}},
		{"root", "stat /data/nfs/k3svolumes/f", result{err: "stat: cannot statx '/data/nfs/k3svolumes/f': " + stale + "\n", code: 1}},
		{"", "ls /data/nfs/k3svolumes", result{err: "ls: cannot access '/data/nfs/k3svolumes': " + stale + "\n", code: 2}},
		{"", "cat /data/nfs/k3svolumes/f", result{err: "cat: /data/nfs/k3svolumes/f: " + stale + "\n", code: 1}},
		{"root", "echo x > /data/nfs/k3svolumes/g", result{err: "/bin/sh: line 1: /data/nfs/k3svolumes/g: " + stale + "\n", code: 1}},
		{"", "test -d /data/nfs/k3svolumes || echo gone", result{out: "gone\n"}},
		{"", "ls /data/nfs", result{out: "k3svolumes\n"}},
		{"", "timeout 2s stat /data/nfs/k3svolumes >/dev/null 2>&1; echo $?", result{out: "1\n"}},
		// mount.nfs's own check of the mount point (chk_mountpoint) fails the same way
		{"root", "mount /data/nfs/k3svolumes", result{err: "mount.nfs4: " + stale + "\n", code: 1}},
		// the monitor's repair: f1 serves now
		{"root", "umount -f /data/nfs/k3svolumes 2>/dev/null; mount /data/nfs/k3svolumes && timeout 2s stat -c %n /data/nfs/k3svolumes && cat /data/nfs/k3svolumes/f", result{out: "/data/nfs/k3svolumes\nhi\n"}},
	} {
		expect(t, h, tt.user, tt.script, tt.want)
	}
	// back to f0 (the failback): stale again, a plain umount works too
	f.setMaster("f0")
	expect(t, h, "", "cat /data/nfs/k3svolumes/f", result{err: "cat: /data/nfs/k3svolumes/f: " + stale + "\n", code: 1})
	expect(t, h, "root", "umount /data/nfs/k3svolumes && mount /data/nfs/k3svolumes && cat /data/nfs/k3svolumes/f", result{out: "hi\n"})
}

// TestRemoteFiles: the mount point shows the server's export directory;
// changes land in the server's tree with the credential the export maps
// the client's user to; a read-only export refuses changes.
func TestRemoteFiles(t *testing.T) {
	h, _ := newHost(t, "r0")
	f := newFakeStorage(t, h)
	f.setUpClient(t, h)
	f0 := f.servers["f0"]
	if err := f0.Tree.WriteFile(root, "/data/nfs/k3svolumes/from-f0", []byte("written on f0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, h, "root", "mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /data/nfs/k3svolumes")
	expect(t, h, "", "cat /data/nfs/k3svolumes/from-f0", result{out: "written on f0\n"})
	expect(t, h, "root", "mkdir /data/nfs/k3svolumes/d && echo x > /data/nfs/k3svolumes/d/x && mv /data/nfs/k3svolumes/d/x /data/nfs/k3svolumes/d/y && ls /data/nfs/k3svolumes /data/nfs/k3svolumes/d",
		result{out: "/data/nfs/k3svolumes:\nd\nfrom-f0\n\n/data/nfs/k3svolumes/d:\ny\n"})
	fi, err := f0.Tree.Stat("/data/nfs/k3svolumes/d/y")
	if err != nil || fi.UID != 0 || fi.Size != 2 {
		t.Errorf("on f0: %+v %v", fi, err)
	}
	// paul acts as his uid on the server: the root-owned directory refuses him
	expect(t, h, "", "touch /data/nfs/k3svolumes/p", result{err: "touch: cannot touch '/data/nfs/k3svolumes/p': Permission denied\n", code: 1})
	if err := f0.Tree.Chmod(root, "/data/nfs/k3svolumes", 0o1777); err != nil {
		t.Fatal(err)
	}
	uid := strconv.Itoa(h.LoginUser.UID)
	expect(t, h, "", "touch /data/nfs/k3svolumes/p && stat -c '%u %U %a' /data/nfs/k3svolumes/p", result{out: uid + " paul 644\n"})
	if fi, err := f0.Tree.Stat("/data/nfs/k3svolumes/p"); err != nil || fi.UID != h.LoginUser.UID {
		t.Errorf("paul's file on f0: %+v %v", fi, err)
	}
	expect(t, h, "root", "rm /data/nfs/k3svolumes/d/y && rmdir /data/nfs/k3svolumes/d && ls /data/nfs/k3svolumes", result{out: "from-f0\np\n"})
	expect(t, h, "root", "rmdir /data/nfs/k3svolumes", result{err: "rmdir: failed to remove '/data/nfs/k3svolumes': Device busy\n", code: 1})
	expect(t, h, "root", "mv /data/nfs/k3svolumes/p /tmp/p", result{})
	expect(t, h, "root", "cat /tmp/p; ls /data/nfs/k3svolumes", result{out: "from-f0\n"})

	// a read-only export (f1's standby copy in the article is read-only ZFS; here the export is)
	f.readOnly["f0"] = true
	mustRun(t, h, "root", "umount /data/nfs/k3svolumes && mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /data/nfs/k3svolumes")
	expect(t, h, "root", "echo x > /data/nfs/k3svolumes/new", result{err: "/bin/sh: line 1: /data/nfs/k3svolumes/new: Read-only file system\n", code: 1})
	expect(t, h, "root", "cat /data/nfs/k3svolumes/from-f0", result{out: "written on f0\n"})
	// and a client-side ro mount
	f.readOnly["f0"] = false
	mustRun(t, h, "root", "umount /data/nfs/k3svolumes && mount -t nfs4 -o port=2323,ro 127.0.0.1:/k3svolumes /data/nfs/k3svolumes")
	expect(t, h, "root", "rm /data/nfs/k3svolumes/from-f0", result{err: "rm: cannot remove '/data/nfs/k3svolumes/from-f0': Read-only file system\n", code: 1})
}

// TestHungMount: with nobody holding the VIP, a hard mount waits (timeout
// kills the waiting command: 124), a soft one fails after timeo and
// retrans; umount -f and -l return at once, a plain umount waits on its
// stat of the mount point; when the VIP comes back, the waiting access
// goes on.
func TestHungMount(t *testing.T) {
	h, _ := newHost(t, "r0")
	f := newFakeStorage(t, h)
	f.setUpClient(t, h)
	mustRun(t, h, "root", "mkdir -p /mnt/soft && mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /data/nfs/k3svolumes && mount -t nfs4 -o port=2323,soft,timeo=2,retrans=1 127.0.0.1:/k3svolumes /mnt/soft")
	f.setMaster("")
	expect(t, h, "", "timeout 1s stat /data/nfs/k3svolumes; echo $?", result{out: "124\n"})
	expect(t, h, "", "timeout 1s ls /data/nfs/k3svolumes; echo $?", result{out: "124\n"})
	start := time.Now()
	expect(t, h, "", "ls /mnt/soft", result{err: "ls: cannot access '/mnt/soft': Input/output error\n", code: 2})
	if d := time.Since(start); d < 500*time.Millisecond {
		t.Errorf("a soft mount failed after %v, before timeo=2,retrans=1 (0.6s)", d)
	}
	expect(t, h, "root", "timeout 1s umount /data/nfs/k3svolumes; echo $?", result{out: "124\n"})
	expect(t, h, "root", "findmnt -n -o TARGET -t nfs4", result{out: "/data/nfs/k3svolumes\n/mnt/soft\n"})
	// a new mount finds nobody behind stunnel
	expect(t, h, "root", "mkdir /mnt/new && mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /mnt/new", result{err: "mount.nfs4: Connection reset by peer\n", code: 32})
	j := run(t, h, "root", "journalctl -u stunnel --no-pager")
	if !strings.Contains(j.out, "]: s_connect: connect 192.168.1.138:2323: No route to host (113)") || !strings.Contains(j.out, "]: No more addresses to connect") ||
		!strings.Contains(j.out, "]: Connection reset: 0 byte(s) sent to TLS, 0 byte(s) sent to socket") {
		t.Errorf("journal:\n%s", j.out)
	}

	// the VIP comes back while a command waits
	done := make(chan result)
	go func() { done <- run(t, h, "", "stat -c %n /data/nfs/k3svolumes") }()
	time.Sleep(300 * time.Millisecond)
	f.setMaster("f0")
	select {
	case r := <-done:
		if r != (result{out: "/data/nfs/k3svolumes\n"}) {
			t.Errorf("after the VIP came back: %+v", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hung access did not go on when the route came back")
	}

	// the client's stunnel stopped: hung again; umount -f returns at once
	mustRun(t, h, "root", "systemctl stop stunnel")
	expect(t, h, "", "timeout 1s cat /data/nfs/k3svolumes/x; echo $?", result{out: "124\n"})
	expect(t, h, "root", "umount -f /data/nfs/k3svolumes && umount -l /mnt/soft && findmnt -t nfs4", result{code: 1})
	// mount retries a refused connection for retry= minutes, then gives up
	start = time.Now()
	expect(t, h, "root", "mount -t nfs4 -o port=2323,retry=0 127.0.0.1:/k3svolumes /data/nfs/k3svolumes", result{err: "mount.nfs4: Connection refused\n", code: 32})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("retry=0 took %v", d)
	}
}
