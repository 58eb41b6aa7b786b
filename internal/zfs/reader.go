package zfs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// readBatchMax bounds the datasets one zfs get names: its output is about
// 4 KiB per dataset.
const readBatchMax = 64

// Reader reads datasets and snapshots of one host, several per command:
// reads asked while a zfs get runs go out together in the next one,
// `zfs get -H -p -o name,property,value,source all NAME...` (host.Batch).
// A read made after a change sees the change. A provider keeps one Reader
// per host.
type Reader struct {
	t     host.Target
	batch *host.Batch[string, Properties]
}

// NewReader returns the Reader of t.
func NewReader(t host.Target) *Reader {
	r := &Reader{t: t}
	r.batch = host.NewBatch(readBatchMax, r.get)
	return r
}

// Dataset is ReadDataset through the batch: every property of a dataset or
// snapshot; ErrNotFound when it does not exist.
func (r *Reader) Dataset(ctx context.Context, name string) (Dataset, error) {
	props, ok, err := r.batch.Do(ctx, name)
	switch {
	case err != nil:
		return Dataset{}, err
	case !ok:
		return Dataset{}, fmt.Errorf("dataset %q: %w", name, ErrNotFound)
	}
	return Dataset{Name: name, Props: props}, nil
}

// Commands counts the zfs get commands the Reader has run.
func (r *Reader) Commands() int64 { return r.batch.Runs() }

// get reads names with one zfs get. zfs reads each name on its own: one
// that does not exist gets `cannot open 'NAME': dataset does not exist` on
// stderr, the others their lines on stdout, and the command exits 1
// (reference §0.1, §2.2). Such a name is left out of the answer (not
// found), so that one vanished dataset does not fail the others' reads;
// any other failure fails them all.
func (r *Reader) get(ctx context.Context, names []string) (map[string]Properties, error) {
	res, err := r.t.Run(ctx, host.Command{Argv: GetArgv(names...)})
	if err != nil && !onlyMissing(err, names) {
		return nil, err
	}
	_, props, perr := ParseGet(string(res.Stdout))
	if perr != nil {
		return nil, fmt.Errorf("%s: reading %s: %w", r.t.Name(), quoteNames(names), perr)
	}
	asked := make(map[string]bool, len(names))
	for _, n := range names {
		asked[n] = true
	}
	for n := range props {
		if !asked[n] {
			return nil, fmt.Errorf("%s: zfs get reported %q, which it was not asked for (asked: %s)", r.t.Name(), n, quoteNames(names))
		}
	}
	return props, nil
}

// onlyMissing reports whether a failed zfs get failed only because some of
// names do not exist: exit 1, and every line on stderr says so of one of
// them.
func onlyMissing(err error, names []string) bool {
	var ce *host.CommandError
	if !errors.As(err, &ce) || ce.ExitCode != 1 {
		return false
	}
	lines := strings.Split(strings.TrimRight(ce.Stderr, "\n"), "\n")
	if len(lines) == 0 || lines[0] == "" {
		return false
	}
	for _, l := range lines {
		if !missingLine(l, names) {
			return false
		}
	}
	return true
}

// missingLine tells `cannot open 'NAME': dataset does not exist` (or `: no
// such pool`) for one of names.
func missingLine(line string, names []string) bool {
	for _, n := range names {
		for _, t := range notFoundTexts {
			if line == "cannot open '"+n+"'"+t {
				return true
			}
		}
	}
	return false
}

func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
