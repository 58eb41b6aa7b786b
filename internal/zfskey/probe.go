package zfskey

import (
	"context"
	"sync"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// probeBatchMax bounds the paths one probe reads.
const probeBatchMax = 64

// Prober reads the key copies of one host: the probes asked while one runs
// go out together in the next, one command for every path (host.Batch), so
// a plan that refreshes the keys a host keeps copies of reads them with one
// or two commands rather than one each. A probe made after a change sees
// the change. A provider keeps one Prober per host.
type Prober struct {
	batch *host.Batch[string, file.State]
}

// NewProber returns the Prober of t.
func NewProber(t host.Target) *Prober {
	return &Prober{batch: host.NewBatch(probeBatchMax, func(ctx context.Context, paths []string) (map[string]file.State, error) {
		return file.ReadStates(ctx, t, paths)
	})}
}

// Inspect is the package's Inspect through the batch: what the host has at p.
func (p *Prober) Inspect(ctx context.Context, path string) (Copy, error) {
	st, ok, err := p.batch.Do(ctx, path)
	if err != nil || !ok {
		return Copy{}, err
	}
	return Copy{Present: true, State: st}, nil
}

// Commands counts the probes the Prober has run.
func (p *Prober) Commands() int64 { return p.batch.Runs() }

// Probers are the Probers of the hosts a key's copies are on, by name.
type Probers map[string]*Prober

// Inspect reads every listed host's copy at p, the hosts at the same time.
// The first error, in the order of names, wins.
func (ps Probers) Inspect(ctx context.Context, names []string, p string) (map[string]Copy, error) {
	copies := make([]Copy, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, h := range names {
		pr, ok := ps[h]
		if !ok {
			_, errs[i] = Hosts{}.get(h)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			copies[i], errs[i] = pr.Inspect(ctx, p)
		}()
	}
	wg.Wait()
	out := make(map[string]Copy, len(names))
	for i, h := range names {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out[h] = copies[i]
	}
	return out, nil
}
