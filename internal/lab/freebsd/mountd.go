package freebsd

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// mountdRead reads /etc/exports as mountd's get_exportlist_one does
// (usr.sbin/mountd/mountd.c, reference §7): each line it rejects is logged
// to syslog in mountd's words ("bad opt X", then "bad exports list line
// 'LINE'" with or without ": REASON", as mountd[PID]) and left out; the
// other lines are exported. The quoted LINE is cut at the end of the field
// that failed where mountd's parser had cut it (do_opt, the directory
// checks), as the real message shows. It returns the exports showmount
// lists and the accepted lines (V4: ones too), which go to the kernel.
func mountdRead(p *sim.Proc, src string) (exports []export, accepted []string) {
	pid := strings.TrimSpace(readFile(p, "/var/run/mountd.pid"))
	log := func(msg string) { p.Host.Syslog("mountd["+pid+"]", msg) }
	v4dir := ""
	for _, line := range exportsLines(src) {
		ex, v4, err := mountdLine(p, line, log, &v4dir)
		if err != nil {
			if err.reason == "" {
				log(fmt.Sprintf("bad exports list line '%s'", err.line))
			} else {
				log(fmt.Sprintf("bad exports list line '%s': %s", err.line, err.reason))
			}
			continue
		}
		accepted = append(accepted, line)
		if !v4 {
			exports = append(exports, ex...)
		}
	}
	return exports, accepted
}

func readFile(p *sim.Proc, name string) string {
	b, _ := p.Host.Tree.ReadFile(rootUser(), name)
	return string(b)
}

// exportsLines is get_line: continuation lines joined at a trailing '\',
// trailing blanks dropped, empty lines skipped.
func exportsLines(src string) []string {
	var out []string
	cur := ""
	for _, raw := range strings.Split(src, "\n") {
		t := strings.TrimRight(raw, " \t\\")
		cont := strings.Contains(raw[len(t):], "\\")
		cur += t
		if cont {
			cur += " "
			continue
		}
		if cur != "" {
			out = append(out, cur)
		}
		cur = ""
	}
	if cur != "" {
		out = append(out, strings.TrimRight(cur, " "))
	}
	return out
}

type lineErr struct{ line, reason string }

