package freebsd

import (
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/unix"
)

// The article's sequence on a lab host, command by command.

func TestArticleSysrcAndZrepl(t *testing.T) {
	l := newLabHost(t, "f0")
	l.steps([]step{
		{cmd: "sysrc zfskeys_enable=YES", stdout: "zfskeys_enable:  -> YES\n"},
		{cmd: "sysrc mountd_enable=YES", stdout: "mountd_enable: NO -> YES\n"},
		{cmd: "sysrc zrepl_enable=YES", stdout: "zrepl_enable:  -> YES\n"},
		{cmd: "sysrc mountd_enable=YES", user: true, stderr: "sysrc: cannot create /etc/rc.conf: Permission denied\n", code: 1},
		{cmd: "service zrepl start", stdout: "zrepl does not exist in /etc/rc.d or the local startup\ndirectories (/usr/local/etc/rc.d), or is not executable\n", code: 1},
		{cmd: "zrepl version", stderr: "sh: zrepl: not found\n", code: 127},
		{cmd: "pkg install -y zrepl", user: true, stderr: "pkg: Insufficient privileges to install packages\n", code: 1},
		{cmd: "pkg info -e zrepl", code: 1},
		{cmd: "pkg install -y zrepl", contains: true, stdout: "New packages to be INSTALLED:\n\tzrepl: 0.6.1_1\n\nNumber of packages to be installed: 1\n\nThe process will require 30 MiB more space.\n7 MiB to be downloaded.\n"},
		{cmd: "pkg install -y zrepl", stdout: "Updating FreeBSD repository catalogue...\nFreeBSD repository is up to date.\nAll repositories are up to date.\nChecking integrity... done (0 conflicting)\nThe most recent versions of packages are already installed\n"},
		{cmd: "pkg install -y nosuchpkg", stdout: "Updating FreeBSD repository catalogue...\nFreeBSD repository is up to date.\nAll repositories are up to date.\n",
			stderr: "pkg: No packages available to install matching 'nosuchpkg' have been found in the repositories\n", code: 1},
		{cmd: "pkg info -e zrepl"},
		{cmd: "pkg query '%n %v' zrepl", stdout: "zrepl 0.6.1_1\n"},
		{cmd: "pkg query %v nosuchpkg", code: 1},
		{cmd: "pkg info nosuchpkg", stderr: "pkg: No package(s) matching nosuchpkg\n", code: 1},
		{cmd: "service zrepl start", stdout: "Performing sanity check on zrepl configuration:\n",
			stderr: "could not parse config: yaml: unmarshal errors:\n  line 4: field jobs is required\n/usr/local/etc/rc.d/zrepl: WARNING: failed precmd routine for zrepl\n", code: 1},
		{cmd: `printf 'jobs:\n  - name: sink\n    type: sink\n    serve:\n      type: tcp\n      listen: "192.168.2.130:8888"\n      clients: {"192.168.2.131": "f1"}\n    root_fs: "zdata/sink"\n' > /usr/local/etc/zrepl/zrepl.yml && zrepl configcheck`},
		{cmd: "zrepl status", stderr: "error: stdout is not a tty, please use --mode dump or --mode raw\n", code: 1},
		{cmd: "zrepl status --mode raw", stderr: "Post \"http://unix/status\": dial unix /var/run/zrepl/control: connect: no such file or directory\n", code: 1},
		{cmd: "service zrepl status", stdout: "zrepl is not running.\n", code: 1},
		{cmd: "service zrepl start", stdout: "Performing sanity check on zrepl configuration:\nStarting zrepl.\n"},
		{cmd: "service zrepl start 2>&1 | sed \"s/$(cat /var/run/zrepl/daemon.pid)/PID/\"", stdout: "zrepl already running?  (pid=PID).\n"},
		{cmd: "service zrepl status | sed \"s/$(cat /var/run/zrepl/daemon.pid)/PID/\"", stdout: "zrepl is running as pid PID.\n"},
		{cmd: "zrepl status --mode raw", contains: true, stdout: `"sink":{"sink":{"Snapper":null},"type":"sink"}},"Global":{`},
		{cmd: "service zrepl stop", stdout: "Stopping zrepl.\n"},
		{cmd: "service zrepl stop", stderr: "zrepl not running? (check /var/run/zrepl/daemon.pid).\n", code: 1},
		{cmd: "printf 'global: [\\n' > /usr/local/etc/zrepl/zrepl.yml; service zrepl start", stdout: "Performing sanity check on zrepl configuration:\n",
			stderr: "could not parse config: yaml: line 1: did not find expected node content\n/usr/local/etc/rc.d/zrepl: WARNING: failed precmd routine for zrepl\n", code: 1},
		{cmd: "zrepl configcheck --config /nonexistent.yml", stderr: "could not parse config: open /nonexistent.yml: no such file or directory\n", code: 1},
		{cmd: "service zrepl bogus", stderr: "/usr/local/etc/rc.d/zrepl: unknown directive 'bogus'.\nUsage: /usr/local/etc/rc.d/zrepl [fast|force|one|quiet](start|stop|restart|rcvar|enable|disable|delete|enabled|describe|extracommands|configtest|status|poll)\n", code: 1},
		{cmd: "service nosuch start", stdout: "nosuch does not exist in /etc/rc.d or the local startup\ndirectories (/usr/local/etc/rc.d), or is not executable\n", code: 1},
		{cmd: "pkg delete -y zrepl", contains: true, stdout: "[1/1] Deleting files for zrepl-0.6.1_1: 100%\n"},
		{cmd: "pkg info -e zrepl", code: 1},
		{cmd: "test -e /usr/local/bin/zrepl", code: 1},
		{cmd: "test -e /usr/local/etc/zrepl/zrepl.yml"},
	})
}

