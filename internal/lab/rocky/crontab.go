package rocky

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// cronSpoolDir holds each user's crontab (cronie's SPOOL_DIR).
const cronSpoolDir = "/var/spool/cron"

// crontabUsage is cronie's usage() (built with SELinux, without DEBUGGING).
const crontabUsage = `Usage:
 crontab [options] file
 crontab [options]
 crontab -n [hostname]

Options:
 -u <user>  define user
 -e         edit user's crontab
 -l         list user's crontab
 -r         delete user's crontab
 -i         prompt before deleting
 -n <host>  set host in cluster to run users' crontabs
 -c         get host in cluster to run users' crontabs
 -s         selinux context
 -V         print version and exit

Default operation is replace, per 1003.2
`

// crontabCmd is cronie 1.5.7's /usr/bin/crontab (src/crontab.c), a setuid
// root program: crontabs are /var/spool/cron/USER, 0600, exactly the
// text installed (no header lines). Its messages have no "crontab:" prefix
// except where the source prints one.
func crontabCmd(p *sim.Proc) int {
	c := &crontab{p: p, user: p.User.Name, target: p.User}
	args := p.Args[1:]
	if len(args) == 0 {
		args = []string{"-"} // stdin without "-", as cronie allows
	}
	opts, operands, bad := cronGetopt(args, "u:lerisncV")
	if bad != "" {
		cronErr(p, "crontab: %s\n", bad)
		return c.usage("unrecognized option")
	}
	op := byte(0)
	for _, o := range opts {
		switch o.c {
		case 'u':
			if !p.User.IsRoot() {
				cronErr(p, "must be privileged to use -u\n")
				return 1
			}
			if op == 'n' || op == 'c' {
				cronErr(p, "cannot use -u with -n or -c\n")
				return 1
			}
			u, ok := p.Host.LookupUser(o.arg)
			if !ok || isNumeric(o.arg) {
				cronErr(p, "crontab:  user `%s' unknown\n", o.arg)
				return 1
			}
			c.user, c.target = o.arg, u
		case 'l', 'r', 'e':
			if op != 0 {
				return c.usage("only one operation permitted")
			}
			op = o.c
		case 'i':
			c.prompt = true
		case 's':
		case 'n':
			if !p.User.IsRoot() {
				cronErr(p, "must be privileged to set host with -n\n")
				return 1
			}
			if op != 0 {
				return c.usage("only one operation permitted")
			}
			if c.user != p.User.Name {
				cronErr(p, "cannot use -u with -n or -c\n")
				return 1
			}
			op = 'n'
		case 'c':
			if op != 0 {
				return c.usage("only one operation permitted")
			}
			if c.user != p.User.Name {
				cronErr(p, "cannot use -u with -n or -c\n")
				return 1
			}
			op = 'c'
		case 'V':
			fmt.Fprintf(p.Stdout, "cronie 1.5.7\n")
			return 0
		}
	}
	host := ""
	if op == 'n' && len(operands) > 0 {
		host, operands = operands[0], operands[1:]
	}
	if op != 0 && len(operands) > 0 {
		return c.usage("no arguments permitted after this option")
	}
	if op == 0 {
		if len(operands) == 0 {
			return c.usage("file name must be specified for replace")
		}
		c.file = operands[0]
	}
	var input []byte
	if op == 0 {
		var code int
		if input, code = c.readInput(); code != 0 {
			return code
		}
	}
	if !c.allowed() {
		cronErr(p, "You (%s) are not allowed to use this program (crontab)\nSee crontab(1) for more information\n", c.user)
		return 1
	}
	switch op {
	case 'l':
		return c.list()
	case 'r':
		return c.remove()
	case 'e':
		return c.edit()
	case 'n':
		return c.setHost(host)
	case 'c':
		return c.getHost()
	}
	if !c.replace(string(input)) {
		return 1
	}
	return 0
}

type crontab struct {
	p      *sim.Proc
	user   string   // whose crontab (User)
	target sim.User // that user's passwd entry (pw)
	file   string   // the file operand (Filename)
	prompt bool
}

func (c *crontab) tab() string { return cronSpoolDir + "/" + c.user }

func (c *crontab) usage(msg string) int {
	cronErr(c.p, "crontab: usage error: %s\n%s", msg, crontabUsage)
	return 1
}

