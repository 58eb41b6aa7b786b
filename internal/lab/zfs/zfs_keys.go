package zfs

import (
	"fmt"
)

// loadKey is zfs_crypto_load_key for an encryption root: it returns the
// "Key load error: " reason, or "" when the key is loaded (or verified with noop).
func (c *ctx) loadKey(ds *Dataset, altLocation string, stdin []byte, noop bool) string {
	if ds.Enc == nil {
		return fmt.Sprintf("'%s' is not encrypted.", ds.Name)
	}
	if ds.Enc.Root != ds.Name {
		return fmt.Sprintf("Keys must be loaded for encryption root of '%s' (%s).", ds.Name, ds.Enc.Root)
	}
	if ds.Enc.Loaded && !noop {
		return fmt.Sprintf("Key already loaded for '%s'.", ds.Name)
	}
	loc := altLocation
	if loc == "" {
		loc, _, _ = own(ds, "keylocation")
	}
	if !validKeylocation(loc, true) {
		return "invalid keylocation"
	}
	material, err := readKeyMaterial(c.h.Tree, c.p.User, loc, stdin)
	if err != nil {
		return keyErrText(err)
	}
	key, err := wrappingKey(ds.Enc.Format, material, ds.Enc.Salt, ds.Enc.Iters)
	if err != nil {
		return keyErrText(err)
	}
	if fingerprint(key) != ds.Enc.KeyFP {
		return fmt.Sprintf("Incorrect key provided for '%s'.", ds.Name)
	}
	if !noop {
		ds.Enc.Loaded = true
	}
	return ""
}

// keyTargets returns the datasets load-key or unload-key acts on.
func keyTargets(st *State, args []string, all, recursive bool) ([]node, []openErr) {
	if all {
		var out []node
		for _, p := range st.imported() {
			for _, d := range p.Datasets {
				if d.Enc != nil && d.Enc.Root == d.Name {
					out = append(out, node{pool: p, ds: d})
				}
			}
		}
		return out, nil
	}
	nodes, errs := st.walk(args, walkOpts{types: typeFS | typeVol, recurse: recursive, depth: -1})
	if !recursive {
		return nodes, errs
	}
	var out []node
	for _, n := range nodes {
		if n.ds.Enc != nil && n.ds.Enc.Root == n.ds.Name {
			out = append(out, n)
		}
	}
	return out, errs
}

// keyArgs parses load-key / unload-key arguments.
type keyArgs struct {
	all, recursive, noop bool
	location             string
	targets              []string
}

func (e *env) parseKeyArgs(cmd string, args []string, load bool) (keyArgs, int) {
	spec := ":ar"
	if load {
		spec = ":anrL:"
	}
	opts, rest, oe := getopt(args, spec)
	if oe != nil {
		return keyArgs{}, e.badOpt(cmd, oe)
	}
	var k keyArgs
	for _, o := range opts {
		switch o.c {
		case 'a':
			k.all = true
		case 'r':
			k.recursive = true
		case 'n':
			k.noop = true
		case 'L':
			k.location = o.arg
		}
	}
	switch {
	case k.all && len(rest) > 0:
		e.errf("cannot specify dataset with -a\n")
		return k, e.usage(cmd)
	case !k.all && len(rest) == 0:
		e.errf("missing dataset argument\n")
		return k, e.usage(cmd)
	case !k.all && len(rest) > 1:
		e.errf("too many arguments\n")
		return k, e.usage(cmd)
	case (k.all || k.recursive) && k.location != "" && k.location != "prompt":
		e.errf("alternate keylocation may only be 'prompt' with -r or -a\n")
		return k, e.usage(cmd)
	}
	k.targets = rest
	return k, -1
}

