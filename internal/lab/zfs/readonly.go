package zfs

import (
	"slices"
	"strings"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

func init() { sim.RegisterPathCheck(sim.FreeBSD, "zfs-readonly", readonlyCheck) }

// readonlyCheck refuses any change under the mountpoint of a dataset
// mounted read-only (readonly=on, or zfs mount -o ro), whose mount table
// entry says "read-only": the kernel fails it with EROFS, for root too. The
// mount that holds a path is the deepest one whose mountpoint contains it.
// It reads the mount table as last saved (it runs inside other commands'
// state updates); zfs's own moves of a dataset's files bypass it through
// the unchecked tree of fileStore.
func readonlyCheck(h *sim.Host, op sim.PathOp, vpath string) error {
	if op != sim.PathWrite {
		return nil
	}
	// A broken mount table (the zero value) is zfs's own error to report,
	// not every write's.
	m, _ := sim.Peek[sim.Mounts](h, sim.MountsState)
	var holder *sim.Mount
	for i := range m.List {
		x := &m.List[i]
		if pathWithin(vpath, x.Point) && (holder == nil || len(x.Point) >= len(holder.Point)) {
			holder = x
		}
	}
	if holder != nil && holder.FSType == "zfs" && slices.Contains(holder.Options, "read-only") {
		return syscall.EROFS
	}
	return nil
}

// pathWithin reports whether p is dir or below it.
func pathWithin(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}
