package rocky

import (
	"context"
	"io"
	"sort"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Power loss and boot of a Rocky host, as far as the lab models them.
//
// PowerOff leaves no unit active, no mount but the root image's (NFS
// mounts and their stale marks gone), no timer bookkeeping. The journal
// stays (the lab keeps it as if persistent).
//
// Boot is systemd starting the system: the manager starts again with a new
// boot time, loads units afresh, and starts the default target's closure:
// the units the seed had running at first boot (the distribution's static
// dependencies, which the lab does not model as files), then every unit
// that default.target reaches through Wants=/Requires= and the .wants/ and
// .requires/ links under /etc/systemd/system and /usr/lib/systemd/system
// (what `systemctl enable` made), in name order with timers last; then the
// fstab's file systems are mounted (mount -a), remote ones included, after
// the services (the lab does not order mount units against services).
// Timers count OnBootSec from the new boot.

// PowerOff is a power loss of h.
func PowerOff(_ context.Context, h *sim.Host) error {
	if err := updateManager(h, func(m *managerState) error {
		m.Units = map[string]*unitState{}
		return nil
	}); err != nil {
		return err
	}
	if err := sim.Update[sim.Mounts](h, sim.MountsState, func(s *sim.Mounts) error {
		s.List = baseMounts()
		return nil
	}); err != nil {
		return err
	}
	return sim.Update[NFSState](h, NFSStateName, func(s *NFSState) error {
		s.Stale = nil
		return nil
	})
}

// Boot boots h after PowerOff; console receives what mount prints.
func Boot(ctx context.Context, h *sim.Host, console io.Writer) error {
	if console == nil {
		console = io.Discard
	}
	now := h.Now()
	if err := updateManager(h, func(m *managerState) error {
		m.Boot = now
		m.Units = map[string]*unitState{}
		return nil
	}); err != nil {
		return err
	}
	e := newEngine(h, ctx)
	var first []string
	first = append(first, baseTargets...)
	for _, s := range baseActive {
		first = append(first, s.unit)
	}
	var services, timers []string
	for _, id := range bootClosure(h, "default.target") {
		if unitType(id) == "timer" {
			timers = append(timers, id)
		} else {
			services = append(services, id)
		}
	}
	for _, id := range append(append(first, services...), timers...) {
		d, _ := e.lookup(id)
		if d.LoadState != "loaded" {
			continue
		}
		if _, err := e.start(d); err != nil {
			journal(h, sysLog(h, id, "%s: Failed to start: %s", id, err.msg))
		}
	}
	p := h.NewProc(ctx, h.Root(), strings.NewReader(""), console, console)
	p.Dir = "/"
	h.Exec(p, []string{"/usr/bin/mount", "-a"})
	return nil
}

// bootClosure lists, sorted, the units start reaches from target: its
// Wants=/Requires= and the links in its .wants/ and .requires/ directories,
// recursively.
func bootClosure(h *sim.Host, target string) []string {
	seen := map[string]bool{}
	var walk func(name string)
	walk = func(name string) {
		d := resolveUnit(h, name)
		if seen[d.ID] {
			return
		}
		seen[d.ID] = true
		var deps []string
		if d.File != nil {
			deps = append(deps, d.File.words("Unit", "Wants")...)
			deps = append(deps, d.File.words("Unit", "Requires")...)
		}
		for _, dir := range []string{etcUnitDir, "/usr/lib/systemd/system"} {
			for _, suffix := range []string{".wants", ".requires"} {
				for _, fi := range listDir(h, dir+"/"+d.ID+suffix) {
					deps = append(deps, fi.Name)
				}
			}
		}
		for _, dep := range deps {
			walk(dep)
		}
	}
	walk(target)
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
