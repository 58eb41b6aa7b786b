package freebsd

import (
	"bufio"
	"net/netip"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Addresses lists the IPv4 addresses host h answers on, with their prefix
// lengths: every address of an interface that is up, a CARP address only
// while its vhid is MASTER there, loopback excluded. The lab's network
// (sim.Host.Peer) routes a connection to the host that holds the address.
// It reads the interfaces with Peek: NFS clients' path checks route
// through it, inside other commands' state updates.
func Addresses(h *sim.Host) []netip.Prefix {
	s, err := sim.Peek[ifaces](h, ifaceState)
	if err != nil || len(s.List) == 0 {
		s = seedIfaces(h.Name)
	}
	var out []netip.Prefix
	for i := range s.List {
		f := &s.List[i]
		if f.Flags&iffUp == 0 || f.Flags&iffLoopback != 0 {
			continue
		}
		for _, a := range f.Inet {
			if a.VHID != 0 {
				if c := f.carp(a.VHID); c == nil || c.State != "MASTER" {
					continue
				}
			}
			ip, err := netip.ParseAddr(a.IP)
			if err != nil || ip.IsLoopback() {
				continue
			}
			out = append(out, netip.PrefixFrom(ip, a.Plen))
		}
	}
	return out
}

// sourceAddr is the address h's kernel would pick to reach dst: one on a
// directly connected network, else the first one.
func sourceAddr(h *sim.Host, dst netip.Addr) (netip.Addr, bool) {
	if dst.IsLoopback() {
		return dst, true
	}
	addrs := Addresses(h)
	for _, p := range addrs {
		if p.Masked().Contains(dst) {
			return p.Addr(), true
		}
	}
	if len(addrs) == 0 {
		return netip.Addr{}, false
	}
	return addrs[0].Addr(), true
}

// resolveHost is the resolver's answer for a name: an address as such, or
// the first /etc/hosts entry of h naming it.
func resolveHost(h *sim.Host, name string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(name); err == nil {
		return ip, true
	}
	data, err := h.Tree.ReadFile(rootUser(), "/etc/hosts")
	if err != nil {
		return netip.Addr{}, false
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		for _, n := range f[1:] {
			if n == name {
				if ip, err := netip.ParseAddr(f[0]); err == nil {
					return ip, true
				}
			}
		}
	}
	return netip.Addr{}, false
}

// peerOf is the host holding ip: h itself for its own and loopback addresses.
func peerOf(h *sim.Host, ip netip.Addr) (*sim.Host, bool) {
	if ip.IsLoopback() {
		return h, true
	}
	for _, p := range Addresses(h) {
		if p.Addr() == ip {
			return h, true
		}
	}
	return h.Peer(ip.String())
}
