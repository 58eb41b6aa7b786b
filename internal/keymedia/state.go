package keymedia

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// State is what the host has of a key stick.
type State struct {
	FstabLine       string // the managed line as it stands; "" when absent
	Mounted         bool   // the device is mounted at the mount point
	MountedThere    string // what is mounted at the mount point, "" if nothing
	DeviceMountedAt string // where the device is mounted, "" if nowhere
}

// Exists tells whether anything of the stick is on the host.
func (st State) Exists() bool {
	return st.FstabLine != "" || st.MountedThere != "" || st.DeviceMountedAt != ""
}

// readMarker separates fstab from the mount table in ReadScript's output;
// it cannot be an fstab entry (one field) that matters to us.
const readMarker = "#f3s:mount-table"

// ReadScript prints /etc/fstab and the mount table in one command.
func ReadScript() string {
	return fmt.Sprintf("cat %s 2>/dev/null; echo %s; mount", host.Quote(FstabPath), host.Quote(readMarker))
}

// Mount is one line of mount(8): `/dev/da0 on /keys (ufs, local, soft-updates)`.
type Mount struct {
	Source, Point, Type string
}

// ParseMountLine reads one line of FreeBSD's mount(8) listing.
func ParseMountLine(line string) (Mount, bool) {
	src, rest, ok := strings.Cut(line, " on ")
	if !ok {
		return Mount{}, false
	}
	i := strings.LastIndex(rest, " (")
	if i < 0 || !strings.HasSuffix(rest, ")") {
		return Mount{}, false
	}
	typ, _, _ := strings.Cut(rest[i+2:len(rest)-1], ",")
	return Mount{Source: src, Point: rest[:i], Type: typ}, true
}

// ParseRead reads ReadScript's output for s.
func ParseRead(out string, s Spec) (State, error) {
	fstab, table, ok := strings.Cut(out, "\n"+readMarker+"\n")
	if !ok {
		if rest, found := strings.CutPrefix(out, readMarker+"\n"); found {
			fstab, table = "", rest
		} else {
			return State{}, fmt.Errorf("unexpected output reading %s and the mount table", FstabPath)
		}
	}
	var st State
	st.FstabLine, _ = file.FindLine(fstab, s.Line())
	for _, line := range strings.Split(table, "\n") {
		m, ok := ParseMountLine(strings.TrimRight(line, "\r"))
		if !ok {
			continue
		}
		if m.Point == s.MountPoint {
			st.MountedThere = m.Source
		}
		if m.Source == s.Device {
			st.DeviceMountedAt = m.Point
		}
	}
	st.Mounted = st.MountedThere == s.Device
	return st, nil
}

// Read reads the stick's fstab line and mount in one command.
func Read(ctx context.Context, t host.Target, s Spec) (State, error) {
	out, err := readRaw(ctx, t)
	if err != nil {
		return State{}, err
	}
	st, err := ParseRead(out, s)
	if err != nil {
		return State{}, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return st, nil
}

func readRaw(ctx context.Context, t host.Target) (string, error) {
	res, err := t.Run(ctx, host.Command{Script: ReadScript()})
	if err != nil {
		return "", err
	}
	return string(bytes.ReplaceAll(res.Stdout, []byte("\r\n"), []byte("\n"))), nil
}

// Discover finds the stick mounted (or to be mounted) at mp, for an
// import: the device is the first field of mp's fstab entry, or else what
// is mounted there. ErrNotFound when mp has neither.
func Discover(ctx context.Context, t host.Target, mp string) (Spec, State, error) {
	out, err := readRaw(ctx, t)
	if err != nil {
		return Spec{}, State{}, err
	}
	spec, st, err := DiscoverIn(out, mp)
	if err != nil {
		return spec, st, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return spec, st, nil
}

// DiscoverIn is Discover over ReadScript's output.
func DiscoverIn(out, mp string) (Spec, State, error) {
	probe, err := ParseRead(out, Spec{MountPoint: mp})
	if err != nil {
		return Spec{}, State{}, err
	}
	s := Spec{MountPoint: mp, Device: probe.MountedThere}
	if f := strings.Fields(probe.FstabLine); len(f) > 0 {
		s.Device = f[0]
	}
	if s.Device == "" {
		return s, State{}, fmt.Errorf("%s has no fstab entry and nothing mounted: %w", mp, ErrNotFound)
	}
	st, err := ParseRead(out, s)
	return s, st, err
}
