package provider

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/pki"
)

const (
	serverCertPath = "/usr/local/etc/stunnel/server-cert.pem"
	serverKeyPath  = "/usr/local/etc/stunnel/server-key.pem"
	serverCAPath   = "/usr/local/etc/stunnel/ca-cert.pem"
)

// pkiConfig is the article's PKI: the CA on f0, the server certificate on
// f0 and f1, r0's client certificate. ECDSA keys keep the test quick; the
// real-components tier runs RSA-4096.
func pkiConfig(provider, caExtra, serverExtra string) string {
	return provider + `
resource "f3s_pki_ca" "ca" {
  host          = "f0"
  key_algorithm = "ECDSA-P256"
  subject = {
    country      = "US"
    province     = "State"
    locality     = "City"
    organization = "F3S Storage"
    common_name  = "F3S Stunnel CA"
  }
  ` + caExtra + `
}

resource "f3s_pki_certificate" "server" {
  hosts         = ["f0", "f1"]
  cert_path     = "` + serverCertPath + `"
  key_path      = "` + serverKeyPath + `"
  ca_cert_path  = "` + serverCAPath + `"
  ca_host       = f3s_pki_ca.ca.host
  ca_key_path   = f3s_pki_ca.ca.key_path
  ca_cert_pem   = f3s_pki_ca.ca.cert_pem
  key_algorithm = "ECDSA-P256"
  subject = {
    organization = "F3S Storage"
    common_name  = "f3s-storage-ha.lan"
  }
  usages       = ["server_auth"]
  ip_addresses = ["192.168.1.138"]
  ` + serverExtra + `
}

resource "f3s_pki_certificate" "r0" {
  hosts         = ["r0"]
  cert_path     = "/etc/stunnel/r0-cert.pem"
  key_path      = "/etc/stunnel/r0-key.pem"
  ca_cert_path  = "/etc/stunnel/ca-cert.pem"
  ca_host       = f3s_pki_ca.ca.host
  ca_key_path   = f3s_pki_ca.ca.key_path
  ca_cert_pem   = f3s_pki_ca.ca.cert_pem
  key_algorithm = "ECDSA-P256"
  subject = {
    organization = "F3S Storage"
    common_name  = "r0.lan.buetow.org"
  }
  usages = ["client_auth"]
}
`
}

// hostKeys are the private keys the PKI wrote, read from the lab hosts
// when a check runs, and every spelling in which one could leak.
type hostKeys struct {
	t     *testing.T
	l     *lab.Lab
	files [][2]string // host, path
}

func (k hostKeys) spellings() ([]string, error) {
	var out []string
	for _, f := range k.files {
		text, _, code, err := k.l.Exec(f[0], "cat "+f[1])
		if err != nil || code != 0 {
			continue // not there (yet, or any more): nothing to leak
		}
		b, _ := pem.Decode([]byte(text))
		if b == nil || !strings.Contains(b.Type, "PRIVATE KEY") {
			return nil, fmt.Errorf("%s:%s is not a private key", f[0], f[1])
		}
		body := strings.Split(strings.TrimSpace(text), "\n")
		body = body[1 : len(body)-1]
		out = append(out, text, strings.Join(body, ""), base64.StdEncoding.EncodeToString(b.Bytes),
			hex.EncodeToString(b.Bytes), base64.RawURLEncoding.EncodeToString(b.Bytes))
		// Every 64-character line but the first (whose ASN.1 header all keys
		// of a kind share) is key material on its own.
		out = append(out, body[1:len(body)-1]...)
	}
	return out, nil
}

func (k hostKeys) scan(what string, doc []byte) error {
	forms, err := k.spellings()
	if err != nil {
		return err
	}
	if len(forms) == 0 {
		return fmt.Errorf("no key read to scan the %s for", what)
	}
	for _, f := range forms {
		if strings.Contains(string(doc), f) {
			return fmt.Errorf("a private key appears in the %s (%.20q...)", what, f)
		}
	}
	if strings.Contains(string(doc), "PRIVATE KEY-----") {
		return fmt.Errorf("a PEM private key appears in the %s", what)
	}
	return nil
}

