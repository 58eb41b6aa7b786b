package rocky

import (
	"bufio"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

const superuserError = "Error: This command has to be run with superuser privileges (under the root user on most systems)."

// protectedPackages mirrors /etc/dnf/protected.d on Rocky 9.
var protectedPackages = setOf("dnf", "systemd", "sudo", "kernel", "yum", "setup")

type dnfOpts struct {
	yes, quiet, no bool
	args           []string
}

// dnfCmd is dnf 4.14: install, remove, list, makecache, upgrade; info on
// stdout, warnings and errors on stderr (dnf/logging.py).
func dnfCmd(p *sim.Proc) int {
	o := &dnfOpts{}
	for _, a := range p.Args[1:] {
		switch {
		case a == "-y" || a == "--assumeyes":
			o.yes = true
		case a == "-q" || a == "--quiet":
			o.quiet = true
		case a == "--assumeno":
			o.no = true
		case a == "--version":
			outw(p.Stdout, "4.14.0")
			return 0
		case a == "-C" || a == "--cacheonly" || a == "--nogpgcheck" || a == "--refresh" || a == "--best" || a == "--nobest" ||
			a == "--allowerasing" || a == "-v" || a == "--verbose" || a == "--noplugins":
		case strings.HasPrefix(a, "--setopt=") || strings.HasPrefix(a, "--enablerepo=") || strings.HasPrefix(a, "--disablerepo=") ||
			strings.HasPrefix(a, "--repo=") || strings.HasPrefix(a, "--releasever="):
		case strings.HasPrefix(a, "-") && a != "--installed" && a != "--available":
			errw(p, "usage: dnf [options] COMMAND")
			errw(p, "dnf: error: unrecognized arguments: %s", a)
			return 2
		default:
			o.args = append(o.args, a)
		}
	}
	if len(o.args) == 0 {
		errw(p, "Error: There are no enabled repositories in \"/etc/yum.repos.d\", \"/etc/yum/repos.d\", \"/etc/distro.repos.d\".")
		return 1
	}
	d := &dnf{p: p, o: o}
	cmd, args := o.args[0], o.args[1:]
	switch cmd {
	case "install", "in":
		return d.install(args)
	case "remove", "rm", "erase":
		return d.remove(args)
	case "list", "ls":
		return d.list(args)
	case "makecache", "mc":
		d.metadataLine()
		d.info("Metadata cache created.")
		return 0
	case "upgrade", "update", "up":
		if !p.User.IsRoot() {
			errw(p, superuserError)
			return 1
		}
		d.metadataLine()
		d.info("Dependencies resolved.")
		d.info("Nothing to do.")
		d.info("Complete!")
		return 0
	}
	errw(p, "No such command: %s. Please use /usr/bin/dnf --help", cmd)
	errw(p, "It could be a DNF plugin command, try: \"dnf install 'dnf-command(%s)'\"", cmd)
	return 1
}

type dnf struct {
	p *sim.Proc
	o *dnfOpts
}

func (d *dnf) info(format string, a ...any) {
	if !d.o.quiet {
		outw(d.p.Stdout, format, a...)
	}
}

// metadataLine is base.py's "Last metadata expiration check" (C locale %c).
func (d *dnf) metadataLine() {
	h := d.p.Host
	now := h.Now()
	var when time.Time
	_ = updateRPM(h, func(s *rpmState) error {
		if s.MetadataCheck.IsZero() || now.Sub(s.MetadataCheck) > 48*time.Hour {
			s.MetadataCheck = now.Add(-754 * time.Second)
		}
		when = s.MetadataCheck
		return nil
	})
	d.info("Last metadata expiration check: %s ago on %s.", pyTimedelta(now.Sub(when)), when.Format("Mon Jan _2 15:04:05 2006"))
}

func (d *dnf) confirm() bool {
	if d.o.yes {
		return true
	}
	if d.o.no {
		return false
	}
	fmt.Fprint(d.p.Stdout, "Is this ok [y/N]: ")
	line, _ := bufio.NewReader(d.p.Stdin).ReadString('\n')
	ans := strings.ToLower(strings.TrimSpace(line))
	if ans == "" {
		fmt.Fprintln(d.p.Stdout)
	}
	return ans == "y" || ans == "yes"
}

func (d *dnf) transactionPreamble() {
	d.info("Running transaction check")
	d.info("Transaction check succeeded.")
	d.info("Running transaction test")
	d.info("Transaction test succeeded.")
	d.info("Running transaction")
}

func (d *dnf) install(specs []string) int {
	p := d.p
	if !p.User.IsRoot() {
		errw(p, superuserError)
		return 1
	}
	if len(specs) == 0 {
		errw(p, "Error: Nothing to do.")
		return 1
	}
	d.metadataLine()
	db, err := loadRPM(p.Host)
	if err != nil {
		errw(p, "Error: %v", err)
		return 1
	}
	var want []*pkg
	var missing []string
	for _, s := range specs {
		name := strings.TrimSuffix(strings.TrimSuffix(s, ".x86_64"), ".noarch")
		if ip := db.Packages[name]; ip != nil {
			d.info("Package %s is already installed.", ip.nevra())
			continue
		}
		c := findCatalog(name)
		if c == nil {
			for i := range catalog {
				if catalog[i].nvra() == s || catalog[i].Name+"-"+catalog[i].Version+"-"+catalog[i].Release == s {
					c = &catalog[i]
				}
			}
		}
		if c == nil {
			d.info("No match for argument: %s", s)
			missing = append(missing, s)
			continue
		}
		want = append(want, c)
	}
	if len(missing) > 0 {
		errw(p, "Error: Unable to find a match: %s", strings.Join(missing, " "))
		return 1
	}
	// dependency closure, dependencies first
	var order []*pkg
	reason := map[string]string{}
	seen := map[string]bool{}
	var visit func(c *pkg, r string)
	visit = func(c *pkg, r string) {
		if seen[c.Name] {
			if r == "user" {
				reason[c.Name] = "user"
			}
			return
		}
		seen[c.Name] = true
		reason[c.Name] = r
		for _, dep := range c.Requires {
			if db.Packages[dep] != nil {
				continue
			}
			if dc := findCatalog(dep); dc != nil {
				visit(dc, "dependency")
			}
		}
		order = append(order, c)
	}
	for _, c := range want {
		visit(c, "user")
	}
	d.info("Dependencies resolved.")
	if len(order) == 0 {
		d.info("Nothing to do.")
		d.info("Complete!")
		return 0
	}
	var user, deps []txLine
	var dl, inst int64
	for _, c := range sortedByNEVRA(order) {
		l := txLine{c.Name, c.Arch, c.evr(), c.Repo, formatNumber(c.Size)}
		if reason[c.Name] == "user" {
			user = append(user, l)
		} else {
			deps = append(deps, l)
		}
		dl += c.Size
		inst += c.InstallSize
	}
	if !d.o.quiet {
		fmt.Fprintln(p.Stdout, listTransaction([]txSection{{"Installing", user}, {"Installing dependencies", deps}}, []summaryItem{{"Install", len(order)}}))
	}
	d.info("Total download size: %s", formatNumber(dl))
	d.info("Installed size: %s", formatNumber(inst))
	if !d.confirm() {
		errw(p, "Error: Operation aborted.")
		return 1
	}
	d.info("Downloading Packages:")
	dlTime := time.Second + time.Duration(dl/(4<<20))*time.Second
	speed := int64(float64(dl) / dlTime.Seconds())
	d.info("%s", strings.Repeat("-", termColumns))
	msg := fmt.Sprintf(" %5sB/s | %5sB %9s     ", formatNumber(speed), formatNumber(dl), formatTime(dlTime))
	d.info("%s%s", fillExactWidth("Total", termColumns-len(msg), true), msg)
	d.transactionPreamble()
	n := len(order)
	d.info("%s", progressLine("Preparing", "", 1, 1))
	now := p.Host.Now()
	var nevras []string
	for i, c := range order {
		if strings.Contains(c.Scriptlets, "pre") {
			d.info("%s", progressLine("Running scriptlet", c.nevra(), i+1, n))
		}
		d.info("%s", progressLine("Installing", c.nevra(), i+1, n))
		if err := installFiles(p.Host, c); err != nil {
			errw(p, "Error: Transaction failed: %v", err)
			return 1
		}
		if err := updateRPM(p.Host, func(s *rpmState) error {
			s.Packages[c.Name] = &installed{pkg: *c, InstallTime: now, Reason: reason[c.Name], FromRepo: "@" + c.Repo}
			return nil
		}); err != nil {
			errw(p, "Error: %v", err)
			return 1
		}
		if strings.Contains(c.Scriptlets, "post") {
			d.info("%s", progressLine("Running scriptlet", c.nevra(), i+1, n))
			if out := presetUnits(p.Host, c.Preset, glyphsFor(p)); out != "" && !d.o.quiet {
				fmt.Fprint(p.Stdout, out)
				fmt.Fprintln(p.Stdout)
			}
		}
		nevras = append(nevras, c.nevra())
	}
	_ = newEngine(p.Host, p.Ctx).daemonReload()
	for i, c := range sortedByNEVRA(order) {
		d.info("%s", progressLine("Verifying", c.nevra(), i+1, n))
	}
	d.info("")
	if !d.o.quiet {
		fmt.Fprint(p.Stdout, postTransaction("Installed", nevras))
	}
	d.info("")
	d.info("Complete!")
	return 0
}

func sortedByNEVRA(list []*pkg) []*pkg {
	out := append([]*pkg(nil), list...)
	sort.Slice(out, func(i, j int) bool { return out[i].nevra() < out[j].nevra() })
	return out
}

// fileMode converts an rpm mode (with 04000) to an fs.FileMode.
func fileMode(m uint32, dir bool) fs.FileMode {
	if m == 0 {
		if dir {
			return 0o755
		}
		return 0o644
	}
	mode := fs.FileMode(m & 0o777)
	if m&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	return mode
}

// installFiles lays a package's files into the tree as rpm does (config
// files already present are kept, the new one saved as .rpmnew).
func installFiles(h *sim.Host, c *pkg) error {
	for _, f := range c.Files {
		if err := h.Tree.MkdirAll(root, path.Dir(f.Path), 0o755); err != nil {
			return err
		}
		switch {
		case f.Dir:
			if err := h.Tree.MkdirAll(root, f.Path, fileMode(f.Mode, true)); err != nil {
				return err
			}
		case f.Link != "":
			if _, err := h.Tree.Lstat(f.Path); err == nil {
				_ = h.Tree.Remove(root, f.Path)
			}
			if err := h.Tree.Symlink(root, f.Link, f.Path); err != nil {
				return err
			}
		case f.Text == "" && !f.Config:
			if err := h.WriteStub(f.Path); err != nil {
				return err
			}
			if err := h.Tree.Chmod(root, f.Path, fileMode(f.Mode, false)); err != nil {
				return err
			}
		default:
			target := f.Path
			if f.Config && exists(h, f.Path) {
				target += ".rpmnew"
			}
			if err := h.Tree.WriteFile(root, target, []byte(f.Text), fileMode(f.Mode, false)); err != nil {
				return err
			}
		}
	}
	return nil
}

// presetUnits is %systemd_post: enable the units the preset policy enables.
func presetUnits(h *sim.Host, units []string, g glyphs) string {
	var b strings.Builder
	for _, u := range units {
		if presetFor(h, u) != "enabled" {
			continue
		}
		chs, _, err := enableUnit(h, u, map[string]bool{})
		if err != nil {
			continue
		}
		for _, ch := range chs {
			b.WriteString(ch.text(g) + "\n")
		}
	}
	return b.String()
}

func (d *dnf) remove(specs []string) int {
	p := d.p
	if !p.User.IsRoot() {
		errw(p, superuserError)
		return 1
	}
	if len(specs) == 0 {
		errw(p, "Error: Nothing to do.")
		return 1
	}
	db, err := loadRPM(p.Host)
	if err != nil {
		errw(p, "Error: %v", err)
		return 1
	}
	remove := map[string]string{} // name -> section
	for _, s := range specs {
		name := strings.TrimSuffix(strings.TrimSuffix(s, ".x86_64"), ".noarch")
		if db.Packages[name] == nil {
			d.info("No match for argument: %s", s)
			continue
		}
		remove[name] = "Removing"
	}
	if len(remove) == 0 {
		errw(p, "No packages marked for removal.")
		d.info("Dependencies resolved.")
		d.info("Nothing to do.")
		d.info("Complete!")
		return 0
	}
	for changed := true; changed; {
		changed = false
		for name, ip := range db.Packages {
			if remove[name] != "" {
				continue
			}
			for _, r := range ip.Requires {
				if remove[r] != "" {
					remove[name] = "Removing dependent packages"
					changed = true
					break
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for name, ip := range db.Packages {
			if remove[name] != "" || ip.Reason != "dependency" {
				continue
			}
			needed := false
			for other, op := range db.Packages {
				if remove[other] != "" {
					continue
				}
				for _, r := range op.Requires {
					if r == name {
						needed = true
					}
				}
			}
			if !needed {
				remove[name] = "Removing unused dependencies"
				changed = true
			}
		}
	}
	var prot []string
	for name := range remove {
		if protectedPackages[name] {
			prot = append(prot, name)
		}
	}
	if len(prot) > 0 {
		sort.Strings(prot)
		errw(p, "Error: ")
		errw(p, " Problem: The operation would result in removing the following protected packages: %s", strings.Join(prot, ", "))
		return 1
	}
	sections := []txSection{{title: "Removing"}, {title: "Removing dependent packages"}, {title: "Removing unused dependencies"}}
	var list []*installed
	for name := range remove {
		list = append(list, db.Packages[name])
	}
	sort.Slice(list, func(i, j int) bool { return list[i].nevra() < list[j].nevra() })
	var freed int64
	for _, ip := range list {
		l := txLine{ip.Name, ip.Arch, ip.evr(), ip.FromRepo, formatNumber(ip.InstallSize)}
		for i := range sections {
			if sections[i].title == remove[ip.Name] {
				sections[i].lines = append(sections[i].lines, l)
			}
		}
		freed += ip.InstallSize
	}
	d.info("Dependencies resolved.")
	if !d.o.quiet {
		fmt.Fprintln(p.Stdout, listTransaction(sections, []summaryItem{{"Remove", len(list)}}))
	}
	d.info("Freed space: %s", formatNumber(freed))
	if !d.confirm() {
		errw(p, "Error: Operation aborted.")
		return 1
	}
	d.transactionPreamble()
	n := len(list)
	d.info("%s", progressLine("Preparing", "", 1, 1))
	// dependents before what they require
	order := removalOrder(list)
	e := newEngine(p.Host, p.Ctx)
	g := glyphsFor(p)
	var nevras []string
	for i, ip := range order {
		if len(ip.Units) > 0 || ip.Scriptlets != "" {
			d.info("%s", progressLine("Running scriptlet", ip.nevra(), i+1, n))
			var out strings.Builder
			for _, u := range ip.Units {
				ud := resolveUnit(p.Host, u)
				e.stop(ud)
				chs, _ := disableUnit(p.Host, u)
				for _, ch := range chs {
					out.WriteString(ch.text(g) + "\n")
				}
			}
			if out.Len() > 0 && !d.o.quiet {
				fmt.Fprint(p.Stdout, out.String())
				fmt.Fprintln(p.Stdout)
			}
		}
		d.info("%s", progressLine("Erasing", ip.nevra(), i+1, n))
		removeFiles(p.Host, &ip.pkg)
		name := ip.Name
		_ = updateRPM(p.Host, func(s *rpmState) error {
			delete(s.Packages, name)
			return nil
		})
		if strings.Contains(ip.Scriptlets, "post") {
			d.info("%s", progressLine("Running scriptlet", ip.nevra(), i+1, n))
		}
		nevras = append(nevras, ip.nevra())
	}
	_ = e.daemonReload()
	for i, ip := range list {
		d.info("%s", progressLine("Verifying", ip.nevra(), i+1, n))
	}
	d.info("")
	if !d.o.quiet {
		fmt.Fprint(p.Stdout, postTransaction("Removed", nevras))
	}
	d.info("")
	d.info("Complete!")
	return 0
}

func removalOrder(list []*installed) []*installed {
	names := map[string]*installed{}
	for _, ip := range list {
		names[ip.Name] = ip
	}
	var out []*installed
	done := map[string]bool{}
	var visit func(ip *installed)
	visit = func(ip *installed) {
		if done[ip.Name] {
			return
		}
		done[ip.Name] = true
		for _, other := range list {
			for _, r := range other.Requires {
				if r == ip.Name {
					visit(other)
				}
			}
		}
		out = append(out, ip)
	}
	for _, ip := range list {
		visit(ip)
	}
	return out
}

// removeFiles deletes a package's files; directories go only when empty,
// modified config files are kept as .rpmsave.
func removeFiles(h *sim.Host, c *pkg) {
	for i := len(c.Files) - 1; i >= 0; i-- {
		f := c.Files[i]
		if f.Dir {
			if len(listDir(h, f.Path)) == 0 {
				_ = h.Tree.Remove(root, f.Path)
			}
			continue
		}
		if f.Config {
			if cur, err := readFile(h, f.Path); err == nil && cur != f.Text {
				_ = h.Tree.Rename(root, f.Path, f.Path+".rpmsave")
				continue
			}
		}
		_ = h.Tree.Remove(root, f.Path)
	}
}

func (d *dnf) list(args []string) int {
	p := d.p
	which := "all"
	if len(args) > 0 && (args[0] == "installed" || args[0] == "available" || args[0] == "--installed" || args[0] == "--available" || args[0] == "all") {
		which = strings.TrimPrefix(args[0], "--")
		args = args[1:]
	}
	if which != "installed" {
		d.metadataLine()
	}
	db, err := loadRPM(p.Host)
	if err != nil {
		errw(p, "Error: %v", err)
		return 1
	}
	match := func(name string) bool {
		if len(args) == 0 {
			return true
		}
		for _, a := range args {
			if ok, _ := path.Match(a, name); ok {
				return true
			}
		}
		return false
	}
	type row struct{ na, evr, repo string }
	var inst, avail []row
	if which != "available" {
		for _, ip := range db.sorted() {
			if match(ip.Name) {
				inst = append(inst, row{ip.Name + "." + ip.Arch, ip.evr(), ip.FromRepo})
			}
		}
	}
	if which != "installed" {
		for i := range catalog {
			c := &catalog[i]
			if db.Packages[c.Name] == nil && match(c.Name) {
				avail = append(avail, row{c.Name + "." + c.Arch, c.evr(), c.Repo})
			}
		}
	}
	if len(inst)+len(avail) == 0 {
		errw(p, "Error: No matching Packages to list")
		return 1
	}
	data := []map[int]int{{}, {}, {}}
	for _, r := range append(append([]row(nil), inst...), avail...) {
		data[0][len(r.na)]++
		data[1][len(r.evr)]++
		data[2][len(r.repo)]++
	}
	cols := calcColumns(data, nil, 1, termColumns, "")
	sort.Slice(avail, func(i, j int) bool { return avail[i].na < avail[j].na })
	sort.Slice(inst, func(i, j int) bool { return inst[i].na < inst[j].na })
	for _, sec := range []struct {
		title string
		rows  []row
	}{{"Installed Packages", inst}, {"Available Packages", avail}} {
		if len(sec.rows) == 0 {
			continue
		}
		outw(p.Stdout, "%s", sec.title)
		for _, r := range sec.rows {
			outw(p.Stdout, "%s", fmtColumns([]col{{r.na, -cols[0]}, {r.evr, -cols[1]}, {r.repo, -cols[2]}}, "", ""))
		}
	}
	return 0
}
