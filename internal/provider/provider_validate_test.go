package provider

import (
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// errorMatching matches the parts in order. Terraform wraps long diagnostic
// lines, so any run of spaces in a part matches any white space.
func errorMatching(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// providerBlock renders a provider block with hosts f0 and f1 (f1 behind f0)
// that passes validation; the edit callbacks replace single settings.
func providerBlock(k testKey, defaults string, f0, f1 string) string {
	return fmt.Sprintf(`
provider "f3s" {
  defaults = {
    user             = "paul"
    private_key_file = %[1]q
    %[2]s
  }
  hosts = {
    f0 = {
      address  = "127.0.0.1"
      host_key = %[3]q
      %[4]s
    }
    f1 = {
      address   = "127.0.0.2"
      host_key  = %[3]q
      jump_host = "f0"
      %[5]s
    }
  }
}
`, k.File, defaults, k.PublicKey, f0, f1)
}

const hostDataSourceF0 = `
data "f3s_host" "test" {
  host = "f0"
}
`

func TestProviderConfigErrors(t *testing.T) {
	k := newTestKey(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")

	tests := []struct {
		name     string
		defaults string
		f0, f1   string
		data     string
		config   string // replaces the provider block
		want     *regexp.Regexp
	}{
		{
			name: "address with port",
			f0:   `address = "f0.lan:22"`,
			want: errorMatching(`Invalid Host Address`, `hosts["f0"].address`, `set the port in port`),
		},
		{
			name: "address with scheme",
			f0:   `address = "ssh://f0.lan"`,
			want: errorMatching(`Invalid Host Address`, `must not include a scheme`),
		},
		{
			name: "address with space",
			f1:   `address = "f1 .lan"`,
			want: errorMatching(`Invalid Host Address`, `hosts["f1"].address`, `white space`),
		},
		{
			name: "address with user",
			f0:   `address = "paul@f0.lan"`,
			want: errorMatching(`Invalid Host Address`, `set the user in user`),
		},
		{
			name: "port out of range",
			f0:   `port = 70000`,
			want: errorMatching(`hosts["f0"].port`, `must be between 1 and 65535`),
		},
		{
			name:     "missing key file",
			defaults: fmt.Sprintf(`private_key_file = %q`, missing),
			want:     errorMatching(`Invalid File`, `defaults.private_key_file`, missing+" does not exist"),
		},
		{
			name: "known_hosts file missing",
			f0:   fmt.Sprintf(`known_hosts_file = %q`, missing),
			want: errorMatching(`Invalid File`, `hosts["f0"].known_hosts_file`, "does not exist"),
		},
		{
			name:     "known_hosts not a file",
			defaults: fmt.Sprintf(`known_hosts_file = %q`, dir),
			want:     errorMatching(`Invalid File`, `defaults.known_hosts_file`, "is not a regular file"),
		},
		{
			name: "become unknown value",
			f0:   `become = "su"`,
			want: errorMatching(`hosts["f0"].become`, `value must be one of`, `"doas"`),
		},
		{
			name:     "become unknown value in defaults",
			defaults: `become = "pfexec"`,
			want:     errorMatching(`defaults.become`, `value must be one of`),
		},
		{
			name: "jump host cycle",
			f0:   `jump_host = "f1"`,
			want: errorMatching(`Jump Host Cycle`, `f0 -> f1 -> f0`),
		},
		{
			name: "jump host to itself",
			f1:   `jump_host = "f1"`,
			want: errorMatching(`Jump Host Cycle`, `f1 -> f1`),
		},
		{
			name: "jump host not configured",
			f0:   `jump_host = "f7"`,
			want: errorMatching(`Unknown Jump Host`, `"f7" is not a host in hosts`, `Configured hosts: f0, f1`),
		},
		{
			name: "max_sessions out of range",
			f0:   `max_sessions = 65`,
			want: errorMatching(`hosts["f0"].max_sessions`, `must be between 1 and 64`),
		},
		{
			name:     "connect_timeout not a duration",
			defaults: `connect_timeout = "30 seconds"`,
			want:     errorMatching(`Invalid Duration`, `defaults.connect_timeout`),
		},
		{
			name: "host_key not a key",
			f0:   `host_key = "ssh-ed25519 AAAAnotakey"`,
			want: errorMatching(`Invalid Host Key`, `hosts["f0"].host_key`),
		},
		{
			name: "host_key with insecure_ignore_host_key",
			f0:   `insecure_ignore_host_key = true`,
			want: errorMatching(`Invalid Attribute Combination`),
		},
		{
			name: "private_key not a key",
			f0:   `private_key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"`,
			want: errorMatching(`Invalid Private Key`, `hosts["f0"].private_key`),
		},
		{
			name:     "private_key and private_key_file together",
			defaults: fmt.Sprintf(`private_key = %q`, k.PEM),
			want:     errorMatching(`Invalid Attribute Combination`),
		},
		{
			name: "host name not configured",
			data: `
data "f3s_host" "test" {
  host = "f9"
}
`,
			want: errorMatching(`Unknown Host`, `Host "f9" is not configured`, `Configured hosts: f0, f1.`),
		},
		{
			name: "host name with a space",
			config: `
provider "f3s" {
  hosts = {
    "f 0" = { address = "127.0.0.1" }
  }
}
`,
			want: errorMatching(`must start with a letter or digit`),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data
			if data == "" {
				data = hostDataSourceF0
			}
			config := tc.config
			if config == "" {
				config = providerBlock(k, tc.defaults, tc.f0, tc.f1)
			}
			unitTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:      config + data,
					PlanOnly:    true,
					ExpectError: tc.want,
				}},
			})
		})
	}
}

