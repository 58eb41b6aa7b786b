package file

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// State is what one command learns about a managed file.
type State struct {
	Stat
	SHA256 string // of the content; "" unless a regular file
}

// ReadState stats the file and hashes its content in one command.
func ReadState(ctx context.Context, t host.Target, p string) (State, error) {
	info, err := t.Info(ctx)
	if err != nil {
		return State{}, err
	}
	argv, err := statArgv(info, p)
	if err != nil {
		return State{}, err
	}
	q := host.Quote(p)
	script := fmt.Sprintf("%s; %s || exit 1; if [ -f %s ] && [ ! -L %s ]; then %s < %s || exit 1; fi",
		missingGuard(p), host.Join(argv), q, q, host.Join(hashArgv(info)), q)
	res, err := t.Run(ctx, host.Command{Script: script})
	if isMissing(err) {
		return State{}, fmt.Errorf("%s: %s: %w", t.Name(), p, ErrNotFound)
	}
	if err != nil {
		return State{}, err
	}
	out := strings.Split(strings.TrimRight(string(res.Stdout), "\n"), "\n")
	st, err := parseStat(out[0])
	if err != nil {
		return State{}, fmt.Errorf("%s: stat %s: %w", t.Name(), p, err)
	}
	s := State{Stat: st}
	if st.Kind == Regular {
		if len(out) < 2 || len(strings.Fields(out[1])) == 0 || len(strings.Fields(out[1])[0]) != 64 {
			return State{}, fmt.Errorf("%s: hashing %s: unexpected output %q", t.Name(), p, res.Stdout)
		}
		s.SHA256 = strings.ToLower(strings.Fields(out[1])[0])
	}
	return s, nil
}

// Spec is a whole file as the user declares it.
type Spec struct {
	Path    string
	Content []byte
	Mode    fs.FileMode
	Owner   string
	Group   string
	DirMode fs.FileMode // for missing parent directories
}

// Ensure makes the file hold the spec's content, mode, owner and group,
// writing it atomically unless it already does, and returns what it reads
// back. It refuses to write over a directory, which the rename would
// otherwise move the new file into.
func Ensure(ctx context.Context, t host.Target, s Spec) (State, bool, error) {
	cur, err := ReadState(ctx, t, s.Path)
	switch {
	case err == nil && cur.Kind == Directory:
		return State{}, false, fmt.Errorf("%s: %s is a directory; remove it or choose another path", t.Name(), s.Path)
	case err == nil && cur.Kind == Regular && cur.SHA256 == Hash(s.Content) && cur.Mode == s.Mode &&
		(s.Owner == "" || cur.Owner == s.Owner) && (s.Group == "" || cur.Group == s.Group):
		return cur, false, nil
	case err != nil && !isNotFound(err):
		return State{}, false, err
	}
	err = t.WriteFile(ctx, s.Path, bytes.NewReader(s.Content), host.FileOptions{
		Mode: s.Mode, Owner: s.Owner, Group: s.Group, DirMode: s.DirMode,
	})
	if err != nil {
		return State{}, false, err
	}
	st, err := ReadState(ctx, t, s.Path)
	return st, true, err
}

// DefaultGroup is the group root's files get: wheel on FreeBSD, root on
// Linux.
func DefaultGroup(info host.Info) string {
	if info.IsFreeBSD() {
		return "wheel"
	}
	return "root"
}

// Remove deletes the file; a missing one is not an error.
func Remove(ctx context.Context, t host.Target, p string) error {
	return t.Remove(ctx, p)
}
