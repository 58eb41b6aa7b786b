package rocky

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// engine is the simulated service manager acting on behalf of one client
// call (systemctl, FireTimers, a package scriptlet).
type engine struct {
	h   *sim.Host
	ctx context.Context
}

func newEngine(h *sim.Host, ctx context.Context) *engine {
	if ctx == nil {
		ctx = context.Background()
	}
	return &engine{h: h, ctx: ctx}
}

// busError is an error the manager returns over D-Bus; kind decides the
// systemctl exit status (translate_bus_error_to_exit_status).
type busError struct {
	kind string // no-such-unit, masked, bad-setting, not-applicable, not-loaded, access
	msg  string
}

func (b *busError) Error() string { return b.msg }

func (b *busError) exitStatus() int {
	switch b.kind {
	case "no-such-unit", "not-loaded":
		return 5
	case "not-applicable":
		return 3
	case "bad-setting":
		return 6
	case "refuse":
		return 4
	}
	return 1
}

// refuseManual is the manager's answer to a job a unit refuses by hand
// (RefuseManualStart=/RefuseManualStop=).
func refuseManual(d *unitDef, key string) *busError {
	if d.File != nil && parseBool(d.File.get("Unit", key)) {
		return &busError{"refuse", fmt.Sprintf("Operation refused, unit %s may be requested by dependency only (it is configured to refuse manual start/stop).", d.ID)}
	}
	return nil
}

// lookup returns the unit as the manager sees it: its loaded snapshot when
// it has one (and whether the files changed since), else the files.
func (e *engine) lookup(name string) (*unitDef, bool) {
	fresh := resolveUnit(e.h, name)
	m, err := loadManager(e.h)
	if err == nil {
		if u := m.Units[fresh.ID]; u != nil && u.Snapshot != nil {
			d := u.Snapshot.def()
			d.Name = name
			return d, d.Hash != fresh.Hash
		}
	}
	return fresh, false
}

func loadErr(d *unitDef) *busError {
	switch d.LoadState {
	case "loaded":
		return nil
	case "masked":
		return &busError{"masked", fmt.Sprintf("Unit %s is masked.", d.ID)}
	case "bad-setting":
		return &busError{"bad-setting", fmt.Sprintf("Unit %s has a bad unit file setting.", d.ID)}
	}
	return &busError{"no-such-unit", fmt.Sprintf("Unit %s not found.", d.ID)}
}

// planStart orders d's start job after the jobs of what it requires and
// wants (Requires=, Requisite=, BindsTo=, Wants=), as a transaction would.
func (e *engine) planStart(d *unitDef, plan *[]*unitDef, seen map[string]bool) *busError {
	if err := loadErr(d); err != nil {
		return err
	}
	if seen[d.ID] {
		return nil
	}
	seen[d.ID] = true
	for _, k := range []string{"Requires", "Requisite", "BindsTo"} {
		for _, dep := range d.File.words("Unit", k) {
			dd, _ := e.lookup(dep)
			if err := e.planStart(dd, plan, seen); err != nil {
				return err
			}
		}
	}
	for _, dep := range d.File.words("Unit", "Wants") {
		dd, _ := e.lookup(dep)
		sub := []*unitDef{}
		if err := e.planStart(dd, &sub, seen); err == nil {
			*plan = append(*plan, sub...)
		}
	}
	*plan = append(*plan, d)
	return nil
}

// jobResult is what a finished job reports: done, failed, dependency,
// invalid, skipped; svcResult is the service's Result= on failure.
type jobResult struct {
	unit, result, svcResult string
}

// start runs a start transaction for d and returns the result of d's job.
func (e *engine) start(d *unitDef) (jobResult, *busError) {
	var plan []*unitDef
	if err := e.planStart(d, &plan, map[string]bool{}); err != nil {
		return jobResult{}, err
	}
	failed := map[string]bool{}
	var res jobResult
	for _, u := range plan {
		r := jobResult{unit: u.ID, result: "done"}
		for _, k := range []string{"Requires", "Requisite", "BindsTo"} {
			for _, dep := range u.File.words("Unit", k) {
				if failed[mangleUnitName(dep)] {
					r.result = "dependency"
				}
			}
		}
		if r.result == "dependency" {
			journal(e.h, sysLog(e.h, u.ID, "Dependency failed for %s.", u.description()),
				sysLog(e.h, u.ID, "%s: Job %s/start failed with result 'dependency'.", u.ID, u.ID))
		} else {
			r = e.startOne(u)
		}
		if r.result != "done" {
			failed[u.ID] = true
		}
		res = r
	}
	return res, nil
}

