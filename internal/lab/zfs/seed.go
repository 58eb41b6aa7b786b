package zfs

import (
	"fmt"
	"io/fs"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Disk sizes of the article's hosts.
const (
	ada0Size = 512110190592  // the internal 512 GB NVMe SSD, holding zroot
	ada1Size = 1000204886016 // the new 1 TB SSD
	da0Size  = 15728640000   // the USB key stick: newfs reports 15000.0MB (30720000 sectors), as the blog
)

// zrootSize is zroot's SIZE (472G) on ada0p4 and zrootAlloc its ALLOC (29.0G).
const (
	zrootSize  = 506806140928
	zrootAlloc = 31150000000
)

// seedDataset is a dataset of FreeBSD 14's default ZFS install.
type seedDataset struct {
	name  string
	fixed uint64
	props map[string]string
	txg   uint64
}

// installDatasets follow bsdinstall's ZFSBOOT_DATASETS on FreeBSD 14, with
// the pool created with -O compress=lz4 -O atime=off and mountpoint /zroot.
var installDatasets = []seedDataset{
	{"zroot", 98304, map[string]string{"mountpoint": "/zroot", "compression": "lz4", "atime": "off"}, 1},
	{"zroot/ROOT", 98304, map[string]string{"mountpoint": "none"}, 8},
	{"zroot/ROOT/default", 18500000000, map[string]string{"mountpoint": "/", "canmount": "noauto"}, 10},
	{"zroot/home", 4200000000, map[string]string{"mountpoint": "/home"}, 12},
	{"zroot/tmp", 2150400, map[string]string{"mountpoint": "/tmp", "exec": "on", "setuid": "off"}, 14},
	{"zroot/usr", 98304, map[string]string{"mountpoint": "/usr", "canmount": "off"}, 16},
	{"zroot/usr/ports", 3100000000, map[string]string{"setuid": "off"}, 18},
	{"zroot/usr/src", 1050000000, nil, 20},
	{"zroot/var", 98304, map[string]string{"mountpoint": "/var", "canmount": "off"}, 22},
	{"zroot/var/audit", 98304, map[string]string{"exec": "off", "setuid": "off"}, 24},
	{"zroot/var/crash", 98304, map[string]string{"exec": "off", "setuid": "off"}, 26},
	{"zroot/var/log", 2400256, map[string]string{"exec": "off", "setuid": "off"}, 28},
	{"zroot/var/mail", 159744, map[string]string{"atime": "on"}, 30},
	{"zroot/var/tmp", 98304, map[string]string{"setuid": "off"}, 32},
}

// bhyveFiles are vm-bhyve's datastore and the rocky VM, which the article
// later migrates into an encrypted dataset.
var bhyveFiles = []struct {
	path string
	data string
}{
	{"/zroot/bhyve/.config/system.conf", "switch_list=\"public\"\ntype_public=\"standard\"\nports_public=\"re0\"\n"},
	{"/zroot/bhyve/.templates/default.conf", "loader=\"bhyveload\"\ncpu=1\nmemory=256M\nnetwork0_type=\"virtio-net\"\nnetwork0_switch=\"public\"\ndisk0_type=\"virtio-blk\"\ndisk0_name=\"disk0.img\"\n"},
	{"/zroot/bhyve/.img/.keep", ""},
	{"/zroot/bhyve/.iso/.keep", ""},
	{"/zroot/bhyve/rocky/rocky.conf", "loader=\"uefi\"\ncpu=4\nmemory=14G\nnetwork0_type=\"virtio-net\"\nnetwork0_switch=\"public\"\ndisk0_type=\"nvme\"\ndisk0_name=\"disk0.img\"\ngraphics=\"yes\"\ngraphics_listen=\"0.0.0.0\"\nuuid=\"9e0e4d6a-4f2d-11ef-9a7c-e8ff1ed71ca0\"\nnetwork0_mac=\"58:9c:fc:0d:13:3f\"\n"},
	{"/zroot/bhyve/rocky/disk0.img", "lab: a small stand-in for the Rocky Linux VM disk image\n"},
	{"/zroot/bhyve/rocky/vm-bhyve.log", "May 25 12:58:49: initialising\nMay 25 12:58:49:  [loader: uefi]\nMay 25 12:58:49:  [cpu: 4]\nMay 25 12:58:49:  [memory: 14G]\n"},
}

// Seed makes h a FreeBSD host as the article finds it before the work: the
// disks ada0 (zroot), ada1 (free) and da0 (the USB stick, free), the zroot
// pool of a default FreeBSD 14 install with its datasets mounted, and the
// unencrypted zroot/bhyve datastore with the rocky VM.
func Seed(h *sim.Host) error {
	root := h.Root()
	now := h.Now()
	installed := now.Add(-200 * 24 * time.Hour).Unix()
	vmTime := now.Add(-30 * 24 * time.Hour).Unix()
	if err := sim.Update(h, sim.DisksState, func(d *sim.Disks) error {
		d.List = []sim.Disk{
			// bsdinstall's GPT layout for a ZFS root: efi, freebsd-boot, swap, zfs.
			{Path: "/dev/ada0", Size: ada0Size, Holder: "zpool:zroot", Parts: []string{"/dev/ada0p1", "/dev/ada0p2", "/dev/ada0p3", "/dev/ada0p4"}},
			{Path: "/dev/ada1", Size: ada1Size},
			{Path: "/dev/da0", Size: da0Size},
		}
		return nil
	}); err != nil {
		return err
	}
	for _, dir := range []string{"/zroot", "/home", "/tmp", "/usr/ports", "/usr/src", "/var/audit", "/var/crash", "/var/log", "/var/mail", "/var/tmp"} {
		if !h.Tree.Exists(dir) {
			if err := h.Tree.MkdirAll(root, dir, 0o755); err != nil {
				return err
			}
		}
	}
	for _, dir := range []string{"/tmp", "/var/tmp"} {
		if err := h.Tree.Chmod(root, dir, fs.ModeSticky|0o777); err != nil {
			return err
		}
	}
	for _, f := range bhyveFiles {
		if err := h.Tree.MkdirAll(root, dirOf(f.path), 0o755); err != nil {
			return err
		}
		if err := h.Tree.WriteFile(root, f.path, []byte(f.data), 0o644); err != nil {
			return err
		}
	}
	var mounted []sim.Mount
	err := sim.Update(h, StateName, func(st *State) error {
		if len(st.Pools) > 0 {
			return fmt.Errorf("zfs: host %s already has pools", h.Name)
		}
		p := &Pool{
			Name: "zroot", GUID: randGUID(), LoadGUID: randGUID(), Size: zrootSize, Created: installed,
			Vdevs: []Vdev{{Type: "disk", Devices: []string{"/dev/ada0p4"}, Size: zrootSize}},
			Props: map[string]string{"bootfs": "zroot/ROOT/default"},
		}
		st.Pools = append(st.Pools, p)
		for _, sd := range installDatasets {
			ds := &Dataset{Name: sd.name, Type: "filesystem", GUID: randGUID(), CreateTxg: sd.txg,
				Creation: installed + int64(sd.txg), Fixed: sd.fixed, Store: newStoreID(), Local: copyMap(sd.props)}
			ds.Objset = 54 + sd.txg*3
			p.add(ds)
		}
		for i, name := range []string{"zroot/bhyve", "zroot/bhyve/rocky"} {
			ds := &Dataset{Name: name, Type: "filesystem", GUID: randGUID(), CreateTxg: 2100000 + uint64(i)*40,
				Creation: vmTime + int64(i)*600, Store: newStoreID()}
			ds.Objset = 1400 + uint64(i)*13
			p.add(ds)
		}
		p.Txg, p.Objsets = 3456789, 2048
		var seq uint64
		for _, ds := range sortByMountpoint(p, p.Datasets) {
			if autoMountable(p, ds) || ds.Name == "zroot/ROOT/default" {
				seq++
				mp, _ := mountpoint(p, ds)
				ds.Mounted, ds.MountedAt, ds.MountSeq = true, mp, seq
			}
		}
		st.MountSeq = seq
		fsys := newFileStore(h, nil, st)
		recordKnown(st, fsys)
		v := newView(st, now.Location(), fsys)
		if used := v.used(p, p.root()); used < zrootAlloc {
			p.Meta = zrootAlloc - used
		}
		mounted = zfsMounts(st)
		return nil
	})
	if err != nil {
		return err
	}
	return syncMounts(h, mounted)
}

func dirOf(p string) string {
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return "/"
}
