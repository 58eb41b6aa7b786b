package unix

import (
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestUmaskCreation: the shell's umask reaches the files the utilities
// create, on both systems; explicit modes (chmod, install, mkdir -m) are
// exact, as the real utilities set them with chmod(2).
func TestUmaskCreation(t *testing.T) {
	t.Parallel()
	modes := "stat -f '%Sp %N' " // FreeBSD
	gnuModes := "stat -c '%A %n' "
	tests := []struct {
		name, user, script, files, want string
	}{
		{"redirection", "", "umask 077; echo x > /tmp/u1; echo y >> /tmp/u2", "/tmp/u1 /tmp/u2",
			"-rw------- /tmp/u1\n-rw------- /tmp/u2\n"},
		{"mkdir and mkdir -p", "", "umask 077; mkdir /tmp/u3 && mkdir -p /tmp/u4/a/b", "/tmp/u3 /tmp/u4 /tmp/u4/a /tmp/u4/a/b",
			"drwx------ /tmp/u3\ndrwx------ /tmp/u4\ndrwx------ /tmp/u4/a\ndrwx------ /tmp/u4/a/b\n"},
		// GNU and BSD mkdir -p give parents u+wx whatever the umask.
		{"mkdir -p self-denying umask", "", "umask 277; mkdir -p /tmp/u5/a", "/tmp/u5 /tmp/u5/a",
			"drwx------ /tmp/u5\ndr-x------ /tmp/u5/a\n"},
		{"mkdir -m is exact", "", "umask 077; mkdir -m 755 /tmp/u6", "/tmp/u6", "drwxr-xr-x /tmp/u6\n"},
		{"touch cp tee dd", "", "umask 027; touch /tmp/u7; cp /etc/passwd /tmp/u8; echo a | tee /tmp/u9 >/dev/null; dd if=/dev/zero of=/tmp/u10 bs=1 count=1 2>/dev/null",
			"/tmp/u7 /tmp/u8 /tmp/u9 /tmp/u10",
			"-rw-r----- /tmp/u7\n-rw-r----- /tmp/u8\n-rw-r----- /tmp/u9\n-rw-r----- /tmp/u10\n"},
		{"umask 002", "", "umask 002; touch /tmp/u11; mkdir /tmp/u12", "/tmp/u11 /tmp/u12",
			"-rw-rw-r-- /tmp/u11\ndrwxrwxr-x /tmp/u12\n"},
		{"mktemp", "", "umask 077; f=$(mktemp /tmp/u13.XXXXXX); d=$(mktemp -d /tmp/u14.XXXXXX); mv $f /tmp/u13; mv $d /tmp/u14", "/tmp/u13 /tmp/u14",
			"-rw------- /tmp/u13\ndrwx------ /tmp/u14\n"},
		// install sets its mode with chmod (0755 without -m): the umask only
		// reaches the parents -d creates.
		{"install", "", "umask 077; echo x > /tmp/src; install /tmp/src /tmp/u15; install -d /tmp/u16/sub", "/tmp/u15 /tmp/u16 /tmp/u16/sub",
			"-rwxr-xr-x /tmp/u15\ndrwx------ /tmp/u16\ndrwxr-xr-x /tmp/u16/sub\n"},
		{"chmod +x honours the umask", "", "umask 077; touch /tmp/u17; chmod +x /tmp/u17", "/tmp/u17", "-rwx------ /tmp/u17\n"},
		{"nested sh and doas keep it", "root", "umask 077; sh -c 'touch /tmp/u18'", "/tmp/u18", "-rw------- /tmp/u18\n"},
	}
	for _, os := range []sim.OS{sim.FreeBSD, sim.Rocky} {
		h := newHost(t, os, "h")
		for _, tt := range tests {
			got := run(t, h, tt.user, tt.script)
			check(t, string(os)+"/"+tt.name+" script", got, result{})
			list := modes + tt.files
			if os == sim.Rocky {
				list = gnuModes + tt.files
			}
			got = run(t, h, "root", list)
			check(t, string(os)+"/"+tt.name, got, result{out: tt.want})
		}
	}
}

// TestSudoUmask: sudo runs the command with the union of the user's umask
// and sudoers' 0022.
func TestSudoUmask(t *testing.T) {
	t.Parallel()
	h := newHost(t, sim.Rocky, "r0")
	if err := h.Tree.WriteFile(h.Root(), "/etc/sudoers.d/paul", []byte("paul ALL=(ALL) NOPASSWD: ALL\n"), 0o440); err != nil {
		t.Fatal(err)
	}
	check(t, "sudo", run(t, h, "", "umask 077; sudo sh -c 'umask'; umask 002; sudo sh -c 'umask'"), result{out: "0077\n0022\n"})
}
