package zfs

import (
	"fmt"
	"math/bits"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Sizes of vdev labels and the metaslab rules of vdev_metaslab_set_size.
const (
	labelSpace     = 4<<20 + 512<<10 // VDEV_LABEL_START_SIZE + VDEV_LABEL_END_SIZE
	minDeviceSize  = 64 << 20
	defaultMsShift = 29
	defaultMsCount = 200
	minMsCount     = 16
	maxMsShift     = 34
	minMsShift     = 24
)

// vdevSize is the space a device gives a pool: its size less the labels,
// rounded down to whole metaslabs (1 TB gives 928G, as zpool list shows).
func vdevSize(disk uint64) uint64 {
	if disk <= labelSpace {
		return 0
	}
	asize := disk - labelSpace
	var shift uint
	switch count := asize >> defaultMsShift; {
	case count < minMsCount:
		shift = uint(bits.Len64(asize / minMsCount))
	case count > defaultMsCount:
		shift = uint(bits.Len64(asize / defaultMsCount))
	default:
		shift = defaultMsShift
	}
	shift = max(shift, minMsShift)
	shift = min(shift, maxMsShift)
	return asize >> shift << shift
}

// vdevError collects the errors of make_root_vdev as vdev_error prints them.
type vdevError struct {
	lines []string
	force bool
}

func (v *vdevError) add(format string, a ...any) {
	if len(v.lines) == 0 {
		v.lines = append(v.lines, "invalid vdev specification")
		if v.force {
			v.lines = append(v.lines, "the following errors must be manually repaired:")
		} else {
			v.lines = append(v.lines, "use '-f' to override the following errors:")
		}
	}
	v.lines = append(v.lines, fmt.Sprintf(format, a...))
}

// parseVdevs is make_root_vdev over the host's disks: the vdev groups, or
// the error lines to print (exit 1), or busy when a device is mounted or
// named twice.
func parseVdevs(args []string, disks []sim.Disk, mounts []sim.Mount, st *State, force bool) ([]Vdev, []string, bool) {
	byPath := map[string]sim.Disk{}
	for _, d := range disks {
		byPath[d.Path] = d
	}
	var vdevs []Vdev
	cur := -1
	seen := map[string]bool{}
	busy := false
	ve := &vdevError{force: force}
	for _, a := range args {
		typ := ""
		switch a {
		case "mirror":
			typ = "mirror"
		case "raidz", "raidz1":
			typ = "raidz1"
		case "raidz2":
			typ = "raidz2"
		case "raidz3":
			typ = "raidz3"
		case "spare", "log", "cache", "special", "dedup":
			return nil, []string{fmt.Sprintf("lab: vdev class '%s' is not emulated", a)}, false
		}
		if strings.HasPrefix(a, "draid") {
			return nil, []string{"lab: draid vdevs are not emulated"}, false
		}
		if typ != "" {
			if cur >= 0 && len(vdevs[cur].Devices) < need(vdevs[cur].Type) {
				return nil, []string{fmt.Sprintf("invalid vdev specification: %s requires at least %d devices", typeWord(vdevs[cur].Type), need(vdevs[cur].Type))}, false
			}
			vdevs = append(vdevs, Vdev{Type: typ})
			cur = len(vdevs) - 1
			continue
		}
		path := a
		if !strings.HasPrefix(a, "/") {
			path = "/dev/" + a
			if _, ok := byPath[path]; !ok {
				return nil, []string{fmt.Sprintf("cannot open '%s': no such device in /dev", a), "must be a full path or shorthand device name"}, false
			}
		}
		d, ok := byPath[path]
		if !ok {
			return nil, []string{fmt.Sprintf("cannot resolve path '%s'", a)}, false
		}
		if seen[path] {
			busy = true
		}
		seen[path] = true
		for _, m := range mounts {
			if m.Source == path {
				busy = true
			}
		}
		if pool, ok := strings.CutPrefix(d.Holder, "zpool:"); ok {
			state := "potentially active"
			if p := st.anyPool(pool); p != nil {
				state = "active"
				if p.Exported {
					state = "exported"
				}
			}
			if state == "active" || !force {
				ve.add("%s is part of %s pool '%s'", path, state, pool)
			}
		}
		// Devices after a group keyword belong to it until the next keyword.
		if cur >= 0 {
			vdevs[cur].Devices = append(vdevs[cur].Devices, path)
		} else {
			vdevs = append(vdevs, Vdev{Type: "disk", Devices: []string{path}})
		}
	}
	if cur >= 0 && len(vdevs[cur].Devices) < need(vdevs[cur].Type) {
		return nil, []string{fmt.Sprintf("invalid vdev specification: %s requires at least %d devices", typeWord(vdevs[cur].Type), need(vdevs[cur].Type))}, false
	}
	if len(ve.lines) > 0 {
		return nil, ve.lines, false
	}
	if len(vdevs) == 0 {
		return nil, []string{"invalid vdev specification: at least one toplevel vdev must be specified"}, false
	}
	for i := range vdevs {
		var smallest uint64
		for j, path := range vdevs[i].Devices {
			s := vdevSize(uint64(byPath[path].Size))
			if j == 0 || s < smallest {
				smallest = s
			}
		}
		switch vdevs[i].Type {
		case "mirror", "disk":
			vdevs[i].Size = smallest
		default:
			vdevs[i].Size = smallest * uint64(len(vdevs[i].Devices))
		}
	}
	return vdevs, nil, busy
}

func need(typ string) int {
	switch typ {
	case "mirror", "raidz1":
		return 2
	case "raidz2":
		return 3
	case "raidz3":
		return 4
	}
	return 1
}

// typeWord is the vdev type as construct_spec names it in errors.
func typeWord(typ string) string {
	if typ == "raidz1" {
		return "raidz"
	}
	return typ
}

func (e *env) zpoolCreate(args []string) int {
	opts, rest, oe := getopt(args, ":fndR:m:o:O:t:")
	if oe != nil {
		return e.poolBadOpt("create", oe)
	}
	var force, dryRun bool
	mountpoint, altroot := "", ""
	var poolProps, fsProps propArgs
	for _, o := range opts {
		switch o.c {
		case 'f':
			force = true
		case 'n':
			dryRun = true
		case 'R':
			altroot = o.arg
		case 'm':
			mountpoint = o.arg
		case 'o':
			name, value, ok := parsePropArg(o.arg)
			if !ok {
				e.errf("missing '=' for -o option\n")
				return 1
			}
			if lookupPoolProp(name) == nil && !strings.HasPrefix(name, "feature@") {
				e.errf("property '%s' is not a valid pool or vdev property\n", name)
				return 1
			}
			if !poolProps.add(e, name+"="+value) {
				return 1
			}
		case 'O':
			if !fsProps.add(e, o.arg) {
				return 1
			}
		}
	}
	if len(rest) == 0 {
		e.errf("missing pool name argument\n")
		return e.poolUsage("create")
	}
	if len(rest) == 1 {
		e.errf("missing vdev specification\n")
		return e.poolUsage("create")
	}
	name := rest[0]
	if strings.Contains(name, "/") {
		e.errf("cannot create '%s': invalid character '/' in pool name\n", name)
		e.errf("use 'zfs create' to create a dataset\n")
		return 1
	}
	var stdin []byte
	if fsProps.needsStdin() {
		stdin, _ = readAll(e.p.Stdin)
	}
	disks, err := sim.Load[sim.Disks](e.h, sim.DisksState)
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	c, err := e.load()
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	mounts, _ := sim.Load[sim.Mounts](e.h, sim.MountsState)
	vdevs, lines, busy := parseVdevs(rest[1:], disks.List, mounts.List, c.st, force)
	if lines != nil {
		for _, l := range lines {
			e.errf("%s\n", l)
		}
		return 1
	}
	if altroot != "" && !strings.HasPrefix(altroot, "/") {
		e.errf("invalid alternate root '%s': must be an absolute path\n", altroot)
		return 1
	}
	if mountpoint == "" || (mountpoint != "legacy" && mountpoint != "none") {
		if mountpoint != "" && !strings.HasPrefix(mountpoint, "/") {
			e.errf("invalid mountpoint '%s': must be an absolute path, 'legacy', or 'none'\n", mountpoint)
			return 1
		}
		dir := mountpoint
		if dir == "" {
			dir = altroot + "/" + name
		}
		if infos, err := e.h.Tree.ReadDir(e.h.Root(), dir); err == nil && len(infos) > 0 {
			e.errf("mountpoint '%s' exists and is not empty\n", dir)
			e.errf("use '-m' option to provide a different default\n")
			return 1
		}
	}
	if dryRun {
		e.outf("would create '%s' with the following layout:\n\n", name)
		writeVdevTree(&e.out, name, vdevs)
		return 0
	}
	if !e.p.User.IsRoot() {
		return e.denied("cannot create '" + name + "'")
	}
	var freed []Vdev
	rc := e.mutate(func(c *ctx) int {
		fail := func(msg string) int {
			c.errf("cannot create '%s': %s\n", name, msg)
			return 1
		}
		if msg := checkPoolName(name); msg != "" {
			return fail(msg)
		}
		if c.st.anyPool(name) != nil && !c.st.anyPool(name).Exported {
			return fail("pool already exists")
		}
		if busy {
			c.errf("cannot create '%s': one or more vdevs refer to the same device, or one of\nthe devices is part of an active md or lvm device\n", name)
			return 1
		}
		for _, v := range vdevs {
			for _, d := range v.Devices {
				for _, dk := range disks.List {
					if dk.Path == d && dk.Size < minDeviceSize {
						return fail("one or more devices is less than the minimum size (64M)")
					}
				}
			}
		}
		var settings []propSetting
		for _, n := range fsProps.names {
			ps, msg := validateProp(n, fsProps.values[n], typeFS, true)
			if msg != "" {
				return fail(msg)
			}
			settings = append(settings, ps)
		}
		pp := map[string]string{}
		for _, n := range poolProps.names {
			pd := lookupPoolProp(n)
			if pd == nil {
				continue
			}
			if pd.attr == attrReadonly {
				return fail(fmt.Sprintf("property '%s' is readonly", pd.name))
			}
			v := poolProps.values[n]
			if pd.kind == kindIndex && !pd.validValue(v) {
				return fail(fmt.Sprintf("property '%s' must be one of '%s'", pd.name, pd.valuesHelp()))
			}
			pp[pd.name] = v
		}
		if altroot != "" {
			pp["altroot"] = altroot
			pp["cachefile"] = "none"
		}
		if len(pp) == 0 {
			pp = nil
		}
		// A pool of the same name that was exported gives way.
		if old := c.st.anyPool(name); old != nil {
			freed = old.Vdevs
			c.removePool(old)
		}
		p := &Pool{Name: name, GUID: randGUID(), LoadGUID: randGUID(), Vdevs: vdevs, Created: c.now.Unix(), Props: pp}
		for _, v := range vdevs {
			p.Size += v.Size
		}
		p.Meta = freshPoolMeta
		c.st.Pools = append(c.st.Pools, p)
		get := func(n string) (string, bool) {
			for _, s := range settings {
				if s.name == n {
					return s.value, true
				}
			}
			return "", false
		}
		enc, msg := c.newEncryption(p, nil, name, get, stdin)
		if msg != "" {
			c.removePool(p)
			return fail(msg)
		}
		root := c.newDataset(p, name, "filesystem")
		root.Enc = enc
		for _, s := range settings {
			if s.name != "encryption" && s.name != "keyformat" && s.name != "pbkdf2iters" {
				root.setLocal(s.name, s.value)
			}
		}
		if enc != nil {
			if _, ok := get("keylocation"); !ok {
				root.setLocal("keylocation", "prompt")
			}
		}
		if mountpoint != "" {
			root.setLocal("mountpoint", mountpoint)
		}
		if autoMountable(p, root) {
			if err := c.mountDS(p, root); err != nil {
				c.errf("cannot mount '%s': %v\n", name, err)
				return 1
			}
		}
		return 0
	})
	if rc != 0 {
		return rc
	}
	if err := holdDisks(e.h, freed, ""); err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	if err := holdDisks(e.h, vdevs, "zpool:"+name); err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	return 0
}

// freshPoolMeta makes a new pool's ALLOC 12.1M, as the article's zpool list
// shows right after zpool create.
const freshPoolMeta = 12689408 - baseRefer

// holdDisks sets the holder of a pool's disks ("" frees them).
func holdDisks(h *sim.Host, vdevs []Vdev, holder string) error {
	devs := map[string]bool{}
	for _, v := range vdevs {
		for _, d := range v.Devices {
			devs[d] = true
		}
	}
	return sim.Update(h, sim.DisksState, func(d *sim.Disks) error {
		for i := range d.List {
			if devs[d.List[i].Path] {
				d.List[i].Holder = holder
			}
		}
		return nil
	})
}

// removePool drops a pool and its files from the state.
func (c *ctx) removePool(p *Pool) {
	for _, d := range append([]*Dataset(nil), p.Datasets...) {
		c.dropDataset(p, d)
	}
	var keep []*Pool
	for _, x := range c.st.Pools {
		if x != p {
			keep = append(keep, x)
		}
	}
	c.st.Pools = keep
}
