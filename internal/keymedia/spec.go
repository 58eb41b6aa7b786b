package keymedia

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

// FstabPath is the file system table the line goes into.
const FstabPath = "/etc/fstab"

// Spec is one key stick as declared.
type Spec struct {
	Device     string // /dev/da0
	MountPoint string // /keys
}

// FstabLine is the article's line: `/dev/da0 /keys ufs rw 0 2` (read-write,
// not dumped, checked after the root file system at boot).
func (s Spec) FstabLine() string {
	return s.Device + " " + s.MountPoint + " ufs rw 0 2"
}

// mountPointField matches an fstab entry (or one commented out right at
// the #) whose second field is one of the mount points.
func mountPointField(mps ...string) *regexp.Regexp {
	q := make([]string, len(mps))
	for i, mp := range mps {
		q[i] = regexp.QuoteMeta(mp)
	}
	return regexp.MustCompile(`^\s*\S+\s+(` + strings.Join(q, "|") + `)(\s|$)`)
}

// Line is the managed fstab line: the entry for the mount point, whatever
// its device or options, so that an edited entry is seen and replaced in
// place rather than added twice. also names other mount points whose
// entry is this one's too (the previous mount point of an update).
func (s Spec) Line(also ...string) file.Line {
	return file.Line{Text: s.FstabLine(), Match: mountPointField(append([]string{s.MountPoint}, also...)...)}
}

var devicePattern = regexp.MustCompile(`^/dev/[A-Za-z0-9][A-Za-z0-9._+-]*(/[A-Za-z0-9][A-Za-z0-9._+-]*)*$`)

// ValidateDevice accepts a device node under /dev: /dev/da0, /dev/da0p1,
// /dev/gpt/keys.
func ValidateDevice(d string) error {
	if !devicePattern.MatchString(d) || path.Clean(d) != d || strings.Contains(d, "/..") {
		return fmt.Errorf("%q is not a device under /dev such as /dev/da0 or /dev/gpt/keys", d)
	}
	return nil
}

// ValidateMountPoint accepts an absolute, clean directory path other than
// / and without white space (an fstab field cannot hold it).
func ValidateMountPoint(mp string) error {
	if err := file.ValidatePath(mp); err != nil {
		return err
	}
	if strings.ContainsAny(mp, " \t#") {
		return fmt.Errorf("%q contains white space or '#', which an fstab field cannot hold", mp)
	}
	if mp == "/" || strings.HasPrefix(mp, "/dev/") || mp == "/dev" {
		return fmt.Errorf("%q cannot be a key stick's mount point", mp)
	}
	return nil
}
