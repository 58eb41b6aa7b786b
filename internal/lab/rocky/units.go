package rocky

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"sort"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// unitDirs is systemd's system unit search path, highest priority first.
var unitDirs = []string{"/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system"}

const etcUnitDir = "/etc/systemd/system"

var unitSuffixes = []string{".service", ".socket", ".target", ".timer", ".mount", ".automount", ".path", ".slice", ".scope", ".device", ".swap"}

// mangleUnitName adds ".service" to a bare name, as systemctl does.
func mangleUnitName(n string) string {
	for _, s := range unitSuffixes {
		if strings.HasSuffix(n, s) {
			return n
		}
	}
	return n + ".service"
}

func unitType(id string) string {
	if i := strings.LastIndexByte(id, '.'); i >= 0 {
		return id[i+1:]
	}
	return ""
}

// unitDef is a unit as systemd would load it from the tree right now.
type unitDef struct {
	Name         string // as asked for
	ID           string // after alias resolution
	Instance     string
	LoadState    string // loaded, not-found, masked, bad-setting
	FragmentPath string
	DropIns      []string
	Texts        map[string]string // path -> content, fragment and drop-ins
	Hash         string
	File         *unitFile
	LoadError    string
}

func splitInstance(id string) (template, instance string, ok bool) {
	at := strings.IndexByte(id, '@')
	dot := strings.LastIndexByte(id, '.')
	if at < 0 || dot < at {
		return "", "", false
	}
	return id[:at+1] + id[dot:], id[at+1 : dot], true
}

// resolveUnit loads a unit definition from the tree: fragment, alias
// symlinks, masks (symlinks to /dev/null), templates and drop-ins.
func resolveUnit(h *sim.Host, name string) *unitDef {
	d := &unitDef{Name: name, ID: name, LoadState: "not-found", Texts: map[string]string{}}
	for _, dir := range unitDirs {
		p := dir + "/" + name
		if t, ok := isSymlink(h, p); ok && t == "/dev/null" {
			d.LoadState = "masked"
			d.FragmentPath = p
			d.hash()
			return d
		}
	}
	lookup := []string{name}
	tmpl, inst, isInst := splitInstance(name)
	if isInst && inst != "" {
		lookup = append(lookup, tmpl)
		d.Instance = inst
	}
	for _, n := range lookup {
		for _, dir := range unitDirs {
			p := dir + "/" + n
			if !exists(h, p) {
				continue
			}
			frag := p
			if t, ok := isSymlink(h, p); ok {
				if !strings.HasPrefix(t, "/") {
					t = path.Join(dir, t)
				}
				frag = t
				if b := path.Base(t); b != n && n == name {
					d.ID = b // an alias names another unit
				}
			}
			d.FragmentPath = frag
			break
		}
		if d.FragmentPath != "" {
			break
		}
	}
	if d.FragmentPath == "" {
		return d
	}
	text, err := readFile(h, d.FragmentPath)
	if err != nil {
		d.LoadState = "not-found"
		return d
	}
	d.Texts[d.FragmentPath] = text
	d.DropIns = findDropIns(h, d.ID, tmpl, isInst)
	for _, di := range d.DropIns {
		t, err := readFile(h, di)
		if err == nil {
			d.Texts[di] = t
		}
	}
	d.parse()
	d.hash()
	return d
}

func (d *unitDef) parse() {
	f, err := parseUnitFile(d.Texts[d.FragmentPath])
	if err != nil {
		d.LoadState = "bad-setting"
		d.LoadError = err.Error()
		d.File = &unitFile{}
		return
	}
	for _, di := range d.DropIns {
		df, err := parseUnitFile(d.Texts[di])
		if err == nil {
			f.merge(df)
		}
	}
	for si := range f.Sections {
		for ei := range f.Sections[si].Entries {
			e := &f.Sections[si].Entries[ei]
			e.Value = expandSpecifiers(e.Value, d.ID, d.Instance)
		}
	}
	d.File = f
	d.LoadState = "loaded"
}

func (d *unitDef) hash() {
	s := sha256.New()
	keys := make([]string, 0, len(d.Texts))
	for k := range d.Texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s.Write([]byte(d.LoadState + "\x00" + d.FragmentPath + "\x00"))
	for _, k := range keys {
		s.Write([]byte(k + "\x00" + d.Texts[k] + "\x00"))
	}
	d.Hash = hex.EncodeToString(s.Sum(nil))[:16]
}

// findDropIns lists NAME.d/*.conf across the search path; a file name in a
// higher-priority directory hides the same name in lower ones.
func findDropIns(h *sim.Host, id, tmpl string, isInst bool) []string {
	names := []string{id}
	if isInst {
		names = append(names, tmpl)
	}
	seen := map[string]string{}
	for i := len(unitDirs) - 1; i >= 0; i-- {
		for _, n := range names {
			dir := unitDirs[i] + "/" + n + ".d"
			for _, fi := range listDir(h, dir) {
				if strings.HasSuffix(fi.Name, ".conf") {
					seen[fi.Name] = dir + "/" + fi.Name
				}
			}
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, seen[k])
	}
	return out
}

