package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// CronJobResourceType is the Terraform type name of the f3s_cron_job resource.
const CronJobResourceType = TypeName + "_cron_job"

var (
	_ resource.ResourceWithConfigure   = (*cronJobResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*cronJobResource)(nil)
	_ resource.ResourceWithImportState = (*cronJobResource)(nil)
)

type cronJobResource struct {
	data *providerData
}

type cronJobResourceModel struct {
	ID       types.String `tfsdk:"id"`
	Host     types.String `tfsdk:"host"`
	User     types.String `tfsdk:"user"`
	Name     types.String `tfsdk:"name"`
	Schedule types.String `tfsdk:"schedule"`
	Command  types.String `tfsdk:"command"`
}

// NewCronJobResource returns the f3s_cron_job resource.
func NewCronJobResource() resource.Resource {
	return &cronJobResource{}
}

func (r *cronJobResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = CronJobResourceType
}

func (r *cronJobResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One entry in a user's crontab, identified by a marker comment on the line above it:" +
			"\n\n```\n# f3s:NAME\n* * * * * /usr/local/bin/carp-auto-failback.sh\n```\n\n" +
			"The crontab is read with `crontab -u USER -l` and installed whole with `crontab -u USER -`, under a lock " +
			"per crontab; every other line stays as it is. A user without a crontab gets one. An entry that was " +
			"changed or removed on the host (or a crontab removed with `crontab -r`) shows in the plan. Destroying " +
			"the resource removes the marker and the entry; a crontab left with nothing else in it is removed " +
			"(`crontab -r`), so a user who had none has none again.\n\n" +
			"Works on FreeBSD, and on Linux hosts that have `crontab` (cronie on Rocky); on a host without it the " +
			"plan fails.\n\n" +
			"Import ID: `HOST:USER:NAME` (`f0:root:carp-auto-failback`), or `HOST:NAME` for root's crontab.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:USER:NAME`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"user": schema.StringAttribute{
				MarkdownDescription: "The user whose crontab holds the entry, `root` by default. Changing it " +
					"replaces the resource.",
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString("root"),
				Validators:    []validator.String{domainValidator("Invalid User", "must be a user name", file.ValidateCronUser)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The entry's name in its marker comment (`# f3s:NAME`): letters, digits, `_`, " +
					"`.`, `-`. Unique within the crontab. Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Cron Job Name", "must be a cron job name", file.ValidateName)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"schedule": schema.StringAttribute{
				MarkdownDescription: "When the command runs, as crontab(5) writes it: five fields (minute hour " +
					"day-of-month month day-of-week, such as `* * * * *` or `0 3 * * 1-5`) or an @ word (`@reboot`, " +
					"`@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`; `@every_minute` and `@every_second` on " +
					"FreeBSD only).",
				Required:   true,
				Validators: []validator.String{domainValidator("Invalid Schedule", "must be a cron schedule", file.ValidateSchedule)},
			},
			"command": schema.StringAttribute{
				MarkdownDescription: "The command line, run by `/bin/sh`. One line. A `%` is crontab's newline " +
					"(what follows it becomes the command's standard input): write `\\\\%` for a literal one.",
				Required:   true,
				Validators: []validator.String{domainValidator("Invalid Command", "must be one line", file.ValidateCommand)},
			},
		},
	}
}

func (r *cronJobResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// ModifyPlan fails the plan on a host without crontab(1), and on a Linux
// host for a schedule only FreeBSD's cron knows.
func (r *cronJobResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() || req.Plan.Raw.IsNull() {
		return
	}
	var plan cronJobResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var isLinux bool
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, CronJobResourceType, func(info host.Info) error {
		isLinux = info.IsLinux()
		return nil
	})...)
	if resp.Diagnostics.HasError() || !isLinux {
		return
	}
	if isKnownString(plan.Schedule) {
		if err := file.ScheduleSupportedOnLinux(plan.Schedule.ValueString()); err != nil {
			resp.Diagnostics.Append(invalidAttributeDiag(path.Root("schedule"), "Invalid Schedule",
				err.Error()+" (host "+plan.Host.ValueString()+" runs Linux)"))
			return
		}
	}
	target, diags := r.data.target(plan.Host.ValueString())
	if diags.HasError() {
		return
	}
	if err := file.CheckCrontab(ctx, target); err != nil {
		if errors.Is(err, file.ErrNoCrontab) {
			resp.Diagnostics.Append(crontabUnavailableDiag(CronJobResourceType, plan.Host.ValueString(), err))
		} else {
			resp.Diagnostics.Append(hostErrorDiag("look for crontab", plan.Host.ValueString(), err))
		}
	}
}

