package provider

import (
	"context"
	"crypto"
	"errors"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/pki"
)

// PKICertificateResourceType is the Terraform type name of the f3s_pki_certificate resource.
const PKICertificateResourceType = TypeName + "_pki_certificate"

var (
	_ resource.ResourceWithConfigure   = (*pkiCertificateResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*pkiCertificateResource)(nil)
	_ resource.ResourceWithImportState = (*pkiCertificateResource)(nil)
)

type pkiCertificateResource struct {
	data *providerData
}

type pkiCertificateResourceModel struct {
	ID                types.String `tfsdk:"id"`
	Hosts             types.List   `tfsdk:"hosts"`
	CertPath          types.String `tfsdk:"cert_path"`
	KeyPath           types.String `tfsdk:"key_path"`
	CACertPath        types.String `tfsdk:"ca_cert_path"`
	CAHost            types.String `tfsdk:"ca_host"`
	CAKeyPath         types.String `tfsdk:"ca_key_path"`
	CACertPEM         types.String `tfsdk:"ca_cert_pem"`
	KeyAlgorithm      types.String `tfsdk:"key_algorithm"`
	Subject           types.Object `tfsdk:"subject"`
	DNSNames          types.List   `tfsdk:"dns_names"`
	IPAddresses       types.List   `tfsdk:"ip_addresses"`
	Usages            types.List   `tfsdk:"usages"`
	ValidityDays      types.Int64  `tfsdk:"validity_days"`
	EarlyRenewalHours types.Int64  `tfsdk:"early_renewal_hours"`
	Copies            types.Map    `tfsdk:"copies"`
	certComputed
}

// NewPKICertificateResource returns the f3s_pki_certificate resource.
func NewPKICertificateResource() resource.Resource {
	return &pkiCertificateResource{}
}

func (r *pkiCertificateResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = PKICertificateResourceType
}

