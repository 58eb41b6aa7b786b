package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/linux"
)

// NFSMountResourceType is the Terraform type name of the f3s_nfs_mount resource.
const NFSMountResourceType = TypeName + "_nfs_mount"

// nfsUnmountWait is how long destroy (and a remount) waits for a busy
// mount before it detaches it lazily.
const nfsUnmountWait = 10 * time.Second

var (
	_ resource.ResourceWithConfigure      = (*nfsMountResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*nfsMountResource)(nil)
	_ resource.ResourceWithImportState    = (*nfsMountResource)(nil)
	_ resource.ResourceWithValidateConfig = (*nfsMountResource)(nil)
)

type nfsMountResource struct {
	data *providerData
}

type nfsMountResourceModel struct {
	ID              types.String `tfsdk:"id"`
	Host            types.String `tfsdk:"host"`
	Server          types.String `tfsdk:"server"`
	Port            types.Int64  `tfsdk:"port"`
	Export          types.String `tfsdk:"export"`
	MountPoint      types.String `tfsdk:"mount_point"`
	Options         types.List   `tfsdk:"options"`
	AfterUnit       types.String `tfsdk:"after_unit"`
	Mounted         types.Bool   `tfsdk:"mounted"`
	Monitor         types.Bool   `tfsdk:"monitor"`
	MonitorInterval types.String `tfsdk:"monitor_interval"`
	FstabLine       types.String `tfsdk:"fstab_line"`
	MonitorTimer    types.String `tfsdk:"monitor_timer"`
}

// NewNFSMountResource returns the f3s_nfs_mount resource.
func NewNFSMountResource() resource.Resource {
	return &nfsMountResource{}
}

func (r *nfsMountResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = NFSMountResourceType
}

