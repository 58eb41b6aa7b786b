package rocky

// The package world of a minimal Rocky Linux 9 host: what is installed at
// first boot (baseInstalled) and what the repositories offer (catalog).
// Versions and sizes are illustrative (reference §13.3); the names, the
// epoch of nfs-utils and the dependency shape follow Rocky 9.

const stunnelUnit = `[Unit]
Description=TLS tunnel for network daemons
After=syslog.target network-online.target

[Service]
LimitNOFILE=20480
ExecStart=/usr/bin/stunnel
ExecReload=/bin/kill -HUP $MAINPID
Type=forking

[Install]
WantedBy=multi-user.target
`

// stunnelTemplate is the Fedora/RHEL instance unit (UNCONFIRMED for Rocky 9).
const stunnelTemplate = `[Unit]
Description=TLS tunnel for network daemons
After=syslog.target network-online.target

[Service]
ExecStart=/usr/bin/stunnel /etc/stunnel/%i.conf
Type=forking

[Install]
WantedBy=multi-user.target
`

const sshdUnit = `[Unit]
Description=OpenSSH server daemon
Documentation=man:sshd(8) man:sshd_config(5)
After=network.target sshd-keygen.target
Wants=sshd-keygen.target

[Service]
Type=notify
EnvironmentFile=-/etc/sysconfig/sshd
ExecStart=/usr/sbin/sshd -D $OPTIONS
ExecReload=/bin/kill -HUP $MAINPID
KillMode=process
Restart=on-failure
RestartSec=42s

[Install]
WantedBy=multi-user.target
`

const crondUnit = `[Unit]
Description=Command Scheduler
After=auditd.service nss-user-lookup.target systemd-user-sessions.service time-sync.target ypbind.service autofs.service

[Service]
EnvironmentFile=/etc/sysconfig/crond
ExecStart=/usr/sbin/crond -n $CRONDARGS
ExecReload=/bin/kill -URG $MAINPID
KillMode=process
Restart=on-failure
RestartSec=30s

[Install]
WantedBy=multi-user.target
`

const chronydUnit = `[Unit]
Description=NTP client/server
Documentation=man:chronyd(8) man:chrony.conf(5)
After=ntpdate.service sntp.service ntpd.service
Conflicts=ntpd.service systemd-timesyncd.service
ConditionCapability=CAP_SYS_TIME

[Service]
Type=forking
PIDFile=/run/chrony/chronyd.pid
EnvironmentFile=-/etc/sysconfig/chronyd
ExecStart=/usr/sbin/chronyd $OPTIONS

[Install]
WantedBy=multi-user.target
`

const firewalldUnit = `[Unit]
Description=firewalld - dynamic firewall daemon
Before=network-pre.target
Wants=network-pre.target
After=dbus.service
After=polkit.service
Conflicts=iptables.service ip6tables.service ebtables.service ipset.service
Documentation=man:firewalld(1)

[Service]
EnvironmentFile=-/etc/sysconfig/firewalld
ExecStart=/usr/sbin/firewalld --nofork --nopid $FIREWALLD_ARGS
ExecReload=/bin/kill -HUP $MAINPID
StandardOutput=null
StandardError=null
Type=dbus
BusName=org.fedoraproject.FirewallD1
KillMode=mixed
DevicePolicy=closed

[Install]
WantedBy=multi-user.target
Alias=dbus-org.fedoraproject.FirewallD1.service
`

const rsyslogUnit = `[Unit]
Description=System Logging Service
Wants=network.target network-online.target
After=network.target network-online.target
Documentation=man:rsyslogd(8)
Documentation=https://www.rsyslog.com/doc/

[Service]
Type=notify
EnvironmentFile=-/etc/sysconfig/rsyslog
ExecStart=/usr/sbin/rsyslogd -n $SYSLOGD_OPTIONS
UMask=0066
StandardOutput=null
Restart=on-failure

[Install]
WantedBy=multi-user.target
`