func (r *pkiCertificateResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The import ID: `HOSTS:CERT_PATH:KEY_PATH[:CA_CERT_PATH]`.",
			Computed:            true,
		},
		"hosts": schema.ListAttribute{
			MarkdownDescription: "The hosts that use the certificate and its key: the servers `f0` and `f1` for the " +
				"server certificate, one client for a client certificate. Each gets the same files at the same paths. " +
				"Adding a host copies the key to it; removing one deletes its files.",
			Required:    true,
			ElementType: types.StringType,
			Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(stringvalidator.RegexMatches(hostNamePattern, "must be a host name as configured in the provider's hosts"))},
		},
		"cert_path": schema.StringAttribute{
			MarkdownDescription: "Where the certificate is written on every host, mode 0644 " +
				"(`/usr/local/etc/stunnel/server-cert.pem`, `/etc/stunnel/r0-cert.pem`). Changing it moves the file.",
			Required:   true,
			Validators: []validator.String{pathValidator("Invalid Certificate Path")},
		},
		"key_path": schema.StringAttribute{
			MarkdownDescription: "Where the private key is written on every host, root-owned, mode 0400 (stunnel reads it " +
				"before it drops privileges). Changing it moves the file.",
			Required:   true,
			Validators: []validator.String{pathValidator("Invalid Key Path")},
		},
		"ca_cert_path": schema.StringAttribute{
			MarkdownDescription: "Where the CA's certificate (`ca_cert_pem`) is written on every host, mode 0644, for " +
				"stunnel's `CAfile`. Unset, no CA file is written. Do not point it at the `f3s_pki_ca`'s own `cert_path`.",
			Optional:   true,
			Validators: []validator.String{pathValidator("Invalid CA Certificate Path")},
		},
		"ca_host": schema.StringAttribute{
			MarkdownDescription: "The host that keeps the CA's key: the `f3s_pki_ca`'s `host`. The key is read from it " +
				"into the provider's memory to sign, and never kept.",
			Required:   true,
			Validators: []validator.String{stringvalidator.RegexMatches(hostNamePattern, "must be a host name as configured in the provider's hosts")},
		},
		"ca_key_path": schema.StringAttribute{
			MarkdownDescription: "The CA's key on `ca_host`: the `f3s_pki_ca`'s `key_path` (`" + defaultCAKeyPath + "` by default).",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(defaultCAKeyPath),
			Validators:          []validator.String{pathValidator("Invalid Key Path")},
		},
		"ca_cert_pem": schema.StringAttribute{
			MarkdownDescription: "The CA's certificate: the `f3s_pki_ca`'s `cert_pem`. When the CA no longer vouches for " +
				"the certificate (a new CA, another subject), the certificate is re-issued.",
			Required: true,
		},
		"key_algorithm": keyAlgorithmAttribute(),
		"subject":       subjectAttribute("certificate"),
		"dns_names": schema.ListAttribute{
			MarkdownDescription: "DNS names in the subjectAltName (`f3s-storage-ha.lan`): what a client's `check_host` " +
				"checks. Changing them re-issues the certificate.",
			Optional:    true,
			ElementType: types.StringType,
			Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(domainValidator("Invalid DNS Name", "must be a DNS name", pki.ValidateDNSName))},
		},
		"ip_addresses": schema.ListAttribute{
			MarkdownDescription: "IP addresses in the subjectAltName (the VIP `192.168.1.138`). Changing them re-issues " +
				"the certificate.",
			Optional:    true,
			ElementType: types.StringType,
			Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(domainValidator("Invalid IP Address", "must be an IP address", pki.ValidateIP))},
		},
		"usages": schema.ListAttribute{
			MarkdownDescription: "What the certificate authenticates: `server_auth` (stunnel servers), `client_auth` " +
				"(clients). Changing them re-issues the certificate.",
			Required:    true,
			ElementType: types.StringType,
			Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(stringvalidator.OneOf(pki.Usages()...))},
		},
		"validity_days":       validityAttribute(3650),
		"early_renewal_hours": earlyRenewalAttribute(),
		"copies": schema.MapAttribute{
			MarkdownDescription: "The condition of each host's files: `ok`, or what is wrong (`key missing`, " +
				"`certificate differs`, `CA certificate missing`). A plan shows the copies it repairs.",
			ElementType: types.StringType,
			Computed:    true,
		},
	}
	certComputedAttributes(attrs)
	attrs["not_after"] = pkiComputed("End of the certificate's validity (RFC 3339); never later than the CA's.")
	resp.Schema = schema.Schema{
		MarkdownDescription: "A server or client certificate signed by an `f3s_pki_ca`, with its private key, on the " +
			"hosts that use them: the article's `server-cert.pem` and `server-key.pem` on f0 and f1, and one " +
			"`r0-cert.pem`/`r0-key.pem` per client. The key is generated in the provider's memory and written only " +
			"to `hosts` (root, 0400); the CA's key is read from `ca_host` into memory to sign and never kept. " +
			"**No private key enters the state, the plan or the logs**: the state holds the certificate (public), " +
			"the public key's fingerprint and the SHA-256 of the key file, so a certificate or key changed or removed " +
			"on a host shows in `copies` and is put back (the key copied from a host that still has it).\n\n" +
			"Subject, names, usages and validity changes re-issue the certificate from the same key, and so does " +
			"the end of its validity coming within `early_renewal_hours`, or a CA that no longer vouches for it. " +
			"Only when no host has the key any more is a new key made (the plan says so).\n\n" +
			"**Destroy** deletes the certificate, key and CA certificate files from every host, but only files " +
			"that still hold what the resource wrote: anything else found at those paths is left and reported. The " +
			"private key cannot be made again: a new certificate gets a new key.\n\n" +
			"Import ID: `HOSTS:CERT_PATH:KEY_PATH[:CA_CERT_PATH]` (`f0,f1:/usr/local/etc/stunnel/server-cert.pem:" +
			"/usr/local/etc/stunnel/server-key.pem`). The import reads one key copy into memory to check that it " +
			"belongs to the certificate; `ca_host`, `ca_key_path` and `ca_cert_pem` come from the configuration.",
		Attributes: attrs,
	}
}

