package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
)

// Algorithm names a key type and size.
type Algorithm string

// The algorithms a key can be generated with. RSA-4096 is the article's
// (openssl genrsa 4096).
const (
	RSA2048   Algorithm = "RSA-2048"
	RSA3072   Algorithm = "RSA-3072"
	RSA4096   Algorithm = "RSA-4096"
	ECDSAP256 Algorithm = "ECDSA-P256"
	ECDSAP384 Algorithm = "ECDSA-P384"
)

// DefaultAlgorithm is the article's key type.
const DefaultAlgorithm = RSA4096

// Algorithms lists the accepted algorithms, for validators and docs.
func Algorithms() []string {
	return []string{string(RSA4096), string(RSA3072), string(RSA2048), string(ECDSAP256), string(ECDSAP384)}
}

// ValidateAlgorithm accepts one of Algorithms.
func ValidateAlgorithm(s string) error {
	if !slices.Contains(Algorithms(), s) {
		return fmt.Errorf("%q is not one of %v", s, Algorithms())
	}
	return nil
}

// Generate makes a new private key in memory.
func Generate(alg Algorithm) (crypto.Signer, error) {
	switch alg {
	case RSA2048, RSA3072, RSA4096:
		bits := map[Algorithm]int{RSA2048: 2048, RSA3072: 3072, RSA4096: 4096}[alg]
		return rsa.GenerateKey(rand.Reader, bits)
	case ECDSAP256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case ECDSAP384:
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	}
	return nil, fmt.Errorf("unknown key algorithm %q", alg)
}

// AlgorithmOf tells a public key's algorithm; "" for one this package
// does not generate.
func AlgorithmOf(pub crypto.PublicKey) Algorithm {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch k.N.BitLen() {
		case 2048:
			return RSA2048
		case 3072:
			return RSA3072
		case 4096:
			return RSA4096
		}
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return ECDSAP256
		case elliptic.P384():
			return ECDSAP384
		}
	}
	return ""
}

// EncodeKey is the key as the file stunnel reads: PEM of PKCS#8 ("PRIVATE
// KEY"), which OpenSSL 1.1 and 3 read. The encoding of a key is always the
// same bytes, so its file's SHA-256 identifies it.
func EncodeKey(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	defer clear(der)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParseKey reads a private key file: PKCS#8, or the PKCS#1 ("RSA PRIVATE
// KEY") and SEC 1 ("EC PRIVATE KEY") files older openssl genrsa and
// ecparam write. Its errors never quote the input.
func ParseKey(data []byte) (crypto.Signer, error) {
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, errors.New("no PEM private key found")
		}
		var k any
		var err error
		switch b.Type {
		case "PRIVATE KEY":
			k, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(b.Bytes)
		default:
			continue
		}
		clear(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("a %s block that does not parse", b.Type)
		}
		s, ok := k.(crypto.Signer)
		if !ok || AlgorithmOf(s.Public()) == "" {
			return nil, fmt.Errorf("a %s block holding a key type other than %v", b.Type, Algorithms())
		}
		return s, nil
	}
}

// Fingerprint is the lowercase hex SHA-256 of a public key's DER
// SubjectPublicKeyInfo: what `openssl pkey -pubout -outform DER | sha256`
// prints for the private key, and the same for the certificate that holds
// it. It reveals nothing of the private key.
func Fingerprint(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), nil
}

// SameKey tells whether two public keys are one.
func SameKey(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}
