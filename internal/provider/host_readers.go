package provider

import (
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zfskey"
)

// hostReaders holds, per host, the batches that coalesce the reads of a
// plan: the datasets a refresh reads at once go out in one zfs get, the
// key copies a host keeps in one probe. They are made on first use and
// live as long as the provider's hosts.
type hostReaders struct {
	mu   sync.Mutex
	zfs  map[string]*zfs.Reader
	keys map[string]*zfskey.Prober
}

// zfsReader is the dataset Reader of the host named name.
func (d *providerData) zfsReader(name string) (*zfs.Reader, diag.Diagnostics) {
	t, diags := d.target(name)
	if diags.HasError() {
		return nil, diags
	}
	r := &d.readers
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.zfs == nil {
		r.zfs = map[string]*zfs.Reader{}
	}
	if r.zfs[name] == nil {
		r.zfs[name] = zfs.NewReader(t)
	}
	return r.zfs[name], diags
}

// keyProbers are the key copy Probers of the named hosts, which must have
// resolved (zfsKeyResource.hosts).
func (d *providerData) keyProbers(hs zfskey.Hosts) zfskey.Probers {
	r := &d.readers
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys == nil {
		r.keys = map[string]*zfskey.Prober{}
	}
	ps := make(zfskey.Probers, len(hs))
	for name, t := range hs {
		if r.keys[name] == nil {
			r.keys[name] = zfskey.NewProber(t)
		}
		ps[name] = r.keys[name]
	}
	return ps
}