const networkManagerUnit = `[Unit]
Description=Network Manager
Documentation=man:NetworkManager(8)
Wants=network.target
After=network-pre.target dbus.service
Before=network.target

[Service]
Type=dbus
BusName=org.freedesktop.NetworkManager
ExecReload=/usr/bin/busctl call org.freedesktop.NetworkManager /org/freedesktop/NetworkManager org.freedesktop.NetworkManager Reload u 0
ExecStart=/usr/sbin/NetworkManager --no-daemon
Restart=on-failure

[Install]
WantedBy=multi-user.target
`

const journaldUnit = `[Unit]
Description=Journal Service
Documentation=man:systemd-journald.service(8) man:journald.conf(5)
DefaultDependencies=no
Requires=systemd-journald.socket
After=systemd-journald.socket systemd-journald-dev-log.socket systemd-journald-audit.socket syslog.socket
Before=sysinit.target

[Service]
Type=notify
Sockets=systemd-journald.socket systemd-journald-dev-log.socket systemd-journald-audit.socket
ExecStart=/usr/lib/systemd/systemd-journald
Restart=always
RestartSec=0
StandardOutput=null
`

const rpcbindUnit = `[Unit]
Description=RPC Bind
Documentation=man:rpcbind(8)
DefaultDependencies=no
RequiresMountsFor=/run/rpcbind
Wants=rpcbind.target
Before=rpcbind.target

[Service]
Type=notify
ExecStart=/usr/bin/rpcbind $RPCBIND_OPTIONS -w -f
EnvironmentFile=-/etc/sysconfig/rpcbind

[Install]
WantedBy=multi-user.target
`

const rpcbindSocket = `[Unit]
Description=RPCbind Server Activation Socket
DefaultDependencies=no
Wants=rpcbind.target
Before=rpcbind.target

[Socket]
ListenStream=/run/rpcbind.sock

# RPC netconfig can't handle ipv6/ipv4 dual sockets
BindIPv6Only=ipv6-only
ListenStream=0.0.0.0:111
ListenDatagram=0.0.0.0:111
ListenStream=[::]:111
ListenDatagram=[::]:111

[Install]
WantedBy=sockets.target
`

const nfsClientTarget = `[Unit]
Description=NFS client services
Before=remote-fs-pre.target
Wants=remote-fs-pre.target

# Note: we don't "Wants=rpc-statd.service" as "mount.nfs" will arrange to
# start that on demand if needed.
Wants=rpc-statd-notify.service

# GSS services dependencies and ordering
Wants=auth-rpcgss-module.service
After=rpc-gssd.service rpc-svcgssd.service gssproxy.service

[Install]
WantedBy=multi-user.target
WantedBy=remote-fs.target
`

const rpcStatdUnit = `[Unit]
Description=NFS status monitor for NFSv2/3 locking.
DefaultDependencies=no
Conflicts=umount.target
Requires=nss-lookup.target rpcbind.socket
Wants=network-online.target
Wants=rpc-statd-notify.service
After=network-online.target nss-lookup.target rpcbind.socket

PartOf=nfs-utils.service
IgnoreOnIsolate=yes

[Service]
Environment=RPC_STATD_NO_NOTIFY=1
Type=forking
PIDFile=/run/rpc.statd.pid
ExecStart=/usr/sbin/rpc.statd
`

//nolint:misspell // exportfs is nfs-utils' program
const nfsServerUnit = `[Unit]
Description=NFS server and services
DefaultDependencies=no
Requires=network.target proc-fs-nfsd.mount
Requires=nfs-mountd.service
Wants=rpcbind.socket network-online.target
Wants=rpc-statd.service nfs-idmapd.service
Wants=rpc-statd-notify.service
Wants=nfsdcld.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStartPre=-/usr/sbin/exportfs -r
ExecStart=/usr/sbin/rpc.nfsd
ExecStop=/usr/sbin/rpc.nfsd 0
ExecStopPost=/usr/sbin/exportfs -au
ExecStopPost=/usr/sbin/exportfs -f
ExecReload=-/usr/sbin/exportfs -r

[Install]
WantedBy=multi-user.target
`

