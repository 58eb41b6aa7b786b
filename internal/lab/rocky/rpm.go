package rocky

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// rpmCmd is rpm 4.16's query mode (lib/query.c): -q, -qa, -ql, -qc, -qf,
// --qf/--queryformat. Not-installed notices go to stdout and the exit status
// is the number of arguments that matched nothing. Query results and those
// notices are rpmlog(RPMLOG_NOTICE) messages, which --quiet (verbosity
// RPMLOG_WARNING) suppresses; errors still go to stderr.
func rpmCmd(p *sim.Proc) int {
	var query, all, list, configs, file, quiet bool
	format := ""
	var args []string
	argv := p.Args[1:]
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "--queryformat" || a == "--qf":
			if i+1 >= len(argv) {
				errw(p, "rpm: option '%s' requires an argument", a)
				return 1
			}
			i++
			format = argv[i]
		case strings.HasPrefix(a, "--queryformat=") || strings.HasPrefix(a, "--qf="):
			_, format, _ = strings.Cut(a, "=")
		case a == "--query":
			query = true
		case a == "--all":
			all = true
		case a == "--list":
			list = true
		case a == "--configfiles":
			configs = true
		case a == "--file":
			file = true
		case a == "--quiet":
			quiet = true
		case a == "--nodigest" || a == "--nosignature":
		case a == "--version":
			outw(p.Stdout, "RPM version 4.16.1.3")
			return 0
		case strings.HasPrefix(a, "--"):
			errw(p, "rpm: %s: unknown option", a)
			return 1
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for _, c := range a[1:] {
				switch c {
				case 'q':
					query = true
				case 'a':
					all = true
				case 'l':
					list = true
				case 'c':
					configs = true
				case 'f':
					file = true
				case 'e', 'i', 'U', 'F', 'V':
					errw(p, "lab: rpm -%c is not emulated; use dnf", c)
					return 1
				default:
					errw(p, "rpm: -%c: unknown option", c)
					return 1
				}
			}
		default:
			args = append(args, a)
		}
	}
	if !query {
		errw(p, "rpm: no operation specified")
		return 1
	}
	if !all && len(args) == 0 {
		errw(p, "rpm: no arguments given for query")
		return 1
	}
	stdout := p.Stdout
	if quiet {
		stdout = io.Discard
	}
	db, err := loadRPM(p.Host)
	if err != nil {
		errw(p, "error: cannot open Packages database in /var/lib/rpm")
		return 1
	}
	show := func(ip *installed) bool {
		switch {
		case format != "":
			s, err := queryFormat(format, ip)
			if err != nil {
				errw(p, "error: incorrect format: %s", err)
				return false
			}
			fmt.Fprint(stdout, s)
		case list || configs:
			n := 0
			for _, f := range ip.Files {
				if configs && !f.Config {
					continue
				}
				outw(stdout, "%s", f.Path)
				n++
			}
			if n == 0 {
				outw(stdout, "(contains no files)")
			}
		default:
			outw(stdout, "%s", ip.nvra())
		}
		return true
	}
	if all {
		pkgs := db.sorted()
		sort.SliceStable(pkgs, func(i, j int) bool { return pkgs[i].InstallTime.Before(pkgs[j].InstallTime) })
		for _, ip := range pkgs {
			if !show(ip) {
				return 1
			}
		}
		return 0
	}
	failed := 0
	for _, a := range args {
		if file {
			if !exists(p.Host, a) {
				errw(p, "error: file %s: No such file or directory", a)
				failed++
				continue
			}
			ip := db.owner(a)
			if ip == nil {
				outw(stdout, "file %s is not owned by any package", a)
				failed++
				continue
			}
			if !show(ip) {
				return 1
			}
			continue
		}
		matched := false
		for _, ip := range db.sorted() {
			if rpmMatches(ip, a) {
				matched = true
				if !show(ip) {
					return 1
				}
			}
		}
		if !matched {
			outw(stdout, "package %s is not installed", a)
			failed++
		}
	}
	return failed
}

// rpmMatches accepts the label forms rpm -q does: N, N-V, N-V-R, N-V-R.A.
func rpmMatches(ip *installed, label string) bool {
	return label == ip.Name ||
		label == ip.Name+"-"+ip.Version ||
		label == ip.Name+"-"+ip.Version+"-"+ip.Release ||
		label == ip.nvra() ||
		ip.Epoch != "" && label == ip.Name+"-"+ip.Epoch+":"+ip.Version+"-"+ip.Release+"."+ip.Arch
}
