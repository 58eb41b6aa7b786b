package rocky

import (
	"fmt"
	"path"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// change is one install.c change: a symlink created or removed.
type change struct {
	created      bool
	link, target string
}

func (ch change) text(g glyphs) string {
	if ch.created {
		return fmt.Sprintf("Created symlink %s %s %s.", ch.link, g.Arrow, ch.target)
	}
	return fmt.Sprintf("Removed \"%s\".", ch.link)
}

// noInstallNotice is systemctl's notice for units without [Install] rules
// (systemd 252 wording: UNCONFIRMED, see README).
func noInstallNotice(bullet string) string {
	return "The unit files have no installation config (WantedBy=, RequiredBy=, Also=,\n" +
		"Alias= settings in the [Install] section, and DefaultInstance= for template\n" +
		"units). This means they are not meant to be enabled or disabled using systemctl.\n" +
		" \n" +
		"Possible reasons for having this kind of units are:\n" +
		bullet + " A unit may be statically enabled by being symlinked from another unit's\n" +
		"  .wants/ or .requires/ directory.\n" +
		bullet + " A unit's purpose may be to act as a helper for some other unit which has\n" +
		"  a requirement dependency on it.\n" +
		bullet + " A unit may be started when needed via activation (socket, path, timer,\n" +
		"  D-Bus, udev, scripted systemctl call, ...).\n" +
		bullet + " In case of template units, the unit is meant to be enabled with some\n" +
		"  instance name specified."
}

// installError is a failed unit file operation (install.c error texts).
type installError struct{ msg string }

func (e *installError) Error() string { return e.msg }

// linkUnit points link at target, replacing another symlink there.
func linkUnit(h *sim.Host, link, target string) (*change, error) {
	if t, ok := isSymlink(h, link); ok {
		if t == target {
			return nil, nil
		}
		if err := h.Tree.Remove(root, link); err != nil {
			return nil, err
		}
	} else if exists(h, link) {
		return nil, &installError{fmt.Sprintf("File %s already exists.", link)}
	}
	if err := h.Tree.MkdirAll(root, path.Dir(link), 0o755); err != nil {
		return nil, err
	}
	if err := h.Tree.Symlink(root, target, link); err != nil {
		return nil, err
	}
	return &change{created: true, link: link, target: target}, nil
}

// enableUnit creates the [Install] symlinks of name; carries reports
// whether the unit has install rules at all.
func enableUnit(h *sim.Host, name string, seen map[string]bool) (changes []change, carries bool, err error) {
	d := resolveUnit(h, name)
	if d.LoadState == "masked" {
		return nil, false, &installError{fmt.Sprintf("Unit file %s is masked.", d.FragmentPath)}
	}
	if d.FragmentPath == "" {
		return nil, false, &installError{fmt.Sprintf("Unit file %s does not exist.", name)}
	}
	if seen[d.ID] {
		return nil, true, nil
	}
	seen[d.ID] = true
	rules, also := d.installInfo()
	carries = rules || also
	linkName := d.ID
	if tmpl, inst, ok := splitInstance(d.ID); ok && inst == "" {
		if di := d.File.get("Install", "DefaultInstance"); di != "" {
			at := strings.IndexByte(tmpl, '@')
			linkName = tmpl[:at+1] + di + tmpl[at+1:]
		} else {
			linkName = ""
		}
	}
	add := func(ch *change, err error) error {
		if err != nil {
			return err
		}
		if ch != nil {
			changes = append(changes, *ch)
		}
		return nil
	}
	if linkName != "" {
		for _, k := range []struct{ key, suffix string }{{"WantedBy", ".wants"}, {"RequiredBy", ".requires"}, {"UpheldBy", ".upholds"}} {
			for _, t := range d.File.words("Install", k.key) {
				if err := add(linkUnit(h, etcUnitDir+"/"+t+k.suffix+"/"+linkName, d.FragmentPath)); err != nil {
					return changes, carries, err
				}
			}
		}
	}
	for _, a := range d.File.words("Install", "Alias") {
		if err := add(linkUnit(h, etcUnitDir+"/"+a, d.FragmentPath)); err != nil {
			return changes, carries, err
		}
	}
	for _, a := range d.File.words("Install", "Also") {
		more, _, err := enableUnit(h, mangleUnitName(a), seen)
		changes = append(changes, more...)
		if err != nil {
			return changes, carries, err
		}
	}
	return changes, carries, nil
}

// disableUnit removes every symlink in /etc/systemd/system that enables name.
func disableUnit(h *sim.Host, name string) ([]change, error) {
	d := resolveUnit(h, name)
	if d.FragmentPath == "" {
		return nil, &installError{fmt.Sprintf("Unit file %s does not exist.", name)}
	}
	if d.LoadState == "masked" {
		return nil, nil
	}
	var changes []change
	for _, l := range enablementLinks(h, d) {
		if err := h.Tree.Remove(root, l); err != nil {
			return changes, err
		}
		changes = append(changes, change{link: l})
	}
	for _, a := range d.File.words("Install", "Also") {
		more, err := disableUnit(h, mangleUnitName(a))
		changes = append(changes, more...)
		if err != nil {
			return changes, err
		}
	}
	return changes, nil
}

func maskUnit(h *sim.Host, name string) (*change, error) {
	link := etcUnitDir + "/" + name
	if t, ok := isSymlink(h, link); ok {
		if t == "/dev/null" {
			return nil, nil
		}
	} else if exists(h, link) {
		return nil, &installError{fmt.Sprintf("File %s already exists.", link)}
	}
	return linkUnit(h, link, "/dev/null")
}

func unmaskUnit(h *sim.Host, name string) (*change, error) {
	link := etcUnitDir + "/" + name
	if t, ok := isSymlink(h, link); ok && t == "/dev/null" {
		if err := h.Tree.Remove(root, link); err != nil {
			return nil, err
		}
		return &change{link: link}, nil
	}
	return nil, nil
}

func (c *sctl) unitFiles(verb string, names []string) int {
	if len(names) == 0 {
		return 0
	}
	if !c.p.User.IsRoot() {
		errw(c.p, "Failed to %s unit: Interactive authentication required.", verb)
		return 1
	}
	h := c.p.Host
	var all []change
	carries := true
	var err error
	mangled := mangleAll(names)
	for _, n := range mangled {
		n = path.Base(n)
		switch verb {
		case "enable", "reenable":
			if verb == "reenable" {
				var chs []change
				chs, err = disableUnit(h, n)
				all = append(all, chs...)
				if err != nil {
					break
				}
			}
			var chs []change
			var ci bool
			chs, ci, err = enableUnit(h, n, map[string]bool{})
			all = append(all, chs...)
			if err == nil && !ci {
				carries = false
			}
		case "disable":
			var chs []change
			chs, err = disableUnit(h, n)
			all = append(all, chs...)
		case "mask":
			var ch *change
			ch, err = maskUnit(h, n)
			if ch != nil {
				all = append(all, *ch)
			}
		case "unmask":
			var ch *change
			ch, err = unmaskUnit(h, n)
			if ch != nil {
				all = append(all, *ch)
			}
		}
		if err != nil {
			break
		}
	}
	if !c.o.quiet {
		for _, ch := range all {
			errw(c.p, "%s", ch.text(c.g))
		}
	}
	if err != nil {
		errw(c.p, "Failed to %s unit: %v", verb, err)
		return 1
	}
	if !c.o.noReload {
		if rerr := c.e.daemonReload(); rerr != nil {
			errw(c.p, "Failed to reload daemon: %v", rerr)
			return 1
		}
	}
	if !carries && !c.o.quiet {
		bullet := "•"
		if c.g.Arrow == "->" {
			bullet = "*"
		}
		errw(c.p, "%s", noInstallNotice(bullet))
	}
	if c.o.now {
		switch verb {
		case "enable":
			return c.jobs("start", mangled)
		case "reenable":
			return c.jobs("try-restart", mangled)
		case "disable", "mask":
			return c.jobs("stop", mangled)
		}
	}
	return 0
}
