package host

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// testServer is an in-process SSH server for the tests: real protocol, real
// SFTP (pkg/sftp over a temp dir), commands run by the real /bin/sh as the
// login shell would, or by a test's handler. It counts connections and
// concurrent sessions per connection, and can drop connections.
type testServer struct {
	t          testing.TB
	ln         net.Listener
	port       int
	hostKeys   []ssh.Signer
	clientPEM  []byte
	authorized []ssh.PublicKey
	dir        string // home and working directory
	binDir     string // fake doas and sudo
	becomeLog  string

	// handler, when set, may take over a command line: it returns the exit
	// code and true, or false to let /bin/sh run it.
	handler func(x *execCtx) (int, bool)
	// ignoreKeepalive leaves keepalive requests unanswered.
	ignoreKeepalive atomic.Bool

	mu          sync.Mutex
	conns       map[*srvConn]bool
	accepted    int
	maxSessions int // most concurrent sessions seen on one connection
	sessionsNow int // over all connections
	execs       []string
	tunnels     int
	wg          sync.WaitGroup
}

type srvConn struct {
	nc       net.Conn
	sessions int
}

// execCtx is one exec request handed to a test handler.
type execCtx struct {
	Line   string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Signal string // set by a handler to end with exit-signal instead of exit-status
	conn   *srvConn
	srv    *testServer
}

// Drop closes the connection the command arrived on, abruptly.
func (x *execCtx) Drop() { _ = x.conn.nc.Close() }

type serverOption func(*testServer)

func withHostKeys(keys ...ssh.Signer) serverOption {
	return func(s *testServer) { s.hostKeys = keys }
}

func withHandler(h func(x *execCtx) (int, bool)) serverOption {
	return func(s *testServer) { s.handler = h }
}

func newTestServer(t testing.TB, opts ...serverOption) *testServer {
	t.Helper()
	dir := t.TempDir()
	s := &testServer{
		t:         t,
		dir:       filepath.Join(dir, "home"),
		binDir:    filepath.Join(dir, "bin"),
		becomeLog: filepath.Join(dir, "become.log"),
		conns:     map[*srvConn]bool{},
	}
	for _, o := range opts {
		o(s)
	}
	for _, d := range []string{s.dir, s.binDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFakeBecome(t, s.binDir)
	if len(s.hostKeys) == 0 {
		s.hostKeys = []ssh.Signer{newEd25519Signer(t)}
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "test")
	if err != nil {
		t.Fatal(err)
	}
	s.clientPEM = pem.EncodeToMemory(block)
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	s.authorized = []ssh.PublicKey{sshPub}

	s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = s.ln.Addr().(*net.TCPAddr).Port
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.close)
	return s
}

// writeFakeBecome installs doas and sudo that log their argv and run the
// command as the current user, checking the flags we promise to pass.
func writeFakeBecome(t testing.TB, dir string) {
	t.Helper()
	doas := `#!/bin/sh
{ printf 'doas'; for a; do printf ' [%s]' "$a"; done; echo; } >> "$F3S_BECOME_LOG"
[ "$1" = -n ] || { echo "doas: -n expected" >&2; exit 1; }
shift
exec "$@"
`
	sudo := `#!/bin/sh
{ printf 'sudo'; for a; do printf ' [%s]' "$a"; done; echo; } >> "$F3S_BECOME_LOG"
[ "$1" = -n ] && [ "$2" = -- ] || { echo "sudo: -n -- expected" >&2; exit 1; }
shift 2
exec "$@"
`
	for name, body := range map[string]string{"doas": doas, "sudo": sudo} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func newEd25519Signer(t testing.TB) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newECDSASigner(t testing.TB) ssh.Signer {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// config returns a Config for this server, pinned to its first host key,
// logging in as root (so no become, files over SFTP).
func (s *testServer) config(name string) Config {
	return Config{
		Name:       name,
		Address:    "127.0.0.1",
		Port:       s.port,
		User:       "root",
		PrivateKey: s.clientPEM,
		HostKey:    string(ssh.MarshalAuthorizedKey(s.hostKeys[0].PublicKey())),
	}
}

func (s *testServer) close() {
	_ = s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.nc.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// dropAll closes every connection abruptly, as a rebooting host would.
func (s *testServer) dropAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		_ = c.nc.Close()
	}
}

func (s *testServer) stats() (accepted, maxSessions, sessionsNow int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted, s.maxSessions, s.sessionsNow
}

func (s *testServer) execCount(substr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.execs {
		if strings.Contains(e, substr) {
			n++
		}
	}
	return n
}

func (s *testServer) serve() {
	defer s.wg.Done()
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			for _, k := range s.authorized {
				if bytes.Equal(k.Marshal(), key.Marshal()) {
					return nil, nil
				}
			}
			return nil, errors.New("unknown key")
		},
	}
	for _, k := range s.hostKeys {
		cfg.AddHostKey(k)
	}
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		c := &srvConn{nc: nc}
		s.mu.Lock()
		s.accepted++
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handleConn(c, cfg)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

