package lab

import (
	"fmt"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/crond"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/freebsd"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/rocky"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// The lab clock. Lab time runs with real time from an offset kept in
// DIR/clock.json, the same for every host and every process (sim.Clock):
// date, file times, zrepl's snapshot names and systemd's timer bookkeeping
// read it. It only moves forward, by AdvanceClock.
//
// Scheduled work runs only when the clock is advanced, never as real time
// passes: cron jobs and systemd timers fire inside AdvanceClock, so a test
// decides when a failback job or a mount monitor runs. zrepl's daemon
// keeps its own pace: a serving lab ticks it every second on the lab clock
// (as before), and AdvanceClock runs its rounds in time order with the rest.

// clockFile holds the lab's time line.
const clockFile = "clock.json"

// maxAdvanceSteps bounds one advance (each step is a time at which
// something was due).
const maxAdvanceSteps = 1000000

// Now is the lab's time.
func (l *Lab) Now() time.Time { return l.clock.Now() }

// AdvanceClock moves the lab's time forward by d and runs, in time order,
// everything that comes due in (now, now+d] on every running host: cron
// jobs (FreeBSD's /etc/crontab and /var/cron/tabs, cronie's on Rocky),
// systemd timers on Rocky (a timer already due when the advance starts
// fires at its start, as systemd fires an elapsed timer at once), and
// zrepl's snapshotting and replication. At each such time the clock stands
// still while the hosts run what is due, in the lab's host order (on each
// host: zrepl, then cron jobs in crontab order, then timers in unit name
// order), so every job sees its due time; a job's sleep returns at once.
// Then the clock runs on from now+d. Advances from several processes are
// serialised (DIR/clock.json.lock).
func (l *Lab) AdvanceClock(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("lab: the clock does not go back (advance %s)", d)
	}
	unlock, err := l.clock.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	start := l.clock.Now()
	end := start.Add(d)
	t := start
	for step := 0; step < maxAdvanceSteps; step++ {
		next, ok := l.nextDue(t, end, step == 0)
		if !ok {
			break
		}
		t = next
		if err := l.clock.Set(t, true); err != nil {
			return err
		}
		l.runDue(t)
	}
	return l.clock.Set(end, false)
}

// nextDue is the earliest time in (after, until] at which a running host
// has something due; on the first step, work already due counts as due
// at "after".
func (l *Lab) nextDue(after, until time.Time, first bool) (time.Time, bool) {
	var best time.Time
	found := false
	consider := func(t time.Time, ok bool) {
		if !ok {
			return
		}
		if !t.After(after) {
			if !first {
				t = after.Add(time.Second)
			} else {
				t = after
			}
		}
		if t.After(until) {
			return
		}
		if !found || t.Before(best) {
			best, found = t, true
		}
	}
	for _, name := range l.names {
		rt := l.hosts[name]
		if !l.up(rt) {
			continue
		}
		h := rt.host
		switch rt.spec.OS {
		case sim.FreeBSD:
			consider(freebsd.CronNext(h, after, until))
			consider(freebsd.ZreplNext(h))
		case sim.Rocky:
			consider(rocky.CronNext(h, after, until))
			consider(rocky.NextElapse(h))
		}
	}
	return best, found
}

// runDue runs what the hosts have due at t (the clock stands at t).
func (l *Lab) runDue(t time.Time) {
	for _, name := range l.names {
		rt := l.hosts[name]
		if !l.up(rt) {
			continue
		}
		h := rt.host
		switch rt.spec.OS {
		case sim.FreeBSD:
			freebsd.ZreplTick(h)
			freebsd.CronTick(l.ctx, h, t)
		case sim.Rocky:
			rocky.CronTick(l.ctx, h, t)
			if err := rocky.FireTimers(h, t); err != nil {
				l.logf("lab: host %s: timers: %v", name, err)
			}
		}
	}
}

// JobRun is one scheduled run the lab made on a host: a cron job, a
// timer's activation. Real cron mails a job's output and logs no exit
// status; the lab keeps both here, beside what the hosts log themselves.
type JobRun = crond.RunRecord

// JobRuns lists the runs the lab's clock made on host name, oldest first
// (the last thousand).
func (l *Lab) JobRuns(name string) ([]JobRun, error) {
	rt, ok := l.hosts[name]
	if !ok {
		return nil, fmt.Errorf("lab: no host %q", name)
	}
	return crond.Runs(rt.host)
}
