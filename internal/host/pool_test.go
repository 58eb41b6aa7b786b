package host

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	srv := newTestServer(t)
	good := srv.config("f0")
	tests := []struct {
		name   string
		modify func(c *Config)
		attr   string // "" for valid
		msg    string
	}{
		{"valid", func(*Config) {}, "", ""},
		{"valid agent insecure", func(c *Config) {
			c.PrivateKey, c.Agent, c.AgentSocket, c.HostKey, c.InsecureIgnoreHostKey = nil, true, "/tmp/agent.sock", "", true
		}, "", ""},
		{"valid become doas", func(c *Config) { c.Become = BecomeDoas }, "", ""},
		{"no name", func(c *Config) { c.Name = "" }, "name", "must not be empty"},
		{"no address", func(c *Config) { c.Address = "" }, "address", "must not be empty"},
		{"address with port", func(c *Config) { c.Address = "f0.lan:22" }, "address", "set the port in port"},
		{"address with space", func(c *Config) { c.Address = "f0 lan" }, "address", "white space"},
		{"ipv6 ok", func(c *Config) { c.Address = "::1" }, "", ""},
		{"ipv6 brackets", func(c *Config) { c.Address = "[::1]" }, "address", "without brackets"},
		{"port high", func(c *Config) { c.Port = 65536 }, "port", "out of range 1..65535"},
		{"port negative", func(c *Config) { c.Port = -1 }, "port", "out of range"},
		{"no user", func(c *Config) { c.User = "" }, "user", "must not be empty"},
		{"no auth", func(c *Config) { c.PrivateKey = nil }, "private_key", "no authentication method"},
		{"bad key", func(c *Config) { c.PrivateKey = []byte("-----BEGIN NONSENSE-----") }, "private_key", "not a usable private key"},
		{"agent without socket", func(c *Config) { c.Agent, c.AgentSocket = true, "" }, "agent_socket", "SSH_AUTH_SOCK"},
		{"no host key policy", func(c *Config) { c.HostKey = "" }, "known_hosts_file", "no host key verification"},
		{"bad host key", func(c *Config) { c.HostKey = "ssh-ed25519 notbase64" }, "host_key", "authorized_keys format"},
		{"become su", func(c *Config) { c.Become = "su" }, "become", `unknown value "su", want one of doas, sudo, none`},
		{"negative timeout", func(c *Config) { c.ConnectTimeout = -time.Second }, "connect_timeout", "negative"},
		{"negative sessions", func(c *Config) { c.MaxSessions = -1 }, "max_sessions", "negative"},
		{"jump port", func(c *Config) { j := srv.config("bastion"); j.Port = 70000; c.Jump = &j }, "jump.port", "out of range"},
		{"jump cycle", func(c *Config) { j := srv.config("bastion"); j.Jump = &j; c.Jump = &j }, "jump.jump.jump.jump", "cycle"},
	}
	t.Setenv("SSH_AUTH_SOCK", "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.modify(&c)
			err := c.Validate()
			if tt.attr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("Validate() = %v, want a *ConfigError", err)
			}
			found := false
			for _, e := range flatten(err) {
				if errors.As(e, &ce) && ce.Attribute == tt.attr && strings.Contains(ce.Message, tt.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("Validate() = %v, want attribute %s with %q", err, tt.attr, tt.msg)
			}
		})
	}
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestValidateMessageNamesHostAndAttribute(t *testing.T) {
	c := newTestServer(t).config("f0")
	c.Become = "su"
	want := `host "f0": become: unknown value "su", want one of doas, sudo, none`
	if err := c.Validate(); err == nil || err.Error() != want {
		t.Errorf("Validate() = %v, want %s", err, want)
	}
}

