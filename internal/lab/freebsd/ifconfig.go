package freebsd

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// carpTransition is one carp_set_state: it is logged and sent to devd.
type carpTransition struct {
	VHID     int
	If       string
	From, To string
	Reason   string
}

// ifErr is an ifconfig error: its text goes to stderr after "ifconfig: ".
type ifErr struct{ msg string }

func (e *ifErr) Error() string { return e.msg }

func ifErrf(format string, a ...any) error { return &ifErr{fmt.Sprintf(format, a...)} }

// ifconfigCmd is /sbin/ifconfig.
func ifconfigCmd(p *sim.Proc) int {
	args := p.Args[1:]
	printKeys, list, all := false, false, false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && len(args[0]) > 1 && !strings.Contains(args[0], "alias") {
		for _, c := range args[0][1:] {
			switch c {
			case 'k':
				printKeys = true
			case 'l':
				list = true
			case 'a', 'u', 'd', 'm', 'L', 'v':
				all = true
			default:
				fmt.Fprintf(p.Stderr, "ifconfig: illegal option -- %c\n", c)
				fmt.Fprintln(p.Stderr, "usage: ifconfig [-j jail] [-f type:format] [-L] [-C] [-g groupname] interface\n"+
					"                address_family [address [dest_address]] [parameters]")
				return 1
			}
		}
		args = args[1:]
	}
	st, err := loadIfaces(p.Host)
	if err != nil {
		fmt.Fprintf(p.Stderr, "ifconfig: %v\n", err)
		return 1
	}
	printKeys = printKeys && p.User.IsRoot()
	if list {
		names := make([]string, len(st.List))
		for i, f := range st.List {
			names[i] = f.Name
		}
		fmt.Fprintln(p.Stdout, strings.Join(names, " "))
		return 0
	}
	if len(args) == 0 || all && len(args) == 0 {
		for i := range st.List {
			renderIface(p.Stdout, &st.List[i], printKeys)
		}
		return 0
	}
	name := args[0]
	f := st.find(name)
	if f == nil {
		fmt.Fprintf(p.Stderr, "ifconfig: interface %s does not exist\n", name)
		return 1
	}
	if len(args) == 1 {
		renderIface(p.Stdout, f, printKeys)
		return 0
	}
	req, err := parseIfconfigArgs(args[1:])
	if err != nil {
		fmt.Fprintf(p.Stderr, "ifconfig: %s\n", err)
		return 1
	}
	var events []carpTransition
	var kldOK bool
	_ = sim.Update(p.Host, kldState, func(t *kldTable) error {
		t.init()
		kldOK = t.findModule("carp") != nil
		return nil
	})
	err = sim.Update(p.Host, ifaceState, func(s *ifaces) error {
		if len(s.List) == 0 {
			*s = seedIfaces(p.Host.Name)
		}
		ev, err := req.apply(s.find(name), p.User.IsRoot(), kldOK)
		events = ev
		return err
	})
	if err != nil {
		var ie *ifErr
		if errors.As(err, &ie) {
			fmt.Fprintf(p.Stderr, "ifconfig: %s\n", ie.msg)
		} else {
			fmt.Fprintf(p.Stderr, "ifconfig: %v\n", err)
		}
		return 1
	}
	for _, e := range events {
		carpAnnounce(p, e)
	}
	return 0
}

// carpAnnounce is what carp_set_state does besides changing the state:
// the kernel log line (net.inet.carp.log > 0) and the devctl notification.
func carpAnnounce(p *sim.Proc, e carpTransition) {
	subsys := fmt.Sprintf("%d@%s", e.VHID, e.If)
	if sysctlValue(p.Host, "net.inet.carp.log") != "0" {
		p.Host.Syslog("kernel", fmt.Sprintf("carp: %s: %s -> %s (%s)", subsys, e.From, e.To, e.Reason))
	}
	devdNotify(p, devdEvent{"system": "CARP", "subsystem": subsys, "type": e.To,
		"*": "!system=CARP subsystem=" + subsys + " type=" + e.To, "_": "system=CARP subsystem=" + subsys + " type=" + e.To})
}