// TestProviderConfigureErrors covers problems found once every layer is
// merged: they depend on the environment, not on one attribute.
func TestProviderConfigureErrors(t *testing.T) {
	k := newTestKey(t)
	tests := []struct {
		name   string
		env    map[string]string
		config string
		want   *regexp.Regexp
	}{
		{
			name: "no host key policy and no known_hosts file",
			config: fmt.Sprintf(`
provider "f3s" {
  hosts = { f0 = { address = "127.0.0.1", private_key_file = %q } }
}`, k.File),
			want: errorMatching(`No Host Key Verification`, `hosts["f0"] has no host_key`, `the default known_hosts_file`, `does not exist`),
		},
		{
			name: "no authentication method",
			env:  map[string]string{"SSH_AUTH_SOCK": ""},
			config: fmt.Sprintf(`
provider "f3s" {
  hosts = { f0 = { address = "127.0.0.1", host_key = %q } }
}`, k.PublicKey),
			want: errorMatching(`Invalid Host Configuration`, `no authentication method`),
		},
		{
			name: "key file from the environment missing",
			env:  map[string]string{envPrivateKeyFile: "/nonexistent/id_ed25519"},
			config: fmt.Sprintf(`
provider "f3s" {
  hosts = { f0 = { address = "127.0.0.1", host_key = %q } }
}`, k.PublicKey),
			want: errorMatching(`Unable to Read Private Key File`, envPrivateKeyFile),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HOME", t.TempDir())
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			unitTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:      tc.config + hostDataSourceF0,
					PlanOnly:    true,
					ExpectError: tc.want,
				}},
			})
		})
	}
}

// countingListener accepts TCP connections on loopback and counts them.
func countingListener(t *testing.T) (port int, accepted *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	accepted = new(atomic.Int64)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			_ = c.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port, accepted
}

// TestProviderConfigureDoesNotDial plans a configuration whose hosts are
// never used: nothing may connect to them. A host whose address is unknown
// until apply does not fail the plan either.
func TestProviderConfigureDoesNotDial(t *testing.T) {
	k := newTestKey(t)
	port, accepted := countingListener(t)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "addr" {
  input = "127.0.0.1"
}

provider "f3s" {
  defaults = { private_key_file = %[1]q, port = %[2]d }
  hosts = {
    f0 = { address = "127.0.0.1", host_key = %[3]q }
    f1 = { address = terraform_data.addr.output, host_key = %[3]q }
  }
}
`, k.File, port, k.PublicKey),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
	if n := accepted.Load(); n != 0 {
		t.Errorf("planning opened %d connections to a host nothing uses, want 0", n)
	}
}

// TestHostDataSourceUnknownHostWithDeferredHosts checks that a host whose
// settings are unknown still counts as configured for the plan-time check.
func TestHostDataSourceUnknownHostWithDeferredHosts(t *testing.T) {
	k := newTestKey(t)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "addr" {
  input = "127.0.0.1"
}

provider "f3s" {
  defaults = { private_key_file = %[1]q }
  hosts = {
    f0 = { address = "127.0.0.1", host_key = %[2]q }
    f1 = { address = terraform_data.addr.output, host_key = %[2]q }
  }
}

data "f3s_host" "test" {
  host = "f2"
}
`, k.File, k.PublicKey),
			PlanOnly:    true,
			ExpectError: errorMatching(`Unknown Host`, `Configured hosts: f0, f1.`),
		}},
	})
}

// TestHostDataSourceConnectionRefused reads a host whose port is closed: the
// error must say that the connection failed and name the host.
func TestHostDataSourceConnectionRefused(t *testing.T) {
	k := newTestKey(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "f3s" {
  hosts = {
    f0 = { address = "127.0.0.1", port = %d, private_key_file = %q, host_key = %q, connect_timeout = "5s" }
  }
}
`, port, k.File, k.PublicKey) + hostDataSourceF0,
			PlanOnly:    true,
			ExpectError: errorMatching(`Unable to Connect to Host`, `f0:`, `connection refused`, `sshd runs on it`),
		}},
	})
}
