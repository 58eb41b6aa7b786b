package lab

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/pkitest"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// The article's NFS-over-TLS data path between lab hosts (spec/f3s-part-6-
// storage.md "NFS Server Configuration" to "Testing CARP Failover"): f0 and
// f1 export /data/nfs to 127.0.0.1 behind stunnel on the CARP VIP, r0
// mounts 127.0.0.1:/k3svolumes through its own stunnel; the errata's fixes
// applied (the client's certificate and key, paths relative to the V4 root).

const vipHosts = "192.168.1.138 f3s-storage-ha f3s-storage-ha.lan f3s-storage-ha.lan.buetow.org"

const serverStunnelConf = `cert = /usr/local/etc/stunnel/server-cert.pem
key = /usr/local/etc/stunnel/server-key.pem

setuid = stunnel
setgid = stunnel

[nfs-tls]
accept = 192.168.1.138:2323
connect = 127.0.0.1:2049
CAfile = /usr/local/etc/stunnel/ca/ca-cert.pem
verify = 2
requireCert = yes
`

const clientStunnelConf = `cert = /etc/stunnel/r0.pem
CAfile = /etc/stunnel/ca-cert.pem
client = yes
verify = 2

[nfs-ha]
accept = 127.0.0.1:2323
connect = 192.168.1.138:2323
`

const articleExports = `V4: /data/nfs -sec=sys
/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255
`

const k3sMount = "mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /data/nfs/k3svolumes"

type nfsLab struct {
	t     testing.TB
	l     *Lab
	clock *labClock
	ca    *pkitest.CA
}

// heredoc writes data to file with cat, as the article writes its files.
func heredoc(file string, data []byte) string {
	return "cat > " + file + " <<'EOF'\n" + strings.TrimRight(string(data), "\n") + "\nEOF\n"
}

