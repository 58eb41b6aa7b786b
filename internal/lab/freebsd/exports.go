package freebsd

import (
	"net/netip"
	"path"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// The kernel's export list as mountd pushes it from /etc/exports
// (usr.sbin/mountd/mountd.c get_exportlist_one, do_opt, parsecred,
// get_net): the NFSv4 root of the V4: line and, per export line, its
// directories, options and the hosts or networks it goes to. mountd keeps
// it in the kernel; its own exit (terminate) leaves it there, so the lab
// keeps it when mountd stops and replaces it when mountd starts or reloads.

// exportLine is one accepted line of /etc/exports.
type exportLine struct {
	Dirs    []string
	AllDirs bool      `json:",omitempty"`
	RO      bool      `json:",omitempty"`
	MapRoot *sim.Cred `json:",omitempty"` // nil: nobody:nogroup
	MapAll  *sim.Cred `json:",omitempty"`
	// Hosts are the addresses of the hosts named, Nets the networks; a
	// line with neither exports to everyone.
	Hosts []string `json:",omitempty"`
	Nets  []string `json:",omitempty"`
}

// v4Root is the V4: line: the NFSv4 tree's root and who may use it.
type v4Root struct {
	Dir   string
	Hosts []string `json:",omitempty"`
	Nets  []string `json:",omitempty"`
}

// parseKernelExports reads /etc/exports as get_exportlist_one does for what
// the data path needs; a line mountd would reject (an option it does not
// know, -mask without -network, -mapall with -maproot) is left out. h
// resolves host names and credentials on the server.
func parseKernelExports(h *sim.Host, src string) (*v4Root, []exportLine) {
	var root *v4Root
	var out []exportLine
	src = strings.ReplaceAll(src, "\\\n", " ")
	for _, raw := range strings.Split(src, "\n") {
		if i := strings.IndexByte(raw, '#'); i >= 0 {
			raw = raw[:i]
		}
		f := strings.Fields(raw)
		if len(f) == 0 {
			continue
		}
		v4 := f[0] == "V4:"
		if v4 {
			f = f[1:]
		}
		var l exportLine
		network, mask, hasMask, bad := "", "", false, false
		for i := 0; i < len(f) && !bad; i++ {
			w := f[i]
			if !strings.HasPrefix(w, "-") {
				if strings.HasPrefix(w, "/") && len(l.Hosts) == 0 && network == "" {
					l.Dirs = append(l.Dirs, path.Clean(w))
					continue
				}
				if ip, ok := resolveHost(h, w); ok {
					l.Hosts = append(l.Hosts, ip.String())
				}
				continue
			}
			name, arg, hasArg := strings.Cut(w[1:], "=")
			takeArg := func() string {
				if hasArg {
					return arg
				}
				if i+1 < len(f) && !strings.HasPrefix(f[i+1], "-") {
					i++
					return f[i]
				}
				return ""
			}
			switch name {
			case "ro", "o":
				l.RO = true
			case "alldirs":
				l.AllDirs = true
			case "maproot", "root", "r":
				c := parseCred(h, takeArg())
				l.MapRoot = &c
			case "mapall":
				c := parseCred(h, takeArg())
				l.MapAll = &c
			case "network", "n":
				network = takeArg()
			case "mask", "m":
				mask, hasMask = takeArg(), true
			case "sec", "index":
				takeArg()
			case "public", "webnfs", "quiet", "tls", "tlscert", "tlscertuser":
			default:
				bad = true
			}
		}
		if bad || (hasMask && network == "") || (l.MapRoot != nil && l.MapAll != nil) || len(l.Dirs) == 0 {
			continue
		}
		if network != "" {
			p, ok := netPrefix(network, mask, hasMask)
			if !ok {
				continue
			}
			l.Nets = append(l.Nets, p.String())
		}
		if v4 {
			if root == nil {
				root = &v4Root{Dir: l.Dirs[0], Hosts: l.Hosts, Nets: l.Nets}
			}
			continue
		}
		out = append(out, l)
	}
	return root, out
}

// netPrefix is get_net's network: "-network N/LEN", "-network N -mask M",
// or a bare IPv4 network whose mask is its class's (the "out-of-date
// default" mountd warns about).
func netPrefix(network, mask string, hasMask bool) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(network); err == nil {
		return p.Masked(), true
	}
	ip, err := netip.ParseAddr(network)
	if err != nil {
		return netip.Prefix{}, false
	}
	bits := 32
	switch {
	case hasMask:
		m, err := netip.ParseAddr(mask)
		if err != nil || !m.Is4() {
			return netip.Prefix{}, false
		}
		b := m.As4()
		v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		bits = 0
		for v&(1<<31) != 0 {
			bits++
			v <<= 1
		}
		if v != 0 {
			return netip.Prefix{}, false // not of the form 1...10...0
		}
	case ip.Is4():
		switch a := ip.As4()[0]; {
		case a < 128:
			bits = 8
		case a < 192:
			bits = 16
		case a < 224:
			bits = 24
		case a < 240:
			bits = 28
		}
	default:
		bits = 128
	}
	return netip.PrefixFrom(ip, bits).Masked(), true
}

// parseCred is mountd's parsecred: a user name or uid gives that user's
// uid and groups (getgrouplist), "uid:gid:gid..." an explicit list; an
// unknown user leaves nobody:nogroup.
func parseCred(h *sim.Host, spec string) sim.Cred {
	c := sim.NobodyCred
	name, rest, explicit := strings.Cut(spec, ":")
	u, ok := h.LookupUser(name)
	if !explicit {
		if !ok {
			return c
		}
		c = sim.Cred{UID: u.UID, GID: u.GID}
		data, _ := h.Tree.ReadFile(rootUser(), "/etc/group")
		for _, line := range strings.Split(string(data), "\n") {
			g := strings.Split(line, ":")
			if len(g) < 4 {
				continue
			}
			gid, err := strconv.Atoi(g[2])
			if err != nil || gid == u.GID {
				continue
			}
			for _, m := range strings.Split(g[3], ",") {
				if m == u.Name {
					c.Groups = append(c.Groups, gid)
				}
			}
		}
		return c
	}
	switch {
	case ok:
		c.UID = u.UID
	default:
		n, err := strconv.Atoi(name)
		if err != nil {
			return sim.NobodyCred
		}
		c.UID = n
	}
	var gids []int
	for _, g := range strings.Split(rest, ":") {
		if n, err := strconv.Atoi(g); err == nil {
			gids = append(gids, n)
		} else if gid, ok := groupID(h, g); ok {
			gids = append(gids, gid)
		}
	}
	if len(gids) > 0 {
		c.GID, c.Groups = gids[0], gids[1:]
	}
	return c
}

func groupID(h *sim.Host, name string) (int, bool) {
	data, _ := h.Tree.ReadFile(rootUser(), "/etc/group")
	for _, line := range strings.Split(string(data), "\n") {
		g := strings.Split(line, ":")
		if len(g) >= 3 && g[0] == name {
			if n, err := strconv.Atoi(g[2]); err == nil {
				return n, true
			}
		}
	}
	return 0, false
}

// admits reports whether a line's hosts and networks let addr in.
func admits(hosts, nets []string, addr string) bool {
	if len(hosts) == 0 && len(nets) == 0 {
		return true
	}
	for _, h := range hosts {
		if h == addr {
			return true
		}
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, n := range nets {
		if p, err := netip.ParsePrefix(n); err == nil && p.Contains(ip) {
			return true
		}
	}
	return false
}
