package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/carp"
)

// CarpStateDataSourceType is the Terraform type name of the f3s_carp_state data source.
const CarpStateDataSourceType = TypeName + "_carp_state"

var _ datasource.DataSourceWithConfigure = (*carpStateDataSource)(nil)

type carpStateDataSource struct {
	data *providerData
}

type carpStateModel struct {
	ID        types.String    `tfsdk:"id"`
	Host      types.String    `tfsdk:"host"`
	Interface types.String    `tfsdk:"interface"`
	States    types.Map       `tfsdk:"states"`
	VHIDs     []carpVHIDModel `tfsdk:"vhids"`
}

type carpVHIDModel struct {
	Interface types.String `tfsdk:"interface"`
	VHID      types.Int64  `tfsdk:"vhid"`
	State     types.String `tfsdk:"state"`
	Advbase   types.Int64  `tfsdk:"advbase"`
	Advskew   types.Int64  `tfsdk:"advskew"`
	Addresses []string     `tfsdk:"addresses"`
}

// NewCarpStateDataSource returns the f3s_carp_state data source.
func NewCarpStateDataSource() datasource.DataSource {
	return &carpStateDataSource{}
}

func (d *carpStateDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = CarpStateDataSourceType
}

func (d *carpStateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The CARP state of a FreeBSD host, read from `ifconfig` when the data source is read: for " +
			"every vhid (of one interface, or of all) its state (`MASTER`, `BACKUP`, `INIT`), `advbase`, `advskew` " +
			"and addresses. `states` maps `VHID@INTERFACE` (devd's subsystem) to the state, for checks such as " +
			"`data.f3s_carp_state.f0.states[\"1@re0\"] == \"MASTER\"`. No key is read.",
		Attributes: map[string]schema.Attribute{
			"id":   computedString("The host's name, or `HOST:INTERFACE` with `interface`."),
			"host": dataSourceHostAttribute(),
			"interface": schema.StringAttribute{
				MarkdownDescription: "Read only this interface (`re0`); one the host lacks is an error.",
				Optional:            true,
				Validators:          []validator.String{domainValidator("Invalid Interface Name", "must be an interface name", carp.ValidateInterface)},
			},
			"states": schema.MapAttribute{
				MarkdownDescription: "The state of each vhid, keyed by `VHID@INTERFACE` (`1@re0`).",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"vhids": schema.ListNestedAttribute{
				MarkdownDescription: "Every CARP vhid, in `ifconfig`'s order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"interface": computedString("The interface."),
					"vhid":      schema.Int64Attribute{MarkdownDescription: "The vhid.", Computed: true},
					"state":     computedString("`MASTER`, `BACKUP` or `INIT`."),
					"advbase":   schema.Int64Attribute{MarkdownDescription: "Seconds between advertisements.", Computed: true},
					"advskew":   schema.Int64Attribute{MarkdownDescription: "The advertisement skew.", Computed: true},
					"addresses": schema.ListAttribute{
						MarkdownDescription: "The IPv4 addresses the vhid carries, with prefix length (`192.168.1.138/32`).",
						ElementType:         types.StringType,
						Computed:            true,
					},
				}},
			},
		},
	}
}

func (d *carpStateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *carpStateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m carpStateModel
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
	if err == nil {
		err = carp.CheckOS(info)
	}
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag("read CARP state", name, err))
		return
	}
	ifs, err := carp.States(ctx, target, m.Interface.ValueString())
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag("read CARP state", name, err))
		return
	}
	m.ID = types.StringValue(name)
	if !m.Interface.IsNull() {
		m.ID = types.StringValue(hostScopedID(name, m.Interface.ValueString()))
	}
	states := map[string]string{}
	m.VHIDs = []carpVHIDModel{}
	for _, f := range ifs {
		for _, v := range f.VHIDs {
			addrs := make([]string, len(v.Addresses))
			for i, a := range v.Addresses {
				addrs[i] = a.String()
			}
			m.VHIDs = append(m.VHIDs, carpVHIDModel{
				Interface: types.StringValue(v.Interface), VHID: types.Int64Value(int64(v.VHID)),
				State: types.StringValue(v.State), Advbase: types.Int64Value(int64(v.Advbase)),
				Advskew: types.Int64Value(int64(v.Advskew)), Addresses: addrs,
			})
			states[carp.Subsystem(v.Interface, v.VHID)] = v.State
		}
	}
	sm, d2 := types.MapValueFrom(ctx, types.StringType, states)
	resp.Diagnostics.Append(d2...)
	m.States = sm
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