// startNFSLab starts f0 (MASTER), f1 (BACKUP, its copy of the data
// read-only) and r0, set up by hand as the article does it.
func startNFSLab(t testing.TB) *nfsLab {
	t.Helper()
	l, err := Start(context.Background(), Options{Dir: t.TempDir(), Hosts: []HostSpec{{"f0", sim.FreeBSD}, {"f1", sim.FreeBSD}, {"r0", sim.Rocky}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	n := &nfsLab{t: t, l: l, clock: &labClock{}, ca: pkitest.NewCA(t, "F3S Stunnel CA")}
	n.clock.set(time.Date(2025, 7, 6, 10, 0, 0, 0, eest))
	for _, h := range l.Names() {
		l.Host(h).SetClock(n.clock.now)
	}
	server := n.ca.Issue(t, "f3s-storage-ha.lan")
	for _, h := range []string{"f0", "f1"} {
		dataset := map[string]string{"f0": "zdata/enc/nfsdata", "f1": "zdata/sink/f0/zdata/enc/nfsdata"}[h]
		n.run(h, "echo '"+vipHosts+"' >> /etc/hosts\n"+
			"kldload carp\n"+
			`sysrc ifconfig_re0_alias0="inet vhid 1 pass testpass alias 192.168.1.138/32" >/dev/null`+"\n"+
			"ifconfig re0 inet vhid 1 pass testpass alias 192.168.1.138/32\n"+
			"zpool create -m /data zdata /dev/ada1\n"+
			"zfs create -p -o mountpoint=/data/nfs "+dataset+"\n"+
			"mkdir -p /data/nfs/k3svolumes && chmod 755 /data/nfs/k3svolumes\n"+
			"sysrc nfs_server_enable=YES nfsv4_server_enable=YES nfsuserd_enable=YES mountd_enable=YES rpcbind_enable=YES >/dev/null\n"+
			heredoc("/etc/exports", []byte(articleExports))+
			"service rpcbind start && service mountd start && service nfsd start && service nfsuserd start\n"+
			"pkg install -y stunnel >/dev/null\n"+
			"mkdir -p /usr/local/etc/stunnel/ca\n"+
			heredoc("/usr/local/etc/stunnel/server-cert.pem", server.CertPEM)+
			heredoc("/usr/local/etc/stunnel/server-key.pem", server.KeyPEM)+
			"chmod 600 /usr/local/etc/stunnel/server-key.pem\n"+
			heredoc("/usr/local/etc/stunnel/ca/ca-cert.pem", n.ca.CertPEM)+
			heredoc("/usr/local/etc/stunnel/stunnel.conf", []byte(serverStunnelConf))+
			"sysrc stunnel_enable=YES >/dev/null && service stunnel start\n")
	}
	n.run("f1", "ifconfig re0 vhid 1 state backup")
	n.setUpClient(n.ca.Issue(t, "r0.lan.buetow.org"))
	return n
}

func (n *nfsLab) setUpClient(c *pkitest.Cert) {
	n.run("r0", "dnf install -y -q stunnel nfs-utils\n"+
		"echo '"+vipHosts+"' >> /etc/hosts\n"+
		heredoc("/etc/stunnel/r0.pem", c.Bundle())+
		"chmod 600 /etc/stunnel/r0.pem\n"+
		heredoc("/etc/stunnel/ca-cert.pem", n.ca.CertPEM)+
		heredoc("/etc/stunnel/stunnel.conf", []byte(clientStunnelConf))+
		"systemctl enable --now stunnel 2>/dev/null\n"+
		"mkdir -p /data/nfs/k3svolumes\n"+
		"echo '127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,intr,_netdev 0 0' >> /etc/fstab")
}

// run runs script as root on host; it must succeed.
func (n *nfsLab) run(host, script string) string {
	n.t.Helper()
	out, errs, code, err := n.l.Exec(host, script)
	if err != nil || code != 0 {
		n.t.Fatalf("%s: %s\nexit %d %v\nstdout: %s\nstderr: %s", host, script, code, err, out, errs)
	}
	return out
}

type want struct {
	out, err string
	code     int
}

// expect runs script as root on host and compares everything.
func (n *nfsLab) expect(host, script string, w want) {
	n.t.Helper()
	out, errs, code, err := n.l.Exec(host, script)
	if err != nil || out != w.out || errs != w.err || code != w.code {
		n.t.Errorf("%s: %s\n got %q %q %d %v\nwant %q %q %d", host, script, out, errs, code, err, w.out, w.err, w.code)
	}
}

// contains checks that host's file holds every line part.
func (n *nfsLab) contains(host, file string, parts ...string) {
	n.t.Helper()
	text := n.run(host, "cat "+file)
	for _, p := range parts {
		if !strings.Contains(text, p) {
			n.t.Errorf("%s:%s lacks %q:\n%s", host, file, p, text)
		}
	}
}

// vipGone takes the VIP's address off f0 and f1: with CARP between the
// hosts, a MASTER set to BACKUP only hands the VIP to its peer.
const vipGone = "ifconfig re0 inet 192.168.1.138 -alias"

// vipBack puts it back: f0 first, alone on the link, becomes MASTER; f1
// joins as BACKUP.
func (n *nfsLab) vipBack() {
	n.t.Helper()
	for _, h := range []string{"f0", "f1"} {
		n.run(h, "ifconfig re0 inet vhid 1 pass testpass alias 192.168.1.138/32")
	}
}

func (n *nfsLab) failover(from, to string) {
	n.t.Helper()
	n.run(from, "ifconfig re0 vhid 1 state backup")
	n.run(to, "ifconfig re0 vhid 1 state master")
}

// TestNFSMountAndFiles: the mount reaches f0's export and the client sees
// and changes f0's files.
func TestNFSMountAndFiles(t *testing.T) {
	n := startNFSLab(t)
	n.run("f0", "echo 'written on f0' > /data/nfs/k3svolumes/from-f0 && chown 1234:1234 /data/nfs/k3svolumes/from-f0 && touch /data/nfs/k3svolumes/paul && chown paul /data/nfs/k3svolumes/paul")
	n.expect("r0", k3sMount, want{})
	n.expect("r0", "mount | grep k3svolumes", want{out: "127.0.0.1:/k3svolumes on /data/nfs/k3svolumes type nfs4 (rw,relatime,vers=4.2,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,port=2323,timeo=600,retrans=2,sec=sys,clientaddr=127.0.0.1,local_lock=none,addr=127.0.0.1)\n"})
	n.expect("r0", "cat /data/nfs/k3svolumes/from-f0", want{out: "written on f0\n"})
	// owners cross as numbers; the client names them from its own passwd
	n.expect("r0", "stat -c '%u %U' /data/nfs/k3svolumes/from-f0 /data/nfs/k3svolumes/paul", want{out: "1234 UNKNOWN\n1001 paul\n"})
	n.expect("r0", "echo 'written on r0' > /data/nfs/k3svolumes/from-r0 && mkdir /data/nfs/k3svolumes/pv && ls /data/nfs/k3svolumes", want{out: "from-f0\nfrom-r0\npaul\npv\n"})
	// -maproot=root: r0's root is root on f0
	n.expect("f0", "cat /data/nfs/k3svolumes/from-r0; stat -f '%Su:%Sg %Lp' /data/nfs/k3svolumes/from-r0 /data/nfs/k3svolumes/pv", want{out: "written on r0\nroot:wheel 644\nroot:wheel 755\n"})
	n.expect("r0", "rmdir /data/nfs/k3svolumes/pv && rm /data/nfs/k3svolumes/from-r0 /data/nfs/k3svolumes/paul && ls /data/nfs/k3svolumes", want{out: "from-f0\n"})
	n.expect("f0", "ls /data/nfs/k3svolumes", want{out: "from-f0\n"})
	// the mount's route, logged by both stunnels
	n.contains("f0", "/var/log/messages",
		"]: LOG5[", "]: Service [nfs-tls] accepted connection from 192.168.1.120:40722",
		"]: Certificate accepted at depth=0: C=US, ST=State, L=City, O=F3S Storage, CN=r0.lan.buetow.org",
		"]: s_connect: connected 127.0.0.1:2049", "]: Service [nfs-tls] connected remote server from 127.0.0.1:32918")
	j := n.run("r0", "journalctl -u stunnel --no-pager")
	for _, w := range []string{"Service [nfs-ha] accepted connection from 127.0.0.1:876", "s_connect: connected 192.168.1.138:2323",
		"Certificate accepted at depth=0: C=US, ST=State, L=City, O=F3S Storage, CN=f3s-storage-ha.lan"} {
		if !strings.Contains(j, w) {
			t.Errorf("r0's journal lacks %q:\n%s", w, j)
		}
	}
	// the client's warnings at start (no checkHost: errata)
	if !strings.Contains(j, `LOG4[ui]: Service [nfs-ha] uses "verifyChain" without subject checks`) && !strings.Contains(j, `[:] Service [nfs-ha] uses "verifyChain" without subject checks`) {
		t.Errorf("r0's journal lacks the verifyChain warning:\n%s", j)
	}
	// showmount asks f0's mountd directly, not through stunnel
	n.expect("r0", "showmount -e f3s-storage-ha", want{out: "Export list for f3s-storage-ha:\n/data/nfs 127.0.0.1\n"})
	n.expect("r0", "showmount -e 127.0.0.1", want{err: "clnt_create: RPC: Port mapper failure - Unable to receive: errno 111 (Connection refused)\n", code: 1})
}

// TestNFSRouteBreaks: each broken link of the route fails a new mount the
// way the real client reports it, and the daemon on the way logs why.
func TestNFSRouteBreaks(t *testing.T) {
	n := startNFSLab(t)
	const reset = "mount.nfs4: Connection reset by peer\n"
	mnt := "mount -t nfs4 -o port=2323,retry=0 127.0.0.1:/k3svolumes /data/nfs/k3svolumes"

	// the path is relative to the V4 root (errata)
	n.expect("r0", "mount -t nfs4 -o port=2323 127.0.0.1:/data/nfs/k3svolumes /data/nfs/k3svolumes", want{err: "mount.nfs4: mounting 127.0.0.1:/data/nfs/k3svolumes failed, reason given by server: No such file or directory\n", code: 32})
	// nothing accepts on the port dialled
	n.expect("r0", "mount -t nfs4 -o port=2324,retry=0 127.0.0.1:/k3svolumes /data/nfs/k3svolumes", want{err: "mount.nfs4: Connection refused\n", code: 32})
	// straight to the VIP's nfsd: the export is for 127.0.0.1 only
	n.expect("r0", "mount -t nfs4 f3s-storage-ha:/k3svolumes /data/nfs/k3svolumes", want{err: "mount.nfs4: access denied by server while mounting f3s-storage-ha:/k3svolumes\n", code: 32})

	// no host holds the VIP
	n.run("f0", vipGone)
	n.run("f1", vipGone)
	n.expect("r0", mnt, want{err: reset, code: 32})
	n.contains("r0", "/var/log/messages", "stunnel[", "]: s_connect: connect 192.168.1.138:2323: No route to host (113)", "]: No more addresses to connect",
		"]: Connection reset: 0 byte(s) sent to TLS, 0 byte(s) sent to socket")
	n.vipBack()

	// stunnel stopped on the MASTER: the VIP answers, the port refuses
	n.run("f0", "service stunnel stop")
	n.expect("r0", mnt, want{err: reset, code: 32})
	n.contains("r0", "/var/log/messages", "]: s_connect: connect 192.168.1.138:2323: Connection refused (111)")
	n.run("f0", "service stunnel start")

	// nfsd stopped behind stunnel
	n.run("f0", "service nfsd stop")
	n.expect("r0", mnt, want{err: reset, code: 32})
	n.contains("f0", "/var/log/messages", "]: s_connect: connect 127.0.0.1:2049: Connection refused (61)")
	n.contains("r0", "/var/log/messages", "]: SSL_read: Connection reset by peer (104)")
	// started without NFSv4
	n.run("f0", "sysrc nfsv4_server_enable=NO >/dev/null && service nfsd start >/dev/null")
	n.expect("r0", mnt, want{err: "mount.nfs4: Protocol not supported\n", code: 32})
	n.run("f0", "sysrc nfsv4_server_enable=YES >/dev/null && service nfsd restart >/dev/null")

	// exports that leave 127.0.0.1 out, reloaded
	n.run("f0", "sed -i '' 's/-network 127.0.0.1 -mask 255.255.255.255/-network 10.0.0.0\\/8/' /etc/exports && service mountd reload")
	n.expect("r0", mnt, want{err: "mount.nfs4: access denied by server while mounting 127.0.0.1:/k3svolumes\n", code: 32})
	n.run("f0", heredoc("/etc/exports", []byte(articleExports))+"service mountd reload")
	// mountd stopped: the kernel keeps its exports
	n.run("f0", "service mountd stop")
	n.expect("r0", mnt+" && umount /data/nfs/k3svolumes", want{})
	n.run("f0", "service mountd start")

	// the client's stunnel stopped
	n.run("r0", "systemctl stop stunnel")
	n.expect("r0", mnt, want{err: "mount.nfs4: Connection refused\n", code: 32})
	n.run("r0", "systemctl start stunnel")
	n.expect("r0", k3sMount, want{})
}

// TestNFSTLSRefusals: the server's verify = 2 / requireCert and the
// client's verify = 2 / checkHost, as stunnel checks them.
func TestNFSTLSRefusals(t *testing.T) {
	n := startNFSLab(t)
	const reset = "mount.nfs4: Connection reset by peer\n"
	mnt := "mount -t nfs4 -o port=2323,retry=0 127.0.0.1:/k3svolumes /data/nfs/k3svolumes"
	restart := func(conf string) {
		n.run("r0", heredoc("/etc/stunnel/stunnel.conf", []byte(conf))+"systemctl restart stunnel")
	}
	const subject = "C=US, ST=State, L=City, O=F3S Storage, CN=r0.lan.buetow.org"

	// no client certificate
	restart(strings.Replace(clientStunnelConf, "cert = /etc/stunnel/r0.pem\n", "", 1))
	n.expect("r0", mnt, want{err: reset, code: 32})
	n.contains("f0", "/var/log/messages", "]: SSL_accept: ssl/statem/statem_srvr.c:3472: error:0A0000C7:SSL routines::peer did not return a certificate")
	n.contains("r0", "/var/log/messages", "]: SSL_read: ssl/record/rec_layer_s3.c:1584: error:0A00045C:SSL routines::tlsv13 alert certificate required")

	// a certificate of another CA
	other := pkitest.NewCA(t, "Other CA").Issue(t, "r0.lan.buetow.org")
	n.run("r0", heredoc("/etc/stunnel/r0.pem", other.Bundle()))
	restart(clientStunnelConf)
	n.expect("r0", mnt, want{err: reset, code: 32})
	n.contains("f0", "/var/log/messages", "]: CERT: Pre-verification error: unable to get local issuer certificate",
		"]: Rejected by CERT at depth=0: "+subject, "]: SSL_accept: ssl/statem/statem_srvr.c:3510: error:0A000086:SSL routines::certificate verify failed")

	// an expired one: good until the clocks pass its end
	short := n.ca.Issue(t, "r0.lan.buetow.org", pkitest.Valid(n.clock.now().Add(-time.Hour), n.clock.now().Add(time.Hour)))
	n.run("r0", heredoc("/etc/stunnel/r0.pem", short.Bundle())+"systemctl restart stunnel")
	n.expect("r0", mnt+" && umount /data/nfs/k3svolumes", want{})
	n.clock.add(2 * time.Hour)
	n.expect("r0", mnt, want{err: reset, code: 32})
	n.contains("f0", "/var/log/messages", "]: CERT: Pre-verification error: certificate has expired")
	n.contains("r0", "/var/log/messages", "]: SSL_read: ssl/record/rec_layer_s3.c:1584: error:0A000415:SSL routines::sslv3 alert certificate expired")

	// the server's name, checked by the client
	n.run("r0", heredoc("/etc/stunnel/r0.pem", n.ca.Issue(t, "r0.lan.buetow.org").Bundle()))
	restart(clientStunnelConf + "checkHost = f3s-storage-ha.lan.buetow.org\n")
	n.expect("r0", mnt, want{err: reset, code: 32})
	n.contains("r0", "/var/log/messages", "]: CERT: Subject checks failed",
		"]: SSL_connect: ssl/statem/statem_clnt.c:1889: error:0A000086:SSL routines::certificate verify failed")
	n.contains("f0", "/var/log/messages", "]: SSL_accept: ssl/record/rec_layer_s3.c:1584: error:0A000416:SSL routines::sslv3 alert certificate unknown")
	restart(clientStunnelConf + "checkHost = f3s-storage-ha.lan\n")
	n.expect("r0", mnt, want{})
}

// TestNFSFailover: after the VIP moves, every access gives ESTALE until the
// mount is made again; f1 then serves its read-only copy.
func TestNFSFailover(t *testing.T) {
	n := startNFSLab(t)
	n.run("f1", "echo 'replicated' > /data/nfs/k3svolumes/test-before.txt && zfs set readonly=on zdata/sink/f0/zdata/enc/nfsdata")
	n.expect("r0", "mount /data/nfs/k3svolumes && echo 'test before failover' > /data/nfs/k3svolumes/test-before.txt", want{})
	n.expect("f0", "cat /data/nfs/k3svolumes/test-before.txt", want{out: "test before failover\n"})

	n.failover("f0", "f1")
	n.expect("r0", "ls /data/nfs/k3svolumes/", want{err: "ls: cannot access '/data/nfs/k3svolumes/': Stale file handle\n", code: 2})
	n.expect("r0", "timeout 2s stat /data/nfs/k3svolumes >/dev/null 2>&1; echo $?", want{out: "1\n"})
	n.expect("r0", "umount -f /data/nfs/k3svolumes && mount /data/nfs/k3svolumes && cat /data/nfs/k3svolumes/test-before.txt", want{out: "replicated\n"})
	// f1's copy is read-only ZFS (errata: the article's write after the failover fails)
	n.expect("r0", `echo "Test after failover" > /data/nfs/k3svolumes/failover-test.txt`, want{err: "sh: line 1: /data/nfs/k3svolumes/failover-test.txt: Read-only file system\n", code: 1})
	n.expect("r0", "findmnt -n -o SOURCE /data/nfs/k3svolumes", want{out: "127.0.0.1:/k3svolumes\n"})

	// failback: stale again, the monitor's repair reaches f0
	n.failover("f1", "f0")
	n.expect("r0", "cat /data/nfs/k3svolumes/test-before.txt", want{err: "cat: /data/nfs/k3svolumes/test-before.txt: Stale file handle\n", code: 1})
	n.expect("r0", "umount -f /data/nfs/k3svolumes 2>/dev/null; sleep 1; mount /data/nfs/k3svolumes && cat /data/nfs/k3svolumes/test-before.txt", want{out: "test before failover\n"})
}

// TestNFSHang: with no host holding the VIP an access waits (hard mount)
// until the command is killed; umount -f returns; the mount goes on when
// the VIP comes back; another process (f3s-lab exec) sees the same.
func TestNFSHang(t *testing.T) {
	n := startNFSLab(t)
	n.expect("r0", k3sMount+" && echo x > /data/nfs/k3svolumes/x && cat /data/nfs/k3svolumes/x", want{out: "x\n"})
	// the VIP goes away in another process: this one sees it at once
	for _, h := range []string{"f0", "f1"} {
		if _, errs, code, err := ExecDir(n.l.Dir(), h, vipGone); err != nil || code != 0 {
			t.Fatalf("another process: %s %d %v", errs, code, err)
		}
	}
	n.expect("r0", "timeout 2s stat /data/nfs/k3svolumes; echo $?", want{out: "124\n"})
	out, errs, code, err := ExecDir(n.l.Dir(), "r0", "timeout 1s cat /data/nfs/k3svolumes/x; echo $?")
	if err != nil || out != "124\n" || errs != "" || code != 0 {
		t.Errorf("another process: %q %q %d %v", out, errs, code, err)
	}
	n.vipBack()
	out, errs, code, err = ExecDir(n.l.Dir(), "r0", "cat /data/nfs/k3svolumes/x")
	if err != nil || out != "x\n" || errs != "" || code != 0 {
		t.Errorf("another process after the VIP came back: %q %q %d %v", out, errs, code, err)
	}
	// stunnel stopped on the MASTER: hung again; the article's monitor repairs nothing
	n.run("f0", "service stunnel stop")
	n.expect("r0", "timeout 1s ls /data/nfs/k3svolumes; echo $?", want{out: "124\n"})
	n.expect("r0", "umount -f /data/nfs/k3svolumes && mount /data/nfs/k3svolumes", want{err: "mount.nfs4: Connection reset by peer\n", code: 32})
	n.run("f0", "service stunnel start")
	n.expect("r0", "mount /data/nfs/k3svolumes && cat /data/nfs/k3svolumes/x", want{out: "x\n"})
}

// TestNFSConcurrent: accesses through the mount from two processes (this
// one and an opened lab, as f3s-lab exec), changes on the server and state
// changes on both hosts at once finish without a deadlock between the
// hosts' locks, and every write lands.
func TestNFSConcurrent(t *testing.T) {
	n := startNFSLab(t)
	n.expect("r0", k3sMount, want{})
	other, err := Open(n.l.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	type job struct {
		l          *Lab
		host, loop string
	}
	jobs := []job{
		{n.l, "r0", "for i in $(seq 15); do echo $i > /data/nfs/k3svolumes/a$i && cat /data/nfs/k3svolumes/a$i >/dev/null; done"},
		{other, "r0", "for i in $(seq 15); do echo $i > /data/nfs/k3svolumes/b$i && ls -l /data/nfs/k3svolumes >/dev/null; done"},
		{n.l, "f0", "for i in $(seq 15); do echo $i > /data/nfs/k3svolumes/c$i && zfs snapshot zdata/enc/nfsdata@s$i && service mountd reload; done"},
		{other, "f0", "for i in $(seq 15); do ls /data/nfs/k3svolumes >/dev/null && service stunnel status >/dev/null; done"},
		{n.l, "r0", "for i in $(seq 15); do findmnt -n /data/nfs/k3svolumes >/dev/null && systemctl is-active stunnel >/dev/null; done"},
	}
	errs := make(chan string, len(jobs))
	for _, j := range jobs {
		go func() {
			out, stderr, code, err := j.l.Exec(j.host, j.loop)
			if err != nil || code != 0 || stderr != "" {
				errs <- j.host + ": " + j.loop + ": " + out + stderr
				return
			}
			errs <- ""
		}()
	}
	deadline := time.After(2 * time.Minute)
	for range jobs {
		select {
		case e := <-errs:
			if e != "" {
				t.Error(e)
			}
		case <-deadline:
			t.Fatal("concurrent NFS accesses did not finish: deadlock?")
		}
	}
	n.expect("f0", "ls /data/nfs/k3svolumes | wc -l | tr -d ' '", want{out: "45\n"})
}

// BenchmarkNFSStat measures what a stat through the mount costs (the route
// to the server, TLS on both stunnels included) against a local one.
func BenchmarkNFSStat(b *testing.B) {
	n := startNFSLab(b)
	n.run("r0", k3sMount+" && echo x > /data/nfs/k3svolumes/x && echo x > /tmp/x")
	tree := n.l.Host("r0").Tree
	for _, bb := range []struct{ name, path string }{{"local", "/tmp/x"}, {"nfs", "/data/nfs/k3svolumes/x"}} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := tree.Stat(bb.path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The article's carpcontrol.sh with the errata's fix (the state is $2).
const carpControl = `#!/bin/sh
# CARP state change control script

case "$2" in
 MASTER)
 logger "CARP state changed to MASTER, starting services"
 service rpcbind start >/dev/null 2>&1
 service mountd start >/dev/null 2>&1
 service nfsd start >/dev/null 2>&1
 service nfsuserd start >/dev/null 2>&1
 service stunnel restart >/dev/null 2>&1
 logger "CARP MASTER: NFS and stunnel services started"
 ;;
 BACKUP)
 logger "CARP state changed to BACKUP, stopping services"
 service stunnel stop >/dev/null 2>&1
 service nfsd stop >/dev/null 2>&1
 service mountd stop >/dev/null 2>&1
 service nfsuserd stop >/dev/null 2>&1
 logger "CARP BACKUP: NFS and stunnel services stopped"
 ;;
esac
`

const carpRule = `notify 0 {
 match "system" "CARP";
 match "subsystem" "[0-9]+@[0-9a-z.]+";
 match "type" "(MASTER|BACKUP)";
 action "/usr/local/bin/carpcontrol.sh $subsystem $type";
};
`

// TestNFSCarpControl: with the devd hook of the article, a failover stops
// NFS and stunnel on the old MASTER and starts them on the new one; the
// client's mount goes stale and is made again on f1, then on f0 after the
// failback.
func TestNFSCarpControl(t *testing.T) {
	n := startNFSLab(t)
	for _, h := range []string{"f0", "f1"} {
		n.run(h, heredoc("/usr/local/bin/carpcontrol.sh", []byte(carpControl))+"chmod +x /usr/local/bin/carpcontrol.sh\n"+
			heredoc("/usr/local/etc/devd/carp.conf", []byte(carpRule))+"service devd restart >/dev/null")
	}
	// f1 is BACKUP: its hook would stop its services; start from there
	n.run("f1", "ifconfig re0 vhid 1 state master && ifconfig re0 vhid 1 state backup")
	n.expect("f1", "service stunnel status; service nfsd status", want{out: "stunnel is not running.\nnfsd is not running.\n", code: 1})
	n.run("f1", "echo 'replicated' > /data/nfs/k3svolumes/x")
	n.expect("r0", "mount /data/nfs/k3svolumes && echo 'on f0' > /data/nfs/k3svolumes/x && cat /data/nfs/k3svolumes/x", want{out: "on f0\n"})

	n.failover("f0", "f1")
	n.expect("f0", "service stunnel status >/dev/null; echo $?; service nfsd status >/dev/null; echo $?", want{out: "1\n1\n"})
	n.expect("f1", "service stunnel status >/dev/null && service nfsd status >/dev/null && echo up", want{out: "up\n"})
	n.contains("f1", "/var/log/messages", "CARP state changed to MASTER, starting services", "CARP MASTER: NFS and stunnel services started")
	n.expect("r0", "cat /data/nfs/k3svolumes/x", want{err: "cat: /data/nfs/k3svolumes/x: Stale file handle\n", code: 1})
	n.expect("r0", "umount -f /data/nfs/k3svolumes && mount /data/nfs/k3svolumes && cat /data/nfs/k3svolumes/x", want{out: "replicated\n"})

	n.failover("f1", "f0")
	n.expect("r0", "umount -f /data/nfs/k3svolumes && mount /data/nfs/k3svolumes && cat /data/nfs/k3svolumes/x", want{out: "on f0\n"})
}
