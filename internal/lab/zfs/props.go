package zfs

import (
	"strconv"
	"strings"
)

// The dataset properties of OpenZFS 2.2 on FreeBSD (module/zcommon/zfs_prop.c),
// in zfs_prop_t enum order, which is the order of `zfs get all`. Hidden
// properties and those FreeBSD does not show are left out.

type propKind uint8

const (
	kindNumber propKind = iota
	kindString
	kindIndex
)

type propAttr uint8

const (
	attrReadonly       propAttr = iota // computed, never set
	attrInherit                        // settable, inherited by children
	attrDefault                        // settable, not inherited
	attrOnetime                        // set at creation only, inherited (encryption, utf8only, ...)
	attrOnetimeDefault                 // set at creation only, not inherited (keyformat, pbkdf2iters)
)

// dsType is a zfs_type_t bit set.
type dsType uint8

const (
	typeFS dsType = 1 << iota
	typeSnap
	typeVol
	typeBook
	typeDataset = typeFS | typeSnap | typeVol
)

// propDef describes one native property.
type propDef struct {
	name   string
	col    string // column header of zfs list -o
	kind   propKind
	attr   propAttr
	types  dsType
	def    string   // default value as printed (non-parsable)
	values []string // index values as the table spells them (input and width)
	date   bool     // a number printed as a date (creation, snapshots_changed)
}

var boolValues = []string{"off", "on"}

var compressValues = func() []string {
	v := []string{"on", "off", "lzjb", "gzip", "gzip-1", "gzip-2", "gzip-3", "gzip-4", "gzip-5",
		"gzip-6", "gzip-7", "gzip-8", "gzip-9", "zle", "lz4", "zstd", "zstd-fast"}
	for i := 1; i <= 19; i++ {
		v = append(v, "zstd-"+strconv.Itoa(i))
	}
	for _, i := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 500, 1000} {
		v = append(v, "zstd-fast-"+strconv.Itoa(i))
	}
	return v
}()

