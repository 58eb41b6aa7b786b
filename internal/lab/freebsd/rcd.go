package freebsd

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// An rc.d script in the tree is read for its metadata the way rc.subr sees
// it: its header is sourced (name=, rcvar=, command=, pidfile=, procname=,
// required_files=, extra_commands=, start_precmd=, ..., with load_rc_config
// sourcing rc.conf in the middle). Its shell functions are not run: a
// function named by start_precmd, start_cmd, ... runs its Go counterpart in
// rcFuncs (a name without one is a no-op). run_rc_command is emulated below.

// rcScriptCmd returns the emulation of the rc.d script at path.
func rcScriptCmd(path string) sim.Command {
	return func(p *sim.Proc) int { return runRCScript(p, path, p.Args[1:]) }
}

func runRCScript(p *sim.Proc, path string, args []string) int {
	r, code := loadRC(p, path, args)
	if r == nil {
		return code
	}
	return r.run()
}

// rcRun is one invocation of run_rc_command.
type rcRun struct {
	p     *sim.Proc
	path  string // $0
	v     shVars
	arg   string // rc_arg without its prefix
	pref  string // "one", "force", "quiet" or ""
	fast  bool
	force bool
	quiet bool
	extra []string
	pid   []int // rc_pid
	// restartDone stops a restart from running twice (_rc_restart_done).
	restartDone bool
}

// loadRC sources the script header for an invocation with args.
func loadRC(p *sim.Proc, path string, args []string) (*rcRun, int) {
	data, err := p.Host.Tree.ReadFile(p.User, path)
	if err != nil {
		fmt.Fprintf(p.Stderr, "%s: %s\n", path, errText(err))
		return nil, 126
	}
	f, err := parseSh(path, data)
	if err != nil {
		fmt.Fprintln(p.Stderr, err)
		return nil, 2
	}
	v := shVars{"0": path}
	for i, a := range args {
		v[strconv.Itoa(i+1)] = a
	}
	e := newShEval(v)
	e.hooks["."] = func([]string) {} // /etc/rc.subr is emulated, not read
	e.hooks["load_rc_config"] = func(a []string) {
		name := ""
		for _, s := range a {
			if s != "-s" && s != "--safe" && s != "-v" && s != "--verify" {
				name = s
			}
		}
		loadRCConfig(treeFS{p}, v, name)
	}
	e.source(f)
	r := &rcRun{p: p, path: path, v: v}
	if len(args) > 0 {
		r.arg = args[0]
		r.extra = args[1:]
	}
	return r, 0
}

// loadRCConfig is rc.subr's load_rc_config: defaults, rc_conf_files, then
// /etc/rc.conf.d/NAME and ${local_startup%/rc.d}/rc.conf.d/NAME.
func loadRCConfig(v vfs, vars shVars, name string) {
	c := newRCConf(v, nil)
	e := c.newEval(vars)
	if _, ok := vars["_rc_conf_loaded"]; !ok {
		switch {
		case c.readable(c.defaults):
			c.sourceFile(e, c.defaults)
			c.sourceConfs(e)
		case c.readable("/etc/rc.conf"):
			c.sourceFile(e, "/etc/rc.conf")
		}
		vars["_rc_conf_loaded"] = "true"
	}
	if name == "" {
		return
	}
	for _, d := range append([]string{"/etc"}, strings.Fields(vars["local_startup"])...) {
		dir := strings.TrimSuffix(d, "/rc.d") + "/rc.conf.d/" + name
		fi, err := v.Stat(dir)
		switch {
		case err != nil:
		case fi.Mode.IsRegular():
			c.sourceFile(e, dir)
		case fi.IsDir():
			list, _ := v.ReadDir(dir)
			for _, f := range list {
				if f.Mode.IsRegular() {
					c.sourceFile(e, dir+"/"+f.Name)
				}
			}
		}
	}
}

