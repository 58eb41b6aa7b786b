package rocky

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

type systemctlOpts struct {
	quiet, now, value, all, force, noReload bool
	props                                   []string
	lines                                   int
	args                                    []string
}

// parseSystemctlArgs parses getopt_long style options anywhere on the line.
func parseSystemctlArgs(p *sim.Proc) (*systemctlOpts, int) {
	o := &systemctlOpts{lines: 10}
	args := p.Args[1:]
	noMore := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if noMore || !strings.HasPrefix(a, "-") || a == "-" {
			o.args = append(o.args, a)
			continue
		}
		need := func() (string, bool) {
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			errw(p, "systemctl: option '%s' requires an argument", a)
			return "", false
		}
		switch {
		case a == "--":
			noMore = true
		case a == "-q" || a == "--quiet":
			o.quiet = true
		case a == "--now":
			o.now = true
		case a == "--value":
			o.value = true
		case a == "-a" || a == "--all":
			o.all = true
		case a == "-f" || a == "--force":
			o.force = true
		case a == "--no-reload":
			o.noReload = true
		case a == "--no-pager", a == "--no-block", a == "--no-legend", a == "-l", a == "--full", a == "--system",
			a == "--no-ask-password", a == "--plain", a == "--no-warn", a == "--wait", a == "--show-transaction":
		case a == "-p" || a == "--property" || a == "-P":
			v, ok := need()
			if !ok {
				return nil, 1
			}
			if a == "-P" {
				o.value = true
			}
			o.props = append(o.props, strings.Split(v, ",")...)
		case strings.HasPrefix(a, "--property="):
			o.props = append(o.props, strings.Split(strings.TrimPrefix(a, "--property="), ",")...)
		case strings.HasPrefix(a, "-p") && len(a) > 2:
			o.props = append(o.props, strings.Split(a[2:], ",")...)
		case a == "-n" || a == "--lines":
			v, ok := need()
			if !ok {
				return nil, 1
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				errw(p, "Failed to parse lines '%s'", v)
				return nil, 1
			}
			o.lines = n
		case strings.HasPrefix(a, "--lines="):
			n, err := strconv.Atoi(strings.TrimPrefix(a, "--lines="))
			if err != nil || n < 0 {
				errw(p, "Failed to parse lines '%s'", strings.TrimPrefix(a, "--lines="))
				return nil, 1
			}
			o.lines = n
		case a == "-t" || a == "--type" || a == "--state" || a == "-o" || a == "--output" || a == "--job-mode":
			if _, ok := need(); !ok {
				return nil, 1
			}
		case strings.HasPrefix(a, "--type=") || strings.HasPrefix(a, "--state=") || strings.HasPrefix(a, "--output=") || strings.HasPrefix(a, "--job-mode="):
		case a == "--user" || a == "--global":
			errw(p, "Failed to connect to bus: No medium found")
			return nil, 1
		case a == "--version":
			outw(p.Stdout, "systemd 252 (252-51.el9)")
			outw(p.Stdout, "+PAM +AUDIT +SELINUX -APPARMOR +IMA +SMACK +SECCOMP +GCRYPT +GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN -IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT -QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK +XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified")
			return nil, 0
		default:
			if strings.HasPrefix(a, "--") {
				errw(p, "systemctl: unrecognized option '%s'", a)
			} else {
				errw(p, "systemctl: invalid option -- '%s'", strings.TrimPrefix(a, "-")[:1])
			}
			return nil, 1
		}
	}
	return o, -1
}

var managerVerbs = map[string]string{
	"start": "start", "stop": "stop", "restart": "restart", "try-restart": "try-restart", "condrestart": "try-restart",
	"reload": "reload", "reload-or-restart": "reload-or-restart", "try-reload-or-restart": "reload-or-try-restart",
	"force-reload": "reload-or-try-restart", "condreload": "reload-or-try-restart",
}