func TestArticleServices(t *testing.T) {
	l := newLabHost(t, "f0")
	l.steps([]step{
		{cmd: "service mountd start", stdout: "Cannot 'start' mountd. Set mountd_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'.\n"},
		{cmd: "service mountd status", stdout: "mountd is not running.\n", code: 1},
		{cmd: "service mountd enabled", code: 1},
		{cmd: "service mountd enable", stdout: "mountd enabled in /etc/rc.conf\n"},
		{cmd: "service mountd enabled"},
		{cmd: "service mountd start", stderr: "/etc/rc.d/mountd: WARNING: /etc/exports is not readable.\n/etc/rc.d/mountd: WARNING: failed precmd routine for mountd\n", code: 1},
		{cmd: "printf 'V4: /data/nfs -sec=sys\\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\\n' > /etc/exports"},
		{cmd: "showmount -e", stderr: "showmount: can't do exports rpc\n", code: 1},
		{cmd: "service mountd start", stdout: "Starting rpcbind.\nStarting mountd.\n"},
		{cmd: "showmount -e", stdout: "Exports list on localhost:\n/data/nfs                          127.0.0.1 \n"},
		{cmd: "echo '/data/other -ro' >> /etc/exports; showmount -e | wc -l", stdout: "       2\n"},
		{cmd: "service mountd reload"},
		{cmd: "showmount -e | tail -1", stdout: "/data/other                        Everyone\n"},
		{cmd: "service nfsd start", stdout: "Cannot 'start' nfsd. Set nfs_server_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'.\n"},
		{cmd: "sysrc nfs_server_enable=YES nfsv4_server_enable=YES", stdout: "nfs_server_enable: NO -> YES\nnfsv4_server_enable: NO -> YES\n"},
		{cmd: "service nfsd start", stdout: "Starting nfsd.\n"},
		{cmd: "service nfsd status", contains: true, stdout: "nfsd is running as pid "},
		{cmd: "service rpcbind status", contains: true, stdout: "rpcbind is running as pid "},
		{cmd: "service sshd status", contains: true, stdout: "sshd is running as pid "},
		{cmd: "service nfsuserd onestart", stdout: "Starting nfsuserd.\n"},
		{cmd: "service nfsuserd stop", stdout: "Stopping nfsuserd.\n"},
		{cmd: "service nfsuserd stop", stdout: "Cannot 'stop' nfsuserd. Set nfsuserd_enable to YES in /etc/rc.conf or use 'onestop' instead of 'stop'.\n"},
		{cmd: "sysrc mountd_enable=maybe >/dev/null; service mountd restart", stdout: "Cannot 'restart' mountd. Set mountd_enable to YES in /etc/rc.conf or use 'onerestart' instead of 'restart'.\n",
			stderr: "/etc/rc.d/mountd: WARNING: $mountd_enable is not set properly - see rc.conf(5).\n"},
		{cmd: "service mountd rcvar", stdout: "# mountd : Service remote NFS mount requests\n#\nmountd_enable=\"maybe\"\n#   (default: \"\")\n\n"},
		{cmd: "service -e", contains: true, stdout: "/etc/rc.d/nfsd\n"},
	})
	if !strings.Contains(l.file("/var/log/messages"), "root: /etc/rc.d/mountd: WARNING: /etc/exports is not readable.") {
		t.Errorf("warn() did not reach syslog:\n%s", l.file("/var/log/messages"))
	}
}

