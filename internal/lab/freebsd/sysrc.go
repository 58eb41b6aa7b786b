package freebsd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// sysrcCmd is /usr/sbin/sysrc.
func sysrcCmd(p *sim.Proc) int {
	return runSysrc(treeFS{p}, envMap(p.Env), p.Args[1:], p.Stdout, p.Stderr)
}

// sysrcOpts are the flags of usr.sbin/sysrc/sysrc.
type sysrcOpts struct {
	checkOnly, describe, showEquals, existingOnly, showFile bool
	ignoreUnknowns, listConfs, quiet, verbose, deflt        bool
	showAll, del                                            int
	showName, showValue                                     bool
	service                                                 string
}

func sysrcUsage(errw io.Writer) int {
	fmt.Fprintf(errw, "Usage: sysrc [OPTIONS] {name[[+|-]=value] ... | -a | -A | -l | -L [name ...]}\n")
	fmt.Fprintf(errw, "Try `sysrc --help' for more information.\n")
	return 1
}

// runSysrc is sysrc(8) over a file tree, following the script's flow.
func runSysrc(v vfs, env map[string]string, args []string, out, errw io.Writer) int {
	if len(args) == 0 {
		return sysrcUsage(errw)
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		switch a {
		case "--help":
			return sysrcUsage(errw)
		case "--version":
			fmt.Fprintln(out, "7.2 Jun-16,2018")
			return 1
		}
	}
	c := newRCConf(v, env)
	o := sysrcOpts{showName: true, showValue: true}
	opts, rest, gerr := getopt(args, "aAcdDeEf:Fhij:lLnNqR:s:vxX")
	if gerr != nil {
		fmt.Fprint(errw, gerr.message("sysrc"))
		return sysrcUsage(errw)
	}
	for _, op := range opts {
		switch op.c {
		case 'a':
			if o.showAll == 0 {
				o.showAll = 1
			}
		case 'A':
			o.showAll = 2
		case 'c':
			o.checkOnly = true
		case 'd':
			o.describe = true
		case 'D':
			o.deflt = true
			c.confs, c.confsSet = "", true
		case 'e':
			o.showEquals = true
		case 'E':
			o.existingOnly = true
		case 'f':
			o.deflt = false
			if c.confs != "" {
				c.confs += " "
			}
			c.confs += op.arg
			c.confsSet = true
		case 'F':
			o.showFile = true
		case 'h':
			return sysrcUsage(errw)
		case 'i':
			o.ignoreUnknowns = true
		case 'j', 'R':
			fmt.Fprintf(errw, "sysrc: -%c is not supported by the lab\n", op.c)
			return 1
		case 'l':
			o.listConfs = true
		case 'L':
			fmt.Fprintf(errw, "sysrc: -L is not supported by the lab\n")
			return 1
		case 'n':
			o.showName = false
		case 'N':
			o.showValue = false
		case 'q':
			o.quiet, o.verbose = true, false
		case 's':
			if op.arg == "" {
				fmt.Fprintf(errw, "sysrc: Missing or null argument to `-s' flag\n")
				return 1
			}
			o.service = op.arg
		case 'v':
			o.verbose, o.quiet = true, false
		case 'x':
			if o.del == 0 {
				o.del = 1
			}
		case 'X':
			o.del = 2
		}
	}
	args = rest

	for _, a := range args {
		name := a
		if i := strings.Index(name, ":"); i >= 0 && i+1 < len(name) && strings.ContainsRune("+=-", rune(name[i+1])) {
			name = name[:i]
		}
		if i := strings.IndexAny(name, "%#+=-"); i >= 0 {
			name = name[:i]
		}
		if validPrefix(name) != name {
			fmt.Fprintf(errw, "sysrc: %s: name contains characters not allowed in shell\n", name)
			return 1
		}
	}

	if o.service != "" && !c.confsSet {
		if extra, ok := serviceConfs(v, c, o.service); ok {
			rc, _ := c.get("rc_conf_files")
			c.confs = strings.TrimSpace(rc + " " + extra)
			c.confsSet = true
		}
	}

	if o.existingOnly {
		var list []string
		if !c.confsSet {
			list = c.files()
		} else {
			list = strings.Fields(c.confs)
		}
		var keep []string
		for _, f := range list {
			if fi, err := v.Stat(f); err == nil && fi.Mode.IsRegular() {
				keep = append(keep, f)
			}
		}
		c.confs, c.confsSet = strings.Join(keep, " "), true
	}

	if o.listConfs {
		if len(args) != 0 {
			return sysrcUsage(errw)
		}
		switch {
		case o.deflt:
			fmt.Fprintln(out, c.defaults)
		case c.confsSet:
			fmt.Fprintln(out, c.confs)
		default:
			s, _ := c.get("rc_conf_files")
			fmt.Fprintln(out, s)
		}
		return 0
	}

	if len(args) == 0 && o.showAll == 0 {
		return sysrcUsage(errw)
	}

	if !sysrcTaintCheck(v, c, errw) {
		fmt.Fprintln(errw, "sysrc: Exiting due to previous syntax errors")
		return 1
	}

	if o.del != 0 && o.showAll != 0 && o.del != 2 {
		fmt.Fprintln(errw, "sysrc: `-x' option incompatible with `-a'/`-A' options (use `-X' to override)")
		return 1
	}
	if o.checkOnly && o.showAll != 0 {
		fmt.Fprintln(errw, "sysrc: `-c' option incompatible with `-a'/`-A' options")
		return 1
	}

	sep := ": "
	if o.showFile || !o.showName {
		o.showEquals = false
	}
	if !o.showValue {
		o.showName = true
		o.showEquals = false
	}
	if o.showEquals {
		sep = `="`
	}
	eq := ""
	if o.showEquals {
		eq = `"`
	}

	if o.showAll != 0 {
		return sysrcShowAll(c, o, sep, eq, out, errw)
	}

	status := 0
	for _, arg := range args {
		name, mode := arg, "ASSIGN"
		if i := strings.Index(arg, "="); i >= 0 {
			name = arg[:i]
		}
		switch {
		case strings.HasSuffix(name, "+"):
			mode, name = "APPEND", strings.TrimSuffix(name, "+")
		case strings.HasSuffix(name, "-"):
			mode, name = "REMOVE", strings.TrimSuffix(name, "-")
		}
		if o.describe {
			d := c.describe(name)
			fmt.Fprintf(out, "%s: %s\n", name, d)
		}
		if strings.Contains(arg, "=") {
			if st := sysrcAssign(c, o, arg, name, mode, sep, eq, out, errw); st != 0 {
				status = st
			}
			continue
		}
		if _, set := c.get(name); !set {
			if !o.ignoreUnknowns && !o.quiet {
				fmt.Fprintf(errw, "sysrc: unknown variable '%s'\n", name)
			}
			status = 1
			continue
		}
		if o.checkOnly || o.describe {
			continue
		}
		if o.del != 0 {
			if msg, ok := c.delete(name); !ok {
				fmt.Fprint(errw, msg)
				status = 1
			}
			continue
		}
		if o.showFile {
			if o.showName {
				fmt.Fprintf(out, "%s: ", name)
			}
			if f := c.find(name); f != "" {
				fmt.Fprintln(out, f)
			}
			continue
		}
		if o.verbose {
			if o.showEquals {
				fmt.Fprintf(out, ": %s; ", c.find(name))
			} else {
				fmt.Fprintf(out, "%s: ", c.find(name))
			}
		}
		if !o.showValue {
			fmt.Fprintln(out, name)
			continue
		}
		val, _ := c.get(name)
		if o.showName {
			fmt.Fprint(out, name+sep)
		}
		fmt.Fprintln(out, val+eq)
	}
	return status
}

