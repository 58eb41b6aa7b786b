package freebsd

import (
	"bytes"
	"strings"
	"testing"
)

// testDefaults is a cut-down /etc/defaults/rc.conf with the parts sysrc relies on.
const testDefaults = `#!/bin/sh
rc_conf_files="/etc/rc.conf /etc/rc.conf.local"
mountd_enable="NO"		# Run mountd (or NO).
rpcbind_enable="NO"		# Run the portmapper service (YES/NO).
nfs_server_enable="NO"		# This host is an NFS server (or NO).
sshd_enable="NO"		# Enable sshd
hostname=""			# Set this!
local_startup="/usr/local/etc/rc.d"	# startup script dirs.

if [ -z "${source_rc_confs_defined}" ]; then
	source_rc_confs_defined=yes
	source_rc_confs() {
		local i sourced_files
		for i in ${rc_conf_files}; do
			case ${sourced_files} in
			*:$i:*)
				;;
			*)
				sourced_files="${sourced_files}:$i:"
				if [ -r $i ]; then
					. $i
				fi
				;;
			esac
		done
	}
fi
`

const conf = "/tmp/sysrc_test.conf"

type sysrcRun struct {
	args   string
	stdout string
	stderr string
	code   int
	file   *string // expected content of conf afterwards, if checked
}

func str(s string) *string { return &s }

func runSysrcCases(t *testing.T, m *memFS, cases []sysrcRun) {
	t.Helper()
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := runSysrc(m, nil, strings.Fields(c.args), &out, &errb)
		if out.String() != c.stdout || errb.String() != c.stderr || code != c.code {
			t.Errorf("sysrc %s:\n got stdout %q stderr %q exit %d\nwant stdout %q stderr %q exit %d",
				c.args, out.String(), errb.String(), code, c.stdout, c.stderr, c.code)
		}
		if c.file != nil {
			if got := string(m.files[conf]); got != *c.file {
				t.Errorf("after sysrc %s: file %q, want %q", c.args, got, *c.file)
			}
		}
	}
}

func newTestFS(files map[string]string) *memFS {
	all := map[string]string{rcDefaultsPath: testDefaults}
	for k, v := range files {
		all[k] = v
	}
	return newMemFS(all)
}

// The ATF suite usr.sbin/sysrc/tests/sysrc_test.sh, case by case.
func TestSysrcATFCheckVariable(t *testing.T) {
	m := newTestFS(map[string]string{conf: "test_enable=\"NO\"\ntest_list=\"item1 item2\"\ntest2_list=\"\"\n"})
	runSysrcCases(t, m, []sysrcRun{
		{args: "-f " + conf + " test_enable", stdout: "test_enable: NO\n"},
		{args: "-f " + conf + " test2_list", stdout: "test2_list: \n"},
		{args: "-f " + conf + " test_enable test_list", stdout: "test_enable: NO\ntest_list: item1 item2\n"},
		{args: "-f " + conf + " noexist", stderr: "sysrc: unknown variable 'noexist'\n", code: 1},
		{args: "-f " + conf + " test_enable noexist", stdout: "test_enable: NO\n", stderr: "sysrc: unknown variable 'noexist'\n", code: 1},
	})
}

func TestSysrcATFSetVariable(t *testing.T) {
	m := newTestFS(nil)
	runSysrcCases(t, m, []sysrcRun{
		{args: "-f " + conf + " test_enable=YES", stdout: "test_enable:  -> YES\n", file: str("test_enable=\"YES\"\n")},
		{args: "-f " + conf + " test_enable=YES", stdout: "test_enable: YES -> YES\n", file: str("test_enable=\"YES\"\n")},
		{args: "-f " + conf + " test_enable=NO", stdout: "test_enable: YES -> NO\n", file: str("test_enable=\"NO\"\n")},
		{args: "-f " + conf + " test2_enable=", stdout: "test2_enable:  -> \n", file: str("test_enable=\"NO\"\ntest2_enable=\"\"\n")},
	})
}

func TestSysrcATFRemoveX(t *testing.T) {
	m := newTestFS(map[string]string{conf: "test1_enable=\"YES\"\ntest2_enable=\"NO\"\ntest3_enable=\"\"\n"})
	runSysrcCases(t, m, []sysrcRun{
		{args: "-f " + conf + " -x test1_enable", file: str("test2_enable=\"NO\"\ntest3_enable=\"\"\n")},
		{args: "-f " + conf + " -x test2_enable test3_enable", file: str("")},
		{args: "-f " + conf + " -x noexist", stderr: "sysrc: unknown variable 'noexist'\n", code: 1},
	})
}