// snapshot is a unit as the (simulated) service manager loaded it; it stays
// until daemon-reload, so edits on disk are noticed and flagged.
type snapshot struct {
	Name         string
	ID           string
	Instance     string
	LoadState    string
	FragmentPath string
	DropIns      []string
	Texts        map[string]string
	Hash         string
}

func (d *unitDef) snapshot() *snapshot {
	return &snapshot{Name: d.Name, ID: d.ID, Instance: d.Instance, LoadState: d.LoadState, FragmentPath: d.FragmentPath, DropIns: d.DropIns, Texts: d.Texts, Hash: d.Hash}
}

func (s *snapshot) def() *unitDef {
	d := &unitDef{Name: s.Name, ID: s.ID, Instance: s.Instance, LoadState: s.LoadState, FragmentPath: s.FragmentPath, DropIns: s.DropIns, Texts: s.Texts, Hash: s.Hash}
	if d.Texts == nil {
		d.Texts = map[string]string{}
	}
	if d.LoadState == "loaded" || d.LoadState == "bad-setting" {
		d.parse()
	}
	return d
}

func (d *unitDef) description() string {
	if d.File != nil {
		if s := d.File.get("Unit", "Description"); s != "" {
			return s
		}
	}
	return d.ID
}

// hasInstallInfo mirrors install.c unit_file_install_info_has_rules/has_also.
func (d *unitDef) installInfo() (rules, also bool) {
	if d.File == nil {
		return false, false
	}
	for _, k := range []string{"WantedBy", "RequiredBy", "UpheldBy", "Alias"} {
		if len(d.File.words("Install", k)) > 0 {
			rules = true
		}
	}
	if _, _, isTmpl := splitInstance(d.ID); isTmpl && d.Instance == "" && d.File.get("Install", "DefaultInstance") == "" && rules {
		// a template without an instance is enabled through its instances
		return rules, len(d.File.words("Install", "Also")) > 0
	}
	return rules, len(d.File.words("Install", "Also")) > 0
}

// unitFileState is what is-enabled prints (install.c unit_file_lookup_state,
// reduced to the states this lab produces).
func unitFileState(h *sim.Host, d *unitDef) string {
	if d.LoadState == "masked" {
		if strings.HasPrefix(d.FragmentPath, "/run/") {
			return "masked-runtime"
		}
		return "masked"
	}
	if d.FragmentPath == "" {
		return ""
	}
	if d.ID != d.Name {
		return "alias"
	}
	if len(enablementLinks(h, d)) > 0 {
		return "enabled"
	}
	rules, also := d.installInfo()
	switch {
	case rules:
		if _, _, isTmpl := splitInstance(d.ID); isTmpl && d.Instance == "" && d.File.get("Install", "DefaultInstance") == "" {
			return "indirect"
		}
		return "disabled"
	case also:
		return "indirect"
	}
	return "static"
}

// enablementLinks lists the symlinks under /etc/systemd/system that enable d:
// NAME in *.wants/, *.requires/, *.upholds/, and Alias= names.
func enablementLinks(h *sim.Host, d *unitDef) []string {
	var out []string
	for _, fi := range listDir(h, etcUnitDir) {
		if fi.IsDir() || fi.Mode.IsDir() || isDir(h, etcUnitDir+"/"+fi.Name) {
			if strings.HasSuffix(fi.Name, ".wants") || strings.HasSuffix(fi.Name, ".requires") || strings.HasSuffix(fi.Name, ".upholds") {
				p := etcUnitDir + "/" + fi.Name + "/" + d.ID
				if _, ok := isSymlink(h, p); ok {
					out = append(out, p)
				}
			}
		}
	}
	if d.File != nil {
		for _, a := range d.File.words("Install", "Alias") {
			p := etcUnitDir + "/" + a
			if t, ok := isSymlink(h, p); ok && t == d.FragmentPath {
				out = append(out, p)
			}
		}
	}
	return out
}

// presetFor evaluates /usr/lib/systemd/system-preset/*.preset (and /etc's),
// first match wins; systemd's default with no match is "enable".
func presetFor(h *sim.Host, id string) string {
	files := map[string]string{}
	for _, dir := range []string{"/usr/lib/systemd/system-preset", "/run/systemd/system-preset", "/etc/systemd/system-preset"} {
		for _, fi := range listDir(h, dir) {
			if strings.HasSuffix(fi.Name, ".preset") {
				files[fi.Name] = dir + "/" + fi.Name
			}
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		text, err := readFile(h, files[n])
		if err != nil {
			continue
		}
		for _, line := range strings.Split(text, "\n") {
			f := strings.Fields(line)
			if len(f) < 2 || strings.HasPrefix(f[0], "#") {
				continue
			}
			if ok, _ := path.Match(f[1], id); ok {
				if f[0] == "enable" {
					return "enabled"
				}
				if f[0] == "disable" {
					return "disabled"
				}
			}
		}
	}
	return "enabled"
}
