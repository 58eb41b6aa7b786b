package lab

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// testProfile is the core image plus a cat and a counter command, so the
// tests do not depend on the command families.
func testProfile(os sim.OS) (base, pkgs sim.Registry, seeds []func(*sim.Host) error) {
	bin := "/bin"
	if os == sim.Rocky {
		bin = "/usr/bin"
	}
	base = sim.Registry{bin + "/cat": func(p *sim.Proc) int {
		if len(p.Args) > 1 {
			name := p.Args[1]
			if !path.IsAbs(name) {
				name = path.Join(p.Dir, name)
			}
			data, err := p.Host.Tree.ReadFile(p.User, name)
			if err != nil {
				_, _ = io.WriteString(p.Stderr, "cat: "+p.Args[1]+": "+sim.ErrText(err)+"\n")
				return 1
			}
			_, _ = p.Stdout.Write(data)
			return 0
		}
		_, _ = io.Copy(p.Stdout, p.Stdin)
		return 0
	}}
	return core(os, base, sim.Registry{}, nil)
}

func startLab(t *testing.T, dir string, hosts ...HostSpec) *Lab {
	t.Helper()
	if len(hosts) == 0 {
		hosts = []HostSpec{{"f0", sim.FreeBSD}}
	}
	l, err := Start(context.Background(), Options{Dir: dir, Hosts: hosts, Profile: testProfile})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func dial(t *testing.T, ep Endpoint) *ssh.Client {
	t.Helper()
	c, err := dialErr(ep, ep.User, ep.PrivateKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func dialErr(ep Endpoint, user string, keyPEM []byte) (*ssh.Client, error) {
	signer, err := ssh.ParsePrivateKey(keyPEM)
	if err != nil {
		return nil, err
	}
	hostKey, _, _, _, err := ssh.ParseAuthorizedKey([]byte(ep.HostKey))
	if err != nil {
		return nil, err
	}
	return ssh.Dial("tcp", net.JoinHostPort(ep.Address, strconv.Itoa(ep.Port)), &ssh.ClientConfig{
		User:            user,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.FixedHostKey(hostKey),
		Timeout:         10 * time.Second,
	})
}

// run runs line in a new session and returns stdout, stderr, exit code.
func run(t *testing.T, c *ssh.Client, line, stdin string) (string, string, int) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out, errb bytes.Buffer
	s.Stdout, s.Stderr, s.Stdin = &out, &errb, strings.NewReader(stdin)
	err = s.Run(line)
	code := 0
	var exit *ssh.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitStatus()
	case err != nil:
		t.Fatalf("run %q: %v", line, err)
	}
	return out.String(), errb.String(), code
}

func endpoint(t *testing.T, l *Lab, name string) Endpoint {
	t.Helper()
	ep, ok := l.Endpoint(name)
	if !ok {
		t.Fatalf("no endpoint %s", name)
	}
	return ep
}

func TestExec(t *testing.T) {
	l := startLab(t, t.TempDir(), HostSpec{"f0", sim.FreeBSD}, HostSpec{"r0", sim.Rocky})
	tests := []struct {
		host, line, stdin string
		out, err          string
		code              int
	}{
		{"f0", "echo hello", "", "hello\n", "", 0},
		{"f0", "/bin/sh -c 'echo \"$0\" && id_missing'", "", "/bin/sh\n", "/bin/sh: id_missing: not found\n", 127},
		{"f0", "cat | cat", "piped\n", "piped\n", "", 0},
		{"f0", "echo err >&2; exit 42", "", "", "err\n", 42},
		{"f0", "echo x > /etc/x", "", "", "sh: cannot create /etc/x: Permission denied\n", 2}, // FreeBSD sh: error() in redir.c
		{"f0", "echo $USER $HOME; pwd", "", "paul /home/paul\n/home/paul\n", "", 0},
		{"r0", "nosuch", "", "", "sh: line 1: nosuch: command not found\n", 127},
		{"r0", "/bin/sh -c 'cat /etc/passwd' | cat > copy && cat copy | cat", "", "root:*:0:0:Charlie &:/root:/bin/sh\npaul:*:1000:1000:Paul:/home/paul:/bin/sh\n", "", 0},
	}
	for _, tt := range tests {
		c := dial(t, endpoint(t, l, tt.host))
		out, errs, code := run(t, c, tt.line, tt.stdin)
		if out != tt.out || errs != tt.err || code != tt.code {
			t.Errorf("%s %q: got %q %q %d, want %q %q %d", tt.host, tt.line, out, errs, code, tt.out, tt.err, tt.code)
		}
	}
}

func TestSSHRefusals(t *testing.T) {
	l := startLab(t, t.TempDir())
	ep := endpoint(t, l, "f0")
	if _, err := dialErr(ep, "root", ep.PrivateKeyPEM); err == nil {
		t.Error("root logged in with the lab key")
	}
	other, _ := createTestKey(t)
	if _, err := dialErr(ep, ep.User, other); err == nil {
		t.Error("paul logged in with another key")
	}
	wrongHost := ep
	wrongHost.HostKey = authorizedKey(mustSigner(t, other).PublicKey())
	if _, err := dialErr(wrongHost, ep.User, ep.PrivateKeyPEM); err == nil {
		t.Error("client accepted a host key that is not the host's")
	}
	c := dial(t, ep)
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm", 24, 80, ssh.TerminalModes{}); err == nil {
		t.Error("pty granted")
	}
	if err := s.Setenv("LC_ALL", "C"); err == nil {
		t.Error("env accepted")
	}
	var out bytes.Buffer
	s.Stdout = &out
	if err := s.Run("[ -t 0 ] || echo no-tty"); err != nil || out.String() != "no-tty\n" {
		t.Errorf("after refusals: %v %q", err, out.String())
	}
	// OpenSSH's MaxSessions: 10 sessions at once, the 11th refused.
	var sessions []*ssh.Session
	for range maxSessions {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		sessions = append(sessions, s)
	}
	if _, err := c.NewSession(); err == nil {
		t.Error("an 11th session was opened")
	}
	for _, s := range sessions {
		s.Close()
	}
}

