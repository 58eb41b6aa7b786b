package stunnel

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
	"time"
)

// X509 verification errors (OpenSSL's X509_V_ERR_*) and their texts in
// OpenSSL 3.0's X509_verify_cert_error_string.
const (
	vOK                 = 0
	vUnableIssuer       = 2
	vSignatureFailure   = 7
	vNotYetValid        = 9
	vExpired            = 10
	vDepthZeroSelfSig   = 18
	vSelfSignedInChain  = 19
	vUnableIssuerLocal  = 20
	vInvalidCA          = 24
	vInvalidPurpose     = 26
	vApplicationVerfied = 50 // X509_V_ERR_APPLICATION_VERIFICATION: a callback's refusal
)

var verifyText = map[int]string{
	vUnableIssuer:       "unable to get issuer certificate",
	vSignatureFailure:   "certificate signature failure",
	vNotYetValid:        "certificate is not yet valid",
	vExpired:            "certificate has expired",
	vDepthZeroSelfSig:   "self-signed certificate",
	vSelfSignedInChain:  "self-signed certificate in certificate chain",
	vUnableIssuerLocal:  "unable to get local issuer certificate",
	vInvalidCA:          "invalid CA certificate",
	vInvalidPurpose:     "unsupported certificate purpose",
	vApplicationVerfied: "application verification failure",
}

// verifyStep is one call of the verify callback: the certificate at depth
// in the chain and OpenSSL's verdict on it (vOK, or the error).
type verifyStep struct {
	depth int
	cert  *x509.Certificate
	err   int
}

// issued is OpenSSL's check_issued for chain building: the issuer name
// matches and, when both carry key identifiers, they match too. The
// signature is checked later (internal_verify).
func issued(child, parent *x509.Certificate) bool {
	if !bytes.Equal(child.RawIssuer, parent.RawSubject) {
		return false
	}
	if len(child.AuthorityKeyId) > 0 && len(parent.SubjectKeyId) > 0 && !bytes.Equal(child.AuthorityKeyId, parent.SubjectKeyId) {
		return false
	}
	return true
}

// verifyChain walks the peer's chain as X509_verify_cert does with
// trusted-first chain building: build_chain, check_chain_extensions (CA
// flags, the leaf's purpose), then internal_verify from the top
// (signatures and validity at now). It returns the callback calls in
// order; the first one with an error ends the walk, since stunnel refuses
// at once when it verifies the chain.
func verifyChain(peer, trusted []*x509.Certificate, now time.Time, usage x509.ExtKeyUsage) []verifyStep {
	chain := []*x509.Certificate{peer[0]}
	untrusted := peer[1:]
	anchored := false
	for !anchored {
		cur := chain[len(chain)-1]
		var next *x509.Certificate
		for _, ca := range trusted {
			if sameCert(ca, cur) {
				anchored = true // the certificate itself is trusted
				break
			}
			if issued(cur, ca) {
				next, anchored = ca, true
				break
			}
		}
		if anchored {
			if next != nil {
				chain = append(chain, next)
			}
			break
		}
		depth := len(chain) - 1
		if issued(cur, cur) {
			err := vSelfSignedInChain
			if depth == 0 {
				err = vDepthZeroSelfSig
			}
			return []verifyStep{{depth, cur, err}}
		}
		for _, u := range untrusted {
			if issued(cur, u) && !sameCert(u, cur) {
				next = u
				break
			}
		}
		if next == nil || len(chain) > 10 {
			return []verifyStep{{depth, cur, vUnableIssuerLocal}}
		}
		chain = append(chain, next)
	}
	for i := 1; i < len(chain); i++ {
		if c := chain[i]; c.BasicConstraintsValid && !c.IsCA {
			return []verifyStep{{i, c, vInvalidCA}}
		}
	}
	if leaf := chain[0]; len(leaf.ExtKeyUsage) > 0 && !hasUsage(leaf, usage) {
		return []verifyStep{{0, leaf, vInvalidPurpose}}
	}
	var steps []verifyStep
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i]
		if i+1 < len(chain) {
			p := chain[i+1]
			if p.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) != nil {
				return append(steps, verifyStep{i, c, vSignatureFailure})
			}
		}
		switch {
		case now.Before(c.NotBefore):
			return append(steps, verifyStep{i, c, vNotYetValid})
		case now.After(c.NotAfter):
			return append(steps, verifyStep{i, c, vExpired})
		}
		steps = append(steps, verifyStep{i, c, vOK})
	}
	return steps
}

func hasUsage(c *x509.Certificate, usage x509.ExtKeyUsage) bool {
	for _, u := range c.ExtKeyUsage {
		if u == usage || u == x509.ExtKeyUsageAny {
			return true
		}
	}
	return false
}

// shortNames are OpenSSL's short names of the attributes a subject holds.
var shortNames = map[string]string{
	"2.5.4.6": "C", "2.5.4.8": "ST", "2.5.4.7": "L", "2.5.4.10": "O", "2.5.4.11": "OU",
	"2.5.4.3": "CN", "1.2.840.113549.1.9.1": "emailAddress", "2.5.4.5": "serialNumber",
	"0.9.2342.19200300.100.1.25": "DC", "2.5.4.9": "street", "2.5.4.17": "postalCode",
}

// nameText is stunnel's X509_NAME2text: X509_NAME_print_ex with
// XN_FLAG_ONELINE less the spaces around "=", "C=US, ST=State, ..., CN=x"
// in the certificate's own order.
func nameText(raw []byte) string {
	var seq pkix.RDNSequence
	if _, err := asn1.Unmarshal(raw, &seq); err != nil {
		return ""
	}
	var parts []string
	for _, rdn := range seq {
		var attrs []string
		for _, a := range rdn {
			k := shortNames[a.Type.String()]
			if k == "" {
				k = a.Type.String()
			}
			attrs = append(attrs, fmt.Sprintf("%s=%v", k, a.Value))
		}
		parts = append(parts, strings.Join(attrs, " + "))
	}
	return strings.Join(parts, ", ")
}

// checkHost is X509_check_host(cert, name, 0, 0, &peername): the DNS
// names of the subjectAltName, or, when it has none, the subject's last
// CN; a "*" is allowed as the whole leftmost label. It returns the name
// that matched.
func checkHost(c *x509.Certificate, name string) (string, bool) {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	candidates := c.DNSNames
	if len(candidates) == 0 {
		var seq pkix.RDNSequence
		if _, err := asn1.Unmarshal(c.RawSubject, &seq); err == nil {
			for _, rdn := range seq {
				for _, a := range rdn {
					if a.Type.String() == "2.5.4.3" {
						candidates = []string{fmt.Sprint(a.Value)}
					}
				}
			}
		}
	}
	for _, cand := range candidates {
		if hostMatches(strings.ToLower(cand), name) {
			return cand, true
		}
	}
	return "", false
}

func hostMatches(pattern, name string) bool {
	if pattern == name {
		return true
	}
	rest, ok := strings.CutPrefix(pattern, "*.")
	if !ok || strings.Count(rest, ".") < 1 {
		return false
	}
	_, tail, ok := strings.Cut(name, ".")
	return ok && tail == rest
}
