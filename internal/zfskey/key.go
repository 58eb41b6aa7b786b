package zfskey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Hosts are the targets a key's operations may touch, by name.
type Hosts map[string]host.Target

// Key is one key as declared: its path, the hosts that keep a copy (the
// first one generates it) and what every copy must look like.
type Key struct {
	Path  string
	Hosts []string
	Want  Want
}

func (hs Hosts) get(name string) (host.Target, error) {
	if t, ok := hs[name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("host %q is not available", name)
}

// Inspect reads every listed host's copy at p, one command per host.
func (hs Hosts) Inspect(ctx context.Context, names []string, p string) (map[string]Copy, error) {
	copies := make(map[string]Copy, len(names))
	for _, h := range names {
		t, err := hs.get(h)
		if err != nil {
			return nil, err
		}
		if copies[h], err = Inspect(ctx, t, p); err != nil {
			return nil, err
		}
	}
	return copies, nil
}

// Statuses is Want.Check over every host of k.
func Statuses(k Key, copies map[string]Copy) map[string]string {
	out := make(map[string]string, len(k.Hosts))
	for _, h := range k.Hosts {
		out[h] = k.Want.Check(copies[h])
	}
	return out
}

// Create makes the key exist on every host of k and returns its
// fingerprint. When files are already at the path they are adopted if they
// are one key (and material, when given, is that key); nothing is ever
// overwritten with a different key. Otherwise the key is material, or is
// generated on the first host. adoptedFrom names the host an adopted key
// was read from.
func (hs Hosts) Create(ctx context.Context, k Key, material []byte) (fp, adoptedFrom string, err error) {
	if len(k.Hosts) == 0 {
		return "", "", errors.New("no hosts to keep the key on")
	}
	copies, err := hs.Inspect(ctx, k.Hosts, k.Path)
	if err != nil {
		return "", "", err
	}
	var key []byte
	found, src, err := Identify(k.Path, copies, k.Hosts)
	switch {
	case err == nil:
		if material != nil && Fingerprint(material) != found {
			return "", "", fmt.Errorf("%w: %s:%s already holds a key (sha256 %s) that is not the one in key_wo, "+
				"and a key file is never overwritten on create", ErrConflict, src, k.Path, found)
		}
		if key, err = Fetch(ctx, hs[src], k.Path, found); err != nil {
			return "", "", err
		}
		adoptedFrom = src
	case errors.Is(err, ErrNotFound) && material != nil:
		key = slices.Clone(material)
	case errors.Is(err, ErrNotFound):
		if key, err = Generate(ctx, hs[k.Hosts[0]]); err != nil {
			return "", "", err
		}
	default:
		return "", "", err
	}
	defer Clear(key)
	k.Want.Fingerprint = Fingerprint(key)
	_, err = hs.ensure(ctx, k, key, copies)
	return k.Want.Fingerprint, adoptedFrom, err
}

// ensure writes key to every host of k whose copy (as read in copies) is
// not right. It returns each host's copy as the writes left it: a failed
// write leaves that copy (and the ones after it) as they were read, since
// Install replaces a file atomically or not at all.
func (hs Hosts) ensure(ctx context.Context, k Key, key []byte, copies map[string]Copy) (map[string]string, error) {
	statuses := Statuses(k, copies)
	for _, h := range k.Hosts {
		if statuses[h] == StatusOK {
			continue
		}
		if err := Install(ctx, hs[h], k.Path, key, k.Want); err != nil {
			return statuses, err
		}
		statuses[h] = StatusOK
	}
	return statuses, nil
}

// Applied is what an Update did, also when it stopped part-way.
type Applied struct {
	// Fingerprint is the key the copies were brought to; "" when the
	// update failed before it had the key, and so wrote nothing.
	Fingerprint string
	// Copies is Want.Check of each host of the new declaration as the
	// update left it ("" Fingerprint: nil).
	Copies map[string]string
	// Left are the copies a removal left in place (not the key, or in use).
	Left []Leftover
}

// Holds tells whether at least one copy holds the key as wanted: when
// none does, the update changed nothing that the old declaration does not
// describe better.
func (a Applied) Holds() bool {
	for _, s := range a.Copies {
		if s == StatusOK {
			return true
		}
	}
	return false
}

// Update brings the key from its previous declaration to next: copies go
// to hosts that lack a good one (read from a host that has it, never a new
// key), and, unless keep is set, hosts that left the list (or every host,
// when the path changed) lose their old copy. material, when given,
// replaces the key on every host (a rotation). It returns what it did,
// along with the error when a step failed after others had changed hosts.
func (hs Hosts) Update(ctx context.Context, prev, next Key, material []byte, keep bool) (Applied, error) {
	var key []byte
	if material != nil {
		key = slices.Clone(material)
	} else {
		var err error
		if key, err = hs.fetchAny(ctx, prev, next); err != nil {
			return Applied{}, err
		}
	}
	defer Clear(key)
	next.Want.Fingerprint = Fingerprint(key)
	copies, err := hs.Inspect(ctx, next.Hosts, next.Path)
	if err != nil {
		return Applied{}, err
	}
	a := Applied{Fingerprint: next.Want.Fingerprint}
	if a.Copies, err = hs.ensure(ctx, next, key, copies); err != nil || keep {
		return a, err
	}
	var gone []string
	for _, h := range prev.Hosts {
		if prev.Path != next.Path || !slices.Contains(next.Hosts, h) {
			gone = append(gone, h)
		}
	}
	a.Left, err = hs.remove(ctx, gone, prev.Path, prev.Want.Fingerprint, false)
	return a, err
}

// fetchAny reads the key from the first host (of next's, then prev's)
// that holds a good copy, at the old path or else at the new one.
func (hs Hosts) fetchAny(ctx context.Context, prev, next Key) ([]byte, error) {
	order := union(next.Hosts, prev.Hosts)
	paths := []string{prev.Path}
	if next.Path != prev.Path {
		paths = append(paths, next.Path)
	}
	fp := prev.Want.Fingerprint
	for _, p := range paths {
		copies, err := hs.Inspect(ctx, order, p)
		if err != nil {
			return nil, err
		}
		if src, ok := Source(copies, order, fp); ok {
			return Fetch(ctx, hs[src], p, fp)
		}
	}
	return nil, fmt.Errorf("%w: the key with sha256 %s is at %s on none of %s", ErrLost, fp,
		strings.Join(paths, " or "), strings.Join(order, ", "))
}

// Delete removes every copy of k. It first checks them all and removes
// nothing when a dataset on any host loads its key from its copy
// (ErrInUse, with the details). Files that hold another key are left and
// returned.
func (hs Hosts) Delete(ctx context.Context, k Key) ([]Leftover, error) {
	return hs.remove(ctx, k.Hosts, k.Path, k.Want.Fingerprint, true)
}

// remove deletes the copies of the key (fingerprint fp) at p on names.
// With strict, a copy in use stops everything before anything is removed;
// without, it is left and reported.
func (hs Hosts) remove(ctx context.Context, names []string, p, fp string, strict bool) ([]Leftover, error) {
	var checks, left, inUse []Leftover
	for _, h := range names {
		t, err := hs.get(h)
		if err != nil {
			return nil, err
		}
		l, err := checkRemoval(ctx, t, p, fp)
		if err != nil {
			return nil, err
		}
		checks = append(checks, l)
		if l.Why == InUse {
			inUse = append(inUse, l)
		}
	}
	if strict && len(inUse) > 0 {
		msgs := make([]string, len(inUse))
		for i, l := range inUse {
			msgs[i] = l.String()
		}
		return nil, fmt.Errorf("%w: %s", ErrInUse, strings.Join(msgs, "; "))
	}
	for _, l := range checks {
		switch l.Why {
		case Removed:
			if err := hs[l.Host].Remove(ctx, l.Path); err != nil {
				return left, err
			}
		case NotTheKey, InUse:
			left = append(left, l)
		}
	}
	return left, nil
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
