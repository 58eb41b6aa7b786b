package zfs

import (
	"strings"
)

// propArgs collects -o name=value arguments in order, refusing duplicates
// as parseprop does.
type propArgs struct {
	names  []string
	values map[string]string
}

func (pa *propArgs) add(e *env, arg string) bool {
	name, value, ok := parsePropArg(arg)
	if !ok {
		e.errf("missing '=' for property=value argument\n")
		return false
	}
	if pa.values == nil {
		pa.values = map[string]string{}
	}
	if _, dup := pa.values[name]; dup {
		e.errf("property '%s' specified multiple times\n", name)
		return false
	}
	pa.names = append(pa.names, name)
	pa.values[name] = value
	return true
}

func (pa *propArgs) get(name string) (string, bool) {
	v, ok := pa.values[name]
	return v, ok
}

// needsStdin reports whether creating with these properties reads the key
// from stdin (keylocation=prompt, the default with a keyformat).
func (pa *propArgs) needsStdin() bool {
	_, kf := pa.get("keyformat")
	kl, hasKL := pa.get("keylocation")
	return kf && (!hasKL || kl == "prompt")
}

func (e *env) zfsCreate(args []string) int {
	opts, rest, oe := getopt(args, ":PV:b:nso:puv")
	if oe != nil {
		if oe.missing && oe.c == 'V' {
			e.errf("missing size argument\n")
			return e.usage("create")
		}
		return e.badOpt("create", oe)
	}
	var pa propArgs
	typ := "filesystem"
	var volsize uint64
	var parents, sparse, noMount, dryRun bool
	for _, o := range opts {
		switch o.c {
		case 'V':
			typ = "volume"
			n, err := parseSize(o.arg)
			if err != nil {
				e.errf("bad volume size '%s': %s\n", o.arg, err)
				return 1
			}
			volsize = n
		case 'b':
			if _, err := parseSize(o.arg); err != nil {
				e.errf("bad volume block size '%s': %s\n", o.arg, err)
				return 1
			}
			if !pa.add(e, "volblocksize="+o.arg) {
				return e.usage("create")
			}
		case 'o':
			if !pa.add(e, o.arg) {
				return e.usage("create")
			}
		case 'p':
			parents = true
		case 's':
			sparse = true
		case 'u':
			noMount = true
		case 'n':
			dryRun = true
		}
	}
	if len(rest) == 0 {
		e.errf("missing %s argument\n", typ)
		return e.usage("create")
	}
	if len(rest) > 1 {
		e.errf("too many arguments\n")
		return e.usage("create")
	}
	name := rest[0]
	if !e.p.User.IsRoot() {
		return e.denied("cannot create '" + name + "'")
	}
	var stdin []byte
	if pa.needsStdin() {
		b, err := readAll(e.p.Stdin)
		if err != nil {
			e.errf("internal error: %v\n", err)
			return 1
		}
		stdin = b
	}
	return e.mutate(func(c *ctx) int {
		return c.create(name, typ, &pa, createFlags{volsize: volsize, parents: parents, sparse: sparse, noMount: noMount, dryRun: dryRun}, stdin)
	})
}

type createFlags struct {
	volsize                          uint64
	parents, sparse, noMount, dryRun bool
}

func (c *ctx) create(name, typ string, pa *propArgs, f createFlags, stdin []byte) int {
	fail := func(msg string) int {
		c.errf("cannot create '%s': %s\n", name, msg)
		return 1
	}
	allowed := typeFS
	if typ == "volume" {
		allowed = typeVol
	}
	if msg := checkName(name, allowed); msg != "" {
		return fail(msg)
	}
	if f.parents {
		if _, ds := c.st.dataset(name); ds != nil {
			return 0
		}
	}
	p := c.st.pool(poolOf(name))
	if p == nil {
		return fail("no such pool '" + poolOf(name) + "'")
	}
	parentName := name[:strings.LastIndexByte(name, '/')]
	parent := p.dataset(parentName)
	if parent == nil && f.parents && !f.dryRun {
		if rc := c.createAncestors(p, parentName); rc != 0 {
			return rc
		}
		parent = p.dataset(parentName)
	}
	if parent == nil {
		return fail("parent does not exist")
	}
	if parent.isVolume() {
		return fail("parent is not a filesystem")
	}
	if p.dataset(name) != nil {
		return fail("dataset already exists")
	}
	var settings []propSetting
	for _, n := range pa.names {
		ps, msg := validateProp(n, pa.values[n], allowed, true)
		if msg != "" {
			return fail(msg)
		}
		settings = append(settings, ps)
	}
	get := func(n string) (string, bool) {
		for _, s := range settings {
			if s.name == n {
				return s.value, true
			}
		}
		return "", false
	}
	volblock := uint64(16384)
	if typ == "volume" {
		if v, ok := get("volblocksize"); ok {
			volblock = parseU(v)
		}
		if f.volsize == 0 {
			return fail("volume size cannot be zero")
		}
		if f.volsize%volblock != 0 {
			return fail("volume size must be a multiple of volume block size")
		}
	}
	enc, msg := c.newEncryption(p, parent, name, get, stdin)
	if msg != "" {
		return fail(msg)
	}
	if f.dryRun {
		return 0
	}
	ds := c.newDataset(p, name, typ)
	ds.Enc = enc
	for _, s := range settings {
		switch s.name {
		case "encryption", "keyformat", "pbkdf2iters", "volblocksize", "volsize":
			continue
		}
		ds.setLocal(s.name, s.value)
	}
	if enc != nil && enc.Root == name {
		kl, ok := get("keylocation")
		if !ok {
			kl = "prompt"
		}
		ds.setLocal("keylocation", kl)
	}
	if typ == "volume" {
		ds.VolSize, ds.VolBlock = f.volsize, volblock
		if _, ok := get("refreservation"); !ok && !f.sparse {
			ds.setLocal("refreservation", uitoa(zvolReservation(f.volsize, volblock)))
		}
		return 0
	}
	if !f.noMount && autoMountable(p, ds) {
		if err := c.mountDS(p, ds); err != nil {
			c.errf("filesystem successfully created, but not mounted\n")
			return 1
		}
	}
	return 0
}

