package freebsd

// baseRCScripts are the /etc/rc.d scripts a fresh host has, shaped after
// freebsd-src libexec/rc/rc.d. Their headers are what the lab reads; their
// shell functions say what the Go bodies in rcFuncs do.
var baseRCScripts = map[string]string{
	"sshd": `#!/bin/sh
#
#

# PROVIDE: sshd
# REQUIRE: LOGIN FILESYSTEMS
# KEYWORD: shutdown

. /etc/rc.subr

name="sshd"
desc="Secure Shell Daemon"
rcvar="sshd_enable"
command="/usr/sbin/${name}"
keygen_cmd="sshd_keygen"
start_precmd="sshd_precmd"
reload_precmd="sshd_configtest"
restart_precmd="sshd_configtest"
configtest_cmd="sshd_configtest"
pidfile="/var/run/${name}.pid"
extra_commands="configtest keygen reload"

load_rc_config $name

run_rc_command "$1"
`,
	"cron": `#!/bin/sh
#
#

# PROVIDE: cron
# REQUIRE: LOGIN FILESYSTEMS
# BEFORE: securelevel
# KEYWORD: shutdown

. /etc/rc.subr

name="cron"
desc="Daemon to execute scheduled commands"
rcvar="cron_enable"
command="/usr/sbin/${name}"
pidfile="/var/run/${name}.pid"

load_rc_config $name

run_rc_command "$1"
`,
	"devd": `#!/bin/sh
#
#

# PROVIDE: devd
# REQUIRE: netif ldconfig
# BEFORE: NETWORKING mountcritremote
# KEYWORD: nojail shutdown

. /etc/rc.subr

name="devd"
desc="Device state change daemon"
rcvar="devd_enable"
command="/sbin/${name}"
pidfile="/var/run/${name}.pid"
extra_commands="reload"

load_rc_config $name

run_rc_command "$1"
`,
	"syslogd": `#!/bin/sh
#
#

# PROVIDE: syslogd
# REQUIRE: mountcritremote FILESYSTEMS newsyslog
# BEFORE:  SERVERS

. /etc/rc.subr

name="syslogd"
desc="System log daemon"
rcvar="syslogd_enable"
pidfile="/var/run/syslog.pid"
command="/usr/sbin/${name}"
extra_commands="reload"

load_rc_config $name

run_rc_command "$1"
`,
	"zfs": `#!/bin/sh
#
#

# PROVIDE: zfs
# REQUIRE: zfsbe
# BEFORE: FILESYSTEMS tmp var

. /etc/rc.subr

name="zfs"
desc="Mount and share ZFS datasets"
rcvar="zfs_enable"
start_cmd="zfs_start"
start_postcmd="zfs_poststart"
stop_cmd="zfs_stop"
required_modules="zfs"

zfs_start()
{
	zfs mount -va
	zfs share -a
	if [ ! -r /etc/zfs/exports ]; then
		touch /etc/zfs/exports
	fi
}

zfs_poststart()
{
	# Some of the keys to decrypt datasets are potentially stored on ZFS
	# datasets that just got mounted. Let's try to load those keys and
	# mount the datasets.
	if checkyesno zfskeys_enable; then
		/etc/rc.d/zfskeys start
		zfs_start
	fi
}

zfs_stop()
{
	zfs unshare -a
	zfs unmount -a
}

load_rc_config $name

run_rc_command "$1"
`,
	"zfskeys": `#!/bin/sh

# PROVIDE: zfskeys
# REQUIRE: zpool
# BEFORE: zfs zvol

. /etc/rc.subr

name="zfskeys"
desc="Load dataset keys"
rcvar="zfskeys_enable"
extra_commands="status"
start_cmd="load_zfs_keys"
stop_cmd="unload_zfs_keys"
status_cmd="status_zfs_keys"
required_modules="zfs"

# Note that zfskeys_datasets must have any character found in IFS escaped.
# Forcibly unmounting/unloading only applies to filesystems; ignored for zvols.
: ${zfskeys_datasets:=''}
: ${zfskeys_timeout:=10}
: ${zfskeys_unload_force:='NO'}
: ${zfskeys_prompt_enable:='NO'}

list_datasets()
{
    if [ ! "$zfskeys_datasets" ]; then
        zfs get -H -t filesystem,volume -s local -o value,name keylocation
    else
        echo "$zfskeys_datasets" | xargs -n 1 zfs get -H -s local \
            -o value,name keylocation
    fi
}

load_zfs_keys()
{
    local IFS=$(printf "\t")

    list_datasets | while read kl fs ; do
        unlock_fs "$fs" "$kl"
    done
}

load_rc_config $name

# doesn't make sense to run in a svcj: config setting
zfskeys_svcj="NO"

run_rc_command "$1"
`,
	"mountd": `#!/bin/sh
#
#

# PROVIDE: mountd
# REQUIRE: NETWORKING rpcbind quota
# KEYWORD: nojailvnet shutdown

. /etc/rc.subr

name="mountd"
desc="Service remote NFS mount requests"
rcvar="mountd_enable"
command="/usr/sbin/${name}"
pidfile="/var/run/${name}.pid"
required_files="/etc/exports"
start_precmd="mountd_precmd"
extra_commands="reload"

mountd_precmd()
{
	# Load the modules now, so that the vfs.nfsd sysctl
	# oids are available.
	load_kld nfsd || return 1

	# Do not force rpcbind to be running if NFSv4 only is enabled.
	if ! checkyesno nfsv4_server_only; then
		force_depend rpcbind || return 1
	fi

	# Clear existing mount table
	rm -f /var/db/mountdtab
	( umask 022 ; > /var/db/mountdtab ) ||
	    err 1 'Cannot create /var/db/mountdtab'
}

load_rc_config $name

run_rc_command "$1"
`,
	"nfsd": `#!/bin/sh
#
#

# PROVIDE: nfsd
# REQUIRE: mountcritremote mountd hostname gssd nfsuserd
# KEYWORD: nojailvnet shutdown

. /etc/rc.subr

name="nfsd"
desc="Remote NFS server"
rcvar="nfs_server_enable"
command="/usr/sbin/${name}"
nfs_server_vhost=""

load_rc_config $name
start_precmd="nfsd_precmd"
sig_stop="USR1"

nfsd_precmd()
{
	rc_flags="${nfs_server_flags}"

	# Load the modules now, so that the vfs.nfsd sysctl
	# oids are available.
	load_kld nfsd || return 1

	if checkyesno nfsv4_server_enable; then
		sysctl vfs.nfsd.server_max_nfsvers=4 > /dev/null
	elif ! checkyesno nfsv4_server_only; then
		echo 'NFSv4 is disabled'
		sysctl vfs.nfsd.server_max_nfsvers=3 > /dev/null
	fi

	if ! checkyesno nfsv4_server_only; then
		force_depend rpcbind || return 1
	fi

	force_depend mountd || return 1
}

run_rc_command "$1"
`,
	"nfsuserd": `#!/bin/sh
#
#

# PROVIDE: nfsuserd
# REQUIRE: NETWORKING
# KEYWORD: nojailvnet shutdown

. /etc/rc.subr

name="nfsuserd"
desc="Load user and group information into the kernel for NFSv4 services"
rcvar="nfsuserd_enable"
command="/usr/sbin/${name}"
sig_stop="USR1"

load_rc_config $name

run_rc_command "$1"
`,
	"rpcbind": `#!/bin/sh
#
#

# PROVIDE: rpcbind
# REQUIRE: NETWORKING ntpdate syslogd
# KEYWORD: shutdown

. /etc/rc.subr

name="rpcbind"
desc="Universal addresses to RPC program number mapper"
rcvar="rpcbind_enable"
command="/usr/sbin/${name}"

load_rc_config $name

run_rc_command "$1"
`,
	"statd": `#!/bin/sh
#
#

# PROVIDE: statd
# REQUIRE: nfsclient rpcbind
# BEFORE:  DAEMON
# KEYWORD: nojailvnet shutdown

. /etc/rc.subr

name="statd"
desc="host status monitoring daemon"
rcvar=rpc_statd_enable
command="/usr/sbin/rpc.${name}"

load_rc_config $name

run_rc_command "$1"
`,
	"lockd": `#!/bin/sh
#
#

# PROVIDE: lockd
# REQUIRE: nfsclient rpcbind statd
# BEFORE:  DAEMON
# KEYWORD: nojailvnet shutdown

. /etc/rc.subr

name="lockd"
desc="NFS file locking daemon"
rcvar=rpc_lockd_enable
command="/usr/sbin/rpc.${name}"

load_rc_config $name

run_rc_command "$1"
`,
	"netif": `#!/bin/sh
#
#

# PROVIDE: netif
# REQUIRE: FILESYSTEMS iovctl serial sppp sysctl
# REQUIRE: hostid ipfs
# KEYWORD: nojailvnet

. /etc/rc.subr
. /etc/network.subr

name="netif"
desc="Network interface setup"
start_cmd="netif_start"
stop_cmd="netif_stop"
wlanup_cmd="wlan_up"
wlandown_cmd="wlan_down"
cloneup_cmd="clone_up"
clonedown_cmd="clone_down"
clear_cmd="doclear"
vnetup_cmd="vnet_up"
vnetdown_cmd="vnet_down"
extra_commands="cloneup clonedown clear vnetup vnetdown"
_cmdifn=

netif_start()
{
	# Configure the interface(s).
	network_common ifn_start $*
}

load_rc_config $name

# doesn't make sense to run in a svcj: config setting
netif_svcj="NO"

run_rc_command $*
`,
	"routing": `#!/bin/sh
#
# Configure routing and miscellaneous network tunables
#
#

# PROVIDE: routing
# REQUIRE: faith netif ppp stf
# KEYWORD: nojailvnet

. /etc/rc.subr
. /etc/network.subr

name="routing"
desc="Routing setup"
start_cmd="routing_start doall"
stop_cmd="routing_stop"
extra_commands="options static"
static_cmd="routing_start static"
options_cmd="routing_start options"

load_rc_config $name

# doesn't make sense to run in a svcj: config setting
routing_svcj="NO"

run_rc_command "$1"
`,
}

// baseDaemons are the programs the base rc.d scripts start; a fresh host
// has them (the lab keeps placeholders so that rc.subr's -x test passes).
var baseDaemons = []string{
	"/usr/sbin/sshd", "/usr/sbin/cron", "/sbin/devd", "/usr/sbin/syslogd",
	"/usr/sbin/mountd", "/usr/sbin/nfsd", "/usr/sbin/nfsuserd", "/usr/sbin/rpcbind",
	"/usr/sbin/rpc.statd", "/usr/sbin/rpc.lockd", "/usr/sbin/daemon",
}

// bootServices run from boot on a fresh host (enabled in /etc/defaults/rc.conf
// or in the installer's /etc/rc.conf).
var bootServices = []string{"syslogd", "devd", "sshd", "cron"}
