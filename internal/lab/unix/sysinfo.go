package unix

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// The releases the lab simulates. FreeBSD 14.2-RELEASE (OpenZFS 2.2.6);
// Rocky Linux 9.4 (Blue Onyx) with its GA kernel.
const (
	freebsdRelease = "14.2-RELEASE"
	freebsdVersion = "FreeBSD 14.2-RELEASE releng/14.2-n269506-c8918d6c7412 GENERIC"
	freebsdOSRel   = "1402000"
	rockyKernel    = "5.14.0-427.13.1.el9_4.x86_64"
	rockyKVersion  = "#1 SMP PREEMPT_DYNAMIC Wed May 1 19:11:28 UTC 2024"
)

// hostName is the configured host name: FreeBSD's rc.conf hostname= (the
// last assignment in /etc/rc.conf, then /etc/rc.conf.local), Rocky's
// /etc/hostname; the host's lab name when neither is set.
func (c *cmd) hostName() string {
	root := rootUser(c.Host)
	if c.gnu {
		if data, err := c.tree().ReadFile(root, "/etc/hostname"); err == nil {
			if s := strings.TrimSpace(string(data)); s != "" {
				return s
			}
		}
		return c.Host.Name
	}
	name := ""
	for _, f := range []string{"/etc/rc.conf", "/etc/rc.conf.local"} {
		data, err := c.tree().ReadFile(root, f)
		if err != nil {
			continue
		}
		if v, ok := rcVar(string(data), "hostname"); ok {
			name = v
		}
	}
	if name == "" {
		return c.Host.Name
	}
	return name
}

// rcVar finds the last plain assignment of name in an rc.conf text.
func rcVar(text, name string) (string, bool) {
	val, found := "", false
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		rest, ok := strings.CutPrefix(line, name+"=")
		if !ok {
			continue
		}
		if i := strings.Index(rest, "#"); i >= 0 && !strings.HasPrefix(rest, `"`) && !strings.HasPrefix(rest, "'") {
			rest = rest[:i]
		}
		rest = strings.TrimSpace(rest)
		if len(rest) >= 1 && (rest[0] == '"' || rest[0] == '\'') {
			if j := strings.IndexByte(rest[1:], rest[0]); j >= 0 {
				rest = rest[1 : j+1]
			}
		}
		val, found = rest, true
	}
	return val, found
}

// runHostname is hostname(1) with -s, -f, -d. Setting the name is not
// simulated: the name comes from the configuration files.
func runHostname(c *cmd) int {
	o, args, code, ok := c.parse(optSpec{short: "fsd", long: map[string]longOpt{
		"short": {"s", noArg}, "fqdn": {"f", noArg}, "long": {"f", noArg}, "domain": {"d", noArg}, "help": {"help", noArg},
	}, permute: true}, "usage: hostname [-f | -s | -d] [name-of-host]", 1)
	if !ok {
		return code
	}
	if len(args) > 0 {
		if !c.User.IsRoot() {
			if c.gnu {
				c.errorf("you must be root to change the host name")
			} else {
				c.errorf("sethostname: Operation not permitted")
			}
			return 1
		}
		c.errorf("sethostname: Operation not supported")
		return 1
	}
	name := c.hostName()
	short, domain, _ := strings.Cut(name, ".")
	switch {
	case o.has("s"):
		c.out("%s\n", short)
	case o.has("d"):
		c.out("%s\n", domain)
	default:
		c.out("%s\n", name)
	}
	return 0
}

