package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// zfsCreateOnlyKey holds, in a dataset's private state, the effective
// values of its properties fixed at creation as the last Read found them,
// so that the plan can tell a create-only property newly put in the
// configuration with the value the dataset already has (no change) from
// one that would need a new dataset. Private state is a few bytes that the
// framework does not walk, unlike an attribute holding every property.
const zfsCreateOnlyKey = "zfs_create_only"

// setCreateOnlyValues records ds's create-only values.
func setCreateOnlyValues(ctx context.Context, set privateSetter, ds zfs.Dataset) diag.Diagnostics {
	data, err := json.Marshal(ds.CreateOnlyValues())
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unable to Record ZFS Dataset Properties", err.Error())
		return diags
	}
	return set.SetKey(ctx, zfsCreateOnlyKey, data)
}

// createOnlyValues returns what setCreateOnlyValues recorded; empty when
// nothing was (a state that no Read of this version has refreshed yet).
func createOnlyValues(ctx context.Context, get privateGetter) (map[string]string, diag.Diagnostics) {
	out := map[string]string{}
	data, diags := get.GetKey(ctx, zfsCreateOnlyKey)
	if len(data) == 0 || diags.HasError() {
		return out, diags
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return map[string]string{}, nil // unreadable: plan as without it
	}
	return out, diags
}
