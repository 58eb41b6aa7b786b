package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/keymedia"
)

// KeyMediaResourceType is the Terraform type name of the f3s_key_media resource.
const KeyMediaResourceType = TypeName + "_key_media"

// keyMediaCreatedDirKey marks, in private state, a mount point that create
// made, so that destroy removes it again.
const keyMediaCreatedDirKey = "created_dir"

var (
	_ resource.ResourceWithConfigure   = (*keyMediaResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*keyMediaResource)(nil)
	_ resource.ResourceWithImportState = (*keyMediaResource)(nil)
)

type keyMediaResource struct {
	data *providerData
}

type keyMediaResourceModel struct {
	ID         types.String `tfsdk:"id"`
	Host       types.String `tfsdk:"host"`
	Device     types.String `tfsdk:"device"`
	MountPoint types.String `tfsdk:"mount_point"`
	Format     types.Bool   `tfsdk:"format"`
	FstabLine  types.String `tfsdk:"fstab_line"`
	Mounted    types.Bool   `tfsdk:"mounted"`
}

// NewKeyMediaResource returns the f3s_key_media resource.
func NewKeyMediaResource() resource.Resource {
	return &keyMediaResource{}
}

func (r *keyMediaResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = KeyMediaResourceType
}

func (r *keyMediaResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The key stick of a FreeBSD host: a UFS file system on a USB device that keeps the ZFS " +
			"keys off the disks they encrypt, mounted at boot through `/etc/fstab`. This is the article's " +
			"`newfs /dev/da0`, `echo '/dev/da0 /keys ufs rw 0 2' >> /etc/fstab`, `mkdir /keys`, `mount /keys`.\n\n" +
			"**A device is formatted only when you ask for it, only on create, and never over data.** With " +
			"`format = true`, `newfs` runs when the device holds no UFS file system yet (a new stick usually comes " +
			"with FAT, which is erased); a device that already holds UFS is mounted as it is, so a stick with keys " +
			"on it keeps them, and a device that is part of a ZFS pool or GELI is refused. The file system is " +
			"recognised with `fstyp(8)`. Without `format`, a device without UFS stops the apply. When a create " +
			"would format, the plan reads the device and shows what is on it in a warning (`Key Media Will Be " +
			"Formatted: Host \"f0\": /dev/gpt/keys holds a msdosfs file system ...`) before anything is erased.\n\n" +
			"**Finding the stick.** `da` numbers follow the order in which USB devices attach: name the stick by " +
			"a GPT label instead. `camcontrol devlist` lists the USB devices, `gpart show da0` what is on one, " +
			"`geom disk list da0` its size and serial number; `gpart create -s gpt da0` and `gpart add -t " +
			"freebsd-ufs -l keys da0` label it, and `/dev/gpt/keys` then names it on every boot.\n\n" +
			"The fstab line is the entry for `mount_point`, edited under the host's lock of `/etc/fstab`, so other " +
			"resources can manage other lines. A plan shows the line changed or removed, or the stick not mounted, " +
			"and the apply restores them. Destroying the resource unmounts the stick, removes the line and the " +
			"mount point it created (when empty); the device and the keys on it are never wiped.\n\n" +
			"Import ID: `HOST:MOUNT_POINT` (`f0:/keys`); the device is read from the fstab entry.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:MOUNT_POINT`.",
				Computed:            true,
			},
			"host": resourceHostAttribute(),
			"device": schema.StringAttribute{
				MarkdownDescription: "The stick's device node (`/dev/da0`, or a label such as `/dev/gpt/keys`, which " +
					"does not change when another USB disk is plugged in first). Changing it replaces the resource: " +
					"the old stick is unmounted (not wiped), the new one set up.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{domainValidator("Invalid Device",
					"must be a device under /dev such as /dev/da0", keymedia.ValidateDevice)},
			},
			"mount_point": schema.StringAttribute{
				MarkdownDescription: "Where the stick is mounted, `/keys` by default; created when missing. Changing it " +
					"moves the mount and the fstab entry in place.",
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString("/keys"),
				Validators: []validator.String{domainValidator("Invalid Mount Point",
					"must be an absolute path without white space", keymedia.ValidateMountPoint)},
			},
			"format": schema.BoolAttribute{
				MarkdownDescription: "Run `newfs` on create when the device holds no UFS file system, erasing what is " +
					"on it. `false` by default. Never formats a device that holds UFS, nor a ZFS pool member or a GELI " +
					"provider; changing it later does nothing.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"fstab_line": schema.StringAttribute{
				MarkdownDescription: "The stick's `/etc/fstab` entry as it stands on the host " +
					"(`/dev/da0 /keys ufs rw 0 2`).",
				Computed: true,
			},
			"mounted": schema.BoolAttribute{
				MarkdownDescription: "Whether the device is mounted at `mount_point`.",
				Computed:            true,
			},
		},
	}
}

