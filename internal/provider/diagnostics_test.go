package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// diagPath is the attribute path a diagnostic points at, or "".
func diagPath(d diag.Diagnostic) string {
	if p, ok := d.(diag.DiagnosticWithPath); ok {
		return p.Path().String()
	}
	return ""
}

func TestHostErrorDiag(t *testing.T) {
	hostKey := &host.HostKeyError{Host: "f0", Address: "127.0.0.1:22", KeyType: "ssh-ed25519",
		Fingerprint: "SHA256:abc", Problem: "the host key does not match host_key", Hint: "update host_key"}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"host key mismatch", hostKey, "Unable to Verify Host Key"},
		{"host key mismatch, wrapped", &host.TransportError{Host: "f0", Err: fmt.Errorf("dial: %w", hostKey)}, "Unable to Verify Host Key"},
		{"no connection", &host.TransportError{Host: "f0", Command: "uname", Err: errors.New("connection refused")}, "Unable to Connect to Host"},
		{"connection lost mid-command", &host.TransportError{Host: "f0", Command: "uname", MayHaveRun: true, Err: errors.New("EOF")}, "Unable to Read Host Information"},
		{"command failed", &host.CommandError{Host: "f0", Command: "uname", ExitCode: 127, Stderr: "uname: not found"}, "Unable to Read Host Information"},
		{"other", context.Canceled, "Unable to Read Host Information"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := hostErrorDiag("read host information", "f0", tc.err)
			if d.Summary() != tc.want {
				t.Errorf("summary = %q, want %q", d.Summary(), tc.want)
			}
			if want := tc.err.Error(); !strings.Contains(d.Detail(), want) {
				t.Errorf("detail %q does not carry the error %q", d.Detail(), want)
			}
		})
	}
}