func (r *nfsMountResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	defaults := make([]attr.Value, 0, len(linux.DefaultMountOptions))
	for _, o := range linux.DefaultMountOptions {
		defaults = append(defaults, types.StringValue(o))
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An NFSv4 mount on a Linux client (Rocky Linux, Fedora), normally through the client's local " +
			"stunnel (`127.0.0.1`, the stunnel's `accept` port): its line in `/etc/fstab`, the mount point (created), " +
			"mounted now, and an optional stale-mount monitor.\n\n" +
			"The fstab line is `SERVER:EXPORT MOUNT_POINT nfs4 port=PORT,OPTIONS,x-systemd.requires=UNIT,x-systemd.after=UNIT 0 0`: " +
			"the `x-systemd.*` options order the mount after the stunnel client, so that a boot never mounts before " +
			"the tunnel is up.\n\n" +
			"**hard or soft.** The default is `hard` (the article's mount is hard, although its text calls it soft): " +
			"while the server does not answer, every access waits, and goes on where it stopped when the server " +
			"answers again; no application sees an I/O error it may not handle, but processes hang meanwhile. `soft` " +
			"gives up after `timeo`/`retrans` and returns `EIO`, which can corrupt data an application was writing. " +
			"After a CARP failover the mount is stale (`Stale file handle`) whether hard or soft, until it is " +
			"mounted again: that is what the monitor does.\n\n" +
			"**The monitor** (`monitor = true`, the default): a POSIX sh script in `/usr/local/sbin`, a oneshot service " +
			"and a timer (`f3s-nfs-monitor-ESCAPED_MOUNT_POINT.timer`) that checks the mount every `monitor_interval`: " +
			"a `stat` bounded by `timeout` finds a stale or hung mount, `umount -f` (bounded, then `umount -l`) and " +
			"`mount` repair it, and a missing mount is mounted. Runs never overlap (`flock`, which a killed run cannot " +
			"leave locked). Every action is logged to the journal: `journalctl -t f3s-nfs-monitor`.\n\n" +
			"Read compares the fstab line and what is mounted (`findmnt`): an edited line, a mount gone or another " +
			"mount there, or a monitor file changed or its timer stopped shows in the plan. Destroying the resource " +
			"removes the monitor, unmounts (a mount still busy after 10 seconds is detached lazily, `umount -l`), " +
			"removes the fstab line and the mount point when it is empty.\n\n" +
			"Needs `mount.nfs4` (nfs-utils) on the host, and for the default `after_unit` the stunnel client.\n\n" +
			"Import ID: `HOST:MOUNT_POINT` (`r0:/data/nfs/k3svolumes`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:MOUNT_POINT`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"server": schema.StringAttribute{
				MarkdownDescription: "The NFS server as mount.nfs4 reaches it: `127.0.0.1` (the default) for the local " +
					"stunnel client, or a host name, IPv4 address or `[IPv6]` address.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString("127.0.0.1"),
				Validators: []validator.String{domainValidator("Invalid NFS Server", "must be a host name or address", linux.ValidateServer)},
			},
			"port": schema.Int64Attribute{
				MarkdownDescription: "The server's port: the stunnel client's `accept` port (`2323` in the article), or " +
					"`2049` (the default, NFS's own, written without `port=`).",
				Optional:   true,
				Computed:   true,
				Default:    int64default.StaticInt64(linux.DefaultNFSPort),
				Validators: []validator.Int64{int64validator.Between(1, 65535)},
			},
			"export": schema.StringAttribute{
				MarkdownDescription: "The export's path **relative to the server's `V4:` root**: `/k3svolumes` when " +
					"`/etc/exports` has `V4: /data/nfs` and exports `/data/nfs/k3svolumes` (the article's " +
					"`127.0.0.1:/data/nfs/k3svolumes` is a misprint: the server refuses it).",
				Required:   true,
				Validators: []validator.String{domainValidator("Invalid Export Path", "must be an absolute path", linux.ValidateExport)},
			},
			"mount_point": schema.StringAttribute{
				MarkdownDescription: "Where it is mounted, an absolute path (`/data/nfs/k3svolumes`); created when " +
					"missing. Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Mount Point", "must be an absolute path", linux.ValidateMountPoint)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"options": schema.ListAttribute{
				MarkdownDescription: "Mount options, in the fstab line's order (default `[\"hard\", \"_netdev\"]`): " +
					"`hard` or `soft` (see above), `_netdev`, `timeo=600`, `nfsvers=4.2`, ... Not `port=` and not the " +
					"`x-systemd.requires=`/`x-systemd.after=` ordering, which have their own attributes. A change of " +
					"`hard`/`soft` remounts; other options change the fstab line and take effect at the next mount.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     listdefault.StaticValue(types.ListValueMust(types.StringType, defaults)),
				Validators: []validator.List{
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(domainValidator("Invalid Mount Option", "must be one mount option", linux.ValidateOption)),
				},
			},
			"after_unit": schema.StringAttribute{
				MarkdownDescription: "The systemd unit the mount requires and is ordered after (`x-systemd.requires=` and " +
					"`x-systemd.after=`): `stunnel.service` by default, the stunnel client. `\"\"` for none.",
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString("stunnel.service"),
				Validators: []validator.String{domainValidator("Invalid Unit Name", "must be a systemd unit name", func(s string) error {
					if s == "" {
						return nil
					}
					return linux.ValidateUnitName(s)
				})},
			},
			"mounted": schema.BoolAttribute{
				MarkdownDescription: "Whether it is mounted now (default `true`). `false` keeps only the fstab line (it is " +
					"mounted at the next boot). A mount gone from the host shows as a change back to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"monitor": schema.BoolAttribute{
				MarkdownDescription: "Whether the stale-mount monitor (script, service, timer) is installed and its timer " +
					"enabled and running (default `true`). A monitor file changed on the host, or its timer stopped or " +
					"disabled, shows as a change back to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"monitor_interval": schema.StringAttribute{
				MarkdownDescription: "How often the monitor checks the mount: whole seconds, `1s` to `1h` (default `10s`, " +
					"the article's).",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString("10s"),
				Validators: []validator.String{domainValidator("Invalid Monitor Interval", "must be a duration", validateMonitorInterval)},
			},
			"fstab_line": schema.StringAttribute{
				MarkdownDescription: "The line in `/etc/fstab`.",
				Computed:            true,
			},
			"monitor_timer": schema.StringAttribute{
				MarkdownDescription: "The monitor's timer unit (`f3s-nfs-monitor-data-nfs-k3svolumes.timer`): " +
					"`systemctl list-timers` and `journalctl -t f3s-nfs-monitor` show it at work. Null without a monitor.",
				Computed: true,
			},
		},
	}
}