func (s *testServer) handleConn(c *srvConn, cfg *ssh.ServerConfig) {
	sc, chans, reqs, err := ssh.NewServerConn(c.nc, cfg)
	if err != nil {
		_ = c.nc.Close()
		return
	}
	defer sc.Close()
	go func() {
		for r := range reqs {
			if r.Type == "keepalive@openssh.com" && s.ignoreKeepalive.Load() {
				continue
			}
			_ = r.Reply(r.Type == "keepalive@openssh.com", nil)
		}
	}()
	var wg sync.WaitGroup
	for nch := range chans {
		switch nch.ChannelType() {
		case "session":
			ch, creqs, err := nch.Accept()
			if err != nil {
				continue
			}
			s.sessionStart(c)
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.handleSession(c, ch, creqs)
			}()
		case "direct-tcpip":
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.handleTunnel(nch)
			}()
		default:
			_ = nch.Reject(ssh.UnknownChannelType, "unsupported")
		}
	}
	wg.Wait()
}

func (s *testServer) sessionStart(c *srvConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.sessions++
	s.sessionsNow++
	if c.sessions > s.maxSessions {
		s.maxSessions = c.sessions
	}
}

func (s *testServer) sessionEnd(c *srvConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.sessions--
	s.sessionsNow--
}

// handleSession serves exec and sftp. The session is uncounted before the
// server closes the channel, so a client that waits for the close (as ours
// does) can never be seen over its cap.
func (s *testServer) handleSession(c *srvConn, ch ssh.Channel, reqs <-chan *ssh.Request) {
	var once sync.Once
	end := func() { once.Do(func() { s.sessionEnd(c) }) }
	defer func() {
		end()
		_ = ch.Close()
	}()
	signals := make(chan string, 4)
	for req := range reqs {
		switch req.Type {
		case "exec":
			var p struct{ Command string }
			if err := ssh.Unmarshal(req.Payload, &p); err != nil {
				_ = req.Reply(false, nil)
				return
			}
			_ = req.Reply(true, nil)
			s.mu.Lock()
			s.execs = append(s.execs, p.Command)
			s.mu.Unlock()
			go func() {
				for r := range reqs {
					if r.Type == "signal" {
						var sig struct{ Signal string }
						_ = ssh.Unmarshal(r.Payload, &sig)
						signals <- sig.Signal
					}
					if r.WantReply {
						_ = r.Reply(false, nil)
					}
				}
				close(signals)
			}()
			status, sig := s.exec(c, ch, p.Command, signals)
			end()
			_ = ch.CloseWrite()
			if sig != "" {
				_, _ = ch.SendRequest("exit-signal", false, ssh.Marshal(struct {
					Signal     string
					CoreDumped bool
					Error      string
					Lang       string
				}{Signal: sig}))
			} else {
				_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{uint32(status)}))
			}
			return
		case "subsystem":
			var p struct{ Name string }
			_ = ssh.Unmarshal(req.Payload, &p)
			if p.Name != "sftp" {
				_ = req.Reply(false, nil)
				continue
			}
			_ = req.Reply(true, nil)
			go func() {
				for r := range reqs {
					if r.WantReply {
						_ = r.Reply(false, nil)
					}
				}
			}()
			srv, err := sftp.NewServer(ch, sftp.WithServerWorkingDirectory(s.dir))
			if err != nil {
				return
			}
			_ = srv.Serve()
			end()
			_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{0}))
			return
		default:
			if req.WantReply {
				_ = req.Reply(req.Type == "env", nil)
			}
		}
	}
}

