package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/pkitest"
)

// TestNFSAcrossProcesses: a detached lab (another process) serves the
// hosts over SSH while "f3s-lab exec" in this process sets up the
// article's storage and mounts it on r0; the mount works in the serving
// process, and a failover made here is stale there.
func TestNFSAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("F3S_LAB_TEST_AS_MAIN", "1")
	if _, stderr, code := runCLI("up", "--detach", "--dir", dir, "f0:freebsd", "r0:rocky"); code != 0 {
		t.Fatalf("up --detach: %d %s", code, stderr)
	}
	t.Cleanup(func() { runCLI("down", "--dir", dir) })
	exec := func(host, script string) string {
		t.Helper()
		stdout, stderr, code := runCLI("exec", "--dir", dir, host, "--", script)
		if code != 0 {
			t.Fatalf("exec %s: %s: %d\n%s%s", host, script, code, stdout, stderr)
		}
		return stdout
	}
	file := func(name string, data []byte) string {
		return "cat > " + name + " <<'EOF'\n" + strings.TrimRight(string(data), "\n") + "\nEOF\n"
	}
	ca := pkitest.NewCA(t, "F3S Stunnel CA")
	server, client := ca.Issue(t, "f3s-storage-ha.lan"), ca.Issue(t, "r0.lan.buetow.org")
	exec("f0", "kldload carp && ifconfig re0 inet vhid 1 pass testpass alias 192.168.1.138/32\n"+
		"zpool create -m /data zdata /dev/ada1 && zfs create -o mountpoint=/data/nfs zdata/nfs && mkdir /data/nfs/k3svolumes && echo 'written on f0' > /data/nfs/k3svolumes/hello\n"+
		"sysrc nfs_server_enable=YES nfsv4_server_enable=YES mountd_enable=YES rpcbind_enable=YES stunnel_enable=YES >/dev/null\n"+
		file("/etc/exports", []byte("V4: /data/nfs -sec=sys\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\n"))+
		"service rpcbind start && service mountd start && service nfsd start && pkg install -y stunnel >/dev/null\n"+
		file("/usr/local/etc/stunnel/server.pem", server.Bundle())+
		file("/usr/local/etc/stunnel/ca.pem", ca.CertPEM)+
		file("/usr/local/etc/stunnel/stunnel.conf", []byte("cert = /usr/local/etc/stunnel/server.pem\n[nfs-tls]\naccept = 192.168.1.138:2323\nconnect = 127.0.0.1:2049\nCAfile = /usr/local/etc/stunnel/ca.pem\nverify = 2\n"))+
		"service stunnel start")
	exec("r0", "dnf install -y -q stunnel nfs-utils\n"+
		file("/etc/stunnel/r0.pem", client.Bundle())+
		file("/etc/stunnel/ca.pem", ca.CertPEM)+
		file("/etc/stunnel/stunnel.conf", []byte("cert = /etc/stunnel/r0.pem\nCAfile = /etc/stunnel/ca.pem\nclient = yes\nverify = 2\ncheckHost = f3s-storage-ha.lan\n[nfs-ha]\naccept = 127.0.0.1:2323\nconnect = 192.168.1.138:2323\n"))+
		"systemctl start stunnel && mkdir -p /data/nfs/k3svolumes && mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /data/nfs/k3svolumes")

	eps, err := lab.ReadEndpoints(dir)
	if err != nil {
		t.Fatal(err)
	}
	var r0 lab.Endpoint
	for _, ep := range eps {
		if ep.Name == "r0" {
			r0 = ep
		}
	}
	if out, _ := sshOutErr(t, r0, "cat /data/nfs/k3svolumes/hello"); out != "written on f0\n" {
		t.Errorf("the serving process reads %q", out)
	}
	// Alone on its link, a node set to BACKUP soon takes MASTER again, so
	// the VIP goes away by removing the address.
	exec("f0", "ifconfig re0 inet 192.168.1.138 -alias")
	if _, errs := sshOutErr(t, r0, "timeout 1s cat /data/nfs/k3svolumes/hello; echo $? >&2"); errs != "124\n" {
		t.Errorf("with the VIP gone: %q", errs)
	}
	exec("f0", "ifconfig re0 inet vhid 1 pass testpass alias 192.168.1.138/32")
	if out := exec("r0", "cat /data/nfs/k3svolumes/hello"); out != "written on f0\n" {
		t.Errorf("this process reads %q", out)
	}
}

// sshOutErr runs line on ep and returns its stdout and stderr, whatever
// its exit status.
func sshOutErr(t *testing.T, ep lab.Endpoint, line string) (string, string) {
	t.Helper()
	c, err := sshDial(ep)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	s.Stdout, s.Stderr = &out, &errb
	if err := s.Run(line); err != nil {
		var exit *ssh.ExitError
		if !errors.As(err, &exit) {
			t.Fatal(err)
		}
	}
	return out.String(), errb.String()
}
