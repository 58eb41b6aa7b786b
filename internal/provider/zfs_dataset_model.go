package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

type zfsDatasetResourceModel struct {
	ID             types.String `tfsdk:"id"`
	Host           types.String `tfsdk:"host"`
	Name           types.String `tfsdk:"name"`
	Type           types.String `tfsdk:"type"`
	Volsize        types.String `tfsdk:"volsize"`
	Properties     types.Map    `tfsdk:"properties"`
	Mountpoint     types.String `tfsdk:"mountpoint"`
	Encryption     types.String `tfsdk:"encryption"`
	KeyFormat      types.String `tfsdk:"keyformat"`
	KeyLocation    types.String `tfsdk:"keylocation"`
	SourceSnapshot types.String `tfsdk:"source_snapshot"`
	SourceRaw      types.Bool   `tfsdk:"source_raw"`
	ForceDestroy   types.Bool   `tfsdk:"force_destroy"`
	Protection     types.Bool   `tfsdk:"deletion_protection"`
	EncryptionRoot types.String `tfsdk:"encryption_root"`
	KeyStatus      types.String `tfsdk:"key_status"`
	Mounted        types.Bool   `tfsdk:"mounted"`
	Used           types.Int64  `tfsdk:"used"`
	Available      types.Int64  `tfsdk:"available"`
}

// keepSpelling returns prior when it means what the host reports, so that
// the user's `on` stays `on` when zfs prints aes-256-gcm, and 10G stays 10G
// when zfs prints bytes.
func keepSpelling(prior types.String, prop, got string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && zfs.Equivalent(prop, prior.ValueString(), got) {
		return prior
	}
	return types.StringValue(got)
}

// fromDomain fills the model from zfs get all. Config-only attributes
// (source_snapshot, source_raw, force_destroy,
// deletion_protection) keep what they hold.
func (m *zfsDatasetResourceModel) fromDomain(ctx context.Context, hostName string, ds zfs.Dataset, imported bool) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(hostScopedID(hostName, ds.Name))
	m.Host = types.StringValue(hostName)
	m.Name = types.StringValue(ds.Name)
	m.Type = types.StringValue(ds.Type())

	if ds.Type() == zfs.TypeVolume {
		m.Volsize = keepSpelling(m.Volsize, "volsize", ds.Props.Value("volsize"))
		m.Mountpoint = types.StringNull()
	} else {
		m.Volsize = types.StringNull()
		mp, _ := ds.Mountpoint()
		m.Mountpoint = keepSpelling(m.Mountpoint, "mountpoint", mp)
	}
	m.Encryption = keepSpelling(m.Encryption, "encryption", ds.Encryption())
	m.KeyFormat = types.StringValue(ds.KeyFormat())
	m.KeyLocation = types.StringValue(ds.KeyLocation())

	managed, d := stringMap(ctx, m.Properties)
	diags.Append(d...)
	if imported {
		managed = ds.UserProperties()
		m.Properties = types.MapNull(types.StringType)
	}
	if managed != nil && (!imported || len(managed) > 0) {
		m.Properties = mapValue(reconcileProperties(managed, ds.ManagedValues(), zfs.Equivalent))
	}

	if m.SourceRaw.IsUnknown() {
		m.SourceRaw = types.BoolNull()
	}
	if m.SourceSnapshot.IsUnknown() {
		m.SourceSnapshot = types.StringNull()
	}
	if m.ForceDestroy.IsNull() || m.ForceDestroy.IsUnknown() {
		m.ForceDestroy = types.BoolValue(false)
	}
	// A state from before deletion_protection existed, or an import:
	// protected, as the default is.
	if m.Protection.IsNull() || m.Protection.IsUnknown() {
		m.Protection = types.BoolValue(true)
	}
	if root := ds.EncryptionRoot(); root != "" {
		m.EncryptionRoot = types.StringValue(root)
	} else {
		m.EncryptionRoot = types.StringNull()
	}
	m.KeyStatus = types.StringValue(ds.KeyStatus())
	m.Mounted = types.BoolValue(ds.Mounted())
	m.Used = types.Int64Value(ds.Used())
	m.Available = types.Int64Value(ds.Available())
	return diags
}

// zfsDatasetCodec reads and writes the model in the requests a large plan
// makes once per dataset (modelCodec).
var zfsDatasetCodec = newModelCodec[zfsDatasetResourceModel]()