const gssproxyUnit = `[Unit]
Description=GSSAPI Proxy Daemon
After=syslog.target
Before=rpc-gssd.service

[Service]
Environment=KRB5RCACHEDIR=/var/lib/gssproxy/rcache
ExecStart=/usr/sbin/gssproxy -D
PIDFile=/run/gssproxy.pid
Type=forking
ExecReload=/bin/kill -HUP $MAINPID

[Install]
WantedBy=multi-user.target
`

func target(desc string, extra string) string {
	return "[Unit]\nDescription=" + desc + "\nDocumentation=man:systemd.special(7)\n" + extra
}

// baseUnits are the unit files of a minimal install (path -> content).
var baseUnits = map[string]string{
	"sshd.service":                 sshdUnit,
	"crond.service":                crondUnit,
	"chronyd.service":              chronydUnit,
	"firewalld.service":            firewalldUnit,
	"rsyslog.service":              rsyslogUnit,
	"NetworkManager.service":       networkManagerUnit,
	"systemd-journald.service":     journaldUnit,
	"sshd-keygen.target":           "[Unit]\nDescription=sshd-keygen.target\nPartOf=sshd.service\n",
	"multi-user.target":            target("Multi-User System", "Requires=basic.target\nConflicts=rescue.service rescue.target\nAfter=basic.target rescue.service rescue.target\nAllowIsolate=yes\n"),
	"basic.target":                 target("Basic System", "Requires=sysinit.target\nWants=sockets.target timers.target paths.target slices.target\nAfter=sysinit.target sockets.target paths.target slices.target tmp.mount\n"),
	"sysinit.target":               target("System Initialization", "Conflicts=emergency.service emergency.target\n"),
	"sockets.target":               target("Sockets", ""),
	"timers.target":                target("Timer Units", "DefaultDependencies=no\nConflicts=shutdown.target\nBefore=shutdown.target\n"),
	"paths.target":                 target("Path Units", ""),
	"slices.target":                target("Slice Units", ""),
	"network.target":               "[Unit]\nDescription=Network\nDocumentation=man:systemd.special(7)\nDocumentation=https://www.freedesktop.org/wiki/Software/systemd/NetworkTarget\nAfter=network-pre.target\nRefuseManualStart=yes\n",
	"network-online.target":        "[Unit]\nDescription=Network is Online\nDocumentation=man:systemd.special(7)\nDocumentation=https://www.freedesktop.org/wiki/Software/systemd/NetworkTarget\nAfter=network.target\n",
	"network-pre.target":           "[Unit]\nDescription=Preparation for Network\nDocumentation=man:systemd.special(7)\nDocumentation=https://www.freedesktop.org/wiki/Software/systemd/NetworkTarget\nRefuseManualStart=yes\n",
	"remote-fs.target":             target("Remote File Systems", "After=remote-fs-pre.target\n\n[Install]\nWantedBy=multi-user.target\n"),
	"remote-fs-pre.target":         target("Preparation for Remote File Systems", "RefuseManualStart=yes\n"),
	"nss-lookup.target":            target("Host and Network Name Lookups", "RefuseManualStart=yes\n"),
	"time-sync.target":             target("System Time Synchronized", "RefuseManualStart=yes\n"),
	"rpcbind.target":               target("RPC Port Mapper", "RefuseManualStart=yes\n"),
	"syslog.socket":                "[Unit]\nDescription=Syslog Socket\nDocumentation=man:systemd.special(7)\nDefaultDependencies=no\n\n[Socket]\nListenDatagram=/run/systemd/journal/syslog\n",
	"systemd-journald.socket":      "[Unit]\nDescription=Journal Socket\nDocumentation=man:systemd-journald.service(8) man:journald.conf(5)\nDefaultDependencies=no\n\n[Socket]\nListenStream=/run/systemd/journal/stdout\n",
	"dbus-broker.service":          "[Unit]\nDescription=D-Bus System Message Bus\nDocumentation=man:dbus-broker-launch(1)\nDefaultDependencies=false\nAfter=dbus.socket\nBefore=basic.target shutdown.target\nRequires=dbus.socket\nConflicts=shutdown.target\n\n[Service]\nType=notify\nSockets=dbus.socket\nOOMScoreAdjust=-900\nLimitNOFILE=16384\nProtectSystem=full\nPrivateTmp=true\nPrivateDevices=true\nExecStart=/usr/bin/dbus-broker-launch --scope system --audit\nExecReload=/usr/bin/busctl call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig\n\n[Install]\nAlias=dbus.service\n",
	"dbus.socket":                  "[Unit]\nDescription=D-Bus System Message Bus Socket\n\n[Socket]\nListenStream=/run/dbus/system_bus_socket\n",
	"systemd-tmpfiles-clean.timer": "[Unit]\nDescription=Daily Cleanup of Temporary Directories\nDocumentation=man:tmpfiles.d(5) man:systemd-tmpfiles(8)\nConditionPathExists=!/etc/initrd-release\n\n[Timer]\nOnBootSec=15min\nOnUnitActiveSec=1d\n",
}

