package keymedia

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

func cmdErr(code int, stderr string) error {
	return &host.CommandError{Host: "f0", Command: "probe", ExitCode: code, Stderr: stderr}
}

func TestParseProbe(t *testing.T) {
	tests := []struct {
		name   string
		res    host.Result
		err    error
		want   Probed
		failed bool
	}{
		{"ufs", host.Result{Stdout: []byte("ufs\n")}, nil, Probed{Type: "ufs"}, false},
		{"fat stick from the shop", host.Result{Stdout: []byte("msdosfs\n")}, nil, Probed{Type: "msdosfs"}, false},
		{"pool member", host.Result{Stdout: []byte("zfs\n")}, nil, Probed{Type: "zfs"}, false},
		{"pool member, labelled", host.Result{Stdout: []byte("zfs zdata\n")}, nil, Probed{Type: "zfs", Label: "zdata"}, false},
		{"blank", host.Result{}, cmdErr(1, "fstyp: /dev/da0: filesystem not recognized\n"),
			Probed{Detail: "fstyp: /dev/da0: filesystem not recognized"}, false},
		{"no device", host.Result{}, cmdErr(1, "fstyp: /dev/da9: No such file or directory\n"), Probed{}, true},
		{"not a disk", host.Result{}, cmdErr(1, "fstyp: /dev/null: not a disk\n"), Probed{}, true},
		{"trial mount: not ufs", host.Result{}, cmdErr(exitNoUFS, "mount: /dev/da0: Invalid argument\n"),
			Probed{Detail: "mount: /dev/da0: Invalid argument"}, false},
		{"trial mount: no device", host.Result{}, cmdErr(exitNoUFS, "mount: /dev/da9: No such file or directory\n"), Probed{}, true},
		{"no output", host.Result{}, nil, Probed{}, true},
		{"transport", host.Result{}, errors.New("connection lost"), Probed{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProbe(tt.res, tt.err)
			if got != tt.want || (err != nil) != tt.failed {
				t.Errorf("ParseProbe = %+v, %v; want %+v, failed=%v", got, err, tt.want, tt.failed)
			}
		})
	}
}

// probeTarget answers the probe with a fixed fstyp result and records
// every other command (none may run for a device that must not be formatted).
type probeTarget struct {
	host.Target
	fstype string
	ran    []string
}

func (p *probeTarget) Name() string { return "f0" }

func (p *probeTarget) Run(_ context.Context, c host.Command) (host.Result, error) {
	if strings.Contains(c.Script, "fstyp") {
		return host.Result{Stdout: []byte(p.fstype + "\n")}, nil
	}
	p.ran = append(p.ran, strings.Join(c.Argv, " ")+c.Script)
	return host.Result{}, nil
}

func (p *probeTarget) WriteFile(context.Context, string, io.Reader, host.FileOptions) error {
	return errors.New("unexpected write")
}

func TestPrepare(t *testing.T) {
	tests := []struct {
		fstype    string
		format    bool
		formatted bool
		err       error
	}{
		{"ufs", false, false, nil},
		{"ufs", true, false, nil}, // a stick with keys on it keeps them
		{"msdosfs", false, false, ErrNoFilesystem},
		{"msdosfs", true, true, nil},
		{"zfs", true, false, ErrInUse},
		{"zfs zdata", false, false, ErrInUse},
		{"geli", true, false, ErrInUse},
	}
	for _, tt := range tests {
		pt := &probeTarget{fstype: tt.fstype}
		formatted, _, err := prepare(context.Background(), pt, "/dev/da0", tt.format)
		if formatted != tt.formatted || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("%s, format=%v: prepare = %v, %v; want %v, %v", tt.fstype, tt.format, formatted, err, tt.formatted, tt.err)
		}
		wantRan := 0
		if tt.formatted {
			wantRan = 1
		}
		if len(pt.ran) != wantRan {
			t.Errorf("%s, format=%v: ran %q", tt.fstype, tt.format, pt.ran)
		}
	}
}

// TestPrepareInUse: a refused device names who holds it.
func TestPrepareInUse(t *testing.T) {
	for fstype, want := range map[string]string{
		"zfs zdata": `f0: /dev/ada1 is part of ZFS pool "zdata"`,
		"zfs":       "f0: /dev/ada1 is part of a ZFS pool",
		"geli":      "f0: /dev/ada1 is a GELI-encrypted provider",
	} {
		_, started, err := prepare(context.Background(), &probeTarget{fstype: fstype}, "/dev/ada1", true)
		if started {
			t.Errorf("%s: newfs started", fstype)
		}
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", fstype, err, want)
		}
	}
}

func TestProbedDescribe(t *testing.T) {
	for _, tt := range []struct {
		p    Probed
		want string
	}{
		{Probed{Type: "msdosfs", Label: "KINGSTON"}, `a msdosfs file system labelled "KINGSTON"`},
		{Probed{Type: "ufs"}, "a ufs file system"},
		{Probed{Detail: "fstyp: /dev/da0: filesystem not recognized"}, "no file system that fstyp recognises (fstyp: /dev/da0: filesystem not recognized)"},
		{Probed{}, "no file system that fstyp recognises"},
	} {
		if got := tt.p.Describe(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.p, got, tt.want)
		}
	}
}
