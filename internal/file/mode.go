package file

import (
	"fmt"
	"io/fs"
	"strconv"
)

// DefaultMode and DefaultDirMode are what a file and its missing parent
// directories get unless the user says otherwise.
const (
	DefaultMode    = "0644"
	DefaultDirMode = "0755"
)

// ParseMode reads permission bits written in octal: "0644" or "644".
// Setuid, setgid and sticky bits are refused: a managed file or directory
// that needs them is better made by its package.
func ParseMode(s string) (fs.FileMode, error) {
	if len(s) != 3 && len(s) != 4 {
		return 0, fmt.Errorf("%q is not an octal mode such as \"0644\": give 3 or 4 octal digits", s)
	}
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not an octal mode such as \"0644\": only digits 0-7 are allowed", s)
	}
	if v > 0o777 {
		return 0, fmt.Errorf("%q sets setuid, setgid or sticky bits, which are not supported: use a mode from \"0000\" to \"0777\"", s)
	}
	return fs.FileMode(v), nil
}

// FormatMode writes permission bits as four octal digits, special bits
// included: "0644", "4755".
func FormatMode(m fs.FileMode) string {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return fmt.Sprintf("%04o", v)
}

// SameMode tells whether the user's spelling s means mode m, so that "644"
// in a configuration matches "0644" read from the host.
func SameMode(s string, m fs.FileMode) bool {
	want, err := ParseMode(s)
	return err == nil && FormatMode(want) == FormatMode(m)
}
