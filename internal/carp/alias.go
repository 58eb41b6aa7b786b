package carp

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Alias is a CARP address as an rc.conf ifconfig_IF_aliasN value holds it:
// `inet vhid 1 [advbase B] [advskew S] pass PASS alias 192.168.1.138/32`.
type Alias struct {
	VHID     int
	Advbase  int
	Advskew  int
	Password string // "" when the value has no pass
	Address  netip.Prefix
}

// Render is the rc.conf value. advbase and advskew are left out at their
// defaults, so the article's value comes out as the article writes it.
func (a Alias) Render() string {
	return a.render(a.Password)
}

// Masked is the value with the password replaced by mask, for the state
// and the plan.
func (a Alias) Masked(mask string) string {
	if a.Password == "" {
		return a.render("")
	}
	return a.render(mask)
}

func (a Alias) render(pass string) string {
	w := []string{"inet", "vhid", strconv.Itoa(a.VHID)}
	if a.Advbase != DefaultAdvbase {
		w = append(w, "advbase", strconv.Itoa(a.Advbase))
	}
	if a.Advskew != DefaultAdvskew {
		w = append(w, "advskew", strconv.Itoa(a.Advskew))
	}
	if pass != "" {
		w = append(w, "pass", pass)
	}
	return strings.Join(append(w, "alias", a.Address.String()), " ")
}

// Password masks in Masked values: the planned value always shows the
// first; a value on the host whose password is not the configured one
// shows the second.
const (
	MaskPassword      = "(password)"
	MaskOtherPassword = "(other password)"
)

// ParseAlias reads an rc.conf alias value as ifconfig would take its words.
// ok is false for a value that configures no CARP vhid (another alias).
// Errors never quote the value: it may hold a password.
func ParseAlias(value string) (a Alias, ok bool, err error) {
	w := strings.Fields(value)
	a = Alias{Advbase: DefaultAdvbase, Advskew: DefaultAdvskew}
	var addr, netmask string
	num := func(i int, what string, lo, hi int) (int, error) {
		if i+1 >= len(w) {
			return 0, fmt.Errorf("%s has no value", what)
		}
		n, err := strconv.Atoi(w[i+1])
		if err != nil || n < lo || n > hi {
			return 0, fmt.Errorf("%s %q is not a number from %d to %d", what, w[i+1], lo, hi)
		}
		return n, nil
	}
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case "inet", "alias", "add", "up":
		case "vhid":
			if a.VHID, err = num(i, "vhid", MinVHID, MaxVHID); err != nil {
				return Alias{}, false, err
			}
			i++
		case "advbase":
			if a.Advbase, err = num(i, "advbase", MinAdvbase, MaxAdvbase); err != nil {
				return Alias{}, false, err
			}
			i++
		case "advskew":
			if a.Advskew, err = num(i, "advskew", MinAdvskew, MaxAdvskew); err != nil {
				return Alias{}, false, err
			}
			i++
		case "pass":
			if i+1 >= len(w) {
				return Alias{}, false, fmt.Errorf("pass has no value")
			}
			a.Password = w[i+1]
			i++
		case "netmask":
			if i+1 >= len(w) {
				return Alias{}, false, fmt.Errorf("netmask has no value")
			}
			netmask = w[i+1]
			i++
		case "inet6":
			return Alias{}, false, nil
		default:
			if addr != "" {
				// Something this package does not write (broadcast,
				// state, ...): not a value it can round-trip.
				return Alias{}, a.VHID != 0, fmt.Errorf("unexpected word %q", w[i])
			}
			addr = w[i]
		}
	}
	if a.VHID == 0 {
		return Alias{}, false, nil
	}
	p, err := parseAliasAddress(addr, netmask)
	if err != nil {
		return Alias{}, true, err
	}
	a.Address = p
	return a, true, nil
}

func parseAliasAddress(addr, netmask string) (netip.Prefix, error) {
	if addr == "" {
		return netip.Prefix{}, fmt.Errorf("no address")
	}
	if p, err := netip.ParsePrefix(addr); err == nil && p.Addr().Is4() {
		return p, nil
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is4() {
		return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 address", addr)
	}
	if netmask == "" {
		// in_getaddr without a mask: the classful length.
		switch b := ip.As4(); {
		case b[0] < 128:
			return netip.PrefixFrom(ip, 8), nil
		case b[0] < 192:
			return netip.PrefixFrom(ip, 16), nil
		default:
			return netip.PrefixFrom(ip, 24), nil
		}
	}
	m, err := netip.ParseAddr(netmask)
	var bits uint32
	if err == nil && m.Is4() {
		b := m.As4()
		bits = uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	} else if v, perr := strconv.ParseUint(strings.TrimPrefix(netmask, "0x"), 16, 32); perr == nil {
		bits = uint32(v)
	} else {
		return netip.Prefix{}, fmt.Errorf("netmask %q is not a mask", netmask)
	}
	plen := 0
	for ; bits&0x80000000 != 0; bits <<= 1 {
		plen++
	}
	return netip.PrefixFrom(ip, plen), nil
}

// AliasVariable is the rc.conf variable of alias n of an interface; rc
// turns the characters `.-/+` of the name into `_` (network.subr ltr).
func AliasVariable(iface string, n int) string {
	return fmt.Sprintf("%s%d", aliasPrefix(iface), n)
}

func aliasPrefix(iface string) string {
	return "ifconfig_" + strings.NewReplacer(".", "_", "-", "_", "/", "_", "+", "_").Replace(iface) + "_alias"
}
