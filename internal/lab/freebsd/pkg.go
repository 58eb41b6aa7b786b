package freebsd

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// pkgState is the Update/Load name of the package database.
const pkgState = "freebsd-pkg"

type pkgInstalled struct {
	Version     string
	Origin      string
	InstalledAt int64
	Automatic   bool
}

// pkgDB is the local package database kept under pkgState.
type pkgDB struct {
	Packages map[string]pkgInstalled
}

func loadPkgDB(h *sim.Host) pkgDB {
	db, _ := sim.Load[pkgDB](h, pkgState)
	return db
}

func (db pkgDB) names() []string {
	var out []string
	for n := range db.Packages {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// humanMiB is pkg's humanize_number for the size lines ("30 MiB").
func humanSize(n int64) string {
	switch {
	case n >= mib:
		return fmt.Sprintf("%d MiB", (n+mib/2)/mib)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", (n+512)>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// pkgCmd is /usr/sbin/pkg and /usr/local/sbin/pkg.
func pkgCmd(p *sim.Proc) int {
	args := p.Args[1:]
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-N":
			db := loadPkgDB(p.Host)
			if len(db.Packages) == 0 {
				fmt.Fprintln(p.Stderr, "pkg: No packages registered")
				return 1
			}
			fmt.Fprintf(p.Stdout, "pkg: %d packages installed\n", len(db.Packages))
			return 0
		case "-v", "--version":
			fmt.Fprintln(p.Stdout, pkgCatalog["pkg"].Version)
			return 0
		}
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(p.Stderr, "Usage: pkg [-v] [-d] [-l] [-N] [-j <jail name or id>|-c <chroot path>|-r <rootdir>] [-C <configuration file>] [-R <repo config dir>] [-o var=value] [-4|-6] <command> [<args>]")
		return 1
	}
	switch args[0] {
	case "info":
		return pkgInfo(p, args[1:])
	case "query":
		return pkgQuery(p, args[1:])
	case "install", "add":
		return pkgInstall(p, args[1:])
	case "delete", "remove":
		return pkgDelete(p, args[1:])
	case "update":
		fmt.Fprint(p.Stdout, "Updating FreeBSD repository catalogue...\nFreeBSD repository is up to date.\nAll repositories are up to date.\n")
		return 0
	}
	fmt.Fprintf(p.Stderr, "pkg: unknown command: %s\n", args[0])
	return 1
}

func pkgInfo(p *sim.Proc, args []string) int {
	opts, names, gerr := getopt(args, "aeqlEAdrDfIpgxXFRkMoOsbB")
	if gerr != nil {
		fmt.Fprint(p.Stderr, gerr.message("pkg"))
		return 1
	}
	exists, quiet, files := false, false, false
	for _, o := range opts {
		switch o.c {
		case 'e':
			exists = true
		case 'q':
			quiet = true
		case 'l':
			files = true
		}
	}
	db := loadPkgDB(p.Host)
	if len(names) == 0 {
		for _, n := range db.names() {
			fmt.Fprintf(p.Stdout, "%-30s %s\n", n+"-"+db.Packages[n].Version, pkgCatalog[n].Comment)
		}
		return 0
	}
	status := 0
	for _, n := range names {
		name := pkgBaseName(n, db)
		inst, ok := db.Packages[name]
		if !ok {
			if !exists && !quiet {
				fmt.Fprintf(p.Stderr, "pkg: No package(s) matching %s\n", n)
			}
			status = 1
			continue
		}
		if exists {
			continue
		}
		d := pkgCatalog[name]
		if files {
			fmt.Fprintf(p.Stdout, "%s-%s:\n", name, inst.Version)
			for _, f := range d.Files {
				fp := f.Path
				if f.Sample {
					fp += ".sample"
				}
				fmt.Fprintf(p.Stdout, "\t%s\n", fp)
			}
			continue
		}
		renderPkgInfo(p.Stdout, d, inst)
	}
	return status
}

// pkgBaseName accepts NAME or NAME-VERSION.
func pkgBaseName(s string, db pkgDB) string {
	if _, ok := db.Packages[s]; ok {
		return s
	}
	if i := strings.LastIndexByte(s, '-'); i > 0 {
		if inst, ok := db.Packages[s[:i]]; ok && inst.Version == s[i+1:] {
			return s[:i]
		}
	}
	return s
}

func renderPkgInfo(w io.Writer, d pkgDef, inst pkgInstalled) {
	fmt.Fprintf(w, "%s-%s\n", d.Name, inst.Version)
	row := func(k, v string) { fmt.Fprintf(w, "%-15s: %s\n", k, v) }
	row("Name", d.Name)
	row("Version", inst.Version)
	row("Installed on", time.Unix(inst.InstalledAt, 0).UTC().Format("Mon Jan _2 15:04:05 2006 MST"))
	row("Origin", d.Origin)
	row("Architecture", "FreeBSD:14:amd64")
	row("Prefix", "/usr/local")
	row("Categories", strings.SplitN(d.Origin, "/", 2)[0])
	row("Licenses", d.License)
	row("Maintainer", d.Maintainer)
	row("WWW", d.WWW)
	row("Comment", d.Comment)
	fmt.Fprintf(w, "%-15s:\n", "Annotations")
	fmt.Fprintf(w, "\tFreeBSD_version: 1403000\n\trepo_type      : binary\n\trepository     : FreeBSD\n")
	row("Flat size", fmt.Sprintf("%.1fMiB", float64(d.FlatSize)/mib))
	fmt.Fprintf(w, "%-15s:\n%s\n\n", "Description", d.Comment)
}

// pkgQuery is pkg query FORMAT [NAME...]: %n %v %o %c %p %a.
func pkgQuery(p *sim.Proc, args []string) int {
	_, args, _ = getopt(args, "aegiFCx")
	if len(args) == 0 {
		fmt.Fprintln(p.Stderr, "Usage: pkg query <query-format> <pkg-name>")
		return 1
	}
	format := args[0]
	db := loadPkgDB(p.Host)
	names := args[1:]
	if len(names) == 0 {
		names = db.names()
	}
	printed := 0
	for _, n := range names {
		name := pkgBaseName(n, db)
		inst, ok := db.Packages[name]
		if !ok {
			continue
		}
		d := pkgCatalog[name]
		r := strings.NewReplacer("%n", name, "%v", inst.Version, "%o", d.Origin, "%c", d.Comment,
			"%p", "/usr/local", "%w", d.WWW, "%m", d.Maintainer, "%a", map[bool]string{true: "1", false: "0"}[inst.Automatic],
			"%sh", humanSize(d.FlatSize), "\\n", "\n", "\\t", "\t")
		fmt.Fprintln(p.Stdout, r.Replace(format))
		printed++
	}
	if printed == 0 {
		return 1
	}
	return 0
}

// pkgResolve returns the packages to install for names (with dependencies
// first), or the first unknown name.
func pkgResolve(names []string, db pkgDB) ([]string, string) {
	var out []string
	seen := map[string]bool{}
	var add func(n string) bool
	add = func(n string) bool {
		if seen[n] {
			return true
		}
		d, ok := pkgCatalog[n]
		if !ok {
			return false
		}
		seen[n] = true
		for _, dep := range d.Deps {
			add(dep)
		}
		if _, inst := db.Packages[n]; !inst {
			out = append(out, n)
		}
		return true
	}
	for _, n := range names {
		if !add(n) {
			return nil, n
		}
	}
	return out, ""
}

func pkgInstall(p *sim.Proc, args []string) int {
	opts, names, gerr := getopt(args, "AfIMnFqRUyr:gxX")
	if gerr != nil {
		fmt.Fprint(p.Stderr, gerr.message("pkg"))
		return 1
	}
	yes, quiet, dry := false, false, false
	for _, o := range opts {
		switch o.c {
		case 'y':
			yes = true
		case 'q':
			quiet = true
		case 'n':
			dry = true
		}
	}
	if len(names) == 0 {
		fmt.Fprintln(p.Stderr, "Usage: pkg install [-AfInFMqRUy] [-r reponame] [-Cgix] <pkg-origin|pkg-name> ...")
		return 1
	}
	if !p.User.IsRoot() {
		fmt.Fprintln(p.Stderr, "pkg: Insufficient privileges to install packages")
		return 1
	}
	out := p.Stdout
	if quiet {
		out = io.Discard
	}
	fmt.Fprint(out, "Updating FreeBSD repository catalogue...\nFreeBSD repository is up to date.\nAll repositories are up to date.\n")
	db := loadPkgDB(p.Host)
	todo, unknown := pkgResolve(names, db)
	if unknown != "" {
		fmt.Fprintf(p.Stderr, "pkg: No packages available to install matching '%s' have been found in the repositories\n", unknown)
		return 1
	}
	if len(todo) == 0 {
		fmt.Fprint(out, "Checking integrity... done (0 conflicting)\nThe most recent versions of packages are already installed\n")
		return 0
	}
	var flat, dl int64
	sorted := append([]string(nil), todo...)
	sort.Strings(sorted)
	fmt.Fprintf(out, "The following %d package(s) will be affected (of 0 checked):\n\nNew packages to be INSTALLED:\n", len(todo))
	for _, n := range sorted {
		fmt.Fprintf(out, "\t%s: %s\n", n, pkgCatalog[n].Version)
		flat += pkgCatalog[n].FlatSize
		dl += pkgCatalog[n].PkgSize
	}
	fmt.Fprintf(out, "\nNumber of packages to be installed: %d\n\nThe process will require %s more space.\n%s to be downloaded.\n", len(todo), humanSize(flat), humanSize(dl))
	if dry {
		return 0
	}
	if !yes {
		fmt.Fprint(out, "\nProceed with this action? [y/N]: ")
		line, _ := bufio.NewReader(p.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			return 1
		}
	} else {
		fmt.Fprintln(out)
	}
	total := len(todo)
	for i, n := range todo {
		d := pkgCatalog[n]
		fmt.Fprintf(out, "[%d/%d] Fetching %s-%s.pkg: 100%%  %6s %5.1fMB/s    00:01    \n", i+1, total, n, d.Version, humanSize(d.PkgSize), float64(d.PkgSize)/mib)
	}
	fmt.Fprintln(out, "Checking integrity... done (0 conflicting)")
	var messages []string
	for i, n := range todo {
		d := pkgCatalog[n]
		fmt.Fprintf(out, "[%d/%d] Installing %s-%s...\n", i+1, total, n, d.Version)
		pkgCreateUsers(p, d, out)
		fmt.Fprintf(out, "[%d/%d] Extracting %s-%s: 100%%\n", i+1, total, n, d.Version)
		if err := pkgExtract(p, d); err != nil {
			fmt.Fprintf(p.Stderr, "pkg: %v\n", err)
			return 1
		}
		auto := !contains(names, n)
		_ = sim.Update(p.Host, pkgState, func(s *pkgDB) error {
			if s.Packages == nil {
				s.Packages = map[string]pkgInstalled{}
			}
			s.Packages[n] = pkgInstalled{Version: d.Version, Origin: d.Origin, InstalledAt: p.Host.Now().Unix(), Automatic: auto}
			return nil
		})
		if d.Message != "" {
			messages = append(messages, fmt.Sprintf("=====\nMessage from %s-%s:\n\n--\n%s", n, d.Version, d.Message))
		}
	}
	for _, m := range messages {
		fmt.Fprint(out, m)
	}
	return 0
}

// pkgCreateUsers adds the package's users and groups (pw groupadd/useradd).
func pkgCreateUsers(p *sim.Proc, d pkgDef, out io.Writer) {
	if len(d.Users) == 0 {
		return
	}
	root := rootUser()
	group, _ := p.Host.Tree.ReadFile(root, "/etc/group")
	passwd, _ := p.Host.Tree.ReadFile(root, "/etc/passwd")
	fmt.Fprintln(out, "===> Creating groups")
	for _, u := range d.Users {
		if hasEntry(group, u.Name) {
			fmt.Fprintf(out, "Using existing group '%s'\n", u.Name)
			continue
		}
		fmt.Fprintf(out, "Creating group '%s' with gid '%d'\n", u.Name, u.ID)
		_ = p.Host.Tree.AppendFile(root, "/etc/group", []byte(fmt.Sprintf("%s:*:%d:\n", u.Name, u.ID)), 0o644)
	}
	fmt.Fprintln(out, "===> Creating users")
	for _, u := range d.Users {
		if hasEntry(passwd, u.Name) {
			fmt.Fprintf(out, "Using existing user '%s'\n", u.Name)
			continue
		}
		fmt.Fprintf(out, "Creating user '%s' with uid '%d'\n", u.Name, u.ID)
		_ = p.Host.Tree.AppendFile(root, "/etc/passwd", []byte(fmt.Sprintf("%s:*:%d:%d:%s:%s:/usr/sbin/nologin\n", u.Name, u.ID, u.ID, u.Name, u.Home)), 0o644)
	}
}

func hasEntry(db []byte, name string) bool {
	for _, l := range strings.Split(string(db), "\n") {
		if strings.HasPrefix(l, name+":") {
			return true
		}
	}
	return false
}

// pkgExtract writes the package's files into the tree.
func pkgExtract(p *sim.Proc, d pkgDef) error {
	root := rootUser()
	for _, dir := range d.Dirs {
		if err := p.Host.Tree.MkdirAll(root, dir, 0o750); err != nil {
			return err
		}
	}
	for _, f := range d.Files {
		if f.Stub {
			if err := p.Host.WriteStub(f.Path); err != nil {
				return err
			}
			continue
		}
		if err := p.Host.Tree.MkdirAll(root, path.Dir(f.Path), 0o755); err != nil {
			return err
		}
		target := f.Path
		if f.Sample {
			target += ".sample"
		}
		if err := writeMode(p, target, []byte(f.Content), fs.FileMode(f.Mode)); err != nil {
			return err
		}
		if f.Sample && !exists(p, f.Path) {
			if err := writeMode(p, f.Path, []byte(f.Content), fs.FileMode(f.Mode)); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeMode(p *sim.Proc, name string, data []byte, mode fs.FileMode) error {
	root := rootUser()
	if err := p.Host.Tree.WriteFile(root, name, data, mode); err != nil {
		return err
	}
	return p.Host.Tree.Chmod(root, name, mode)
}

func pkgDelete(p *sim.Proc, args []string) int {
	opts, names, gerr := getopt(args, "aCDfginqRxy")
	if gerr != nil {
		fmt.Fprint(p.Stderr, gerr.message("pkg"))
		return 1
	}
	yes, quiet := false, false
	for _, o := range opts {
		switch o.c {
		case 'y':
			yes = true
		case 'q':
			quiet = true
		}
	}
	if len(names) == 0 {
		fmt.Fprintln(p.Stderr, "Usage: pkg delete [-DfnqRy] [-Cgix] <pkg-name> ...\n       pkg delete [-Dnqy] -a")
		return 1
	}
	if !p.User.IsRoot() {
		fmt.Fprintln(p.Stderr, "pkg: Insufficient privileges to delete packages")
		return 1
	}
	out := p.Stdout
	if quiet {
		out = io.Discard
	}
	db := loadPkgDB(p.Host)
	var todo []string
	for _, n := range names {
		name := pkgBaseName(n, db)
		if _, ok := db.Packages[name]; !ok {
			fmt.Fprintf(out, "No packages matched for pattern '%s'\n\n", n)
			continue
		}
		todo = append(todo, name)
	}
	fmt.Fprintln(out, "Checking integrity... done (0 conflicting)")
	if len(todo) == 0 {
		fmt.Fprintln(out, "No packages to be deleted")
		return 1
	}
	sort.Strings(todo)
	var flat int64
	fmt.Fprintf(out, "Deinstallation has been requested for the following %d packages (of 0 packages in the universe):\n\nInstalled packages to be REMOVED:\n", len(todo))
	for _, n := range todo {
		fmt.Fprintf(out, "\t%s: %s\n", n, db.Packages[n].Version)
		flat += pkgCatalog[n].FlatSize
	}
	fmt.Fprintf(out, "\nNumber of packages to be removed: %d\n\nThe operation will free %s.\n", len(todo), humanSize(flat))
	if !yes {
		fmt.Fprint(out, "\nProceed with deinstalling packages? [y/N]: ")
		line, _ := bufio.NewReader(p.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			return 1
		}
	}
	for i, n := range todo {
		v := db.Packages[n].Version
		fmt.Fprintf(out, "[%d/%d] Deinstalling %s-%s...\n", i+1, len(todo), n, v)
		fmt.Fprintf(out, "[%d/%d] Deleting files for %s-%s: 100%%\n", i+1, len(todo), n, v)
		pkgRemoveFiles(p, pkgCatalog[n])
		_ = sim.Update(p.Host, pkgState, func(s *pkgDB) error {
			delete(s.Packages, n)
			return nil
		})
	}
	return 0
}

// pkgRemoveFiles deletes the package's files; an "@sample" config file
// stays unless it still equals the sample.
func pkgRemoveFiles(p *sim.Proc, d pkgDef) {
	root := rootUser()
	for _, f := range d.Files {
		if f.Sample {
			cur, err := p.Host.Tree.ReadFile(root, f.Path)
			if err == nil && string(cur) == f.Content {
				_ = p.Host.Tree.Remove(root, f.Path)
			}
			_ = p.Host.Tree.Remove(root, f.Path+".sample")
			continue
		}
		_ = p.Host.Tree.Remove(root, f.Path)
	}
}
