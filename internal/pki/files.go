package pki

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Modes and owner of the files: the article's root-owned key, readable by
// root only (stunnel reads its keys at start-up, before it drops to the
// stunnel user, so root 0400 serves it); certificates are public.
const (
	KeyMode  fs.FileMode = 0o400
	CertMode fs.FileMode = 0o644
	Owner                = "root"
	dirMode  fs.FileMode = 0o755
)

// Copy is what one host has at one path.
type Copy struct {
	Present bool
	file.State
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

// Problems says how c falls short of a file with content hash sha, mode
// and owner: nil when it is right. sha "" leaves the content unchecked.
func Problems(c Copy, sha string, mode fs.FileMode) []string {
	switch {
	case !c.Present:
		return []string{"missing"}
	case c.Kind != file.Regular:
		return []string{"not a regular file (" + c.Kind.String() + ")"}
	}
	var out []string
	if sha != "" && c.SHA256 != sha {
		out = append(out, "differs")
	}
	if c.Mode != mode {
		out = append(out, fmt.Sprintf("mode %s (want %s)", file.FormatMode(c.Mode), file.FormatMode(mode)))
	}
	if c.Owner != Owner {
		out = append(out, fmt.Sprintf("owner %s (want %s)", c.Owner, Owner))
	}
	return out
}

// Holds tells whether c has the content with hash sha, whatever its mode.
func Holds(c Copy, sha string) bool {
	return c.Present && c.Kind == file.Regular && sha != "" && c.SHA256 == sha
}

// Install writes data to p on t atomically with mode, owned by root; the
// directory is made (0755) when missing.
func Install(ctx context.Context, t host.Target, p string, data []byte, mode fs.FileMode) error {
	return t.WriteFile(ctx, p, bytes.NewReader(data), host.FileOptions{Mode: mode, Owner: Owner, DirMode: dirMode})
}

// ReadKey reads a key file into memory and checks it is the file with hash
// sha ("" takes any key). The caller clears raw when done.
func ReadKey(ctx context.Context, t host.Target, p, sha string) (crypto.Signer, []byte, error) {
	raw, err := t.ReadFile(ctx, p)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: reading the key %s: %w", t.Name(), p, err)
	}
	if sha != "" && file.Hash(raw) != sha {
		clear(raw)
		return nil, nil, fmt.Errorf("%s: %s is not the key with file sha256 %s any more", t.Name(), p, sha)
	}
	k, err := ParseKey(raw)
	if err != nil {
		clear(raw)
		return nil, nil, fmt.Errorf("%s: %s: %w", t.Name(), p, err)
	}
	return k, raw, nil
}

// RemoveIf deletes p on t when it holds the content with hash sha (or sha
// is ""), and tells whether it was left because it holds something else.
func RemoveIf(ctx context.Context, t host.Target, p, sha string) (left bool, err error) {
	c, err := Inspect(ctx, t, p)
	if err != nil || !c.Present {
		return false, err
	}
	if sha != "" && !Holds(c, sha) {
		return true, nil
	}
	return false, t.Remove(ctx, p)
}

// Join is the status text of a set of problems: "ok" when there are none.
func Join(problems []string) string {
	if len(problems) == 0 {
		return StatusOK
	}
	return strings.Join(problems, ", ")
}

// StatusOK is the status of a file, or of a host's files, that are right.
const StatusOK = "ok"

// Prefix names whose problems these are: "key missing".
func Prefix(what string, problems []string) []string {
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = what + " " + p
	}
	return out
}
