package freebsd

// pkgFile is one file a package installs.
type pkgFile struct {
	Path    string
	Mode    uint32
	Content string
	Stub    bool // an emulated program (sim.StubScript, 0555)
	Sample  bool // "@sample": FILE.sample installed, copied to FILE when FILE is missing
}

// pkgUser is a user (and its group) the package creates (USERS/GROUPS).
type pkgUser struct {
	Name string
	ID   int
	Home string
}

// pkgDef is a package of the lab's repository.
type pkgDef struct {
	Name, Version, Origin, Comment, WWW, License, Maintainer string
	FlatSize, PkgSize                                        int64 // bytes installed, bytes downloaded
	Deps                                                     []string
	Files                                                    []pkgFile
	Dirs                                                     []string
	Users                                                    []pkgUser
	Message                                                  string
}

const mib = 1 << 20

// pkgCatalog is the lab's FreeBSD repository: what the article installs
// (zrepl, stunnel, jq) and a few common tools.
var pkgCatalog = map[string]pkgDef{
	"zrepl": {
		Name: "zrepl", Version: "0.6.1_1", Origin: "sysutils/zrepl", Comment: "ZFS dataset replication tool",
		WWW: "https://zrepl.github.io/", License: "MIT", Maintainer: "driesm.michiels@gmail.com",
		FlatSize: 30 * mib, PkgSize: 7 * mib,
		Files: []pkgFile{
			{Path: "/usr/local/bin/zrepl", Stub: true},
			{Path: "/usr/local/etc/rc.d/zrepl", Mode: 0o555, Content: zreplRCScript},
			{Path: "/usr/local/etc/zrepl/zrepl.yml", Mode: 0o644, Content: zreplSample, Sample: true},
			{Path: "/usr/local/share/examples/zrepl/push.yml", Mode: 0o644, Content: zreplExamplePush},
			{Path: "/usr/local/share/examples/zrepl/sink.yml", Mode: 0o644, Content: zreplExampleSink},
			{Path: "/usr/local/etc/newsyslog.conf.d/zrepl.conf", Mode: 0o644, Content: "/var/log/zrepl.log\t\t640  7     *    @T00  JC\n"},
			{Path: "/usr/local/etc/syslog.d/zrepl.conf", Mode: 0o644, Content: "!zrepl\n*.*\t\t\t\t\t\t/var/log/zrepl.log\n"},
		},
		Dirs: []string{"/var/run/zrepl"},
		Message: `Messages from sysutils/zrepl:

SETUP BEFORE FIRST USE:
- Create the log file /var/log/zrepl.log:
  # service newsyslog restart
- Teach syslogd to redirect facility local0 to the zrepl.log file:
  # service syslogd reload
- Modify the /usr/local/etc/zrepl/zrepl.yml configuration file
- For remote backups, create the SSH key pair and authorized_keys file
- Enable the zrepl daemon to start automatically at boot:
  # sysrc zrepl_enable="YES"
- Start the zrepl daemon:
  # service zrepl start
  
Documentation: https://zrepl.github.io/
Changelog:     https://zrepl.github.io/master/changelog.html

DANGER - SNAPSHOT PRUNING REQUIRES EXPLICIT KEEP RULES:
For any ZFS snapshot that you want to keep, at least one rule must match.
This also applies to snapshots taken by means other than zrepl
(e.g. snapshots taken manually or via boot environment tools).
`,
	},
	"stunnel": {
		Name: "stunnel", Version: "5.75", Origin: "security/stunnel", Comment: "SSL encryption wrapper for standard network daemons",
		WWW: "https://www.stunnel.org/", License: "GPLv2", Maintainer: "zi@FreeBSD.org",
		FlatSize: 1 * mib, PkgSize: 250 << 10,
		Files: []pkgFile{
			{Path: "/usr/local/bin/stunnel", Stub: true},
			{Path: "/usr/local/bin/stunnel3", Mode: 0o555, Content: "#!/usr/bin/perl\n"},
			{Path: "/usr/local/etc/rc.d/stunnel", Mode: 0o555, Content: stunnelRCScript},
			{Path: "/usr/local/etc/stunnel/stunnel.conf.sample", Mode: 0o644, Content: stunnelSample},
			{Path: "/usr/local/etc/stunnel/conf.d/00-pid.conf", Mode: 0o644, Content: "pid = /var/run/stunnel.pid\n"},
			{Path: "/usr/local/lib/stunnel/libstunnel.so", Mode: 0o444, Content: "\x7fELF"},
		},
		Users: []pkgUser{{Name: "stunnel", ID: 341, Home: "/nonexistent"}},
		Message: `You must create a stunnel.conf file in /usr/local/etc/stunnel
before you can start stunnel.
`,
	},
	"jq": {
		Name: "jq", Version: "1.7.1", Origin: "textproc/jq", Comment: "Lightweight and flexible command-line JSON processor",
		WWW: "https://jqlang.github.io/jq/", License: "MIT", Maintainer: "swills@FreeBSD.org",
		FlatSize: 1 * mib, PkgSize: 400 << 10, Deps: []string{"oniguruma"},
		Files: []pkgFile{{Path: "/usr/local/bin/jq", Mode: 0o555, Content: "\x7fELF"}},
	},
	"oniguruma": {
		Name: "oniguruma", Version: "6.9.9", Origin: "devel/oniguruma", Comment: "Regular expressions library compatible with POSIX/GNU/Perl",
		WWW: "https://github.com/kkos/oniguruma", License: "BSD2CLAUSE", Maintainer: "yuri@FreeBSD.org",
		FlatSize: 2 * mib, PkgSize: 500 << 10,
		Files: []pkgFile{{Path: "/usr/local/lib/libonig.so.5", Mode: 0o444, Content: "\x7fELF"}},
	},
	"bash": {
		Name: "bash", Version: "5.2.37", Origin: "shells/bash", Comment: "GNU Project's Bourne Again SHell",
		WWW: "https://www.gnu.org/software/bash/", License: "GPLv3+", Maintainer: "ehaupt@FreeBSD.org",
		FlatSize: 9 * mib, PkgSize: 2 * mib,
		Files: []pkgFile{{Path: "/usr/local/bin/bash", Mode: 0o555, Content: "\x7fELF"}},
	},
	"doas": {
		Name: "doas", Version: "6.3p12", Origin: "security/doas", Comment: "Simple sudo alternative to run commands as another user",
		WWW: "https://github.com/slicer69/doas", License: "BSD2CLAUSE", Maintainer: "jsmith@resonatingmedia.com",
		FlatSize: 40 << 10, PkgSize: 20 << 10,
		Files: []pkgFile{{Path: "/usr/local/bin/doas", Stub: true}},
	},
	"pkg": {
		Name: "pkg", Version: "1.21.3", Origin: "ports-mgmt/pkg", Comment: "Package manager",
		WWW: "https://github.com/freebsd/pkg", License: "BSD2CLAUSE", Maintainer: "pkg@FreeBSD.org",
		FlatSize: 34 * mib, PkgSize: 7 * mib,
		Files: []pkgFile{{Path: "/usr/local/sbin/pkg", Stub: true}},
	},
}

