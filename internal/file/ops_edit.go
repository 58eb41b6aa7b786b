package file

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// EditOptions say what an edit may do to the file as a whole.
type EditOptions struct {
	// Create makes a missing file (and its missing parents, 0755), root's,
	// mode 0644; without it a missing file is ErrNotFound.
	Create bool
	// RemoveEmpty deletes the file when the edit leaves it empty: the
	// undoing of an edit that created it.
	RemoveEmpty bool
}

// EditResult says what an edit did. When the write fails, it says what
// the write was to do (it may have happened when its outcome is unknown).
type EditResult struct {
	Created bool // the file did not exist and was written
	Removed bool // the file was left empty and deleted
	Changed bool // the text changed
}

// ReadText returns a file's content; ErrNotFound when it is missing.
func ReadText(ctx context.Context, t host.Target, p string) (string, error) {
	data, err := t.ReadFile(ctx, p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: %s: %w", t.Name(), p, ErrNotFound)
	}
	return string(data), err
}

// Edit changes one shared file through edit, which gets the current text
// and returns the new one. It holds the host's lock on the path from the
// read to the write, so that concurrent edits of one file never lose each
// other's change, and it keeps the file's mode, owner and group.
func Edit(ctx context.Context, t host.Target, p string, opts EditOptions, edit func(string) (string, error)) (EditResult, error) {
	unlock, err := t.Lock(ctx, p)
	if err != nil {
		return EditResult{}, err
	}
	defer unlock()

	text, st, exists, err := readForEdit(ctx, t, p)
	if err != nil {
		return EditResult{}, err
	}
	if !exists && !opts.Create {
		return EditResult{}, fmt.Errorf("%s: %s: %w", t.Name(), p, ErrNotFound)
	}
	updated, err := edit(text)
	if err != nil {
		return EditResult{}, fmt.Errorf("%s: %s: %w", t.Name(), p, err)
	}
	switch {
	case !exists && updated == "":
		return EditResult{}, nil
	case exists && updated == text:
		return EditResult{}, nil
	case exists && opts.RemoveEmpty && updated == "":
		return EditResult{Removed: true, Changed: true}, t.Remove(ctx, p)
	}
	fo := host.FileOptions{Mode: st.Mode, Owner: st.Owner, Group: st.Group}
	if !exists {
		dm, _ := ParseMode(DefaultDirMode)
		fm, _ := ParseMode(DefaultMode)
		fo = host.FileOptions{Mode: fm, DirMode: dm}
	}
	if err := t.WriteFile(ctx, p, strings.NewReader(updated), fo); err != nil {
		return EditResult{Created: !exists, Changed: true}, err
	}
	return EditResult{Created: !exists, Changed: true}, nil
}

// readForEdit reads metadata and text in one command. Only a regular file
// is edited: writing through a symbolic link would replace the link.
func readForEdit(ctx context.Context, t host.Target, p string) (string, Stat, bool, error) {
	info, err := t.Info(ctx)
	if err != nil {
		return "", Stat{}, false, err
	}
	argv, err := statArgv(info, p)
	if err != nil {
		return "", Stat{}, false, err
	}
	q := host.Quote(p)
	script := fmt.Sprintf("%s; %s || exit 1; if [ -f %s ] && [ ! -L %s ]; then cat -- %s; fi", missingGuard(p), host.Join(argv), q, q, q)
	res, err := t.Run(ctx, host.Command{Script: script})
	if isMissing(err) {
		return "", Stat{}, false, nil
	}
	if err != nil {
		return "", Stat{}, false, err
	}
	first, text, _ := bytes.Cut(res.Stdout, []byte("\n"))
	st, err := parseStat(string(first))
	if err != nil {
		return "", Stat{}, false, fmt.Errorf("%s: stat %s: %w", t.Name(), p, err)
	}
	if st.Kind != Regular {
		return "", Stat{}, false, fmt.Errorf("%s: %s is a %s, not a regular file; managed lines and blocks edit regular files only", t.Name(), p, st.Kind)
	}
	return string(text), st, true, nil
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
