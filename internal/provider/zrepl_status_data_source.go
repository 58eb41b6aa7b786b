package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zrepl"
)

// ZreplStatusDataSourceType is the Terraform type name of the f3s_zrepl_status data source.
const ZreplStatusDataSourceType = TypeName + "_zrepl_status"

var _ datasource.DataSourceWithConfigure = (*zreplStatusDataSource)(nil)

type zreplStatusDataSource struct {
	data *providerData
}

type zreplStatusModel struct {
	ID      types.String          `tfsdk:"id"`
	Host    types.String          `tfsdk:"host"`
	Job     types.String          `tfsdk:"job"`
	Healthy types.Bool            `tfsdk:"healthy"`
	Jobs    []zreplJobStatusModel `tfsdk:"jobs"`
}

type zreplJobStatusModel struct {
	Name                 types.String                 `tfsdk:"name"`
	Type                 types.String                 `tfsdk:"type"`
	Healthy              types.Bool                   `tfsdk:"healthy"`
	Errors               []string                     `tfsdk:"errors"`
	LastAttemptState     types.String                 `tfsdk:"last_attempt_state"`
	LastAttemptStart     types.String                 `tfsdk:"last_attempt_start"`
	LastAttemptFinish    types.String                 `tfsdk:"last_attempt_finish"`
	LastSnapshot         types.String                 `tfsdk:"last_snapshot"`
	SnapshottingState    types.String                 `tfsdk:"snapshotting_state"`
	PruningSenderState   types.String                 `tfsdk:"pruning_sender_state"`
	PruningReceiverState types.String                 `tfsdk:"pruning_receiver_state"`
	PruningState         types.String                 `tfsdk:"pruning_state"`
	Filesystems          []zreplFilesystemStatusModel `tfsdk:"filesystems"`
}

type zreplFilesystemStatusModel struct {
	Name           types.String `tfsdk:"name"`
	State          types.String `tfsdk:"state"`
	LastReplicated types.String `tfsdk:"last_replicated"`
	Error          types.String `tfsdk:"error"`
}

// NewZreplStatusDataSource returns the f3s_zrepl_status data source.
func NewZreplStatusDataSource() datasource.DataSource {
	return &zreplStatusDataSource{}
}

func (d *zreplStatusDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = ZreplStatusDataSourceType
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
}

func (d *zreplStatusDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "What the zrepl daemon on a host reports about its jobs (`zrepl status --mode raw`): per " +
			"job the last replication attempt (state, start, finish, errors), the last snapshot taken, pruning and " +
			"snapshotting state; and `healthy`, false when any selected job reports an error, so that CI can fail " +
			"when replication is stuck:\n\n" +
			"```hcl\nlifecycle {\n  postcondition {\n    condition     = self.healthy\n    error_message = join(\"\\n\", flatten(self.jobs[*].errors))\n  }\n}\n```\n\n" +
			"Reading fails when the daemon is not running: in the configuration that starts zrepl, make the data " +
			"source depend on the `f3s_service` (or the `f3s_zrepl_wakeup`), so that it is read after.",
		Attributes: map[string]schema.Attribute{
			"id":   computedString("The host's name, or `HOST:JOB` with `job`."),
			"host": dataSourceHostAttribute(),
			"job": schema.StringAttribute{
				MarkdownDescription: "Report only this job; a job the daemon does not run is an error.",
				Optional:            true,
				Validators:          []validator.String{zreplCheck("must be a zrepl job name", zrepl.ValidateJobName)},
			},
			"healthy": schema.BoolAttribute{
				MarkdownDescription: "True when no reported job has an error (a job before its first run is healthy).",
				Computed:            true,
			},
			"jobs": schema.ListNestedAttribute{
				MarkdownDescription: "The jobs, sorted by name (the daemon's internal jobs left out).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":    computedString("The job's name."),
					"type":    computedString("`push`, `sink`, `pull`, `source` or `snap`."),
					"healthy": schema.BoolAttribute{MarkdownDescription: "True when the job reports no error.", Computed: true},
					"errors": schema.ListAttribute{
						MarkdownDescription: "Every error the job reports: planning and step errors of the last " +
							"attempt (prefixed with the dataset), waiting to reconnect, pruning and snapshotting errors.",
						ElementType: types.StringType, Computed: true,
					},
					"last_attempt_state": computedString("State of the last replication attempt: `planning`, " +
						"`planning-error`, `fan-out-filesystems`, `filesystem-error` or `done`; null before the first run " +
						"and for jobs that do not replicate actively (sink, source, snap)."),
					"last_attempt_start":  computedString("Start of the last attempt (RFC 3339)."),
					"last_attempt_finish": computedString("End of the last attempt (RFC 3339), null while it runs."),
					"last_snapshot":       computedString("Name of the newest snapshot the job's snapshotter took (`zrepl_20250701_193148_000`)."),
					"snapshotting_state": computedString("The snapshotter's state: `SyncUp`, `Planning`, `Snapshotting`, " +
						"`Waiting`, `ErrorWait`, `Stopped` ..."),
					"pruning_sender_state":   computedString("Sender-side pruning: `Plan`, `PlanErr`, `Exec`, `ExecErr` or `Done`."),
					"pruning_receiver_state": computedString("Receiver-side pruning, as `pruning_sender_state`."),
					"pruning_state":          computedString("A snap job's pruning, as `pruning_sender_state`."),
					"filesystems": schema.ListNestedAttribute{
						MarkdownDescription: "The datasets of the last attempt.",
						Computed:            true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"name":            computedString("The dataset on the sending side."),
							"state":           computedString("`planning`, `planning-error`, `stepping`, `step-error` or `done`."),
							"last_replicated": computedString("The newest snapshot this attempt replicated, without `@`."),
							"error":           computedString("The planning or step error, with zfs's own words."),
						}},
					},
				}},
			},
		},
	}
}