// sysrcAssign handles one NAME=VALUE, NAME+=VALUE or NAME-=VALUE argument.
func sysrcAssign(c *rcConf, o sysrcOpts, arg, name, mode, sep, eq string, out, errw io.Writer) int {
	if o.verbose && !o.checkOnly {
		file := c.find(name)
		if file == c.defaults || file == "" {
			file = c.firstFile()
		}
		if o.showEquals {
			fmt.Fprintf(out, ": %s; ", file)
		} else {
			fmt.Fprintf(out, "%s: ", file)
		}
	}
	if o.del != 0 {
		if msg, ok := c.delete(name); !ok {
			fmt.Fprint(errw, msg)
			return 1
		}
		return 0
	}
	operand := arg[strings.Index(arg, "=")+1:]
	var before, newVal string
	switch mode {
	case "APPEND", "REMOVE":
		before, _ = c.get(name)
		newVal = listEdit(before, operand, mode == "APPEND")
		if o.showFile {
			before = c.find(name)
		}
	default:
		if o.showFile {
			before = c.find(name)
		} else {
			before, _ = c.get(name)
		}
		newVal = operand
	}
	if o.checkOnly {
		_, set := c.get(name)
		switch {
		case !set:
			if o.verbose {
				fmt.Fprintf(out, "%s: not currently set\n", name)
			}
			return 1
		case newVal != before:
			if o.verbose {
				fmt.Fprintf(out, "%s: %s: would change from `%s' to `%s'\n", c.find(name), name, before, newVal)
			}
			return 1
		case o.verbose:
			fmt.Fprintf(out, "%s: %s: already set to `%s'\n", c.find(name), name, before)
		}
		return 0
	}
	if !o.showValue {
		fmt.Fprintln(out, name)
		if msg, ok := c.set(name, newVal); !ok {
			fmt.Fprint(errw, msg)
			return 1
		}
		return 0
	}
	msg, ok := c.set(name, newVal)
	if !ok {
		fmt.Fprint(errw, msg)
		return 1
	}
	var after string
	if o.showFile {
		after = c.find(name)
	} else {
		after, _ = c.get(name)
	}
	if o.showName {
		fmt.Fprint(out, name+sep)
	}
	mark := ""
	if o.showEquals {
		mark = `" #`
	}
	fmt.Fprintf(out, "%s%s -> %s%s%s\n", before, mark, eq, after, eq)
	return 0
}

