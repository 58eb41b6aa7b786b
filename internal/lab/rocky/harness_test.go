package rocky

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/unix"
)

// clock is a test host's settable clock; tests move it explicitly.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) advance(d time.Duration) { c.now = c.now.Add(d) }

// newHost starts a fresh Rocky host named name with the unix utilities and
// this package, on a fixed clock.
func newHost(t *testing.T, name string) (*sim.Host, *clock) {
	t.Helper()
	c := &clock{now: time.Date(2025, time.July, 6, 10, 0, 0, 0, time.UTC)}
	base := unix.Commands(sim.Rocky).Merge(Commands())
	seedClock := func(h *sim.Host) error { h.SetClock(c.Now); return nil }
	h, err := sim.NewHost(t.TempDir(), name, sim.Rocky, base, PackageCommands(), seedClock, unix.Seed(sim.Rocky), Seed)
	if err != nil {
		t.Fatalf("NewHost: %v", err)
	}
	h.SetClock(c.Now)
	t.Cleanup(func() { h.Close() })
	return h, c
}

type result struct {
	out, err string
	code     int
}

// run runs script through /bin/sh -c as user ("" is the login user paul).
func run(t *testing.T, h *sim.Host, user, script string) result {
	t.Helper()
	u := h.LoginUser
	if user != "" {
		var ok bool
		if u, ok = h.LookupUser(user); !ok {
			t.Fatalf("no user %s", user)
		}
	}
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := h.NewProc(ctx, u, strings.NewReader(""), &out, &errb)
	code := h.Exec(p, []string{"/bin/sh", "-c", script})
	return result{out: out.String(), err: errb.String(), code: code}
}

// expect checks a command's full stdout, stderr and exit status.
func expect(t *testing.T, h *sim.Host, user, script string, want result) {
	t.Helper()
	got := run(t, h, user, script)
	if got != want {
		t.Errorf("%s\n got: code=%d\nstdout:\n%s\nstderr:\n%s\nwant: code=%d\nstdout:\n%s\nstderr:\n%s", script, got.code, got.out, got.err, want.code, want.out, want.err)
	}
}

// mustRun runs a setup step that has to succeed.
func mustRun(t *testing.T, h *sim.Host, user, script string) result {
	t.Helper()
	r := run(t, h, user, script)
	if r.code != 0 {
		t.Fatalf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", script, r.code, r.out, r.err)
	}
	return r
}
