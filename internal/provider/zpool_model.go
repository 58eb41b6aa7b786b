package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// vdevObjectType is one element of a pool's vdevs list.
var vdevObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"type":    types.StringType,
	"devices": types.ListType{ElemType: types.StringType},
}}

type vdevModel struct {
	Type    types.String `tfsdk:"type"`
	Devices types.List   `tfsdk:"devices"`
}

// vdevsFromList reads a vdevs list; known is false while any part of it is
// unknown (devices from a resource not yet created).
func vdevsFromList(ctx context.Context, l types.List) (vdevs []zfs.Vdev, known bool, diags diag.Diagnostics) {
	if l.IsNull() || l.IsUnknown() {
		return nil, false, nil
	}
	var models []vdevModel
	diags.Append(l.ElementsAs(ctx, &models, false)...)
	if diags.HasError() {
		return nil, false, diags
	}
	for _, m := range models {
		if m.Type.IsUnknown() || m.Devices.IsUnknown() {
			return nil, false, diags
		}
		var devs []types.String
		diags.Append(m.Devices.ElementsAs(ctx, &devs, false)...)
		v := zfs.Vdev{Type: m.Type.ValueString()}
		for _, d := range devs {
			if d.IsUnknown() {
				return nil, false, diags
			}
			v.Devices = append(v.Devices, d.ValueString())
		}
		vdevs = append(vdevs, v)
	}
	return vdevs, true, diags
}

// vdevsToList is the vdevs attribute of a layout.
func vdevsToList(vdevs []zfs.Vdev) types.List {
	elems := make([]attr.Value, len(vdevs))
	for i, v := range vdevs {
		devs := make([]attr.Value, len(v.Devices))
		for j, d := range v.Devices {
			devs[j] = types.StringValue(d)
		}
		elems[i] = types.ObjectValueMust(vdevObjectType.AttrTypes, map[string]attr.Value{
			"type":    types.StringValue(v.Type),
			"devices": types.ListValueMust(types.StringType, devs),
		})
	}
	return types.ListValueMust(vdevObjectType, elems)
}

type zpoolResourceModel struct {
	ID                    types.String `tfsdk:"id"`
	Host                  types.String `tfsdk:"host"`
	Name                  types.String `tfsdk:"name"`
	Vdevs                 types.List   `tfsdk:"vdevs"`
	Mountpoint            types.String `tfsdk:"mountpoint"`
	Properties            types.Map    `tfsdk:"properties"`
	RootDatasetProperties types.Map    `tfsdk:"root_dataset_properties"`
	ForceDestroy          types.Bool   `tfsdk:"force_destroy"`
	Health                types.String `tfsdk:"health"`
	Size                  types.Int64  `tfsdk:"size"`
	Allocated             types.Int64  `tfsdk:"allocated"`
	Free                  types.Int64  `tfsdk:"free"`
}

// fromDomain fills the model from what the host reports. The managed
// property maps keep their names (all local ones after an import) and the
// user's spelling where the host's value means the same; the layout keeps
// the user's grouping of plain disks when it is the same pool.
func (m *zpoolResourceModel) fromDomain(ctx context.Context, hostName string, p zfs.Pool, imported bool) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(hostScopedID(hostName, p.Name))
	m.Host = types.StringValue(hostName)
	m.Name = types.StringValue(p.Name)

	prior, known, d := vdevsFromList(ctx, m.Vdevs)
	diags.Append(d...)
	if !known || !zfs.VdevsEquivalent(prior, p.Vdevs) {
		m.Vdevs = vdevsToList(p.Vdevs)
	}

	mp, _ := p.Root.Mountpoint()
	m.Mountpoint = types.StringValue(mp)

	poolProps, d := stringMap(ctx, m.Properties)
	diags.Append(d...)
	rootProps, d := stringMap(ctx, m.RootDatasetProperties)
	diags.Append(d...)
	if imported {
		poolProps, rootProps = p.UserProperties(), p.RootUserProperties()
		m.Properties, m.RootDatasetProperties = types.MapNull(types.StringType), types.MapNull(types.StringType)
	}
	if poolProps != nil && (!imported || len(poolProps) > 0) {
		m.Properties = mapValue(reconcileProperties(poolProps, p.Props.Local(), zfs.PoolEquivalent))
	}
	if rootProps != nil && (!imported || len(rootProps) > 0) {
		m.RootDatasetProperties = mapValue(reconcileProperties(rootProps, p.RootManagedValues(), zfs.Equivalent))
	}
	if m.ForceDestroy.IsNull() || m.ForceDestroy.IsUnknown() {
		m.ForceDestroy = types.BoolValue(false)
	}
	m.Health = types.StringValue(p.Health())
	m.Size = types.Int64Value(p.Size())
	m.Allocated = types.Int64Value(p.Allocated())
	m.Free = types.Int64Value(p.Free())
	return diags
}