func (e *env) zfsLoadKey(args []string) int {
	k, rc := e.parseKeyArgs("load-key", args, true)
	if rc >= 0 {
		return rc
	}
	// Read stdin only when a key is to be prompted for, so that a command
	// without input on an open channel does not wait.
	var stdin []byte
	if c, err := e.load(); err == nil {
		nodes, _ := keyTargets(c.st, k.targets, k.all, k.recursive)
		prompt := k.location == "prompt"
		for _, n := range nodes {
			if loc, _, _ := own(n.ds, "keylocation"); k.location == "" && loc == "prompt" {
				prompt = true
			}
		}
		if prompt {
			stdin, _ = readAll(e.p.Stdin)
		}
	}
	return e.mutate(func(c *ctx) int {
		nodes, errs := keyTargets(c.st, k.targets, k.all, k.recursive)
		rc := 0
		for _, oe := range errs {
			c.errf("cannot open '%s': %s\n", oe.name, oe.msg)
			rc = 1
		}
		if rc != 0 && len(nodes) == 0 {
			return rc
		}
		failed, ok := 0, 0
		for _, n := range nodes {
			if (k.recursive || k.all) && n.pool.encRoot(n.ds).Enc.Loaded && !k.noop {
				continue
			}
			if !c.p.User.IsRoot() {
				c.errf("Key load error: Permission denied\n")
				failed++
				continue
			}
			if msg := c.loadKey(n.ds, k.location, stdin, k.noop); msg != "" {
				c.errf("Key load error: %s\n", msg)
				failed++
				continue
			}
			ok++
		}
		if k.recursive || k.all || k.noop {
			verb := "loaded"
			if k.noop {
				verb = "verified"
			}
			c.outf("%d / %d key(s) successfully %s\n", ok, ok+failed, verb)
		}
		if failed > 0 {
			return 255
		}
		return rc
	})
}

func (e *env) zfsUnloadKey(args []string) int {
	k, rc := e.parseKeyArgs("unload-key", args, false)
	if rc >= 0 {
		return rc
	}
	return e.mutate(func(c *ctx) int {
		nodes, errs := keyTargets(c.st, k.targets, k.all, k.recursive)
		rc := 0
		for _, oe := range errs {
			c.errf("cannot open '%s': %s\n", oe.name, oe.msg)
			rc = 1
		}
		failed, ok := 0, 0
		for _, n := range nodes {
			ds := n.ds
			if (k.recursive || k.all) && !ds.Enc.Loaded {
				continue
			}
			msg := ""
			switch {
			case !c.p.User.IsRoot():
				msg = "Permission denied"
			case ds.Enc == nil:
				msg = fmt.Sprintf("'%s' is not encrypted.", ds.Name)
			case ds.Enc.Root != ds.Name:
				msg = fmt.Sprintf("Keys must be unloaded for encryption root of '%s' (%s).", ds.Name, ds.Enc.Root)
			case !ds.Enc.Loaded:
				msg = fmt.Sprintf("Key already unloaded for '%s'.", ds.Name)
			case c.keyInUse(n.pool, ds):
				msg = fmt.Sprintf("'%s' is busy.", ds.Name)
			}
			if msg != "" {
				c.errf("Key unload error: %s\n", msg)
				failed++
				continue
			}
			ds.Enc.Loaded = false
			ok++
		}
		if k.recursive || k.all {
			c.outf("%d / %d key(s) successfully unloaded\n", ok, ok+failed)
		}
		if failed > 0 {
			return 255
		}
		return rc
	})
}

// keyInUse reports whether a dataset using root's key is mounted.
func (c *ctx) keyInUse(p *Pool, root *Dataset) bool {
	for _, d := range p.Datasets {
		if d.Mounted && d.Enc != nil && d.Enc.Root == root.Name {
			return true
		}
	}
	return false
}

