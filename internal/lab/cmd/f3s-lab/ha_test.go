package main

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

func sshDial(ep lab.Endpoint) (*ssh.Client, error) {
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

// sshOutput runs line over SSH as the login user and returns its stdout.
func sshOutput(t *testing.T, ep lab.Endpoint, line string) string {
	t.Helper()
	c, err := sshDial(ep)
	if err != nil {
		t.Fatalf("%s: %v", ep.Name, err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s.Stdout = &out
	if err := s.Run(line); err != nil {
		t.Fatalf("%s: %s: %v", ep.Name, line, err)
	}
	return out.String()
}

// TestFailRestoreClockAcrossProcesses drives a detached lab with f3s-lab
// fail, restore and clock from other processes and looks at the result
// over SSH.
func TestFailRestoreClockAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("F3S_LAB_TEST_AS_MAIN", "1")
	if _, stderr, code := runCLI("up", "--detach", "--dir", dir, "f0:freebsd", "f1:freebsd"); code != 0 {
		t.Fatalf("up --detach: %d %s", code, stderr)
	}
	t.Cleanup(func() { runCLI("down", "--dir", dir) })
	eps := map[string]lab.Endpoint{}
	all, err := lab.ReadEndpoints(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		eps[e.Name] = e
	}
	exec := func(host, script string) {
		t.Helper()
		if _, stderr, code := runCLI("exec", "--dir", dir, host, "--", script); code != 0 {
			t.Fatalf("exec %s %q: %d %s", host, script, code, stderr)
		}
	}
	for host, skew := range map[string]string{"f0": "0", "f1": "100"} {
		exec(host, "sysrc -f /boot/loader.conf carp_load=YES >/dev/null && kldload carp")
		alias := "inet vhid 1 advskew " + skew + " pass testpass alias 192.168.1.138/32"
		exec(host, "sysrc ifconfig_re0_alias0='"+alias+"' >/dev/null && ifconfig re0 "+alias)
	}
	carp := func(host string) string {
		return strings.TrimSpace(sshOutput(t, eps[host], "ifconfig re0 | grep carp: | awk '{print $2}'"))
	}
	if a, b := carp("f0"), carp("f1"); a != "MASTER" || b != "BACKUP" {
		t.Fatalf("f0 %s, f1 %s", a, b)
	}

	if stdout, stderr, code := runCLI("fail", "--dir", dir, "f0"); code != 0 || stdout != "f0 is off\n" {
		t.Fatalf("fail: %d %q %q", code, stdout, stderr)
	}
	if got := carp("f1"); got != "MASTER" {
		t.Errorf("f1 after f0 failed: %s", got)
	}
	if c, err := sshDial(eps["f0"]); err == nil {
		c.Close()
		t.Error("the detached lab let a connection to the failed f0 in")
	}
	if _, stderr, code := runCLI("fail", "--dir", dir, "f0"); code == 0 || !strings.Contains(stderr, "already off") {
		t.Errorf("second fail: %d %q", code, stderr)
	}

	if stdout, stderr, code := runCLI("restore", "--dir", dir, "f0"); code != 0 || stdout != "f0 is up\n" {
		t.Fatalf("restore: %d %q %q", code, stdout, stderr)
	}
	if a, b := carp("f0"), carp("f1"); a != "BACKUP" || b != "MASTER" {
		t.Errorf("after restore: f0 %s, f1 %s", a, b)
	}

	exec("f1", "echo '* * * * * echo tick >> /tmp/ticks' | crontab -")
	stdout, _, _ := runCLI("clock", "--dir", dir)
	before, err := time.Parse(time.RFC3339, strings.TrimSpace(stdout))
	if err != nil {
		t.Fatalf("clock printed %q", stdout)
	}
	stdout, stderr, code := runCLI("clock", "--dir", dir, "advance", "2m")
	after, err := time.Parse(time.RFC3339, strings.TrimSpace(stdout))
	if code != 0 || err != nil || after.Sub(before) < 2*time.Minute {
		t.Fatalf("clock advance: %d %q %q", code, stdout, stderr)
	}
	if got := sshOutput(t, eps["f1"], "wc -l < /tmp/ticks"); got != "       2\n" {
		t.Errorf("cron ran %q times", got)
	}
	if got := sshOutput(t, eps["f1"], "date -u +%Y-%m-%dT%H:%M"); got < after.UTC().Format("2006-01-02T15:04") {
		t.Errorf("f1's date %q is before the lab clock %s", got, after)
	}
	if _, stderr, code := runCLI("clock", "--dir", dir, "advance", "soon"); code == 0 || !strings.Contains(stderr, "want a duration") {
		t.Errorf("advance soon: %d %q", code, stderr)
	}
}
