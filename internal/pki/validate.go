package pki

import (
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

// ValidatePath accepts the absolute path of a key or certificate file: a
// clean path without white space (stunnel.conf values cannot hold it
// unambiguously), and without ':' or ',' (import IDs separate paths with
// them).
func ValidatePath(p string) error {
	if err := file.ValidatePath(p); err != nil {
		return err
	}
	if strings.ContainsAny(p, " \t:,") {
		return fmt.Errorf("%q contains white space, ':' or ','", p)
	}
	return nil
}

var dnsLabel = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// ValidateDNSName accepts a host name for a subjectAltName: dot-separated
// labels of letters, digits and '-', optionally a leading "*." wildcard.
func ValidateDNSName(s string) error {
	name := strings.TrimPrefix(s, "*.")
	if name == "" || len(s) > 253 {
		return fmt.Errorf("%q is not a DNS name", s)
	}
	for _, l := range strings.Split(name, ".") {
		if !dnsLabel.MatchString(l) {
			return fmt.Errorf("%q is not a DNS name: label %q must be letters, digits and '-', not starting or ending with '-'", s, l)
		}
	}
	return nil
}

// ValidateIP accepts an IPv4 or IPv6 address.
func ValidateIP(s string) error {
	if net.ParseIP(s) == nil {
		return fmt.Errorf("%q is not an IP address", s)
	}
	return nil
}

var country = regexp.MustCompile(`^[A-Z]{2}$`)

// ValidateCountry accepts a two-letter ISO 3166 code, as X.509 requires.
func ValidateCountry(s string) error {
	if !country.MatchString(s) {
		return fmt.Errorf("%q is not a two-letter country code such as \"US\"", s)
	}
	return nil
}

// ValidateName accepts a subject attribute's value: printable, one line,
// at most 64 characters (X.520's upper bound for these attributes).
func ValidateName(s string) error {
	if s == "" || len(s) > 64 {
		return fmt.Errorf("%q must be 1 to 64 characters", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%q contains a control character", s)
		}
	}
	return nil
}
