package carp

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Ranges that ifconfig(8) and carp(4) accept.
const (
	MinVHID, MaxVHID       = 1, 255
	MinAdvbase, MaxAdvbase = 1, 255
	MinAdvskew, MaxAdvskew = 0, 254
	MinPrefix, MaxPrefix   = 1, 32

	// DefaultAdvbase and DefaultAdvskew are the kernel's defaults; the
	// rc.conf value leaves them out when they are (as the article does).
	DefaultAdvbase = 1
	DefaultAdvskew = 0
	DefaultPrefix  = 32

	// MaxPasswordLength is what survives ifconfig: it copies the key with
	// strlcpy into CARP_KEY_LEN (20) bytes, so the 20th character would be
	// dropped without a word.
	MaxPasswordLength = 19
)

// CheckOS fails on a host without CARP.
func CheckOS(info host.Info) error {
	if info.IsFreeBSD() {
		return nil
	}
	return fmt.Errorf("CARP, devd and rc.conf exist on FreeBSD only, and this host runs %s", strings.TrimSpace(info.OS+" "+info.Release))
}

var interfacePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.]*$`)

// InterfaceRules describes valid interface names, for validators and docs.
const InterfaceRules = "a FreeBSD interface name such as `re0` or `vlan0.100`: letters, digits, `_` and `.`, " +
	"starting with a letter, at most 15 characters"

// ValidateInterface accepts an interface name that is one shell word and
// one rc.conf variable component (a `.` becomes `_` there, as rc does).
func ValidateInterface(name string) error {
	if len(name) > 15 || !interfacePattern.MatchString(name) || strings.HasSuffix(name, ".") {
		return fmt.Errorf("%q is not an interface name: use %s", name, InterfaceRules)
	}
	return nil
}

// ValidateAddress accepts an IPv4 address without prefix length.
func ValidateAddress(s string) error {
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not an IPv4 address (give the prefix length in prefix_length)", s)
	case !a.Is4():
		return fmt.Errorf("%q is not an IPv4 address: only IPv4 virtual addresses are supported", s)
	case a.IsUnspecified() || a.IsMulticast() || a.IsLoopback():
		return fmt.Errorf("%s cannot be a CARP address", s)
	}
	return nil
}

// PasswordRules describes valid passwords, for validators and docs.
const PasswordRules = "1 to 19 characters: letters, digits and `. _ + = @ % ^ , : ~ -`, not starting with `-`"

var passwordPattern = regexp.MustCompile(`^[A-Za-z0-9._+=@%^,:~-]+$`)

// ValidatePassword accepts a CARP key that survives the trip through an
// rc.conf value (split into words by rc, unquoted, so no blanks, quotes or
// glob characters) and ifconfig (at most 19 characters).
func ValidatePassword(p string) error {
	switch {
	case p == "":
		return errors.New("the password is empty")
	case len(p) > MaxPasswordLength:
		return fmt.Errorf("the password has %d characters; ifconfig keeps at most %d", len(p), MaxPasswordLength)
	case strings.HasPrefix(p, "-"):
		return errors.New("the password starts with '-', which a command would read as an option")
	case !passwordPattern.MatchString(p):
		return errors.New("the password holds a character that an rc.conf value cannot carry unquoted: use " + PasswordRules)
	}
	return nil
}

// RCFiles are the files whose ifconfig_IF_aliasN variables rc(8) reads
// when it configures interfaces (netif's load_rc_config), in the order it
// sources them: the later assignment wins.
var RCFiles = []string{"/etc/rc.conf", "/etc/rc.conf.local", NetifRCFile}

// NetifRCFile is netif's own rc.conf(5) file: read only by the rc.d
// scripts that configure interfaces, and kept mode 0600, so that the CARP
// password is not world-readable as it is in /etc/rc.conf.
const NetifRCFile = "/etc/rc.conf.d/netif"

// ValidateRCFile accepts one of RCFiles.
func ValidateRCFile(p string) error {
	for _, f := range RCFiles {
		if p == f {
			return nil
		}
	}
	return fmt.Errorf("%q is not read by rc(8) when it configures interfaces: use one of %s", p, strings.Join(RCFiles, ", "))
}
