package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

var (
	now       = time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	caSubject = Subject{Country: "US", Province: "State", Locality: "City", Organization: "F3S Storage", CommonName: "F3S Stunnel CA"}
)

func mustKey(t *testing.T, alg Algorithm) *ecdsa.PrivateKey {
	t.Helper()
	k, err := Generate(alg)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*ecdsa.PrivateKey)
}

func mustCA(t *testing.T) (*ecdsa.PrivateKey, []byte) {
	t.Helper()
	key := mustKey(t, ECDSAP256)
	ca, err := IssueCA(key, caSubject, Days(3650), now)
	if err != nil {
		t.Fatal(err)
	}
	return key, ca
}

func TestCA(t *testing.T) {
	key, ca := mustCA(t)
	in, c, err := Describe(ca)
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsCA || !in.IsCA || in.Subject != caSubject || in.Issuer != caSubject {
		t.Errorf("CA = %+v", in)
	}
	if got := in.Subject.String(); got != "/C=US/ST=State/L=City/O=F3S Storage/CN=F3S Stunnel CA" {
		t.Errorf("subject %s", got)
	}
	if in.ValidityDays() != 3650 || !in.NotBefore.Equal(now) {
		t.Errorf("validity %d days from %s", in.ValidityDays(), in.NotBefore)
	}
	fp, _ := Fingerprint(key.Public())
	if in.KeyFingerprint != fp || in.Algorithm != ECDSAP256 {
		t.Errorf("key fingerprint %s, want %s (%s)", in.KeyFingerprint, fp, in.Algorithm)
	}
	if c.KeyUsage&x509.KeyUsageCertSign == 0 || !c.BasicConstraintsValid || !c.MaxPathLenZero {
		t.Errorf("CA constraints: usage %v, basic %v", c.KeyUsage, c.BasicConstraintsValid)
	}
}

func issue(t *testing.T, caKey *ecdsa.PrivateKey, ca []byte, req Request, at time.Time) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	k := mustKey(t, ECDSAP256)
	c, err := Issue(ca, caKey, k.Public(), req, at)
	if err != nil {
		t.Fatal(err)
	}
	return c, k
}

var serverReq = Request{Subject: Subject{Organization: "F3S Storage", CommonName: "f3s-storage-ha.lan"},
	DNSNames: []string{"f3s-storage-ha.lan", "f3s-storage-ha"}, IPAddresses: []string{"192.168.1.138"},
	Usages: []Usage{ServerAuth}, Validity: Days(365)}

