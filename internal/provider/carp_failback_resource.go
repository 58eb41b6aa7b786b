package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/carp"
	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// CarpFailbackResourceType is the Terraform type name of the f3s_carp_failback resource.
const CarpFailbackResourceType = TypeName + "_carp_failback"

var (
	_ resource.ResourceWithConfigure   = (*carpFailbackResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*carpFailbackResource)(nil)
	_ resource.ResourceWithImportState = (*carpFailbackResource)(nil)
)

type carpFailbackResource struct {
	data *providerData
}

type carpFailbackModel struct {
	ID           types.String `tfsdk:"id"`
	Host         types.String `tfsdk:"host"`
	Interface    types.String `tfsdk:"interface"`
	VHID         types.Int64  `tfsdk:"vhid"`
	Dataset      types.String `tfsdk:"dataset"`
	MarkerName   types.String `tfsdk:"marker_name"`
	BlockFile    types.String `tfsdk:"block_file"`
	ScriptPath   types.String `tfsdk:"script_path"`
	LogFile      types.String `tfsdk:"log_file"`
	Schedule     types.String `tfsdk:"schedule"`
	ScriptStatus types.String `tfsdk:"script_status"`
	CronStatus   types.String `tfsdk:"cron_status"`
	MarkerFile   types.String `tfsdk:"marker_file"`
	MarkerStatus types.String `tfsdk:"marker_status"`
}

// NewCarpFailbackResource returns the f3s_carp_failback resource.
func NewCarpFailbackResource() resource.Resource {
	return &carpFailbackResource{}
}

func (r *carpFailbackResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = CarpFailbackResourceType
}

// carpFileAttribute is a path the generated scripts use (not a file of
// their own), changed in place.
func carpFileAttribute(description, def string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " `" + def + "` by default (" + carp.ScriptPathRules + ").",
		Optional:            true,
		Computed:            true,
		Default:             stringdefault.StaticString(def),
		Validators:          []validator.String{domainValidator("Invalid Path", "must be "+carp.ScriptPathRules, carp.ValidateScriptPath)},
	}
}

func (r *carpFailbackResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Auto-failback on the primary storage node: a script that cron runs every minute (a " +
			"crontab entry of root marked `# f3s:carp-auto-failback-IF-VHID`), which makes this node CARP MASTER " +
			"of the vhid again once its storage is ready, and a marker file on the replicated dataset.\n\n" +
			"**Ready** means: the dataset's key is loaded (or it is not encrypted), the dataset is mounted, the marker " +
			"file is on it, and failback is not blocked by `block_file`. The article's script also waits for `nfsd` " +
			"to run; but its own hook stops nfsd on BACKUP, so the primary failed back after a reboot (rc starts " +
			"nfsd after devd's BACKUP event) and never after a failover without one. This script does not wait " +
			"for nfsd: the CARP hook (`f3s_carp_hook`) starts the services when the node becomes MASTER, and " +
			"checks the dataset itself. It also reads the vhid's own state from `ifconfig` (the article takes the " +
			"last word of `carp`'s output, which is wrong when that ends with the failback warning), and it logs " +
			"why it waits once per reason rather than every minute.\n\n" +
			"The marker is placed at the top of the dataset's mountpoint when the dataset is mounted (the apply " +
			"fails otherwise: a marker on the directory beneath would make an unmounted dataset look ready). The " +
			"block file is runtime state, as CARP's is: `carp auto-failback disable` (`f3s_carp_tool`) creates it, " +
			"Terraform never does nor reports it. By default it is on the root file system, not on the dataset as " +
			"in the article, so that it also blocks while the dataset is not mounted and outlives a reboot during " +
			"maintenance.\n\n" +
			"Forcing this node BACKUP (`carp backup`) without disabling failback hands the address back within a " +
			"minute once storage is ready: disable failback first for maintenance.\n\n" +
			"Destroying the resource removes the crontab entry, the script and the marker (when the dataset is " +
			"mounted); the log and the block file stay.\n\n" +
			"Import ID: `HOST:SCRIPT_PATH` (`f0:/usr/local/bin/carp-auto-failback.sh`); the script's settings and " +
			"its crontab entry give the rest.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:SCRIPT_PATH`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host":      resourceHostAttribute(),
			"interface": carpInterfaceAttribute(),
			"vhid":      carpVHIDAttribute(),
			"dataset": schema.StringAttribute{
				MarkdownDescription: "The replicated dataset whose readiness allows failback (`zdata/enc/nfsdata`): " +
					zfs.NameRules + ".",
				Required:   true,
				Validators: []validator.String{domainValidator("Invalid Dataset Name", "must be a dataset name", zfs.ValidateDatasetName)},
			},
			"marker_name": schema.StringAttribute{
				MarkdownDescription: "The marker file's name at the top of the dataset's mountpoint, `" +
					carp.DefaultMarkerName + "` by default (the article's `/data/nfs/nfs.DO_NOT_REMOVE`).",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(carp.DefaultMarkerName),
				Validators: []validator.String{domainValidator("Invalid Marker Name", "must be a file name", file.ValidateName)},
			},
			"block_file": carpFileAttribute("The file whose presence blocks failback (`carp auto-failback disable` "+
				"creates it; give `f3s_carp_tool` the same).", carp.DefaultBlockFile),
			"script_path": carpPathAttribute("The failback script.", carp.DefaultFailbackScript),
			"log_file":    carpFileAttribute("Where the script logs its decisions.", carp.DefaultFailbackLog),
			"schedule": schema.StringAttribute{
				MarkdownDescription: "The crontab schedule, `\"" + carp.DefaultSchedule + "\"` (every minute) by default.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(carp.DefaultSchedule),
				Validators:          []validator.String{domainValidator("Invalid Schedule", "must be a crontab schedule", file.ValidateSchedule)},
			},
			"script_status": carpStatusAttribute("failback script"),
			"cron_status": schema.StringAttribute{
				MarkdownDescription: "The condition of the crontab entry: `ok`, `missing`, or `entry differs: ...`.",
				Computed:            true,
			},
			"marker_file": schema.StringAttribute{
				MarkdownDescription: "The marker's path, from the dataset's mountpoint.",
				Computed:            true,
			},
			"marker_status": schema.StringAttribute{
				MarkdownDescription: "`ok` or `missing`. While the dataset is not mounted the marker cannot be seen; " +
					"the last reading stays.",
				Computed: true,
			},
		},
	}
}