func TestNewPool(t *testing.T) {
	srv := newTestServer(t)
	if _, err := NewPool([]Config{srv.config("f0"), srv.config("f0")}, PoolOptions{}); err == nil ||
		!strings.Contains(err.Error(), "configured more than once") {
		t.Errorf("duplicate names: err = %v", err)
	}
	bad := srv.config("f1")
	bad.Port = 0
	bad.User = ""
	if _, err := NewPool([]Config{srv.config("f0"), bad}, PoolOptions{}); err == nil || !strings.Contains(err.Error(), `host "f1": user`) {
		t.Errorf("invalid config: err = %v", err)
	}
	missing := srv.config("f2")
	missing.HostKey, missing.KnownHostsFile = "", t.TempDir()+"/nope"
	if _, err := NewPool([]Config{missing}, PoolOptions{}); err == nil || !strings.Contains(err.Error(), "known_hosts_file") {
		t.Errorf("missing known_hosts: err = %v", err)
	}

	p := newPool(t, srv.config("r0"), srv.config("f1"), srv.config("f0"))
	if got := strings.Join(p.Names(), ","); got != "f0,f1,r0" {
		t.Errorf("Names() = %s", got)
	}
	_, err := p.Host("f9")
	if err == nil || err.Error() != `unknown host "f9": configured hosts are f0, f1, r0` {
		t.Errorf("Host(f9) = %v", err)
	}
	if h := mustHost(t, p, "f1"); h.Name() != "f1" {
		t.Errorf("Name() = %s", h.Name())
	}
	if accepted, _, _ := srv.stats(); accepted != 0 {
		t.Errorf("NewPool and Host dialled %d times, want 0", accepted)
	}
}

func TestConcurrentFirstUseSharesOneConnection(t *testing.T) {
	srv := newTestServer(t)
	c := srv.config("f0")
	c.MaxConnections = 1
	h := mustHost(t, newPool(t, c), "f0")
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.Run(context.Background(), Command{Argv: []string{"true"}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	accepted, maxSessions, _ := srv.stats()
	if accepted != 1 || h.Stats().Dials != 1 {
		t.Errorf("server accepted %d connections, pool dialled %d; want 1", accepted, h.Stats().Dials)
	}
	if maxSessions > DefaultMaxSessions {
		t.Errorf("server saw %d concurrent sessions on one connection, cap is %d", maxSessions, DefaultMaxSessions)
	}
	if got := h.Stats().Commands; got != 50 {
		t.Errorf("Commands = %d, want 50", got)
	}
}

// blocker lets tests hold commands named "block" on the server until
// released, and see how many are running.
type blocker struct {
	mu      sync.Mutex
	running int
	release chan struct{}
}

func newBlocker() *blocker { return &blocker{release: make(chan struct{})} }

func (b *blocker) handler(x *execCtx) (int, bool) {
	if !strings.Contains(x.Line, "block") {
		return 0, false
	}
	b.mu.Lock()
	b.running++
	b.mu.Unlock()
	<-b.release
	b.mu.Lock()
	b.running--
	b.mu.Unlock()
	return 0, true
}

func (b *blocker) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.running
}

func runBlocked(h *Host, n int) <-chan error {
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := h.Run(context.Background(), Command{Argv: []string{"block"}})
			errs <- err
		}()
	}
	return errs
}

func TestSessionCapWaits(t *testing.T) {
	b := newBlocker()
	srv := newTestServer(t, withHandler(b.handler))
	c := srv.config("f0")
	c.MaxSessions, c.MaxConnections = 3, 1
	h := mustHost(t, newPool(t, c), "f0")

	errs := runBlocked(h, 10)
	waitFor(t, "3 running and 7 waiting", func() bool { return b.count() == 3 && h.Stats().Waiting == 7 })
	if s := h.Stats(); s.SessionsInFlight != 3 || s.Connections != 1 {
		t.Errorf("Stats() = %+v, want 3 sessions on 1 connection", s)
	}
	close(b.release)
	for range 10 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	accepted, maxSessions, _ := srv.stats()
	if maxSessions != 3 || accepted != 1 {
		t.Errorf("server saw at most %d sessions on %d connections, want 3 on 1", maxSessions, accepted)
	}
}

