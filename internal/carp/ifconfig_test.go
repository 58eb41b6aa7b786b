package carp

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// The reference's ifconfig re0 (§6.3): two real inet lines from the blog,
// the carp block of FreeBSD 14's carp_status.
const referenceIfconfig = `re0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
	options=8209b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,WOL_MAGIC,LINKSTATE>
	ether e8:ff:1e:d7:1c:ac
	inet 192.168.1.130 netmask 0xffffff00 broadcast 192.168.1.255
	inet 192.168.1.138 netmask 0xffffffff broadcast 192.168.1.138 vhid 1
	carp: MASTER vhid 1 advbase 1 advskew 0
	      peer 224.0.0.18 peer6 ff02::12
	media: Ethernet autoselect (1000baseT <full-duplex>)
	status: active
	nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>
`

func TestParseIfconfig(t *testing.T) {
	withKey := strings.Replace(referenceIfconfig, "advskew 0\n", "advskew 0 key \"testpass\"\n", 1)
	backup := strings.Replace(referenceIfconfig, "carp: MASTER vhid 1 advbase 1 advskew 0", "carp: BACKUP vhid 1 advbase 1 advskew 100", 1)
	all := referenceIfconfig + `lo0: flags=1008049<UP,LOOPBACK,RUNNING,MULTICAST,LOWER_UP> metric 0 mtu 16384
	inet 127.0.0.1 netmask 0xff000000
	inet6 ::1 prefixlen 128
vlan0.100: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
	inet 10.1.0.5 netmask 0xffffff00 broadcast 10.1.0.255 vhid 7
	inet 10.1.0.6 netmask 0xffffff00 broadcast 10.1.0.255 vhid 7
	carp: INIT vhid 7 advbase 3 advskew 254
	      peer 224.0.0.18 peer6 ff02::12
`
	vip := netip.MustParsePrefix("192.168.1.138/32")
	tests := []struct {
		name, out string
		want      []Interface
	}{
		{"reference", referenceIfconfig, []Interface{{Name: "re0", VHIDs: []VHID{
			{Interface: "re0", VHID: 1, State: "MASTER", Advbase: 1, Advskew: 0, Addresses: []netip.Prefix{vip}}}}}},
		{"key (ifconfig -k as root)", withKey, []Interface{{Name: "re0", VHIDs: []VHID{
			{Interface: "re0", VHID: 1, State: "MASTER", Advbase: 1, Advskew: 0, Key: "testpass", Addresses: []netip.Prefix{vip}}}}}},
		{"backup", backup, []Interface{{Name: "re0", VHIDs: []VHID{
			{Interface: "re0", VHID: 1, State: "BACKUP", Advbase: 1, Advskew: 100, Addresses: []netip.Prefix{vip}}}}}},
		{"every interface", all, []Interface{
			{Name: "re0", VHIDs: []VHID{{Interface: "re0", VHID: 1, State: "MASTER", Advbase: 1, Addresses: []netip.Prefix{vip}}}},
			{Name: "lo0"},
			{Name: "vlan0.100", VHIDs: []VHID{{Interface: "vlan0.100", VHID: 7, State: "INIT", Advbase: 3, Advskew: 254,
				Addresses: []netip.Prefix{netip.MustParsePrefix("10.1.0.5/24"), netip.MustParsePrefix("10.1.0.6/24")}}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIfconfig(tt.out)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseIfconfigErrors(t *testing.T) {
	for name, out := range map[string]string{
		"no interface":     "\tinet 1.2.3.4 netmask 0xffffffff\n",
		"bad carp line":    "re0: flags=8843<UP> metric 0 mtu 1500\n\tcarp: MASTER vhid x advbase 1 advskew 0\n",
		"unquoted key":     "re0: flags=8843<UP> metric 0 mtu 1500\n\tcarp: MASTER vhid 1 advbase 1 advskew 0 key \"secret\n",
		"bad inet":         "re0: flags=8843<UP> metric 0 mtu 1500\n\tinet 1.2.3.4\n",
		"bad header":       "re0 flags\n",
		"short carp line":  "re0: flags=8843<UP> metric 0 mtu 1500\n\tcarp: MASTER vhid 1\n",
		"bad netmask":      "re0: flags=8843<UP> metric 0 mtu 1500\n\tinet 1.2.3.4 netmask zz\n",
		"bad inet address": "re0: flags=8843<UP> metric 0 mtu 1500\n\tinet 1.2.3 netmask 0xffffffff\n",
	} {
		_, err := ParseIfconfig(out)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error shows the key: %v", name, err)
		}
	}
}