// pkgPreinstalled are on a fresh host (doas for the login user's become).
var pkgPreinstalled = []string{"pkg", "doas"}

// zreplSample is the port's files/zrepl.yml (installed as zrepl.yml.sample
// and copied by @sample): no jobs, which zrepl's strict config rejects
// ("field jobs is required") until the user adds some.
const zreplSample = `#
# zrepl main configuration file.
# For documentation, refer to https://zrepl.github.io/
#
global:
  logging:
    - type: "stdout"
      level:  "error"
      format: "human"
    - type: "syslog"
      level:  "info"
      format: "logfmt"

# Add "jobs:" section(s) here for your specific use cases.
`

const zreplExamplePush = `jobs:
- type: push
  name: "push"
  filesystems: {
    "<": true,
    "tmp": false
  }
  connect:
    type: tcp
    address: "backup-server.foo.bar:8888"
  snapshotting:
    type: manual
  send:
    encrypted: true
  pruning:
    keep_sender:
    - type: not_replicated
    - type: last_n
      count: 10
    keep_receiver:
    - type: grid
      grid: 1x1h(keep=all) | 24x1h | 35x1d | 6x30d
      regex: "^zrepl_"
`

const zreplExampleSink = `jobs:
- type: sink
  name: "laptop_sink"
  root_fs: "pool2/backup_laptops"
  serve:
    type: tcp
    listen: "192.168.122.189:8888"
    clients: {
      "192.168.122.123" : "mysql01"
    }
  recv:
    placeholder:
      encryption: inherit
`

const stunnelSample = `; Sample stunnel configuration file for Unix by Michal Trojnara 1998-2025
; Some options used here may be inadequate for your particular configuration
; This sample file does *not* represent stunnel.conf defaults
; Please consult the manual for detailed description of available options

; **************************************************************************
; * Global options                                                         *
; **************************************************************************

; It is recommended to drop root privileges if stunnel is started by root
;setuid = nobody
;setgid = nogroup

; PID file is created inside the chroot jail (if enabled)
include = /usr/local/etc/stunnel/conf.d

; Debugging stuff (may be useful for troubleshooting)
;foreground = yes
;debug = info
;output = /var/log/stunnel.log

; **************************************************************************
; * Service definitions (remove all services for inetd mode)               *
; **************************************************************************

; ***************************************** Example TLS client mode services

;[gmail-pop3]
;client = yes
;accept = 127.0.0.1:110
;connect = pop.gmail.com:995
;verifyChain = yes
;CApath = /etc/ssl/certs
;checkHost = pop.gmail.com
;OCSPaia = yes
`

