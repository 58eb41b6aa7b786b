package keymedia

import (
	"fmt"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// CheckOS fails on a host that is not FreeBSD: UFS, newfs(8) and the
// fstab format here are FreeBSD's.
func CheckOS(info host.Info) error {
	if info.IsFreeBSD() {
		return nil
	}
	name := info.OS
	if info.Distro != "" {
		name = info.Distro + " (" + info.OS + ")"
	}
	return fmt.Errorf("UFS key media are managed on FreeBSD hosts only, and this host runs %s", name)
}
