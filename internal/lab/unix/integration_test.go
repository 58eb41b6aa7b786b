package unix

import (
	"strconv"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// The scripts below are what the provider and the article run; the expected
// texts are those of FreeBSD 14 and Rocky Linux 9 (see the comments in the
// utilities for their sources).

func TestFreeBSDScripts(t *testing.T) {
	t.Parallel()
	h := newHost(t, sim.FreeBSD, "f0")
	tests := []struct {
		name, user, script string
		want               result
	}{
		{"doas reads master.passwd", "", "doas -n cat /etc/master.passwd | head -1",
			result{out: "root:*:0:0::0:0:Charlie &:/root:/bin/sh\n"}},
		{"login user cannot read master.passwd", "", "cat /etc/master.passwd",
			result{err: "cat: /etc/master.passwd: Permission denied\n", code: 1}},
		{"mkdir -p, write, read", "root", "mkdir -p /a/b && echo x > /a/b/c && cat /a/b/c",
			result{out: "x\n"}},
		{"non-root write to /etc", "", "touch /etc/x; echo x | tee /etc/x",
			result{out: "x\n", err: "touch: /etc/x: Permission denied\ntee: /etc/x: Permission denied\n", code: 1}},
		{"non-root mkdir in /etc", "", "mkdir /etc/x",
			result{err: "mkdir: /etc/x: Permission denied\n", code: 1}},
		{"stat rc.conf", "", "stat -f '%Lp %Su %Sg %HT' /etc/rc.conf",
			result{out: "644 root wheel Regular File\n"}},
		{"stat size", "", "stat -f '%z' /etc/hosts | grep -c '^[0-9][0-9]*$'",
			result{out: "1\n"}},
		{"stat missing", "", "stat -f %N /nonexistent",
			result{err: "stat: /nonexistent: stat: No such file or directory\n", code: 1}},
		{"stat -q missing", "", "stat -q -f %N /nonexistent",
			result{code: 1}},
		{"stat modes", "", "stat -f '%p %Op %OLp %Sp' /tmp /root /etc/master.passwd",
			result{out: "41777 41777 777 drwxrwxrwt\n40750 40750 750 drwxr-x---\n100600 100600 600 -rw-------\n"}},
		{"stat owner numbers", "", "stat -f '%u:%g %Su:%Sg' /home/paul",
			result{out: "1001:1001 paul:paul\n"}},
		{"stat symlink", "", "stat -f '%HT %Y' /etc/os-release",
			result{out: "Symbolic Link ../var/run/os-release\n"}},
		{"sha256 of stdin", "", "printf abc | sha256",
			result{out: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"}},
		{"sha256 file", "", "printf abc > /tmp/abc && sha256 /tmp/abc && sha256 -q /tmp/abc && sha256 -r /tmp/abc",
			result{out: "SHA256 (/tmp/abc) = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n" +
				"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n" +
				"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad /tmp/abc\n"}},
		{"sha256 missing", "", "sha256 /nope",
			result{err: "sha256: /nope: No such file or directory\n", code: 1}},
		{"id", "", "id", result{out: "uid=1001(paul) gid=1001(paul) groups=1001(paul),0(wheel)\n"}},
		{"id root", "root", "id", result{out: "uid=0(root) gid=0(wheel) groups=0(wheel),5(operator)\n"}},
		{"id -un -G -Gn", "", "id -un; id -u; id -G; id -Gn", result{out: "paul\n1001\n1001 0\npaul wheel\n"}},
		{"doas id -u", "", "doas id -u", result{out: "0\n"}},
		{"whoami", "", "whoami; doas whoami", result{out: "paul\nroot\n"}},
		{"hostname", "", "hostname; hostname -s", result{out: "f0.lan\nf0\n"}},
		{"uname", "", "uname; uname -r; uname -m; uname -n",
			result{out: "FreeBSD\n14.2-RELEASE\namd64\nf0.lan\n"}},
		{"uname -a", "", "uname -a",
			result{out: "FreeBSD f0.lan 14.2-RELEASE FreeBSD 14.2-RELEASE releng/14.2-n269506-c8918d6c7412 GENERIC amd64\n"}},
		{"freebsd-version", "", "freebsd-version; freebsd-version -ku",
			result{out: "14.2-RELEASE\n14.2-RELEASE\n14.2-RELEASE\n"}},
		{"cat missing", "", "cat /x", result{err: "cat: /x: No such file or directory\n", code: 1}},
		{"cat bad option", "", "cat -z /etc/hosts",
			result{err: "cat: illegal option -- z\nusage: cat [-belnstuv] [file ...]\n", code: 1}},
		{"grep exit codes", "", "grep -q wheel /etc/group; echo $?; grep -q nosuch /etc/group; echo $?; grep x /nope; echo $?",
			result{out: "0\n1\n2\n", err: "grep: /nope: No such file or directory\n"}},
		{"grep -c -v -n", "", "printf 'a\\nb\\na\\n' | grep -c a; printf 'a\\nb\\n' | grep -v a; printf 'a\\nb\\n' | grep -n b",
			result{out: "2\nb\n2:b\n"}},
		{"grep BRE and ERE", "", "printf 'ab\\na+b\\nabbb\\n' | grep 'a+b'; printf 'ab\\nabbb\\n' | grep -E '^ab+$' | wc -l",
			result{out: "a+b\n       2\n"}},
		{"grep -x -F -w", "", "printf 'zdata\\nzdata/enc\\n' | grep -x -F zdata; printf 'foo bar\\nfoobar\\n' | grep -w foo",
			result{out: "zdata\nfoo bar\n"}},
		{"awk fields", "", "printf 'a b c\\nd e f\\n' | awk '{print $2}'; echo 'x:y:z' | awk -F: '{print $NF, NR}'",
			result{out: "b\ne\nz 1\n"}},
		{"awk pattern", "", `awk -F: '$1=="paul" {print $3}' /etc/passwd`, result{out: "1001\n"}},
		{"awk regex and END", "", `awk '/^wheel/ {n++} END {print n+0}' /etc/group`, result{out: "1\n"}},
		{"awk unsupported", "", `echo x | awk '{ getline line }'`,
			result{err: "awk: unsupported program: getline\n", code: 2}},
		{"install -d -m", "root", "install -d -m 0700 -o root -g wheel /keys && stat -f '%Lp %Su %Sg %HT' /keys",
			result{out: "700 root wheel Directory\n"}},
		{"install file", "root", "echo hi > /tmp/src && install -m 0400 /tmp/src /tmp/dst && stat -f '%Lp %Su %Sg %z' /tmp/dst && cat /tmp/dst",
			result{out: "400 root wheel 3\nhi\n"}},
		{"chmod symbolic and octal", "root", "touch /tmp/m && chmod 600 /tmp/m && chmod go+r,u+x /tmp/m && stat -f %Lp /tmp/m",
			result{out: "744\n"}},
		{"chmod bad mode", "root", "chmod abc /tmp", result{err: "chmod: Invalid file mode: abc\n", code: 1}},
		{"chown", "root", "touch /tmp/o && chown paul:wheel /tmp/o && stat -f '%Su:%Sg' /tmp/o",
			result{out: "paul:wheel\n"}},
		{"chown unknown", "root", "chown bob /tmp", result{err: "chown: bob: illegal user name\n", code: 1}},
		{"chown as user", "", "chown root /home/paul",
			result{err: "chown: /home/paul: Operation not permitted\n", code: 1}},
		{"mv and rm", "root", "touch /tmp/a && mv /tmp/a /tmp/b && ls /tmp/b && rm /tmp/b && rm /tmp/b",
			result{out: "/tmp/b\n", err: "rm: /tmp/b: No such file or directory\n", code: 1}},
		{"rm -f missing", "", "rm -f /tmp/none", result{}},
		{"rm dir", "root", "mkdir /tmp/d && rm /tmp/d", result{err: "rm: /tmp/d: is a directory\n", code: 1}},
		{"ln -s and readlink", "root", "ln -s /etc/hosts /tmp/h && readlink /tmp/h && readlink -f /tmp/h && cat /tmp/h | head -2 | tail -1",
			result{out: "/etc/hosts\n/etc/hosts\n# Host Database\n"}},
		{"ln exists", "root", "touch /tmp/l1 /tmp/l2 && ln -s /tmp/l1 /tmp/l2",
			result{err: "ln: /tmp/l2: File exists\n", code: 1}},
		{"head tail", "", "printf '1\\n2\\n3\\n4\\n' | head -n 2; printf '1\\n2\\n3\\n4\\n' | tail -n 1; printf 'abcdef' | head -c 3",
			result{out: "1\n2\n4\nabc"}},
		{"cut tr sort uniq", "", "printf 'b:2\\na:1\\nb:2\\n' | sort | uniq | cut -d: -f1 | tr a-z A-Z",
			result{out: "A\nB\n"}},
		{"sort -n -r -u", "", "printf '10\\n9\\n10\\n100\\n' | sort -n -r -u", result{out: "100\n10\n9\n"}},
		{"wc", "", "printf 'a b\\nc\\n' | wc -l; printf 'a b\\nc\\n' | wc", result{out: "       2\n       2       3       6\n"}},
		{"tee -a", "root", "echo one > /tmp/t && echo two | tee -a /tmp/t >/dev/null && cat /tmp/t",
			result{out: "one\ntwo\n"}},
		{"mktemp", "", "f=$(mktemp) && case $f in /tmp/tmp.??????????) stat -f '%Lp %Su' $f;; *) echo bad $f;; esac",
			result{out: "600 paul\n"}},
		{"mktemp -d -t", "", "d=$(mktemp -d -t f3s) && case $d in /tmp/f3s.????????) stat -f '%Lp %HT' $d;; *) echo bad $d;; esac",
			result{out: "700 Directory\n"}},
		{"date", "", "date +%Y-%m-%dT%H:%M:%S; date -u", result{out: "2025-07-01T19:31:48\nTue Jul  1 19:31:48 UTC 2025\n"}},
		{"basename dirname", "", "basename /a/b/c.key .key; dirname /a/b/c.key; dirname c", result{out: "c\n/a/b\n.\n"}},
		{"env", "", "env -i FOO=bar env", result{out: "FOO=bar\n"}},
		{"env missing", "", "env nosuch", result{err: "env: nosuch: No such file or directory\n", code: 127}},
		{"openssl rand -out", "root", "openssl rand -out /tmp/k 32 && stat -f %z /tmp/k && openssl rand -hex 4 | wc -c",
			result{out: "32\n       9\n"}},
		{"dd from urandom", "root", "dd if=/dev/urandom of=/tmp/r bs=32 count=1 status=none && stat -f %z /tmp/r",
			result{out: "32\n"}},
		{"head -c from random", "", "head -c 16 /dev/random | wc -c", result{out: "      16\n"}},
		{"od", "", "printf 'AB' | od -A n -t x1", result{out: " 41 42\n"}},
		{"logger", "root", "logger -t f3s hello world && tail -n 1 /var/log/messages",
			result{out: "Jul  1 19:31:48 f0 f3s: hello world\n"}},
		{"true false", "", "/usr/bin/true; echo $?; /usr/bin/false; echo $?", result{out: "0\n1\n"}},
		{"test as a program", "", "doas test -f /etc/master.passwd; echo $?; doas [ -d /nope ]; echo $?", result{out: "0\n1\n"}},
		{"sh -c args", "", `sh -c 'echo $0 $1 $2' zero one two`, result{out: "zero one two\n"}},
		{"sh -n ok", "", "sh -n /etc/rc.conf; echo $?", result{out: "0\n"}},
		{"sh -n bad", "root", "echo 'x=\"unterminated' > /tmp/bad.conf; sh -n /tmp/bad.conf; echo $?",
			result{out: "2\n", err: "/tmp/bad.conf: 1: Syntax error: reached EOF without closing quote `\"`\n"}},
		{"sh file", "root", "printf 'echo $1\\n' > /tmp/s.sh; sh /tmp/s.sh hi", result{out: "hi\n"}},
		{"realpath", "", "realpath /etc/os-release", result{out: "/var/run/os-release\n"}},
		{"sed", "", "printf 'a=1\\nb=2\\n' | sed -n 's/^b=//p'; printf 'x\\ny\\n' | sed '/x/d'", result{out: "2\ny\n"}},
		{"ls -l", "", "ls -l /etc/defaults/rc.conf | cut -c1-10", result{out: "-r--r--r--\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.name, run(t, h, tc.user, tc.script), tc.want)
		})
	}
}

func TestRockyScripts(t *testing.T) {
	t.Parallel()
	h := newHost(t, sim.Rocky, "r0")
	tests := []struct {
		name, user, script string
		want               result
	}{
		{"sudo -n", "", "sudo -n id -u", result{out: "0\n"}},
		{"sudo -n cat shadow", "", "sudo -n head -1 /etc/shadow", result{out: "root:!!:19800:0:99999:7:::\n"}},
		{"user cannot read shadow", "", "cat /etc/shadow", result{err: "cat: /etc/shadow: Permission denied\n", code: 1}},
		{"stat -c hosts", "", "stat -c '%a %U %G %s %F' /etc/hosts",
			result{out: "644 root root " + strconv.Itoa(len(rockyHosts)) + " regular file\n"}},
		{"stat -c modes", "", "stat -c '%a %A %n' /tmp /etc/sudoers /usr/bin/sudo",
			result{out: "1777 drwxrwxrwt /tmp\n440 -r--r----- /etc/sudoers\n4111 ---s--x--x /usr/bin/sudo\n"}},
		{"stat -c empty and link", "root", "touch /tmp/e && stat -c '%F|%N' /tmp/e /bin",
			result{out: "regular empty file|'/tmp/e'\nsymbolic link|'/bin' -> 'usr/bin'\n"}},
		{"stat missing", "", "stat -c %n /x", result{err: "stat: cannot statx '/x': No such file or directory\n", code: 1}},
		{"stat -c %Y", "root", "touch /tmp/y && stat -c %Y /tmp/y", result{out: "1751398308\n"}},
		{"sha256sum", "", "printf abc > /tmp/abc && sha256sum /tmp/abc && printf abc | sha256sum",
			result{out: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  /tmp/abc\n" +
				"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n"}},
		{"sha256sum -c", "", "printf abc > /tmp/c && sha256sum /tmp/c > /tmp/c.sum && sha256sum -c /tmp/c.sum && echo x >> /tmp/c && sha256sum -c /tmp/c.sum",
			result{out: "/tmp/c: OK\n/tmp/c: FAILED\n", err: "sha256sum: WARNING: 1 computed checksum did NOT match\n", code: 1}},
		{"id", "", "id", result{out: "uid=1001(paul) gid=1001(paul) groups=1001(paul),10(wheel) context=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023\n"}},
		{"id -Gn", "", "id -Gn", result{out: "paul wheel\n"}},
		{"hostname", "", "hostname; hostname -s", result{out: "r0.lan\nr0\n"}},
		{"uname -a", "", "uname -a",
			result{out: "Linux r0.lan 5.14.0-427.13.1.el9_4.x86_64 #1 SMP PREEMPT_DYNAMIC Wed May 1 19:11:28 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux\n"}},
		{"uname -srm", "", "uname -srm", result{out: "Linux 5.14.0-427.13.1.el9_4.x86_64 x86_64\n"}},
		{"os-release", "", ". /etc/os-release && echo $ID $VERSION_ID", result{out: "rocky 9.4\n"}},
		{"cat missing", "", "cat /x", result{err: "cat: /x: No such file or directory\n", code: 1}},
		{"cat bad option", "", "cat -z",
			result{err: "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n", code: 1}},
		{"mkdir error", "", "mkdir /etc/x",
			result{err: "mkdir: cannot create directory '/etc/x': Permission denied\n", code: 1}},
		{"rm missing", "", "rm /tmp/none", result{err: "rm: cannot remove '/tmp/none': No such file or directory\n", code: 1}},
		{"chown unknown", "root", "chown bob /tmp", result{err: "chown: invalid user: 'bob'\n", code: 1}},
		{"head missing", "", "head /nope",
			result{err: "head: cannot open '/nope' for reading: No such file or directory\n", code: 1}},
		{"wc", "", "printf 'a b\\nc\\n' | wc -l; printf 'a b\\nc\\n' | wc", result{out: "2\n      2       3       6\n"}},
		{"mktemp", "", "f=$(mktemp) && case $f in /tmp/tmp.??????????) stat -c '%a %U' $f;; *) echo bad $f;; esac",
			result{out: "600 paul\n"}},
		{"sudo not allowed without nopasswd", "root", "rm /etc/sudoers.d/paul", result{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.name, run(t, h, tc.user, tc.script), tc.want)
		})
	}
	// With the drop-in gone, paul is only in %wheel, which wants a password.
	check(t, "sudo -n needs a password", run(t, h, "", "sudo -n true"),
		result{err: "sudo: a password is required\n", code: 1})
	check(t, "sudo needs a terminal", run(t, h, "", "sudo true"),
		result{err: "sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\nsudo: a password is required\n", code: 1})
}
