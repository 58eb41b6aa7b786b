// Package provider is the Terraform glue of f3s: the provider schema and
// configuration, resources, data sources, validators and diagnostics. It
// holds no command strings and no parsing; those live in the domain packages,
// and SSH lives in internal/host.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

const (
	// TypeName is the provider's name in configurations: provider "f3s" {}.
	TypeName = "f3s"
	// Address is the provider's registry source address.
	Address = "registry.terraform.io/f3s-storage/f3s"
)

var (
	_ provider.Provider                   = (*f3sProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*f3sProvider)(nil)
)

type f3sProvider struct {
	version string
}

// New returns the provider factory that providerserver.Serve and the tests use.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &f3sProvider{version: version}
	}
}

func (p *f3sProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

func (p *f3sProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

// ValidateConfig checks what one attribute's validator cannot see: jump
// hosts name configured hosts and form no cycle.
func (p *f3sProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hosts, known, diags := cfg.hostModels(ctx)
	resp.Diagnostics.Append(diags...)
	if !known || resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateJumpHosts(hosts)...)
}

// Configure resolves every host's settings and builds the pool. It dials
// nothing: a host is reached on first use, so a plan that touches no host
// needs no network. Values still unknown at plan time defer their errors to
// the first use of the host concerned.
func (p *f3sProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	resolved, diags := resolveConfig(ctx, cfg, osEnvironment{})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	logger := newHostLogger(resolved.secrets())
	ctx = logger.mask(ctx)

	pool, err := host.NewPool(resolved.configs, host.PoolOptions{Logger: logger})
	if err != nil {
		resp.Diagnostics.Append(configErrorDiags(err, resolved)...)
		return
	}
	tflog.Debug(ctx, "host pool ready", map[string]any{
		"hosts":    pool.Names(),
		"deferred": resolved.deferredNames(),
		"version":  p.version, // which build a log came from
	})

	data := &providerData{
		pool:       pool,
		names:      resolved.names,
		namesKnown: resolved.namesKnown,
		deferred:   resolved.deferred,
	}
	resp.DataSourceData = data
	resp.ResourceData = data
}

func (p *f3sProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewPackageResource,
		NewServiceResource,
		NewSysrcResource,
		NewFileResource,
		NewFileBlockResource,
		NewFileLineResource,
		NewCronJobResource,
		NewZpoolResource,
		NewZFSDatasetResource,
		NewZFSPropertiesResource,
		NewZFSSnapshotResource,
		NewZFSKeyResource,
		NewKeyMediaResource,
		NewZreplConfigResource,
		NewZreplWakeupResource,
		NewNFSExportResource,
		NewPKICAResource,
		NewPKICertificateResource,
		NewStunnelServiceResource,
		NewCarpAddressResource,
		NewCarpHookResource,
		NewCarpFailbackResource,
		NewCarpToolResource,
		NewNFSMountResource,
		NewSystemdUnitResource,
	}
}

func (p *f3sProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewHostDataSource,
		NewZpoolDataSource,
		NewZFSDatasetDataSource,
		NewZFSSnapshotsDataSource,
		NewZreplStatusDataSource,
		NewCarpStateDataSource,
	}
}
