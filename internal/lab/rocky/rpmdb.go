package rocky

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// pkg is an RPM package: header fields rpm and dnf print, its dependencies
// by package name, and its files. Versions of a minimal Rocky 9 install;
// they are illustrative (reference §13.3), not pinned to one point release.
type pkg struct {
	Name        string
	Epoch       string // "" when the package has none
	Version     string
	Release     string
	Arch        string
	Repo        string // baseos, appstream, extras; "anaconda" for the install media
	Summary     string
	Size        int64 // download size
	InstallSize int64
	Requires    []string
	Files       []pkgFile
	Units       []string // systemd units it ships (for %preun stop/disable)
	Scriptlets  string   // "pre", "post", "prepost" or ""
	// Preset lists units its %post enables through systemd presets.
	Preset []string
}

type pkgFile struct {
	Path   string
	Mode   uint32 // permission bits; 0 means 0644 (0755 for Dir)
	Dir    bool
	Link   string // symlink target
	Text   string
	Config bool
}

func (p *pkg) nvra() string {
	return p.Name + "-" + p.Version + "-" + p.Release + "." + p.Arch
}

// nevra is hawkey's str(pkg): the epoch only when non-zero.
func (p *pkg) nevra() string {
	if p.Epoch != "" && p.Epoch != "0" {
		return p.Name + "-" + p.Epoch + ":" + p.Version + "-" + p.Release + "." + p.Arch
	}
	return p.nvra()
}

func (p *pkg) evr() string {
	if p.Epoch != "" && p.Epoch != "0" {
		return p.Epoch + ":" + p.Version + "-" + p.Release
	}
	return p.Version + "-" + p.Release
}

// installed is a package in the rpm database.
type installed struct {
	pkg
	InstallTime time.Time
	Reason      string // user, dependency
	FromRepo    string // @anaconda, @baseos, ...
}

type rpmState struct {
	Packages      map[string]*installed
	MetadataCheck time.Time // last dnf metadata expiration check
}

func loadRPM(h *sim.Host) (rpmState, error) { return sim.Load[rpmState](h, rpmStateName) }

func updateRPM(h *sim.Host, fn func(s *rpmState) error) error {
	return sim.Update[rpmState](h, rpmStateName, func(s *rpmState) error {
		if s.Packages == nil {
			s.Packages = map[string]*installed{}
		}
		return fn(s)
	})
}

func (s rpmState) sorted() []*installed {
	out := make([]*installed, 0, len(s.Packages))
	for _, p := range s.Packages {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].nvra() < out[j].nvra() })
	return out
}

// owner finds the installed package that owns path.
func (s rpmState) owner(path string) *installed {
	for _, p := range s.sorted() {
		for _, f := range p.Files {
			if f.Path == path {
				return p
			}
		}
	}
	return nil
}

// queryFormat renders rpm --queryformat for the tags this lab knows.
func queryFormat(format string, p *installed) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '\\' && i+1 < len(format) {
			i++
			switch format[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '\\':
				b.WriteByte('\\')
			default:
				b.WriteByte('\\')
				b.WriteByte(format[i])
			}
			continue
		}
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		end := strings.IndexByte(format[i:], '}')
		open := strings.IndexByte(format[i:], '{')
		if open < 0 || end < 0 || end < open {
			return "", &qfError{"missing { after %"}
		}
		width := format[i+1 : i+open]
		tag := format[i+open+1 : i+end]
		if k := strings.IndexByte(tag, ':'); k >= 0 {
			tag = tag[:k]
		}
		val, ok := tagValue(strings.ToUpper(tag), p)
		if !ok {
			return "", &qfError{"unknown tag: \"" + tag + "\""}
		}
		if width != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(width, "-"))
			if err == nil && len(val) < n {
				pad := strings.Repeat(" ", n-len(val))
				if strings.HasPrefix(width, "-") {
					val += pad
				} else {
					val = pad + val
				}
			}
		}
		b.WriteString(val)
		i += end
	}
	return b.String(), nil
}

type qfError struct{ msg string }

func (e *qfError) Error() string { return e.msg }

func tagValue(tag string, p *installed) (string, bool) {
	switch tag {
	case "NAME":
		return p.Name, true
	case "VERSION":
		return p.Version, true
	case "RELEASE":
		return p.Release, true
	case "ARCH":
		return p.Arch, true
	case "EPOCH":
		if p.Epoch == "" {
			return "(none)", true
		}
		return p.Epoch, true
	case "EPOCHNUM":
		if p.Epoch == "" {
			return "0", true
		}
		return p.Epoch, true
	case "SUMMARY":
		return p.Summary, true
	case "SIZE":
		return strconv.FormatInt(p.InstallSize, 10), true
	case "INSTALLTIME":
		return strconv.FormatInt(p.InstallTime.Unix(), 10), true
	case "NVRA":
		return p.nvra(), true
	case "NVR":
		return p.Name + "-" + p.Version + "-" + p.Release, true
	case "NEVRA":
		if p.Epoch != "" {
			return p.Name + "-" + p.Epoch + ":" + p.Version + "-" + p.Release + "." + p.Arch, true
		}
		return p.nvra(), true
	case "EVR":
		return p.evr(), true
	case "NEVR":
		return p.Name + "-" + p.evr(), true
	case "VENDOR":
		return "Rocky Enterprise Software Foundation", true
	case "LICENSE":
		return "GPLv2+", true
	}
	return "", false
}
