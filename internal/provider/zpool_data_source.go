package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// ZpoolDataSourceType is the Terraform type name of the f3s_zpool data source.
const ZpoolDataSourceType = TypeName + "_zpool"

var _ datasource.DataSourceWithConfigure = (*zpoolDataSource)(nil)

type zpoolDataSource struct {
	data *providerData
}

type zpoolDataSourceModel struct {
	ID                    types.String `tfsdk:"id"`
	Host                  types.String `tfsdk:"host"`
	Name                  types.String `tfsdk:"name"`
	Health                types.String `tfsdk:"health"`
	Size                  types.Int64  `tfsdk:"size"`
	Allocated             types.Int64  `tfsdk:"allocated"`
	Free                  types.Int64  `tfsdk:"free"`
	Mountpoint            types.String `tfsdk:"mountpoint"`
	Vdevs                 types.List   `tfsdk:"vdevs"`
	Properties            types.Map    `tfsdk:"properties"`
	RootDatasetProperties types.Map    `tfsdk:"root_dataset_properties"`
}

// NewZpoolDataSource returns the f3s_zpool data source.
func NewZpoolDataSource() datasource.DataSource {
	return &zpoolDataSource{}
}

func (d *zpoolDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = ZpoolDataSourceType
}

func (d *zpoolDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a ZFS pool on a FreeBSD host: health, space, layout, and every pool and root dataset " +
			"property with its source, in one command. A missing pool is an error.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`HOST:POOL`.",
				Computed:            true,
			},
			"host": dataSourceHostAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "The pool's name, for example `zdata`.",
				Required:            true,
				Validators:          []validator.String{domainValidator("Invalid Pool Name", "must be a ZFS pool name", zfs.ValidatePoolName)},
			},
			"health": schema.StringAttribute{
				MarkdownDescription: "`ONLINE`, `DEGRADED`, `FAULTED`, `OFFLINE`, `REMOVED`, `UNAVAIL` or `SUSPENDED`.",
				Computed:            true,
			},
			"size":      schema.Int64Attribute{MarkdownDescription: "Size in bytes.", Computed: true},
			"allocated": schema.Int64Attribute{MarkdownDescription: "Bytes allocated.", Computed: true},
			"free":      schema.Int64Attribute{MarkdownDescription: "Bytes free.", Computed: true},
			"mountpoint": schema.StringAttribute{
				MarkdownDescription: "The root dataset's mountpoint.",
				Computed:            true,
			},
			"vdevs": schema.ListNestedAttribute{
				MarkdownDescription: "The data vdevs from `zpool status -P`, in order, consecutive plain disks in one " +
					"`disk` group, as `f3s_zpool` takes them.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"type":    schema.StringAttribute{MarkdownDescription: "`disk`, `mirror`, `raidz`, `raidz2` or `raidz3`.", Computed: true},
						"devices": schema.ListAttribute{MarkdownDescription: "Device paths.", ElementType: types.StringType, Computed: true},
					},
				},
			},
			"properties":              propertiesAttribute("Every pool property (`zpool get all`) with its value and source, features included."),
			"root_dataset_properties": propertiesAttribute("Every property of the pool's root dataset (`zfs get all POOL`) with its value and source."),
		},
	}
}

func (d *zpoolDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *zpoolDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m zpoolDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	resp.Diagnostics.Append(d.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := m.Host.ValueString()
	target, diags := d.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := zfs.ReadPool(ctx, target, m.Name.ValueString())
	if err != nil {
		if errors.Is(err, zfs.ErrNotFound) {
			resp.Diagnostics.Append(zfsObjectMissingDiag(hostName, "pool", m.Name.ValueString()))
		} else {
			resp.Diagnostics.Append(hostErrorDiag("read ZFS pool", hostName, err))
		}
		return
	}
	m.ID = types.StringValue(hostScopedID(hostName, p.Name))
	m.Health = types.StringValue(p.Health())
	m.Size = types.Int64Value(p.Size())
	m.Allocated = types.Int64Value(p.Allocated())
	m.Free = types.Int64Value(p.Free())
	mp, _ := p.Root.Mountpoint()
	m.Mountpoint = types.StringValue(mp)
	m.Vdevs = vdevsToList(p.Vdevs)
	m.Properties = propertiesValue(p.Props)
	m.RootDatasetProperties = propertiesValue(p.Root.Props)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
