package sshdtest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

const (
	sshdPath    = "/usr/sbin/sshd"
	unsharePath = "/usr/bin/unshare"
)

// Options shape the server. Values go verbatim into sshd_config, one line
// each: no newlines, and a path with spaces needs sshd's own quoting.
type Options struct {
	// ForceCommand replaces every command a client runs (sshd's
	// ForceCommand); the client's line, or a subsystem's command, is then
	// in SSH_ORIGINAL_COMMAND.
	ForceCommand string
	// SFTPSubsystem is the command behind "Subsystem sftp"; empty means
	// internal-sftp.
	SFTPSubsystem string
	// RootLogin makes root the only login user (PermitRootLogin
	// prohibit-password) instead of f3stest.
	RootLogin bool
}

// Server is a running sshd. It stops, and its directory goes, when the test
// ends; its log is shown if the test failed.
type Server struct {
	Address string // 127.0.0.1
	Port    int
	User    string // f3stest, or root with RootLogin
	// UID and GID are f3stest's ids (unused on the machine; the account
	// exists only inside the namespace): chown a directory to them to give
	// the login user, or a ForceCommand running as it, a place to write.
	UID, GID int

	ClientKeyPEM   []byte // OpenSSH private key of the login user
	ClientKeyFile  string // the same key in a file, mode 0600
	KnownHostsFile string // one line for [127.0.0.1]:Port
	HostKey        string // the host's public key as an authorized_keys line, no newline

	Dir         string // the server's files, mode 0755 so that f3stest can reach Home
	Home        string // f3stest's home, owned by f3stest
	RootOnlyDir string // owned by root, mode 0755: only become writes here

	log *syncBuffer
}

// Start starts sshd for t (calling Require first) and returns once it
// answers with its banner.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	Require(t)
	for _, v := range []string{opts.ForceCommand, opts.SFTPSubsystem} {
		if strings.ContainsAny(v, "\r\n") {
			t.Fatalf("sshdtest: option %q spans lines", v)
		}
	}
	// Not t.TempDir: its parent is 0700 and the unprivileged f3stest must
	// reach its home inside.
	dir, err := os.MkdirTemp("", "f3s-sshd-") //nolint:usetesting // see above
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	s := &Server{
		Address:        "127.0.0.1",
		User:           loginUser,
		UID:            freeID(t, "/etc/passwd"),
		GID:            freeID(t, "/etc/group"),
		ClientKeyFile:  filepath.Join(dir, "client_ed25519"),
		KnownHostsFile: filepath.Join(dir, "known_hosts"),
		Dir:            dir,
		Home:           filepath.Join(dir, "home"),
		RootOnlyDir:    filepath.Join(dir, "rootdir"),
		log:            &syncBuffer{},
	}
	if opts.RootLogin {
		s.User = "root"
	}
	for _, d := range []string{dir, s.Home, s.RootOnlyDir, filepath.Join(dir, "upper"), filepath.Join(dir, "work")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(s.Home, s.UID, s.GID); err != nil {
		t.Fatal(err)
	}
	hostSigner, _ := newKey(t, filepath.Join(dir, "ssh_host_ed25519_key"))
	s.HostKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(hostSigner.PublicKey())))
	clientSigner, clientPEM := newKey(t, s.ClientKeyFile)
	s.ClientKeyPEM = clientPEM
	writeFile(t, filepath.Join(dir, "authorized_keys"), ssh.MarshalAuthorizedKey(clientSigner.PublicKey()), 0o644)

	// The port is free when picked but may be taken before sshd binds it;
	// only that race earns another try.
	for attempt := 1; ; attempt++ {
		s.Port = freePort(t)
		writeFile(t, s.KnownHostsFile, []byte(knownhosts.Line([]string{s.addr()}, hostSigner.PublicKey())+"\n"), 0o644)
		writeFile(t, filepath.Join(dir, "sshd_config"), []byte(sshdConfig(s.Port, dir, opts)), 0o644)
		err := s.run(t)
		if err == nil {
			return s
		}
		if attempt < 3 && strings.Contains(s.Log(), "Address already in use") {
			continue
		}
		t.Fatalf("sshdtest: %v\nsshd log:\n%s", err, s.Log())
	}
}

// Log returns what sshd has written so far (LogLevel VERBOSE).
func (s *Server) Log() string { return s.log.String() }

// ClientConfig logs in as User with the client key, checking the host key
// against KnownHostsFile.
func (s *Server) ClientConfig(t testing.TB) *ssh.ClientConfig {
	t.Helper()
	signer, err := ssh.ParsePrivateKey(s.ClientKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	hostKeys, err := knownhosts.New(s.KnownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	return &ssh.ClientConfig{
		User:            s.User,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: hostKeys,
		Timeout:         10 * time.Second,
	}
}

// Dial connects with ClientConfig; the connection closes when the test ends.
func (s *Server) Dial(t testing.TB) *ssh.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", s.addr(), s.ClientConfig(t))
	if err != nil {
		t.Fatalf("sshdtest: dial %s: %v", s.addr(), err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func (s *Server) addr() string { return net.JoinHostPort(s.Address, strconv.Itoa(s.Port)) }

// run starts sshd in its namespace and waits for its banner. The process
// stops at the end of the test whatever happens here.
func (s *Server) run(t testing.TB) error {
	t.Helper()
	cmd := exec.Command(unsharePath, "-m", "--propagation", "private",
		"/bin/sh", "-c", namespaceScript, "sh", s.Dir, strconv.Itoa(s.UID), strconv.Itoa(s.GID), sshdPath)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	// Its own process group, so that one signal reaches unshare's shell
	// and sshd alike, whichever is running.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A session child still holding stderr must not keep Wait forever.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("sshd log:\n%s", s.Log())
		}
	})
	// sshd starts in well under a second; the bound is only for a bug.
	deadline := time.Now().Add(20 * time.Second)
	for !s.answers() {
		select {
		case <-exited:
			return errors.New("sshd exited before it listened")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sshd did not answer on %s", s.addr())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// answers reports whether OpenSSH, rather than whatever else may hold the
// port, greets a connection.
func (s *Server) answers() bool {
	c, err := net.DialTimeout("tcp", s.addr(), time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	banner, _ := bufio.NewReader(c).ReadString('\n')
	return strings.HasPrefix(banner, "SSH-2.0-OpenSSH")
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		t.Fatalf("sshdtest: listener address %v", ln.Addr())
	}
	return addr.Port
}