// runUname is uname(1).
func runUname(c *cmd) int {
	if c.gnu {
		o, args, code, ok := c.parse(optSpec{short: "asnrvmpio", permute: true, long: map[string]longOpt{
			"all": {"a", noArg}, "kernel-name": {"s", noArg}, "nodename": {"n", noArg}, "kernel-release": {"r", noArg},
			"kernel-version": {"v", noArg}, "machine": {"m", noArg}, "processor": {"p", noArg},
			"hardware-platform": {"i", noArg}, "operating-system": {"o", noArg}, "help": {"help", noArg},
		}}, "", 1)
		if !ok {
			return code
		}
		if len(args) > 0 {
			return c.usage("extra operand "+quote(args[0]), "", 1)
		}
		fields := []struct{ key, val string }{
			{"s", "Linux"}, {"n", c.hostName()}, {"r", rockyKernel}, {"v", rockyKVersion},
			{"m", "x86_64"}, {"p", "x86_64"}, {"i", "x86_64"}, {"o", "GNU/Linux"},
		}
		return c.printUname(o, fields, "s")
	}
	o, args, code, ok := c.parse(optSpec{short: "abiKmnoprsUv"}, "usage: uname [-abiKlmnoprsUv]", 1)
	if !ok {
		return code
	}
	if len(args) > 0 {
		return c.usage("", "usage: uname [-abiKlmnoprsUv]", 1)
	}
	fields := []struct{ key, val string }{
		{"s", "FreeBSD"}, {"n", c.hostName()}, {"r", freebsdRelease}, {"v", freebsdVersion},
		{"m", "amd64"}, {"p", "amd64"}, {"i", "GENERIC"}, {"K", freebsdOSRel}, {"U", freebsdOSRel},
	}
	if o.has("o") {
		o = append(o, option{key: "s"})
	}
	return c.printUname(o, fields, "s")
}

func (c *cmd) printUname(o opts, fields []struct{ key, val string }, dflt string) int {
	all := o.has("a")
	var out []string
	shown := false
	for _, f := range fields {
		// FreeBSD's -a is -mnrsv; GNU's is every field.
		inAll := all && (c.gnu || strings.Contains("mnrsv", f.key))
		if inAll || o.has(f.key) {
			out = append(out, f.val)
			shown = true
		}
	}
	if !shown {
		for _, f := range fields {
			if f.key == dflt {
				out = append(out, f.val)
			}
		}
	}
	c.out("%s\n", strings.Join(out, " "))
	return 0
}

// runID is id(1) with -u, -g, -G, -n, -r and an optional user.
func runID(c *cmd) int {
	const use = "usage: id [user]\n       id -A\n       id -G [-n] [user]\n       id -M\n       id -P [user]\n       id -c\n       id -g [-nr] [user]\n       id -p [user]\n       id -u [-nr] [user]"
	o, args, code, ok := c.parse(optSpec{short: "Ggunr", permute: true, long: map[string]longOpt{
		"groups": {"G", noArg}, "group": {"g", noArg}, "user": {"u", noArg}, "name": {"n", noArg}, "real": {"r", noArg}, "help": {"help", noArg},
	}}, use, 1)
	if !ok {
		return code
	}
	n := 0
	for _, k := range []string{"G", "g", "u"} {
		if o.has(k) {
			n++
		}
	}
	if n > 1 {
		if c.gnu {
			c.errorf("cannot print \"only\" of more than one choice")
			return 1
		}
		return c.usage("", use, 1)
	}
	if n == 0 && (o.has("n") || o.has("r")) {
		if c.gnu {
			c.errorf("cannot print only names or real IDs in default format")
			return 1
		}
		return c.usage("", use, 1)
	}
	if len(args) > 1 {
		if c.gnu {
			return c.usage("extra operand "+quote(args[1]), "", 1)
		}
		return c.usage("", use, 1)
	}
	u := c.User
	self := len(args) == 0
	if !self {
		var found bool
		if u, found = c.Host.LookupUser(args[0]); !found {
			if c.gnu {
				c.errorf("%s: no such user", quote(args[0]))
			} else {
				c.errorf("%s: no such user", args[0])
			}
			return 1
		}
	}
	gs := memberships(c.groups(), u)
	names := o.has("n")
	switch {
	case o.has("u"):
		c.out("%s\n", pickName(names, u.Name, u.UID))
	case o.has("g"):
		c.out("%s\n", pickName(names, gs[0].Name, gs[0].GID))
	case o.has("G"):
		var parts []string
		for _, g := range gs {
			parts = append(parts, pickName(names, g.Name, g.GID))
		}
		c.out("%s\n", strings.Join(parts, " "))
	default:
		var parts []string
		for _, g := range gs {
			parts = append(parts, fmt.Sprintf("%d(%s)", g.GID, g.Name))
		}
		line := fmt.Sprintf("uid=%d(%s) gid=%d(%s) groups=%s", u.UID, u.Name, gs[0].GID, gs[0].Name, strings.Join(parts, ","))
		if c.gnu && self {
			// SELinux is enforcing on Rocky: id shows the caller's context.
			line += " context=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023"
		}
		c.out("%s\n", line)
	}
	return 0
}

