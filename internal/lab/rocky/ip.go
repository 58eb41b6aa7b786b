package rocky

import (
	"fmt"
	"net"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// netState is the host's interfaces as ip(8) shows them.
type netState struct {
	Interfaces []netIf
}

type netIf struct {
	Index int
	Name  string
	MAC   string
	Addr  string // CIDR, IPv4
	Addr6 string // CIDR, IPv6 link-local or loopback
	MTU   int
}

// lanAddress is 192.168.1.12N for host rN (r0 -> 120), as the article's
// clients; other names (a laptop) get .140.
func lanAddress(host string) string {
	last := host[len(host)-1]
	if last >= '0' && last <= '9' && len(host) > 1 {
		return fmt.Sprintf("192.168.1.12%c/24", last)
	}
	return "192.168.1.140/24"
}

func defaultNet(host string) netState {
	n := 0
	for _, c := range host {
		n = n*31 + int(c)
	}
	mac := fmt.Sprintf("58:9c:fc:%02x:%02x:%02x", n>>16&0xff, n>>8&0xff, n&0xff)
	return netState{Interfaces: []netIf{
		{Index: 1, Name: "lo", MAC: "00:00:00:00:00:00", Addr: "127.0.0.1/8", Addr6: "::1/128", MTU: 65536},
		{Index: 2, Name: "enp0s5", MAC: mac, Addr: lanAddress(host), Addr6: fmt.Sprintf("fe80::5a9c:fcff:fe%02x:%02x%02x/64", n>>16&0xff, n>>8&0xff, n&0xff), MTU: 1500},
	}}
}

// ipCmd is iproute2's `ip [-4|-6] [-br] addr [show [dev] IF]`.
func ipCmd(p *sim.Proc) int {
	fam := ""
	brief := false
	args := p.Args[1:]
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-4":
			fam = "4"
		case "-6":
			fam = "6"
		case "-br", "-brief":
			brief = true
		case "-c", "-color", "--color", "-o", "-oneline":
		default:
			errw(p, "Option \"%s\" is unknown, try \"ip -help\".", args[0])
			return 255
		}
		args = args[1:]
	}
	if len(args) == 0 {
		errw(p, "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }")
		return 255
	}
	obj := args[0]
	if !strings.HasPrefix("address", obj) || obj == "" {
		errw(p, "lab: ip %s is not emulated", obj)
		return 255
	}
	args = args[1:]
	if len(args) > 0 && (args[0] == "show" || args[0] == "list" || args[0] == "ls" || args[0] == "s") {
		args = args[1:]
	}
	dev := ""
	if len(args) > 0 && args[0] == "dev" {
		args = args[1:]
	}
	if len(args) > 0 {
		dev = args[0]
	}
	n, err := sim.Load[netState](p.Host, netStateName)
	if err != nil || len(n.Interfaces) == 0 {
		n = defaultNet(p.Host.Name)
	}
	found := false
	for _, i := range n.Interfaces {
		if dev != "" && i.Name != dev {
			continue
		}
		found = true
		flags, state, qdisc := "<BROADCAST,MULTICAST,UP,LOWER_UP>", "UP", "fq_codel"
		if i.Name == "lo" {
			flags, state, qdisc = "<LOOPBACK,UP,LOWER_UP>", "UNKNOWN", "noqueue"
		}
		if brief {
			var addrs []string
			if fam != "6" {
				addrs = append(addrs, i.Addr)
			}
			if fam != "4" {
				addrs = append(addrs, i.Addr6)
			}
			outw(p.Stdout, "%-16s %-14s %s ", i.Name, state, strings.Join(addrs, " "))
			continue
		}
		outw(p.Stdout, "%d: %s: %s mtu %d qdisc %s state %s group default qlen 1000", i.Index, i.Name, flags, i.MTU, qdisc, state)
		if fam == "" {
			if i.Name == "lo" {
				outw(p.Stdout, "    link/loopback %s brd 00:00:00:00:00:00", i.MAC)
			} else {
				outw(p.Stdout, "    link/ether %s brd ff:ff:ff:ff:ff:ff", i.MAC)
			}
		}
		if fam != "6" && i.Addr != "" {
			if i.Name == "lo" {
				outw(p.Stdout, "    inet %s scope host lo", i.Addr)
			} else {
				outw(p.Stdout, "    inet %s brd %s scope global noprefixroute %s", i.Addr, broadcast(i.Addr), i.Name)
			}
			outw(p.Stdout, "       valid_lft forever preferred_lft forever")
		}
		if fam != "4" && i.Addr6 != "" {
			if i.Name == "lo" {
				outw(p.Stdout, "    inet6 %s scope host ", i.Addr6)
			} else {
				outw(p.Stdout, "    inet6 %s scope link noprefixroute ", i.Addr6)
			}
			outw(p.Stdout, "       valid_lft forever preferred_lft forever")
		}
	}
	if dev != "" && !found {
		errw(p, "Device \"%s\" does not exist.", dev)
		return 1
	}
	return 0
}

func broadcast(cidr string) string {
	ip, ipn, err := net.ParseCIDR(cidr)
	if err != nil || ip.To4() == nil {
		return ""
	}
	b := make(net.IP, 4)
	for k := range b {
		b[k] = ipn.IP.To4()[k] | ^ipn.Mask[k]
	}
	return b.String()
}
