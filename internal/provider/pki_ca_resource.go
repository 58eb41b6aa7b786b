package provider

import (
	"context"
	"crypto"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/pki"
)

// PKICAResourceType is the Terraform type name of the f3s_pki_ca resource.
const PKICAResourceType = TypeName + "_pki_ca"

var (
	_ resource.ResourceWithConfigure   = (*pkiCAResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*pkiCAResource)(nil)
	_ resource.ResourceWithImportState = (*pkiCAResource)(nil)
)

type pkiCAResource struct {
	data *providerData
}

type pkiCAResourceModel struct {
	ID                types.String `tfsdk:"id"`
	Host              types.String `tfsdk:"host"`
	KeyPath           types.String `tfsdk:"key_path"`
	CertPath          types.String `tfsdk:"cert_path"`
	KeyAlgorithm      types.String `tfsdk:"key_algorithm"`
	Subject           types.Object `tfsdk:"subject"`
	ValidityDays      types.Int64  `tfsdk:"validity_days"`
	EarlyRenewalHours types.Int64  `tfsdk:"early_renewal_hours"`
	AllowRegenerate   types.Bool   `tfsdk:"allow_regenerate"`
	KeepOnDestroy     types.Bool   `tfsdk:"keep_on_destroy"`
	Status            types.String `tfsdk:"status"`
	certComputed
}

// NewPKICAResource returns the f3s_pki_ca resource.
func NewPKICAResource() resource.Resource {
	return &pkiCAResource{}
}

func (r *pkiCAResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = PKICAResourceType
}

func (r *pkiCAResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The import ID: `HOST:KEY_PATH:CERT_PATH`.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"host": resourceHostAttribute(),
		"key_path": schema.StringAttribute{
			MarkdownDescription: "Where the CA's key is kept on the host, root-owned, mode 0400: `" + defaultCAKeyPath +
				"` by default (the article's). Changing it replaces the resource, which makes a new CA.",
			Optional:      true,
			Computed:      true,
			Default:       stringdefault.StaticString(defaultCAKeyPath),
			Validators:    []validator.String{pathValidator("Invalid Key Path")},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"cert_path": schema.StringAttribute{
			MarkdownDescription: "Where the CA's certificate is written on the host, mode 0644: `" + defaultCACertPath +
				"` by default. Changing it moves the file.",
			Optional:   true,
			Computed:   true,
			Default:    stringdefault.StaticString(defaultCACertPath),
			Validators: []validator.String{pathValidator("Invalid Certificate Path")},
		},
		"key_algorithm":       keyAlgorithmAttribute(),
		"subject":             subjectAttribute("CA"),
		"validity_days":       validityAttribute(3650),
		"early_renewal_hours": earlyRenewalAttribute(),
		"allow_regenerate": schema.BoolAttribute{
			MarkdownDescription: "When the CA's key is gone from the host, plan a new CA instead of stopping. Every " +
				"certificate it signed must then be issued anew (`f3s_pki_certificate` resources do that in the same " +
				"apply). `false` by default.",
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(false),
		},
		"keep_on_destroy": schema.BoolAttribute{
			MarkdownDescription: "Leave the key and certificate files on the host when the resource is destroyed. " +
				"`false` by default.",
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(false),
		},
		"status": pkiComputed("The condition of the files on the host: `ok`, or what is wrong (`key missing`, " +
			"`certificate differs`, `key mode 0644 (want 0400)`). A plan shows what it repairs."),
	}
	certComputedAttributes(attrs)
	resp.Schema = schema.Schema{
		MarkdownDescription: "A private certificate authority for stunnel's mutual TLS: the article's `openssl genrsa " +
			"4096` and `openssl req -new -x509 -days 3650` on f0. The key is generated in the provider's memory with " +
			"Go's crypto (RSA 4096 by default, or ECDSA), written to `key_path` on the host (root, 0400), and used " +
			"again only when the provider reads it into memory to sign. **The key never enters the state, the plan " +
			"or the logs**: the state holds the CA certificate (public), the key's fingerprint and the SHA-256 of " +
			"its file, so a key file changed or removed on the host shows in `status`.\n\n" +
			"A changed `subject` or `validity_days`, or the end of the validity coming within `early_renewal_hours`, " +
			"re-issues the certificate from the same key: certificates it signed stay valid as long as the subject " +
			"stays. A lost key is never silently regenerated: the plan warns and the apply stops, unless " +
			"`allow_regenerate = true`. An existing key at `key_path` is adopted on create (never overwritten). " +
			"The CA key stays on its host: it is not copied to the standby (the article's tar of the `ca` directory " +
			"to f1 is not repeated).\n\n" +
			"**Destroy** deletes the CA key and certificate files (only files that still hold what the resource " +
			"wrote), unless `keep_on_destroy = true`. The CA key cannot be made again: every certificate it signed " +
			"then needs a new CA. Keep it with `keep_on_destroy = true`, or `lifecycle { prevent_destroy = true }`.\n\n" +
			"Import ID: `HOST:KEY_PATH:CERT_PATH` (`f0:/usr/local/etc/stunnel/ca/ca-key.pem:/usr/local/etc/stunnel/ca/ca-cert.pem`). " +
			"The import reads the key into memory once, to check that it belongs to the certificate.",
		Attributes: attrs,
	}
}