const zreplRCScript = `#!/bin/sh

# PROVIDE: zrepl
# REQUIRE: LOGIN
# KEYWORD: shutdown
#
# Add the following lines to /etc/rc.conf.local or /etc/rc.conf
# to enable this service:
#
# zrepl_enable (bool):	Set to YES to enable the zrepl service.
#			Default: NO
# zrepl_config (str):	File containing zrepl configuration details.
#			Default: /usr/local/etc/zrepl/zrepl.yml
# zrepl_user (str):	The user account used to run the zrepl daemon.
#			Do not specifically set this to an empty string as this
#			will cause the daemon to run as root.
#			Default: root
# zrepl_group (str):	The group account used to run the zrepl daemon.
#			Do not specifically set this to an empty string as this
#			will cause the daemon to run with group wheel.
#			Default: wheel
# zrepl_flags (str):	Extra flags passed to zrepl
#			Default: ""
# zrepl_facility (str):	Syslog facility to use
#			Default: local0
# zrepl_priority (str):	Syslog priority to use
#			Default: alert

. /etc/rc.subr
name=zrepl
rcvar=${name}_enable
load_rc_config $name

: ${zrepl_enable:="NO"}
: ${zrepl_config:="/usr/local/etc/zrepl/zrepl.yml"}
: ${zrepl_user:="root"}
: ${zrepl_group:="wheel"}
: ${zrepl_flags:=""}
: ${zrepl_facility:="local0"}
: ${zrepl_priority:="alert"}
: ${zrepl_options:="${zrepl_flags} --config ${zrepl_config}"}

pidfile="/var/run/zrepl/daemon.pid"
command="/usr/sbin/daemon"
procname="/usr/local/bin/zrepl"
command_args="-p ${pidfile} -S -l ${zrepl_facility} -s ${zrepl_priority} -T ${name} ${procname} ${zrepl_options} daemon"

start_precmd="zrepl_precmd"
stop_postcmd="zrepl_postcmd"
restart_precmd="zrepl_checkconfig"
configtest_cmd="zrepl_checkconfig"
extra_commands="configtest"

zrepl_precmd()
{
	if [ ! -d "/var/run/zrepl/stdinserver" ]; then
		install -d -g ${zrepl_group} -o ${zrepl_user} -m 0755 -- "/var/run/zrepl";
		install -d -g ${zrepl_group} -o ${zrepl_user} -m 0755 -- "/var/run/zrepl/stdinserver";
	fi

	if [ ! -e "${pidfile}" ]; then
		install -g ${zrepl_group} -o ${zrepl_user} -- /dev/null "${pidfile}";
	fi

	zrepl_checkconfig
}

zrepl_postcmd()
{
	rm -f -- "${pidfile}"
}

zrepl_checkconfig()
{
	echo "Performing sanity check on zrepl configuration:"
	eval ${procname} ${zrepl_options} configcheck
}

run_rc_command "$1"
`

const stunnelRCScript = `#!/bin/sh

# PROVIDE: stunnel
# REQUIRE: NETWORKING SERVERS
# BEFORE: DAEMON
# KEYWORD: shutdown

#
# Add some of the following variables to /etc/rc.conf to configure stunnel:
# stunnel_enable (bool):	Set to "NO" by default.
#				Set it to "YES" to enable stunnel.
# stunnel_config (str):		Default "/usr/local/etc/stunnel/stunnel.conf"
#				Set it to the full path to the config file
#				that stunnel will use during the automated
#				start-up.
# stunnel_pidfile (str):	Default "/var/run/stunnel.pid"
#				Set it to the value of 'pid' in
#				the stunnel.conf file.
#

. /etc/rc.subr

name="stunnel"
rcvar=stunnel_enable

load_rc_config $name

: ${stunnel_enable="NO"}
: ${stunnel_config="/usr/local/etc/stunnel/${name}.conf"}
: ${stunnel_pidfile="/var/run/${name}.pid"}

command="/usr/local/bin/stunnel"
command_args=${stunnel_config}
pidfile=${stunnel_pidfile}

required_files="${stunnel_config}"

run_rc_command "$1"
`