// baseEnabled lists WantedBy links present after installation.
var baseEnabled = []string{"sshd.service", "crond.service", "chronyd.service", "firewalld.service", "rsyslog.service", "NetworkManager.service", "remote-fs.target", "dbus-broker.service"}

// baseActive are running at first boot, with their main PIDs.
var baseActive = []struct {
	unit string
	pid  int
	argv []string
}{
	{"systemd-journald.service", 562, []string{"/usr/lib/systemd/systemd-journald"}},
	{"dbus-broker.service", 671, []string{"/usr/bin/dbus-broker-launch", "--scope", "system", "--audit"}},
	{"firewalld.service", 688, []string{"/usr/sbin/firewalld", "--nofork", "--nopid"}},
	{"NetworkManager.service", 702, []string{"/usr/sbin/NetworkManager", "--no-daemon"}},
	{"chronyd.service", 694, []string{"/usr/sbin/chronyd", "-F", "2"}},
	{"sshd.service", 744, []string{"sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"}},
	{"rsyslog.service", 745, []string{"/usr/sbin/rsyslogd", "-n"}},
	{"crond.service", 751, []string{"/usr/sbin/crond", "-n"}},
}

// baseTargets are active targets at first boot.
var baseTargets = []string{"basic.target", "sysinit.target", "sockets.target", "timers.target", "paths.target", "slices.target", "network.target", "network-online.target", "network-pre.target", "multi-user.target", "remote-fs.target", "nss-lookup.target", "time-sync.target", "sshd-keygen.target"}

const defaultPreset = `# Also see:
# https://fedoraproject.org/wiki/Starting_services_by_default

# systemd
enable remote-fs.target
enable getty@.service
enable systemd-timesyncd.service
enable systemd-networkd.service
enable systemd-resolved.service

# System stuff
enable sshd.service
enable atd.*
enable crond.*
enable chronyd.service
enable rpcbind.*
enable auditd.service
enable rsyslog.*
enable NetworkManager.service
enable firewalld.service
enable nfs-client.target
enable dbus-broker.service
`

func libUnit(name, text string) pkgFile {
	return pkgFile{Path: "/usr/lib/systemd/system/" + name, Text: text}
}

