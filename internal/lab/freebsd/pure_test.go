package freebsd

import (
	"bytes"
	"strings"
	"testing"
)

func TestDevdRules(t *testing.T) {
	conf := devdConf + `
notify 0 {
        match "system"          "CARP";
        match "subsystem"       "[0-9]+@[0-9a-z.]+";
        match "type"            "(MASTER|BACKUP)";
        action "/usr/local/bin/carpcontrol.sh $subsystem $type";
};
notify 100 {
	match "system" "CARP";
	match "type" "!MASTER";
	action "logger high ${type}";
};
`
	rules, dirs, err := parseDevdConf(conf)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(dirs, " ") != "/etc/devd /usr/local/etc/devd" {
		t.Errorf("dirs %v", dirs)
	}
	if len(rules) != 5 {
		t.Fatalf("%d rules", len(rules))
	}
	cases := []struct {
		ev   devdEvent
		want string
	}{
		{devdEvent{"system": "CARP", "subsystem": "1@re0", "type": "MASTER"}, "/usr/local/bin/carpcontrol.sh 1@re0 MASTER"},
		{devdEvent{"system": "carp", "subsystem": "1@re0", "type": "BACKUP"}, "logger high BACKUP"},
		{devdEvent{"system": "CARP", "subsystem": "x1@re0", "type": "MASTER"}, ""},
		{devdEvent{"system": "CARPX", "subsystem": "1@re0", "type": "MASTER"}, ""},
	}
	sorted := devdLoadRules(newMemFS(map[string]string{"/etc/devd.conf": conf}))
	for _, c := range cases {
		got := ""
		if r := devdFirstMatch(sorted, "notify", c.ev); r != nil {
			got = expandDevdVars(r.Actions[0], c.ev)
		}
		if got != c.want {
			t.Errorf("%v: %q, want %q", c.ev, got, c.want)
		}
	}
}

func TestRenderIfaces(t *testing.T) {
	st := seedIfaces("f2")
	var b bytes.Buffer
	for i := range st.List {
		renderIface(&b, &st.List[i], false)
	}
	want := "re0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500\n" +
		"\toptions=8209b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,WOL_MAGIC,LINKSTATE>\n" +
		"\tether " + st.List[0].Ether + "\n" +
		"\tinet 192.168.1.132 netmask 0xffffff00 broadcast 192.168.1.255\n" +
		"\tmedia: Ethernet autoselect (1000baseT <full-duplex>)\n\tstatus: active\n" +
		"\tnd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>\n" +
		"lo0: flags=1008049<UP,LOOPBACK,RUNNING,MULTICAST,LOWER_UP> metric 0 mtu 16384\n" +
		"\toptions=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>\n" +
		"\tinet 127.0.0.1 netmask 0xff000000\n" +
		"\tinet6 ::1 prefixlen 128\n\tinet6 fe80::1%lo0 prefixlen 64 scopeid 0x2\n" +
		"\tgroups: lo\n\tnd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>\n" +
		"wg0: flags=10080c1<UP,RUNNING,NOARP,MULTICAST,LOWER_UP> metric 0 mtu 1420\n" +
		"\toptions=80000<LINKSTATE>\n" +
		"\tinet 192.168.2.132 netmask 0xffffff00\n" +
		"\tgroups: wg\n\tnd6 options=109<PERFORMNUD,IFDISABLED,NO_DAD>\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if seedIfaces("f0").List[0].Ether == st.List[0].Ether {
		t.Error("ether addresses must differ per host")
	}
}

