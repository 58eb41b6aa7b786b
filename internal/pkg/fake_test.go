package pkg

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// call is one command a test expects, and what the host answers.
type call struct {
	line           string // host.Join(argv) or the script
	stdout, stderr string
	code           int
}

// scriptedTarget answers the expected commands in order and fails the
// test on any other; it records whether commands ran under the lock.
type scriptedTarget struct {
	t      *testing.T
	info   host.Info
	calls  []call
	locked bool
	// unlocked counts commands that ran without the lock held.
	unlocked int
}

func newScripted(t *testing.T, calls ...call) *scriptedTarget {
	t.Helper()
	s := &scriptedTarget{t: t, info: host.Info{OS: "FreeBSD", Distro: "freebsd", Release: "14.2-RELEASE"}, calls: calls}
	t.Cleanup(func() {
		if len(s.calls) > 0 {
			t.Errorf("commands not run: %q", s.calls[0].line)
		}
	})
	return s
}

func (s *scriptedTarget) Name() string { return "f0" }

func (s *scriptedTarget) Run(_ context.Context, cmd host.Command) (host.Result, error) {
	s.t.Helper()
	line := cmd.Script
	if len(cmd.Argv) > 0 {
		line = host.Join(cmd.Argv)
	}
	if len(s.calls) == 0 {
		s.t.Fatalf("unexpected command %q", line)
	}
	c := s.calls[0]
	s.calls = s.calls[1:]
	if c.line != line {
		s.t.Fatalf("command %q, want %q", line, c.line)
	}
	if !s.locked {
		s.unlocked++
	}
	res := host.Result{Stdout: []byte(c.stdout), Stderr: []byte(c.stderr), ExitCode: c.code}
	if c.code != 0 {
		return res, &host.CommandError{Host: "f0", Command: line, ExitCode: c.code, Stdout: c.stdout, Stderr: c.stderr}
	}
	return res, nil
}

func (s *scriptedTarget) Info(context.Context) (host.Info, error) { return s.info, nil }

func (s *scriptedTarget) ReadFile(context.Context, string) ([]byte, error) {
	return nil, fmt.Errorf("not scripted")
}

func (s *scriptedTarget) Stat(context.Context, string) (host.FileInfo, error) {
	return host.FileInfo{}, fmt.Errorf("not scripted")
}

func (s *scriptedTarget) WriteFile(context.Context, string, io.Reader, host.FileOptions) error {
	return fmt.Errorf("not scripted")
}

func (s *scriptedTarget) Remove(context.Context, string) error { return fmt.Errorf("not scripted") }

func (s *scriptedTarget) Lock(context.Context, string) (func(), error) {
	if s.locked {
		s.t.Fatal("lock taken twice")
	}
	s.locked = true
	return func() { s.locked = false }, nil
}