func systemctlCmd(p *sim.Proc) int {
	o, rc := parseSystemctlArgs(p)
	if o == nil {
		return rc
	}
	if len(o.args) == 0 {
		errw(p, "lab: systemctl without a verb (list-units) is not emulated")
		return 1
	}
	verb, units := o.args[0], o.args[1:]
	c := &sctl{p: p, o: o, e: newEngine(p.Host, p.Ctx), g: glyphsFor(p)}
	if jt, ok := managerVerbs[verb]; ok {
		return c.jobs(jt, units)
	}
	switch verb {
	case "is-active", "is-failed":
		return c.isActive(verb, units)
	case "is-enabled":
		return c.isEnabled(units)
	case "status":
		return c.status(units)
	case "show":
		return c.show(units)
	case "cat":
		return c.cat(units)
	case "enable", "disable", "reenable", "mask", "unmask":
		return c.unitFiles(verb, units)
	case "daemon-reload", "daemon-reexec":
		if !p.User.IsRoot() {
			errw(p, "Failed to reload daemon: Interactive authentication required.")
			return 1
		}
		if err := c.e.daemonReload(); err != nil {
			errw(p, "Failed to reload daemon: %v", err)
			return 1
		}
		return 0
	case "reset-failed":
		return c.resetFailed(units)
	case "list-timers":
		return c.listTimers()
	case "is-system-running":
		if !o.quiet {
			outw(p.Stdout, "running")
		}
		return 0
	}
	errw(p, "Unknown command verb %s.", verb)
	return 1
}

type sctl struct {
	p *sim.Proc
	o *systemctlOpts
	e *engine
	g glyphs
}

func (c *sctl) tooFew(units []string) bool {
	if len(units) == 0 {
		errw(c.p, "Too few arguments.")
		return true
	}
	return false
}

// jobs runs start/stop/restart/... jobs and reports as systemctl does:
// enqueue errors as they happen, then job results.
func (c *sctl) jobs(jobType string, names []string) int {
	if c.tooFew(names) {
		return 1
	}
	ret := 0
	var failures []jobResult
	for _, n := range names {
		name := mangleUnitName(n)
		if !c.p.User.IsRoot() {
			errw(c.p, "Failed to %s %s: Interactive authentication required.", jobType, name)
			errw(c.p, "See system logs and 'systemctl status %s' for details.", name)
			if ret == 0 {
				ret = 1
			}
			continue
		}
		res, berr := c.job(jobType, name)
		if berr != nil {
			errw(c.p, "Failed to %s %s: %s", jobType, name, berr.msg)
			if berr.kind != "no-such-unit" && berr.kind != "not-loaded" && berr.kind != "masked" && berr.kind != "not-applicable" {
				errw(c.p, "See system logs and 'systemctl status %s' for details.", name)
			}
			if ret == 0 {
				ret = berr.exitStatus()
			}
			continue
		}
		if res.result != "done" && res.result != "skipped" {
			failures = append(failures, res)
		}
	}
	for _, f := range failures {
		if !c.o.quiet {
			switch f.result {
			case "dependency":
				errw(c.p, "A dependency job for %s failed. See 'journalctl -xe' for details.", f.unit)
			case "invalid":
				errw(c.p, "%s is not active, cannot reload.", f.unit)
			default:
				if f.svcResult == "exit-code" {
					errw(c.p, "Job for %s failed because the control process exited with error code.", f.unit)
				} else {
					errw(c.p, "Job for %s failed.", f.unit)
				}
				errw(c.p, "See \"systemctl status %s\" and \"journalctl -xeu %s\" for details.", shellQuote(f.unit), shellQuote(f.unit))
			}
		}
		if ret == 0 {
			ret = 1
		}
	}
	return ret
}

func (c *sctl) warnChanged(d *unitDef, changed bool) {
	if changed {
		errw(c.p, "Warning: The unit file, source configuration file or drop-ins of %s changed on disk. Run 'systemctl daemon-reload' to reload units.", d.ID)
	}
}