func (m cronJobResourceModel) job() file.CronJob {
	return file.CronJob{Name: m.Name.ValueString(), Schedule: m.Schedule.ValueString(), Command: m.Command.ValueString()}
}

// fromDomain takes the entry as read. The schedule keeps the user's
// spacing while it has the same fields.
func (m *cronJobResourceModel) fromDomain(hostName, user string, j file.CronJob) {
	m.ID = types.StringValue(hostScopedID(hostName, user, j.Name))
	m.Host = types.StringValue(hostName)
	m.User = types.StringValue(user)
	m.Name = types.StringValue(j.Name)
	if file.NormalizeSchedule(m.Schedule.ValueString()) != j.Schedule {
		m.Schedule = types.StringValue(j.Schedule)
	}
	m.Command = types.StringValue(j.Command)
}

func (r *cronJobResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan cronJobResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	diags, fail := r.apply(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[cronJobResourceModel]{
		hostName: plan.Host.ValueString(), what: "crontab entry", oneCommand: true, readBack: r.readBack,
	}, fail)
}

func (r *cronJobResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan cronJobResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	diags, fail := r.apply(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if fail != nil {
		resp.Diagnostics.Append(fail.diag)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *cronJobResource) apply(ctx context.Context, plan *cronJobResourceModel) (diag.Diagnostics, *createFailure) {
	hostName, user := plan.Host.ValueString(), plan.User.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return diags, nil
	}
	if err := file.ApplyCronJob(ctx, target, user, plan.job()); err != nil {
		return diags, &createFailure{err: err, diag: hostErrorDiag("install crontab", hostName, err), stage: stageMake}
	}
	got, err := file.ReadCronJob(ctx, target, user, plan.Name.ValueString())
	if err != nil {
		return diags, &createFailure{err: err, diag: hostErrorDiag("read crontab", hostName, err), stage: stageRead}
	}
	plan.fromDomain(hostName, user, got)
	return diags, nil
}

// readBack reads the entry after a failed create.
func (r *cronJobResource) readBack(ctx context.Context, m *cronJobResourceModel) (bool, error) {
	hostName, user := m.Host.ValueString(), m.User.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return false, diagsError(diags)
	}
	got, err := file.ReadCronJob(ctx, target, user, m.Name.ValueString())
	if errors.Is(err, file.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	m.fromDomain(hostName, user, got)
	return true, nil
}

func (r *cronJobResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state cronJobResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName, user := state.Host.ValueString(), state.User.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := file.ReadCronJob(ctx, target, user, state.Name.ValueString())
	if readFailed(ctx, resp, err, file.ErrNotFound, "read crontab", hostName) {
		return
	}
	state.fromDomain(hostName, user, got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *cronJobResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state cronJobResourceModel
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
	if err := file.DeleteCronJob(ctx, target, state.User.ValueString(), state.Name.ValueString()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove cron job", hostName, err))
	}
}

// parseCronJobID reads HOST:USER:NAME and HOST:NAME (root's crontab).
func parseCronJobID(id string) (hostName, user, name string, ok bool) {
	hostName, rest, ok := parseHostScopedID(id)
	if !ok {
		return "", "", "", false
	}
	user, name, found := strings.Cut(rest, ":")
	if !found {
		user, name = "root", rest
	}
	if file.ValidateCronUser(user) != nil || file.ValidateName(name) != nil {
		return "", "", "", false
	}
	return hostName, user, name, true
}

func (r *cronJobResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, user, name, ok := parseCronJobID(req.ID)
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:USER:NAME (f0:root:carp-auto-failback)", "HOST:NAME (f0:carp-auto-failback)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, user, name))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user"), user)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
}
