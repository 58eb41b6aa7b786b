package freebsd

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// sysctlState is the Update/Load name of values set with sysctl(8).
const sysctlState = "freebsd-sysctl"

type sysctls struct {
	Values map[string]string
}

// sysctlDefaults are the OIDs the lab knows; module marks those that exist
// only while that kernel module is loaded.
var sysctlDefaults = map[string]struct {
	value, module string
	writable      bool
}{
	"kern.hostname":                         {"", "", true},
	"kern.ostype":                           {"FreeBSD", "", false},
	"kern.osrelease":                        {"14.3-RELEASE", "", false},
	"kern.securelevel":                      {"-1", "", false},
	"security.jail.jailed":                  {"0", "", false},
	"net.inet.carp.allow":                   {"1", "carp", true},
	"net.inet.carp.preempt":                 {"0", "carp", true},
	"net.inet.carp.log":                     {"1", "carp", true},
	"net.inet.carp.demotion":                {"0", "carp", true},
	"net.inet.carp.senderr_demotion_factor": {"240", "carp", true},
	"net.inet.carp.ifdown_demotion_factor":  {"240", "carp", true},
	"net.inet.carp.dscp":                    {"56", "carp", true},
}

// sysctlValue is the current value of a known OID ("" when unknown).
func sysctlValue(h *sim.Host, name string) string {
	s, _ := sim.Load[sysctls](h, sysctlState)
	if v, ok := s.Values[name]; ok {
		return v
	}
	if name == "kern.hostname" {
		return h.Name
	}
	return sysctlDefaults[name].value
}

func sysctlKnown(p *sim.Proc, name string) bool {
	d, ok := sysctlDefaults[name]
	if !ok {
		return false
	}
	if d.module == "" {
		return true
	}
	loaded := false
	_ = kldUpdate(p, func(t *kldTable) error { loaded = t.findModule(d.module) != nil; return nil })
	return loaded
}

// sysctlCmd is /sbin/sysctl [-n] [-q] name[=value] ... for the OIDs above.
func sysctlCmd(p *sim.Proc) int {
	opts, args, gerr := getopt(p.Args[1:], "aAbdeFhiNnoqTtWx")
	if gerr != nil {
		fmt.Fprint(p.Stderr, gerr.message("sysctl"))
		return 1
	}
	noName, quiet, all := false, false, false
	for _, o := range opts {
		switch o.c {
		case 'n':
			noName = true
		case 'q':
			quiet = true
		case 'a', 'A':
			all = true
		}
	}
	if all || len(args) == 0 {
		if !all {
			fmt.Fprintln(p.Stderr, "usage: sysctl [-bdeFhiNnoqTtWx] [ -B <bufsize> ] [-f filename] name[=value] ...\n       sysctl [-bdeFhNnoqTtWx] [ -B <bufsize> ] -a")
			return 1
		}
		var names []string
		for n := range sysctlDefaults {
			if sysctlKnown(p, n) {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		args = names
	}
	status := 0
	for _, a := range args {
		name, val, set := strings.Cut(a, "=")
		if !sysctlKnown(p, name) {
			if !quiet {
				fmt.Fprintf(p.Stderr, "sysctl: unknown oid '%s'\n", name)
			}
			status = 1
			continue
		}
		old := sysctlValue(p.Host, name)
		if name == "kern.hostname" {
			old = hostnameOf(p)
		}
		if !set {
			if noName {
				fmt.Fprintln(p.Stdout, old)
			} else {
				fmt.Fprintf(p.Stdout, "%s: %s\n", name, old)
			}
			continue
		}
		if !sysctlDefaults[name].writable {
			fmt.Fprintf(p.Stderr, "sysctl: oid '%s' is read only\n", name)
			status = 1
			continue
		}
		if !p.User.IsRoot() {
			fmt.Fprintf(p.Stderr, "sysctl: %s=%s: Operation not permitted\n", name, val)
			status = 1
			continue
		}
		stored, msg := carpSysctlValue(name, old, val)
		if msg != "" {
			fmt.Fprintf(p.Stderr, "sysctl: %s\n", msg)
			status = 1
			continue
		}
		_ = sim.Update(p.Host, sysctlState, func(s *sysctls) error {
			if s.Values == nil {
				s.Values = map[string]string{}
			}
			s.Values[name] = stored
			return nil
		})
		if strings.HasPrefix(name, "net.inet.carp.") {
			carpSysctlChanged(p, name, old, stored)
		}
		// sysctl(8) reads the value back after setting it.
		if noName {
			fmt.Fprintln(p.Stdout, stored)
		} else {
			fmt.Fprintf(p.Stdout, "%s: %s -> %s\n", name, old, stored)
		}
	}
	return status
}

// carpSysctlValue is what the carp handlers store for name=val: demotion
// adds to the current value (carp_demote_adj_sysctl), dscp must be 0..63
// (carp_dscp_sysctl), the others are plain integers. msg is sysctl(8)'s
// complaint when the value is refused.
func carpSysctlValue(name, old, val string) (stored, msg string) {
	if !strings.HasPrefix(name, "net.inet.carp.") {
		return val, ""
	}
	n, err := strconv.Atoi(val)
	if err != nil {
		return "", fmt.Sprintf("invalid integer '%s'", val)
	}
	switch name {
	case "net.inet.carp.demotion":
		cur, _ := strconv.Atoi(old)
		return strconv.Itoa(cur + n), ""
	case "net.inet.carp.dscp":
		if n < 0 || n > 63 {
			return "", fmt.Sprintf("%s=%s: Invalid argument", name, val)
		}
	}
	return strconv.Itoa(n), ""
}

// carpSysctlChanged is what the kernel does after a carp sysctl changed:
// a demotion is logged (carp_demote_adj) and, like a change of allow or
// preempt, felt by the election at the next advertisements.
func carpSysctlChanged(p *sim.Proc, name, old, now string) {
	if name == "net.inet.carp.demotion" {
		o, _ := strconv.Atoi(old)
		n, _ := strconv.Atoi(now)
		announce(p.Ctx, []carpNote{{host: p.Host, log: fmt.Sprintf("demoted by %d to %d (sysctl)", n-o, n)}})
	}
	switch name {
	case "net.inet.carp.demotion", "net.inet.carp.allow", "net.inet.carp.preempt":
		if err := settleAndAnnounce(p.Ctx, p.Host, nil); err != nil {
			fmt.Fprintf(p.Stderr, "sysctl: %v\n", err)
		}
	}
}

// hostnameOf is kern.hostname: set with sysctl, else rc.conf's hostname
// (as rc.d/hostname sets it at boot), else the lab host's name.
func hostnameOf(p *sim.Proc) string {
	s, _ := sim.Load[sysctls](p.Host, sysctlState)
	if v, ok := s.Values["kern.hostname"]; ok {
		return v
	}
	q := *p
	q.User = rootUser()
	if v, _ := newRCConf(treeFS{&q}, nil).get("hostname"); v != "" {
		return v
	}
	return p.Host.Name
}
