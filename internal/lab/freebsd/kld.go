package freebsd

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// kldState is the Update/Load name of the loaded kernel modules.
const kldState = "freebsd-kld"

var (
	errKLD          = errors.New("kld")
	errKLDLoaded    = errors.New("module already loaded or in kernel")
	errKLDNoSuchKLD = kldErr("No such file or directory")
)

// kldErr is an errno text as kldload prints it (FreeBSD strerror wording).
type kldErr string

func (e kldErr) Error() string { return string(e) }

// kldFile is one loaded kernel file (kldstat's rows) and the modules it holds.
type kldFile struct {
	ID      int
	Refs    int
	Addr    uint64
	Size    uint64
	Name    string // "zfs.ko"
	Modules []kldModule
}

type kldModule struct {
	ID   int
	Name string
}

// kldTable is the state kept under kldState.
type kldTable struct {
	Files    []kldFile
	NextID   int
	NextMod  int
	NextAddr uint64
}

// kldCatalog is what /boot/kernel offers to kldload: file size and modules.
var kldCatalog = map[string]struct {
	size    uint64
	modules []string
}{
	"carp.ko":      {0x12f60, []string{"carp"}},
	"if_wg.ko":     {0x6a30, []string{"wg"}},
	"pf.ko":        {0x5a450, []string{"pf", "pfsync"}},
	"if_bridge.ko": {0xa5c0, []string{"if_bridge"}},
	"nullfs.ko":    {0x6a30, []string{"nullfs"}},
	"fusefs.ko":    {0x1c1e0, []string{"fusefs"}},
	"vmm.ko":       {0x3a8cd0, []string{"vmm"}},
	"nmdm.ko":      {0x2d90, []string{"nmdm"}},
	"cryptodev.ko": {0x7790, []string{"cryptodev"}},
	"zfs.ko":       {0x5ae9d0, []string{"zfsctrl", "zfs", "zfs_vdev"}},
}

// init seeds what a FreeBSD 14 host with ZFS on root and WireGuard has loaded.
func (t *kldTable) init() {
	if len(t.Files) > 0 {
		return
	}
	t.NextID, t.NextMod, t.NextAddr = 1, 1, 0xffffffff80200000
	t.add("kernel", 0x1f3e2d0, []string{"kernel", "nfsd", "nfscommon", "nfslockd", "krpc", "if_re", "ufs", "ipfw_nat"}, 43)
	t.NextMod = 500
	t.NextAddr = 0xffffffff82140000
	for _, f := range []string{"zfs.ko", "cryptodev.ko", "if_wg.ko"} {
		t.add(f, kldCatalog[f].size, kldCatalog[f].modules, 1)
	}
}

func (t *kldTable) add(name string, size uint64, mods []string, refs int) *kldFile {
	f := kldFile{ID: t.NextID, Refs: refs, Addr: t.NextAddr, Size: size, Name: name}
	t.NextID++
	t.NextAddr += (size + 0xfff) &^ 0xfff
	for _, m := range mods {
		f.Modules = append(f.Modules, kldModule{ID: t.NextMod, Name: m})
		t.NextMod++
	}
	t.Files = append(t.Files, f)
	return &t.Files[len(t.Files)-1]
}

func (t *kldTable) findModule(name string) *kldModule {
	for i := range t.Files {
		for j := range t.Files[i].Modules {
			if t.Files[i].Modules[j].Name == name {
				return &t.Files[i].Modules[j]
			}
		}
	}
	return nil
}

// kldFileName normalises "carp", "carp.ko" or "/boot/kernel/carp.ko".
func kldFileName(s string) string {
	s = path.Base(s)
	if !strings.HasSuffix(s, ".ko") && s != "kernel" {
		s += ".ko"
	}
	return s
}

func (t *kldTable) findFile(name string) int {
	n := kldFileName(name)
	for i, f := range t.Files {
		if f.Name == n || f.Name == name {
			return i
		}
	}
	return -1
}

// load is kldload(2).
func (t *kldTable) load(name string) (*kldFile, error) {
	n := kldFileName(name)
	if t.findFile(n) >= 0 {
		return nil, errKLDLoaded
	}
	c, ok := kldCatalog[n]
	if !ok {
		return nil, errKLDNoSuchKLD
	}
	for _, m := range c.modules {
		if t.findModule(m) != nil {
			return nil, errKLDLoaded
		}
	}
	return t.add(n, c.size, c.modules, 1), nil
}

func kldUpdate(p *sim.Proc, fn func(t *kldTable) error) error {
	return sim.Update(p.Host, kldState, func(t *kldTable) error {
		t.init()
		return fn(t)
	})
}

// kldloadCmd is /sbin/kldload [-nqv] file ...
func kldloadCmd(p *sim.Proc) int {
	opts, args, gerr := getopt(p.Args[1:], "nqv")
	if gerr != nil || len(args) == 0 {
		if gerr != nil {
			fmt.Fprint(p.Stderr, gerr.message("kldload"))
		}
		fmt.Fprintln(p.Stderr, "usage: kldload [-nqv] file ...")
		return 1
	}
	var check, quiet, verbose bool
	for _, o := range opts {
		switch o.c {
		case 'n':
			check = true
		case 'q':
			quiet = true
		case 'v':
			verbose = true
		}
	}
	errors := 0
	for _, a := range args {
		var loaded *kldFile
		err := kldUpdate(p, func(t *kldTable) error {
			if check {
				if t.findFile(a) >= 0 || t.findModule(strings.TrimSuffix(path.Base(a), ".ko")) != nil {
					return nil
				}
			}
			if !p.User.IsRoot() {
				return errors2("Operation not permitted")
			}
			f, err := t.load(a)
			loaded = f
			return err
		})
		switch {
		case err != nil:
			if !quiet {
				fmt.Fprintf(p.Stderr, "kldload: can't load %s: %s\n", a, err)
			}
			errors++
		case verbose && loaded != nil:
			fmt.Fprintf(p.Stdout, "Loaded %s, id=%d\n", a, loaded.ID)
		}
	}
	if errors > 0 {
		return 1
	}
	return 0
}

