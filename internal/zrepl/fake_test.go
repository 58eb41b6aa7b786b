package zrepl

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// call is one command a test expects, and what the host answers.
type call struct {
	line           string
	stdout, stderr string
	code           int
}

// scripted answers the expected commands in order and fails the test on
// any other.
type scripted struct {
	t     *testing.T
	calls []call
}

func newScripted(t *testing.T, calls ...call) *scripted {
	t.Helper()
	s := &scripted{t: t, calls: calls}
	t.Cleanup(func() {
		if len(s.calls) > 0 {
			t.Errorf("commands not run: %q", s.calls[0].line)
		}
	})
	return s
}

func (s *scripted) Name() string { return "f0" }

func (s *scripted) Run(_ context.Context, cmd host.Command) (host.Result, error) {
	line := cmd.Script
	if len(cmd.Argv) > 0 {
		line = host.Join(cmd.Argv)
	}
	if len(s.calls) == 0 {
		s.t.Errorf("unexpected command %q", line)
		return host.Result{}, fmt.Errorf("unexpected command %q", line)
	}
	c := s.calls[0]
	s.calls = s.calls[1:]
	if c.line != line {
		s.t.Errorf("command %q, want %q", line, c.line)
	}
	res := host.Result{Stdout: []byte(c.stdout), Stderr: []byte(c.stderr), ExitCode: c.code}
	if c.code != 0 {
		return res, &host.CommandError{Host: "f0", Command: line, ExitCode: c.code, Stdout: c.stdout, Stderr: c.stderr}
	}
	return res, nil
}

func (s *scripted) Info(context.Context) (host.Info, error) {
	return host.Info{OS: "FreeBSD", Distro: "freebsd"}, nil
}

func (s *scripted) ReadFile(context.Context, string) ([]byte, error) {
	return nil, fmt.Errorf("not scripted")
}

func (s *scripted) Stat(context.Context, string) (host.FileInfo, error) {
	return host.FileInfo{}, fmt.Errorf("not scripted")
}

func (s *scripted) WriteFile(context.Context, string, io.Reader, host.FileOptions) error {
	return fmt.Errorf("not scripted")
}

func (s *scripted) Remove(context.Context, string) error { return fmt.Errorf("not scripted") }

func (s *scripted) Lock(context.Context, string) (func(), error) { return func() {}, nil }
