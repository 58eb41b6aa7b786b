package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// checkHostOS is the plan-time check, for a resource's ModifyPlan, that the
// planned host runs an OS the resource applies to. It connects to the host
// (the OS is detected once per host and cached). It is quiet on destroy and
// while the host, or its settings, are not known yet: apply will tell.
func (d *providerData) checkHostOS(ctx context.Context, plan tfsdk.Plan, resourceType string, check func(host.Info) error) diag.Diagnostics {
	var diags diag.Diagnostics
	if plan.Raw.IsNull() || d == nil || d.pool == nil {
		return diags
	}
	var name types.String
	diags.Append(plan.GetAttribute(ctx, path.Root(hostAttributeName), &name)...)
	if diags.HasError() || name.IsNull() || name.IsUnknown() {
		return diags
	}
	if _, deferred := d.deferred[name.ValueString()]; deferred {
		return diags
	}
	target, tdiags := d.target(name.ValueString())
	if tdiags.HasError() {
		return diags // checkHostInConfig reports an unknown host
	}
	info, err := target.Info(ctx)
	if err != nil {
		diags.Append(hostErrorDiag("detect the operating system", name.ValueString(), err))
		return diags
	}
	if err := check(info); err != nil {
		diags.Append(unsupportedOSDiag(resourceType, name.ValueString(), err))
	}
	return diags
}