// mountdLine checks one line; v4 tells a V4: line (not in the export list).
func mountdLine(p *sim.Proc, line string, log func(string), v4dir *string) ([]export, bool, *lineErr) {
	f := strings.Fields(line)
	if len(f) == 0 || strings.HasPrefix(f[0], "#") {
		return nil, false, nil
	}
	// cut is the line as mountd quotes it after a field failed.
	cut := func(i int) string {
		n := 0
		for j := 0; j <= i; j++ {
			n = strings.Index(line[n:], f[j]) + n + len(f[j])
		}
		return line[:n]
	}
	bad := func(i int, reason string) *lineErr { return &lineErr{cut(i), reason} }
	whole := func(reason string) *lineErr { return &lineErr{line, reason} }
	v4 := false
	if strings.HasPrefix(f[0], "V4:") {
		v4 = true
		if rest := f[0][3:]; rest != "" {
			f[0] = rest
		}
	}
	var dirs, hosts []string
	var network, mask string
	var alldirs, maproot, mapall, other bool
	gotNondir := false
	for i := 0; i < len(f); i++ {
		w := f[i]
		if i == 0 && w == "V4:" {
			continue
		}
		switch {
		case strings.HasPrefix(w, "-"):
			if len(dirs) == 0 {
				return nil, v4, whole("flag before export path definition")
			}
			gotNondir = true
			opts := strings.Split(w[1:], ",")
			for j, o := range opts {
				name, val, hasVal := strings.Cut(o, "=")
				if !hasVal && j == len(opts)-1 && i+1 < len(f) && !strings.HasPrefix(f[i+1], "-") && mountdTakesArg(name) {
					i++
					val, hasVal = f[i], true
				}
				switch {
				case name == "ro" || name == "o":
					other = true
				case hasVal && (name == "maproot" || name == "root" || name == "r"):
					maproot = true
				case hasVal && name == "mapall":
					mapall = true
				case hasVal && (name == "mask" || name == "m"):
					if _, err := netip.ParseAddr(val); err != nil {
						log("bad mask: " + val)
						return nil, v4, bad(i, "")
					}
					mask = val
				case hasVal && (name == "network" || name == "n" || name == "net"):
					if len(hosts) > 0 {
						log("network/host conflict")
						return nil, v4, bad(i, "")
					}
					addr, _, _ := strings.Cut(val, "/")
					if _, err := netip.ParseAddr(addr); err != nil {
						log("bad net: " + val)
						return nil, v4, bad(i, "")
					}
					network = val
				case name == "alldirs":
					alldirs = true
				case name == "public" || name == "webnfs" || name == "quiet" || hasVal && name == "index":
					other = other || name != "quiet"
				case hasVal && name == "sec":
					for _, s := range strings.Split(val, ":") {
						if s != "sys" && s != "krb5" && s != "krb5i" && s != "krb5p" {
							log("bad sec flavor: " + s)
							return nil, v4, bad(i, "")
						}
					}
				default:
					log("bad opt " + name)
					return nil, v4, bad(i, "")
				}
			}
		case strings.HasPrefix(w, "/"):
			if !mountdDirOK(p, w) {
				return nil, v4, bad(i, "symbolic link in export path or statfs failed")
			}
			if gotNondir {
				return nil, v4, bad(i, "dirs must be first")
			}
			if v4 {
				if len(dirs) > 0 {
					return nil, v4, bad(i, "Multiple V4 dirs")
				}
				if *v4dir != "" && *v4dir != w {
					log("different V4 dirpath " + w)
					return nil, v4, bad(i, "")
				}
				*v4dir = w
				gotNondir = true
			}
			dirs = append(dirs, w)
		default:
			if len(dirs) == 0 {
				return nil, v4, whole("host(s) before export path definition")
			}
			gotNondir = true
			if network != "" {
				return nil, v4, whole("network/host conflict")
			}
			if !mountdResolves(p, w) {
				log("can't get address info for host " + w)
				log("bad host " + w + ", skipping")
				hosts = append(hosts, "")
				continue
			}
			hosts = append(hosts, w)
		}
	}
	if len(dirs) == 0 && !v4 {
		return nil, v4, whole("")
	}
	switch {
	case maproot && mapall:
		log("-mapall and -maproot mutually exclusive")
		return nil, v4, whole("")
	case mask != "" && network == "":
		log("-mask requires -network")
		return nil, v4, whole("")
	case mask != "" && strings.Contains(network, "/"):
		log("-mask and /masklen are mutually exclusive")
		return nil, v4, whole("")
	case v4 && (maproot || mapall || alldirs || other):
		log("only -sec,-net,-mask options allowed on V4:")
		return nil, v4, whole("")
	case alldirs && len(dirs) > 1:
		log("-alldirs has multiple directories")
		return nil, v4, whole("")
	}
	if network != "" && mask == "" && !strings.Contains(network, "/") {
		log("WARNING: No mask specified for " + network + ", using out-of-date default")
	}
	var valid []string
	for _, h := range hosts {
		if h != "" {
			valid = append(valid, h)
		}
	}
	if len(hosts) > 0 && len(valid) == 0 {
		return nil, v4, whole("no valid entries")
	}
	if v4 && len(dirs) == 0 {
		return nil, v4, whole("V4:root, no dirp, ignored")
	}
	if alldirs && !mountdIsMountpoint(p, dirs[0]) {
		log("-alldirs requested but " + dirs[0] + " is not a filesystem mountpoint")
		return nil, v4, whole("")
	}
	groups := valid
	if network != "" {
		groups = append(groups, strings.SplitN(network, "/", 2)[0])
	}
	var out []export
	for _, d := range dirs {
		out = append(out, export{Dir: d, Groups: groups})
	}
	return out, v4, nil
}

func mountdTakesArg(name string) bool {
	switch name {
	case "maproot", "root", "r", "mapall", "mask", "m", "network", "n", "net", "sec", "index":
		return true
	}
	return false
}

// mountdDirOK is check_dirpath: every component a directory, no symlink.
func mountdDirOK(p *sim.Proc, dir string) bool {
	cur := ""
	for _, c := range strings.Split(strings.Trim(dir, "/"), "/") {
		cur += "/" + c
		fi, err := p.Host.Tree.Lstat(cur)
		if err != nil || !fi.Mode.IsDir() {
			return dir == "/"
		}
	}
	return true
}

// mountdIsMountpoint is what nmount() of -alldirs needs: dir is where a
// file system is mounted (the root, a ZFS dataset, a UFS stick).
func mountdIsMountpoint(p *sim.Proc, dir string) bool {
	if dir == "/" {
		return true
	}
	m, _ := sim.Load[sim.Mounts](p.Host, sim.MountsState)
	for _, x := range m.List {
		if x.Point == dir {
			return true
		}
	}
	return false
}

// mountdResolves is getaddrinfo over the host's /etc/hosts.
func mountdResolves(p *sim.Proc, h string) bool {
	if _, err := netip.ParseAddr(h); err == nil || h == "localhost" || h == p.Host.Name {
		return true
	}
	for _, l := range strings.Split(readFile(p, "/etc/hosts"), "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		f := strings.Fields(l)
		for _, n := range f[min(1, len(f)):] {
			if n == h {
				return true
			}
		}
	}
	return false
}
