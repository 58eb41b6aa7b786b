package zfskey

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host/hosttest"
)

// held holds each command of a scripted target until released.
type held struct {
	*hosttest.Scripted
	started chan struct{}
	release chan struct{}
}

func (h *held) Run(ctx context.Context, cmd host.Command) (host.Result, error) {
	h.started <- struct{}{}
	<-h.release
	return h.Scripted.Run(ctx, cmd)
}

func statesLine(t *testing.T, paths ...string) string {
	t.Helper()
	s, err := file.StatesScript(hosttest.FreeBSD, paths)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const keyHash = "4a44dc15364204a80fe80e9039455cc1608281820fe2b24f1e5233ade6af1dd5"

// TestProberOneCommandForTheHost: probes of several keys asked while one
// runs go out as one command; a missing copy is not present; an error
// answers the probes of its command only.
func TestProberOneCommandForTheHost(t *testing.T) {
	h := &held{
		Scripted: hosttest.New(t,
			hosttest.Call{Line: statesLine(t, "/keys/a.key"), Stdout: "f3s-state 0\n0400 root wheel 32 Regular File\n" + keyHash + "\n"},
			hosttest.Call{Line: statesLine(t, "/keys/b.key", "/keys/c.key"), Stdout: "f3s-missing 0\nf3s-state 1\n0644 root wheel 32 Regular File\n" + keyHash + "\n"},
			hosttest.Call{Line: statesLine(t, "/keys/d.key"), Stderr: "stat: /keys/d.key: Permission denied\n", Code: 1},
		),
		started: make(chan struct{}, 3),
		release: make(chan struct{}, 3),
	}
	p := NewProber(h)
	type probe struct {
		path string
		c    Copy
		err  error
	}
	out := make(chan probe, 4)
	ask := func(path string) {
		before := p.batch.Waiting()
		go func() {
			c, err := p.Inspect(context.Background(), path)
			out <- probe{path, c, err}
		}()
		for p.batch.Waiting() == before && len(h.started) == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	ask("/keys/a.key")
	<-h.started
	ask("/keys/b.key")
	ask("/keys/c.key")
	h.release <- struct{}{}
	<-h.started
	h.release <- struct{}{}
	got := map[string]probe{}
	for range 3 {
		r := <-out
		got[r.path] = r
	}
	if c := got["/keys/a.key"].c; !c.Present || c.SHA256 != keyHash || c.Mode != 0o400 {
		t.Errorf("a: %+v", got["/keys/a.key"])
	}
	if r := got["/keys/b.key"]; r.err != nil || r.c.Present {
		t.Errorf("b (missing): %+v", r)
	}
	if c := got["/keys/c.key"].c; !c.Present || c.Mode != 0o644 {
		t.Errorf("c: %+v", got["/keys/c.key"])
	}
	if p.Commands() != 2 {
		t.Errorf("%d commands for 3 probes, want 2", p.Commands())
	}
	ask("/keys/d.key")
	<-h.started
	h.release <- struct{}{}
	var ce *host.CommandError
	if r := <-out; !errors.As(r.err, &ce) || !strings.Contains(r.err.Error(), "Permission denied") {
		t.Errorf("d: %+v, want the command's error", r)
	}
}

// TestProbersMatchHosts: the batched probes of every host find what
// Hosts.Inspect finds, on FreeBSD and Rocky Linux.
func TestProbersMatchHosts(t *testing.T) {
	t.Parallel()
	l, hs := labHosts(t)
	ctx := context.Background()
	exec(t, l, "f0", "dd if=/dev/random of=/keys/k.key bs=32 count=1 2>/dev/null && chmod 400 /keys/k.key")
	exec(t, l, "r0", "mkdir /keys/k.key")
	ps := Probers{}
	for name, tg := range hs {
		ps[name] = NewProber(tg)
	}
	names := []string{"f0", "f1", "r0"}
	for _, p := range []string{"/keys/k.key", "/keys/none.key"} {
		want, err := hs.Inspect(ctx, names, p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ps.Inspect(ctx, names, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if got[n] != want[n] {
				t.Errorf("%s:%s: Probers %+v, Hosts %+v", n, p, got[n], want[n])
			}
		}
	}
	if _, err := ps.Inspect(ctx, []string{"f0", "nowhere"}, "/keys/k.key"); err == nil || !strings.Contains(err.Error(), `"nowhere"`) {
		t.Errorf("an unknown host: %v", err)
	}
}
