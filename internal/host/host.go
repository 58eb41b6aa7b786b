package host

import (
	"context"
	"errors"
	"path"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/sync/singleflight"
)

var _ Target = (*Host)(nil)

// overflowHold keeps a host from re-dialling an extra connection right
// after one failed while another connection still serves it.
const overflowHold = 10 * time.Second

// Host is one configured host. Its connections are dialled on first use and
// shared by every caller; it is safe for concurrent use.
type Host struct {
	cfg    Config // defaults applied
	pool   *Pool
	log    Logger
	keys   *hostKeyPolicy
	signer ssh.Signer // from PrivateKey, nil when only the agent is used
	jump   *Host

	mu        sync.Mutex
	conns     []*conn
	dialing   *dialCall
	wake      chan struct{} // closed and replaced whenever a slot frees or the set changes
	waiting   int
	closed    bool
	holdUntil time.Time

	dials    atomic.Int64
	commands atomic.Int64

	infoGroup singleflight.Group
	infoMu    sync.Mutex
	info      *Info

	lockMu sync.Mutex
	locks  map[string]chan struct{}
}

// conn is one SSH connection with a semaphore of MaxSessions slots.
type conn struct {
	client *ssh.Client
	sem    chan struct{}
	done   chan struct{} // closed when the connection has ended
	broken atomic.Bool   // set as soon as a failure is seen, before done
	logCtx context.Context
}

type dialCall struct {
	done chan struct{}
	err  error
}

func (c *conn) alive() bool {
	if c.broken.Load() {
		return false
	}
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

func (c *conn) tryAcquire() bool {
	select {
	case c.sem <- struct{}{}:
		return true
	default:
		return false
	}
}

// newSession opens a session, giving up when the connection ends: x/crypto
// can leave a channel open waiting forever when the connection drops at
// the same moment.
func (c *conn) newSession() (*ssh.Session, error) {
	type result struct {
		s   *ssh.Session
		err error
	}
	res := make(chan result, 1)
	go func() {
		s, err := c.client.NewSession()
		res <- result{s, err}
	}()
	select {
	case r := <-res:
		return r.s, r.err
	case <-c.done:
		go func() {
			if r := <-res; r.s != nil {
				_ = r.s.Close()
			}
		}()
		return nil, errors.New("ssh: connection closed")
	}
}

func (c *conn) kill() {
	c.broken.Store(true)
	_ = c.client.Close()
}

// Name is the configured host name.
func (h *Host) Name() string { return h.cfg.Name }

// Stats reports the host's counters.
func (h *Host) Stats() ConnStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := ConnStats{Dials: h.dials.Load(), Commands: h.commands.Load(), Waiting: h.waiting}
	for _, c := range h.conns {
		if c.alive() {
			s.Connections++
			s.SessionsInFlight += len(c.sem)
		}
	}
	return s
}

// acquire returns a live connection. With slot, one of its session slots is
// taken and must be given back with release; a new connection is dialled
// only when every open one is full (up to MaxConnections), otherwise the
// caller waits for a slot.
func (h *Host) acquire(ctx context.Context, slot bool) (*conn, error) {
	h.mu.Lock()
	for {
		if h.closed {
			h.mu.Unlock()
			return nil, ErrClosed
		}
		h.pruneLocked()
		for _, c := range h.conns {
			if !slot || c.tryAcquire() {
				h.mu.Unlock()
				return c, nil
			}
		}
		if h.dialing == nil && len(h.conns) < h.cfg.MaxConnections &&
			(len(h.conns) == 0 || time.Now().After(h.holdUntil)) {
			h.startDialLocked(ctx)
		}
		d, wake := h.dialing, h.wake
		var dialDone <-chan struct{}
		if d != nil {
			dialDone = d.done
		}
		h.waiting++
		h.mu.Unlock()

		var failed error
		select {
		case <-ctx.Done():
		case <-wake:
		case <-dialDone:
			failed = d.err
		}

		h.mu.Lock()
		h.waiting--
		if ctx.Err() != nil {
			h.mu.Unlock()
			return nil, ctx.Err()
		}
		h.pruneLocked()
		if failed != nil && len(h.conns) == 0 {
			h.mu.Unlock()
			return nil, failed
		}
	}
}

// release gives a session slot back and wakes the waiters.
func (h *Host) release(c *conn) {
	<-c.sem
	h.mu.Lock()
	if h.waiting > 0 {
		h.broadcastLocked()
	}
	h.mu.Unlock()
}

func (h *Host) broadcastLocked() {
	close(h.wake)
	h.wake = make(chan struct{})
}

func (h *Host) pruneLocked() {
	live := h.conns[:0]
	for _, c := range h.conns {
		if c.alive() {
			live = append(live, c)
		}
	}
	clear(h.conns[len(live):])
	h.conns = live
}