// loadInto records d as loaded (its snapshot) unless it already is.
func loadInto(m *managerState, d *unitDef) *unitState {
	u := m.unit(d.ID)
	if u.Snapshot == nil && d.LoadState == "loaded" {
		u.Snapshot = d.snapshot()
	}
	return u
}

func (e *engine) startOne(d *unitDef) jobResult {
	now := e.h.Now()
	res := jobResult{unit: d.ID, result: "done"}
	var already bool
	typ := unitType(d.ID)
	_ = updateManager(e.h, func(m *managerState) error {
		u := loadInto(m, d)
		already = u.Active == "active" || u.Active == "activating" || u.Active == "reloading"
		if already || typ == "service" {
			return nil
		}
		u.Active, u.Result = "active", "success"
		u.Sub = "active"
		switch typ {
		case "timer":
			u.Sub = "waiting"
			u.TimerStart = now
		case "mount", "swap", "automount":
			u.Sub = "mounted"
		case "socket", "path":
			u.Sub = "listening"
		case "device":
			u.Sub = "plugged"
		}
		u.StateChange, u.ActiveEnter, u.InactiveExit = now, now, now
		return nil
	})
	if already {
		return res
	}
	switch typ {
	case "service":
		return e.startService(d)
	case "target":
		journal(e.h, sysLog(e.h, d.ID, "Reached target %s.", d.description()))
	default:
		journal(e.h, sysLog(e.h, d.ID, "Started %s.", d.description()))
	}
	return res
}

// serviceEnv is the environment systemd gives a service's processes.
func (e *engine) serviceEnv(d *unitDef) map[string]string {
	env := map[string]string{"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"}
	for _, f := range d.File.list("Service", "EnvironmentFile") {
		optional := strings.HasPrefix(f, "-")
		f = strings.TrimPrefix(f, "-")
		text, err := readFile(e.h, f)
		if err != nil && !optional {
			continue
		}
		parseEnvironmentFile(text, env)
	}
	parseEnvironment(d.File.list("Service", "Environment"), env)
	return env
}

func envList(env map[string]string) []string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+"="+env[k])
	}
	return out
}

// runLine runs one Exec*= command as the service's process pid and logs its
// output to the journal. 203 is systemd's EXIT_EXEC for a missing program.
func (e *engine) runLine(d *unitDef, l execLine, env map[string]string, pid int) int {
	prog := l.Argv[0]
	if strings.HasPrefix(prog, "/") && !exists(e.h, prog) {
		journal(e.h,
			sysLog(e.h, d.ID, "%s: Failed to locate executable %s: No such file or directory", d.ID, prog),
			sysLog(e.h, d.ID, "%s: Failed at step EXEC spawning %s: No such file or directory", d.ID, prog))
		return 203
	}
	env = copyEnv(env)
	env["LAB_SYSTEMD_UNIT"] = d.ID
	env["LAB_PID"] = strconv.Itoa(pid)
	env["INVOCATION_ID"] = fmt.Sprintf("%032x", pid*7919+len(d.ID))
	proc, out := childProc(e.ctx, e.h, envList(env))
	if u := d.File.get("Service", "User"); u != "" {
		if usr, ok := e.h.LookupUser(u); ok {
			proc.User = usr
		}
	}
	if wd := d.File.get("Service", "WorkingDirectory"); wd != "" {
		proc.Dir = strings.TrimPrefix(wd, "-")
		if proc.Dir == "~" {
			proc.Dir = proc.User.Home
		}
	}
	quoted := make([]string, len(l.Argv))
	for i, a := range l.Argv {
		quoted[i] = shellQuote(a)
	}
	status := e.h.Shell(proc, strings.Join(quoted, " "), []string{"sh"})
	ident := path.Base(prog)
	if v := d.File.get("Service", "SyslogIdentifier"); v != "" {
		ident = v
	}
	var entries []journalEntry
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		entries = append(entries, journalEntry{Time: e.h.Now(), Ident: ident, PID: pid, Unit: d.ID, Priority: 6, Message: line})
	}
	journal(e.h, entries...)
	return status
}

