package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/pkitest"
)

// The article's NFS-over-TLS path, set up by hand on lab hosts for the
// client resources' tests: a FreeBSD server exports /data/nfs (V4 root)
// to 127.0.0.1 behind stunnel on the VIP 192.168.1.138:2323; r0 runs the
// stunnel client on 127.0.0.1:2323 with its own certificate.

const (
	clientVIP        = "192.168.1.138"
	clientMountPoint = "/data/nfs/k3svolumes"
)

const clientServerStunnel = `cert = /usr/local/etc/stunnel/server-cert.pem
key = /usr/local/etc/stunnel/server-key.pem
setuid = stunnel
setgid = stunnel

[nfs-tls]
accept = 192.168.1.138:2323
connect = 127.0.0.1:2049
CAfile = /usr/local/etc/stunnel/ca-cert.pem
verify = 2
requireCert = yes
`

const clientR0Stunnel = `cert = /etc/stunnel/r0-cert.pem
key = /etc/stunnel/r0-key.pem
CAfile = /etc/stunnel/ca-cert.pem
client = yes
verify = 2
checkHost = f3s-storage-ha.lan

[nfs-ha]
accept = 127.0.0.1:2323
connect = 192.168.1.138:2323
`

func heredocFile(p string, data []byte) string {
	return "cat > " + p + " <<'EOF'\n" + strings.TrimRight(string(data), "\n") + "\nEOF\n"
}

// setupStunnelServer gives a FreeBSD host the server stunnel and the NFS
// services' configuration (its /data/nfs and exports exist already).
func setupStunnelServer(t *testing.T, l *lab.Lab, ca *pkitest.CA, server *pkitest.Cert, hostName string) {
	t.Helper()
	mustExec(t, l, hostName, "pkg install -y stunnel >/dev/null && mkdir -p /usr/local/etc/stunnel && "+
		heredocFile("/usr/local/etc/stunnel/server-cert.pem", server.CertPEM)+
		heredocFile("/usr/local/etc/stunnel/server-key.pem", server.KeyPEM)+
		"chmod 600 /usr/local/etc/stunnel/server-key.pem\n"+
		heredocFile("/usr/local/etc/stunnel/ca-cert.pem", ca.CertPEM)+
		heredocFile("/usr/local/etc/stunnel/stunnel.conf", []byte(clientServerStunnel))+
		"sysrc stunnel_enable=YES >/dev/null && service stunnel start >/dev/null")
}

// setupStunnelClient installs stunnel and nfs-utils on r0 and starts its
// stunnel client (enabled at boot).
func setupStunnelClient(t *testing.T, l *lab.Lab, ca *pkitest.CA) {
	t.Helper()
	c := ca.Issue(t, "r0.lan.buetow.org")
	mustExec(t, l, "r0", "dnf install -y -q stunnel nfs-utils >/dev/null && "+
		"echo '"+clientVIP+" f3s-storage-ha f3s-storage-ha.lan' >> /etc/hosts\n"+
		heredocFile("/etc/stunnel/r0-cert.pem", c.CertPEM)+
		heredocFile("/etc/stunnel/r0-key.pem", c.KeyPEM)+
		"chmod 600 /etc/stunnel/r0-key.pem\n"+
		heredocFile("/etc/stunnel/ca-cert.pem", ca.CertPEM)+
		heredocFile("/etc/stunnel/stunnel.conf", []byte(clientR0Stunnel))+
		"systemctl enable --now stunnel 2>/dev/null")
}

// setupSingleServer makes f0 the NFS server alone: the VIP (CARP, MASTER
// since it is alone), /data/nfs with k3svolumes, exports, the NFS
// services and stunnel; and r0 its client's tunnel.
func setupSingleServer(t *testing.T, l *lab.Lab) {
	t.Helper()
	ca := pkitest.NewCA(t, "F3S Stunnel CA")
	mustExec(t, l, "f0", "kldload carp && ifconfig re0 inet vhid 1 pass testpass alias "+clientVIP+"/32 && "+
		"zpool create -m /data zdata /dev/ada1 && zfs create -o mountpoint=/data/nfs zdata/nfsdata && "+
		"mkdir -p "+clientMountPoint+" && "+
		"printf 'V4: /data/nfs -sec=sys\\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\\n' > /etc/exports && "+
		"sysrc nfs_server_enable=YES nfsv4_server_enable=YES nfsuserd_enable=YES mountd_enable=YES rpcbind_enable=YES >/dev/null && "+
		"service rpcbind start >/dev/null && service mountd start >/dev/null && service nfsd start >/dev/null && service nfsuserd start >/dev/null")
	setupStunnelServer(t, l, ca, ca.Issue(t, "f3s-storage-ha.lan", pkitest.DNS("f3s-storage-ha.lan")), "f0")
	setupStunnelClient(t, l, ca)
}

// expectOutput checks a command's standard output on a lab host.
func expectOutput(t *testing.T, l *lab.Lab, hostName, script, want string) resource.TestCheckFunc {
	return hostCheck(func() error {
		out, stderr, code, err := l.Exec(hostName, script)
		if err != nil {
			return fmt.Errorf("%s: %q: %w", hostName, script, err)
		}
		if out != want {
			return fmt.Errorf("%s: %q printed %q (exit %d, stderr %q), want %q", hostName, script, out, code, stderr, want)
		}
		return nil
	})
}

// clientSees runs script on r0, logs what the client saw, and checks it.
func clientSees(t *testing.T, l *lab.Lab, what, script, wantOut string, wantCode int) {
	t.Helper()
	out, stderr, code, err := l.Exec("r0", script)
	t.Logf("r0 %s: $ %s\n%s%s(exit %d)", what, script, out, stderr, code)
	if err != nil || (wantOut != "" && !strings.Contains(out+stderr, wantOut)) || code != wantCode {
		t.Fatalf("r0 %s: %q gave %q %q exit %d (%v), want %q exit %d", what, script, out, stderr, code, err, wantOut, wantCode)
	}
}
