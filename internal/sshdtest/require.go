// Package sshdtest starts a real OpenSSH sshd for a test, on a free
// loopback port, in a mount namespace of its own: /run is a private tmpfs
// and /etc an overlay whose writes land in the test's temporary directory
// (a login user f3stest, doas.conf, sudoers), so nothing on the machine is
// touched. It needs root, sshd, unshare, doas and sudo (Debian:
// openssh-server, opendoas, sudo); see Require.
package sshdtest

import (
	"os"
	"strings"
	"testing"
)

// The programs a Server needs. mount runs inside the namespace, sudo and
// doas only when a test uses become.
var required = []string{sshdPath, unsharePath, "/bin/mount", "/usr/bin/doas", "/usr/bin/sudo"}

// Require skips the test when the machine cannot run the real server, and
// fails it instead when CI=true, where every prerequisite is installed and
// a skip would hide a broken setup. Start calls it.
func Require(t testing.TB) {
	t.Helper()
	var missing []string
	for _, p := range required {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}
	if os.Geteuid() != 0 {
		missing = append(missing, "root (to start sshd in a mount namespace)")
	}
	if len(missing) == 0 {
		return
	}
	msg := "the OpenSSH test needs " + strings.Join(missing, ", ") +
		" (Debian: apt-get install openssh-server opendoas sudo; run as root)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