func (r *keyMediaResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (m keyMediaResourceModel) spec() keymedia.Spec {
	return keymedia.Spec{Device: m.Device.ValueString(), MountPoint: m.MountPoint.ValueString()}
}

// ModifyPlan checks the host and plans what the apply makes true: the line
// as declared, the stick mounted. A line or mount read otherwise is what
// makes drift show as an update.
func (r *keyMediaResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, KeyMediaResourceType, keymedia.CheckOS)...)
	var plan keyMediaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.Host.IsUnknown() || plan.Device.IsUnknown() || plan.MountPoint.IsUnknown() {
		plan.ID, plan.FstabLine = types.StringUnknown(), types.StringUnknown()
	} else {
		plan.ID = types.StringValue(hostScopedID(plan.Host.ValueString(), plan.MountPoint.ValueString()))
		plan.FstabLine = types.StringValue(plan.spec().FstabLine())
	}
	plan.Mounted = types.BoolValue(true)
	if req.State.Raw.IsNull() && plan.Format.ValueBool() {
		resp.Diagnostics.Append(r.formatPreview(ctx, plan)...)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// formatPreview reads, at plan time, what is on a device that the create
// may format, and says it in a warning: the plan shows what newfs would
// erase before anyone applies it.
func (r *keyMediaResource) formatPreview(ctx context.Context, plan keyMediaResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if !isKnownString(plan.Host) || !isKnownString(plan.Device) {
		return diags
	}
	hostName, dev := plan.Host.ValueString(), plan.Device.ValueString()
	target, d := r.data.target(hostName)
	if d.HasError() {
		return diags // the host's own check reports it
	}
	found, err := keymedia.Probe(ctx, target, dev)
	switch {
	case err != nil:
		diags.AddAttributeWarning(path.Root("device"), "Key Media Device Not Readable",
			fmt.Sprintf("Host %q: what is on %s could not be read at plan time (%v). With format = true the "+
				"apply runs newfs on it unless it holds UFS. Check the device: camcontrol devlist, gpart show.", hostName, dev, err))
	case found.Type == "ufs" || found.InUse() != "":
		// Never formatted: mounted as it is, or refused at apply.
	default:
		diags.AddAttributeWarning(path.Root("device"), "Key Media Will Be Formatted",
			fmt.Sprintf("Host %q: %s holds %s. format = true makes the apply run newfs on it, erasing everything on "+
				"it. Make sure it is the key stick: camcontrol devlist names the USB devices, gpart show %s its "+
				"partitions, and a GPT label (/dev/gpt/NAME) names the stick whatever order the disks attach in.",
				hostName, dev, found.Describe(), dev))
	}
	return diags
}

// fromDomain takes what the host has.
func (m *keyMediaResourceModel) fromDomain(hostName string, s keymedia.Spec, st keymedia.State) {
	m.ID = types.StringValue(hostScopedID(hostName, s.MountPoint))
	m.Host = types.StringValue(hostName)
	m.Device = types.StringValue(s.Device)
	m.MountPoint = types.StringValue(s.MountPoint)
	m.FstabLine = types.StringNull()
	if st.FstabLine != "" {
		m.FstabLine = types.StringValue(st.FstabLine)
	}
	m.Mounted = types.BoolValue(st.Mounted)
	if m.Format.IsNull() || m.Format.IsUnknown() {
		m.Format = types.BoolValue(false)
	}
}

// applied checks that the host now has what was planned.
func applied(hostName string, s keymedia.Spec, st keymedia.State) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case !st.Mounted:
		diags.Append(keyMediaNotMountedDiag(hostName, s.Device, s.MountPoint))
	case st.FstabLine != s.FstabLine():
		diags.Append(providerBugDiag("fstab line %q after writing %q", st.FstabLine, s.FstabLine()))
	}
	return diags
}

