package zfs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Vdev kinds of zpool create: a plain disk, a mirror, or RAID-Z of 1, 2 or 3
// parity disks.
const (
	VdevDisk   = "disk"
	VdevMirror = "mirror"
	VdevRaidz  = "raidz"
	VdevRaidz2 = "raidz2"
	VdevRaidz3 = "raidz3"
)

// VdevTypes lists the kinds, for validators and documentation.
var VdevTypes = []string{VdevDisk, VdevMirror, VdevRaidz, VdevRaidz2, VdevRaidz3}

// minDevices is how many devices each kind needs.
var minDevices = map[string]int{VdevDisk: 1, VdevMirror: 2, VdevRaidz: 2, VdevRaidz2: 3, VdevRaidz3: 4}

// Vdev is one group of devices: for "disk" each device is a top-level vdev
// of its own (striped), for the others the group is one top-level vdev.
type Vdev struct {
	Type    string
	Devices []string
}

// ValidateVdev checks a group's kind, its number of devices and their names.
func ValidateVdev(v Vdev) error {
	need, ok := minDevices[v.Type]
	if !ok {
		return fmt.Errorf("%q is not a vdev type: use one of %s", v.Type, strings.Join(VdevTypes, ", "))
	}
	if len(v.Devices) < need {
		return fmt.Errorf("a %s vdev needs at least %d devices, got %d", v.Type, need, len(v.Devices))
	}
	seen := map[string]bool{}
	for _, d := range v.Devices {
		if err := ValidateDevice(d); err != nil {
			return err
		}
		if seen[DevicePath(d)] {
			return fmt.Errorf("the device %q is listed twice", d)
		}
		seen[DevicePath(d)] = true
	}
	return nil
}

// ValidateDevice accepts an absolute path (/dev/ada1, or a file) or a
// short device name under /dev (ada1). A name starting with "-" is
// refused: it would reach zpool create as an option-shaped word.
func ValidateDevice(d string) error {
	if d == "" {
		return fmt.Errorf("a device name is empty")
	}
	if strings.HasPrefix(d, "-") {
		return fmt.Errorf("the device %q starts with '-': give a path (/dev/ada1) or a name under /dev (ada1)", d)
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if !isLetter(c) && !isLowerOrDigit(c) && strings.IndexByte("/_.:-+", c) < 0 {
			return fmt.Errorf("the device %q contains the invalid character %q", d, c)
		}
	}
	if strings.Contains(d, "//") || strings.HasSuffix(d, "/") || (!strings.HasPrefix(d, "/") && strings.Contains(d, "/")) {
		return fmt.Errorf("the device %q is neither an absolute path (/dev/ada1) nor a name under /dev (ada1)", d)
	}
	if _, ok := minDevices[d]; ok {
		return fmt.Errorf("the device %q is a vdev keyword: give the vdev type in type", d)
	}
	return nil
}

// DevicePath is the full path zpool status -P prints for a device: short
// names live under /dev (DISK_ROOT).
func DevicePath(d string) string {
	if strings.HasPrefix(d, "/") {
		return d
	}
	return "/dev/" + d
}

// topLevel flattens groups into zpool's top-level vdevs: one per plain disk.
func topLevel(vs []Vdev) []Vdev {
	var out []Vdev
	for _, v := range vs {
		if v.Type == VdevDisk {
			for _, d := range v.Devices {
				out = append(out, Vdev{Type: VdevDisk, Devices: []string{DevicePath(d)}})
			}
			continue
		}
		devs := make([]string, len(v.Devices))
		for i, d := range v.Devices {
			devs[i] = DevicePath(d)
		}
		out = append(out, Vdev{Type: v.Type, Devices: devs})
	}
	return out
}

// VdevsEquivalent reports whether two layouts are the same pool: the same
// top-level vdevs in the same order, plain disks grouped any way, devices
// by short name or path.
func VdevsEquivalent(a, b []Vdev) bool {
	ta, tb := topLevel(a), topLevel(b)
	if len(ta) != len(tb) {
		return false
	}
	for i := range ta {
		if ta[i].Type != tb[i].Type || strings.Join(ta[i].Devices, "\x00") != strings.Join(tb[i].Devices, "\x00") {
			return false
		}
	}
	return true
}

