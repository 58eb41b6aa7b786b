package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/service"
)

// ServiceResourceType is the Terraform type name of the f3s_service resource.
const ServiceResourceType = TypeName + "_service"

// serviceImportedKey marks, in private state, a resource just imported:
// its first Read records the service's state even though state is unset.
const serviceImportedKey = "imported"

var (
	_ resource.ResourceWithConfigure   = (*serviceResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*serviceResource)(nil)
	_ resource.ResourceWithImportState = (*serviceResource)(nil)
)

type serviceResource struct {
	data *providerData
}

type serviceResourceModel struct {
	ID       types.String `tfsdk:"id"`
	Host     types.String `tfsdk:"host"`
	Name     types.String `tfsdk:"name"`
	Enabled  types.Bool   `tfsdk:"enabled"`
	State    types.String `tfsdk:"state"`
	Triggers types.Map    `tfsdk:"triggers"`
	RCVar    types.String `tfsdk:"rcvar"`
	Unit     types.String `tfsdk:"unit"`
	Keep     types.Bool   `tfsdk:"keep_on_destroy"`
	Existed  types.Bool   `tfsdk:"preexisting"`
}

// NewServiceResource returns the f3s_service resource.
func NewServiceResource() resource.Resource {
	return &serviceResource{}
}

func (r *serviceResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ServiceResourceType
}

