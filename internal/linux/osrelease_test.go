package linux

import (
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Recorded /etc/os-release of Rocky Linux 9.4 and Fedora 40.
const rockyOSRelease = `NAME="Rocky Linux"
VERSION="9.4 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"
ANSI_COLOR="0;32"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
HOME_URL="https://rockylinux.org/"
BUG_REPORT_URL="https://bugs.rockylinux.org/"
SUPPORT_END="2032-05-31"
ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"
ROCKY_SUPPORT_PRODUCT_VERSION="9.4"
REDHAT_SUPPORT_PRODUCT="Rocky Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.4"
`

const fedoraOSRelease = `NAME="Fedora Linux"
VERSION="40 (Workstation Edition)"
ID=fedora
VERSION_ID=40
VERSION_CODENAME=""
PLATFORM_ID="platform:f40"
PRETTY_NAME="Fedora Linux 40 (Workstation Edition)"
ANSI_COLOR="0;38;2;60;110;180"
LOGO=fedora-logo-icon
CPE_NAME="cpe:/o:fedoraproject:fedora:40"
DEFAULT_HOSTNAME="fedora"
HOME_URL="https://fedoraproject.org/"
DOCUMENTATION_URL="https://docs.fedoraproject.org/en-US/fedora/f40/system-administrators-guide/"
SUPPORT_URL="https://ask.fedoraproject.org/"
BUG_REPORT_URL="https://bugzilla.redhat.com/"
REDHAT_BUGZILLA_PRODUCT="Fedora"
REDHAT_BUGZILLA_PRODUCT_VERSION=40
REDHAT_SUPPORT_PRODUCT="Fedora"
REDHAT_SUPPORT_PRODUCT_VERSION=40
SUPPORT_END=2025-05-13
VARIANT="Workstation Edition"
VARIANT_ID=workstation
`

const debianOSRelease = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian
`

func TestOSRelease(t *testing.T) {
	for _, c := range []struct {
		name, text, id, version string
		supported               bool
	}{
		{"rocky", rockyOSRelease, "rocky", "9.4", true},
		{"fedora", fedoraOSRelease, "fedora", "40", true},
		{"debian", debianOSRelease, "debian", "12", false},
	} {
		o := ParseOSRelease(c.text)
		if o.ID != c.id || o.VersionID != c.version || o.Supported() != c.supported {
			t.Errorf("%s: %+v supported=%v", c.name, o, o.Supported())
		}
	}
	if o := ParseOSRelease("ID=ol\nID_LIKE=\"fedora\"\n"); !o.Supported() {
		t.Errorf("an ID_LIKE of fedora is supported: %+v", o)
	}
	for _, info := range []host.Info{{OS: "Linux", Distro: "rocky"}, {OS: "Linux", Distro: "fedora"}} {
		if err := CheckOS(info); err != nil {
			t.Errorf("%+v: %v", info, err)
		}
	}
	for _, info := range []host.Info{{OS: "FreeBSD", Distro: "freebsd"}, {OS: "Linux", Distro: "debian"}} {
		if err := CheckOS(info); err == nil {
			t.Errorf("%+v accepted", info)
		}
	}
}