// startDialLocked dials in the background so that every waiter, not only
// the first, can give up on its own context. The dial keeps the first
// caller's context values (for logging) but is bounded by ConnectTimeout
// per attempt and by Pool.Close.
func (h *Host) startDialLocked(ctx context.Context) {
	d := &dialCall{done: make(chan struct{})}
	h.dialing = d
	logCtx := context.WithoutCancel(ctx)
	go func() {
		dctx, cancel := context.WithCancel(logCtx)
		stop := context.AfterFunc(h.pool.ctx, cancel)
		client, err := h.dialWithRetry(dctx)
		stop()
		cancel()

		h.mu.Lock()
		defer h.mu.Unlock()
		h.dialing = nil
		switch {
		case err != nil:
			if len(h.conns) > 0 {
				h.holdUntil = time.Now().Add(overflowHold)
			}
		case h.closed:
			_ = client.Close()
			err = ErrClosed
		default:
			c := &conn{client: client, sem: make(chan struct{}, h.cfg.MaxSessions), done: make(chan struct{}), logCtx: logCtx}
			h.conns = append(h.conns, c)
			h.dials.Add(1)
			go h.watch(c)
			go h.keepalive(c)
		}
		d.err = err
		close(d.done)
		h.broadcastLocked()
	}()
}

// watch notices the end of a connection and wakes the waiters, so that the
// next caller dials again.
func (h *Host) watch(c *conn) {
	err := c.client.Wait()
	c.broken.Store(true)
	close(c.done)
	h.log.Debug(c.logCtx, "ssh connection closed", map[string]any{"host": h.cfg.Name, "error": errString(err)})
	h.mu.Lock()
	h.pruneLocked()
	h.broadcastLocked()
	h.mu.Unlock()
}

// keepalive sends keepalive@openssh.com requests; a connection that fails
// to answer three intervals in a row is closed, as ServerAliveCountMax=3.
func (h *Host) keepalive(c *conn) {
	interval := h.cfg.KeepaliveInterval
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
		}
		res := make(chan error, 1)
		go func() {
			_, _, err := c.client.SendRequest("keepalive@openssh.com", true, nil)
			res <- err
		}()
		timeout := time.NewTimer(3 * interval)
		select {
		case err := <-res:
			timeout.Stop()
			if err != nil {
				h.log.Debug(c.logCtx, "ssh keepalive failed", map[string]any{"host": h.cfg.Name, "error": err.Error()})
				c.kill()
				return
			}
		case <-timeout.C:
			h.log.Debug(c.logCtx, "ssh keepalive unanswered, closing the connection", map[string]any{"host": h.cfg.Name})
			c.kill()
			return
		case <-c.done:
			timeout.Stop()
			return
		}
	}
}

func (h *Host) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, c := range h.conns {
		c.kill()
	}
	h.broadcastLocked()
}

// openSession takes a slot and opens a session. Failures before a command
// is sent are retried with backoff: a broken connection is dropped and the
// next attempt dials again.
func (h *Host) openSession(ctx context.Context) (*ssh.Session, *conn, error) {
	var lastErr error
	for attempt := range sessionAttempts {
		if attempt > 0 {
			if err := sleepCtx(ctx, backoff(attempt)); err != nil {
				return nil, nil, err
			}
		}
		c, err := h.acquire(ctx, true)
		if err != nil {
			return nil, nil, err
		}
		s, err := c.newSession()
		if err == nil {
			return s, c, nil
		}
		lastErr = err
		var refused *ssh.OpenChannelError
		if !errors.As(err, &refused) {
			// Not a refusal by the server: the connection itself failed.
			c.kill()
		}
		h.release(c)
		h.log.Debug(ctx, "ssh session open failed", map[string]any{"host": h.cfg.Name, "attempt": attempt + 1, "error": err.Error()})
	}
	return nil, nil, lastErr
}

// closeSession closes s and gives its slot back once the server has closed
// the channel too (ended is closed after s.Wait returns), so the server
// never counts more sessions than we do.
func (h *Host) closeSession(ctx context.Context, s *ssh.Session, c *conn, ended <-chan struct{}) {
	_ = s.Close()
	select {
	case <-ended:
		h.release(c)
	case <-ctx.Done():
		go func() {
			<-ended
			h.release(c)
		}()
	}
}

// Lock serialises edits of one file on this host. It waits for the lock
// or for ctx; unlock may be called more than once.
func (h *Host) Lock(ctx context.Context, p string) (func(), error) {
	key := path.Clean(p)
	h.lockMu.Lock()
	ch, ok := h.locks[key]
	if !ok {
		ch = make(chan struct{}, 1)
		h.locks[key] = ch
	}
	h.lockMu.Unlock()
	select {
	case ch <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-ch }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

const sessionAttempts = 3

func backoff(attempt int) time.Duration {
	return time.Duration(1<<(attempt-1)) * 250 * time.Millisecond
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
