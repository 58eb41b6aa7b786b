// Package stunnel models stunnel.conf for one TLS service, as stunnel 5.x
// reads it (doc/stunnel.pod.in): global options, one [service] section,
// option names and values checked before anything reaches a host, a
// deterministic rendering, and a parser that reads hand-written files
// (the article's) back. Its operations write the file and restart a
// running stunnel only when the file changed, restoring the previous file
// when stunnel refuses the new one.
package stunnel

import (
	"fmt"
	"slices"
	"strings"
)

// The option names of stunnel 5.x (doc/stunnel.pod.in, stunnel-5.75):
// global options, service-level options, and those that are both
// (setuid/setgid drop privileges as global options and own a Unix socket
// as service options; debug is a level in both; include reads a directory
// wherever it stands).
var (
	globalOnly = strings.Fields(`chroot compression EGD engine engineCtrl engineDefault fips foreground
		iconActive iconError iconIdle log output pid provider providerParameter RNDbytes RNDfile
		RNDoverwrite service setEnv syslog taskbar`)
	serviceLevel = strings.Fields(`accept CAengine CApath CAfile CAstore cert checkEmail checkHost checkIP
		ciphers ciphersuites client config connect CRLpath CRLfile curves logId debug delay engineId
		engineNum exec execArgs failover ident include key libwrap local OCSP OCSPaia OCSPflag OCSPnonce
		OCSPrequire options protocol protocolAuthentication protocolDomain protocolHeader protocolHost
		protocolPassword protocolUsername PSKidentity PSKsecrets pty redirect renegotiation reset retry
		securityLevel requireCert setgid setuid sessionCacheSize sessionCacheTimeout sessionResume
		sessiond sni socket sslVersion sslVersionMax sslVersionMin stack ticketKeySecret ticketMacSecret
		TIMEOUTbusy TIMEOUTclose TIMEOUTconnect TIMEOUTidle TIMEOUTocsp transparent verify verifyChain
		verifyPeer`)
	both = []string{"debug", "setuid", "setgid", "include"}

	// canonical maps a lower-case name to its documented spelling.
	canonical = map[string]string{}
)

func init() {
	for _, n := range append(slices.Clone(globalOnly), serviceLevel...) {
		canonical[strings.ToLower(n)] = n
	}
}

// Canonical is an option name in the documentation's spelling (stunnel
// reads names case-insensitively); "" for an unknown name.
func Canonical(name string) string { return canonical[strings.ToLower(name)] }

// IsGlobal tells whether name may stand in the global section as a global
// option (not as a default for the services).
func IsGlobal(name string) bool {
	c := Canonical(name)
	return slices.Contains(globalOnly, c) || slices.Contains(both, c)
}

// IsService tells whether name is a service-level option.
func IsService(name string) bool { return slices.Contains(serviceLevel, Canonical(name)) }

// repeatable options may appear several times in one section.
var repeatable = []string{"connect", "checkHost", "checkIP", "checkEmail", "CRLfile", "setEnv", "providerParameter", "socket", "engineCtrl", "options"}

// IsRepeatable tells whether an option may be given more than once.
func IsRepeatable(name string) bool { return slices.Contains(repeatable, Canonical(name)) }

var yesNo = []string{"client", "delay", "libwrap", "OCSPaia", "OCSPnonce", "OCSPrequire", "pty", "requireCert",
	"reset", "sessionResume", "verifyChain", "verifyPeer", "fips", "RNDoverwrite", "syslog", "taskbar"}

var pathValued = []string{"cert", "key", "CAfile", "CApath", "CRLfile", "CRLpath", "pid", "output", "chroot",
	"include", "EGD", "RNDfile", "PSKsecrets", "exec", "iconActive", "iconError", "iconIdle"}

var sslVersions = []string{"all", "SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}

var levels = []string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}

// ValidateName checks an option name for where it stands.
func ValidateName(name string, global bool) error {
	c := Canonical(name)
	switch {
	case c == "":
		return fmt.Errorf("%q is not a stunnel 5 option", name)
	case global && !IsGlobal(c):
		return fmt.Errorf("%q is a service-level option, not a global one", name)
	case !global && !IsService(c):
		return fmt.Errorf("%q is a global option, not a service-level one", name)
	}
	return nil
}

// ValidateValue checks an option's value as stunnel's parser would.
func ValidateValue(name, v string) error {
	c := Canonical(name)
	switch {
	case strings.ContainsAny(v, "\n\r\x00"):
		return fmt.Errorf("%s: the value contains a line break or NUL", c)
	case v != strings.TrimSpace(v):
		return fmt.Errorf("%s: the value %q has leading or trailing white space, which stunnel strips", c, v)
	case v == "" && c != "pid":
		return fmt.Errorf("%s: the value is empty", c)
	case slices.Contains(yesNo, c) && v != "yes" && v != "no":
		return fmt.Errorf("%s: %q must be yes or no", c, v)
	case slices.Contains(pathValued, c) && v != "" && !strings.HasPrefix(v, "/"):
		return fmt.Errorf("%s: %q must be an absolute path", c, v)
	}
	switch c {
	case "accept", "connect", "redirect", "sessiond":
		return validateAddress(c, v)
	case "verify":
		if len(v) != 1 || v[0] < '0' || v[0] > '4' {
			return fmt.Errorf("verify: %q must be a level from 0 to 4", v)
		}
	case "foreground":
		if !slices.Contains([]string{"yes", "quiet", "no"}, v) {
			return fmt.Errorf("foreground: %q must be yes, quiet or no", v)
		}
	case "retry":
		if v != "yes" && v != "no" && !isNumber(v) {
			return fmt.Errorf("retry: %q must be yes, no or a delay in milliseconds", v)
		}
	case "sslVersion", "sslVersionMax", "sslVersionMin":
		if !slices.Contains(sslVersions, v) {
			return fmt.Errorf("%s: %q must be one of %v", c, v, sslVersions)
		}
	case "debug":
		lvl := v
		if i := strings.LastIndexByte(v, '.'); i >= 0 {
			lvl = v[i+1:]
		}
		if !isNumber(lvl) && !slices.Contains(levels, strings.ToLower(lvl)) {
			return fmt.Errorf("debug: %q must be [FACILITY.]LEVEL, the level 0-7 or one of %v", v, levels)
		}
	case "TIMEOUTbusy", "TIMEOUTclose", "TIMEOUTconnect", "TIMEOUTidle", "TIMEOUTocsp", "sessionCacheSize", "sessionCacheTimeout", "stack", "RNDbytes", "securityLevel":
		if !isNumber(v) {
			return fmt.Errorf("%s: %q must be a number", c, v)
		}
	}
	return nil
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// validateAddress accepts [HOST:]PORT, or for accept a Unix socket path.
func validateAddress(name, v string) error {
	if strings.HasPrefix(v, "/") && name == "accept" {
		return nil
	}
	port := v
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		h := v[:i]
		port = v[i+1:]
		if h == "" || strings.ContainsAny(h, " \t") || strings.HasPrefix(h, "-") {
			return fmt.Errorf("%s: %q must be [HOST:]PORT", name, v)
		}
	}
	n := 0
	for _, r := range port {
		if r < '0' || r > '9' {
			n = -1
			break
		}
		n = n*10 + int(r-'0')
		if n > 65535 {
			break
		}
	}
	if port == "" || n < 1 || n > 65535 {
		return fmt.Errorf("%s: %q must be [HOST:]PORT with a port from 1 to 65535", name, v)
	}
	return nil
}
