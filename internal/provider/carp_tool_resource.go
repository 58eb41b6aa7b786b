package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/carp"
)

// CarpToolResourceType is the Terraform type name of the f3s_carp_tool resource.
const CarpToolResourceType = TypeName + "_carp_tool"

var (
	_ resource.ResourceWithConfigure   = (*carpToolResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*carpToolResource)(nil)
	_ resource.ResourceWithImportState = (*carpToolResource)(nil)
)

type carpToolResource struct {
	data *providerData
}

type carpToolModel struct {
	ID        types.String `tfsdk:"id"`
	Host      types.String `tfsdk:"host"`
	Path      types.String `tfsdk:"path"`
	BlockFile types.String `tfsdk:"block_file"`
	Status    types.String `tfsdk:"status"`
}

// NewCarpToolResource returns the f3s_carp_tool resource.
func NewCarpToolResource() resource.Resource {
	return &carpToolResource{}
}

func (r *carpToolResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = CarpToolResourceType
}

func (r *carpToolResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The article's `carp` management command on a CARP node (root's, `0755`):\n\n" +
			"- `carp` prints `CARP state on re0 (vhid 1): MASTER` for every vhid of every interface, and a warning " +
			"when auto-failback is disabled;\n" +
			"- `carp master [VHID]` and `carp backup [VHID]` force this node's state (`ifconfig IF vhid N state " +
			"master|backup`), of every vhid or of one;\n" +
			"- `carp auto-failback disable` creates `block_file`, which stops `f3s_carp_failback`; `carp " +
			"auto-failback enable` removes it.\n\n" +
			"Unlike the article's, it handles every vhid, not only the first it finds. Install it on every node " +
			"(the standby forces its state too); give it the failback's `block_file`.\n\n" +
			"Destroying the resource removes the command (not the block file).\n\n" +
			"Import ID: `HOST:PATH` (`f0:/usr/local/bin/carp`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:PATH`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host":       resourceHostAttribute(),
			"path":       carpPathAttribute("Where the command goes.", carp.DefaultToolPath),
			"block_file": carpFileAttribute("The file that blocks auto-failback.", carp.DefaultBlockFile),
			"status":     carpStatusAttribute("command's file"),
		},
	}
}

func (r *carpToolResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *carpToolResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, CarpToolResourceType, carp.CheckOS)...)
	var plan carpToolModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringUnknown()
	if !plan.Host.IsUnknown() && !plan.Path.IsUnknown() {
		plan.ID = types.StringValue(hostScopedID(plan.Host.ValueString(), plan.Path.ValueString()))
	}
	plan.Status = types.StringValue(carp.StatusOK)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (m carpToolModel) toDomain() carp.Tool {
	return carp.Tool{Path: m.Path.ValueString(), BlockFile: m.BlockFile.ValueString()}
}

func (m *carpToolModel) fromDomain(hostName string, t carp.Tool, status string) {
	m.ID = types.StringValue(hostScopedID(hostName, t.Path))
	m.Host = types.StringValue(hostName)
	m.Path = types.StringValue(t.Path)
	m.BlockFile = types.StringValue(t.BlockFile)
	m.Status = types.StringValue(status)
}

func (r *carpToolResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan carpToolModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *carpToolResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan carpToolModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *carpToolResource) apply(ctx context.Context, plan *carpToolModel, state stateSetter, diags *diag.Diagnostics) {
	hostName := plan.Host.ValueString()
	target, d := r.data.target(hostName)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	t := plan.toDomain()
	if err := carp.ApplyTool(ctx, target, t); err != nil {
		diags.Append(hostErrorDiag("install carp command", hostName, err))
	}
	readBack := func(ctx context.Context, m *carpToolModel) (bool, error) {
		s, err := carp.ReadTool(ctx, target, t)
		if errors.Is(err, carp.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		m.fromDomain(hostName, t, s)
		return true, nil
	}
	if !diags.HasError() {
		if _, err := readBack(ctx, plan); err != nil {
			diags.Append(hostErrorDiag("read carp command", hostName, err))
		}
	}
	saveApplied(ctx, state, diags, hostName, plan, readBack)
}

func (r *carpToolResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state carpToolModel
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
	t := state.toDomain()
	var err error
	if state.BlockFile.IsNull() {
		t, err = carp.ImportTool(ctx, target, state.Path.ValueString())
	}
	var s string
	if err == nil {
		s, err = carp.ReadTool(ctx, target, t)
	}
	if readFailed(ctx, resp, err, carp.ErrNotFound, "read carp command", hostName) {
		return
	}
	state.fromDomain(hostName, t, s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *carpToolResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state carpToolModel
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
	if err := carp.RemoveTool(ctx, target, state.toDomain()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove carp command", hostName, err))
	}
}

func (r *carpToolResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, p, ok := parseHostScopedID(req.ID)
	if !ok || carp.ValidateScriptPath(p) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:PATH (f0:/usr/local/bin/carp)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), p)...)
}
