package rocky

import (
	"fmt"
	"path"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

var findmntColumns = []string{"SOURCE", "TARGET", "FSTYPE", "OPTIONS", "VFS-OPTIONS", "FS-OPTIONS", "FSROOT"}

var vfsFlags = setOf("ro", "rw", "nosuid", "nodev", "noexec", "relatime", "noatime", "nodiratime", "strictatime", "nosymfollow")

type findmntOpts struct {
	noHeadings, raw, list, fstab, first, ascii bool
	columns                                    []string
	types                                      string
	target, mountpoint, source                 string
}

// findmntCmd is util-linux 2.37 findmnt over the mount table (or --fstab):
// exit 0 when something was printed, 1 otherwise (findmnt.8 EXIT STATUS).
func findmntCmd(p *sim.Proc) int {
	o := &findmntOpts{columns: []string{"TARGET", "SOURCE", "FSTYPE", "OPTIONS"}}
	var pos []string
	args := splitShortOpts(p.Args[1:], "dFNoOpSTtwM")
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		need := func() (string, bool) {
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			errw(p, "findmnt: option requires an argument -- '%s'", strings.TrimLeft(a, "-"))
			return "", false
		}
		val := func(long string) (string, bool) {
			return strings.CutPrefix(a, long+"=")
		}
		if v, ok := val("--output"); ok {
			o.columns = splitColumns(v)
			continue
		}
		if v, ok := val("--types"); ok {
			o.types = v
			continue
		}
		if v, ok := val("--target"); ok {
			o.target = v
			continue
		}
		if v, ok := val("--mountpoint"); ok {
			o.mountpoint = v
			continue
		}
		if v, ok := val("--source"); ok {
			o.source = v
			continue
		}
		switch a {
		case "-n", "--noheadings":
			o.noHeadings = true
		case "-r", "--raw":
			o.raw = true
		case "-l", "--list":
			o.list = true
		case "-s", "--fstab":
			o.fstab = true
		case "-f", "--first-only":
			o.first = true
		case "-a", "--ascii":
			o.ascii = true
		case "-m", "--mtab", "-k", "--kernel", "-u", "--notruncate", "-e", "--evaluate", "-c", "--canonicalize", "--real", "--pseudo":
		case "-o", "--output":
			v, ok := need()
			if !ok {
				return 1
			}
			o.columns = splitColumns(v)
		case "-t", "--types":
			v, ok := need()
			if !ok {
				return 1
			}
			o.types = v
		case "-T", "--target":
			v, ok := need()
			if !ok {
				return 1
			}
			o.target = v
		case "-M", "--mountpoint":
			v, ok := need()
			if !ok {
				return 1
			}
			o.mountpoint = v
		case "-S", "--source":
			v, ok := need()
			if !ok {
				return 1
			}
			o.source = v
		case "-J", "--json", "-P", "--pairs":
			errw(p, "lab: findmnt %s is not emulated", a)
			return 1
		case "-V", "--version":
			outw(p.Stdout, "findmnt from util-linux 2.37.4")
			return 0
		default:
			if strings.HasPrefix(a, "-") && len(a) > 1 {
				errw(p, "findmnt: unrecognized option '%s'", a)
				errw(p, "Try 'findmnt --help' for more information.")
				return 1
			}
			pos = append(pos, a)
		}
	}
	for i, c := range o.columns {
		o.columns[i] = strings.ToUpper(c)
		if !contains(findmntColumns, o.columns[i]) {
			errw(p, "findmnt: unknown column: %s", c)
			return 1
		}
	}
	switch len(pos) {
	case 0:
	case 1:
		// a lone argument is a source or a mount point
	case 2:
		o.source, o.mountpoint = pos[0], pos[1]
		pos = nil
	default:
		errw(p, "findmnt: bad usage")
		errw(p, "Try 'findmnt --help' for more information.")
		return 1
	}
	h := p.Host
	var entries []sim.Mount
	if o.fstab {
		for _, e := range loadFstab(h) {
			entries = append(entries, sim.Mount{Source: e.Spec, Point: e.File, FSType: e.Type, Options: strings.Split(e.Opts, ",")})
		}
	} else {
		entries = loadMounts(h)
	}
	match := func(m sim.Mount) bool {
		if o.types != "" && !typeMatches(o.types, m.FSType) {
			return false
		}
		if o.source != "" && m.Source != o.source {
			return false
		}
		if o.mountpoint != "" && m.Point != path.Clean(o.mountpoint) {
			return false
		}
		if len(pos) == 1 && m.Point != path.Clean(pos[0]) && m.Source != pos[0] {
			return false
		}
		return true
	}
	var rows []sim.Mount
	if o.target != "" {
		// the mount containing the path: longest mount point prefix
		t := path.Clean(o.target)
		if !strings.HasPrefix(t, "/") {
			t = path.Join(p.Dir, t)
		}
		best := -1
		for i, m := range entries {
			if (t == m.Point || m.Point == "/" || strings.HasPrefix(t, m.Point+"/")) && match(m) {
				if best < 0 || len(m.Point) >= len(entries[best].Point) {
					best = i
				}
			}
		}
		if best >= 0 {
			rows = append(rows, entries[best])
		}
	} else {
		for _, m := range entries {
			if match(m) {
				rows = append(rows, m)
			}
		}
	}
	if len(rows) == 0 {
		return 1
	}
	if o.first {
		rows = rows[:1]
	}
	tree := !o.list && !o.raw && !o.fstab && !o.first && o.target == "" && o.source == "" && o.mountpoint == "" && len(pos) == 0 && o.types == ""
	arts := make([]string, len(rows))
	if tree {
		rows, arts = treeOrder(rows, o.ascii || glyphsFor(p).Arrow == "->")
	}
	table := [][]string{o.columns}
	for i, m := range rows {
		var r []string
		for _, c := range o.columns {
			v := mountColumn(m, c)
			if c == "TARGET" {
				v = arts[i] + v
			}
			r = append(r, v)
		}
		table = append(table, r)
	}
	hidden := []bool{o.noHeadings}
	if o.raw {
		for ri, r := range table {
			if ri == 0 && o.noHeadings {
				continue
			}
			for i := range r {
				r[i] = rawEscape(r[i])
			}
			outw(p.Stdout, "%s", strings.Join(r, " "))
		}
		return 0
	}
	fmt.Fprint(p.Stdout, renderPlainTable(table, hidden))
	return 0
}

