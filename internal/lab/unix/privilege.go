package unix

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// The simulated hosts have no terminal and no passwords: a rule that wants
// a password fails as the real tools fail without a terminal to ask on.

const doasConf = "/usr/local/etc/doas.conf"

// doasRule is one line of doas.conf(5).
type doasRule struct {
	permit   bool
	nopass   bool
	keepenv  bool
	identity string // "paul" or ":wheel"
	target   string // "" any
	cmd      string // "" any
	args     []string
	hasArgs  bool
}

// parseDoasConf reads doas.conf: "permit|deny [options] identity [as
// target] [cmd command [args ...]]", '#' comments, '\' line continuations.
// It returns the line number of the first syntax error.
func parseDoasConf(text string) ([]doasRule, int) {
	var rules []doasRule
	lines := strings.Split(strings.ReplaceAll(text, "\\\n", " "), "\n")
	for n, line := range lines {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		w := doasWords(line)
		if len(w) == 0 {
			continue
		}
		var r doasRule
		switch w[0] {
		case "permit":
			r.permit = true
		case "deny":
		default:
			return nil, n + 1
		}
		i := 1
	options:
		for ; i < len(w); i++ {
			switch w[i] {
			case "nopass":
				r.nopass = true
			case "keepenv":
				r.keepenv = true
			case "persist", "nolog":
			case "setenv":
				// setenv { VAR=value ... }: skip the braces.
				if i+1 >= len(w) || w[i+1] != "{" {
					return nil, n + 1
				}
				for i < len(w) && w[i] != "}" {
					i++
				}
				if i >= len(w) {
					return nil, n + 1
				}
			default:
				break options
			}
		}
		if i >= len(w) || !r.permit && (r.nopass || r.keepenv) {
			return nil, n + 1
		}
		r.identity = w[i]
		i++
		if i+1 < len(w) && w[i] == "as" {
			r.target = w[i+1]
			i += 2
		}
		if i < len(w) {
			if w[i] != "cmd" || i+1 >= len(w) {
				return nil, n + 1
			}
			r.cmd = w[i+1]
			i += 2
			if i < len(w) {
				if w[i] != "args" {
					return nil, n + 1
				}
				r.hasArgs = true
				r.args = w[i+1:]
			}
		}
		rules = append(rules, r)
	}
	return rules, 0
}

