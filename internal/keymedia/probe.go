package keymedia

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// exitNoUFS is the probe's own exit when the trial mount finds no UFS
// (sysexits EX_DATAERR: neither fstyp nor mount uses it).
const exitNoUFS = 65

// ProbeScript names the file system on dev. FreeBSD's fstyp(8) does it
// without touching the device; -u makes it report the types that cannot
// be mounted (zfs, geli), which must never be formatted over, and -l adds
// the label (a pool's name). A host without fstyp gets a read-only trial
// mount instead, which can only tell UFS from the rest.
func ProbeScript(dev string) string {
	d := host.Quote(dev)
	return "if command -v fstyp >/dev/null 2>&1; then exec fstyp -l -u " + d + "; fi\n" +
		"m=$(mktemp -d /tmp/.f3s-probe.XXXXXX) || exit 1\n" +
		"if mount -t ufs -r " + d + " \"$m\"; then umount \"$m\"; rmdir \"$m\"; echo ufs; exit 0; fi\n" +
		fmt.Sprintf("rmdir \"$m\"; exit %d\n", exitNoUFS)
}

// Probed is what the probe found on a device.
type Probed struct {
	Type   string // fstyp's name (ufs, msdosfs, zfs, ...); "" when none was recognised
	Label  string // fstyp -l: the label, for zfs the pool's name; "" when none
	Detail string // why none was: the tool's message
}

// ParseProbe classifies the probe's result. A missing device or any other
// failure is an error, not "no file system".
func ParseProbe(res host.Result, err error) (Probed, error) {
	if err == nil {
		typ, label, _ := strings.Cut(strings.TrimSpace(string(res.Stdout)), " ")
		if typ == "" {
			return Probed{}, errors.New("the file system probe printed nothing")
		}
		return Probed{Type: typ, Label: label}, nil
	}
	var ce *host.CommandError
	if !errors.As(err, &ce) {
		return Probed{}, err
	}
	msg := strings.TrimSpace(ce.Stderr)
	switch {
	case ce.ExitCode == 1 && strings.HasSuffix(msg, ": filesystem not recognized"):
		return Probed{Detail: msg}, nil
	case ce.ExitCode == exitNoUFS && !strings.Contains(msg, "No such file or directory"):
		return Probed{Detail: msg}, nil
	}
	return Probed{}, err
}

// Probe names the file system on dev.
func Probe(ctx context.Context, t host.Target, dev string) (Probed, error) {
	res, err := t.Run(ctx, host.Command{Script: ProbeScript(dev)})
	return ParseProbe(res, err)
}

// InUse says who holds the device when it is something newfs must not go
// over (a pool member or an encrypted provider is someone's data, however
// the stick is declared): `part of ZFS pool "zdata"`; "" otherwise.
func (p Probed) InUse() string {
	switch p.Type {
	case "zfs":
		if p.Label != "" {
			return fmt.Sprintf("part of ZFS pool %q", p.Label)
		}
		return "part of a ZFS pool"
	case "geli":
		return "a GELI-encrypted provider"
	}
	return ""
}

// Describe says what the probe found, for the plan that would format the
// device: "a msdosfs file system labelled "KINGSTON"", "no file system
// that fstyp recognises (...)".
func (p Probed) Describe() string {
	switch {
	case p.Type == "" && p.Detail != "":
		return "no file system that fstyp recognises (" + p.Detail + ")"
	case p.Type == "":
		return "no file system that fstyp recognises"
	case p.Label != "":
		return fmt.Sprintf("a %s file system labelled %q", p.Type, p.Label)
	}
	return "a " + p.Type + " file system"
}
