// Package nfs models FreeBSD's /etc/exports (exports(5)) one line at a
// time: an export line or the NFSv4 root ("V4:") line, validated as
// mountd's check_options and do_opt do, rendered deterministically and
// parsed back from hand-written files (aliases, "-opt=value" and "-opt
// value", comma lists, continuation lines). Its operations edit only the
// line they own, reload mountd when the file changed, and read mountd's
// verdict from syslog: a line mountd rejects is reported with mountd's
// words and the previous file is put back.
package nfs

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

// Export is one line of /etc/exports.
type Export struct {
	// V4Root makes the line the NFSv4 root ("V4: PATH ..."): only Sec,
	// Hosts, Network and Mask may go with it.
	V4Root   bool
	Path     string
	AllDirs  bool
	MapRoot  string
	MapAll   string
	ReadOnly bool
	Sec      []string
	Quiet    bool
	// Hosts, or Network (with Mask or a /len), say who may mount.
	Hosts   []string
	Network string
	Mask    string
}

// Key identifies the line an Export owns in the file: the V4 root, or
// the export of one path. exports(5) allows several lines for one path
// (for different hosts); a resource owns the first of them.
type Key struct {
	V4Root bool
	Path   string
}

// Key is e's key.
func (e Export) Key() Key { return Key{e.V4Root, e.Path} }

func (k Key) String() string {
	if k.V4Root {
		return "V4: " + k.Path
	}
	return k.Path
}

// SecFlavors are the flavors of -sec (mountd.c parsesec).
func SecFlavors() []string { return []string{"sys", "krb5", "krb5i", "krb5p"} }

// maxSecFlavors is MAXSECFLAVORS.
const maxSecFlavors = 5

// ValidatePath accepts an exported directory: absolute, clean, without
// white space, quotes, '\' or '#' (mountd splits fields at white space).
func ValidatePath(p string) error {
	if p == "/" {
		return nil
	}
	if err := file.ValidatePath(p); err != nil {
		return err
	}
	if strings.ContainsAny(p, " \t\"'\\#") {
		return fmt.Errorf("%q contains white space, a quote, '\\' or '#', which exports(5) fields cannot hold", p)
	}
	return nil
}

var hostPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.:-]*$`)

// ValidateHost accepts a host name, an address or a netgroup name.
func ValidateHost(h string) error {
	if len(h) > 255 || !hostPattern.MatchString(h) {
		return fmt.Errorf("%q is not a host name or address (a leading '-', '/' or '#' would be read as an option, a path or a comment)", h)
	}
	return nil
}

var credPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)*$`)

// ValidateCredential accepts -maproot/-mapall's user[:group[:group...]]
// (names or numbers; -2 for nobody is written 65534 here).
func ValidateCredential(s string) error {
	if !credPattern.MatchString(s) {
		return fmt.Errorf("%q is not user[:group...] (names or numbers)", s)
	}
	return nil
}

// ValidateNetwork accepts -network's address, with an optional /len.
func ValidateNetwork(s string) error {
	addr, bits, hasLen := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return fmt.Errorf("%q is not a network address", s)
	}
	if hasLen {
		n, err := strconv.Atoi(bits)
		if err != nil || n < 0 || n > a.BitLen() {
			return fmt.Errorf("%q: the prefix length must be 0 to %d", s, a.BitLen())
		}
	}
	return nil
}

// ValidateMask accepts a netmask mountd's checkmask takes: ones then zeros.
func ValidateMask(s string) error {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return fmt.Errorf("%q is not a netmask", s)
	}
	b := a.AsSlice()
	zero := false
	for _, x := range b {
		for i := 7; i >= 0; i-- {
			one := x&(1<<i) != 0
			if one && zero {
				return fmt.Errorf("%q is not a netmask (its one bits are not contiguous)", s)
			}
			zero = zero || !one
		}
	}
	return nil
}