func (r *pkiCAResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func pkiCAID(hostName, keyPath, certPath string) string {
	return hostScopedID(hostName, keyPath, certPath)
}

func (m pkiCAResourceModel) placement() pki.Placement {
	return pki.Placement{Hosts: []string{m.Host.ValueString()}, KeyPath: m.KeyPath.ValueString(), CertPath: m.CertPath.ValueString()}
}

func (m pkiCAResourceModel) want() pki.Want {
	return pki.Want{KeySHA: m.KeyFileSHA256.ValueString(), CertPEM: []byte(m.CertPEM.ValueString())}
}

func (r *pkiCAResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() || req.Plan.Raw.IsNull() {
		return
	}
	var plan pkiCAResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.Status = types.StringValue(pki.StatusOK)
	plan.ID = types.StringUnknown()
	if !plan.Host.IsUnknown() && !plan.KeyPath.IsUnknown() && !plan.CertPath.IsUnknown() {
		plan.ID = types.StringValue(pkiCAID(plan.Host.ValueString(), plan.KeyPath.ValueString(), plan.CertPath.ValueString()))
	}
	if req.State.Raw.IsNull() {
		plan.unknownCert(false)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	var prior pkiCAResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.certComputed = prior.certComputed
	lost := !pki.StatusHoldsKey(prior.Status.ValueString())
	switch {
	case lost && plan.AllowRegenerate.ValueBool():
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
		plan.unknownCert(false)
		resp.Diagnostics.Append(pkiCARegenerateDiag(prior.Host.ValueString(), prior.KeyPath.ValueString()))
	case lost:
		resp.Diagnostics.Append(pkiCAKeyLostDiag(true, prior.Host.ValueString(), prior.KeyPath.ValueString()))
	case !plan.Subject.Equal(prior.Subject) || !plan.ValidityDays.Equal(prior.ValidityDays) ||
		dueForRenewal(prior.CertPEM.ValueString(), plan.EarlyRenewalHours.ValueInt64()):
		plan.unknownCert(true)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *pkiCAResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan pkiCAResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := plan.Host.ValueString()
	hs, diags := pkiHosts(r.data, []string{hostName})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	pl := plan.placement()
	files, err := hs.Inspect(ctx, pl)
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("create CA", hostName, err))
		return
	}
	subj, _ := readSubject(ctx, plan.Subject)
	var key crypto.Signer
	var keyPEM []byte
	if f := files[hostName].Key; f.Present {
		// A key already there (a create that was cut off, or a CA made by
		// hand) is adopted, never overwritten.
		key, keyPEM, err = pki.ReadKey(ctx, hs[hostName], pl.KeyPath, "")
		if err != nil {
			resp.Diagnostics.Append(pkiErrorDiag("create CA", hostName, err))
			return
		}
		resp.Diagnostics.Append(pkiAdoptedDiag("CA key", hostName+":"+pl.KeyPath))
	} else {
		if key, err = pki.Generate(pki.Algorithm(plan.KeyAlgorithm.ValueString())); err == nil {
			keyPEM, err = pki.EncodeKey(key)
		}
		if err != nil {
			resp.Diagnostics.Append(pkiErrorDiag("create CA", hostName, err))
			return
		}
	}
	defer clear(keyPEM)
	cert, err := pki.IssueCA(key, subj, pki.Days(plan.ValidityDays.ValueInt64()), pkiNow())
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("create CA", hostName, err))
		return
	}
	w := pki.Want{KeySHA: file.Hash(keyPEM), CertPEM: cert}
	if _, err := hs.Deploy(ctx, pl, files, w, keyPEM); err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("create CA", hostName, err))
	}
	if err := plan.set(cert, w.KeySHA); err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("create CA", hostName, err))
	}
	plan.KeyAlgorithm = types.StringValue(string(pki.AlgorithmOf(key.Public())))
	plan.ID = types.StringValue(pkiCAID(hostName, pl.KeyPath, pl.CertPath))
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(r.readBack(ctx, hs, &plan)...)
	}
	saveApplied(ctx, &resp.State, &resp.Diagnostics, hostName, &plan, r.readFiles(hs))
}