// The rule: a second connection is opened only when every open one is at
// MaxSessions, and no more than MaxConnections; beyond that, callers wait.
func TestSecondConnectionOnlyWhenFull(t *testing.T) {
	b := newBlocker()
	srv := newTestServer(t, withHandler(b.handler))
	c := srv.config("f0")
	c.MaxSessions, c.MaxConnections = 2, 2
	h := mustHost(t, newPool(t, c), "f0")

	first := runBlocked(h, 2)
	waitFor(t, "2 running", func() bool { return b.count() == 2 })
	if accepted, _, _ := srv.stats(); accepted != 1 {
		t.Fatalf("2 sessions used %d connections, want 1", accepted)
	}
	second := runBlocked(h, 2)
	waitFor(t, "4 running", func() bool { return b.count() == 4 })
	if accepted, _, _ := srv.stats(); accepted != 2 {
		t.Fatalf("4 sessions used %d connections, want 2", accepted)
	}
	third := runBlocked(h, 1)
	waitFor(t, "1 waiting", func() bool { return h.Stats().Waiting == 1 })
	if s := h.Stats(); s.Connections != 2 || s.SessionsInFlight != 4 {
		t.Errorf("Stats() = %+v, want 2 connections with 4 sessions", s)
	}
	close(b.release)
	for _, ch := range []<-chan error{first, second, third} {
		for range cap(ch) {
			if err := <-ch; err != nil {
				t.Fatal(err)
			}
		}
	}
	accepted, maxSessions, _ := srv.stats()
	if accepted != 2 || maxSessions > 2 {
		t.Errorf("server: %d connections, at most %d sessions on one; want 2 and <= 2", accepted, maxSessions)
	}
}

func TestStallingServerFailsDial(t *testing.T) {
	port, _ := stallServer(t)
	srv := newTestServer(t)
	c := srv.config("f0")
	c.Port = port
	c.ConnectTimeout = 50 * time.Millisecond
	h := mustHost(t, newPool(t, c), "f0")
	_, err := h.Run(context.Background(), Command{Argv: []string{"true"}})
	var te *TransportError
	if !errors.As(err, &te) || te.MayHaveRun || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "connect_timeout") {
		t.Fatalf("Run against a stalling server = %v, want a not-started TransportError about connect_timeout", err)
	}
}

func TestStallingServerRespectsContext(t *testing.T) {
	port, accepted := stallServer(t)
	srv := newTestServer(t)
	c := srv.config("f0")
	c.Port = port
	c.ConnectTimeout = time.Hour
	h := mustHost(t, newPool(t, c), "f0")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-accepted
		cancel()
	}()
	_, err := h.Run(ctx, Command{Argv: []string{"true"}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
}

func TestRedialAfterServerDrop(t *testing.T) {
	srv := newTestServer(t)
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	ctx := context.Background()
	if _, err := h.Run(ctx, Command{Argv: []string{"true"}}); err != nil {
		t.Fatal(err)
	}
	srv.dropAll()
	if _, err := h.Run(ctx, Command{Argv: []string{"echo", "again"}}); err != nil {
		t.Fatalf("Run after the server dropped the connection: %v", err)
	}
	if accepted, _, _ := srv.stats(); accepted != 2 || h.Stats().Dials != 2 {
		t.Errorf("server accepted %d, pool dialled %d; want 2", accepted, h.Stats().Dials)
	}
}

func TestStartedCommandIsNotRetried(t *testing.T) {
	srv := newTestServer(t, withHandler(func(x *execCtx) (int, bool) {
		if !strings.Contains(x.Line, "drop-me") {
			return 0, false
		}
		x.Drop()
		return 0, true
	}))
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	_, err := h.Run(context.Background(), Command{Argv: []string{"drop-me"}})
	var te *TransportError
	if !errors.As(err, &te) || !te.MayHaveRun || !strings.Contains(err.Error(), "may or may not have run") {
		t.Fatalf("Run = %v, want a TransportError that may have run", err)
	}
	if n := srv.execCount("drop-me"); n != 1 {
		t.Errorf("the server received the command %d times, want 1", n)
	}
	if _, err := h.Run(context.Background(), Command{Argv: []string{"true"}}); err != nil {
		t.Errorf("Run after the drop: %v", err)
	}
}

func TestRefusedDialIsRetriedThenReported(t *testing.T) {
	srv := newTestServer(t)
	c := srv.config("f0")
	srv.close() // nothing listens on the port any more
	h := mustHost(t, newPool(t, c), "f0")
	_, err := h.Run(context.Background(), Command{Argv: []string{"true"}})
	var te *TransportError
	if !errors.As(err, &te) || te.MayHaveRun || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("Run = %v, want a not-started TransportError with connection refused", err)
	}
}