func createTestKey(t *testing.T) ([]byte, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "key")
	kp, err := loadOrCreateKey(file, "test")
	if err != nil {
		t.Fatal(err)
	}
	return kp.pem, file
}

func mustSigner(t *testing.T, pemData []byte) ssh.Signer {
	t.Helper()
	s, err := ssh.ParsePrivateKey(pemData)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newSFTP(t *testing.T, c *ssh.Client) *sftp.Client {
	t.Helper()
	sc, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	return sc
}

func TestSFTP(t *testing.T) {
	l := startLab(t, t.TempDir())
	ep := endpoint(t, l, "f0")
	sc := newSFTP(t, dial(t, ep))
	h := l.Host("f0")

	if wd, err := sc.Getwd(); err != nil || wd != "/home/paul" {
		t.Errorf("Getwd = %q, %v", wd, err)
	}
	f, err := sc.Create("/home/paul/.f.tmp")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("content\n")); err != nil {
		t.Fatal(err)
	}
	if err := f.Chmod(0o600); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := sc.PosixRename("/home/paul/.f.tmp", "/home/paul/f"); err != nil {
		t.Fatal(err)
	}
	fi, err := h.Tree.Stat("/home/paul/f")
	if err != nil || fi.Owner != "paul" || fi.Mode.Perm() != 0o600 {
		t.Errorf("uploaded file: %+v %v", fi, err)
	}
	g, err := sc.Open("f")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(g)
	g.Close()
	if string(data) != "content\n" {
		t.Errorf("read back %q", data)
	}
	steps := []struct {
		name string
		op   func() error
		want error // nil, fs.ErrNotExist, fs.ErrPermission, or errFailure
	}{
		{"mkdir", func() error { return sc.Mkdir("/home/paul/d") }, nil},
		{"symlink", func() error { return sc.Symlink("/etc/hosts-missing", "/home/paul/d/link") }, nil},
		{"rename over existing", func() error { return sc.Rename("/home/paul/f", "/home/paul/d/link") }, errFailure},
		{"posix rename over existing", func() error { return sc.PosixRename("/home/paul/f", "/home/paul/g") }, nil},
		{"rmdir non-empty", func() error { return sc.RemoveDirectory("/home/paul/d") }, errFailure},
		{"remove link", func() error { return sc.Remove("/home/paul/d/link") }, nil},
		{"rmdir", func() error { return sc.RemoveDirectory("/home/paul/d") }, nil},
		{"remove missing", func() error { return sc.Remove("/home/paul/nope") }, fs.ErrNotExist},
		{"create in /etc", func() error { _, err := sc.Create("/etc/x"); return err }, fs.ErrPermission},
		{"chown as paul", func() error { return sc.Chown("/home/paul/g", 0, 0) }, fs.ErrPermission},
		{"chmod root's file", func() error { return sc.Chmod("/etc/passwd", 0o777) }, fs.ErrPermission},
		{"remove /etc/passwd", func() error { return sc.Remove("/etc/passwd") }, fs.ErrPermission},
		{"read under /root", func() error { _, err := sc.Open("/root/.profile"); return err }, fs.ErrPermission},
		{"escape with ..", func() error {
			_, err := sc.Stat("/../../../" + filepath.Base(l.Dir()) + "/id_ed25519")
			return err
		}, fs.ErrNotExist},
	}
	for _, s := range steps {
		err := s.op()
		switch {
		case s.want == nil && err != nil:
			t.Errorf("%s: %v", s.name, err)
		case errors.Is(s.want, errFailure):
			var se *sftp.StatusError
			if !errors.As(err, &se) || se.FxCode() != sftp.ErrSSHFxFailure {
				t.Errorf("%s: %v, want SSH_FX_FAILURE", s.name, err)
			}
		case s.want != nil && !errors.Is(err, s.want):
			t.Errorf("%s: %v, want %v", s.name, err, s.want)
		}
	}
	fi2, err := sc.Stat("/etc/passwd")
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := fi2.Sys().(*sftp.FileStat); !ok || st.UID != 0 || fi2.Mode().Perm() != 0o644 {
		t.Errorf("stat /etc/passwd: %v %+v", fi2.Mode(), fi2.Sys())
	}
	if err := h.Tree.Symlink(h.Root(), "/etc/passwd", "/home/paul/pw"); err != nil {
		t.Fatal(err)
	}
	if target, err := sc.ReadLink("/home/paul/pw"); err != nil || target != "/etc/passwd" {
		t.Errorf("ReadLink = %q, %v", target, err)
	}
	if lfi, err := sc.Lstat("/home/paul/pw"); err != nil || lfi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat = %v, %v", lfi, err)
	}
	if rp, err := sc.RealPath("/home/paul/pw"); err != nil || rp != "/etc/passwd" {
		t.Errorf("RealPath = %q, %v", rp, err)
	}
	// An absolute symlink resolves inside the tree.
	pw, err := sc.Open("/home/paul/pw")
	if err != nil {
		t.Fatal(err)
	}
	viaLink, _ := io.ReadAll(pw)
	pw.Close()
	if want, _ := h.Tree.ReadFile(h.Root(), "/etc/passwd"); !bytes.Equal(viaLink, want) {
		t.Errorf("read through /home/paul/pw = %q, want the tree's /etc/passwd", viaLink)
	}
	entries, err := sc.ReadDir("/etc")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "group passwd" {
		t.Errorf("ReadDir /etc = %v", names)
	}
	// The lab's own files are not in the tree.
	if _, err := sc.Stat("/id_ed25519"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("lab key visible: %v", err)
	}
	if s := l.Stats("f0"); s.SFTPRequests < 20 {
		t.Errorf("sftp requests counted: %d", s.SFTPRequests)
	}
}

