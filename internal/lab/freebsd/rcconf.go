package freebsd

import (
	"fmt"
	"regexp"
	"strings"
)

// rcDefaultsPath is /etc/defaults/rc.conf, RC_DEFAULTS unless the environment says otherwise.
const rcDefaultsPath = "/etc/defaults/rc.conf"

// rcConf reads and edits rc.conf(5) files as sysrc.subr does
// (f_sysrc_get, f_sysrc_find, f_sysrc_set, f_sysrc_delete).
type rcConf struct {
	fs       vfs
	defaults string // RC_DEFAULTS
	// confs is RC_CONFS when set (-f FILE, -D): it replaces rc_conf_files.
	confs    string
	confsSet bool
}

func newRCConf(v vfs, env map[string]string) *rcConf {
	c := &rcConf{fs: v, defaults: rcDefaultsPath}
	if d, ok := env["RC_DEFAULTS"]; ok && d != "" {
		c.defaults = d
	}
	if s, ok := env["RC_CONFS"]; ok {
		c.confs, c.confsSet = s, true
	}
	return c
}

// readable is `[ -f F -a -r F ]`.
func (c *rcConf) readable(name string) bool {
	fi, err := c.fs.Stat(name)
	if err != nil || !fi.Mode.IsRegular() {
		return false
	}
	_, err = c.fs.ReadFile(name)
	return err == nil
}

// sourceFile sources one file into e; a file that does not parse stops
// there, as a syntax error aborts a dot script.
func (c *rcConf) sourceFile(e *shEval, name string) {
	data, err := c.fs.ReadFile(name)
	if err != nil {
		return
	}
	f, err := parseSh(name, data)
	if err != nil {
		return
	}
	e.source(f)
}

func (c *rcConf) newEval(v shVars) *shEval {
	e := newShEval(v)
	e.fileTest = func(op, name string) bool {
		fi, err := c.fs.Stat(name)
		if err != nil {
			return false
		}
		switch op {
		case "-d":
			return fi.IsDir()
		case "-f":
			return fi.Mode.IsRegular()
		case "-s":
			return fi.Size > 0
		case "-r":
			_, err := c.fs.ReadFile(name)
			return err == nil || fi.IsDir()
		}
		return true
	}
	e.hooks["."] = func(args []string) {
		if len(args) > 0 {
			c.sourceFile(e, args[0])
		}
	}
	return e
}

// sourceDefaults sources RC_DEFAULTS into a fresh table; ok is false when it is not readable.
func (c *rcConf) sourceDefaults() (*shEval, bool) {
	if !c.readable(c.defaults) {
		return nil, false
	}
	e := c.newEval(shVars{})
	c.sourceFile(e, c.defaults)
	return e, true
}

// sourceConfs is source_rc_confs from /etc/defaults/rc.conf: each file of
// rc_conf_files once, if readable. Without that function (a defaults file
// that lacks it) nothing is sourced.
func (c *rcConf) sourceConfs(e *shEval) {
	if !e.funcs["source_rc_confs"] {
		return
	}
	seen := map[string]bool{}
	for _, f := range strings.Fields(e.vars["rc_conf_files"]) {
		if seen[f] {
			continue
		}
		seen[f] = true
		if _, err := c.fs.ReadFile(f); err == nil {
			c.sourceFile(e, f)
		}
	}
}

// load is the environment f_sysrc_get evaluates in: defaults, then the rc.conf files.
func (c *rcConf) load() (shVars, bool) {
	e, ok := c.sourceDefaults()
	if !ok {
		return nil, false
	}
	saved := e.vars["rc_conf_files"]
	if c.confsSet {
		e.vars["rc_conf_files"] = c.confs
	}
	c.sourceConfs(e)
	if c.confsSet && e.vars["rc_conf_files"] == c.confs {
		e.vars["rc_conf_files"] = saved
	}
	return e.vars, true
}

// get is f_sysrc_get NAME: the value and whether the variable is set at all.
// Command substitution strips trailing newlines from the printed value.
func (c *rcConf) get(name string) (string, bool) {
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return "", false
	}
	v, ok := c.load()
	if !ok {
		return "", false
	}
	s, set := v[name]
	return strings.TrimRight(s, "\n"), set
}

// files is the list f_sysrc_find and f_sysrc_delete operate on.
func (c *rcConf) files() []string {
	if c.confsSet {
		return strings.Fields(c.confs)
	}
	s, _ := c.get("rc_conf_files")
	return strings.Fields(s)
}

