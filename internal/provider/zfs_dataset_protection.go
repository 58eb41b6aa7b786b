package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A dataset holds data that nothing can make again: its destroy, whether
// asked for (terraform destroy, the block removed) or implied (a
// replacement), is refused while deletion_protection is on. The refusal
// comes at plan time, before anything else in the apply runs; Delete
// refuses too, for a state that never went through such a plan.

// protectedDestroyPlanned refuses the destroy plan of a protected dataset.
func protectedDestroyPlanned(state tftypes.Value) diag.Diagnostics {
	if state.IsNull() {
		return nil
	}
	var m zfsDatasetResourceModel
	if diags := zfsDatasetCodec.get(state, &m); diags.HasError() {
		return diags
	}
	if !m.Protection.IsNull() && !m.Protection.ValueBool() {
		return nil
	}
	return diag.Diagnostics{protectedDatasetDiag(m.Host.ValueString(), m.Name.ValueString(), "destroy")}
}

// protectedReplacePlanned refuses a replacement of a protected dataset,
// naming what forces it. Only a value known at plan time is certain to
// replace; an unknown one may, and gets a warning.
func protectedReplacePlanned(config, state zfsDatasetResourceModel, replace path.Paths) diag.Diagnostics {
	if !state.Protection.IsNull() && !state.Protection.ValueBool() {
		return nil
	}
	var certain, maybe []string
	note := func(name string, unknown bool) {
		if unknown {
			maybe = append(maybe, name)
		} else {
			certain = append(certain, name)
		}
	}
	for _, p := range replace {
		switch p.String() {
		case "name":
			note("name (another pool)", config.Name.IsUnknown())
		case "encryption":
			note("encryption", config.Encryption.IsUnknown())
		case "keyformat":
			note("keyformat", config.KeyFormat.IsUnknown())
		}
	}
	// type's own plan modifier (RequiresReplaceIfConfigured) replaces the
	// dataset; the framework does not pass that on to ModifyPlan.
	if !config.Type.IsNull() && !config.Type.Equal(state.Type) {
		note("type", config.Type.IsUnknown())
	}
	hostName, name := state.Host.ValueString(), state.Name.ValueString()
	var diags diag.Diagnostics
	if len(certain) > 0 {
		diags.Append(protectedDatasetDiag(hostName, name, "replace (a change of "+strings.Join(certain, ", ")+" makes a new dataset)"))
	}
	if len(maybe) > 0 {
		diags.AddAttributeWarning(path.Root("deletion_protection"), "Protected ZFS Dataset May Be Replaced",
			fmt.Sprintf("Host %q: %s of dataset %q is not known until apply; if it differs from the dataset's, "+
				"the dataset must be replaced (destroyed, with its data, and made again), which deletion_protection "+
				"refuses at apply time.", hostName, strings.Join(maybe, ", "), name))
	}
	return diags
}

// protectedDatasetDiag says that deletion_protection refuses what, and how
// to turn it off.
func protectedDatasetDiag(hostName, name, what string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Protected ZFS Dataset",
		fmt.Sprintf("Host %q: dataset %q has deletion_protection = true, so Terraform will not %s it: that "+
			"destroys the data in it (zfs destroy). If that is what you want, set deletion_protection = false on "+
			"the resource, apply, and then destroy, remove or change it. To stop managing the dataset and keep it "+
			"on the host, use a removed block with lifecycle { destroy = false } instead.", hostName, name, what))
}
