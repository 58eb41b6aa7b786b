package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// Run runs cmd through /bin/sh -c, wrapped in the host's become. A non-zero
// exit returns the Result and a *CommandError; a command that could not be
// started or whose end was not seen returns a *TransportError.
func (h *Host) Run(ctx context.Context, cmd Command) (Result, error) {
	return h.run(ctx, cmd, h.become())
}

// become is the escalation actually used: none for root, who needs none.
func (h *Host) become() Become {
	if h.cfg.User == "root" {
		return BecomeNone
	}
	return h.cfg.Become
}

// inner is the shell text of cmd before become and the outer /bin/sh -c.
func (cmd Command) inner() (string, error) {
	switch {
	case len(cmd.Argv) > 0 && cmd.Script != "":
		return "", errors.New("command has both Argv and Script")
	case len(cmd.Argv) == 0 && cmd.Script == "":
		return "", errors.New("empty command")
	case len(cmd.Argv) > 0 && cmd.Argv[0] == "":
		return "", errors.New("empty command name")
	}
	for _, w := range cmd.Argv {
		if strings.IndexByte(w, 0) >= 0 {
			return "", errors.New("argument contains a NUL byte")
		}
	}
	if strings.IndexByte(cmd.Script, 0) >= 0 {
		return "", errors.New("script contains a NUL byte")
	}
	if len(cmd.Argv) > 0 {
		return Join(cmd.Argv), nil
	}
	return cmd.Script, nil
}

// CommandLine is the exact line sent to the server for cmd under become:
// /bin/sh -c '<inner>', the inner text prefixed with doas -n or sudo -n --.
// The login shell only has to parse that one single-quoted word.
func CommandLine(cmd Command, become Become) (string, error) {
	inner, err := cmd.inner()
	if err != nil {
		return "", err
	}
	var prefix string
	switch become {
	case BecomeDoas:
		prefix = "doas -n "
	case BecomeSudo:
		prefix = "sudo -n -- "
	}
	if prefix != "" {
		if len(cmd.Argv) > 0 {
			inner = prefix + inner
		} else {
			inner = prefix + "/bin/sh -c " + Quote(inner)
		}
	}
	return "/bin/sh -c " + Quote(inner), nil
}

func (h *Host) run(ctx context.Context, cmd Command, become Become) (Result, error) {
	inner, err := cmd.inner()
	shown := redact(inner, cmd.Redact)
	if err != nil {
		return Result{ExitCode: -1}, &TransportError{Host: h.cfg.Name, Command: shown, Err: err}
	}
	line, _ := CommandLine(cmd, become)
	start := time.Now()
	fields := map[string]any{"host": h.cfg.Name, "command": shown, "become": string(become)}

	s, c, err := h.openSession(ctx)
	if err != nil {
		fields["error"] = redact(err.Error(), cmd.Redact)
		h.log.Debug(ctx, "ssh command not started", fields)
		return Result{ExitCode: -1}, &TransportError{Host: h.cfg.Name, Command: shown, Err: err}
	}
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	var stdin io.WriteCloser
	if cmd.Stdin != nil {
		if stdin, err = s.StdinPipe(); err != nil {
			_ = s.Close()
			h.release(c)
			return Result{ExitCode: -1}, &TransportError{Host: h.cfg.Name, Command: shown, Err: err}
		}
	}
	if err := s.Start(line); err != nil {
		// The exec request may have reached the server: never retry it.
		_ = s.Close()
		h.release(c)
		return Result{ExitCode: -1}, &TransportError{Host: h.cfg.Name, Command: shown, MayHaveRun: true, Err: err}
	}
	h.commands.Add(1)

	stdinErr := make(chan error, 1)
	if stdin != nil {
		go func() {
			src := &readErrRecorder{r: cmd.Stdin}
			_, _ = io.Copy(stdin, src)
			if src.err != nil {
				// A partial stdin must not look complete: tear the session down
				// instead of sending EOF.
				stdinErr <- src.err
				_ = s.Signal(ssh.SIGTERM)
				_ = s.Close()
				return
			}
			// Either all was sent, or the command stopped reading (a write
			// error), which is its business: its exit status tells.
			_ = stdin.Close()
		}()
	}
	waitc := make(chan error, 1)
	ended := make(chan struct{})
	go func() {
		waitc <- s.Wait()
		close(ended)
	}()

	var waitErr error
	select {
	case waitErr = <-waitc:
		_ = s.Close()
		h.release(c)
	case <-ctx.Done():
		_ = s.Signal(ssh.SIGTERM)
		h.closeSession(ctx, s, c, ended)
		fields["error"] = ctx.Err().Error()
		h.log.Debug(ctx, "ssh command cancelled", fields)
		return Result{ExitCode: -1}, &TransportError{Host: h.cfg.Name, Command: shown, MayHaveRun: true, Err: ctx.Err()}
	}

	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	fields["duration_ms"] = time.Since(start).Milliseconds()
	select {
	case err := <-stdinErr:
		res.ExitCode = -1
		fields["error"] = redact(err.Error(), cmd.Redact)
		h.log.Debug(ctx, "ssh command stdin failed", fields)
		return res, &TransportError{Host: h.cfg.Name, Command: shown, MayHaveRun: true, Err: fmt.Errorf("reading stdin: %w", err)}
	default:
	}

	var exitErr *ssh.ExitError
	var missing *ssh.ExitMissingError
	switch {
	case waitErr == nil:
		fields["exit_code"] = 0
		h.log.Debug(ctx, "ssh command", fields)
		return res, nil
	case errors.As(waitErr, &exitErr) && exitErr.Signal() == "":
		res.ExitCode = exitErr.ExitStatus()
		fields["exit_code"] = res.ExitCode
		h.log.Debug(ctx, "ssh command", fields)
		return res, &CommandError{
			Host:     h.cfg.Name,
			Command:  shown,
			ExitCode: res.ExitCode,
			Stderr:   redact(string(res.Stderr), cmd.Redact),
			Stdout:   redact(string(res.Stdout), cmd.Redact),
		}
	case errors.As(waitErr, &exitErr):
		res.ExitCode = -1
		err = fmt.Errorf("killed by signal SIG%s", exitErr.Signal())
	case errors.As(waitErr, &missing):
		res.ExitCode = -1
		err = errors.New("the connection ended without an exit status")
	default:
		res.ExitCode = -1
		err = waitErr
	}
	fields["error"] = redact(err.Error(), cmd.Redact)
	h.log.Debug(ctx, "ssh command failed", fields)
	return res, &TransportError{Host: h.cfg.Name, Command: shown, MayHaveRun: true, Err: err}
}

// readErrRecorder tells the caller's read errors apart from write errors
// on the session.
type readErrRecorder struct {
	r   io.Reader
	err error
}

func (r *readErrRecorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = err
	}
	return n, err
}
