package host

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// Stat describes an absolute path (a symbolic link itself, not its target)
// with owner and group names, using the host's stat(1) dialect.
func (h *Host) Stat(ctx context.Context, p string) (FileInfo, error) {
	if err := checkPath(p); err != nil {
		return FileInfo{}, h.fileError("stat", p, err)
	}
	info, err := h.Info(ctx)
	if err != nil {
		return FileInfo{}, h.fileError("stat", p, err)
	}
	script, err := statScript(info, p)
	if err != nil {
		return FileInfo{}, h.fileError("stat", p, err)
	}
	res, err := h.Run(ctx, Command{Script: script})
	if err != nil {
		return FileInfo{}, h.fileError("stat", p, missing(err))
	}
	fi, err := parseStat(string(res.Stdout))
	if err != nil {
		return FileInfo{}, h.fileError("stat", p, err)
	}
	fi.Path = p
	return fi, nil
}

func statScript(info Info, p string) (string, error) {
	q := Quote(p)
	var argv []string
	switch {
	case info.IsFreeBSD():
		// %Mp is the setuid/setgid/sticky digit, which %Lp leaves out.
		argv = []string{"stat", "-f", "%Mp%03Lp %Su %Sg %z %HT", "--", p}
	case info.IsLinux():
		argv = []string{"stat", "-c", "%a %U %G %s %F", "--", p}
	default:
		return "", fmt.Errorf("no stat dialect for OS %q", info.OS)
	}
	return fmt.Sprintf("[ -e %s ] || [ -L %s ] || exit %d; %s", q, q, exitMissing, Join(argv)), nil
}

// parseStat reads "MODE OWNER GROUP SIZE TYPE..." where MODE is octal and
// TYPE is FreeBSD's %HT ("Regular File") or GNU's %F ("regular empty file").
func parseStat(out string) (FileInfo, error) {
	line := strings.TrimSpace(out)
	f := strings.Fields(line)
	if len(f) < 5 || strings.Contains(line, "\n") {
		return FileInfo{}, fmt.Errorf("unexpected stat output %q", out)
	}
	bits, err := strconv.ParseUint(f[0], 8, 32)
	if err != nil || bits > 0o7777 {
		return FileInfo{}, fmt.Errorf("unexpected mode %q in stat output", f[0])
	}
	size, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil {
		return FileInfo{}, fmt.Errorf("unexpected size %q in stat output", f[3])
	}
	typ, ok := fileTypes[strings.ToLower(strings.Join(f[4:], " "))]
	if !ok {
		return FileInfo{}, fmt.Errorf("unknown file type %q in stat output", strings.Join(f[4:], " "))
	}
	mode := fs.FileMode(bits&0o777) | typ
	if bits&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if bits&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if bits&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	return FileInfo{Mode: mode, Owner: f[1], Group: f[2], Size: size}, nil
}

var fileTypes = map[string]fs.FileMode{
	// GNU stat %F
	"regular file":           0,
	"regular empty file":     0,
	"directory":              fs.ModeDir,
	"symbolic link":          fs.ModeSymlink,
	"fifo":                   fs.ModeNamedPipe,
	"socket":                 fs.ModeSocket,
	"character special file": fs.ModeDevice | fs.ModeCharDevice,
	"block special file":     fs.ModeDevice,
	// FreeBSD stat %HT
	"fifo file":        fs.ModeNamedPipe,
	"character device": fs.ModeDevice | fs.ModeCharDevice,
	"block device":     fs.ModeDevice,
	"whiteout":         fs.ModeIrregular,
}
