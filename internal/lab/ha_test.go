package lab

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// haLab is a started lab with the default families.
type haLab struct {
	t *testing.T
	l *Lab
}

func startHALab(t *testing.T, specs ...HostSpec) *haLab {
	t.Helper()
	l, err := Start(context.Background(), Options{Dir: t.TempDir(), Hosts: specs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return &haLab{t: t, l: l}
}

// run runs script as root on host; a failure fails the test.
func (h *haLab) run(host, script string) string {
	h.t.Helper()
	out, errOut, code, err := h.l.Exec(host, script)
	if err != nil || code != 0 {
		h.t.Fatalf("%s: %s: exit %d, %v\nstdout: %s\nstderr: %s", host, script, code, err, out, errOut)
	}
	return out
}

// expect runs script as root on host and compares its stdout.
func (h *haLab) expect(host, script, want string) {
	h.t.Helper()
	out, errOut, code, err := h.l.Exec(host, script)
	if err != nil || out != want {
		h.t.Errorf("%s: %s:\n got %q (stderr %q, exit %d, %v)\nwant %q", host, script, out, errOut, code, err, want)
	}
}

func (h *haLab) carpState(host string) string {
	h.t.Helper()
	out := h.run(host, "ifconfig re0 | grep carp: | awk '{print $2}'")
	return strings.TrimSpace(out)
}

func (h *haLab) holder(addr string) string {
	if x, ok := h.l.peer(addr); ok {
		return x.Name
	}
	return ""
}

// carpHook is the test's devd rule and its script: every CARP transition
// appends "TYPE SUBSYSTEM nfsd:up|down" to /var/log/carp-hook.log (whether
// nfsd ran when devd handled it), and MASTER touches /var/run/became-master.
const carpHook = `notify 0 {
	match "system" "CARP";
	match "type" "(MASTER|BACKUP)";
	action "/usr/local/bin/carphook.sh $type $subsystem";
};
`

const carpHookScript = `#!/bin/sh
if service nfsd status >/dev/null 2>&1; then n=up; else n=down; fi
echo "$1 $2 nfsd:$n" >> /var/log/carp-hook.log
[ "$1" = MASTER ] && touch /var/run/became-master
exit 0
`

// setUpCARP loads carp and installs the devd rule on host, and configures
// the article's VIP with advskew (live, and in rc.conf for the next boot).
func (h *haLab) setUpCARP(host string, advskew int, pass string) {
	h.t.Helper()
	h.run(host, "sysrc -f /boot/loader.conf carp_load=YES >/dev/null && kldload -n carp")
	h.run(host, "cat > /usr/local/bin/carphook.sh <<'EOF'\n"+carpHookScript+"EOF\nchmod +x /usr/local/bin/carphook.sh")
	h.run(host, "cat > /usr/local/etc/devd/carp.conf <<'EOF'\n"+carpHook+"EOF\nservice devd restart >/dev/null")
	alias := "inet vhid 1 advskew " + strconv.Itoa(advskew) + " pass " + pass + " alias 192.168.1.138/32"
	h.run(host, "sysrc ifconfig_re0_alias0='"+alias+"' >/dev/null && ifconfig re0 "+alias)
}

func TestCARPBetweenHosts(t *testing.T) {
	h := startHALab(t, HostSpec{"f0", sim.FreeBSD}, HostSpec{"f1", sim.FreeBSD}, HostSpec{"f2", sim.FreeBSD})
	h.setUpCARP("f0", 0, "testpass")
	if got := h.carpState("f0"); got != "MASTER" {
		t.Fatalf("f0 alone: %s", got)
	}
	h.setUpCARP("f1", 100, "testpass")
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "MASTER" || b != "BACKUP" {
		t.Fatalf("after f1 joined: f0 %s, f1 %s", a, b)
	}
	if got := h.holder("192.168.1.138"); got != "f0" {
		t.Errorf("the VIP answers on %q", got)
	}
	h.expect("f1", "cat /var/log/carp-hook.log", "BACKUP 1@re0 nfsd:down\n")
	h.expect("f1", "ifconfig -k re0 | grep -e carp: -e peer", "\tcarp: BACKUP vhid 1 advbase 1 advskew 100 key \"testpass\"\n\t      peer 224.0.0.18 peer6 ff02::12\n")

	// The article's failover: the master steps back, the backup's
	// master-down timer runs out, it takes over and its devd action runs.
	h.run("f0", "ifconfig re0 vhid 1 state backup")
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "BACKUP" || b != "MASTER" {
		t.Fatalf("after state backup: f0 %s, f1 %s", a, b)
	}
	if got := h.holder("192.168.1.138"); got != "f1" {
		t.Errorf("the VIP answers on %q after failover", got)
	}
	h.expect("f1", "test -f /var/run/became-master && tail -1 /var/log/carp-hook.log", "MASTER 1@re0 nfsd:down\n")
	h.expect("f1", "grep -c 'kernel: carp: 1@re0: BACKUP -> MASTER (master timed out)' /var/log/messages", "1\n")

	// Forcing master back: f0 advertises at once, f1 hears a more
	// frequent advertisement and yields.
	h.run("f0", "ifconfig re0 vhid 1 state master")
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "MASTER" || b != "BACKUP" {
		t.Fatalf("after state master: f0 %s, f1 %s", a, b)
	}
	h.expect("f1", "grep -c 'MASTER -> BACKUP (more frequent advertisement received)' /var/log/messages", "1\n")
	// Forcing master on the less frequent f1 does not stick.
	h.run("f1", "ifconfig re0 vhid 1 state master")
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "MASTER" || b != "BACKUP" {
		t.Fatalf("after state master on f1: f0 %s, f1 %s", a, b)
	}

	// preempt: a third node with the lowest advskew joins; with
	// net.inet.carp.preempt=0 it waits, with 1 it takes over.
	h.run("f2", "kldload carp")
	h.run("f2", "ifconfig re0 inet vhid 1 advskew 10 pass testpass alias 192.168.1.138/32")
	if a, c := h.carpState("f0"), h.carpState("f2"); a != "MASTER" || c != "BACKUP" {
		t.Fatalf("f2 joined: f0 %s, f2 %s", a, c)
	}
	h.expect("f2", "sysctl net.inet.carp.preempt=1", "net.inet.carp.preempt: 0 -> 1\n")
	if a, c := h.carpState("f0"), h.carpState("f2"); a != "MASTER" || c != "BACKUP" {
		t.Errorf("advskew 10 is less frequent than 0: f0 %s, f2 %s", a, c)
	}
	// f0 is demoted: its advertisements now carry advskew 50.
	h.expect("f0", "sysctl net.inet.carp.demotion=50", "net.inet.carp.demotion: 0 -> 50\n")
	if a, c := h.carpState("f0"), h.carpState("f2"); a != "BACKUP" || c != "MASTER" {
		t.Errorf("after demoting f0: f0 %s, f2 %s", a, c)
	}
	h.expect("f0", "grep -c 'kernel: carp: demoted by 50 to 50 (sysctl)' /var/log/messages", "1\n")
	h.expect("f0", "sysctl net.inet.carp.demotion=-50", "net.inet.carp.demotion: 50 -> 0\n")
	h.run("f2", "sysctl net.inet.carp.preempt=0 && ifconfig re0 inet 192.168.1.138/32 -alias")

	// A wrong password: the peers drop each other's advertisements (the
	// HMAC differs) and both are MASTER, as on real hosts.
	h.run("f1", "ifconfig re0 vhid 1 pass wrongpass")
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "MASTER" || b != "MASTER" {
		t.Fatalf("split brain expected: f0 %s, f1 %s", a, b)
	}
	h.run("f1", "ifconfig re0 vhid 1 pass testpass")
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "MASTER" || b != "BACKUP" {
		t.Fatalf("healed: f0 %s, f1 %s", a, b)
	}
}

func TestFailAndRestoreHost(t *testing.T) {
	h := startHALab(t, HostSpec{"f0", sim.FreeBSD}, HostSpec{"f1", sim.FreeBSD})
	for _, x := range []string{"f0", "f1"} {
		h.run(x, "sysrc nfs_server_enable=YES mountd_enable=YES rpcbind_enable=YES >/dev/null && touch /etc/exports")
	}
	h.setUpCARP("f0", 0, "testpass")
	h.setUpCARP("f1", 100, "testpass")
	h.run("f1", "rm /var/log/carp-hook.log")
	ep := endpoint(t, h.l, "f0")
	c := dial(t, ep)

	if err := h.l.FailHost("f0"); err != nil {
		t.Fatal(err)
	}
	if h.l.HostUp("f0") {
		t.Error("f0 is up after FailHost")
	}
	if got := h.carpState("f1"); got != "MASTER" {
		t.Fatalf("f1 after f0 failed: %s", got)
	}
	h.expect("f1", "test -f /var/run/became-master && cat /var/log/carp-hook.log", "MASTER 1@re0 nfsd:down\n")
	if got := h.holder("192.168.1.138"); got != "f1" {
		t.Errorf("the VIP answers on %q", got)
	}
	if _, err := c.NewSession(); err == nil {
		t.Error("the open connection to f0 survived its power loss")
	}
	if _, err := dialErr(ep, ep.User, ep.PrivateKeyPEM); err == nil {
		t.Error("f0 accepted a connection while off")
	}
	if _, _, _, err := h.l.Exec("f0", "true"); err == nil || !strings.Contains(err.Error(), "powered off") {
		t.Errorf("out-of-band exec on f0: %v", err)
	}
	if err := h.l.FailHost("f0"); err == nil {
		t.Error("failing an off host must be refused")
	}

	if err := h.l.RestoreHost("f0"); err != nil {
		t.Fatal(err)
	}
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "BACKUP" || b != "MASTER" {
		t.Fatalf("after f0 booted: f0 %s, f1 %s (preempt is off)", a, b)
	}
	// devd ran the BACKUP action from the devctl queue before rc started nfsd.
	// The log still has f0's MASTER line of before the power loss.
	h.expect("f0", "tail -1 /var/log/carp-hook.log; service nfsd status >/dev/null && echo nfsd runs", "BACKUP 1@re0 nfsd:down\nnfsd runs\n")
	h.expect("f0", "kldstat -q -m carp && echo carp loaded", "carp loaded\n")
	h.expect("f0", "ifconfig re0 | grep inet", "\tinet 192.168.1.130 netmask 0xffffff00 broadcast 192.168.1.255\n"+
		"\tinet 192.168.1.138 netmask 0xffffffff broadcast 192.168.1.138 vhid 1\n")
	h.expect("f0", "grep -c 'carp: 1@re0: INIT -> BACKUP (initialization complete)' /var/log/messages", "2\n") // set up, then the boot
	for _, svc := range []string{"sshd", "cron", "devd", "syslogd", "mountd", "nfsd"} {
		h.expect("f0", "service "+svc+" status | sed 's/ as pid.*//'", svc+" is running\n")
	}
	c = dial(t, ep)
	if out, _, code := run(t, c, "hostname", ""); code != 0 || out == "" {
		t.Errorf("ssh after restore: %q %d", out, code)
	}
	if err := h.l.RestoreHost("f0"); err == nil {
		t.Error("restoring a running host must be refused")
	}
	// The failback job of the article would now promote f0.
	h.run("f0", "ifconfig re0 vhid 1 state master")
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "MASTER" || b != "BACKUP" {
		t.Errorf("failback: f0 %s, f1 %s", a, b)
	}
	h.expect("f1", "tail -1 /var/log/carp-hook.log", "BACKUP 1@re0 nfsd:down\n")
}

func TestBootMountsEncryptedDatasets(t *testing.T) {
	// Keys on a UFS stick mounted by fstab: zfskeys runs before
	// mountcritlocal and finds no key; rc.d/zfs's poststart loads them
	// once /keys is mounted.
	h := startHALab(t, HostSpec{"f0", sim.FreeBSD})
	h.run("f0", "newfs /dev/da0 >/dev/null && echo '/dev/da0 /keys ufs rw 0 2' >> /etc/fstab && mkdir /keys && mount /keys")
	h.run("f0", "dd if=/dev/urandom of=/keys/f0.key bs=32 count=1 2>/dev/null && chmod 400 /keys/f0.key")
	h.run("f0", "zpool create -m /data zdata /dev/ada1 && zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/f0.key zdata/enc")
	h.run("f0", "echo secret > /data/enc/file && sysrc zfskeys_enable=YES >/dev/null")
	if err := h.l.FailHost("f0"); err != nil {
		t.Fatal(err)
	}
	if err := h.l.RestoreHost("f0"); err != nil {
		t.Fatal(err)
	}
	h.expect("f0", "zfs get -H -o value keystatus,mounted zdata/enc; cat /data/enc/file; mount | grep -c keys", "available\nyes\nsecret\n1\n")
	boot, err := os.ReadFile(filepath.Join(h.l.Dir(), "hosts", "f0", bootLogFile))
	if err != nil || !strings.Contains(string(boot), "Key file /keys/f0.key not found, empty or unreadable. Skipping zdata/enc..\n") ||
		!strings.Contains(string(boot), "Loading key for zdata/enc from file:///keys/f0.key..\n") {
		t.Errorf("boot log (%v):\n%s", err, boot)
	}
}

func TestClockCron(t *testing.T) {
	h := startHALab(t, HostSpec{"f0", sim.FreeBSD}, HostSpec{"r0", sim.Rocky})
	h.run("f0", "printf '%s\\n' '* * * * * echo tick >> /tmp/ticks' '*/5 * * * * echo five >> /tmp/five' '0 * * * * env | sort > /tmp/env' '* * * * * date -u +\\%M:\\%S' | crontab -")
	h.run("r0", "echo '* * * * * echo hi' | crontab -")
	start := h.l.Now()
	if err := h.l.AdvanceClock(time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := h.l.Now().Sub(start); got < time.Minute || got > time.Minute+10*time.Second {
		t.Errorf("the clock moved %s", got)
	}
	h.expect("f0", "wc -l < /tmp/ticks", "       1\n")
	if err := h.l.AdvanceClock(10 * time.Minute); err != nil {
		t.Fatal(err)
	}
	h.expect("f0", "wc -l < /tmp/ticks", "      11\n")
	fives := int(start.Add(11*time.Minute).Unix()/300 - start.Unix()/300)
	h.expect("f0", "cat /tmp/five | wc -l | tr -d ' '", strconv.Itoa(fives)+"\n")
	h.expect("f0", "grep -c '/usr/sbin/cron\\[[0-9]*\\]: (root) CMD (echo tick >> /tmp/ticks)' /var/log/cron", "11\n")
	// The output of "date" is mailed to root: the job ran at :00 of its minute.
	mail := h.run("f0", "cat /var/mail/root")
	if !strings.Contains(mail, "Subject: Cron <root@f0> date -u +%M:%S\n") || !strings.Contains(mail, "X-Cron-Env: <SHELL=/bin/sh>\n") ||
		strings.Count(mail, ":00\n") < 11 {
		t.Errorf("mail:\n%s", mail)
	}
	runs, err := h.l.JobRuns("f0")
	if err != nil || len(runs) < 11 {
		t.Fatalf("runs %d %v", len(runs), err)
	}
	for _, r := range runs {
		if r.Time.Second() != 0 || r.Status != 0 || r.Kind != "cron" {
			t.Errorf("run %+v", r)
		}
	}
	// cronie on Rocky: the journal and /var/log/cron see the run; there is
	// no MTA to mail the output to.
	h.expect("r0", "grep -c 'CROND\\[[0-9]*\\]: (root) CMD (echo hi)' /var/log/cron", "11\n")
	h.expect("r0", "journalctl -u crond -n 2 | grep -c 'mailed 3 bytes of output but got status 0x007f'", "1\n")
}

func TestClockCronEnvironment(t *testing.T) {
	h := startHALab(t, HostSpec{"f0", sim.FreeBSD})
	h.run("f0", "echo '* * * * * env | sort > /tmp/env; pwd >> /tmp/env' | crontab -u paul -")
	if err := h.l.AdvanceClock(time.Minute); err != nil {
		t.Fatal(err)
	}
	// FreeBSD 14's cron gives the job its login class first (PATH with
	// /sbin: the article's failback job calls ifconfig and mount by name).
	h.expect("f0", "cat /tmp/env", "BLOCKSIZE=K\nHOME=/home/paul\nLANG=C.UTF-8\nLOGNAME=paul\nMAIL=/var/mail/paul\nMM_CHARSET=UTF-8\n"+
		"PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin:/home/paul/bin\nSHELL=/bin/sh\nUSER=paul\n/home/paul\n")
	h.run("f0", "printf 'PATH=/usr/bin:/bin\\n* * * * * -q env | grep ^PATH > /tmp/env\\n* * * * * -n echo quiet\\n* * * * * -n echo failing; false\\n' | crontab -u paul -")
	if err := h.l.AdvanceClock(time.Minute); err != nil {
		t.Fatal(err)
	}
	h.expect("f0", "cat /tmp/env; grep -c 'CMD (env' /var/log/cron; grep -c 'CMD (echo quiet)' /var/log/cron", "PATH=/usr/bin:/bin\n1\n1\n")
	// -n: output is mailed only when the job fails.
	h.expect("f0", "grep -c '^Subject: Cron <paul@f0> echo quiet' /var/mail/paul; grep '^Subject:' /var/mail/paul; grep -c '^From: Cron Daemon <paul@f0.lan>' /var/mail/paul",
		"0\nSubject: Cron <paul@f0> echo failing; false\n1\n")
}

func TestClockRockyTimer(t *testing.T) {
	h := startHALab(t, HostSpec{"r0", sim.Rocky})
	h.run("r0", "cat > /etc/systemd/system/tick.service <<'EOF'\n[Unit]\nDescription=Tick\n\n[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo tick'\nEOF\n"+
		"cat > /etc/systemd/system/tick.timer <<'EOF'\n[Unit]\nDescription=Tick every 10 seconds\n\n[Timer]\nOnActiveSec=10s\nOnUnitActiveSec=10s\nAccuracySec=1s\n\n[Install]\nWantedBy=timers.target\nEOF\n"+
		"systemctl daemon-reload && systemctl start tick.timer")
	if err := h.l.AdvanceClock(time.Minute); err != nil {
		t.Fatal(err)
	}
	h.expect("r0", "journalctl -u tick.service | grep -c ': tick$'", "6\n")
	runs, _ := h.l.JobRuns("r0")
	n := 0
	for _, r := range runs {
		if r.Kind == "timer" && r.User == "tick.timer" && r.Command == "tick.service" && r.Status == 0 {
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d timer runs recorded: %+v", n, runs)
	}
	// Ten seconds more: one more run; real time passing runs nothing.
	if err := h.l.AdvanceClock(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	h.expect("r0", "journalctl -u tick.service | grep -c ': tick$'", "7\n")
	// A calendar timer: every quarter of an hour.
	h.run("r0", "systemctl stop tick.timer && cat > /etc/systemd/system/quarter.service <<'EOF'\n[Service]\nType=oneshot\nExecStart=/bin/sh -c 'date -u +%M:%S'\nEOF\n"+
		"cat > /etc/systemd/system/quarter.timer <<'EOF'\n[Timer]\nOnCalendar=*:0/15\nEOF\nsystemctl daemon-reload && systemctl start quarter.timer")
	if err := h.l.AdvanceClock(time.Hour); err != nil {
		t.Fatal(err)
	}
	out := h.run("r0", "journalctl -u quarter.service | grep -E ': [0-9]{2}:00$' | sed 's/.*: //' | sort")
	if strings.Count(out, "\n") != 4 || strings.Trim(strings.NewReplacer("00:00", "", "15:00", "", "30:00", "", "45:00", "").Replace(out), "\n") != "" {
		t.Errorf("quarter-hour runs:\n%s", out)
	}
}

func TestClockSharedByHosts(t *testing.T) {
	h := startHALab(t, HostSpec{"f0", sim.FreeBSD}, HostSpec{"r0", sim.Rocky})
	before := h.l.Now()
	if err := h.l.AdvanceClock(48 * time.Hour); err != nil {
		t.Fatal(err)
	}
	want := before.Add(48 * time.Hour).UTC().Format("2006-01-02")
	h.expect("f0", "date -u +%Y-%m-%d", want+"\n")
	h.expect("r0", "date -u +%Y-%m-%d", want+"\n")
	h.run("f0", "touch /tmp/new")
	h.expect("f0", "date -u -r /tmp/new +%Y-%m-%d", want+"\n")
	if err := h.l.AdvanceClock(-time.Second); err == nil {
		t.Error("the clock went back")
	}
}

func TestRockyFailAndRestore(t *testing.T) {
	h := startHALab(t, HostSpec{"r0", sim.Rocky})
	h.run("r0", "cat > /etc/systemd/system/monitor.service <<'EOF'\n[Unit]\nDescription=Monitor\n\n[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo checked'\nEOF\n"+
		"cat > /etc/systemd/system/monitor.timer <<'EOF'\n[Unit]\nDescription=Monitor every 10 seconds\n\n[Timer]\nOnBootSec=30s\nOnUnitActiveSec=10s\n\n[Install]\nWantedBy=timers.target\nEOF\n"+
		"systemctl daemon-reload && systemctl enable --now monitor.timer 2>/dev/null")
	if err := h.l.FailHost("r0"); err != nil {
		t.Fatal(err)
	}
	if err := h.l.RestoreHost("r0"); err != nil {
		t.Fatal(err)
	}
	h.expect("r0", "systemctl is-active monitor.timer sshd crond; systemctl is-active monitor.service", "active\nactive\nactive\ninactive\n")
	// OnBootSec=30s counts from the new boot: runs at 30, 40, 50, 60 s.
	if err := h.l.AdvanceClock(time.Minute); err != nil {
		t.Fatal(err)
	}
	h.expect("r0", "journalctl -u monitor.service | grep -c ': checked$'", "4\n")
}

func TestFailHostFromAnotherProcess(t *testing.T) {
	h := startHALab(t, HostSpec{"f0", sim.FreeBSD})
	c := dial(t, endpoint(t, h.l, "f0"))
	other, err := Open(h.l.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.FailHost("f0"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		s, err := c.NewSession()
		if err != nil {
			break
		}
		s.Close()
		if time.Now().After(deadline) {
			t.Fatal("the serving lab kept the connection of a host failed elsewhere")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if h.l.HostUp("f0") {
		t.Error("the serving lab sees f0 up")
	}
	if err := other.RestoreHost("f0"); err != nil {
		t.Fatal(err)
	}
	c = dial(t, endpoint(t, h.l, "f0"))
	if out, _, code := run(t, c, "echo back", ""); out != "back\n" || code != 0 {
		t.Errorf("after restore: %q %d", out, code)
	}
}

func TestCARPInterfaceDownAndSysctls(t *testing.T) {
	h := startHALab(t, HostSpec{"f0", sim.FreeBSD}, HostSpec{"f1", sim.FreeBSD})
	h.setUpCARP("f0", 0, "testpass")
	h.setUpCARP("f1", 100, "testpass")
	h.run("f0", "ifconfig re0 down")
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "INIT" || b != "MASTER" {
		t.Fatalf("after re0 down on f0: f0 %s, f1 %s", a, b)
	}
	h.expect("f0", "sysctl -n net.inet.carp.demotion; grep -c 'carp: demoted by 240 to 240 (interface down)' /var/log/messages", "240\n1\n")
	h.expect("f0", "grep -c 'carp: 1@re0: MASTER -> INIT (hardware interface down)' /var/log/messages", "1\n")
	h.run("f0", "ifconfig re0 up")
	if a, b := h.carpState("f0"), h.carpState("f1"); a != "BACKUP" || b != "MASTER" {
		t.Fatalf("after re0 up on f0: f0 %s, f1 %s", a, b)
	}
	h.expect("f0", "sysctl -n net.inet.carp.demotion; grep -c 'demoted by -240 to 0 (interface up)' /var/log/messages", "0\n1\n")

	h.expect("f0", "sysctl net.inet.carp.dscp=64; sysctl net.inet.carp.preempt=yes; echo $?", "1\n")
	_, errOut, _, _ := h.l.Exec("f0", "sysctl net.inet.carp.dscp=64; sysctl net.inet.carp.preempt=yes")
	if errOut != "sysctl: net.inet.carp.dscp=64: Invalid argument\nsysctl: invalid integer 'yes'\n" {
		t.Errorf("stderr %q", errOut)
	}
	// The key is cut to 19 characters; a unicast peer shows in the peer line.
	h.run("f0", "ifconfig re0 vhid 2 pass 0123456789abcdefghijXYZ peer 192.168.1.131 advskew 5")
	out := h.run("f0", "ifconfig -k re0")
	if !strings.Contains(out, "\tcarp: INIT vhid 2 advbase 1 advskew 5 key \"0123456789abcdefghi\"\n\t      peer 192.168.1.131 peer6 ff02::12\n") {
		t.Errorf("vhid 2:\n%s", out)
	}
	h.expect("f0", "ifconfig lo0 vhid 3 2>&1; ifconfig re0 vhid 4 advskew 255 2>&1", "ifconfig: SIOCSVH: Operation not supported\nifconfig: SIOCSVH: Invalid argument\n")
}
