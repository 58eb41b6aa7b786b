package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/carp"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// CarpAddressResourceType is the Terraform type name of the f3s_carp_address resource.
const CarpAddressResourceType = TypeName + "_carp_address"

var (
	_ resource.ResourceWithConfigure   = (*carpAddressResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*carpAddressResource)(nil)
	_ resource.ResourceWithImportState = (*carpAddressResource)(nil)
)

type carpAddressResource struct {
	data *providerData
}

// NewCarpAddressResource returns the f3s_carp_address resource.
func NewCarpAddressResource() resource.Resource {
	return &carpAddressResource{}
}

func (r *carpAddressResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = CarpAddressResourceType
}

func (r *carpAddressResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A CARP virtual IP on a FreeBSD host's interface: the address that moves between the " +
			"storage nodes (the article's `192.168.1.138`, vhid 1 on `re0`). Declare it on every node that shares it, " +
			"with the same `vhid`, `address` and password, and a higher `advskew` on the standby.\n\n" +
			"It is applied live (`kldload carp` when the module is missing, `ifconfig IF inet vhid N advbase B advskew " +
			"S pass ... ADDRESS/PREFIX alias`) and persisted for the next boot: an `ifconfig_IF_aliasN` variable and " +
			"`carp_load=\"YES\"` in `/boot/loader.conf`. `N` is the first free alias number of the interface, counted " +
			"over every file rc(8) reads when it configures interfaces (`/etc/rc.conf`, `/etc/rc.conf.local`, " +
			"`/etc/rc.conf.d/netif`); an alias of this vhid already there is adopted, other aliases are never " +
			"touched, except that destroying this one renumbers the aliases above it (rc stops reading at the first " +
			"gap). The chosen variable is `rc_conf_variable`.\n\n" +
			"**The password** (`password_wo`) is write-only: it reaches the host on a command's standard input, never " +
			"in a command line, the plan, the state or the logs. The state keeps a salted argon2id " +
			"`password_fingerprint`; each plan checks the configured password against it, and each refresh checks " +
			"the key the kernel holds (`ifconfig -k`, as root), so a password changed on the host shows as a change. " +
			"The boot configuration must hold the password too: the alias goes to `/etc/rc.conf.d/netif` by " +
			"default, a file rc(8) sources only for the interface scripts and that this resource keeps mode `0600`. " +
			"With `rc_file = \"/etc/rc.conf\"` (as in the article) it works the same, but `/etc/rc.conf` is " +
			"world-readable, and so is the password.\n\n" +
			"`state` (`MASTER`, `BACKUP`, `INIT`) is read on every refresh, but a failover is not drift: it never " +
			"makes a plan non-empty. Changing `address`, `prefix_length`, `vhid`, `advbase` or `advskew` changes the " +
			"live interface and the rc.conf value together (a new prefix length re-adds the address, which re-elects " +
			"the vhid). Other addresses on the same vhid are removed when the resource is applied.\n\n" +
			"Destroying the resource removes the address (and with it the vhid) and its alias variable; " +
			"`carp_load` goes when no CARP alias is left in the rc files. The module stays loaded.\n\n" +
			"Import ID: `HOST:INTERFACE:VHID` (`f0:re0:1`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:INTERFACE:VHID`.",
				Computed:            true,
			},
			"host": resourceHostAttribute(),
			"interface": schema.StringAttribute{
				MarkdownDescription: "The interface that carries the address: " + carp.InterfaceRules + ". Changing it " +
					"replaces the resource.",
				Required:      true,
				Validators:    []validator.String{domainValidator("Invalid Interface Name", "must be an interface name", carp.ValidateInterface)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"vhid": schema.Int64Attribute{
				MarkdownDescription: "The virtual host ID, 1 to 255: the same on every node that shares the address.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.Between(carp.MinVHID, carp.MaxVHID)},
			},
			"address": schema.StringAttribute{
				MarkdownDescription: "The virtual IPv4 address, without prefix length (`192.168.1.138`).",
				Required:            true,
				Validators:          []validator.String{domainValidator("Invalid Address", "must be an IPv4 address", carp.ValidateAddress)},
			},
			"prefix_length": schema.Int64Attribute{
				MarkdownDescription: "The address's prefix length, `32` by default (the article's `/32`).",
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(carp.DefaultPrefix),
				Validators:          []validator.Int64{int64validator.Between(carp.MinPrefix, carp.MaxPrefix)},
			},
			"advbase": schema.Int64Attribute{
				MarkdownDescription: "Seconds between advertisements (1 to 255), `1` by default.",
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(carp.DefaultAdvbase),
				Validators:          []validator.Int64{int64validator.Between(carp.MinAdvbase, carp.MaxAdvbase)},
			},
			"advskew": schema.Int64Attribute{
				MarkdownDescription: "Skew added to the advertisement interval (0 to 254), `0` by default. The node " +
					"with the lowest skew is preferred: give the standby a higher one (`100`).",
				Optional:   true,
				Computed:   true,
				Default:    int64default.StaticInt64(carp.DefaultAdvskew),
				Validators: []validator.Int64{int64validator.Between(carp.MinAdvskew, carp.MaxAdvskew)},
			},
			"password_wo": schema.StringAttribute{
				MarkdownDescription: "The CARP password, write-only (Terraform 1.11+): never stored in the plan or the " +
					"state. The same on every node. " + carp.PasswordRules + ". Each plan checks it against the " +
					"fingerprint, so a new password is written at the next apply even without a new " +
					"`password_wo_version`.",
				Required:   true,
				WriteOnly:  true,
				Sensitive:  true,
				Validators: []validator.String{domainValidator("Invalid Password", "must be a CARP password", carp.ValidatePassword)},
			},
			"password_wo_version": schema.Int64Attribute{
				MarkdownDescription: "A number to change whenever `password_wo` changes, the convention of write-only " +
					"attributes: the plan then shows the change as a new fingerprint. (A new password is seen without " +
					"it too, as the plan checks the password against the fingerprint.)",
				Optional: true,
			},
			"rc_file": schema.StringAttribute{
				MarkdownDescription: "The file that holds the alias variable: `" + carp.NetifRCFile + "` by default " +
					"(mode 0600, read by rc only for the interfaces), or `/etc/rc.conf` (world-readable, as in the " +
					"article) or `/etc/rc.conf.local`. Changing it moves the variable.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(carp.NetifRCFile),
				Validators: []validator.String{stringvalidator.OneOf(carp.RCFiles...)},
			},
			"password_fingerprint": schema.StringAttribute{
				MarkdownDescription: "A salted argon2id fingerprint of the password (PHC string format), so that a " +
					"changed password is seen without keeping it. It reveals nothing usable of the password.",
				Computed: true,
			},
			"rc_conf_variable": schema.StringAttribute{
				MarkdownDescription: "The alias variable that configures the address at boot (`ifconfig_re0_alias0`).",
				Computed:            true,
			},
			"rc_conf_value": schema.StringAttribute{
				MarkdownDescription: "Its value with the password masked: `" + carp.MaskPassword + "` when it is the " +
					"configured one, `" + carp.MaskOtherPassword + "` when not (`inet vhid 1 pass (password) alias " +
					"192.168.1.138/32`).",
				Computed: true,
			},
			"carp_load": schema.StringAttribute{
				MarkdownDescription: "The value of `carp_load` in `/boot/loader.conf`: `YES` once applied.",
				Computed:            true,
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "The vhid's CARP state on this node at the last refresh: `MASTER`, `BACKUP` or " +
					"`INIT` (null when the vhid is not on the interface). Read only: a failover never shows as a change. " +
					"For a current reading use the `f3s_carp_state` data source.",
				Computed: true,
			},
		},
	}
}

