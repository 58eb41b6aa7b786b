package zfs

import (
	"fmt"
	"strconv"
	"strings"
)

// propSetting is a validated property assignment with its canonical value
// (sizes in bytes, encryption=on as the concrete suite).
type propSetting struct {
	name  string
	value string
	prop  *propDef // nil for user properties
}

// validateProp checks name=value for a dataset of type t as
// zfs_valid_proplist does; creating allows set-once properties. The error
// is libzfs's aux text.
func validateProp(name, value string, t dsType, creating bool) (propSetting, string) {
	if isUserProp(name) {
		if len(value) > 8192 {
			return propSetting{}, "property value too long"
		}
		return propSetting{name: name, value: value}, ""
	}
	pd := lookupProp(name)
	if pd == nil {
		return propSetting{}, fmt.Sprintf("invalid property '%s'", name)
	}
	readonly := pd.attr == attrReadonly || ((pd.attr == attrOnetime || pd.attr == attrOnetimeDefault) && !creating)
	if pd.name == "volsize" {
		readonly = false
	}
	if readonly {
		return propSetting{}, fmt.Sprintf("'%s' is readonly", pd.name)
	}
	if pd.types&t == 0 {
		return propSetting{}, fmt.Sprintf("'%s' does not apply to datasets of this type", pd.name)
	}
	ps := propSetting{name: pd.name, prop: pd}
	switch pd.kind {
	case kindIndex:
		if !pd.validValue(value) {
			return propSetting{}, fmt.Sprintf("'%s' must be one of '%s'", pd.name, pd.valuesHelp())
		}
		ps.value = value
		if pd.name == "encryption" && value == "on" {
			ps.value = "aes-256-gcm"
		}
		if pd.name == "xattr" && value == "dir" {
			ps.value = "on"
		}
	case kindNumber:
		var n uint64
		switch {
		case value == "none" && strings.HasSuffix(pd.name, "_limit"):
			n = noLimit // zprop_parse_value: a limit of none is UINT64_MAX
		case value == "none" && pd.def == "none":
			n = 0
		default:
			var err error
			if pd.name == "pbkdf2iters" || strings.HasSuffix(pd.name, "_limit") {
				n, err = strconv.ParseUint(value, 10, 64)
				if err != nil {
					return propSetting{}, fmt.Sprintf("bad numeric value '%s'", value)
				}
			} else {
				n, err = parseSize(value)
				if err != nil {
					return propSetting{}, err.Error()
				}
			}
		}
		switch pd.name {
		case "recordsize":
			if n < 512 || n > 1<<20 || n&(n-1) != 0 {
				return propSetting{}, "invalid recordsize"
			}
		case "volblocksize":
			if n < 512 || n > 128<<10 || n&(n-1) != 0 {
				return propSetting{}, "invalid volblocksize"
			}
		case "pbkdf2iters":
			if n < 100000 {
				return propSetting{}, "minimum pbkdf2 iterations is 100000"
			}
		case "special_small_blocks":
			if n != 0 && (n < 512 || n > 1<<20 || n&(n-1) != 0) {
				return propSetting{}, "invalid special_small_blocks"
			}
		}
		ps.value = strconv.FormatUint(n, 10)
	case kindString:
		switch pd.name {
		case "mountpoint":
			if value != "none" && value != "legacy" && !strings.HasPrefix(value, "/") {
				return propSetting{}, fmt.Sprintf("'%s' must be an absolute path, 'none', or 'legacy'", pd.name)
			}
			if len(value) > 1 {
				value = strings.TrimRight(value, "/")
			}
		case "keylocation":
			if !validKeylocation(value, false) {
				return propSetting{}, "invalid keylocation"
			}
		}
		ps.value = value
	}
	return ps, ""
}

// validKeylocation is zfs_prop_valid_keylocation.
func validKeylocation(s string, encrypted bool) bool {
	switch {
	case s == "none":
		return !encrypted
	case s == "prompt":
		return true
	case len(s) > 8 && strings.HasPrefix(s, "file:///"):
		return true
	}
	return false
}

// parsePropArg splits "name=value" as zfs parseprop does.
func parsePropArg(s string) (string, string, bool) {
	i := strings.IndexByte(s, '=')
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// zvolReservation is zvol_volsize_to_reservation: the refreservation of a
// non-sparse volume covers its data and the indirect blocks over it.
func zvolReservation(volsize, volblock uint64) uint64 {
	const dnodesPerLevel = 1 << (17 - 7)
	nblocks := volsize / volblock
	numdb := uint64(7)
	for nblocks > 1 {
		nblocks += dnodesPerLevel - 1
		nblocks /= dnodesPerLevel
		numdb += nblocks
	}
	numdb *= 2 // MIN(SPA_DVAS_PER_BP, copies + 1) with copies=1
	return volsize + numdb*(1<<17)
}
