package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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

// ZpoolResourceType is the Terraform type name of the f3s_zpool resource.
const ZpoolResourceType = TypeName + "_zpool"

var (
	_ resource.ResourceWithConfigure      = (*zpoolResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*zpoolResource)(nil)
	_ resource.ResourceWithImportState    = (*zpoolResource)(nil)
	_ resource.ResourceWithValidateConfig = (*zpoolResource)(nil)
)

type zpoolResource struct {
	data *providerData
}

// NewZpoolResource returns the f3s_zpool resource.
func NewZpoolResource() resource.Resource {
	return &zpoolResource{}
}

func (r *zpoolResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ZpoolResourceType
}

func (r *zpoolResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A ZFS pool on a FreeBSD host, as `zpool create [-o ...] [-O ...] [-m MOUNTPOINT] NAME VDEV...` " +
			"makes it: the article's `zpool create -m /data zdata /dev/ada1`. A device that is already in use fails " +
			"with zpool's own message (no `-f` is ever given).\n\n" +
			"Only the pool properties and root dataset properties listed in the configuration are managed; their " +
			"values are read with their source, so defaults never show as drift. Removing a pool property from " +
			"`properties` stops managing it (its value stays); removing one from `root_dataset_properties` reverts it " +
			"with `zfs inherit`.\n\n" +
			"A pool is never destroyed unless `force_destroy = true` was applied first: destroying it, and replacing " +
			"it (a new `name` or `vdevs`), fails otherwise. On a Linux host the plan fails.\n\n" +
			"Import ID: `HOST:POOL` (`f0:zdata`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:POOL`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "The pool's name, for example `zdata`: " + zfs.NameRules + ", not a vdev keyword " +
					"(`mirror`, `raidz...`, `draid...`, `spare`, `log`). Changing it replaces the pool (guarded by `force_destroy`).",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Pool Name", "must be a ZFS pool name", zfs.ValidatePoolName)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"vdevs": schema.ListNestedAttribute{
				MarkdownDescription: "The layout, in order: each element is a group of devices of one `type`. `disk` makes " +
					"every device a top-level vdev of its own (striped); `mirror`, `raidz`, `raidz2` and `raidz3` make one " +
					"top-level vdev of all the group's devices. Devices are paths (`/dev/ada1`) or names under `/dev` " +
					"(`ada1`); a name starting with `-` is refused. Read back from `zpool status -P`. Changing the layout replaces the pool (guarded by `force_destroy`).",
				Required: true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
				},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"type": schema.StringAttribute{
							MarkdownDescription: "One of `" + strings.Join(zfs.VdevTypes, "`, `") + "`.",
							Required:            true,
							Validators:          []validator.String{stringvalidator.OneOf(zfs.VdevTypes...)},
						},
						"devices": schema.ListAttribute{
							MarkdownDescription: "The devices of the group: at least 1 for `disk`, 2 for `mirror` and `raidz`, " +
								"3 for `raidz2`, 4 for `raidz3`.",
							ElementType: types.StringType,
							Required:    true,
							Validators: []validator.List{
								listvalidator.SizeAtLeast(1),
								listvalidator.ValueStringsAre(domainValidator("Invalid Device", "must be a device path or name", zfs.ValidateDevice)),
							},
						},
					},
				},
			},
			"mountpoint": schema.StringAttribute{
				MarkdownDescription: "Mountpoint of the pool's root dataset (`zpool create -m`), an absolute path, `none` or " +
					"`legacy`; child datasets inherit below it (`/data` gives `zdata/enc` the mountpoint `/data/enc`). Defaults " +
					"to `/NAME`. Changed in place with `zfs set mountpoint`.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{domainValidator("Invalid Mountpoint", "must be an absolute path, none or legacy", zfs.ValidateMountpoint)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"properties": schema.MapAttribute{
				MarkdownDescription: "Pool properties (`zpool create -o`), such as `ashift = \"12\"` or `autotrim = \"on\"`, and " +
					"features (`feature@NAME = \"enabled\"`). Changed in place with `zpool set`; `altroot` only at creation. " +
					"Settable: " + strings.Join(zfs.SettablePoolProperties(), ", ") + ".",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Map{poolPropertiesValidator{}},
			},
			"root_dataset_properties": schema.MapAttribute{
				MarkdownDescription: "Properties of the pool's root dataset (`zpool create -O`), inherited by every dataset " +
					"in the pool unless set there, such as `compression = \"lz4\"`. The mountpoint has its own attribute. " +
					"Changed in place with `zfs set`; removing one reverts it with `zfs inherit`. Properties ZFS fixes at " +
					"creation (" + strings.Join(zfs.CreateOnlyProperties(), ", ") + ") cannot change later.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.Map{zfsPropertiesValidator{use: zfs.UseCreate, reserved: map[string]string{
					"mountpoint": "mountpoint"}}},
			},
			"force_destroy": schema.BoolAttribute{
				MarkdownDescription: "Allow `zpool destroy`, which destroys every dataset and all data in the pool. Defaults " +
					"to `false`: destroying or replacing the pool then fails, saying so. Apply `true` before the destroy.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"health": schema.StringAttribute{
				MarkdownDescription: "The pool's health: `ONLINE`, `DEGRADED`, `FAULTED`, `OFFLINE`, `REMOVED`, `UNAVAIL` or `SUSPENDED`.",
				Computed:            true,
			},
			"size": schema.Int64Attribute{
				MarkdownDescription: "The pool's size in bytes.",
				Computed:            true,
			},
			"allocated": schema.Int64Attribute{
				MarkdownDescription: "Bytes allocated in the pool.",
				Computed:            true,
			},
			"free": schema.Int64Attribute{
				MarkdownDescription: "Bytes free in the pool.",
				Computed:            true,
			},
		},
	}
}