func TestChains(t *testing.T) {
	caKey, ca := mustCA(t)
	srv, _ := issue(t, caKey, ca, serverReq, now)
	cli, _ := issue(t, caKey, ca, Request{Subject: Subject{CommonName: "r0.lan.buetow.org"}, Usages: []Usage{ClientAuth}, Validity: Days(365)}, now)
	otherKey, other := mustCA(t)
	foreign, _ := issue(t, otherKey, other, serverReq, now)

	in, c, err := Describe(srv)
	if err != nil {
		t.Fatal(err)
	}
	if c.IsCA || in.Issuer != caSubject || strings.Join(in.DNSNames, ",") != "f3s-storage-ha.lan,f3s-storage-ha" ||
		strings.Join(in.IPAddresses, ",") != "192.168.1.138" || len(in.Usages) != 1 || in.Usages[0] != ServerAuth {
		t.Errorf("server certificate = %+v", in)
	}
	if err := c.VerifyHostname("f3s-storage-ha.lan"); err != nil {
		t.Error(err)
	}
	if err := c.VerifyHostname("192.168.1.138"); err != nil {
		t.Error(err)
	}
	for _, tt := range []struct {
		name  string
		cert  []byte
		ca    []byte
		usage Usage
		at    time.Time
		ok    bool
	}{
		{"server", srv, ca, ServerAuth, now.Add(time.Hour), true},
		{"client", cli, ca, ClientAuth, now.Add(time.Hour), true},
		{"server cert used as client", srv, ca, ClientAuth, now.Add(time.Hour), false},
		{"client cert used as server", cli, ca, ServerAuth, now.Add(time.Hour), false},
		{"other CA", foreign, ca, ServerAuth, now.Add(time.Hour), false},
		{"expired", srv, ca, ServerAuth, now.Add(Days(366)), false},
		{"not yet valid", srv, ca, ServerAuth, now.Add(-time.Hour), false},
	} {
		err := Verify(tt.cert, tt.ca, tt.usage, tt.at)
		if (err == nil) != tt.ok {
			t.Errorf("%s: Verify = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
	if !SignedBy(srv, ca) || SignedBy(foreign, ca) {
		t.Error("SignedBy")
	}
	// A CA re-issued from the same key (new validity) still vouches for
	// what it signed; one with another subject does not.
	again, err := IssueCA(caKey, caSubject, Days(7300), now.Add(Days(100)))
	if err != nil {
		t.Fatal(err)
	}
	if !SignedBy(srv, again) || Verify(srv, again, ServerAuth, now.Add(Days(101))) != nil {
		t.Error("the re-issued CA does not vouch for the old certificate")
	}
	renamed := caSubject
	renamed.CommonName = "Other CA"
	moved, _ := IssueCA(caKey, renamed, Days(3650), now)
	if SignedBy(srv, moved) {
		t.Error("a CA with another subject vouches for the old certificate")
	}
}

func TestIssueRefusals(t *testing.T) {
	caKey, ca := mustCA(t)
	long := serverReq
	long.Validity = Days(4000)
	c, err := Issue(ca, caKey, caKey.Public(), long, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if in, _, _ := Describe(c); !in.NotAfter.Equal(now.Add(Days(3650))) {
		t.Errorf("a certificate outliving its CA ends %s", in.NotAfter)
	}
	otherKey := mustKey(t, ECDSAP256)
	if _, err := Issue(ca, otherKey, caKey.Public(), serverReq, now); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("signing with a key that is not the CA's: %v", err)
	}
}

func TestKeys(t *testing.T) {
	for _, alg := range []Algorithm{ECDSAP256, ECDSAP384, RSA2048} {
		k, err := Generate(alg)
		if err != nil {
			t.Fatal(err)
		}
		if AlgorithmOf(k.Public()) != alg {
			t.Errorf("%s: AlgorithmOf = %s", alg, AlgorithmOf(k.Public()))
		}
		enc, err := EncodeKey(k)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(enc), "-----BEGIN PRIVATE KEY-----\n") {
			t.Errorf("%s: encoding %.40q", alg, enc)
		}
		again, _ := EncodeKey(k)
		if string(again) != string(enc) {
			t.Errorf("%s: the encoding is not deterministic", alg)
		}
		back, err := ParseKey(enc)
		if err != nil || !SameKey(back.Public(), k.Public()) {
			t.Errorf("%s: ParseKey = %v", alg, err)
		}
	}
	// openssl genrsa (OpenSSL 1.1) writes PKCS#1.
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)})
	if k, err := ParseKey(pkcs1); err != nil || !SameKey(k.Public(), rk.Public()) {
		t.Errorf("PKCS#1: %v", err)
	}
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalECPrivateKey(ek)
	if _, err := ParseKey(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})); err != nil {
		t.Errorf("SEC 1: %v", err)
	}
	bad := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("secret-material-here")})
	if _, err := ParseKey(bad); err == nil || strings.Contains(err.Error(), "secret-material") {
		t.Errorf("a broken key: %v", err)
	}
	if _, err := ParseKey([]byte("nothing")); err == nil {
		t.Error("no key accepted")
	}
}