// listEdit is sysrc's "+=" (add) and "-=" (remove) on a word list. The
// separator is the operand's first character unless that is blank, a
// letter, digit, "." or "/", in which case it is a space.
func listEdit(before, operand string, add bool) string {
	delim := " "
	split := strings.Fields
	if operand != "" {
		d := operand[:1]
		if !strings.ContainsAny(d, " \t\n") && !isWordStart(d[0]) {
			delim = d
			split = func(s string) []string {
				var o []string
				for _, f := range strings.Split(s, d) {
					if f != "" {
						o = append(o, f)
					}
				}
				return o
			}
		}
	}
	var b strings.Builder
	if add {
		b.WriteString(before)
		have := split(before)
		for _, a := range split(operand) {
			if !contains(have, a) {
				b.WriteString(delim + a)
			}
		}
	} else {
		remove := split(operand)
		for _, w := range split(before) {
			if !contains(remove, w) {
				b.WriteString(delim + w)
			}
		}
	}
	return strings.TrimPrefix(b.String(), delim)
}

func isWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '/'
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// sysrcTaintCheck is `/bin/sh -n` over the files sysrc will read; sh's
// diagnostic goes to stderr.
func sysrcTaintCheck(v vfs, c *rcConf, errw io.Writer) bool {
	var files []string
	if c.confsSet {
		files = strings.Fields(c.confs)
	} else {
		if err := c.syntaxCheck(c.defaults); err != nil {
			if isNotExist(err) {
				fmt.Fprintf(errw, "/bin/sh: cannot open %s: No such file or directory\n", c.defaults)
			} else {
				fmt.Fprintln(errw, err)
			}
			return false
		}
		if e, ok := c.sourceDefaults(); ok {
			files = strings.Fields(e.vars["rc_conf_files"])
		}
	}
	for _, f := range files {
		if _, err := v.Stat(f); err != nil {
			continue
		}
		if err := c.syntaxCheck(f); err != nil {
			var se *shSyntaxError
			if errors.As(err, &se) {
				fmt.Fprintln(errw, err)
			}
			return false
		}
	}
	return true
}