func pickName(names bool, name string, id int) string {
	if names && name != "" {
		return name
	}
	return strconv.Itoa(id)
}

// runWhoami is whoami(1).
func runWhoami(c *cmd) int {
	_, args, code, ok := c.parse(optSpec{long: map[string]longOpt{"help": {"help", noArg}}}, "usage: whoami", 1)
	if !ok {
		return code
	}
	if len(args) > 0 {
		if c.gnu {
			return c.usage("extra operand "+quote(args[0]), "", 1)
		}
		return c.usage("", "usage: whoami", 1)
	}
	c.out("%s\n", c.User.Name)
	return 0
}

// runFreebsdVersion is freebsd-version(1): -k (installed kernel), -r
// (running kernel), -u (userland, the default).
func runFreebsdVersion(c *cmd) int {
	o, args, code, ok := c.parse(optSpec{short: "kruj:"}, "usage: freebsd-version [-kru] [-j jail]", 1)
	if !ok {
		return code
	}
	if len(args) > 0 {
		return c.usage("", "usage: freebsd-version [-kru] [-j jail]", 1)
	}
	shown := false
	for _, k := range []string{"k", "r", "u"} {
		if o.has(k) {
			c.out("%s\n", freebsdRelease)
			shown = true
		}
	}
	if !shown {
		c.out("%s\n", freebsdRelease)
	}
	return 0
}

// runLogger is logger(1): -t TAG, -p PRI (accepted), -s (also to stderr),
// -i (accepted); the message is the operands or each line of stdin.
func runLogger(c *cmd) int {
	o, args, code, ok := c.parse(optSpec{short: "ip:st:", permute: true, long: map[string]longOpt{
		"tag": {"t", reqArg}, "priority": {"p", reqArg}, "stderr": {"s", noArg}, "id": {"i", optArg}, "help": {"help", noArg},
	}}, "usage: logger [-46Ais] [-f file] [-h host] [-P port] [-p pri] [-t tag]\n              [-S addr:port] [message ...]", 1)
	if !ok {
		return code
	}
	tag, has := o.last("t")
	if !has {
		tag = c.User.Name
	}
	if p, has := o.last("p"); has && !validPriority(p) {
		if c.gnu {
			c.errorf("unknown priority name: %s", p)
		} else {
			c.errorf("unknown priority name: %s", p)
		}
		return 1
	}
	logOne := func(msg string) {
		c.Host.Syslog(tag, msg)
		if o.has("s") {
			fmt.Fprintf(c.Stderr, "%s: %s\n", tag, msg)
		}
	}
	if len(args) > 0 {
		logOne(strings.Join(args, " "))
		return 0
	}
	sc := bufio.NewScanner(c.Stdin)
	for sc.Scan() {
		if sc.Text() != "" {
			logOne(sc.Text())
		}
	}
	return 0
}

// validPriority accepts facility.level, a bare level, or a number.
func validPriority(p string) bool {
	levels := "emerg alert crit err error warning warn notice info debug panic"
	facilities := "kern user mail daemon auth syslog lpr news uucp cron authpriv ftp ntp security console local0 local1 local2 local3 local4 local5 local6 local7"
	if isNumber(p) {
		return true
	}
	f, l, ok := strings.Cut(p, ".")
	if !ok {
		return strings.Contains(" "+levels+" ", " "+p+" ")
	}
	return strings.Contains(" "+facilities+" ", " "+f+" ") && strings.Contains(" "+levels+" ", " "+l+" ")
}
