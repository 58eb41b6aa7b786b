package zfs

import (
	"sort"
	"strconv"
	"strings"
)

// kind is how a property's value is spelled and compared.
type kind int

const (
	kindIndex  kind = iota // one of a fixed list of words
	kindSize               // bytes, written with suffixes (10G); read back in bytes with -p
	kindNumber             // a plain count (limits, iterations)
	kindString             // free text (sharenfs), or a path (mountpoint)
)

// settability says when a property can be set.
type settability int

const (
	readOnly   settability = iota // statistics and status: never set
	createOnly                    // only by zfs create -o (or zfs recv -o)
	settable                      // zfs set at any time
)

// propDef is one native dataset property of OpenZFS 2.2 on FreeBSD
// (module/zcommon/zfs_prop.c).
type propDef struct {
	name   string
	kind   kind
	set    settability
	values []string          // kindIndex: accepted words
	alias  map[string]string // accepted word -> the word zfs get prints for it
	// none: the word meaning "no value", printed as 0 with -p (quota) or
	// kept as a word (filesystem_limit).
	none       string
	noneIsZero bool
	// pow2 bounds a power-of-two size (recordsize, volblocksize); zeroOK
	// also accepts 0 (special_small_blocks).
	pow2Min, pow2Max uint64
	zeroOK           bool
	volumeOnly       bool
	filesystemOnly   bool
	// statistic marks values that change with the data (used, written):
	// they are left out of a resource's view of all properties.
	statistic bool
}

var onOff = []string{"on", "off"}

var compressionValues = func() []string {
	v := []string{"on", "off", "lzjb", "gzip", "zle", "lz4", "zstd", "zstd-fast"}
	for i := 1; i <= 9; i++ {
		v = append(v, "gzip-"+strconv.Itoa(i))
	}
	for i := 1; i <= 19; i++ {
		v = append(v, "zstd-"+strconv.Itoa(i))
	}
	for _, i := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 500, 1000} {
		v = append(v, "zstd-fast-"+strconv.Itoa(i))
	}
	return v
}()

var checksumValues = []string{"on", "off", "fletcher2", "fletcher4", "sha256", "noparity", "sha512", "skein", "edonr", "blake3"}

var dedupValues = []string{"on", "off", "verify", "sha256", "sha256,verify", "sha512", "sha512,verify",
	"skein", "skein,verify", "edonr,verify", "blake3", "blake3,verify"}

// EncryptionValues are the accepted spellings of encryption; "on" is
// stored and printed as aes-256-gcm.
var EncryptionValues = []string{"on", "off", "aes-128-ccm", "aes-192-ccm", "aes-256-ccm", "aes-128-gcm", "aes-192-gcm", "aes-256-gcm"}

// KeyFormatValues are the key formats a new encryption root takes.
var KeyFormatValues = []string{"raw", "hex", "passphrase"}

const (
	kib = uint64(1) << 10
	mib = uint64(1) << 20
)