// Validate checks e as mountd would, and returns warnings for what mountd
// accepts with a complaint.
func (e Export) Validate() (warnings []string, err error) {
	var errs []error
	if err := ValidatePath(e.Path); err != nil {
		errs = append(errs, fmt.Errorf("path: %w", err))
	}
	if e.V4Root && (e.AllDirs || e.MapRoot != "" || e.MapAll != "" || e.ReadOnly || e.Quiet) {
		errs = append(errs, errors.New("only -sec, -network and -mask may go with the V4: root (mountd: \"only -sec,-net,-mask options allowed on V4:\")"))
	}
	if e.MapRoot != "" && e.MapAll != "" {
		errs = append(errs, errors.New("-mapall and -maproot are mutually exclusive"))
	}
	for _, c := range []string{e.MapRoot, e.MapAll} {
		if c != "" {
			if err := ValidateCredential(c); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(e.Sec) > maxSecFlavors {
		errs = append(errs, fmt.Errorf("-sec: at most %d flavors", maxSecFlavors))
	}
	for _, s := range e.Sec {
		if !slices.Contains(SecFlavors(), s) {
			errs = append(errs, fmt.Errorf("-sec: %q is not one of %v (mountd: \"bad sec flavor\")", s, SecFlavors()))
		}
	}
	for _, h := range e.Hosts {
		if err := ValidateHost(h); err != nil {
			errs = append(errs, err)
		}
	}
	if e.Network != "" && len(e.Hosts) > 0 {
		errs = append(errs, errors.New("-network and hosts cannot share a line (mountd: \"network/host conflict\")"))
	}
	if e.Mask != "" && e.Network == "" {
		errs = append(errs, errors.New("-mask requires -network"))
	}
	if e.Network != "" {
		if err := ValidateNetwork(e.Network); err != nil {
			errs = append(errs, err)
		}
		switch {
		case e.Mask != "" && strings.Contains(e.Network, "/"):
			errs = append(errs, errors.New("-mask and /masklen are mutually exclusive"))
		case e.Mask == "" && !strings.Contains(e.Network, "/"):
			warnings = append(warnings, fmt.Sprintf("-network %s has no -mask or /len: mountd then uses the address's class "+
				"(\"No mask specified for %s, using out-of-date default\")", e.Network, e.Network))
		}
	}
	if e.Mask != "" {
		if err := ValidateMask(e.Mask); err != nil {
			errs = append(errs, err)
		}
	}
	return warnings, errors.Join(errs...)
}

// Render is the line, deterministically: the path, -alldirs, -maproot or
// -mapall, -ro, -quiet, -sec, then the hosts or -network and -mask, as the
// article writes them.
func (e Export) Render() string {
	var f []string
	if e.V4Root {
		f = append(f, "V4:")
	}
	f = append(f, e.Path)
	if e.AllDirs {
		f = append(f, "-alldirs")
	}
	if e.MapRoot != "" {
		f = append(f, "-maproot="+e.MapRoot)
	}
	if e.MapAll != "" {
		f = append(f, "-mapall="+e.MapAll)
	}
	if e.ReadOnly {
		f = append(f, "-ro")
	}
	if e.Quiet {
		f = append(f, "-quiet")
	}
	if len(e.Sec) > 0 {
		f = append(f, "-sec="+strings.Join(e.Sec, ":"))
	}
	f = append(f, e.Hosts...)
	if e.Network != "" {
		f = append(f, "-network", e.Network)
		if e.Mask != "" {
			f = append(f, "-mask", e.Mask)
		}
	}
	return strings.Join(f, " ")
}

// ParseLine reads one logical line (continuations joined) as mountd's
// get_exportlist_one and do_opt do. Only the first directory of a line
// with several is kept in Path; a second one is an error here, since the
// resource manages one directory per line.
func ParseLine(line string) (Export, error) {
	f := strings.Fields(line)
	var e Export
	if len(f) == 0 {
		return e, errors.New("empty line")
	}
	if strings.HasPrefix(f[0], "V4:") {
		e.V4Root = true
		if rest := strings.TrimPrefix(f[0], "V4:"); rest != "" {
			f[0] = rest
		} else {
			f = f[1:]
		}
	}
	if len(f) == 0 || !strings.HasPrefix(f[0], "/") {
		return e, errors.New("no export path before the options or hosts")
	}
	e.Path = f[0]
	for i := 1; i < len(f); i++ {
		w := f[i]
		switch {
		case strings.HasPrefix(w, "/"):
			return e, fmt.Errorf("several directories on one line (%s and %s): split the line to manage it", e.Path, w)
		case strings.HasPrefix(w, "-"):
			opts := strings.Split(w[1:], ",")
			for j, o := range opts {
				name, val, hasVal := strings.Cut(o, "=")
				if !hasVal && j == len(opts)-1 && takesArg(name) && i+1 < len(f) && !strings.HasPrefix(f[i+1], "-") {
					i++
					val, hasVal = f[i], true
				}
				if err := e.set(name, val, hasVal); err != nil {
					return e, err
				}
			}
		default:
			e.Hosts = append(e.Hosts, w)
		}
	}
	return e, nil
}

func takesArg(name string) bool {
	switch name {
	case "maproot", "root", "r", "mapall", "mask", "m", "network", "n", "net", "sec", "index":
		return true
	}
	return false
}

func (e *Export) set(name, val string, hasVal bool) error {
	need := func() error {
		if !hasVal || val == "" {
			return fmt.Errorf("-%s needs a value (mountd: \"bad opt %s\")", name, name)
		}
		return nil
	}
	switch name {
	case "ro", "o":
		e.ReadOnly = true
	case "alldirs":
		e.AllDirs = true
	case "quiet":
		e.Quiet = true
	case "maproot", "root", "r":
		e.MapRoot = val
		return need()
	case "mapall":
		e.MapAll = val
		return need()
	case "mask", "m":
		e.Mask = val
		return need()
	case "network", "n", "net":
		e.Network = val
		return need()
	case "sec":
		e.Sec = strings.Split(val, ":")
		return need()
	case "public", "webnfs", "index":
		return fmt.Errorf("-%s is not managed by f3s_nfs_export", name)
	default:
		return fmt.Errorf("unknown option -%s (mountd: \"bad opt %s\")", name, name)
	}
	return nil
}
