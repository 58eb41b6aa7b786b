package provider

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwpath "github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/carp"
	"github.com/f3s-storage/terraform-provider-f3s/internal/service"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// CarpHookResourceType is the Terraform type name of the f3s_carp_hook resource.
const CarpHookResourceType = TypeName + "_carp_hook"

var (
	_ resource.ResourceWithConfigure   = (*carpHookResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*carpHookResource)(nil)
	_ resource.ResourceWithImportState = (*carpHookResource)(nil)
)

type carpHookResource struct {
	data *providerData
}

type carpHookModel struct {
	ID               types.String `tfsdk:"id"`
	Host             types.String `tfsdk:"host"`
	Interface        types.String `tfsdk:"interface"`
	VHID             types.Int64  `tfsdk:"vhid"`
	Services         types.List   `tfsdk:"services"`
	RequiredDatasets types.List   `tfsdk:"required_datasets"`
	ScriptPath       types.String `tfsdk:"script_path"`
	RuleFile         types.String `tfsdk:"rule_file"`
	Priority         types.Int64  `tfsdk:"priority"`
	RunOnApply       types.Bool   `tfsdk:"run_on_apply"`
	ScriptStatus     types.String `tfsdk:"script_status"`
	RuleStatus       types.String `tfsdk:"rule_status"`
}

// NewCarpHookResource returns the f3s_carp_hook resource.
func NewCarpHookResource() resource.Resource {
	return &carpHookResource{}
}

func (r *carpHookResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = CarpHookResourceType
}

// interfaceAttribute and vhidAttribute name the vhid a CARP resource
// serves; a new one is a new object.
func carpInterfaceAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The interface of the CARP vhid: " + carp.InterfaceRules + ". Changing it replaces the resource.",
		Required:            true,
		Validators:          []validator.String{domainValidator("Invalid Interface Name", "must be an interface name", carp.ValidateInterface)},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

func carpVHIDAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: "The CARP vhid, 1 to 255 (`f3s_carp_address.NAME.vhid`, which also orders a destroy " +
			"before the address's). Changing it replaces the resource.",
		Required:      true,
		Validators:    []validator.Int64{int64validator.Between(carp.MinVHID, carp.MaxVHID)},
		PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
	}
}

// carpPathAttribute is a generated file's path.
func carpPathAttribute(description, def string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " `" + def + "` by default (" + carp.ScriptPathRules + "). Changing it " +
			"replaces the resource.",
		Optional:      true,
		Computed:      true,
		Default:       stringdefault.StaticString(def),
		Validators:    []validator.String{domainValidator("Invalid Path", "must be "+carp.ScriptPathRules, carp.ValidateScriptPath)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

func carpStatusAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The condition of the " + what + " on the host: `ok`, `missing`, `content differs`, " +
			"`mode 0644 (want 0755)`, .... Anything but `ok` shows in the plan and is repaired by the apply.",
		Computed: true,
	}
}

// validateDevdRuleFile accepts a *.conf file in a directory devd reads.
func validateDevdRuleFile(p string) error {
	if err := carp.ValidateScriptPath(p); err != nil {
		return err
	}
	if d := path.Dir(p); (d != "/etc/devd" && d != "/usr/local/etc/devd") || !strings.HasSuffix(p, ".conf") {
		return fmt.Errorf("%q is not read by devd: name a .conf file in /usr/local/etc/devd (or /etc/devd)", p)
	}
	return nil
}

func validateServiceName(s string) error {
	if strings.HasPrefix(s, "-") {
		return fmt.Errorf("%q starts with '-', which a command would read as an option", s)
	}
	return service.ValidateName(s)
}