// PoolSpec is what zpool create is given.
type PoolSpec struct {
	Name  string
	Vdevs []Vdev
	// Mountpoint of the root dataset (-m); empty for the default /POOL.
	Mountpoint     string
	Properties     map[string]string // -o, pool properties
	RootProperties map[string]string // -O, properties of the root dataset
}

// CreatePoolArgv is `zpool create [-o P=V]... [-O P=V]... [-m MP] -- POOL VDEV...`
// (§1.1). No -f: a device in use fails with zpool's own message. "--"
// ends getopt's options, so no operand is ever read as one (glibc's getopt
// would otherwise permute a device named like an option to the front).
func CreatePoolArgv(s PoolSpec) []string {
	argv := []string{"zpool", "create"}
	argv = append(argv, optionArgs("-o", s.Properties)...)
	argv = append(argv, optionArgs("-O", s.RootProperties)...)
	if s.Mountpoint != "" {
		argv = append(argv, "-m", s.Mountpoint)
	}
	argv = append(argv, "--", s.Name)
	for _, v := range s.Vdevs {
		if v.Type != VdevDisk {
			argv = append(argv, v.Type)
		}
		argv = append(argv, v.Devices...)
	}
	return argv
}

// PoolSetArgv is `zpool set PROP=VALUE POOL`: one property per command.
func PoolSetArgv(pool, prop, value string) []string {
	return []string{"zpool", "set", prop + "=" + value, pool}
}

// DestroyPoolArgv is `zpool destroy POOL` (§1.5).
func DestroyPoolArgv(pool string) []string { return []string{"zpool", "destroy", pool} }

// StatusArgv is `zpool status -P POOL`: full device paths (§1.4).
func StatusArgv(pool string) []string { return []string{"zpool", "status", "-P", pool} }

// Markers between the parts of PoolReadScript's output; no line of zpool
// get or zfs get -H lacks a tab, so they cannot be mistaken for one.
const (
	markRoot   = "@f3s-root-dataset"
	markStatus = "@f3s-status"
)

// PoolReadScript reads a pool in one command: its properties, its root
// dataset's properties and its layout. A missing pool stops it at the
// first step with `cannot open 'POOL': no such pool`.
func PoolReadScript(pool string) string {
	return host.Join(PoolGetArgv(pool)) +
		" && " + host.Join([]string{"echo", markRoot}) +
		" && " + host.Join(GetArgv(pool)) +
		" && " + host.Join([]string{"echo", markStatus}) +
		" && " + host.Join(StatusArgv(pool))
}

// Pool is what PoolReadScript reports.
type Pool struct {
	Name  string
	Props Properties // zpool get
	Root  Dataset    // the root dataset's zfs get
	Vdevs []Vdev     // top-level data vdevs, consecutive plain disks grouped
	// Other names top-level sections that the resource does not model
	// (logs, cache, spares, special, dedup), with their devices.
	Other []Vdev
}

// Health is ONLINE, DEGRADED, FAULTED, OFFLINE, REMOVED, UNAVAIL or SUSPENDED.
func (p Pool) Health() string { return p.Props.Value("health") }

// Size, Allocated and Free are bytes; 0 when zpool printed `-`.
func (p Pool) Size() int64      { return p.num("size") }
func (p Pool) Allocated() int64 { return p.num("allocated") }
func (p Pool) Free() int64      { return p.num("free") }

