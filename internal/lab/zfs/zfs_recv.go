package zfs

import (
	"strings"
)

// recvFlags are zfs receive's options.
type recvFlags struct {
	force, noMount, dryRun, verbose, isPrefix, isTail bool
	set                                               propArgs
	exclude                                           map[string]bool
}

func (e *env) zfsReceive(args []string) int {
	opts, rest, oe := getopt(args, ":o:x:dehMnuvFsA")
	if oe != nil {
		return e.badOpt("receive", oe)
	}
	f := recvFlags{exclude: map[string]bool{}}
	for _, o := range opts {
		switch o.c {
		case 'o':
			if !f.set.add(e, o.arg) {
				return e.usage("receive")
			}
		case 'x':
			f.exclude[o.arg] = true
		case 'd':
			f.isPrefix = true
		case 'e':
			f.isPrefix, f.isTail = true, true
		case 'n':
			f.dryRun = true
		case 'u':
			f.noMount = true
		case 'v':
			f.verbose = true
		case 'F':
			f.force = true
		}
	}
	if len(rest) < 1 {
		e.errf("missing snapshot argument\n")
		return e.usage("receive")
	}
	if len(rest) > 1 {
		e.errf("too many arguments\n")
		return e.usage("receive")
	}
	data, err := readAll(e.p.Stdin)
	if err != nil {
		e.errf("cannot receive: failed to read from stream\n")
		return 1
	}
	st, err := decodeStream(data)
	if err != nil {
		e.errf("cannot receive: %v\n", err)
		return 1
	}
	target := rest[0]
	return e.mutate(func(c *ctx) int { return c.receive(target, st, &f) })
}

func (c *ctx) receive(target string, s *stream, f *recvFlags) int {
	dest, snapName, sep := splitSnap(target)
	if sep == '#' {
		c.errf("cannot receive: invalid name\n")
		return 1
	}
	if f.isPrefix {
		sent := s.Source
		if f.isTail {
			sent = sent[strings.LastIndexByte(sent, '/')+1:]
		} else if i := strings.IndexByte(sent, '/'); i >= 0 {
			sent = sent[i+1:]
		} else {
			sent = ""
		}
		if sent != "" {
			dest = dest + "/" + sent
		}
	}
	last := s.Snapshots[len(s.Snapshots)-1]
	if snapName == "" {
		snapName = last.Name
	}
	kind := "new filesystem"
	if s.From != nil {
		kind = "incremental"
	}
	fail := func(msg string) int {
		c.errf("cannot receive %s stream: %s\n", kind, msg)
		return 1
	}
	if !c.p.User.IsRoot() {
		return fail("permission denied")
	}
	if msg := checkName(dest, typeFS|typeVol); msg != "" {
		c.errf("cannot receive: invalid name\n")
		return 1
	}
	p := c.st.pool(poolOf(dest))
	if p == nil {
		c.errf("cannot open '%s': dataset does not exist\n", poolOf(dest))
		return fail("unable to restore to destination")
	}
	ds := p.dataset(dest)
	if s.From != nil {
		return c.receiveIncremental(p, ds, dest, snapName, s, f, fail)
	}
	return c.receiveFull(p, ds, dest, snapName, s, f, fail)
}

func (c *ctx) receiveFull(p *Pool, ds *Dataset, dest, snapName string, s *stream, f *recvFlags, fail func(string) int) int {
	if ds != nil {
		if !f.force {
			c.errf("cannot receive new filesystem stream: destination '%s' exists\n", dest)
			c.errf("must specify -F to overwrite it\n")
			return 1
		}
		if len(ds.Snapshots) > 0 {
			c.errf("cannot receive new filesystem stream: destination has snapshots (eg. %s@%s)\n", dest, ds.Snapshots[0].Name)
			c.errf("must destroy them to overwrite it\n")
			return 1
		}
		if ds.Enc != nil || (s.Raw && s.Encryption != nil) {
			return fail("zfs receive -F cannot be used to destroy an encrypted filesystem or overwrite an unencrypted one with an encrypted one")
		}
		if len(p.children(ds)) > 0 {
			return fail("destination has children")
		}
	}
	i := strings.LastIndexByte(dest, '/')
	if i < 0 {
		return fail("destination '" + dest + "' does not exist")
	}
	parent := p.dataset(dest[:i])
	if parent == nil {
		c.errf("cannot open '%s': dataset does not exist\n", dest[:i])
		return fail("unable to restore to destination")
	}
	if parent.isVolume() {
		return fail("parent '" + parent.Name + "' is not a filesystem")
	}
	var enc *Encryption
	switch {
	case s.Raw && s.Encryption != nil:
		enc = &Encryption{Suite: s.Encryption.Suite, Root: dest, Format: s.Encryption.Format, KeyFP: s.Encryption.KeyFP,
			Salt: s.Encryption.Salt, Iters: s.Encryption.Iters}
	case parent.Enc != nil:
		if !p.keyLoaded(parent) {
			return fail("inherited key must be loaded")
		}
		enc = &Encryption{Suite: parent.Enc.Suite, Root: parent.Enc.Root}
	}
	var settings []propSetting
	for _, n := range f.set.names {
		ps, msg := validateProp(n, f.set.values[n], typeFS|typeVol, true)
		if msg != "" {
			return fail(msg)
		}
		settings = append(settings, ps)
	}
	if f.dryRun {
		return 0
	}
	if ds != nil {
		if _, err := c.unmountTree([]*Dataset{ds}); err != nil {
			return fail(err.Error())
		}
		c.dropDataset(p, ds)
	}
	nds := c.newDataset(p, dest, s.Type)
	nds.Enc = enc
	nds.VolSize, nds.VolBlock = s.VolSize, s.VolBlock
	if enc != nil && enc.Root == dest {
		nds.setLocal("keylocation", "prompt")
	}
	for k, v := range s.Props {
		if !f.exclude[k] {
			if nds.Received == nil {
				nds.Received = map[string]string{}
			}
			nds.Received[k] = v
		}
	}
	for _, ps := range settings {
		nds.setLocal(ps.name, ps.value)
	}
	if rc := c.addReceived(p, nds, s, snapName, fail); rc != 0 {
		return rc
	}
	if f.verbose {
		c.outf("received %s stream of %s into %s@%s\n", "full", s.Source+"@"+s.Snapshots[len(s.Snapshots)-1].Name, dest, snapName)
	}
	if !f.noMount && autoMountable(p, nds) {
		if err := c.mountDS(p, nds); err != nil {
			return fail(err.Error())
		}
	}
	return 0
}