// ifconfigReq is the parsed parameter list of one ifconfig invocation.
type ifconfigReq struct {
	addr     string // with optional /plen
	netmask  string
	alias    bool
	remove   bool
	vhid     int
	pass     *string
	advskew  *int
	advbase  *int
	state    string
	up, down bool
	mtu      int
}

func parseIfconfigArgs(args []string) (*ifconfigReq, error) {
	r := &ifconfigReq{}
	i := 0
	if len(args) > 0 && (args[0] == "inet" || args[0] == "inet6" || args[0] == "link" || args[0] == "ether") {
		if args[0] != "inet" {
			return nil, ifErrf("address family %s is not supported by the lab", args[0])
		}
		i++
	}
	need := func(kw string) (string, error) {
		if i+1 >= len(args) {
			return "", ifErrf("'%s' requires argument", kw)
		}
		i++
		return args[i], nil
	}
	for ; i < len(args); i++ {
		a := args[i]
		switch a {
		case "alias", "add":
			r.alias = true
		case "-alias", "delete", "remove":
			r.remove = true
		case "up":
			r.up = true
		case "down":
			r.down = true
		case "vhid":
			v, err := need(a)
			if err != nil {
				return nil, err
			}
			n, _ := strconv.Atoi(v)
			if n <= 0 || n > 255 {
				return nil, ifErrf("vhid must be greater than 0 and less than 255")
			}
			r.vhid = n
		case "pass", "advskew", "advbase", "state":
			v, err := need(a)
			if err != nil {
				return nil, err
			}
			if r.vhid == 0 {
				if a == "pass" {
					return nil, ifErrf("passwd requires vhid")
				}
				return nil, ifErrf("%s requires vhid", a)
			}
			switch a {
			case "pass":
				r.pass = &v
			case "advskew":
				n, _ := strconv.Atoi(v)
				r.advskew = &n
			case "advbase":
				n, _ := strconv.Atoi(v)
				r.advbase = &n
			case "state":
				s := strings.ToUpper(v)
				if s != "INIT" && s != "BACKUP" && s != "MASTER" {
					return nil, ifErrf("unknown state")
				}
				r.state = s
			}
		case "netmask":
			v, err := need(a)
			if err != nil {
				return nil, err
			}
			r.netmask = v
		case "mtu":
			v, err := need(a)
			if err != nil {
				return nil, err
			}
			r.mtu, _ = strconv.Atoi(v)
		case "broadcast", "peer", "peer6":
			if _, err := need(a); err != nil {
				return nil, err
			}
		case "mcast", "mcast6":
		default:
			if r.addr != "" {
				return nil, ifErrf("%s: bad value", a)
			}
			r.addr = a
		}
	}
	return r, nil
}

