package rocky

import (
	"strings"
	"syscall"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// The article's client configuration for r0 (reference §11.1).
const articleStunnelConf = `cert = /etc/stunnel/r0-key.pem
CAfile = /etc/stunnel/ca-cert.pem
client = yes
verify = 2

[nfs-ha]
accept = 127.0.0.1:2323
connect = 192.168.1.138:2323
`

const nfsMountLine = "127.0.0.1:/k3svolumes on /data/nfs/k3svolumes type nfs4 (rw,relatime,vers=4.2,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,port=2323,timeo=600,retrans=2,sec=sys,clientaddr=127.0.0.1,local_lock=none,addr=127.0.0.1)\n"

const articleNFSOptions = "rw,relatime,vers=4.2,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,port=2323,timeo=600,retrans=2,sec=sys,clientaddr=127.0.0.1,local_lock=none,addr=127.0.0.1"

func TestArticleClient(t *testing.T) {
	h, _ := newHost(t, "r0")
	f := newFakeStorage(t, h)

	// a fresh client has neither package
	expect(t, h, "", "rpm -q stunnel nfs-utils", result{out: "package stunnel is not installed\npackage nfs-utils is not installed\n", code: 2})

	r := mustRun(t, h, "", "sudo -n dnf install -y stunnel nfs-utils")
	if !strings.HasSuffix(r.out, "\nComplete!\n") || r.err != "" {
		t.Fatalf("install output:\n%s\nstderr:\n%s", r.out, r.err)
	}
	expect(t, h, "", "rpm -q stunnel nfs-utils", result{out: "stunnel-5.62-3.el9.x86_64\nnfs-utils-2.5.4-27.el9.x86_64\n"})
	expect(t, h, "", `rpm -q --qf '%{VERSION}-%{RELEASE}\n' stunnel`, result{out: "5.62-3.el9\n"})
	expect(t, h, "", "sudo -n dnf install -y stunnel", result{out: "Last metadata expiration check: 0:12:34 ago on Sun Jul  6 09:47:26 2025.\nPackage stunnel-5.62-3.el9.x86_64 is already installed.\nDependencies resolved.\nNothing to do.\nComplete!\n"})

	// The article copies only r0's key and names it as cert: stunnel finds
	// no certificate in it and does not start (errata).
	if err := h.Tree.WriteFile(root, "/etc/stunnel/r0-key.pem", f.client.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := h.Tree.WriteFile(root, "/etc/stunnel/ca-cert.pem", f.ca.CertPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, h, "root", "cat > /etc/stunnel/stunnel.conf <<'EOF'\n"+articleStunnelConf+"EOF")
	if r := run(t, h, "root", "systemctl enable --now stunnel"); r.code == 0 {
		t.Errorf("stunnel started with a key as its certificate: %+v", r)
	}
	expect(t, h, "", "systemctl is-active stunnel", result{out: "failed\n", code: 3})
	if j := run(t, h, "root", "journalctl -u stunnel --no-pager"); !strings.Contains(j.out, "[!] SSL_CTX_use_certificate_chain_file: crypto/pem/pem_lib.c:763: error:0480006C:PEM routines::no start line") {
		t.Errorf("journal:\n%s", j.out)
	}
	// with the certificate and its key in the file, it starts
	if err := h.Tree.WriteFile(root, "/etc/stunnel/r0-key.pem", f.client.Bundle(), 0o600); err != nil {
		t.Fatal(err)
	}
	expect(t, h, "root", "systemctl restart stunnel", result{})
	expect(t, h, "", "systemctl is-active stunnel", result{out: "active\n"})
	expect(t, h, "", "systemctl is-enabled stunnel", result{out: "enabled\n"})
	expect(t, h, "", "systemctl show -p ActiveState,SubState,UnitFileState stunnel", result{out: "ActiveState=active\nSubState=running\nUnitFileState=enabled\n"})
	expect(t, h, "", "systemctl show -P UnitFilePreset stunnel.service", result{out: "disabled\n"})
	st := run(t, h, "root", "systemctl status stunnel")
	wantHead := "● stunnel.service - TLS tunnel for network daemons\n" +
		"     Loaded: loaded (/usr/lib/systemd/system/stunnel.service; enabled; preset: disabled)\n" +
		"     Active: active (running) since Sun 2025-07-06 10:00:00 UTC; now\n"
	if st.code != 0 || !strings.HasPrefix(st.out, wantHead) || !strings.Contains(st.out, "r0 systemd[1]: Started TLS tunnel for network daemons.\n") {
		t.Errorf("status:\n%s", st.out)
	}
	if !strings.Contains(st.out, "r0 stunnel[") || !strings.Contains(st.out, "[.] Configuration successful") {
		t.Errorf("the daemon's startup log is not in the journal:\n%s", st.out)
	}

	// NFS through the tunnel (the V4 root is /data/nfs on the server)
	mustRun(t, h, "root", "mkdir -p /data/nfs/k3svolumes")
	expect(t, h, "root", "mount -t nfs4 -o port=2323 127.0.0.1:/data/nfs/k3svolumes /data/nfs/k3svolumes", result{err: "mount.nfs4: mounting 127.0.0.1:/data/nfs/k3svolumes failed, reason given by server: No such file or directory\n", code: 32})
	f.answer = syscall.EACCES
	expect(t, h, "root", "mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /data/nfs/k3svolumes", result{err: "mount.nfs4: access denied by server while mounting 127.0.0.1:/k3svolumes\n", code: 32})
	f.answer = nil
	expect(t, h, "root", "mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /data/nfs/k3svolumes", result{})
	expect(t, h, "", "mount | grep k3svolumes", result{out: nfsMountLine})
	expect(t, h, "", "findmnt -n -o SOURCE,FSTYPE,OPTIONS /data/nfs/k3svolumes", result{out: "127.0.0.1:/k3svolumes nfs4   " + articleNFSOptions + "\n"})
	expect(t, h, "", "findmnt -r -n -o TARGET,FSTYPE /data/nfs/k3svolumes", result{out: "/data/nfs/k3svolumes nfs4\n"})
	expect(t, h, "", "findmnt --target /data/nfs/k3svolumes/sub/dir -n -o TARGET", result{out: "/data/nfs/k3svolumes\n"})
	expect(t, h, "", "findmnt /data/nfs", result{code: 1})
	expect(t, h, "", "findmnt -o TARGET,BOGUS /", result{err: "findmnt: unknown column: BOGUS\n", code: 1})
	expect(t, h, "", "findmnt /data/nfs/k3svolumes", result{out: "TARGET               SOURCE                FSTYPE OPTIONS\n/data/nfs/k3svolumes 127.0.0.1:/k3svolumes nfs4   " + articleNFSOptions + "\n"})
	// mounted already: the kernel says EBUSY and mount.nfs 2.5.4 succeeds quietly
	expect(t, h, "root", "mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /data/nfs/k3svolumes && mount -t nfs4 | wc -l", result{out: "1\n"})

	// the client's stunnel logged the connection, with the server's certificate
	j := run(t, h, "root", "journalctl -u stunnel -t stunnel --no-pager | grep 'LOG5'")
	for _, want := range []string{
		": LOG5[", "]: Service [nfs-ha] accepted connection from 127.0.0.1:876",
		"]: s_connect: connected 192.168.1.138:2323", "]: Service [nfs-ha] connected remote server from 192.168.1.120:40722",
		"]: Certificate accepted at depth=0: C=US, ST=State, L=City, O=F3S Storage, CN=f3s-storage-ha.lan",
	} {
		if !strings.Contains(j.out, want) {
			t.Errorf("journal lacks %q:\n%s", want, j.out)
		}
	}

	// the failover: stale handles until the monitor (or an admin) remounts
	f.setMaster("f1")
	expect(t, h, "", "ls /data/nfs/k3svolumes", result{err: "ls: cannot access '/data/nfs/k3svolumes': Stale file handle\n", code: 2})
	expect(t, h, "", "ls /data/nfs", result{out: "k3svolumes\n"})
	expect(t, h, "root", "umount -f /data/nfs/k3svolumes", result{})
	expect(t, h, "root", "umount /data/nfs/k3svolumes", result{err: "umount: /data/nfs/k3svolumes: not mounted.\n", code: 32})
	expect(t, h, "root", "umount /nonexistent", result{err: "umount: /nonexistent: no mount point specified.\n", code: 32})

	// the persistent mount (reference §13.2's fstab line), now served by f1
	mustRun(t, h, "root", "echo '127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,intr,_netdev 0 0' >> /etc/fstab")
	expect(t, h, "root", "mount /data/nfs/k3svolumes", result{})
	expect(t, h, "", "mount -t nfs4", result{out: nfsMountLine})
	expect(t, h, "root", "mount -a", result{})
	expect(t, h, "root", "mount /data/nothere", result{err: "mount: /data/nothere: can't find in /etc/fstab.\n", code: 1})
	expect(t, h, "", "umount /data/nfs/k3svolumes", result{err: "umount: /data/nfs/k3svolumes: must be superuser to unmount.\n", code: 32})
	expect(t, h, "", "mount -t nfs4 127.0.0.1:/k3svolumes /mnt", result{err: "mount: only root can use \"--types\" option\n", code: 1})
	expect(t, h, "root", "umount.nfs4 /data/nfs/k3svolumes && umount.nfs4 /data/nfs/k3svolumes", result{err: "umount.nfs4: /data/nfs/k3svolumes: not mounted\n", code: 16})
}

func TestMountNFSWithoutNFSUtils(t *testing.T) {
	h, _ := newHost(t, "r1")
	mustRun(t, h, "root", "mkdir -p /mnt")
	expect(t, h, "root", "mount -t nfs4 -o port=2323 127.0.0.1:/k3svolumes /mnt",
		result{err: "mount: /mnt: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.\n", code: 32})
	expect(t, h, "root", "mount.nfs4 127.0.0.1:/k3svolumes /mnt", result{err: "/bin/sh: line 1: mount.nfs4: command not found\n", code: 127})
	expect(t, h, "", "findmnt -n -o SOURCE /", result{out: "/dev/mapper/rl-root\n"})
	expect(t, h, "", "ip -4 addr show dev enp0s5", result{out: "2: enp0s5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    inet 192.168.1.121/24 brd 192.168.1.255 scope global noprefixroute enp0s5\n       valid_lft forever preferred_lft forever\n"})
}

func TestMountOptionsAndErrors(t *testing.T) {
	h, _ := newHost(t, "r0")
	mustRun(t, h, "root", "dnf install -y -q nfs-utils && mkdir -p /mnt/a && touch /mnt/file")
	newFakeStorage(t, h)
	// a server on the VIP's port 2049 without TLS (the lab's FreeBSD nfsd does this)
	sim.RegisterListener(sim.FreeBSD, "rocky-test-nfsd", func(s *sim.Host, addr string, port int) (sim.Service, bool) {
		if port != 2049 {
			return nil, false
		}
		return func(*sim.Conn, any) (any, error) {
			return &sim.NFSExport{Host: s, Dir: "/data/nfs", FS: "zdata/nfs"}, nil
		}, true
	})
	t.Cleanup(func() { sim.RegisterListener(sim.FreeBSD, "rocky-test-nfsd", nil) })
	mustRun(t, h, "root", "echo '192.168.1.138 f3s-storage-ha.lan f3s-storage-ha' >> /etc/hosts")
	tests := []struct {
		script string
		want   result
	}{
		{"mount -t nfs4 -o soft,timeo=50 f3s-storage-ha:/k3svolumes /mnt/a && findmnt -n -o OPTIONS /mnt/a",
			result{out: "rw,relatime,vers=4.2,rsize=131072,wsize=131072,namlen=255,soft,proto=tcp,timeo=50,retrans=2,sec=sys,clientaddr=192.168.1.120,local_lock=none,addr=192.168.1.138\n"}},
		{"umount /mnt/a && mount -t nfs4 -o bogus f3s-storage-ha:/x /mnt/a", result{err: "mount.nfs4: an incorrect mount option was specified\n", code: 32}},
		{"mount -t nfs4 nowhere:/x /mnt/a", result{err: "mount.nfs4: Failed to resolve server nowhere: Name or service not known\n", code: 32}},
		{"mount -t nfs4 f3s-storage-ha:/x /mnt/missing", result{err: "mount.nfs4: mount point /mnt/missing does not exist\n", code: 1}},
		{"mount -t nfs4 f3s-storage-ha:/x /mnt/file", result{err: "mount.nfs4: mount point /mnt/file is not a directory\n", code: 1}},
		{"mount -t nfs4 f3s-storage-ha /mnt/a", result{err: "mount.nfs4: remote share not in 'host:dir' format\n", code: 32}},
		{"mount -t tmpfs -o size=64m tmpfs /mnt/a && mount | tail -1", result{out: "tmpfs on /mnt/a type tmpfs (rw,relatime,seclabel,size=64m,inode64)\n"}},
		{"mount /dev/sdz1 /mnt/a", result{err: "mount: /mnt/a: special device /dev/sdz1 does not exist.\n", code: 32}},
		{"mount -t tmpfs tmpfs /mnt/none", result{err: "mount: /mnt/none: mount point does not exist.\n", code: 32}},
		{"mount /boot", result{err: "mount: /boot: /dev/vda2 already mounted on /boot.\n", code: 32}},
	}
	for _, tt := range tests {
		expect(t, h, "root", tt.script, tt.want)
	}
}
