package nfs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// ErrNotFound means the exports file has no line with the key.
var ErrNotFound = errors.New("no such export line")

// ErrRejected means mountd refused the managed line.
var ErrRejected = errors.New("mountd rejected the line")

// Syslog is where mountd's complaints go (syslogd's default for
// daemon.err on FreeBSD).
const Syslog = "/var/log/messages"

// Read returns the line with key k; ErrNotFound when the file or the line
// is missing.
func Read(ctx context.Context, t host.Target, k Key) (Found, error) {
	data, err := t.ReadFile(ctx, ExportsPath)
	if errors.Is(err, fs.ErrNotExist) {
		return Found{}, fmt.Errorf("%s: %s does not exist: %w", t.Name(), ExportsPath, ErrNotFound)
	}
	if err != nil {
		return Found{}, err
	}
	f, ok, err := Find(string(data), k)
	if !ok {
		return Found{}, fmt.Errorf("%s: %s has no line for %s: %w", t.Name(), ExportsPath, k, ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("%s: %s: the line %q: %w", t.Name(), ExportsPath, f.Line, err)
	}
	return f, nil
}

// Result is what an edit did.
type Result struct {
	Changed  bool // the file was written
	Reloaded bool // mountd ran and re-read it
	// Others are mountd's complaints about lines the edit does not own.
	Others []string
}

// mountdStatusArgv exits 0 while mountd runs.
func mountdStatusArgv() []string { return []string{"service", "mountd", "status"} }

// ReloadScript sends mountd SIGHUP through rc.d (exports(5): "/etc/rc.d/
// mountd reload"), waits a second for it to re-read the file, and prints
// what mountd logged since: its complaints carry "mountd[PID]: ".
func ReloadScript() string {
	log := host.Quote(Syslog)
	return `log=` + log + `
before=$( (wc -c < "$log") 2>/dev/null | tr -d ' ')
[ -n "$before" ] || before=0
service mountd reload || exit 1
sleep 1
tail -c +"$((before + 1))" "$log" 2>/dev/null | grep 'mountd\[[0-9]*\]: ' || :
`
}

var (
	mountdLine = regexp.MustCompile(`mountd\[[0-9]+\]: (.*)$`)
	badLine    = regexp.MustCompile(`^bad exports list line '(.*)'(: (.*))?$`)
)

// Verdict is what mountd logged after a reload.
type Verdict struct {
	Messages []string // every mountd message, in order
	Rejected []string // the lines mountd refused, as it quotes them
}

// ParseVerdict reads the syslog lines a reload printed.
func ParseVerdict(out string) Verdict {
	var v Verdict
	for _, l := range strings.Split(out, "\n") {
		m := mountdLine.FindStringSubmatch(strings.TrimRight(l, "\r"))
		if m == nil {
			continue
		}
		v.Messages = append(v.Messages, m[1])
		if b := badLine.FindStringSubmatch(m[1]); b != nil {
			v.Rejected = append(v.Rejected, b[1])
		}
	}
	return v
}

// rejects tells whether mountd refused the line with key k.
func (v Verdict) rejects(k Key) bool {
	for _, r := range v.Rejected {
		if rk, ok := (logical{text: r}).key(); ok && rk == k {
			return true
		}
	}
	return false
}

// Apply makes /etc/exports hold e's line (replacing the line of prev, the
// key before an update, where it stands) and leaves every other line as
// it is. When the file changed and mountd runs, it is reloaded; when
// mountd then rejects the line, the previous file is put back, mountd is
// reloaded on it, and the error (ErrRejected) carries mountd's words.
func Apply(ctx context.Context, t host.Target, e Export, prev Key) (Result, error) {
	return edit(ctx, t, e.Key(), func(text string) string { return Set(text, e, prev) })
}

// Delete takes the line with key k out of /etc/exports and reloads a
// running mountd. A missing file or line is not an error.
func Delete(ctx context.Context, t host.Target, k Key) (Result, error) {
	return edit(ctx, t, k, func(text string) string {
		out, _ := Remove(text, k)
		return out
	})
}

func edit(ctx context.Context, t host.Target, k Key, change func(string) string) (Result, error) {
	unlock, err := t.Lock(ctx, ExportsPath)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	data, err := t.ReadFile(ctx, ExportsPath)
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Result{}, err
	}
	old := string(data)
	text := change(old)
	if text == old {
		return Result{}, nil
	}
	if err := write(ctx, t, text); err != nil {
		return Result{}, err
	}
	res := Result{Changed: true}
	if _, err := t.Run(ctx, host.Command{Argv: mountdStatusArgv()}); err != nil {
		var ce *host.CommandError
		if errors.As(err, &ce) {
			return res, nil // mountd is not running: it reads the file when it starts
		}
		return res, err
	}
	out, err := t.Run(ctx, host.Command{Script: ReloadScript()})
	if err != nil {
		return res, err
	}
	res.Reloaded = true
	v := ParseVerdict(string(out.Stdout))
	if !v.rejects(k) {
		res.Others = v.Rejected
		return res, nil
	}
	// Put the previous file back and let mountd read it again.
	if existed {
		err = write(ctx, t, old)
	} else {
		err = t.Remove(ctx, ExportsPath)
	}
	if err == nil && existed {
		_, err = t.Run(ctx, host.Command{Script: ReloadScript()})
	}
	msg := strings.Join(v.Messages, "; ")
	if err != nil {
		return Result{Changed: true, Reloaded: true}, fmt.Errorf("%s: %w (%s), and putting the previous %s back failed: %w", t.Name(), ErrRejected, msg, ExportsPath, err)
	}
	return Result{Reloaded: true}, fmt.Errorf("%s: %w: %s; the previous %s was put back and mountd reloaded", t.Name(), ErrRejected, msg, ExportsPath)
}

func write(ctx context.Context, t host.Target, text string) error {
	return t.WriteFile(ctx, ExportsPath, strings.NewReader(text), host.FileOptions{Mode: 0o644, Owner: "root"})
}