var propDefs = []propDef{
	// Statistics and status (read-only).
	{name: "type", kind: kindString, set: readOnly},
	{name: "creation", kind: kindNumber, set: readOnly},
	{name: "used", kind: kindSize, set: readOnly, statistic: true},
	{name: "available", kind: kindSize, set: readOnly, statistic: true},
	{name: "referenced", kind: kindSize, set: readOnly, statistic: true},
	{name: "compressratio", kind: kindString, set: readOnly, statistic: true},
	{name: "refcompressratio", kind: kindString, set: readOnly, statistic: true},
	{name: "mounted", kind: kindString, set: readOnly},
	{name: "origin", kind: kindString, set: readOnly},
	{name: "clones", kind: kindString, set: readOnly},
	{name: "defer_destroy", kind: kindString, set: readOnly},
	{name: "userrefs", kind: kindNumber, set: readOnly},
	{name: "usedbysnapshots", kind: kindSize, set: readOnly, statistic: true},
	{name: "usedbydataset", kind: kindSize, set: readOnly, statistic: true},
	{name: "usedbychildren", kind: kindSize, set: readOnly, statistic: true},
	{name: "usedbyrefreservation", kind: kindSize, set: readOnly, statistic: true},
	{name: "written", kind: kindSize, set: readOnly, statistic: true},
	{name: "logicalused", kind: kindSize, set: readOnly, statistic: true},
	{name: "logicalreferenced", kind: kindSize, set: readOnly, statistic: true},
	{name: "filesystem_count", kind: kindNumber, set: readOnly, statistic: true},
	{name: "snapshot_count", kind: kindNumber, set: readOnly, statistic: true},
	{name: "snapshots_changed", kind: kindNumber, set: readOnly, statistic: true},
	{name: "guid", kind: kindNumber, set: readOnly},
	{name: "createtxg", kind: kindNumber, set: readOnly},
	{name: "objsetid", kind: kindNumber, set: readOnly},
	{name: "receive_resume_token", kind: kindString, set: readOnly},
	{name: "encryptionroot", kind: kindString, set: readOnly},
	{name: "keystatus", kind: kindString, set: readOnly},
	{name: "redact_snaps", kind: kindString, set: readOnly},

	// Fixed when the dataset is created.
	{name: "encryption", kind: kindIndex, set: createOnly, values: EncryptionValues, alias: map[string]string{"on": "aes-256-gcm"}},
	{name: "keyformat", kind: kindIndex, set: createOnly, values: append([]string{"none"}, KeyFormatValues...)},
	{name: "pbkdf2iters", kind: kindNumber, set: createOnly},
	{name: "normalization", kind: kindIndex, set: createOnly, values: []string{"none", "formC", "formD", "formKC", "formKD"}, filesystemOnly: true},
	{name: "casesensitivity", kind: kindIndex, set: createOnly, values: []string{"sensitive", "insensitive", "mixed"}, filesystemOnly: true},
	{name: "utf8only", kind: kindIndex, set: createOnly, values: onOff, filesystemOnly: true},
	{name: "volblocksize", kind: kindSize, set: createOnly, pow2Min: 512, pow2Max: 128 * kib, volumeOnly: true},

	// Settable at any time.
	{name: "mountpoint", kind: kindString, set: settable, filesystemOnly: true},
	{name: "keylocation", kind: kindString, set: settable},
	{name: "volsize", kind: kindSize, set: settable, volumeOnly: true},
	{name: "quota", kind: kindSize, set: settable, none: "none", noneIsZero: true, filesystemOnly: true},
	{name: "refquota", kind: kindSize, set: settable, none: "none", noneIsZero: true, filesystemOnly: true},
	{name: "reservation", kind: kindSize, set: settable, none: "none", noneIsZero: true},
	{name: "refreservation", kind: kindSize, set: settable, none: "none", noneIsZero: true},
	{name: "filesystem_limit", kind: kindNumber, set: settable, none: "none", filesystemOnly: true},
	{name: "snapshot_limit", kind: kindNumber, set: settable, none: "none"},
	{name: "recordsize", kind: kindSize, set: settable, pow2Min: 512, pow2Max: 16 * mib, filesystemOnly: true},
	{name: "special_small_blocks", kind: kindSize, set: settable, pow2Min: 512, pow2Max: 16 * mib, zeroOK: true, filesystemOnly: true},
	{name: "redundant_metadata", kind: kindIndex, set: settable, values: []string{"all", "most", "some", "none"}},
	{name: "sync", kind: kindIndex, set: settable, values: []string{"standard", "always", "disabled"}},
	{name: "checksum", kind: kindIndex, set: settable, values: checksumValues},
	{name: "dedup", kind: kindIndex, set: settable, values: dedupValues},
	{name: "compression", kind: kindIndex, set: settable, values: compressionValues, alias: map[string]string{"gzip-6": "gzip"}},
	{name: "snapdir", kind: kindIndex, set: settable, values: []string{"hidden", "visible"}, filesystemOnly: true},
	{name: "snapdev", kind: kindIndex, set: settable, values: []string{"hidden", "visible"}},
	{name: "aclmode", kind: kindIndex, set: settable, values: []string{"discard", "groupmask", "passthrough", "restricted"}, filesystemOnly: true},
	{name: "acltype", kind: kindIndex, set: settable, values: []string{"off", "nfsv4", "posix", "disabled", "noacl", "posixacl"},
		alias: map[string]string{"disabled": "off", "noacl": "off", "posixacl": "posix"}, filesystemOnly: true},
	{name: "aclinherit", kind: kindIndex, set: settable, values: []string{"discard", "noallow", "restricted", "passthrough", "passthrough-x", "secure"},
		alias: map[string]string{"secure": "restricted"}, filesystemOnly: true},
	{name: "copies", kind: kindIndex, set: settable, values: []string{"1", "2", "3"}},
	{name: "primarycache", kind: kindIndex, set: settable, values: []string{"all", "none", "metadata"}},
	{name: "secondarycache", kind: kindIndex, set: settable, values: []string{"all", "none", "metadata"}},
	{name: "prefetch", kind: kindIndex, set: settable, values: []string{"all", "none", "metadata"}},
	{name: "logbias", kind: kindIndex, set: settable, values: []string{"latency", "throughput"}},
	{name: "xattr", kind: kindIndex, set: settable, values: []string{"on", "off", "dir", "sa"}, filesystemOnly: true},
	{name: "dnodesize", kind: kindIndex, set: settable, values: []string{"legacy", "auto", "1k", "2k", "4k", "8k", "16k"}, filesystemOnly: true},
	{name: "volmode", kind: kindIndex, set: settable, values: []string{"default", "full", "geom", "dev", "none"}, alias: map[string]string{"full": "geom"}},
	{name: "volthreading", kind: kindIndex, set: settable, values: onOff, volumeOnly: true},
	{name: "atime", kind: kindIndex, set: settable, values: onOff, filesystemOnly: true},
	{name: "relatime", kind: kindIndex, set: settable, values: onOff, filesystemOnly: true},
	{name: "devices", kind: kindIndex, set: settable, values: onOff, filesystemOnly: true},
	{name: "exec", kind: kindIndex, set: settable, values: onOff, filesystemOnly: true},
	{name: "setuid", kind: kindIndex, set: settable, values: onOff, filesystemOnly: true},
	{name: "readonly", kind: kindIndex, set: settable, values: onOff},
	{name: "jailed", kind: kindIndex, set: settable, values: onOff, filesystemOnly: true},
	{name: "vscan", kind: kindIndex, set: settable, values: onOff, filesystemOnly: true},
	{name: "nbmand", kind: kindIndex, set: settable, values: onOff, filesystemOnly: true},
	{name: "overlay", kind: kindIndex, set: settable, values: onOff, filesystemOnly: true},
	{name: "version", kind: kindIndex, set: settable, values: []string{"1", "2", "3", "4", "5", "current"}, filesystemOnly: true},
	{name: "canmount", kind: kindIndex, set: settable, values: []string{"on", "off", "noauto"}, filesystemOnly: true},
	{name: "sharenfs", kind: kindString, set: settable, filesystemOnly: true},
	{name: "sharesmb", kind: kindString, set: settable, filesystemOnly: true},
}