func (r *zpoolResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// ValidateConfig checks each vdev group as a whole: its number of devices
// for its type, and no device twice in the pool.
func (r *zpoolResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var vdevs types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("vdevs"), &vdevs)...)
	layout, known, diags := vdevsFromList(ctx, vdevs)
	resp.Diagnostics.Append(diags...)
	if !known || diags.HasError() {
		return
	}
	seen := map[string]bool{}
	for i, v := range layout {
		at := path.Root("vdevs").AtListIndex(i)
		if err := zfs.ValidateVdev(v); err != nil {
			resp.Diagnostics.Append(zfsConfigDiag(at, err.Error()))
			continue
		}
		for _, d := range v.Devices {
			if seen[zfs.DevicePath(d)] {
				resp.Diagnostics.Append(zfsConfigDiag(at, "the device "+d+" is already in another vdev of this pool"))
			}
			seen[zfs.DevicePath(d)] = true
		}
	}
}

func (r *zpoolResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() || req.Plan.Raw.IsNull() {
		return
	}
	if req.State.Raw.IsNull() {
		resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, ZpoolResourceType, zfsOSCheck)...)
		return
	}
	var plan, state zpoolResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The layout as the user groups it and as the host reports it may
	// differ in spelling only; then the state's spelling is the plan.
	planned, pk, d := vdevsFromList(ctx, plan.Vdevs)
	resp.Diagnostics.Append(d...)
	current, ck, d := vdevsFromList(ctx, state.Vdevs)
	resp.Diagnostics.Append(d...)
	switch {
	case pk && ck && zfs.VdevsEquivalent(planned, current):
		plan.Vdevs = state.Vdevs
	case !plan.Vdevs.Equal(state.Vdevs):
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("vdevs"))
	}

	cfg, d := stringMap(ctx, plan.Properties)
	resp.Diagnostics.Append(d...)
	cur, d := stringMap(ctx, state.Properties)
	resp.Diagnostics.Append(d...)
	if !plan.Properties.IsUnknown() && !plan.Properties.IsNull() && sameProperties(cfg, cur, zfs.PoolEquivalent) && !state.Properties.IsNull() {
		plan.Properties = state.Properties
	}
	if names := createOnlyChanges(cur, cfg, zfs.IsCreateOnlyPoolProperty, zfs.PoolEquivalent); len(names) > 0 && !plan.Properties.IsUnknown() {
		resp.Diagnostics.Append(createOnlyPropertyDiag(path.Root("properties"), names))
	}

	cfg, d = stringMap(ctx, plan.RootDatasetProperties)
	resp.Diagnostics.Append(d...)
	cur, d = stringMap(ctx, state.RootDatasetProperties)
	resp.Diagnostics.Append(d...)
	if !plan.RootDatasetProperties.IsUnknown() && !plan.RootDatasetProperties.IsNull() && sameProperties(cfg, cur, zfs.Equivalent) && !state.RootDatasetProperties.IsNull() {
		plan.RootDatasetProperties = state.RootDatasetProperties
	}
	if names := createOnlyChanges(cur, cfg, zfs.IsCreateOnly, zfs.Equivalent); len(names) > 0 && !plan.RootDatasetProperties.IsUnknown() {
		resp.Diagnostics.Append(createOnlyPropertyDiag(path.Root("root_dataset_properties"), names))
	}

	replace := len(resp.RequiresReplace) > 0 || !plan.Name.Equal(state.Name)
	if replace && !state.ForceDestroy.ValueBool() {
		at := path.Root("vdevs")
		if !plan.Name.Equal(state.Name) {
			at = path.Root("name")
		}
		resp.Diagnostics.Append(poolReplaceWarningDiag(at, state.Host.ValueString(), state.Name.ValueString()))
	}
	if plan.sameSettings(state) {
		// Only spelling differed: nothing to do, and nothing unknown.
		plan = state
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// sameSettings reports whether everything the user sets is as in o.
func (m zpoolResourceModel) sameSettings(o zpoolResourceModel) bool {
	return m.Host.Equal(o.Host) && m.Name.Equal(o.Name) && m.Vdevs.Equal(o.Vdevs) && m.Mountpoint.Equal(o.Mountpoint) &&
		m.Properties.Equal(o.Properties) && m.RootDatasetProperties.Equal(o.RootDatasetProperties) &&
		m.ForceDestroy.Equal(o.ForceDestroy)
}

func (r *zpoolResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan zpoolResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	vdevs, _, d := vdevsFromList(ctx, plan.Vdevs)
	resp.Diagnostics.Append(d...)
	props, d := stringMap(ctx, plan.Properties)
	resp.Diagnostics.Append(d...)
	rootProps, d := stringMap(ctx, plan.RootDatasetProperties)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	spec := zfs.PoolSpec{Name: plan.Name.ValueString(), Vdevs: vdevs, Properties: props, RootProperties: rootProps}
	if !plan.Mountpoint.IsNull() && !plan.Mountpoint.IsUnknown() {
		spec.Mountpoint = plan.Mountpoint.ValueString()
	}
	c := creation[zpoolResourceModel]{
		hostName: hostName, what: "ZFS pool", oneCommand: true,
		resourceType: ZpoolResourceType, importID: hostScopedID(hostName, spec.Name),
		readBack: func(ctx context.Context, m *zpoolResourceModel) (bool, error) {
			p, err := zfs.ReadPool(ctx, target, spec.Name)
			if errors.Is(err, zfs.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			return true, diagsError(m.fromDomain(ctx, hostName, p, false))
		},
	}
	if err := zfs.CreatePool(ctx, target, spec); err != nil {
		finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, c,
			&createFailure{err: err, diag: hostErrorDiag("create ZFS pool", hostName, err), stage: stageMake})
		return
	}
	p, err := zfs.ReadPool(ctx, target, spec.Name)
	if err != nil {
		finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, c,
			&createFailure{err: err, diag: hostErrorDiag("read ZFS pool", hostName, err), stage: stageRead})
		return
	}
	resp.Diagnostics.Append(plan.fromDomain(ctx, hostName, p, false)...)
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, c, nil)
}