// errFailure stands for SSH_FX_FAILURE in TestSFTP's table.
var errFailure = errors.New("failure")

func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	l := startLab(t, dir)
	ep1 := endpoint(t, l, "f0")
	if _, _, code := run(t, dial(t, ep1), "echo kept > /home/paul/kept", ""); code != 0 {
		t.Fatal("write failed")
	}
	if err := sim.Update(l.Host("f0"), "test", func(s *struct{ N int }) error { s.N = 7; return nil }); err != nil {
		t.Fatal(err)
	}
	l.Close()

	l2 := startLab(t, dir)
	ep2 := endpoint(t, l2, "f0")
	if ep2.HostKey != ep1.HostKey || !bytes.Equal(ep2.PrivateKeyPEM, ep1.PrivateKeyPEM) {
		t.Error("keys changed across restarts")
	}
	if ep2.Port != ep1.Port {
		t.Logf("port changed %d -> %d (the old one was taken)", ep1.Port, ep2.Port)
	}
	out, _, _ := run(t, dial(t, ep2), "cat /home/paul/kept", "")
	if out != "kept\n" {
		t.Errorf("file after restart: %q", out)
	}
	st, err := sim.Load[struct{ N int }](l2.Host("f0"), "test")
	if err != nil || st.N != 7 {
		t.Errorf("state after restart: %+v %v", st, err)
	}
	eps, err := ReadEndpoints(dir)
	if err != nil || len(eps) != 1 || eps[0].Port != ep2.Port || eps[0].HostKey != ep2.HostKey || eps[0].User != "paul" {
		t.Errorf("lab.json: %+v %v", eps, err)
	}
}