func errors2(s string) error { return errors.New(s) }

// kldunloadCmd is /sbin/kldunload [-fv] [-i id | -n name | name ...].
func kldunloadCmd(p *sim.Proc) int {
	opts, args, gerr := getopt(p.Args[1:], "fi:n:v")
	if gerr != nil {
		fmt.Fprint(p.Stderr, gerr.message("kldunload"))
	}
	verbose := false
	for _, o := range opts {
		switch o.c {
		case 'v':
			verbose = true
		case 'n':
			args = append(args, o.arg)
		case 'i':
			args = append(args, "#"+o.arg)
		}
	}
	if gerr != nil || len(args) == 0 {
		fmt.Fprintln(p.Stderr, "usage: kldunload [-fv] -i id ...\n       kldunload [-fv] [-n] name ...")
		return 1
	}
	status := 0
	for _, a := range args {
		var msg string
		err := kldUpdate(p, func(t *kldTable) error {
			i := -1
			if strings.HasPrefix(a, "#") {
				id, _ := strconv.Atoi(a[1:])
				for k, f := range t.Files {
					if f.ID == id {
						i = k
					}
				}
			} else {
				i = t.findFile(a)
			}
			if i < 0 {
				if strings.HasPrefix(a, "#") {
					msg = "kldunload: can't unload file: No such file or directory\n"
				} else {
					msg = fmt.Sprintf("kldunload: can't find file %s\n", a)
				}
				return errKLD
			}
			if !p.User.IsRoot() {
				msg = "kldunload: can't unload file: Operation not permitted\n"
				return errKLD
			}
			if t.Files[i].Name == "kernel" || t.Files[i].Refs > 1 {
				msg = "kldunload: can't unload file: Device busy\n"
				return errKLD
			}
			if verbose {
				msg = fmt.Sprintf("Unloading %s, id=%d\n", t.Files[i].Name, t.Files[i].ID)
			}
			t.Files = append(t.Files[:i], t.Files[i+1:]...)
			return nil
		})
		if err != nil {
			fmt.Fprint(p.Stderr, msg)
			status = 1
		} else if msg != "" {
			fmt.Fprint(p.Stdout, msg)
		}
	}
	return status
}

// kldstatCmd is /sbin/kldstat.
func kldstatCmd(p *sim.Proc) int {
	opts, args, gerr := getopt(p.Args[1:], "di:m:n:qv")
	usage := func() int {
		fmt.Fprintln(p.Stderr, "usage: kldstat [-dhqv] [-i id] [-n filename]\n       kldstat [-dq] [-m modname]")
		return 1
	}
	if gerr != nil || len(args) != 0 {
		if gerr != nil {
			fmt.Fprint(p.Stderr, gerr.message("kldstat"))
		}
		return usage()
	}
	var quiet, verbose bool
	var modname, filename, id string
	for _, o := range opts {
		switch o.c {
		case 'q':
			quiet = true
		case 'v':
			verbose = true
		case 'm':
			modname = o.arg
		case 'n':
			filename = o.arg
		case 'i':
			id = o.arg
		}
	}
	var t kldTable
	_ = kldUpdate(p, func(s *kldTable) error { t = *s; return nil })
	if modname != "" {
		m := t.findModule(modname)
		if m == nil {
			if !quiet {
				fmt.Fprintf(p.Stderr, "kldstat: can't find module %s: No such file or directory\n", modname)
			}
			return 1
		}
		if quiet {
			return 0
		}
		fmt.Fprintln(p.Stdout, "Id  Refs Name")
		fmt.Fprintf(p.Stdout, "%3d %4d %s\n", m.ID, 1, m.Name)
		return 0
	}
	files := t.Files
	if filename != "" {
		i := t.findFile(filename)
		if i < 0 {
			fmt.Fprintf(p.Stderr, "kldstat: can't find file %s: No such file or directory\n", filename)
			return 1
		}
		files = files[i : i+1]
	} else if id != "" {
		n, err := strconv.Atoi(id)
		var sel []kldFile
		for _, f := range files {
			if err == nil && f.ID == n {
				sel = append(sel, f)
			}
		}
		if sel == nil {
			fmt.Fprintf(p.Stderr, "kldstat: can't stat file id %s: No such file or directory\n", id)
			return 1
		}
		files = sel
	}
	renderKldstat(p.Stdout, files, verbose)
	return 0
}

func renderKldstat(w io.Writer, files []kldFile, verbose bool) {
	fmt.Fprintf(w, "Id Refs Address%*c %8s Name\n", 18-7, ' ', "Size")
	for _, f := range files {
		fmt.Fprintf(w, "%2d %4d 0x%016x %8x %s", f.ID, f.Refs, f.Addr, f.Size, f.Name)
		if !verbose {
			fmt.Fprintln(w)
			continue
		}
		pathname := "/boot/kernel/" + f.Name
		fmt.Fprintf(w, " (%s)\n\tContains modules:\n\t\t Id Name\n", pathname)
		for _, m := range f.Modules {
			fmt.Fprintf(w, "\t\t%3d %s\n", m.ID, m.Name)
		}
	}
}