func (c *sctl) job(jobType, name string) (jobResult, *busError) {
	d, changed := c.e.lookup(name)
	m, _ := loadManager(c.p.Host)
	st := m.Units[d.ID]
	active := st != nil && (st.Active == "active" || st.Active == "reloading" || st.Active == "activating")
	key := "RefuseManualStart"
	if jobType == "stop" {
		key = "RefuseManualStop"
	}
	if err := refuseManual(d, key); err != nil {
		return jobResult{}, err
	}
	switch jobType {
	case "start":
		res, err := c.e.start(d)
		if err == nil {
			c.warnChanged(d, changed)
		}
		return res, err
	case "stop":
		if d.LoadState != "loaded" && st == nil {
			if d.LoadState == "masked" {
				// stopping a masked unit is allowed
				return jobResult{unit: d.ID, result: "done"}, nil
			}
			return jobResult{}, &busError{"not-loaded", fmt.Sprintf("Unit %s not loaded.", d.ID)}
		}
		c.warnChanged(d, changed)
		c.e.stop(d)
		c.warnTriggering(d.ID)
		return jobResult{unit: d.ID, result: "done"}, nil
	case "restart", "try-restart":
		if err := loadErr(d); err != nil {
			return jobResult{}, err
		}
		if jobType == "try-restart" && !active {
			c.warnChanged(d, changed)
			return jobResult{unit: d.ID, result: "done"}, nil
		}
		c.warnChanged(d, changed)
		if active {
			c.e.stop(d)
		}
		res, err := c.e.start(d)
		return res, err
	case "reload", "reload-or-restart", "reload-or-try-restart":
		if err := loadErr(d); err != nil {
			return jobResult{}, err
		}
		canReload := unitType(d.ID) == "service" && len(d.File.list("Service", "ExecReload")) > 0
		if jobType == "reload" {
			if !canReload {
				return jobResult{}, &busError{"not-applicable", fmt.Sprintf("Job type reload is not applicable for unit %s.", d.ID)}
			}
			c.warnChanged(d, changed)
			if !active {
				return jobResult{unit: d.ID, result: "invalid"}, nil
			}
			c.reload(d)
			return jobResult{unit: d.ID, result: "done"}, nil
		}
		c.warnChanged(d, changed)
		if !active {
			if jobType == "reload-or-try-restart" {
				return jobResult{unit: d.ID, result: "done"}, nil
			}
			return c.e.start(d)
		}
		if canReload {
			c.reload(d)
			return jobResult{unit: d.ID, result: "done"}, nil
		}
		c.e.stop(d)
		return c.e.start(d)
	}
	return jobResult{}, &busError{"not-applicable", "unsupported job type"}
}

// reload logs the reload; the daemons are not re-executed (stunnel keeps
// its old configuration when the new one is invalid, so nothing changes).
func (c *sctl) reload(d *unitDef) {
	journal(c.p.Host, sysLog(c.p.Host, d.ID, "Reloading %s...", d.description()), sysLog(c.p.Host, d.ID, "Reloaded %s.", d.description()))
}

// warnTriggering is warn_triggering_units for a stopped unit whose timer is
// still active.
func (c *sctl) warnTriggering(id string) {
	if c.o.quiet {
		return
	}
	m, err := loadManager(c.p.Host)
	if err != nil {
		return
	}
	var active []string
	for _, t := range triggeredBy(m, id) {
		if u := m.Units[t]; u != nil && (u.Active == "active" || u.Active == "reloading") {
			active = append(active, t)
		}
	}
	if len(active) == 0 {
		return
	}
	errw(c.p, "Warning: Stopping %s, but it can still be activated by:", id)
	for _, t := range active {
		errw(c.p, "  %s", t)
	}
}

func (c *sctl) isActive(verb string, names []string) int {
	if c.tooFew(names) {
		return 1
	}
	m, _ := loadManager(c.p.Host)
	ok := false
	for _, n := range names {
		d := resolveUnit(c.p.Host, mangleUnitName(n))
		state := "inactive"
		if u := m.Units[d.ID]; u != nil && u.Active != "" {
			state = u.Active
		}
		if !c.o.quiet {
			outw(c.p.Stdout, "%s", state)
		}
		if verb == "is-active" && (state == "active" || state == "reloading") || verb == "is-failed" && state == "failed" {
			ok = true
		}
	}
	if ok {
		return 0
	}
	if verb == "is-failed" {
		return 1
	}
	return 3
}

func (c *sctl) isEnabled(names []string) int {
	if c.tooFew(names) {
		return 1
	}
	enabled := false
	for _, n := range names {
		name := mangleUnitName(n)
		d := resolveUnit(c.p.Host, name)
		if d.FragmentPath == "" {
			errw(c.p, "Failed to get unit file state for %s: No such file or directory", name)
			return 1
		}
		s := unitFileState(c.p.Host, d)
		if !c.o.quiet {
			outw(c.p.Stdout, "%s", s)
		}
		switch s {
		case "enabled", "enabled-runtime", "static", "alias", "indirect", "generated":
			enabled = true
		}
	}
	if enabled {
		return 0
	}
	return 1
}

