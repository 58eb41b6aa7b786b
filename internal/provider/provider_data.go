package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// hostAttributeName is the attribute by which every resource and data source
// names its host.
const hostAttributeName = "host"

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	pool       *host.Pool
	names      []string          // every configured host name, sorted
	namesKnown bool              // false while the provider's hosts are unknown
	deferred   map[string]string // host name -> why its settings are not usable yet
	readers    hostReaders       // batched reads per host
}

// configureProviderData is the one helper that every resource's and data
// source's Configure calls. A nil result without error means the provider is
// not configured yet (Terraform calls Configure early during validation).
func configureProviderData(v any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v == nil {
		return nil, diags
	}
	d, ok := v.(*providerData)
	if !ok {
		diags.Append(unexpectedProviderDataDiag(v))
		return nil, diags
	}
	return d, diags
}

// target resolves a host name to the host that domain packages act on. It
// does not dial: the connection opens when the target is first used.
func (d *providerData) target(name string) (host.Target, diag.Diagnostics) {
	var diags diag.Diagnostics
	if d == nil || d.pool == nil {
		diags.Append(providerNotConfiguredDiag())
		return nil, diags
	}
	if reason, ok := d.deferred[name]; ok {
		diags.Append(hostNotReadyDiag(name, reason))
		return nil, diags
	}
	if d.namesKnown && !slices.Contains(d.names, name) {
		diags.Append(unknownHostDiag(path.Empty(), name, d.names))
		return nil, diags
	}
	h, err := d.pool.Host(name)
	if err != nil {
		diags.Append(unknownHostDiag(path.Empty(), name, d.pool.Names()))
		return nil, diags
	}
	return h, diags
}

// checkHostName fails when a known name is not configured. It is quiet while
// the name or the provider's hosts are unknown: apply will tell.
func (d *providerData) checkHostName(name types.String, at path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	if d == nil || !d.namesKnown || name.IsNull() || name.IsUnknown() {
		return diags
	}
	if !slices.Contains(d.names, name.ValueString()) {
		diags.Append(unknownHostDiag(at, name.ValueString(), d.names))
	}
	return diags
}

// checkHostInConfig is the plan-time check for a resource's ModifyPlan and a
// data source's Read: the host attribute must name a configured host.
func (d *providerData) checkHostInConfig(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	if config.Raw.IsNull() { // destroy
		return nil
	}
	var name types.String
	at := path.Root(hostAttributeName)
	diags := config.GetAttribute(ctx, at, &name)
	if diags.HasError() {
		return diags
	}
	diags.Append(d.checkHostName(name, at)...)
	return diags
}
