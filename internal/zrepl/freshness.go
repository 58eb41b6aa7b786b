package zrepl

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Where "the last successful replication" comes from.
//
// zrepl's status (reference 12.4) describes only the current run, in the
// daemon's memory: its attempts say whether that run failed, not since when
// nothing has arrived. A run that finds nothing new to send is "done" too
// (zrepl issues 205 and 353), a daemon restart forgets every run, and a job
// whose sink stopped answering or whose snapshotter stalled can go on for
// weeks with error counters that say little (zrepl issue 516). What zrepl
// itself keeps on disk is the replication cursor: after every successful
// step the sender moves the bookmark FS#zrepl_CURSOR_G_<guid>_J_<job> to
// the snapshot it just delivered (zrepl's docs: "a bookmark of the most
// recent successfully replicated snapshot to the receiving side"; reference
// 12.3). A bookmark keeps its snapshot's creation time, so the cursor's
// creation is the moment the newest data the receiver holds was captured:
// the standby's recovery point. Its age grows whatever stopped replication,
// and that is the freshness reported here. Age is measured against the
// host's own clock, read in the same command, so that a host whose clock
// differs from the machine running Terraform (or the lab's clock) is judged
// by its own time.

// cursorRE is zrepl's replication cursor bookmark name
// (endpoint_zfs_abstraction_replication_cursor.go: a 16-hex-digit guid, then
// the job's name).
var cursorRE = regexp.MustCompile(`^(.+)#zrepl_CURSOR_G_[0-9a-f]{16}_J_(.+)$`)

// CursorsScript prints the host's clock (seconds since the epoch) and then
// every bookmark with its creation time, tab-separated and in seconds.
func CursorsScript() string {
	return host.Join([]string{"date", "+%s"}) + " && " +
		host.Join([]string{"zfs", "list", "-H", "-p", "-t", "bookmark", "-o", "name,creation"})
}

// Cursors are the replication cursors found on a host, and its clock when
// they were read.
type Cursors struct {
	Now   time.Time
	byJob map[string]map[string]time.Time // job -> filesystem -> cursor's creation
}

// Of returns the creation time of job's cursor on filesystem fs.
func (c Cursors) Of(job, fs string) (time.Time, bool) {
	t, ok := c.byJob[job][fs]
	return t, ok
}

// Filesystems lists the filesystems that carry a cursor of job, sorted.
func (c Cursors) Filesystems(job string) []string {
	out := make([]string, 0, len(c.byJob[job]))
	for fs := range c.byJob[job] {
		out = append(out, fs)
	}
	sort.Strings(out)
	return out
}

// ParseCursors reads the output of CursorsScript.
func ParseCursors(out []byte) (Cursors, error) {
	c := Cursors{byJob: map[string]map[string]time.Time{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	if !sc.Scan() {
		return c, fmt.Errorf("date +%%s printed nothing")
	}
	secs, err := strconv.ParseInt(strings.TrimSpace(sc.Text()), 10, 64)
	if err != nil {
		return c, fmt.Errorf("date +%%s printed %q, not seconds since the epoch", sc.Text())
	}
	c.Now = time.Unix(secs, 0).UTC()
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		name, creation, ok := strings.Cut(line, "\t")
		if !ok {
			return c, fmt.Errorf("zfs list -t bookmark: unexpected line %q", line)
		}
		m := cursorRE.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		at, err := strconv.ParseInt(creation, 10, 64)
		if err != nil {
			return c, fmt.Errorf("zfs list -t bookmark: creation of %s is %q, not seconds", name, creation)
		}
		fs, job := m[1], m[2]
		if c.byJob[job] == nil {
			c.byJob[job] = map[string]time.Time{}
		}
		// One cursor per job and filesystem; should zrepl leave an older one
		// behind for a moment while moving it, the newer counts.
		if t := time.Unix(at, 0).UTC(); t.After(c.byJob[job][fs]) {
			c.byJob[job][fs] = t
		}
	}
	return c, sc.Err()
}

// ReadCursors runs CursorsScript on the host.
func ReadCursors(ctx context.Context, t host.Target) (Cursors, error) {
	res, err := t.Run(ctx, host.Command{Script: CursorsScript()})
	if err != nil {
		return Cursors{}, err
	}
	c, err := ParseCursors(res.Stdout)
	if err != nil {
		return Cursors{}, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return c, nil
}

// Replicates tells whether the job's host holds the replication cursor of
// its sends: a push job's. A pull job's cursor is on the source host, and
// sink, source and snap jobs do not send on their own.
func (j JobStatus) Replicates() bool { return j.Type == JobPush }

// FilesystemFreshness is how old one filesystem's replicated data is.
type FilesystemFreshness struct {
	Name string
	// LastSuccess is the creation time of the newest snapshot known to be
	// on the receiver; zero when none was ever replicated.
	LastSuccess time.Time
	// Lag is the host's clock minus LastSuccess (never negative); zero
	// when LastSuccess is.
	Lag   time.Duration
	Stale bool
}

// JobFreshness is how old a job's replicated data is: as old as its
// stalest filesystem's.
type JobFreshness struct {
	LastSuccess time.Time // zero when a filesystem never replicated, or none is known
	Lag         time.Duration
	Stale       bool
	Filesystems []FilesystemFreshness
}

// Freshness judges a push job against its cursors. The filesystems are
// those of the last attempt; when none ran since the daemon started, or the
// last attempt did not get as far as listing filesystems (a planning
// error: the sink unreachable), those the job's cursors name, so that a
// stalled job still says how old its data is. With maxLag > 0 a filesystem
// is stale when its data is older than maxLag, or when it never replicated
// although the job has run; a job that ran, failed before listing any
// filesystem and has no cursor at all is stale too. Before its first run a
// job is never stale. Jobs that do not replicate from this host get an
// empty JobFreshness.
func (j JobStatus) Freshness(c Cursors, maxLag time.Duration) JobFreshness {
	var out JobFreshness
	if !j.Replicates() {
		return out
	}
	ran := j.Replication != nil
	names := c.Filesystems(j.Name)
	a := j.LastAttempt()
	if a != nil && len(a.Filesystems) > 0 {
		names = names[:0]
		for _, f := range a.Filesystems {
			names = append(names, f.Info.Name)
		}
	}
	complete := len(names) > 0
	for _, name := range names {
		f := FilesystemFreshness{Name: name}
		if t, ok := c.Of(j.Name, name); ok {
			f.LastSuccess = t
			f.Lag = max(c.Now.Sub(t), 0)
		}
		if maxLag > 0 {
			f.Stale = (f.LastSuccess.IsZero() && ran) || f.Lag > maxLag
		}
		if f.LastSuccess.IsZero() {
			complete = false
		} else if out.LastSuccess.IsZero() || f.LastSuccess.Before(out.LastSuccess) {
			out.LastSuccess = f.LastSuccess
		}
		out.Stale = out.Stale || f.Stale
		out.Filesystems = append(out.Filesystems, f)
	}
	if !complete {
		out.LastSuccess = time.Time{}
	}
	if !out.LastSuccess.IsZero() {
		out.Lag = max(c.Now.Sub(out.LastSuccess), 0)
	}
	if maxLag > 0 && len(names) == 0 && ran && (a == nil || a.State != AttemptDone) {
		out.Stale = true
	}
	return out
}
