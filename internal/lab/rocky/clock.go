package rocky

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/crond"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// What runs on a Rocky host as the lab's clock advances: systemd's timers
// (FireTimers) and cronie's jobs. Neither runs by itself in real time.

// NextElapse is the earliest next elapse of h's active timers (a time
// already past means the timer is due now).
func NextElapse(h *sim.Host) (time.Time, bool) {
	m, err := loadManager(h)
	if err != nil {
		return time.Time{}, false
	}
	var next time.Time
	found := false
	for id, u := range m.Units {
		if unitType(id) != "timer" || u.Active != "active" || u.Snapshot == nil {
			continue
		}
		d := u.Snapshot.def()
		t, ok := timerNext(d, u, m.Units[triggerTarget(d)], m.Boot)
		if ok && (!found || t.Before(next)) {
			next, found = t, true
		}
	}
	return next, found
}

// recordTimerRun notes a timer's activation in the lab's record of runs.
func recordTimerRun(h *sim.Host, at time.Time, timer, unit, result string) {
	status := 0
	if result != "done" {
		status = 1
	}
	crond.Record(h, crond.RunRecord{Time: at, Kind: "timer", User: timer, Command: unit, Status: status, Output: result})
}

// cronie (crond.service) running jobs: /etc/crontab and /etc/cron.d/*
// (system format) and /var/spool/cron/USER, in that order (database.c),
// with cronie's environment (entry.c: SHELL=/bin/sh, HOME, PATH=/usr/bin:/bin
// unless the crontab sets them; LOGNAME and USER always). A run is logged
// as "CROND[PID]: (USER) CMD (COMMAND)" to the journal (crond.service) and
// /var/log/cron (rsyslog's cron.* line). Output would be mailed, but a
// minimal Rocky has no MTA: cronie's popen of /usr/sbin/sendmail fails and
// it logs "(USER) MAIL (mailed N bytes of output but got status 0x007f\n)";
// the output itself is in the lab's record only.

const (
	cronieDefaultPath = "/usr/bin:/bin"
	cronieLog         = "/var/log/cron"
	sendmailPath      = "/usr/sbin/sendmail"
)

// CronRunning reports whether crond.service is active.
func CronRunning(h *sim.Host) bool {
	m, err := loadManager(h)
	if err != nil {
		return false
	}
	u := m.Units["crond.service"]
	return u != nil && u.Active == "active"
}

type cronieJob struct {
	crond.Entry
	user string
}

func cronieJobs(h *sim.Host) []cronieJob {
	var jobs []cronieJob
	add := func(file string, system bool, owner string) {
		text, err := readFile(h, file)
		if err != nil {
			return
		}
		for _, e := range crond.Parse(text, system) {
			u := owner
			if system {
				u = e.User
			}
			jobs = append(jobs, cronieJob{Entry: e, user: u})
		}
	}
	add("/etc/crontab", true, "")
	for _, dir := range []struct {
		dir    string
		system bool
	}{{"/etc/cron.d", true}, {cronSpoolDir, false}} {
		list := listDir(h, dir.dir)
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
		for _, fi := range list {
			if fi.Mode.IsRegular() {
				add(path.Join(dir.dir, fi.Name), dir.system, fi.Name)
			}
		}
	}
	return jobs
}

// CronNext is the first time after "after", up to "until", at which h's
// running crond has a job due.
func CronNext(h *sim.Host, after, until time.Time) (time.Time, bool) {
	if !CronRunning(h) {
		return time.Time{}, false
	}
	var entries []crond.Entry
	for _, j := range cronieJobs(h) {
		entries = append(entries, j.Entry)
	}
	return crond.Next(entries, after, until)
}

// CronTick runs the jobs due at "at", one after the other.
func CronTick(ctx context.Context, h *sim.Host, at time.Time) {
	if !CronRunning(h) {
		return
	}
	for _, j := range cronieJobs(h) {
		if j.Due(at) {
			runCronieJob(ctx, h, j, at)
		}
	}
}

func runCronieJob(ctx context.Context, h *sim.Host, j cronieJob, at time.Time) {
	u, ok := h.LookupUser(j.user)
	if !ok {
		return
	}
	env := append([]string(nil), j.Env...)
	for _, d := range [][2]string{{"SHELL", "/bin/sh"}, {"HOME", u.Home}, {"PATH", cronieDefaultPath}} {
		if _, ok := crond.EnvValue(env, d[0]); !ok {
			env = append(env, d[0]+"="+d[1])
		}
	}
	env = setEnv(env, "LOGNAME", u.Name)
	env = setEnv(env, "USER", u.Name)
	var pid int
	_ = updateManager(h, func(m *managerState) error { pid = m.pid(); return nil })
	cmd, _ := crond.SplitInput(j.Cmd)
	cronieLogLine(h, pid, fmt.Sprintf("(%s) CMD (%s)", u.Name, cmd))
	out, status := crond.Run(ctx, h, crond.Job{User: u, Env: env, Cmd: j.Cmd})
	if out != "" && !exists(h, sendmailPath) {
		if v, set := crond.EnvValue(env, "MAILTO"); !set || v != "" {
			n := len(out)
			plural := "s"
			if n == 1 {
				plural = ""
			}
			cronieLogLine(h, pid, fmt.Sprintf("(%s) MAIL (mailed %d byte%s of output but got status 0x%04x\n)", u.Name, n, plural, 0x7f))
		}
	}
	crond.Record(h, crond.RunRecord{Time: at, Kind: "cron", User: u.Name, Command: j.Cmd, Status: status, Output: out})
}

func setEnv(env []string, name, val string) []string {
	for i, kv := range env {
		if strings.HasPrefix(kv, name+"=") {
			env[i] = name + "=" + val
			return env
		}
	}
	return append(env, name+"="+val)
}

// cronieLogLine is crond's syslog line: in the journal as crond.service's
// (newline kept out, as journald does) and in /var/log/cron with rsyslog's
// escape of control characters (#012 for a newline).
func cronieLogLine(h *sim.Host, pid int, msg string) {
	e := journalEntry{Time: h.Now(), Ident: "CROND", PID: pid, Unit: "crond.service", Priority: 6, Message: strings.TrimRight(msg, "\n")}
	_ = sim.Update[journalState](h, journalStateName, func(s *journalState) error {
		s.Entries = append(s.Entries, e)
		if n := len(s.Entries); n > journalMax {
			s.Entries = s.Entries[n-journalMax:]
		}
		return nil
	})
	line := fmt.Sprintf("%s %s CROND[%d]: %s\n", e.Time.Format(time.Stamp), h.Name, pid, strings.ReplaceAll(msg, "\n", "#012"))
	root := h.Root()
	_ = h.Tree.MkdirAll(root, "/var/log", 0o755)
	_ = h.Tree.AppendFile(root, cronieLog, []byte(line), 0o600)
}
