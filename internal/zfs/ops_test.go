package zfs

import (
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// fakeTarget answers commands from a script of replies and records them.
type fakeTarget struct {
	replies []reply
	ran     []string
}

type reply struct {
	stdout, stderr string
	code           int
}

func (f *fakeTarget) Name() string { return "f0" }

func (f *fakeTarget) Run(_ context.Context, c host.Command) (host.Result, error) {
	line := c.Script
	if c.Argv != nil {
		line = host.Join(c.Argv)
	}
	f.ran = append(f.ran, line)
	if len(f.replies) == 0 {
		return host.Result{}, errors.New("fakeTarget: no reply left for " + line)
	}
	r := f.replies[0]
	f.replies = f.replies[1:]
	res := host.Result{Stdout: []byte(r.stdout), Stderr: []byte(r.stderr), ExitCode: r.code}
	if r.code != 0 {
		return res, &host.CommandError{Host: "f0", Command: line, ExitCode: r.code, Stderr: r.stderr}
	}
	return res, nil
}

func (f *fakeTarget) Info(context.Context) (host.Info, error) { return host.Info{OS: "FreeBSD"}, nil }
func (f *fakeTarget) ReadFile(context.Context, string) ([]byte, error) {
	return nil, errors.New("unused")
}
func (f *fakeTarget) Stat(context.Context, string) (host.FileInfo, error) {
	return host.FileInfo{}, errors.New("unused")
}
func (f *fakeTarget) WriteFile(context.Context, string, io.Reader, host.FileOptions) error {
	return errors.New("unused")
}
func (f *fakeTarget) Remove(context.Context, string) error { return errors.New("unused") }
func (f *fakeTarget) Lock(context.Context, string) (func(), error) {
	return func() {}, nil
}

func TestReadDataset(t *testing.T) {
	ctx := context.Background()
	ft := &fakeTarget{replies: []reply{{stdout: refEncGet}}}
	ds, err := ReadDataset(ctx, ft, "zdata/enc")
	if err != nil {
		t.Fatal(err)
	}
	if ds.KeyStatus() != "available" || len(ft.ran) != 1 || ft.ran[0] != "zfs get -H -p -o name,property,value,source all zdata/enc" {
		t.Fatalf("ds %+v ran %q", ds, ft.ran)
	}
}

func TestNotFound(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(host.Target) error
		r    reply
		want bool
	}{
		{"get", func(t host.Target) error { _, err := ReadDataset(ctx, t, "zdata/x"); return err },
			reply{stderr: "cannot open 'zdata/x': dataset does not exist\n", code: 1}, true},
		{"get of another name", func(t host.Target) error { _, err := ReadDataset(ctx, t, "zdata/x"); return err },
			reply{stderr: "cannot open 'zdata/y': dataset does not exist\n", code: 1}, false},
		{"bad property", func(t host.Target) error { _, err := ReadDataset(ctx, t, "zdata/x"); return err },
			reply{stderr: "bad property list: invalid property 'foo'\n", code: 2}, false},
		{"pool", func(t host.Target) error { _, err := ReadPool(ctx, t, "foo"); return err },
			reply{stderr: "cannot open 'foo': no such pool\n", code: 1}, true},
		{"destroy", func(t host.Target) error { return DestroyDataset(ctx, t, "zdata/x", false) },
			reply{stderr: "cannot open 'zdata/x': dataset does not exist\n", code: 1}, true},
		{"destroy with children", func(t host.Target) error { return DestroyDataset(ctx, t, "zdata/enc", false) },
			reply{stderr: "cannot destroy 'zdata/enc': filesystem has children\nuse '-r' to destroy the following datasets:\nzdata/enc/nfsdata\n", code: 1}, false},
		{"pool destroy", func(t host.Target) error { return DestroyPool(ctx, t, "zdata") },
			reply{stderr: "cannot open 'zdata': no such pool\n", code: 1}, true},
		{"snapshot", func(t host.Target) error { _, err := ReadDataset(ctx, t, "zdata/enc@s"); return err },
			reply{stderr: "cannot open 'zdata/enc@s': dataset does not exist\n", code: 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(&fakeTarget{replies: []reply{tt.r}})
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, ErrNotFound); got != tt.want {
				t.Fatalf("errors.Is(%v, ErrNotFound) = %v", err, got)
			}
			if !tt.want && CommandStderr(err) != strings.TrimSpace(tt.r.stderr) {
				t.Fatalf("stderr lost: %q", CommandStderr(err))
			}
		})
	}
}

