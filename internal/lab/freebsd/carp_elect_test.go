package freebsd

import (
	"fmt"
	"strings"
	"testing"
)

// node is a test vhid: host index, state, advbase, advskew.
func node(host int, state string, advbase, advskew int) *carpNode {
	return &carpNode{Host: host, If: "re0", VHID: 1, State: state, Advbase: advbase, Advskew: advskew,
		Key: "testpass", Addrs: "192.168.1.138", Up: true}
}

func (n *carpNode) with(f func(n *carpNode)) *carpNode { f(n); return n }

func changesText(nodes []*carpNode, ch []carpChange) string {
	var b strings.Builder
	for _, c := range ch {
		fmt.Fprintf(&b, "f%d %s->%s (%s)@%dms; ", nodes[c.Node].Host, c.From, c.To, c.Reason, c.At/1000)
	}
	return strings.TrimSuffix(b.String(), "; ")
}

func statesText(nodes []*carpNode) string {
	var s []string
	for _, n := range nodes {
		s = append(s, fmt.Sprintf("f%d=%s", n.Host, n.State))
	}
	return strings.Join(s, " ")
}

func TestElect(t *testing.T) {
	heard := func(advbase, advskew int) func(n *carpNode) {
		return func(n *carpNode) { n.Heard = &carpAdv{advbase, advskew} }
	}
	preempt := func(n *carpNode) { n.Preempt = true }
	promoted := func(n *carpNode) { n.Promoted = true }
	tests := []struct {
		name    string
		nodes   []*carpNode
		states  string
		changes string
	}{
		{"alone: the master-down timer makes it master",
			[]*carpNode{node(0, "INIT", 1, 0)}, "f0=MASTER",
			"f0 INIT->BACKUP (initialization complete)@0ms; f0 BACKUP->MASTER (master timed out)@3000ms"},
		{"a backup joins a master and stays backup",
			[]*carpNode{node(0, "MASTER", 1, 0), node(1, "INIT", 1, 100)}, "f0=MASTER f1=BACKUP",
			"f1 INIT->BACKUP (initialization complete)@0ms"},
		{"a better node joining does not take over without preempt",
			[]*carpNode{node(0, "MASTER", 1, 100), node(1, "INIT", 1, 0)}, "f0=MASTER f1=BACKUP",
			"f1 INIT->BACKUP (initialization complete)@0ms"},
		{"with preempt the better node takes over at the first advertisement",
			[]*carpNode{node(0, "MASTER", 1, 100), node(1, "INIT", 1, 0).with(preempt)}, "f0=BACKUP f1=MASTER",
			"f1 INIT->BACKUP (initialization complete)@0ms; f1 BACKUP->MASTER (preempting a slower master)@0ms; " +
				"f0 MASTER->BACKUP (more frequent advertisement received)@0ms"},
		{"advbase dominates advskew: 1s+200/256 is more frequent than 2s",
			[]*carpNode{node(0, "MASTER", 1, 200), node(1, "INIT", 2, 0).with(preempt)}, "f0=MASTER f1=BACKUP",
			"f1 INIT->BACKUP (initialization complete)@0ms"},
		{"advbase dominates advskew, the other way round",
			[]*carpNode{node(0, "MASTER", 2, 0), node(1, "INIT", 1, 200).with(preempt)}, "f0=BACKUP f1=MASTER",
			"f1 INIT->BACKUP (initialization complete)@0ms; f1 BACKUP->MASTER (preempting a slower master)@0ms; " +
				"f0 MASTER->BACKUP (more frequent advertisement received)@0ms"},
		{"equal intervals: preempt needs strictly more frequent",
			[]*carpNode{node(0, "MASTER", 1, 0), node(1, "INIT", 1, 0).with(preempt)}, "f0=MASTER f1=BACKUP",
			"f1 INIT->BACKUP (initialization complete)@0ms"},
		{"forced master at equal intervals: the old master hears an equal advertisement and yields",
			[]*carpNode{node(0, "MASTER", 1, 0), node(1, "MASTER", 1, 0).with(promoted)}, "f0=BACKUP f1=MASTER",
			"f0 MASTER->BACKUP (more frequent advertisement received)@0ms"},
		{"forced master on the less frequent node: it yields again",
			[]*carpNode{node(0, "MASTER", 1, 0), node(1, "MASTER", 1, 100).with(promoted)}, "f0=MASTER f1=BACKUP",
			"f1 MASTER->BACKUP (more frequent advertisement received)@0ms"},
		{"state backup on the master: the backup takes over after its master-down timer",
			[]*carpNode{node(0, "BACKUP", 1, 0), node(1, "BACKUP", 1, 100).with(heard(1, 0))}, "f0=BACKUP f1=MASTER",
			"f1 BACKUP->MASTER (master timed out)@2390ms"},
		{"state backup on the master with preempt: it takes the role back",
			[]*carpNode{node(0, "BACKUP", 1, 0).with(preempt), node(1, "BACKUP", 1, 100).with(heard(1, 0))}, "f0=MASTER f1=BACKUP",
			"f1 BACKUP->MASTER (master timed out)@2390ms; f0 BACKUP->MASTER (preempting a slower master)@2390ms; " +
				"f1 MASTER->BACKUP (more frequent advertisement received)@2390ms"},
		{"the master fails: the backup with the lowest advskew wins",
			[]*carpNode{node(1, "BACKUP", 1, 100).with(heard(1, 0)), node(2, "BACKUP", 1, 50).with(heard(1, 0))}, "f1=BACKUP f2=MASTER",
			"f2 BACKUP->MASTER (master timed out)@2195ms"},
		{"a different password: both masters (split brain)",
			[]*carpNode{node(0, "MASTER", 1, 0), node(1, "INIT", 1, 100).with(func(n *carpNode) { n.Key = "other" })}, "f0=MASTER f1=MASTER",
			"f1 INIT->BACKUP (initialization complete)@0ms; f1 BACKUP->MASTER (master timed out)@3390ms"},
		{"a different address set: the HMAC differs, split brain",
			[]*carpNode{node(0, "MASTER", 1, 0), node(1, "INIT", 1, 100).with(func(n *carpNode) { n.Addrs = "192.168.1.139" })}, "f0=MASTER f1=MASTER",
			"f1 INIT->BACKUP (initialization complete)@0ms; f1 BACKUP->MASTER (master timed out)@3390ms"},
		{"another vhid is another election",
			[]*carpNode{node(0, "MASTER", 1, 0), node(1, "INIT", 1, 0).with(func(n *carpNode) { n.VHID = 2 })}, "f0=MASTER f1=MASTER",
			"f1 INIT->BACKUP (initialization complete)@0ms; f1 BACKUP->MASTER (master timed out)@3000ms"},
		{"a master that will time out is treated as timed out",
			[]*carpNode{node(0, "MASTER", 10, 0), node(1, "INIT", 1, 0)}, "f0=BACKUP f1=MASTER",
			"f1 INIT->BACKUP (initialization complete)@0ms; f1 BACKUP->MASTER (master will time out)@0ms; " +
				"f0 MASTER->BACKUP (more frequent advertisement received)@0ms"},
		{"demotion counts in the advertised advskew",
			[]*carpNode{node(0, "MASTER", 1, 0).with(func(n *carpNode) { n.Demotion = 240 }), node(1, "BACKUP", 1, 100).with(preempt).with(heard(1, 240))}, "f0=BACKUP f1=MASTER",
			"f1 BACKUP->MASTER (preempting a slower master)@0ms; f0 MASTER->BACKUP (more frequent advertisement received)@0ms"},
		{"an interface going down leaves INIT; the backup takes over",
			[]*carpNode{node(0, "MASTER", 1, 0).with(func(n *carpNode) { n.Up = false }), node(1, "BACKUP", 1, 100).with(heard(1, 0))}, "f0=INIT f1=MASTER",
			"f0 MASTER->INIT (hardware interface down)@0ms; f1 BACKUP->MASTER (master timed out)@2390ms"},
		{"two nodes starting at once: the lower advskew times out first",
			[]*carpNode{node(0, "INIT", 1, 100), node(1, "INIT", 1, 0)}, "f0=BACKUP f1=MASTER",
			"f0 INIT->BACKUP (initialization complete)@0ms; f1 INIT->BACKUP (initialization complete)@0ms; f1 BACKUP->MASTER (master timed out)@3000ms"},
		{"two equal nodes starting at once: the first in the lab's order",
			[]*carpNode{node(0, "INIT", 1, 0), node(1, "INIT", 1, 0)}, "f0=MASTER f1=BACKUP",
			"f0 INIT->BACKUP (initialization complete)@0ms; f1 INIT->BACKUP (initialization complete)@0ms; f0 BACKUP->MASTER (master timed out)@3000ms"},
		{"unicast: advertisements reach only the peer",
			[]*carpNode{node(0, "MASTER", 1, 0).with(func(n *carpNode) { n.Peer = "192.168.1.131" }),
				node(1, "INIT", 1, 100).with(func(n *carpNode) { n.HostIPs = []string{"192.168.1.131"} }),
				node(2, "INIT", 1, 100).with(func(n *carpNode) { n.HostIPs = []string{"192.168.1.132"} })}, "f0=MASTER f1=BACKUP f2=MASTER",
			"f1 INIT->BACKUP (initialization complete)@0ms; f2 INIT->BACKUP (initialization complete)@0ms; f2 BACKUP->MASTER (master timed out)@3390ms"},
		{"a quiet segment changes nothing",
			[]*carpNode{node(0, "MASTER", 1, 0), node(1, "BACKUP", 1, 100).with(heard(1, 0))}, "f0=MASTER f1=BACKUP", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := elect(tt.nodes)
			if got := statesText(tt.nodes); got != tt.states {
				t.Errorf("states %s, want %s", got, tt.states)
			}
			if got := changesText(tt.nodes, ch); got != tt.changes {
				t.Errorf("changes\n got %s\nwant %s", got, tt.changes)
			}
		})
	}
}

func TestElectInterval(t *testing.T) {
	// carp_input_c's timeval: advskew*1000000/256 in integer µs.
	for _, c := range []struct {
		adv  carpAdv
		want int64
	}{{carpAdv{1, 0}, 1000000}, {carpAdv{1, 100}, 1390625}, {carpAdv{1, 240}, 1937500}, {carpAdv{2, 1}, 2003906}} {
		if got := c.adv.interval(); got != c.want {
			t.Errorf("%+v: %d, want %d", c.adv, got, c.want)
		}
	}
	n := node(0, "MASTER", 1, 200).with(func(n *carpNode) { n.Demotion = 100 })
	if n.sent().Advskew != carpMaxSkew {
		t.Errorf("demoted advskew %d, want it capped at %d", n.sent().Advskew, carpMaxSkew)
	}
}