func copyEnv(env map[string]string) map[string]string {
	c := make(map[string]string, len(env)+3)
	for k, v := range env {
		c[k] = v
	}
	return c
}

func serviceType(d *unitDef) string {
	t := d.File.get("Service", "Type")
	if t == "" {
		if len(d.File.list("Service", "ExecStart")) == 0 {
			return "oneshot"
		}
		return "simple"
	}
	return t
}

func parseBool(s string) bool {
	switch strings.ToLower(s) {
	case "1", "yes", "y", "true", "t", "on":
		return true
	}
	return false
}

func (e *engine) startService(d *unitDef) jobResult {
	res := jobResult{unit: d.ID, result: "done"}
	typ := serviceType(d)
	env := e.serviceEnv(d)
	desc := d.description()
	_ = updateManager(e.h, func(m *managerState) error {
		u := loadInto(m, d)
		u.Active, u.Sub = "activating", "start"
		u.Processes = nil
		u.InactiveExit = e.h.Now()
		u.StateChange = u.InactiveExit
		return nil
	})
	journal(e.h, sysLog(e.h, d.ID, "Starting %s...", desc))
	var steps []struct {
		name string
		line string
	}
	for _, k := range []string{"ExecStartPre", "ExecStart", "ExecStartPost"} {
		if k == "ExecStart" && typ != "oneshot" && typ != "forking" {
			continue
		}
		for _, l := range d.File.list("Service", k) {
			steps = append(steps, struct{ name, line string }{k, l})
		}
	}
	failStatus, failStep := 0, ""
	var mainPID int
	var mainArgv []string
	for _, st := range steps {
		l, err := parseExecLine(st.line, env)
		if err != nil {
			continue
		}
		var pid int
		_ = updateManager(e.h, func(m *managerState) error { pid = m.pid(); return nil })
		status := e.runLine(d, l, env, pid)
		_ = updateManager(e.h, func(m *managerState) error {
			u := m.unit(d.ID)
			u.Processes = append(u.Processes, procRecord{Name: st.name, Argv: strings.Join(l.Argv, " "), PID: pid, Status: status})
			if st.name == "ExecStart" {
				u.ExecMainPID, u.ExecMainCode, u.ExecMainState = pid, "exited", status
			}
			return nil
		})
		if st.name == "ExecStart" {
			mainPID, mainArgv = pid, l.Argv
		}
		if status != 0 && !l.IgnoreFailure {
			failStatus, failStep = status, st.name
			break
		}
	}
	now := e.h.Now()
	if failStep != "" {
		who := "Control process"
		if typ == "oneshot" && failStep == "ExecStart" {
			who = "Main process"
		}
		_ = updateManager(e.h, func(m *managerState) error {
			u := m.unit(d.ID)
			u.Active, u.Sub, u.Result = "failed", "failed", "exit-code"
			u.MainPID = 0
			u.InactiveEnter, u.StateChange = now, now
			return nil
		})
		journal(e.h,
			sysLog(e.h, d.ID, "%s: %s exited, code=exited, status=%s", d.ID, who, fmtExitStatus(failStatus, true)),
			sysLog(e.h, d.ID, "%s: Failed with result 'exit-code'.", d.ID),
			sysLog(e.h, d.ID, "Failed to start %s.", desc))
		res.result, res.svcResult = "failed", "exit-code"
		return res
	}
	remain := parseBool(d.File.get("Service", "RemainAfterExit"))
	var msgs []journalEntry
	_ = updateManager(e.h, func(m *managerState) error {
		u := m.unit(d.ID)
		u.Result = "success"
		u.StateChange = now
		switch {
		case typ == "oneshot" && !remain:
			u.Active, u.Sub = "inactive", "dead"
			u.MainPID = 0
			u.ActiveEnter, u.ActiveExit, u.InactiveEnter = now, now, now
			msgs = append(msgs, sysLog(e.h, d.ID, "%s: Deactivated successfully.", d.ID), sysLog(e.h, d.ID, "Finished %s.", desc))
		case typ == "oneshot":
			u.Active, u.Sub = "active", "exited"
			u.ActiveEnter = now
			msgs = append(msgs, sysLog(e.h, d.ID, "Finished %s.", desc))
		default:
			u.Active, u.Sub = "active", "running"
			u.ActiveEnter = now
			// a forking daemon's main process is the child its ExecStart left behind
			mainPID = m.pid()
			if typ != "forking" {
				if l, err := parseExecLine(firstOr(d.File.list("Service", "ExecStart"), ""), env); err == nil {
					mainArgv = l.Argv
				}
			}
			u.ExecMainPID = mainPID
			u.MainPID, u.MainCmd = mainPID, mainArgv
			msgs = append(msgs, sysLog(e.h, d.ID, "Started %s.", desc))
		}
		return nil
	})
	journal(e.h, msgs...)
	return res
}

