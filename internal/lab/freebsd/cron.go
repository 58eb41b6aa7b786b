package freebsd

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

// FreeBSD's cron (usr.sbin/cron of the 14 tree) running jobs, when the
// lab's clock advances over their minute (the lab runs nothing by itself in
// real time). It reads /etc/crontab (system format, with a user column) and
// each /var/cron/tabs/USER; a job line may start its command with -n (mail
// only when the job fails) and -q (do not log the run). The job gets the
// environment of do_command.c: the user's login class first
// (setusercontext with LOGIN_SETALL: FreeBSD 14's default class in
// /etc/login.conf gives BLOCKSIZE=K, MAIL=/var/mail/USER, LANG=C.UTF-8,
// MM_CHARSET=UTF-8 and PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:
// /usr/local/bin:~/bin), then the crontab's settings with SHELL=/bin/sh,
// LOGNAME and USER (entry.c), HOME from the password file unless set, and
// PATH=/usr/bin:/bin (_PATH_DEFPATH) only if nothing set one. The run is
// logged "/usr/sbin/cron[PID]: (USER) CMD (COMMAND)" to /var/log/cron
// (syslog.conf's cron.* line; the tag is cron's argv[0]) and any output is
// mailed to MAILTO, or the user, as the base system's mailer delivers it:
// appended to /var/mail/RECIPIENT.

const (
	cronProcname   = "/usr/sbin/cron"
	cronPidfile    = "/var/run/cron.pid"
	cronSystemTab  = "/etc/crontab"
	cronLog        = "/var/log/cron"
	cronDefaultPth = "/usr/bin:/bin"
)

// cronJob is one entry with the user it runs as.
type cronJob struct {
	crond.Entry
	user string
}

// CronRunning reports whether the host's cron daemon runs.
func CronRunning(h *sim.Host) bool {
	return daemonRunning(h.NewProc(context.Background(), rootUser(), nil, nil, nil), cronPidfile, cronProcname)
}

// cronJobs reads the crontabs: /etc/crontab first, then the users' in
// name order, each in line order (the lab's order for one minute).
func cronJobs(h *sim.Host) []cronJob {
	root := rootUser()
	var jobs []cronJob
	if data, err := h.Tree.ReadFile(root, cronSystemTab); err == nil {
		for _, e := range crond.Parse(string(data), true) {
			jobs = append(jobs, cronJob{Entry: e, user: e.User})
		}
	}
	list, _ := h.Tree.ReadDir(root, cronTabsDir)
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	for _, fi := range list {
		if !fi.Mode.IsRegular() {
			continue
		}
		data, err := h.Tree.ReadFile(root, path.Join(cronTabsDir, fi.Name))
		if err != nil {
			continue
		}
		for _, e := range crond.Parse(string(data), false) {
			jobs = append(jobs, cronJob{Entry: e, user: fi.Name})
		}
	}
	return jobs
}

// CronNext is the first time after "after", up to "until", at which the
// running cron of h has a job due.
func CronNext(h *sim.Host, after, until time.Time) (time.Time, bool) {
	if !CronRunning(h) {
		return time.Time{}, false
	}
	var entries []crond.Entry
	for _, j := range cronJobs(h) {
		entries = append(entries, j.Entry)
	}
	return crond.Next(entries, after, until)
}

// CronTick runs the jobs due at "at" (the lab clock stands at it), one
// after the other.
func CronTick(ctx context.Context, h *sim.Host, at time.Time) {
	if !CronRunning(h) {
		return
	}
	for _, j := range cronJobs(h) {
		if j.Due(at) {
			runCronJob(ctx, h, j, at, "cron")
		}
	}
}

// cronReboot runs the @reboot jobs (run_reboot_jobs) as cron starts at boot.
func cronReboot(ctx context.Context, h *sim.Host) {
	for _, j := range cronJobs(h) {
		if j.Reboot {
			runCronJob(ctx, h, j, h.Now(), "cron @reboot")
		}
	}
}

func runCronJob(ctx context.Context, h *sim.Host, j cronJob, at time.Time, kind string) {
	u, ok := h.LookupUser(j.user)
	if !ok {
		return // cron skips an entry whose user is unknown
	}
	mailOnError, noLog, command := cronOptions(j.Cmd)
	// e->envp: the crontab's settings, SHELL unless set, LOGNAME, USER.
	entry := append([]string(nil), j.Env...)
	if _, ok := crond.EnvValue(entry, "SHELL"); !ok {
		entry = append(entry, "SHELL=/bin/sh")
	}
	entry = setEnvVar(entry, "LOGNAME", u.Name)
	entry = setEnvVar(entry, "USER", u.Name)
	env := loginClassEnv(u)
	for _, kv := range entry {
		k, v, _ := strings.Cut(kv, "=")
		env = setEnvVar(env, k, v)
	}
	if _, ok := crond.EnvValue(env, "HOME"); !ok {
		env = append(env, "HOME="+u.Home)
	}
	if _, ok := crond.EnvValue(env, "PATH"); !ok {
		env = append(env, "PATH="+cronDefaultPth)
	}
	var pid int
	_ = sim.Update(h, procsState, func(t *procs) error { pid = t.allocPID(); return nil })
	cmd, _ := crond.SplitInput(command)
	if !noLog {
		appendLog(h, cronLog, fmt.Sprintf("%s[%d]", cronProcname, pid), fmt.Sprintf("(%s) CMD (%s)", u.Name, mkprints(cmd)))
	}
	out, status := crond.Run(ctx, h, crond.Job{User: u, Env: env, Cmd: command})
	if out != "" && (!mailOnError || status != 0) {
		cronMail(h, u.Name, entry, cmd, out, at)
	}
	crond.Record(h, crond.RunRecord{Time: at, Kind: kind, User: u.Name, Command: j.Cmd, Status: status, Output: out})
}

