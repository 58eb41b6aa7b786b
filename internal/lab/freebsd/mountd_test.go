package freebsd

import (
	"strings"
	"testing"
)

// TestMountdRejects: mountd logs each line it refuses to syslog, in its own
// words, and exports the others (reference §7, mountd.c getexp_err/do_opt).
func TestMountdRejects(t *testing.T) {
	l := newLabHost(t, "f0")
	l.steps([]step{
		{cmd: "newfs /dev/da0 >/dev/null && mkdir -p /data/nfs /data/plain && mount /dev/da0 /data/nfs && ln -s /data/plain /data/link"},
		{cmd: "sysrc mountd_enable=YES >/dev/null && printf '%s\\n' 'V4: /data/nfs -sec=sys' '/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255' > /etc/exports && service mountd start >/dev/null"},
		{cmd: "printf '%s\\n' '/data/plain -bogus -network 10.0.0.0/8' '/data/plain -alldirs' '/data/missing -ro' '/data/link -ro' '-ro /data/plain' '/data/plain -maproot=root -mapall=nobody' '/data/plain -mask 255.0.0.0' '/data/plain -sec=ntlm' '/data/plain \\' '  nosuchhost' 'V4: /data/nfs -alldirs' '/data/plain -network 10.0.0.0' >> /etc/exports && service mountd reload"},
		{cmd: "showmount -e", stdout: "Exports list on localhost:\n/data/nfs                          127.0.0.1 \n/data/plain                        10.0.0.0 \n"},
	})
	pid := strings.TrimSpace(l.file("/var/run/mountd.pid"))
	log := l.file("/var/log/messages")
	for _, want := range []string{
		"mountd[" + pid + "]: bad opt bogus\n",
		"mountd[" + pid + "]: bad exports list line '/data/plain -bogus'\n",
		"mountd[" + pid + "]: -alldirs requested but /data/plain is not a filesystem mountpoint\n",
		"mountd[" + pid + "]: bad exports list line '/data/plain -alldirs'\n",
		"mountd[" + pid + "]: bad exports list line '/data/missing': symbolic link in export path or statfs failed\n",
		"mountd[" + pid + "]: bad exports list line '/data/link': symbolic link in export path or statfs failed\n",
		"mountd[" + pid + "]: bad exports list line '-ro /data/plain': flag before export path definition\n",
		"mountd[" + pid + "]: -mapall and -maproot mutually exclusive\n",
		"mountd[" + pid + "]: -mask requires -network\n",
		"mountd[" + pid + "]: bad sec flavor: ntlm\n",
		"mountd[" + pid + "]: bad host nosuchhost, skipping\n",
		"mountd[" + pid + "]: bad exports list line '/data/plain   nosuchhost': no valid entries\n",
		"mountd[" + pid + "]: only -sec,-net,-mask options allowed on V4:\n",
		"mountd[" + pid + "]: bad exports list line 'V4: /data/nfs -alldirs'\n",
		"mountd[" + pid + "]: WARNING: No mask specified for 10.0.0.0, using out-of-date default\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("syslog lacks %q:\n%s", want, log)
		}
	}
}