func (k hostKeys) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	doc, _ := json.Marshal(req.State)
	resp.Error = k.scan("state", doc)
}

func (k hostKeys) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	doc, _ := json.Marshal(req.Plan)
	resp.Error = k.scan("plan", doc)
}

func (k hostKeys) stateCheck() resource.TestCheckFunc {
	return func(s *terraform.State) error {
		doc, _ := json.Marshal(s)
		return k.scan("state", doc)
	}
}

func pkiKeys(t *testing.T, l *lab.Lab) hostKeys {
	return hostKeys{t: t, l: l, files: [][2]string{{"f0", defaultCAKeyPath}, {"f0", serverKeyPath}, {"f1", serverKeyPath}, {"r0", "/etc/stunnel/r0-key.pem"}}}
}

// expectChain verifies the certificates the hosts have with crypto/x509:
// each chains to the CA certificate on f0 for its usage.
func expectChain(t *testing.T, l *lab.Lab) resource.TestCheckFunc {
	return hostCheck(func() error {
		ca := mustExec(t, l, "f0", "cat "+defaultCACertPath)
		for _, c := range []struct {
			host, path string
			usage      pki.Usage
		}{{"f0", serverCertPath, pki.ServerAuth}, {"f1", serverCertPath, pki.ServerAuth}, {"r0", "/etc/stunnel/r0-cert.pem", pki.ClientAuth}} {
			cert := mustExec(t, l, c.host, "cat "+c.path)
			if err := pki.Verify([]byte(cert), []byte(ca), c.usage, time.Now()); err != nil {
				return fmt.Errorf("%s:%s does not chain to the CA: %w", c.host, c.path, err)
			}
			if got := mustExec(t, l, c.host, "cat "+filepath.Dir(c.path)+"/ca-cert.pem"); got != ca {
				return fmt.Errorf("%s has another CA certificate", c.host)
			}
		}
		return nil
	})
}

func fileModes(t *testing.T, l *lab.Lab, hostName, want string, paths ...string) resource.TestCheckFunc {
	return hostCheck(func() error {
		for _, p := range paths {
			if got := strings.TrimSpace(mustExec(t, l, hostName, "stat -c '%a %U' "+p+" 2>/dev/null || stat -f '%Lp %Su' "+p)); got != want {
				return fmt.Errorf("%s:%s is %q, want %q", hostName, p, got, want)
			}
		}
		return nil
	})
}