func keyMediaErrorDiag(action, hostName string, err error) diag.Diagnostic {
	switch {
	case errors.Is(err, keymedia.ErrInUse):
		return keyMediaDeviceInUseDiag(hostName, err)
	case errors.Is(err, keymedia.ErrNoFilesystem):
		return keyMediaNoFilesystemDiag(hostName, err)
	case errors.Is(err, keymedia.ErrBusy):
		return keyMediaBusyDiag(hostName, err)
	}
	return hostErrorDiag(action, hostName, err)
}

func (r *keyMediaResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan keyMediaResourceModel
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
	s := plan.spec()
	res, err := keymedia.Create(ctx, target, s, plan.Format.ValueBool())
	if res.CreatedDir {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, keyMediaCreatedDirKey, []byte("true"))...)
	}
	c := creation[keyMediaResourceModel]{
		hostName: hostName, what: "key media", readBack: r.readBack(target),
		complete: func(m *keyMediaResourceModel) bool {
			return m.Mounted.ValueBool() && m.FstabLine.ValueString() == s.FstabLine()
		},
	}
	var fail *createFailure
	switch {
	case err != nil:
		// newfs, the fstab line or the mount point may be in place already.
		fail = &createFailure{err: err, diag: keyMediaErrorDiag("set up key media", hostName, err), stage: stageMake}
		if res.Changing {
			fail.stage = stageChange
		}
	default:
		if d := applied(hostName, s, res.State); d.HasError() {
			fail = &createFailure{err: diagsError(d), diag: d.Errors()[0], stage: stageChange}
		}
		plan.fromDomain(hostName, s, res.State)
	}
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, c, fail)
}

// readBack reads the stick after a failed step: the fstab line may be
// written and the mount not made.
func (r *keyMediaResource) readBack(target host.Target) readBackFunc[keyMediaResourceModel] {
	return func(ctx context.Context, m *keyMediaResourceModel) (bool, error) {
		s := m.spec()
		st, err := keymedia.Read(ctx, target, s)
		if err != nil || !st.Exists() {
			return false, err
		}
		m.fromDomain(m.Host.ValueString(), s, st)
		return true, nil
	}
}

func (r *keyMediaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state keyMediaResourceModel
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
	var s keymedia.Spec
	var st keymedia.State
	var err error
	if state.Device.IsNull() {
		// Just imported: the device comes from the fstab entry.
		s, st, err = keymedia.Discover(ctx, target, state.MountPoint.ValueString())
	} else {
		s = state.spec()
		st, err = keymedia.Read(ctx, target, s)
		if err == nil && !st.Exists() {
			err = keymedia.ErrNotFound
		}
	}
	if readFailed(ctx, resp, err, keymedia.ErrNotFound, "read key media", hostName) {
		return
	}
	state.fromDomain(hostName, s, st)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *keyMediaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state keyMediaResourceModel
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
	s := plan.spec()
	st, err := keymedia.Update(ctx, target, state.spec(), s)
	if err != nil {
		// The old mount point may be unmounted already.
		resp.Diagnostics.Append(keyMediaErrorDiag("update key media", hostName, err))
	} else {
		resp.Diagnostics.Append(applied(hostName, s, st)...)
		plan.fromDomain(hostName, s, st)
	}
	saveApplied(ctx, &resp.State, &resp.Diagnostics, hostName, &plan, r.readBack(target))
}

func (r *keyMediaResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state keyMediaResourceModel
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
	created, diags := req.Private.GetKey(ctx, keyMediaCreatedDirKey)
	resp.Diagnostics.Append(diags...)
	if err := keymedia.Delete(ctx, target, state.spec(), len(created) > 0); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove key media", hostName, err))
	}
}

func (r *keyMediaResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, mp, ok := parseHostScopedID(req.ID)
	if !ok || keymedia.ValidateMountPoint(mp) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:MOUNT_POINT (f0:/keys)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, mp))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("mount_point"), mp)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("format"), false)...)
}