// sysrcExcept are the script's own variables, never listed by -a/-A.
var sysrcExcept = map[string]bool{}

func init() {
	for _, n := range strings.Split("IFS|EXCEPT|PATH|RC_DEFAULTS|OPTIND|DESCRIBE|SEP|DELETE|SHOW_ALL|SHOW_EQUALS|SHOW_NAME|DEFAULT|SHOW_VALUE|SHOW_FILE|VERBOSE|RC_CONFS|SERVICE|pgm|SUCCESS|FAILURE|CHECK_ONLY|EXISTING_ONLY|LIST_CONFS|LIST_SERVICE_CONFS|f_sysrc_desc_awk|f_sysrc_delete_awk", "|") {
		sysrcExcept[n] = true
	}
}

// sysrcShowAll is -a (non-default variables) and -A (all, defaults included).
func sysrcShowAll(c *rcConf, o sysrcOpts, sep, eq string, out, errw io.Writer) int {
	e, ok := c.sourceDefaults()
	if !ok {
		return 0
	}
	if o.showAll == 1 {
		rc, had := e.vars["rc_conf_files"]
		e.vars = shVars{}
		if had {
			e.vars["rc_conf_files"] = rc
		}
	}
	if c.confsSet {
		rc := ""
		if o.showAll == 1 && o.service != "" && !o.deflt {
			rc = e.vars["rc_conf_files"]
		}
		e.vars["rc_conf_files"] = strings.TrimSpace(rc + " " + c.confs)
	}
	if !e.funcs["source_rc_confs"] {
		fmt.Fprintln(errw, "/usr/sbin/sysrc: source_rc_confs: not found")
	}
	c.sourceConfs(e)
	if o.showAll == 1 && c.find("rc_conf_files") == c.defaults {
		delete(e.vars, "rc_conf_files")
	}
	for _, name := range e.vars.names() {
		if sysrcExcept[name] {
			continue
		}
		switch {
		case o.describe:
			d := c.describe(name)
			fmt.Fprintf(out, "%s: %s\n", name, d)
			continue
		case o.showFile:
			if o.showName {
				fmt.Fprintf(out, "%s: ", name)
			}
			if f := c.find(name); f != "" {
				fmt.Fprintln(out, f)
			}
			continue
		case o.del == 2:
			if msg, ok := c.delete(name); !ok {
				fmt.Fprint(errw, msg)
			}
			continue
		}
		if o.verbose {
			fmt.Fprintf(out, "%s: ", c.find(name))
		}
		if !o.showValue {
			fmt.Fprintln(out, name)
			continue
		}
		val, _ := c.get(name)
		if o.showName {
			fmt.Fprint(out, name+sep)
		}
		fmt.Fprintln(out, val+eq)
	}
	return 0
}

// serviceConfs is f_sysrc_service_configs: the rc.conf.d entries an rc.d
// script reads (for `sysrc -s NAME`, as service(8) enable uses it).
func serviceConfs(v vfs, c *rcConf, svc string) (string, bool) {
	local, _ := c.get("local_startup")
	dirs := append([]string{"/etc/rc.d"}, strings.Fields(local)...)
	found := false
	for _, d := range dirs {
		fi, err := v.Stat(d + "/" + svc)
		if err == nil && fi.Mode.IsRegular() && fi.Mode&0o111 != 0 {
			found = true
			break
		}
	}
	if !found {
		return "", false
	}
	var configs []string
	for _, d := range dirs {
		p := strings.TrimSuffix(d, "/rc.d") + "/rc.conf.d/" + svc
		fi, err := v.Stat(p)
		if err != nil || !fi.IsDir() {
			configs = append(configs, p)
			continue
		}
		if list, err := v.ReadDir(p); err == nil {
			for _, f := range list {
				if f.Mode.IsRegular() {
					configs = append(configs, p+"/"+f.Name)
				}
			}
		}
	}
	return strings.Join(configs, " "), true
}

// envMap turns KEY=VALUE pairs into a map.
func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		if i := strings.IndexByte(kv, '='); i > 0 {
			m[kv[:i]] = kv[i+1:]
		}
	}
	return m
}