// basePackages is `rpm -qa` of a minimal install, reduced.
var basePackages = []pkg{
	{Name: "bash", Version: "5.1.8", Release: "9.el9", Arch: "x86_64", Summary: "The GNU Bourne Again shell", InstallSize: 7738634, Files: []pkgFile{{Path: "/usr/bin/bash", Mode: 0o755}, {Path: "/usr/bin/sh", Link: "bash"}}},
	{Name: "coreutils", Version: "8.32", Release: "39.el9", Arch: "x86_64", Summary: "A set of basic GNU tools commonly used in shell scripts", InstallSize: 5993146},
	{Name: "systemd", Version: "252", Release: "51.el9", Arch: "x86_64", Summary: "System and Service Manager", InstallSize: 12962841, Files: []pkgFile{{Path: "/usr/bin/systemctl", Mode: 0o755}, {Path: "/usr/bin/journalctl", Mode: 0o755}, {Path: "/usr/bin/systemd-cat", Mode: 0o755}, {Path: "/usr/bin/hostnamectl", Mode: 0o755}}},
	{Name: "systemd-libs", Version: "252", Release: "51.el9", Arch: "x86_64", Summary: "systemd libraries", InstallSize: 1905394},
	{Name: "systemd-pam", Version: "252", Release: "51.el9", Arch: "x86_64", Summary: "systemd PAM module", InstallSize: 1039433},
	{Name: "util-linux", Version: "2.37.4", Release: "20.el9", Arch: "x86_64", Summary: "Collection of basic system utilities", InstallSize: 3462738, Files: []pkgFile{{Path: "/usr/bin/findmnt", Mode: 0o755}}},
	{Name: "util-linux-core", Version: "2.37.4", Release: "20.el9", Arch: "x86_64", Summary: "The most essential utilities from the util-linux suite.", InstallSize: 1301658, Files: []pkgFile{{Path: "/usr/bin/mount", Mode: 0o4755}, {Path: "/usr/bin/umount", Mode: 0o4755}}},
	{Name: "dnf", Version: "4.14.0", Release: "25.el9", Arch: "noarch", Summary: "Package manager", InstallSize: 2348213, Files: []pkgFile{{Path: "/usr/bin/dnf", Link: "dnf-3"}, {Path: "/usr/bin/yum", Link: "dnf-3"}}},
	{Name: "python3-dnf", Version: "4.14.0", Release: "25.el9", Arch: "noarch", Summary: "Python 3 interface to DNF", InstallSize: 1839322},
	{Name: "rpm", Version: "4.16.1.3", Release: "37.el9", Arch: "x86_64", Summary: "The RPM package management system", InstallSize: 2778920, Files: []pkgFile{{Path: "/usr/bin/rpm", Mode: 0o755}}},
	{Name: "rpm-libs", Version: "4.16.1.3", Release: "37.el9", Arch: "x86_64", Summary: "Libraries for manipulating RPM packages", InstallSize: 727614},
	{Name: "glibc", Version: "2.34", Release: "168.el9_6.19", Arch: "x86_64", Summary: "The GNU libc libraries", InstallSize: 6524816},
	{Name: "openssl", Epoch: "1", Version: "3.2.2", Release: "6.el9_5.1", Arch: "x86_64", Summary: "Utilities from the general purpose cryptography library with TLS implementation", InstallSize: 1778120},
	{Name: "openssl-libs", Epoch: "1", Version: "3.2.2", Release: "6.el9_5.1", Arch: "x86_64", Summary: "A general purpose cryptography library with TLS implementation", InstallSize: 7183488},
	{Name: "openssh", Version: "8.7p1", Release: "45.el9", Arch: "x86_64", Summary: "An open source implementation of SSH protocol version 2", InstallSize: 1914830},
	{Name: "openssh-server", Version: "8.7p1", Release: "45.el9", Arch: "x86_64", Summary: "An open source SSH server daemon", InstallSize: 1055396, Files: []pkgFile{libUnit("sshd.service", sshdUnit)}},
	{Name: "openssh-clients", Version: "8.7p1", Release: "45.el9", Arch: "x86_64", Summary: "An open source SSH client applications", InstallSize: 2599870},
	{Name: "sudo", Version: "1.9.5p2", Release: "10.el9_3", Arch: "x86_64", Summary: "Allows restricted root access for specified users", InstallSize: 4838930},
	{Name: "cronie", Version: "1.5.7", Release: "13.el9", Arch: "x86_64", Summary: "Cron daemon for executing programs at set times", InstallSize: 281698, Files: []pkgFile{libUnit("crond.service", crondUnit), {Path: "/usr/bin/crontab", Mode: 0o4755}, {Path: "/var/spool/cron", Dir: true, Mode: 0o700}}},
	{Name: "chrony", Version: "4.6.1", Release: "1.el9", Arch: "x86_64", Summary: "An NTP client/server", InstallSize: 670286, Files: []pkgFile{libUnit("chronyd.service", chronydUnit)}},
	{Name: "firewalld", Version: "1.3.4", Release: "9.el9_5", Arch: "noarch", Summary: "A firewall daemon with D-Bus interface providing a dynamic firewall", InstallSize: 2593834, Files: []pkgFile{libUnit("firewalld.service", firewalldUnit)}},
	{Name: "rsyslog", Version: "8.2412.0", Release: "1.el9", Arch: "x86_64", Summary: "Enhanced system logging and kernel message trapping daemon", InstallSize: 2580410, Files: []pkgFile{libUnit("rsyslog.service", rsyslogUnit)}},
	{Name: "NetworkManager", Epoch: "1", Version: "1.52.0", Release: "1.el9", Arch: "x86_64", Summary: "Network connection manager and user applications", InstallSize: 6496398, Files: []pkgFile{libUnit("NetworkManager.service", networkManagerUnit)}},
	{Name: "iproute", Version: "6.11.0", Release: "1.el9", Arch: "x86_64", Summary: "Advanced IP routing and network device configuration tools", InstallSize: 2513536, Files: []pkgFile{{Path: "/usr/sbin/ip", Mode: 0o755}}},
	{Name: "xfsprogs", Version: "6.4.0", Release: "5.el9", Arch: "x86_64", Summary: "Utilities for managing the XFS filesystem", InstallSize: 4627472},
	{Name: "kernel", Version: "5.14.0", Release: "570.17.1.el9_6", Arch: "x86_64", Summary: "The Linux kernel, based on version 5.14.0, heavily modified with backports", InstallSize: 0},
	{Name: "rocky-release", Version: "9.6", Release: "1.2.el9", Arch: "noarch", Summary: "Rocky Linux release files", InstallSize: 85120},
	{Name: "libevent", Version: "2.1.12", Release: "8.el9_4", Arch: "x86_64", Summary: "Abstract asynchronous event notification library", InstallSize: 891384},
	{Name: "keyutils-libs", Version: "1.6.3", Release: "1.el9", Arch: "x86_64", Summary: "Key utilities library", InstallSize: 57054},
	{Name: "perl-interpreter", Epoch: "4", Version: "5.32.1", Release: "481.el9", Arch: "x86_64", Summary: "Standalone executable Perl interpreter", InstallSize: 120840},
	{Name: "tar", Epoch: "2", Version: "1.34", Release: "7.el9", Arch: "x86_64", Summary: "GNU file archiving program", InstallSize: 3166486, Files: []pkgFile{{Path: "/usr/bin/tar", Mode: 0o755}}},
}

