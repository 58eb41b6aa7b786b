package zfskey

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

// Want is what every copy of the key must be.
type Want struct {
	Fingerprint string // "" while not known (an import): content is not compared
	Mode        fs.FileMode
	Owner       string
	Group       string // "" leaves the group unmanaged
}

// Copy is what one host has at the key's path.
type Copy struct {
	Present bool
	file.State
}

// Status texts of a copy, as the copies attribute shows them. A copy that
// only has a wrong mode, owner or group still holds the key.
const (
	StatusOK       = "ok"
	statusMissing  = "missing"
	statusDiffers  = "content differs"
	statusNotAFile = "not a regular file"
)

// Check describes how c falls short of w: StatusOK, or its problems
// ("mode 0644 (want 0400), owner paul (want root)").
func (w Want) Check(c Copy) string {
	if !c.Present {
		return statusMissing
	}
	if c.Kind != file.Regular {
		return fmt.Sprintf("%s (%s)", statusNotAFile, c.Kind)
	}
	var problems []string
	if w.Fingerprint != "" && c.SHA256 != w.Fingerprint {
		problems = append(problems, statusDiffers)
	}
	if c.Mode != w.Mode {
		problems = append(problems, fmt.Sprintf("mode %s (want %s)", file.FormatMode(c.Mode), file.FormatMode(w.Mode)))
	}
	if w.Owner != "" && c.Owner != w.Owner {
		problems = append(problems, fmt.Sprintf("owner %s (want %s)", c.Owner, w.Owner))
	}
	if w.Group != "" && c.Group != w.Group {
		problems = append(problems, fmt.Sprintf("group %s (want %s)", c.Group, w.Group))
	}
	if len(problems) == 0 {
		return StatusOK
	}
	return strings.Join(problems, ", ")
}

// HoldsKey tells whether c holds the key with fingerprint fp, whatever its
// mode and owner: a copy the key can be read from.
func HoldsKey(c Copy, fp string) bool {
	return c.Present && c.Kind == file.Regular && fp != "" && c.SHA256 == fp
}

// StatusHoldsKey reads a Check text back: whether that copy still holds
// the key (only its mode, owner or group are wrong).
func StatusHoldsKey(status string) bool {
	return status != statusMissing && !strings.HasPrefix(status, statusNotAFile) && !strings.Contains(status, statusDiffers)
}

// Identify finds the key that the hosts' files hold, for an import or a
// create that finds files in place: every present file must be a regular
// file of Size bytes, and all must be the same key. It returns the key's
// fingerprint and the first host (in order) that has it; ErrNotFound when
// no host has a file; ErrConflict (wrapped, with the details) when the
// files are not one key.
func Identify(p string, copies map[string]Copy, order []string) (fingerprint, source string, err error) {
	var bad, holders []string
	sums := map[string][]string{}
	for _, h := range order {
		c, ok := copies[h]
		if !ok || !c.Present {
			continue
		}
		switch {
		case c.Kind != file.Regular:
			bad = append(bad, fmt.Sprintf("%s:%s is a %s", h, p, c.Kind))
		case c.Size != Size:
			bad = append(bad, fmt.Sprintf("%s:%s is %d bytes, not a raw key of %d", h, p, c.Size, Size))
		default:
			if _, seen := sums[c.SHA256]; !seen {
				holders = append(holders, h)
			}
			sums[c.SHA256] = append(sums[c.SHA256], h)
		}
	}
	if len(bad) > 0 {
		return "", "", fmt.Errorf("%w: %s", ErrConflict, strings.Join(bad, "; "))
	}
	switch len(holders) {
	case 0:
		return "", "", fmt.Errorf("%w at %s on %s", ErrNotFound, p, strings.Join(order, ", "))
	case 1:
		return copies[holders[0]].SHA256, holders[0], nil
	}
	var groups []string
	for _, h := range holders {
		fp := copies[h].SHA256
		groups = append(groups, fmt.Sprintf("%s (sha256 %s)", strings.Join(sums[fp], ", "), fp))
	}
	return "", "", fmt.Errorf("%w: %s holds different keys on %s", ErrConflict, p, strings.Join(groups, " and "))
}

// Source is the first host, in order, whose copy holds the key.
func Source(copies map[string]Copy, order []string, fp string) (string, bool) {
	i := slices.IndexFunc(order, func(h string) bool { return HoldsKey(copies[h], fp) })
	if i < 0 {
		return "", false
	}
	return order[i], true
}
