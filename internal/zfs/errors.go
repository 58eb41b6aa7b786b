package zfs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// ErrNotFound means the pool, dataset or snapshot does not exist.
var ErrNotFound = errors.New("does not exist")

// notFoundTexts end the libzfs messages of a missing object: `cannot open
// 'zdata/x': dataset does not exist` (§2.2) and `cannot open 'foo': no such
// pool` (§1.2).
var notFoundTexts = []string{": dataset does not exist", ": no such pool"}

// classify turns the failure of a command that opens an existing object
// into ErrNotFound when zfs said the object is missing. Only for commands
// whose single operand is that object: a missing parent in zfs create says
// "no such pool" too, and is not "not found".
func classify(err error, what, name string) error {
	var ce *host.CommandError
	if errors.As(err, &ce) && ce.ExitCode == 1 {
		for _, t := range notFoundTexts {
			if strings.Contains(ce.Stderr, "'"+name+"'"+t) {
				return fmt.Errorf("%s %q: %w", what, name, ErrNotFound)
			}
		}
	}
	return err
}

// CommandStderr is the stderr of a failed command, trimmed: the text zfs
// printed, for diagnostics that quote it.
func CommandStderr(err error) string {
	var ce *host.CommandError
	if errors.As(err, &ce) {
		return strings.TrimSpace(ce.Stderr)
	}
	return ""
}

// IsMissing reports whether err is zfs saying that name does not exist.
func IsMissing(err error, name string) bool {
	return errors.Is(classify(err, "dataset", name), ErrNotFound)
}
