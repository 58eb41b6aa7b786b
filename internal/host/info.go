package host

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// infoScript prints uname -s -n -r -m, one per line, then the release:
// freebsd-version -u on FreeBSD, /etc/os-release on Linux.
const infoScript = `uname -s; uname -n; uname -r; uname -m
case "$(uname -s)" in
FreeBSD) freebsd-version -u ;;
Linux) cat /etc/os-release ;;
esac`

// infoTimeout bounds the shared detection, which outlives a cancelled caller.
const infoTimeout = 2 * time.Minute

// Info detects the host's OS once and caches it; concurrent first calls
// share one command. A failure is not cached.
func (h *Host) Info(ctx context.Context) (Info, error) {
	h.infoMu.Lock()
	if h.info != nil {
		i := *h.info
		h.infoMu.Unlock()
		return i, nil
	}
	h.infoMu.Unlock()
	ch := h.infoGroup.DoChan("info", func() (any, error) {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), infoTimeout)
		defer cancel()
		stop := context.AfterFunc(h.pool.ctx, cancel)
		defer stop()
		// Detection needs no privilege: skip become.
		res, err := h.run(dctx, Command{Script: infoScript}, BecomeNone)
		if err != nil {
			return Info{}, err
		}
		info, err := parseInfo(string(res.Stdout))
		if err != nil {
			return Info{}, fmt.Errorf("%s: detecting the OS: %w", h.cfg.Name, err)
		}
		h.infoMu.Lock()
		h.info = &info
		h.infoMu.Unlock()
		return info, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return Info{}, r.Err
		}
		info, _ := r.Val.(Info)
		return info, nil
	case <-ctx.Done():
		return Info{}, ctx.Err()
	}
}

func parseInfo(out string) (Info, error) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 4 {
		return Info{}, fmt.Errorf("unexpected output %q", out)
	}
	info := Info{
		OS:       strings.TrimSpace(lines[0]),
		Hostname: strings.TrimSpace(lines[1]),
		Kernel:   strings.TrimSpace(lines[2]),
		Machine:  strings.TrimSpace(lines[3]),
	}
	rest := lines[4:]
	switch {
	case info.IsFreeBSD():
		info.Distro = "freebsd"
		if len(rest) > 0 {
			info.Release = strings.TrimSpace(rest[0])
		}
		if info.Release == "" {
			return Info{}, fmt.Errorf("no freebsd-version in output %q", out)
		}
	case info.IsLinux():
		vars := parseOSRelease(rest)
		info.Distro, info.Release = vars["ID"], vars["VERSION_ID"]
	}
	return info, nil
}

// parseOSRelease reads os-release(5) assignments: a value may be quoted
// with " or ' and use backslash escapes inside double quotes.
func parseOSRelease(lines []string) map[string]string {
	vars := map[string]string{}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" || strings.HasPrefix(k, "#") {
			continue
		}
		vars[k] = unquoteShellValue(v)
	}
	return vars
}

func unquoteShellValue(v string) string {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return v[1 : len(v)-1]
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) && strings.IndexByte("\"\\`$", v[i+1]) >= 0 {
				i++
			}
			b.WriteByte(v[i])
		}
		return b.String()
	}
	return v
}
