package provider

import (
	"context"
	"errors"
	"strings"

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

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zrepl"
)

// ZreplConfigResourceType is the Terraform type name of the f3s_zrepl_config resource.
const ZreplConfigResourceType = TypeName + "_zrepl_config"

var (
	_ resource.ResourceWithConfigure      = (*zreplConfigResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*zreplConfigResource)(nil)
	_ resource.ResourceWithImportState    = (*zreplConfigResource)(nil)
	_ resource.ResourceWithValidateConfig = (*zreplConfigResource)(nil)
)

type zreplConfigResource struct {
	data *providerData
}

// NewZreplConfigResource returns the f3s_zrepl_config resource.
func NewZreplConfigResource() resource.Resource {
	return &zreplConfigResource{}
}

func (r *zreplConfigResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ZreplConfigResourceType
}

func (r *zreplConfigResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The whole zrepl 0.6 configuration (`zrepl.yml`) of a FreeBSD host, from typed blocks: " +
			"`global` logging and monitoring, and jobs of every kind (`push_job`, `sink_job`, `pull_job`, `source_job`, " +
			"`snap_job`). Inside a job the keys are zrepl's own (`connect`, `filesystems`, `send`, `recv`, `snapshotting`, " +
			"`pruning`, ...), so zrepl's documentation reads straight into HCL. Everything is checked at plan time with the " +
			"attribute named: a transport's required fields, zrepl's duration syntax, dataset names, filters, retention " +
			"grids, duplicate job names, two client addresses mapped to one identity.\n\n" +
			"The file is rendered deterministically (zrepl's key order, two-space indentation) and written atomically, " +
			"`root:wheel` `0644` as the port installs it; it holds no secrets (TLS keys and SSH identities are paths). " +
			"When its content changes and `restart_service` is true, a running zrepl daemon is restarted (`service zrepl " +
			"onerestart`, which runs `zrepl configcheck` first and keeps the old daemon on a refused file); a stopped " +
			"daemon is left to `f3s_service`.\n\n" +
			"`send.encrypted` defaults to `true` (raw sends: the copy on the sink stays encrypted with the source's " +
			"key), unlike zrepl's own default.\n\n" +
			"Drift: Read parses the file back into the blocks, so an edited file shows as a change of the jobs; a file " +
			"that no longer parses shows as a change of `content_sha256` with a warning naming the error. Jobs are " +
			"written grouped by kind (push, sink, pull, source, snap).\n\n" +
			"**Adopting a hand-written file.** A file that says what the blocks say (it parses, strictly, into the same " +
			"configuration: comments, layout, quoting and key order aside) is kept as it stands, whether it is " +
			"imported or the resource is created over it: the plan shows no change of it (`content_sha256` is the " +
			"file's own hash), nothing is written and zrepl is not restarted. Only a change of what zrepl would run " +
			"writes the rendered file (and restarts a running daemon).\n\n" +
			"**Destroy** removes the file and leaves the daemon alone (it keeps its jobs until it restarts). To stop " +
			"managing the file and keep it, use a `removed` block with `lifecycle { destroy = false }`.\n\n" +
			"Import ID: `HOST` (the default path) or `HOST:PATH` (`f0`, `f0:/usr/local/etc/zrepl/zrepl.yml`); the whole " +
			"file is parsed into blocks. On a Linux host the plan fails.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`HOST:PATH`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"path": schema.StringAttribute{
				MarkdownDescription: "Where the file goes, `" + zrepl.DefaultPath + "` by default (where the port's rc.d " +
					"script points the daemon). Changing it replaces the resource.",
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(zrepl.DefaultPath),
				Validators:    []validator.String{domainValidator("Invalid Path", "must be an absolute path to a file", file.ValidatePath)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"restart_service": schema.BoolAttribute{
				MarkdownDescription: "Restart a running zrepl daemon when the content changes, `true` by default.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"content_sha256": schema.StringAttribute{
				MarkdownDescription: "SHA-256 of the file, in hex. A file that means something else than the blocks, or " +
					"does not parse, shows as a change of this attribute; one that says the same in another layout keeps " +
					"its own hash (adopted as it stands). Use it as a `triggers` value.",
				Computed: true,
			},
			"received_roots": schema.MapAttribute{
				MarkdownDescription: "Where the sink jobs put what each client sends, by the client's identity " +
					"(`{ f0 = \"zdata/sink/f0\" }`). zrepl places a client's dataset `DS` at `ROOT_FS/IDENTITY/DS`, so " +
					"the standby copy's name is `\"${f3s_zrepl_config.f1.received_roots[\"f0\"]}/${f3s_zfs_dataset.nfsdata.name}\"` " +
					"(`zdata/sink/f0/zdata/enc/nfsdata`). Empty without sink jobs.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"global": zreplGlobalAttribute(),
		},
		Blocks: zreplJobBlocks(),
	}
}