// readInput reads the new crontab: stdin for "-", else the file, opened
// with the caller's own rights.
func (c *crontab) readInput() ([]byte, int) {
	p := c.p
	if c.file == "-" {
		b, err := io.ReadAll(p.Stdin)
		if err != nil {
			cronErr(p, "-: %v\n", err)
			return nil, 1
		}
		return b, 0
	}
	name := c.file
	if !path.IsAbs(name) {
		name = path.Join(p.Dir, name)
	}
	fi, err := p.Host.Tree.StatAs(p.User, name)
	if err == nil && fi.IsDir() {
		cronErr(p, "cannot replace crontab with a directory: %s\n", c.file)
		return nil, 1
	}
	b, err := p.Host.Tree.ReadFile(p.User, name)
	if err != nil {
		cronErr(p, "%s: %s\n", c.file, sim.ErrText(err))
		return nil, 1
	}
	return b, 0
}

// allowed is cronie's allowed(): root always; else cron.allow lists the
// user, or there is no cron.allow and cron.deny does not list him.
func (c *crontab) allowed() bool {
	if c.p.User.IsRoot() {
		return true
	}
	listed := func(file string) (bool, bool) {
		data, err := c.p.Host.Tree.ReadFile(root, file)
		if err != nil {
			return false, false
		}
		return slices.Contains(strings.Fields(string(data)), c.p.User.Name), true
	}
	if in, ok := listed("/etc/cron.allow"); ok {
		return in
	}
	if in, ok := listed("/etc/cron.deny"); ok {
		return !in
	}
	return true
}

func (c *crontab) list() int {
	data, err := c.p.Host.Tree.ReadFile(root, c.tab())
	if err != nil {
		c.noCrontab(err)
		return 1
	}
	_, _ = c.p.Stdout.Write(data)
	return 0
}

// noCrontab reports a crontab that cannot be read: "no crontab for USER"
// when it does not exist, else perror(path).
func (c *crontab) noCrontab(err error) {
	if errors.Is(err, fs.ErrNotExist) {
		cronErr(c.p, "no crontab for %s\n", c.user)
		return
	}
	cronErr(c.p, "%s: %s\n", c.tab(), sim.ErrText(err))
}

func (c *crontab) remove() int {
	if c.prompt {
		fmt.Fprintf(c.p.Stdout, "crontab: really delete %s's crontab? ", c.user)
		line, _ := bufio.NewReader(c.p.Stdin).ReadString('\n')
		if line == "" || (line[0] != 'Y' && line[0] != 'y') {
			return 0
		}
	}
	if err := c.p.Host.Tree.Remove(root, c.tab()); err != nil {
		c.noCrontab(err)
		return 1
	}
	c.pokeDaemon()
	return 0
}

// replace is replace_cmd: the text is checked as cron would load it, then
// installed with mkstemp's 0600, owned by root when root runs crontab (its
// real and effective ids agree), else by the user whose crontab it is.
func (c *crontab) replace(text string) bool {
	p := c.p
	if msg := cronCheck(c.file, text, c.target.IsRoot()); msg != "" {
		cronErr(p, "%s\nerrors in crontab file, can't install.\n", msg)
		return false
	}
	t := p.Host.Tree.WithUmask(0o077)
	tab := c.tab()
	if err := t.WriteFile(root, tab, []byte(text), 0o600); err != nil {
		cronErr(p, "%s: %s\n", tab, sim.ErrText(err))
		return false
	}
	owner, group := "root", "root"
	if !p.User.IsRoot() {
		owner, group = c.target.Name, p.User.Group
	}
	_ = t.Chmod(root, tab, 0o600)
	_ = t.Chown(root, tab, owner, group)
	c.pokeDaemon()
	return true
}

// pokeDaemon touches the spool directory, which crond watches.
func (c *crontab) pokeDaemon() {
	now := c.p.Host.Now()
	if err := c.p.Host.Tree.Chtimes(root, cronSpoolDir, now, now); err != nil {
		cronErr(c.p, "crontab: can't update mtime on spooldir\n%s: %s\n", cronSpoolDir, sim.ErrText(err))
	}
}