func TestKeepaliveClosesDeadConnection(t *testing.T) {
	srv := newTestServer(t)
	c := srv.config("f0")
	c.KeepaliveInterval = 10 * time.Millisecond
	h := mustHost(t, newPool(t, c), "f0")
	if _, err := h.Run(context.Background(), Command{Argv: []string{"true"}}); err != nil {
		t.Fatal(err)
	}
	// Only now does the server stop answering, so that a slow machine cannot
	// make the keepalive close the connection under the first command.
	srv.ignoreKeepalive.Store(true)
	waitFor(t, "the unanswering connection to be closed", func() bool { return h.Stats().Connections == 0 })
	// The server answers again, else the keepalive may close the new
	// connection under the next command too.
	srv.ignoreKeepalive.Store(false)
	if _, err := h.Run(context.Background(), Command{Argv: []string{"true"}}); err != nil {
		t.Fatal(err)
	}
	if d := h.Stats().Dials; d != 2 {
		t.Errorf("Dials = %d, want 2", d)
	}
}

func TestCancelClosesSession(t *testing.T) {
	b := newBlocker()
	srv := newTestServer(t, withHandler(b.handler))
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := h.Run(ctx, Command{Argv: []string{"block"}})
		done <- err
	}()
	waitFor(t, "the command to run", func() bool { return b.count() == 1 })
	cancel()
	err := <-done
	var te *TransportError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &te) || !te.MayHaveRun {
		t.Fatalf("Run = %v, want a cancelled TransportError", err)
	}
	close(b.release)
	waitFor(t, "the slot to be released", func() bool { return h.Stats().SessionsInFlight == 0 })
}

func TestPoolClose(t *testing.T) {
	srv := newTestServer(t)
	p, err := NewPool([]Config{srv.config("f0")}, PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := mustHost(t, p, "f0")
	if _, err := h.Run(context.Background(), Command{Argv: []string{"true"}}); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Run(context.Background(), Command{Argv: []string{"true"}}); !errors.Is(err, ErrClosed) {
		t.Errorf("Run after Close = %v, want ErrClosed", err)
	}
}

func TestLock(t *testing.T) {
	h := mustHost(t, newPool(t, newTestServer(t).config("f0")), "f0")
	ctx := context.Background()
	unlock, err := h.Lock(ctx, "/etc/rc.conf")
	if err != nil {
		t.Fatal(err)
	}
	other, err := h.Lock(ctx, "/etc/exports")
	if err != nil {
		t.Fatalf("a lock on another path waited: %v", err)
	}
	other()
	short, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.Lock(short, "/etc/../etc/rc.conf"); !errors.Is(err, context.Canceled) {
		t.Errorf("Lock on a held path with a cancelled context = %v", err)
	}
	unlock()
	unlock() // a second call is harmless
	again, err := h.Lock(ctx, "/etc/rc.conf")
	if err != nil {
		t.Fatal(err)
	}
	again()
}
