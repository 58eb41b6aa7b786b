package host

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

const dialAttempts = 3

// dialWithRetry dials up to dialAttempts times with exponential backoff.
// Refusals that a retry cannot fix (host key, authentication) end at once.
func (h *Host) dialWithRetry(ctx context.Context) (*ssh.Client, error) {
	var err error
	for attempt := range dialAttempts {
		if attempt > 0 {
			if serr := sleepCtx(ctx, backoff(attempt)); serr != nil {
				break
			}
		}
		start := time.Now()
		var client *ssh.Client
		client, err = h.dial(ctx)
		fields := map[string]any{"host": h.cfg.Name, "address": h.cfg.hostPort(), "attempt": attempt + 1, "duration_ms": time.Since(start).Milliseconds()}
		if err == nil {
			h.log.Debug(ctx, "ssh connected", fields)
			return client, nil
		}
		fields["error"] = err.Error()
		h.log.Debug(ctx, "ssh dial failed", fields)
		if !retryable(err) {
			break
		}
	}
	if errors.Is(h.pool.ctx.Err(), context.Canceled) {
		return nil, ErrClosed
	}
	return nil, err
}

func retryable(err error) bool {
	var hk *HostKeyError
	var ce *ConfigError
	switch {
	case errors.As(err, &hk), errors.As(err, &ce), errors.Is(err, ErrClosed):
		return false
	case strings.Contains(err.Error(), "unable to authenticate"):
		return false
	}
	return true
}

// dial opens one authenticated connection, directly or through the jump
// host. TCP connect and SSH handshake together are bounded by
// ConnectTimeout: a server that accepts and never speaks cannot hang us.
func (h *Host) dial(ctx context.Context) (*ssh.Client, error) {
	addr := h.cfg.hostPort()
	ctx, cancel := context.WithTimeout(ctx, h.cfg.ConnectTimeout)
	defer cancel()

	var nc net.Conn
	var err error
	if h.jump != nil {
		var jc *conn
		jc, err = h.jump.acquire(ctx, false)
		if err != nil {
			return nil, fmt.Errorf("jump host %q: %w", h.jump.cfg.Name, err)
		}
		nc, err = jc.client.DialContext(ctx, "tcp", addr)
		if err != nil {
			err = fmt.Errorf("via jump host %q: %w", h.jump.cfg.Name, err)
		}
	} else {
		var d net.Dialer
		nc, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, h.dialError(ctx, err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(deadline) // a channel through a jump host has no deadlines; AfterFunc covers it
	}
	stop := context.AfterFunc(ctx, func() { _ = nc.Close() })

	auth, closeAgent, err := h.authMethods()
	if err != nil {
		stop()
		_ = nc.Close()
		return nil, err
	}
	defer closeAgent()
	cc := &ssh.ClientConfig{
		User:              h.cfg.User,
		Auth:              auth,
		HostKeyCallback:   h.keys.callback(addr),
		HostKeyAlgorithms: h.keys.algorithms(addr, nc.RemoteAddr()),
	}
	sc, chans, reqs, err := ssh.NewClientConn(nc, addr, cc)
	if !stop() {
		if err == nil {
			_ = sc.Close()
		}
		_ = nc.Close()
		return nil, h.dialError(ctx, ctx.Err())
	}
	if err != nil {
		_ = nc.Close()
		var hk *HostKeyError
		if errors.As(err, &hk) {
			return nil, hk
		}
		return nil, h.dialError(ctx, err)
	}
	_ = nc.SetDeadline(time.Time{})
	return ssh.NewClient(sc, chans, reqs), nil
}

func (h *Host) dialError(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("connecting to %s: no SSH connection within connect_timeout %s: %w", h.cfg.hostPort(), h.cfg.ConnectTimeout, context.DeadlineExceeded)
	}
	return fmt.Errorf("connecting to %s: %w", h.cfg.hostPort(), err)
}

// authMethods offers the configured key first, then the agent's keys. The
// returned func closes the agent socket after the handshake.
func (h *Host) authMethods() ([]ssh.AuthMethod, func(), error) {
	var signers []ssh.Signer
	if h.signer != nil {
		signers = append(signers, h.signer)
	}
	closer := func() {}
	if h.cfg.Agent {
		sock := h.cfg.agentSocket()
		ac, err := net.Dial("unix", sock)
		if err != nil {
			if len(signers) == 0 {
				return nil, closer, &ConfigError{Host: h.cfg.Name, Attribute: "agent_socket", Message: fmt.Sprintf("cannot reach the ssh-agent: %v", err)}
			}
		} else {
			closer = func() { _ = ac.Close() }
			agentSigners, err := agent.NewClient(ac).Signers()
			if err != nil && len(signers) == 0 {
				closer()
				return nil, func() {}, fmt.Errorf("listing the ssh-agent's keys: %w", err)
			}
			signers = append(signers, agentSigners...)
		}
	}
	return []ssh.AuthMethod{ssh.PublicKeys(signers...)}, closer, nil
}
