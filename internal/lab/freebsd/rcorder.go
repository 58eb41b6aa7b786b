package freebsd

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// rcorder(8) (sbin/rcorder/rcorder.c) over the boot scripts: each file's
// "# PROVIDE:", "# REQUIRE:", "# BEFORE:" and "# KEYWORD:" lines make a
// graph that is walked as rcorder walks it. The file list is kept in
// reverse of the command line (filenode_new links each file at the head)
// and each file's requirements in reverse of their listing, BEFORE lines
// becoming requirements of the named provisions' files; generate_ordering
// takes the first file left (the last given), satisfies its requirements
// depth first and prints it, until none is left. A requirement nobody
// provides is warned about and ignored.

// rcScript is one file's header.
type rcScript struct {
	path     string
	provide  []string
	require  []string
	before   []string
	keywords []string
}

// parseRCHeader reads the rcorder lines of a script: the first block of
// "# PROVIDE:"-style lines (crunch_file stops at the first other line
// after one).
func parseRCHeader(p, text string) rcScript {
	s := rcScript{path: p}
	parsing := false
	for _, line := range strings.Split(text, "\n") {
		var dst *[]string
		rest := ""
		for _, k := range []struct {
			prefix string
			dst    *[]string
		}{
			{"# REQUIRES:", &s.require}, {"# REQUIRE:", &s.require}, {"# PROVIDES:", &s.provide}, {"# PROVIDE:", &s.provide},
			{"# BEFORE:", &s.before}, {"# KEYWORDS:", &s.keywords}, {"# KEYWORD:", &s.keywords},
		} {
			if r, ok := strings.CutPrefix(line, k.prefix); ok {
				dst, rest = k.dst, r
				break
			}
		}
		if dst == nil {
			if parsing {
				break
			}
			continue
		}
		parsing = true
		*dst = append(*dst, strings.Fields(rest)...)
	}
	return s
}

func (s rcScript) hasKeyword(k string) bool {
	for _, x := range s.keywords {
		if x == k {
			return true
		}
	}
	return false
}

// rcorder returns the scripts in rcorder's order; scripts with a keyword
// in skip are walked but left out (rcorder -s).
func rcorder(scripts []rcScript, skip ...string) []rcScript {
	type fnode struct {
		s          rcScript
		reqs       []string // processed from the front
		fakes      []string // the provisions its BEFORE lines made
		inProgress bool
		done       bool
	}
	type provHead struct {
		inProgress bool
		providers  []*fnode // front: the latest added, as add_provide links it
	}
	files := make([]*fnode, len(scripts))
	provs := map[string]*provHead{}
	for i, s := range scripts {
		f := &fnode{s: s}
		files[i] = f
		for _, r := range s.require {
			f.reqs = append([]string{r}, f.reqs...)
		}
		for _, p := range s.provide {
			h := provs[p]
			if h == nil {
				h = &provHead{}
				provs[p] = h
			}
			h.providers = append([]*fnode{f}, h.providers...)
		}
	}
	// insert_before: the BEFORE list is built by prepending across all
	// files, each entry a fake provision of its file required by every
	// provider of the named one.
	type beforeEnt struct {
		f    *fnode
		name string
	}
	var bl []beforeEnt
	for _, f := range files {
		for _, b := range f.s.before {
			bl = append([]beforeEnt{{f, b}}, bl...)
		}
	}
	for i, b := range bl {
		fake := "\x00before" + strconv.Itoa(i)
		provs[fake] = &provHead{providers: []*fnode{b.f}}
		b.f.fakes = append(b.f.fakes, fake)
		if h := provs[b.name]; h != nil {
			for _, p := range h.providers {
				p.reqs = append([]string{fake}, p.reqs...)
			}
		}
	}
	var out []rcScript
	var doFile func(f *fnode)
	satisfy := func(name string) {
		h := provs[name]
		if h == nil || len(h.providers) == 0 || h.inProgress {
			return
		}
		h.inProgress = true
		for len(h.providers) > 0 {
			doFile(h.providers[0])
		}
	}
	doFile = func(f *fnode) {
		wasSet := f.inProgress
		f.inProgress = true
		reqs := f.reqs
		f.reqs = nil
		for _, r := range reqs {
			satisfy(r)
		}
		for _, p := range append(f.s.provide, f.fakes...) {
			h := provs[p]
			for i, x := range h.providers {
				if x == f {
					h.providers = append(h.providers[:i], h.providers[i+1:]...)
					break
				}
			}
		}
		if !wasSet && !f.done {
			skipped := false
			for _, k := range skip {
				skipped = skipped || f.s.hasKeyword(k)
			}
			if !skipped {
				out = append(out, f.s)
			}
		}
		f.done = true
	}
	for i := len(files) - 1; i >= 0; {
		if files[i].done {
			i--
			continue
		}
		doFile(files[i])
	}
	return out
}

