package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// carpVIP is one f3s_carp_address as a test declares it.
type carpVIP struct {
	host, name string
	vhid       int
	address    string
	advskew    int
	password   string
	version    int
	rcFile     string // "" for the default
	extra      string
}

func (v carpVIP) config() string {
	name := v.name
	if name == "" {
		name = "vip"
	}
	hostName := v.host
	if hostName == "" {
		hostName = "f0"
	}
	rcFile := ""
	if v.rcFile != "" {
		rcFile = fmt.Sprintf("  rc_file             = %q\n", v.rcFile)
	}
	return fmt.Sprintf(`
resource "f3s_carp_address" %q {
  host                = %q
  interface           = "re0"
  vhid                = %d
  address             = %q
  advskew             = %d
  password_wo         = %q
  password_wo_version = %d
%s%s}
`, name, hostName, v.vhid, v.address, v.advskew, v.password, v.version, rcFile, v.extra)
}

// expectCarpLive checks the vhid's line and address on the host's re0.
func expectCarpLive(t *testing.T, l *lab.Lab, hostName string, vhid int, state, address string, advskew int, key string) resource.TestCheckFunc {
	return hostCheck(func() error {
		out := mustExec(t, l, hostName, "ifconfig -k re0")
		carpLine := fmt.Sprintf("carp: %s vhid %d advbase 1 advskew %d key \"%s\"", state, vhid, advskew, key)
		if state == "" {
			carpLine = fmt.Sprintf("vhid %d advbase 1 advskew %d key \"%s\"", vhid, advskew, key)
		}
		inet := fmt.Sprintf("inet %s netmask 0xffffffff broadcast %s vhid %d\n", address, address, vhid)
		if !strings.Contains(out, carpLine) || !strings.Contains(out, inet) {
			return fmt.Errorf("ifconfig -k re0 on %s has no %q and %q:\n%s", hostName, carpLine, inet, out)
		}
		return nil
	})
}

// expectFileLine checks that a file on the host has the line (and its mode).
func expectFileLine(t *testing.T, l *lab.Lab, hostName, p, line, mode string) resource.TestCheckFunc {
	return hostCheck(func() error {
		out, code := execOnHost(t, l, hostName, "cat "+p)
		if code != 0 || !strings.Contains(out, line+"\n") {
			return fmt.Errorf("%s on %s (exit %d) has no line %q:\n%s", p, hostName, code, line, out)
		}
		if mode != "" {
			if st := strings.TrimSpace(mustExec(t, l, hostName, "stat -f '%Lp %Su' "+p)); st != mode {
				return fmt.Errorf("%s on %s is %q, want %q", p, hostName, st, mode)
			}
		}
		return nil
	})
}

// carpSecrets are the passwords of the tests: never in plan or state.
func carpNoSecret(passwords ...string) []plancheck.PlanCheck {
	var out []plancheck.PlanCheck
	for _, p := range passwords {
		out = append(out, noSecretIn{p})
	}
	return out
}

func TestAccCarpAddressResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	rcBefore := mustExec(t, l, "f0", "cat /etc/rc.conf")
	loaderBefore, _ := execOnHost(t, l, "f0", "cat /boot/loader.conf 2>/dev/null")
	const addr = "f3s_carp_address.vip"
	const pw1, pw2 = "s3cret-One", "s3cret-Two"
	v := carpVIP{vhid: 1, address: "192.168.1.138", password: pw1, version: 1}
	moved := v
	moved.address, moved.advskew = "192.168.1.139", 100
	rotated := moved
	rotated.password, rotated.version = pw2, 2
	inRCConf := rotated
	inRCConf.rcFile = "/etc/rc.conf"
	vhid2 := inRCConf
	vhid2.vhid = 2
	noSecrets := append(carpNoSecret(pw1, pw2), plancheck.ExpectEmptyPlan())
	drift := func(pre string, cfg carpVIP, changed ...string) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { mustExec(t, l, "f0", pre) },
			Config:    provider + cfg.config(),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectChanged{addr: addr, attrs: changed, also: []string{"state", "rc_conf_variable"}},
				},
				PostApplyPostRefresh: noSecrets,
			},
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + v.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             append(carpNoSecret(pw1), plancheck.ExpectKnownValue(addr, tfjsonpath.New("rc_conf_value"), knownvalue.StringExact("inet vhid 1 pass (password) alias 192.168.1.138/32"))),
					PostApplyPostRefresh: noSecrets,
				},
				ConfigStateChecks: []statecheck.StateCheck{
					noSecretIn{pw1},
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:re0:1")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("state"), knownvalue.StringExact("MASTER")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rc_file"), knownvalue.StringExact("/etc/rc.conf.d/netif")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rc_conf_variable"), knownvalue.StringExact("ifconfig_re0_alias0")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("carp_load"), knownvalue.StringExact("YES")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("password_fingerprint"), knownvalue.StringRegexp(regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`))),
				},
				Check: resource.ComposeTestCheckFunc(
					checkNoSecretAttribute(pw1),
					expectCarpLive(t, l, "f0", 1, "MASTER", "192.168.1.138", 0, pw1),
					expectFileLine(t, l, "f0", "/etc/rc.conf.d/netif", `ifconfig_re0_alias0="inet vhid 1 pass `+pw1+` alias 192.168.1.138/32"`, "600 root"),
					expectFileLine(t, l, "f0", "/boot/loader.conf", `carp_load="YES"`, ""),
				),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           "f0:re0:1",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password_fingerprint", "password_wo_version"},
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "f0:re0:0",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:INTERFACE:VHID"),
			},
			{
				// The address and the skew change in place, live and in rc.conf.
				Config: provider + moved.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectChanged{addr: addr, attrs: []string{"address", "advskew", "rc_conf_value"}, also: []string{"state", "rc_conf_variable"}},
					},
					PostApplyPostRefresh: noSecrets,
				},
				Check: resource.ComposeTestCheckFunc(
					expectCarpLive(t, l, "f0", 1, "", "192.168.1.139", 100, pw1),
					expectExit(t, l, "f0", "ifconfig re0 | grep -q 192.168.1.138", 1),
					expectFileLine(t, l, "f0", "/etc/rc.conf.d/netif", `ifconfig_re0_alias0="inet vhid 1 advskew 100 pass `+pw1+` alias 192.168.1.139/32"`, "600 root"),
				),
			},
			{
				// A failover is not drift: a preferred peer (f1, advskew 0)
				// takes MASTER; the plan stays empty and state follows.
				PreConfig:        func() { carpPeer(t, l, "f1", 1, "192.168.1.139", 0, pw1) },
				Config:           provider + moved.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("state"), knownvalue.StringExact("BACKUP")),
				},
			},
			{
				// The peer gone, f0 takes over again: no drift either.
				PreConfig:        func() { dropCarpPeer(t, l, "f1", "192.168.1.139") },
				Config:           provider + moved.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("state"), knownvalue.StringExact("MASTER")),
				},
			},
			// Drift, each named by the plan.
			drift(`sysrc -f /etc/rc.conf.d/netif ifconfig_re0_alias0="inet vhid 1 advskew 100 pass `+pw1+` alias 192.168.1.140/32"`,
				moved, "rc_conf_value"),
			drift(`sysrc -f /etc/rc.conf.d/netif ifconfig_re0_alias0="inet vhid 1 advskew 100 pass other alias 192.168.1.139/32"`,
				moved, "rc_conf_value"),
			drift("ifconfig re0 vhid 1 pass tampered", moved, "password_fingerprint", "rc_conf_value"),
			drift("sysrc -f /boot/loader.conf -x carp_load", moved, "carp_load"),
			drift("ifconfig re0 vhid 1 advskew 50", moved, "advskew"),
			drift("ifconfig re0 inet 192.168.1.139 -alias", moved, "address", "prefix_length", "advbase", "advskew"),
			{
				// A new password with a new version is written everywhere.
				Config: provider + rotated.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: append(carpNoSecret(pw1, pw2),
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectChanged{addr: addr, attrs: []string{"password_fingerprint", "password_wo_version"}, also: []string{"state", "rc_conf_variable"}}),
					PostApplyPostRefresh: noSecrets,
				},
				ConfigStateChecks: []statecheck.StateCheck{noSecretIn{pw1}, noSecretIn{pw2}},
				Check: resource.ComposeTestCheckFunc(
					expectCarpLive(t, l, "f0", 1, "", "192.168.1.139", 100, pw2),
					expectFileLine(t, l, "f0", "/etc/rc.conf.d/netif", `ifconfig_re0_alias0="inet vhid 1 advskew 100 pass `+pw2+` alias 192.168.1.139/32"`, ""),
				),
			},
			{
				// A new password without a new version is written too: the
				// plan checks it against the fingerprint.
				Config: provider + func() string { c := rotated; c.password = pw1; return c.config() }(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: append(carpNoSecret(pw1, pw2),
						expectChanged{addr: addr, attrs: []string{"password_fingerprint"}, also: []string{"state", "rc_conf_variable"}}),
				},
				Check: expectCarpLive(t, l, "f0", 1, "", "192.168.1.139", 100, pw1),
			},
			{
				// The alias moves to /etc/rc.conf; netif's file goes.
				Config: provider + inRCConf.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						expectChanged{addr: addr, attrs: []string{"rc_file", "password_fingerprint"}, also: []string{"state", "rc_conf_variable"}},
					},
					PostApplyPostRefresh: noSecrets,
				},
				Check: resource.ComposeTestCheckFunc(
					expectFileLine(t, l, "f0", "/etc/rc.conf", `ifconfig_re0_alias0="inet vhid 1 advskew 100 pass `+pw2+` alias 192.168.1.139/32"`, ""),
					expectNoHostFile(t, l, "f0", "/etc/rc.conf.d/netif"),
				),
			},
			{
				// A new vhid in place: the old one is gone.
				Config: provider + vhid2.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectChanged{addr: addr, attrs: []string{"vhid", "id", "rc_conf_value"}, also: []string{"state", "rc_conf_variable"}},
					},
					PostApplyPostRefresh: noSecrets,
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0:re0:2")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectCarpLive(t, l, "f0", 2, "", "192.168.1.139", 100, pw2),
					expectExit(t, l, "f0", "ifconfig re0 | grep -q 'vhid 1 '", 1),
					expectFileLine(t, l, "f0", "/etc/rc.conf", `ifconfig_re0_alias0="inet vhid 2 advskew 100 pass `+pw2+` alias 192.168.1.139/32"`, ""),
				),
			},
		},
		CheckDestroy: hostCheck(func() error {
			if after := mustExec(t, l, "f0", "cat /etc/rc.conf"); after != rcBefore {
				return fmt.Errorf("/etc/rc.conf after destroy:\n%s\nbefore:\n%s", after, rcBefore)
			}
			if after, _ := execOnHost(t, l, "f0", "cat /boot/loader.conf 2>/dev/null"); after != loaderBefore {
				return fmt.Errorf("/boot/loader.conf after destroy:\n%s\nbefore:\n%s", after, loaderBefore)
			}
			if out := mustExec(t, l, "f0", "ifconfig re0"); strings.Contains(out, "carp:") || strings.Contains(out, "vhid") {
				return fmt.Errorf("re0 still has CARP after destroy:\n%s", out)
			}
			return nil
		}),
	})
}

