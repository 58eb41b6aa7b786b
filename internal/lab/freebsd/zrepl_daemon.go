package freebsd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/zfs"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/zrepl"
)

// The zrepl daemon of a host. There is no process: `service zrepl start`
// records the daemon (its config as read then, the time) in the state
// "freebsd-zrepl", and the daemon's work happens in runs, each a function
// call that drives zfs on this host and its peers through their commands:
//
//   - catch-up: every periodic snapshotting that fell due by the host's
//     clock (zrepl's snapshotter: first at the sync point after start, then
//     every interval) is done, oldest first, each followed by the job's
//     replication and pruning as the real daemon would have done then;
//   - `zrepl signal wakeup JOB`: catch-up, then the job's replication and
//     pruning (a wakeup takes no snapshot, as in zrepl);
//   - `zrepl status`: catch-up, then the report of what was done;
//   - ZreplTick: catch-up, called every second by a running lab server.
//
// Runs of one host are serialised by a lease in the state (cross-process,
// so `f3s-lab exec` and the server do not run the daemon twice at once).

// zreplStateName is the sim.Update name of the daemon's state.
const zreplStateName = "freebsd-zrepl"

// zreplLease bounds a run; a crashed process's lease expires.
const zreplLease = 60 * time.Second

// zreplMaxCatchUp bounds the snapshotting rounds one catch-up replays: a
// longer gap is a daemon that was not running, which snapshots once.
const zreplMaxCatchUp = 16

type zreplDaemon struct {
	Running    bool                      `json:"running"`
	ConfigPath string                    `json:"config_path"`
	Config     string                    `json:"config"`
	Started    time.Time                 `json:"started"`
	Lease      time.Time                 `json:"lease"`
	Jobs       map[string]*zreplJobState `json:"jobs"`
}

type zreplJobState struct {
	NextSnap        time.Time                `json:"next_snap"`
	Replication     *zrepl.ReplicationReport `json:"replication,omitempty"`
	PruningSender   *zrepl.PrunerReport      `json:"pruning_sender,omitempty"`
	PruningReceiver *zrepl.PrunerReport      `json:"pruning_receiver,omitempty"`
	Pruning         *zrepl.PrunerReport      `json:"pruning,omitempty"`
	Snapper         *zrepl.SnapperReport     `json:"snapper,omitempty"`
}

// zreplStarted is the daemon's start: it reads its config (already checked
// by the rc script's precmd) and waits for the snapshotters' sync points.
func zreplStarted(r *rcRun) {
	h := r.p.Host
	_ = h.Tree.WriteFile(rootUser(), zreplControl, nil, 0o600)
	path := r.v["zrepl_config"]
	if f := strings.Fields(r.v["zrepl_options"]); len(f) > 0 {
		for i := 0; i+1 < len(f); i++ {
			if f[i] == "--config" {
				path = f[i+1]
			}
		}
	}
	data, _ := h.Tree.ReadFile(rootUser(), path)
	now := h.Now()
	d := zreplDaemon{Running: true, ConfigPath: path, Config: string(data), Started: now, Jobs: map[string]*zreplJobState{}}
	if c, err := zrepl.Parse(data); err == nil {
		st, _ := sim.Load[zfs.State](h, zfs.StateName)
		for _, j := range c.Jobs {
			d.Jobs[j.Name()] = zreplSyncUp(&st, j, now)
		}
	}
	_ = sim.Update(h, zreplStateName, func(s *zreplDaemon) error {
		*s = d
		return nil
	})
}

func zreplStopped(r *rcRun) {
	_ = r.p.Host.Tree.Remove(rootUser(), zreplControl)
	_ = sim.Update(r.p.Host, zreplStateName, func(s *zreplDaemon) error {
		s.Running, s.Lease = false, time.Time{}
		return nil
	})
}

// jobSnapshotting returns a job's snapshotting and filter, if it snapshots.
func jobSnapshotting(j zrepl.JobEnum) (zrepl.SnapshottingEnum, zrepl.FilesystemsFilter, bool) {
	switch v := j.Ret.(type) {
	case *zrepl.PushJob:
		return v.Snapshotting, v.Filesystems, true
	case *zrepl.SourceJob:
		return v.Snapshotting, v.Filesystems, true
	case *zrepl.SnapJob:
		return v.Snapshotting, v.Filesystems, true
	}
	return zrepl.SnapshottingEnum{}, nil, false
}