func (r *pkiCertificateResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func pkiCertID(hosts []string, certPath, keyPath, caPath string) string {
	id := strings.Join(hosts, ",") + ":" + certPath + ":" + keyPath
	if caPath != "" {
		id += ":" + caPath
	}
	return id
}

func (m pkiCertificateResourceModel) placement(ctx context.Context) (pki.Placement, bool) {
	hosts, known, _ := listStrings(ctx, m.Hosts)
	return pki.Placement{Hosts: hosts, CertPath: m.CertPath.ValueString(), KeyPath: m.KeyPath.ValueString(),
		CAPath: m.CACertPath.ValueString()}, known && !m.CertPath.IsUnknown() && !m.KeyPath.IsUnknown() && !m.CACertPath.IsUnknown()
}

func (m pkiCertificateResourceModel) want() pki.Want {
	return pki.Want{KeySHA: m.KeyFileSHA256.ValueString(), CertPEM: []byte(m.CertPEM.ValueString()), CAPEM: []byte(m.CACertPEM.ValueString())}
}

// request is what the certificate is to say.
func (m pkiCertificateResourceModel) request(ctx context.Context) (pki.Request, bool) {
	subj, ok := readSubject(ctx, m.Subject)
	dns, k1, _ := listStrings(ctx, m.DNSNames)
	ips, k2, _ := listStrings(ctx, m.IPAddresses)
	us, k3, _ := listStrings(ctx, m.Usages)
	req := pki.Request{Subject: subj, DNSNames: dns, IPAddresses: ips, Validity: pki.Days(m.ValidityDays.ValueInt64())}
	for _, u := range us {
		req.Usages = append(req.Usages, pki.Usage(u))
	}
	return req, ok && k1 && k2 && k3 && !m.ValidityDays.IsUnknown()
}

// sameRequest tells whether two models ask for the same certificate.
func sameRequest(a, b pkiCertificateResourceModel) bool {
	return a.Subject.Equal(b.Subject) && a.DNSNames.Equal(b.DNSNames) && a.IPAddresses.Equal(b.IPAddresses) &&
		a.Usages.Equal(b.Usages) && a.ValidityDays.Equal(b.ValidityDays)
}

func allOKCopies(hosts []string) types.Map {
	m := make(map[string]string, len(hosts))
	for _, h := range hosts {
		m[h] = pki.StatusOK
	}
	return mapValue(m)
}

func (r *pkiCertificateResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan pkiCertificateResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hosts, known, _ := listStrings(ctx, plan.Hosts)
	for i, h := range hosts {
		resp.Diagnostics.Append(r.data.checkHostName(types.StringValue(h), path.Root("hosts").AtListIndex(i))...)
	}
	resp.Diagnostics.Append(r.data.checkHostName(plan.CAHost, path.Root("ca_host"))...)
	if resp.Diagnostics.HasError() {
		return
	}
	pl, plKnown := plan.placement(ctx)
	plan.ID, plan.Copies = types.StringUnknown(), types.MapUnknown(types.StringType)
	if known && plKnown {
		plan.ID = types.StringValue(pkiCertID(pl.Hosts, pl.CertPath, pl.KeyPath, pl.CAPath))
		plan.Copies = allOKCopies(hosts)
	}
	if req.State.Raw.IsNull() {
		plan.unknownCert(false)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	var prior pkiCertificateResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.certComputed = prior.certComputed
	copies := map[string]string{}
	resp.Diagnostics.Append(prior.Copies.ElementsAs(ctx, &copies, false)...)
	lost := len(copies) > 0
	for _, s := range copies {
		if pki.StatusHoldsKey(s) {
			lost = false
		}
	}
	caVouches := !plan.CACertPEM.IsUnknown() && pki.SignedBy([]byte(prior.CertPEM.ValueString()), []byte(plan.CACertPEM.ValueString()))
	switch {
	case lost:
		plan.unknownCert(false)
		resp.Diagnostics.Append(pkiKeyRegenerateDiag(prior.KeyPath.ValueString(), describeCopies(copies)))
	case !sameRequest(plan, prior) || !caVouches || dueForRenewal(prior.CertPEM.ValueString(), plan.EarlyRenewalHours.ValueInt64()):
		plan.unknownCert(true)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// issue signs a certificate for pub with the CA's key, read from its host.
func (r *pkiCertificateResource) issue(ctx context.Context, m pkiCertificateResourceModel, pub crypto.PublicKey) ([]byte, error) {
	caHost := m.CAHost.ValueString()
	t, diags := r.data.target(caHost)
	if diags.HasError() {
		return nil, diagsError(diags)
	}
	caKey, raw, err := pki.ReadKey(ctx, t, m.CAKeyPath.ValueString(), "")
	if err != nil {
		return nil, err
	}
	defer clear(raw)
	req, _ := m.request(ctx)
	cert, err := pki.Issue([]byte(m.CACertPEM.ValueString()), caKey, pub, req, pkiNow())
	if err != nil {
		return nil, errors.New(caHost + ": " + err.Error())
	}
	return cert, nil
}

func newKey(alg string) (crypto.Signer, []byte, error) {
	key, err := pki.Generate(pki.Algorithm(alg))
	if err != nil {
		return nil, nil, err
	}
	pem, err := pki.EncodeKey(key)
	return key, pem, err
}

func (r *pkiCertificateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan pkiCertificateResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pl, _ := plan.placement(ctx)
	hostList := strings.Join(pl.Hosts, ", ")
	hs, diags := pkiHosts(r.data, pl.Hosts)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	files, err := hs.Inspect(ctx, pl)
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("create certificate", "", err))
		return
	}
	var key crypto.Signer
	var keyPEM []byte
	sha, src, found, err := pki.IdentifyKey(pl, files)
	switch {
	case err != nil:
		resp.Diagnostics.Append(pkiErrorDiag("create certificate", "", err))
		return
	case found:
		// A key already there (a create that was cut off, or one made by
		// hand) is adopted, never overwritten.
		key, keyPEM, err = pki.ReadKey(ctx, hs[src], pl.KeyPath, sha)
		resp.Diagnostics.Append(pkiAdoptedDiag("key", src+":"+pl.KeyPath))
	default:
		key, keyPEM, err = newKey(plan.KeyAlgorithm.ValueString())
	}
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("create certificate", "", err))
		return
	}
	defer clear(keyPEM)
	cert, err := r.issue(ctx, plan, key.Public())
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("create certificate", "", err))
		return
	}
	w := pki.Want{KeySHA: file.Hash(keyPEM), CertPEM: cert, CAPEM: []byte(plan.CACertPEM.ValueString())}
	statuses, err := hs.Deploy(ctx, pl, files, w, keyPEM)
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("create certificate", "", err))
	}
	if err := plan.set(cert, w.KeySHA); err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("create certificate", "", err))
	}
	plan.KeyAlgorithm = types.StringValue(string(pki.AlgorithmOf(key.Public())))
	plan.ID = types.StringValue(pkiCertID(pl.Hosts, pl.CertPath, pl.KeyPath, pl.CAPath))
	plan.Copies = mapValue(statuses)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(r.readBack(ctx, hs, &plan)...)
	}
	saveApplied(ctx, &resp.State, &resp.Diagnostics, hostList, &plan, r.readFiles(hs))
}

