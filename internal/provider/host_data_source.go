package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// HostDataSourceType is the Terraform type name of the f3s_host data source.
const HostDataSourceType = TypeName + "_host"

var _ datasource.DataSourceWithConfigure = (*hostDataSource)(nil)

type hostDataSource struct {
	data *providerData
}

type hostDataSourceModel struct {
	ID       types.String `tfsdk:"id"`
	Host     types.String `tfsdk:"host"`
	Hostname types.String `tfsdk:"hostname"`
	OS       types.String `tfsdk:"os"`
	Release  types.String `tfsdk:"release"`
	Distro   types.String `tfsdk:"distro"`
	Kernel   types.String `tfsdk:"kernel"`
	Machine  types.String `tfsdk:"machine"`
}

// NewHostDataSource returns the f3s_host data source.
func NewHostDataSource() datasource.DataSource {
	return &hostDataSource{}
}

func (d *hostDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = HostDataSourceType
}

func (d *hostDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads what a host is: its operating system, release and kernel. Useful to check " +
			"that the provider reaches every host, and to choose settings by OS.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The host's name, as given in `host`.",
				Computed:            true,
			},
			"host": dataSourceHostAttribute(),
			"hostname": schema.StringAttribute{
				MarkdownDescription: "The host's own name (`uname -n`).",
				Computed:            true,
			},
			"os": schema.StringAttribute{
				MarkdownDescription: "Operating system (`uname -s`): `FreeBSD` or `Linux`.",
				Computed:            true,
			},
			"release": schema.StringAttribute{
				MarkdownDescription: "OS release: on FreeBSD the userland version from `freebsd-version -u` " +
					"(`14.2-RELEASE`); on Linux `VERSION_ID` from `/etc/os-release` (`9.4`).",
				Computed: true,
			},
			"distro": schema.StringAttribute{
				MarkdownDescription: "Distribution: `freebsd` on FreeBSD; on Linux `ID` from `/etc/os-release` (`rocky`).",
				Computed:            true,
			},
			"kernel": schema.StringAttribute{
				MarkdownDescription: "Kernel release (`uname -r`).",
				Computed:            true,
			},
			"machine": schema.StringAttribute{
				MarkdownDescription: "Hardware platform (`uname -m`), for example `amd64` or `x86_64`.",
				Computed:            true,
			},
		},
	}
}

func (d *hostDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *hostDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m hostDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	resp.Diagnostics.Append(d.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := m.Host.ValueString()
	target, diags := d.data.target(name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	info, err := target.Info(ctx)
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag("read host information", name, err))
		return
	}
	m.ID = types.StringValue(name)
	m.Hostname = types.StringValue(info.Hostname)
	m.OS = types.StringValue(info.OS)
	m.Release = types.StringValue(info.Release)
	m.Distro = types.StringValue(info.Distro)
	m.Kernel = types.StringValue(info.Kernel)
	m.Machine = types.StringValue(info.Machine)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