func TestSysrcATFAppendSubtract(t *testing.T) {
	m := newTestFS(nil)
	runSysrcCases(t, m, []sysrcRun{
		{args: "-f " + conf + " test_list+=item1", stdout: "test_list:  -> item1\n", file: str("test_list=\"item1\"\n")},
		{args: "-f " + conf + " test_list+=item1", stdout: "test_list: item1 -> item1\n", file: str("test_list=\"item1\"\n")},
		{args: "-f " + conf + " test_list+=item2", stdout: "test_list: item1 -> item1 item2\n", file: str("test_list=\"item1 item2\"\n")},
		{args: "-f " + conf + " test_list-=item2", stdout: "test_list: item1 item2 -> item1\n", file: str("test_list=\"item1\"\n")},
		{args: "-f " + conf + " test_list-=item1", stdout: "test_list: item1 -> \n", file: str("test_list=\"\"\n")},
		{args: "-f " + conf + " test_list-=item3", stdout: "test_list:  -> \n", file: str("test_list=\"\"\n")},
		{args: "-f " + conf + " test2_list-=item1", stdout: "test2_list:  -> \n", file: str("test_list=\"\"\ntest2_list=\"\"\n")},
	})
}

func TestSysrcATFMultipleOperations(t *testing.T) {
	m := newTestFS(nil)
	runSysrcCases(t, m, []sysrcRun{
		{args: "-f " + conf + " test1_enable=YES test1_list+=item1", stdout: "test1_enable:  -> YES\ntest1_list:  -> item1\n",
			file: str("test1_enable=\"YES\"\ntest1_list=\"item1\"\n")},
		{args: "-f " + conf + " test1_enable test1_enable=NO noexist test2_enable=YES test1_list-=item1 test2_list+=item3",
			stdout: "test1_enable: YES\ntest1_enable: YES -> NO\ntest2_enable:  -> YES\ntest1_list: item1 -> \ntest2_list:  -> item3\n",
			stderr: "sysrc: unknown variable 'noexist'\n", code: 1,
			file: str("test1_enable=\"NO\"\ntest1_list=\"\"\ntest2_enable=\"YES\"\ntest2_list=\"item3\"\n")},
	})
}

func TestSysrcATFFlags(t *testing.T) {
	c2 := "/tmp/sysrc2.conf"
	m := newTestFS(map[string]string{conf: "test_enable=\"NO\"\ntest_list=\"item1 item2\"\n"})
	runSysrcCases(t, m, []sysrcRun{
		{args: "-f " + conf + " -c test_enable"},
		{args: "-f " + conf + " -c test_enable test_list"},
		{args: "-f " + conf + " -c noexist", stderr: "sysrc: unknown variable 'noexist'\n", code: 1},
		{args: "-f " + conf + " -c noexist1 noexist2", stderr: "sysrc: unknown variable 'noexist1'\nsysrc: unknown variable 'noexist2'\n", code: 1},
		{args: "-f " + conf + " -c test_enable=NO"},
		{args: "-f " + conf + " -c test_enable=YES", code: 1},
		{args: "-f " + conf + " -c noexist=YES", code: 1},
		{args: "-f " + conf + " -c test_list+=item1"},
		{args: "-f " + conf + " -c test_list+=item3", code: 1},
		{args: "-f " + conf + " -c test_enable=NO test_list+=item3", code: 1},
		{args: "-f " + conf + " -c test_list-=item3"},
		{args: "-f " + conf + " -c test_list-=item1", code: 1},
		{args: "-f " + conf + " -a", stdout: "test_enable: NO\ntest_list: item1 item2\n"},
		{args: "-f " + conf + " -F test_enable", stdout: "test_enable: " + conf + "\n"},
		{args: "-f " + conf + " -n test_enable", stdout: "NO\n"},
		{args: "-f " + conf + " -e test_enable", stdout: "test_enable=\"NO\"\n"},
		{args: "-f " + conf + " -e test_enable=YES", stdout: "test_enable=\"NO\" # -> \"YES\"\n"},
		{args: "-f " + conf + " -v test_enable=NO", stdout: conf + ": test_enable: YES -> NO\n"},
		{args: "-f " + conf + " -i noexist", code: 1},
		{args: "-f " + conf + " -q noexist", code: 1},
		{args: "-f " + conf + " -f " + c2 + " test_x=1", stdout: "test_x:  -> 1\n"},
		{args: "-f " + c2 + " -f " + conf + " -F test_x test_enable", stdout: "test_x: " + conf + "\ntest_enable: " + conf + "\n"},
		{args: "-c -a", stderr: "sysrc: `-c' option incompatible with `-a'/`-A' options\n", code: 1},
		{args: "bad.name=1", stderr: "sysrc: bad.name: name contains characters not allowed in shell\n", code: 1},
	})
}