func (c *ctx) receiveIncremental(p *Pool, ds *Dataset, dest, snapName string, s *stream, f *recvFlags, fail func(string) int) int {
	if ds == nil {
		return fail("destination '" + dest + "' does not exist")
	}
	if s.Raw && s.Encryption != nil && ds.Enc == nil {
		return fail("cannot perform raw receive on top of existing unencrypted dataset")
	}
	// The kernel's first check on an existing dataset
	// (recv_begin_check_existing_impl), after libzfs's own; a full stream
	// never gets here without -F and no snapshots (receiveFull).
	if ds.snapshot(snapName) != nil {
		c.errf("cannot restore to %s@%s: destination already exists\n", dest, snapName)
		return 1
	}
	latest := ds.latest()
	if !f.force && latest != nil && tracked(ds) && c.v.fileHash(p, ds) != latest.Hash {
		c.errf("cannot receive incremental stream: destination %s has been modified\nsince most recent snapshot\n", dest)
		return 1
	}
	var base *Snapshot
	for _, sn := range ds.Snapshots {
		if sn.GUID == s.From.GUID {
			base = sn
		}
	}
	if base == nil || (!f.force && base != latest) {
		c.errf("cannot receive incremental stream: most recent snapshot of %s does not\nmatch incremental source\n", dest)
		return 1
	}
	if !s.Raw && !p.keyLoaded(ds) {
		return fail("inherited key must be loaded")
	}
	if f.dryRun {
		return 0
	}
	if f.force {
		for _, sn := range append([]*Snapshot(nil), ds.Snapshots...) {
			if sn.CreateTxg > base.CreateTxg {
				if len(sn.Holds) > 0 {
					c.errf("cannot destroy snapshot %s@%s: dataset is busy\n", ds.Name, sn.Name)
					return 1
				}
				c.fsys.drop(storeSnap, sn.Store)
				ds.removeSnapshot(sn.Name)
			}
		}
	}
	for k, v := range s.Props {
		if !f.exclude[k] {
			if ds.Received == nil {
				ds.Received = map[string]string{}
			}
			ds.Received[k] = v
		}
	}
	if rc := c.addReceived(p, ds, s, snapName, fail); rc != 0 {
		return rc
	}
	if f.verbose {
		c.outf("received incremental stream of %s into %s@%s\n", s.Source+"@"+s.Snapshots[len(s.Snapshots)-1].Name, dest, snapName)
	}
	return 0
}

// addReceived adds a stream's snapshots to ds and makes the last one's
// files the dataset's files.
func (c *ctx) addReceived(p *Pool, ds *Dataset, s *stream, lastName string, fail func(string) int) int {
	for i, ss := range s.Snapshots {
		name := ss.Name
		if i == len(s.Snapshots)-1 {
			name = lastName
		}
		if ds.snapshot(name) != nil {
			c.errf("cannot restore to %s@%s: destination already exists\n", ds.Name, name)
			return 1
		}
		sn := &Snapshot{Name: name, GUID: ss.GUID, CreateTxg: p.nextTxg(), Creation: ss.Creation,
			Refer: ss.Refer, Written: ss.Refer, Hash: ss.Hash, Store: newStoreID()}
		sn.Objset = p.nextObjset()
		files := ss.Files
		if err := c.fsys.save(storeSnap, sn.Store, &files); err != nil {
			return fail(err.Error())
		}
		ds.Snapshots = append(ds.Snapshots, sn)
		ds.SnapsChanged = c.now.Unix()
		if i == len(s.Snapshots)-1 {
			if err := c.fsys.setLive(ds, &files); err != nil {
				return fail(err.Error())
			}
			// The live files now equal the snapshot's, as this host sees
			// them (an owner it does not know becomes root).
			if ds.Mounted {
				sn.Hash = c.fsys.liveHash(p, ds)
			}
		}
	}
	c.v.forget()
	return 0
}
