package main

import (
	"bytes"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// TestFaultCLI drives every fault of a detached lab from the command line,
// as the demo or a module test would, and checks each over SSH.
func TestFaultCLI(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("F3S_LAB_TEST_AS_MAIN", "1")
	if _, stderr, code := runCLI("up", "--detach", "--dir", dir, "f0:freebsd", "r0:rocky"); code != 0 {
		t.Fatalf("up --detach: %d %s", code, stderr)
	}
	t.Cleanup(func() { runCLI("down", "--dir", dir) })
	eps, err := lab.ReadEndpoints(dir)
	if err != nil || len(eps) != 2 {
		t.Fatalf("endpoints %v %v", eps, err)
	}
	f0 := eps[0]
	fault := func(args ...string) string {
		t.Helper()
		stdout, stderr, code := runCLI(append([]string{"fault", "--dir", dir}, args...)...)
		if code != 0 {
			t.Fatalf("fault %v: %d %q", args, code, stderr)
		}
		return stdout
	}
	faultsOf := func(host string) string {
		t.Helper()
		stdout, _, code := runCLI("stats", "--dir", dir)
		if code != 0 {
			t.Fatalf("stats: %d", code)
		}
		for _, line := range strings.Split(stdout, "\n") {
			if f := strings.Fields(line); len(f) > 7 && f[0] == host {
				return strings.Join(f[7:], " ")
			}
		}
		t.Fatalf("stats has no line for %s:\n%s", host, stdout)
		return ""
	}

	// drop: the command runs, the connection goes before its exit status.
	if out := fault("f0", "drop", "marker"); out != "f0: drop after command \"marker\"\n" {
		t.Errorf("fault drop printed %q", out)
	}
	if got := faultsOf("f0"); got != `drop after command "marker"` {
		t.Errorf("stats FAULTS %q", got)
	}
	if got := faultsOf("r0"); got != "-" {
		t.Errorf("r0 FAULTS %q", got)
	}
	res := sshExec(t, f0, "echo marker > /tmp/ran")
	var missing *ssh.ExitMissingError
	if !errors.As(res.err, &missing) {
		t.Errorf("dropped command: %+v, want the exit status missing", res)
	}
	if out := sshExec(t, f0, "cat /tmp/ran"); out.stdout != "marker\n" {
		t.Errorf("the dropped command did not run: %+v", out)
	}
	if got := faultsOf("f0"); got != "-" {
		t.Errorf("FAULTS after the drop fired: %q", got)
	}
	if s := openStats(t, dir, "f0"); s.Dropped != 1 {
		t.Errorf("dropped %d", s.Dropped)
	}

	// fail-command: the command does not run, its status and stderr are given.
	fault("f0", "fail-command", "touch /tmp/never", "--exit", "3", "--stderr", "touch: boom")
	if res := sshExec(t, f0, "touch /tmp/never"); res.code != 3 || res.stderr != "touch: boom\n" {
		t.Errorf("failed command: %+v", res)
	}
	if res := sshExec(t, f0, "ls /tmp/never"); res.code == 0 {
		t.Errorf("the failed command ran: %+v", res)
	}

	// fail-write: the next write of a matching path fails with EIO.
	fault("f0", "fail-write", "/home/paul/w")
	if res := sshExec(t, f0, "echo x > /home/paul/w"); res.code == 0 || !strings.Contains(res.stderr, "Input/output error") {
		t.Errorf("failed write: %+v", res)
	}
	if res := sshExec(t, f0, "echo x > /home/paul/w && cat /home/paul/w"); res.stdout != "x\n" {
		t.Errorf("second write: %+v", res)
	}

	// latency: each command waits first.
	fault("f0", "latency", "300ms")
	start := time.Now()
	sshExec(t, f0, "true")
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("a command with 300ms latency took %s", d)
	}
	fault("f0", "latency", "0")

	// refuse: new connections close before the handshake, until off.
	fault("f0", "refuse")
	if c, err := dial(f0); err == nil {
		c.Close()
		t.Error("connected while refusing")
	}
	fault("f0", "refuse", "off")
	sshExec(t, f0, "true")

	// Several faults at once, then clear.
	fault("f0", "drop", "--", "-x")
	fault("f0", "latency", "1ms")
	if got := faultsOf("f0"); got != `latency 1ms; drop after command "-x"` {
		t.Errorf("FAULTS %q", got)
	}
	fault("f0", "clear")
	if got := faultsOf("f0"); got != "-" {
		t.Errorf("FAULTS after clear %q", got)
	}

	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"f0"}, "usage: f3s-lab fault"},
		{[]string{"f9", "clear"}, `no host "f9"`},
		{[]string{"f0", "explode"}, `unknown fault "explode"`},
		{[]string{"f0", "latency", "soon"}, "not a duration"},
		{[]string{"f0", "drop"}, "drop takes one PATTERN"},
		{[]string{"f0", "refuse", "maybe"}, "refuse takes on or off"},
		{[]string{"f0", "fail-command", "x", "--exit", "300"}, "0 to 255"},
	} {
		_, stderr, code := runCLI(append([]string{"fault", "--dir", dir}, tt.args...)...)
		if code == 0 || !strings.Contains(stderr, tt.err) {
			t.Errorf("fault %v: %d %q, want %q", tt.args, code, stderr, tt.err)
		}
	}
}

func openStats(t *testing.T, dir, host string) lab.Stats {
	t.Helper()
	l, err := lab.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// The serving process mirrors its counters to disk from a goroutine.
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := l.Stats(host)
		if s.Dropped > 0 || time.Now().After(deadline) {
			return s
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type execResult struct {
	stdout, stderr string
	code           int
	err            error
}

func dial(ep lab.Endpoint) (*ssh.Client, error) {
	signer, err := ssh.ParsePrivateKey(ep.PrivateKeyPEM)
	if err != nil {
		return nil, err
	}
	hostKey, _, _, _, err := ssh.ParseAuthorizedKey([]byte(ep.HostKey))
	if err != nil {
		return nil, err
	}
	return ssh.Dial("tcp", net.JoinHostPort(ep.Address, strconv.Itoa(ep.Port)), &ssh.ClientConfig{
		User: ep.User, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)}, HostKeyCallback: ssh.FixedHostKey(hostKey),
		Timeout: 10 * time.Second,
	})
}

// sshExec runs line on the host over a connection of its own.
func sshExec(t *testing.T, ep lab.Endpoint, line string) execResult {
	t.Helper()
	c, err := dial(ep)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	s.Stdout, s.Stderr = &out, &errb
	err = s.Run(line)
	res := execResult{stdout: out.String(), stderr: errb.String(), err: err}
	var exit *ssh.ExitError
	if errors.As(err, &exit) {
		res.code = exit.ExitStatus()
	}
	return res
}
