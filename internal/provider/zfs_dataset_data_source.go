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

// ZFSDatasetDataSourceType is the Terraform type name of the f3s_zfs_dataset data source.
const ZFSDatasetDataSourceType = TypeName + "_zfs_dataset"

var _ datasource.DataSourceWithConfigure = (*zfsDatasetDataSource)(nil)

type zfsDatasetDataSource struct {
	data *providerData
}

type zfsDatasetDataSourceModel struct {
	ID             types.String `tfsdk:"id"`
	Host           types.String `tfsdk:"host"`
	Name           types.String `tfsdk:"name"`
	Type           types.String `tfsdk:"type"`
	Mountpoint     types.String `tfsdk:"mountpoint"`
	Mounted        types.Bool   `tfsdk:"mounted"`
	Encryption     types.String `tfsdk:"encryption"`
	KeyFormat      types.String `tfsdk:"keyformat"`
	KeyLocation    types.String `tfsdk:"keylocation"`
	EncryptionRoot types.String `tfsdk:"encryption_root"`
	KeyStatus      types.String `tfsdk:"key_status"`
	Used           types.Int64  `tfsdk:"used"`
	Available      types.Int64  `tfsdk:"available"`
	Properties     types.Map    `tfsdk:"properties"`
}

// NewZFSDatasetDataSource returns the f3s_zfs_dataset data source.
func NewZFSDatasetDataSource() datasource.DataSource {
	return &zfsDatasetDataSource{}
}

func (d *zfsDatasetDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = ZFSDatasetDataSourceType
}

func (d *zfsDatasetDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a ZFS filesystem, volume or snapshot on a FreeBSD host with every property, its value " +
			"and its source (`zfs get -H -p all`), in one command: for example whether the standby copy's key is loaded. " +
			"A missing dataset is an error.",
		Attributes: map[string]schema.Attribute{
			"id":   schema.StringAttribute{MarkdownDescription: "`HOST:DATASET`.", Computed: true},
			"host": dataSourceHostAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "The dataset's full name (`zdata/enc`), or a snapshot's (`zdata/enc@hamburger`).",
				Required:            true,
				Validators:          []validator.String{domainValidator("Invalid Dataset Name", "must be a ZFS dataset or snapshot name", validateDatasetOrSnapshot)},
			},
			"type":            schema.StringAttribute{MarkdownDescription: "`filesystem`, `volume` or `snapshot`.", Computed: true},
			"mountpoint":      schema.StringAttribute{MarkdownDescription: "The effective mountpoint; null for volumes and snapshots.", Computed: true},
			"mounted":         schema.BoolAttribute{MarkdownDescription: "Whether the filesystem is mounted.", Computed: true},
			"encryption":      schema.StringAttribute{MarkdownDescription: "The cipher (`aes-256-gcm`), or `off`.", Computed: true},
			"keyformat":       schema.StringAttribute{MarkdownDescription: "`raw`, `hex`, `passphrase`, or `none`.", Computed: true},
			"keylocation":     schema.StringAttribute{MarkdownDescription: "The key location; `none` on encrypted children and unencrypted datasets.", Computed: true},
			"encryption_root": schema.StringAttribute{MarkdownDescription: "The dataset holding the key; null when unencrypted.", Computed: true},
			"key_status":      schema.StringAttribute{MarkdownDescription: "`available`, `unavailable`, or `none` when unencrypted.", Computed: true},
			"used":            schema.Int64Attribute{MarkdownDescription: "Bytes used.", Computed: true},
			"available":       schema.Int64Attribute{MarkdownDescription: "Bytes available (0 for snapshots).", Computed: true},
			"properties":      propertiesAttribute("Every property with its value and source, user properties included."),
		},
	}
}

func validateDatasetOrSnapshot(name string) error {
	if _, _, ok := zfs.SplitSnapshot(name); ok {
		return zfs.ValidateSnapshotName(name)
	}
	return zfs.ValidateDatasetName(name)
}

func (d *zfsDatasetDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *zfsDatasetDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m zfsDatasetDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	resp.Diagnostics.Append(d.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := m.Host.ValueString()
	reader, diags := d.data.zfsReader(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ds, err := reader.Dataset(ctx, m.Name.ValueString())
	if err != nil {
		if errors.Is(err, zfs.ErrNotFound) {
			resp.Diagnostics.Append(zfsObjectMissingDiag(hostName, "dataset", m.Name.ValueString()))
		} else {
			resp.Diagnostics.Append(hostErrorDiag("read ZFS dataset", hostName, err))
		}
		return
	}
	m.ID = types.StringValue(hostScopedID(hostName, ds.Name))
	m.Type = types.StringValue(ds.Type())
	if mp, _ := ds.Mountpoint(); mp != "" {
		m.Mountpoint = types.StringValue(mp)
	} else {
		m.Mountpoint = types.StringNull()
	}
	m.Mounted = types.BoolValue(ds.Mounted())
	m.Encryption = types.StringValue(ds.Encryption())
	m.KeyFormat = types.StringValue(ds.KeyFormat())
	m.KeyLocation = types.StringValue(ds.KeyLocation())
	if root := ds.EncryptionRoot(); root != "" {
		m.EncryptionRoot = types.StringValue(root)
	} else {
		m.EncryptionRoot = types.StringNull()
	}
	m.KeyStatus = types.StringValue(ds.KeyStatus())
	m.Used = types.Int64Value(ds.Used())
	m.Available = types.Int64Value(ds.Available())
	m.Properties = propertiesValue(ds.Props)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
