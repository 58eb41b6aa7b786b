package zfs

import (
	"errors"
	"fmt"
	"strings"
)

// MaxNameLength is ZFS_MAX_DATASET_NAME_LEN without the terminating NUL.
const MaxNameLength = 255

// maxNesting is zfs_max_dataset_nesting: the deepest a dataset may sit.
const maxNesting = 50

// NameRules describes valid names, for validators and documentation.
const NameRules = "components of letters, digits and `_ . : -` separated by `/`, the pool name starting " +
	"with a letter, at most 255 characters"

// reservedPoolNames are vdev kinds and sections zpool create would read as
// keywords (pool_namecheck in zfs_namecheck.c).
var reservedPoolNames = []string{"mirror", "raidz", "draid", "spare", "log"}

func validNameChar(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '-' || c == '.' || c == ':'
}

// checkComponent applies the rules of one name component. ZFS also allows
// a space; the provider does not, so that every name stays one shell word
// and one field of scripted output.
func checkComponent(c, what string) error {
	switch c {
	case "":
		return fmt.Errorf("%s has an empty component (a leading, trailing or doubled '/')", what)
	case ".", "..":
		return fmt.Errorf("%s has the component %q, which ZFS reserves", what, c)
	}
	for i := 0; i < len(c); i++ {
		if !validNameChar(c[i]) {
			return fmt.Errorf("%s contains the invalid character %q: use %s", what, c[i], NameRules)
		}
	}
	return nil
}

// ValidatePoolName accepts what zpool create accepts as a pool name.
func ValidatePoolName(name string) error {
	if name == "" {
		return errors.New("the pool name is empty")
	}
	if len(name) > MaxNameLength {
		return fmt.Errorf("the pool name is %d characters long; at most %d are allowed", len(name), MaxNameLength)
	}
	if strings.Contains(name, "/") {
		return fmt.Errorf("the pool name %q contains '/': a pool name is one component (use f3s_zfs_dataset for datasets)", name)
	}
	if err := checkComponent(name, fmt.Sprintf("the pool name %q", name)); err != nil {
		return err
	}
	c := name[0]
	if !isLetter(c) {
		return fmt.Errorf("the pool name %q must begin with a letter", name)
	}
	for _, r := range reservedPoolNames {
		if strings.HasPrefix(name, r) && (r == "raidz" || r == "draid" || name == r) {
			return fmt.Errorf("the pool name %q is reserved: %q is a zpool keyword", name, r)
		}
	}
	if len(name) > 1 && name[0] == 'c' && name[1] >= '0' && name[1] <= '9' {
		return fmt.Errorf("the pool name %q is reserved: names of the form c[0-9]... are disk names", name)
	}
	return nil
}

// ValidateDatasetName accepts a filesystem or volume name: POOL[/COMP]...
func ValidateDatasetName(name string) error {
	if name == "" {
		return errors.New("the dataset name is empty")
	}
	if strings.ContainsAny(name, "@#") {
		return fmt.Errorf("the dataset name %q contains '@' or '#': give a filesystem or volume, not a snapshot or bookmark", name)
	}
	if len(name) > MaxNameLength {
		return fmt.Errorf("the dataset name is %d characters long; at most %d are allowed", len(name), MaxNameLength)
	}
	comps := strings.Split(name, "/")
	if len(comps) > maxNesting {
		return fmt.Errorf("the dataset name %q is nested %d deep; ZFS allows %d", name, len(comps), maxNesting)
	}
	if err := ValidatePoolName(comps[0]); err != nil {
		return fmt.Errorf("dataset %q: %w", name, err)
	}
	for _, c := range comps[1:] {
		if err := checkComponent(c, fmt.Sprintf("the dataset name %q", name)); err != nil {
			return err
		}
	}
	return nil
}

// ValidateSnapshotShortName accepts the part of a snapshot name after '@'.
func ValidateSnapshotShortName(name string) error {
	if name == "" {
		return errors.New("the snapshot name is empty")
	}
	if strings.ContainsAny(name, "/@#") {
		return fmt.Errorf("the snapshot name %q must not contain '/', '@' or '#'", name)
	}
	return checkComponent(name, fmt.Sprintf("the snapshot name %q", name))
}

// ValidateSnapshotName accepts DATASET@SNAPSHOT.
func ValidateSnapshotName(full string) error {
	ds, snap, ok := strings.Cut(full, "@")
	if !ok {
		return fmt.Errorf("%q is not a snapshot name: use DATASET@SNAPSHOT", full)
	}
	if len(full) > MaxNameLength {
		return fmt.Errorf("the snapshot name is %d characters long; at most %d are allowed", len(full), MaxNameLength)
	}
	if err := ValidateDatasetName(ds); err != nil {
		return err
	}
	return ValidateSnapshotShortName(snap)
}

// SplitSnapshot cuts DATASET@SNAPSHOT.
func SplitSnapshot(full string) (dataset, snapshot string, ok bool) {
	return strings.Cut(full, "@")
}

// PoolOf is the pool a dataset or snapshot belongs to.
func PoolOf(name string) string {
	if i := strings.IndexAny(name, "/@#"); i >= 0 {
		return name[:i]
	}
	return name
}

// Parent is the dataset containing name, or "" for a pool's root dataset.
func Parent(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[:i]
	}
	return ""
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isLowerOrDigit(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') }