func TestRenewal(t *testing.T) {
	in := Info{NotBefore: now, NotAfter: now.Add(Days(10))}
	if in.DueForRenewal(now.Add(Days(8)), 24) || !in.DueForRenewal(now.Add(Days(9)), 24) || !in.DueForRenewal(now.Add(Days(11)), 0) {
		t.Error("DueForRenewal")
	}
}

func regular(sha string, mode fs.FileMode, owner string) Copy {
	return Copy{Present: true, State: file.State{Stat: file.Stat{Mode: mode, Owner: owner, Kind: file.Regular}, SHA256: sha}}
}

func TestStatus(t *testing.T) {
	cert, ca := []byte("cert"), []byte("ca")
	w := Want{KeySHA: "k", CertPEM: cert, CAPEM: ca}
	pl := Placement{Hosts: []string{"f0", "f1"}, CertPath: "/c", KeyPath: "/k", CAPath: "/ca"}
	good := HostFiles{Key: regular("k", KeyMode, "root"), Cert: regular(file.Hash(cert), CertMode, "root"), CA: regular(file.Hash(ca), CertMode, "root")}
	tests := []struct {
		name  string
		f     HostFiles
		want  string
		holds bool
	}{
		{"ok", good, "ok", true},
		{"nothing", HostFiles{}, "key missing, certificate missing, CA certificate missing", false},
		{"key mode", HostFiles{Key: regular("k", 0o644, "root"), Cert: good.Cert, CA: good.CA}, "key mode 0644 (want 0400)", true},
		{"key replaced", HostFiles{Key: regular("x", KeyMode, "paul"), Cert: regular("y", CertMode, "root"), CA: good.CA}, "key differs, key owner paul (want root), certificate differs", false},
	}
	for _, tt := range tests {
		if got := w.Status(pl, tt.f); got != tt.want || StatusHoldsKey(got) != tt.holds {
			t.Errorf("%s: Status = %q (holds %v), want %q (%v)", tt.name, got, StatusHoldsKey(got), tt.want, tt.holds)
		}
	}
	files := map[string]HostFiles{"f0": {}, "f1": good}
	if h, ok := w.KeyHolder(pl, files); !ok || h != "f1" || !w.NeedsKey(pl, files) {
		t.Errorf("KeyHolder = %s %v", h, ok)
	}
	if sha, src, found, err := IdentifyKey(pl, files); err != nil || !found || sha != "k" || src != "f1" {
		t.Errorf("IdentifyKey = %s %s %v %v", sha, src, found, err)
	}
	files["f0"] = HostFiles{Key: regular("other", KeyMode, "root")}
	if _, _, _, err := IdentifyKey(pl, files); !errors.Is(err, ErrConflict) {
		t.Errorf("two keys: %v", err)
	}
	if _, _, found, err := IdentifyKey(pl, map[string]HostFiles{}); found || err != nil {
		t.Errorf("no keys: %v %v", found, err)
	}
}

func TestValidate(t *testing.T) {
	for _, s := range []string{"f3s-storage-ha.lan", "r0", "*.lan", "a-b.c"} {
		if err := ValidateDNSName(s); err != nil {
			t.Error(err)
		}
	}
	for _, s := range []string{"", "-x.lan", "a..b", "a b", "x_y.lan", "-f"} {
		if ValidateDNSName(s) == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if ValidateIP("192.168.1.138") != nil || ValidateIP("::1") != nil || ValidateIP("1.2.3") == nil {
		t.Error("ValidateIP")
	}
	if ValidateCountry("US") != nil || ValidateCountry("us") == nil || ValidateCountry("USA") == nil {
		t.Error("ValidateCountry")
	}
	if ValidatePath("/usr/local/etc/stunnel/ca/ca-key.pem") != nil || ValidatePath("/keys/f0:x.pem") == nil || ValidatePath("rel.pem") == nil {
		t.Error("ValidatePath")
	}
	if ValidateAlgorithm("RSA-4096") != nil || ValidateAlgorithm("DSA") == nil {
		t.Error("ValidateAlgorithm")
	}
}