func validateMonitorInterval(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 10s", s)
	}
	return linux.ValidateInterval(d)
}

func (r *nfsMountResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// ValidateConfig refuses hard and soft together.
func (r *nfsMountResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var opts types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("options"), &opts)...)
	list, known, diags := listStrings(ctx, opts)
	resp.Diagnostics.Append(diags...)
	if !known || resp.Diagnostics.HasError() {
		return
	}
	if err := linux.ValidateHardSoft(list); err != nil {
		resp.Diagnostics.Append(invalidAttributeDiag(path.Root("options"), "Invalid Mount Options", err.Error()))
	}
}

func (r *nfsMountResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, NFSMountResourceType, linux.CheckOS)...)
}

func (m nfsMountResourceModel) mount(ctx context.Context) (linux.NFSMount, diag.Diagnostics) {
	opts, _, diags := listStrings(ctx, m.Options)
	return linux.NFSMount{
		Server:     m.Server.ValueString(),
		Port:       int(m.Port.ValueInt64()),
		Export:     m.Export.ValueString(),
		MountPoint: m.MountPoint.ValueString(),
		Options:    opts,
		After:      m.AfterUnit.ValueString(),
	}, diags
}

func (m nfsMountResourceModel) monitor() linux.Monitor {
	d, err := time.ParseDuration(m.MonitorInterval.ValueString())
	if err != nil {
		d = linux.DefaultMonitorInterval
	}
	return linux.Monitor{MountPoint: m.MountPoint.ValueString(), Interval: d}
}

// fromHost records what the host has. The monitor is read only when it is
// wanted (or on import): then monitor says whether it is installed as
// rendered and its timer enabled and running.
func (m *nfsMountResourceModel) fromHost(hostName string, st linux.MountState, mon linux.Monitor, ms linux.MonitorStatus, monFound bool) {
	m.ID = types.StringValue(hostScopedID(hostName, st.Mount.MountPoint))
	m.Host = types.StringValue(hostName)
	m.Server = types.StringValue(st.Mount.Server)
	m.Port = types.Int64Value(int64(st.Mount.Port))
	m.Export = types.StringValue(st.Mount.Export)
	m.MountPoint = types.StringValue(st.Mount.MountPoint)
	m.Options = stringList(st.Mount.Options)
	if len(st.Mount.Options) == 0 {
		m.Options = types.ListValueMust(types.StringType, []attr.Value{})
	}
	m.AfterUnit = types.StringValue(st.Mount.After)
	m.Mounted = types.BoolValue(st.Mounted())
	m.FstabLine = types.StringValue(st.Line)
	m.Monitor = types.BoolValue(monFound && ms.Healthy())
	if monFound {
		m.MonitorInterval = types.StringValue(fmt.Sprintf("%ds", int(mon.Interval/time.Second)))
		m.MonitorTimer = types.StringValue(mon.Timer())
	} else {
		m.MonitorTimer = types.StringNull()
	}
}

// read reads the mount and its monitor; the interval keeps the planned
// spelling (1m) while it means the duration the timer has.
func (r *nfsMountResource) read(ctx context.Context, m *nfsMountResourceModel) error {
	hostName := m.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return diagsError(diags)
	}
	st, err := linux.ReadMount(ctx, target, m.MountPoint.ValueString())
	if err != nil {
		return err
	}
	mon, ms, found, err := linux.FindMonitor(ctx, target, m.MountPoint.ValueString())
	if err != nil {
		return err
	}
	spelled := m.MonitorInterval
	m.fromHost(hostName, st, mon, ms, found)
	if !found {
		// no monitor: the interval stays as configured (it means nothing yet)
		m.MonitorInterval = spelled
		if m.MonitorInterval.IsNull() || m.MonitorInterval.IsUnknown() {
			m.MonitorInterval = types.StringValue("10s")
		}
	} else if d, err := time.ParseDuration(spelled.ValueString()); err == nil && d == mon.Interval {
		m.MonitorInterval = spelled
	}
	return nil
}

