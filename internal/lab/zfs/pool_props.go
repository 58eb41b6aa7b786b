package zfs

import (
	"strconv"
	"strings"
)

// poolProps are the pool properties of OpenZFS 2.2 in zpool_prop_t order
// (hidden ones left out), the order of zpool get all.
var poolProps = []propDef{
	{name: "size", col: "SIZE", kind: kindNumber, attr: attrReadonly},
	{name: "capacity", col: "CAP", kind: kindNumber, attr: attrReadonly},
	{name: "altroot", col: "ALTROOT", kind: kindString, attr: attrDefault, def: "-"},
	{name: "health", col: "HEALTH", kind: kindNumber, attr: attrReadonly},
	{name: "guid", col: "GUID", kind: kindNumber, attr: attrReadonly},
	{name: "version", col: "VERSION", kind: kindNumber, attr: attrDefault, def: "-"},
	{name: "bootfs", col: "BOOTFS", kind: kindString, attr: attrDefault, def: "-"},
	{name: "delegation", col: "DELEGATION", kind: kindIndex, attr: attrDefault, def: "on", values: boolValues},
	{name: "autoreplace", col: "REPLACE", kind: kindIndex, attr: attrDefault, def: "off", values: boolValues},
	{name: "cachefile", col: "CACHEFILE", kind: kindString, attr: attrDefault, def: "-"},
	{name: "failmode", col: "FAILMODE", kind: kindIndex, attr: attrDefault, def: "wait", values: []string{"wait", "continue", "panic"}},
	{name: "listsnapshots", col: "LISTSNAPS", kind: kindIndex, attr: attrDefault, def: "off", values: boolValues},
	{name: "autoexpand", col: "EXPAND", kind: kindIndex, attr: attrDefault, def: "off", values: boolValues},
	{name: "dedupratio", col: "DEDUP", kind: kindNumber, attr: attrReadonly},
	{name: "free", col: "FREE", kind: kindNumber, attr: attrReadonly},
	{name: "allocated", col: "ALLOC", kind: kindNumber, attr: attrReadonly},
	{name: "readonly", col: "RDONLY", kind: kindIndex, attr: attrReadonly, values: boolValues},
	{name: "ashift", col: "ASHIFT", kind: kindNumber, attr: attrDefault, def: "0"},
	{name: "comment", col: "COMMENT", kind: kindString, attr: attrDefault, def: "-"},
	{name: "expandsize", col: "EXPANDSZ", kind: kindNumber, attr: attrReadonly},
	{name: "freeing", col: "FREEING", kind: kindNumber, attr: attrReadonly},
	{name: "fragmentation", col: "FRAG", kind: kindNumber, attr: attrReadonly},
	{name: "leaked", col: "LEAKED", kind: kindNumber, attr: attrReadonly},
	{name: "multihost", col: "MULTIHOST", kind: kindIndex, attr: attrDefault, def: "off", values: boolValues},
	{name: "checkpoint", col: "CKPOINT", kind: kindNumber, attr: attrReadonly},
	{name: "load_guid", col: "LOAD_GUID", kind: kindNumber, attr: attrReadonly},
	{name: "autotrim", col: "AUTOTRIM", kind: kindIndex, attr: attrDefault, def: "off", values: boolValues},
	{name: "compatibility", col: "COMPATIBILITY", kind: kindString, attr: attrDefault, def: "off"},
	{name: "bcloneused", col: "BCLONE_USED", kind: kindNumber, attr: attrReadonly},
	{name: "bclonesaved", col: "BCLONE_SAVED", kind: kindNumber, attr: attrReadonly},
	{name: "bcloneratio", col: "BCLONE_RATIO", kind: kindNumber, attr: attrReadonly},
}

// poolFeatures are the feature flags of a new OpenZFS 2.2 pool in
// spa_feature_t order with their state ("active" ones are in use at once).
var poolFeatures = []struct{ name, state string }{
	{"async_destroy", "enabled"}, {"empty_bpobj", "active"}, {"lz4_compress", "active"},
	{"multi_vdev_crash_dump", "enabled"}, {"spacemap_histogram", "active"}, {"enabled_txg", "active"},
	{"hole_birth", "active"}, {"extensible_dataset", "active"}, {"embedded_data", "active"},
	{"bookmarks", "enabled"}, {"filesystem_limits", "enabled"}, {"large_blocks", "enabled"},
	{"large_dnode", "enabled"}, {"sha512", "enabled"}, {"skein", "enabled"}, {"edonr", "enabled"},
	{"userobj_accounting", "active"}, {"encryption", "enabled"}, {"project_quota", "active"},
	{"device_removal", "enabled"}, {"obsolete_counts", "enabled"}, {"zpool_checkpoint", "enabled"},
	{"spacemap_v2", "active"}, {"allocation_classes", "enabled"}, {"resilver_defer", "enabled"},
	{"bookmark_v2", "enabled"}, {"redaction_bookmarks", "enabled"}, {"redacted_datasets", "enabled"},
	{"bookmark_written", "enabled"}, {"log_spacemap", "active"}, {"livelist", "enabled"},
	{"device_rebuild", "enabled"}, {"zstd_compress", "enabled"}, {"draid", "enabled"},
	{"zilsaxattr", "active"}, {"head_errlog", "active"}, {"blake3", "enabled"},
	{"block_cloning", "enabled"}, {"vdev_zaps_v2", "active"},
}

// lookupPoolProp finds a pool property by name or lower-case column name.
func lookupPoolProp(name string) *propDef {
	for i := range poolProps {
		if poolProps[i].name == name || strings.ToLower(poolProps[i].col) == name {
			return &poolProps[i]
		}
	}
	return nil
}

// poolWidth is zprop_width for pool properties: health is 8 wide.
func poolWidth(p *propDef) (int, bool) {
	if p.name == "health" {
		return 8, true
	}
	return p.width()
}

// featureState is a feature's state on a pool.
func featureState(p *Pool, name, def string) string {
	switch name {
	case "encryption":
		for _, d := range p.Datasets {
			if d.Enc != nil {
				return "active"
			}
		}
	case "bookmarks", "bookmark_v2":
		for _, d := range p.Datasets {
			if len(d.Bookmarks) > 0 {
				return "active"
			}
		}
	}
	return def
}

// poolProp evaluates a pool property as zpool_get_prop does.
func (v *view) poolProp(p *Pool, pd *propDef, parsable bool) pval {
	num := func(n uint64) string {
		if parsable {
			return strconv.FormatUint(n, 10)
		}
		return nicenum1024(n)
	}
	pct := func(n uint64) string {
		if parsable {
			return strconv.FormatUint(n, 10)
		}
		return strconv.FormatUint(n, 10) + "%"
	}
	switch pd.name {
	case "size":
		return none(num(p.Size))
	case "allocated":
		return none(num(v.alloc(p)))
	case "free":
		return none(num(v.free(p)))
	case "capacity":
		return none(pct(v.alloc(p) * 100 / p.Size))
	case "fragmentation":
		return none(pct(0))
	case "health":
		return none("ONLINE")
	case "guid":
		return none(strconv.FormatUint(p.GUID, 10))
	case "load_guid":
		return none(strconv.FormatUint(p.LoadGUID, 10))
	case "dedupratio", "bcloneratio":
		return none(ratio(100, parsable))
	case "expandsize", "checkpoint":
		return none("-")
	case "freeing", "leaked", "bcloneused", "bclonesaved":
		return none(num(0))
	case "readonly":
		return none("off")
	}
	if val, ok := p.Props[pd.name]; ok {
		return pval{val, srcLocal, true}
	}
	return pval{pd.def, srcDefault, true}
}
