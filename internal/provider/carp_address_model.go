package provider

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/carp"
)

type carpAddressModel struct {
	ID                  types.String `tfsdk:"id"`
	Host                types.String `tfsdk:"host"`
	Interface           types.String `tfsdk:"interface"`
	VHID                types.Int64  `tfsdk:"vhid"`
	Address             types.String `tfsdk:"address"`
	PrefixLength        types.Int64  `tfsdk:"prefix_length"`
	Advbase             types.Int64  `tfsdk:"advbase"`
	Advskew             types.Int64  `tfsdk:"advskew"`
	PasswordWO          types.String `tfsdk:"password_wo"`
	PasswordWOVersion   types.Int64  `tfsdk:"password_wo_version"`
	RCFile              types.String `tfsdk:"rc_file"`
	PasswordFingerprint types.String `tfsdk:"password_fingerprint"`
	RCConfVariable      types.String `tfsdk:"rc_conf_variable"`
	RCConfValue         types.String `tfsdk:"rc_conf_value"`
	CarpLoad            types.String `tfsdk:"carp_load"`
	State               types.String `tfsdk:"state"`
}

// carpAddressID is the import ID: HOST:IF:VHID.
func carpAddressID(hostName, iface string, vhid int64) string {
	return hostScopedID(hostName, iface, strconv.FormatInt(vhid, 10))
}

// parseCarpAddressID reads HOST:IF:VHID.
func parseCarpAddressID(id string) (hostName, iface string, vhid int, ok bool) {
	hostName, rest, ok := parseHostScopedID(id)
	if !ok {
		return "", "", 0, false
	}
	iface, v, ok := strings.Cut(rest, ":")
	if !ok || carp.ValidateInterface(iface) != nil {
		return "", "", 0, false
	}
	vhid, err := strconv.Atoi(v)
	if err != nil || strconv.Itoa(vhid) != v || vhid < carp.MinVHID || vhid > carp.MaxVHID {
		return "", "", 0, false
	}
	return hostName, iface, vhid, true
}

// declared reports whether the attributes that make the alias value are
// known, and the alias they make (without its password).
func (m carpAddressModel) declared() (carp.Alias, bool) {
	for _, v := range []interface{ IsUnknown() bool }{m.VHID, m.Address, m.PrefixLength, m.Advbase, m.Advskew} {
		if v.IsUnknown() {
			return carp.Alias{}, false
		}
	}
	ip, err := netip.ParseAddr(m.Address.ValueString())
	if err != nil {
		return carp.Alias{}, false
	}
	return carp.Alias{
		VHID:    int(m.VHID.ValueInt64()),
		Advbase: int(m.Advbase.ValueInt64()),
		Advskew: int(m.Advskew.ValueInt64()),
		Address: netip.PrefixFrom(ip, int(m.PrefixLength.ValueInt64())),
	}, true
}

// toDomain is the address to apply, with the password from the
// configuration (write-only: never in plan or state).
func (m carpAddressModel) toDomain(ctx context.Context, config tfsdk.Config) (carp.Address, diag.Diagnostics) {
	var pw types.String
	diags := config.GetAttribute(ctx, path.Root("password_wo"), &pw)
	a, ok := m.declared()
	if !ok || pw.IsUnknown() || pw.IsNull() {
		diags.Append(providerBugDiag("CARP address attributes unknown or password missing at apply"))
		return carp.Address{}, diags
	}
	return carp.Address{
		Interface: m.Interface.ValueString(), VHID: a.VHID, Address: a.Address, Advbase: a.Advbase, Advskew: a.Advskew,
		Password: pw.ValueString(), RCFile: m.RCFile.ValueString(),
	}, diags
}

// fromObserved puts what the host has into m. The live vhid gives the
// address and its parameters (null when it is not on the interface, which
// the plan then shows as a change); the rc file gives the persisted
// value, its password masked against the fingerprint. A live key that
// the fingerprint does not verify gets a fingerprint of its own, so the
// plan, which verifies the configured password against it, shows the
// change. state is read but never compared.
func (m *carpAddressModel) fromObserved(hostName string, o carp.Observed) error {
	m.ID = types.StringValue(carpAddressID(hostName, m.Interface.ValueString(), m.VHID.ValueInt64()))
	m.Host = types.StringValue(hostName)
	m.PasswordWO = types.StringNull()
	if v := o.Live; v != nil {
		m.State = types.StringValue(v.State)
		m.Advbase = types.Int64Value(int64(v.Advbase))
		m.Advskew = types.Int64Value(int64(v.Advskew))
		m.Address, m.PrefixLength = types.StringNull(), types.Int64Null()
		if p, ok := pickAddress(v.Addresses, m.Address.ValueString()); ok {
			m.Address = types.StringValue(p.Addr().String())
			m.PrefixLength = types.Int64Value(int64(p.Bits()))
		}
		switch {
		case v.Key == "":
			m.PasswordFingerprint = types.StringNull()
		case !o.KeyMatches(m.PasswordFingerprint.ValueString()):
			fp, err := carp.Fingerprint(v.Key)
			if err != nil {
				return err
			}
			m.PasswordFingerprint = types.StringValue(fp)
		}
	} else {
		m.State = types.StringNull()
		m.Address, m.PrefixLength = types.StringNull(), types.Int64Null()
		m.Advbase, m.Advskew = types.Int64Null(), types.Int64Null()
	}
	if p := o.Persisted; p != nil {
		m.RCFile = types.StringValue(p.File)
		m.RCConfVariable = types.StringValue(p.Variable)
		m.RCConfValue = types.StringValue(p.Masked(m.PasswordFingerprint.ValueString()))
	} else {
		m.RCConfVariable, m.RCConfValue = types.StringNull(), types.StringNull()
	}
	if m.RCFile.IsNull() || m.RCFile.IsUnknown() {
		m.RCFile = types.StringValue(carp.NetifRCFile)
	}
	m.CarpLoad = types.StringNull()
	if o.CarpLoad != "" {
		m.CarpLoad = types.StringValue(o.CarpLoad)
	}
	return nil
}

// pickAddress is the vhid's address to report: the one in state when the
// vhid still carries it, else the first.
func pickAddress(ps []netip.Prefix, prior string) (netip.Prefix, bool) {
	for _, p := range ps {
		if p.Addr().String() == prior {
			return p, true
		}
	}
	if len(ps) > 0 {
		return ps[0], true
	}
	return netip.Prefix{}, false
}

// unchanged tells whether plan and prior agree on everything an apply
// acts on. When they do not, the apply may change what is only read:
// state (a re-added address re-elects the vhid) and rc_conf_variable
// (another address destroyed in the same apply renumbers this one).
func (m carpAddressModel) unchanged(prior carpAddressModel) bool {
	return m.Address.Equal(prior.Address) && m.PrefixLength.Equal(prior.PrefixLength) &&
		m.Advbase.Equal(prior.Advbase) && m.Advskew.Equal(prior.Advskew) && m.VHID.Equal(prior.VHID) &&
		m.PasswordWOVersion.Equal(prior.PasswordWOVersion) && m.RCFile.Equal(prior.RCFile) &&
		m.PasswordFingerprint.Equal(prior.PasswordFingerprint) && m.RCConfValue.Equal(prior.RCConfValue) &&
		m.CarpLoad.Equal(prior.CarpLoad) && m.ID.Equal(prior.ID)
}