func (r *carpHookResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The devd(8) hook of a CARP vhid: a rule in `/usr/local/etc/devd/` that matches " +
			"`system=CARP`, the subsystem `VHID@INTERFACE` and the types `MASTER` and `BACKUP`, and the control " +
			"script it runs as `SCRIPT $subsystem $type`. The script is generated from `services`: on MASTER it " +
			"starts them in order (`service NAME onestart`, so they need not be enabled at boot), on BACKUP it stops " +
			"them in reverse order, and it logs every action with `logger -t carpcontrol`.\n\n" +
			"Where the article errs, this hook does not: its script takes the state from its **second** argument " +
			"(the article's switches on `$1`, which is the subsystem, so it never sees MASTER or BACKUP). And on " +
			"MASTER it starts nothing until every dataset in `required_datasets` is mounted: a standby whose key is " +
			"not loaded must not export the empty directory beneath; it logs why and exits 1 instead.\n\n" +
			"devd is restarted only when the rule changes (it reads its rules at start). With `run_on_apply` (the " +
			"default) an apply that changes the hook runs the script once for the vhid's current state, so that a " +
			"MASTER starts its services without waiting for the next transition; a failure of that run is a " +
			"warning.\n\n" +
			"Manage the services' packages and configuration elsewhere, but not their running state: an " +
			"`f3s_service` with `state = \"running\"` would fight the hook after every failover. Leaving them " +
			"disabled at boot (`enabled = false`) keeps a BACKUP node from starting them at boot.\n\n" +
			"Destroying the hook removes the rule (restarting devd) and the script; the services stay as they are.\n\n" +
			"Import ID: `HOST:RULE_FILE` (`f0:/usr/local/etc/devd/carp.conf`); the rule names the script, whose " +
			"settings give the rest.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:RULE_FILE`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host":      resourceHostAttribute(),
			"interface": carpInterfaceAttribute(),
			"vhid":      carpVHIDAttribute(),
			"services": schema.ListAttribute{
				MarkdownDescription: "The rc.d services to start on MASTER, in order, and to stop on BACKUP, in reverse " +
					"order (the article: `[\"rpcbind\", \"mountd\", \"nfsd\", \"nfsuserd\", \"stunnel\"]`).",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(domainValidator("Invalid Service Name", "must be a service name", validateServiceName)),
				},
			},
			"required_datasets": schema.ListAttribute{
				MarkdownDescription: "ZFS datasets that must be mounted before the services start on MASTER (on the " +
					"primary `zdata/enc/nfsdata`, on the standby its replicated copy). Unset, nothing is checked.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(domainValidator("Invalid Dataset Name", "must be a dataset name", zfs.ValidateDatasetName)),
				},
			},
			"script_path": carpPathAttribute("The control script.", carp.DefaultHookScript),
			"rule_file": func() schema.StringAttribute {
				a := carpPathAttribute("The devd rule file, a `.conf` file in `/usr/local/etc/devd` or `/etc/devd`.", carp.DefaultHookRule)
				a.Validators = []validator.String{domainValidator("Invalid Path", "must be a .conf file devd reads", validateDevdRuleFile)}
				return a
			}(),
			"priority": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The rule's devd priority, `%d` by default. devd runs only the "+
					"highest-priority rule that matches an event, so this one wins over a leftover rule of priority 0 "+
					"(the article's, appended to `/etc/devd.conf`).", carp.DefaultHookPriority),
				Optional:   true,
				Computed:   true,
				Default:    int64default.StaticInt64(carp.DefaultHookPriority),
				Validators: []validator.Int64{int64validator.Between(0, 100000)},
			},
			"run_on_apply": schema.BoolAttribute{
				MarkdownDescription: "Run the script once for the vhid's current state when an apply changes the hook. " +
					"`true` by default.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"script_status": carpStatusAttribute("control script"),
			"rule_status":   carpStatusAttribute("devd rule file"),
		},
	}
}