func (r *rcRun) name() string     { return r.v["name"] }
func (r *rcRun) rcvar() string    { return r.v["rcvar"] }
func (r *rcRun) pidfile() string  { return r.v["pidfile"] }
func (r *rcRun) command() string  { return firstNonEmpty(r.v[r.name()+"_program"], r.v["command"]) }
func (r *rcRun) procname() string { return firstNonEmpty(r.v["procname"], r.command()) }
func (r *rcRun) out() io.Writer   { return r.p.Stdout }

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// warn is rc.subr's warn: stderr and syslog, prefixed with $0.
func (r *rcRun) warn(format string, a ...any) {
	msg := fmt.Sprintf("%s: WARNING: %s", r.path, fmt.Sprintf(format, a...))
	fmt.Fprintln(r.p.Stderr, msg)
	r.p.Host.Syslog(r.p.User.Name, msg)
}

// checkyesno warns about a value that is neither yes nor no.
func (r *rcRun) checkyesno(varname string) bool {
	yes, valid := checkYesNo(r.v[varname])
	if !valid {
		r.warn("$%s is not set properly - see rc.conf(5).", varname)
	}
	return yes
}

func (r *rcRun) keywords() []string {
	k := []string{"start", "stop", "restart", "rcvar", "enable", "disable", "delete", "enabled", "describe", "extracommands"}
	k = append(k, strings.Fields(r.v["extra_commands"])...)
	if r.procname() != "" {
		k = append(k, "status", "poll")
	} else if r.v["status_cmd"] != "" {
		k = append(k, "status")
	}
	return k
}

func (r *rcRun) usage() int {
	fmt.Fprintf(r.p.Stderr, "Usage: %s [fast|force|one|quiet](%s)\n", r.path, strings.Join(r.keywords(), "|"))
	return 1
}

// findPID is the _pidcmd of run_rc_command: check_pidfile or check_process.
func (r *rcRun) findPID() []int {
	procname := r.procname()
	if procname == "" {
		return nil
	}
	t := loadProcs(r.p.Host)
	if pf := r.pidfile(); pf != "" {
		data, err := r.p.Host.Tree.ReadFile(r.p.User, pf)
		if err != nil {
			return nil
		}
		f := strings.Fields(string(data))
		if len(f) == 0 {
			return nil
		}
		pid, err := strconv.Atoi(f[0])
		if err != nil || !t.pidAlive(pid, procname) {
			return nil
		}
		return []int{pid}
	}
	return t.byName(procname)
}

func pidList(p []int) string {
	s := make([]string, len(p))
	for i, x := range p {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, " ")
}

// run is run_rc_command "$1".
func (r *rcRun) run() int {
	if r.name() == "" {
		fmt.Fprintf(r.p.Stderr, "%s: ERROR: run_rc_command: $name is not set.\n", r.path)
		return 3
	}
	switch {
	case strings.HasPrefix(r.arg, "fast"):
		r.arg, r.fast, r.quiet = strings.TrimPrefix(r.arg, "fast"), true, true
	case strings.HasPrefix(r.arg, "force"):
		r.arg, r.pref, r.force = strings.TrimPrefix(r.arg, "force"), "force", true
		if r.rcvar() != "" {
			r.v[r.rcvar()] = "YES"
		}
	case strings.HasPrefix(r.arg, "one"):
		r.arg, r.pref = strings.TrimPrefix(r.arg, "one"), "one"
		if r.rcvar() != "" {
			r.v[r.rcvar()] = "YES"
		}
	case strings.HasPrefix(r.arg, "quiet"):
		r.arg, r.pref, r.quiet = strings.TrimPrefix(r.arg, "quiet"), "quiet", true
	}
	if r.arg == "" {
		return r.usage()
	}
	if r.arg == "enabled" {
		if r.checkyesno(r.rcvar()) {
			return 0
		}
		return 1
	}
	r.pid = r.findPID()
	if !contains(r.keywords(), r.arg) {
		fmt.Fprintf(r.p.Stderr, "%s: unknown directive '%s'.\n", r.path, r.arg)
		return r.usage()
	}
	a := r.arg
	if rv := r.rcvar(); rv != "" && (a != "rcvar" && a != "stop" && a != "delete" && a != "enable" && a != "describe" && a != "status" ||
		a == "stop" && len(r.pid) == 0) {
		if !r.checkyesno(rv) {
			if !r.quiet {
				fmt.Fprintf(r.out(), "Cannot '%s' %s. Set %s to YES in /etc/rc.conf or use 'one%s' instead of '%s'.\n", a, r.name(), rv, a, a)
			}
			return 0
		}
	}
	if a == "start" && !r.fast && len(r.pid) > 0 {
		if !r.quiet {
			fmt.Fprintf(r.p.Stderr, "%s already running?  (pid=%s).\n", r.name(), pidList(r.pid))
		}
		return 1
	}
	if cmd := r.v[a+"_cmd"]; cmd != "" {
		if a == "start" || a == "restart" || a == "reload" {
			if !r.setup() {
				r.warn("failed to setup %s", r.name())
			}
		}
		if !r.precmd() {
			return 1
		}
		ret := r.call(cmd)
		if ret != 0 && !r.force {
			return 1
		}
		if pc := r.v[a+"_postcmd"]; pc != "" {
			ret = r.call(pc)
		}
		return ret
	}
	return r.defaultOp()
}

