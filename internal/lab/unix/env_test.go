package unix

import (
	"os/exec"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// envIScript is the shape the CARP scripts run under cron: an empty
// environment with cron's PATH, a script that sets its own PATH and runs
// a program from it. The child must get the script's PATH.
const envIScript = `env -i PATH=/usr/bin:/bin /bin/sh -c 'PATH=/sbin:/bin:/usr/bin; export PATH; sh -c "echo \$PATH"'`

func TestEnvIReassignedPath(t *testing.T) {
	for _, os := range []sim.OS{sim.FreeBSD, sim.Rocky} {
		h := newHost(t, os, "h")
		check(t, string(os), run(t, h, "", envIScript), result{out: "/sbin:/bin:/usr/bin\n"})
	}
	// The expectation itself, on the real shells of this machine.
	for _, shell := range []string{"dash", "bash"} {
		bin, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s not installed: not compared", shell)
			continue
		}
		out, err := exec.Command(bin, "-c", envIScript).CombinedOutput()
		if err != nil || string(out) != "/sbin:/bin:/usr/bin\n" {
			t.Errorf("%s: %q %v", shell, out, err)
		}
	}
}
