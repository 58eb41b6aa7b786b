package carp

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host/hosttest"
)

const (
	ifconfigNoCarp = `re0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
	inet 192.168.1.130 netmask 0xffffff00 broadcast 192.168.1.255
	media: Ethernet autoselect (1000baseT <full-duplex>)
`
	ifconfigWithVIP = `re0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
	inet 192.168.1.130 netmask 0xffffff00 broadcast 192.168.1.255
	inet 192.168.1.138 netmask 0xffffffff broadcast 192.168.1.138 vhid 1
	carp: BACKUP vhid 1 advbase 1 advskew 0 key "testpass"
	      peer 224.0.0.18 peer6 ff02::12
`
	addVIP      = "IFS= read -r pass || exit 1\nifconfig re0 inet vhid 1 advbase 1 advskew 0 pass \"$pass\" 192.168.1.138/32 alias\n"
	loaderUnset = "sysrc: unknown variable 'carp_load'\n"
)

var (
	readAliasesCall = func(out string) hosttest.Call { return hosttest.Call{Line: readAliasesScript(), Stdout: out} }
	rcConfOnly      = "==> /etc/rc.conf\nhostname: f0.lan\nifconfig_re0: inet 192.168.1.130/24\n"
	netifWithVIP    = rcConfOnly + "==> /etc/rc.conf.d/netif\nifconfig_re0_alias0: inet vhid 1 pass testpass alias 192.168.1.138/32\n"
)

// TestApplyNew: a host without CARP gets the module, the vhid (its
// password on stdin, never in the command line), the alias variable at
// index 0 of netif's file and carp_load.
func TestApplyNew(t *testing.T) {
	tgt := hosttest.New(t,
		hosttest.Call{Line: "kldstat -q -m carp || kldload carp"},
		hosttest.Call{Line: "ifconfig -k re0", Stdout: ifconfigNoCarp},
		hosttest.Call{Line: addVIP},
		readAliasesCall(rcConfOnly),
		hosttest.Call{Line: setAliasScript(NetifRCFile, "ifconfig_re0_alias0")},
		hosttest.Call{Line: "sysrc -f /boot/loader.conf -v -- carp_load", Stderr: loaderUnset, Code: 1},
		hosttest.Call{Line: "sysrc -f /boot/loader.conf -- carp_load=YES", Stdout: "carp_load:  -> YES\n"},
	)
	if err := Apply(context.Background(), tgt, articleAddress); err != nil {
		t.Fatal(err)
	}
	if tgt.Unlocked() != 3 {
		t.Errorf("%d commands ran outside the rc files' locks, want 3 (the module and the live interface; every file edit is locked)", tgt.Unlocked())
	}
}

// TestApplyAdopts: what is already there is left alone, which is how an
// interrupted apply converges.
func TestApplyAdopts(t *testing.T) {
	tgt := hosttest.New(t,
		hosttest.Call{Line: "kldstat -q -m carp || kldload carp"},
		hosttest.Call{Line: "ifconfig -k re0", Stdout: ifconfigWithVIP},
		readAliasesCall(netifWithVIP),
		hosttest.Call{Line: "sysrc -f /boot/loader.conf -v -- carp_load", Stdout: "/boot/loader.conf: carp_load: YES\n"},
	)
	if err := Apply(context.Background(), tgt, articleAddress); err != nil {
		t.Fatal(err)
	}
}

// TestApplyChanges: new parameters are set without re-adding the address;
// a new address is added before the old goes, so the vhid stays.
func TestApplyChanges(t *testing.T) {
	a := articleAddress
	a.Advskew, a.Password = 100, "newpass"
	a.Address = netip.MustParsePrefix("192.168.1.139/32")
	tgt := hosttest.New(t,
		hosttest.Call{Line: "kldstat -q -m carp || kldload carp"},
		hosttest.Call{Line: "ifconfig -k re0", Stdout: ifconfigWithVIP},
		hosttest.Call{Line: "IFS= read -r pass || exit 1\nifconfig re0 vhid 1 advbase 1 advskew 100 pass \"$pass\"\n"},
		hosttest.Call{Line: "IFS= read -r pass || exit 1\nifconfig re0 inet vhid 1 advbase 1 advskew 100 pass \"$pass\" 192.168.1.139/32 alias\n"},
		hosttest.Call{Line: "ifconfig re0 inet 192.168.1.138 -alias"},
		readAliasesCall(netifWithVIP),
		hosttest.Call{Line: setAliasScript(NetifRCFile, "ifconfig_re0_alias0")},
		hosttest.Call{Line: "sysrc -f /boot/loader.conf -v -- carp_load", Stdout: "/boot/loader.conf: carp_load: YES\n"},
	)
	if err := Apply(context.Background(), tgt, a); err != nil {
		t.Fatal(err)
	}
}

func TestReadNotFound(t *testing.T) {
	tgt := hosttest.New(t,
		hosttest.Call{Line: "ifconfig -k re0", Stdout: ifconfigNoCarp},
		readAliasesCall(rcConfOnly),
		hosttest.Call{Line: "sysrc -f /boot/loader.conf -v -- carp_load", Stderr: loaderUnset, Code: 1},
	)
	if _, err := Read(context.Background(), tgt, "re0", 1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Read = %v, want ErrNotFound", err)
	}
}

// TestReadFailureHidesKeys: a failed ifconfig -k keeps no output in its
// error, as the output holds keys.
func TestReadFailureHidesKeys(t *testing.T) {
	tgt := hosttest.New(t, hosttest.Call{Line: "ifconfig -k re0", Stdout: ifconfigWithVIP, Stderr: "ifconfig: oops\n", Code: 1})
	_, err := Read(context.Background(), tgt, "re0", 1)
	if err == nil || strings.Contains(err.Error(), "testpass") {
		t.Fatalf("Read = %v: want an error without the key", err)
	}
}

func TestRemove(t *testing.T) {
	tgt := hosttest.New(t,
		hosttest.Call{Line: "ifconfig -k re0", Stdout: ifconfigWithVIP},
		hosttest.Call{Line: "ifconfig re0 inet 192.168.1.138 -alias"},
		readAliasesCall(netifWithVIP),
		hosttest.Call{Line: removeAliasScript(aliasIndexes(parseAliases(netifWithVIP), "re0"), 0)},
		readAliasesCall(rcConfOnly),
		hosttest.Call{Line: "sysrc -f /boot/loader.conf -v -- carp_load", Stdout: "/boot/loader.conf: carp_load: YES\n"},
		hosttest.Call{Line: "sysrc -f /boot/loader.conf -x -- carp_load"},
	)
	if err := Remove(context.Background(), tgt, "re0", 1); err != nil {
		t.Fatal(err)
	}
}

func TestApplyRefusesDuplicates(t *testing.T) {
	twice := netifWithVIP + "ifconfig_re0_alias1: inet vhid 1 pass x alias 192.168.1.140/32\n"
	tgt := hosttest.New(t,
		hosttest.Call{Line: "kldstat -q -m carp || kldload carp"},
		hosttest.Call{Line: "ifconfig -k re0", Stdout: ifconfigWithVIP},
		readAliasesCall(twice),
	)
	err := Apply(context.Background(), tgt, articleAddress)
	if err == nil || !strings.Contains(err.Error(), "several alias variables") || strings.Contains(err.Error(), "testpass") {
		t.Fatalf("Apply = %v", err)
	}
}