func firstOr(l []string, def string) string {
	if len(l) > 0 {
		return l[0]
	}
	return def
}

// stop runs d's stop job; a failed unit stays failed until reset-failed.
func (e *engine) stop(d *unitDef) {
	var was *unitState
	_ = updateManager(e.h, func(m *managerState) error {
		if u := m.Units[d.ID]; u != nil {
			c := *u
			was = &c
		}
		return nil
	})
	// a failed unit stays failed until reset-failed; an inactive one has nothing to stop
	if was == nil || was.Active == "inactive" || was.Active == "failed" {
		return
	}
	desc := d.description()
	typ := unitType(d.ID)
	if typ == "service" && d.File != nil {
		env := e.serviceEnv(d)
		env["MAINPID"] = strconv.Itoa(was.MainPID)
		journal(e.h, sysLog(e.h, d.ID, "Stopping %s...", desc))
		for _, ls := range d.File.list("Service", "ExecStop") {
			l, err := parseExecLine(ls, env)
			if err != nil {
				continue
			}
			var pid int
			_ = updateManager(e.h, func(m *managerState) error { pid = m.pid(); return nil })
			e.runLine(d, l, env, pid)
		}
	} else if typ == "target" {
		journal(e.h, sysLog(e.h, d.ID, "Stopped target %s.", desc))
	}
	now := e.h.Now()
	_ = updateManager(e.h, func(m *managerState) error {
		u := m.unit(d.ID)
		u.Active, u.Sub = "inactive", "dead"
		u.Result = "success"
		u.MainPID, u.MainCmd = 0, nil
		u.ActiveExit, u.InactiveEnter, u.StateChange = now, now, now
		if typ == "service" && u.ExecMainCode == "" {
			u.ExecMainCode = "exited"
		}
		return nil
	})
	if typ != "target" {
		journal(e.h, sysLog(e.h, d.ID, "%s: Deactivated successfully.", d.ID), sysLog(e.h, d.ID, "Stopped %s.", desc))
	}
}

// triggerTarget is the unit a timer activates (Unit= or the same name).
func triggerTarget(d *unitDef) string {
	if d.File != nil {
		if u := d.File.get("Timer", "Unit"); u != "" {
			return u
		}
	}
	return strings.TrimSuffix(d.ID, ".timer") + ".service"
}

// triggeredBy lists the loaded timers that trigger id, sorted.
func triggeredBy(m managerState, id string) []string {
	var out []string
	for tid, u := range m.Units {
		if unitType(tid) != "timer" || u.Snapshot == nil {
			continue
		}
		if triggerTarget(u.Snapshot.def()) == id {
			out = append(out, tid)
		}
	}
	sort.Strings(out)
	return out
}

