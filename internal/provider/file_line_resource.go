package provider

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

// FileLineResourceType is the Terraform type name of the f3s_file_line resource.
const FileLineResourceType = TypeName + "_file_line"

var (
	_ resource.ResourceWithConfigure   = (*fileLineResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*fileLineResource)(nil)
	_ resource.ResourceWithImportState = (*fileLineResource)(nil)
)

type fileLineResource struct {
	data *providerData
}

type fileLineResourceModel struct {
	ID           types.String `tfsdk:"id"`
	Host         types.String `tfsdk:"host"`
	Path         types.String `tfsdk:"path"`
	Line         types.String `tfsdk:"line"`
	Match        types.String `tfsdk:"match"`
	InsertAfter  types.String `tfsdk:"insert_after"`
	InsertBefore types.String `tfsdk:"insert_before"`
	CreateFile   types.Bool   `tfsdk:"create_file"`
}

// NewFileLineResource returns the f3s_file_line resource.
func NewFileLineResource() resource.Resource {
	return &fileLineResource{}
}

func (r *fileLineResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = FileLineResourceType
}

func (r *fileLineResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One exact line in a file that other tools edit too, where marker comments would be " +
			"out of place: an `/etc/hosts` entry, an `/etc/fstab` line. The line is added at the end of the file " +
			"(or after or before a line that `insert_after` or `insert_before` matches) unless it is already " +
			"there." + sharedFileDescription + " With `match`, a line that someone changed (an fstab entry with " +
			"other options) is recognised, shown in the plan and replaced where it stands; without it, a changed " +
			"line counts as gone and is added again. Destroying the resource removes every line equal to `line` " +
			"and, with `match`, every line it matches.\n\n" +
			"For several lines that belong together use `f3s_file_block`.\n\n" +
			"Import ID: `HOST:PATH:LINE` (`f0:/etc/hosts:192.168.1.138 f3s-storage-ha`), the path ending at its " +
			"first colon (a path that contains a colon cannot be imported). `match` is configuration only: after " +
			"an import, the first plan shows it being set in place.",
		Attributes: withPlacement("line", map[string]schema.Attribute{
			"id": schema.StringAttribute{
				// Not kept from the state: it changes with the line.
				MarkdownDescription: "The import ID, `HOST:PATH:LINE`.",
				Computed:            true,
			},
			"host": resourceHostAttribute(),
			"path": pathAttribute("file"),
			"line": schema.StringAttribute{
				MarkdownDescription: "The line, without its line end, compared exactly (white space included). " +
					"Changing it replaces the old line where it stands.",
				Required:   true,
				Validators: []validator.String{domainValidator("Invalid Line", "must be one line", file.ValidateLine)},
			},
			"match": schema.StringAttribute{
				MarkdownDescription: "A Go (RE2) regular expression that identifies the managed line when its text " +
					"differs from `line`: the last line equal to `line` or matching `match` is the managed one " +
					"(`^\\\\S+\\\\s+/keys\\\\s` for the fstab entry of `/keys`). `line` should match it.",
				Optional:   true,
				Validators: []validator.String{regexpValidator()},
			},
		}),
	}
}

func (r *fileLineResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *fileLineResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
}

// line is the domain's view; previous is the text the line had before.
func (m fileLineResourceModel) line(previous string) (file.Line, error) {
	l := file.Line{Text: m.Line.ValueString(), Previous: previous}
	if s := m.Match.ValueString(); s != "" {
		re, err := regexp.Compile(s)
		if err != nil {
			return l, err
		}
		l.Match = re
	}
	return l, nil
}

func (r *fileLineResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan fileLineResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	res, diags, fail := r.apply(ctx, &plan, "")
	resp.Diagnostics.Append(diags...)
	if res.Created {
		// Kept only with the state (when the line turns out written).
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, createdFileKey, []byte("true"))...)
	}
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[fileLineResourceModel]{
		hostName: plan.Host.ValueString(), what: "managed line", oneCommand: true, readBack: r.readBack,
	}, fail)
}