func (r *zreplConfigResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// ValidateConfig checks what single attributes cannot: the fields each
// transport, snapshotting and rule kind requires or refuses, duplicate job
// names and client identities, local listeners. The attributes' own
// validators check each value, so only the structure is checked here. A
// configuration with values unknown until apply is checked then.
func (r *zreplConfigResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if !req.Config.Raw.IsFullyKnown() {
		return
	}
	var m zreplConfigModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, refs := m.toDomain()
	resp.Diagnostics.Append(zreplProblemDiags(zrepl.CheckStructure(cfg), refs)...)
}

func zreplProblemDiags(problems zrepl.Problems, refs []zreplJobRef) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, p := range problems {
		if len(p.Path) == 1 && p.Path[0].Name == "jobs" {
			diags.Append(zreplNoJobsDiag())
			continue
		}
		diags.Append(zreplConfigDiag(zreplProblemPath(p.Path, refs), p.Message))
	}
	return diags
}

// ModifyPlan checks the host and renders the planned file: its hash is
// what makes a change (or a file that differs from the blocks) show.
func (r *zreplConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, ZreplConfigResourceType, zrepl.CheckOS)...)
	if resp.Diagnostics.HasError() || !req.Config.Raw.IsFullyKnown() {
		return
	}
	var plan zreplConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	content, diags := plan.render()
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	plan.ContentSHA256 = types.StringValue(file.Hash(content))
	cfg, _ := plan.toDomain()
	plan.ReceivedRoots = mapValue(cfg.ReceivedRoots())
	resp.Diagnostics.Append(r.adoptedHash(ctx, req, &plan, content)...)
	if !plan.Host.IsUnknown() && !plan.Path.IsUnknown() {
		plan.ID = types.StringValue(hostScopedID(plan.Host.ValueString(), plan.Path.ValueString()))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (m *zreplConfigModel) render() ([]byte, diag.Diagnostics) {
	cfg, refs := m.toDomain()
	content, err := zrepl.Render(cfg)
	var problems zrepl.Problems
	if errors.As(err, &problems) {
		return nil, zreplProblemDiags(problems, refs)
	}
	var diags diag.Diagnostics
	if err != nil {
		diags.Append(providerBugDiag("error rendering zrepl.yml: %v", err))
	}
	return content, diags
}

func (r *zreplConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan zreplConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, diags, fail := r.apply(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if fail == nil && !diags.HasError() {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, zreplParsedKey, zreplParsedValue(plan.ContentSHA256.ValueString()))...)
	}
	// A restart that failed after the write leaves the file in state.
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[zreplConfigModel]{
		hostName: plan.Host.ValueString(), what: "zrepl configuration", oneCommand: true, readBack: r.readBack,
		resume: r.restart,
	}, fail)
}

func (r *zreplConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan zreplConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	written, diags, fail := r.apply(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if fail != nil {
		resp.Diagnostics.Append(fail.diag)
	} else if !diags.HasError() {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, zreplParsedKey, zreplParsedValue(plan.ContentSHA256.ValueString()))...)
	}
	if written || !resp.Diagnostics.HasError() {
		// A restart that failed after the write leaves the file in state.
		saveApplied(ctx, &resp.State, &resp.Diagnostics, plan.Host.ValueString(), &plan, r.readBack)
	}
}

