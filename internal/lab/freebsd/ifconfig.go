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
	var kldOK bool
	_ = sim.Update(p.Host, kldState, func(t *kldTable) error {
		t.init()
		kldOK = t.findModule("carp") != nil
		return nil
	})
	var res ifconfigResult
	err = sim.Update(p.Host, ifaceState, func(s *ifaces) error {
		if len(s.List) == 0 {
			*s = seedIfaces(p.Host.Name)
		}
		var aerr error
		res, aerr = req.apply(s.find(name), p.User.IsRoot(), kldOK)
		return aerr
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
	var notes []carpNote
	for _, e := range res.events {
		notes = append(notes, carpTransitionNote(p.Host, e))
	}
	announce(p.Ctx, notes)
	if res.carp {
		promoted := map[string]bool{}
		for _, e := range res.events {
			if e.To == "MASTER" {
				promoted[carpPromotion(p.Host.Name, e.If, e.VHID)] = true
			}
		}
		if err := settleAndAnnounce(p.Ctx, p.Host, promoted); err != nil {
			fmt.Fprintf(p.Stderr, "ifconfig: %v\n", err)
			return 1
		}
	}
	return 0
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
	peer     *string // "peer A.B.C.D"; "mcast" sets ""
	up, down bool
	mtu      int
}

// ifconfigResult is what applying a request did to CARP: the transitions
// it made itself (announced first) and whether the links need settling.
type ifconfigResult struct {
	events []carpTransition
	carp   bool
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
		case "peer":
			v, err := need(a)
			if err != nil {
				return nil, err
			}
			if ip, perr := netip.ParseAddr(v); perr == nil && ip.Is4() {
				r.peer = &v
			} else {
				none := "255.255.255.255" // inet_addr's INADDR_NONE for a bad address
				r.peer = &none
			}
		case "mcast":
			mc := ""
			r.peer = &mc
		case "broadcast", "peer6":
			if _, err := need(a); err != nil {
				return nil, err
			}
		case "mcast6":
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
// the carp callback (SIOCSVH) first, then the address. State changes it
// makes itself are returned; the election that follows is carpSettle's.
func (r *ifconfigReq) apply(f *iface, root, carpLoaded bool) (ifconfigResult, error) {
	var res ifconfigResult
	setState := func(c *carpVHID, to, reason string) {
		if c.State == to {
			return
		}
		res.events = append(res.events, carpTransition{VHID: c.VHID, If: f.Name, From: c.State, To: to, Reason: reason})
		c.State = to
	}
	if r.mtu > 0 || r.up || r.down {
		if !root {
			return res, ifErrf("ioctl SIOCSIFFLAGS (set flags): permission denied")
		}
		if r.mtu > 0 {
			f.MTU = r.mtu
		}
		if r.up {
			f.Flags |= iffUp | iffRunning
		}
		if r.down {
			f.Flags &^= iffUp | iffRunning
		}
		res.carp = res.carp || len(f.Carp) > 0 && (r.up || r.down)
	}
	if r.vhid != 0 && carpLoaded {
		if !root {
			return res, ifErrf("SIOCSVH: Operation not permitted")
		}
		if f.Ether == "" {
			// carp_ioctl: only Ethernet, VLAN and bridge interfaces.
			return res, ifErrf("SIOCSVH: Operation not supported")
		}
		if r.advbase != nil && *r.advbase != 0 && (*r.advbase < carpDefaultAdv || *r.advbase > 255) ||
			r.advskew != nil && (*r.advskew < 0 || *r.advskew >= 255) {
			return res, ifErrf("SIOCSVH: Invalid argument")
		}
		c := f.carp(r.vhid)
		if c == nil {
			f.Carp = append(f.Carp, carpVHID{VHID: r.vhid, State: "INIT", Advbase: carpDefaultAdv})
			c = &f.Carp[len(f.Carp)-1]
		}
		if r.pass != nil && *r.pass != "" {
			c.Key = *r.pass
			if len(c.Key) > 19 {
				c.Key = c.Key[:19] // strlcpy into CARP_KEY_LEN (20) bytes
			}
		}
		if r.advskew != nil {
			c.Advskew = *r.advskew
		}
		if r.advbase != nil && *r.advbase > 0 {
			c.Advbase = *r.advbase
		}
		// carp_ctor sets the multicast group before the arguments are
		// read, so every SIOCSVH without "peer" goes back to it.
		c.Peer = ""
		if r.peer != nil {
			c.Peer = *r.peer
		}
		// The kernel acts on a requested state only outside INIT.
		if c.State != "INIT" {
			switch r.state {
			case "BACKUP":
				setState(c, "BACKUP", "user requested via ifconfig")
				c.Heard = nil
			case "MASTER":
				setState(c, "MASTER", "user requested via ifconfig")
				c.Heard = nil
			}
		}
		res.carp = true
	}
	if r.addr == "" {
		return res, nil
	}
	ip, plen, err := parsePrefix(r.addr, r.netmask)
	if err != nil {
		return res, err
	}
	if r.remove {
		for i, a := range f.Inet {
			if a.IP == ip {
				if !root {
					return res, ifErrf("ioctl (SIOCDIFADDR): permission denied")
				}
				f.Inet = append(f.Inet[:i], f.Inet[i+1:]...)
				if c := f.carp(a.VHID); c != nil {
					// carp_detach: carp_sc_state sets INIT before the vhid
					// goes with its last address.
					setState(c, "INIT", "hardware interface up")
					res.carp = true
				}
				f.dropUnusedCarp(a.VHID)
				return res, nil
			}
		}
		return res, ifErrf("ioctl (SIOCDIFADDR): Can't assign requested address")
	}
	if !root {
		return res, ifErrf("ioctl (SIOCAIFADDR): permission denied")
	}
	if r.vhid != 0 && !carpLoaded {
		return res, ifErrf("ioctl (SIOCAIFADDR): Protocol not supported")
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
		if c := f.carp(r.vhid); c != nil {
			// carp_attach runs carp_sc_state: a new address sends the
			// vhid through INIT into a new election.
			setState(c, "INIT", "hardware interface up")
			c.Heard = nil
			res.carp = true
		}
	}
	// Assigning an address brings the interface up (in_control).
	f.Flags |= iffUp | iffRunning
	return res, nil
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
