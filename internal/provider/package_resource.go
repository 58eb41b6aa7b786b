package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/pkg"
)

// PackageResourceType is the Terraform type name of the f3s_package resource.
const PackageResourceType = TypeName + "_package"

var (
	_ resource.ResourceWithConfigure   = (*packageResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*packageResource)(nil)
	_ resource.ResourceWithImportState = (*packageResource)(nil)
)

type packageResource struct {
	data *providerData
}

type packageResourceModel struct {
	ID            types.String `tfsdk:"id"`
	Host          types.String `tfsdk:"host"`
	Name          types.String `tfsdk:"name"`
	Version       types.String `tfsdk:"version"`
	KeepOnDestroy types.Bool   `tfsdk:"keep_on_destroy"`
	Preexisting   types.Bool   `tfsdk:"preexisting"`
}

// NewPackageResource returns the f3s_package resource.
func NewPackageResource() resource.Resource {
	return &packageResource{}
}

func (r *packageResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = PackageResourceType
}

func (r *packageResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A binary package, installed with `pkg install -y` on FreeBSD and `dnf install -y` on " +
			"Linux, from the host's configured repositories. The installed version is read back (`pkg query %v`, " +
			"`rpm -q`); the provider does not pin or upgrade versions. A package that was removed out of band is " +
			"installed again. A name the repositories do not know fails at apply with the package manager's own " +
			"message.\n\n" +
			"**Destroy** removes the package (`pkg delete -y`, `dnf remove -y`) only if this resource installed it: " +
			"a package that was already installed when the resource was created, or that was imported " +
			"(`preexisting = true`), stays installed, as something else may need it. `keep_on_destroy` decides " +
			"either way when set. To stop managing a package without touching it, use a `removed` block with " +
			"`lifecycle { destroy = false }`.\n\n" +
			"Import ID: `HOST:NAME` (`f0:zrepl`, `r0:stunnel`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:NAME`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "The package name (`zrepl`, `stunnel`, `nfs-utils`): " + pkg.NamePattern +
					". Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Package Name", "must be a package name", pkg.ValidateName)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"version": schema.StringAttribute{
				MarkdownDescription: "The installed version as the package manager reports it: `0.6.1_1` from pkg, " +
					"`VERSION-RELEASE` such as `5.62-3.el9` from rpm.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"keep_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "`true`: leave the package installed when the resource is destroyed; `false`: remove " +
					"it, even one that was installed before (`preexisting`). Not set: remove it only if this resource " +
					"installed it.",
				Optional: true,
			},
			"preexisting": schema.BoolAttribute{
				MarkdownDescription: "Whether the package was already installed when the resource was created, or was " +
					"imported: then a destroy leaves it installed unless `keep_on_destroy = false`.",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *packageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *packageResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, PackageResourceType, pkg.CheckOS)...)
}

func (m *packageResourceModel) fromDomain(hostName string, p pkg.Package) {
	m.ID = types.StringValue(hostScopedID(hostName, p.Name))
	m.Host = types.StringValue(hostName)
	m.Name = types.StringValue(p.Name)
	m.Version = types.StringValue(p.Version)
}

func (r *packageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan packageResourceModel
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
	name := plan.Name.ValueString()
	var fail *createFailure
	// Whether it is there already decides what a destroy removes.
	if _, err := pkg.Get(ctx, target, name); err == nil {
		plan.Preexisting = types.BoolValue(true)
	} else if errors.Is(err, pkg.ErrNotFound) {
		plan.Preexisting = types.BoolValue(false)
	} else {
		resp.Diagnostics.Append(hostErrorDiag("read package", hostName, err))
		return
	}
	if p, err := pkg.Install(ctx, target, name); err != nil {
		fail = &createFailure{err: err, diag: hostErrorDiag("install package", hostName, err), stage: stageMake}
	} else {
		plan.fromDomain(hostName, p)
	}
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[packageResourceModel]{
		hostName: hostName, what: "package", oneCommand: true,
		readBack: func(ctx context.Context, m *packageResourceModel) (bool, error) {
			p, err := pkg.Get(ctx, target, name)
			if errors.Is(err, pkg.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			m.fromDomain(hostName, p)
			return true, nil
		},
	}, fail)
}

// Update only changes keep_on_destroy, which lives in state; the version is
// read again.
func (r *packageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan packageResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.readBack(ctx, &plan)...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// readBack puts the installed version into m.
func (r *packageResource) readBack(ctx context.Context, m *packageResourceModel) diag.Diagnostics {
	hostName := m.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return diags
	}
	p, err := pkg.Get(ctx, target, m.Name.ValueString())
	if err != nil {
		diags.Append(hostErrorDiag("read package", hostName, err))
		return diags
	}
	m.fromDomain(hostName, p)
	return diags
}

func (r *packageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state packageResourceModel
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
	p, err := pkg.Get(ctx, target, state.Name.ValueString())
	if readFailed(ctx, resp, err, pkg.ErrNotFound, "read package", hostName) {
		return
	}
	state.fromDomain(hostName, p)
	if state.Preexisting.IsNull() {
		// Imported: it was there before Terraform (or a state from before
		// preexisting existed: kept on destroy, the safe side).
		state.Preexisting = types.BoolValue(true)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *packageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state packageResourceModel
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
	if err := pkg.Remove(ctx, target, state.Name.ValueString()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove package", hostName, err))
	}
}

func (r *packageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, name, ok := parseHostScopedID(req.ID)
	if !ok || pkg.ValidateName(name) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:NAME (f0:zrepl)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, name))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
}

// keepOnDestroy tells whether a destroy leaves the object on the host:
// as keep says when set, otherwise when it was there before the resource
// (or its state does not say).
func keepOnDestroy(keep, preexisting types.Bool) bool {
	if !keep.IsNull() && !keep.IsUnknown() {
		return keep.ValueBool()
	}
	return preexisting.IsNull() || preexisting.ValueBool()
}
