package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/sshdtest"
)

// TestOpenSSH proves the lab behind a real OpenSSH sshd: its ForceCommand
// and sftp Subsystem hand over to "f3s-lab shell" and "f3s-lab sftp-server"
// for one host, and x/crypto/ssh and pkg/sftp clients talk to it. sshd lets
// root in; the lab's shell acts as its own login user, paul. Without root,
// sshd, doas or sudo it skips, except under CI=true, where it fails.
func TestOpenSSH(t *testing.T) {
	sshdtest.Require(t)
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
	hand := fmt.Sprintf("%s %%s --dir %s --host f0", bin, labDir)
	srv := sshdtest.Start(t, sshdtest.Options{
		RootLogin:     true,
		ForceCommand:  fmt.Sprintf(hand, "shell"),
		SFTPSubsystem: fmt.Sprintf(hand, "sftp-server"),
	})
	c := srv.Dial(t)

	tests := []struct {
		line, stdin, out, err string
		code                  int
	}{
		{"echo hello; echo $USER $HOME", "", "hello\npaul /home/paul\n", "", 0},
		{"read x; echo got $x", "line\n", "got line\n", "", 0},
		{"/bin/sh -c 'nosuch'", "", "", "/bin/sh: nosuch: not found\n", 127},
		{"echo denied > /etc/x", "", "", "sh: cannot create /etc/x: Permission denied\n", 2},
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
