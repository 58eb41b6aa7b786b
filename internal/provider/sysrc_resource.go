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

	"github.com/f3s-storage/terraform-provider-f3s/internal/rc"
)

// SysrcResourceType is the Terraform type name of the f3s_sysrc resource.
const SysrcResourceType = TypeName + "_sysrc"

var (
	_ resource.ResourceWithConfigure   = (*sysrcResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*sysrcResource)(nil)
	_ resource.ResourceWithImportState = (*sysrcResource)(nil)
)

type sysrcResource struct {
	data *providerData
}

type sysrcResourceModel struct {
	ID    types.String `tfsdk:"id"`
	Host  types.String `tfsdk:"host"`
	Name  types.String `tfsdk:"name"`
	Value types.String `tfsdk:"value"`
	File  types.String `tfsdk:"file"`
}

// NewSysrcResource returns the f3s_sysrc resource.
func NewSysrcResource() resource.Resource {
	return &sysrcResource{}
}

func (r *sysrcResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = SysrcResourceType
}

func (r *sysrcResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One variable assignment in `/etc/rc.conf`, or in another file `sysrc(8)` can edit " +
			"(`/boot/loader.conf` for `carp_load`), on a FreeBSD host. The value is written through `sysrc -f FILE " +
			"NAME=VALUE` and read back as the shell sees it, so values with spaces and quotes round-trip exactly. " +
			"A plain value is changed in place; a value holding quotes, backslashes, `$` or backquotes (or replacing " +
			"one) is escaped and its assignment moves to the end of the file, as sysrc cannot rewrite those in place. " +
			"A variable that only `/etc/defaults/rc.conf` sets counts as absent. Edits of one file on one host are " +
			"serialised, so many variables can be applied at once. Destroying the resource removes the assignment " +
			"(`sysrc -x`). On a Linux host the plan fails.\n\n" +
			"Do not manage the `_enable` variable of a service that an `f3s_service` resource manages.\n\n" +
			"Import ID: `HOST:NAME` for `/etc/rc.conf` (`f0:zfskeys_enable`), `HOST:FILE:NAME` for another file " +
			"(`f0:/boot/loader.conf:carp_load`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID: `HOST:NAME`, or `HOST:FILE:NAME` when `file` is not `/etc/rc.conf`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "The variable's name, for example `zfskeys_enable`: " + rc.NamePattern +
					". Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Variable Name", "must be a shell variable name", rc.ValidateName)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"value": schema.StringAttribute{
				MarkdownDescription: "The value, exactly as the shell is to see it (no quoting needed: " +
					"`zdata/enc zdata/enc/nfsdata`). One line.",
				Required:   true,
				Validators: []validator.String{domainValidator("Invalid Variable Value", "must be one line", rc.ValidateValue)},
			},
			"file": schema.StringAttribute{
				MarkdownDescription: "The file holding the assignment, as an absolute path. Defaults to `" +
					rc.DefaultFile + "`; `" + rc.LoaderConf + "` for loader tunables such as `carp_load`. The file " +
					"is created when missing. Changing it replaces the resource.",
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(rc.DefaultFile),
				Validators:    []validator.String{domainValidator("Invalid File", "must be an absolute path", rc.ValidateFile)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
		},
	}
}

func (r *sysrcResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *sysrcResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, SysrcResourceType, rc.CheckOS)...)
}

// sysrcID is the import ID: the file is left out when it is the default.
func sysrcID(hostName, file, name string) string {
	if file == rc.DefaultFile {
		return hostScopedID(hostName, name)
	}
	return hostScopedID(hostName, file, name)
}

// parseSysrcID reads HOST:NAME and HOST:FILE:NAME. Names hold no colon, so
// the file is whatever lies between the first and the last one.
func parseSysrcID(id string) (hostName, file, name string, ok bool) {
	hostName, rest, ok := parseHostScopedID(id)
	if !ok {
		return "", "", "", false
	}
	file, name = rc.DefaultFile, rest
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		file, name = rest[:i], rest[i+1:]
	}
	if rc.ValidateName(name) != nil || rc.ValidateFile(file) != nil {
		return "", "", "", false
	}
	return hostName, file, name, true
}

func (m *sysrcResourceModel) fromDomain(hostName string, v rc.Variable) {
	m.ID = types.StringValue(sysrcID(hostName, v.File, v.Name))
	m.Host = types.StringValue(hostName)
	m.Name = types.StringValue(v.Name)
	m.File = types.StringValue(v.File)
	m.Value = types.StringValue(v.Value)
}

func (r *sysrcResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan sysrcResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	file, name := plan.File.ValueString(), plan.Name.ValueString()
	var fail *createFailure
	if v, err := rc.Set(ctx, target, file, name, plan.Value.ValueString()); err != nil {
		fail = &createFailure{err: err, diag: hostErrorDiag("set sysrc variable", hostName, err), stage: stageMake}
	} else {
		plan.fromDomain(hostName, v)
	}
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[sysrcResourceModel]{
		hostName: hostName, what: "sysrc variable", oneCommand: true,
		readBack: func(ctx context.Context, m *sysrcResourceModel) (bool, error) {
			v, err := rc.Get(ctx, target, file, name)
			if errors.Is(err, rc.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			m.fromDomain(hostName, v)
			return true, nil
		},
	}, fail)
}

func (r *sysrcResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan sysrcResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.set(ctx, &plan)...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// set writes the planned value and puts what the host reads back into plan.
func (r *sysrcResource) set(ctx context.Context, plan *sysrcResourceModel) diag.Diagnostics {
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return diags
	}
	v, err := rc.Set(ctx, target, plan.File.ValueString(), plan.Name.ValueString(), plan.Value.ValueString())
	if err != nil {
		diags.Append(hostErrorDiag("set sysrc variable", hostName, err))
		return diags
	}
	plan.fromDomain(hostName, v)
	return diags
}

func (r *sysrcResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state sysrcResourceModel
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
	v, err := rc.Get(ctx, target, state.File.ValueString(), state.Name.ValueString())
	if readFailed(ctx, resp, err, rc.ErrNotFound, "read sysrc variable", hostName) {
		return
	}
	state.fromDomain(hostName, v)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *sysrcResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state sysrcResourceModel
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
	if err := rc.Delete(ctx, target, state.File.ValueString(), state.Name.ValueString()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove sysrc variable", hostName, err))
	}
}

func (r *sysrcResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, file, name, ok := parseSysrcID(req.ID)
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:NAME (f0:zfskeys_enable)", "HOST:FILE:NAME (f0:/boot/loader.conf:carp_load)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), sysrcID(hostName, file, name))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("file"), file)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
}
