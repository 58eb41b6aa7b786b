package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// ZFSPropertiesResourceType is the Terraform type name of the f3s_zfs_properties resource.
const ZFSPropertiesResourceType = TypeName + "_zfs_properties"

// waitInterval is how often wait_for_dataset looks for the dataset.
const waitInterval = 2 * time.Second

var (
	_ resource.ResourceWithConfigure      = (*zfsPropertiesResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*zfsPropertiesResource)(nil)
	_ resource.ResourceWithImportState    = (*zfsPropertiesResource)(nil)
	_ resource.ResourceWithValidateConfig = (*zfsPropertiesResource)(nil)
)

type zfsPropertiesResource struct {
	data *providerData
}

type zfsPropertiesResourceModel struct {
	ID               types.String `tfsdk:"id"`
	Host             types.String `tfsdk:"host"`
	Dataset          types.String `tfsdk:"dataset"`
	Properties       types.Map    `tfsdk:"properties"`
	LoadKey          types.Bool   `tfsdk:"load_key"`
	KeyLocation      types.String `tfsdk:"key_location"`
	Mount            types.Bool   `tfsdk:"mount"`
	RestoreOnDestroy types.Bool   `tfsdk:"restore_on_destroy"`
	WaitForDataset   types.String `tfsdk:"wait_for_dataset"`
	KeyStatus        types.String `tfsdk:"key_status"`
	Mounted          types.Bool   `tfsdk:"mounted"`
}

// NewZFSPropertiesResource returns the f3s_zfs_properties resource.
func NewZFSPropertiesResource() resource.Resource {
	return &zfsPropertiesResource{}
}

func (r *zfsPropertiesResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ZFSPropertiesResourceType
}

func (r *zfsPropertiesResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Chosen properties of a ZFS dataset that something else creates, such as the standby copy " +
			"zrepl receives on the second node: the article's `zfs load-key -L file:///keys/f0.lan.buetow.org:zdata.key " +
			"zdata/sink/f0/zdata/enc/nfsdata`, `zfs set mountpoint=/data/nfs`, `zfs mount` and `zfs set readonly=on`. " +
			"It never creates or destroys the dataset; a dataset that disappears is dropped from state, and a plan " +
			"creates the resource again.\n\n" +
			"Only the properties in `properties` are managed, each read with its source: a value no longer set on the " +
			"dataset itself shows as drift. With `load_key` and `mount`, a key that was unloaded or a filesystem that " +
			"was unmounted shows as drift too. On a Linux host the plan fails.\n\n" +
			"Import ID: `HOST:DATASET` (`f1:zdata/sink/f0/zdata/enc/nfsdata`); import adopts every property set on the dataset.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:DATASET`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"dataset": schema.StringAttribute{
				MarkdownDescription: "The dataset's full name, for example `zdata/sink/f0/zdata/enc/nfsdata`. It must exist " +
					"(or arrive within `wait_for_dataset`). Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Dataset Name", "must be a ZFS dataset name", zfs.ValidateDatasetName)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"properties": schema.MapAttribute{
				MarkdownDescription: "Properties to set with `zfs set`, such as `readonly = \"on\"`, `mountpoint = " +
					"\"/data/nfs\"` and `keylocation = \"file:///keys/f0.lan.buetow.org:zdata.key\"` (which only an " +
					"encryption root takes, and which zfskeys needs to load the key at boot). Removing a property stops " +
					"managing it; its value stays unless `restore_on_destroy` is set.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Map{zfsPropertiesValidator{use: zfs.UseSet}},
			},
			"load_key": schema.BoolAttribute{
				MarkdownDescription: "Load the dataset's key (`zfs load-key`) when its key status is `unavailable`, as a " +
					"raw-received copy is. The key is read from `key_location` when given, else from the `keylocation` " +
					"that `properties` sets (so the standby copy names its key once), else from the dataset's " +
					"`keylocation`. An unloaded key shows as drift.",
				Optional: true,
			},
			"key_location": schema.StringAttribute{
				MarkdownDescription: "Where `load_key` reads the key from (`zfs load-key -L`), for example " +
					"`file:///keys/f0.lan.buetow.org:zdata.key`; it does not change the `keylocation` property. Needs `load_key`.",
				Optional:   true,
				Validators: []validator.String{domainValidator("Invalid Key Location", "must be prompt or file:///absolute/path", zfs.ValidateKeyLocation)},
			},
			"mount": schema.BoolAttribute{
				MarkdownDescription: "Mount the filesystem (`zfs mount`) when it is not mounted, after loading the key and " +
					"setting the properties. An unmounted filesystem shows as drift.",
				Optional: true,
			},
			"restore_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "On destroy, and for properties removed from `properties`, revert them with `zfs " +
					"inherit`; `keylocation`, which cannot be inherited, is set back to `prompt` (what a raw receive " +
					"leaves). Defaults to `false`: values stay as they are.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"wait_for_dataset": schema.StringAttribute{
				MarkdownDescription: "How long create waits for the dataset to appear, as a duration (`2m`): zrepl delivers " +
					"the standby copy with its first replication. Without it, a missing dataset fails at once.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"key_status": schema.StringAttribute{
				MarkdownDescription: "`available` when the key is loaded, `unavailable` when not, `none` when unencrypted.",
				Computed:            true,
			},
			"mounted": schema.BoolAttribute{
				MarkdownDescription: "Whether the filesystem is mounted.",
				Computed:            true,
			},
		},
	}
}

