package pki

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 5280's method 1 for key identifiers, not a security use.
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"slices"
	"strings"
	"time"
)

// Subject is a certificate's distinguished name, as openssl req -subj
// writes it (/C=US/ST=State/L=City/O=F3S Storage/CN=F3S Stunnel CA).
type Subject struct {
	CommonName         string
	Organization       string
	OrganizationalUnit string
	Country            string
	Province           string
	Locality           string
}

func (s Subject) name() pkix.Name {
	one := func(v string) []string {
		if v == "" {
			return nil
		}
		return []string{v}
	}
	return pkix.Name{CommonName: s.CommonName, Organization: one(s.Organization),
		OrganizationalUnit: one(s.OrganizationalUnit), Country: one(s.Country),
		Province: one(s.Province), Locality: one(s.Locality)}
}

// SubjectOf reads a certificate's subject back; a name with several values
// of one attribute keeps the first.
func SubjectOf(n pkix.Name) Subject {
	first := func(v []string) string {
		if len(v) == 0 {
			return ""
		}
		return v[0]
	}
	return Subject{CommonName: n.CommonName, Organization: first(n.Organization),
		OrganizationalUnit: first(n.OrganizationalUnit), Country: first(n.Country),
		Province: first(n.Province), Locality: first(n.Locality)}
}

// String is the subject in openssl's -subj form.
func (s Subject) String() string {
	var b strings.Builder
	for _, p := range [][2]string{{"C", s.Country}, {"ST", s.Province}, {"L", s.Locality},
		{"O", s.Organization}, {"OU", s.OrganizationalUnit}, {"CN", s.CommonName}} {
		if p[1] != "" {
			b.WriteString("/" + p[0] + "=" + p[1])
		}
	}
	return b.String()
}

// Usage is what a certificate may authenticate.
type Usage string

// The extended key usages of a stunnel certificate.
const (
	ServerAuth Usage = "server_auth"
	ClientAuth Usage = "client_auth"
)

// Usages lists the accepted usages, for validators and docs.
func Usages() []string { return []string{string(ServerAuth), string(ClientAuth)} }

var extUsages = map[Usage]x509.ExtKeyUsage{ServerAuth: x509.ExtKeyUsageServerAuth, ClientAuth: x509.ExtKeyUsageClientAuth}

// Request is what a certificate is to say.
type Request struct {
	Subject     Subject
	DNSNames    []string
	IPAddresses []string
	Usages      []Usage
	// Validity is how long the certificate is valid from its issue.
	Validity time.Duration
}

// Days is a validity of n days, as openssl's -days.
func Days(n int64) time.Duration { return time.Duration(n) * 24 * time.Hour }

// IssueCA makes a self-signed CA certificate for key, valid from now. The
// same key re-issued keeps every certificate it signed valid, as long as
// the subject stays the same.
func IssueCA(key crypto.Signer, subj Subject, validity time.Duration, now time.Time) ([]byte, error) {
	ski, err := keyID(key.Public())
	if err != nil {
		return nil, err
	}
	tmpl, err := template(subj.name(), validity, now)
	if err != nil {
		return nil, err
	}
	tmpl.IsCA = true
	tmpl.BasicConstraintsValid = true
	tmpl.MaxPathLenZero = true
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
	tmpl.SubjectKeyId = ski
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("signing the CA certificate: %w", err)
	}
	return encodeCert(der), nil
}

// Issue makes a certificate for pub, signed by the CA (its certificate in
// PEM and its key), valid from now.
func Issue(caPEM []byte, caKey crypto.Signer, pub crypto.PublicKey, req Request, now time.Time) ([]byte, error) {
	ca, err := ParseCert(caPEM)
	if err != nil {
		return nil, fmt.Errorf("the CA certificate: %w", err)
	}
	if !SameKey(ca.PublicKey, caKey.Public()) {
		return nil, fmt.Errorf("the CA's key: %w", ErrKeyMismatch)
	}
	tmpl, err := template(req.Subject.name(), req.Validity, now)
	if err != nil {
		return nil, err
	}
	// Nothing outlives its CA: a peer would refuse it then anyway.
	if tmpl.NotAfter.After(ca.NotAfter) {
		tmpl.NotAfter = ca.NotAfter.UTC()
	}
	tmpl.DNSNames = slices.Clone(req.DNSNames)
	for _, s := range req.IPAddresses {
		ip := net.ParseIP(s)
		if ip == nil {
			return nil, fmt.Errorf("%q is not an IP address", s)
		}
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	}
	for _, u := range req.Usages {
		eu, ok := extUsages[u]
		if !ok {
			return nil, fmt.Errorf("unknown usage %q", u)
		}
		tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, eu)
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	if AlgorithmOf(pub) == RSA2048 || AlgorithmOf(pub) == RSA3072 || AlgorithmOf(pub) == RSA4096 {
		tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	tmpl.BasicConstraintsValid = true
	if tmpl.SubjectKeyId, err = keyID(pub); err != nil {
		return nil, err
	}
	tmpl.AuthorityKeyId = ca.SubjectKeyId
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, pub, caKey)
	if err != nil {
		return nil, fmt.Errorf("signing the certificate: %w", err)
	}
	return encodeCert(der), nil
}

