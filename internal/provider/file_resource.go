package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// FileResourceType is the Terraform type name of the f3s_file resource.
const FileResourceType = TypeName + "_file"

var (
	_ resource.ResourceWithConfigure        = (*fileResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*fileResource)(nil)
	_ resource.ResourceWithImportState      = (*fileResource)(nil)
	_ resource.ResourceWithConfigValidators = (*fileResource)(nil)
)

type fileResource struct {
	data *providerData
}

type fileResourceModel struct {
	ID               types.String `tfsdk:"id"`
	Host             types.String `tfsdk:"host"`
	Path             types.String `tfsdk:"path"`
	Content          types.String `tfsdk:"content"`
	ContentWO        types.String `tfsdk:"content_wo"`
	ContentWOVersion types.Int64  `tfsdk:"content_wo_version"`
	Mode             types.String `tfsdk:"mode"`
	Owner            types.String `tfsdk:"owner"`
	Group            types.String `tfsdk:"group"`
	DirectoryMode    types.String `tfsdk:"directory_mode"`
	SHA256           types.String `tfsdk:"sha256"`
	Size             types.Int64  `tfsdk:"size"`
	KeepOnDestroy    types.Bool   `tfsdk:"keep_on_destroy"`
	Preexisting      types.Bool   `tfsdk:"preexisting"`
}

// NewFileResource returns the f3s_file resource.
func NewFileResource() resource.Resource {
	return &fileResource{}
}

func (r *fileResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = FileResourceType
}

func pathAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Absolute path of the " + what + " on the host, without `.` or `..` components " +
			"(`/usr/local/etc/devd/carp.conf`). Changing it replaces the resource.",
		Required:      true,
		Validators:    []validator.String{domainValidator("Invalid Path", "must be an absolute path to a file", file.ValidatePath)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

func modeValidator() validator.String {
	return domainValidator("Invalid Mode", `must be an octal mode such as "0644"`, func(s string) error {
		_, err := file.ParseMode(s)
		return err
	})
}

func accountValidator(summary string) validator.String {
	return domainValidator(summary, "must be a user or group name", file.ValidateAccount)
}

func (r *fileResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A whole file on a host: its content, mode, owner and group. The file is written " +
			"atomically (a temporary file in the same directory, renamed into place), and missing parent directories " +
			"are created with `directory_mode`. Read compares the content by its SHA-256, so a changed, chmod-ed, " +
			"chown-ed or deleted file shows in the plan. Templates are Terraform's own: " +
			"`content = templatefile(\"carp.conf.tftpl\", {...})`.\n\n" +
			"**Destroy** deletes the file (not the directories it created) only if this resource made it: a file " +
			"that was already there when the resource was created, or that was imported (`preexisting = true`), is " +
			"left in place with the content Terraform last wrote, as the host may need it (`/etc/rc.conf`). " +
			"`keep_on_destroy` decides either way when set.\n\n" +
			"For secrets use `content_wo` (write-only, Terraform 1.11+) with `content_wo_version`: the content " +
			"never enters the plan or the state, only its SHA-256 does.\n\n" +
			"For a file that other tools edit too (`/etc/hosts`, `/etc/fstab`), manage your part of it with " +
			"`f3s_file_block` or `f3s_file_line` instead.\n\n" +
			"Import ID: `HOST:PATH` (`f0:/usr/local/etc/devd/carp.conf`). The import reads the file's hash, mode, " +
			"owner and group but never its content, which may be secret: the first plan after an import shows " +
			"`content` (or `content_wo_version`) being set, and applying it rewrites nothing when the file already " +
			"holds that content.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:PATH`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"path": pathAttribute("file"),
			"content": schema.StringAttribute{
				MarkdownDescription: "The file's full text, exactly as written (no newline is added). Kept in the " +
					"state; for secrets use `content_wo`. Exactly one of `content` and `content_wo` is required.",
				Optional:   true,
				Validators: []validator.String{domainValidator("Invalid Content", "must not contain NUL", file.ValidateContent)},
			},
			"content_wo": schema.StringAttribute{
				MarkdownDescription: "The file's full text, write-only: never stored in the plan or the state. " +
					"Change `content_wo_version` to make a changed value be written; a file whose hash no longer " +
					"matches is rewritten too.",
				Optional:   true,
				WriteOnly:  true,
				Sensitive:  true,
				Validators: []validator.String{domainValidator("Invalid Content", "must not contain NUL", file.ValidateContent)},
			},
			"content_wo_version": schema.Int64Attribute{
				MarkdownDescription: "A number to change whenever `content_wo` changes, so that the new value is written.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("content_wo"))},
			},
			"mode": schema.StringAttribute{
				MarkdownDescription: "Permission bits in octal, `\"0644\"` by default. Setuid, setgid and sticky bits " +
					"are not supported.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(file.DefaultMode),
				Validators: []validator.String{modeValidator()},
			},
			"owner": schema.StringAttribute{
				MarkdownDescription: "The owning user's name, `root` by default.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("root"),
				Validators:          []validator.String{accountValidator("Invalid Owner")},
			},
			"group": schema.StringAttribute{
				MarkdownDescription: "The owning group's name; by default `wheel` on FreeBSD and `root` on Linux.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{accountValidator("Invalid Group")},
			},
			"directory_mode": schema.StringAttribute{
				MarkdownDescription: "Mode of the parent directories created when they are missing, `\"0755\"` by " +
					"default. Existing directories are left alone.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(file.DefaultDirMode),
				Validators: []validator.String{modeValidator()},
			},
			"keep_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "`true`: leave the file in place when the resource is destroyed; `false`: delete it, " +
					"even one that was there before (`preexisting`). Not set: delete it only if this resource made it.",
				Optional: true,
			},
			"preexisting": schema.BoolAttribute{
				MarkdownDescription: "Whether the file was already there when the resource was created, or was imported: " +
					"then a destroy leaves it in place unless `keep_on_destroy = false`.",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"sha256": schema.StringAttribute{
				MarkdownDescription: "SHA-256 of the content, in hex: what drift of the content is detected by.",
				Computed:            true,
			},
			"size": schema.Int64Attribute{
				MarkdownDescription: "Size of the content in bytes.",
				Computed:            true,
			},
		},
	}
}

