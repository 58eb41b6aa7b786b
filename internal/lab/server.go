package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// maxSessions is OpenSSH's default MaxSessions: the 11th concurrent session
// on one connection is refused, as a real host would.
const maxSessions = 10

// handshakeTimeout bounds a client that connects and never speaks.
const handshakeTimeout = 30 * time.Second

// serverVersion is the banner each OS's sshd sends.
var serverVersion = map[sim.OS]string{
	sim.FreeBSD: "SSH-2.0-OpenSSH_9.7 FreeBSD-20240806",
	sim.Rocky:   "SSH-2.0-OpenSSH_8.7",
}

// server is the SSH server of one host.
type server struct {
	lab     *Lab
	rt      *hostRuntime
	ln      net.Listener
	cfg     *ssh.ServerConfig
	hostKey ssh.Signer

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func newServer(l *Lab, rt *hostRuntime, ln net.Listener) (*server, error) {
	key, err := loadOrCreateKey(filepath.Join(rt.host.Dir, "ssh_host_ed25519_key"), "root@"+rt.spec.Name)
	if err != nil {
		return nil, fmt.Errorf("lab: host %s: host key: %w", rt.spec.Name, err)
	}
	s := &server{lab: l, rt: rt, ln: ln, hostKey: key.signer, conns: map[net.Conn]struct{}{}}
	login := rt.host.LoginUser.Name
	clientKey := l.client.signer.PublicKey().Marshal()
	s.cfg = &ssh.ServerConfig{
		PublicKeyCallback: func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if c.User() == login && bytes.Equal(key.Marshal(), clientKey) {
				return &ssh.Permissions{}, nil
			}
			return nil, fmt.Errorf("public key of %s not accepted", c.User())
		},
		ServerVersion: serverVersion[rt.spec.OS],
	}
	s.cfg.AddHostKey(key.signer)
	return s, nil
}

func (s *server) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		if s.rt.faults.refusing() || !s.lab.up(s.rt) {
			s.rt.stats.add(func(st *Stats) { st.Refused++ })
			c.Close()
			continue
		}
		if !s.track(c) {
			c.Close()
			return
		}
		s.wg.Go(func() {
			defer s.untrack(c)
			s.handle(c)
		})
	}
}

func (s *server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *server) untrack(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	c.Close()
}

// shutdown stops accepting and closes every connection.
func (s *server) shutdown() {
	s.ln.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
	s.conns = nil
}

func (s *server) wait() { s.wg.Wait() }

func (s *server) handle(nc net.Conn) {
	_ = nc.SetDeadline(time.Now().Add(handshakeTimeout))
	sc, chans, reqs, err := ssh.NewServerConn(nc, s.cfg)
	if err != nil {
		return
	}
	_ = nc.SetDeadline(time.Time{})
	s.rt.stats.add(func(st *Stats) { st.Connections++ })
	ctx, cancel := context.WithCancel(s.lab.ctx)
	defer cancel()
	go func() {
		_ = sc.Wait()
		cancel()
	}()
	go ssh.DiscardRequests(reqs)
	var open atomic.Int32
	var wg sync.WaitGroup
	defer wg.Wait()
	for nch := range chans {
		if nch.ChannelType() != "session" {
			_ = nch.Reject(ssh.UnknownChannelType, "unknown channel type")
			continue
		}
		if open.Load() >= maxSessions {
			_ = nch.Reject(ssh.Prohibited, "open failed")
			continue
		}
		ch, creqs, err := nch.Accept()
		if err != nil {
			continue
		}
		open.Add(1)
		s.rt.stats.add(func(st *Stats) { st.Sessions++ })
		wg.Go(func() {
			defer open.Add(-1)
			s.session(ctx, nc, ch, creqs)
		})
	}
}

// session serves one session channel: one exec or one sftp subsystem.
func (s *server) session(ctx context.Context, nc net.Conn, ch ssh.Channel, reqs <-chan *ssh.Request) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer ch.Close()
	defer func() { go ssh.DiscardRequests(reqs) }() // a late request must not stall the connection
	started := false
	done := make(chan struct{})
	for {
		select {
		case req, ok := <-reqs:
			if !ok {
				// The client closed the channel: stop what runs.
				cancel()
				if started {
					<-done
				}
				return
			}
			switch {
			case req.Type == "exec" && !started:
				var payload struct{ Command string }
				if err := ssh.Unmarshal(req.Payload, &payload); err != nil {
					_ = req.Reply(false, nil)
					continue
				}
				_ = req.Reply(true, nil)
				started = true
				go func() {
					defer close(done)
					s.exec(ctx, nc, ch, payload.Command)
				}()
			case req.Type == "subsystem" && !started:
				var payload struct{ Name string }
				if err := ssh.Unmarshal(req.Payload, &payload); err != nil || payload.Name != "sftp" {
					_ = req.Reply(false, nil)
					continue
				}
				_ = req.Reply(true, nil)
				started = true
				go func() {
					defer close(done)
					s.sftp(ctx, ch)
				}()
			default:
				// pty-req, env, shell, signal...: refused, as a host that
				// accepts no environment and gives no terminal.
				if req.WantReply {
					_ = req.Reply(false, nil)
				}
			}
		case <-done:
			return
		}
	}
}

func (s *server) exec(ctx context.Context, nc net.Conn, ch ssh.Channel, line string) {
	if !s.lab.up(s.rt) {
		nc.Close() // the host lost its power meanwhile
		return
	}
	s.rt.stats.add(func(st *Stats) { st.Commands++ })
	code, drop := s.lab.run(ctx, s.rt, line, ch, ch, ch.Stderr())
	if drop {
		s.rt.stats.add(func(st *Stats) { st.Dropped++ })
		nc.Close()
		return
	}
	_ = ch.CloseWrite()
	_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{uint32(code)}))
}

func (s *server) sftp(ctx context.Context, ch ssh.Channel) {
	if !s.lab.up(s.rt) {
		ch.Close()
		return
	}
	if err := s.lab.serveSFTP(ctx, s.rt, ch, true); err != nil && !errors.Is(err, io.EOF) {
		s.lab.logf("lab: host %s: sftp: %v", s.rt.spec.Name, err)
	}
	_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{0}))
}

// run runs a command line as the login user, as sshd hands it to the login
// shell, with the host's faults applied. drop reports that the connection
// must now be dropped.
func (l *Lab) run(ctx context.Context, rt *hostRuntime, line string, stdin io.Reader, stdout, stderr io.Writer) (code int, drop bool) {
	if err := rt.faults.delay(ctx); err != nil {
		return 255, false
	}
	if f, ok := rt.faults.takeCommandFailure(line); ok {
		_, _ = io.WriteString(stderr, f.stderr)
		return f.code, false
	}
	drop = rt.faults.takeDrop(line)
	h := rt.host
	p := h.NewProc(ctx, h.LoginUser, stdin, stdout, stderr)
	return h.Shell(p, line, []string{"sh"}), drop
}
