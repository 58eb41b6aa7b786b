package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/linux"
	"github.com/f3s-storage/terraform-provider-f3s/internal/service"
)

// SystemdUnitResourceType is the Terraform type name of the f3s_systemd_unit resource.
const SystemdUnitResourceType = TypeName + "_systemd_unit"

var (
	_ resource.ResourceWithConfigure   = (*systemdUnitResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*systemdUnitResource)(nil)
	_ resource.ResourceWithImportState = (*systemdUnitResource)(nil)
)

type systemdUnitResource struct {
	data *providerData
}

type systemdUnitResourceModel struct {
	ID      types.String `tfsdk:"id"`
	Host    types.String `tfsdk:"host"`
	Name    types.String `tfsdk:"name"`
	Content types.String `tfsdk:"content"`
	Enabled types.Bool   `tfsdk:"enabled"`
	State   types.String `tfsdk:"state"`
	Path    types.String `tfsdk:"path"`
}

// NewSystemdUnitResource returns the f3s_systemd_unit resource.
func NewSystemdUnitResource() resource.Resource {
	return &systemdUnitResource{}
}

func (r *systemdUnitResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = SystemdUnitResourceType
}

func (r *systemdUnitResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A systemd unit file (service, timer, mount, path, ...) in `/etc/systemd/system` on a Linux host " +
			"(Rocky Linux, Fedora), with whether it is enabled and whether it runs. The file is written only when its " +
			"content differs, and `systemctl daemon-reload` runs only then; a running service whose file changed is " +
			"restarted. Read reads the file and `systemctl is-enabled`/`is-active`: an edited file, or a unit disabled " +
			"or stopped by hand, shows in the plan.\n\n" +
			"A unit without an `[Install]` section is `static`: it counts as enabled and cannot be disabled.\n\n" +
			"Destroying the resource stops and disables the unit, removes the file and reloads systemd.\n\n" +
			"Import ID: `HOST:UNIT` (`r0:backup.timer`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:UNIT`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "The unit's name with its type: `backup.service`, `backup.timer`. Changing it " +
					"replaces the resource.",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Unit Name", "must be a systemd unit name", linux.ValidateUnitName)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"content": schema.StringAttribute{
				MarkdownDescription: "The unit file's text, as systemd.unit(5) reads it.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether it starts at boot (`systemctl enable`, through its `[Install]` section). " +
					"Defaults to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "`running` or `stopped` (`systemctl start`/`stop`; for a timer, whether it is " +
					"armed). Unset, the provider neither starts nor stops it.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(service.States()...)},
			},
			"path": schema.StringAttribute{
				MarkdownDescription: "The unit file, `/etc/systemd/system/NAME`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *systemdUnitResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *systemdUnitResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, SystemdUnitResourceType, linux.CheckOS)...)
}

func (m *systemdUnitResourceModel) fromHost(hostName string, s linux.UnitStatus, recordState bool) {
	m.ID = types.StringValue(hostScopedID(hostName, s.Name))
	m.Host = types.StringValue(hostName)
	m.Name = types.StringValue(s.Name)
	m.Content = types.StringValue(s.Content)
	m.Enabled = types.BoolValue(s.Enabled)
	if recordState {
		m.State = types.StringValue(service.Stopped)
		if s.Active {
			m.State = types.StringValue(service.Running)
		}
	}
	m.Path = types.StringValue(linux.UnitPath(s.Name))
}

func (r *systemdUnitResource) apply(ctx context.Context, plan *systemdUnitResourceModel) *createFailure {
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return &createFailure{err: diagsError(diags), diag: diags.Errors()[0], stage: stageMake}
	}
	s, err := linux.ApplyUnit(ctx, target, linux.Unit{
		Name: plan.Name.ValueString(), Content: plan.Content.ValueString(), Enabled: plan.Enabled.ValueBool(), State: plan.State.ValueString(),
	})
	if err != nil {
		return &createFailure{err: err, diag: hostErrorDiag("install systemd unit", hostName, err), stage: stageChange}
	}
	plan.fromHost(hostName, s, !plan.State.IsNull())
	return nil
}

func (r *systemdUnitResource) readBack(ctx context.Context, m *systemdUnitResourceModel) (bool, error) {
	hostName := m.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return false, diagsError(diags)
	}
	s, err := linux.ReadUnit(ctx, target, m.Name.ValueString())
	if errors.Is(err, linux.ErrUnitNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	m.fromHost(hostName, s, !m.State.IsNull())
	return true, nil
}

func (r *systemdUnitResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan systemdUnitResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	fail := r.apply(ctx, &plan)
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[systemdUnitResourceModel]{
		hostName: plan.Host.ValueString(), what: "systemd unit", readBack: r.readBack,
	}, fail)
}

func (r *systemdUnitResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan systemdUnitResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if fail := r.apply(ctx, &plan); fail != nil {
		resp.Diagnostics.Append(fail.diag)
	}
	saveApplied(ctx, &resp.State, &resp.Diagnostics, plan.Host.ValueString(), &plan, r.readBack)
}

func (r *systemdUnitResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state systemdUnitResourceModel
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
	s, err := linux.ReadUnit(ctx, target, state.Name.ValueString())
	if readFailed(ctx, resp, err, linux.ErrUnitNotFound, "read systemd unit", hostName) {
		return
	}
	imported, d := req.Private.GetKey(ctx, serviceImportedKey)
	resp.Diagnostics.Append(d...)
	if imported != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, serviceImportedKey, nil)...)
	}
	state.fromHost(hostName, s, !state.State.IsNull() || imported != nil)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *systemdUnitResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state systemdUnitResourceModel
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
	if err := linux.RemoveUnit(ctx, target, state.Name.ValueString()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove systemd unit", hostName, err))
	}
}

func (r *systemdUnitResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, name, ok := parseHostScopedID(req.ID)
	if !ok || linux.ValidateUnitName(name) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:UNIT (r0:backup.timer)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, name))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, serviceImportedKey, []byte("true"))...)
}