func TestStatsAndOutOfBand(t *testing.T) {
	dir := t.TempDir()
	l := startLab(t, dir)
	ep := endpoint(t, l, "f0")
	c := dial(t, ep)
	for range 3 {
		run(t, c, "true", "")
	}
	newSFTP(t, dial(t, ep))
	stdout, stderr, code, err := l.Exec("f0", "echo oob > /etc/motd; cat /etc/motd; nosuch")
	if err != nil || stdout != "oob\n" || stderr != "sh: nosuch: not found\n" || code != 127 {
		t.Errorf("Exec = %q %q %d %v", stdout, stderr, code, err)
	}
	other, err := OpenOptions(Options{Dir: dir, Profile: testProfile})
	if err != nil {
		t.Fatal(err)
	}
	stdout, _, code, err = other.Exec("f0", "cat /etc/motd")
	other.Close()
	if err != nil || stdout != "oob\n" || code != 0 {
		t.Errorf("Exec from an opened lab = %q %d %v", stdout, code, err)
	}
	// ExecDir has the default profile, with the families' programs.
	stdout, _, code, err = ExecDir(dir, "f0", "cat /etc/motd")
	if err != nil || stdout != "oob\n" || code != 0 {
		t.Errorf("ExecDir = %q %d %v", stdout, code, err)
	}
	if _, _, _, err := l.Exec("nohost", "true"); err == nil {
		t.Error("Exec on an unknown host")
	}
	got := l.Stats("f0")
	want := Stats{Connections: 2, Sessions: 4, Commands: 3}
	got.SFTPRequests = 0
	if got != want {
		t.Errorf("Stats = %+v, want %+v (out-of-band not counted)", got, want)
	}
	l.Close()
	opened, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer opened.Close()
	if s := opened.Stats("f0"); s.Commands != 3 || s.Connections != 2 {
		t.Errorf("persisted stats = %+v", s)
	}
}

func TestFaults(t *testing.T) {
	l := startLab(t, t.TempDir())
	ep := endpoint(t, l, "f0")
	f := l.Faults("f0")

	t.Run("refuse", func(t *testing.T) {
		f.RefuseConnections(true)
		if _, err := dialErr(ep, ep.User, ep.PrivateKeyPEM); err == nil {
			t.Error("connected while refusing")
		}
		f.RefuseConnections(false)
		dial(t, ep)
		if l.Stats("f0").Refused != 1 {
			t.Errorf("refused = %d", l.Stats("f0").Refused)
		}
	})
	t.Run("fail next command", func(t *testing.T) {
		c := dial(t, ep)
		f.FailNextCommand("zfs", 1, "cannot open 'x': dataset does not exist\n")
		_, errs, code := run(t, c, "zfs list x", "")
		if code != 1 || errs != "cannot open 'x': dataset does not exist\n" {
			t.Errorf("faulted: %q %d", errs, code)
		}
		if _, _, code := run(t, c, "zfs list x", ""); code != 127 {
			t.Errorf("second run: code %d, want the real 127", code)
		}
	})
	t.Run("drop connection", func(t *testing.T) {
		c := dial(t, ep)
		f.DropConnectionOnCommand("marker")
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		err = s.Run("echo done > /home/paul/marker")
		var exit *ssh.ExitError
		if err == nil || errors.As(err, &exit) {
			t.Errorf("dropped command: %v, want a lost connection", err)
		}
		if !l.Host("f0").Tree.Exists("/home/paul/marker") {
			t.Error("the dropped command did not run")
		}
		if _, err := c.NewSession(); err == nil {
			t.Error("connection still usable")
		}
		if _, _, code := run(t, dial(t, ep), "echo marker", ""); code != 0 {
			t.Error("the drop fired twice")
		}
		if l.Stats("f0").Dropped != 1 {
			t.Errorf("dropped = %d", l.Stats("f0").Dropped)
		}
	})
	t.Run("latency", func(t *testing.T) {
		c := dial(t, ep)
		const d = 150 * time.Millisecond
		f.Latency(d)
		defer f.Latency(0)
		start := time.Now()
		if out, _, _ := run(t, c, "echo slow", ""); out != "slow\n" {
			t.Errorf("slow command output %q", out)
		}
		if took := time.Since(start); took < d {
			t.Errorf("command answered in %v, before the latency of %v", took, d)
		}
		sc := newSFTP(t, c)
		start = time.Now()
		if _, err := sc.Stat("/etc"); err != nil {
			t.Error(err)
		}
		if took := time.Since(start); took < d {
			t.Errorf("sftp stat answered in %v, before the latency of %v", took, d)
		}
	})
	t.Run("fail next write", func(t *testing.T) {
		c := dial(t, ep)
		sc := newSFTP(t, c)
		f.FailNextWrite("/home/paul/*.tmp")
		if _, err := sc.Create("/home/paul/a.txt"); err != nil {
			t.Errorf("unmatched write failed: %v", err)
		}
		_, err := sc.Create("/home/paul/b.tmp")
		var se *sftp.StatusError
		if !errors.As(err, &se) || se.FxCode() != sftp.ErrSSHFxFailure {
			t.Errorf("faulted sftp write: %v", err)
		}
		if _, err := sc.Create("/home/paul/b.tmp"); err != nil {
			t.Errorf("second write: %v", err)
		}
		f.FailNextWrite("motd")
		_, errs, code := run(t, c, "echo x > motd", "")
		if code != 2 || errs != "sh: cannot create motd: Input/output error\n" {
			t.Errorf("faulted redirect: %q %d", errs, code)
		}
	})
}