// apply writes the rendered file, restarts the daemon if asked, and reads
// the file back into m.
func (r *zreplConfigResource) apply(ctx context.Context, m *zreplConfigModel) (written bool, diags diag.Diagnostics, fail *createFailure) {
	hostName := m.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return false, diags, nil
	}
	content, rdiags := m.render()
	diags.Append(rdiags...)
	if diags.HasError() {
		return false, diags, nil
	}
	p := m.Path.ValueString()
	// The plan's hash is the file's own when the file on the host says
	// what the blocks say (adoptedHash): it stays as it is.
	planned := m.ContentSHA256
	keep := func(prev []byte) bool {
		return isKnownString(planned) && file.Hash(prev) == planned.ValueString() && zrepl.SameMeaning(prev, content)
	}
	done, err := zrepl.Apply(ctx, target, p, content, m.RestartService.ValueBool(), keep)
	if err != nil {
		fail = &createFailure{err: err, diag: hostErrorDiag("write zrepl configuration", hostName, err), stage: stageMake}
		if done.Written {
			fail.stage = stageChange
		}
		return done.Written, diags, fail
	}
	f, err := zrepl.Read(ctx, target, p)
	if err != nil {
		return true, diags, &createFailure{err: err, diag: hostErrorDiag("read zrepl configuration", hostName, err), stage: stageRead}
	}
	if f.ParseErr != nil {
		diags.Append(providerBugDiag("zrepl.yml written to %s does not parse back: %v", p, f.ParseErr))
		return true, diags, nil
	}
	m.fromFile(hostName, p, f)
	return true, diags, nil
}

// readBack reads the file after a failed step (the write done, the
// restart failed). A file that does not parse keeps the planned blocks:
// its hash shows the plan that it must be written again.
// restart is what a create does after writing the file: restart a running
// daemon, when restart_service is set.
func (r *zreplConfigResource) restart(ctx context.Context, m *zreplConfigModel) *createFailure {
	if !m.RestartService.ValueBool() {
		return nil
	}
	hostName := m.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return &createFailure{err: diagsError(diags), diag: diags.Errors()[0], stage: stageChange}
	}
	if _, err := zrepl.RestartIfRunning(ctx, target); err != nil {
		return &createFailure{err: err, diag: hostErrorDiag("restart zrepl", hostName, err), stage: stageChange}
	}
	return nil
}

func (r *zreplConfigResource) readBack(ctx context.Context, m *zreplConfigModel) (bool, error) {
	hostName, p := m.Host.ValueString(), m.Path.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return false, diagsError(diags)
	}
	f, err := zrepl.Read(ctx, target, p)
	if errors.Is(err, zrepl.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	m.fromFile(hostName, p, f)
	return true, nil
}

func (m *zreplConfigModel) fromFile(hostName, p string, f zrepl.File) {
	m.ID = types.StringValue(hostScopedID(hostName, p))
	m.Host = types.StringValue(hostName)
	m.Path = types.StringValue(p)
	m.ContentSHA256 = types.StringValue(f.SHA256)
	if m.RestartService.IsNull() || m.RestartService.IsUnknown() {
		m.RestartService = types.BoolValue(true)
	}
	if f.Config != nil {
		m.setFromDomain(f.Config)
	} else if m.ReceivedRoots.IsNull() || m.ReceivedRoots.IsUnknown() {
		cfg, _ := m.toDomain()
		m.ReceivedRoots = mapValue(cfg.ReceivedRoots())
	}
}

func (r *zreplConfigResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state zreplConfigModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName, p := state.Host.ValueString(), state.Path.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	f, err := zrepl.Read(ctx, target, p)
	if readFailed(ctx, resp, err, zrepl.ErrNotFound, "read zrepl configuration", hostName) {
		return
	}
	if f.ParseErr != nil {
		if state.ContentSHA256.IsNull() { // an import: no blocks to keep
			resp.Diagnostics.Append(zreplImportParseDiag(hostName, p, f.ParseErr))
			return
		}
		// Keep the blocks as they were; the hash tells the plan that the
		// file must be written again.
		resp.Diagnostics.Append(zreplParseWarningDiag(hostName, p, f.ParseErr))
	}
	state.fromFile(hostName, p, f)
	resp.Diagnostics.Append(setZreplParsed(ctx, resp.Private, f)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *zreplConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state zreplConfigModel
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
	if err := zrepl.Remove(ctx, target, state.Path.ValueString()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove zrepl configuration", hostName, err))
	}
}

// ImportState takes HOST or HOST:PATH.
func (r *zreplConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, p, ok := parseHostScopedID(req.ID)
	switch {
	case !ok && req.ID != "" && !strings.Contains(req.ID, ":"):
		hostName, p = req.ID, zrepl.DefaultPath
	case !ok || file.ValidatePath(p) != nil:
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST (f0)", "HOST:PATH (f0:"+zrepl.DefaultPath+")"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, p))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), p)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("restart_service"), true)...)
}
