package rocky

import "testing"

// TestStaleMount: after a failover the client's mount point answers every
// access with ESTALE (stat, ls, cat, the shell's redirections), which the
// article's check-nfs-mount.sh detects with "timeout 2s stat" and repairs
// with umount -f and mount.
func TestStaleMount(t *testing.T) {
	h, _ := newHost(t, "r0")
	mustRun(t, h, "", "sudo -n dnf install -y nfs-utils")
	mustRun(t, h, "root", "mkdir -p /data/nfs/k3svolumes && echo '127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,intr,_netdev 0 0' >> /etc/fstab")
	if err := SetNFSReachable(h, "127.0.0.1", 2323, "/k3svolumes"); err != nil {
		t.Fatal(err)
	}
	mustRun(t, h, "root", "mount /data/nfs/k3svolumes && echo hi > /data/nfs/k3svolumes/f")
	if err := SetStale(h, "/data/nfs/k3svolumes", true); err != nil {
		t.Fatal(err)
	}
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
		// the monitor's repair
		{"root", "umount -f /data/nfs/k3svolumes 2>/dev/null; mount /data/nfs/k3svolumes && timeout 2s stat -c %n /data/nfs/k3svolumes && cat /data/nfs/k3svolumes/f", result{out: "/data/nfs/k3svolumes\nhi\n"}},
	} {
		expect(t, h, tt.user, tt.script, tt.want)
	}
}