// call runs a method named in the script (start_cmd=..., start_precmd=...).
func (r *rcRun) call(cmd string) int {
	f := strings.Fields(cmd)
	if len(f) == 0 || f[0] == ":" {
		return 0
	}
	if fn := rcFuncs[f[0]]; fn != nil {
		return fn(r)
	}
	return 0
}

func (r *rcRun) setup() bool {
	if r.restartDone {
		return true
	}
	if s := r.v[r.name()+"_setup"]; s != "" {
		return r.call(s) == 0
	}
	return true
}

// precmd is _run_rc_precmd: required_* checks, then ${rc_arg}_precmd, then modules.
func (r *rcRun) precmd() bool {
	if !r.checkRequiredBefore() {
		return false
	}
	if pc := r.v[r.arg+"_precmd"]; pc != "" {
		if r.call(pc) != 0 && !r.force {
			return false
		}
	}
	return r.checkRequiredAfter()
}

func (r *rcRun) checkRequiredBefore() bool {
	if r.arg != "start" {
		return true
	}
	for _, v := range strings.Fields(r.v["required_vars"]) {
		if !r.checkyesno(v) {
			r.warn("$%s is not enabled.", v)
			if !r.force {
				return false
			}
		}
	}
	for _, d := range strings.Fields(r.v["required_dirs"]) {
		if fi, err := r.p.Host.Tree.Stat(d); err != nil || !fi.IsDir() {
			r.warn("%s is not a directory.", d)
			if !r.force {
				return false
			}
		}
	}
	for _, f := range strings.Fields(r.v["required_files"]) {
		if _, err := r.p.Host.Tree.ReadFile(r.p.User, f); err != nil {
			r.warn("%s is not readable.", f)
			if !r.force {
				return false
			}
		}
	}
	return true
}

func (r *rcRun) checkRequiredAfter() bool {
	if r.arg != "start" {
		return true
	}
	for _, m := range strings.Fields(r.v["required_modules"]) {
		file, mod := m, m
		if i := strings.IndexAny(m, ":~"); i >= 0 {
			file, mod = m[:i], m[i+1:]
		}
		if !r.loadKLD(file, mod) && !r.force {
			return false
		}
	}
	return true
}

// loadKLD is rc.subr's load_kld -m MOD FILE.
func (r *rcRun) loadKLD(file, mod string) bool {
	var errb bytes.Buffer
	loaded := false
	err := sim.Update(r.p.Host, kldState, func(s *kldTable) error {
		s.init()
		if s.findModule(mod) != nil {
			loaded = true
			return nil
		}
		if !r.p.User.IsRoot() {
			fmt.Fprintf(&errb, "kldload: can't load %s: Operation not permitted\n", file)
			return errKLD
		}
		if _, err := s.load(file); err != nil {
			fmt.Fprintf(&errb, "kldload: can't load %s: %s\n", file, err)
			return err
		}
		return nil
	})
	if loaded {
		return true
	}
	if err != nil {
		_, _ = io.Copy(r.p.Stderr, &errb)
		r.warn("Unable to load kernel module %s", file)
		return false
	}
	return true
}

