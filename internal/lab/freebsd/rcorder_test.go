package freebsd

import (
	"sort"
	"strings"
	"testing"
)

// bootOrder is rc's combined order of the lab's base scripts, the
// placeholders and the packages' scripts.
func bootOrder(t *testing.T) []string {
	t.Helper()
	var scripts []rcScript
	for name, text := range baseRCScripts {
		scripts = append(scripts, parseRCHeader("/etc/rc.d/"+name, text))
	}
	scripts = append(scripts, rcPlaceholders...)
	scripts = append(scripts, parseRCHeader("/usr/local/etc/rc.d/stunnel", stunnelRCScript),
		parseRCHeader("/usr/local/etc/rc.d/zrepl", zreplRCScript))
	sort.Slice(scripts, func(i, j int) bool { return scripts[i].path < scripts[j].path })
	var names []string
	for _, s := range rcorder(scripts, "nostart", "firstboot") {
		names = append(names, s.path[strings.LastIndex(s.path, "/")+1:])
	}
	return names
}

func TestBootOrder(t *testing.T) {
	order := bootOrder(t)
	pos := map[string]int{}
	for i, n := range order {
		if _, dup := pos[n]; dup {
			t.Fatalf("%s listed twice: %v", n, order)
		}
		pos[n] = i
	}
	for _, pair := range [][2]string{
		// zfskeys needs only zpool: it runs before /etc/fstab is mounted
		// (keys on a UFS stick are not there yet; zfs's poststart retries).
		{"zpool", "zfskeys"}, {"zfskeys", "mountcritlocal"}, {"zfskeys", "zfs"}, {"mountcritlocal", "zfs"},
		{"zfs", "FILESYSTEMS"}, {"cleanvar", "FILESYSTEMS"}, {"FILESYSTEMS", "netif"},
		// devd takes the CARP events of netif before the NFS services and
		// stunnel start: "rc starts nfsd after devd's BACKUP event".
		{"netif", "devd"}, {"devd", "NETWORKING"}, {"devd", "rpcbind"}, {"devd", "mountd"}, {"devd", "nfsd"},
		{"devd", "stunnel"}, {"rpcbind", "mountd"}, {"mountd", "nfsd"}, {"nfsuserd", "nfsd"}, {"syslogd", "SERVERS"},
		{"stunnel", "DAEMON"}, {"DAEMON", "LOGIN"}, {"LOGIN", "sshd"}, {"LOGIN", "cron"}, {"LOGIN", "zrepl"},
	} {
		a, okA := pos[pair[0]]
		b, okB := pos[pair[1]]
		if !okA || !okB || a >= b {
			t.Errorf("%s must come before %s: %v", pair[0], pair[1], order)
		}
	}
}

func TestRcorderAlgorithm(t *testing.T) {
	// rcorder walks the files from the last given; requirements first,
	// BEFORE as a requirement of the named provision, a provision several
	// files share waits for all of them.
	s := []rcScript{
		{path: "a", provide: []string{"a"}, require: []string{"b"}},
		{path: "b", provide: []string{"b"}},
		{path: "c", provide: []string{"c"}, before: []string{"b"}},
		{path: "d1", provide: []string{"d"}},
		{path: "d2", provide: []string{"d"}, keywords: []string{"nostart"}},
		{path: "e", provide: []string{"e"}, require: []string{"d", "nobody"}},
	}
	var got []string
	for _, x := range rcorder(s, "nostart") {
		got = append(got, x.path)
	}
	if strings.Join(got, " ") != "d1 e c b a" {
		t.Errorf("order %v", got)
	}
	h := parseRCHeader("x", "#!/bin/sh\n#\n# PROVIDE: x y\n# REQUIRE: a\n# REQUIRE: b c\n# BEFORE: z\n# KEYWORD: nojail\n#\n# PROVIDE: late\n")
	if strings.Join(h.provide, ",") != "x,y" || strings.Join(h.require, ",") != "a,b,c" || strings.Join(h.before, ",") != "z" || !h.hasKeyword("nojail") {
		t.Errorf("header %+v", h)
	}
}
