package zfskey

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/labtest"
)

// labHosts starts f0 and f1 (FreeBSD, doas) and r0 (Rocky, sudo), each
// with a /keys directory, and returns them as the provider reaches them.
func labHosts(t *testing.T) (*lab.Lab, Hosts) {
	t.Helper()
	l := labtest.Start(t, "f0:freebsd", "f1:freebsd", "r0:rocky")
	become := map[string]host.Become{"f0": host.BecomeDoas, "f1": host.BecomeDoas, "r0": host.BecomeSudo}
	var cfgs []host.Config
	for _, ep := range l.Endpoints() {
		cfgs = append(cfgs, host.Config{Name: ep.Name, Address: ep.Address, Port: ep.Port, User: ep.User,
			PrivateKey: ep.PrivateKeyPEM, HostKey: ep.HostKey, Become: become[ep.Name]})
	}
	pool, err := host.NewPool(cfgs, host.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pool.Close() })
	hs := Hosts{}
	for name := range become {
		if hs[name], err = pool.Host(name); err != nil {
			t.Fatal(err)
		}
		exec(t, l, name, "mkdir -p /keys")
	}
	return l, hs
}

func exec(t *testing.T, l *lab.Lab, name, script string) string {
	t.Helper()
	out, stderr, code, err := l.Exec(name, script)
	if err != nil || code != 0 {
		t.Fatalf("%s: %s: exit %d %v: %s", name, script, code, err, stderr)
	}
	return out
}

// hostSum is the key file's sha256 and "MODE OWNER" as the host reports them.
func hostSum(t *testing.T, l *lab.Lab, name, p string) string {
	t.Helper()
	if name == "r0" {
		return exec(t, l, name, "sha256sum < "+p+" | cut -d ' ' -f 1; stat -c '%a %U' "+p)
	}
	return exec(t, l, name, "sha256 -q "+p+"; stat -f '%Lp %Su' "+p)
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	_, hs := labHosts(t)
	for _, name := range []string{"f0", "r0"} {
		a, err := Generate(context.Background(), hs[name])
		if err != nil || len(a) != Size {
			t.Fatalf("%s: Generate = %d bytes, %v", name, len(a), err)
		}
		b, _ := Generate(context.Background(), hs[name])
		if slices.Equal(a, b) {
			t.Errorf("%s: two keys are equal", name)
		}
	}
}