// createAncestors creates the missing filesystems down to name (zfs create -p).
func (c *ctx) createAncestors(p *Pool, name string) int {
	parts := strings.Split(name, "/")
	for i := 2; i <= len(parts); i++ {
		an := strings.Join(parts[:i], "/")
		if p.dataset(an) != nil {
			continue
		}
		par := p.dataset(strings.Join(parts[:i-1], "/"))
		if par == nil || par.isVolume() {
			c.errf("cannot create '%s': parent is not a filesystem\n", an)
			return 1
		}
		if !p.keyLoaded(par) {
			c.errf("cannot create '%s': encryption root's key is not loaded or provided\n", an)
			return 1
		}
		ds := c.newDataset(p, an, "filesystem")
		if par.Enc != nil {
			ds.Enc = &Encryption{Suite: par.Enc.Suite, Root: par.Enc.Root}
		}
		if autoMountable(p, ds) {
			if err := c.mountDS(p, ds); err != nil {
				c.errf("cannot mount '%s': %v\n", an, err)
				return 1
			}
		}
	}
	return 0
}

// newEncryption applies zfs_crypto_create's rules to a new dataset under
// parent and returns its encryption (nil when unencrypted) or libzfs's reason.
func (c *ctx) newEncryption(p *Pool, parent *Dataset, name string, get func(string) (string, bool), stdin []byte) (*Encryption, string) {
	crypt, localCrypt := get("encryption")
	keyformat, hasKF := get("keyformat")
	keylocation, hasKL := get("keylocation")
	_, hasIters := get("pbkdf2iters")
	pcrypt := "off"
	if parent != nil && parent.Enc != nil {
		pcrypt = parent.Enc.Suite
	}
	if localCrypt && crypt == "off" && pcrypt != "off" {
		return nil, "Invalid encryption value. Dataset must be encrypted."
	}
	if !localCrypt {
		crypt = pcrypt
	}
	if crypt == "off" {
		if hasKF || hasKL || hasIters {
			return nil, "Encryption must be turned on to set encryption properties."
		}
		return nil, ""
	}
	if pcrypt == "off" && !hasKF {
		return nil, "Keyformat required for new encryption root."
	}
	if hasKL && !hasKF {
		return nil, "Keyformat required for new encryption root."
	}
	if !hasKF {
		if parent == nil {
			return nil, "Keyformat required for new encryption root."
		}
		if !p.keyLoaded(parent) {
			return nil, "encryption root's key is not loaded or provided"
		}
		return &Encryption{Suite: crypt, Root: parent.Enc.Root}, ""
	}
	if keyformat == "none" {
		return nil, "Keyformat required for new encryption root."
	}
	if !hasKL {
		keylocation = "prompt"
	}
	if keylocation == "none" {
		return nil, "invalid keylocation"
	}
	material, err := readKeyMaterial(c.h.Tree, c.p.User, keylocation, stdin)
	if err != nil {
		return nil, keyErrText(err)
	}
	enc := &Encryption{Suite: crypt, Root: name, Format: keyformat, Loaded: true}
	if keyformat == "passphrase" {
		enc.Salt = randGUID()
		enc.Iters = defaultIters
		if v, ok := get("pbkdf2iters"); ok {
			enc.Iters = parseU(v)
		}
	}
	key, err := wrappingKey(keyformat, material, enc.Salt, enc.Iters)
	if err != nil {
		return nil, keyErrText(err)
	}
	enc.KeyFP = fingerprint(key)
	return enc, ""
}
