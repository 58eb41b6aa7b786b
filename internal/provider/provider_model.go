package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// providerModel keeps the nested attributes as framework values, because
// either may be unknown during plan and then cannot be decoded into structs.
type providerModel struct {
	Defaults types.Object `tfsdk:"defaults"`
	Hosts    types.Map    `tfsdk:"hosts"`
}

// connectionModel holds the settings that defaults and hosts share.
type connectionModel struct {
	User                  types.String `tfsdk:"user"`
	Port                  types.Int64  `tfsdk:"port"`
	PrivateKeyFile        types.String `tfsdk:"private_key_file"`
	PrivateKey            types.String `tfsdk:"private_key"`
	PrivateKeyPassphrase  types.String `tfsdk:"private_key_passphrase"`
	Agent                 types.Bool   `tfsdk:"agent"`
	KnownHostsFile        types.String `tfsdk:"known_hosts_file"`
	InsecureIgnoreHostKey types.Bool   `tfsdk:"insecure_ignore_host_key"`
	Become                types.String `tfsdk:"become"`
	ConnectTimeout        types.String `tfsdk:"connect_timeout"`
	MaxSessions           types.Int64  `tfsdk:"max_sessions"`
}

// hostModel is one entry of hosts.
type hostModel struct {
	connectionModel

	Address  types.String `tfsdk:"address"`
	HostKey  types.String `tfsdk:"host_key"`
	JumpHost types.String `tfsdk:"jump_host"`
}

func (c connectionModel) values() map[string]attr.Value {
	return map[string]attr.Value{
		"user":                     c.User,
		"port":                     c.Port,
		"private_key_file":         c.PrivateKeyFile,
		"private_key":              c.PrivateKey,
		"private_key_passphrase":   c.PrivateKeyPassphrase,
		"agent":                    c.Agent,
		"known_hosts_file":         c.KnownHostsFile,
		"insecure_ignore_host_key": c.InsecureIgnoreHostKey,
		"become":                   c.Become,
		"connect_timeout":          c.ConnectTimeout,
		"max_sessions":             c.MaxSessions,
	}
}

func (h hostModel) values() map[string]attr.Value {
	v := h.connectionModel.values()
	v["address"] = h.Address
	v["host_key"] = h.HostKey
	v["jump_host"] = h.JumpHost
	return v
}

// firstUnknown names the first (sorted) attribute whose value is unknown, or "".
func firstUnknown(values map[string]attr.Value) string {
	names := make([]string, 0, len(values))
	for n, v := range values {
		if v.IsUnknown() {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	return names[0]
}

// defaultsModel decodes defaults; known is false when it is unknown.
func (m providerModel) defaultsModel(ctx context.Context) (connectionModel, bool, diag.Diagnostics) {
	var d connectionModel
	if m.Defaults.IsUnknown() {
		return d, false, nil
	}
	if m.Defaults.IsNull() {
		return d, true, nil
	}
	diags := m.Defaults.As(ctx, &d, basetypes.ObjectAsOptions{})
	return d, true, diags
}

// hostModels decodes hosts. known is false when the map itself is unknown;
// an entry whose object is unknown is present with a nil value.
func (m providerModel) hostModels(ctx context.Context) (map[string]*hostModel, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m.Hosts.IsUnknown() {
		return nil, false, nil
	}
	hosts := map[string]*hostModel{}
	for name, v := range m.Hosts.Elements() {
		obj, ok := v.(types.Object)
		if !ok {
			diags.Append(providerBugDiag("hosts element of type %T", v))
			continue
		}
		if obj.IsUnknown() {
			hosts[name] = nil
			continue
		}
		var h hostModel
		diags.Append(obj.As(ctx, &h, basetypes.ObjectAsOptions{})...)
		hosts[name] = &h
	}
	return hosts, true, diags
}

func hostPath(name string) path.Path { return path.Root("hosts").AtMapKey(name) }

func defaultsPath() path.Path { return path.Root("defaults") }
