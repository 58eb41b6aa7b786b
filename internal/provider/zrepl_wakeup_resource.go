package provider

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zrepl"
)

// ZreplWakeupResourceType is the Terraform type name of the f3s_zrepl_wakeup resource.
const ZreplWakeupResourceType = TypeName + "_zrepl_wakeup"

const zreplDefaultWait = "5m"

var (
	_ resource.ResourceWithConfigure   = (*zreplWakeupResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*zreplWakeupResource)(nil)
	_ resource.ResourceWithImportState = (*zreplWakeupResource)(nil)
)

type zreplWakeupResource struct {
	data *providerData
}

type zreplWakeupModel struct {
	ID                types.String      `tfsdk:"id"`
	Host              types.String      `tfsdk:"host"`
	Job               types.String      `tfsdk:"job"`
	Triggers          map[string]string `tfsdk:"triggers"`
	WaitTimeout       types.String      `tfsdk:"wait_timeout"`
	LastAttemptState  types.String      `tfsdk:"last_attempt_state"`
	LastAttemptFinish types.String      `tfsdk:"last_attempt_finish"`
}

// NewZreplWakeupResource returns the f3s_zrepl_wakeup resource.
func NewZreplWakeupResource() resource.Resource {
	return &zreplWakeupResource{}
}

func (r *zreplWakeupResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ZreplWakeupResourceType
}

func (r *zreplWakeupResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Replicates now: `zrepl signal wakeup JOB` on create and whenever `job` or `triggers` " +
			"change, so that the first apply does not wait a whole interval for a push (or pull) job's replication. " +
			"It then waits, at most `wait_timeout`, until a replication run that started after the wakeup has " +
			"finished; a run that ends in an error fails the apply with zrepl's errors (the next apply tries again), " +
			"and so does a run that does not finish in time. A resource that depends on it, such as the " +
			"`f3s_zfs_properties` of the standby copy on the sink, runs only once the data has arrived.\n\n" +
			"It is an action: Read and destroy do nothing on the host. Use `triggers = { config = " +
			"f3s_zrepl_config.f0.content_sha256 }` to replicate again after a configuration change.\n\n" +
			"Import ID: `HOST:JOB` (`f0:f0_to_f1_nfsdata`); an import signals nothing.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`HOST:JOB`.",
				Computed:            true,
			},
			"host": resourceHostAttribute(),
			"job": schema.StringAttribute{
				MarkdownDescription: "The push, pull or snap job to wake up, as named in the host's zrepl configuration.",
				Required:            true,
				Validators:          []validator.String{zreplCheck("must be a zrepl job name", zrepl.ValidateJobName)},
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values; a change wakes the job up again.",
				ElementType:         types.StringType,
				Optional:            true,
			},
			"wait_timeout": schema.StringAttribute{
				MarkdownDescription: "How long to wait for the replication run started by the wakeup to finish, a " +
					"duration; `" + zreplDefaultWait + "` by default, `0s` signals without waiting. A snap job is " +
					"never waited for.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(zreplDefaultWait),
				Validators: []validator.String{zreplCheck("must be a duration such as 5m", zrepl.ValidateDuration)},
			},
			"last_attempt_state": schema.StringAttribute{
				MarkdownDescription: "State of the last attempt of the run waited for (`done`); null without a wait.",
				Computed:            true,
			},
			"last_attempt_finish": schema.StringAttribute{
				MarkdownDescription: "When that attempt finished (RFC 3339); null without a wait.",
				Computed:            true,
			},
		},
	}
}

func (r *zreplWakeupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *zreplWakeupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, ZreplWakeupResourceType, zrepl.CheckOS)...)
	var hostName, job types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(hostAttributeName), &hostName)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("job"), &job)...)
	if !hostName.IsUnknown() && !job.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"),
			hostScopedID(hostName.ValueString(), job.ValueString()))...)
	}
}

func (r *zreplWakeupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan zreplWakeupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	diags, fail, readBack := r.wakeup(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[zreplWakeupModel]{
		hostName: plan.Host.ValueString(), what: "replication run after the wakeup", oneCommand: true, readBack: readBack,
	}, fail)
}

func (r *zreplWakeupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state zreplWakeupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.Job.Equal(state.Job) && maps.Equal(plan.Triggers, state.Triggers) {
		// Only wait_timeout changed: nothing to signal.
		plan.LastAttemptState, plan.LastAttemptFinish = state.LastAttemptState, state.LastAttemptFinish
	} else {
		diags, fail, _ := r.wakeup(ctx, &plan)
		resp.Diagnostics.Append(diags...)
		if fail != nil {
			resp.Diagnostics.Append(fail.diag)
		}
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// wakeup signals the job and waits for its run. A signal whose outcome is
// unknown is returned as a failure with the readBack that finds out.
func (r *zreplWakeupResource) wakeup(ctx context.Context, m *zreplWakeupModel) (diag.Diagnostics, *createFailure, readBackFunc[zreplWakeupModel]) {
	hostName, job := m.Host.ValueString(), m.Job.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return diags, nil, nil
	}
	wait, err := time.ParseDuration(m.WaitTimeout.ValueString())
	if err != nil {
		diags.Append(providerBugDiag("wait_timeout %q after validation: %v", m.WaitTimeout.ValueString(), err))
		return diags, nil, nil
	}
	opts := zrepl.WakeupOptions{Wait: wait}
	js, err := zrepl.Wakeup(ctx, target, job, opts)
	var de *zrepl.DeliveryError
	switch {
	case errors.Is(err, zrepl.ErrJobNotFound):
		diags.Append(zreplJobNotFoundDiag(path.Root("job"), hostName, err))
		return diags, nil, nil
	case errors.As(err, &de):
		diags.Append(zreplDeliveryDiag(hostName, err))
		return diags, nil, nil
	case err != nil:
		before := js
		fail := &createFailure{err: err, diag: hostErrorDiag("wake up zrepl job", hostName, err), stage: stageMake}
		return diags, fail, func(ctx context.Context, m *zreplWakeupModel) (bool, error) {
			js, err := zrepl.AwaitWakeup(ctx, target, job, before, opts)
			if errors.As(err, &de) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			m.fromStatus(hostName, js, wait)
			return true, nil
		}
	}
	m.fromStatus(hostName, js, wait)
	return diags, nil, nil
}

// fromStatus records the wakeup and, when it waited, the run it waited for.
func (m *zreplWakeupModel) fromStatus(hostName string, js zrepl.JobStatus, wait time.Duration) {
	m.ID = types.StringValue(hostScopedID(hostName, m.Job.ValueString()))
	m.LastAttemptState, m.LastAttemptFinish = types.StringNull(), types.StringNull()
	if a := js.LastAttempt(); a != nil && wait > 0 && js.Type != zrepl.JobSnap {
		m.LastAttemptState = types.StringValue(a.State)
		m.LastAttemptFinish = timeValue(a.FinishAt)
	}
}

// Read keeps the state: a wakeup leaves nothing on the host to read.
func (r *zreplWakeupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state zreplWakeupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.WaitTimeout.IsNull() {
		state.WaitTimeout = types.StringValue(zreplDefaultWait)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *zreplWakeupResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

func (r *zreplWakeupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, job, ok := parseHostScopedID(req.ID)
	if !ok || zrepl.ValidateJobName(job) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:JOB (f0:f0_to_f1_nfsdata)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, job))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("job"), job)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_timeout"), zreplDefaultWait)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("last_attempt_state"), types.StringNull())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("last_attempt_finish"), types.StringNull())...)
}