func TestIfconfigApply(t *testing.T) {
	f := seedIfaces("f1").List[0]
	req, err := parseIfconfigArgs(strings.Fields("inet vhid 1 pass testpass advskew 100 alias 192.168.1.138/32"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := req.apply(&f, true, true)
	if err != nil {
		t.Fatal(err)
	}
	// A new vhid stays INIT until the election (carpSettle) runs.
	if len(res.events) != 0 || !res.carp || f.carp(1).State != "INIT" {
		t.Errorf("result %+v, state %s", res, f.carp(1).State)
	}
	if c := f.carp(1); c == nil || c.Advskew != 100 || c.Key != "testpass" || len(f.Inet) != 2 || f.Inet[1].VHID != 1 {
		t.Errorf("iface %+v", f)
	}
	req, _ = parseIfconfigArgs(strings.Fields("vhid 1 state backup"))
	if res, _ = req.apply(&f, true, true); len(res.events) != 0 {
		t.Errorf("the kernel ignores a state asked of an INIT vhid: %+v", res.events)
	}
	f.carp(1).State = "MASTER"
	res, _ = req.apply(&f, true, true)
	if ev := res.events; len(ev) != 1 || ev[0].From != "MASTER" || ev[0].Reason != "user requested via ifconfig" {
		t.Errorf("events %+v", ev)
	}
	if res, _ = req.apply(&f, true, true); len(res.events) != 0 {
		t.Errorf("no change must emit nothing: %+v", res.events)
	}
	lo := seedIfaces("f1").List[1]
	if _, err := req.apply(&lo, true, true); err == nil || err.Error() != "SIOCSVH: Operation not supported" {
		t.Errorf("carp on lo0: %v", err)
	}
	for _, bad := range []struct{ args, msg string }{
		{"advskew 1", "advskew requires vhid"},
		{"vhid 256", "vhid must be greater than 0 and less than 255"},
		{"1.2.3.4 5.6.7.8", "5.6.7.8: bad value"},
		{"vhid", "'vhid' requires argument"},
	} {
		if _, err := parseIfconfigArgs(strings.Fields(bad.args)); err == nil || err.Error() != bad.msg {
			t.Errorf("%s: %v, want %s", bad.args, err, bad.msg)
		}
	}
}

func TestShowmount(t *testing.T) {
	ex := parseExports("V4: /data/nfs -sec=sys\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\n# c\n/a /b -ro host1 host2\n")
	var b bytes.Buffer
	renderShowmount(&b, "localhost", ex)
	want := "Exports list on localhost:\n" +
		"/data/nfs                          127.0.0.1 \n" +
		"/a                                 host1 host2 \n" +
		"/b                                 host1 host2 \n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}

func TestCrontabCheck(t *testing.T) {
	cases := []struct{ src, want string }{
		{"* * * * * cmd\n", ""},
		{"SHELL=/bin/sh\n@reboot x\n*/5 1-3,7 * jan-mar Mon-Fri cmd\n", ""},
		{"60 * * * * x\n", `"-":1: bad minute`},
		{"* * 0 * * x\n", `"-":1: bad day-of-month`},
		{"* * * 13 * x\n", `"-":1: bad month`},
		{"* * * * 8 x\n", `"-":1: bad day-of-week`},
		{"* * * * *\n", `"-":1: bad command`},
		{"@sometimes x\n", `"-":1: bad time specifier`},
	}
	for _, c := range cases {
		if got := strings.Join(checkCrontab("-", c.src), "|"); got != c.want {
			t.Errorf("%q: %q, want %q", c.src, got, c.want)
		}
	}
	if got := crontabBody("# a\n# b\n# c\n# d\nx\n"); got != "# d\nx\n" {
		t.Errorf("body %q", got)
	}
}

func TestHumanizeAndKldstat(t *testing.T) {
	for n, want := range map[int64]string{0: "0B", 8192: "8.0K", 208896: "204K", 965260468224: "899G", 15234658304: "14G", 1 << 40: "1.0T"} {
		if got := humanizeBytes(n); got != want {
			t.Errorf("humanize(%d)=%q want %q", n, got, want)
		}
	}
	var k kldTable
	k.init()
	var b bytes.Buffer
	renderKldstat(&b, k.Files[:2], false)
	want := "Id Refs Address                Size Name\n" +
		" 1   43 0xffffffff80200000  1f3e2d0 kernel\n" +
		" 2    1 0xffffffff82140000   5ae9d0 zfs.ko\n"
	if b.String() != want {
		t.Errorf("kldstat\n%q\nwant\n%q", b.String(), want)
	}
	if _, err := k.load("nfsd"); err == nil {
		t.Error("nfsd is in the kernel: load must fail")
	}
}

func TestStunnelConf(t *testing.T) {
	files := map[string]string{
		"/c":           "cert = /x.pem\nsetuid = stunnel\n\n[nfs]\naccept = 1.2.3.4:2323\nconnect = 127.0.0.1:2049\nbogus = 1\n",
		"/d":           "include = /inc\n[s]\nclient = yes\naccept = 2323\nconnect = h:1\n",
		"/inc/00.conf": "pid = /var/run/stunnel.pid\n",
	}
	read := func(f string) ([]byte, error) { return newMemFS(files).ReadFile(f) }
	list := func(d string) []string {
		if d == "/inc" {
			return []string{"00.conf"}
		}
		return nil
	}
	_, errs := parseStunnelConf(read, list, "/c")
	if strings.Join(errs, "|") != `[!] /c:7: "bogus = 1": Specified option name is not valid here` {
		t.Errorf("errs %v", errs)
	}
	c, errs := parseStunnelConf(read, list, "/d")
	if len(errs) != 0 || c.Global["pid"] != "/var/run/stunnel.pid" || c.Services[0].Opts["client"] != "yes" {
		t.Errorf("conf %+v %v", c, errs)
	}
}