func (r *carpAddressResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// ModifyPlan plans what the apply makes true: the rc.conf value rendered
// from the configuration, carp_load YES, and the fingerprint kept while
// the configured password verifies against it. state and
// rc_conf_variable stay as read unless something else changes, since an
// apply may change them.
func (r *carpAddressResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, CarpAddressResourceType, carp.CheckOS)...)
	var plan, config carpAddressModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var prior *carpAddressModel
	if !req.State.Raw.IsNull() {
		prior = &carpAddressModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringUnknown()
	if !plan.Host.IsUnknown() && !plan.Interface.IsUnknown() && !plan.VHID.IsUnknown() {
		plan.ID = types.StringValue(carpAddressID(plan.Host.ValueString(), plan.Interface.ValueString(), plan.VHID.ValueInt64()))
	}
	plan.RCConfValue = types.StringUnknown()
	if a, ok := plan.declared(); ok {
		a.Password = "x" // any: only its mask shows
		plan.RCConfValue = types.StringValue(a.Masked(carp.MaskPassword))
	}
	plan.CarpLoad = types.StringValue("YES")

	plan.PasswordFingerprint = types.StringUnknown()
	plan.RCConfVariable = types.StringUnknown()
	plan.State = types.StringUnknown()
	if prior != nil {
		pw := config.PasswordWO
		switch {
		case !plan.PasswordWOVersion.Equal(prior.PasswordWOVersion) || prior.PasswordFingerprint.IsNull():
		case pw.IsUnknown():
			plan.PasswordFingerprint = prior.PasswordFingerprint // not known before apply: nothing to compare yet
		case carp.VerifyFingerprint(pw.ValueString(), prior.PasswordFingerprint.ValueString()):
			plan.PasswordFingerprint = prior.PasswordFingerprint
		}
		if plan.unchanged(*prior) {
			plan.State, plan.RCConfVariable = prior.State, prior.RCConfVariable
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *carpAddressResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan carpAddressModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, req.Config, &plan, nil, &resp.State, &resp.Diagnostics)
}

func (r *carpAddressResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior carpAddressModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, req.Config, &plan, &prior, &resp.State, &resp.Diagnostics)
}