func (r *carpHookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *carpHookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, CarpHookResourceType, carp.CheckOS)...)
	var plan carpHookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringUnknown()
	if !plan.Host.IsUnknown() && !plan.RuleFile.IsUnknown() {
		plan.ID = types.StringValue(hostScopedID(plan.Host.ValueString(), plan.RuleFile.ValueString()))
	}
	plan.ScriptStatus = types.StringValue(carp.StatusOK)
	plan.RuleStatus = types.StringValue(carp.StatusOK)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (m carpHookModel) toDomain(ctx context.Context) (carp.Hook, diag.Diagnostics) {
	services, _, diags := listStrings(ctx, m.Services)
	datasets, _, d := listStrings(ctx, m.RequiredDatasets)
	diags.Append(d...)
	return carp.Hook{
		Interface: m.Interface.ValueString(), VHID: int(m.VHID.ValueInt64()), Services: services, Datasets: datasets,
		ScriptPath: m.ScriptPath.ValueString(), RuleFile: m.RuleFile.ValueString(), Priority: int(m.Priority.ValueInt64()),
	}, diags
}

func (m *carpHookModel) fromDomain(hostName string, h carp.Hook, f carp.HookFiles) {
	m.ID = types.StringValue(hostScopedID(hostName, h.RuleFile))
	m.Host = types.StringValue(hostName)
	m.Interface = types.StringValue(h.Interface)
	m.VHID = types.Int64Value(int64(h.VHID))
	m.Services = stringList(h.Services)
	m.RequiredDatasets = stringList(h.Datasets)
	m.ScriptPath = types.StringValue(h.ScriptPath)
	m.RuleFile = types.StringValue(h.RuleFile)
	m.Priority = types.Int64Value(int64(h.Priority))
	if m.RunOnApply.IsNull() || m.RunOnApply.IsUnknown() {
		m.RunOnApply = types.BoolValue(true)
	}
	m.ScriptStatus = types.StringValue(f.Script)
	m.RuleStatus = types.StringValue(f.Rule)
}

func (r *carpHookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan carpHookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *carpHookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan carpHookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *carpHookResource) apply(ctx context.Context, plan *carpHookModel, state stateSetter, diags *diag.Diagnostics) {
	hostName := plan.Host.ValueString()
	target, d := r.data.target(hostName)
	diags.Append(d...)
	h, d := plan.toDomain(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	done, err := carp.ApplyHook(ctx, target, h, plan.RunOnApply.ValueBool())
	if err != nil {
		diags.Append(hostErrorDiag("apply CARP hook", hostName, err))
	}
	if done.RunErr != nil {
		diags.Append(carpHookRunDiag(hostName, h, done.Ran, done.RunErr))
	}
	readBack := func(ctx context.Context, m *carpHookModel) (bool, error) {
		f, err := carp.ReadHook(ctx, target, h)
		if errors.Is(err, carp.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		m.fromDomain(hostName, h, f)
		return true, nil
	}
	if !diags.HasError() {
		if _, err := readBack(ctx, plan); err != nil {
			diags.Append(hostErrorDiag("read CARP hook", hostName, err))
		}
	}
	saveApplied(ctx, state, diags, hostName, plan, readBack)
}

func (r *carpHookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state carpHookModel
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
	var h carp.Hook
	var err error
	if state.Services.IsNull() {
		// Just imported: the host's files say what the hook is.
		h, err = carp.ImportHook(ctx, target, state.RuleFile.ValueString())
	} else {
		var d diag.Diagnostics
		h, d = state.toDomain(ctx)
		resp.Diagnostics.Append(d...)
	}
	var f carp.HookFiles
	if err == nil {
		f, err = carp.ReadHook(ctx, target, h)
	}
	if readFailed(ctx, resp, err, carp.ErrNotFound, "read CARP hook", hostName) {
		return
	}
	state.fromDomain(hostName, h, f)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *carpHookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state carpHookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := state.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	h, d := state.toDomain(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := carp.RemoveHook(ctx, target, h); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove CARP hook", hostName, err))
	}
}

func (r *carpHookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, p, ok := parseHostScopedID(req.ID)
	if !ok || validateDevdRuleFile(p) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:RULE_FILE (f0:/usr/local/etc/devd/carp.conf)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, fwpath.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, fwpath.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, fwpath.Root("rule_file"), p)...)
}