// edit is edit_cmd: the crontab is copied to /tmp/crontab.XXXXXX (dated
// 1970), the editor ($VISUAL, $EDITOR, else /usr/bin/vi) runs through
// /bin/sh -c as the crontab's user, and a changed file is installed.
func (c *crontab) edit() int {
	p := c.p
	data, err := p.Host.Tree.ReadFile(root, c.tab())
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			cronErr(p, "%s: %s\n", c.tab(), sim.ErrText(err))
			return 1
		}
		cronErr(p, "no crontab for %s - using an empty one\n", c.user)
		data = nil
	}
	tmpDir := "/tmp"
	if v, ok := getenv(p, "TMPDIR"); ok && v != "" && p.User.IsRoot() {
		tmpDir = v
	}
	tmp := path.Join(tmpDir, "crontab."+randomSuffix(6))
	t := p.Tree()
	if err := t.WriteFile(p.User, tmp, data, 0o600); err != nil {
		cronErr(p, "%s: %s\n", tmp, sim.ErrText(err))
		return 1
	}
	epoch := time.Unix(0, 0)
	_ = t.Chtimes(p.User, tmp, epoch, epoch)
	editor := "/usr/bin/vi"
	for _, k := range []string{"VISUAL", "EDITOR"} {
		if v, ok := getenv(p, k); ok && v != "" {
			editor = v
			break
		}
	}
	stdin := bufio.NewReader(p.Stdin)
	for {
		q := *p
		q.User = c.target
		if code := p.Host.Exec(&q, []string{"/bin/sh", "-c", editor + " " + tmp}); code != 0 {
			cronErr(p, "crontab: \"%s\" exited with status %d\n", editor, code)
			_ = t.Remove(p.User, tmp)
			return 1
		}
		fi, err := t.Lstat(tmp)
		switch {
		case err != nil:
			cronErr(p, "lstat: %s\n", sim.ErrText(err))
			_ = t.Remove(p.User, tmp)
			return 1
		case !fi.Mode.IsRegular():
			cronErr(p, "crontab: illegal crontab\n")
			_ = t.Remove(p.User, tmp)
			return 0
		case fi.ModTime.Unix() == 0:
			cronErr(p, "crontab: no changes made to crontab\n")
			_ = t.Remove(p.User, tmp)
			return 0
		}
		cronErr(p, "crontab: installing new crontab\n")
		text, err := t.ReadFile(p.User, tmp)
		if err != nil {
			cronErr(p, "cannot read new crontab: %s\n", sim.ErrText(err))
			_ = t.Remove(p.User, tmp)
			return 0
		}
		c.file = tmp
		if c.replace(string(text)) {
			_ = t.Remove(p.User, tmp)
			return 0
		}
		// The real crontab asks until it gets Y or N; at the end of the
		// input it would ask forever, the lab gives up as for N.
		retry := false
	ask:
		for {
			fmt.Fprintf(p.Stdout, "Do you want to retry the same edit? ")
			line, err := stdin.ReadString('\n')
			switch {
			case line != "" && (line[0] == 'y' || line[0] == 'Y'):
				retry = true
				break ask
			case line != "" && (line[0] == 'n' || line[0] == 'N'), err != nil:
				break ask
			}
			cronErr(p, "Enter Y or N\n")
		}
		if !retry {
			cronErr(p, "crontab: edits left in %s\n", tmp)
			return 0
		}
	}
}

// cronHostFile is the cluster's host file (CRON_HOSTNAME).
const cronHostFile = cronSpoolDir + "/.cron.hostname"

func (c *crontab) setHost(host string) int {
	if host == "" {
		host = c.p.Host.Name
	}
	if err := c.p.Host.Tree.WithUmask(0o077).WriteFile(root, cronHostFile, []byte(host+"\n"), 0o600); err != nil {
		cronErr(c.p, "%s: %s\n", cronHostFile, sim.ErrText(err))
		return 1
	}
	c.pokeDaemon()
	return 0
}

func (c *crontab) getHost() int {
	data, err := c.p.Host.Tree.ReadFile(root, cronHostFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			cronErr(c.p, "File %s not found\n", cronHostFile)
		} else {
			cronErr(c.p, "%s: %s\n", cronHostFile, sim.ErrText(err))
		}
		return 1
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fmt.Fprintf(c.p.Stdout, "%s\n", line)
	return 0
}

type cronOpt struct {
	c   byte
	arg string
}

// cronGetopt is glibc's getopt(3) over short options (operands may come
// first); bad is its message, "invalid option -- 'x'".
func cronGetopt(args []string, spec string) (opts []cronOpt, operands []string, bad string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return opts, append(operands, args[i+1:]...), ""
		}
		if len(a) < 2 || a[0] != '-' {
			operands = append(operands, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			k := strings.IndexByte(spec, a[j])
			if k < 0 || a[j] == ':' {
				return nil, nil, fmt.Sprintf("invalid option -- '%c'", a[j])
			}
			if k+1 < len(spec) && spec[k+1] == ':' {
				arg := a[j+1:]
				if arg == "" {
					if i+1 >= len(args) {
						return nil, nil, fmt.Sprintf("option requires an argument -- '%c'", a[j])
					}
					i++
					arg = args[i]
				}
				opts = append(opts, cronOpt{a[j], arg})
				break
			}
			opts = append(opts, cronOpt{c: a[j]})
		}
	}
	return opts, operands, ""
}

func isNumeric(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// cronErr writes to stderr as crontab's fprintf(stderr, ...) calls do.
func cronErr(p *sim.Proc, format string, a ...any) { fmt.Fprintf(p.Stderr, format, a...) }