// readFiles reads the files after a failed step: the CA is in state when
// its key made it to the host.
func (r *pkiCAResource) readFiles(hs pki.Hosts) readBackFunc[pkiCAResourceModel] {
	return func(ctx context.Context, m *pkiCAResourceModel) (bool, error) {
		files, err := hs.Inspect(ctx, m.placement())
		if err != nil {
			return false, err
		}
		m.Status = types.StringValue(m.want().Status(m.placement(), files[m.Host.ValueString()]))
		return pki.Holds(files[m.Host.ValueString()].Key, m.KeyFileSHA256.ValueString()), nil
	}
}

// readBack checks the files after a write and records their status.
func (r *pkiCAResource) readBack(ctx context.Context, hs pki.Hosts, m *pkiCAResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	files, err := hs.Inspect(ctx, m.placement())
	if err != nil {
		diags.Append(pkiErrorDiag("read CA", m.Host.ValueString(), err))
		return diags
	}
	m.Status = types.StringValue(m.want().Status(m.placement(), files[m.Host.ValueString()]))
	return diags
}

func (r *pkiCAResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state pkiCAResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := state.Host.ValueString()
	hs, diags := pkiHosts(r.data, []string{hostName})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	pl := state.placement()
	files, err := hs.Inspect(ctx, pl)
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("read CA", hostName, err))
		return
	}
	if state.CertPEM.IsNull() {
		// Just imported: the key and the certificate must be there and be one.
		if !files[hostName].Key.Present {
			resp.State.RemoveResource(ctx)
			return
		}
		if err := importCA(ctx, hs, pl, &state); err != nil {
			resp.Diagnostics.Append(pkiErrorDiag("import CA", hostName, err))
			return
		}
	}
	state.Status = types.StringValue(state.want().Status(pl, files[hostName]))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// importCA fills an imported CA's state from its files.
func importCA(ctx context.Context, hs pki.Hosts, pl pki.Placement, m *pkiCAResourceModel) error {
	t := hs[pl.Hosts[0]]
	certPEM, err := t.ReadFile(ctx, pl.CertPath)
	if err != nil {
		return err
	}
	in, c, err := pki.Describe(certPEM)
	if err != nil {
		return err
	}
	key, raw, err := pki.ReadKey(ctx, t, pl.KeyPath, "")
	if err != nil {
		return err
	}
	defer clear(raw)
	if !pki.SameKey(key.Public(), c.PublicKey) {
		return pkiMismatch(pl)
	}
	if err := m.set(certPEM, file.Hash(raw)); err != nil {
		return err
	}
	m.Subject = subjectObject(in.Subject)
	m.KeyAlgorithm = types.StringValue(string(in.Algorithm))
	m.ValidityDays = types.Int64Value(in.ValidityDays())
	return nil
}