func (e *env) zfsChangeKey(args []string) int {
	opts, rest, oe := getopt(args, ":lio:")
	if oe != nil {
		return e.badOpt("change-key", oe)
	}
	var pa propArgs
	var inherit, load bool
	for _, o := range opts {
		switch o.c {
		case 'l':
			load = true
		case 'i':
			inherit = true
		case 'o':
			if !pa.add(e, o.arg) {
				return e.usage("change-key")
			}
		}
	}
	if len(rest) == 0 {
		e.errf("missing dataset argument\n")
		return e.usage("change-key")
	}
	if len(rest) > 1 {
		e.errf("too many arguments\n")
		return e.usage("change-key")
	}
	for _, n := range pa.names {
		if n != "keylocation" && n != "keyformat" && n != "pbkdf2iters" {
			e.errf("Key change error: Only keyformat, keylocation and pbkdf2iters may be set with this command.\n")
			return 255
		}
	}
	var stdin []byte
	if kl, ok := pa.get("keylocation"); !inherit && (!ok || kl == "prompt") {
		if c, err := e.load(); err == nil {
			if n, ok := c.st.resolve(rest[0]); ok && n.ds.Enc != nil {
				cur, _, _ := own(n.ds, "keylocation")
				if ok || cur == "prompt" {
					stdin, _ = readAll(e.p.Stdin)
				}
			}
		}
	}
	name := rest[0]
	return e.mutate(func(c *ctx) int {
		n, ok := c.st.resolve(name)
		if !ok || n.snap != nil || n.book != nil {
			c.errf("cannot open '%s': %s\n", name, missingText(name))
			return 1
		}
		if !c.p.User.IsRoot() {
			c.errf("Key change error: Permission denied\n")
			return 255
		}
		if msg := c.changeKey(n.pool, n.ds, &pa, inherit, load, stdin); msg != "" {
			c.errf("Key change error: %s\n", msg)
			return 255
		}
		return 0
	})
}

// changeKey is zfs_crypto_rewrap.
func (c *ctx) changeKey(p *Pool, ds *Dataset, pa *propArgs, inherit, load bool, stdin []byte) string {
	if ds.Enc == nil {
		return fmt.Sprintf("'%s' is not encrypted.", ds.Name)
	}
	root := p.encRoot(ds)
	if load && !root.Enc.Loaded {
		if msg := c.loadKey(root, "", stdin, false); msg != "" {
			return msg
		}
	}
	if !root.Enc.Loaded {
		return "Key must be loaded."
	}
	if inherit {
		parent := p.parent(ds)
		if parent == nil || parent.Enc == nil {
			return "Root dataset cannot inherit key."
		}
		if ds.Enc.Root != ds.Name {
			return "Key inheritting can only be performed on encryption roots."
		}
		newRoot := parent.Enc.Root
		for _, d := range withTree(p, ds) {
			if d.Enc != nil && d.Enc.Root == ds.Name {
				d.Enc = &Encryption{Suite: d.Enc.Suite, Root: newRoot}
			}
		}
		delete(ds.Local, "keylocation")
		return ""
	}
	format := root.Enc.Format
	if v, ok := pa.get("keyformat"); ok {
		format = v
	}
	loc, _, _ := own(ds, "keylocation")
	if v, ok := pa.get("keylocation"); ok {
		if !validKeylocation(v, true) {
			return "invalid keylocation"
		}
		loc = v
	} else if ds.Enc.Root != ds.Name || pa.values["keyformat"] != "" && format != root.Enc.Format {
		loc = "prompt"
	}
	material, err := readKeyMaterial(c.h.Tree, c.p.User, loc, stdin)
	if err != nil {
		return keyErrText(err)
	}
	enc := &Encryption{Suite: ds.Enc.Suite, Root: ds.Name, Format: format, Loaded: true}
	if format == "passphrase" {
		enc.Salt, enc.Iters = randGUID(), defaultIters
		if v, ok := pa.get("pbkdf2iters"); ok {
			enc.Iters = parseU(v)
		}
	}
	key, err := wrappingKey(format, material, enc.Salt, enc.Iters)
	if err != nil {
		return keyErrText(err)
	}
	enc.KeyFP = fingerprint(key)
	oldRoot := ds.Enc.Root
	for _, d := range withTree(p, ds) {
		if d != ds && d.Enc != nil && d.Enc.Root == oldRoot {
			d.Enc = &Encryption{Suite: d.Enc.Suite, Root: ds.Name}
		}
	}
	ds.Enc = enc
	ds.setLocal("keylocation", loc)
	return ""
}
