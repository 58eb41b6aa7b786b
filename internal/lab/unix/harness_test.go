package unix

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// fixedNow is the clock of every test host, so that dates are reproducible.
var fixedNow = time.Date(2025, time.July, 1, 19, 31, 48, 0, time.UTC)

// newHost starts a fresh host of os named name in a temporary directory,
// with this package's utilities and image only.
func newHost(t *testing.T, os sim.OS, name string) *sim.Host {
	t.Helper()
	h, err := sim.NewHost(t.TempDir(), name, os, Commands(os), nil, Seed(os))
	if err != nil {
		t.Fatalf("NewHost: %v", err)
	}
	h.SetClock(func() time.Time { return fixedNow })
	t.Cleanup(func() { h.Close() })
	return h
}

// result is what a script printed and returned.
type result struct {
	out, err string
	code     int
}

// run runs script through the host's /bin/sh -c as user (the login user
// when "", "root" for root), as an SSH exec request would.
func run(t *testing.T, h *sim.Host, user, script string) result {
	t.Helper()
	return runIn(t, h, user, script, "")
}

func runIn(t *testing.T, h *sim.Host, user, script, stdin string) result {
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
	p := h.NewProc(ctx, u, strings.NewReader(stdin), &out, &errb)
	code := h.Exec(p, []string{"/bin/sh", "-c", script})
	return result{out: out.String(), err: errb.String(), code: code}
}

// check compares a result with the expected one.
func check(t *testing.T, name string, got, want result) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got  out=%q err=%q code=%d\n want out=%q err=%q code=%d",
			name, got.out, got.err, got.code, want.out, want.err, want.code)
	}
}