// TestAccCarpAddressNumbering: aliases are numbered from the first free
// index over every rc file, an alias of someone else is never touched, and
// destroying one renumbers those above it.
func TestAccCarpAddressNumbering(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	mustExec(t, l, "f0", `sysrc ifconfig_re0_alias0="inet 10.0.0.5/32"`)
	rcBefore := mustExec(t, l, "f0", "cat /etc/rc.conf")
	one := carpVIP{name: "one", vhid: 1, address: "192.168.1.138", password: "pw-one", version: 1}
	two := carpVIP{name: "two", vhid: 2, address: "192.168.1.139", password: "pw-two", version: 1,
		extra: "  depends_on          = [f3s_carp_address.one]\n"}
	twoAlone := two
	twoAlone.extra = ""
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + one.config() + two.config(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("f3s_carp_address.one", tfjsonpath.New("rc_conf_variable"), knownvalue.StringExact("ifconfig_re0_alias1")),
					statecheck.ExpectKnownValue("f3s_carp_address.two", tfjsonpath.New("rc_conf_variable"), knownvalue.StringExact("ifconfig_re0_alias2")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					expectFileLine(t, l, "f0", "/etc/rc.conf", `ifconfig_re0_alias0="inet 10.0.0.5/32"`, ""),
					expectFileLine(t, l, "f0", "/etc/rc.conf.d/netif", `ifconfig_re0_alias1="inet vhid 1 pass pw-one alias 192.168.1.138/32"`, "600 root"),
					expectFileLine(t, l, "f0", "/etc/rc.conf.d/netif", `ifconfig_re0_alias2="inet vhid 2 pass pw-two alias 192.168.1.139/32"`, ""),
				),
			},
			{
				// One goes: two moves down to alias1, and that is no drift.
				Config: provider + twoAlone.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_carp_address.one", plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction("f3s_carp_address.two", plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectFileLine(t, l, "f0", "/etc/rc.conf.d/netif", `ifconfig_re0_alias1="inet vhid 2 pass pw-two alias 192.168.1.139/32"`, "600 root"),
					expectExit(t, l, "f0", "grep -q alias2 /etc/rc.conf.d/netif", 1),
				),
			},
			{
				RefreshState: true,
				Check:        resource.TestCheckResourceAttr("f3s_carp_address.two", "rc_conf_variable", "ifconfig_re0_alias1"),
			},
		},
		CheckDestroy: hostCheck(func() error {
			if after := mustExec(t, l, "f0", "cat /etc/rc.conf"); after != rcBefore {
				return fmt.Errorf("/etc/rc.conf after destroy:\n%s\nbefore:\n%s", after, rcBefore)
			}
			if out, code := execOnHost(t, l, "f0", "ls /etc/rc.conf.d/netif"); code == 0 {
				return fmt.Errorf("/etc/rc.conf.d/netif is still there: %s", out)
			}
			return nil
		}),
	})
}

