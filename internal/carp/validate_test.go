package carp

import (
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) error
		ok    []string
		bad   []string
	}{
		{"interface", ValidateInterface, []string{"re0", "vlan0.100", "lagg0", "lan_1"},
			[]string{"", "-re0", "re 0", "re0.", "0re", "re0;x", "abcdefghijklmnop"}},
		{"address", ValidateAddress, []string{"192.168.1.138", "10.0.0.1"},
			[]string{"", "192.168.1.138/32", "fe80::1", "0.0.0.0", "224.0.0.18", "127.0.0.1", "host"}},
		{"password", ValidatePassword, []string{"testpass", "a", "Pa.s_s+w=o@r%d^,:~-", "abcdefghijklmnopqrs"},
			[]string{"", "-pass", "two words", "q'uote", `dq"`, "back\\slash", "$HOME", "glob*", "a[b]", "abcdefghijklmnopqrst", "tab\t"}},
		{"rc file", ValidateRCFile, []string{"/etc/rc.conf", "/etc/rc.conf.local", "/etc/rc.conf.d/netif"},
			[]string{"", "/etc/rc.conf.d/carp", "/boot/loader.conf", "etc/rc.conf"}},
		{"script path", ValidateScriptPath, []string{"/usr/local/bin/carp", "/usr/local/bin/carp-auto-failback.sh", "/opt/x@y+z"},
			[]string{"", "carp", "/usr/local/bin/a b", "/usr/local/bin/$x", "/usr/local/bin/", "/usr/../bin/carp", "/usr/local/bin/'q'"}},
	}
	for _, tt := range tests {
		for _, v := range tt.ok {
			if err := tt.check(v); err != nil {
				t.Errorf("%s %q: %v", tt.name, v, err)
			}
		}
		for _, v := range tt.bad {
			if tt.check(v) == nil {
				t.Errorf("%s %q: accepted", tt.name, v)
			}
		}
	}
}

func TestCheckOS(t *testing.T) {
	if err := CheckOS(host.Info{OS: "FreeBSD"}); err != nil {
		t.Error(err)
	}
	if err := CheckOS(host.Info{OS: "Linux", Release: "9.4"}); err == nil {
		t.Error("Linux accepted")
	}
}