// firstFile is where a new assignment is appended.
func (c *rcConf) firstFile() string {
	f := c.files()
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func assignRegexp(name string) *regexp.Regexp {
	return regexp.MustCompilePOSIX(`^[[:space:]]*` + regexp.QuoteMeta(name) + `=`)
}

func hasAssignment(data []byte, re *regexp.Regexp) bool {
	for _, l := range strings.Split(string(data), "\n") {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}

// find is f_sysrc_find: the file holding the effective last assignment,
// searching rc_conf_files in reverse and then RC_DEFAULTS; "" if none.
func (c *rcConf) find(name string) string {
	name = validPrefix(name)
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return ""
	}
	re := assignRegexp(name)
	fl := c.files()
	for i := len(fl) - 1; i >= -1; i-- {
		f := c.defaults
		if i >= 0 {
			f = fl[i]
		}
		if !c.readable(f) {
			continue
		}
		data, _ := c.fs.ReadFile(f)
		if hasAssignment(data, re) {
			return f
		}
	}
	return ""
}

func isVarChar(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// validPrefix is ${1%%[!$VALID_VARNAME_CHARS]*}.
func validPrefix(s string) string {
	for i, r := range s {
		if !isVarChar(r) {
			return s[:i]
		}
	}
	return s
}

// set is f_sysrc_set: it returns the message to print on stderr when it fails.
func (c *rcConf) set(name, value string) (string, bool) {
	file := c.find(name)
	if file == c.defaults || file == "" {
		file = c.firstFile()
		if file == "" {
			return "", false
		}
		var buf []byte
		if _, err := c.fs.Stat(file); err == nil {
			data, err := c.fs.ReadFile(file)
			if err != nil {
				return fmt.Sprintf("/usr/sbin/sysrc: cannot open %s: %s\n", file, errText(err)), false
			}
			buf = data
			if len(buf) > 0 && buf[len(buf)-1] != '\n' {
				buf = append(buf, '\n')
			}
		}
		buf = append(buf, name+"=\""+value+"\"\n"...)
		if err := c.fs.WriteFile(file, buf, 0o644); err != nil {
			return fmt.Sprintf("/usr/sbin/sysrc: cannot create %s: %s\n", file, errText(err)), false
		}
		return "", true
	}
	if !c.fs.Writable(file) {
		return fmt.Sprintf("sysrc: cannot create %s: Permission denied\n", file), false
	}
	data, err := c.fs.ReadFile(file)
	if err != nil {
		return fmt.Sprintf("sysrc: cannot create %s: Permission denied\n", file), false
	}
	out := replaceLastAssignment(data, name, value)
	if _, err := parseSh(file, out); err != nil {
		return fmt.Sprintf("sysrc: Not overwriting `%s' due to previous syntax errors\n", file), false
	}
	if err := c.fs.WriteFile(file, out, 0o644); err != nil {
		return fmt.Sprintf("sysrc: cannot create %s: %s\n", file, errText(err)), false
	}
	return "", true
}

// fileLines splits data into lines as awk reads them (a last line without
// newline still counts).
func fileLines(data []byte) []string {
	s := string(data)
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func reversed(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[len(l)-1-i] = s
	}
	return out
}

// replaceLastAssignment is the awk/tail -r pipeline of f_sysrc_set: the
// file reversed, the first matching line rewritten, reversed back. The
// command substitutions in between drop the file's leading empty lines.
// When the assignment cannot be rewritten (its value starts with `, $ or \)
// a new one is appended.
func replaceLastAssignment(data []byte, name, value string) []byte {
	re := assignRegexp(name)
	rev := strings.TrimRight(strings.Join(reversed(fileLines(data)), "\n"), "\n")
	in := strings.Split(rev, "\n")
	found, appendNew := false, false
	for i, l := range in {
		if found {
			continue
		}
		loc := re.FindStringIndex(l)
		if loc == nil {
			continue
		}
		found = true
		nl, ok := rewriteAssignment(l, loc[1], value)
		if !ok {
			appendNew = true
			continue
		}
		in[i] = nl
	}
	outRev := strings.TrimRight(strings.Join(in, "\n"), "\n")
	out := strings.Join(reversed(strings.Split(outRev, "\n")), "\n") + "\n"
	if appendNew {
		out += name + "=\"" + value + "\"\n"
	}
	return []byte(out)
}

var (
	reSingleQuoted = regexp.MustCompilePOSIX(`^'[^']*`)
	reDoubleQuoted = regexp.MustCompilePOSIX(`^"(.*\\\\+")*[^"]*`)
	reUnquoted     = regexp.MustCompilePOSIX(`^[^[:space:]]*`)
)

// rewriteAssignment is the body of f_sysrc_set_awk for one line whose
// assignment prefix ends at matchlen.
func rewriteAssignment(line string, matchlen int, newValue string) (string, bool) {
	value := line[matchlen:]
	t1 := ""
	if value != "" {
		t1 = value[:1]
	}
	t2 := t1
	switch {
	case t1 == "`" || t1 == "$" || t1 == "\\":
		return line, false
	case t1 == "'":
		value = reSingleQuoted.ReplaceAllString(value, "")
		if value == "" {
			t2 = ""
		}
		value = strings.TrimPrefix(value, "'")
	case t1 == `"`:
		value = reDoubleQuoted.ReplaceAllString(value, "")
		if value == "" {
			t2 = ""
		}
		value = strings.TrimPrefix(value, `"`)
	case t1 == "":
		// awk's %c of an empty string writes a NUL byte, which the shell drops.
	case strings.ContainsAny(t1, " \t\n\v\f\r;"):
		t1, t2 = `"`, `"`
	default:
		t1, t2 = `"`, `"`
		value = reUnquoted.ReplaceAllString(value, "")
	}
	return line[:matchlen] + t1 + newValue + t2 + value, true
}

// deleteFrom is f_sysrc_delete for one file: it removes every assignment
// of name. changed is false when the file had none.
func (c *rcConf) deleteFrom(file, name string) (msg string, changed, ok bool) {
	data, err := c.fs.ReadFile(file)
	if err != nil {
		return "", false, true
	}
	re := assignRegexp(name)
	var kept []string
	found := false
	for _, l := range fileLines(data) {
		if re.MatchString(l) {
			found = true
			continue
		}
		kept = append(kept, l)
	}
	if !found {
		return "", false, true
	}
	out := ""
	if len(kept) > 0 {
		out = strings.Join(kept, "\n") + "\n"
	}
	if _, err := parseSh(file, []byte(out)); err != nil {
		return fmt.Sprintf("sysrc: Not overwriting `%s' due to previous syntax errors\n", file), false, false
	}
	if !c.fs.Writable(file) {
		return fmt.Sprintf("sysrc: %s: Permission denied\n", file), false, false
	}
	if err := c.fs.WriteFile(file, []byte(out), 0o644); err != nil {
		return fmt.Sprintf("sysrc: %s: %s\n", file, errText(err)), false, false
	}
	return "", true, true
}

// delete is f_sysrc_delete: every assignment in every rc.conf file (or -f files).
func (c *rcConf) delete(name string) (string, bool) {
	for _, f := range c.files() {
		if _, err := c.fs.Stat(f); err != nil {
			continue
		}
		if msg, _, ok := c.deleteFrom(f, name); !ok {
			return msg, false
		}
	}
	return "", true
}

// describe is f_sysrc_desc: the comment documenting name in RC_DEFAULTS.
func (c *rcConf) describe(name string) string {
	data, err := c.fs.ReadFile(c.defaults)
	if err != nil {
		return ""
	}
	re := assignRegexp(name)
	comment := regexp.MustCompilePOSIX(`^[[:space:]]*#`)
	assignOrBlank := regexp.MustCompilePOSIX(`^[[:space:]]*#?[[:alpha:]_][[:alnum:]_]*=|^[[:space:]]*$`)
	head := regexp.MustCompilePOSIX(`^[^#]*(#[[:space:]]*)?`)
	cont := regexp.MustCompilePOSIX(`^(.*#)*[[:space:]]*`)
	found := false
	buf := ""
	for _, l := range fileLines(data) {
		if !found {
			if !re.MatchString(l) {
				continue
			}
			found = true
			buf = head.ReplaceAllString(l, "")
			continue
		}
		if !comment.MatchString(l) || assignOrBlank.MatchString(l) {
			break
		}
		buf += " " + cont.ReplaceAllString(l, "")
	}
	if !found {
		return ""
	}
	return strings.TrimSpace(buf)
}

// syntaxCheck is `/bin/sh -n FILE` on an existing file.
func (c *rcConf) syntaxCheck(file string) error {
	data, err := c.fs.ReadFile(file)
	if err != nil {
		return err
	}
	_, err = parseSh(file, data)
	return err
}