// defaultOp is the "case $rc_arg in" of run_rc_command.
func (r *rcRun) defaultOp() int {
	name := r.name()
	switch r.arg {
	case "describe":
		if d := r.v["desc"]; d != "" {
			fmt.Fprintln(r.out(), d)
		}
	case "extracommands":
		fmt.Fprintln(r.out(), r.v["extra_commands"])
	case "enable", "disable":
		val, word := "YES", "enabled"
		if r.arg == "disable" {
			val, word = "NO", "disabled"
		}
		var out bytes.Buffer
		if runSysrc(treeFS{r.p}, nil, []string{"-vs", name, r.rcvar() + "=" + val}, &out, r.p.Stderr) == 0 {
			s := out.String()
			if i := strings.Index(s, ":"); i >= 0 {
				s = s[:i]
			}
			fmt.Fprintf(r.out(), "%s %s in %s\n", name, word, strings.TrimRight(s, "\n"))
		}
	case "delete":
		return r.deleteRCVar()
	case "status":
		if !r.precmd() {
			return 1
		}
		if len(r.pid) == 0 {
			fmt.Fprintf(r.out(), "%s is not running.\n", name)
			return 1
		}
		fmt.Fprintf(r.out(), "%s is running as pid %s.\n", name, pidList(r.pid))
		if pc := r.v["status_postcmd"]; pc != "" {
			return r.call(pc)
		}
	case "start":
		return r.start()
	case "stop":
		return r.stop()
	case "reload":
		if len(r.pid) == 0 {
			r.notRunning()
			return 1
		}
		if !r.setup() {
			r.warn("failed to setup %s", name)
		}
		if !r.precmd() {
			return 1
		}
		r.signal("HUP")
		if pc := r.v["reload_postcmd"]; pc != "" {
			return r.call(pc)
		}
	case "restart":
		if !r.setup() {
			r.warn("failed to setup %s", name)
		}
		if r.restartDone {
			return 0
		}
		r.restartDone = true
		if !r.precmd() {
			return 1
		}
		r.sub(r.pref + "stop")
		ret := r.sub(r.pref + "start")
		if ret != 0 && !r.force {
			return 1
		}
		if pc := r.v["restart_postcmd"]; pc != "" {
			return r.call(pc)
		}
		return ret
	case "poll":
		return 0
	case "rcvar":
		r.printRCVar()
	default:
		return r.usage()
	}
	return 0
}

// sub is "( run_rc_command ARG )": a fresh run on a copy of the variables.
func (r *rcRun) sub(arg string) int {
	s := &rcRun{p: r.p, path: r.path, v: r.v.clone(), arg: arg, extra: r.extra}
	return s.run()
}

func (r *rcRun) notRunning() {
	msg := ""
	if pf := r.pidfile(); pf != "" {
		msg = " (check " + pf + ")."
	}
	fmt.Fprintf(r.p.Stderr, "%s not running?%s\n", r.name(), msg)
}

func (r *rcRun) start() int {
	name := r.name()
	cmd := r.command()
	fi, err := r.p.Host.Tree.Stat(cmd)
	if cmd == "" || err != nil || fi.IsDir() || fi.Mode&0o111 == 0 {
		r.warn("run_rc_command: cannot run %s", cmd)
		return 1
	}
	if !r.setup() {
		r.warn("failed to setup %s", name)
	}
	if !r.precmd() {
		r.warn("failed precmd routine for %s", name)
		return 1
	}
	if yes, valid := checkYesNo(r.v["rc_startmsgs"]); yes || !valid && r.v["rc_startmsgs"] == "" {
		fmt.Fprintf(r.out(), "Starting %s.\n", name)
	}
	if !r.startDaemon() {
		r.warn("failed to start %s", name)
		return 1
	}
	if pc := r.v["start_postcmd"]; pc != "" {
		return r.call(pc)
	}
	return 0
}

// startDaemon runs $command: a lab daemon is a process-table entry and,
// if the script names one, its pid file.
func (r *rcRun) startDaemon() bool {
	cmd := r.command()
	if !r.p.User.IsRoot() {
		return false
	}
	hook := daemonHooks[r.procname()]
	if hook.check != nil && !hook.check(r) {
		return false
	}
	var pid int
	err := sim.Update(r.p.Host, procsState, func(t *procs) error {
		pid = t.spawn(r.procname(), strings.TrimSpace(cmd+" "+r.v["rc_flags"]+" "+r.v[r.name()+"_flags"]+" "+r.v["command_args"]), firstNonEmpty(r.v[r.name()+"_user"], "root"))
		return nil
	})
	if err != nil {
		return false
	}
	if pf := r.pidfile(); pf != "" {
		writePidfile(r.p, pf, pid)
	}
	if hook.started != nil {
		hook.started(r)
	}
	return true
}

