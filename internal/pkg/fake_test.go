package pkg

import (
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host/hosttest"
)

// call is one command a test expects, and what the host answers; the
// tables stay short with positional fields.
type call struct {
	line           string
	stdout, stderr string
	code           int
}

func newScripted(t *testing.T, calls ...call) *hosttest.Scripted {
	t.Helper()
	cs := make([]hosttest.Call, len(calls))
	for i, c := range calls {
		cs[i] = hosttest.Call{Line: c.line, Stdout: c.stdout, Stderr: c.stderr, Code: c.code}
	}
	return hosttest.New(t, cs...)
}
