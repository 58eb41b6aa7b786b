package provider

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
)

// FileBlockResourceType is the Terraform type name of the f3s_file_block resource.
const FileBlockResourceType = TypeName + "_file_block"

// createdFileKey marks, in a resource's private state, that its creation
// made the file, so that destroying it removes the file again when nothing
// else was added to it.
const createdFileKey = "created_file"

var (
	_ resource.ResourceWithConfigure      = (*fileBlockResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*fileBlockResource)(nil)
	_ resource.ResourceWithImportState    = (*fileBlockResource)(nil)
	_ resource.ResourceWithValidateConfig = (*fileBlockResource)(nil)
)

type fileBlockResource struct {
	data *providerData
}

type fileBlockResourceModel struct {
	ID            types.String `tfsdk:"id"`
	Host          types.String `tfsdk:"host"`
	Path          types.String `tfsdk:"path"`
	Name          types.String `tfsdk:"name"`
	Content       types.String `tfsdk:"content"`
	CommentPrefix types.String `tfsdk:"comment_prefix"`
	InsertAfter   types.String `tfsdk:"insert_after"`
	InsertBefore  types.String `tfsdk:"insert_before"`
	CreateFile    types.Bool   `tfsdk:"create_file"`
}

// NewFileBlockResource returns the f3s_file_block resource.
func NewFileBlockResource() resource.Resource {
	return &fileBlockResource{}
}

func (r *fileBlockResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = FileBlockResourceType
}

// Shared by f3s_file_block and f3s_file_line.
const (
	placementDescription = " A Go (RE2) regular expression matched against each line (without its line end). It " +
		"decides only where a new %s goes: changing it does not move one that is already in the file."
	createFileDescription = "Whether a missing file is created (root's, mode `0644`, missing parent directories " +
		"`0755`). Defaults to `true`; with `false`, applying fails while the file does not exist. A file that the " +
		"resource created is removed again on destroy when nothing else was added to it."
	sharedFileDescription = " Every other line of the file stays as it is, byte for byte; edits of one file on one " +
		"host are serialised and each re-reads the file, so many resources can edit one file in one run. The " +
		"file's mode, owner and group are kept."
)

func regexpValidator() validator.String {
	return domainValidator("Invalid Regular Expression", "must be a Go (RE2) regular expression", file.ValidateRegexp)
}

// withPlacement adds the attributes f3s_file_block and f3s_file_line share:
// where a new block or line goes, and whether a missing file is created.
func withPlacement(what string, attrs map[string]schema.Attribute) map[string]schema.Attribute {
	attrs["insert_after"] = schema.StringAttribute{
		MarkdownDescription: "Put a new " + what + " after the last line this matches (at the end when none does)." +
			strings.ReplaceAll(placementDescription, "%s", what),
		Optional: true,
		Validators: []validator.String{regexpValidator(),
			stringvalidator.ConflictsWith(path.MatchRoot("insert_before"))},
	}
	attrs["insert_before"] = schema.StringAttribute{
		MarkdownDescription: "Put a new " + what + " before the first line this matches (at the end when none does)." +
			strings.ReplaceAll(placementDescription, "%s", what),
		Optional:   true,
		Validators: []validator.String{regexpValidator()},
	}
	attrs["create_file"] = schema.BoolAttribute{
		MarkdownDescription: createFileDescription,
		Optional:            true,
		Computed:            true,
		Default:             booldefault.StaticBool(true),
	}
	return attrs
}

func (r *fileBlockResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One marked block of lines in a file that other tools edit too: `/etc/hosts`, " +
			"`/etc/exports`, `/etc/fstab`, `/etc/devd.conf`. The block sits between two marker comments that carry " +
			"its name,\n\n```\n# BEGIN f3s:NAME\n...\n# END f3s:NAME\n```\n\nand is added at the end of the file " +
			"(or after or before a line that `insert_after` or `insert_before` matches)." + sharedFileDescription +
			" A block that was changed or removed on the host shows in the plan.\n\n" +
			"**Adopting lines typed by hand.** When the file has no marked block of this name but holds the block's " +
			"lines already, together and in order, outside any other marked block (the article's `/etc/hosts` " +
			"entry, its `/etc/exports`), the create puts the markers around those lines where they stand instead " +
			"of adding a second copy. Lines compare with runs of blanks collapsed (a tab for a space), and are then " +
			"written as configured. The plan shows a create; nothing is duplicated. Lines that differ otherwise, or " +
			"stand apart, are not adopted: the block is added as usual, so make the content match the file first.\n\n" +
			"**Destroy** removes exactly the block, markers included, adopted lines too; a file that the resource " +
			"created is removed when nothing else is left in it. To stop managing the block and keep its lines, use " +
			"a `removed` block with `lifecycle { destroy = false }` (the markers stay).\n\n" +
			"Import ID: `HOST:PATH:NAME` (`f0:/etc/hosts:f3s-storage-ha`); the comment prefix is taken from the file.",
		Attributes: withPlacement("block", map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:PATH:NAME`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"path": pathAttribute("file"),
			"name": schema.StringAttribute{
				MarkdownDescription: "The block's name in its markers: letters, digits, `_`, `.`, `-`. Unique within " +
					"the file. Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Block Name", "must be a block name", file.ValidateName)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"content": schema.StringAttribute{
				MarkdownDescription: "The block's lines. A final newline is implied (`\"a\\nb\"` and `\"a\\nb\\n\"` " +
					"write the same block); the file's own line ends (LF or CRLF) are used.",
				Required:   true,
				Validators: []validator.String{domainValidator("Invalid Content", "must not contain NUL", file.ValidateContent)},
			},
			"comment_prefix": schema.StringAttribute{
				MarkdownDescription: "What starts a comment in the file, for the marker lines: `#` by default, " +
					"`//` or `;` where the file's syntax needs it. Changing it replaces the resource.",
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(file.DefaultCommentPrefix),
				Validators:    []validator.String{domainValidator("Invalid Comment Prefix", "must be a comment prefix", file.ValidateCommentPrefix)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
		}),
	}
}

