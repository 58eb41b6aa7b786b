package lab

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// The article's replication (spec/f3s-part-6-storage.md, "ZFS Replication
// with zrepl"): push jobs on f0, a sink on f1, on two hosts of one lab that
// reach each other over their WireGuard addresses.

// labClock is a clock shared by the hosts of a test, moved by hand.
type labClock struct{ ns atomic.Int64 }

var eest = time.FixedZone("EEST", 3*3600)

func (c *labClock) now() time.Time      { return time.Unix(0, c.ns.Load()).In(eest) }
func (c *labClock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *labClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// replLab is a started lab of FreeBSD hosts with the default families.
type replLab struct {
	t     *testing.T
	l     *Lab
	clock *labClock
}

func startReplLab(t *testing.T, hosts ...string) *replLab {
	t.Helper()
	var specs []HostSpec
	for _, h := range hosts {
		specs = append(specs, HostSpec{Name: h, OS: sim.FreeBSD})
	}
	l, err := Start(context.Background(), Options{Dir: t.TempDir(), Hosts: specs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	c := &labClock{}
	c.set(time.Date(2025, 7, 1, 22, 31, 48, 0, eest))
	for _, h := range hosts {
		l.Host(h).SetClock(c.now)
	}
	return &replLab{t: t, l: l, clock: c}
}

// run runs script as root on host and returns stdout; a failure fails the test.
func (r *replLab) run(host, script string) string {
	r.t.Helper()
	out, errOut, code, err := r.l.Exec(host, script)
	if err != nil || code != 0 {
		r.t.Fatalf("%s: %s: exit %d, %v\nstdout: %s\nstderr: %s", host, script, code, err, out, errOut)
	}
	return out
}

// expect runs script and compares stdout, stderr and the exit status.
func (r *replLab) expect(host, script, stdout, stderr string, code int) {
	r.t.Helper()
	out, errOut, c, err := r.l.Exec(host, script)
	if err != nil || out != stdout || errOut != stderr || c != code {
		r.t.Errorf("%s: %s:\n got stdout %q stderr %q exit %d (%v)\nwant stdout %q stderr %q exit %d", host, script, out, errOut, c, err, stdout, stderr, code)
	}
}

func (r *replLab) writeFile(host, path, content string) {
	r.t.Helper()
	h := r.l.Host(host)
	if err := h.Tree.WriteFile(h.Root(), path, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("zrepl/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// setUpArticle builds the article's hosts up to `service zrepl start`.
func (r *replLab) setUpArticle() {
	r.t.Helper()
	for _, h := range []string{"f0", "f1"} {
		r.run(h, "zpool create -m /data zdata /dev/ada1 && mkdir -p /keys && chmod 700 /keys")
		r.run(h, "dd if=/dev/urandom of=/keys/"+h+".lan.buetow.org:zdata.key bs=32 count=1 2>/dev/null")
		r.run(h, "zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/"+h+".lan.buetow.org:zdata.key zdata/enc")
		r.run(h, "pkg install -y zrepl >/dev/null")
	}
	r.run("f0", "dd if=/dev/urandom of=/keys/f0.lan.buetow.org:bhyve.key bs=32 count=1 2>/dev/null")
	r.run("f0", "zfs create zdata/enc/nfsdata && echo hello > /data/enc/nfsdata/hello.txt")
	r.run("f0", "zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/f0.lan.buetow.org:bhyve.key zroot/bhyve/fedora")
	r.run("f1", "zfs create zdata/sink")
	r.writeFile("f0", "/usr/local/etc/zrepl/zrepl.yml", fixture(r.t, "article-f0.yml"))
	r.writeFile("f1", "/usr/local/etc/zrepl/zrepl.yml", fixture(r.t, "article-f1.yml"))
	for _, h := range []string{"f1", "f0"} {
		r.expect(h, "sysrc zrepl_enable=YES", "zrepl_enable:  -> YES\n", "", 0)
		r.expect(h, "service zrepl start", "Performing sanity check on zrepl configuration:\nStarting zrepl.\n", "", 0)
	}
}

// status is f0's `zrepl status --mode raw`, checked for zrepl's framing.
func (r *replLab) status(host string) (string, rawStatus) {
	r.t.Helper()
	out := r.run(host, "zrepl status --mode raw")
	if strings.Contains(out, "\n") || !strings.HasPrefix(out, `{"Jobs":{"_control":{"internal":null,"type":"internal"},`) {
		r.t.Fatalf("status is not zrepl's one-line JSON: %q", out)
	}
	var s rawStatus
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		r.t.Fatalf("status: %v\n%s", err, out)
	}
	return out, s
}

// rawStatus is the status JSON as a client reads it (unknown fields refused).
type rawStatus struct {
	Jobs map[string]struct {
		Type     string    `json:"type"`
		Internal *struct{} `json:"internal"`
		Sink     *struct{ Snapper *json.RawMessage }
		Push     *pushStatus `json:"push"`
	}
	Global struct {
		ZFSCmds   struct{ Active []any }
		Envconst  struct{ Entries []any }
		OsEnviron []string
	}
}

type pushStatus struct {
	Replication *struct {
		StartAt, FinishAt                      time.Time
		WaitReconnectSince, WaitReconnectUntil time.Time
		WaitReconnectError                     *timedErr
		Attempts                               []struct {
			State             string
			StartAt, FinishAt time.Time
			PlanError         *timedErr
			Filesystems       []struct {
				Info                 struct{ Name string }
				State, BlockedOn     string
				PlanError, StepError *timedErr
				CurrentStep          int
				Steps                []struct {
					Info struct {
						From, To                       string
						Resumed                        bool
						BytesExpected, BytesReplicated uint64
					}
				}
			}
		}
	}
	PruningSender, PruningReceiver *prunerStatus
	Snapshotting                   *struct {
		Type     string
		Periodic *struct {
			State      int
			SleepUntil time.Time
			Error      string
			Progress   []struct {
				Path          string
				State         int
				SnapName      string
				StartAt       time.Time
				Hooks         string
				HooksHadError bool
				DoneAt        time.Time
			}
		}
		Cron, Manual *json.RawMessage
	}
}

type timedErr struct {
	Err  string
	Time time.Time
}

type prunerStatus struct {
	State, Error       string
	Pending, Completed []struct {
		Filesystem                string
		SnapshotList, DestroyList []struct {
			Name       string
			Replicated bool
			Date       time.Time
		}
		SkipReason, LastError string
	}
}

func snapName(t time.Time) string { return "zrepl_" + t.UTC().Format("20060102_150405_000") }

func TestReplicationArticle(t *testing.T) {
	r := startReplLab(t, "f0", "f1")
	r.setUpArticle()
	t0 := r.clock.now()

	// The first wakeup finds the snapshotters' sync points due (no zrepl
	// snapshots yet): one snapshot per job, replicated at once.
	r.expect("f0", "zrepl signal wakeup f0_to_f1_nfsdata", "", "", 0)
	first := snapName(t0)
	if first != "zrepl_20250701_193148_000" {
		t.Fatalf("snapshot name %s", first)
	}
	r.expect("f0", "zfs list -H -o name -t snapshot -r zdata/enc", "zdata/enc/nfsdata@"+first+"\n", "", 0)
	r.expect("f1", "zfs list -H -o name,mountpoint -r zdata/sink",
		"zdata/sink\t/data/sink\n"+
			"zdata/sink/f0\tnone\n"+
			"zdata/sink/f0/zdata\tnone\n"+
			"zdata/sink/f0/zdata/enc\tnone\n"+
			"zdata/sink/f0/zdata/enc/nfsdata\tnone\n"+
			"zdata/sink/f0/zroot\tnone\n"+
			"zdata/sink/f0/zroot/bhyve\tnone\n"+
			"zdata/sink/f0/zroot/bhyve/fedora\tnone\n", "", 0)
	r.expect("f1", "zfs get -r -H -o name,value -s local zrepl:placeholder zdata/sink",
		"zdata/sink/f0\ton\nzdata/sink/f0/zdata\ton\nzdata/sink/f0/zdata/enc\ton\nzdata/sink/f0/zroot\ton\nzdata/sink/f0/zroot/bhyve\ton\n", "", 0)
	nfs := "zdata/sink/f0/zdata/enc/nfsdata"
	r.expect("f1", "zfs get -H -o value keystatus,keylocation,encryptionroot,encryption "+nfs, "unavailable\nprompt\n"+nfs+"\naes-256-gcm\n", "", 0)
	r.expect("f1", "zfs get -H -o value encryption zdata/sink/f0/zdata/enc", "off\n", "", 0)

	// Holds and the cursor (§12.3): the sink holds what it received last,
	// the sender bookmarks what was replicated.
	r.expect("f1", "zfs holds -H "+nfs+"@"+first+" | cut -f2", "zrepl_last_received_J_sink\n", "", 0)
	r.expect("f1", "zfs destroy "+nfs+"@"+first, "", "cannot destroy snapshot "+nfs+"@"+first+": dataset is busy\n", 1)
	cursor := r.run("f0", "zfs list -H -o name -t bookmark -r zdata/enc")
	if !regexp.MustCompile(`^zdata/enc/nfsdata#zrepl_CURSOR_G_[0-9a-f]{16}_J_f0_to_f1_nfsdata\n$`).MatchString(cursor) {
		t.Errorf("cursor bookmark: %q", cursor)
	}
	r.expect("f0", "zfs holds -H zdata/enc/nfsdata@"+first, "", "", 0)

	// The standby copy: f0's key, the same mountpoint, read-only.
	key, err := r.l.Host("f0").Tree.ReadFile(r.l.Host("f0").Root(), "/keys/f0.lan.buetow.org:zdata.key")
	if err != nil {
		t.Fatal(err)
	}
	r.writeFile("f1", "/keys/f0.lan.buetow.org:zdata.key", string(key))
	r.expect("f1", "zfs load-key -L file:///keys/f0.lan.buetow.org:zdata.key "+nfs, "", "", 0)
	r.run("f1", "mkdir -p /data/nfs && zfs set mountpoint=/data/nfs "+nfs+" && zfs set readonly=on "+nfs)
	r.run("f1", "zfs set keylocation=file:///keys/f0.lan.buetow.org:zdata.key "+nfs)
	r.expect("f1", "zfs get -H -o value keystatus,mounted,readonly "+nfs+" && cat /data/nfs/hello.txt", "available\nyes\non\nhello\n", "", 0)

	// Twelve minutes, a wakeup each: a snapshot a minute (taken by the
	// snapshotter, not the wakeup), replicated, the last 10 kept on both
	// sides; a change on f0 reaches the standby copy.
	var names []string
	for i := 0; i <= 14; i++ {
		names = append(names, snapName(t0.Add(time.Duration(i)*time.Minute)))
	}
	for i := 1; i <= 12; i++ {
		r.clock.add(time.Minute)
		if i == 12 {
			r.run("f0", "echo v2 > /data/enc/nfsdata/hello.txt")
		}
		r.expect("f0", "zrepl signal wakeup f0_to_f1_nfsdata", "", "", 0)
	}
	lines := func(list []string) string { return strings.Join(list, "\n") + "\n" }
	r.expect("f0", "zfs list -H -o name -t snapshot zdata/enc/nfsdata | cut -d@ -f2", lines(names[3:13]), "", 0)
	r.expect("f1", "zfs list -H -o name -t snapshot "+nfs+" | cut -d@ -f2", lines(names[3:13]), "", 0)
	r.expect("f1", "cat /data/nfs/hello.txt", "v2\n", "", 0)
	r.expect("f1", "zfs list -H -o name -t snapshot zdata/sink/f0/zroot/bhyve/fedora | cut -d@ -f2",
		lines([]string{names[0], names[10]}), "", 0)

	// The wakeup's own replication found nothing new to send.
	_, s := r.status("f0")
	fs := s.Jobs["f0_to_f1_nfsdata"].Push.Replication.Attempts[0].Filesystems[0]
	if fs.State != "done" || fs.CurrentStep != 0 || fs.Steps == nil || len(fs.Steps) != 0 {
		t.Errorf("wakeup without news: %+v", fs)
	}

	// One more minute, observed through the status: the periodic run, field by field.
	r.clock.add(time.Minute)
	raw, s := r.status("f0")
	if !strings.HasSuffix(raw, `"Global":{"ZFSCmds":{"Active":null},"Envconst":{"Entries":null},"OsEnviron":["HOME=/","PATH=/sbin:/bin:/usr/sbin:/usr/bin"]}}`) ||
		!strings.Contains(raw, `"f0_to_f1_nfsdata":{"push":{"Replication":{"StartAt":"2025-07-01T22:44:48+03:00","FinishAt":"2025-07-01T22:44:48+03:00","WaitReconnectSince":"0001-01-01T00:00:00Z","WaitReconnectUntil":"0001-01-01T00:00:00Z","WaitReconnectError":null,"Attempts":[{"State":"done",`) ||
		!strings.Contains(raw, `"Snapshotting":{"Type":"periodic","Periodic":{"State":16,"SleepUntil":"2025-07-01T22:45:48+03:00","Error":"","Progress":[{"Path":"zdata/enc/nfsdata","State":4,"SnapName":"`+names[13]+`","StartAt":"2025-07-01T22:44:48+03:00","Hooks":"","HooksHadError":false,"DoneAt":"2025-07-01T22:44:48+03:00"}]},"Cron":null,"Manual":null}},"type":"push"}`) {
		t.Errorf("raw status:\n%s", raw)
	}
	if len(s.Jobs) != 3 || s.Jobs["_control"].Type != "internal" || s.Jobs["f0_to_f1_fedora"].Push == nil {
		t.Fatalf("jobs: %+v", s.Jobs)
	}
	ps := s.Jobs["f0_to_f1_nfsdata"].Push
	att := ps.Replication.Attempts
	if len(att) != 1 || att[0].State != "done" || att[0].PlanError != nil || len(att[0].Filesystems) != 1 {
		t.Fatalf("attempts: %+v", att)
	}
	fs = att[0].Filesystems[0]
	if fs.Info.Name != "zdata/enc/nfsdata" || fs.State != "done" || fs.BlockedOn != "nothing" || fs.StepError != nil ||
		fs.CurrentStep != 1 || len(fs.Steps) != 1 || fs.Steps[0].Info.From != "@"+names[12] || fs.Steps[0].Info.To != "@"+names[13] ||
		fs.Steps[0].Info.Resumed || fs.Steps[0].Info.BytesExpected == 0 || fs.Steps[0].Info.BytesReplicated != fs.Steps[0].Info.BytesExpected {
		t.Errorf("filesystem report: %+v", fs)
	}
	snd := ps.PruningSender
	if snd.State != "Done" || snd.Error != "" || snd.Pending != nil || len(snd.Completed) != 1 || snd.Completed[0].Filesystem != "zdata/enc/nfsdata" ||
		len(snd.Completed[0].SnapshotList) != 11 || len(snd.Completed[0].DestroyList) != 1 || snd.Completed[0].DestroyList[0].Name != names[3] ||
		!snd.Completed[0].DestroyList[0].Replicated || snd.Completed[0].LastError != "" {
		t.Errorf("sender pruning: %+v", snd)
	}
	var recv []string
	for _, c := range ps.PruningReceiver.Completed {
		recv = append(recv, c.Filesystem+"|"+c.SkipReason)
	}
	if got := strings.Join(recv, ","); got != "zdata|filesystem is placeholder,zdata/enc|filesystem is placeholder,zdata/enc/nfsdata|,"+
		"zroot|filesystem is placeholder,zroot/bhyve|filesystem is placeholder,zroot/bhyve/fedora|filesystem has no correspondence on sender" {
		t.Errorf("receiver pruning: %s", got)
	}
	sn := ps.Snapshotting.Periodic
	if ps.Snapshotting.Type != "periodic" || sn.State != 16 || !sn.SleepUntil.Equal(t0.Add(14*time.Minute)) || len(sn.Progress) != 1 ||
		sn.Progress[0].State != 4 || sn.Progress[0].SnapName != names[13] {
		t.Errorf("snapshotting: %+v", ps.Snapshotting)
	}
	r.expect("f1", "zfs list -H -o name -t snapshot "+nfs+" | cut -d@ -f2", lines(names[4:14]), "", 0)
	_, s1 := r.status("f1")
	if j := s1.Jobs["sink"]; j.Type != "sink" || j.Sink == nil || j.Sink.Snapper != nil {
		t.Errorf("sink status: %+v", j)
	}

	// A write on the standby copy breaks the next incremental receive, with
	// ZFS's text inside zrepl's (the article's failure); rolling back and
	// making it read-only again repairs it.
	r.run("f1", "zfs set readonly=off "+nfs+" && echo oops > /data/nfs/oops.txt")
	r.clock.add(time.Minute)
	r.expect("f0", "zrepl signal wakeup f0_to_f1_nfsdata", "", "", 0)
	_, s = r.status("f0")
	att = s.Jobs["f0_to_f1_nfsdata"].Push.Replication.Attempts
	fs = att[0].Filesystems[0]
	wantErr := "zfs exited with error: exit status 1\nstderr:\ncannot receive incremental stream: destination " + nfs + " has been modified\nsince most recent snapshot\n"
	if att[0].State != "filesystem-error" || fs.State != "step-error" || fs.StepError == nil || fs.StepError.Err != wantErr || fs.CurrentStep != 0 {
		t.Errorf("after the write: %+v / %+v", att[0], fs.StepError)
	}
	r.expect("f0", "zfs holds -H zdata/enc/nfsdata@"+names[14]+" | cut -f2", "zrepl_STEP_J_f0_to_f1_nfsdata\n", "", 0)
	r.run("f1", "zfs rollback "+nfs+"@"+names[13]+" && zfs set readonly=on "+nfs)
	r.expect("f1", "test -e /data/nfs/oops.txt", "", "", 1)
	r.expect("f0", "zrepl signal wakeup f0_to_f1_nfsdata", "", "", 0)
	_, s = r.status("f0")
	if st := s.Jobs["f0_to_f1_nfsdata"].Push.Replication.Attempts[0]; st.State != "done" {
		t.Errorf("after the repair: %+v", st)
	}
	r.expect("f0", "zfs holds -H zdata/enc/nfsdata@"+names[14], "", "", 0)
}

// Before its first run a job reports null (§12.4); a manual job never snapshots.
func TestReplicationStatusBeforeFirstRun(t *testing.T) {
	r := startReplLab(t, "f0")
	r.run("f0", "pkg install -y zrepl >/dev/null && sysrc zrepl_enable=YES >/dev/null")
	r.writeFile("f0", "/usr/local/etc/zrepl/zrepl.yml", strings.ReplaceAll(fixture(t, "article-f0.yml"),
		"type: periodic\n      prefix: zrepl_\n      interval: 1m", "type: manual"))
	r.expect("f0", "zrepl status --mode raw", "", "Post \"http://unix/status\": dial unix /var/run/zrepl/control: connect: no such file or directory\n", 1)
	r.run("f0", "service zrepl start")
	raw, _ := r.status("f0")
	want := `"f0_to_f1_nfsdata":{"push":{"Replication":null,"PruningSender":null,"PruningReceiver":null,` +
		`"Snapshotting":{"Type":"manual","Periodic":null,"Cron":null,"Manual":{}}},"type":"push"}`
	if !strings.Contains(raw, want) {
		t.Errorf("status:\n%s\nwant part\n%s", raw, want)
	}
	r.expect("f0", "zrepl status", "", "error: stdout is not a tty, please use --mode dump or --mode raw\n", 1)
	var out, errb strings.Builder
	code, err := r.l.Shell(context.Background(), "f0", "zrepl status --mode raw", strings.NewReader(""), &out, &errb)
	if err != nil || code != 1 || out.String() != "" || errb.String() != "Post \"http://unix/status\": dial unix /var/run/zrepl/control: connect: permission denied\n" {
		t.Errorf("as paul: exit %d %v %q %q", code, err, out.String(), errb.String())
	}
}

// Connection failures and zrepl's own refusals end up in the status or on
// the CLI; a restart re-reads the config.
func TestReplicationFailures(t *testing.T) {
	r := startReplLab(t, "f0", "f1")
	r.setUpArticle()
	r.expect("f0", "zrepl signal wakeup nosuchjob", "", "Job nosuchjob does not exist\n", 1)
	r.expect("f0", "zrepl signal reset f0_to_f1_nfsdata", "", "Cannot reset\n", 1)
	r.expect("f0", "zrepl signal bogus f0_to_f1_nfsdata", "", "operation \"bogus\" is invalid\n", 1)
	r.expect("f1", "zrepl signal wakeup sink", "", "already woken up\n", 1)
	// cobra: "--" ends the flags; a job name shaped like a flag is one.
	r.expect("f0", "zrepl signal wakeup -- nosuchjob", "", "Job nosuchjob does not exist\n", 1)
	r.expect("f0", "zrepl signal wakeup -x", "", "Error: unknown shorthand flag: 'x' in -x\n", 1)
	r.expect("f0", "zrepl signal wakeup --nosuch", "", "Error: unknown flag: --nosuch\n", 1)

	// Encrypted send of an unencrypted filesystem: the step fails (§12.2).
	cfg := fixture(t, "article-f0.yml") + `
  - name: f0_to_f1_rocky
    type: push
    connect: {type: tcp, address: "192.168.2.131:8888"}
    filesystems: {"zroot/bhyve/rocky": true}
    send: {encrypted: true}
    snapshotting: {type: periodic, prefix: zrepl_, interval: 1h}
    pruning: {keep_sender: [{type: last_n, count: 10}], keep_receiver: [{type: last_n, count: 10}]}
`
	r.writeFile("f0", "/usr/local/etc/zrepl/zrepl.yml", cfg)
	r.expect("f0", "service zrepl restart", "Performing sanity check on zrepl configuration:\nStopping zrepl.\nPerforming sanity check on zrepl configuration:\nStarting zrepl.\n", "", 0)
	r.expect("f0", "zrepl signal wakeup f0_to_f1_rocky", "", "", 0)
	_, s := r.status("f0")
	fs := s.Jobs["f0_to_f1_rocky"].Push.Replication.Attempts[0].Filesystems[0]
	if fs.State != "step-error" || fs.StepError == nil || fs.StepError.Err != `encrypted send mandated by policy, but filesystem "zroot/bhyve/rocky" is not encrypted` {
		t.Errorf("rocky: %+v", fs)
	}

	// The sink does not know f0's address: the connection is refused at planning.
	r.writeFile("f1", "/usr/local/etc/zrepl/zrepl.yml", strings.Replace(fixture(t, "article-f1.yml"), `"192.168.2.130": "f0"`, `"192.168.2.132": "f2"`, 1))
	r.run("f1", "service zrepl restart")
	r.expect("f0", "zrepl signal wakeup f0_to_f1_nfsdata", "", "", 0)
	_, s = r.status("f0")
	att := s.Jobs["f0_to_f1_nfsdata"].Push.Replication.Attempts[0]
	if att.State != "planning-error" || att.PlanError == nil || att.PlanError.Err != "rpc error: code = Unavailable desc = connection closed before server preface received" ||
		s.Jobs["f0_to_f1_nfsdata"].Push.PruningReceiver.State != "PlanErr" {
		t.Errorf("unknown client: %+v", att)
	}

	// The sink is down: connection refused.
	r.run("f1", "service zrepl stop")
	r.expect("f0", "zrepl signal wakeup f0_to_f1_nfsdata", "", "", 0)
	_, s = r.status("f0")
	att = s.Jobs["f0_to_f1_nfsdata"].Push.Replication.Attempts[0]
	if att.PlanError == nil || att.PlanError.Err != `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 192.168.2.131:8888: connect: connection refused"` {
		t.Errorf("sink down: %+v", att)
	}
	r.run("f0", "service zrepl stop")
	r.expect("f0", "zrepl signal wakeup f0_to_f1_nfsdata", "", "Post \"http://unix/signal\": dial unix /var/run/zrepl/control: connect: no such file or directory\n", 1)
}

// The toolchain fixtures through the CLI and the rc script, byte for byte.
func TestReplicationConfigRejections(t *testing.T) {
	r := startReplLab(t, "f0")
	r.run("f0", "pkg install -y zrepl >/dev/null && sysrc zrepl_enable=YES >/dev/null")
	accepted := fixture(t, "toolchain-accepted.yml")
	r.writeFile("f0", "/tmp/z.yml", accepted)
	r.expect("f0", "zrepl configcheck --config /tmp/z.yml", "", "", 0)
	tests := []struct{ old, new, stderr string }{
		{"send: {encrypted: true}", "send: {encryptd: true}",
			"could not parse config: yaml: unmarshal errors:\n  line 8: field encryptd not found in type config.SendOptions\n"},
		{"interval: 1m}", "interval: 1 minute}",
			"could not parse config: yaml: unmarshal errors:\n  line 9: cannot unmarshal !!str `1 minute` into time.Duration: must match ^\\s*([\\+-]?\\d+)\\s*(|s|m|h|d|w)\\s*$\n" +
				"  line 8: field interval is required but has zero value\n  line 3: field snapshotting is required but has zero value\n"},
		{"encryption: inherit", "encryption: maybe",
			"cannot build jobs from config: cannot build job \"sink\": placeholder encryption value \"maybe\" is invalid, must be one of [unspecified inherit off]\nconfig parsing failed\n"},
		{"prefix: zrepl_", `prefix: ""`,
			"could not parse config: yaml: unmarshal errors:\n  line 8: field prefix is required but has zero value\n  line 3: field snapshotting is required but has zero value\n"},
	}
	for _, tt := range tests {
		r.writeFile("f0", "/usr/local/etc/zrepl/zrepl.yml", strings.Replace(accepted, tt.old, tt.new, 1))
		r.expect("f0", "zrepl configcheck", "", tt.stderr, 1)
		r.expect("f0", "service zrepl start", "Performing sanity check on zrepl configuration:\n", tt.stderr+"/usr/local/etc/rc.d/zrepl: WARNING: failed precmd routine for zrepl\n", 1)
	}
}