// readBack reads the mount after a failed step.
func (r *nfsMountResource) readBack(ctx context.Context, m *nfsMountResourceModel) (bool, error) {
	err := r.read(ctx, m)
	if errors.Is(err, linux.ErrMountNotFound) {
		return false, nil
	}
	return err == nil, err
}

// apply makes the host as planned: the mount (or only its fstab line),
// then the monitor installed or removed.
func (r *nfsMountResource) apply(ctx context.Context, plan *nfsMountResourceModel) *createFailure {
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return &createFailure{err: diagsError(diags), diag: diags.Errors()[0], stage: stageMake}
	}
	mnt, diags := plan.mount(ctx)
	if diags.HasError() {
		return &createFailure{err: diagsError(diags), diag: diags.Errors()[0], stage: stageMake}
	}
	if plan.Mounted.ValueBool() {
		// The fstab line may be written when mounting fails: the stage is
		// a change, so that a create reads back and keeps what it made.
		if err := linux.ApplyMount(ctx, target, mnt, nfsUnmountWait); err != nil {
			return &createFailure{err: err, diag: hostErrorDiag("mount "+mnt.MountPoint, hostName, err), stage: stageChange}
		}
	} else if err := linux.ApplyFstabOnly(ctx, target, mnt, nfsUnmountWait); err != nil {
		return &createFailure{err: err, diag: hostErrorDiag("write the fstab line of "+mnt.MountPoint, hostName, err), stage: stageChange}
	}
	mon := plan.monitor()
	if plan.Monitor.ValueBool() {
		if err := linux.InstallMonitor(ctx, target, mon); err != nil {
			return &createFailure{err: err, diag: hostErrorDiag("install the stale-mount monitor", hostName, err), stage: stageChange}
		}
	} else if err := linux.RemoveMonitor(ctx, target, mon); err != nil {
		return &createFailure{err: err, diag: hostErrorDiag("remove the stale-mount monitor", hostName, err), stage: stageChange}
	}
	wantMounted := plan.Mounted.ValueBool()
	if err := r.read(ctx, plan); err != nil {
		return &createFailure{err: err, diag: hostErrorDiag("read the mount", hostName, err), stage: stageRead}
	}
	if wantMounted && !plan.Mounted.ValueBool() {
		err := fmt.Errorf("%s: %s is not mounted as planned after mount", hostName, mnt.MountPoint)
		return &createFailure{err: err, diag: hostErrorDiag("mount "+mnt.MountPoint, hostName, err), stage: stageChange}
	}
	return nil
}

func (r *nfsMountResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan nfsMountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := plan.Host.ValueString()
	fail := r.apply(ctx, &plan)
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[nfsMountResourceModel]{
		hostName: hostName, what: "NFS mount", readBack: r.readBack,
	}, fail)
}

func (r *nfsMountResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan nfsMountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if fail := r.apply(ctx, &plan); fail != nil {
		resp.Diagnostics.Append(fail.diag)
	}
	saveApplied(ctx, &resp.State, &resp.Diagnostics, plan.Host.ValueString(), &plan, r.readBack)
}

func (r *nfsMountResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state nfsMountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.read(ctx, &state)
	if readFailed(ctx, resp, err, linux.ErrMountNotFound, "read the NFS mount", state.Host.ValueString()) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *nfsMountResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state nfsMountResourceModel
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
	if err := linux.RemoveMonitor(ctx, target, state.monitor()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove the stale-mount monitor", hostName, err))
		return
	}
	if err := linux.RemoveMount(ctx, target, state.MountPoint.ValueString(), nfsUnmountWait); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("unmount and remove "+state.MountPoint.ValueString(), hostName, err))
	}
}

func (r *nfsMountResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, mp, ok := parseHostScopedID(req.ID)
	if !ok || linux.ValidateMountPoint(mp) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:MOUNT_POINT (r0:/data/nfs/k3svolumes)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, mp))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("mount_point"), mp)...)
}
