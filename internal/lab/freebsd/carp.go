package freebsd

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// CARP between the lab's hosts. All hosts' interfaces of one name are one
// link (every re0 is on the article's LAN); a vhid's advertisements reach
// the hosts that configured the same vhid on that link and accept them.
// After every change that can move a master (ifconfig, a carp sysctl, a
// host failing or booting) the lab settles the links: it runs the election
// (carp_elect.go) over every powered-on FreeBSD host, under the network's
// lock, stores the outcome, and then announces each state change where it
// happened, in the order the election made them: the kernel log line and
// the devctl notification, whose devd action runs to its end before the
// next change is announced.

// carpNote is one thing a settle makes a host's kernel say: a log line
// and, for a state change, a devctl notification.
type carpNote struct {
	host  *sim.Host
	log   string
	event devdEvent
}

// carpPromotion names a vhid that the change being settled made MASTER
// ("host|if|vhid"): it advertises at once.
func carpPromotion(host, ifName string, vhid int) string {
	return fmt.Sprintf("%s|%s|%d", host, ifName, vhid)
}

// carpHostConf is what a host's kernel contributes to a settle.
type carpHostConf struct {
	h         *sim.Host
	demotion  int
	allow     bool
	preempt   bool
	ifdownAdj int
	demoted   int // demotion added by this settle (interface up/down)
}

func sysctlInt(s sysctls, name string) int {
	v, ok := s.Values[name]
	if !ok {
		v = sysctlDefaults[name].value
	}
	n, _ := strconv.Atoi(v)
	return n
}

// carpHosts are the hosts on h's links: every powered-on FreeBSD host of
// the lab, or h alone when it has no network.
func carpHosts(h *sim.Host) (hosts []*sim.Host, unlock func(), err error) {
	n := h.Network()
	if n == nil {
		return []*sim.Host{h}, func() {}, nil
	}
	unlock, err = n.Lock()
	if err != nil {
		return nil, nil, err
	}
	for _, x := range n.Hosts() {
		if x.OS == sim.FreeBSD {
			hosts = append(hosts, x)
		}
	}
	return hosts, unlock, nil
}

