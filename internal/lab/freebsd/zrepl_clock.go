package freebsd

import (
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/zrepl"
)

// ZreplNext is when the host's running zrepl daemon has its next
// snapshotting round due (the lab's clock steps to it when it advances).
func ZreplNext(h *sim.Host) (time.Time, bool) {
	if h.OS != sim.FreeBSD || !zreplAlive(h) {
		return time.Time{}, false
	}
	d, err := sim.Load[zreplDaemon](h, zreplStateName)
	if err != nil || !d.Running {
		return time.Time{}, false
	}
	c, err := zrepl.Parse([]byte(d.Config))
	if err != nil {
		return time.Time{}, false
	}
	var next time.Time
	found := false
	for _, j := range c.Jobs {
		s, _, ok := jobSnapshotting(j)
		if !ok {
			continue
		}
		if _, periodic := s.Ret.(*zrepl.SnapshottingPeriodic); !periodic {
			continue
		}
		js := d.Jobs[j.Name()]
		if js == nil || js.NextSnap.IsZero() {
			continue
		}
		if !found || js.NextSnap.Before(next) {
			next, found = js.NextSnap, true
		}
	}
	return next, found
}
