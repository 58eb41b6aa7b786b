package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// ZFSSnapshotsDataSourceType is the Terraform type name of the f3s_zfs_snapshots data source.
const ZFSSnapshotsDataSourceType = TypeName + "_zfs_snapshots"

var _ datasource.DataSourceWithConfigure = (*zfsSnapshotsDataSource)(nil)

type zfsSnapshotsDataSource struct {
	data *providerData
}

type zfsSnapshotsDataSourceModel struct {
	ID         types.String `tfsdk:"id"`
	Host       types.String `tfsdk:"host"`
	Dataset    types.String `tfsdk:"dataset"`
	NamePrefix types.String `tfsdk:"name_prefix"`
	Recursive  types.Bool   `tfsdk:"recursive"`
	Snapshots  types.List   `tfsdk:"snapshots"`
}

var snapshotObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"name":       types.StringType,
	"dataset":    types.StringType,
	"snapshot":   types.StringType,
	"creation":   types.Int64Type,
	"used":       types.Int64Type,
	"referenced": types.Int64Type,
	"guid":       types.StringType,
}}

// NewZFSSnapshotsDataSource returns the f3s_zfs_snapshots data source.
func NewZFSSnapshotsDataSource() datasource.DataSource {
	return &zfsSnapshotsDataSource{}
}

func (d *zfsSnapshotsDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = ZFSSnapshotsDataSourceType
}

func (d *zfsSnapshotsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the snapshots of a ZFS dataset on a FreeBSD host, newest first, optionally only those " +
			"whose name starts with a prefix: `name_prefix = \"zrepl_\"` shows what zrepl has replicated. One command.",
		Attributes: map[string]schema.Attribute{
			"id":   schema.StringAttribute{MarkdownDescription: "`HOST:DATASET`.", Computed: true},
			"host": dataSourceHostAttribute(),
			"dataset": schema.StringAttribute{
				MarkdownDescription: "The dataset, for example `zdata/enc/nfsdata`.",
				Required:            true,
				Validators:          []validator.String{domainValidator("Invalid Dataset Name", "must be a ZFS dataset name", zfs.ValidateDatasetName)},
			},
			"name_prefix": schema.StringAttribute{
				MarkdownDescription: "Only snapshots whose name (after `@`) starts with this, such as `zrepl_`.",
				Optional:            true,
			},
			"recursive": schema.BoolAttribute{
				MarkdownDescription: "Also list the snapshots of every descendant dataset. Defaults to `false`.",
				Optional:            true,
			},
			"snapshots": schema.ListNestedAttribute{
				MarkdownDescription: "The snapshots, newest first (by creation time, then transaction group).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"name":       schema.StringAttribute{MarkdownDescription: "The full name, `DATASET@SNAPSHOT`.", Computed: true},
						"dataset":    schema.StringAttribute{MarkdownDescription: "The dataset it belongs to.", Computed: true},
						"snapshot":   schema.StringAttribute{MarkdownDescription: "The part after `@`.", Computed: true},
						"creation":   schema.Int64Attribute{MarkdownDescription: "When it was taken, in seconds since the epoch.", Computed: true},
						"used":       schema.Int64Attribute{MarkdownDescription: "Bytes only this snapshot holds.", Computed: true},
						"referenced": schema.Int64Attribute{MarkdownDescription: "Bytes the snapshot refers to.", Computed: true},
						"guid":       schema.StringAttribute{MarkdownDescription: "The GUID, the same on every copy of the snapshot.", Computed: true},
					},
				},
			},
		},
	}
}

func (d *zfsSnapshotsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *zfsSnapshotsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m zfsSnapshotsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	resp.Diagnostics.Append(d.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName, dataset := m.Host.ValueString(), m.Dataset.ValueString()
	target, diags := d.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	snaps, err := zfs.ListSnapshots(ctx, target, zfs.SnapshotFilter{
		Dataset: dataset, Prefix: m.NamePrefix.ValueString(), Recursive: m.Recursive.ValueBool()})
	if err != nil {
		if errors.Is(err, zfs.ErrNotFound) {
			resp.Diagnostics.Append(zfsObjectMissingDiag(hostName, "dataset", dataset))
		} else {
			resp.Diagnostics.Append(hostErrorDiag("list ZFS snapshots", hostName, err))
		}
		return
	}
	elems := make([]attr.Value, len(snaps))
	for i, s := range snaps {
		elems[i] = types.ObjectValueMust(snapshotObjectType.AttrTypes, map[string]attr.Value{
			"name":       types.StringValue(s.Name),
			"dataset":    types.StringValue(s.Dataset),
			"snapshot":   types.StringValue(s.Short),
			"creation":   types.Int64Value(s.Creation),
			"used":       types.Int64Value(s.Used),
			"referenced": types.Int64Value(s.Referenced),
			"guid":       types.StringValue(s.GUID),
		})
	}
	m.ID = types.StringValue(hostScopedID(hostName, dataset))
	m.Snapshots = types.ListValueMust(snapshotObjectType, elems)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