func writePidfile(p *sim.Proc, pf string, pid int) {
	root := rootUser()
	dir := pf[:strings.LastIndexByte(pf, '/')]
	_ = p.Host.Tree.MkdirAll(root, dir, 0o755)
	_ = p.Host.Tree.WriteFile(root, pf, []byte(strconv.Itoa(pid)+"\n"), 0o644)
}

func (r *rcRun) stop() int {
	if len(r.pid) == 0 {
		if r.fast {
			return 0
		}
		r.notRunning()
		return 1
	}
	if !r.precmd() {
		return 1
	}
	fmt.Fprintf(r.out(), "Stopping %s.\n", r.name())
	if !r.p.User.IsRoot() {
		fmt.Fprintf(r.p.Stderr, "kill: %s: Operation not permitted\n", pidList(r.pid))
		return 1
	}
	pids := r.pid
	_ = sim.Update(r.p.Host, procsState, func(t *procs) error {
		for _, pid := range pids {
			t.kill(pid)
		}
		return nil
	})
	if pf := r.pidfile(); pf != "" {
		_ = r.p.Host.Tree.Remove(rootUser(), pf)
	}
	if hook := daemonHooks[r.procname()]; hook.stopped != nil {
		hook.stopped(r)
	}
	if pc := r.v["stop_postcmd"]; pc != "" {
		return r.call(pc)
	}
	return 0
}

// signal delivers sig to the daemon (reload: SIGHUP).
func (r *rcRun) signal(sig string) {
	if hook := daemonHooks[r.procname()]; hook.hup != nil && sig == "HUP" {
		hook.hup(r)
	}
}

func (r *rcRun) printRCVar() {
	out := r.out()
	fmt.Fprintf(out, "# %s", r.name())
	if d := r.v["desc"]; d != "" {
		fmt.Fprintf(out, " : %s\n", d)
	} else {
		fmt.Fprintln(out)
	}
	fmt.Fprintln(out, "#")
	var vars []string
	for _, v := range append([]string{r.rcvar()}, strings.Fields(r.v["rcvars"])...) {
		if v != "" && !contains(vars, v) {
			vars = append(vars, v)
		}
	}
	for _, v := range vars {
		fmt.Fprintf(out, "%s=\"%s\"\n", v, r.v[v])
		if d := r.v[v+"_desc"]; d != "" {
			fmt.Fprintf(out, "# - %s\n", d)
		}
		fmt.Fprintf(out, "#   (default: \"%s\")\n", r.v[v+"_defval"])
	}
	fmt.Fprintln(out)
}

func (r *rcRun) deleteRCVar() int {
	var files []string
	c := newRCConf(treeFS{r.p}, nil)
	for _, f := range c.files() {
		if data, err := r.p.Host.Tree.ReadFile(r.p.User, f); err == nil && hasAssignment(data, assignRegexp(r.rcvar())) {
			files = append(files, f)
		}
	}
	if msg, ok := c.delete(r.rcvar()); !ok {
		fmt.Fprint(r.p.Stderr, msg)
		return 0
	}
	fmt.Fprintf(r.out(), "%s deleted in %s\n", r.rcvar(), strings.Join(files, " "))
	return 0
}

// forceDepend is rc.subr's force_depend: start a service this one needs.
func (r *rcRun) forceDepend(dep string) bool {
	path := "/etc/rc.d/" + dep
	var sink bytes.Buffer
	q := *r.p
	q.Stdout, q.Stderr = &sink, &sink
	if runRCScript(&q, path, []string{"forcestatus"}) == 0 {
		return true
	}
	if runRCScript(r.p, path, []string{"forcestart"}) != 0 {
		r.warn("Unable to force %s. It may already be running.", dep)
		return false
	}
	return true
}

// exists reports whether name is in the tree.
func exists(p *sim.Proc, name string) bool {
	_, err := p.Host.Tree.Stat(name)
	return err == nil
}

func rootUser() sim.User {
	return sim.User{Name: "root", UID: 0, GID: 0, Group: "wheel", Home: "/root"}
}

var _ fs.FileMode
