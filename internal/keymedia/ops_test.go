package keymedia

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/labtest"
)

// labTarget starts f0 (FreeBSD, doas) and returns it as the provider
// reaches it.
func labTarget(t *testing.T) (*lab.Lab, host.Target) {
	t.Helper()
	l := labtest.Start(t, "f0:freebsd")
	ep, _ := l.Endpoint("f0")
	pool, err := host.NewPool([]host.Config{{Name: ep.Name, Address: ep.Address, Port: ep.Port, User: ep.User,
		PrivateKey: ep.PrivateKeyPEM, HostKey: ep.HostKey, Become: host.BecomeDoas}}, host.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pool.Close() })
	h, err := pool.Host("f0")
	if err != nil {
		t.Fatal(err)
	}
	return l, h
}

func exec(t *testing.T, l *lab.Lab, script string) (string, int) {
	t.Helper()
	out, _, code, err := l.Exec("f0", script)
	if err != nil {
		t.Fatal(err)
	}
	return out, code
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	l, tg := labTarget(t)
	ctx := context.Background()
	fstabBefore, _ := exec(t, l, "cat /etc/fstab")

	// A device without UFS is not formatted unless asked to.
	if _, err := Create(ctx, tg, article, false); !errors.Is(err, ErrNoFilesystem) {
		t.Fatalf("Create without format: %v, want ErrNoFilesystem", err)
	}
	if out, _ := exec(t, l, "cat /etc/fstab; ls -d /keys 2>&1"); !strings.HasPrefix(out, fstabBefore) || strings.Contains(out, "/dev/da0") {
		t.Fatalf("a refused Create changed the host:\n%s", out)
	}

	r, err := Create(ctx, tg, article, true)
	if err != nil || !r.Formatted || !r.CreatedDir || !r.Mounted || r.FstabLine != article.FstabLine() {
		t.Fatalf("Create = %+v, %v", r, err)
	}
	if out, _ := exec(t, l, "df | grep keys"); !strings.HasPrefix(out, "/dev/da0 ") || !strings.HasSuffix(out, " /keys\n") {
		t.Errorf("df: %q", out)
	}
	if out, _ := exec(t, l, "cat /etc/fstab"); out != fstabBefore+"/dev/da0 /keys ufs rw 0 2\n" {
		t.Errorf("fstab:\n%s", out)
	}
	exec(t, l, "echo secret > /keys/k && chmod 0400 /keys/k")

	// Drift: unmounted, line edited.
	exec(t, l, "umount /keys && sed 's|/keys ufs rw|/keys ufs ro|' /etc/fstab > /tmp/f && cat /tmp/f > /etc/fstab")
	st, err := Read(ctx, tg, article)
	if err != nil || st.Mounted || st.FstabLine != "/dev/da0 /keys ufs ro 0 2" {
		t.Fatalf("Read after drift = %+v, %v", st, err)
	}
	if st, err = Update(ctx, tg, article, article); err != nil || !st.Mounted || st.FstabLine != article.FstabLine() {
		t.Fatalf("Update = %+v, %v", st, err)
	}
	if out, _ := exec(t, l, "cat /keys/k"); out != "secret\n" {
		t.Errorf("the stick lost its file: %q", out)
	}

	// Create on a stick that holds UFS never formats it, even with format.
	exec(t, l, "umount /keys")
	if r, err = Create(ctx, tg, article, true); err != nil || r.Formatted || r.CreatedDir || !r.Mounted {
		t.Fatalf("Create over UFS = %+v, %v", r, err)
	}
	if out, _ := exec(t, l, "cat /keys/k; grep -c /keys /etc/fstab"); out != "secret\n1\n" {
		t.Errorf("after a second Create: %q", out)
	}

	// A new mount point.
	moved := Spec{Device: "/dev/da0", MountPoint: "/stick"}
	if st, err = Update(ctx, tg, article, moved); err != nil || !st.Mounted || st.FstabLine != moved.FstabLine() {
		t.Fatalf("Update (move) = %+v, %v", st, err)
	}
	if out, _ := exec(t, l, "cat /stick/k; cat /etc/fstab; ls -d /keys 2>&1"); out != "secret\n"+fstabBefore+"/dev/da0 /stick ufs rw 0 2\nls: /keys: No such file or directory\n" {
		t.Errorf("after the move:\n%s", out)
	}

	// Delete leaves the device alone: its files come back when mounted.
	if err := Delete(ctx, tg, moved, true); err != nil {
		t.Fatal(err)
	}
	if out, _ := exec(t, l, "cat /etc/fstab; mount | grep da0; ls -d /stick 2>&1"); out != fstabBefore+"ls: /stick: No such file or directory\n" {
		t.Errorf("after Delete:\n%s", out)
	}
	if st, err := Read(ctx, tg, moved); err != nil || st.Exists() {
		t.Errorf("Read after Delete = %+v, %v", st, err)
	}
	if out, _ := exec(t, l, "mkdir /mnt/x && mount -t ufs /dev/da0 /mnt/x && cat /mnt/x/k && umount /mnt/x"); out != "secret\n" {
		t.Errorf("the device was wiped: %q", out)
	}
	// Deleting what is gone is no error.
	if err := Delete(ctx, tg, moved, true); err != nil {
		t.Errorf("second Delete: %v", err)
	}
}

func TestCreateBusy(t *testing.T) {
	t.Parallel()
	l, tg := labTarget(t)
	ctx := context.Background()
	exec(t, l, "newfs /dev/da0 >/dev/null && mount -t ufs /dev/da0 /mnt")
	if _, err := Create(ctx, tg, article, false); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "mounted on /mnt") {
		t.Errorf("Create of a device mounted elsewhere: %v", err)
	}
	// A missing device is an error, not a blank one to format.
	if _, err := Create(ctx, tg, Spec{Device: "/dev/da9", MountPoint: "/keys"}, true); err == nil || errors.Is(err, ErrNoFilesystem) {
		t.Errorf("Create on a missing device: %v", err)
	} else if !strings.Contains(err.Error(), "/dev/da9") {
		t.Errorf("the error does not name the device: %v", err)
	}
	// A pool member cannot be formatted: newfs itself refuses.
	if _, err := Create(ctx, tg, Spec{Device: "/dev/ada0", MountPoint: "/keys"}, true); err == nil {
		t.Error("Create formatted zroot's disk")
	}
}