func (r *fileResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("content"), path.MatchRoot("content_wo")),
	}
}

func (r *fileResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// ModifyPlan fills in what only the content and the host's OS decide: the
// hash and size the content will have, and the default group. A planned
// hash that differs from the one read is what makes a changed file show.
func (r *fileResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	var plan, config fileResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var prior *fileResourceModel
	if !req.State.Raw.IsNull() {
		prior = &fileResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}

	if config.Group.IsNull() {
		plan.Group = types.StringUnknown()
		resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, FileResourceType, func(info host.Info) error {
			plan.Group = types.StringValue(file.DefaultGroup(info))
			return nil
		})...)
	}

	content, known := plan.Content, true
	if content.IsNull() {
		content = config.ContentWO
	}
	switch {
	case content.IsUnknown():
		known = false
	case content.IsNull():
		// Validation reports the missing content.
		return
	}
	switch {
	case known:
		plan.SHA256 = types.StringValue(file.Hash([]byte(content.ValueString())))
		plan.Size = types.Int64Value(int64(len(content.ValueString())))
	case prior != nil && plan.Content.IsNull() && sameFileSettings(plan, *prior):
		// An unknown write-only value with nothing else changed does not
		// cause a write: keep what was read.
		plan.SHA256, plan.Size = prior.SHA256, prior.Size
	default:
		plan.SHA256, plan.Size = types.StringUnknown(), types.Int64Unknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func sameFileSettings(a, b fileResourceModel) bool {
	return a.ContentWOVersion.Equal(b.ContentWOVersion) && a.Mode.Equal(b.Mode) && a.Owner.Equal(b.Owner) &&
		a.Group.Equal(b.Group) && a.Content.Equal(b.Content)
}

func (r *fileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan fileResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := plan.Host.ValueString()
	// Whether it is there already decides what a destroy removes.
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, err := file.ReadState(ctx, target, plan.Path.ValueString())
	switch {
	case err == nil:
		plan.Preexisting = types.BoolValue(true)
	case errors.Is(err, file.ErrNotFound):
		plan.Preexisting = types.BoolValue(false)
	default:
		resp.Diagnostics.Append(hostErrorDiag("read file", hostName, err))
		return
	}
	diags, fail := r.write(ctx, req.Config, &plan)
	resp.Diagnostics.Append(diags...)
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[fileResourceModel]{
		hostName: hostName, what: "file", oneCommand: true,
		readBack: func(ctx context.Context, m *fileResourceModel) (bool, error) {
			target, d := r.data.target(hostName)
			if d.HasError() {
				return false, diagsError(d)
			}
			st, err := file.ReadState(ctx, target, m.Path.ValueString())
			if errors.Is(err, file.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			m.fromDomain(hostName, st)
			return true, nil
		},
	}, fail)
}

func (r *fileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan fileResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	diags, fail := r.write(ctx, req.Config, &plan)
	resp.Diagnostics.Append(diags...)
	if fail != nil {
		resp.Diagnostics.Append(fail.diag)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// write makes the file as planned and puts what the host reads back into
// plan. The write-only content comes from the configuration and goes no
// further than the host.
func (r *fileResource) write(ctx context.Context, config tfsdk.Config, plan *fileResourceModel) (diag.Diagnostics, *createFailure) {
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return diags, nil
	}
	content := plan.Content
	if content.IsNull() {
		diags.Append(config.GetAttribute(ctx, path.Root("content_wo"), &content)...)
		if diags.HasError() {
			return diags, nil
		}
	}
	mode, err := file.ParseMode(plan.Mode.ValueString())
	if err != nil {
		diags.Append(providerBugDiag("mode %q after validation: %v", plan.Mode.ValueString(), err))
		return diags, nil
	}
	dirMode, err := file.ParseMode(plan.DirectoryMode.ValueString())
	if err != nil {
		diags.Append(providerBugDiag("directory_mode %q after validation: %v", plan.DirectoryMode.ValueString(), err))
		return diags, nil
	}
	spec := file.Spec{
		Path:    plan.Path.ValueString(),
		Content: []byte(content.ValueString()),
		Mode:    mode,
		Owner:   plan.Owner.ValueString(),
		Group:   plan.Group.ValueString(), // "" while unknown: the writer's group
		DirMode: dirMode,
	}
	st, _, err := file.Ensure(ctx, target, spec)
	if err != nil {
		return diags, &createFailure{err: err, diag: hostErrorDiag("write file", hostName, err), stage: stageMake}
	}
	plan.fromDomain(hostName, st)
	return diags, nil
}

// fromDomain takes what the host reports. A mode spelt "644" stays so
// while the host has 0644. content and content_wo_version are the user's
// and stay as they are: only their hash is compared.
func (m *fileResourceModel) fromDomain(hostName string, st file.State) {
	m.ID = types.StringValue(hostScopedID(hostName, m.Path.ValueString()))
	m.Host = types.StringValue(hostName)
	if !file.SameMode(m.Mode.ValueString(), st.Mode) {
		m.Mode = types.StringValue(file.FormatMode(st.Mode))
	}
	m.Owner = types.StringValue(st.Owner)
	m.Group = types.StringValue(st.Group)
	m.SHA256 = types.StringValue(st.SHA256)
	m.Size = types.Int64Value(st.Size)
	if m.DirectoryMode.IsNull() || m.DirectoryMode.IsUnknown() {
		m.DirectoryMode = types.StringValue(file.DefaultDirMode)
	}
	m.ContentWO = types.StringNull()
}

func (r *fileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state fileResourceModel
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
	st, err := file.ReadState(ctx, target, state.Path.ValueString())
	if errors.Is(err, file.ErrNotFound) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err == nil && st.Kind == file.Directory {
		err = errors.New(state.Path.ValueString() + " is a directory, not a file; remove it or the resource")
	}
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag("read file", hostName, err))
		return
	}
	state.fromDomain(hostName, st)
	if state.Preexisting.IsNull() {
		// Imported: it was there before Terraform (or a state from before
		// preexisting existed: kept on destroy, the safe side).
		state.Preexisting = types.BoolValue(true)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *fileResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state fileResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || keepOnDestroy(state.KeepOnDestroy, state.Preexisting) {
		return
	}
	hostName := state.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := file.Remove(ctx, target, state.Path.ValueString()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove file", hostName, err))
	}
}

func (r *fileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, p, ok := parseHostScopedID(req.ID)
	if !ok || file.ValidatePath(p) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:PATH (f0:/usr/local/etc/devd/carp.conf)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, p))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), p)...)
}