// apply makes the address as planned, reads it back into plan and saves
// it; after a failure it saves what the host has.
func (r *carpAddressResource) apply(ctx context.Context, config tfsdk.Config, plan, prior *carpAddressModel, state stateSetter, diags *diag.Diagnostics) {
	hostName := plan.Host.ValueString()
	target, d := r.data.target(hostName)
	diags.Append(d...)
	a, d := plan.toDomain(ctx, config)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	if plan.PasswordFingerprint.IsUnknown() {
		fp, err := carp.Fingerprint(a.Password)
		if err != nil {
			diags.Append(hostErrorDiag("fingerprint CARP password", hostName, err))
			return
		}
		plan.PasswordFingerprint = types.StringValue(fp)
	}
	var err error
	if prior != nil && prior.VHID.ValueInt64() != int64(a.VHID) {
		// A new vhid: the old one goes first, so that its address is free
		// to move (and the old vhid does not linger without one).
		err = carp.Remove(ctx, target, a.Interface, int(prior.VHID.ValueInt64()))
	}
	if err == nil {
		err = carp.Apply(ctx, target, a)
	}
	if err != nil {
		diags.Append(hostErrorDiag("apply CARP address", hostName, err))
	} else {
		diags.Append(r.readBack(ctx, target, plan)...)
	}
	saveApplied(ctx, state, diags, hostName, plan, func(ctx context.Context, m *carpAddressModel) (bool, error) {
		o, err := carp.Read(ctx, target, m.Interface.ValueString(), int(m.VHID.ValueInt64()))
		if errors.Is(err, carp.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return true, m.fromObserved(hostName, o)
	})
}

func (r *carpAddressResource) readBack(ctx context.Context, target host.Target, m *carpAddressModel) diag.Diagnostics {
	var diags diag.Diagnostics
	hostName := m.Host.ValueString()
	o, err := carp.Read(ctx, target, m.Interface.ValueString(), int(m.VHID.ValueInt64()))
	if err == nil {
		err = m.fromObserved(hostName, o)
	}
	if err != nil {
		diags.Append(hostErrorDiag("read CARP address", hostName, err))
	}
	return diags
}

func (r *carpAddressResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state carpAddressModel
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
	o, err := carp.Read(ctx, target, state.Interface.ValueString(), int(state.VHID.ValueInt64()))
	if err == nil {
		err = state.fromObserved(hostName, o)
	}
	if readFailed(ctx, resp, err, carp.ErrNotFound, "read CARP address", hostName) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *carpAddressResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state carpAddressModel
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
	if err := carp.Remove(ctx, target, state.Interface.ValueString(), int(state.VHID.ValueInt64())); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove CARP address", hostName, err))
	}
}

func (r *carpAddressResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, iface, vhid, ok := parseCarpAddressID(req.ID)
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:INTERFACE:VHID (f0:re0:1)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("interface"), iface)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("vhid"), int64(vhid))...)
}