func template(name pkix.Name, validity time.Duration, now time.Time) (*x509.Certificate, error) {
	if validity <= 0 {
		return nil, errors.New("the validity must be positive")
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	// Whole seconds, so that the validity read back from the certificate is
	// the one asked for.
	from := now.UTC().Truncate(time.Second)
	return &x509.Certificate{SerialNumber: serial.Add(serial, big.NewInt(1)), Subject: name,
		NotBefore: from, NotAfter: from.Add(validity)}, nil
}

// keyID is RFC 5280's key identifier: SHA-1 of the public key bits.
func keyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, err
	}
	sum := sha1.Sum(spki.PublicKey.Bytes) //nolint:gosec // see import
	return sum[:], nil
}

func encodeCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// ParseCert reads the first certificate of a PEM file.
func ParseCert(data []byte) (*x509.Certificate, error) {
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, errors.New("no PEM certificate found")
		}
		if b.Type == "CERTIFICATE" {
			return x509.ParseCertificate(b.Bytes)
		}
	}
}

// CertFingerprint is the SHA-256 of the certificate's DER, as
// `openssl x509 -fingerprint -sha256` prints it (without the colons).
func CertFingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}

// Info is what callers keep of a certificate.
type Info struct {
	Subject        Subject
	Issuer         Subject
	DNSNames       []string
	IPAddresses    []string
	Usages         []Usage
	NotBefore      time.Time
	NotAfter       time.Time
	Serial         string // hex
	Fingerprint    string // CertFingerprint
	KeyFingerprint string // Fingerprint of its public key
	Algorithm      Algorithm
	IsCA           bool
}

// Describe reads what a certificate says.
func Describe(data []byte) (Info, *x509.Certificate, error) {
	c, err := ParseCert(data)
	if err != nil {
		return Info{}, nil, err
	}
	kfp, err := Fingerprint(c.PublicKey)
	if err != nil {
		return Info{}, nil, err
	}
	in := Info{Subject: SubjectOf(c.Subject), Issuer: SubjectOf(c.Issuer), DNSNames: c.DNSNames,
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(), Serial: c.SerialNumber.Text(16),
		Fingerprint: CertFingerprint(c), KeyFingerprint: kfp, Algorithm: AlgorithmOf(c.PublicKey), IsCA: c.IsCA}
	for _, ip := range c.IPAddresses {
		in.IPAddresses = append(in.IPAddresses, ip.String())
	}
	for _, eu := range c.ExtKeyUsage {
		for u, x := range extUsages {
			if x == eu {
				in.Usages = append(in.Usages, u)
			}
		}
	}
	return in, c, nil
}

// ValidityDays is how many days a certificate is valid, to the nearest
// day (a certificate cut to its CA's end a few seconds early still reads
// as the validity it was asked for).
func (in Info) ValidityDays() int64 {
	return int64((in.NotAfter.Sub(in.NotBefore) + 12*time.Hour) / (24 * time.Hour))
}

// DueForRenewal tells whether now is within earlyHours of the end of the
// certificate's validity (or past it).
func (in Info) DueForRenewal(now time.Time, earlyHours int64) bool {
	return !now.Before(in.NotAfter.Add(-time.Duration(earlyHours) * time.Hour))
}

// Verify checks that cert chains to the CA certificate for usage at now, as
// a TLS peer checks it: signature, validity, CA constraints, usage.
func Verify(certPEM, caPEM []byte, usage Usage, now time.Time) error {
	c, err := ParseCert(certPEM)
	if err != nil {
		return err
	}
	ca, err := ParseCert(caPEM)
	if err != nil {
		return fmt.Errorf("the CA certificate: %w", err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	opts := x509.VerifyOptions{Roots: roots, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{extUsages[usage]}}
	if usage == "" {
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	}
	_, err = c.Verify(opts)
	return err
}

// SignedBy tells whether cert was signed by the CA certificate's key and
// names it as issuer: true means the CA (re-issued from the same key, say)
// still vouches for it.
func SignedBy(certPEM, caPEM []byte) bool {
	c, err := ParseCert(certPEM)
	if err != nil {
		return false
	}
	ca, err := ParseCert(caPEM)
	if err != nil {
		return false
	}
	return bytes.Equal(c.RawIssuer, ca.RawSubject) && c.CheckSignatureFrom(ca) == nil
}