// parsePrefix reads A.B.C.D[/N] with an optional netmask parameter; the
// default length is the classful one, as in_getaddr does without a mask.
func parsePrefix(addr, netmask string) (string, int, error) {
	ipS, plenS, hasLen := strings.Cut(addr, "/")
	ip, err := netip.ParseAddr(ipS)
	if err != nil || !ip.Is4() {
		return "", 0, ifErrf("%s: bad value", addr)
	}
	var plen int
	switch {
	case hasLen:
		plen, err = strconv.Atoi(plenS)
		if err != nil || plen < 0 || plen > 32 {
			return "", 0, ifErrf("%s: bad value", addr)
		}
	case netmask != "":
		m, err := netip.ParseAddr(netmask)
		if err != nil {
			if v, perr := strconv.ParseUint(strings.TrimPrefix(netmask, "0x"), 16, 32); perr == nil {
				return ip.String(), onesCount(uint32(v)), nil
			}
			return "", 0, ifErrf("%s: bad value", netmask)
		}
		b := m.As4()
		plen = onesCount(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
	default:
		switch b := ip.As4(); {
		case b[0] < 128:
			plen = 8
		case b[0] < 192:
			plen = 16
		default:
			plen = 24
		}
	}
	return ip.String(), plen, nil
}

func onesCount(v uint32) int {
	n := 0
	for v&0x80000000 != 0 {
		n++
		v <<= 1
	}
	return n
}

// apply changes the interface as the kernel would, in ifconfig's order:
// carp callback (SIOCSVH) first, then the address.
func (r *ifconfigReq) apply(f *iface, root, carpLoaded bool) ([]carpTransition, error) {
	var events []carpTransition
	setState := func(c *carpVHID, to, reason string) {
		if c.State == to {
			return
		}
		events = append(events, carpTransition{VHID: c.VHID, If: f.Name, From: c.State, To: to, Reason: reason})
		c.State = to
	}
	if r.mtu > 0 || r.up || r.down {
		if !root {
			return nil, ifErrf("ioctl SIOCSIFFLAGS (set flags): permission denied")
		}
		if r.mtu > 0 {
			f.MTU = r.mtu
		}
		if r.up {
			f.Flags |= iffUp
		}
		if r.down {
			f.Flags &^= iffUp
		}
	}
	if r.vhid != 0 && carpLoaded {
		if !root {
			return nil, ifErrf("SIOCSVH: Operation not permitted")
		}
		c := f.carp(r.vhid)
		if c == nil {
			f.Carp = append(f.Carp, carpVHID{VHID: r.vhid, State: "INIT", Advbase: carpDefaultAdv})
			c = &f.Carp[len(f.Carp)-1]
		}
		if r.pass != nil {
			c.Key = *r.pass
			if len(c.Key) > 20 {
				c.Key = c.Key[:20]
			}
		}
		if r.advskew != nil {
			c.Advskew = *r.advskew
		}
		if r.advbase != nil {
			c.Advbase = *r.advbase
		}
		switch r.state {
		case "BACKUP":
			setState(c, "BACKUP", "user requested via ifconfig")
		case "MASTER":
			if c.State == "INIT" {
				setState(c, "BACKUP", "initialization complete")
			}
			setState(c, "MASTER", "user requested via ifconfig")
		}
	}
	if r.addr == "" {
		return events, nil
	}
	ip, plen, err := parsePrefix(r.addr, r.netmask)
	if err != nil {
		return nil, err
	}
	if r.remove {
		for i, a := range f.Inet {
			if a.IP == ip {
				if !root {
					return nil, ifErrf("ioctl (SIOCDIFADDR): permission denied")
				}
				f.Inet = append(f.Inet[:i], f.Inet[i+1:]...)
				f.dropUnusedCarp(a.VHID)
				return events, nil
			}
		}
		return nil, ifErrf("ioctl (SIOCDIFADDR): Can't assign requested address")
	}
	if !root {
		return nil, ifErrf("ioctl (SIOCAIFADDR): permission denied")
	}
	if r.vhid != 0 && !carpLoaded {
		return nil, ifErrf("ioctl (SIOCAIFADDR): Protocol not supported")
	}
	na := inetAddr{IP: ip, Plen: plen, VHID: r.vhid}
	replaced := false
	for i, a := range f.Inet {
		if a.IP == ip {
			f.Inet[i], replaced = na, true
		}
	}
	switch {
	case replaced:
	case !r.alias && len(f.Inet) > 0:
		f.Inet[0] = na
	default:
		f.Inet = append(f.Inet, na)
	}
	if r.vhid != 0 && r.state == "" {
		// A new vhid leaves INIT for BACKUP and, with no other master
		// heard on the lab's isolated link, becomes MASTER after the
		// master-down interval.
		c := f.carp(r.vhid)
		if c.State == "INIT" && f.Flags&iffUp != 0 {
			setState(c, "BACKUP", "initialization complete")
			setState(c, "MASTER", "master timed out")
		}
	}
	return events, nil
}

// dropUnusedCarp destroys a vhid whose last address went away (carp_detach).
func (f *iface) dropUnusedCarp(vhid int) {
	if vhid == 0 {
		return
	}
	for _, a := range f.Inet {
		if a.VHID == vhid {
			return
		}
	}
	for i, c := range f.Carp {
		if c.VHID == vhid {
			f.Carp = append(f.Carp[:i], f.Carp[i+1:]...)
			return
		}
	}
}