var props = []propDef{
	{name: "type", col: "TYPE", kind: kindString, attr: attrReadonly, types: typeDataset | typeBook},
	{name: "creation", col: "CREATION", kind: kindNumber, attr: attrReadonly, types: typeDataset | typeBook, date: true},
	{name: "used", col: "USED", kind: kindNumber, attr: attrReadonly, types: typeDataset},
	{name: "available", col: "AVAIL", kind: kindNumber, attr: attrReadonly, types: typeFS | typeVol},
	{name: "referenced", col: "REFER", kind: kindNumber, attr: attrReadonly, types: typeDataset | typeBook},
	{name: "compressratio", col: "RATIO", kind: kindNumber, attr: attrReadonly, types: typeDataset | typeBook},
	{name: "mounted", col: "MOUNTED", kind: kindIndex, attr: attrReadonly, types: typeFS, values: boolValues},
	{name: "origin", col: "ORIGIN", kind: kindString, attr: attrReadonly, types: typeFS | typeVol},
	{name: "quota", col: "QUOTA", kind: kindNumber, attr: attrDefault, types: typeFS, def: "none"},
	{name: "reservation", col: "RESERV", kind: kindNumber, attr: attrDefault, types: typeFS | typeVol, def: "none"},
	{name: "volsize", col: "VOLSIZE", kind: kindNumber, attr: attrDefault, types: typeSnap | typeVol},
	{name: "volblocksize", col: "VOLBLOCK", kind: kindNumber, attr: attrOnetime, types: typeVol, def: "16K"},
	{name: "recordsize", col: "RECSIZE", kind: kindNumber, attr: attrInherit, types: typeFS, def: "128K"},
	{name: "mountpoint", col: "MOUNTPOINT", kind: kindString, attr: attrInherit, types: typeFS},
	{name: "sharenfs", col: "SHARENFS", kind: kindString, attr: attrInherit, types: typeFS, def: "off"},
	{name: "checksum", col: "CHECKSUM", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "on",
		values: []string{"on", "off", "fletcher2", "fletcher4", "sha256", "noparity", "sha512", "skein", "blake3"}},
	{name: "compression", col: "COMPRESS", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "on", values: compressValues},
	{name: "atime", col: "ATIME", kind: kindIndex, attr: attrInherit, types: typeFS, def: "on", values: boolValues},
	{name: "devices", col: "DEVICES", kind: kindIndex, attr: attrInherit, types: typeFS | typeSnap, def: "on", values: boolValues},
	{name: "exec", col: "EXEC", kind: kindIndex, attr: attrInherit, types: typeFS | typeSnap, def: "on", values: boolValues},
	{name: "setuid", col: "SETUID", kind: kindIndex, attr: attrInherit, types: typeFS | typeSnap, def: "on", values: boolValues},
	{name: "readonly", col: "RDONLY", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "off", values: boolValues},
	{name: "jailed", col: "JAILED", kind: kindIndex, attr: attrInherit, types: typeFS, def: "off", values: boolValues},
	{name: "snapdir", col: "SNAPDIR", kind: kindIndex, attr: attrInherit, types: typeFS, def: "hidden", values: []string{"hidden", "visible"}},
	{name: "aclmode", col: "ACLMODE", kind: kindIndex, attr: attrInherit, types: typeFS, def: "discard",
		values: []string{"discard", "groupmask", "passthrough", "restricted"}},
	{name: "aclinherit", col: "ACLINHERIT", kind: kindIndex, attr: attrInherit, types: typeFS, def: "restricted",
		values: []string{"discard", "noallow", "restricted", "passthrough", "secure", "passthrough-x"}},
	{name: "createtxg", col: "CREATETXG", kind: kindNumber, attr: attrReadonly, types: typeDataset | typeBook},
	{name: "canmount", col: "CANMOUNT", kind: kindIndex, attr: attrDefault, types: typeFS, def: "on", values: []string{"off", "on", "noauto"}},
	{name: "xattr", col: "XATTR", kind: kindIndex, attr: attrInherit, types: typeFS | typeSnap, def: "on", values: []string{"off", "on", "sa", "dir"}},
	{name: "copies", col: "COPIES", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "1", values: []string{"1", "2", "3"}},
	{name: "version", col: "VERSION", kind: kindIndex, attr: attrDefault, types: typeFS | typeSnap, def: "5",
		values: []string{"1", "2", "3", "4", "5", "current"}},
	{name: "utf8only", col: "UTF8ONLY", kind: kindIndex, attr: attrOnetime, types: typeFS | typeSnap, def: "off", values: boolValues},
	{name: "normalization", col: "NORMALIZATION", kind: kindIndex, attr: attrOnetime, types: typeFS | typeSnap, def: "none",
		values: []string{"none", "formD", "formKC", "formC", "formKD"}},
	{name: "casesensitivity", col: "CASE", kind: kindIndex, attr: attrOnetime, types: typeFS | typeSnap, def: "sensitive",
		values: []string{"sensitive", "insensitive", "mixed"}},
	{name: "vscan", col: "VSCAN", kind: kindIndex, attr: attrInherit, types: typeFS, def: "off", values: boolValues},
	{name: "nbmand", col: "NBMAND", kind: kindIndex, attr: attrInherit, types: typeFS | typeSnap, def: "off", values: boolValues},
	{name: "sharesmb", col: "SHARESMB", kind: kindString, attr: attrInherit, types: typeFS, def: "off"},
	{name: "refquota", col: "REFQUOTA", kind: kindNumber, attr: attrDefault, types: typeFS, def: "none"},
	{name: "refreservation", col: "REFRESERV", kind: kindNumber, attr: attrDefault, types: typeFS | typeVol, def: "none"},
	{name: "guid", col: "GUID", kind: kindNumber, attr: attrReadonly, types: typeDataset | typeBook},
	{name: "primarycache", col: "PRIMARYCACHE", kind: kindIndex, attr: attrInherit, types: typeDataset, def: "all",
		values: []string{"none", "metadata", "all"}},
	{name: "secondarycache", col: "SECONDARYCACHE", kind: kindIndex, attr: attrInherit, types: typeDataset, def: "all",
		values: []string{"none", "metadata", "all"}},
	{name: "usedbysnapshots", col: "USEDSNAP", kind: kindNumber, attr: attrReadonly, types: typeFS | typeVol},
	{name: "usedbydataset", col: "USEDDS", kind: kindNumber, attr: attrReadonly, types: typeFS | typeVol},
	{name: "usedbychildren", col: "USEDCHILD", kind: kindNumber, attr: attrReadonly, types: typeFS | typeVol},
	{name: "usedbyrefreservation", col: "USEDREFRESERV", kind: kindNumber, attr: attrReadonly, types: typeFS | typeVol},
	{name: "defer_destroy", col: "DEFER_DESTROY", kind: kindIndex, attr: attrReadonly, types: typeSnap, values: boolValues},
	{name: "userrefs", col: "USERREFS", kind: kindNumber, attr: attrReadonly, types: typeSnap},
	{name: "logbias", col: "LOGBIAS", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "latency",
		values: []string{"latency", "throughput"}},
	{name: "objsetid", col: "OBJSETID", kind: kindNumber, attr: attrReadonly, types: typeDataset},
	{name: "dedup", col: "DEDUP", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "off",
		values: []string{"on", "off", "verify", "sha256", "sha256,verify", "sha512", "sha512,verify", "skein", "skein,verify", "blake3", "blake3,verify"}},
	{name: "sync", col: "SYNC", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "standard",
		values: []string{"standard", "always", "disabled"}},
	{name: "dnodesize", col: "DNSIZE", kind: kindIndex, attr: attrInherit, types: typeFS, def: "legacy",
		values: []string{"legacy", "auto", "1k", "2k", "4k", "8k", "16k"}},
	{name: "refcompressratio", col: "REFRATIO", kind: kindNumber, attr: attrReadonly, types: typeDataset},
	{name: "written", col: "WRITTEN", kind: kindNumber, attr: attrReadonly, types: typeDataset},
	{name: "logicalused", col: "LUSED", kind: kindNumber, attr: attrReadonly, types: typeFS | typeVol},
	{name: "logicalreferenced", col: "LREFER", kind: kindNumber, attr: attrReadonly, types: typeDataset | typeBook},
	{name: "volmode", col: "VOLMODE", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "default",
		values: []string{"default", "full", "geom", "dev", "none"}},
	{name: "filesystem_limit", col: "FSLIMIT", kind: kindNumber, attr: attrDefault, types: typeFS, def: "none"},
	{name: "snapshot_limit", col: "SSLIMIT", kind: kindNumber, attr: attrDefault, types: typeFS | typeVol, def: "none"},
	{name: "filesystem_count", col: "FSCOUNT", kind: kindNumber, attr: attrReadonly, types: typeFS, def: "none"},
	{name: "snapshot_count", col: "SSCOUNT", kind: kindNumber, attr: attrReadonly, types: typeFS | typeVol, def: "none"},
	{name: "snapdev", col: "SNAPDEV", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "hidden",
		values: []string{"hidden", "visible"}},
	{name: "context", col: "CONTEXT", kind: kindString, attr: attrDefault, types: typeDataset, def: "none"},
	{name: "fscontext", col: "FSCONTEXT", kind: kindString, attr: attrDefault, types: typeDataset, def: "none"},
	{name: "defcontext", col: "DEFCONTEXT", kind: kindString, attr: attrDefault, types: typeDataset, def: "none"},
	{name: "rootcontext", col: "ROOTCONTEXT", kind: kindString, attr: attrDefault, types: typeDataset, def: "none"},
	{name: "relatime", col: "RELATIME", kind: kindIndex, attr: attrInherit, types: typeFS, def: "off", values: boolValues},
	{name: "redundant_metadata", col: "REDUND_MD", kind: kindIndex, attr: attrInherit, types: typeFS | typeVol, def: "all",
		values: []string{"all", "most", "some", "none"}},
	{name: "overlay", col: "OVERLAY", kind: kindIndex, attr: attrInherit, types: typeFS, def: "on", values: boolValues},
	{name: "receive_resume_token", col: "RESUMETOK", kind: kindString, attr: attrReadonly, types: typeFS | typeVol},
	{name: "encryption", col: "ENCRYPTION", kind: kindIndex, attr: attrOnetime, types: typeDataset, def: "off",
		values: []string{"on", "off", "aes-128-ccm", "aes-192-ccm", "aes-256-ccm", "aes-128-gcm", "aes-192-gcm", "aes-256-gcm"}},
	{name: "keylocation", col: "KEYLOCATION", kind: kindString, attr: attrDefault, types: typeFS | typeVol, def: "none"},
	{name: "keyformat", col: "KEYFORMAT", kind: kindIndex, attr: attrOnetimeDefault, types: typeFS | typeVol, def: "none",
		values: []string{"none", "raw", "hex", "passphrase"}},
	{name: "pbkdf2iters", col: "PBKDF2ITERS", kind: kindNumber, attr: attrOnetimeDefault, types: typeFS | typeVol, def: "0"},
	{name: "encryptionroot", col: "ENCROOT", kind: kindString, attr: attrReadonly, types: typeDataset},
	{name: "keystatus", col: "KEYSTATUS", kind: kindIndex, attr: attrReadonly, types: typeDataset,
		values: []string{"none", "unavailable", "available"}},
	{name: "special_small_blocks", col: "SPECIAL_SMALL_BLOCKS", kind: kindNumber, attr: attrInherit, types: typeFS, def: "0"},
	{name: "snapshots_changed", col: "SNAPSHOTS_CHANGED", kind: kindNumber, attr: attrReadonly, types: typeFS | typeVol, date: true},
}