// zreplSyncUp is the periodic snapshotter's start (findSyncPoint): the
// first snapshot is due one interval after the newest prefixed snapshot of
// the filesystems, at once when one of them has none.
func zreplSyncUp(st *zfs.State, j zrepl.JobEnum, now time.Time) *zreplJobState {
	js := &zreplJobState{}
	snapping, fsf, ok := jobSnapshotting(j)
	if !ok {
		return js
	}
	switch v := snapping.Ret.(type) {
	case *zrepl.SnapshottingPeriodic:
		filter, _ := zrepl.NewFilter(fsf)
		sync := time.Time{}
		for _, ds := range zreplFilesystems(st, filter) {
			var latest time.Time
			for _, s := range ds.Snapshots {
				if strings.HasPrefix(s.Name, v.Prefix) && time.Unix(s.Creation, 0).After(latest) {
					latest = time.Unix(s.Creation, 0)
				}
			}
			next := now
			if !latest.IsZero() {
				next = latest.Add(v.Interval)
			}
			if sync.IsZero() || next.Before(sync) {
				sync = next
			}
		}
		if sync.IsZero() || sync.Before(now) {
			sync = now
		}
		js.NextSnap = sync
		js.Snapper = &zrepl.SnapperReport{Type: "periodic", Periodic: &zrepl.PeriodicReport{State: zrepl.SnapperSyncUp, SleepUntil: sync}}
	case *zrepl.SnapshottingCron:
		js.Snapper = &zrepl.SnapperReport{Type: "cron", Cron: &zrepl.PeriodicReport{State: zrepl.SnapperWaiting}}
	case *zrepl.SnapshottingManual:
		js.Snapper = &zrepl.SnapperReport{Type: "manual", Manual: &struct{}{}}
	}
	return js
}

