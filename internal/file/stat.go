package file

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// exitMissing is what the scripts here exit with when the path does not
// exist (sysexits EX_NOINPUT: no command they run uses it).
const exitMissing = 66

// Kind is what a path is.
type Kind int

const (
	Regular Kind = iota
	Directory
	Symlink
	Other
)

func (k Kind) String() string {
	return [...]string{"regular file", "directory", "symbolic link", "special file"}[k]
}

// Stat is a file's metadata as one stat(1) line reports it.
type Stat struct {
	Mode  fs.FileMode // permission and special bits
	Owner string
	Group string
	Size  int64
	Kind  Kind
}

// statArgv is stat(1) in the host's dialect: "MODE OWNER GROUP SIZE TYPE",
// MODE in octal with the special bits ("0644", "4755").
func statArgv(info host.Info, p string) ([]string, error) {
	switch {
	case info.IsFreeBSD():
		return []string{"stat", "-f", "%Mp%03Lp %Su %Sg %z %HT", "--", p}, nil
	case info.IsLinux():
		return []string{"stat", "-c", "%a %U %G %s %F", "--", p}, nil
	}
	return nil, fmt.Errorf("no stat dialect for OS %q", info.OS)
}

// hashArgv prints the SHA-256 of standard input as the first word.
func hashArgv(info host.Info) []string {
	if info.IsFreeBSD() {
		return []string{"sha256", "-q"}
	}
	return []string{"sha256sum"}
}

// missingGuard exits exitMissing unless p exists (a dangling link counts).
func missingGuard(p string) string {
	q := host.Quote(p)
	return fmt.Sprintf("[ -e %s ] || [ -L %s ] || exit %d", q, q, exitMissing)
}

var kinds = map[string]Kind{
	"regular file":       Regular, // FreeBSD %HT, GNU %F
	"regular empty file": Regular, // GNU %F
	"directory":          Directory,
	"symbolic link":      Symlink,
}

// parseStat reads one line of statArgv's output.
func parseStat(line string) (Stat, error) {
	f := strings.Fields(line)
	if len(f) < 5 {
		return Stat{}, fmt.Errorf("unexpected stat output %q", line)
	}
	bits, err := strconv.ParseUint(f[0], 8, 32)
	if err != nil || bits > 0o7777 {
		return Stat{}, fmt.Errorf("unexpected mode %q in stat output", f[0])
	}
	size, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil {
		return Stat{}, fmt.Errorf("unexpected size %q in stat output", f[3])
	}
	kind, ok := kinds[strings.ToLower(strings.Join(f[4:], " "))]
	if !ok {
		kind = Other
	}
	mode := fs.FileMode(bits & 0o777)
	for bit, m := range map[uint64]fs.FileMode{0o4000: fs.ModeSetuid, 0o2000: fs.ModeSetgid, 0o1000: fs.ModeSticky} {
		if bits&bit != 0 {
			mode |= m
		}
	}
	return Stat{Mode: mode, Owner: f[1], Group: f[2], Size: size, Kind: kind}, nil
}

// isMissing tells the scripts' "does not exist" exit.
func isMissing(err error) bool {
	var ce *host.CommandError
	return errors.As(err, &ce) && ce.ExitCode == exitMissing
}
