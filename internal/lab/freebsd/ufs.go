package freebsd

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// A UFS filesystem's files live, while it is mounted, in its mount point
// in the tree; unmounted they are moved aside to DIR/hosts/NAME/ufs/DEV
// (with their owners and modes in DEV.meta.json), and whatever the mount
// point held before mounting waits in ufs/.shadow. So /keys shows the
// stick's files only while the stick is mounted, and they survive umount.

// UFS2 geometry of newfs defaults (32 KiB blocks, 4 KiB fragments): the
// frags per cylinder group and inodes per group for media above ~1 GB.
const (
	ufsFsize = 4096
	ufsFrag  = 8
	ufsFPG   = 160056
	ufsIPG   = 80128
	ufsSBlk  = 24 // super-block offset in frags within a group
)

// renderNewfs is newfs(8)'s report for a device of size bytes.
func renderNewfs(w io.Writer, dev string, size int64, width int) {
	frags := size / ufsFsize
	ncg := (frags + ufsFPG - 1) / ufsFPG
	fmt.Fprintf(w, "%s: %.1fMB (%d sectors) block size %d, fragment size %d\n",
		dev, float64(frags*ufsFsize)/(1<<20), frags*ufsFsize/512, ufsFsize*ufsFrag, ufsFsize)
	fmt.Fprintf(w, "\tusing %d cylinder groups of %.2fMB, %d blks, %d inodes.\n",
		ncg, float64(ufsFPG*ufsFsize)/(1<<20), ufsFPG/ufsFrag, ufsIPG)
	fmt.Fprintf(w, "\twith soft updates\n")
	fmt.Fprintf(w, "super-block backups (for fsck_ffs -b #) at:\n")
	col := 0
	for cg := int64(0); cg < ncg; cg++ {
		sep := ","
		if cg == ncg-1 {
			sep = ""
		}
		s := fmt.Sprintf(" %d%s", (cg*ufsFPG+ufsSBlk)*ufsFsize/512, sep)
		if col+len(s) >= width {
			fmt.Fprintln(w)
			col = 0
		}
		col += len(s)
		fmt.Fprint(w, s)
	}
	fmt.Fprintln(w)
}

// ufsSizes is statfs of a UFS filesystem in KiB: total, used, avail.
// The blog's 15000 MB stick gives its exact figures; other sizes scale.
func ufsSizes(size, usedExtra int64) (int64, int64, int64) {
	total := size / 1024 * 14877596 / 15360000
	used := 8 + usedExtra
	avail := total - used - (total*8/100 - 3)
	return total, used, avail
}

func ufsDir(h *sim.Host, dev string) string {
	return filepath.Join(h.Dir, "ufs", strings.ReplaceAll(strings.TrimPrefix(dev, "/dev/"), "/", "_"))
}

// diskPath is where a virtual path of the tree lives on disk.
func diskPath(h *sim.Host, vp string) (string, error) {
	rp, err := h.Tree.RealPath(vp)
	if err != nil {
		return "", err
	}
	return filepath.Join(h.Dir, "root", filepath.FromSlash(rp)), nil
}

func shadowDir(h *sim.Host, mp string) string {
	return filepath.Join(h.Dir, "ufs", ".shadow", strings.ReplaceAll(strings.Trim(mp, "/"), "/", "_"))
}

// metaRec is a file's owner, group and mode, kept while the files are aside.
type metaRec struct {
	Owner, Group string
	Mode         fs.FileMode
}

// captureMeta records the owners and modes under vroot (relative paths, "" the root).
func captureMeta(t *sim.Tree, vroot string) map[string]metaRec {
	out := map[string]metaRec{}
	var walk func(rel string)
	walk = func(rel string) {
		vp := path.Join(vroot, rel)
		fi, err := t.Lstat(vp)
		if err != nil {
			return
		}
		out[rel] = metaRec{Owner: fi.Owner, Group: fi.Group, Mode: fi.Mode}
		if !fi.IsDir() {
			return
		}
		list, err := t.ReadDir(rootUser(), vp)
		if err != nil {
			return
		}
		for _, c := range list {
			walk(path.Join(rel, c.Name))
		}
	}
	walk("")
	return out
}

