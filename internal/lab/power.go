package lab

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/freebsd"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/rocky"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// A host's power: on (the default), off after FailHost, booting while
// RestoreHost runs. It is kept in the host's state (DIR/hosts/NAME/state/
// lab-power.json), so that every process serving or changing the lab sees
// it: the SSH server of a host that is not on refuses connections and drops
// open ones, the network leaves out a host that is off (no CARP
// advertisements, no replication reaches it), and out-of-band commands are
// refused.

const powerStateName = "lab-power"

// Power states.
const (
	powerOn      = ""
	powerOff     = "off"
	powerBooting = "booting"
)

type powerState struct {
	State string    `json:"state,omitempty"`
	Since time.Time `json:"since,omitzero"`
}

// bootLogFile is where RestoreHost keeps what the host's boot printed.
const bootLogFile = "boot.log"

func (l *Lab) powerOf(rt *hostRuntime) string {
	s, _ := sim.Peek[powerState](rt.host, powerStateName)
	return s.State
}

// up reports whether the host is on and booted: it answers SSH.
func (l *Lab) up(rt *hostRuntime) bool { return l.powerOf(rt) == powerOn }

// running reports whether the host has power: it is on its links.
func (l *Lab) running(rt *hostRuntime) bool { return l.powerOf(rt) != powerOff }

func (l *Lab) setPower(rt *hostRuntime, state string) error {
	return sim.Update(rt.host, powerStateName, func(s *powerState) error {
		s.State, s.Since = state, l.clock.Now()
		return nil
	})
}

// errHostDown is returned for a host that is off or booting.
func errHostDown(name string) error {
	return fmt.Errorf("lab: host %s is powered off", name)
}

// HostUp reports whether host name is on and booted (FailHost turns it
// off, RestoreHost on again).
func (l *Lab) HostUp(name string) bool {
	rt, ok := l.hosts[name]
	return ok && l.up(rt)
}

// FailHost cuts the power of host name: its SSH server refuses new
// connections and drops the open ones, its processes are gone, its kernel
// state (CARP, modules, sysctls, mounts, loaded ZFS keys) is lost, and it
// stops advertising CARP, so that its peers elect a new master at once and
// run their devd actions (in the order the election made the changes).
// It works from the serving process and from any other that opened the lab.
func (l *Lab) FailHost(name string) error {
	rt, ok := l.hosts[name]
	if !ok {
		return fmt.Errorf("lab: no host %q", name)
	}
	if !l.running(rt) {
		return fmt.Errorf("lab: host %s is already off", name)
	}
	if err := l.setPower(rt, powerOff); err != nil {
		return err
	}
	if rt.srv != nil {
		rt.srv.dropAll()
	}
	var err error
	switch rt.spec.OS {
	case sim.FreeBSD:
		err = freebsd.PowerOff(l.ctx, rt.host)
	case sim.Rocky:
		err = rocky.PowerOff(l.ctx, rt.host)
	}
	if err != nil {
		return fmt.Errorf("lab: host %s: power off: %w", name, err)
	}
	return l.settleCARP()
}

// settleCARP runs the CARP election over the running FreeBSD hosts.
func (l *Lab) settleCARP() error {
	for _, name := range l.names {
		rt := l.hosts[name]
		if rt.spec.OS == sim.FreeBSD && l.running(rt) {
			return freebsd.SettleCARP(l.ctx, rt.host)
		}
	}
	return nil
}

// RestoreHost powers host name on and boots it as the lab models a boot
// (a FreeBSD 14 boot: loader modules, rc.d scripts in rcorder order with
// netif, devd, the enabled services and cron; a Rocky boot: systemd's
// enabled units and timers, fstab mounts). Its CARP addresses join their
// links as BACKUP and become MASTER only by the election. SSH answers once
// the boot is done. What the boot printed is kept in
// DIR/hosts/NAME/boot.log.
func (l *Lab) RestoreHost(name string) error {
	rt, ok := l.hosts[name]
	if !ok {
		return fmt.Errorf("lab: no host %q", name)
	}
	if l.running(rt) {
		return fmt.Errorf("lab: host %s is running", name)
	}
	if err := l.setPower(rt, powerBooting); err != nil {
		return err
	}
	var console bytes.Buffer
	var err error
	switch rt.spec.OS {
	case sim.FreeBSD:
		err = freebsd.Boot(l.ctx, rt.host, &console)
	case sim.Rocky:
		err = rocky.Boot(l.ctx, rt.host, &console)
	}
	werr := os.WriteFile(filepath.Join(rt.host.Dir, bootLogFile), console.Bytes(), 0o644)
	perr := l.setPower(rt, powerOn)
	if err != nil {
		err = fmt.Errorf("lab: host %s: boot: %w", name, err)
	}
	return errors.Join(err, werr, perr)
}

// powerWatch is how often a serving lab checks that the hosts whose power
// another process cut have no SSH connection left.
const powerWatch = 100 * time.Millisecond

// watchPower drops the connections of hosts that are not up.
func (l *Lab) watchPower() {
	t := time.NewTicker(powerWatch)
	defer t.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
			for _, name := range l.names {
				if rt := l.hosts[name]; rt.srv != nil && !l.up(rt) {
					rt.srv.dropAll()
				}
			}
		}
	}
}

// dropAll closes every open connection, as a host losing power does; the
// server keeps listening (and refuses while the host is down).
func (s *server) dropAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}