var propIndex = func() map[string]*propDef {
	m := make(map[string]*propDef, len(propDefs))
	for i := range propDefs {
		m[propDefs[i].name] = &propDefs[i]
	}
	return m
}()

// shortNames are the abbreviations zfs accepts for some properties; the
// provider wants the full name, which is what zfs get prints.
var shortNames = map[string]string{
	"avail": "available", "refer": "referenced", "ratio": "compressratio", "refratio": "refcompressratio",
	"compress": "compression", "recsize": "recordsize", "reserv": "reservation", "refreserv": "refreservation",
	"volblock": "volblocksize", "rdonly": "readonly", "lused": "logicalused", "lrefer": "logicalreferenced",
	"usedsnap": "usedbysnapshots", "usedds": "usedbydataset", "usedchild": "usedbychildren",
	"usedrefreserv": "usedbyrefreservation", "dnsize": "dnodesize",
}

func lookup(name string) *propDef { return propIndex[name] }

// IsUserProperty reports whether name is a user property (module:name):
// lower-case letters, digits and `- _ . :`, with at least one ':'
// (zfs_prop_user).
func IsUserProperty(name string) bool {
	if !strings.Contains(name, ":") || len(name) > maxUserPropNameLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isLowerOrDigit(c) && strings.IndexByte("-_.:", c) < 0 {
			return false
		}
	}
	return name[0] != '-'
}

// maxUserPropNameLen is ZAP_MAXNAMELEN less the NUL.
const maxUserPropNameLen = 255

// maxUserPropValueLen is ZFS_MAXPROPLEN less the NUL.
const maxUserPropValueLen = 8191

// SettableProperties lists the native properties zfs set changes, sorted.
func SettableProperties() []string {
	var out []string
	for _, p := range propDefs {
		if p.set == settable {
			out = append(out, p.name)
		}
	}
	sort.Strings(out)
	return out
}

// CreateOnlyProperties lists the native properties fixed at creation, sorted.
func CreateOnlyProperties() []string {
	var out []string
	for _, p := range propDefs {
		if p.set == createOnly {
			out = append(out, p.name)
		}
	}
	sort.Strings(out)
	return out
}

// IsCreateOnly reports whether a native property can only be given at creation.
func IsCreateOnly(name string) bool {
	p := lookup(name)
	return p != nil && p.set == createOnly
}

// IsStatistic reports whether a property's value follows the data stored
// (used, written, ...) rather than a setting.
func IsStatistic(name string) bool {
	p := lookup(name)
	return p != nil && p.statistic
}