var propIndex = func() map[string]*propDef {
	m := make(map[string]*propDef, len(props))
	for i := range props {
		m[props[i].name] = &props[i]
	}
	return m
}()

// lookupProp finds a native property by name or alias.
func lookupProp(name string) *propDef {
	if p, ok := propIndex[name]; ok {
		return p
	}
	// propname_match: a property's column name in lower case is an alias.
	for i := range props {
		if strings.ToLower(props[i].col) == name {
			return &props[i]
		}
	}
	return nil
}

// isUserProp reports whether name is a valid user property (module:name).
func isUserProp(name string) bool {
	if name == "" {
		return false
	}
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		case c == ':':
			sep = true
		default:
			return false
		}
	}
	return sep
}

// width is zprop_width: the least column width of the property and whether
// it is fixed (not grown by the values, unless parsable).
func (p *propDef) width() (int, bool) {
	w := len(p.col)
	switch p.kind {
	case kindNumber:
		if w < 5 {
			w = 5
		}
		return w, !p.date
	case kindIndex:
		for _, v := range p.values {
			if len(v) > w {
				w = len(v)
			}
		}
		return w, true
	}
	return w, false
}

// rightAlign is zfs_prop_align_right: numbers (but dates) are right-aligned.
func (p *propDef) rightAlign() bool { return p.kind == kindNumber && !p.date }

// validValue reports whether v is one of an index property's values.
func (p *propDef) validValue(v string) bool {
	for _, x := range p.values {
		if x == v {
			return true
		}
	}
	return false
}
