package freebsd

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// ifaceState is the Update/Load name of the host's network interfaces.
const ifaceState = "freebsd-ifaces"

// Interface flag bits (net/if.h) and their names, as printb prints them.
const (
	iffUp          = 0x1
	iffBroadcast   = 0x2
	iffLoopback    = 0x8
	iffPointToPnt  = 0x10
	iffRunning     = 0x40
	iffNoARP       = 0x80
	iffSimplex     = 0x800
	iffMulticast   = 0x8000
	iffLowerUp     = 0x1000000
	carpDefaultAdv = 1
)

var iffNames = []struct {
	bit  uint32
	name string
}{
	{iffUp, "UP"}, {iffBroadcast, "BROADCAST"}, {0x4, "DEBUG"}, {iffLoopback, "LOOPBACK"},
	{iffPointToPnt, "POINTOPOINT"}, {0x20, "NEEDSEPOCH"}, {iffRunning, "RUNNING"}, {iffNoARP, "NOARP"},
	{0x100, "PROMISC"}, {0x200, "ALLMULTI"}, {0x400, "DRV_OACTIVE"}, {iffSimplex, "SIMPLEX"},
	{0x1000, "LINK0"}, {0x2000, "LINK1"}, {0x4000, "LINK2"}, {iffMulticast, "MULTICAST"},
	{0x10000, "CANTCONFIG"}, {0x20000, "PPROMISC"}, {0x40000, "MONITOR"}, {0x80000, "STATICARP"},
	{0x100000, "STICKYARP"}, {0x200000, "DYING"}, {0x400000, "RENAMING"}, {0x800000, "PALLMULTI"},
	{iffLowerUp, "LOWER_UP"},
}

// inetAddr is one IPv4 address of an interface.
type inetAddr struct {
	IP   string
	Plen int
	VHID int
}

// carpVHID is one CARP virtual host on an interface.
type carpVHID struct {
	VHID    int
	State   string // INIT, BACKUP, MASTER
	Advbase int
	Advskew int
	Key     string
	// Peer is the unicast peer ("peer A.B.C.D"); empty for the multicast
	// group 224.0.0.18, which every SIOCSVH without "peer" sets again.
	Peer string `json:",omitempty"`
	// Heard is the advertisement a BACKUP last followed (see carp_elect.go).
	Heard *carpAdv `json:",omitempty"`
	// Suppress is sc_suppress: the vhid counts in the interface-down demotion.
	Suppress bool `json:",omitempty"`
}

// iface is one network interface.
type iface struct {
	Name    string
	Flags   uint32
	MTU     int
	Options string // "8209b<RXCSUM,...>"
	Ether   string
	Inet    []inetAddr
	Inet6   []string // "::1 prefixlen 128"
	Carp    []carpVHID
	Media   string
	Status  string
	Groups  []string
	ND6     string
}

// ifaces is the state kept under ifaceState.
type ifaces struct {
	List []iface
}

// hostDigit is the lab's convention: f0 -> 0, f1 -> 1 (addresses 192.168.x.13N).
func hostDigit(name string) int {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] >= '0' && name[i] <= '9' {
			return int(name[i] - '0')
		}
	}
	return 0
}

// seedIfaces is a fresh f3s FreeBSD host: LAN on re0, WireGuard on wg0.
func seedIfaces(host string) ifaces {
	n := hostDigit(host)
	sum := sha256.Sum256([]byte("re0@" + host))
	return ifaces{List: []iface{
		{
			Name: "re0", Flags: iffUp | iffBroadcast | iffRunning | iffSimplex | iffMulticast | iffLowerUp, MTU: 1500,
			Options: "8209b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,WOL_MAGIC,LINKSTATE>",
			Ether:   fmt.Sprintf("e8:ff:1e:%02x:%02x:%02x", sum[0], sum[1], sum[2]),
			Inet:    []inetAddr{{IP: fmt.Sprintf("192.168.1.%d", 130+n), Plen: 24}},
			Media:   "Ethernet autoselect (1000baseT <full-duplex>)", Status: "active",
			ND6: "29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>",
		},
		{
			Name: "lo0", Flags: iffUp | iffLoopback | iffRunning | iffMulticast | iffLowerUp, MTU: 16384,
			Options: "680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>",
			Inet:    []inetAddr{{IP: "127.0.0.1", Plen: 8}},
			Inet6:   []string{"::1 prefixlen 128", "fe80::1%lo0 prefixlen 64 scopeid 0x2"},
			Groups:  []string{"lo"}, ND6: "21<PERFORMNUD,AUTO_LINKLOCAL>",
		},
		{
			Name: "wg0", Flags: iffUp | iffRunning | iffNoARP | iffMulticast | iffLowerUp, MTU: 1420,
			Options: "80000<LINKSTATE>",
			Inet:    []inetAddr{{IP: fmt.Sprintf("192.168.2.%d", 130+n), Plen: 24}},
			Groups:  []string{"wg"}, ND6: "109<PERFORMNUD,IFDISABLED,NO_DAD>",
		},
	}}
}