// The blog's real FreeBSD 14 transcripts: defaults count as the old value.
func TestSysrcBlog(t *testing.T) {
	m := newTestFS(map[string]string{"/etc/rc.conf": "hostname=\"f0.lan.buetow.org\"\nsshd_enable=\"YES\""})
	runSysrcCases(t, m, []sysrcRun{
		{args: "zfskeys_enable=YES", stdout: "zfskeys_enable:  -> YES\n"},
		{args: "mountd_enable=YES", stdout: "mountd_enable: NO -> YES\n"},
		{args: "rpcbind_enable", stdout: "rpcbind_enable: NO\n"},
		{args: "sshd_enable=NO", stdout: "sshd_enable: YES -> NO\n"},
		{args: "-F mountd_enable rpcbind_enable", stdout: "mountd_enable: /etc/rc.conf\nrpcbind_enable: /etc/defaults/rc.conf\n"},
		{args: "-x mountd_enable"},
		{args: "mountd_enable", stdout: "mountd_enable: NO\n"},
		{args: "-d mountd_enable", stdout: "mountd_enable: Run mountd (or NO).\n"},
	})
	want := "hostname=\"f0.lan.buetow.org\"\nsshd_enable=\"NO\"\nzfskeys_enable=\"YES\"\n"
	if got := string(m.files["/etc/rc.conf"]); got != want {
		t.Errorf("rc.conf = %q, want %q", got, want)
	}
	var out, errb bytes.Buffer
	runSysrc(m, nil, []string{"zfskeys_datasets=zdata/enc zdata/enc/nfsdata zroot/bhyve"}, &out, &errb)
	if out.String() != "zfskeys_datasets:  -> zdata/enc zdata/enc/nfsdata zroot/bhyve\n" {
		t.Errorf("value with spaces: %q", out.String())
	}
}

func TestSysrcRewrite(t *testing.T) {
	cases := []struct{ in, name, val, want string }{
		{"a='x' # keep\n", "a", "y", "a='y' # keep\n"},
		{"a=x\n", "a", "y z", "a=\"y z\"\n"},
		{"a=\"x\" # c\nb=1\na=\"q\"\n", "a", "NEW", "a=\"x\" # c\nb=1\na=\"NEW\"\n"},
		{"  a=\"x\"\n", "a", "y", "  a=\"y\"\n"},
		{"a=$b\n", "a", "y", "a=$b\na=\"y\"\n"},
		{"\n\na=1\n", "a", "2", "a=\"2\"\n"},
		{"a=1", "a", "2", "a=\"2\"\n"},
		{"a= # empty\n", "a", "2", "a=\"2\" # empty\n"},
	}
	for _, c := range cases {
		if got := string(replaceLastAssignment([]byte(c.in), c.name, c.val)); got != c.want {
			t.Errorf("replace %q %s=%s: %q, want %q", c.in, c.name, c.val, got, c.want)
		}
	}
}

func TestSysrcSyntaxErrors(t *testing.T) {
	m := newTestFS(map[string]string{"/etc/rc.conf": "a=\"unterminated\n"})
	runSysrcCases(t, m, []sysrcRun{
		{args: "a=1", stderr: "/etc/rc.conf: 1: Syntax error: Unterminated quoted string\nsysrc: Exiting due to previous syntax errors\n", code: 1},
	})
	m = newTestFS(map[string]string{"/etc/rc.conf": "a=1\n"})
	m.ro["/etc/rc.conf"] = true
	runSysrcCases(t, m, []sysrcRun{
		{args: "a=2", stderr: "sysrc: cannot create /etc/rc.conf: Permission denied\n", code: 1},
		{args: "b=2", stderr: "/usr/sbin/sysrc: cannot create /etc/rc.conf: Permission denied\n", code: 1},
	})
}

func TestListEdit(t *testing.T) {
	cases := []struct {
		before, op string
		add        bool
		want       string
	}{
		{"a b", "c", true, "a b c"},
		{"a b", "b", true, "a b"},
		{"a,b", ",c", true, "a,b,c"},
		{"a b c", "b", false, "a c"},
		{"", "x", false, ""},
	}
	for _, c := range cases {
		if got := listEdit(c.before, c.op, c.add); got != c.want {
			t.Errorf("listEdit(%q,%q,%v)=%q want %q", c.before, c.op, c.add, got, c.want)
		}
	}
}
