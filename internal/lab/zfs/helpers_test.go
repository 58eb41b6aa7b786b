package zfs

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// testNow is the fixed clock of test hosts (EEST, as the article's hosts).
var testNow = time.Date(2025, 7, 1, 22, 31, 48, 0, time.FixedZone("EEST", 3*3600))

// newTestHost opens a seeded FreeBSD host with zfs and zpool in a temp dir.
func newTestHost(t testing.TB) *sim.Host {
	t.Helper()
	h, err := sim.NewHost(t.TempDir(), "f0", sim.FreeBSD, Commands(), nil, func(h *sim.Host) error {
		h.SetClock(func() time.Time { return testNow })
		return Seed(h)
	})
	if err != nil {
		t.Fatal(err)
	}
	h.SetClock(func() time.Time { return testNow })
	t.Cleanup(func() { _ = h.Close() })
	return h
}

// result is the outcome of one command line.
type result struct {
	out, err string
	rc       int
}

// run runs a shell command line on h as u (root when zero).
func run(t testing.TB, h *sim.Host, script string, stdin ...string) result {
	t.Helper()
	return runAs(t, h, h.Root(), script, stdin...)
}

// syncBuffer is a buffer the commands of a pipeline may share, as they
// share a real file descriptor.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runAs(t testing.TB, h *sim.Host, u sim.User, script string, stdin ...string) result {
	t.Helper()
	var out, errb syncBuffer
	var in *strings.Reader
	if len(stdin) > 0 {
		in = strings.NewReader(stdin[0])
	} else {
		in = strings.NewReader("")
	}
	p := h.NewProc(context.Background(), u, in, &out, &errb)
	rc := h.Shell(p, script, nil)
	return result{out.String(), errb.String(), rc}
}

// must runs a command line that must succeed silently on stderr.
func must(t testing.TB, h *sim.Host, script string, stdin ...string) string {
	t.Helper()
	r := run(t, h, script, stdin...)
	if r.rc != 0 || r.err != "" {
		t.Fatalf("%s: rc=%d stderr=%q stdout=%q", script, r.rc, r.err, r.out)
	}
	return r.out
}

// writeKey writes a key file into the tree as root.
func writeKey(t testing.TB, h *sim.Host, path string, key []byte) {
	t.Helper()
	if err := h.Tree.MkdirAll(h.Root(), dirOf(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := h.Tree.WriteFile(h.Root(), path, key, 0o400); err != nil {
		t.Fatal(err)
	}
}