func (r *serviceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A system service: on FreeBSD an rc.d script, enabled through its rcvar (`zrepl_enable`) " +
			"in `/etc/rc.conf` and started with `service`; on Linux a systemd unit, enabled and started with " +
			"`systemctl`. Whether it runs is read from `service NAME status` or `systemctl is-active` and their exit " +
			"codes, never assumed from a start command. `triggers` restart a running service when they change, so a " +
			"changed configuration file restarts what reads it.\n\n" +
			"**Destroy** stops the service and disables it (on FreeBSD its rcvar assignment leaves `/etc/rc.conf`, " +
			"so the script's default, normally `NO`, applies again; on Linux the unit is disabled), but only if " +
			"the resource brought it up: a service that was already enabled or running when the resource was " +
			"created, or that was imported (`preexisting = true`), is left as it is. `keep_on_destroy` decides " +
			"either way when set. On Rocky Linux a package's installation may enable its unit (presets, " +
			"`rpcbind`): such a service counts as preexisting too; set `keep_on_destroy = false` to have the " +
			"destroy stop it.\n\n" +
			"Import ID: `HOST:NAME` (`f0:zrepl`, `r0:stunnel`). Import records whether the service runs in `state`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:NAME`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "The rc.d script (FreeBSD: `zrepl`, `stunnel`, `nfsd`) or systemd unit (Linux: " +
					"`stunnel`, meaning `stunnel.service`, or a full unit name such as `nfs-mount-monitor.timer`): " +
					service.NamePattern + ". Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Service Name", "must be a service or unit name", service.ValidateName)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the service starts at boot. On FreeBSD this sets its rcvar to `YES` or " +
					"`NO` in `/etc/rc.conf` (through `sysrc`); on Linux `systemctl enable` or `disable`. Defaults to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "`running` or `stopped`. Unset, the provider neither starts nor stops the service " +
					"(triggers still restart it when it runs). An rc.d script without a `status` command cannot have a state.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(service.States()...)},
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values (for example the hash of a configuration file) that restart the " +
					"service, if it runs, when any of them changes. Setting triggers for the first time does not restart it.",
				Optional:    true,
				ElementType: types.StringType,
			},
			"rcvar": schema.StringAttribute{
				MarkdownDescription: "FreeBSD: the rc.conf variable that enables the service, from `service NAME rcvar`. " +
					"Null on Linux.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"keep_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "`true`: leave the service as it is when the resource is destroyed; `false`: stop " +
					"and disable it, even one that ran before (`preexisting`). Not set: only if the resource brought it up.",
				Optional: true,
			},
			"preexisting": schema.BoolAttribute{
				MarkdownDescription: "Whether the service was already enabled or running when the resource was " +
					"created, or was imported: then a destroy leaves it as it is unless `keep_on_destroy = false`.",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"unit": schema.StringAttribute{
				MarkdownDescription: "Linux: the systemd unit acted on (`stunnel.service`). Null on FreeBSD.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *serviceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *serviceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, ServiceResourceType, service.CheckOS)...)
}

// fromDomain records what the host reports. state is only recorded when
// it is managed (or on import).
func (m *serviceResourceModel) fromDomain(hostName string, s service.Status, recordState bool) {
	m.ID = types.StringValue(hostScopedID(hostName, s.Name))
	m.Host = types.StringValue(hostName)
	m.Name = types.StringValue(s.Name)
	m.Enabled = types.BoolValue(s.Enabled)
	if recordState {
		m.State = types.StringValue(s.State())
	}
	m.RCVar = optionalString(s.RCVar)
	m.Unit = optionalString(s.Unit)
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func (m serviceResourceModel) desired(restart bool) service.Desired {
	return service.Desired{
		Name:    m.Name.ValueString(),
		Enabled: m.Enabled.ValueBool(),
		State:   m.State.ValueString(),
		Restart: restart,
	}
}

func (r *serviceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan serviceResourceModel
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
	// Whether it was up before decides what a destroy undoes.
	before, err := service.Get(ctx, target, plan.Name.ValueString())
	switch {
	case err == nil:
		plan.Existed = types.BoolValue(before.Enabled || before.Running)
	case errors.Is(err, service.ErrNotFound):
		plan.Existed = types.BoolValue(false)
	default:
		resp.Diagnostics.Append(hostErrorDiag("read service", hostName, err))
		return
	}
	// The service exists before it is enabled or started: a failure
	// leaves whatever was done (enabling, say) in state, tainted.
	var fail *createFailure
	if s, err := service.Apply(ctx, target, plan.desired(false)); err != nil {
		fail = &createFailure{err: err, diag: hostErrorDiag("configure service", hostName, err), stage: stageChange}
	} else {
		plan.fromDomain(hostName, s, !plan.State.IsNull())
	}
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[serviceResourceModel]{
		hostName: hostName, what: "service", readBack: r.readBack,
	}, fail)
}

func (r *serviceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior serviceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Triggers set for the first time (or after import) restart nothing:
	// there is no earlier value to have changed from.
	restart := !prior.Triggers.IsNull() && !plan.Triggers.Equal(prior.Triggers)
	resp.Diagnostics.Append(r.apply(ctx, &plan, restart)...)
	saveApplied(ctx, &resp.State, &resp.Diagnostics, plan.Host.ValueString(), &plan, r.readBack)
}

// readBack reads the service after a failed apply: enabling may have
// happened before starting failed.
func (r *serviceResource) readBack(ctx context.Context, m *serviceResourceModel) (bool, error) {
	hostName := m.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return false, nil
	}
	s, err := service.Get(ctx, target, m.Name.ValueString())
	if errors.Is(err, service.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	m.fromDomain(hostName, s, !m.State.IsNull())
	return true, nil
}

func (r *serviceResource) apply(ctx context.Context, plan *serviceResourceModel, restart bool) diag.Diagnostics {
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return diags
	}
	s, err := service.Apply(ctx, target, plan.desired(restart))
	if err != nil {
		diags.Append(hostErrorDiag("configure service", hostName, err))
		return diags
	}
	plan.fromDomain(hostName, s, !plan.State.IsNull())
	return diags
}

func (r *serviceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state serviceResourceModel
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
	s, err := service.Get(ctx, target, state.Name.ValueString())
	if readFailed(ctx, resp, err, service.ErrNotFound, "read service", hostName) {
		return
	}
	imported, d := req.Private.GetKey(ctx, serviceImportedKey)
	resp.Diagnostics.Append(d...)
	if imported != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, serviceImportedKey, nil)...)
	}
	state.fromDomain(hostName, s, !state.State.IsNull() || (imported != nil && s.HasStatus))
	if state.Existed.IsNull() {
		// Imported: it was there before Terraform (or a state from before
		// preexisting existed: left as it is on destroy, the safe side).
		state.Existed = types.BoolValue(true)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *serviceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state serviceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || keepOnDestroy(state.Keep, state.Existed) {
		return
	}
	hostName := state.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := service.Remove(ctx, target, state.Name.ValueString()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("stop and disable service", hostName, err))
	}
}

func (r *serviceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, name, ok := parseHostScopedID(req.ID)
	if !ok || service.ValidateName(name) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:NAME (f0:zrepl)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, name))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, serviceImportedKey, []byte("true"))...)
}
