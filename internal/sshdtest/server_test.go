package sshdtest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestStart(t *testing.T) {
	// In lines and outputs, {home} and {rootonly} stand for the server's
	// directories.
	type check struct {
		line, out string
		code      int // 0, or -1 for any failure
	}
	tests := []struct {
		name   string
		opts   Options
		checks []check
	}{
		{"f3stest with doas and sudo", Options{}, []check{
			{"id -un", "f3stest\n", 0},
			{"doas id -un", "root\n", 0},
			{"sudo -n id -un", "root\n", 0},
			{"echo $HOME; stat -c %U {home}", "{home}\nf3stest\n", 0},
			{"touch {home}/x && echo written", "written\n", 0},
			{"stat -c '%U %a' {rootonly}", "root 755\n", 0},
			{"touch {rootonly}/x 2>/dev/null", "", -1},
			{"doas touch {rootonly}/x && echo written", "written\n", 0},
		}},
		{"root login", Options{RootLogin: true}, []check{
			{"id -un", "root\n", 0},
		}},
		{"forced command", Options{ForceCommand: "echo forced: $SSH_ORIGINAL_COMMAND; exit 3"}, []check{
			{"id -un", "forced: id -un\n", 3},
		}},
		{"forced command as root", Options{RootLogin: true, ForceCommand: "id -un; echo $SSH_ORIGINAL_COMMAND"}, []check{
			{"hello", "root\nhello\n", 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Start(t, tt.opts)
			expand := strings.NewReplacer("{home}", s.Home, "{rootonly}", s.RootOnlyDir).Replace
			c := s.Dial(t)
			for _, ck := range tt.checks {
				line := expand(ck.line)
				out, code := run(t, c, line)
				codeOK := code == ck.code || (ck.code < 0 && code != 0)
				if out != expand(ck.out) || !codeOK {
					t.Errorf("%q: %q, exit %d; want %q, exit %d", line, out, code, expand(ck.out), ck.code)
				}
			}
			if want := "Accepted publickey for " + s.User; !strings.Contains(s.Log(), want) {
				t.Errorf("sshd log lacks %q:\n%s", want, s.Log())
			}
		})
	}
}

// TestOnlyUser logs in as the user the server does not allow.
func TestOnlyUser(t *testing.T) {
	for _, rootLogin := range []bool{false, true} {
		t.Run(strconv.FormatBool(rootLogin), func(t *testing.T) {
			t.Parallel()
			s := Start(t, Options{RootLogin: rootLogin})
			cfg := s.ClientConfig(t)
			cfg.User = map[bool]string{false: "root", true: loginUser}[rootLogin]
			if c, err := ssh.Dial("tcp", s.addr(), cfg); err == nil {
				c.Close()
				t.Fatalf("%s logged in; only %s may", cfg.User, s.User)
			}
		})
	}
}

func TestSFTPSubsystem(t *testing.T) {
	tests := []struct {
		name, subsystem string
		rootLogin       bool
		// The first bytes the subsystem sends: an SFTP version packet, or
		// what the replacement printed.
		want func(t *testing.T, first []byte)
	}{
		{"internal-sftp", "", false, wantSFTPVersion},
		{"internal-sftp as root", "", true, wantSFTPVersion},
		{"replaced", "/bin/echo replaced", false, func(t *testing.T, first []byte) {
			if string(first) != "replaced\n" {
				t.Errorf("subsystem printed %q", first)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Start(t, Options{SFTPSubsystem: tt.subsystem, RootLogin: tt.rootLogin})
			sess, err := s.Dial(t).NewSession()
			if err != nil {
				t.Fatal(err)
			}
			defer sess.Close()
			in, err := sess.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			out, err := sess.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := sess.RequestSubsystem("sftp"); err != nil {
				t.Fatal(err)
			}
			// SSH_FXP_INIT, version 3, to an SFTP server only: the
			// replacement answers without reading and exits, and a write
			// racing its exit made sshd close the channel before its
			// output got out (seen under load).
			if tt.subsystem == "" {
				if _, err := in.Write([]byte{0, 0, 0, 5, 1, 0, 0, 0, 3}); err != nil {
					t.Fatal(err)
				}
			}
			first := make([]byte, 9)
			n, err := io.ReadFull(out, first)
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatal(err)
			}
			tt.want(t, first[:n])
		})
	}
}

func wantSFTPVersion(t *testing.T, first []byte) {
	t.Helper()
	// length, SSH_FXP_VERSION (2), version 3
	if len(first) != 9 || first[4] != 2 || binary.BigEndian.Uint32(first[5:]) != 3 {
		t.Errorf("no SFTP version 3 reply: % x", first)
	}
}

// TestKeys reaches the server through each form of its keys.
func TestKeys(t *testing.T) {
	s := Start(t, Options{})
	data, err := os.ReadFile(s.ClientKeyFile)
	if err != nil || !bytes.Equal(data, s.ClientKeyPEM) {
		t.Fatalf("ClientKeyFile holds %q, %v", data, err)
	}
	if fi, err := os.Stat(s.ClientKeyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("ClientKeyFile: %v, %v", fi, err)
	}
	hostKey, _, _, rest, err := ssh.ParseAuthorizedKey([]byte(s.HostKey))
	if err != nil || len(rest) != 0 || strings.ContainsAny(s.HostKey, "\n") {
		t.Fatalf("HostKey %q: %v", s.HostKey, err)
	}
	cfg := s.ClientConfig(t) // KnownHostsFile
	c, err := ssh.Dial("tcp", net.JoinHostPort(s.Address, strconv.Itoa(s.Port)), cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	cfg.HostKeyCallback = ssh.FixedHostKey(hostKey)
	c, err = ssh.Dial("tcp", s.addr(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	other, _ := newKey(t, filepath.Join(t.TempDir(), "other"))
	cfg.HostKeyCallback = ssh.FixedHostKey(other.PublicKey())
	if c, err := ssh.Dial("tcp", s.addr(), cfg); err == nil {
		c.Close()
		t.Error("a client pinning another host key got in")
	}
}

// TestMachineUntouched checks the machine's own files around a server's
// whole life: the account, doas and sudo setup exist only in its namespace.
func TestMachineUntouched(t *testing.T) {
	Require(t)
	files := []string{"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/sudoers", "/etc/doas.conf", "/run/sshd.pid"}
	snapshot := func() map[string]string {
		m := map[string]string{}
		for _, f := range files {
			data, err := os.ReadFile(f)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				m[f] = "(absent)"
			case err != nil:
				t.Fatal(err)
			default:
				m[f] = string(data)
			}
		}
		return m
	}
	before := snapshot()
	var s *Server
	t.Run("server", func(t *testing.T) {
		s = Start(t, Options{})
		if out, code := run(t, s.Dial(t), "doas id -un && grep -c '^f3stest:' /etc/passwd"); out != "root\n1\n" || code != 0 {
			t.Fatalf("inside: %q, exit %d", out, code)
		}
		during := snapshot()
		for _, f := range files {
			if during[f] != before[f] {
				t.Errorf("%s changed on the machine while the server ran", f)
			}
		}
		if _, err := os.Stat(filepath.Join(s.Dir, "upper", "passwd")); err != nil {
			t.Errorf("the namespace's writes did not land in the overlay: %v", err)
		}
	})
	if s == nil {
		t.FailNow()
	}
	// The server is gone with its test.
	if c, err := net.Dial("tcp", s.addr()); err == nil {
		c.Close()
		t.Errorf("%s still answers after its test ended", s.addr())
	}
	if _, err := os.Stat(s.Dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s left behind: %v", s.Dir, err)
	}
	after := snapshot()
	for _, f := range files {
		if after[f] != before[f] {
			t.Errorf("%s changed on the machine", f)
		}
	}
}

// run runs line in a new session and returns its stdout and exit status.
func run(t *testing.T, c *ssh.Client, line string) (string, int) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var out, errb bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errb
	err = sess.Run(line)
	var exit *ssh.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), exit.ExitStatus()
	case err != nil:
		t.Fatalf("%q: %v (stderr %q)", line, err, errb.String())
	}
	return out.String(), 0
}
