package zfs

import (
	"fmt"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// CheckOS fails on a host that is not FreeBSD: the provider speaks
// OpenZFS as FreeBSD 14 ships it.
func CheckOS(info host.Info) error {
	if info.IsFreeBSD() {
		return nil
	}
	name := info.OS
	if info.Distro != "" {
		name = info.Distro + " (" + info.OS + ")"
	}
	return fmt.Errorf("ZFS pools and datasets are managed on FreeBSD hosts only, and this host runs %s", name)
}