func (r *zfsPropertiesResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *zfsPropertiesResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m zfsPropertiesResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if !m.KeyLocation.IsNull() && !m.LoadKey.IsUnknown() && !m.LoadKey.ValueBool() {
		resp.Diagnostics.Append(zfsConfigDiag(path.Root("key_location"), "key_location is where load_key reads the key: set load_key = true"))
	}
}

func (r *zfsPropertiesResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() || req.Plan.Raw.IsNull() {
		return
	}
	if req.State.Raw.IsNull() {
		resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, ZFSPropertiesResourceType, zfsOSCheck)...)
		return
	}
	var plan, state zfsPropertiesResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || plan.Properties.IsUnknown() || plan.Properties.IsNull() || state.Properties.IsNull() {
		return
	}
	cfg, d := stringMap(ctx, plan.Properties)
	resp.Diagnostics.Append(d...)
	cur, d := stringMap(ctx, state.Properties)
	resp.Diagnostics.Append(d...)
	if !sameProperties(cfg, cur, zfs.Equivalent) {
		return
	}
	plan.Properties = state.Properties
	if plan.Host.Equal(state.Host) && plan.Dataset.Equal(state.Dataset) && plan.LoadKey.Equal(state.LoadKey) &&
		plan.KeyLocation.Equal(state.KeyLocation) && plan.Mount.Equal(state.Mount) &&
		plan.RestoreOnDestroy.Equal(state.RestoreOnDestroy) && plan.WaitForDataset.Equal(state.WaitForDataset) {
		// Only spelling differed: nothing to do, and nothing unknown.
		plan = state
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (m *zfsPropertiesResourceModel) fromDomain(ctx context.Context, hostName string, ds zfs.Dataset, imported bool) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(hostScopedID(hostName, ds.Name))
	m.Host = types.StringValue(hostName)
	m.Dataset = types.StringValue(ds.Name)
	managed, d := stringMap(ctx, m.Properties)
	diags.Append(d...)
	if imported {
		managed = ds.Props.Local()
		m.Properties = types.MapNull(types.StringType)
	}
	if managed != nil && (!imported || len(managed) > 0) {
		m.Properties = mapValue(reconcileProperties(managed, ds.Props.Local(), zfs.Equivalent))
	}
	// Only a wish that was applied is checked: a key unloaded since, or
	// a filesystem unmounted, plans to load or mount it again.
	if m.LoadKey.ValueBool() {
		m.LoadKey = types.BoolValue(ds.KeyStatus() == "available")
	}
	if m.Mount.ValueBool() {
		m.Mount = types.BoolValue(ds.Mounted())
	}
	if m.RestoreOnDestroy.IsNull() || m.RestoreOnDestroy.IsUnknown() {
		m.RestoreOnDestroy = types.BoolValue(false)
	}
	m.KeyStatus = types.StringValue(ds.KeyStatus())
	m.Mounted = types.BoolValue(ds.Mounted())
	return diags
}

