package freebsd

import (
	"context"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// The kernel's devctl queue (sys/kern/kern_devctl.c): devctl_notify queues
// every event whether or not devd has /dev/devctl open ("We do send data,
// even when we have no listeners, because we wish to avoid races relating
// to startup and restart of listening applications"), up to
// hw.bus.devctl_queue (1000) events, the oldest dropped when full; closing
// the device does not flush it. So events of a time without devd (boot
// before rc starts devd, a devd restart) reach devd when it next starts,
// in order. The queue is kernel memory: a power loss empties it.

// devctlState is the Update/Load name of the queued events.
const devctlState = "freebsd-devctl"

// devctlQueueLen is DEVCTL_DEFAULT_QUEUE_LEN (a variable for the test).
var devctlQueueLen = 1000

type devctlQueue struct {
	Events []devdEvent
}

// devdProc is devd's process name and pid file (rc.d/devd, devd.conf's options).
const (
	devdProcname = "/sbin/devd"
	devdPidfile  = "/var/run/devd.pid"
)

func devdUp(h *sim.Host) bool {
	return daemonRunning(h.NewProc(context.Background(), rootUser(), nil, nil, nil), devdPidfile, devdProcname)
}

// devctlNotify is devctl_notify: the event goes to devd when it runs, else
// into the queue.
func devctlNotify(ctx context.Context, h *sim.Host, ev devdEvent) {
	if devdUp(h) {
		devdDeliver(ctx, h, ev)
		return
	}
	_ = sim.Update(h, devctlState, func(q *devctlQueue) error {
		q.Events = append(q.Events, ev)
		if n := len(q.Events); n > devctlQueueLen {
			q.Events = q.Events[n-devctlQueueLen:]
		}
		return nil
	})
}

// devdStarted is devd opening /dev/devctl: it reads what queued meanwhile.
func devdStarted(r *rcRun) {
	var events []devdEvent
	_ = sim.Update(r.p.Host, devctlState, func(q *devctlQueue) error {
		events, q.Events = q.Events, nil
		return nil
	})
	for _, ev := range events {
		devdDeliver(r.p.Ctx, r.p.Host, ev)
	}
}

func init() {
	hook := daemonHooks[devdProcname]
	hook.started = devdStarted
	daemonHooks[devdProcname] = hook
}
