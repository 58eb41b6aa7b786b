package lab

import (
	"net/netip"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/freebsd"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// The lab's network: no sockets between simulated hosts. A host that
// "connects" to an address (zrepl's replication) asks sim.Host.Peer, which
// the lab answers from its hosts' interface addresses (the freebsd
// family's state, so an address added or a CARP failover is seen at once).
// Start and Open both install it, so `f3s-lab exec` in another process
// reaches the other hosts too.

// peer returns the host of the lab that holds addr.
func (l *Lab) peer(addr string) (*sim.Host, bool) {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return nil, false
	}
	for _, name := range l.names {
		h := l.hosts[name].host
		if h.OS != sim.FreeBSD || !l.running(l.hosts[name]) {
			continue
		}
		for _, p := range freebsd.Addresses(h) {
			if p.Addr() == ip {
				return h, true
			}
		}
	}
	return nil, false
}

// daemonTick is how often a serving lab lets its hosts' daemons do what
// their clocks have made due (zrepl's periodic snapshotting).
const daemonTick = time.Second

// tickDaemons runs the daemons' due work until the lab stops.
func (l *Lab) tickDaemons() {
	t := time.NewTicker(daemonTick)
	defer t.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
			for _, name := range l.names {
				if l.running(l.hosts[name]) {
					freebsd.ZreplTick(l.hosts[name].host)
				}
			}
		}
	}
}

// networkLockFile serialises the changes that span hosts (sim.Network).
const networkLockFile = "network.lock"

// labNetwork is the lab's LAN as its hosts see it: the hosts that have
// power, and the lab-wide lock of a CARP election.
type labNetwork struct{ l *Lab }

func (n labNetwork) Hosts() []*sim.Host {
	var out []*sim.Host
	for _, name := range n.l.names {
		if rt := n.l.hosts[name]; n.l.running(rt) {
			out = append(out, rt.host)
		}
	}
	return out
}

func (n labNetwork) Lock() (func(), error) { return n.l.netLock.Lock() }
