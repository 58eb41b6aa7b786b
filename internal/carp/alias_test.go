package carp

import (
	"net/netip"
	"strings"
	"testing"
)

func TestAliasRender(t *testing.T) {
	vip := netip.MustParsePrefix("192.168.1.138/32")
	tests := []struct {
		a             Alias
		value, masked string
	}{
		// The article's value, exactly.
		{Alias{VHID: 1, Advbase: 1, Advskew: 0, Password: "testpass", Address: vip},
			"inet vhid 1 pass testpass alias 192.168.1.138/32", "inet vhid 1 pass (password) alias 192.168.1.138/32"},
		{Alias{VHID: 1, Advbase: 1, Advskew: 100, Password: "testpass", Address: vip},
			"inet vhid 1 advskew 100 pass testpass alias 192.168.1.138/32", "inet vhid 1 advskew 100 pass (password) alias 192.168.1.138/32"},
		{Alias{VHID: 255, Advbase: 3, Advskew: 0, Address: netip.MustParsePrefix("10.0.0.1/24")},
			"inet vhid 255 advbase 3 alias 10.0.0.1/24", "inet vhid 255 advbase 3 alias 10.0.0.1/24"},
	}
	for _, tt := range tests {
		if got := tt.a.Render(); got != tt.value {
			t.Errorf("Render() = %q, want %q", got, tt.value)
		}
		if got := tt.a.Masked(MaskPassword); got != tt.masked {
			t.Errorf("Masked() = %q, want %q", got, tt.masked)
		}
		back, ok, err := ParseAlias(tt.value)
		if err != nil || !ok || back != tt.a {
			t.Errorf("ParseAlias(%q) = %+v, %v, %v; want %+v", tt.value, back, ok, err, tt.a)
		}
	}
}

func TestParseAlias(t *testing.T) {
	tests := []struct {
		value  string
		want   Alias
		ok     bool
		errMsg string
	}{
		{"inet vhid 1 pass testpass alias 192.168.1.138/32",
			Alias{VHID: 1, Advbase: 1, Password: "testpass", Address: netip.MustParsePrefix("192.168.1.138/32")}, true, ""},
		{"inet 192.168.1.138 netmask 255.255.255.255 vhid 2 advskew 100 pass x",
			Alias{VHID: 2, Advbase: 1, Advskew: 100, Password: "x", Address: netip.MustParsePrefix("192.168.1.138/32")}, true, ""},
		{"inet 10.0.0.1 netmask 0xffffff00 vhid 3",
			Alias{VHID: 3, Advbase: 1, Address: netip.MustParsePrefix("10.0.0.1/24")}, true, ""},
		{"inet 192.168.1.138 vhid 4", Alias{VHID: 4, Advbase: 1, Address: netip.MustParsePrefix("192.168.1.138/24")}, true, ""},
		{"inet 10.0.0.5/32", Alias{}, false, ""},
		{"inet6 fe80::1 prefixlen 64 vhid 1", Alias{}, false, ""},
		{"", Alias{}, false, ""},
		{"inet vhid 0 alias 1.2.3.4/32", Alias{}, false, "vhid"},
		{"inet vhid 1 advskew 255 alias 1.2.3.4/32", Alias{}, false, "advskew"},
		{"inet vhid 1 pass", Alias{}, false, "pass has no value"},
		{"inet vhid 1 pass hunter2 alias", Alias{}, true, "no address"},
		{"inet vhid 1 pass hunter2 state master 1.2.3.4/32", Alias{}, true, "unexpected word"},
		{"inet vhid 1 1.2.3.4 netmask bogus", Alias{}, true, "netmask"},
	}
	for _, tt := range tests {
		got, ok, err := ParseAlias(tt.value)
		if tt.errMsg == "" {
			if err != nil || ok != tt.ok || got != tt.want {
				t.Errorf("ParseAlias(%q) = %+v, %v, %v; want %+v, %v", tt.value, got, ok, err, tt.want, tt.ok)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.errMsg) || ok != tt.ok {
			t.Errorf("ParseAlias(%q) = %v, %v; want an error about %s (ok %v)", tt.value, ok, err, tt.errMsg, tt.ok)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseAlias(%q): the error shows the password: %v", tt.value, err)
		}
	}
}

func TestAliasVariable(t *testing.T) {
	for iface, want := range map[string]string{"re0": "ifconfig_re0_alias3", "vlan0.100": "ifconfig_vlan0_100_alias3"} {
		if got := AliasVariable(iface, 3); got != want {
			t.Errorf("AliasVariable(%q, 3) = %q, want %q", iface, got, want)
		}
	}
}

func TestParseAliases(t *testing.T) {
	out := "==> /etc/rc.conf\nhostname: f0.lan\nifconfig_re0: inet 192.168.1.130/24\nifconfig_re0_alias0: inet 10.0.0.5/32\n" +
		"ifconfig_re0_alias01: inet 10.0.0.9/32\nifconfig_em0_alias0: inet vhid 9 alias 10.9.9.9/32\n" +
		"==> /etc/rc.conf.d/netif\nifconfig_re0_alias1: inet vhid 1 pass p alias 192.168.1.138/32\nifconfig_re0_alias3: inet vhid 3 alias 1.2.3.4/32\n"
	vars := parseAliases(out)
	if len(vars) != 4 {
		t.Fatalf("parseAliases found %d variables, want 4: %+v", len(vars), vars)
	}
	idx := aliasIndexes(vars, "re0")
	if len(idx) != 3 || idx[0].File != "/etc/rc.conf" || idx[1].File != NetifRCFile || idx[3].Variable != "ifconfig_re0_alias3" {
		t.Errorf("aliasIndexes(re0) = %+v", idx)
	}
	if n := firstFree(idx); n != 2 {
		t.Errorf("firstFree = %d, want 2 (the gap is filled first)", n)
	}
	if f := findVHID(vars, "re0", 1); len(f) != 1 || f[0].Variable != "ifconfig_re0_alias1" {
		t.Errorf("findVHID(re0, 1) = %+v", f)
	}
	if f := findVHID(vars, "re0", 9); len(f) != 0 {
		t.Errorf("findVHID(re0, 9) = %+v: em0's vhid is not re0's", f)
	}
	if !anyCARPAlias(vars) || anyCARPAlias(vars[:1]) {
		t.Error("anyCARPAlias is wrong")
	}
}

func TestRemoveAliasScript(t *testing.T) {
	idx := map[int]aliasVar{
		0: {File: "/etc/rc.conf", Variable: "ifconfig_re0_alias0"},
		1: {File: NetifRCFile, Variable: "ifconfig_re0_alias1"},
		2: {File: "/etc/rc.conf", Variable: "ifconfig_re0_alias2"},
		4: {File: NetifRCFile, Variable: "ifconfig_re0_alias4"},
	}
	want := `sysrc -f /etc/rc.conf.d/netif -x ifconfig_re0_alias1 &&
v=$(sysrc -f /etc/rc.conf -n ifconfig_re0_alias2) && sysrc -f /etc/rc.conf "ifconfig_re0_alias1=$v" >/dev/null && sysrc -f /etc/rc.conf -x ifconfig_re0_alias2 &&
if [ -f /etc/rc.conf.d/netif ] && ! grep -q '[^[:space:]]' /etc/rc.conf.d/netif; then rm -f /etc/rc.conf.d/netif; fi
`
	if got := removeAliasScript(idx, 1); got != want {
		t.Errorf("removeAliasScript =\n%s\nwant\n%s", got, want)
	}
}