// doasWords splits a doas.conf line into words, honouring double quotes.
func doasWords(line string) []string {
	var out []string
	var cur strings.Builder
	in, inQuote := false, false
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case ch == '"':
			inQuote = !inQuote
			in = true
		case !inQuote && (ch == ' ' || ch == '\t'):
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		case !inQuote && (ch == '{' || ch == '}'):
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
			out = append(out, string(ch))
		default:
			cur.WriteByte(ch)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// doasPermit finds the last matching rule, as doas does.
func doasPermit(rules []doasRule, u sim.User, gids []group, target sim.User, argv []string) (doasRule, bool) {
	var last *doasRule
	for i := range rules {
		r := &rules[i]
		if strings.HasPrefix(r.identity, ":") {
			found := false
			for _, g := range gids {
				if g.Name == r.identity[1:] {
					found = true
				}
			}
			if !found {
				continue
			}
		} else if r.identity != u.Name {
			continue
		}
		if r.target != "" && r.target != target.Name {
			continue
		}
		if r.cmd != "" {
			if r.cmd != argv[0] {
				continue
			}
			if r.hasArgs && strings.Join(r.args, "\x00") != strings.Join(argv[1:], "\x00") {
				continue
			}
		}
		last = r
	}
	if last == nil {
		return doasRule{}, false
	}
	return *last, last.permit
}

// runDoas is doas(1) as the FreeBSD port (security/doas) builds it: -n,
// -u USER, -s, -C CONFIG (check only).
func runDoas(c *cmd) int {
	const use = "usage: doas [-nSs] [-a style] [-C config] [-u user] command [args]"
	o, argv, code, ok := c.parse(optSpec{short: "a:C:nSsu:"}, use, 1)
	if !ok {
		return code
	}
	root := rootUser(c.Host)
	target := root
	if name, has := o.last("u"); has {
		t, found := c.Host.LookupUser(name)
		if !found {
			c.errorf("unknown user")
			return 1
		}
		target = t
	}
	confPath, checkOnly := o.last("C")
	shell := o.has("s") || o.has("S")
	if checkOnly {
		if shell {
			return c.usage("", use, 1)
		}
	} else if shell == (len(argv) > 0) {
		return c.usage("", use, 1)
	}
	if shell {
		sh := getenv(c.Env, "SHELL")
		if sh == "" {
			sh = "/bin/sh"
		}
		argv = []string{sh}
	}
	readAs := root
	if checkOnly {
		readAs = c.User
	} else {
		confPath = doasConf
	}
	data, err := c.tree().ReadFile(readAs, confPath)
	if err != nil {
		if checkOnly {
			c.errorf("could not open config file %s: %s", confPath, errText(err))
		} else {
			c.errorf("doas is not enabled, %s: %s", confPath, errText(err))
		}
		return 1
	}
	if !checkOnly {
		fi, err := c.tree().Stat(confPath)
		if err == nil && fi.Mode.Perm()&0o022 != 0 {
			c.errorf("%s is writable by group or other", confPath)
			return 1
		}
		if err == nil && fi.UID != 0 {
			c.errorf("%s is not owned by root", confPath)
			return 1
		}
	}
	rules, bad := parseDoasConf(string(data))
	if bad > 0 {
		c.errorf("syntax error at line %d", bad)
		return 1
	}
	gids := memberships(c.groups(), c.User)
	if checkOnly {
		if len(argv) == 0 {
			return 0
		}
		r, permitted := doasPermit(rules, c.User, gids, target, argv)
		if permitted {
			if r.nopass {
				c.out("permit nopass\n")
			} else {
				c.out("permit\n")
			}
			return 0
		}
		c.out("deny\n")
		return 1
	}
	cmdline := strings.Join(argv, " ")
	r, permitted := doasPermit(rules, c.User, gids, target, argv)
	if !permitted {
		c.Host.Syslog("doas", fmt.Sprintf("failed command for %s: %s", c.User.Name, cmdline))
		c.errorf("Operation not permitted")
		return 1
	}
	if !r.nopass && !c.User.IsRoot() {
		if o.has("n") {
			c.errorf("Authorization required")
			return 1
		}
		c.Host.Syslog("doas", fmt.Sprintf("failed auth for %s", c.User.Name))
		c.errorf("authentication failed")
		return 1
	}
	env := []string{
		"DOAS_USER=" + c.User.Name, "HOME=" + target.Home, "LOGNAME=" + target.Name,
		"PATH=" + getenv(c.Env, "PATH"), "SHELL=/bin/sh", "USER=" + target.Name,
	}
	for _, k := range []string{"DISPLAY", "TERM"} {
		if v := getenv(c.Env, k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	if r.keepenv {
		env = append([]string(nil), c.Env...)
		env = setenv(env, "DOAS_USER", c.User.Name)
	}
	if r.cmd != "" {
		env = setenv(env, "PATH", "/bin:/sbin:/usr/bin:/usr/sbin:/usr/local/bin:/usr/local/sbin")
	}
	if _, found := c.lookPath(argv[0], target, env); !found {
		c.errorf("%s: command not found", argv[0])
		return 1
	}
	c.Host.Syslog("doas", fmt.Sprintf("%s ran command %s as %s from %s", c.User.Name, cmdline, target.Name, c.dir()))
	p := *c.Proc
	p.User = target
	p.Env = env
	return c.Host.Exec(&p, argv)
}

func (c *cmd) dir() string {
	if c.Dir == "" {
		return "/"
	}
	return c.Dir
}

// sudoRule is one user specification of sudoers(5).
type sudoRule struct {
	who      string // "paul", "%wheel", "ALL", "#1001"
	runas    []string
	nopasswd bool
	cmds     []string // "ALL" or "/path [args]"
}

// sudoers is the parsed policy.
type sudoers struct {
	rules      []sudoRule
	securePath string
}

// loadSudoers reads /etc/sudoers and its #includedir / @includedir
// directories; files failing sudo's ownership checks are reported and skipped.
func (c *cmd) loadSudoers() (sudoers, bool) {
	var s sudoers
	root := rootUser(c.Host)
	var load func(file string, top bool) bool
	load = func(file string, top bool) bool {
		fi, err := c.tree().Stat(file)
		if err != nil {
			if top {
				c.errorf("unable to open %s: %s", file, errText(err))
			}
			return false
		}
		switch {
		case fi.Mode.Perm()&0o002 != 0:
			c.errorf("%s is world writable", file)
			return false
		case fi.UID != 0:
			c.errorf("%s is owned by uid %d, should be 0", file, fi.UID)
			return false
		}
		data, err := c.tree().ReadFile(root, file)
		if err != nil {
			c.errorf("unable to open %s: %s", file, errText(err))
			return false
		}
		text := strings.ReplaceAll(string(data), "\\\n", " ")
		for _, line := range strings.Split(text, "\n") {
			line = strings.TrimSpace(line)
			if dir, ok := cutAny(line, "#includedir ", "@includedir "); ok {
				entries, err := c.tree().ReadDir(root, strings.TrimSpace(dir))
				if err != nil {
					continue
				}
				names := make([]string, 0, len(entries))
				for _, e := range entries {
					if e.IsDir() || strings.Contains(e.Name, ".") || strings.HasSuffix(e.Name, "~") {
						continue
					}
					names = append(names, e.Name)
				}
				sort.Strings(names)
				for _, n := range names {
					load(path.Join(strings.TrimSpace(dir), n), false)
				}
				continue
			}
			if inc, ok := cutAny(line, "#include ", "@include "); ok {
				load(strings.TrimSpace(inc), false)
				continue
			}
			if strings.HasPrefix(line, "#") || line == "" {
				continue
			}
			if rest, ok := strings.CutPrefix(line, "Defaults"); ok {
				rest = strings.TrimSpace(rest)
				if k, v, ok := strings.Cut(rest, "="); ok && strings.TrimSpace(k) == "secure_path" {
					s.securePath = strings.Trim(strings.TrimSpace(v), `"`)
				}
				continue
			}
			if r, ok := parseSudoRule(line); ok {
				s.rules = append(s.rules, r)
			}
		}
		return true
	}
	if !load("/etc/sudoers", true) {
		c.errorf("no valid sudoers sources found, quitting")
		return s, false
	}
	return s, true
}

func cutAny(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return "", false
}

// parseSudoRule reads "who host=(runas) [TAG:] cmd, cmd"; aliases and
// unusual forms are ignored (they never match).
func parseSudoRule(line string) (sudoRule, bool) {
	for _, alias := range []string{"User_Alias", "Runas_Alias", "Host_Alias", "Cmnd_Alias", "Cmd_Alias"} {
		if strings.HasPrefix(line, alias) {
			return sudoRule{}, false
		}
	}
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return sudoRule{}, false
	}
	r := sudoRule{who: fields[0], runas: []string{"root"}}
	rest := strings.TrimSpace(strings.TrimPrefix(line, fields[0]))
	_, spec, ok := strings.Cut(rest, "=")
	if !ok {
		return sudoRule{}, false
	}
	spec = strings.TrimSpace(spec)
	if strings.HasPrefix(spec, "(") {
		end := strings.IndexByte(spec, ')')
		if end < 0 {
			return sudoRule{}, false
		}
		users, _, _ := strings.Cut(spec[1:end], ":")
		r.runas = nil
		for _, u := range strings.Split(users, ",") {
			if u = strings.TrimSpace(u); u != "" {
				r.runas = append(r.runas, u)
			}
		}
		if len(r.runas) == 0 {
			r.runas = []string{"root"}
		}
		spec = strings.TrimSpace(spec[end+1:])
	}
	for {
		tag, rest, ok := strings.Cut(spec, ":")
		if !ok || strings.ContainsAny(tag, " /,") {
			break
		}
		switch strings.TrimSpace(tag) {
		case "NOPASSWD":
			r.nopasswd = true
		case "PASSWD":
			r.nopasswd = false
		}
		spec = strings.TrimSpace(rest)
	}
	for _, cmd := range strings.Split(spec, ",") {
		if cmd = strings.TrimSpace(cmd); cmd != "" {
			r.cmds = append(r.cmds, cmd)
		}
	}
	return r, len(r.cmds) > 0
}

// match reports whether r lets u run cmdPath with args as target.
func (r sudoRule) match(u sim.User, gs []group, target sim.User, cmdPath string, args []string) bool {
	switch {
	case r.who == "ALL", r.who == u.Name, r.who == fmt.Sprintf("#%d", u.UID):
	case strings.HasPrefix(r.who, "%"):
		found := false
		for _, g := range gs {
			if g.Name == r.who[1:] || fmt.Sprintf("%%#%d", g.GID) == r.who {
				found = true
			}
		}
		if !found {
			return false
		}
	default:
		return false
	}
	runasOK := false
	for _, ra := range r.runas {
		if ra == "ALL" || ra == target.Name {
			runasOK = true
		}
	}
	if !runasOK {
		return false
	}
	for _, cmd := range r.cmds {
		if cmd == "ALL" {
			return true
		}
		f := strings.Fields(cmd)
		if f[0] != cmdPath {
			continue
		}
		if len(f) == 1 {
			return true
		}
		want := f[1:]
		if len(want) == 1 && want[0] == `""` {
			want = nil
		}
		if strings.Join(want, " ") == strings.Join(args, " ") {
			return true
		}
	}
	return false
}

const sudoUsage = `usage: sudo -h | -K | -k | -V
usage: sudo -v [-AknS] [-g group] [-h host] [-p prompt] [-u user]
usage: sudo -l [-AknS] [-g group] [-h host] [-p prompt] [-U user] [-u user]
            [command]
usage: sudo [-AbEHknPS] [-r role] [-t type] [-C num] [-D directory] [-g group]
            [-h host] [-p prompt] [-R directory] [-T timeout] [-u user]
            [VAR=value] [-i|-s] [<command>]
usage: sudo -e [-AknS] [-r role] [-t type] [-C num] [-D directory] [-g group]
            [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] file ...`

// runSudo is sudo(8) 1.9 as Rocky 9 ships it: -n, -u USER, -E, -H, -i, -s,
// -k (accepted), "--"; the policy comes from /etc/sudoers and its includes.
func runSudo(c *cmd) int {
	args := c.args()
	var o opts
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		if strings.HasPrefix(a, "--") {
			key, lo, msg := matchLong(true, map[string]longOpt{
				"non-interactive": {"n", noArg}, "user": {"u", reqArg}, "preserve-env": {"E", optArg},
				"set-home": {"H", noArg}, "login": {"i", noArg}, "shell": {"s", noArg}, "reset-timestamp": {"k", noArg},
			}, strings.SplitN(a[2:], "=", 2)[0])
			if msg != "" {
				c.errorf("%s", msg)
				fmt.Fprintln(c.Stderr, sudoUsage)
				return 1
			}
			val := ""
			if _, v, has := strings.Cut(a, "="); has {
				val = v
			} else if lo.arg == reqArg {
				if i+1 >= len(args) {
					c.errorf("option '--%s' requires an argument", key)
					fmt.Fprintln(c.Stderr, sudoUsage)
					return 1
				}
				i++
				val = args[i]
			}
			o = append(o, option{key: lo.key, val: val})
			continue
		}
		for j := 1; j < len(a); j++ {
			ch := a[j]
			switch ch {
			case 'n', 'E', 'H', 'i', 's', 'k', 'S':
				o = append(o, option{key: string(ch)})
			case 'u':
				val := a[j+1:]
				if val == "" {
					if i+1 >= len(args) {
						c.errorf("option requires an argument -- 'u'")
						fmt.Fprintln(c.Stderr, sudoUsage)
						return 1
					}
					i++
					val = args[i]
				}
				o = append(o, option{key: "u", val: val})
				j = len(a)
			default:
				c.errorf("invalid option -- '%c'", ch)
				fmt.Fprintln(c.Stderr, sudoUsage)
				return 1
			}
		}
	}
	argv := args[i:]
	shell := o.has("i") || o.has("s")
	if len(argv) == 0 && !shell {
		if o.has("k") {
			return 0
		}
		fmt.Fprintln(c.Stderr, sudoUsage)
		return 1
	}
	root := rootUser(c.Host)
	target := root
	if name, has := o.last("u"); has {
		t, found := c.Host.LookupUser(strings.TrimPrefix(name, "#"))
		if !found {
			c.errorf("unknown user: %s", name)
			c.errorf("error initializing audit plugin sudoers_audit")
			return 1
		}
		target = t
	}
	pol, ok := c.loadSudoers()
	if !ok {
		return 1
	}
	if shell {
		sh := "/bin/bash"
		if len(argv) > 0 {
			argv = []string{sh, "-c", strings.Join(argv, " ")}
		} else {
			argv = []string{sh}
		}
	}
	searchPath := pol.securePath
	if searchPath == "" {
		searchPath = getenv(c.Env, "PATH")
	}
	cmdPath, found := c.lookPath(argv[0], target, []string{"PATH=" + searchPath})
	if !found {
		c.errorf("%s: command not found", argv[0])
		return 1
	}
	gs := memberships(c.groups(), c.User)
	allowed, nopasswd := false, false
	for _, r := range pol.rules {
		if r.match(c.User, gs, target, cmdPath, argv[1:]) {
			allowed, nopasswd = true, r.nopasswd
		}
	}
	logLine := fmt.Sprintf("%8s : PWD=%s ; USER=%s ; COMMAND=%s", c.User.Name, c.dir(), target.Name, strings.Join(append([]string{cmdPath}, argv[1:]...), " "))
	if !c.User.IsRoot() && (!allowed || !nopasswd) {
		// sudo authenticates before it tells a user what is not allowed.
		if !o.has("n") {
			c.errorf("a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper")
		}
		c.errorf("a password is required")
		c.Host.Syslog("sudo", fmt.Sprintf("%8s : a password is required ; PWD=%s ; USER=%s ; COMMAND=%s", c.User.Name, c.dir(), target.Name, cmdPath))
		return 1
	}
	c.Host.Syslog("sudo", logLine)
	env := []string{
		"HOME=" + target.Home, "LOGNAME=" + target.Name, "USER=" + target.Name, "USERNAME=" + target.Name,
		"SHELL=/bin/bash", "MAIL=/var/spool/mail/" + target.Name, "PATH=" + searchPath,
		"SUDO_USER=" + c.User.Name, fmt.Sprintf("SUDO_UID=%d", c.User.UID), fmt.Sprintf("SUDO_GID=%d", c.User.GID),
		"SUDO_COMMAND=" + strings.Join(append([]string{cmdPath}, argv[1:]...), " "),
	}
	for _, k := range []string{"TERM", "LANG", "LANGUAGE", "LC_ALL", "DISPLAY", "COLORS", "HOSTNAME"} {
		if v := getenv(c.Env, k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	if o.has("E") {
		env = append([]string(nil), c.Env...)
		for _, kv := range []string{"SUDO_USER=" + c.User.Name, "SUDO_COMMAND=" + cmdPath, "USER=" + target.Name, "HOME=" + target.Home} {
			k, v, _ := strings.Cut(kv, "=")
			env = setenv(env, k, v)
		}
	}
	p := *c.Proc
	p.User = target
	p.Env = env
	// sudoers(5): the command's umask is the union of the user's and
	// sudoers' umask option, 0022 by default.
	p.SetUmask(p.Umask() | 0o022)
	if o.has("i") {
		p.Dir = target.Home
	}
	return c.Host.Exec(&p, argv)
}
