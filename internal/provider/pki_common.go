package provider

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/f3s-storage/terraform-provider-f3s/internal/pki"
)

// The article's paths of the CA on f0.
const (
	defaultCAKeyPath  = "/usr/local/etc/stunnel/ca/ca-key.pem"
	defaultCACertPath = "/usr/local/etc/stunnel/ca/ca-cert.pem"
)

var objectAsOptions = basetypes.ObjectAsOptions{}

// pkiClockOffset moves the PKI resources' clock (tests reach a renewal
// window with it).
var pkiClockOffset atomic.Int64

// pkiNow is the clock of the PKI resources.
func pkiNow() time.Time { return time.Now().Add(time.Duration(pkiClockOffset.Load())) }

type subjectModel struct {
	CommonName         types.String `tfsdk:"common_name"`
	Organization       types.String `tfsdk:"organization"`
	OrganizationalUnit types.String `tfsdk:"organizational_unit"`
	Country            types.String `tfsdk:"country"`
	Province           types.String `tfsdk:"province"`
	Locality           types.String `tfsdk:"locality"`
}

var subjectAttrTypes = map[string]attr.Type{"common_name": types.StringType, "organization": types.StringType,
	"organizational_unit": types.StringType, "country": types.StringType, "province": types.StringType, "locality": types.StringType}

func (s subjectModel) toDomain() pki.Subject {
	return pki.Subject{CommonName: s.CommonName.ValueString(), Organization: s.Organization.ValueString(),
		OrganizationalUnit: s.OrganizationalUnit.ValueString(), Country: s.Country.ValueString(),
		Province: s.Province.ValueString(), Locality: s.Locality.ValueString()}
}

func subjectFromDomain(s pki.Subject) subjectModel {
	return subjectModel{CommonName: types.StringValue(s.CommonName), Organization: optionalString(s.Organization),
		OrganizationalUnit: optionalString(s.OrganizationalUnit), Country: optionalString(s.Country),
		Province: optionalString(s.Province), Locality: optionalString(s.Locality)}
}

func (s subjectModel) known() bool {
	for _, v := range []types.String{s.CommonName, s.Organization, s.OrganizationalUnit, s.Country, s.Province, s.Locality} {
		if v.IsUnknown() {
			return false
		}
	}
	return true
}

func subjectObject(s pki.Subject) types.Object {
	v, _ := types.ObjectValueFrom(context.Background(), subjectAttrTypes, subjectFromDomain(s))
	return v
}

func readSubject(ctx context.Context, o types.Object) (pki.Subject, bool) {
	if o.IsNull() || o.IsUnknown() {
		return pki.Subject{}, false
	}
	var s subjectModel
	if d := o.As(ctx, &s, objectAsOptions); d.HasError() || !s.known() {
		return pki.Subject{}, false
	}
	return s.toDomain(), true
}

func nameAttr(desc string, extra ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Optional: true,
		Validators: append([]validator.String{domainValidator("Invalid Subject", "must be 1 to 64 printable characters", pki.ValidateName)}, extra...)}
}

func subjectAttribute(what string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The " + what + "'s distinguished name, as `openssl req -subj` writes it " +
			"(`/C=US/ST=State/L=City/O=F3S Storage/CN=...`). Changing it re-issues the certificate from the same key.",
		Required: true,
		Attributes: map[string]schema.Attribute{
			"common_name": schema.StringAttribute{MarkdownDescription: "`CN`.", Required: true,
				Validators: []validator.String{domainValidator("Invalid Subject", "must be 1 to 64 printable characters", pki.ValidateName)}},
			"organization":        nameAttr("`O` (`F3S Storage`)."),
			"organizational_unit": nameAttr("`OU`."),
			"country":             nameAttr("`C`, two letters (`US`).", domainValidator("Invalid Country", "must be two capital letters", pki.ValidateCountry)),
			"province":            nameAttr("`ST`."),
			"locality":            nameAttr("`L`."),
		},
	}
}

func keyAlgorithmAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The key's algorithm: `" + strings.Join(pki.Algorithms(), "`, `") + "`. `" + string(pki.DefaultAlgorithm) +
			"` by default, as the article's `openssl genrsa 4096`. The key is generated in the provider's memory. " +
			"Changing it replaces the resource (a new key).",
		Optional:      true,
		Computed:      true,
		Default:       stringdefault.StaticString(string(pki.DefaultAlgorithm)),
		Validators:    []validator.String{stringvalidator.OneOf(pki.Algorithms()...)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

func validityAttribute(def int64) schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: "How many days the certificate is valid from its issue, as openssl's `-days`. Changing " +
			"it re-issues the certificate.",
		Optional:   true,
		Computed:   true,
		Default:    int64default.StaticInt64(def),
		Validators: []validator.Int64{int64validator.Between(1, 36500)},
	}
}

func earlyRenewalAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: "Re-issue the certificate (same key) once fewer than this many hours of its validity " +
			"are left: from then on, the plan shows the re-issue. `720` (30 days) by default.",
		Optional:   true,
		Computed:   true,
		Default:    int64default.StaticInt64(720),
		Validators: []validator.Int64{int64validator.AtLeast(0)},
	}
}

func pkiComputed(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
}

// certComputed are the attributes every issued certificate reports.
type certComputed struct {
	CertPEM         types.String `tfsdk:"cert_pem"`
	CertFingerprint types.String `tfsdk:"cert_fingerprint"`
	KeyFingerprint  types.String `tfsdk:"key_fingerprint"`
	KeyFileSHA256   types.String `tfsdk:"key_file_sha256"`
	SerialNumber    types.String `tfsdk:"serial_number"`
	NotBefore       types.String `tfsdk:"not_before"`
	NotAfter        types.String `tfsdk:"not_after"`
}

func certComputedAttributes(attrs map[string]schema.Attribute) {
	attrs["cert_pem"] = pkiComputed("The certificate, PEM: public, for other resources (`ca_cert_pem`) and outputs.")
	attrs["cert_fingerprint"] = pkiComputed("SHA-256 of the certificate's DER, in hex (`openssl x509 -fingerprint -sha256`, without colons).")
	attrs["key_fingerprint"] = pkiComputed("SHA-256 of the public key (DER SubjectPublicKeyInfo), in hex: the same for the " +
		"private key and the certificate, and nothing of the private key.")
	attrs["key_file_sha256"] = pkiComputed("SHA-256 of the key file as written (`sha256 -q KEY_PATH`): how a key file changed " +
		"or removed on a host is seen. It reveals nothing of the key.")
	attrs["serial_number"] = pkiComputed("The certificate's serial number, hex.")
	attrs["not_before"] = pkiComputed("Start of the certificate's validity (RFC 3339).")
	attrs["not_after"] = pkiComputed("End of the certificate's validity (RFC 3339).")
}

func (c *certComputed) set(certPEM []byte, keySHA string) error {
	in, _, err := pki.Describe(certPEM)
	if err != nil {
		return err
	}
	c.CertPEM = types.StringValue(string(certPEM))
	c.CertFingerprint = types.StringValue(in.Fingerprint)
	c.KeyFingerprint = types.StringValue(in.KeyFingerprint)
	c.KeyFileSHA256 = types.StringValue(keySHA)
	c.SerialNumber = types.StringValue(in.Serial)
	c.NotBefore = types.StringValue(in.NotBefore.Format(time.RFC3339))
	c.NotAfter = types.StringValue(in.NotAfter.Format(time.RFC3339))
	return nil
}

// unknownCert marks what a re-issue changes as unknown; keepKey keeps the
// key's fingerprints (a re-issue from the same key).
func (c *certComputed) unknownCert(keepKey bool) {
	c.CertPEM, c.CertFingerprint, c.SerialNumber = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	c.NotBefore, c.NotAfter = types.StringUnknown(), types.StringUnknown()
	if !keepKey {
		c.KeyFingerprint, c.KeyFileSHA256 = types.StringUnknown(), types.StringUnknown()
	}
}

// dueForRenewal tells whether a certificate is within its early renewal
// window now.
func dueForRenewal(certPEM string, earlyHours int64) bool {
	in, _, err := pki.Describe([]byte(certPEM))
	return err == nil && in.DueForRenewal(pkiNow(), earlyHours)
}
