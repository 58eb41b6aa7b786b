package host

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func writeKnownHosts(t *testing.T, lines ...string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func knownLine(srv *testServer, key ssh.PublicKey) string {
	return knownhosts.Line([]string{net.JoinHostPort("127.0.0.1", strconv.Itoa(srv.port))}, key)
}

func TestHostKeyVerification(t *testing.T) {
	srv := newTestServer(t)
	presented := srv.hostKeys[0].PublicKey()
	other := newEd25519Signer(t).PublicKey()
	tests := []struct {
		name    string
		modify  func(c *Config)
		wantErr []string // substrings; nil means the connection works
	}{
		{"pinned", func(c *Config) {}, nil},
		{"known_hosts", func(c *Config) {
			c.HostKey, c.KnownHostsFile = "", writeKnownHosts(t, knownLine(srv, presented))
		}, nil},
		{"insecure", func(c *Config) { c.HostKey, c.InsecureIgnoreHostKey = "", true }, nil},
		{"unknown host", func(c *Config) {
			c.HostKey, c.KnownHostsFile = "", writeKnownHosts(t, "# empty")
		}, []string{`host "f0"`, "127.0.0.1:" + strconv.Itoa(srv.port), "not in known_hosts", ssh.FingerprintSHA256(presented), "ssh-ed25519", "ssh-keyscan", "host_key"}},
		{"changed key", func(c *Config) {
			c.HostKey, c.KnownHostsFile = "", writeKnownHosts(t, knownLine(srv, other))
		}, []string{`host "f0"`, "HOST KEY CHANGED", ssh.FingerprintSHA256(presented), ssh.FingerprintSHA256(other)}},
		{"pinned mismatch", func(c *Config) {
			c.HostKey = string(ssh.MarshalAuthorizedKey(other))
		}, []string{`host "f0"`, "does not match host_key", ssh.FingerprintSHA256(presented)}},
		{"revoked", func(c *Config) {
			c.HostKey, c.KnownHostsFile = "", writeKnownHosts(t, "@revoked * "+strings.TrimSpace(string(ssh.MarshalAuthorizedKey(presented))))
		}, []string{"revoked", ssh.FingerprintSHA256(presented)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := srv.config("f0")
			tt.modify(&c)
			h := mustHost(t, newPool(t, c), "f0")
			before, _, _ := srv.stats()
			_, err := h.Run(context.Background(), Command{Argv: []string{"true"}})
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var hk *HostKeyError
			if !errors.As(err, &hk) {
				t.Fatalf("Run = %v, want a HostKeyError", err)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if after, _, _ := srv.stats(); after-before != 1 {
				t.Errorf("a host key refusal was retried: %d connections", after-before)
			}
		})
	}
}

// A host with several keys must present the one known_hosts has, not the
// one the client would prefer by default (ECDSA before Ed25519 in x/crypto).
func TestHostKeyAlgorithmsFollowKnownHosts(t *testing.T) {
	ed := newEd25519Signer(t)
	srv := newTestServer(t, withHostKeys(ed, newECDSASigner(t)))
	for _, pinned := range []bool{false, true} {
		c := srv.config("f0")
		c.HostKey = ""
		if pinned {
			c.HostKey = string(ssh.MarshalAuthorizedKey(ed.PublicKey()))
		} else {
			c.KnownHostsFile = writeKnownHosts(t, knownLine(srv, ed.PublicKey()))
		}
		h := mustHost(t, newPool(t, c), "f0")
		if _, err := h.Run(context.Background(), Command{Argv: []string{"true"}}); err != nil {
			t.Fatalf("pinned=%v: %v", pinned, err)
		}
	}
	// Without the restriction the same server presents its ECDSA key.
	c := srv.config("f0")
	c.HostKey, c.KnownHostsFile = "", writeKnownHosts(t, "# empty")
	_, err := mustHost(t, newPool(t, c), "f0").Run(context.Background(), Command{Argv: []string{"true"}})
	if err == nil || !strings.Contains(err.Error(), "ecdsa-sha2-nistp256") {
		t.Fatalf("unrestricted: %v, want the ECDSA key presented", err)
	}
}

func TestHostKeyErrorMessage(t *testing.T) {
	e := &HostKeyError{Host: "f0", Address: "10.0.0.1:22", KeyType: "ssh-ed25519", Fingerprint: "SHA256:abc", Problem: "the host is not in known_hosts file kh", Hint: "add it"}
	want := `host "f0" (10.0.0.1:22): the host is not in known_hosts file kh: the server presented a ssh-ed25519 key SHA256:abc; add it`
	if e.Error() != want {
		t.Errorf("got %s", e)
	}
}
