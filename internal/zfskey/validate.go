package zfskey

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

// Defaults of a key file: the article's `chown root`, `chmod 400`.
const (
	DefaultMode  = "0400"
	DefaultOwner = "root"
)

// ValidatePath accepts an absolute, clean path to a file that zfs can name
// in keylocation=file://PATH: no white space, which keylocation refuses.
func ValidatePath(p string) error {
	if err := file.ValidatePath(p); err != nil {
		return err
	}
	if strings.ContainsAny(p, " \t") {
		return fmt.Errorf("%q contains white space, which a ZFS keylocation (file://PATH) cannot hold", p)
	}
	return nil
}

// ParseMode reads the key file's mode. Bits for other users are refused:
// a key everyone can read protects nothing.
func ParseMode(s string) (fs.FileMode, error) {
	m, err := file.ParseMode(s)
	if err != nil {
		return 0, err
	}
	if m&0o007 != 0 {
		return 0, fmt.Errorf("%q gives other users access to the key: use %q (or \"0440\", \"0600\")", s, DefaultMode)
	}
	return m, nil
}

// ValidateMode is ParseMode for plan-time validators.
func ValidateMode(s string) error {
	_, err := ParseMode(s)
	return err
}