func (p Pool) num(prop string) int64 {
	n, err := strconv.ParseInt(p.Props.Value(prop), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// UserProperties are the pool properties set locally, which a resource
// adopts on import. Features are left out: every feature shows source
// local on a new pool.
func (p Pool) UserProperties() map[string]string {
	out := map[string]string{}
	for name, prop := range p.Props {
		if prop.IsLocal() && !strings.HasPrefix(name, featurePrefix) {
			out[name] = prop.Value
		}
	}
	return out
}

// RootUserProperties are the root dataset's local properties besides the
// mountpoint, which has an attribute of its own.
func (p Pool) RootUserProperties() map[string]string {
	return p.Root.Props.Local("mountpoint")
}

// RootManagedValues are ManagedValues of the root dataset, without the
// mountpoint.
func (p Pool) RootManagedValues() map[string]string {
	out := p.Root.ManagedValues()
	delete(out, "mountpoint")
	return out
}

// ParsePoolRead reads PoolReadScript's output.
func ParsePoolRead(pool, out string) (Pool, error) {
	getPart, rest, ok1 := strings.Cut(out, markRoot+"\n")
	rootPart, statusPart, ok2 := strings.Cut(rest, markStatus+"\n")
	if !ok1 || !ok2 {
		return Pool{}, fmt.Errorf("unexpected output reading pool %q: the parts are missing", pool)
	}
	_, pp, err := ParseGet(getPart)
	if err != nil {
		return Pool{}, fmt.Errorf("pool %q: %w", pool, err)
	}
	_, rp, err := ParseGet(rootPart)
	if err != nil {
		return Pool{}, fmt.Errorf("pool %q root dataset: %w", pool, err)
	}
	if pp[pool] == nil || rp[pool] == nil {
		return Pool{}, fmt.Errorf("unexpected output reading pool %q: it is not listed", pool)
	}
	data, other, err := ParseStatusVdevs(pool, statusPart)
	if err != nil {
		return Pool{}, err
	}
	return Pool{Name: pool, Props: pp[pool], Root: Dataset{Name: pool, Props: rp[pool]}, Vdevs: data, Other: other}, nil
}

// sections are the top-level entries of a config that are not the pool.
var sections = map[string]bool{"logs": true, "cache": true, "spares": true, "special": true, "dedup": true}

// ParseStatusVdevs reads the config block of `zpool status -P POOL` (§1.4):
// rows are indented by a tab and two spaces per level; level 0 is the pool
// or a section, level 1 a top-level vdev (mirror-0, raidz1-0, or a disk),
// level 2 its devices.
func ParseStatusVdevs(pool, out string) (data, other []Vdev, err error) {
	lines := strings.Split(out, "\n")
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) != "config:" {
		i++
	}
	if i == len(lines) {
		return nil, nil, fmt.Errorf("zpool status %s: no config section in %q", pool, out)
	}
	i++
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i == len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[i]), "NAME") {
		return nil, nil, fmt.Errorf("zpool status %s: no NAME header in the config section", pool)
	}
	var section string
	var cur *Vdev
	var groups []Vdev
	var sects []Vdev
	flush := func() {
		if cur == nil {
			return
		}
		if section == pool {
			groups = append(groups, *cur)
		} else {
			sects = append(sects, *cur)
		}
		cur = nil
	}
	for i++; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			break
		}
		row := strings.TrimPrefix(l, "\t")
		depth := (len(row) - len(strings.TrimLeft(row, " "))) / 2
		f := strings.Fields(row)
		if len(f) == 0 {
			continue
		}
		name := f[0]
		switch depth {
		case 0:
			flush()
			section = name
			if name != pool && !sections[name] {
				return nil, nil, fmt.Errorf("zpool status %s: unexpected entry %q in the config", pool, name)
			}
		case 1:
			flush()
			cur = &Vdev{Type: groupKind(name)}
			if cur.Type == VdevDisk {
				cur.Devices = []string{name}
			}
			if section != pool {
				cur.Type = section
			}
		case 2:
			if cur != nil {
				cur.Devices = append(cur.Devices, name)
			}
		}
	}
	flush()
	return groupDisks(groups), sects, nil
}

// groupKind reads a top-level vdev's name: mirror-0, raidz1-0, raidz2-1,
// raidz3-0; anything else is a device.
func groupKind(name string) string {
	base, _, ok := strings.Cut(name, "-")
	if !ok {
		return VdevDisk
	}
	switch base {
	case "mirror":
		return VdevMirror
	case "raidz1", "raidz":
		return VdevRaidz
	case "raidz2":
		return VdevRaidz2
	case "raidz3":
		return VdevRaidz3
	}
	return VdevDisk
}

// groupDisks merges consecutive plain disks into one group, the way a user
// writes a stripe.
func groupDisks(vs []Vdev) []Vdev {
	var out []Vdev
	for _, v := range vs {
		if v.Type == VdevDisk && len(out) > 0 && out[len(out)-1].Type == VdevDisk {
			out[len(out)-1].Devices = append(out[len(out)-1].Devices, v.Devices...)
			continue
		}
		out = append(out, v)
	}
	return out
}