func (r *carpFailbackResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *carpFailbackResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, CarpFailbackResourceType, carp.CheckOS)...)
	var plan carpFailbackModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var prior *carpFailbackModel
	if !req.State.Raw.IsNull() {
		prior = &carpFailbackModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringUnknown()
	if !plan.Host.IsUnknown() && !plan.ScriptPath.IsUnknown() {
		plan.ID = types.StringValue(hostScopedID(plan.Host.ValueString(), plan.ScriptPath.ValueString()))
	}
	plan.ScriptStatus = types.StringValue(carp.StatusOK)
	plan.CronStatus = types.StringValue(carp.StatusOK)
	plan.MarkerStatus = types.StringValue(carp.StatusOK)
	plan.MarkerFile = types.StringUnknown()
	if prior != nil && plan.Dataset.Equal(prior.Dataset) && plan.MarkerName.Equal(prior.MarkerName) && !prior.MarkerFile.IsNull() {
		plan.MarkerFile = prior.MarkerFile
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (m carpFailbackModel) toDomain() carp.Failback {
	return carp.Failback{
		Interface: m.Interface.ValueString(), VHID: int(m.VHID.ValueInt64()), Dataset: m.Dataset.ValueString(),
		MarkerName: m.MarkerName.ValueString(), BlockFile: m.BlockFile.ValueString(), ScriptPath: m.ScriptPath.ValueString(),
		LogFile: m.LogFile.ValueString(), Schedule: m.Schedule.ValueString(),
	}
}

// fromDomain takes the host's reading. A marker that cannot be seen (the
// dataset not mounted) keeps its last reading: the storage not being
// ready is the failback's business, not drift.
func (m *carpFailbackModel) fromDomain(hostName string, f carp.Failback, s carp.FailbackStatus) {
	m.ID = types.StringValue(hostScopedID(hostName, f.ScriptPath))
	m.Host = types.StringValue(hostName)
	m.Interface = types.StringValue(f.Interface)
	m.VHID = types.Int64Value(int64(f.VHID))
	m.Dataset = types.StringValue(f.Dataset)
	m.MarkerName = types.StringValue(f.MarkerName)
	m.BlockFile = types.StringValue(f.BlockFile)
	m.ScriptPath = types.StringValue(f.ScriptPath)
	m.LogFile = types.StringValue(f.LogFile)
	m.Schedule = types.StringValue(f.Schedule)
	m.ScriptStatus = types.StringValue(s.Script)
	m.CronStatus = types.StringValue(s.Cron)
	if s.MarkerPath != "" {
		m.MarkerFile = types.StringValue(s.MarkerPath)
		m.MarkerStatus = types.StringValue(s.Marker)
	}
	if m.MarkerFile.IsUnknown() {
		m.MarkerFile = types.StringNull()
	}
	if m.MarkerStatus.IsUnknown() || m.MarkerStatus.IsNull() {
		m.MarkerStatus = types.StringValue("dataset not mounted")
	}
}

func (r *carpFailbackResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan carpFailbackModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *carpFailbackResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan carpFailbackModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *carpFailbackResource) apply(ctx context.Context, plan *carpFailbackModel, state stateSetter, diags *diag.Diagnostics) {
	hostName := plan.Host.ValueString()
	target, d := r.data.target(hostName)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	f := plan.toDomain()
	if err := carp.ApplyFailback(ctx, target, f); err != nil {
		diags.Append(hostErrorDiag("apply CARP failback", hostName, err))
	}
	readBack := func(ctx context.Context, m *carpFailbackModel) (bool, error) {
		s, err := carp.ReadFailback(ctx, target, f)
		if errors.Is(err, carp.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		m.fromDomain(hostName, f, s)
		return true, nil
	}
	if !diags.HasError() {
		if _, err := readBack(ctx, plan); err != nil {
			diags.Append(hostErrorDiag("read CARP failback", hostName, err))
		}
	}
	saveApplied(ctx, state, diags, hostName, plan, readBack)
}

func (r *carpFailbackResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state carpFailbackModel
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
	var f carp.Failback
	var err error
	if state.Dataset.IsNull() {
		f, err = carp.ImportFailback(ctx, target, state.ScriptPath.ValueString())
	} else {
		f = state.toDomain()
	}
	var s carp.FailbackStatus
	if err == nil {
		s, err = carp.ReadFailback(ctx, target, f)
	}
	if readFailed(ctx, resp, err, carp.ErrNotFound, "read CARP failback", hostName) {
		return
	}
	state.fromDomain(hostName, f, s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *carpFailbackResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state carpFailbackModel
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
	if err := carp.RemoveFailback(ctx, target, state.toDomain()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove CARP failback", hostName, err))
	}
}

func (r *carpFailbackResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, p, ok := parseHostScopedID(req.ID)
	if !ok || carp.ValidateScriptPath(p) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:SCRIPT_PATH (f0:/usr/local/bin/carp-auto-failback.sh)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("script_path"), p)...)
}
