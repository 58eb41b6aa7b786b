// Package hosttest has a scripted host.Target for the unit tests of domain
// packages: it answers an expected sequence of commands and fails the test
// on any other, so a test pins the exact argv and scripts a domain sends.
package hosttest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Call is one command a test expects, and what the host answers.
type Call struct {
	Line           string // host.Join(argv), or the script
	Stdout, Stderr string
	Code           int
}

// FreeBSD is the Info a Scripted target reports unless a test sets another.
var FreeBSD = host.Info{OS: "FreeBSD", Distro: "freebsd", Release: "14.2-RELEASE"}

// Scripted answers the expected commands in order. Files are not scripted:
// its file methods fail. It records whether commands ran under Lock.
type Scripted struct {
	// HostInfo is what Info reports: FreeBSD unless a test sets another.
	HostInfo host.Info

	t        testing.TB
	calls    []Call
	held     map[string]bool // paths locked now
	unlocked int
	loose    bool
}

var _ host.Target = (*Scripted)(nil)

// New returns a target that expects calls, in order, and fails t at cleanup
// when some were not run.
func New(t testing.TB, calls ...Call) *Scripted {
	t.Helper()
	s := &Scripted{t: t, HostInfo: FreeBSD, calls: calls}
	t.Cleanup(func() {
		if len(s.calls) > 0 && !s.loose {
			t.Errorf("commands not run: %q", s.calls[0].Line)
		}
	})
	return s
}

// AllowUnused lets calls remain unrun, for a test that scripts more
// answers than the code under test may ask for (polling).
func (s *Scripted) AllowUnused() *Scripted {
	s.loose = true
	return s
}

// Unlocked counts the commands that ran without the lock held.
func (s *Scripted) Unlocked() int { return s.unlocked }

// Name is the host's name.
func (s *Scripted) Name() string { return "f0" }

// Run answers the next expected call. A mismatch is a test error and an
// error to the caller (t.Fatal would be wrong off the test's goroutine).
func (s *Scripted) Run(_ context.Context, cmd host.Command) (host.Result, error) {
	s.t.Helper()
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
	if c.Line != line {
		s.t.Errorf("command %q, want %q", line, c.Line)
		return host.Result{}, fmt.Errorf("unexpected command %q", line)
	}
	if len(s.held) == 0 {
		s.unlocked++
	}
	res := host.Result{Stdout: []byte(c.Stdout), Stderr: []byte(c.Stderr), ExitCode: c.Code}
	if c.Code != 0 {
		return res, &host.CommandError{Host: "f0", Command: line, ExitCode: c.Code, Stdout: c.Stdout, Stderr: c.Stderr}
	}
	return res, nil
}

// Info reports s.HostInfo.
func (s *Scripted) Info(context.Context) (host.Info, error) { return s.HostInfo, nil }

var errNotScripted = errors.New("not scripted")

// ReadFile is not scripted.
func (s *Scripted) ReadFile(context.Context, string) ([]byte, error) { return nil, errNotScripted }

// Stat is not scripted.
func (s *Scripted) Stat(context.Context, string) (host.FileInfo, error) {
	return host.FileInfo{}, errNotScripted
}

// WriteFile is not scripted.
func (s *Scripted) WriteFile(context.Context, string, io.Reader, host.FileOptions) error {
	return errNotScripted
}

// Remove is not scripted.
func (s *Scripted) Remove(context.Context, string) error { return errNotScripted }

// Lock marks the commands run until the unlock as locked. Locks of
// different paths may nest; taking one path's lock twice is a test error
// (the domain would deadlock on a real host).
func (s *Scripted) Lock(_ context.Context, p string) (func(), error) {
	if s.held[p] {
		s.t.Errorf("lock of %s taken twice", p)
		return nil, errors.New("lock taken twice")
	}
	if s.held == nil {
		s.held = map[string]bool{}
	}
	s.held[p] = true
	return func() { delete(s.held, p) }, nil
}