// catalog is what the enabled repositories (baseos, appstream) offer beyond
// the installed packages.
var catalog = []pkg{
	{Name: "stunnel", Version: "5.62", Release: "3.el9", Arch: "x86_64", Repo: "appstream", Summary: "A TLS-encrypting socket wrapper",
		Size: 194836, InstallSize: 500153, Scriptlets: "post", Units: []string{"stunnel.service"},
		Files: []pkgFile{
			{Path: "/etc/stunnel", Dir: true},
			{Path: "/usr/bin/stunnel", Mode: 0o755},
			{Path: "/usr/bin/stunnel3", Mode: 0o755},
			libUnit("stunnel.service", stunnelUnit),
			libUnit("stunnel@.service", stunnelTemplate),
			{Path: "/usr/share/doc/stunnel", Dir: true},
			{Path: "/usr/share/doc/stunnel/stunnel.conf-sample", Text: "; Sample stunnel configuration file for Unix by Michal Trojnara 2002-2021\n"},
		}},
	{Name: "nfs-utils", Epoch: "1", Version: "2.5.4", Release: "27.el9", Arch: "x86_64", Repo: "baseos", Summary: "NFS utilities and supporting clients and daemons for the kernel NFS server",
		Size: 437248, InstallSize: 1496187, Scriptlets: "prepost", Units: []string{"nfs-server.service", "rpc-statd.service", "nfs-client.target"},
		Requires: []string{"gssproxy", "keyutils", "libev", "libnfsidmap", "libverto-libev", "python3-pyyaml", "quota", "rpcbind", "sssd-nfs-idmap"},
		Preset:   []string{"nfs-client.target"},
		Files: []pkgFile{
			{Path: "/etc/nfs.conf", Config: true, Text: "#\n# This is a general configuration for the\n# NFS daemons and tools\n#\n[general]\n#pipefs-directory=/var/lib/nfs/rpc_pipefs\n#\n[nfsrahead]\n# nfs=15000\n# nfs4=16000\n#\n[exports]\n# rootdir=/export\n#\n[exportfs]\n# debug=0\n#\n[gssd]\n# verbosity=0\n#\n[lockd]\n# port=0\n# udp-port=0\n#\n[mountd]\n# debug=0\n#\n[nfsdcld]\n# debug=0\n#\n[nfsdcltrack]\n# debug=0\n#\n[nfsd]\n# debug=0\n# threads=8\n#\n[statd]\n# debug=0\n#\n[sm-notify]\n# debug=0\n#\n"}, //nolint:misspell // exportfs is an nfs-utils program
			{Path: "/etc/nfsmount.conf", Config: true, Text: "#\n#  /etc/nfsmount.conf - see nfsmount.conf(5) for details\n#\n[ NFSMount_Global_Options ]\n# Defaultvers=4\n# Nfsvers=4\n"},
			{Path: "/etc/exports.d", Dir: true},
			{Path: "/usr/sbin/mount.nfs", Mode: 0o4755},
			{Path: "/usr/sbin/mount.nfs4", Link: "mount.nfs"},
			{Path: "/usr/sbin/umount.nfs", Link: "mount.nfs"},
			{Path: "/usr/sbin/umount.nfs4", Link: "mount.nfs"},
			{Path: "/usr/sbin/showmount", Mode: 0o755},
			{Path: "/usr/sbin/rpc.statd", Mode: 0o755},
			{Path: "/usr/sbin/rpc.nfsd", Mode: 0o755},
			{Path: "/usr/sbin/exportfs", Mode: 0o755}, //nolint:misspell // exportfs is an nfs-utils program
			{Path: "/var/lib/nfs", Dir: true},
			libUnit("nfs-client.target", nfsClientTarget),
			libUnit("rpc-statd.service", rpcStatdUnit),
			libUnit("nfs-server.service", nfsServerUnit),
		}},
	{Name: "gssproxy", Version: "0.8.4", Release: "7.el9", Arch: "x86_64", Repo: "baseos", Summary: "GSSAPI Proxy", Size: 110592, InstallSize: 300032, Scriptlets: "post",
		Requires: []string{"libverto-libev"}, Units: []string{"gssproxy.service"},
		Files: []pkgFile{{Path: "/usr/sbin/gssproxy", Mode: 0o755}, libUnit("gssproxy.service", gssproxyUnit)}},
	{Name: "keyutils", Version: "1.6.3", Release: "1.el9", Arch: "x86_64", Repo: "baseos", Summary: "Linux Key Management Utilities", Size: 73728, InstallSize: 141312,
		Files: []pkgFile{{Path: "/usr/bin/keyctl", Mode: 0o755}}},
	{Name: "libev", Version: "4.33", Release: "5.el9", Arch: "x86_64", Repo: "baseos", Summary: "High-performance event loop/event model with lots of features", Size: 53248, InstallSize: 116736},
	{Name: "libnfsidmap", Epoch: "1", Version: "2.5.4", Release: "27.el9", Arch: "x86_64", Repo: "baseos", Summary: "NFSv4 User and Group ID Mapping Library", Size: 62464, InstallSize: 140288},
	{Name: "libverto-libev", Version: "0.3.2", Release: "3.el9", Arch: "x86_64", Repo: "baseos", Summary: "libev module for libverto", Size: 13312, InstallSize: 16384, Requires: []string{"libev"}},
	{Name: "python3-pyyaml", Version: "5.4.1", Release: "6.el9", Arch: "x86_64", Repo: "baseos", Summary: "YAML parser and emitter for Python", Size: 195584, InstallSize: 734208},
	{Name: "quota", Epoch: "1", Version: "4.06", Release: "6.el9", Arch: "x86_64", Repo: "baseos", Summary: "System administration tools for monitoring users' disk usage", Size: 194560, InstallSize: 483328, Requires: []string{"quota-nls"}},
	{Name: "quota-nls", Epoch: "1", Version: "4.06", Release: "6.el9", Arch: "noarch", Repo: "baseos", Summary: "Gettext catalogs for disk quota tools", Size: 79872, InstallSize: 321536},
	{Name: "rpcbind", Version: "1.2.6", Release: "7.el9", Arch: "x86_64", Repo: "baseos", Summary: "Universal Addresses to RPC Program Number Mapper", Size: 57344, InstallSize: 108544, Scriptlets: "prepost",
		Units: []string{"rpcbind.service", "rpcbind.socket"}, Preset: []string{"rpcbind.service", "rpcbind.socket"},
		Files: []pkgFile{{Path: "/usr/bin/rpcbind", Mode: 0o755}, {Path: "/usr/bin/rpcinfo", Mode: 0o755}, libUnit("rpcbind.service", rpcbindUnit), libUnit("rpcbind.socket", rpcbindSocket)}},
	{Name: "sssd-nfs-idmap", Version: "2.9.6", Release: "4.el9_6.2", Arch: "x86_64", Repo: "baseos", Summary: "SSSD plug-in for NFSv4 rpc.idmapd", Size: 40960, InstallSize: 61440},
	{Name: "tmux", Version: "3.2a", Release: "5.el9", Arch: "x86_64", Repo: "baseos", Summary: "A terminal multiplexer", Size: 486400, InstallSize: 1073152,
		Requires: []string{"libevent"}, Files: []pkgFile{{Path: "/usr/bin/tmux", Mode: 0o755}}},
	{Name: "rsync", Version: "3.2.5", Release: "3.el9", Arch: "x86_64", Repo: "baseos", Summary: "A program for synchronizing files over a network", Size: 410624, InstallSize: 832512,
		Files: []pkgFile{{Path: "/usr/bin/rsync", Mode: 0o755}}},
	{Name: "lsof", Version: "4.94.0", Release: "3.el9", Arch: "x86_64", Repo: "baseos", Summary: "A utility which lists open files on a Linux/UNIX system", Size: 242688, InstallSize: 596992,
		Files: []pkgFile{{Path: "/usr/bin/lsof", Mode: 0o755}}},
	{Name: "nano", Version: "5.6.1", Release: "6.el9", Arch: "x86_64", Repo: "baseos", Summary: "A small text editor", Size: 711680, InstallSize: 2813952,
		Files: []pkgFile{{Path: "/usr/bin/nano", Mode: 0o755}}},
}

func findCatalog(name string) *pkg {
	for i := range catalog {
		if catalog[i].Name == name {
			return &catalog[i]
		}
	}
	return nil
}
