package provider

import (
	"context"
	"errors"
	"slices"
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
	MaxLag  types.String          `tfsdk:"max_lag"`
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
	LastSuccess          types.String                 `tfsdk:"last_success"`
	LagSeconds           types.Int64                  `tfsdk:"lag_seconds"`
	Stale                types.Bool                   `tfsdk:"stale"`
	Filesystems          []zreplFilesystemStatusModel `tfsdk:"filesystems"`
}

type zreplFilesystemStatusModel struct {
	Name           types.String `tfsdk:"name"`
	State          types.String `tfsdk:"state"`
	LastReplicated types.String `tfsdk:"last_replicated"`
	Error          types.String `tfsdk:"error"`
	LastSuccess    types.String `tfsdk:"last_success"`
	LagSeconds     types.Int64  `tfsdk:"lag_seconds"`
	Stale          types.Bool   `tfsdk:"stale"`
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
			"snapshotting state; per push job and filesystem the last successful replication and its age; and " +
			"`healthy`, false when any selected job reports an error or, with `max_lag`, when its replicated data " +
			"is older than that, so that CI can warn or fail when replication is stuck:\n\n" +
			"```hcl\nlifecycle {\n  postcondition {\n    condition     = self.healthy\n    error_message = join(\"\\n\", flatten(self.jobs[*].errors))\n  }\n}\n```\n\n" +
			"**Freshness.** zrepl's error counters miss a job that silently stops delivering (a sink that no longer " +
			"answers, a snapshotter that stalled, a daemon restarted into a broken state): its status only describes " +
			"the current run, and a run with nothing new to send is `done` too. The last success is read from what " +
			"zrepl keeps on disk instead: the push job's replication cursor, the bookmark " +
			"`FS#zrepl_CURSOR_G_<guid>_J_<job>` that zrepl moves to each snapshot it delivered. Its creation time " +
			"is when the newest data the receiver holds was captured (the standby's recovery point), and the age is " +
			"measured with the host's own clock (`date +%s`, read in the same command). Pull jobs keep their cursor " +
			"on the source host, and sink, source and snap jobs do not send, so for them the freshness attributes " +
			"are null; read the push side.\n\n" +
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
			"max_lag": schema.StringAttribute{
				MarkdownDescription: "How old a push job's replicated data may be before the job counts as stale and " +
					"`healthy` turns false: a Go duration such as `15m` or `1h30m`. Give it a few snapshot " +
					"intervals of room (the data is one interval old just before the next snapshot). A job that has " +
					"run but never delivered a filesystem is stale too; a job before its first run (also right after " +
					"the daemon restarted, when no cursor exists yet) is not. Unset, staleness is not judged.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"healthy": schema.BoolAttribute{
				MarkdownDescription: "True when no reported job has an error and, with `max_lag`, none is stale " +
					"(a job before its first run is healthy).",
				Computed: true,
			},
			"jobs": schema.ListNestedAttribute{
				MarkdownDescription: "The jobs, sorted by name (the daemon's internal jobs left out).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":    computedString("The job's name."),
					"type":    computedString("`push`, `sink`, `pull`, `source` or `snap`."),
					"healthy": schema.BoolAttribute{MarkdownDescription: "True when the job reports no error and is not `stale`.", Computed: true},
					"last_success": computedString("For a push job, the creation time (RFC 3339, UTC) of the " +
						"newest snapshot known to be on the receiver, across its filesystems the oldest one: how old the " +
						"standby's copy is. Null when a filesystem never replicated, and for other kinds of job."),
					"lag_seconds": schema.Int64Attribute{MarkdownDescription: "The host's clock minus `last_success`, " +
						"in seconds; null when `last_success` is.", Computed: true},
					"stale": schema.BoolAttribute{MarkdownDescription: "True when `max_lag` is set and a filesystem's " +
						"data is older than it, or never arrived although the job has run.", Computed: true},
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
						MarkdownDescription: "The datasets of the last attempt. When no attempt ran since the daemon " +
							"started, or the last one failed before listing any (the sink unreachable), a push job lists " +
							"the datasets that carry its replication cursor, with `state` null.",
						Computed: true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"name":            computedString("The dataset on the sending side."),
							"state":           computedString("`planning`, `planning-error`, `stepping`, `step-error` or `done`."),
							"last_replicated": computedString("The newest snapshot this attempt replicated, without `@`."),
							"error":           computedString("The planning or step error, with zfs's own words."),
							"last_success": computedString("The creation time (RFC 3339, UTC) of the newest snapshot of " +
								"this filesystem known to be on the receiver (the job's replication cursor); null when " +
								"none was ever replicated, and for jobs other than push."),
							"lag_seconds": schema.Int64Attribute{MarkdownDescription: "The host's clock minus " +
								"`last_success`, in seconds.", Computed: true},
							"stale": schema.BoolAttribute{MarkdownDescription: "True when `max_lag` is set and this " +
								"filesystem's replicated data is older than it, or never arrived.", Computed: true},
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
	var maxLag time.Duration
	if !m.MaxLag.IsNull() {
		d, err := parseDuration(m.MaxLag.ValueString())
		if err != nil {
			resp.Diagnostics.Append(providerBugDiag("max_lag %q after validation: %v", m.MaxLag.ValueString(), err))
			return
		}
		maxLag = d
	}
	var cursors zrepl.Cursors
	if slices.ContainsFunc(jobs, zrepl.JobStatus.Replicates) {
		c, err := zrepl.ReadCursors(ctx, target)
		if err != nil {
			resp.Diagnostics.Append(hostErrorDiag("read zrepl replication cursors", name, err))
			return
		}
		cursors = c
	}
	m.Healthy = types.BoolValue(true)
	m.Jobs = []zreplJobStatusModel{}
	for _, j := range jobs {
		jm := zreplJobStatusFromDomain(j, j.Freshness(cursors, maxLag))
		m.Jobs = append(m.Jobs, jm)
		if !jm.Healthy.ValueBool() {
			m.Healthy = types.BoolValue(false)
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func zreplJobStatusFromDomain(j zrepl.JobStatus, fresh zrepl.JobFreshness) zreplJobStatusModel {
	jm := zreplJobStatusModel{
		Name:              types.StringValue(j.Name),
		Type:              types.StringValue(j.Type),
		Healthy:           types.BoolValue(j.Healthy() && !fresh.Stale),
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
	jm.LastSuccess, jm.LagSeconds, jm.Stale = freshnessValues(j, fresh.LastSuccess, fresh.Lag, fresh.Stale)
	byName := map[string]zrepl.FilesystemFreshness{}
	for _, f := range fresh.Filesystems {
		byName[f.Name] = f
	}
	listed := map[string]bool{}
	for _, f := range j.Filesystems() {
		fm := zreplFilesystemStatusModel{Name: types.StringValue(f.Name), State: types.StringValue(f.State),
			LastReplicated: strValue(f.LastReplicated), Error: strValue(f.Error)}
		ff := byName[f.Name]
		fm.LastSuccess, fm.LagSeconds, fm.Stale = freshnessValues(j, ff.LastSuccess, ff.Lag, ff.Stale)
		jm.Filesystems = append(jm.Filesystems, fm)
		listed[f.Name] = true
	}
	// Filesystems known only from the job's cursors (no attempt listed them).
	for _, ff := range fresh.Filesystems {
		if listed[ff.Name] {
			continue
		}
		fm := zreplFilesystemStatusModel{Name: types.StringValue(ff.Name), State: types.StringNull(),
			LastReplicated: types.StringNull(), Error: types.StringNull()}
		fm.LastSuccess, fm.LagSeconds, fm.Stale = freshnessValues(j, ff.LastSuccess, ff.Lag, ff.Stale)
		jm.Filesystems = append(jm.Filesystems, fm)
	}
	return jm
}

// freshnessValues: null time and lag when nothing was replicated or the job
// does not replicate from this host; stale is always known.
func freshnessValues(j zrepl.JobStatus, last time.Time, lag time.Duration, stale bool) (types.String, types.Int64, types.Bool) {
	if !j.Replicates() || last.IsZero() {
		return types.StringNull(), types.Int64Null(), types.BoolValue(stale)
	}
	return timeValue(last), types.Int64Value(int64(lag / time.Second)), types.BoolValue(stale)
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
