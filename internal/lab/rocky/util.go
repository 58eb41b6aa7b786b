package rocky

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// root is the identity systemd, rpm and the kernel act with.
var root = sim.User{Name: "root", UID: 0, GID: 0, Group: "root", Home: "/root"}

func readFile(h *sim.Host, name string) (string, error) {
	b, err := h.Tree.ReadFile(root, name)
	return string(b), err
}

func exists(h *sim.Host, name string) bool { return h.Tree.Exists(name) }

func isDir(h *sim.Host, name string) bool {
	fi, err := h.Tree.Stat(name)
	return err == nil && fi.IsDir()
}

func isSymlink(h *sim.Host, name string) (string, bool) {
	fi, err := h.Tree.Lstat(name)
	if err != nil || fi.Mode&fs.ModeSymlink == 0 {
		return "", false
	}
	t, err := h.Tree.Readlink(name)
	if err != nil {
		return fi.Target, true
	}
	return t, true
}

// listDir returns the names in dir, sorted, or nothing when it is absent.
func listDir(h *sim.Host, dir string) []sim.FileInfo {
	fis, err := h.Tree.ReadDir(root, dir)
	if err != nil {
		return nil
	}
	return fis
}

func getenv(p *sim.Proc, key string) (string, bool) {
	for i := len(p.Env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(p.Env[i], "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// glyphs are systemd's special glyphs. systemd prints the UTF-8 forms unless
// the locale is explicitly set to C/POSIX (locale-util.c is_locale_utf8 treats
// an unset locale as UTF-8) - derived.
type glyphs struct {
	Arrow, Black, White, Cross, TreeRight, TreeBranch string
}

var utf8Glyphs = glyphs{Arrow: "→", Black: "●", White: "○", Cross: "×", TreeRight: "└─", TreeBranch: "├─"}
var asciiGlyphs = glyphs{Arrow: "->", Black: "*", White: "o", Cross: "x", TreeRight: "`-", TreeBranch: "|-"}

func glyphsFor(p *sim.Proc) glyphs {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v, ok := getenv(p, k); ok && v != "" {
			if v == "C" || v == "POSIX" {
				return asciiGlyphs
			}
			return utf8Glyphs
		}
	}
	return utf8Glyphs
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, c := range s {
		plain := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("@%+=:,./-_", c)
		if !plain {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// childProc is a process the system (not the caller) runs: systemd services,
// package scriptlets. Its output is captured.
func childProc(ctx context.Context, h *sim.Host, env []string) (*sim.Proc, *bytes.Buffer) {
	if ctx == nil {
		ctx = context.Background()
	}
	var out bytes.Buffer
	return &sim.Proc{
		Ctx:    ctx,
		Host:   h,
		Args:   []string{"sh"},
		Stdin:  strings.NewReader(""),
		Stdout: &out,
		Stderr: &out,
		User:   root,
		Dir:    "/",
		Env:    env,
	}, &out
}

// systemd's time formats (time-util.c format_timestamp, format_timestamp_relative).
func fmtTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("Mon 2006-01-02 15:04:05 MST")
}

func fmtRelative(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	var d time.Duration
	suffix := "ago"
	if t.After(now) {
		d = t.Sub(now)
		suffix = "left"
	} else {
		d = now.Sub(t)
	}
	const (
		day   = 24 * time.Hour
		week  = 7 * day
		month = 2629800 * time.Second
		year  = 31557600 * time.Second
	)
	n := func(x time.Duration, unit time.Duration) int64 { return int64(x / unit) }
	switch {
	case d >= year:
		y := n(d, year)
		m := n(d%year, month)
		if m > 0 {
			return fmt.Sprintf("%d %s %d %s %s", y, plural(y, "year", "years"), m, plural(m, "month", "months"), suffix)
		}
		return fmt.Sprintf("%d %s %s", y, plural(y, "year", "years"), suffix)
	case d >= month:
		return fmt.Sprintf("%d %s %d %s %s", n(d, month), plural(n(d, month), "month", "months"), n(d%month, day), plural(n(d%month, day), "day", "days"), suffix)
	case d >= week:
		return fmt.Sprintf("%d %s %d %s %s", n(d, week), plural(n(d, week), "week", "weeks"), n(d%week, day), plural(n(d%week, day), "day", "days"), suffix)
	case d >= 2*day:
		return fmt.Sprintf("%d days %s", n(d, day), suffix)
	case d >= 25*time.Hour:
		return fmt.Sprintf("1 day %dh %s", n(d-day, time.Hour), suffix)
	case d >= 6*time.Hour:
		return fmt.Sprintf("%dh %s", n(d, time.Hour), suffix)
	case d >= time.Hour:
		return fmt.Sprintf("%dh %dmin %s", n(d, time.Hour), n(d%time.Hour, time.Minute), suffix)
	case d >= 5*time.Minute:
		return fmt.Sprintf("%dmin %s", n(d, time.Minute), suffix)
	case d >= time.Minute:
		return fmt.Sprintf("%dmin %ds %s", n(d, time.Minute), n(d%time.Minute, time.Second), suffix)
	case d >= time.Second:
		return fmt.Sprintf("%ds %s", n(d, time.Second), suffix)
	case d >= time.Millisecond:
		return fmt.Sprintf("%dms %s", n(d, time.Millisecond), suffix)
	case d > 0:
		return fmt.Sprintf("%dus %s", n(d, time.Microsecond), suffix)
	}
	return "now"
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errw writes a line to the process's stderr.
func errw(p *sim.Proc, format string, a ...any) {
	fmt.Fprintf(p.Stderr, format+"\n", a...)
}

func outw(w io.Writer, format string, a ...any) {
	fmt.Fprintf(w, format+"\n", a...)
}

// randomSuffix is n random letters and digits, as mkstemp(3) fills its Xs.
func randomSuffix(n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}

// splitShortOpts expands clustered short options as getopt_long reads them
// (util-linux's mount, umount and findmnt): "-rn" is "-r" "-n", and a
// letter in withArg takes the rest of its word ("-oTARGET") or the next
// word as its argument. Everything after "--" is an operand: it is kept
// behind a "--" of its own for the caller to honour.
func splitShortOpts(args []string, withArg string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			out = append(out, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			out = append(out, "-"+string(a[j]))
			if strings.IndexByte(withArg, a[j]) >= 0 {
				if rest := a[j+1:]; rest != "" {
					out = append(out, rest)
				} else if i+1 < len(args) {
					i++
					out = append(out, args[i])
				}
				break
			}
		}
	}
	return out
}
