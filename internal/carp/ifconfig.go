package carp

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// CARP states as carp(4) names them.
const (
	StateMaster = "MASTER"
	StateBackup = "BACKUP"
	StateInit   = "INIT"
)

// VHID is one CARP virtual host of an interface as ifconfig(8) prints it.
type VHID struct {
	Interface string
	VHID      int
	State     string
	Advbase   int
	Advskew   int
	// Key is the password, printed by ifconfig -k to root only; "" when
	// not asked for or not set. Never logged, never stored.
	Key string
	// Addresses are the IPv4 addresses that carry this vhid.
	Addresses []netip.Prefix
}

// Interface is what ifconfig prints about one interface's CARP.
type Interface struct {
	Name  string
	VHIDs []VHID
}

// Find returns the vhid, or nil.
func (f Interface) Find(vhid int) *VHID {
	for i := range f.VHIDs {
		if f.VHIDs[i].VHID == vhid {
			return &f.VHIDs[i]
		}
	}
	return nil
}

// ParseIfconfig reads the output of `ifconfig [-k] [IF]` (FreeBSD 14,
// reference §6.3): every interface with its CARP vhids and the inet
// addresses that carry a vhid. Interfaces without CARP are listed with no
// vhids.
func ParseIfconfig(out string) ([]Interface, error) {
	var ifs []Interface
	type addr struct {
		p    netip.Prefix
		vhid int
	}
	var addrs []addr
	flush := func() {
		if len(ifs) == 0 {
			return
		}
		f := &ifs[len(ifs)-1]
		for _, a := range addrs {
			if v := f.Find(a.vhid); v != nil {
				v.Addresses = append(v.Addresses, a.p)
			}
		}
		addrs = nil
	}
	for n, line := range strings.Split(out, "\n") {
		if line == "" {
			continue
		}
		if line[0] != '\t' && line[0] != ' ' {
			name, _, ok := strings.Cut(line, ": flags=")
			if !ok || name == "" {
				return nil, fmt.Errorf("line %d: unexpected interface line %q", n+1, line)
			}
			flush()
			ifs = append(ifs, Interface{Name: name})
			continue
		}
		if len(ifs) == 0 {
			return nil, fmt.Errorf("line %d: %q before any interface", n+1, line)
		}
		fields := strings.Fields(line)
		switch fields[0] {
		case "inet":
			p, vhid, err := parseInetLine(fields)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n+1, err)
			}
			if vhid > 0 {
				addrs = append(addrs, addr{p, vhid})
			}
		case "carp:":
			v, err := parseCarpLine(line)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n+1, err)
			}
			v.Interface = ifs[len(ifs)-1].Name
			ifs[len(ifs)-1].VHIDs = append(ifs[len(ifs)-1].VHIDs, v)
		}
	}
	flush()
	return ifs, nil
}

// parseInetLine reads `inet A netmask 0xMASK [broadcast B] [vhid N]`.
func parseInetLine(fields []string) (netip.Prefix, int, error) {
	if len(fields) < 4 || fields[2] != "netmask" {
		return netip.Prefix{}, 0, fmt.Errorf("unexpected inet line %q", strings.Join(fields, " "))
	}
	ip, err := netip.ParseAddr(fields[1])
	if err != nil {
		return netip.Prefix{}, 0, fmt.Errorf("inet line: %w", err)
	}
	mask, err := strconv.ParseUint(strings.TrimPrefix(fields[3], "0x"), 16, 32)
	if err != nil {
		return netip.Prefix{}, 0, fmt.Errorf("inet line: netmask %q", fields[3])
	}
	plen := 0
	for m := uint32(mask); m&0x80000000 != 0; m <<= 1 {
		plen++
	}
	vhid := 0
	for i := 4; i+1 < len(fields); i++ {
		if fields[i] == "vhid" {
			if vhid, err = strconv.Atoi(fields[i+1]); err != nil {
				return netip.Prefix{}, 0, fmt.Errorf("inet line: vhid %q", fields[i+1])
			}
		}
	}
	return netip.PrefixFrom(ip, plen), vhid, nil
}

// parseCarpLine reads `carp: STATE vhid N advbase N advskew N [key "K"]`
// (carp_status in sbin/ifconfig/carp.c).
func parseCarpLine(line string) (VHID, error) {
	rest := strings.TrimSpace(line)
	var key string
	if i := strings.Index(rest, ` key "`); i >= 0 {
		k := rest[i+len(` key "`):]
		if !strings.HasSuffix(k, `"`) {
			return VHID{}, fmt.Errorf("unexpected carp line: the key is not quoted")
		}
		key, rest = strings.TrimSuffix(k, `"`), rest[:i]
	}
	f := strings.Fields(rest)
	if len(f) != 8 || f[2] != "vhid" || f[4] != "advbase" || f[6] != "advskew" {
		return VHID{}, fmt.Errorf("unexpected carp line %q", rest)
	}
	v := VHID{State: f[1], Key: key}
	var err error
	for _, x := range []struct {
		dst *int
		s   string
	}{{&v.VHID, f[3]}, {&v.Advbase, f[5]}, {&v.Advskew, f[7]}} {
		if *x.dst, err = strconv.Atoi(x.s); err != nil {
			return VHID{}, fmt.Errorf("unexpected carp line %q", rest)
		}
	}
	return v, nil
}
