package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// zfsImportedKey marks, in private state, a resource that was just
// imported: its first Read adopts every locally set property, later Reads
// only the ones in state.
const zfsImportedKey = "zfs_imported"

// privateGetter and privateSetter are the Private fields of the framework's
// requests and responses.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// takeImported reports whether the resource was just imported, and clears
// the mark.
func takeImported(ctx context.Context, get privateGetter, set privateSetter) (bool, diag.Diagnostics) {
	v, diags := get.GetKey(ctx, zfsImportedKey)
	if len(v) == 0 || diags.HasError() {
		return false, diags
	}
	diags.Append(set.SetKey(ctx, zfsImportedKey, nil)...)
	return true, diags
}

func markImported(ctx context.Context, set privateSetter) diag.Diagnostics {
	return set.SetKey(ctx, zfsImportedKey, []byte("true"))
}

// zfsOSCheck is the plan-time OS check of every ZFS resource.
func zfsOSCheck(info host.Info) error { return zfs.CheckOS(info) }

// stringMap reads a map(string) attribute; nil when null or unknown.
func stringMap(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	if m.IsNull() || m.IsUnknown() {
		return nil, nil
	}
	out := map[string]string{}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// mapValue is a map(string) attribute; null for nil.
func mapValue(m map[string]string) types.Map {
	if m == nil {
		return types.MapNull(types.StringType)
	}
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// reconcileProperties is what Read stores for the managed properties: for
// each name managed, the host's local value, in the managed spelling when
// both mean the same (10G for 10737418240). A name the host no longer sets
// locally is left out, so the plan shows it to be set again.
func reconcileProperties(managed, local map[string]string, equiv func(name, a, b string) bool) map[string]string {
	out := map[string]string{}
	for name, want := range managed {
		got, ok := local[name]
		if !ok {
			continue
		}
		if equiv(name, want, got) {
			got = want
		}
		out[name] = got
	}
	return out
}

// sameProperties reports whether the configured properties mean what the
// state holds, so that the plan can keep the state's spelling.
func sameProperties(config, state map[string]string, equiv func(name, a, b string) bool) bool {
	if len(config) != len(state) {
		return false
	}
	for k, v := range config {
		s, ok := state[k]
		if !ok || !equiv(k, v, s) {
			return false
		}
	}
	return true
}

// propertyChanges splits the way from state to plan into values to set and
// names to revert.
func propertyChanges(state, plan map[string]string, equiv func(name, a, b string) bool) (set map[string]string, removed []string) {
	set = map[string]string{}
	for k, v := range plan {
		if s, ok := state[k]; !ok || !equiv(k, v, s) {
			set[k] = v
		}
	}
	for k := range state {
		if _, ok := plan[k]; !ok {
			removed = append(removed, k)
		}
	}
	sort.Strings(removed)
	return set, removed
}

// zfsPropertiesValidator checks the names and values of a properties map
// through the zfs package, at plan time.
type zfsPropertiesValidator struct {
	use zfs.Use
	// reserved maps property names that have an attribute of their own to
	// that attribute.
	reserved map[string]string
}

func (v zfsPropertiesValidator) Description(context.Context) string {
	return "keys must be native ZFS properties that can be set, or user properties (module:name); values must suit them"
}

func (v zfsPropertiesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v zfsPropertiesValidator) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for name, val := range req.ConfigValue.Elements() {
		at := req.Path.AtMapKey(name)
		if attr, ok := v.reserved[name]; ok {
			resp.Diagnostics.Append(invalidAttributeDiag(at, "Invalid ZFS Property",
				fmt.Sprintf("%q has an attribute of its own: set `%s` instead", name, attr)))
			continue
		}
		if err := zfs.ValidatePropertyName(name, v.use); err != nil {
			resp.Diagnostics.Append(invalidAttributeDiag(at, "Invalid ZFS Property", err.Error()))
			continue
		}
		s, ok := val.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if err := zfs.ValidatePropertyValue(name, s.ValueString()); err != nil {
			resp.Diagnostics.Append(invalidAttributeDiag(at, "Invalid ZFS Property Value", err.Error()))
		}
	}
}

// poolPropertiesValidator checks a pool's properties map.
type poolPropertiesValidator struct{}

func (poolPropertiesValidator) Description(context.Context) string {
	return "keys must be pool properties that zpool create -o takes, or feature@NAME; values must suit them"
}

func (v poolPropertiesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (poolPropertiesValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for name, val := range req.ConfigValue.Elements() {
		at := req.Path.AtMapKey(name)
		if err := zfs.ValidatePoolPropertyName(name); err != nil {
			resp.Diagnostics.Append(invalidAttributeDiag(at, "Invalid Pool Property", err.Error()))
			continue
		}
		s, ok := val.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if err := zfs.ValidatePoolPropertyValue(name, s.ValueString()); err != nil {
			resp.Diagnostics.Append(invalidAttributeDiag(at, "Invalid Pool Property Value", err.Error()))
		}
	}
}

// createOnlyChanges names the planned create-only properties whose values
// differ from what the dataset has: zfs cannot change them on an existing
// dataset. current holds the effective values where known. Leaving one out
// of the plan changes nothing, as nothing can be reverted.
func createOnlyChanges(current, plan map[string]string, isCreateOnly func(string) bool, equiv func(name, a, b string) bool) []string {
	var out []string
	for k, p := range plan {
		if !isCreateOnly(k) {
			continue
		}
		if c, ok := current[k]; !ok || !equiv(k, c, p) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// withoutCreateOnly drops the properties fixed at creation from a change:
// ModifyPlan has refused any that differ from the dataset's.
func withoutCreateOnly(set map[string]string, inherit []string, isCreateOnly func(string) bool) (map[string]string, []string) {
	for k := range set {
		if isCreateOnly(k) {
			delete(set, k)
		}
	}
	kept := inherit[:0]
	for _, k := range inherit {
		if !isCreateOnly(k) {
			kept = append(kept, k)
		}
	}
	return set, kept
}

// parseZFSImportID reads HOST:NAME and checks NAME with check.
func parseZFSImportID(id string, check func(string) error) (hostName, name string, ok bool) {
	hostName, name, ok = parseHostScopedID(id)
	if !ok || check(name) != nil {
		return "", "", false
	}
	return hostName, name, true
}

// quoteList prints names for a diagnostic, at most limit of them.
func quoteList(names []string, limit int) string {
	if len(names) <= limit {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:limit], ", ") + fmt.Sprintf(" and %d more", len(names)-limit)
}

// stateSetter is the State of a Create or Update response.
type stateSetter interface {
	Set(ctx context.Context, v any) diag.Diagnostics
}