// carpSettle runs the election on h's links and stores its outcome; the
// caller announces the notes (outside every lock: devd actions run
// commands, which may settle again).
func carpSettle(h *sim.Host, promoted map[string]bool) ([]carpNote, error) {
	hosts, unlock, err := carpHosts(h)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var (
		nodes    []*carpNode
		confs    []*carpHostConf
		where    []struct{ host, iface, vhid int }
		linkDown []bool
		suppress []bool
	)
	for hi, x := range hosts {
		kld, _ := sim.Load[kldTable](x, kldState)
		kld.init()
		if kld.findModule("carp") == nil {
			confs = append(confs, nil)
			continue
		}
		st, err := loadIfaces(x)
		if err != nil {
			return nil, err
		}
		sc, _ := sim.Load[sysctls](x, sysctlState)
		c := &carpHostConf{h: x, demotion: sysctlInt(sc, "net.inet.carp.demotion"), allow: sysctlInt(sc, "net.inet.carp.allow") != 0,
			preempt: sysctlInt(sc, "net.inet.carp.preempt") != 0, ifdownAdj: sysctlInt(sc, "net.inet.carp.ifdown_demotion_factor")}
		confs = append(confs, c)
		for fi, f := range st.List {
			var ips []string
			for _, a := range f.Inet {
				ips = append(ips, a.IP)
			}
			for ci, cv := range f.Carp {
				var addrs []string
				for _, a := range f.Inet {
					if a.VHID == cv.VHID {
						addrs = append(addrs, a.IP)
					}
				}
				sort.Slice(addrs, func(i, j int) bool { return ipLess(addrs[i], addrs[j]) })
				n := &carpNode{Host: hi, If: f.Name, VHID: cv.VHID, State: cv.State, Advbase: cv.Advbase, Advskew: cv.Advskew,
					Key: cv.Key, Addrs: strings.Join(addrs, ","), Peer: cv.Peer, HostIPs: ips, Preempt: c.preempt,
					Up: f.Flags&iffUp != 0 && c.allow && len(addrs) > 0, Heard: cv.Heard,
					Promoted: promoted[carpPromotion(x.Name, f.Name, cv.VHID)]}
				nodes = append(nodes, n)
				where = append(where, struct{ host, iface, vhid int }{hi, fi, ci})
				linkDown = append(linkDown, f.Flags&iffUp == 0 || !c.allow)
				suppress = append(suppress, cv.Suppress)
			}
		}
	}
	// carp_sc_state: a vhid whose interface went down (or whose host no
	// longer allows CARP) demotes the host once; coming back up undoes it.
	var demoteNotes []carpNote
	for i, n := range nodes {
		c := confs[n.Host]
		switch {
		case linkDown[i] && !suppress[i]:
			c.demotion += c.ifdownAdj
			c.demoted += c.ifdownAdj
			suppress[i] = true
			demoteNotes = append(demoteNotes, carpNote{host: c.h, log: fmt.Sprintf("demoted by %d to %d (interface down)", c.ifdownAdj, c.demotion)})
		case !linkDown[i] && suppress[i]:
			c.demotion -= c.ifdownAdj
			c.demoted -= c.ifdownAdj
			suppress[i] = false
			demoteNotes = append(demoteNotes, carpNote{host: c.h, log: fmt.Sprintf("demoted by %d to %d (interface up)", -c.ifdownAdj, c.demotion)})
		}
	}
	for _, n := range nodes {
		n.Demotion = confs[n.Host].demotion
	}
	changes := elect(nodes)
	for hi, c := range confs {
		if c == nil {
			continue
		}
		err := sim.Update(c.h, ifaceState, func(s *ifaces) error {
			for i, n := range nodes {
				w := where[i]
				if w.host != hi || w.iface >= len(s.List) {
					continue
				}
				cv := s.List[w.iface].carp(n.VHID)
				if cv == nil {
					continue
				}
				cv.State, cv.Heard, cv.Suppress = n.State, n.Heard, suppress[i]
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if c.demoted != 0 {
			if err := sim.Update(c.h, sysctlState, func(s *sysctls) error {
				if s.Values == nil {
					s.Values = map[string]string{}
				}
				s.Values["net.inet.carp.demotion"] = strconv.Itoa(c.demotion)
				return nil
			}); err != nil {
				return nil, err
			}
		}
	}
	var notes []carpNote
	for _, ch := range changes {
		if ch.At > 0 && demoteNotes != nil {
			notes, demoteNotes = append(notes, demoteNotes...), nil
		}
		n := nodes[ch.Node]
		notes = append(notes, carpTransitionNote(confs[n.Host].h, carpTransition{VHID: n.VHID, If: n.If, From: ch.From, To: ch.To, Reason: ch.Reason}))
	}
	return append(notes, demoteNotes...), nil
}

// ipLess orders IPv4 addresses numerically, as carp_hmac_prepare does.
func ipLess(a, b string) bool {
	x, errX := netip.ParseAddr(a)
	y, errY := netip.ParseAddr(b)
	if errX != nil || errY != nil {
		return a < b
	}
	return x.Less(y)
}

// carpTransitionNote is carp_set_state's log line and devctl_notify.
func carpTransitionNote(h *sim.Host, e carpTransition) carpNote {
	subsys := fmt.Sprintf("%d@%s", e.VHID, e.If)
	return carpNote{
		host:  h,
		log:   fmt.Sprintf("%s: %s -> %s (%s)", subsys, e.From, e.To, e.Reason),
		event: devdEvent{"system": "CARP", "subsystem": subsys, "type": e.To},
	}
}

// announce logs each note on its host (net.inet.carp.log > 0, LOG_INFO
// with the tag the kernel's messages carry in /var/log/messages) and hands
// its event to the host's devctl, in order.
func announce(ctx context.Context, notes []carpNote) {
	for _, n := range notes {
		if n.log != "" {
			sc, _ := sim.Load[sysctls](n.host, sysctlState)
			if sysctlInt(sc, "net.inet.carp.log") > 0 {
				n.host.Syslog("kernel", "carp: "+n.log)
			}
		}
		if n.event != nil {
			devctlNotify(ctx, n.host, n.event)
		}
	}
}

// settleAndAnnounce settles h's links and announces what changed.
func settleAndAnnounce(ctx context.Context, h *sim.Host, promoted map[string]bool) error {
	notes, err := carpSettle(h, promoted)
	if err != nil {
		return err
	}
	announce(ctx, notes)
	return nil
}

// SettleCARP runs the CARP election on the links of host h (and its
// network's other hosts), stores the outcome and runs what it sets off:
// kernel log lines and devd actions on every host that changed state, in
// the order of the changes. The lab calls it after a host failed; commands
// that change CARP (ifconfig, sysctl) settle by themselves.
func SettleCARP(ctx context.Context, h *sim.Host) error {
	return settleAndAnnounce(ctx, h, nil)
}
