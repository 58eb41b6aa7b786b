package file

import (
	"context"
	"fmt"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// ReadBlock returns the block's content in normal form, or ErrNotFound
// when the file or the block is missing. An empty CommentPrefix is looked
// up in the file (an import does not know it) and returned.
func ReadBlock(ctx context.Context, t host.Target, p string, b Block) (Block, error) {
	text, err := ReadText(ctx, t, p)
	if err != nil {
		return b, err
	}
	if b.CommentPrefix == "" {
		prefix, ok := DetectCommentPrefix(text, b.Name)
		if !ok {
			return b, fmt.Errorf("%s: %s has no block %q: %w", t.Name(), p, b.Name, ErrNotFound)
		}
		b.CommentPrefix = prefix
	}
	content, found, err := FindBlock(text, b)
	if err != nil {
		return b, fmt.Errorf("%s: %s: %w", t.Name(), p, err)
	}
	if !found {
		return b, fmt.Errorf("%s: %s has no block %q: %w", t.Name(), p, b.Name, ErrNotFound)
	}
	b.Content = content
	return b, nil
}

// ApplyBlock writes the block into the file under the path's lock.
func ApplyBlock(ctx context.Context, t host.Target, p string, b Block, pl Placement, create bool) (EditResult, error) {
	return Edit(ctx, t, p, EditOptions{Create: create}, func(text string) (string, error) {
		return SetBlock(text, b, pl)
	})
}

// DeleteBlock removes the block; removeEmpty deletes a file that held
// nothing else (one the block's creation made). A missing file or block is
// not an error.
func DeleteBlock(ctx context.Context, t host.Target, p string, b Block, removeEmpty bool) error {
	_, err := Edit(ctx, t, p, EditOptions{RemoveEmpty: removeEmpty}, func(text string) (string, error) {
		out, _, err := RemoveBlock(text, b)
		return out, err
	})
	if isNotFound(err) {
		return nil
	}
	return err
}

// ReadLine returns the managed line as it stands in the file, or
// ErrNotFound when the file or the line is missing.
func ReadLine(ctx context.Context, t host.Target, p string, l Line) (string, error) {
	text, err := ReadText(ctx, t, p)
	if err != nil {
		return "", err
	}
	got, ok := FindLine(text, l)
	if !ok {
		return "", fmt.Errorf("%s: %s has no line %q: %w", t.Name(), p, l.Text, ErrNotFound)
	}
	return got, nil
}

// ApplyLine writes the line into the file under the path's lock.
func ApplyLine(ctx context.Context, t host.Target, p string, l Line, pl Placement, create bool) (EditResult, error) {
	return Edit(ctx, t, p, EditOptions{Create: create}, func(text string) (string, error) {
		return SetLine(text, l, pl), nil
	})
}

// DeleteLine removes the line as RemoveLine does; a missing file is not an
// error.
func DeleteLine(ctx context.Context, t host.Target, p string, l Line, removeEmpty bool) error {
	_, err := Edit(ctx, t, p, EditOptions{RemoveEmpty: removeEmpty}, func(text string) (string, error) {
		out, _ := RemoveLine(text, l)
		return out, nil
	})
	if isNotFound(err) {
		return nil
	}
	return err
}
