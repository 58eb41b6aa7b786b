package provider

import (
	"regexp"
	"strings"
)

// errorMatchingRaw matches regular expressions in order, white space
// between words matching any white space (Terraform wraps long lines).
func errorMatchingRaw(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = strings.Join(strings.Fields(p), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

var regexpDigits = regexp.MustCompile(`^[0-9]+$`)