func TestArticleStunnel(t *testing.T) {
	l := newLabHost(t, "f0")
	conf := `cert = /usr/local/etc/stunnel/server-cert.pem
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
	l.steps([]step{
		{cmd: "pkg install -y stunnel", contains: true, stdout: "===> Creating groups\nCreating group 'stunnel' with gid '341'\n===> Creating users\nCreating user 'stunnel' with uid '341'\n"},
		{cmd: "sysrc stunnel_enable=YES", stdout: "stunnel_enable:  -> YES\n"},
		{cmd: "service stunnel start", stderr: "/usr/local/etc/rc.d/stunnel: WARNING: /usr/local/etc/stunnel/stunnel.conf is not readable.\n/usr/local/etc/rc.d/stunnel: WARNING: failed precmd routine for stunnel\n", code: 1},
		{cmd: "cat > /usr/local/etc/stunnel/stunnel.conf", stdin: conf},
		{cmd: "service stunnel start", stdout: "Starting stunnel.\n", stderr: "[!] Error reading certificate file: /usr/local/etc/stunnel/server-cert.pem\n[!] Service [nfs-tls]: Failed to initialize TLS context\n/usr/local/etc/rc.d/stunnel: WARNING: failed to start stunnel\n", code: 1},
		{cmd: "mkdir -p /usr/local/etc/stunnel/ca; for f in server-cert server-key ca/ca-cert; do echo x > /usr/local/etc/stunnel/$f.pem; done"},
		{cmd: "service stunnel start", stdout: "Starting stunnel.\n"},
		{cmd: "service stunnel restart", stdout: "Stopping stunnel.\nStarting stunnel.\n"},
		{cmd: "service stunnel status", contains: true, stdout: "stunnel is running as pid "},
		{cmd: "grep -c stunnel /etc/passwd", stdout: "1\n"},
	})
}

func TestArticleCARP(t *testing.T) {
	l := newLabHost(t, "f0")
	hook := "#!/bin/sh\necho \"$1 $2\" >> /tmp/carp.log\n"
	rule := `notify 0 {
        match "system"          "CARP";
        match "subsystem"       "[0-9]+@[0-9a-z.]+";
        match "type"            "(MASTER|BACKUP)";
        action "/usr/local/bin/carpcontrol.sh $subsystem $type";
};
`
	l.steps([]step{
		{cmd: "ifconfig wg0 | grep inet", stdout: "\tinet 192.168.2.130 netmask 0xffffff00\n"},
		{cmd: "ifconfig -l", stdout: "re0 lo0 wg0\n"},
		{cmd: "ifconfig re1", stderr: "ifconfig: interface re1 does not exist\n", code: 1},
		{cmd: "kldstat -q -m carp", code: 1},
		{cmd: "kldstat -m carp", stderr: "kldstat: can't find module carp: No such file or directory\n", code: 1},
		{cmd: "ifconfig re0 inet vhid 1 pass testpass alias 192.168.1.138/32", stderr: "ifconfig: ioctl (SIOCAIFADDR): Protocol not supported\n", code: 1},
		{cmd: "sysrc -f /boot/loader.conf carp_load=YES", stdout: "carp_load:  -> YES\n"},
		{cmd: "cat /boot/loader.conf", stdout: "carp_load=\"YES\"\n"},
		{cmd: "kldload carp", user: true, stderr: "kldload: can't load carp: Operation not permitted\n", code: 1},
		{cmd: "kldload carp"},
		{cmd: "kldload carp", stderr: "kldload: can't load carp: module already loaded or in kernel\n", code: 1},
		{cmd: "kldload -n carp"},
		{cmd: "kldstat -q -m carp"},
		{cmd: "kldstat -m carp", stdout: "Id  Refs Name\n505    1 carp\n"},
		{cmd: "cat > /usr/local/bin/carpcontrol.sh; chmod +x /usr/local/bin/carpcontrol.sh", stdin: hook},
		{cmd: "cat > /usr/local/etc/devd/carp.conf", stdin: rule},
		{cmd: "ifconfig re0 vhid 0 state backup", stderr: "ifconfig: vhid must be greater than 0 and less than 255\n", code: 1},
		{cmd: "ifconfig re0 pass x", stderr: "ifconfig: passwd requires vhid\n", code: 1},
		{cmd: "ifconfig re0 vhid 1 state sideways", stderr: "ifconfig: unknown state\n", code: 1},
		{cmd: "ifconfig re0 inet vhid 1 pass testpass alias 192.168.1.138/32"},
		{cmd: "ifconfig re0", stdout: "re0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500\n" +
			"\toptions=8209b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,WOL_MAGIC,LINKSTATE>\n" +
			"\tether " + seedIfaces("f0").List[0].Ether + "\n" +
			"\tinet 192.168.1.130 netmask 0xffffff00 broadcast 192.168.1.255\n" +
			"\tinet 192.168.1.138 netmask 0xffffffff broadcast 192.168.1.138 vhid 1\n" +
			"\tcarp: MASTER vhid 1 advbase 1 advskew 0\n" +
			"\t      peer 224.0.0.18 peer6 ff02::12\n" +
			"\tmedia: Ethernet autoselect (1000baseT <full-duplex>)\n" +
			"\tstatus: active\n" +
			"\tnd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>\n"},
		{cmd: "ifconfig -k re0 | grep carp:", stdout: "\tcarp: MASTER vhid 1 advbase 1 advskew 0 key \"testpass\"\n"},
		{cmd: "ifconfig -k re0 | grep carp:", user: true, stdout: "\tcarp: MASTER vhid 1 advbase 1 advskew 0\n"},
		{cmd: "ifconfig re0 vhid 1 state backup", user: true, stderr: "ifconfig: SIOCSVH: Operation not permitted\n", code: 1},
		// Alone on its link, the host hears no master after going BACKUP:
		// its master-down timer makes it MASTER again (carp_master_down).
		{cmd: "ifconfig re0 vhid 1 state backup"},
		{cmd: "ifconfig re0 | grep carp", stdout: "\tcarp: MASTER vhid 1 advbase 1 advskew 0\n"},
		{cmd: "cat /tmp/carp.log", stdout: "1@re0 BACKUP\n1@re0 MASTER\n1@re0 BACKUP\n1@re0 MASTER\n"},
		{cmd: "ifconfig re0 vhid 1 state master"},
		{cmd: "tail -1 /tmp/carp.log", stdout: "1@re0 MASTER\n"},
		{cmd: "sysctl net.inet.carp.preempt=1", stdout: "net.inet.carp.preempt: 0 -> 1\n"},
		{cmd: "sysctl -n net.inet.carp.preempt", stdout: "1\n"},
		{cmd: "service devd stop", stdout: "Stopping devd.\n"},
		// devctl keeps the events until devd runs again.
		{cmd: "ifconfig re0 vhid 1 state backup; wc -l < /tmp/carp.log", stdout: "       4\n"},
		{cmd: "service devd start; wc -l < /tmp/carp.log; tail -2 /tmp/carp.log", stdout: "Starting devd.\n       6\n1@re0 BACKUP\n1@re0 MASTER\n"},
		{cmd: "ifconfig re0 inet 192.168.1.138/32 -alias; ifconfig re0 | grep -c carp", stdout: "0\n", code: 1},
	})
	for _, line := range []string{"kernel: carp: 1@re0: MASTER -> BACKUP (user requested via ifconfig)",
		"kernel: carp: 1@re0: BACKUP -> MASTER (master timed out)", "kernel: carp: 1@re0: MASTER -> INIT (hardware interface up)"} {
		if !strings.Contains(l.file("/var/log/messages"), line) {
			t.Errorf("no kernel log line %q:\n%s", line, l.file("/var/log/messages"))
		}
	}
}

func TestArticleKeyMedia(t *testing.T) {
	l := newLabHost(t, "f0")
	newfs := "/dev/da0: 15000.0MB (30720000 sectors) block size 32768, fragment size 4096\n" +
		"\tusing 24 cylinder groups of 625.22MB, 20007 blks, 80128 inodes.\n" +
		"\twith soft updates\n" +
		"super-block backups (for fsck_ffs -b #) at:\n" +
		" 192, 1280640, 2561088, 3841536, 5121984, 6402432, 7682880, 8963328, 10243776,\n" +
		" 11524224, 12804672, 14085120, 15365568, 16646016, 17926464, 19206912,\n" +
		" 20487360, 21767808, 23048256, 24328704, 25609152, 26889600, 28170048, 29450496\n"
	// The blog's terminal was wider than 80 columns.
	blog := strings.Replace(strings.Replace(newfs, "19206912,\n 20487360,", "19206912, 20487360,\n", 1), "20487360,\n 21767808", "20487360,\n 21767808", 1)
	l.steps([]step{
		{cmd: "newfs /dev/da0", stdout: newfs},
		{cmd: "COLUMNS=85 newfs /dev/da0", stdout: blog},
		{cmd: "newfs /dev/ada0", stderr: "newfs: /dev/ada0: failed to open disk for writing\n", code: 1},
		{cmd: "echo '/dev/da0 /keys ufs rw 0 2' | tee -a /etc/fstab", stdout: "/dev/da0 /keys ufs rw 0 2\n"},
		{cmd: "mount /keys", stderr: "mount: /keys: No such file or directory\n", code: 1},
		{cmd: "mkdir /keys"},
		{cmd: "mount /keys"},
		{cmd: "mount /keys", stderr: "mount: /dev/da0: Device busy\n", code: 1},
		{cmd: "mount | grep keys", stdout: "/dev/da0 on /keys (ufs, local, soft-updates)\n"},
		{cmd: "df | grep keys", stdout: "/dev/da0    14877596    8 13687384     0%    /keys\n"},
		{cmd: "df -h /keys", stdout: "Filesystem    Size    Used   Avail Capacity  Mounted on\n/dev/da0       14G    8.0K     13G     0%    /keys\n"},
		{cmd: "openssl rand -out /keys/f0.lan.buetow.org:zdata.key 32 2>/dev/null || head -c 32 /dev/zero > /keys/f0.lan.buetow.org:zdata.key; chmod 400 /keys/*"},
		{cmd: "ls /keys", stdout: "f0.lan.buetow.org:zdata.key\n"},
		{cmd: "umount /keys"},
		{cmd: "ls /keys"},
		{cmd: "umount /keys", stderr: "umount: /keys: not a file system root directory\n", code: 1},
		{cmd: "mount -t ufs /dev/da0 /keys"},
		{cmd: "ls -l /keys | tail -1 | cut -c1-10", stdout: "-r--------\n"},
		{cmd: "df /keys", stdout: "Filesystem 1K-blocks Used    Avail Capacity  Mounted on\n/dev/da0    14877596   12 13687380     0%    /keys\n"},
	})
}

func TestArticleCrontabAndZfskeys(t *testing.T) {
	l := newLabHost(t, "f0")
	l.steps([]step{
		{cmd: "crontab -l", stderr: "crontab: no crontab for root\n", code: 1},
		{cmd: "echo '* * * * * /usr/local/bin/carp-auto-failback.sh' | crontab -"},
		{cmd: "crontab -l", stdout: "* * * * * /usr/local/bin/carp-auto-failback.sh\n"},
		{cmd: "head -1 /var/cron/tabs/root", stdout: "# DO NOT EDIT THIS FILE - edit the master and reinstall.\n"},
		{cmd: "sed -n 2p /var/cron/tabs/root", stdout: "# (- installed on Tue Jul  1 19:31:48 2025)\n"},
		{cmd: "echo '61 * * * * x' | crontab -", stderr: "\"-\":1: bad minute\ncrontab: errors in crontab file, can't install\n", code: 1},
		{cmd: "printf '# c\\n*/5 * * jan mon x\\n* 24 * * * y\\n' | crontab -", stderr: "\"-\":3: bad hour\ncrontab: errors in crontab file, can't install\n", code: 1},
		{cmd: "crontab -l -u paul", stderr: "crontab: no crontab for paul\n", code: 1},
		{cmd: "crontab -u root -l", user: true, stderr: "crontab: must be privileged to use -u\n", code: 1},
		{cmd: "crontab -r"},
		{cmd: "crontab -l", stderr: "crontab: no crontab for root\n", code: 1},
	})
	l.zfs.keylocation["zdata/enc"] = "file:///keys/f0.lan.buetow.org:zdata.key"
	l.zfs.keylocation["zroot/bhyve"] = "file:///keys/f0.lan.buetow.org:bhyve.key"
	l.zfs.keystatus["zdata/enc"] = "unavailable"
	l.zfs.keystatus["zroot/bhyve"] = "available"
	l.steps([]step{
		{cmd: "service zfskeys start", stdout: "Cannot 'start' zfskeys. Set zfskeys_enable to YES in /etc/rc.conf or use 'onestart' instead of 'start'.\n",
			stderr: "/etc/rc.d/zfskeys: WARNING: $zfskeys_enable is not set properly - see rc.conf(5).\n"},
		{cmd: "sysrc zfskeys_enable=YES", stdout: "zfskeys_enable:  -> YES\n"},
		{cmd: "service zfskeys start", stdout: "Key file /keys/f0.lan.buetow.org:zdata.key not found, empty or unreadable. Skipping zdata/enc..\nKey file /keys/f0.lan.buetow.org:bhyve.key not found, empty or unreadable. Skipping zroot/bhyve..\n"},
		{cmd: "mkdir -p /keys; echo k > /keys/f0.lan.buetow.org:zdata.key; echo k > /keys/f0.lan.buetow.org:bhyve.key"},
		{cmd: "service zfskeys start", stdout: "Loading key for zdata/enc from file:///keys/f0.lan.buetow.org:zdata.key..\nKey already loaded for zroot/bhyve.\n"},
		{cmd: "sysrc zfskeys_datasets='zdata/enc'", stdout: "zfskeys_datasets:  -> zdata/enc\n"},
		{cmd: "service zfskeys status", stdout: "zdata/enc: available\n"},
	})
}

func TestMiscCommands(t *testing.T) {
	l := newLabHost(t, "f1")
	l.steps([]step{
		{cmd: "sysctl -n kern.hostname", stdout: "f1.lan.buetow.org\n"},
		{cmd: "sysctl net.inet.carp.allow", stderr: "sysctl: unknown oid 'net.inet.carp.allow'\n", code: 1},
		{cmd: "mount", stdout: "devfs on /dev (devfs)\n"},
		{cmd: "service devd restart", stdout: "Stopping devd.\nStarting devd.\n"},
		{cmd: "service -l | grep -c .", stdout: "14\n"},
		{cmd: "kldload carp && sysrc ifconfig_re0_alias0='inet vhid 1 advskew 100 pass testpass alias 192.168.1.138/32'",
			stdout: "ifconfig_re0_alias0:  -> inet vhid 1 advskew 100 pass testpass alias 192.168.1.138/32\n"},
		{cmd: "service netif restart && ifconfig re0 | grep -E 'vhid|carp'",
			stdout: "\tinet 192.168.1.138 netmask 0xffffffff broadcast 192.168.1.138 vhid 1\n\tcarp: MASTER vhid 1 advbase 1 advskew 100\n"},
		{cmd: "pkg install -y stunnel >/dev/null && stunnel -version 2>&1 | head -1", stdout: "stunnel 5.75 on amd64-portbld-freebsd14.3 platform\n"},
		{cmd: "pkg install -y zrepl >/dev/null && zrepl version", stdout: "client: zrepl version=v0.6.1 go=go1.22.7 GOOS=freebsd GOARCH=amd64 Compiler=gc\n",
			stderr: "server: error: Get \"http://unix/version\": dial unix /var/run/zrepl/control: connect: no such file or directory\n", code: 1},
		{cmd: "zrepl signal wakeup", stderr: "could not parse config: yaml: unmarshal errors:\n  line 4: field jobs is required\n", code: 1},
		{cmd: `printf 'jobs:\n  - name: sink\n    type: sink\n    serve:\n      type: tcp\n      listen: "192.168.2.130:8888"\n      clients: {"192.168.2.131": "f1"}\n    root_fs: "zdata/sink"\n' > /usr/local/etc/zrepl/zrepl.yml && zrepl signal wakeup`, stderr: "Expected 2 arguments: [wakeup|reset] JOB\n", code: 1},
		{cmd: "pkg -N", stdout: "pkg: 4 packages installed\n"},
		{cmd: "pkg info | head -1", stdout: "doas-6.3p12                    Simple sudo alternative to run commands as another user\n"},
	})
}

// With the unix family's FreeBSD image (its /etc/defaults/rc.conf and
// /etc/rc.conf) the blog's transcripts come out as on the real hosts.
func TestWithUnixImage(t *testing.T) {
	base := unix.Commands(sim.FreeBSD).Merge(Commands())
	h, err := sim.NewHost(t.TempDir(), "f0", sim.FreeBSD, base, PackageCommands(), unix.Seed(sim.FreeBSD), Seed)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	l := &labHost{t: t, h: h}
	l.steps([]step{
		{cmd: "doas sysrc zfskeys_enable=YES", user: true, stdout: "zfskeys_enable:  -> YES\n"},
		{cmd: "doas sysrc mountd_enable=YES", user: true, stdout: "mountd_enable: NO -> YES\n"},
		{cmd: "doas sysrc rpcbind_enable=YES", user: true, stdout: "rpcbind_enable: NO -> YES\n"},
		{cmd: "doas sysrc nfs_server_enable=YES", user: true, stdout: "nfs_server_enable: NO -> YES\n"},
		{cmd: "doas sysrc zfskeys_datasets=\"zdata/enc zdata/enc/nfsdata zroot/bhyve\"", user: true, stdout: "zfskeys_datasets:  -> zdata/enc zdata/enc/nfsdata zroot/bhyve\n"},
		{cmd: "doas pkg install -y zrepl >/dev/null && doas sysrc zrepl_enable=YES", user: true, stdout: "zrepl_enable:  -> YES\n"},
		{cmd: `printf 'jobs:\n  - name: sink\n    type: sink\n    serve:\n      type: tcp\n      listen: "192.168.2.130:8888"\n      clients: {"192.168.2.131": "f1"}\n    root_fs: "zdata/sink"\n' | doas tee /usr/local/etc/zrepl/zrepl.yml >/dev/null`, user: true},
		{cmd: "doas service zrepl start", user: true, stdout: "Performing sanity check on zrepl configuration:\nStarting zrepl.\n"},
		{cmd: "service zrepl status", user: true, contains: true, stdout: "zrepl is running as pid "},
		{cmd: "doas service rpcbind start", user: true, stdout: "Starting rpcbind.\n"},
		{cmd: "service sshd status", user: true, contains: true, stdout: "sshd is running as pid "},
	})
}