func (c *sctl) resetFailed(names []string) int {
	if !c.p.User.IsRoot() {
		errw(c.p, "Failed to reset failed state of unit %s: Interactive authentication required.", strings.Join(names, " "))
		return 1
	}
	_ = updateManager(c.p.Host, func(m *managerState) error {
		for id, u := range m.Units {
			if len(names) > 0 && !contains(mangleAll(names), id) {
				continue
			}
			if u.Active == "failed" {
				u.Active, u.Sub, u.Result = "inactive", "dead", "success"
			}
		}
		return nil
	})
	return 0
}

func mangleAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = mangleUnitName(n)
	}
	return out
}

// view gathers what status and show print about one unit.
func (c *sctl) view(name string) (statusView, *unitDef, *unitState, bool) {
	h := c.p.Host
	d, changed := c.e.lookup(name)
	m, _ := loadManager(h)
	st := m.Units[d.ID]
	v := statusView{ID: d.ID, Description: d.description(), LoadState: d.LoadState, FragmentPath: d.FragmentPath, DropIns: d.DropIns, NeedReload: changed}
	if d.LoadState == "masked" || d.LoadState == "bad-setting" {
		v.FragmentPath = "/dev/null"
		v.Description = d.ID
		v.LoadError = loadErr(d).msg
	}
	if fresh := resolveUnit(h, name); fresh.FragmentPath != "" || fresh.LoadState == "masked" {
		v.UnitFileState = unitFileState(h, fresh)
		v.Preset = presetFor(h, d.ID)
	}
	v.Active, v.Sub, v.Result = "inactive", "dead", ""
	if st != nil {
		v.Active, v.Sub, v.Result = st.Active, st.Sub, st.Result
		switch v.Active {
		case "active", "reloading":
			v.Since = st.ActiveEnter
		case "inactive", "failed":
			v.Since = st.InactiveEnter
		case "activating":
			v.Since = st.InactiveExit
		default:
			v.Since = st.ActiveExit
		}
		v.Processes = st.Processes
		v.MainPID = st.MainPID
		v.MainRunning = st.MainPID > 0
		v.MainCmd = st.MainCmd
		if st.MainPID == 0 && st.ExecMainPID > 0 && st.ExecMainCode != "" {
			v.MainPID = st.ExecMainPID
			v.ExecMainExited = true
			v.ExecMainStatus = st.ExecMainState
		}
		if v.MainRunning {
			v.CGroup = "/system.slice/" + d.ID
		}
	}
	if d.File != nil {
		v.Docs = append(v.Docs, d.File.words("Unit", "Documentation")...)
	}
	for _, t := range triggeredBy(m, d.ID) {
		a := "inactive"
		if u := m.Units[t]; u != nil {
			a = u.Active
		}
		v.TriggeredBy = append(v.TriggeredBy, triggerRef{Unit: t, Active: a})
	}
	if unitType(d.ID) == "timer" && d.LoadState == "loaded" {
		v.IsTimer = true
		target := triggerTarget(d)
		a := "inactive"
		if u := m.Units[target]; u != nil {
			a = u.Active
		}
		v.Triggers = []triggerRef{{Unit: target, Active: a}}
		if st != nil && st.Active == "active" {
			if next, ok := timerNext(d, st, m.Units[target], m.Boot); ok {
				v.NextElapse = next
			}
		}
	}
	return v, d, st, d.LoadState != "not-found" || st != nil
}

func (c *sctl) status(names []string) int {
	if c.tooFew(names) {
		return 1
	}
	ret := 0
	first := true
	for _, n := range names {
		name := mangleUnitName(n)
		v, d, _, found := c.view(name)
		if !found {
			errw(c.p, "Unit %s could not be found.", name)
			ret = 4
			continue
		}
		if c.p.User.IsRoot() {
			v.Journal = c.unitJournal(d.ID, c.o.lines)
		}
		out, warn := renderStatus(v, c.p.Host.Now(), c.g)
		if !first {
			fmt.Fprintln(c.p.Stdout)
		}
		first = false
		fmt.Fprint(c.p.Stdout, out)
		fmt.Fprint(c.p.Stderr, warn)
		if ret == 0 && v.Active != "active" && v.Active != "reloading" {
			ret = 3
		}
	}
	return ret
}