func (r *fileBlockResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// ValidateConfig rejects content holding the block's own markers, which
// would end the block early when read back.
func (r *fileBlockResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m fileBlockResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !isKnownString(m.Name) || !isKnownString(m.Content) || m.CommentPrefix.IsUnknown() {
		return
	}
	if err := m.block().Validate(); err != nil {
		resp.Diagnostics.Append(invalidAttributeDiag(path.Root("content"), "Invalid Content", err.Error()))
	}
}

func (r *fileBlockResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
}

func isKnownString(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

func (m fileBlockResourceModel) block() file.Block {
	return file.Block{Name: m.Name.ValueString(), CommentPrefix: m.CommentPrefix.ValueString(), Content: m.Content.ValueString()}
}

// placement compiles the validated expressions.
func placement(after, before types.String) (file.Placement, error) {
	var p file.Placement
	var err error
	if s := after.ValueString(); s != "" {
		if p.After, err = regexp.Compile(s); err != nil {
			return p, err
		}
	}
	if s := before.ValueString(); s != "" {
		p.Before, err = regexp.Compile(s)
	}
	return p, err
}

func (r *fileBlockResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan fileBlockResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	res, diags, fail := r.apply(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if res.Created {
		// Kept only with the state (when the block turns out written).
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, createdFileKey, []byte("true"))...)
	}
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[fileBlockResourceModel]{
		hostName: plan.Host.ValueString(), what: "managed block", oneCommand: true, readBack: r.readBack,
	}, fail)
}

func (r *fileBlockResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan fileBlockResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, diags, fail := r.apply(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if fail != nil {
		resp.Diagnostics.Append(fail.diag)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// apply writes the block and reads it back into plan.
func (r *fileBlockResource) apply(ctx context.Context, plan *fileBlockResourceModel) (file.EditResult, diag.Diagnostics, *createFailure) {
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return file.EditResult{}, diags, nil
	}
	pl, err := placement(plan.InsertAfter, plan.InsertBefore)
	if err != nil {
		diags.Append(providerBugDiag("regular expression after validation: %v", err))
		return file.EditResult{}, diags, nil
	}
	p := plan.Path.ValueString()
	res, err := file.ApplyBlock(ctx, target, p, plan.block(), pl, plan.CreateFile.ValueBool())
	if errors.Is(err, file.ErrNotFound) {
		diags.Append(missingSharedFileDiag(hostName, p))
		return res, diags, nil
	}
	if err != nil {
		return res, diags, &createFailure{err: err, diag: hostErrorDiag("write managed block", hostName, err), stage: stageMake}
	}
	got, err := file.ReadBlock(ctx, target, p, plan.block())
	if err != nil {
		return res, diags, &createFailure{err: err, diag: hostErrorDiag("read managed block", hostName, err), stage: stageRead}
	}
	plan.fromDomain(hostName, got)
	return res, diags, nil
}

// readBack reads the block after a failed create.
func (r *fileBlockResource) readBack(ctx context.Context, m *fileBlockResourceModel) (bool, error) {
	hostName := m.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return false, diagsError(diags)
	}
	got, err := file.ReadBlock(ctx, target, m.Path.ValueString(), m.block())
	if errors.Is(err, file.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	m.fromDomain(hostName, got)
	return true, nil
}

// fromDomain takes the block as read. The content keeps the user's
// spelling while it means the same lines (a missing final newline, CRLF).
func (m *fileBlockResourceModel) fromDomain(hostName string, b file.Block) {
	m.ID = types.StringValue(hostScopedID(hostName, m.Path.ValueString(), b.Name))
	m.Host = types.StringValue(hostName)
	m.Name = types.StringValue(b.Name)
	m.CommentPrefix = types.StringValue(b.CommentPrefix)
	if m.Content.IsNull() || m.Content.IsUnknown() || file.NormalizeContent(m.Content.ValueString()) != b.Content {
		m.Content = types.StringValue(b.Content)
	}
	if m.CreateFile.IsNull() || m.CreateFile.IsUnknown() {
		m.CreateFile = types.BoolValue(true)
	}
}

func (r *fileBlockResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state fileBlockResourceModel
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
	got, err := file.ReadBlock(ctx, target, state.Path.ValueString(), state.block())
	if readFailed(ctx, resp, err, file.ErrNotFound, "read managed block", hostName) {
		return
	}
	state.fromDomain(hostName, got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *fileBlockResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state fileBlockResourceModel
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
	created, diags := req.Private.GetKey(ctx, createdFileKey)
	resp.Diagnostics.Append(diags...)
	if err := file.DeleteBlock(ctx, target, state.Path.ValueString(), state.block(), len(created) > 0); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove managed block", hostName, err))
	}
}

func (r *fileBlockResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, rest, ok := parseHostScopedID(req.ID)
	i := strings.LastIndexByte(rest, ':')
	if !ok || i < 0 || file.ValidatePath(rest[:i]) != nil || file.ValidateName(rest[i+1:]) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:PATH:NAME (f0:/etc/hosts:f3s-storage-ha)"))
		return
	}
	p, name := rest[:i], rest[i+1:]
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, p, name))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), p)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
}