func TestLabValidation(t *testing.T) {
	dir := t.TempDir()
	bad := [][]HostSpec{
		nil,
		{{"f0", sim.FreeBSD}, {"f0", sim.Rocky}},
		{{"f0", "windows"}},
		{{"../f0", sim.FreeBSD}},
	}
	for _, hosts := range bad {
		if l, err := Start(context.Background(), Options{Dir: dir, Hosts: hosts, Profile: testProfile}); err == nil {
			l.Close()
			t.Errorf("Start(%v) succeeded", hosts)
		}
	}
	if _, err := Open(t.TempDir()); err == nil {
		t.Error("Open of an empty directory succeeded")
	}
}

func TestParallelLabs(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			l, err := Start(context.Background(), Options{Dir: t.TempDir(), Hosts: []HostSpec{{"f" + strconv.Itoa(i), sim.FreeBSD}}, Profile: testProfile})
			if err != nil {
				t.Error(err)
				return
			}
			defer l.Close()
			c, err := dialErr(l.Endpoints()[0], "paul", l.Endpoints()[0].PrivateKeyPEM)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			s, _ := c.NewSession()
			if out, err := s.Output("echo " + strconv.Itoa(i)); err != nil || string(out) != strconv.Itoa(i)+"\n" {
				t.Errorf("lab %d: %q %v", i, out, err)
			}
		})
	}
	wg.Wait()
}

// TestCommandsStop checks that a running command's context ends when the
// client disconnects, when the lab's context ends, and when the lab closes.
func TestCommandsStop(t *testing.T) {
	for _, how := range []string{"client disconnect", "context cancel", "close"} {
		t.Run(how, func(t *testing.T) {
			blocked, stopped := make(chan struct{}), make(chan struct{})
			prof := func(os sim.OS) (sim.Registry, sim.Registry, []func(*sim.Host) error) {
				base, pkgs, seeds := testProfile(os)
				base["/bin/block"] = func(p *sim.Proc) int {
					close(blocked)
					<-p.Ctx.Done()
					close(stopped)
					return 1
				}
				return base, pkgs, seeds
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			l, err := Start(ctx, Options{Dir: t.TempDir(), Hosts: []HostSpec{{"f0", sim.FreeBSD}}, Profile: prof})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			c := dial(t, endpoint(t, l, "f0"))
			s, err := c.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- s.Run("block") }()
			<-blocked
			switch how {
			case "client disconnect":
				c.Close()
			case "context cancel":
				cancel()
			case "close":
				if err := l.Close(); err != nil {
					t.Error(err)
				}
			}
			select {
			case <-stopped:
			case <-time.After(10 * time.Second):
				t.Fatal("the command's context did not end")
			}
			if err := <-done; err == nil {
				t.Error("the session ended cleanly")
			}
		})
	}
}