// TestAccCarpAddressDroppedConnection: the connection drops right after a
// create step ran on the host; the next apply converges.
func TestAccCarpAddressDroppedConnection(t *testing.T) {
	t.Parallel()
	for _, pattern := range []string{"ifconfig re0 inet vhid", "sysrc -f /etc/rc.conf.d/netif"} {
		t.Run(pattern, func(t *testing.T) {
			t.Parallel()
			l, provider := testAccLab(t, accF0)
			v := carpVIP{vhid: 1, address: "192.168.1.138", password: "pw-drop", version: 1}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig:   func() { l.Faults("f0").DropConnectionOnCommand(pattern) },
						Config:      provider + v.config(),
						ExpectError: regexp.MustCompile(`(?i)connection|exit status`),
					},
					{
						Config: provider + v.config(),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: resource.ComposeTestCheckFunc(
							expectCarpLive(t, l, "f0", 1, "MASTER", "192.168.1.138", 0, "pw-drop"),
							expectFileLine(t, l, "f0", "/etc/rc.conf.d/netif", `ifconfig_re0_alias0="inet vhid 1 pass pw-drop alias 192.168.1.138/32"`, "600 root"),
							expectExit(t, l, "f0", "grep -c ifconfig_re0_alias /etc/rc.conf.d/netif | grep -qx 1", 0),
						),
					},
				},
			})
		})
	}
}

func TestAccCarpAddressInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	base := `interface = "re0"
  vhid = 1
  address = "192.168.1.138"
  password_wo = "pw"`
	tests := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"interface", strings.Replace(base, `"re0"`, `"-re0"`, 1), errorMatching("Invalid Interface Name", "interface")},
		{"vhid", strings.Replace(base, "vhid = 1", "vhid = 256", 1), errorMatching("vhid", "between 1 and 255")},
		{"address", strings.Replace(base, `"192.168.1.138"`, `"192.168.1.138/32"`, 1), errorMatching("Invalid Address", "address", "prefix_length")},
		{"ipv6", strings.Replace(base, `"192.168.1.138"`, `"fe80::1"`, 1), errorMatching("Invalid Address", "only IPv4")},
		{"password space", strings.Replace(base, `"pw"`, `"two words"`, 1), errorMatching("Invalid Password", "password_wo", "rc.conf value")},
		{"password dash", strings.Replace(base, `"pw"`, `"-pw"`, 1), errorMatching("Invalid Password", "starts with '-'")},
		{"password long", strings.Replace(base, `"pw"`, `"abcdefghijklmnopqrst"`, 1), errorMatching("Invalid Password", "at most 19")},
		{"advskew", base + "\n  advskew = 255", errorMatching("advskew", "between 0 and 254")},
		{"prefix", base + "\n  prefix_length = 33", errorMatching("prefix_length", "between 1 and 32")},
		{"rc_file", base + "\n  rc_file = \"/etc/rc.conf.d/carp\"", errorMatching("rc_file", "/etc/rc.conf.d/netif")},
		{"version without password", strings.Replace(base, `password_wo = "pw"`, "password_wo_version = 1", 1), errorMatching("password_wo")},
	}
	steps := make([]resource.TestStep, 0, len(tests)+2)
	for _, tt := range tests {
		steps = append(steps, resource.TestStep{
			Config:      provider + "resource \"f3s_carp_address\" \"bad\" {\n  host = \"f0\"\n  " + tt.body + "\n}\n",
			PlanOnly:    true,
			ExpectError: tt.want,
		})
	}
	steps = append(steps,
		resource.TestStep{
			Config:      provider + "resource \"f3s_carp_address\" \"bad\" {\n  host = \"r0\"\n  " + base + "\n}\n",
			PlanOnly:    true,
			ExpectError: errorMatching("Unsupported Operating System", `f3s_carp_address cannot act on host "r0"`, "FreeBSD only"),
		},
		resource.TestStep{
			Config:      provider + "resource \"f3s_carp_address\" \"bad\" {\n  host = \"f9\"\n  " + base + "\n}\n",
			PlanOnly:    true,
			ExpectError: errorMatching("Unknown Host", `"f9"`),
		})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

func TestCarpAddressImportID(t *testing.T) {
	tests := []struct {
		id, host, iface string
		vhid            int
		ok              bool
	}{
		{"f0:re0:1", "f0", "re0", 1, true},
		{"f1:vlan0.100:255", "f1", "vlan0.100", 255, true},
		{"f0:re0:0", "", "", 0, false},
		{"f0:re0:256", "", "", 0, false},
		{"f0:re0:01", "", "", 0, false},
		{"f0:re0", "", "", 0, false},
		{"f0:-re0:1", "", "", 0, false},
		{":re0:1", "", "", 0, false},
	}
	for _, tt := range tests {
		h, i, v, ok := parseCarpAddressID(tt.id)
		if ok != tt.ok || h != tt.host || i != tt.iface || v != tt.vhid {
			t.Errorf("parseCarpAddressID(%q) = %q, %q, %d, %v", tt.id, h, i, v, ok)
		}
		if ok && carpAddressID(h, i, int64(v)) != tt.id {
			t.Errorf("carpAddressID does not give %q back", tt.id)
		}
	}
}