func TestAccPKIResources(t *testing.T) {
	l, provider := testAccLab(t, accF0, accF1, accR0)
	keys := pkiKeys(t, l)
	const ca, server = "f3s_pki_ca.ca", "f3s_pki_certificate.server"
	sameKey := statecheck.CompareValue(compare.ValuesSame())
	sameCAKey := statecheck.CompareValue(compare.ValuesSame())
	newCert := statecheck.CompareValue(compare.ValuesDiffer())
	t.Cleanup(func() { pkiClockOffset.Store(0) })

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: pkiConfig(provider, "", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ca, tfjsonpath.New("status"), knownvalue.StringExact("ok")),
					statecheck.ExpectKnownValue(ca, tfjsonpath.New("id"), knownvalue.StringExact("f0:"+defaultCAKeyPath+":"+defaultCACertPath)),
					statecheck.ExpectKnownValue(server, tfjsonpath.New("copies"), knownvalue.MapExact(map[string]knownvalue.Check{
						"f0": knownvalue.StringExact("ok"), "f1": knownvalue.StringExact("ok")})),
					sameKey.AddStateValue(server, tfjsonpath.New("key_fingerprint")),
					sameCAKey.AddStateValue(ca, tfjsonpath.New("key_fingerprint")),
					newCert.AddStateValue(server, tfjsonpath.New("cert_fingerprint")),
					keys,
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), keys}},
				Check: resource.ComposeTestCheckFunc(
					expectChain(t, l),
					fileModes(t, l, "f0", "400 root", defaultCAKeyPath, serverKeyPath),
					fileModes(t, l, "f0", "644 root", defaultCACertPath, serverCertPath, serverCAPath),
					fileModes(t, l, "r0", "400 root", "/etc/stunnel/r0-key.pem"),
					keys.stateCheck(),
				),
			},
			{ResourceName: ca, ImportState: true, ImportStateId: "f0:" + defaultCAKeyPath + ":" + defaultCACertPath, ImportStateVerify: true},
			{
				ResourceName: server, ImportState: true,
				ImportStateId:     "f0,f1:" + serverCertPath + ":" + serverKeyPath + ":" + serverCAPath,
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"ca_host"},
			},
			{
				// New names re-issue the certificate from the same key.
				Config: pkiConfig(provider, "", `dns_names = ["f3s-storage-ha.lan", "f3s-storage-ha"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(server, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameKey.AddStateValue(server, tfjsonpath.New("key_fingerprint")),
					newCert.AddStateValue(server, tfjsonpath.New("cert_fingerprint")),
					keys,
				},
				Check: resource.ComposeTestCheckFunc(expectChain(t, l), hostCheck(func() error {
					c, err := pki.ParseCert([]byte(mustExec(t, l, "f1", "cat "+serverCertPath)))
					if err != nil || c.VerifyHostname("f3s-storage-ha") != nil || c.VerifyHostname("192.168.1.138") != nil {
						return fmt.Errorf("f1's certificate lacks the new name: %w", err)
					}
					return nil
				})),
			},
			{
				// Drift: a key removed, a certificate replaced, a mode changed;
				// the same key and certificate go back.
				PreConfig: func() {
					mustExec(t, l, "f1", "rm "+serverKeyPath)
					mustExec(t, l, "f0", "cp "+defaultCACertPath+" "+serverCertPath+" && chmod 0644 "+defaultCAKeyPath)
				},
				Config: pkiConfig(provider, "", `dns_names = ["f3s-storage-ha.lan", "f3s-storage-ha"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(server, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(ca, plancheck.ResourceActionUpdate),
						keys,
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameKey.AddStateValue(server, tfjsonpath.New("key_fingerprint"))},
				Check: resource.ComposeTestCheckFunc(expectChain(t, l), fileModes(t, l, "f0", "400 root", defaultCAKeyPath),
					fileModes(t, l, "f1", "400 root", serverKeyPath)),
			},
			{
				// The CA's validity changes: re-issued from the same key.
				Config: pkiConfig(provider, "validity_days = 7300", `dns_names = ["f3s-storage-ha.lan", "f3s-storage-ha"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(ca, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameCAKey.AddStateValue(ca, tfjsonpath.New("key_fingerprint"))},
				Check:             expectChain(t, l),
			},
			{
				// Within the renewal window the plan re-issues (same keys).
				PreConfig: func() { pkiClockOffset.Store(int64(7290 * 24 * time.Hour)) },
				Config:    pkiConfig(provider, "validity_days = 7300", `dns_names = ["f3s-storage-ha.lan", "f3s-storage-ha"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(ca, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(server, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameKey.AddStateValue(server, tfjsonpath.New("key_fingerprint")),
					sameCAKey.AddStateValue(ca, tfjsonpath.New("key_fingerprint")),
					newCert.AddStateValue(server, tfjsonpath.New("cert_fingerprint")),
				},
			},
			{
				// The CA's key is lost: the plan warns, the apply stops.
				PreConfig: func() {
					pkiClockOffset.Store(0)
					mustExec(t, l, "f0", "rm "+defaultCAKeyPath)
				},
				Config:      pkiConfig(provider, "validity_days = 7300", `dns_names = ["f3s-storage-ha.lan", "f3s-storage-ha"]`),
				ExpectError: errorMatching("CA Key Lost", "allow_regenerate = true"),
			},
			{
				// Only allow_regenerate makes a new CA; its certificates follow.
				Config: pkiConfig(provider, "validity_days = 7300\n  allow_regenerate = true", `dns_names = ["f3s-storage-ha.lan", "f3s-storage-ha"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(ca, plancheck.ResourceActionReplace)},
				},
				Check: expectChain(t, l),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectNoHostFile(t, l, "f0", defaultCAKeyPath, defaultCACertPath, serverCertPath, serverKeyPath, serverCAPath),
			expectNoHostFile(t, l, "f1", serverCertPath, serverKeyPath, serverCAPath),
			expectNoHostFile(t, l, "r0", "/etc/stunnel/r0-cert.pem", "/etc/stunnel/r0-key.pem", "/etc/stunnel/ca-cert.pem"),
		),
	})
}

// TestAccPKISecretsScan applies the PKI with Terraform's and the
// provider's trace logs on, and scans the logs for every key.
func TestAccPKISecretsScan(t *testing.T) {
	l, provider := testAccLab(t, accF0, accF1, accR0)
	logf := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_ACC_LOG_PATH", logf)
	t.Setenv("TF_LOG", "TRACE")
	keys := pkiKeys(t, l)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:            pkiConfig(provider, "", ""),
			ConfigStateChecks: []statecheck.StateCheck{keys},
			ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{keys}},
			Check: hostCheck(func() error {
				log, err := os.ReadFile(logf)
				if err != nil {
					return err
				}
				// The log must be a trace of this very run to prove anything.
				for _, want := range []string{"f3s_pki_certificate", "tf_rpc", "cert_pem", "host pool ready"} {
					if !strings.Contains(string(log), want) {
						return fmt.Errorf("the trace log (%d bytes) lacks %q: not a trace of the run", len(log), want)
					}
				}
				return keys.scan("TF_LOG=trace log", log)
			}),
		}},
	})
}

// TestAccPKIDroppedConnection: the connection drops right after the CA's
// key is written, then right after the server's key is written; the next
// apply converges on the keys that are there.
func TestAccPKIDroppedConnection(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1, accR0)
	config := pkiConfig(provider, "", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { l.Faults("f0").DropConnectionOnCommand(".ca-key.pem.f3s-") },
				Config:      config,
				ExpectError: errorMatching("Unable to Create CA"),
			},
			{
				PreConfig:   func() { l.Faults("f0").DropConnectionOnCommand(".server-key.pem.f3s-") },
				Config:      config,
				ExpectError: errorMatching("Unable to Create Certificate"),
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            expectChain(t, l),
			},
		},
	})
}

func TestAccPKIInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	base := pkiConfig(provider, "", "")
	tests := []struct {
		name, from, to string
		want           []string
	}{
		{"usage", `usages       = ["server_auth"]`, `usages = ["code_signing"]`, []string{"usages", "value must be one of"}},
		{"ip", `ip_addresses = ["192.168.1.138"]`, `ip_addresses = ["192.168.1"]`, []string{"Invalid IP Address"}},
		{"dns", `ip_addresses = ["192.168.1.138"]`, `dns_names = ["-f3s.lan"]`, []string{"Invalid DNS Name"}},
		{"country", `country      = "US"`, `country = "USA"`, []string{"Invalid Country"}},
		{"algorithm", `key_algorithm = "ECDSA-P256"
  subject = {
    country`, `key_algorithm = "DSA"
  subject = {
    country`, []string{"key_algorithm", "value must be one of"}},
		{"path", `"` + serverKeyPath + `"`, `"server-key.pem"`, []string{"Invalid Key Path", "not absolute"}},
		{"unknown host", `hosts         = ["f0", "f1"]`, `hosts = ["f0", "f9"]`, []string{"Unknown Host", "f9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.from) {
				t.Fatalf("the configuration lacks %q", tt.from)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      strings.Replace(base, tt.from, tt.to, 1),
					PlanOnly:    true,
					ExpectError: errorMatching(tt.want...),
				}},
			})
		})
	}
}
