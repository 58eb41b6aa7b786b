package linux

import (
	"fmt"
	"slices"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// OSRelease is what /etc/os-release (os-release(5)) says about the
// distribution.
type OSRelease struct {
	ID        string   // rocky, fedora
	IDLike    []string // rocky: rhel centos fedora
	VersionID string   // 9.4, 40
	Name      string   // Rocky Linux, Fedora Linux
}

// ParseOSRelease reads os-release(5): KEY=VALUE lines, values optionally
// quoted with " or ' (backslash escapes inside double quotes), comments
// and blank lines ignored.
func ParseOSRelease(text string) OSRelease {
	vars := map[string]string{}
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" || strings.HasPrefix(k, "#") {
			continue
		}
		vars[k] = unquote(v)
	}
	return OSRelease{ID: vars["ID"], IDLike: strings.Fields(vars["ID_LIKE"]), VersionID: vars["VERSION_ID"], Name: vars["NAME"]}
}

func unquote(v string) string {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return v[1 : len(v)-1]
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) && strings.IndexByte("\"\\`$", v[i+1]) >= 0 {
				i++
			}
			b.WriteByte(v[i])
		}
		return b.String()
	}
	return v
}

// families are the distributions whose paths this package knows (dnf,
// systemd, util-linux, nfs-utils): the Red Hat family, Fedora included.
var families = []string{"rocky", "fedora", "rhel", "centos", "almalinux", "ol"}

// Supported tells whether the distribution is one this package manages:
// its ID or one of its ID_LIKE is of the Red Hat family.
func (o OSRelease) Supported() bool {
	return slices.Contains(families, o.ID) || slices.ContainsFunc(o.IDLike, func(id string) bool { return slices.Contains(families, id) })
}

// CheckOS fails on a host that is not a Linux of the Red Hat family
// (Rocky Linux, Fedora, RHEL, CentOS, AlmaLinux), from the detection
// internal/host made (uname and os-release's ID).
func CheckOS(info host.Info) error {
	if !info.IsLinux() {
		return fmt.Errorf("NFS client mounts and systemd units are managed on Linux hosts (Rocky Linux, Fedora), and this host runs %q", info.OS)
	}
	if !(OSRelease{ID: info.Distro}).Supported() {
		return fmt.Errorf("this host runs the Linux distribution %q (ID in /etc/os-release); supported are %s", info.Distro, strings.Join(families, ", "))
	}
	return nil
}