// exec runs line as sshd would: through the login shell, here /bin/sh.
func (s *testServer) exec(c *srvConn, ch ssh.Channel, line string, signals <-chan string) (int, string) {
	if s.handler != nil {
		x := &execCtx{Line: line, Stdin: ch, Stdout: ch, Stderr: ch.Stderr(), conn: c, srv: s}
		if code, ok := s.handler(x); ok {
			return code, x.Signal
		}
	}
	cmd := exec.Command("/bin/sh", "-c", line)
	cmd.Dir = s.dir
	cmd.Env = []string{
		"PATH=" + s.binDir + ":/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + s.dir,
		"LC_ALL=C",
		"F3S_BECOME_LOG=" + s.becomeLog,
	}
	cmd.Stdout, cmd.Stderr = ch, ch.Stderr()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 127, ""
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(ch.Stderr(), err)
		return 127, ""
	}
	go func() {
		_, _ = io.Copy(stdin, ch)
		_ = stdin.Close()
	}()
	exited := make(chan struct{})
	go func() {
		for {
			select {
			case sig, ok := <-signals:
				if !ok {
					// The client closed the channel: end the command.
					_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
					return
				}
				if sig == "TERM" || sig == "KILL" {
					_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
				}
			case <-exited:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(exited)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 0, strings.TrimPrefix(unixSignalName(ws.Signal()), "SIG")
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), ""
	}
	return 0, ""
}

func unixSignalName(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGKILL:
		return "KILL"
	case syscall.SIGTERM:
		return "TERM"
	case syscall.SIGHUP:
		return "HUP"
	case syscall.SIGINT:
		return "INT"
	}
	return strconv.Itoa(int(sig))
}

func (s *testServer) handleTunnel(nch ssh.NewChannel) {
	var p struct {
		Host     string
		Port     uint32
		OrigHost string
		OrigPort uint32
	}
	if err := ssh.Unmarshal(nch.ExtraData(), &p); err != nil || p.Host != "127.0.0.1" {
		_ = nch.Reject(ssh.Prohibited, "loopback only")
		return
	}
	nc, err := net.Dial("tcp", net.JoinHostPort(p.Host, strconv.Itoa(int(p.Port))))
	if err != nil {
		_ = nch.Reject(ssh.ConnectionFailed, err.Error())
		return
	}
	ch, reqs, err := nch.Accept()
	if err != nil {
		_ = nc.Close()
		return
	}
	s.mu.Lock()
	s.tunnels++
	s.mu.Unlock()
	go ssh.DiscardRequests(reqs)
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(nc, ch); _ = nc.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { _, _ = io.Copy(ch, nc); _ = ch.CloseWrite(); done <- struct{}{} }()
	<-done
	<-done
	_ = ch.Close()
	_ = nc.Close()
}

// stallServer accepts TCP connections and never speaks. accepted receives
// one value per connection.
func stallServer(t testing.TB) (port int, accepted <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan struct{}, 100)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().(*net.TCPAddr).Port, ch
}

// newPool makes a pool that logs to a memLogger and closes it at the end
// of the test.
func newPool(t testing.TB, cfgs ...Config) *Pool {
	t.Helper()
	p, _ := newPoolLog(t, cfgs...)
	return p
}

func newPoolLog(t testing.TB, cfgs ...Config) (*Pool, *memLogger) {
	t.Helper()
	log := &memLogger{}
	p, err := NewPool(cfgs, PoolOptions{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p, log
}

func mustHost(t testing.TB, p *Pool, name string) *Host {
	t.Helper()
	h, err := p.Host(name)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// memLogger keeps every debug event as one line of text.
type memLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *memLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %v", msg, fields))
}

func (l *memLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// waitFor polls cond until it holds; it fails the test after a generous
// bound, which only a bug reaches. It asserts a state, never a duration.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