func (r *fileLineResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state fileLineResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, diags, fail := r.apply(ctx, &plan, state.Line.ValueString())
	resp.Diagnostics.Append(diags...)
	if fail != nil {
		resp.Diagnostics.Append(fail.diag)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// apply writes the line (replacing previous where it stands) and reads it
// back into plan.
func (r *fileLineResource) apply(ctx context.Context, plan *fileLineResourceModel, previous string) (file.EditResult, diag.Diagnostics, *createFailure) {
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return file.EditResult{}, diags, nil
	}
	l, err := plan.line(previous)
	if err != nil {
		diags.Append(providerBugDiag("regular expression after validation: %v", err))
		return file.EditResult{}, diags, nil
	}
	pl, err := placement(plan.InsertAfter, plan.InsertBefore)
	if err != nil {
		diags.Append(providerBugDiag("regular expression after validation: %v", err))
		return file.EditResult{}, diags, nil
	}
	p := plan.Path.ValueString()
	res, err := file.ApplyLine(ctx, target, p, l, pl, plan.CreateFile.ValueBool())
	if errors.Is(err, file.ErrNotFound) {
		diags.Append(missingSharedFileDiag(hostName, p))
		return res, diags, nil
	}
	if err != nil {
		return res, diags, &createFailure{err: err, diag: hostErrorDiag("write managed line", hostName, err), stage: stageMake}
	}
	l.Previous = ""
	got, err := file.ReadLine(ctx, target, p, l)
	if err != nil {
		return res, diags, &createFailure{err: err, diag: hostErrorDiag("read managed line", hostName, err), stage: stageRead}
	}
	plan.fromDomain(hostName, got)
	return res, diags, nil
}

// readBack reads the line after a failed create.
func (r *fileLineResource) readBack(ctx context.Context, m *fileLineResourceModel) (bool, error) {
	hostName := m.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return false, diagsError(diags)
	}
	l, err := m.line("")
	if err != nil {
		return false, err
	}
	got, err := file.ReadLine(ctx, target, m.Path.ValueString(), l)
	if errors.Is(err, file.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	m.fromDomain(hostName, got)
	return true, nil
}

func (m *fileLineResourceModel) fromDomain(hostName, line string) {
	m.ID = types.StringValue(hostScopedID(hostName, m.Path.ValueString(), line))
	m.Host = types.StringValue(hostName)
	m.Line = types.StringValue(line)
	if m.CreateFile.IsNull() || m.CreateFile.IsUnknown() {
		m.CreateFile = types.BoolValue(true)
	}
}

func (r *fileLineResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state fileLineResourceModel
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
	l, err := state.line("")
	if err != nil {
		resp.Diagnostics.Append(providerBugDiag("regular expression in state: %v", err))
		return
	}
	got, err := file.ReadLine(ctx, target, state.Path.ValueString(), l)
	if readFailed(ctx, resp, err, file.ErrNotFound, "read managed line", hostName) {
		return
	}
	state.fromDomain(hostName, got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *fileLineResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state fileLineResourceModel
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
	l, err := state.line("")
	if err != nil {
		resp.Diagnostics.Append(providerBugDiag("regular expression in state: %v", err))
		return
	}
	created, diags := req.Private.GetKey(ctx, createdFileKey)
	resp.Diagnostics.Append(diags...)
	if err := file.DeleteLine(ctx, target, state.Path.ValueString(), l, len(created) > 0); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove managed line", hostName, err))
	}
}

func (r *fileLineResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, rest, ok := parseHostScopedID(req.ID)
	p, line, found := strings.Cut(rest, ":")
	if !ok || !found || file.ValidatePath(p) != nil || file.ValidateLine(line) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:PATH:LINE (f0:/etc/hosts:192.168.1.138 f3s-storage-ha)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, p, line))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), p)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("line"), line)...)
}
