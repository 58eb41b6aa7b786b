package zfskey

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// GenerateArgv reads one key from the host's random source. FreeBSD's
// /dev/random does not block once seeded, and Linux's does not for reads
// this small after boot; status=none keeps dd's transfer report away.
func GenerateArgv() []string {
	return []string{"dd", "if=/dev/random", "bs=32", "count=1", "status=none"}
}

// Generate makes a new key from t's random source. The bytes come back on
// the command's stdout, which the host layer neither logs nor puts in
// errors.
func Generate(ctx context.Context, t host.Target) ([]byte, error) {
	res, err := t.Run(ctx, host.Command{Argv: GenerateArgv()})
	if err != nil {
		Clear(res.Stdout)
		return nil, fmt.Errorf("%s: generating a key: %w", t.Name(), err)
	}
	if len(res.Stdout) != Size {
		n := len(res.Stdout)
		Clear(res.Stdout)
		return nil, fmt.Errorf("%s: generating a key: the random source gave %d bytes, want %d", t.Name(), n, Size)
	}
	return res.Stdout, nil
}

// Inspect stats and hashes the file at p in one command.
func Inspect(ctx context.Context, t host.Target, p string) (Copy, error) {
	st, err := file.ReadState(ctx, t, p)
	if errors.Is(err, file.ErrNotFound) {
		return Copy{}, nil
	}
	if err != nil {
		return Copy{}, err
	}
	return Copy{Present: true, State: st}, nil
}

// Fetch reads the key from t and checks that it is the key with
// fingerprint fp.
func Fetch(ctx context.Context, t host.Target, p, fp string) ([]byte, error) {
	key, err := t.ReadFile(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("%s: reading the key from %s: %w", t.Name(), p, err)
	}
	if len(key) != Size || Fingerprint(key) != fp {
		n := len(key)
		Clear(key)
		return nil, fmt.Errorf("%s: %s changed while being read (%d bytes, not the key with sha256 %s)", t.Name(), p, n, fp)
	}
	return key, nil
}

// Install writes the key to p on t atomically (a temporary file beside it,
// given mode and owner before the key goes in, renamed into place). The
// directory must exist: a key belongs on its key media, not on a directory
// made for it on the disk it protects.
func Install(ctx context.Context, t host.Target, p string, key []byte, w Want) error {
	err := t.WriteFile(ctx, p, bytes.NewReader(key), host.FileOptions{Mode: w.Mode, Owner: w.Owner, Group: w.Group})
	if err == nil {
		return nil
	}
	dir := path.Dir(p)
	if _, serr := t.Run(ctx, host.Command{Argv: []string{"test", "-d", dir}}); serr != nil {
		var ce *host.CommandError
		if errors.As(serr, &ce) && ce.ExitCode == 1 {
			return fmt.Errorf("%s: %s: %w", t.Name(), dir, ErrNoDirectory)
		}
	}
	return fmt.Errorf("%s: writing the key to %s: %w", t.Name(), p, err)
}

// UsersScript lists the datasets whose keylocation is set locally, as
// NAME<TAB>LOCATION lines: those are the ones that load a key file (the
// rc.d zfskeys script reads the same list). A host without zfs has none.
func UsersScript() string {
	return "command -v zfs >/dev/null 2>&1 || exit 0; " +
		host.Join([]string{"zfs", "get", "-H", "-o", "name,value", "-s", "local", "-t", "filesystem,volume", "keylocation"})
}

// ParseUsers picks from UsersScript's output the datasets that load their
// key from p.
func ParseUsers(out, p string) []string {
	var users []string
	for _, line := range strings.Split(out, "\n") {
		name, loc, ok := strings.Cut(line, "\t")
		if ok && strings.TrimRight(loc, "\r") == "file://"+p {
			users = append(users, name)
		}
	}
	return users
}

// Users lists the datasets on t that load their key from p.
func Users(ctx context.Context, t host.Target, p string) ([]string, error) {
	res, err := t.Run(ctx, host.Command{Script: UsersScript()})
	if err != nil {
		return nil, fmt.Errorf("%s: listing the datasets' key locations: %w", t.Name(), err)
	}
	return ParseUsers(string(res.Stdout), p), nil
}

// Removal says what becomes of one copy that is to go.
type Removal int

const (
	Removed   Removal = iota // the copy held the key and is gone (or is to go)
	Absent                   // there was nothing to remove
	NotTheKey                // the file holds something else and is left alone
	InUse                    // a dataset loads its key from it: left alone
)

func (r Removal) String() string {
	return [...]string{"removed", "absent", "not the key", "in use"}[r]
}

// Leftover is a copy that a removal left in place, and why.
type Leftover struct {
	Host, Path string
	Why        Removal
	Users      []string // datasets that load their key from it (InUse)
}

func (l Leftover) String() string {
	if l.Why == InUse {
		return fmt.Sprintf("%s:%s is the keylocation of %s", l.Host, l.Path, strings.Join(l.Users, ", "))
	}
	return fmt.Sprintf("%s:%s holds another key than this one", l.Host, l.Path)
}

// checkRemoval says whether the copy of the key with fingerprint fp at p
// may go: not when the file there is not that key (someone else's file is
// never deleted), nor when a dataset on t names it as its keylocation (it
// could not load its key at the next boot).
func checkRemoval(ctx context.Context, t host.Target, p, fp string) (Leftover, error) {
	l := Leftover{Host: t.Name(), Path: p}
	c, err := Inspect(ctx, t, p)
	switch {
	case err != nil:
		return l, err
	case !c.Present:
		l.Why = Absent
		return l, nil
	case !HoldsKey(c, fp):
		l.Why = NotTheKey
		return l, nil
	}
	l.Users, err = Users(ctx, t, p)
	if err != nil {
		return l, err
	}
	if len(l.Users) > 0 {
		l.Why = InUse
	}
	return l, nil
}