// rcPlaceholders are the base rc.d scripts of FreeBSD 14 that the lab does
// not install but whose headers order the ones it has (libexec/rc/rc.d, as
// read): the boot runs their lab counterpart, if any, in their place.
var rcPlaceholders = []rcScript{
	{path: "/etc/rc.d/DAEMON", provide: []string{"DAEMON"}, require: []string{"NETWORKING", "SERVERS"}},
	{path: "/etc/rc.d/FILESYSTEMS", provide: []string{"FILESYSTEMS"}, require: []string{"root", "mountcritlocal", "cleanvar", "tmp"}},
	{path: "/etc/rc.d/LOGIN", provide: []string{"LOGIN"}, require: []string{"DAEMON"}},
	{path: "/etc/rc.d/NETWORKING", provide: []string{"NETWORKING", "NETWORK"}, require: []string{"netif", "netwait", "netoptions", "routing", "ppp", "ipfw", "stf", "defaultroute", "route6d", "resolv", "bridge", "static_arp", "static_ndp"}},
	{path: "/etc/rc.d/SERVERS", provide: []string{"SERVERS"}, require: []string{"mountcritremote", "sysvipc", "linux", "ldconfig", "savecore", "watchdogd"}},
	{path: "/etc/rc.d/cleanvar", provide: []string{"cleanvar"}, require: []string{"var"}},
	{path: "/etc/rc.d/fsck", provide: []string{"fsck"}, require: []string{"swap"}, keywords: []string{"nojail"}},
	{path: "/etc/rc.d/hostid", provide: []string{"hostid"}, require: []string{"sysctl"}, keywords: []string{"nojail"}},
	{path: "/etc/rc.d/hostname", provide: []string{"hostname"}, require: []string{"FILESYSTEMS"}, before: []string{"netif"}},
	{path: "/etc/rc.d/kld", provide: []string{"kld"}, require: []string{"kldxref"}, keywords: []string{"nojail"}},
	{path: "/etc/rc.d/kldxref", provide: []string{"kldxref"}, require: []string{"FILESYSTEMS"}, before: []string{"netif"}, keywords: []string{"nojail"}},
	{path: "/etc/rc.d/ldconfig", provide: []string{"ldconfig"}, require: []string{"FILESYSTEMS"}, before: []string{"DAEMON"}},
	{path: "/etc/rc.d/mountcritlocal", provide: []string{"mountcritlocal"}, require: []string{"root", "hostid_save", "mdconfig"}, keywords: []string{"nojail", "shutdown"}},
	{path: "/etc/rc.d/mountcritremote", provide: []string{"mountcritremote"}, require: []string{"NETWORKING", "FILESYSTEMS", "ipsec", "netwait", "nfscbd"}, keywords: []string{"nojail"}},
	{path: "/etc/rc.d/newsyslog", provide: []string{"newsyslog"}, require: []string{"FILESYSTEMS", "mountcritremote"}},
	{path: "/etc/rc.d/root", provide: []string{"root"}, require: []string{"fsck"}, keywords: []string{"nojail"}},
	{path: "/etc/rc.d/securelevel", provide: []string{"securelevel"}, require: []string{"adjkerntz", "ipfw", "pf", "sysctl_lastload"}},
	{path: "/etc/rc.d/sysctl", provide: []string{"sysctl"}},
	{path: "/etc/rc.d/tmp", provide: []string{"tmp"}, require: []string{"mountcritlocal"}},
	{path: "/etc/rc.d/var", provide: []string{"var"}, require: []string{"mountcritlocal"}},
	{path: "/etc/rc.d/zfsbe", provide: []string{"zfsbe"}, require: []string{"mountcritlocal"}},
	{path: "/etc/rc.d/zpool", provide: []string{"zpool"}, require: []string{"hostid"}, before: []string{"zvol", "mountcritlocal"}, keywords: []string{"nojail"}},
	{path: "/etc/rc.d/zvol", provide: []string{"zvol"}, require: []string{"zpool"}, keywords: []string{"nojail"}},
}

// rcBootScripts lists the scripts in dirs with their headers, and the
// placeholders no file replaces, sorted by path as the shell's glob gives
// them to rcorder.
func rcBootScripts(h *sim.Host, dirs []string, placeholders bool) []rcScript {
	root := rootUser()
	var out []rcScript
	have := map[string]bool{}
	for _, d := range dirs {
		list, err := h.Tree.ReadDir(root, d)
		if err != nil {
			continue
		}
		for _, fi := range list {
			p := path.Join(d, fi.Name)
			if !fi.Mode.IsRegular() || fi.Mode&0o111 == 0 {
				continue
			}
			data, err := h.Tree.ReadFile(root, p)
			if err != nil {
				continue
			}
			out = append(out, parseRCHeader(p, string(data)))
			have[p] = true
		}
	}
	if placeholders {
		for _, s := range rcPlaceholders {
			if !have[s.path] {
				out = append(out, s)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}