func TestDescendants(t *testing.T) {
	ft := &fakeTarget{replies: []reply{{stdout: "zdata/enc\nzdata/enc@zrepl_20250701_193148_000\nzdata/enc/nfsdata\n"}}}
	got, err := Descendants(context.Background(), ft, "zdata/enc")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"zdata/enc@zrepl_20250701_193148_000", "zdata/enc/nfsdata"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

func TestBatchedWrites(t *testing.T) {
	ctx := context.Background()
	ft := &fakeTarget{replies: []reply{{}, {}, {}}}
	if err := InheritProperties(ctx, ft, "zdata/enc", []string{"readonly", "atime"}); err != nil {
		t.Fatal(err)
	}
	if err := SetPoolProperties(ctx, ft, "zdata", map[string]string{"autotrim": "on", "failmode": "continue"}); err != nil {
		t.Fatal(err)
	}
	if err := SetProperties(ctx, ft, "zdata/enc", nil); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"zfs inherit atime zdata/enc && zfs inherit readonly zdata/enc",
		"zpool set autotrim=on zdata && zpool set failmode=continue zdata",
	}
	if !reflect.DeepEqual(ft.ran, want) {
		t.Fatalf("ran %q", ft.ran)
	}
}

func TestWaitForDataset(t *testing.T) {
	ctx := context.Background()
	missing := reply{stderr: "cannot open 'zdata/sink/f0/zdata/enc/nfsdata': dataset does not exist\n", code: 1}
	found := reply{stdout: "zdata/sink/f0/zdata/enc/nfsdata\tkeystatus\tunavailable\t-\n"}
	name := "zdata/sink/f0/zdata/enc/nfsdata"

	ft := &fakeTarget{replies: []reply{missing, missing, found}}
	ds, err := WaitForDataset(ctx, ft, name, time.Minute, time.Millisecond)
	if err != nil || ds.KeyStatus() != "unavailable" || len(ft.ran) != 3 {
		t.Fatalf("ds %+v err %v ran %d", ds, err, len(ft.ran))
	}

	ft = &fakeTarget{replies: []reply{missing, missing, missing, missing}}
	_, err = WaitForDataset(ctx, ft, name, 0, time.Millisecond)
	if !errors.Is(err, ErrWaitTimedOut) || !strings.Contains(err.Error(), name) {
		t.Fatalf("err %v", err)
	}

	ft = &fakeTarget{replies: []reply{{stderr: "permission denied\n", code: 1}}}
	if _, err = WaitForDataset(ctx, ft, name, time.Minute, time.Millisecond); err == nil || errors.Is(err, ErrWaitTimedOut) {
		t.Fatalf("another failure must end the wait at once: %v", err)
	}
}

func TestListSnapshots(t *testing.T) {
	ft := &fakeTarget{replies: []reply{{stdout: snapList}}}
	got, err := ListSnapshots(context.Background(), ft, SnapshotFilter{Dataset: "zdata/enc", Prefix: "manual"})
	if err != nil || len(got) != 1 || got[0].Short != "manual" {
		t.Fatalf("got %+v err %v", got, err)
	}
}

func TestCheckOS(t *testing.T) {
	if err := CheckOS(host.Info{OS: "FreeBSD", Distro: "freebsd"}); err != nil {
		t.Fatal(err)
	}
	err := CheckOS(host.Info{OS: "Linux", Distro: "rocky"})
	checkErr(t, err, "runs rocky (Linux)")
}
