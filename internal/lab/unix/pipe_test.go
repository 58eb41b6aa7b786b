package unix

import (
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// An endless device read into a pipe must stop when the reader is done.
func TestEndlessPipe(t *testing.T) {
	t.Parallel()
	h := newHost(t, sim.FreeBSD, "f0")
	check(t, "cat urandom | head", run(t, h, "", "cat /dev/urandom | head -c 32 | wc -c"), result{out: "      32\n"})
}
