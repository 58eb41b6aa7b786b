package lab

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/pkitest"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestNFSOverSSH sets up the article's storage and client by hand, over
// the lab's SSH servers, as paul with doas and sudo: the stunnel
// configurations, the certificates written into the trees, /etc/exports,
// rc.conf and the services; then mounts, reads a file written on the
// server, writes, fails over (stale), remounts on f1 and has the write
// refused by f1's read-only copy.
func TestNFSOverSSH(t *testing.T) {
	l, err := Start(context.Background(), Options{Dir: t.TempDir(), Hosts: []HostSpec{{"f0", sim.FreeBSD}, {"f1", sim.FreeBSD}, {"r0", sim.Rocky}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	ca := pkitest.NewCA(t, "F3S Stunnel CA")
	server, client := ca.Issue(t, "f3s-storage-ha.lan"), ca.Issue(t, "r0.lan.buetow.org")
	conns := map[string]*ssh.Client{}
	for _, h := range l.Names() {
		conns[h] = dial(t, endpoint(t, l, h))
	}
	// do runs line as paul on host; it must succeed (stdin feeds tee).
	do := func(host, line, stdin string) string {
		t.Helper()
		out, errs, code := run(t, conns[host], line, stdin)
		if code != 0 {
			t.Fatalf("%s: %s: exit %d\nstdout: %s\nstderr: %s", host, line, code, out, errs)
		}
		return out
	}
	expect := func(host, line string, w want) {
		t.Helper()
		out, errs, code := run(t, conns[host], line, "")
		if out != w.out || errs != w.err || code != w.code {
			t.Errorf("%s: %s\n got %q %q %d\nwant %q %q %d", host, line, out, errs, code, w.out, w.err, w.code)
		}
	}

	for _, h := range []string{"f0", "f1"} {
		do(h, "doas tee -a /etc/hosts >/dev/null", vipHosts+"\n")
		do(h, "doas kldload carp", "")
		do(h, `doas sysrc ifconfig_re0_alias0="inet vhid 1 pass testpass alias 192.168.1.138/32"`, "")
		do(h, "doas ifconfig re0 inet vhid 1 pass testpass alias 192.168.1.138/32", "")
		do(h, "doas zpool create -m /data zdata /dev/ada1", "")
	}
	do("f0", "doas zfs create zdata/enc && doas zfs create zdata/enc/nfsdata && doas zfs set mountpoint=/data/nfs zdata/enc/nfsdata", "")
	do("f1", "doas zfs create -p zdata/sink/f0/zdata/enc/nfsdata && doas mkdir -p /data/nfs && doas zfs set mountpoint=/data/nfs zdata/sink/f0/zdata/enc/nfsdata", "")
	for _, h := range []string{"f0", "f1"} {
		do(h, "doas mkdir -p /data/nfs/k3svolumes && doas chmod 755 /data/nfs/k3svolumes", "")
		for _, v := range []string{"nfs_server_enable", "nfsv4_server_enable", "nfsuserd_enable", "mountd_enable", "rpcbind_enable"} {
			do(h, "doas sysrc "+v+"=YES", "")
		}
		do(h, "doas tee /etc/exports", articleExports)
		for _, s := range []string{"rpcbind", "mountd", "nfsd", "nfsuserd"} {
			if out := do(h, "doas service "+s+" start", ""); out != "Starting "+s+".\n" {
				t.Errorf("%s: service %s start: %q", h, s, out)
			}
		}
		do(h, "doas pkg install -y stunnel", "")
		do(h, "doas mkdir -p /usr/local/etc/stunnel/ca", "")
		do(h, "doas tee /usr/local/etc/stunnel/ca/ca-cert.pem >/dev/null", string(ca.CertPEM))
		do(h, "doas tee /usr/local/etc/stunnel/server-cert.pem >/dev/null", string(server.CertPEM))
		do(h, "doas tee /usr/local/etc/stunnel/server-key.pem >/dev/null && doas chmod 600 /usr/local/etc/stunnel/server-key.pem", string(server.KeyPEM))
		do(h, "doas tee /usr/local/etc/stunnel/stunnel.conf >/dev/null", serverStunnelConf)
		do(h, "doas sysrc stunnel_enable=YES", "")
		if out := do(h, "doas service stunnel start", ""); out != "Starting stunnel.\n" {
			t.Errorf("%s: service stunnel start: %q", h, out)
		}
	}
	do("f1", "doas ifconfig re0 vhid 1 state backup", "")
	expect("f0", "ifconfig re0 | grep carp:", want{out: "\tcarp: MASTER vhid 1 advbase 1 advskew 0\n"})
	expect("f0", "showmount -e", want{out: "Exports list on localhost:\n/data/nfs                          127.0.0.1 \n"})

	// the client (errata: its certificate and key in the cert file)
	do("r0", "sudo dnf install -y stunnel nfs-utils", "")
	do("r0", "sudo tee -a /etc/hosts >/dev/null", vipHosts+"\n")
	do("r0", "sudo tee /etc/stunnel/r0.pem >/dev/null && sudo chmod 600 /etc/stunnel/r0.pem", string(client.Bundle()))
	do("r0", "sudo tee /etc/stunnel/ca-cert.pem >/dev/null", string(ca.CertPEM))
	do("r0", "sudo tee /etc/stunnel/stunnel.conf >/dev/null", clientStunnelConf)
	do("r0", "sudo systemctl enable --now stunnel", "")
	do("r0", "sudo mkdir -p /data/nfs/k3svolumes", "")
	do("r0", "sudo tee -a /etc/fstab >/dev/null", "127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,intr,_netdev 0 0\n")

	// mount, read what f0 wrote, write
	do("f0", "echo 'written on f0' | doas tee /data/nfs/k3svolumes/hello.txt >/dev/null", "")
	do("r0", "sudo mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /data/nfs/k3svolumes", "")
	expect("r0", "cat /data/nfs/k3svolumes/hello.txt", want{out: "written on f0\n"})
	expect("r0", "echo hi > /data/nfs/k3svolumes/paul.txt", want{err: "sh: line 1: /data/nfs/k3svolumes/paul.txt: Permission denied\n", code: 1})
	do("r0", "echo 'test before failover' | sudo tee /data/nfs/k3svolumes/test-before.txt >/dev/null", "")
	expect("f0", "cat /data/nfs/k3svolumes/test-before.txt && ls -l /data/nfs/k3svolumes/test-before.txt | awk '{print $3}'", want{out: "test before failover\nroot\n"})

	// zrepl's copy on f1, read-only (done by hand here)
	do("f1", "echo 'test before failover' | doas tee /data/nfs/k3svolumes/test-before.txt >/dev/null && doas zfs set readonly=on zdata/sink/f0/zdata/enc/nfsdata", "")

	// the failover, as the article triggers it
	do("f0", "doas ifconfig re0 vhid 1 state backup", "")
	do("f1", "doas ifconfig re0 vhid 1 state master", "")
	expect("r0", "ls /data/nfs/k3svolumes/", want{err: "ls: cannot access '/data/nfs/k3svolumes/': Stale file handle\n", code: 2})
	expect("r0", "timeout 2s stat /data/nfs/k3svolumes >/dev/null 2>&1; echo $?", want{out: "1\n"})
	do("r0", "sudo umount -f /data/nfs/k3svolumes", "")
	do("r0", "sudo mount /data/nfs/k3svolumes", "")
	expect("r0", "cat /data/nfs/k3svolumes/test-before.txt", want{out: "test before failover\n"})
	expect("r0", `echo "Test after failover" | sudo tee /data/nfs/k3svolumes/failover-test.txt`, want{out: "Test after failover\n", err: "tee: /data/nfs/k3svolumes/failover-test.txt: Read-only file system\n", code: 1})
	expect("r0", "findmnt -n -o TARGET,SOURCE,FSTYPE /data/nfs/k3svolumes", want{out: "/data/nfs/k3svolumes 127.0.0.1:/k3svolumes nfs4\n"})
	if log := do("f1", "doas cat /var/log/messages", ""); !strings.Contains(log, "Service [nfs-tls] accepted connection from 192.168.1.120:40722") {
		t.Errorf("f1's stunnel did not log the new connection:\n%s", log)
	}
}
