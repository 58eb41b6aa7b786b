package provider

import (
	"fmt"
	"path"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/pkitest"
)

const freebsdStunnelConf = "/usr/local/etc/stunnel/stunnel.conf"

// stunnelFiles installs stunnel and puts a real certificate, its key and
// the CA that signed it where the configuration names them: stunnel (and
// the lab's, which is true to it) refuses to start on anything else.
func stunnelFiles(t *testing.T, l *lab.Lab, hostName, certPath, keyPath, caPath string) {
	t.Helper()
	install := "pkg install -y stunnel >/dev/null"
	if hostName[0] == 'r' {
		install = "dnf install -y stunnel >/dev/null"
	}
	mustExec(t, l, hostName, install)
	ca := pkitest.NewCA(t, "F3S Stunnel CA")
	cert := ca.Issue(t, hostName, pkitest.DNS(hostName))
	h := l.Host(hostName)
	for p, data := range map[string][]byte{certPath: cert.CertPEM, keyPath: cert.KeyPEM, caPath: ca.CertPEM} {
		if err := h.Tree.MkdirAll(h.Root(), path.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := h.Tree.WriteFile(h.Root(), p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func stunnelServerConfig(provider, accept, extra string) string {
	return provider + fmt.Sprintf(`
resource "f3s_stunnel_service" "server" {
  host    = "f0"
  name    = "nfs-tls"
  mode    = "server"
  accept  = %q
  connect = ["127.0.0.1:2049"]
  cert    = "/usr/local/etc/stunnel/server-cert.pem"
  key     = "/usr/local/etc/stunnel/server-key.pem"
  ca_file = "/usr/local/etc/stunnel/ca-cert.pem"
  global_options = {
    setuid = "stunnel"
    setgid = "stunnel"
  }
  %s
}
`, accept, extra)
}

func TestAccStunnelServiceFreeBSD(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	stunnelFiles(t, l, "f0", "/usr/local/etc/stunnel/server-cert.pem", "/usr/local/etc/stunnel/server-key.pem", "/usr/local/etc/stunnel/ca-cert.pem")
	const addr = "f3s_stunnel_service.server"
	pid := &pidTracker{t: t, l: l, hostName: "f0", script: "cat /var/run/stunnel.pid"}
	want := `; Managed by Terraform (f3s_stunnel_service): edits here are overwritten.
pid = /var/run/stunnel.pid
setgid = stunnel
setuid = stunnel

[nfs-tls]
accept = 192.168.1.138:2323
connect = 127.0.0.1:2049
cert = /usr/local/etc/stunnel/server-cert.pem
key = /usr/local/etc/stunnel/server-key.pem
CAfile = /usr/local/etc/stunnel/ca-cert.pem
verifyChain = yes
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: stunnelServerConfig(provider, "192.168.1.138:2323", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:"+freebsdStunnelConf)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("content"), knownvalue.StringExact(want)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pid_file"), knownvalue.StringExact("/var/run/stunnel.pid")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					expectFile(t, l, "f0", freebsdStunnelConf, want),
					// Not started by the resource: the CARP hook or f3s_service decides.
					expectExit(t, l, "f0", "service stunnel status", 1),
					// The file is one stunnel starts with, and rc.d finds its pid.
					hostCheck(func() error {
						mustExec(t, l, "f0", "sysrc stunnel_enable=YES >/dev/null && service stunnel start >/dev/null")
						_, code := execOnHost(t, l, "f0", "service stunnel status")
						if code != 0 {
							return fmt.Errorf("stunnel does not run with the rendered file")
						}
						return nil
					}),
				),
			},
			{ResourceName: addr, ImportState: true, ImportStateId: "f0:" + freebsdStunnelConf, ImportStateVerify: true},
			{
				// A change restarts the running stunnel.
				PreConfig: pid.record,
				Config:    stunnelServerConfig(provider, "192.168.1.138:2324", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(pid.expect(true),
					expectExit(t, l, "f0", "grep -qx 'accept = 192.168.1.138:2324' "+freebsdStunnelConf, 0)),
			},
			{
				// No change, no restart.
				PreConfig: pid.record,
				Config:    stunnelServerConfig(provider, "192.168.1.138:2324", ""),
				Check:     pid.expect(false),
			},
			{
				// Drift: a hand edit shows as a change of content and is undone.
				PreConfig: func() { mustExec(t, l, "f0", "echo 'debug = 7' >> "+freebsdStunnelConf) },
				Config:    stunnelServerConfig(provider, "192.168.1.138:2324", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: expectExit(t, l, "f0", "grep -q debug "+freebsdStunnelConf, 1),
			},
			{
				// stunnel refuses the new file: the previous one is put back.
				PreConfig: func() {
					l.Faults("f0").FailNextCommand("service stunnel onerestart", 1, "[!] Service [nfs-tls]: Failed to initialize TLS context\n")
				},
				Config:      stunnelServerConfig(provider, "192.168.1.138:2325", ""),
				ExpectError: errorMatching("Unable to Update Stunnel Service", "previous file was put back", "Failed to initialize TLS context"),
			},
			{
				PreConfig: func() {
					if out, _ := execOnHost(t, l, "f0", "grep accept "+freebsdStunnelConf); out != "accept = 192.168.1.138:2324\n" {
						t.Errorf("the refused file was not put back: %q", out)
					}
				},
				// Stopped, a change does not start it.
				Config: stunnelServerConfig(provider, "192.168.1.138:2325", ""),
				Check: resource.ComposeTestCheckFunc(
					hostCheck(func() error { mustExec(t, l, "f0", "service stunnel stop >/dev/null"); return nil }),
				),
			},
			{
				Config: stunnelServerConfig(provider, "192.168.1.138:2323", `options = { TIMEOUTidle = "600" }`),
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "f0", "service stunnel status", 1),
					expectExit(t, l, "f0", "grep -qx 'TIMEOUTidle = 600' "+freebsdStunnelConf, 0),
				),
			},
		},
		CheckDestroy: expectNoHostFile(t, l, "f0", freebsdStunnelConf),
	})
}

// The article's client on r0, fixed: certificate and key, the server's
// name checked.
func stunnelClientConfig(provider, checkHost string) string {
	return provider + `
resource "f3s_stunnel_service" "client" {
  host    = "r0"
  name    = "nfs-ha"
  mode    = "client"
  accept  = "127.0.0.1:2323"
  connect = ["192.168.1.138:2323"]
  cert    = "/etc/stunnel/r0-cert.pem"
  key     = "/etc/stunnel/r0-key.pem"
  ca_file = "/etc/stunnel/ca-cert.pem"
  ` + checkHost + `
}
`
}

func TestAccStunnelServiceRocky(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accR0)
	stunnelFiles(t, l, "r0", "/etc/stunnel/r0-cert.pem", "/etc/stunnel/r0-key.pem", "/etc/stunnel/ca-cert.pem")
	const addr = "f3s_stunnel_service.client"
	config := stunnelClientConfig(provider, `check_host = ["f3s-storage-ha.lan"]`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      stunnelClientConfig(provider, ""),
				PlanOnly:    true,
				ExpectError: errorMatching("Client Does Not Check the Server's Name", "check_host"),
			},
			{
				// The connection drops right after the file is written.
				PreConfig:   func() { l.Faults("r0").DropConnectionOnCommand(".stunnel.conf.f3s-") },
				Config:      config,
				ExpectError: errorMatching("Unable to Create Stunnel Service"),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_path"), knownvalue.StringExact("/etc/stunnel/stunnel.conf")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pid_file"), knownvalue.StringExact("")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					expectExit(t, l, "r0", "grep -qx 'client = yes' /etc/stunnel/stunnel.conf && grep -qx 'checkHost = f3s-storage-ha.lan' /etc/stunnel/stunnel.conf && grep -qx 'key = /etc/stunnel/r0-key.pem' /etc/stunnel/stunnel.conf", 0),
					// The unit starts with it.
					expectExit(t, l, "r0", "systemctl start stunnel && systemctl is-active stunnel", 0),
				),
			},
			{ResourceName: addr, ImportState: true, ImportStateId: "r0:/etc/stunnel/stunnel.conf", ImportStateVerify: true},
			{
				// Drift: the file removed by hand is written again.
				PreConfig: func() { mustExec(t, l, "r0", "rm /etc/stunnel/stunnel.conf") },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
		},
		CheckDestroy: expectNoHostFile(t, l, "r0", "/etc/stunnel/stunnel.conf"),
	})
}

func TestAccStunnelServiceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	tests := []struct {
		name, body string
		want       []string
	}{
		{"unknown option", `options = { verfy = "2" }`, []string{"Invalid stunnel Configuration", "not a stunnel 5 option"}},
		{"global in service", `options = { foreground = "yes" }`, []string{"global option, not a service-level one"}},
		{"yes/no", `options = { requireCert = "true" }`, []string{"must be yes or no"}},
		{"port", `accept = "192.168.1.138:99999"`, []string{"Invalid stunnel Option", "port from 1 to 65535"}},
		{"relative cert", `cert = "server.pem"`, []string{"Invalid Certificate Path", "not absolute"}},
		{"option in options", `options = { CAfile = "/x" }`, []string{"CAfile has its own setting"}},
		{"mode", `mode = "relay"`, []string{"mode", "value must be one of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `host = "f0"
  name = "nfs-tls"
  mode = "server"
  accept = "2323"
  connect = ["127.0.0.1:2049"]
  cert = "/usr/local/etc/stunnel/server-cert.pem"
  ca_file = "/usr/local/etc/stunnel/ca-cert.pem"
`
			for _, line := range strings.Split(tt.body, "\n") {
				k := strings.TrimSpace(strings.SplitN(line, "=", 2)[0])
				var kept []string
				for _, b := range strings.Split(body, "\n") {
					if strings.TrimSpace(strings.SplitN(b, "=", 2)[0]) != k {
						kept = append(kept, b)
					}
				}
				body = strings.Join(kept, "\n") + "\n  " + line + "\n"
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      provider + "resource \"f3s_stunnel_service\" \"bad\" {\n  " + body + "}\n",
					PlanOnly:    true,
					ExpectError: errorMatching(tt.want...),
				}},
			})
		})
	}
}