func (c *sctl) unitJournal(id string, n int) []string {
	if n <= 0 {
		return nil
	}
	s, err := sim.Load[journalState](c.p.Host, journalStateName)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range s.Entries {
		if e.Unit == id {
			out = append(out, fmtJournalLine(c.p.Host.Name, e))
		}
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}

// show prints Key=Value properties in the manager's property order.
func (c *sctl) show(names []string) int {
	if len(names) == 0 {
		names = []string{""}
	}
	first := true
	for _, n := range names {
		var props []kv
		if n == "" {
			props = []kv{{"Version", "252-51.el9"}, {"Architecture", "x86-64"}, {"SystemState", "running"}, {"DefaultStandardOutput", "journal"}}
		} else {
			props = c.properties(mangleUnitName(n))
		}
		if !first {
			fmt.Fprintln(c.p.Stdout)
		}
		first = false
		for _, p := range props {
			if len(c.o.props) > 0 && !contains(c.o.props, p.k) {
				continue
			}
			if !c.o.all && len(c.o.props) == 0 && p.v == "" {
				continue
			}
			if c.o.value {
				outw(c.p.Stdout, "%s", p.v)
			} else {
				outw(c.p.Stdout, "%s=%s", p.k, p.v)
			}
		}
	}
	return 0
}

type kv struct{ k, v string }

func (c *sctl) properties(name string) []kv {
	v, d, st, _ := c.view(name)
	var props []kv
	yesno := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	typ := unitType(v.ID)
	if typ == "service" {
		t, restart := "", ""
		if d.File != nil && d.LoadState == "loaded" {
			t, restart = serviceType(d), d.File.get("Service", "Restart")
		}
		if restart == "" {
			restart = "no"
		}
		res := v.Result
		if res == "" {
			res = "success"
		}
		execStatus, execCode, execPID := "0", "0", "0"
		if st != nil {
			execStatus = strconv.Itoa(st.ExecMainState)
			execPID = strconv.Itoa(st.ExecMainPID)
			if st.ExecMainCode == "exited" {
				execCode = "1"
			}
		}
		props = append(props, kv{"Type", t}, kv{"Restart", restart}, kv{"Result", res}, kv{"MainPID", strconv.Itoa(v.MainPID * b2i(v.MainRunning))},
			kv{"ExecMainPID", execPID}, kv{"ExecMainCode", execCode}, kv{"ExecMainStatus", execStatus})
	}
	if typ == "timer" && d.LoadState == "loaded" {
		last := ""
		if st != nil {
			last = fmtTimestamp(st.LastTrigger)
		}
		props = append(props, kv{"Unit", triggerTarget(d)}, kv{"NextElapseUSecRealtime", fmtTimestamp(v.NextElapse)}, kv{"LastTriggerUSec", last})
	}
	unitFileState := v.UnitFileState
	preset := v.Preset
	if d.LoadState == "not-found" {
		preset = ""
	}
	var ae, ax, ie, ix, sc string
	if st != nil {
		ae, ax, ie, ix, sc = fmtTimestamp(st.ActiveEnter), fmtTimestamp(st.ActiveExit), fmtTimestamp(st.InactiveEnter), fmtTimestamp(st.InactiveExit), fmtTimestamp(st.StateChange)
	}
	var wants, requires, after, triggers, triggeredByL string
	if d.File != nil {
		wants = strings.Join(d.File.words("Unit", "Wants"), " ")
		requires = strings.Join(d.File.words("Unit", "Requires"), " ")
		after = strings.Join(d.File.words("Unit", "After"), " ")
	}
	for _, t := range v.Triggers {
		triggers = t.Unit
	}
	var tb []string
	for _, t := range v.TriggeredBy {
		tb = append(tb, t.Unit)
	}
	triggeredByL = strings.Join(tb, " ")
	desc := v.Description
	frag := d.FragmentPath
	if d.LoadState == "not-found" {
		frag = ""
	}
	props = append(props,
		kv{"Id", v.ID}, kv{"Names", v.ID}, kv{"Requires", requires}, kv{"Wants", wants}, kv{"TriggeredBy", triggeredByL}, kv{"Triggers", triggers}, kv{"After", after},
		kv{"Description", desc}, kv{"LoadState", v.LoadState}, kv{"ActiveState", v.Active}, kv{"FreezerState", "running"}, kv{"SubState", v.Sub},
		kv{"FragmentPath", frag}, kv{"DropInPaths", strings.Join(d.DropIns, " ")}, kv{"UnitFileState", unitFileState}, kv{"UnitFilePreset", preset},
		kv{"StateChangeTimestamp", sc}, kv{"InactiveExitTimestamp", ix}, kv{"ActiveEnterTimestamp", ae}, kv{"ActiveExitTimestamp", ax}, kv{"InactiveEnterTimestamp", ie},
		kv{"CanStart", yesno(d.LoadState == "loaded")}, kv{"CanStop", yesno(d.LoadState == "loaded")},
		kv{"CanReload", yesno(d.File != nil && len(d.File.list("Service", "ExecReload")) > 0)},
		kv{"NeedDaemonReload", yesno(v.NeedReload)})
	return props
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cat prints the fragment and drop-ins as the manager loaded them.
func (c *sctl) cat(names []string) int {
	if c.tooFew(names) {
		return 1
	}
	first := true
	for _, n := range names {
		name := mangleUnitName(n)
		d, changed := c.e.lookup(name)
		if d.LoadState == "masked" {
			errw(c.p, "Unit %s is masked.", d.ID)
			return 1
		}
		if d.FragmentPath == "" {
			errw(c.p, "No files found for %s.", name)
			return 1
		}
		c.warnChanged(d, changed)
		for _, f := range append([]string{d.FragmentPath}, d.DropIns...) {
			if !first {
				fmt.Fprintln(c.p.Stdout)
			}
			first = false
			fmt.Fprintf(c.p.Stdout, "# %s\n", f)
			text := d.Texts[f]
			fmt.Fprint(c.p.Stdout, text)
			if text != "" && !strings.HasSuffix(text, "\n") {
				fmt.Fprintln(c.p.Stdout)
			}
		}
	}
	return 0
}

// listTimers prints the active timers in list-timers' table.
func (c *sctl) listTimers() int {
	h := c.p.Host
	m, _ := loadManager(h)
	now := h.Now()
	type row struct{ next, left, last, passed, unit, activates string }
	var rows []row
	ids := make([]string, 0, len(m.Units))
	for id := range m.Units {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		u := m.Units[id]
		if unitType(id) != "timer" || u.Snapshot == nil || (u.Active != "active" && !c.o.all) {
			continue
		}
		d := u.Snapshot.def()
		target := triggerTarget(d)
		r := row{next: "-", left: "-", last: "-", passed: "-", unit: id, activates: target}
		if u.Active == "active" {
			if next, ok := timerNext(d, u, m.Units[target], m.Boot); ok {
				r.next, r.left = fmtTimestamp(next), strings.TrimSuffix(fmtRelative(next, now), " left")+" left"
				if !next.After(now) {
					r.left = "-"
				}
			}
		}
		if !u.LastTrigger.IsZero() {
			r.last, r.passed = fmtTimestamp(u.LastTrigger), fmtRelative(u.LastTrigger, now)
		}
		rows = append(rows, r)
	}
	table := [][]string{{"NEXT", "LEFT", "LAST", "PASSED", "UNIT", "ACTIVATES"}}
	for _, r := range rows {
		table = append(table, []string{r.next, r.left, r.last, r.passed, r.unit, r.activates})
	}
	fmt.Fprint(c.p.Stdout, renderPlainTable(table, nil))
	fmt.Fprintln(c.p.Stdout)
	if len(rows) == 1 {
		outw(c.p.Stdout, "1 timers listed.")
	} else {
		outw(c.p.Stdout, "%d timers listed.", len(rows))
	}
	if !c.o.all {
		outw(c.p.Stdout, "Pass --all to see loaded but inactive timers, too.")
	}
	return 0
}