// zreplFilesystems lists the filesystems and volumes a filter includes,
// placeholders left out, by name.
func zreplFilesystems(st *zfs.State, f *zrepl.Filter) []*zfs.Dataset {
	var out []*zfs.Dataset
	if f == nil {
		return nil
	}
	for _, p := range st.Pools {
		if p.Exported {
			continue
		}
		for _, ds := range p.Datasets {
			if f.Match(ds.Name) && ds.Local["zrepl:placeholder"] != "on" {
				out = append(out, ds)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// zfsDataset finds a dataset by name in a host's zfs state.
func zfsDataset(st *zfs.State, name string) *zfs.Dataset {
	for _, p := range st.Pools {
		if p.Exported {
			continue
		}
		for _, ds := range p.Datasets {
			if ds.Name == name {
				return ds
			}
		}
	}
	return nil
}

// errZreplBusy: another run holds the lease past the wait.
var errZreplBusy = errors.New("zrepl daemon busy")

// errZreplDown: the daemon is not running.
var errZreplDown = errors.New("zrepl daemon not running")

// zreplRun is one run of the daemon of host h.
type zreplRun struct {
	h    *sim.Host
	d    zreplDaemon
	conf *zrepl.Config
}

// withZreplRun takes the lease, runs fn on a copy of the state and saves
// the jobs' reports. wait=false gives up at once when another run is on.
func withZreplRun(h *sim.Host, wait bool, fn func(rt *zreplRun) error) error {
	deadline := time.Now().Add(zreplLease)
	var d zreplDaemon
	for {
		err := sim.Update(h, zreplStateName, func(s *zreplDaemon) error {
			if !s.Running {
				return errZreplDown
			}
			if s.Lease.After(time.Now()) {
				return errZreplBusy
			}
			s.Lease = time.Now().Add(zreplLease)
			d = *s
			return nil
		})
		if err == nil {
			break
		}
		if !errors.Is(err, errZreplBusy) || !wait || time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
	rt := &zreplRun{h: h, d: d}
	c, err := zrepl.Parse([]byte(d.Config))
	if err == nil {
		rt.conf = c
	}
	var runErr error
	if rt.conf != nil {
		runErr = fn(rt)
	}
	saveErr := sim.Update(h, zreplStateName, func(s *zreplDaemon) error {
		s.Lease = time.Time{}
		if s.Started.Equal(d.Started) && s.Running {
			s.Jobs = rt.d.Jobs
		}
		return nil
	})
	return errors.Join(runErr, saveErr)
}

// ZreplTick runs what the zrepl daemon of host h has due by its clock;
// the lab calls it every second while it serves. It never waits for
// another run and does nothing without a running daemon.
func ZreplTick(h *sim.Host) {
	if h.OS != sim.FreeBSD || !zreplAlive(h) {
		return
	}
	_ = withZreplRun(h, false, func(rt *zreplRun) error {
		rt.catchUp()
		return nil
	})
}

// zreplAlive is the daemon's process check (pid file and process table).
func zreplAlive(h *sim.Host) bool {
	p := h.NewProc(context.Background(), h.Root(), nil, nil, nil)
	return zreplDaemonRunning(p)
}

func (rt *zreplRun) job(name string) *zreplJobState {
	if rt.d.Jobs == nil {
		rt.d.Jobs = map[string]*zreplJobState{}
	}
	js := rt.d.Jobs[name]
	if js == nil {
		js = &zreplJobState{}
		rt.d.Jobs[name] = js
	}
	return js
}

// catchUp does every snapshotting round that is due, in time order.
func (rt *zreplRun) catchUp() {
	now := rt.h.Now()
	for range zreplMaxCatchUp * len(rt.conf.Jobs) {
		var next zrepl.JobEnum
		var at time.Time
		for _, j := range rt.conf.Jobs {
			snapping, _, ok := jobSnapshotting(j)
			if !ok {
				continue
			}
			if _, periodic := snapping.Ret.(*zrepl.SnapshottingPeriodic); !periodic {
				continue
			}
			js := rt.job(j.Name())
			if js.NextSnap.IsZero() || js.NextSnap.After(now) {
				continue
			}
			if at.IsZero() || js.NextSnap.Before(at) {
				next, at = j, js.NextSnap
			}
		}
		if at.IsZero() {
			return
		}
		periodic := mustPeriodic(next)
		if now.Sub(at) > zreplMaxCatchUp*periodic.Interval {
			at = now
		}
		rt.snapshotRound(next, at)
		rt.job(next.Name()).NextSnap = at.Add(periodic.Interval)
		rt.afterSnapshot(next, at)
	}
}

func mustPeriodic(j zrepl.JobEnum) *zrepl.SnapshottingPeriodic {
	s, _, _ := jobSnapshotting(j)
	p, _ := s.Ret.(*zrepl.SnapshottingPeriodic)
	return p
}

// afterSnapshot is what a job does once its snapshots are taken: a push
// job replicates and prunes, a snap job prunes.
func (rt *zreplRun) afterSnapshot(j zrepl.JobEnum, at time.Time) {
	switch v := j.Ret.(type) {
	case *zrepl.PushJob:
		rt.replicateAndPrune(v, at)
	case *zrepl.SnapJob:
		rt.pruneLocal(v, at)
	}
}

// wakeup is the control socket's signal "wakeup": the job's replication
// and pruning (an active job) or pruning (a snap job). A passive job has
// nobody waiting for the signal.
func (rt *zreplRun) wakeup(name string) error {
	j, ok := rt.conf.Job(name)
	if !ok {
		return errors.New("Job " + name + " does not exist")
	}
	now := rt.h.Now()
	switch v := j.Ret.(type) {
	case *zrepl.PushJob:
		rt.replicateAndPrune(v, now)
	case *zrepl.SnapJob:
		rt.pruneLocal(v, now)
	case *zrepl.PullJob:
		// config-only in the lab: the pull job's invocation does nothing
	default:
		return errors.New("already woken up")
	}
	return nil
}

// snapshotName is the snapper's name for a snapshot taken at t.
func snapshotName(prefix, format string, t time.Time) string {
	t = t.UTC()
	switch format {
	case "", "dense":
		return prefix + t.Format("20060102_150405_000")
	case "human":
		return prefix + t.Format("2006-01-02_15:04:05")
	case "iso-8601":
		return prefix + t.Format("2006-01-02T15:04:05.000Z")
	case "unix-seconds":
		return prefix + strconv.FormatInt(t.Unix(), 10)
	}
	return prefix + t.Format(format)
}

// snapshotRound takes one snapshot of every filesystem of the job.
func (rt *zreplRun) snapshotRound(j zrepl.JobEnum, at time.Time) {
	periodic := mustPeriodic(j)
	_, fsf, _ := jobSnapshotting(j)
	filter, _ := zrepl.NewFilter(fsf)
	st, _ := sim.Load[zfs.State](rt.h, zfs.StateName)
	name := snapshotName(periodic.Prefix, periodic.TimestampFormat, at)
	rep := &zrepl.PeriodicReport{State: zrepl.SnapperWaiting, SleepUntil: at.Add(periodic.Interval), Progress: []*zrepl.SnapProgress{}}
	var errs []string
	for _, ds := range zreplFilesystems(&st, filter) {
		pr := &zrepl.SnapProgress{Path: ds.Name, State: zrepl.SnapDone, SnapName: name, StartAt: at, DoneAt: at}
		if _, stderr, code := zfsCmd(rt.h, nil, "snapshot", ds.Name+"@"+name); code != 0 {
			pr.State = zrepl.SnapError
			errs = append(errs, zfsError(code, stderr))
		}
		rep.Progress = append(rep.Progress, pr)
	}
	if len(errs) > 0 {
		rep.State, rep.Error = zrepl.SnapperErrorWait, strings.Join(errs, "; ")
	}
	rt.job(j.Name()).Snapper = &zrepl.SnapperReport{Type: "periodic", Periodic: rep}
}

// zfsCmd runs zfs as root on h with stdin, as zrepl's exec of zfs does.
func zfsCmd(h *sim.Host, stdin []byte, args ...string) ([]byte, string, int) {
	var out, errb bytes.Buffer
	p := h.NewProc(context.Background(), h.Root(), bytes.NewReader(stdin), &out, &errb)
	p.Env = []string{"HOME=/", "PATH=/sbin:/bin:/usr/sbin:/usr/bin"}
	code := h.Exec(p, append([]string{"zfs"}, args...))
	return out.Bytes(), errb.String(), code
}

// zfsError is zrepl's ZFSError text (zfs/zfs.go).
func zfsError(code int, stderr string) string {
	return "zfs exited with error: exit status " + strconv.Itoa(code) + "\nstderr:\n" + stderr
}

// statusJSON is the daemon's /status body.
func (d *zreplDaemon) statusJSON() ([]byte, error) {
	st := zrepl.Status{
		Jobs: map[string]*zrepl.JobStatus{"_control": {Type: "internal"}},
		Global: zrepl.GlobalStatus{
			OsEnviron: []string{"HOME=/", "PATH=/sbin:/bin:/usr/sbin:/usr/bin"},
		},
	}
	c, err := zrepl.Parse([]byte(d.Config))
	if err != nil {
		return json.Marshal(st)
	}
	if len(c.Global.Monitoring) > 0 {
		st.Jobs["_prometheus"] = &zrepl.JobStatus{Type: "internal"}
	}
	for _, j := range c.Jobs {
		js := d.Jobs[j.Name()]
		if js == nil {
			js = &zreplJobState{}
		}
		var body any
		switch j.Ret.(type) {
		case *zrepl.PushJob:
			body = &zrepl.ActiveSideStatus{Replication: js.Replication, PruningSender: js.PruningSender, PruningReceiver: js.PruningReceiver, Snapshotting: js.Snapper}
		case *zrepl.PullJob:
			body = &zrepl.ActiveSideStatus{}
		case *zrepl.SinkJob:
			body = &zrepl.PassiveStatus{}
		case *zrepl.SourceJob:
			body = &zrepl.PassiveStatus{Snapper: js.Snapper}
		case *zrepl.SnapJob:
			body = &zrepl.SnapJobStatus{Pruning: js.Pruning, Snapshotting: js.Snapper}
		}
		st.Jobs[j.Name()] = &zrepl.JobStatus{Type: j.Type(), Body: body}
	}
	return json.Marshal(st)
}