func TestHostsLifecycle(t *testing.T) {
	t.Parallel()
	l, hs := labHosts(t)
	ctx := context.Background()
	const p = "/keys/f0.lan.buetow.org:zdata.key"
	k := Key{Path: p, Hosts: []string{"f0", "f1", "r0"}, Want: Want{Mode: 0o400, Owner: "root"}}

	fp, adopted, err := hs.Create(ctx, k, nil)
	if err != nil || adopted != "" {
		t.Fatalf("Create = %q, %q, %v", fp, adopted, err)
	}
	k.Want.Fingerprint = fp
	for _, name := range k.Hosts {
		want := fp + "\n400 root\n"
		if got := hostSum(t, l, name, p); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	copies, err := hs.Inspect(ctx, k.Hosts, p)
	if err != nil {
		t.Fatal(err)
	}
	for h, s := range Statuses(k, copies) {
		if s != StatusOK {
			t.Errorf("%s: status %q", h, s)
		}
	}

	// Create again finds the key in place and adopts it: never a new one.
	if again, from, err := hs.Create(ctx, k, nil); err != nil || again != fp || from != "f0" {
		t.Errorf("second Create = %q, %q, %v; want %q adopted from f0", again, from, err, fp)
	}
	// ... but refuses to put other material over it.
	other := make([]byte, Size)
	if _, _, err := hs.Create(ctx, k, other); !errors.Is(err, ErrConflict) {
		t.Errorf("Create over another key: %v, want ErrConflict", err)
	}

	// Drift: f0's copy deleted, f1's chmod-ed; the update copies the same
	// key from r0 and fixes the mode.
	exec(t, l, "f0", "rm "+p)
	exec(t, l, "f1", "chmod 0644 "+p)
	copies, _ = hs.Inspect(ctx, k.Hosts, p)
	st := Statuses(k, copies)
	if st["f0"] != "missing" || st["f1"] != "mode 0644 (want 0400)" || st["r0"] != StatusOK {
		t.Errorf("statuses after drift: %v", st)
	}
	a, err := hs.Update(ctx, k, k, nil, false)
	if err != nil || a.Fingerprint != fp || len(a.Left) != 0 {
		t.Fatalf("Update = %+v, %v", a, err)
	}
	for _, name := range k.Hosts {
		if got := hostSum(t, l, name, p); got != fp+"\n400 root\n" {
			t.Errorf("%s after repair: %q", name, got)
		}
	}

	// A new path: the same key moves, the old copies go, except on f1
	// where a dataset names the old file as its keylocation.
	exec(t, l, "f1", "zpool create -m /data zdata /dev/ada1 && zfs create -o encryption=on -o keyformat=raw -o keylocation=file://"+p+" zdata/enc")
	moved := k
	moved.Path = "/keys/zdata.key"
	moved.Hosts = []string{"f1", "r0"}
	a, err = hs.Update(ctx, k, moved, nil, false)
	if err != nil || a.Fingerprint != fp {
		t.Fatalf("Update (move) = %+v, %v", a, err)
	}
	left := a.Left
	if len(left) != 1 || left[0].Host != "f1" || left[0].Why != InUse || !slices.Equal(left[0].Users, []string{"zdata/enc"}) {
		t.Errorf("leftovers = %+v, want f1's copy in use by zdata/enc", left)
	}
	if _, _, code, _ := l.Exec("f0", "ls "+p); code == 0 {
		t.Error("f0 (no longer listed) kept its copy")
	}
	if _, _, code, _ := l.Exec("r0", "ls "+p); code == 0 {
		t.Error("r0 kept its copy at the old path")
	}
	for _, name := range moved.Hosts {
		if got := hostSum(t, l, name, moved.Path); got != fp+"\n400 root\n" {
			t.Errorf("%s at the new path: %q", name, got)
		}
	}

	// Delete refuses while a dataset uses a copy, and removes nothing.
	exec(t, l, "f1", "zfs set keylocation=file://"+moved.Path+" zdata/enc")
	moved.Want.Fingerprint = fp
	if _, err := hs.Delete(ctx, moved); !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "zdata/enc") {
		t.Fatalf("Delete in use: %v", err)
	}
	hostSum(t, l, "r0", moved.Path)

	// A file that is not the key is never deleted.
	exec(t, l, "f1", "zfs destroy zdata/enc")
	exec(t, l, "r0", "echo other > "+moved.Path)
	left, err = hs.Delete(ctx, moved)
	if err != nil || len(left) != 1 || left[0].Host != "r0" || left[0].Why != NotTheKey {
		t.Fatalf("Delete = %+v, %v", left, err)
	}
	if _, _, code, _ := l.Exec("f1", "ls "+moved.Path); code == 0 {
		t.Error("f1's copy survived Delete")
	}
	exec(t, l, "r0", "test \"$(cat "+moved.Path+")\" = other")
}

func TestHostsLost(t *testing.T) {
	t.Parallel()
	l, hs := labHosts(t)
	ctx := context.Background()
	const p = "/keys/bhyve.key"
	k := Key{Path: p, Hosts: []string{"f0", "f1"}, Want: Want{Mode: 0o400, Owner: "root", Group: "wheel"}}
	fp, _, err := hs.Create(ctx, k, nil)
	if err != nil {
		t.Fatal(err)
	}
	k.Want.Fingerprint = fp
	exec(t, l, "f0", "rm "+p)
	exec(t, l, "f1", "dd if=/dev/random of="+p+" bs=32 count=1 status=none")
	if a, err := hs.Update(ctx, k, k, nil, false); !errors.Is(err, ErrLost) || a.Fingerprint != "" || a.Holds() {
		t.Fatalf("Update with no good copy: %+v, %v, want ErrLost and nothing done", a, err)
	}
	// Nothing was written: f0 still has no file.
	if _, _, code, _ := l.Exec("f0", "ls "+p); code == 0 {
		t.Error("a lost key was replaced")
	}
	// Supplied material rotates the key everywhere.
	material := make([]byte, Size)
	material[0] = 1
	a, err := hs.Update(ctx, k, k, material, false)
	if err != nil || a.Fingerprint != Fingerprint(material) {
		t.Fatalf("Update with material = %+v, %v", a, err)
	}
	for _, name := range k.Hosts {
		if got := hostSum(t, l, name, p); got != Fingerprint(material)+"\n400 root\n" {
			t.Errorf("%s: %q", name, got)
		}
	}
}