// daemonReload reloads every loaded unit from the tree.
func (e *engine) daemonReload() error {
	type fresh struct {
		name string
		def  *unitDef
	}
	m, err := loadManager(e.h)
	if err != nil {
		return err
	}
	var list []fresh
	for id, u := range m.Units {
		if u.Snapshot == nil {
			continue
		}
		name := u.Snapshot.Name
		if name == "" {
			name = id
		}
		list = append(list, fresh{id, resolveUnit(e.h, name)})
	}
	journal(e.h, sysLog(e.h, "", "Reloading."))
	return updateManager(e.h, func(m *managerState) error {
		for _, f := range list {
			u := m.Units[f.name]
			if u == nil {
				continue
			}
			if f.def.LoadState == "not-found" && (u.Active == "inactive" || u.Active == "failed") {
				delete(m.Units, f.name)
				continue
			}
			if f.def.LoadState == "loaded" {
				u.Snapshot = f.def.snapshot()
			} else {
				u.Snapshot = &snapshot{Name: f.def.Name, ID: f.def.ID, LoadState: f.def.LoadState, FragmentPath: f.def.FragmentPath, Hash: f.def.Hash}
			}
		}
		return nil
	})
}

// timerNext computes a timer's next elapse (timer.c timer_enter_waiting):
// OnBootSec/OnActiveSec fire once, unit-relative ones from the triggered
// unit's last activation or deactivation, OnCalendar at its next match.
func timerNext(d *unitDef, t *unitState, target *unitState, boot time.Time) (time.Time, bool) {
	var next time.Time
	found := false
	consider := func(base time.Time, key string, oneShot bool) {
		for _, v := range d.File.list("Timer", key) {
			span, err := parseTimespan(v)
			if err != nil || base.IsZero() {
				continue
			}
			at := base.Add(span)
			if oneShot && !t.LastTrigger.IsZero() && !at.After(t.LastTrigger) {
				continue
			}
			if !found || at.Before(next) {
				next, found = at, true
			}
		}
	}
	consider(boot, "OnBootSec", true)
	consider(boot, "OnStartupSec", true)
	consider(t.TimerStart, "OnActiveSec", true)
	if target != nil {
		base := target.InactiveExit
		if t.LastTrigger.After(base) {
			base = t.LastTrigger
		}
		consider(base, "OnUnitActiveSec", false)
		consider(target.InactiveEnter, "OnUnitInactiveSec", false)
	} else if !t.LastTrigger.IsZero() {
		consider(t.LastTrigger, "OnUnitActiveSec", false)
	}
	// OnCalendar= (calendar.go): the next match after the last trigger,
	// or after the timer's start when it never fired.
	base := t.LastTrigger
	if base.IsZero() {
		base = t.TimerStart
	}
	for _, v := range d.File.list("Timer", "OnCalendar") {
		spec, ok := parseCalendar(v)
		if !ok || base.IsZero() {
			continue
		}
		if at, ok := spec.next(base); ok && (!found || at.Before(next)) {
			next, found = at, true
		}
	}
	return next, found
}

// FireTimers runs, once each, the units of the active timers of h whose next
// elapse is at or before now, as systemd would on its event loop. Tests (and
// later the lab core's clock) call it; a oneshot service runs to completion
// before it returns.
func FireTimers(h *sim.Host, now time.Time) error {
	e := newEngine(h, context.Background())
	m, err := loadManager(h)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(m.Units))
	for id := range m.Units {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		u := m.Units[id]
		if unitType(id) != "timer" || u.Active != "active" || u.Snapshot == nil {
			continue
		}
		d := u.Snapshot.def()
		target := triggerTarget(d)
		next, ok := timerNext(d, u, m.Units[target], m.Boot)
		if !ok || next.After(now) {
			continue
		}
		if err := updateManager(h, func(m *managerState) error {
			m.unit(id).LastTrigger = now
			return nil
		}); err != nil {
			return err
		}
		td, _ := e.lookup(target)
		if td.LoadState != "loaded" {
			continue
		}
		if tu := m.Units[target]; tu != nil && (tu.Active == "active" || tu.Active == "activating") {
			continue
		}
		res, berr := e.start(td)
		if berr != nil {
			journal(h, sysLog(h, id, "%s: Failed to queue unit startup job: %s", id, berr.msg))
			res.result = berr.msg
		}
		recordTimerRun(h, now, id, td.ID, res.result)
	}
	return nil
}