func loadIfaces(h *sim.Host) (ifaces, error) {
	var out ifaces
	err := sim.Update(h, ifaceState, func(s *ifaces) error {
		if len(s.List) == 0 {
			*s = seedIfaces(h.Name)
		}
		out = *s
		return nil
	})
	return out, err
}

func (s *ifaces) find(name string) *iface {
	for i := range s.List {
		if s.List[i].Name == name {
			return &s.List[i]
		}
	}
	return nil
}

func (f *iface) carp(vhid int) *carpVHID {
	for i := range f.Carp {
		if f.Carp[i].VHID == vhid {
			return &f.Carp[i]
		}
	}
	return nil
}

func printb(v uint32) string {
	var names []string
	for _, n := range iffNames {
		if v&n.bit != 0 {
			names = append(names, n.name)
		}
	}
	return fmt.Sprintf("%x<%s>", v, strings.Join(names, ","))
}

func plenMask(plen int) uint32 {
	if plen <= 0 {
		return 0
	}
	return ^uint32(0) << (32 - plen)
}

// renderIface is `ifconfig IF` (FreeBSD 14 netlink ifconfig): flags,
// options, ether, inet/inet6 addresses, carp, media, status, groups, nd6.
func renderIface(w io.Writer, f *iface, printKeys bool) {
	fmt.Fprintf(w, "%s: flags=%s metric 0 mtu %d\n", f.Name, printb(f.Flags), f.MTU)
	if f.Options != "" {
		fmt.Fprintf(w, "\toptions=%s\n", f.Options)
	}
	if f.Ether != "" {
		fmt.Fprintf(w, "\tether %s\n", f.Ether)
	}
	for _, a := range f.Inet {
		mask := plenMask(a.Plen)
		fmt.Fprintf(w, "\tinet %s netmask 0x%08x", a.IP, mask)
		if f.Flags&iffBroadcast != 0 && a.Plen != 0 {
			ip, _ := netip.ParseAddr(a.IP)
			b := ip.As4()
			v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
			v |= ^mask
			fmt.Fprintf(w, " broadcast %d.%d.%d.%d", v>>24, v>>16&0xff, v>>8&0xff, v&0xff)
		}
		if a.VHID != 0 {
			fmt.Fprintf(w, " vhid %d", a.VHID)
		}
		fmt.Fprintln(w)
	}
	for _, a := range f.Inet6 {
		fmt.Fprintf(w, "\tinet6 %s\n", a)
	}
	for _, c := range f.Carp {
		fmt.Fprintf(w, "\tcarp: %s vhid %d advbase %d advskew %d", c.State, c.VHID, c.Advbase, c.Advskew)
		if printKeys && c.Key != "" {
			fmt.Fprintf(w, " key \"%s\"\n", c.Key)
		} else {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "\t      peer %s peer6 ff02::12\n", firstNonEmpty(c.Peer, "224.0.0.18"))
	}
	if f.Media != "" {
		fmt.Fprintf(w, "\tmedia: %s\n", f.Media)
	}
	if f.Status != "" {
		fmt.Fprintf(w, "\tstatus: %s\n", f.Status)
	}
	if len(f.Groups) > 0 {
		fmt.Fprintf(w, "\tgroups: %s\n", strings.Join(f.Groups, " "))
	}
	if f.ND6 != "" {
		fmt.Fprintf(w, "\tnd6 options=%s\n", f.ND6)
	}
}