// readFiles reads the files after a failed step: the certificate is in
// state when a host has its key.
func (r *pkiCertificateResource) readFiles(hs pki.Hosts) readBackFunc[pkiCertificateResourceModel] {
	return func(ctx context.Context, m *pkiCertificateResourceModel) (bool, error) {
		pl, _ := m.placement(ctx)
		files, err := hs.Inspect(ctx, pl)
		if err != nil {
			return false, err
		}
		m.Copies = mapValue(m.want().Statuses(pl, files))
		_, held := m.want().KeyHolder(pl, files)
		return held, nil
	}
}

// readBack checks every host's files after a write.
func (r *pkiCertificateResource) readBack(ctx context.Context, hs pki.Hosts, m *pkiCertificateResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	pl, _ := m.placement(ctx)
	files, err := hs.Inspect(ctx, pl)
	if err != nil {
		diags.Append(pkiErrorDiag("read certificate", "", err))
		return diags
	}
	m.Copies = mapValue(m.want().Statuses(pl, files))
	return diags
}

func (r *pkiCertificateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state pkiCertificateResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pl, _ := state.placement(ctx)
	hs, diags := pkiHosts(r.data, pl.Hosts)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	files, err := hs.Inspect(ctx, pl)
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("read certificate", "", err))
		return
	}
	if state.CertPEM.IsNull() {
		sha, src, found, err := pki.IdentifyKey(pl, files)
		if err == nil && !found {
			resp.State.RemoveResource(ctx)
			return
		}
		if err == nil {
			err = importCertificate(ctx, hs, pl, src, sha, &state)
		}
		if err != nil {
			resp.Diagnostics.Append(pkiErrorDiag("import certificate", "", err))
			return
		}
	}
	state.Copies = mapValue(state.want().Statuses(pl, files))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// importCertificate fills an imported certificate's state from the files
