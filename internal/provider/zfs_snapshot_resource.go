package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// ZFSSnapshotResourceType is the Terraform type name of the f3s_zfs_snapshot resource.
const ZFSSnapshotResourceType = TypeName + "_zfs_snapshot"

var (
	_ resource.ResourceWithConfigure   = (*zfsSnapshotResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*zfsSnapshotResource)(nil)
	_ resource.ResourceWithImportState = (*zfsSnapshotResource)(nil)
)

type zfsSnapshotResource struct {
	data *providerData
}

type zfsSnapshotResourceModel struct {
	ID        types.String `tfsdk:"id"`
	Host      types.String `tfsdk:"host"`
	Dataset   types.String `tfsdk:"dataset"`
	Name      types.String `tfsdk:"name"`
	Recursive types.Bool   `tfsdk:"recursive"`
	Creation  types.Int64  `tfsdk:"creation"`
	Used      types.Int64  `tfsdk:"used"`
	GUID      types.String `tfsdk:"guid"`
}

// NewZFSSnapshotResource returns the f3s_zfs_snapshot resource.
func NewZFSSnapshotResource() resource.Resource {
	return &zfsSnapshotResource{}
}

func (r *zfsSnapshotResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ZFSSnapshotResourceType
}

func (r *zfsSnapshotResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A named ZFS snapshot (`zfs snapshot [-r] DATASET@NAME`), such as the article's " +
			"`zroot/bhyve_old/rocky@hamburger` taken before the migration. Snapshots are immutable: changing anything " +
			"replaces it. Destroying it runs `zfs destroy [-r] DATASET@NAME`; a snapshot held (by zrepl) or cloned fails " +
			"with zfs's message. On a Linux host the plan fails.\n\n" +
			"Import ID: `HOST:DATASET@NAME` (`f0:zroot/bhyve_old/rocky@hamburger`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:DATASET@NAME`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"dataset": schema.StringAttribute{
				MarkdownDescription: "The filesystem or volume to snapshot, for example `zroot/bhyve_old/rocky`.",
				Required:            true,
				Validators:          []validator.String{domainValidator("Invalid Dataset Name", "must be a ZFS dataset name", zfs.ValidateDatasetName)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The snapshot's name, the part after `@` (`hamburger`).",
				Required:            true,
				Validators:          []validator.String{domainValidator("Invalid Snapshot Name", "must be a snapshot name", zfs.ValidateSnapshotShortName)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"recursive": schema.BoolAttribute{
				MarkdownDescription: "Snapshot every descendant dataset too, atomically (`-r`), and destroy them together. " +
					"Defaults to `false`. Not visible on the host, so an import reports `false`.",
				Optional:      true,
				Computed:      true,
				Default:       booldefault.StaticBool(false),
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"creation": schema.Int64Attribute{
				MarkdownDescription: "When the snapshot was taken, in seconds since the epoch.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"used": schema.Int64Attribute{
				MarkdownDescription: "Bytes that only this snapshot holds (what destroying it frees).",
				Computed:            true,
			},
			"guid": schema.StringAttribute{
				MarkdownDescription: "The snapshot's GUID, which identifies it across send and receive.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *zfsSnapshotResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *zfsSnapshotResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() || req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, ZFSSnapshotResourceType, zfsOSCheck)...)
}

func (m zfsSnapshotResourceModel) fullName() string {
	return m.Dataset.ValueString() + "@" + m.Name.ValueString()
}

func (m *zfsSnapshotResourceModel) fromDomain(hostName string, s zfs.Dataset) {
	ds, short, _ := zfs.SplitSnapshot(s.Name)
	m.ID = types.StringValue(hostScopedID(hostName, s.Name))
	m.Host = types.StringValue(hostName)
	m.Dataset = types.StringValue(ds)
	m.Name = types.StringValue(short)
	if m.Recursive.IsNull() || m.Recursive.IsUnknown() {
		m.Recursive = types.BoolValue(false)
	}
	m.Creation = types.Int64Value(s.Creation())
	m.Used = types.Int64Value(s.Used())
	m.GUID = types.StringValue(s.GUID())
}

func (r *zfsSnapshotResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan zfsSnapshotResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	full := plan.fullName()
	c := creation[zfsSnapshotResourceModel]{
		hostName: hostName, what: "ZFS snapshot", oneCommand: true,
		resourceType: ZFSSnapshotResourceType, importID: hostScopedID(hostName, full),
		readBack: func(ctx context.Context, m *zfsSnapshotResourceModel) (bool, error) {
			s, err := zfs.ReadDataset(ctx, target, full)
			if errors.Is(err, zfs.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			m.fromDomain(hostName, s)
			return true, nil
		},
	}
	if err := zfs.CreateSnapshot(ctx, target, full, plan.Recursive.ValueBool()); err != nil {
		finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, c,
			&createFailure{err: err, diag: hostErrorDiag("create ZFS snapshot", hostName, err), stage: stageMake})
		return
	}
	s, err := zfs.ReadDataset(ctx, target, full)
	if err != nil {
		finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, c,
			&createFailure{err: err, diag: hostErrorDiag("read ZFS snapshot", hostName, err), stage: stageRead})
		return
	}
	plan.fromDomain(hostName, s)
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, c, nil)
}

func (r *zfsSnapshotResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state zfsSnapshotResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := state.Host.ValueString()
	reader, diags := r.data.zfsReader(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, err := reader.Dataset(ctx, state.fullName())
	if readFailed(ctx, resp, err, zfs.ErrNotFound, "read ZFS snapshot", hostName) {
		return
	}
	state.fromDomain(hostName, s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only stores attributes that change nothing on the host: every
// attribute of the snapshot itself replaces it.
func (r *zfsSnapshotResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan zfsSnapshotResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *zfsSnapshotResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state zfsSnapshotResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := state.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := zfs.DestroyDataset(ctx, target, state.fullName(), state.Recursive.ValueBool())
	if err != nil && !errors.Is(err, zfs.ErrNotFound) {
		resp.Diagnostics.Append(hostErrorDiag("destroy ZFS snapshot", hostName, err))
	}
}

func (r *zfsSnapshotResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, full, ok := parseZFSImportID(req.ID, zfs.ValidateSnapshotName)
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:DATASET@SNAPSHOT (f0:zroot/bhyve_old/rocky@hamburger)"))
		return
	}
	ds, short, _ := zfs.SplitSnapshot(full)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("dataset"), ds)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), short)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("recursive"), false)...)
}
