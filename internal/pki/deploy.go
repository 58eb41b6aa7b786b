package pki

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Placement is where a certificate, its key and (optionally) its CA's
// certificate go: the same paths on every host, as the article keeps the
// server's files at the same place on f0 and f1.
type Placement struct {
	Hosts    []string
	CertPath string
	KeyPath  string
	CAPath   string // "" writes no CA certificate
}

// Want is the content every host of a placement must have.
type Want struct {
	KeySHA  string // SHA-256 of the key file
	CertPEM []byte
	CAPEM   []byte
}

// HostFiles are one host's copies of a placement's files.
type HostFiles struct {
	Key, Cert, CA Copy
}

// Hosts are the targets, by name, that operations may touch.
type Hosts map[string]host.Target

func (hs Hosts) get(name string) (host.Target, error) {
	if t, ok := hs[name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("host %q is not available", name)
}

// Inspect reads every host's files of pl.
func (hs Hosts) Inspect(ctx context.Context, pl Placement) (map[string]HostFiles, error) {
	out := make(map[string]HostFiles, len(pl.Hosts))
	for _, h := range pl.Hosts {
		t, err := hs.get(h)
		if err != nil {
			return nil, err
		}
		var f HostFiles
		if f.Key, err = Inspect(ctx, t, pl.KeyPath); err != nil {
			return nil, err
		}
		if f.Cert, err = Inspect(ctx, t, pl.CertPath); err != nil {
			return nil, err
		}
		if pl.CAPath != "" {
			if f.CA, err = Inspect(ctx, t, pl.CAPath); err != nil {
				return nil, err
			}
		}
		out[h] = f
	}
	return out, nil
}

func (w Want) problems(pl Placement, f HostFiles) (key, cert, ca []string) {
	key = Problems(f.Key, w.KeySHA, KeyMode)
	cert = Problems(f.Cert, file.Hash(w.CertPEM), CertMode)
	if pl.CAPath != "" {
		ca = Problems(f.CA, file.Hash(w.CAPEM), CertMode)
	}
	return key, cert, ca
}

// Status describes one host's files: "ok", or what is wrong ("key
// missing, certificate differs").
func (w Want) Status(pl Placement, f HostFiles) string {
	key, cert, ca := w.problems(pl, f)
	all := append(append(Prefix("key", key), Prefix("certificate", cert)...), Prefix("CA certificate", ca)...)
	return Join(all)
}

// Statuses is Status for every host of pl.
func (w Want) Statuses(pl Placement, files map[string]HostFiles) map[string]string {
	out := make(map[string]string, len(pl.Hosts))
	for _, h := range pl.Hosts {
		out[h] = w.Status(pl, files[h])
	}
	return out
}

// StatusHoldsKey reads a Status back: whether that host still has the key
// file's content (only its mode or owner may be wrong).
func StatusHoldsKey(status string) bool {
	for _, p := range strings.Split(status, ", ") {
		if p == "key missing" || p == "key differs" || strings.HasPrefix(p, "key not a regular file") {
			return false
		}
	}
	return true
}

// NeedsKey tells whether some host's key file must be written, so the
// caller must have the key in memory.
func (w Want) NeedsKey(pl Placement, files map[string]HostFiles) bool {
	for _, h := range pl.Hosts {
		if k, _, _ := w.problems(pl, files[h]); len(k) > 0 {
			return true
		}
	}
	return false
}

// KeyHolder is the first host, in order, whose key file has w's content.
func (w Want) KeyHolder(pl Placement, files map[string]HostFiles) (string, bool) {
	i := slices.IndexFunc(pl.Hosts, func(h string) bool { return Holds(files[h].Key, w.KeySHA) })
	if i < 0 {
		return "", false
	}
	return pl.Hosts[i], true
}

// IdentifyKey finds the key file the hosts hold at pl.KeyPath, for an
// import or a create that finds files in place: every present file must
// be a regular file with the same content. It returns its hash and the
// first host that has it; found is false when no host has a file.
func IdentifyKey(pl Placement, files map[string]HostFiles) (sha, source string, found bool, err error) {
	var bad []string
	for _, h := range pl.Hosts {
		c := files[h].Key
		switch {
		case !c.Present:
			continue
		case c.Kind != file.Regular:
			bad = append(bad, fmt.Sprintf("%s:%s is a %s", h, pl.KeyPath, c.Kind))
		case sha == "":
			sha, source = c.SHA256, h
		case c.SHA256 != sha:
			bad = append(bad, fmt.Sprintf("%s:%s (sha256 %s) differs from %s:%s (sha256 %s)", h, pl.KeyPath, c.SHA256, source, pl.KeyPath, sha))
		}
	}
	if len(bad) > 0 {
		return "", "", false, fmt.Errorf("%w: %s", ErrConflict, strings.Join(bad, "; "))
	}
	return sha, source, sha != "", nil
}

// Deploy writes to every host of pl the files that are not as w says:
// the key (keyPEM, which must be given when NeedsKey), the certificate
// and the CA certificate. Writes are atomic; the key goes first, so a
// certificate is never in place without its key. It returns each host's
// status as the writes left it, also when one failed.
func (hs Hosts) Deploy(ctx context.Context, pl Placement, files map[string]HostFiles, w Want, keyPEM []byte) (map[string]string, error) {
	statuses := w.Statuses(pl, files)
	for _, h := range pl.Hosts {
		t, err := hs.get(h)
		if err != nil {
			return statuses, err
		}
		key, cert, ca := w.problems(pl, files[h])
		if len(key) > 0 {
			if keyPEM == nil || file.Hash(keyPEM) != w.KeySHA {
				return statuses, fmt.Errorf("%s: the key for %s is not at hand: %w", h, pl.KeyPath, ErrLost)
			}
			if err := Install(ctx, t, pl.KeyPath, keyPEM, KeyMode); err != nil {
				return statuses, err
			}
		}
		if len(cert) > 0 {
			if err := Install(ctx, t, pl.CertPath, w.CertPEM, CertMode); err != nil {
				statuses[h] = Join(Prefix("certificate", cert))
				return statuses, err
			}
		}
		if len(ca) > 0 {
			if err := Install(ctx, t, pl.CAPath, w.CAPEM, CertMode); err != nil {
				statuses[h] = Join(Prefix("CA certificate", ca))
				return statuses, err
			}
		}
		statuses[h] = StatusOK
	}
	return statuses, nil
}

// Remove deletes the files of pl on the named hosts, but only files that
// hold w's content: anything else at those paths is left and reported.
func (hs Hosts) Remove(ctx context.Context, pl Placement, w Want, names []string) ([]string, error) {
	var left []string
	for _, h := range names {
		t, err := hs.get(h)
		if err != nil {
			return left, err
		}
		for _, f := range []struct{ p, sha string }{{pl.CertPath, file.Hash(w.CertPEM)}, {pl.KeyPath, w.KeySHA}, {pl.CAPath, file.Hash(w.CAPEM)}} {
			if f.p == "" {
				continue
			}
			l, err := RemoveIf(ctx, t, f.p, f.sha)
			if err != nil {
				return left, err
			}
			if l {
				left = append(left, h+":"+f.p)
			}
		}
	}
	return left, nil
}
