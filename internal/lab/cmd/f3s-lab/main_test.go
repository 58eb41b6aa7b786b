package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// TestMain lets the test binary stand in for f3s-lab when up --detach
// starts "itself" again.
func TestMain(m *testing.M) {
	if os.Getenv("F3S_LAB_TEST_AS_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

func runCLI(args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{nil, 2, "usage:"},
		{[]string{"fly"}, 2, `unknown command "fly"`},
		{[]string{"up", "f0:freebsd"}, 1, "--dir is required"},
		{[]string{"up", "--dir", dir, "f0:windows"}, 1, `host "f0:windows"`},
		{[]string{"up", "--dir", dir}, 1, "name at least one host"},
		{[]string{"exec", "--dir", dir}, 1, "name a host"},
		{[]string{"exec", "--dir", dir, "f0"}, 1, "no command"},
		{[]string{"down", "--dir", dir}, 0, ""},
		{[]string{"stats", "--nope"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		_, errs, code := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.err) {
			t.Errorf("%v: code %d stderr %q, want %d and %q", tt.args, code, errs, tt.code, tt.err)
		}
	}
}

func TestForeground(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		done <- cmdUp(ctx, []string{"--dir", dir, "f0:freebsd", "r0:rocky"}, nil, &out, &bytes.Buffer{})
	}()
	waitReady(t, dir, done)
	stdout, stderr, code := runCLI("exec", "--dir", dir, "f0", "--", "echo", "oob", ">", "/etc/motd;", "echo $USER; nosuch")
	if stdout != "root\n" || stderr != "sh: nosuch: not found\n" || code != 127 {
		t.Errorf("exec: %q %q %d", stdout, stderr, code)
	}
	if stdout, _, code := runCLI("shell", "--dir", dir, "--host", "r0", "-c", "echo $USER; [ -w /etc ] || echo ro"); stdout != "paul\nro\n" || code != 0 {
		t.Errorf("shell: %q %d", stdout, code)
	}
	if !isSFTPRequest("internal-sftp") || !isSFTPRequest("/usr/lib/openssh/sftp-server -l INFO") || !isSFTPRequest(os.Args[0]+"x/f3s-lab sftp-server --dir d") || isSFTPRequest("echo sftp-server") {
		t.Error("isSFTPRequest")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "f0    freebsd") {
		t.Errorf("up printed %q", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, pidFile)); !os.IsNotExist(err) {
		t.Errorf("pid file left behind: %v", err)
	}
}

func TestDetachStatsDown(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("F3S_LAB_TEST_AS_MAIN", "1")
	stdout, stderr, code := runCLI("up", "--detach", "--dir", dir, "f0:freebsd")
	if code != 0 {
		t.Fatalf("up --detach: %d %s", code, stderr)
	}
	t.Cleanup(func() { runCLI("down", "--dir", dir) })
	if !strings.Contains(stdout, "is up (pid") {
		t.Errorf("up --detach printed %q", stdout)
	}
	if _, stderr, code := runCLI("up", "--detach", "--dir", dir, "f0:freebsd"); code == 0 || !strings.Contains(stderr, "already runs") {
		t.Errorf("second up: %d %q", code, stderr)
	}
	eps, err := lab.ReadEndpoints(dir)
	if err != nil || len(eps) != 1 {
		t.Fatalf("endpoints %v %v", eps, err)
	}
	sshRun(t, eps[0], "true")
	if stdout, stderr, code := runCLI("down", "--dir", dir); code != 0 || !strings.Contains(stdout, "stopped") {
		t.Fatalf("down: %d %q %q", code, stdout, stderr)
	}
	stdout, _, code = runCLI("stats", "--dir", dir)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 2 || strings.Join(strings.Fields(lines[1]), " ") != "f0 1 1 1 0 0 0 -" {
		t.Errorf("stats: %d\n%s", code, stdout)
	}
}

func waitReady(t *testing.T, dir string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := lab.ReadEndpoints(dir); err == nil {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("up returned early: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("lab.json never appeared")
		}
	}
}

func sshRun(t *testing.T, ep lab.Endpoint, line string) {
	t.Helper()
	signer, err := ssh.ParsePrivateKey(ep.PrivateKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	hostKey, _, _, _, err := ssh.ParseAuthorizedKey([]byte(ep.HostKey))
	if err != nil {
		t.Fatal(err)
	}
	c, err := ssh.Dial("tcp", net.JoinHostPort(ep.Address, strconv.Itoa(ep.Port)), &ssh.ClientConfig{
		User: ep.User, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)}, HostKeyCallback: ssh.FixedHostKey(hostKey),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(line); err != nil {
		t.Fatal(err)
	}
}
