package zfs

import (
	"fmt"
	"strings"
)

// maxNameLen is ZFS_MAX_DATASET_NAME_LEN less the terminating NUL.
const maxNameLen = 255

func validNameChar(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '_' || c == '.' || c == ':' || c == ' '
}

// checkName validates a dataset, snapshot or bookmark name as
// zfs_validate_name does for the types allowed, returning libzfs's reason
// ("" when valid).
func checkName(name string, allowed dsType) string {
	if len(name) > maxNameLen {
		return "name is too long"
	}
	if name == "" {
		return "empty component or misplaced '@' or '#' delimiter in name"
	}
	if name[0] == '/' {
		return "leading slash in name"
	}
	at := strings.IndexByte(name, '@')
	hash := strings.IndexByte(name, '#')
	if at >= 0 && allowed&typeSnap == 0 {
		return "snapshot delimiter '@' is not expected here"
	}
	if hash >= 0 && allowed&typeBook == 0 {
		return "bookmark delimiter '#' is not expected here"
	}
	if at >= 0 && hash >= 0 || strings.Count(name, "@") > 1 || strings.Count(name, "#") > 1 {
		return "multiple '@' and/or '#' delimiters in name"
	}
	if at < 0 && hash < 0 && allowed&(typeFS|typeVol) == 0 {
		if allowed&typeSnap != 0 {
			return "missing '@' delimiter in snapshot name"
		}
		return "missing '#' delimiter in bookmark name"
	}
	base, tail, _ := splitSnap(name)
	if strings.HasSuffix(base, "/") {
		return "trailing slash in name"
	}
	for _, comp := range strings.Split(base, "/") {
		if comp == "" {
			return "empty component or misplaced '@' or '#' delimiter in name"
		}
		if comp == "." {
			return "self reference, '.' is found in name"
		}
		if comp == ".." {
			return "parent reference, '..' is found in name"
		}
		for i := 0; i < len(comp); i++ {
			if !validNameChar(comp[i]) {
				return fmt.Sprintf("invalid character '%c' in name", comp[i])
			}
		}
	}
	if at >= 0 || hash >= 0 {
		if tail == "" {
			return "empty component or misplaced '@' or '#' delimiter in name"
		}
		for i := 0; i < len(tail); i++ {
			if !validNameChar(tail[i]) {
				return fmt.Sprintf("invalid character '%c' in name", tail[i])
			}
		}
	}
	if !isLetter(base[0]) {
		return "pool doesn't begin with a letter"
	}
	return ""
}

// reservedPool lists names zpool create refuses (pool_namecheck).
var reservedPool = []string{"mirror", "raidz", "draid", "spare", "log", "cache", "special", "dedup"}

// checkPoolName validates a pool name as pool_namecheck does ("" when valid).
func checkPoolName(name string) string {
	if len(name) > maxNameLen {
		return "name is too long"
	}
	if name == "" {
		return "name must begin with a letter"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !validNameChar(c) {
			return fmt.Sprintf("invalid character '%c' in pool name", c)
		}
	}
	if !isLetter(name[0]) {
		return "name must begin with a letter"
	}
	for _, r := range reservedPool {
		if strings.HasPrefix(name, r) {
			return "name is reserved"
		}
	}
	if len(name) >= 2 && name[0] == 'c' && name[1] >= '0' && name[1] <= '9' {
		return "pool name is reserved"
	}
	return ""
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