func restoreMeta(t *sim.Tree, vroot string, m map[string]metaRec) {
	for rel, r := range m {
		vp := path.Join(vroot, rel)
		if r.Mode&fs.ModeSymlink != 0 {
			continue
		}
		_ = t.Chown(rootUser(), vp, r.Owner, r.Group)
		_ = t.Chmod(rootUser(), vp, r.Mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))
	}
}

func writeMeta(file string, m map[string]metaRec) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o644)
}

func readMeta(file string) map[string]metaRec {
	m := map[string]metaRec{}
	b, err := os.ReadFile(file)
	if err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

func findDisk(h *sim.Host, dev string) (sim.Disk, bool) {
	d, _ := sim.Load[sim.Disks](h, sim.DisksState)
	for _, x := range d.List {
		if x.Path == dev {
			return x, true
		}
	}
	return sim.Disk{}, false
}

// isPartition reports a partition node of one of the host's disks.
func isPartition(h *sim.Host, dev string) bool {
	d, _ := sim.Load[sim.Disks](h, sim.DisksState)
	for _, x := range d.List {
		if slices.Contains(x.Parts, dev) {
			return true
		}
	}
	return false
}

func mounted(h *sim.Host) []sim.Mount {
	m, _ := sim.Load[sim.Mounts](h, sim.MountsState)
	return m.List
}

// newfsCmd is /sbin/newfs [options] special.
func newfsCmd(p *sim.Proc) int {
	_, args, gerr := getopt(p.Args[1:], "EJNUjlnteL:O:S:T:a:b:c:d:e:f:g:h:i:k:m:o:p:r:s:")
	if gerr != nil || len(args) != 1 {
		if gerr != nil {
			fmt.Fprint(p.Stderr, gerr.message("newfs"))
		}
		fmt.Fprintln(p.Stderr, "usage: newfs [ -fsoptions ] special-device[device-type]")
		return 1
	}
	dev := args[0]
	if !strings.HasPrefix(dev, "/") {
		dev = "/dev/" + dev
	}
	d, ok := findDisk(p.Host, dev)
	if !ok {
		fmt.Fprintf(p.Stderr, "newfs: %s: could not find special device\n", dev)
		return 1
	}
	busy := strings.HasPrefix(d.Holder, "zpool:")
	for _, m := range mounted(p.Host) {
		if m.Source == dev {
			busy = true
		}
	}
	if !p.User.IsRoot() || busy {
		fmt.Fprintf(p.Stderr, "newfs: %s: failed to open disk for writing\n", dev)
		return 1
	}
	err := sim.Update(p.Host, sim.DisksState, func(s *sim.Disks) error {
		for i := range s.List {
			if s.List[i].Path == dev {
				s.List[i].Holder = "ufs"
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(p.Stderr, "newfs: %v\n", err)
		return 1
	}
	dir := ufsDir(p.Host, dev)
	_ = os.RemoveAll(dir)
	if err := os.MkdirAll(filepath.Join(dir, ".snap"), 0o755); err != nil {
		fmt.Fprintf(p.Stderr, "newfs: %v\n", err)
		return 1
	}
	_ = writeMeta(dir+".meta.json", map[string]metaRec{
		"":      {Owner: "root", Group: "wheel", Mode: fs.ModeDir | 0o755},
		".snap": {Owner: "root", Group: "operator", Mode: fs.ModeDir | 0o775},
	})
	renderNewfs(p.Stdout, dev, d.Size, charsPerLine(p))
	return 0
}

// charsPerLine is mkfs's charsperline(): no terminal in the lab, so
// $COLUMNS or 80.
func charsPerLine(p *sim.Proc) int {
	if n, err := strconv.Atoi(envMap(p.Env)["COLUMNS"]); err == nil && n > 0 {
		return n
	}
	return 80
}

// fstabEntry is one line of /etc/fstab.
type fstabEntry struct {
	Spec, File, Type, Opts string
	Freq, Pass             int // dump frequency and fsck pass (0 when absent)
}

func readFstab(p *sim.Proc) []fstabEntry {
	data, _ := p.Host.Tree.ReadFile(p.User, "/etc/fstab")
	var out []fstabEntry
	for _, l := range strings.Split(string(data), "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		e := fstabEntry{Spec: f[0], File: f[1], Type: f[2]}
		if len(f) > 3 {
			e.Opts = f[3]
		}
		if len(f) > 4 {
			e.Freq, _ = strconv.Atoi(f[4])
		}
		if len(f) > 5 {
			e.Pass, _ = strconv.Atoi(f[5])
		}
		out = append(out, e)
	}
	return out
}

// vfsListed is mount.c's checkvfsname over a -t list ("ufs,zfs",
// "noufs" excludes every type listed).
func vfsListed(list, fstype string) bool {
	skip := strings.HasPrefix(list, "no")
	names := strings.Split(strings.TrimPrefix(list, "no"), ",")
	return contains(names, fstype) != skip
}

// mountFlagOpts maps mount(8)'s listing names of the mount flags to the
// options flags2opts() gives them, in its order.
var mountFlagOpts = []struct{ listed, opt string }{
	{"read-only", "ro"}, {"synchronous", "sync"}, {"noexec", "noexec"}, {"nosuid", "nosuid"},
	{"union", "union"}, {"asynchronous", "async"}, {"noatime", "noatime"}, {"noclusterr", "noclusterr"},
	{"noclusterw", "noclusterw"}, {"nosymfollow", "nosymfollow"}, {"suiddir", "suiddir"},
	{"multilabel", "multilabel"}, {"acls", "acls"}, {"nfsv4acls", "nfsv4acls"}, {"untrusted", "untrusted"},
	{"nocover", "nocover"}, {"emptydir", "emptydir"},
}

// putfsent is mount -p's line for m (sbin/mount/mount.c putfsent): the
// device and the mount point padded with tabs to the next of the 8, 16
// and 24 columns (a space past 24), the type and a tab, the options ("rw"
// unless read-only, then flags2opts) with a tab under 8 characters, else a
// space, and dump and pass: fstab's for the device or else the mount
// point, else 1 1 for a UFS root, 2 2 for another UFS, 0 0 otherwise.
func putfsent(w io.Writer, m sim.Mount, fstab []fstabEntry) {
	pad := func(s string) string {
		l, p := len(s), ""
		if l < 8 {
			p += "\t"
		}
		if l < 16 {
			p += "\t"
		}
		if l < 24 {
			return s + p + "\t"
		}
		return s + p + " "
	}
	var opts []string
	if !contains(m.Options, "read-only") {
		opts = append(opts, "rw")
	}
	for _, f := range mountFlagOpts {
		if contains(m.Options, f.listed) {
			opts = append(opts, f.opt)
		}
	}
	o := strings.Join(opts, ",")
	sep := " "
	if len(o) < 8 {
		sep = "\t"
	}
	freq, pass := 0, 0
	switch e, ok := fstabLookup(fstab, m); {
	case ok:
		freq, pass = e.Freq, e.Pass
	case m.FSType == "ufs" && m.Point == "/":
		freq, pass = 1, 1
	case m.FSType == "ufs":
		freq, pass = 2, 2
	}
	fmt.Fprintf(w, "%s%s%s\t%s%s\t%d %d\n", pad(m.Source), pad(m.Point), m.FSType, o, sep, freq, pass)
}

// fstabLookup is getfsspec(source), then getfsfile(point).
func fstabLookup(fstab []fstabEntry, m sim.Mount) (fstabEntry, bool) {
	for _, e := range fstab {
		if e.Spec == m.Source {
			return e, true
		}
	}
	for _, e := range fstab {
		if e.File == m.Point {
			return e, true
		}
	}
	return fstabEntry{}, false
}

// renderMount is mount(8) with no arguments.
func renderMount(w io.Writer, list []sim.Mount) {
	for _, m := range list {
		fmt.Fprintf(w, "%s on %s (%s", m.Source, m.Point, m.FSType)
		for _, o := range m.Options {
			fmt.Fprintf(w, ", %s", o)
		}
		fmt.Fprintln(w, ")")
	}
}

// mountCmd is /sbin/mount.
func mountCmd(p *sim.Proc) int {
	opts, args, gerr := getopt(p.Args[1:], "adFfLlNnpruvwt:o:")
	if gerr != nil {
		fmt.Fprint(p.Stderr, gerr.message("mount"))
		return mountUsage(p)
	}
	fstype, all, ro, fstabStyle := "", false, false, false
	for _, o := range opts {
		switch o.c {
		case 'p':
			fstabStyle = true
		case 't':
			fstype = o.arg
		case 'a':
			all = true
		case 'r':
			ro = true
		case 'o':
			ro = ro || contains(strings.Split(o.arg, ","), "ro")
		}
	}
	if len(args) == 0 && !all {
		list := mounted(p.Host)
		if fstype != "" {
			list = slices.DeleteFunc(slices.Clone(list), func(m sim.Mount) bool { return !vfsListed(fstype, m.FSType) })
		}
		if fstabStyle {
			fstab := readFstab(p)
			for _, m := range list {
				putfsent(p.Stdout, m, fstab)
			}
			return 0
		}
		renderMount(p.Stdout, list)
		return 0
	}
	if all {
		status := 0
		for _, e := range readFstab(p) {
			if e.Type != "ufs" || contains(strings.Split(e.Opts, ","), "noauto") || isMountPoint(p.Host, e.File) {
				continue
			}
			if mountUFS(p, e.Spec, e.File, ro || contains(strings.Split(e.Opts, ","), "ro")) != 0 {
				status = 1
			}
		}
		return status
	}
	var dev, mp string
	switch len(args) {
	case 1:
		for _, e := range readFstab(p) {
			if e.File == args[0] || e.Spec == args[0] {
				dev, mp, fstype = e.Spec, e.File, e.Type
				ro = ro || contains(strings.Split(e.Opts, ","), "ro")
				break
			}
		}
		if mp == "" {
			fmt.Fprintf(p.Stderr, "mount: %s: unknown special file or file system\n", args[0])
			return 1
		}
	case 2:
		dev, mp = args[0], args[1]
	default:
		return mountUsage(p)
	}
	if fstype != "" && fstype != "ufs" {
		fmt.Fprintf(p.Stderr, "mount: %s: Operation not supported by device\n", dev)
		return 1
	}
	return mountUFS(p, dev, mp, ro)
}

func mountUsage(p *sim.Proc) int {
	fmt.Fprintln(p.Stderr, "usage: mount [-adflNpruvw] [-F fstab] [-o options] [-t ufs | external_type]\n       mount [-dfpruvw] special | node\n       mount [-dfpruvw] [-o options] [-t ufs | external_type]\n             special node")
	return 1
}

func isMountPoint(h *sim.Host, mp string) bool {
	for _, m := range mounted(h) {
		if m.Point == mp {
			return true
		}
	}
	return false
}

// mountUFS mounts the UFS on dev at mp: the stick's files move into the tree.
func mountUFS(p *sim.Proc, dev, mp string, ro bool) int {
	mp = path.Clean(mp)
	d, ok := findDisk(p.Host, dev)
	if !ok {
		fmt.Fprintf(p.Stderr, "mount: %s: No such file or directory\n", dev)
		return 1
	}
	fi, err := p.Host.Tree.Stat(mp)
	if err != nil {
		fmt.Fprintf(p.Stderr, "mount: %s: No such file or directory\n", mp)
		return 1
	}
	if !fi.IsDir() {
		fmt.Fprintf(p.Stderr, "mount: %s: Not a directory\n", mp)
		return 1
	}
	if !p.User.IsRoot() {
		fmt.Fprintf(p.Stderr, "mount: %s: Operation not permitted\n", dev)
		return 1
	}
	for _, m := range mounted(p.Host) {
		if m.Source == dev {
			fmt.Fprintf(p.Stderr, "mount: %s: Device busy\n", dev)
			return 1
		}
	}
	if d.Holder != "ufs" {
		fmt.Fprintf(p.Stderr, "mount: %s: Invalid argument\n", dev)
		return 1
	}
	store := ufsDir(p.Host, dev)
	onDisk, err := diskPath(p.Host, mp)
	if err != nil {
		fmt.Fprintf(p.Stderr, "mount: %s: %s\n", mp, errText(err))
		return 1
	}
	shadow := shadowDir(p.Host, mp)
	_ = os.MkdirAll(filepath.Dir(shadow), 0o755)
	_ = writeMeta(shadow+".meta.json", captureMeta(p.Host.Tree, mp))
	if err := os.Rename(onDisk, shadow); err != nil {
		fmt.Fprintf(p.Stderr, "mount: %s: %v\n", mp, err)
		return 1
	}
	if err := os.Rename(store, onDisk); err != nil {
		_ = os.Rename(shadow, onDisk)
		fmt.Fprintf(p.Stderr, "mount: %s: %v\n", dev, err)
		return 1
	}
	restoreMeta(p.Host.Tree, mp, readMeta(store+".meta.json"))
	opts := []string{"local", "soft-updates"}
	if ro {
		opts = []string{"local", "read-only", "soft-updates"}
	}
	_ = sim.Update(p.Host, sim.MountsState, func(s *sim.Mounts) error {
		s.List = append(s.List, sim.Mount{Source: dev, Point: mp, FSType: "ufs", Options: opts})
		return nil
	})
	return 0
}

// umountCmd is /sbin/umount [-f] special | node.
func umountCmd(p *sim.Proc) int {
	_, args, gerr := getopt(p.Args[1:], "AafnvF:h:t:")
	if gerr != nil || len(args) == 0 {
		if gerr != nil {
			fmt.Fprint(p.Stderr, gerr.message("umount"))
		}
		fmt.Fprintln(p.Stderr, "usage: umount [-fNnv] special ... | node ... | fsid ...\n       umount -a | -A [-F fstab] [-fnv] [-h host] [-t type]")
		return 1
	}
	status := 0
	for _, a := range args {
		if umountOne(p, path.Clean(a)) != 0 {
			status = 1
		}
	}
	return status
}

func umountOne(p *sim.Proc, a string) int {
	var m *sim.Mount
	list := mounted(p.Host)
	for i := range list {
		if list[i].Point == a || list[i].Source == a {
			m = &list[i]
		}
	}
	if m == nil {
		if _, err := p.Host.Tree.Stat(a); err != nil {
			fmt.Fprintf(p.Stderr, "umount: %s: statfs: No such file or directory\n", a)
		} else {
			fmt.Fprintf(p.Stderr, "umount: %s: not a file system root directory\n", a)
		}
		return 1
	}
	if !p.User.IsRoot() {
		fmt.Fprintf(p.Stderr, "umount: unmount of %s failed: Operation not permitted\n", m.Point)
		return 1
	}
	if m.FSType != "ufs" {
		// ZFS datasets and the rest are their own families' business.
		return p.Host.Exec(p, []string{"/sbin/zfs", "unmount", m.Source})
	}
	store := ufsDir(p.Host, m.Source)
	onDisk, err := diskPath(p.Host, m.Point)
	if err != nil {
		fmt.Fprintf(p.Stderr, "umount: %s: %s\n", m.Point, errText(err))
		return 1
	}
	_ = writeMeta(store+".meta.json", captureMeta(p.Host.Tree, m.Point))
	if err := os.Rename(onDisk, store); err != nil {
		fmt.Fprintf(p.Stderr, "umount: unmount of %s failed: %v\n", m.Point, err)
		return 1
	}
	shadow := shadowDir(p.Host, m.Point)
	if err := os.Rename(shadow, onDisk); err != nil {
		_ = os.MkdirAll(onDisk, 0o755)
	}
	restoreMeta(p.Host.Tree, m.Point, readMeta(shadow+".meta.json"))
	point := m.Point
	_ = sim.Update(p.Host, sim.MountsState, func(s *sim.Mounts) error {
		for i := range s.List {
			if s.List[i].Point == point {
				s.List = append(s.List[:i], s.List[i+1:]...)
				break
			}
		}
		return nil
	})
	return 0
}
