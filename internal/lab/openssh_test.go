package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestOpenSSH proves the lab behind a real OpenSSH sshd: its ForceCommand
// and sftp Subsystem hand over to "f3s-lab shell" and "f3s-lab sftp-server"
// for one host, and x/crypto/ssh and pkg/sftp clients talk to it. It needs
// root (sshd, and unshare -m to give sshd a /run of its own): elsewhere it
// skips, except under CI=true, where a missing prerequisite fails.
func TestOpenSSH(t *testing.T) {
	sshd := "/usr/sbin/sshd"
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root")
	}
	for _, bin := range []string{sshd, "/usr/bin/unshare"} {
		if _, err := os.Stat(bin); err != nil {
			missing = append(missing, bin)
		}
	}
	if len(missing) > 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs %s for the OpenSSH test", strings.Join(missing, ", "))
		}
		t.Skipf("needs %s", strings.Join(missing, ", "))
	}
	tmp := t.TempDir()
	labDir := filepath.Join(tmp, "lab")
	// Create the host as "f3s-lab up" would; the servers are not needed.
	l, err := Start(context.Background(), Options{Dir: labDir, Hosts: []HostSpec{{"f0", sim.FreeBSD}}})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()

	bin := filepath.Join(tmp, "f3s-lab")
	build := exec.Command(goTool(), "build", "-o", bin, "./cmd/f3s-lab")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build f3s-lab: %v\n%s", err, out)
	}
	hostKey, err := loadOrCreateKey(filepath.Join(tmp, "ssh_host_ed25519_key"), "sshd")
	if err != nil {
		t.Fatal(err)
	}
	client, err := loadOrCreateKey(filepath.Join(tmp, "client"), "client")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "authorized_keys"), []byte(authorizedKey(client.signer.PublicKey())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	hand := fmt.Sprintf("%s %%s --dir %s --host f0", bin, labDir)
	config := strings.Join([]string{
		"ListenAddress 127.0.0.1:" + strconv.Itoa(port),
		"HostKey " + hostKey.file,
		"PidFile " + filepath.Join(tmp, "sshd.pid"),
		"AuthorizedKeysFile " + filepath.Join(tmp, "authorized_keys"),
		"StrictModes no",
		"UsePAM no",
		"PermitRootLogin prohibit-password",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"ForceCommand " + fmt.Sprintf(hand, "shell"),
		"Subsystem sftp " + fmt.Sprintf(hand, "sftp-server"),
	}, "\n") + "\n"
	configFile := filepath.Join(tmp, "sshd_config")
	if err := os.WriteFile(configFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	var sshdLog bytes.Buffer
	cmd := exec.Command("/usr/bin/unshare", "-m", "/bin/sh", "-c",
		"mount -t tmpfs tmpfs /run && mkdir -p /run/sshd && exec "+sshd+" -D -e -f "+configFile)
	cmd.Stdout, cmd.Stderr = &sshdLog, &sshdLog
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("sshd log:\n%s", sshdLog.String())
		}
	})
	c := dialSSHD(t, port, client.signer, hostKey.signer.PublicKey())
	defer c.Close()

	tests := []struct {
		line, stdin, out, err string
		code                  int
	}{
		{"echo hello; echo $USER $HOME", "", "hello\npaul /home/paul\n", "", 0},
		{"read x; echo got $x", "line\n", "got line\n", "", 0},
		{"/bin/sh -c 'nosuch'", "", "", "/bin/sh: nosuch: not found\n", 127},
		{"echo denied > /etc/x", "", "", "sh: cannot create /etc/x: Permission denied\n", 1},
	}
	for _, tt := range tests {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		s.Stdout, s.Stderr, s.Stdin = &out, &errb, strings.NewReader(tt.stdin)
		err = s.Run(tt.line)
		code := 0
		var exit *ssh.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitStatus()
		} else if err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		if out.String() != tt.out || errb.String() != tt.err || code != tt.code {
			t.Errorf("%q: got %q %q %d, want %q %q %d", tt.line, out.String(), errb.String(), code, tt.out, tt.err, tt.code)
		}
	}

	sc, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	f, err := sc.Create("/home/paul/through-openssh")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("round trip\n")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	g, err := sc.Open("/home/paul/through-openssh")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(g)
	g.Close()
	if string(data) != "round trip\n" {
		t.Errorf("read back %q", data)
	}
	if _, err := sc.Create("/etc/x"); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("create in /etc: %v, want permission denied", err)
	}
	opened, err := Open(labDir)
	if err != nil {
		t.Fatal(err)
	}
	defer opened.Close()
	fi, err := opened.Host("f0").Tree.Stat("/home/paul/through-openssh")
	if err != nil || fi.Owner != "paul" {
		t.Errorf("the host's state: %+v %v", fi, err)
	}
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "/usr/local/go/bin/go"
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// dialSSHD connects as root once sshd listens (it starts in well under a
// second; the loop only waits for that, it asserts nothing about speed).
func dialSSHD(t *testing.T, port int, key ssh.Signer, hostKey ssh.PublicKey) *ssh.Client {
	t.Helper()
	cfg := &ssh.ClientConfig{
		User:            "root",
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(key)},
		HostKeyCallback: ssh.FixedHostKey(hostKey),
		Timeout:         10 * time.Second,
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := ssh.Dial("tcp", addr, cfg)
		if err == nil {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshd: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
