// Package labtest starts lab hosts for a test: in a temporary directory,
// stopped at the end of the test, with no state shared between tests, so
// tests using it may run in parallel.
package labtest

import (
	"context"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Start starts one lab with the hosts named by specs ("f0:freebsd",
// "r0:rocky") and closes it when the test ends. Without specs it starts
// one FreeBSD host, f0.
func Start(t testing.TB, specs ...string) *lab.Lab {
	t.Helper()
	if len(specs) == 0 {
		specs = []string{"f0:freebsd"}
	}
	var hosts []lab.HostSpec
	for _, s := range specs {
		name, os, ok := strings.Cut(s, ":")
		if !ok || (sim.OS(os) != sim.FreeBSD && sim.OS(os) != sim.Rocky) {
			t.Fatalf("labtest: host spec %q: want NAME:freebsd or NAME:rocky", s)
		}
		hosts = append(hosts, lab.HostSpec{Name: name, OS: sim.OS(os)})
	}
	l, err := lab.Start(context.Background(), lab.Options{Dir: t.TempDir(), Hosts: hosts})
	if err != nil {
		t.Fatalf("labtest: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("labtest: close: %v", err)
		}
	})
	return l
}
