package sshdtest

import (
	"fmt"
	"strings"
)

// loginUser is the unprivileged account Start adds inside the namespace.
const loginUser = "f3stest"

// sshdConfig renders the server's whole configuration: no include of the
// machine's /etc/ssh, public keys only, and a log on stderr verbose enough
// to say why a login was refused.
func sshdConfig(port int, dir string, opts Options) string {
	permitRoot, allow := "no", loginUser
	if opts.RootLogin {
		permitRoot, allow = "prohibit-password", "root"
	}
	sftp := opts.SFTPSubsystem
	if sftp == "" {
		sftp = "internal-sftp"
	}
	lines := []string{
		fmt.Sprintf("Port %d", port),
		"ListenAddress 127.0.0.1",
		"HostKey " + dir + "/ssh_host_ed25519_key",
		"AuthorizedKeysFile " + dir + "/authorized_keys",
		"PidFile " + dir + "/sshd.pid",
		"StrictModes no",
		"UsePAM no",
		"UseDNS no",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitRootLogin " + permitRoot,
		"AllowUsers " + allow,
		"Subsystem sftp " + sftp,
		"LogLevel VERBOSE",
	}
	if opts.ForceCommand != "" {
		lines = append(lines, "ForceCommand "+opts.ForceCommand)
	}
	return strings.Join(lines, "\n") + "\n"
}

// namespaceScript runs as root inside the new mount namespace and ends by
// becoming sshd. /run goes first, so that even mount(8)'s own bookkeeping
// stays private; every later write to /etc lands in $dir/upper.
const namespaceScript = `set -e
dir=$1 uid=$2 gid=$3 sshd=$4
mount -n -t tmpfs tmpfs /run
mount -n -t overlay overlay -o "lowerdir=/etc,upperdir=$dir/upper,workdir=$dir/work" /etc
mkdir -p /run/sshd
echo "f3stest:x:$uid:$gid:f3s test:$dir/home:/bin/sh" >> /etc/passwd
echo "f3stest:x:$gid:" >> /etc/group
echo "f3stest:*:19000:0:99999:7:::" >> /etc/shadow
printf 'permit nopass f3stest as root\n' > /etc/doas.conf
chmod 0400 /etc/doas.conf
printf 'root ALL=(ALL:ALL) ALL\nf3stest ALL=(ALL) NOPASSWD: ALL\n' > /etc/sudoers
chmod 0440 /etc/sudoers
exec "$sshd" -D -e -f "$dir/sshd_config"
`
