package zfs

import (
	"sort"
	"strings"
)

// newDataset adds a dataset to a pool in a new transaction group.
func (c *ctx) newDataset(p *Pool, name, typ string) *Dataset {
	ds := &Dataset{
		Name:      name,
		Type:      typ,
		GUID:      randGUID(),
		CreateTxg: p.nextTxg(),
		Creation:  c.now.Unix(),
		Store:     newStoreID(),
	}
	ds.Objset = p.nextObjset()
	p.add(ds)
	return ds
}

// canmount is a filesystem's canmount value.
func canmount(ds *Dataset) string {
	if v, _, ok := own(ds, "canmount"); ok {
		return v
	}
	return "on"
}

// autoMountable reports whether zfs would mount ds by itself (create,
// import, mount -a, remount): a filesystem with canmount=on, a mountpoint,
// and its key loaded.
func autoMountable(p *Pool, ds *Dataset) bool {
	if ds.isVolume() || canmount(ds) != "on" || !p.keyLoaded(ds) {
		return false
	}
	mp, _ := mountpoint(p, ds)
	return mp != "none" && mp != "legacy"
}

// mountCheck is share_mount_one's refusal for an explicit zfs mount
// ("" when ds can be mounted); the text may hold a second line.
func mountCheck(p *Pool, ds *Dataset) string {
	mp, _ := mountpoint(p, ds)
	switch {
	case mp == "legacy":
		return "legacy mountpoint\nuse mount(8) to mount this filesystem"
	case mp == "none":
		return "no mountpoint set"
	case canmount(ds) == "off":
		return "'canmount' property is set to 'off'"
	case !p.keyLoaded(ds):
		return "encryption key not loaded"
	case ds.Mounted:
		return "filesystem already mounted"
	}
	return ""
}

// mountDS mounts a filesystem at its mountpoint.
func (c *ctx) mountDS(p *Pool, ds *Dataset) error {
	mp, _ := mountpoint(p, ds)
	if err := c.fsys.moveIn(ds, mp); err != nil {
		return err
	}
	c.st.MountSeq++
	ds.Mounted, ds.MountedAt, ds.MountSeq = true, mp, c.st.MountSeq
	c.v.forget()
	return nil
}

// unmountDS unmounts a filesystem; its files go to its store.
func (c *ctx) unmountDS(ds *Dataset) error {
	if !ds.Mounted {
		return nil
	}
	if err := c.fsys.moveOut(ds); err != nil {
		return err
	}
	ds.Mounted, ds.MountedAt, ds.MountSeq, ds.Temp = false, "", 0, nil
	c.v.forget()
	return nil
}

// unmountTree unmounts the mounted datasets among list, deepest first, and
// returns them.
func (c *ctx) unmountTree(list []*Dataset) ([]*Dataset, error) {
	var was []*Dataset
	for _, d := range list {
		if d.Mounted {
			was = append(was, d)
		}
	}
	sort.Slice(was, func(i, j int) bool { return was[i].MountedAt > was[j].MountedAt })
	for _, d := range was {
		if err := c.unmountDS(d); err != nil {
			return was, err
		}
	}
	return was, nil
}

// mountAll mounts the datasets of list that zfs would mount by itself,
// parents first (by mountpoint).
func (c *ctx) mountAll(p *Pool, list []*Dataset) error {
	type mp struct {
		ds   *Dataset
		path string
	}
	var todo []mp
	for _, d := range list {
		if !d.Mounted && autoMountable(p, d) {
			m, _ := mountpoint(p, d)
			todo = append(todo, mp{d, m})
		}
	}
	sort.SliceStable(todo, func(i, j int) bool { return todo[i].path < todo[j].path })
	for _, t := range todo {
		if err := c.mountDS(p, t.ds); err != nil {
			return err
		}
	}
	return nil
}

// withTree returns ds followed by its descendants.
func withTree(p *Pool, ds *Dataset) []*Dataset {
	return append([]*Dataset{ds}, p.descendants(ds)...)
}

// dropDataset removes a dataset, its snapshots and their files.
func (c *ctx) dropDataset(p *Pool, ds *Dataset) {
	for _, s := range ds.Snapshots {
		c.fsys.drop(storeSnap, s.Store)
	}
	c.fsys.drop(storeLive, ds.Store)
	p.remove(ds.Name)
	c.v.forget()
}

// renameTree renames ds and its descendants from old to new prefix,
// following encryption roots.
func renameTree(p *Pool, oldName, newName string) {
	for _, d := range p.Datasets {
		if d.Name == oldName || strings.HasPrefix(d.Name, oldName+"/") {
			d.Name = newName + d.Name[len(oldName):]
		}
		if d.Enc != nil && (d.Enc.Root == oldName || strings.HasPrefix(d.Enc.Root, oldName+"/")) {
			d.Enc.Root = newName + d.Enc.Root[len(oldName):]
		}
	}
	p.sortDatasets()
}