func (d *zreplStatusDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *zreplStatusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m zreplStatusModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	resp.Diagnostics.Append(d.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := m.Host.ValueString()
	target, diags := d.data.target(name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var jobs []zrepl.JobStatus
	m.ID = types.StringValue(name)
	if m.Job.IsNull() {
		st, err := zrepl.ReadStatus(ctx, target)
		if err != nil {
			resp.Diagnostics.Append(hostErrorDiag("read zrepl status", name, err))
			return
		}
		jobs = st.Jobs
	} else {
		js, err := zrepl.ReadJobStatus(ctx, target, m.Job.ValueString())
		switch {
		case errors.Is(err, zrepl.ErrJobNotFound):
			resp.Diagnostics.Append(zreplJobNotFoundDiag(path.Root("job"), name, err))
			return
		case err != nil:
			resp.Diagnostics.Append(hostErrorDiag("read zrepl status", name, err))
			return
		}
		jobs = []zrepl.JobStatus{js}
		m.ID = types.StringValue(hostScopedID(name, js.Name))
	}
	m.Healthy = types.BoolValue(true)
	m.Jobs = []zreplJobStatusModel{}
	for _, j := range jobs {
		jm := zreplJobStatusFromDomain(j)
		m.Jobs = append(m.Jobs, jm)
		if !j.Healthy() {
			m.Healthy = types.BoolValue(false)
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func zreplJobStatusFromDomain(j zrepl.JobStatus) zreplJobStatusModel {
	jm := zreplJobStatusModel{
		Name:              types.StringValue(j.Name),
		Type:              types.StringValue(j.Type),
		Healthy:           types.BoolValue(j.Healthy()),
		Errors:            j.Errors(),
		LastAttemptState:  types.StringNull(),
		LastAttemptStart:  types.StringNull(),
		LastAttemptFinish: types.StringNull(),
		LastSnapshot:      strValue(j.LastSnapshot()),
		SnapshottingState: strValue(j.SnapshottingState()),
		Filesystems:       []zreplFilesystemStatusModel{},
	}
	if jm.Errors == nil {
		jm.Errors = []string{}
	}
	if a := j.LastAttempt(); a != nil {
		jm.LastAttemptState = types.StringValue(a.State)
		jm.LastAttemptStart = timeValue(a.StartAt)
		jm.LastAttemptFinish = timeValue(a.FinishAt)
	}
	jm.PruningSenderState = prunerState(j.PruningSender)
	jm.PruningReceiverState = prunerState(j.PruningReceiver)
	jm.PruningState = prunerState(j.Pruning)
	for _, f := range j.Filesystems() {
		jm.Filesystems = append(jm.Filesystems, zreplFilesystemStatusModel{Name: types.StringValue(f.Name),
			State: types.StringValue(f.State), LastReplicated: strValue(f.LastReplicated), Error: strValue(f.Error)})
	}
	return jm
}

func prunerState(r *zrepl.PrunerReport) types.String {
	if r == nil {
		return types.StringNull()
	}
	return strValue(r.State)
}

// timeValue is RFC 3339 with the host's offset, null for Go's zero time
// (what zrepl reports for "not yet").
func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.Format(time.RFC3339Nano))
}