func pkiMismatch(pl pki.Placement) error {
	return &pkiMismatchError{pl}
}

type pkiMismatchError struct{ pl pki.Placement }

func (e *pkiMismatchError) Error() string {
	return strings.Join(e.pl.Hosts, ",") + ": " + e.pl.KeyPath + " is not the key of " + e.pl.CertPath
}

func (r *pkiCAResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior pkiCAResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := plan.Host.ValueString()
	hs, diags := pkiHosts(r.data, []string{hostName})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	pl := plan.placement()
	files, err := hs.Inspect(ctx, pl)
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("update CA", hostName, err))
		return
	}
	w := prior.want()
	if !pki.Holds(files[hostName].Key, w.KeySHA) {
		resp.Diagnostics.Append(pkiCAKeyLostDiag(false, hostName, pl.KeyPath))
		return
	}
	reissue := plan.CertPEM.IsUnknown()
	var keyPEM []byte
	if reissue || w.NeedsKey(pl, files) {
		key, raw, err := pki.ReadKey(ctx, hs[hostName], pl.KeyPath, w.KeySHA)
		if err != nil {
			resp.Diagnostics.Append(pkiErrorDiag("update CA", hostName, err))
			return
		}
		keyPEM = raw
		defer clear(keyPEM)
		if reissue {
			subj, _ := readSubject(ctx, plan.Subject)
			if w.CertPEM, err = pki.IssueCA(key, subj, pki.Days(plan.ValidityDays.ValueInt64()), pkiNow()); err != nil {
				resp.Diagnostics.Append(pkiErrorDiag("update CA", hostName, err))
				return
			}
		}
	}
	if _, err := hs.Deploy(ctx, pl, files, w, keyPEM); err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("update CA", hostName, err))
	}
	if prior.CertPath.ValueString() != pl.CertPath && !resp.Diagnostics.HasError() {
		old := prior.placement()
		if _, err := pki.RemoveIf(ctx, hs[hostName], old.CertPath, file.Hash([]byte(prior.CertPEM.ValueString()))); err != nil {
			resp.Diagnostics.Append(pkiErrorDiag("update CA", hostName, err))
		}
	}
	if err := plan.set(w.CertPEM, w.KeySHA); err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("update CA", hostName, err))
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(r.readBack(ctx, hs, &plan)...)
	}
	saveApplied(ctx, &resp.State, &resp.Diagnostics, hostName, &plan, r.readFiles(hs))
}

func (r *pkiCAResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state pkiCAResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.KeepOnDestroy.ValueBool() {
		return
	}
	hostName := state.Host.ValueString()
	hs, diags := pkiHosts(r.data, []string{hostName})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	left, err := hs.Remove(ctx, state.placement(), state.want(), []string{hostName})
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("delete CA", hostName, err))
	}
	if len(left) > 0 {
		resp.Diagnostics.Append(pkiLeftDiag(left))
	}
}

func (r *pkiCAResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts := strings.Split(req.ID, ":")
	if len(parts) != 3 || !hostNamePattern.MatchString(parts[0]) || pki.ValidatePath(parts[1]) != nil || pki.ValidatePath(parts[2]) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:KEY_PATH:CERT_PATH (f0:"+defaultCAKeyPath+":"+defaultCACertPath+")"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), parts[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("key_path"), parts[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("cert_path"), parts[2])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("early_renewal_hours"), int64(720))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("allow_regenerate"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("keep_on_destroy"), false)...)
}

// pkiHosts resolves host names to targets.
func pkiHosts(data *providerData, names []string) (pki.Hosts, diag.Diagnostics) {
	var diags diag.Diagnostics
	hs := pki.Hosts{}
	for _, h := range names {
		if _, done := hs[h]; done {
			continue
		}
		t, d := data.target(h)
		diags.Append(d...)
		if !d.HasError() {
			hs[h] = t
		}
	}
	return hs, diags
}