// TestHostsUpdatePartial: a host is added and the write there fails after
// another host's copy was repaired. Update says what it did: the key's
// fingerprint and each copy as it was left.
func TestHostsUpdatePartial(t *testing.T) {
	t.Parallel()
	l, hs := labHosts(t)
	ctx := context.Background()
	const p = "/keys/zdata.key"
	prev := Key{Path: p, Hosts: []string{"f0", "f1"}, Want: Want{Mode: 0o400, Owner: "root"}}
	fp, _, err := hs.Create(ctx, prev, nil)
	if err != nil {
		t.Fatal(err)
	}
	prev.Want.Fingerprint = fp
	exec(t, l, "f1", "chmod 0644 "+p)
	next := prev
	next.Hosts = []string{"f0", "f1", "r0"}
	l.Faults("r0").FailNextWrite("zdata.key")

	a, err := hs.Update(ctx, prev, next, nil, false)
	if err == nil {
		t.Fatal("Update succeeded with the write on r0 failing")
	}
	want := map[string]string{"f0": StatusOK, "f1": StatusOK, "r0": "missing"}
	if a.Fingerprint != fp || !maps.Equal(a.Copies, want) || !a.Holds() {
		t.Errorf("Update = %+v, want fingerprint %s and copies %v", a, fp, want)
	}
	if got := hostSum(t, l, "f1", p); got != fp+"\n400 root\n" {
		t.Errorf("f1 was not repaired before the failure: %q", got)
	}
	if _, _, code, _ := l.Exec("r0", "ls "+p); code == 0 {
		t.Error("r0 has a key file after the failed write")
	}

	// The next update copies the same key.
	if a, err = hs.Update(ctx, prev, next, nil, false); err != nil || a.Fingerprint != fp || a.Copies["r0"] != StatusOK {
		t.Fatalf("second Update = %+v, %v", a, err)
	}
	if got := hostSum(t, l, "r0", p); got != fp+"\n400 root\n" {
		t.Errorf("r0 after the second update: %q", got)
	}
}

func TestInstallNoDirectory(t *testing.T) {
	t.Parallel()
	l, hs := labHosts(t)
	err := Install(context.Background(), hs["f0"], "/nokeys/x.key", make([]byte, Size), Want{Mode: 0o400, Owner: "root"})
	if !errors.Is(err, ErrNoDirectory) {
		t.Fatalf("Install = %v, want ErrNoDirectory", err)
	}
	if _, _, code, _ := l.Exec("f0", "ls -d /nokeys"); code == 0 {
		t.Error("Install made the directory")
	}
}

func TestParseUsers(t *testing.T) {
	const p = "/keys/f0.lan.buetow.org:zdata.key"
	out := "zdata/enc\tfile:///keys/f0.lan.buetow.org:zdata.key\n" +
		"zroot/bhyve\tfile:///keys/f0.lan.buetow.org:bhyve.key\n" +
		"zdata/sink/f0/zdata/enc/nfsdata\tfile:///keys/f0.lan.buetow.org:zdata.key\n" +
		"zdata/other\tprompt\n"
	got := ParseUsers(out, p)
	if want := []string{"zdata/enc", "zdata/sink/f0/zdata/enc/nfsdata"}; !slices.Equal(got, want) {
		t.Errorf("ParseUsers = %v, want %v", got, want)
	}
	if got := ParseUsers("", p); got != nil {
		t.Errorf("ParseUsers of nothing = %v", got)
	}
}

func TestArgv(t *testing.T) {
	if got := strings.Join(GenerateArgv(), " "); got != "dd if=/dev/random bs=32 count=1 status=none" {
		t.Errorf("GenerateArgv = %s", got)
	}
	want := "command -v zfs >/dev/null 2>&1 || exit 0; zfs get -H -o name,value -s local -t filesystem,volume keylocation"
	if got := UsersScript(); got != want {
		t.Errorf("UsersScript =\n%s\nwant\n%s", got, want)
	}
}
