package freebsd

import (
	"container/heap"
)

// The CARP election, as the kernel runs it (sys/netinet/ip_carp.c,
// carp_input_c, carp_setrun, carp_master_down, carp_send_ad_locked), on the
// lab's simulated links, with time simulated rather than waited for: a
// change (an ifconfig, a sysctl, a host failing or booting) is followed by
// the advertisements and master-down timers it sets off, in time order,
// until the segment is quiet again. The lab applies the outcome at once.
//
// What the kernel compares is the advertisement interval, a timeval of
// advbase seconds and advskew/256 seconds: advbase dominates and advskew
// breaks ties, and an equal interval counts as "more frequent" for a
// MASTER that hears it. Where the kernel leaves the outcome to when packets
// and timers happen to fire, the lab fixes the phase:
//   - every MASTER advertises at the start of the settle (its interval came
//     round just then), after a node that the change made MASTER, which
//     advertises at once as carp_master_down_locked does;
//   - a BACKUP that was following a master last heard it one advertisement
//     interval of that master earlier, so its master-down timer has that
//     much less to run; a node that enters BACKUP with the change (joining,
//     or set by "state backup") starts its timer with the change.

// carpAdv is what an advertisement carries: advbase and the advskew sent
// (the configured one plus the host's demotion, within 0..240).
type carpAdv struct {
	Advbase int
	Advskew int
}

// interval is the advertisement interval as carp_input_c's timeval, in µs.
func (a carpAdv) interval() int64 {
	return int64(a.Advbase)*1000000 + int64(a.Advskew)*1000000/256
}

// carpMaxSkew is CARP_MAXSKEW, the bound of a demoted advskew.
const carpMaxSkew = 240

// carpNode is one vhid of one host's interface, as the election sees it.
type carpNode struct {
	Host     int // index among the hosts of the settle
	If       string
	VHID     int
	State    string // INIT, BACKUP, MASTER
	Advbase  int
	Advskew  int
	Demotion int    // the host's net.inet.carp.demotion
	Key      string // the HMAC covers the key
	Addrs    string // and the vhid's addresses, sorted
	Peer     string // unicast peer, "" for the multicast group
	HostIPs  []string
	Up       bool // interface up, carp allowed and an address to serve
	Preempt  bool // the host's net.inet.carp.preempt
	Heard    *carpAdv
	Promoted bool // made MASTER by the change: advertises at once
}

func (n *carpNode) sent() carpAdv {
	skew := min(max(n.Advskew+n.Demotion, 0), carpMaxSkew)
	return carpAdv{Advbase: n.Advbase, Advskew: skew}
}

// masterDown is the BACKUP's timer: 3×advbase plus its configured advskew.
func (n *carpNode) masterDown() int64 {
	return int64(3*n.Advbase)*1000000 + int64(n.Advskew)*1000000/256
}

// carpChange is one carp_set_state, at its simulated time (µs from the change).
type carpChange struct {
	Node     int
	From, To string
	Reason   string
	At       int64
}

// accepts reports whether r takes s's advertisement: same link and vhid,
// another host, the same key and addresses (carp_hmac_verify), and, when s
// sends to a unicast peer, r holding that address.
func (r *carpNode) accepts(s *carpNode) bool {
	if r.Host == s.Host || r.If != s.If || r.VHID != s.VHID || !r.Up {
		return false
	}
	if r.Key != s.Key || r.Addrs != s.Addrs {
		return false
	}
	if s.Peer != "" {
		for _, ip := range r.HostIPs {
			if ip == s.Peer {
				return true
			}
		}
		return false
	}
	return true
}

type carpEventKind int

const (
	carpAdvertise carpEventKind = iota
	carpMasterDown
)

type carpEvent struct {
	at   int64
	prio int // 0: an advertisement sent on becoming MASTER
	seq  int
	kind carpEventKind
	node int
}

type carpQueue []carpEvent

func (q carpQueue) Len() int { return len(q) }
func (q carpQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	if q[i].prio != q[j].prio {
		return q[i].prio < q[j].prio
	}
	return q[i].seq < q[j].seq
}
func (q carpQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *carpQueue) Push(x any) {
	if e, ok := x.(carpEvent); ok {
		*q = append(*q, e)
	}
}
func (q *carpQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// carpMaxEvents bounds a settle that would not come to rest.
const carpMaxEvents = 200000

// elect runs the segment until it is quiet and returns the state changes in
// time order; nodes are left in their final states.
func elect(nodes []*carpNode) []carpChange {
	var (
		q        carpQueue
		seq      int
		changes  []carpChange
		deadline = make([]int64, len(nodes))
		last     int64
	)
	push := func(at int64, prio int, kind carpEventKind, node int) {
		seq++
		heap.Push(&q, carpEvent{at: at, prio: prio, seq: seq, kind: kind, node: node})
	}
	set := func(i int, to, reason string, at int64) {
		n := nodes[i]
		if n.State == to {
			return
		}
		changes = append(changes, carpChange{Node: i, From: n.State, To: to, Reason: reason, At: at})
		n.State = to
		last = at
	}
	backup := func(i int, at int64) {
		deadline[i] = at + nodes[i].masterDown()
		push(deadline[i], 1, carpMasterDown, i)
	}
	master := func(i int, reason string, at int64) {
		set(i, "MASTER", reason, at)
		nodes[i].Heard = nil
		push(at, 0, carpAdvertise, i)
	}
	for i, n := range nodes {
		switch {
		case !n.Up:
			set(i, "INIT", "hardware interface down", 0)
			n.Heard = nil
		case n.State == "INIT":
			set(i, "BACKUP", "initialization complete", 0)
			n.Heard = nil
			backup(i, 0)
		case n.State == "MASTER" && n.Promoted:
			push(0, 0, carpAdvertise, i)
		case n.State == "MASTER":
			push(0, 1, carpAdvertise, i)
		case n.Heard != nil:
			backup(i, -n.Heard.interval())
		default:
			backup(i, 0)
		}
	}
	horizon := int64(0)
	for _, n := range nodes {
		horizon = max(horizon, n.masterDown()+n.sent().interval()+1000000)
	}
	for count := 0; q.Len() > 0 && count < carpMaxEvents; count++ {
		e, _ := heap.Pop(&q).(carpEvent)
		if e.at > last+horizon {
			break
		}
		n := nodes[e.node]
		switch e.kind {
		case carpMasterDown:
			if n.State == "BACKUP" && n.Up && deadline[e.node] == e.at {
				master(e.node, "master timed out", e.at)
			}
		case carpAdvertise:
			if n.State != "MASTER" || !n.Up {
				continue
			}
			ad := n.sent()
			for r, rn := range nodes {
				if !rn.accepts(n) {
					continue
				}
				own := rn.sent()
				switch rn.State {
				case "MASTER":
					if own.interval() >= ad.interval() {
						set(r, "BACKUP", "more frequent advertisement received", e.at)
						rn.Heard = &ad
						backup(r, e.at)
					}
				case "BACKUP":
					willTimeOut := int64(3*rn.Advbase)*1000000 + int64(own.Advskew)*1000000/256
					switch {
					case rn.Preempt && own.interval() < ad.interval():
						master(r, "preempting a slower master", e.at)
					case willTimeOut < ad.interval():
						master(r, "master will time out", e.at)
					default:
						rn.Heard = &ad
						backup(r, e.at)
					}
				}
			}
			push(e.at+ad.interval(), 1, carpAdvertise, e.node)
		}
	}
	return changes
}