func splitColumns(v string) []string {
	var out []string
	for _, c := range strings.Split(v, ",") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

func mountColumn(m sim.Mount, c string) string {
	switch c {
	case "SOURCE":
		return m.Source
	case "TARGET":
		return m.Point
	case "FSTYPE":
		return m.FSType
	case "OPTIONS":
		return strings.Join(m.Options, ",")
	case "FSROOT":
		return "/"
	case "VFS-OPTIONS", "FS-OPTIONS":
		var vfs, fsopts []string
		for i, o := range m.Options {
			if vfsFlags[o] {
				vfs = append(vfs, o)
				if i == 0 {
					fsopts = append(fsopts, o)
				}
			} else {
				fsopts = append(fsopts, o)
			}
		}
		if c == "VFS-OPTIONS" {
			return strings.Join(vfs, ",")
		}
		return strings.Join(fsopts, ",")
	}
	return ""
}

// rawEscape is libsmartcols' raw output escaping of blanks and controls.
func rawEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c <= ' ' || c == '\\' || c >= 0x7f {
			fmt.Fprintf(&b, `\x%02x`, c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// treeOrder arranges mounts under their parent mount points as findmnt's
// default tree, returning each row's tree art.
func treeOrder(rows []sim.Mount, ascii bool) ([]sim.Mount, []string) {
	parent := make([]int, len(rows))
	for i, m := range rows {
		parent[i] = -1
		for j, q := range rows {
			if i == j {
				continue
			}
			if q.Point == "/" && m.Point != "/" || strings.HasPrefix(m.Point, q.Point+"/") {
				if parent[i] < 0 || len(q.Point) > len(rows[parent[i]].Point) {
					parent[i] = j
				}
			}
		}
	}
	branch, last, vert, space := "├─", "└─", "│ ", "  "
	if ascii {
		branch, last, vert, space = "|-", "`-", "| ", "  "
	}
	var out []sim.Mount
	var arts []string
	var walk func(i int, prefix string, isLast bool, top bool)
	walk = func(i int, prefix string, isLast bool, top bool) {
		art := ""
		childPrefix := prefix
		if !top {
			if isLast {
				art = prefix + last
				childPrefix = prefix + space
			} else {
				art = prefix + branch
				childPrefix = prefix + vert
			}
		}
		out = append(out, rows[i])
		arts = append(arts, art)
		var kids []int
		for k := range rows {
			if parent[k] == i {
				kids = append(kids, k)
			}
		}
		for n, k := range kids {
			walk(k, childPrefix, n == len(kids)-1, false)
		}
	}
	for i := range rows {
		if parent[i] < 0 {
			walk(i, "", true, true)
		}
	}
	return out, arts
}
