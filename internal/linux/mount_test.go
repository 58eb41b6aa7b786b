package linux

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host/hosttest"
)

const umountLine = "timeout 10 umount -- /data/nfs/k3svolumes"

// TestUnmount: busy is retried for the wait, then detached lazily; a hung
// mount (timeout's 124) is detached at once; not mounted is done.
func TestUnmount(t *testing.T) {
	busy := hosttest.Call{Line: umountLine, Stderr: "umount: /data/nfs/k3svolumes: target is busy.\n", Code: 32}
	lazy := hosttest.Call{Line: "umount -l -- /data/nfs/k3svolumes"}
	ctx := context.Background()

	tg := hosttest.New(t, busy, busy, lazy)
	if err := Unmount(ctx, tg, "/data/nfs/k3svolumes", 500*time.Millisecond); err != nil {
		t.Errorf("busy: %v", err)
	}
	tg = hosttest.New(t, hosttest.Call{Line: umountLine, Code: 124}, lazy)
	if err := Unmount(ctx, tg, "/data/nfs/k3svolumes", time.Minute); err != nil {
		t.Errorf("hung: %v", err)
	}
	tg = hosttest.New(t, hosttest.Call{Line: umountLine, Stderr: "umount: /data/nfs/k3svolumes: not mounted.\n", Code: 32})
	if err := Unmount(ctx, tg, "/data/nfs/k3svolumes", time.Minute); err != nil {
		t.Errorf("not mounted: %v", err)
	}
	tg = hosttest.New(t, hosttest.Call{Line: umountLine})
	if err := Unmount(ctx, tg, "/data/nfs/k3svolumes", time.Minute); err != nil {
		t.Errorf("plain: %v", err)
	}
}

func TestReadMount(t *testing.T) {
	tg := hosttest.New(t, hosttest.Call{Line: readMountScript(), Stdout: recordedFstab + "\n" + readMarker + "\n" + recordedFindmnt})
	st, err := ReadMount(context.Background(), tg, "/data/nfs/k3svolumes")
	if err != nil || !st.Mounted() || st.Mount.Port != 2323 {
		t.Errorf("%+v %v", st, err)
	}
	tg = hosttest.New(t, hosttest.Call{Line: readMountScript(), Stdout: "\n" + readMarker + "\n"})
	if _, err := ReadMount(context.Background(), tg, "/data/nfs/k3svolumes"); !errors.Is(err, ErrMountNotFound) {
		t.Errorf("no line: %v", err)
	}
}