func (r *zfsPropertiesResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan zfsPropertiesResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName, name := plan.Host.ValueString(), plan.Dataset.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var ds zfs.Dataset
	var err error
	if wait := plan.WaitForDataset.ValueString(); wait != "" {
		d, perr := parseDuration(wait)
		if perr != nil {
			resp.Diagnostics.Append(zfsConfigDiag(path.Root("wait_for_dataset"), perr.Error()))
			return
		}
		ds, err = zfs.WaitForDataset(ctx, target, name, d, min(waitInterval, d))
		if errors.Is(err, zfs.ErrWaitTimedOut) {
			resp.Diagnostics.Append(datasetWaitTimedOutDiag(hostName, name, wait))
			return
		}
	} else {
		ds, err = zfs.ReadDataset(ctx, target, name)
		if errors.Is(err, zfs.ErrNotFound) {
			resp.Diagnostics.Append(datasetMissingDiag(hostName, name))
			return
		}
	}
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag("read ZFS dataset", hostName, err))
		return
	}
	diags, fail := r.apply(ctx, target, ds, &plan, nil)
	resp.Diagnostics.Append(diags...)
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[zfsPropertiesResourceModel]{
		hostName: hostName, what: "ZFS dataset", readBack: r.readBack(target, nil),
	}, fail)
}

func (r *zfsPropertiesResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state zfsPropertiesResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName, name := plan.Host.ValueString(), plan.Dataset.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ds, err := zfs.ReadDataset(ctx, target, name)
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag("read ZFS dataset", hostName, err))
		return
	}
	diags, fail := r.apply(ctx, target, ds, &plan, &state)
	resp.Diagnostics.Append(diags...)
	if fail != nil {
		resp.Diagnostics.Append(fail.diag)
	}
	saveApplied(ctx, &resp.State, &resp.Diagnostics, hostName, &plan, r.readBack(target, &state))
}

