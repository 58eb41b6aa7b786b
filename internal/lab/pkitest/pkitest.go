// Package pkitest makes the article's private CA and its certificates for
// tests (crypto/x509, ECDSA P-256 keys so that tests stay fast): a CA, a
// server certificate for the storage VIP's name, client certificates, and
// the bad ones a test needs (another CA's, expired, self-signed).
package pkitest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync/atomic"
	"testing"
	"time"
)

// Default validity: ten years from 2025-01-01, around the labs' clocks.
var (
	DefaultNotBefore = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	DefaultNotAfter  = DefaultNotBefore.AddDate(10, 0, 0)
)

var serial atomic.Int64

// Subject is the article's subject for common name cn:
// /C=US/ST=State/L=City/O=F3S Storage/CN=cn.
func Subject(cn string) pkix.Name {
	return pkix.Name{Country: []string{"US"}, Province: []string{"State"}, Locality: []string{"City"}, Organization: []string{"F3S Storage"}, CommonName: cn}
}

// CA is a certificate authority.
type CA struct {
	Cert    *x509.Certificate
	Key     *ecdsa.PrivateKey
	CertPEM []byte
}

// Cert is an issued certificate with its key, both PEM-encoded.
type Cert struct {
	Cert    *x509.Certificate
	CertPEM []byte
	KeyPEM  []byte
}

// Option changes a certificate template before it is signed.
type Option func(*x509.Certificate)

// DNS sets the subjectAltName DNS names.
func DNS(names ...string) Option { return func(c *x509.Certificate) { c.DNSNames = names } }

// Valid sets the validity period.
func Valid(from, to time.Time) Option {
	return func(c *x509.Certificate) { c.NotBefore, c.NotAfter = from, to }
}

// Usage sets the extended key usages.
func Usage(u ...x509.ExtKeyUsage) Option { return func(c *x509.Certificate) { c.ExtKeyUsage = u } }

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func template(cn string, opts []Option) *x509.Certificate {
	c := &x509.Certificate{
		SerialNumber: big.NewInt(1000 + serial.Add(1)),
		Subject:      Subject(cn),
		NotBefore:    DefaultNotBefore,
		NotAfter:     DefaultNotAfter,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// NewCA makes a self-signed CA named cn (the article's is "F3S Stunnel CA").
func NewCA(t testing.TB, cn string, opts ...Option) *CA {
	t.Helper()
	k := newKey(t)
	tmpl := template(cn, opts)
	tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &CA{Cert: c, Key: k, CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// Issue signs a certificate for cn with a new key.
func (ca *CA) Issue(t testing.TB, cn string, opts ...Option) *Cert {
	t.Helper()
	k := newKey(t)
	der, err := x509.CreateCertificate(rand.Reader, template(cn, opts), ca.Cert, &k.PublicKey, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	return finish(t, der, k)
}

// SelfSigned makes a self-signed end-entity certificate for cn.
func SelfSigned(t testing.TB, cn string, opts ...Option) *Cert {
	t.Helper()
	k := newKey(t)
	tmpl := template(cn, opts)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return finish(t, der, k)
}

func finish(t testing.TB, der []byte, k *ecdsa.PrivateKey) *Cert {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return &Cert{
		Cert:    c,
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd}),
	}
}

// Bundle is the certificate followed by its key, one file for stunnel's
// "cert" alone (its key defaults to cert).
func (c *Cert) Bundle() []byte { return append(append([]byte(nil), c.CertPEM...), c.KeyPEM...) }
