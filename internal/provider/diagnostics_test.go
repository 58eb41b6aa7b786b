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

// TestErrorTextsKeepNames: a detail that starts with an error's text keeps
// a host name, a path or a dataset name as written; only a plain word is
// raised to start the sentence.
func TestErrorTextsKeepNames(t *testing.T) {
	tests := []struct{ in, want string }{
		{"f0: /keys: the key's directory does not exist", "f0: /keys: the key's directory does not exist"},
		{"nas: command \"x\" exited 1", "nas: command \"x\" exited 1"},
		{"/keys/f0.key is not a file", "/keys/f0.key is not a file"},
		{"zdata/enc: dataset does not exist", "zdata/enc: dataset does not exist"},
		{"no host has a good copy of the key", "No host has a good copy of the key"},
		{"the key files differ: f0:/keys/k holds another key", "The key files differ: f0:/keys/k holds another key"},
		{`host "f0" is not available`, `Host "f0" is not available`},
		{"", ""},
	}
	for _, tt := range tests {
		if got := sentence(tt.in); got != tt.want {
			t.Errorf("sentence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The diagnostics of f3s_zfs_key that start with an error's text.
	err := fmt.Errorf("f0: /keys: %w", errors.New("the key's directory does not exist"))
	for _, d := range []diag.Diagnostic{
		keyDirectoryMissingDiag(err), zfsKeyConflictDiag("create ZFS key", err), zfsKeyLostErrorDiag(err),
		zfsKeyInUseDiag(err), multiHostErrorDiag("create ZFS key", "", err),
	} {
		if !strings.HasPrefix(d.Detail(), "f0: /keys:") {
			t.Errorf("%s: detail %q does not start with the host as configured", d.Summary(), d.Detail())
		}
	}
}