// of the first host that has the key.
func importCertificate(ctx context.Context, hs pki.Hosts, pl pki.Placement, src, sha string, m *pkiCertificateResourceModel) error {
	t := hs[src]
	certPEM, err := t.ReadFile(ctx, pl.CertPath)
	if err != nil {
		return err
	}
	in, c, err := pki.Describe(certPEM)
	if err != nil {
		return err
	}
	key, raw, err := pki.ReadKey(ctx, t, pl.KeyPath, sha)
	if err != nil {
		return err
	}
	clear(raw)
	if !pki.SameKey(key.Public(), c.PublicKey) {
		return pkiMismatch(pki.Placement{Hosts: []string{src}, KeyPath: pl.KeyPath, CertPath: pl.CertPath})
	}
	if pl.CAPath != "" {
		if ca, err := t.ReadFile(ctx, pl.CAPath); err == nil {
			m.CACertPEM = types.StringValue(string(ca))
		}
	}
	if err := m.set(certPEM, sha); err != nil {
		return err
	}
	m.Subject = subjectObject(in.Subject)
	m.KeyAlgorithm = types.StringValue(string(in.Algorithm))
	m.ValidityDays = types.Int64Value(in.ValidityDays())
	m.DNSNames = stringList(in.DNSNames)
	m.IPAddresses = stringList(in.IPAddresses)
	us := make([]string, len(in.Usages))
	for i, u := range in.Usages {
		us[i] = string(u)
	}
	m.Usages = stringList(us)
	return nil
}

