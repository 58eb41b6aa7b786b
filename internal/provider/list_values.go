package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// listStrings reads a list of strings; known is false while the list or an
// element is unknown. A null list is empty.
func listStrings(ctx context.Context, l types.List) (out []string, known bool, diags diag.Diagnostics) {
	if l.IsUnknown() {
		return nil, false, nil
	}
	if l.IsNull() {
		return nil, true, nil
	}
	var elems []types.String
	diags = l.ElementsAs(ctx, &elems, false)
	for _, e := range elems {
		if e.IsUnknown() {
			return nil, false, diags
		}
		out = append(out, e.ValueString())
	}
	return out, true, diags
}

// stringList is a list value of s: null when s is empty, so an optional
// list the user left out reads back as it was planned.
func stringList(s []string) types.List {
	if len(s) == 0 {
		return types.ListNull(types.StringType)
	}
	v, _ := types.ListValueFrom(context.Background(), types.StringType, s)
	return v
}

// unionStrings is a followed by the elements of b it lacks.
func unionStrings(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
