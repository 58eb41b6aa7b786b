package freebsd

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// serviceCmd is /usr/sbin/service (usr.sbin/service/service.sh).
func serviceCmd(p *sim.Proc) int {
	vars := shVars{}
	loadRCConfig(treeFS{p}, vars, "XXX")
	local := vars["local_startup"]
	opts, args, gerr := getopt(p.Args[1:], "j:ehlrRv")
	if gerr != nil {
		serviceUsage(p.Stdout, local)
		return 1
	}
	var enabled, list, rcorder, verbose bool
	for _, o := range opts {
		switch o.c {
		case 'e':
			enabled = true
		case 'h':
			serviceUsage(p.Stdout, local)
			return 0
		case 'l':
			list = true
		case 'r':
			rcorder = true
		case 'R', 'j':
			fmt.Fprintf(p.Stderr, "service: -%c is not supported by the lab\n", o.c)
			return 1
		case 'v':
			verbose = true
		}
	}
	dirs := append([]string{"/etc/rc.d"}, strings.Fields(local)...)
	switch {
	case enabled || rcorder:
		for _, f := range rcOrderedFiles(p, dirs) {
			if rcorder {
				fmt.Fprintln(p.Stdout, f)
				continue
			}
			if serviceEnabled(p, f) {
				fmt.Fprintln(p.Stdout, f)
			}
		}
		return 0
	case list:
		for _, d := range dirs {
			if verbose {
				fmt.Fprintf(p.Stdout, "From %s:\n", d)
			}
			l, err := p.Host.Tree.ReadDir(p.User, d)
			if err != nil {
				continue
			}
			for _, f := range l {
				fmt.Fprintln(p.Stdout, f.Name)
			}
		}
		return 0
	}
	if len(args) < 2 {
		serviceUsage(p.Stdout, local)
		return 1
	}
	script := args[0]
	for _, d := range dirs {
		path := d + "/" + script
		fi, err := p.Host.Tree.Stat(path)
		if err != nil || fi.IsDir() || fi.Mode&0o111 == 0 {
			continue
		}
		if verbose {
			fmt.Fprintf(p.Stdout, "%s is located in %s\n", script, d)
		}
		// exec env -i -L -/daemon HOME=/ PATH=... "$dir/$script" "$@"
		q := *p
		q.Dir = "/"
		q.Env = []string{"HOME=/", "PATH=/sbin:/bin:/usr/sbin:/usr/bin"}
		return p.Host.Exec(&q, append([]string{path}, args[1:]...))
	}
	fmt.Fprintf(p.Stdout, "%s does not exist in /etc/rc.d or the local startup\n", script)
	fmt.Fprintf(p.Stdout, "directories (%s), or is not executable\n", local)
	return 1
}

func serviceUsage(w io.Writer, local string) {
	fmt.Fprint(w, "\nUsage:\n")
	fmt.Fprintln(w, "service [-j <jail name or id>] -e")
	fmt.Fprintln(w, "service [-j <jail name or id>] -R")
	fmt.Fprintln(w, "service [-j <jail name or id>] [-v] -l | -r")
	fmt.Fprintln(w, "service [-j <jail name or id>] [-v] <rc.d script> start|stop|etc.")
	fmt.Fprintln(w, "service -h")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "-j\tPerform actions within the named jail")
	fmt.Fprintln(w, "-e\tShow services that are enabled")
	fmt.Fprintf(w, "-R\tStop and start enabled %s services\n", local)
	fmt.Fprintf(w, "-l\tList all scripts in /etc/rc.d and %s\n", local)
	fmt.Fprintln(w, "-r\tShow the results of boot time rcorder")
	fmt.Fprintln(w, "-v\tVerbose")
	fmt.Fprintln(w)
}

// rcOrderedFiles lists the rc.d scripts of dirs in rcorder(8)'s order
// (service.sh: rcorder /etc/rc.d/* $local_rc); the base scripts the lab
// does not install order them but are not listed.
func rcOrderedFiles(p *sim.Proc, dirs []string) []string {
	var out []string
	for _, s := range rcorder(rcBootScripts(p.Host, dirs, true)) {
		if p.Host.Tree.Exists(s.path) {
			out = append(out, s.path)
		}
	}
	return out
}

// serviceEnabled is service -e's test: the script has an rcvar, and it is yes.
func serviceEnabled(p *sim.Proc, path string) bool {
	var sink bytes.Buffer
	q := *p
	q.Stdout, q.Stderr = &sink, &sink
	r, _ := loadRC(&q, path, nil)
	if r == nil || r.rcvar() == "" {
		return false
	}
	yes, _ := checkYesNo(r.v[r.rcvar()])
	return yes
}