func (r *pkiCertificateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior pkiCertificateResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pl, _ := plan.placement(ctx)
	old, _ := prior.placement(ctx)
	hs, diags := pkiHosts(r.data, append(slices.Clone(pl.Hosts), old.Hosts...))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	fail := func(err error) { resp.Diagnostics.Append(pkiErrorDiag("update certificate", "", err)) }
	// The key: from a host that has it, or new when none has.
	all := pki.Placement{Hosts: unionStrings(pl.Hosts, old.Hosts), KeyPath: old.KeyPath, CertPath: old.CertPath, CAPath: old.CAPath}
	oldFiles, err := hs.Inspect(ctx, all)
	if err != nil {
		fail(err)
		return
	}
	files, err := hs.Inspect(ctx, pl)
	if err != nil {
		fail(err)
		return
	}
	w := prior.want()
	w.CAPEM = []byte(plan.CACertPEM.ValueString())
	var pub crypto.PublicKey
	var keyPEM []byte
	holder, held := w.KeyHolder(all, oldFiles)
	if !held {
		if _, h := w.KeyHolder(pl, files); h {
			holder, held, all = "", true, pl
		}
	}
	switch {
	case !held:
		key, raw, err := newKey(plan.KeyAlgorithm.ValueString())
		if err != nil {
			fail(err)
			return
		}
		keyPEM, pub, w.KeySHA = raw, key.Public(), file.Hash(raw)
	default:
		if c, err := pki.ParseCert(w.CertPEM); err == nil {
			pub = c.PublicKey
		}
		if w.NeedsKey(pl, files) {
			if holder == "" {
				holder, _ = w.KeyHolder(pl, files)
			}
			_, raw, err := pki.ReadKey(ctx, hs[holder], all.KeyPath, w.KeySHA)
			if err != nil {
				fail(err)
				return
			}
			keyPEM = raw
		}
	}
	defer clear(keyPEM)
	if plan.CertPEM.IsUnknown() || !held {
		cert, err := r.issue(ctx, plan, pub)
		if err != nil {
			fail(err)
			return
		}
		w.CertPEM = cert
	}
	statuses, err := hs.Deploy(ctx, pl, files, w, keyPEM)
	if err != nil {
		fail(err)
	}
	if !resp.Diagnostics.HasError() {
		// Files of hosts and paths no longer declared go.
		for _, h := range old.Hosts {
			gone := pki.Placement{Hosts: []string{h}}
			stays := slices.Contains(pl.Hosts, h)
			if !stays || old.CertPath != pl.CertPath {
				gone.CertPath = old.CertPath
			}
			if !stays || old.KeyPath != pl.KeyPath {
				gone.KeyPath = old.KeyPath
			}
			if !stays || old.CAPath != pl.CAPath {
				gone.CAPath = old.CAPath
			}
			pw := prior.want()
			left, err := hs.Remove(ctx, gone, pki.Want{KeySHA: pw.KeySHA, CertPEM: pw.CertPEM, CAPEM: pw.CAPEM}, []string{h})
			if err != nil {
				fail(err)
			}
			if len(left) > 0 {
				resp.Diagnostics.Append(pkiLeftDiag(left))
			}
		}
	}
	if err := plan.set(w.CertPEM, w.KeySHA); err != nil {
		fail(err)
	}
	plan.ID = types.StringValue(pkiCertID(pl.Hosts, pl.CertPath, pl.KeyPath, pl.CAPath))
	plan.Copies = mapValue(statuses)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(r.readBack(ctx, hs, &plan)...)
	}
	saveApplied(ctx, &resp.State, &resp.Diagnostics, strings.Join(pl.Hosts, ", "), &plan, r.readFiles(hs))
}

func (r *pkiCertificateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state pkiCertificateResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pl, _ := state.placement(ctx)
	hs, diags := pkiHosts(r.data, pl.Hosts)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	left, err := hs.Remove(ctx, pl, state.want(), pl.Hosts)
	if err != nil {
		resp.Diagnostics.Append(pkiErrorDiag("delete certificate", "", err))
	}
	if len(left) > 0 {
		resp.Diagnostics.Append(pkiLeftDiag(left))
	}
}

func (r *pkiCertificateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts := strings.Split(req.ID, ":")
	ok := len(parts) == 3 || len(parts) == 4
	var hosts []string
	if ok {
		hosts = strings.Split(parts[0], ",")
		for i, h := range hosts {
			ok = ok && hostNamePattern.MatchString(h) && !slices.Contains(hosts[:i], h)
		}
		for _, p := range parts[1:] {
			ok = ok && pki.ValidatePath(p) == nil
		}
	}
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOSTS:CERT_PATH:KEY_PATH[:CA_CERT_PATH] (f0,f1:/usr/local/etc/stunnel/server-cert.pem:/usr/local/etc/stunnel/server-key.pem)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("hosts"), stringList(hosts))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("cert_path"), parts[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("key_path"), parts[2])...)
	if len(parts) == 4 {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("ca_cert_path"), parts[3])...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("early_renewal_hours"), int64(720))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("ca_key_path"), defaultCAKeyPath)...)
}