// cronOptions reads the -n and -q options that may start a job's command
// (entry.c of the 14 tree: MAIL_WHEN_ERR, DONT_LOG).
func cronOptions(cmd string) (mailOnError, noLog bool, rest string) {
	rest = cmd
	for {
		switch {
		case strings.HasPrefix(rest, "-n ") || strings.HasPrefix(rest, "-n\t"):
			mailOnError = true
		case strings.HasPrefix(rest, "-q ") || strings.HasPrefix(rest, "-q\t"):
			noLog = true
		default:
			return mailOnError, noLog, rest
		}
		rest = strings.TrimLeft(rest[2:], " \t")
	}
}

// loginClassEnv is what setusercontext(LOGIN_SETALL) puts in a job's
// environment for FreeBSD 14's default login class (/etc/login.conf:
// setenv, mail, path, charset, lang).
func loginClassEnv(u sim.User) []string {
	return []string{
		"BLOCKSIZE=K",
		"MAIL=/var/mail/" + u.Name,
		"MM_CHARSET=UTF-8",
		"LANG=C.UTF-8",
		"PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin:" + u.Home + "/bin",
	}
}

func setEnvVar(env []string, name, val string) []string {
	for i, kv := range env {
		if strings.HasPrefix(kv, name+"=") {
			env[i] = name + "=" + val
			return env
		}
	}
	return append(env, name+"="+val)
}

// allocPID is the pid a short-lived process (a cron job) gets.
func (t *procs) allocPID() int {
	if t.NextPID < firstPID {
		t.NextPID = firstPID
	}
	t.NextPID += 1 + t.NextPID%7
	return t.NextPID
}

// mkprints is misc.c's mkprints: control characters as ^X, DEL as ^?,
// bytes above as \ooo.
func mkprints(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c < ' ':
			b.WriteByte('^')
			b.WriteByte(c + '@')
		case c < 0o177:
			b.WriteByte(c)
		case c == 0o177:
			b.WriteString("^?")
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	return b.String()
}

// appendLog writes a syslog line to file, as syslogd writes one there.
func appendLog(h *sim.Host, file, tag, msg string) {
	root := h.Root()
	line := fmt.Sprintf("%s %s %s: %s\n", h.Now().Format(time.Stamp), h.Name, tag, msg)
	_ = h.Tree.MkdirAll(root, path.Dir(file), 0o755)
	_ = h.Tree.AppendFile(root, file, []byte(line), 0o600)
}

// cronMail delivers a job's output as do_command.c writes the message
// (From: Cron Daemon <USER@HOSTNAME>, To:, Subject: Cron <USER@HOST>
// COMMAND, Date:, one X-Cron-Env: per variable of the entry) and the local
// mailer stores it: an mbox "From " line, the
// message, a blank line, appended to /var/mail/RECIPIENT. MAILTO="" mails
// nothing; a recipient that is no local user gets nothing in the lab.
func cronMail(h *sim.Host, user string, env []string, cmd, out string, at time.Time) {
	rcpt := user
	if v, ok := crond.EnvValue(env, "MAILTO"); ok {
		if v == "" {
			return
		}
		rcpt = v
	}
	if _, ok := h.LookupUser(rcpt); !ok {
		return
	}
	fqdn := hostnameOf(h.NewProc(context.Background(), rootUser(), nil, nil, nil))
	host := strings.SplitN(fqdn, ".", 2)[0]
	var b strings.Builder
	fmt.Fprintf(&b, "From %s@%s %s\n", user, fqdn, at.UTC().Format("Mon Jan _2 15:04:05 2006"))
	fmt.Fprintf(&b, "From: Cron Daemon <%s@%s>\nTo: %s\nSubject: Cron <%s@%s> %s\n", user, fqdn, rcpt, user, host, cmd)
	fmt.Fprintf(&b, "Date: %s\n", at.UTC().Format("Mon, _2 Jan 2006 15:04:05 MST"))
	for _, kv := range env {
		fmt.Fprintf(&b, "X-Cron-Env: <%s>\n", kv)
	}
	b.WriteString("\n" + out)
	if !strings.HasSuffix(out, "\n") {
		b.WriteString("\n")
	}
	b.WriteString("\n")
	root := h.Root()
	_ = h.Tree.MkdirAll(root, "/var/mail", 0o775)
	file := "/var/mail/" + rcpt
	_ = h.Tree.AppendFile(root, file, []byte(b.String()), 0o600)
	_ = h.Tree.Chown(root, file, rcpt, "mail")
}