func (r *zpoolResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state zpoolResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	imported, d := takeImported(ctx, req.Private, resp.Private)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := state.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := zfs.ReadPool(ctx, target, state.Name.ValueString())
	if readFailed(ctx, resp, err, zfs.ErrNotFound, "read ZFS pool", hostName) {
		return
	}
	resp.Diagnostics.Append(state.fromDomain(ctx, hostName, p, imported)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *zpoolResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state zpoolResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.Name.ValueString()
	resp.Diagnostics.Append(r.apply(ctx, plan, state, func(err error) {
		resp.Diagnostics.Append(hostErrorDiag("update ZFS pool", hostName, err))
	}, target)...)
	p, err := zfs.ReadPool(ctx, target, name)
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag("read ZFS pool", hostName, err))
		return
	}
	resp.Diagnostics.Append(plan.fromDomain(ctx, hostName, p, false)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// apply makes the in-place changes: the root mountpoint, pool properties
// (zpool set), root dataset properties (zfs set, zfs inherit).
func (r *zpoolResource) apply(ctx context.Context, plan, state zpoolResourceModel, fail func(error), target host.Target) diag.Diagnostics {
	var diags diag.Diagnostics
	name := plan.Name.ValueString()
	planPool, d := stringMap(ctx, plan.Properties)
	diags.Append(d...)
	statePool, d := stringMap(ctx, state.Properties)
	diags.Append(d...)
	planRoot, d := stringMap(ctx, plan.RootDatasetProperties)
	diags.Append(d...)
	stateRoot, d := stringMap(ctx, state.RootDatasetProperties)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	setPool, _ := propertyChanges(statePool, planPool, zfs.PoolEquivalent)
	setPool, _ = withoutCreateOnly(setPool, nil, zfs.IsCreateOnlyPoolProperty)
	if err := zfs.SetPoolProperties(ctx, target, name, setPool); err != nil {
		fail(err)
		return diags
	}
	setRoot, inherit := propertyChanges(stateRoot, planRoot, zfs.Equivalent)
	setRoot, inherit = withoutCreateOnly(setRoot, inherit, zfs.IsCreateOnly)
	if !plan.Mountpoint.IsUnknown() && !plan.Mountpoint.IsNull() && plan.Mountpoint.ValueString() != state.Mountpoint.ValueString() {
		setRoot["mountpoint"] = plan.Mountpoint.ValueString()
	}
	if err := zfs.SetProperties(ctx, target, name, setRoot); err != nil {
		fail(err)
		return diags
	}
	if err := zfs.InheritProperties(ctx, target, name, inherit); err != nil {
		fail(err)
	}
	return diags
}

func (r *zpoolResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state zpoolResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName, name := state.Host.ValueString(), state.Name.ValueString()
	if !state.ForceDestroy.ValueBool() {
		resp.Diagnostics.Append(poolDestroyRefusedDiag(hostName, name))
		return
	}
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := zfs.DestroyPool(ctx, target, name); err != nil && !errors.Is(err, zfs.ErrNotFound) {
		resp.Diagnostics.Append(hostErrorDiag("destroy ZFS pool", hostName, err))
	}
}

func (r *zpoolResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, name, ok := parseZFSImportID(req.ID, zfs.ValidatePoolName)
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:POOL (f0:zdata)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("force_destroy"), false)...)
	resp.Diagnostics.Append(markImported(ctx, resp.Private)...)
}