// readBack reads the dataset after a failed step. Properties to be reverted
// that are still set locally stay in state, so the next plan reverts them.
func (r *zfsPropertiesResource) readBack(target host.Target, prior *zfsPropertiesResourceModel) readBackFunc[zfsPropertiesResourceModel] {
	return func(ctx context.Context, m *zfsPropertiesResourceModel) (bool, error) {
		ds, err := zfs.ReadDataset(ctx, target, m.Dataset.ValueString())
		if errors.Is(err, zfs.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		managed, diags := stringMap(ctx, m.Properties)
		if prior != nil {
			was, d := stringMap(ctx, prior.Properties)
			diags.Append(d...)
			local := ds.Props.Local()
			for k := range was {
				if _, ok := managed[k]; !ok && local[k] != "" {
					managed[k] = local[k]
				}
			}
		}
		m.Properties = mapValue(managed)
		diags.Append(m.fromDomain(ctx, m.Host.ValueString(), ds, false)...)
		return true, diagsError(diags)
	}
}

// apply loads the key, sets the properties (comparing with what the host
// has, not with state), reverts removed ones when asked to, mounts, and
// fills plan with what the host then reports. A failed step on the host is
// returned as a createFailure (with its diagnostic); the caller reads back
// what the steps before it changed.
func (r *zfsPropertiesResource) apply(ctx context.Context, target host.Target, ds zfs.Dataset, plan, prior *zfsPropertiesResourceModel) (diag.Diagnostics, *createFailure) {
	hostName, name := plan.Host.ValueString(), ds.Name
	failed := func(action string, err error, stage createStage) *createFailure {
		return &createFailure{err: err, diag: hostErrorDiag(action, hostName, err), stage: stage}
	}
	want, diags := stringMap(ctx, plan.Properties)
	if diags.HasError() {
		return diags, nil
	}
	if plan.LoadKey.ValueBool() && ds.KeyStatus() == "unavailable" {
		// The key is where it will be: key_location, else the keylocation
		// these properties set (a raw copy arrives with prompt).
		loc := plan.KeyLocation.ValueString()
		if loc == "" {
			loc = want["keylocation"]
		}
		if err := zfs.LoadKey(ctx, target, name, loc); err != nil {
			return diags, failed("load ZFS key", err, stageChange)
		}
	}
	set, _ := propertyChanges(ds.Props.Local(), want, zfs.Equivalent)
	if err := zfs.SetProperties(ctx, target, name, set); err != nil {
		return diags, failed("set ZFS properties", err, stageChange)
	}
	if prior != nil && plan.RestoreOnDestroy.ValueBool() {
		was, d := stringMap(ctx, prior.Properties)
		diags.Append(d...)
		_, removed := propertyChanges(was, want, zfs.Equivalent)
		if err := restoreProperties(ctx, target, name, removed); err != nil {
			return diags, failed("revert ZFS properties", err, stageChange)
		}
	}
	after, err := zfs.ReadDataset(ctx, target, name)
	if err != nil {
		return diags, failed("read ZFS dataset", err, stageChange)
	}
	// Setting a mountpoint mounts a filesystem whose key is loaded, so
	// whether to mount is decided only now.
	if plan.Mount.ValueBool() && !after.Mounted() {
		if err := zfs.Mount(ctx, target, name); err != nil {
			return diags, failed("mount ZFS dataset", err, stageChange)
		}
		if after, err = zfs.ReadDataset(ctx, target, name); err != nil {
			return diags, failed("read ZFS dataset", err, stageRead)
		}
	}
	diags.Append(plan.fromDomain(ctx, hostName, after, false)...)
	return diags, nil
}

// restoreProperties reverts properties: zfs inherit, except keylocation,
// which cannot be inherited (§2.4) and goes back to prompt.
func restoreProperties(ctx context.Context, target host.Target, name string, props []string) error {
	var inherit []string
	for _, p := range props {
		if p == "keylocation" {
			if err := zfs.SetProperties(ctx, target, name, map[string]string{"keylocation": "prompt"}); err != nil {
				return err
			}
			continue
		}
		inherit = append(inherit, p)
	}
	return zfs.InheritProperties(ctx, target, name, inherit)
}

func (r *zfsPropertiesResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state zfsPropertiesResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	imported, d := takeImported(ctx, req.Private, resp.Private)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := state.Host.ValueString()
	reader, diags := r.data.zfsReader(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ds, err := reader.Dataset(ctx, state.Dataset.ValueString())
	if readFailed(ctx, resp, err, zfs.ErrNotFound, "read ZFS dataset", hostName) {
		return
	}
	resp.Diagnostics.Append(state.fromDomain(ctx, hostName, ds, imported)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *zfsPropertiesResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state zfsPropertiesResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.RestoreOnDestroy.ValueBool() {
		return
	}
	hostName := state.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	props, d := stringMap(ctx, state.Properties)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	err := restoreProperties(ctx, target, state.Dataset.ValueString(), names)
	if err != nil && !errors.Is(classifyMissing(err, state.Dataset.ValueString()), zfs.ErrNotFound) {
		resp.Diagnostics.Append(hostErrorDiag("revert ZFS properties", hostName, err))
	}
}

// classifyMissing treats a dataset that is gone as nothing left to revert.
func classifyMissing(err error, name string) error {
	if zfs.IsMissing(err, name) {
		return zfs.ErrNotFound
	}
	return err
}

func (r *zfsPropertiesResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, name, ok := parseZFSImportID(req.ID, zfs.ValidateDatasetName)
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:DATASET (f1:zdata/sink/f0/zdata/enc/nfsdata)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("dataset"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("restore_on_destroy"), false)...)
	resp.Diagnostics.Append(markImported(ctx, resp.Private)...)
}
