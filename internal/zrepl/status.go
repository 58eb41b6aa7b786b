package zrepl

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// The types below read `zrepl status --mode raw`: the daemon's /status JSON
// (daemon/daemon.go Status, daemon/job, replication/report, daemon/pruner,
// daemon/snapper at v0.6.1; reference section 12.4). Decoding is lenient on
// purpose: fields the provider does not use may come and go between zrepl
// versions without breaking a plan.

// Status is the daemon's report on its jobs. Internal jobs (_control,
// _prometheus) are left out.
type Status struct {
	Jobs []JobStatus // sorted by name
}

// Job returns the named job's status.
func (s *Status) Job(name string) (JobStatus, bool) {
	for _, j := range s.Jobs {
		if j.Name == name {
			return j, true
		}
	}
	return JobStatus{}, false
}

// Names lists the jobs the daemon runs.
func (s *Status) Names() []string {
	names := make([]string, len(s.Jobs))
	for i, j := range s.Jobs {
		names[i] = j.Name
	}
	return names
}

// JobStatus is one job's report. Which parts are set depends on the kind:
// push and pull have Replication, PruningSender, PruningReceiver and
// Snapshotting (null before the first run); source has Snapshotting; snap
// has Pruning and Snapshotting; sink has none.
type JobStatus struct {
	Name            string
	Type            string
	Replication     *ReplicationReport
	PruningSender   *PrunerReport
	PruningReceiver *PrunerReport
	Pruning         *PrunerReport
	Snapshotting    *SnapshotterReport
}

// ReplicationReport is one replication run and its attempts.
type ReplicationReport struct {
	StartAt            time.Time
	FinishAt           time.Time
	WaitReconnectSince time.Time
	WaitReconnectUntil time.Time
	WaitReconnectError *TimedError
	Attempts           []AttemptReport
}

// TimedError is an error as the report carries it.
type TimedError struct {
	Err  string
	Time time.Time
}

// AttemptReport is one attempt of a run.
type AttemptReport struct {
	State       string // planning, planning-error, fan-out-filesystems, filesystem-error, done
	StartAt     time.Time
	FinishAt    time.Time
	PlanError   *TimedError
	Filesystems []FilesystemReport
}

// The states of an attempt.
const (
	AttemptPlanning      = "planning"
	AttemptPlanningError = "planning-error"
	AttemptFanOut        = "fan-out-filesystems"
	AttemptFSError       = "filesystem-error"
	AttemptDone          = "done"
)

// Terminal tells whether an attempt state is final.
func Terminal(state string) bool {
	return state == AttemptPlanningError || state == AttemptFSError || state == AttemptDone
}

// FilesystemReport is one filesystem of an attempt.
type FilesystemReport struct {
	Info        struct{ Name string }
	State       string // planning, planning-error, stepping, step-error, done
	BlockedOn   string
	PlanError   *TimedError
	StepError   *TimedError
	CurrentStep int
	Steps       []StepReport
}

// StepReport is one send/receive step: From and To carry the delimiter
// (@snapshot or #bookmark); From is empty for a full send.
type StepReport struct {
	Info struct {
		From, To        string
		Resumed         bool
		BytesExpected   int64
		BytesReplicated int64
	}
}

// PrunerReport is the state of one side's pruning: Plan, PlanErr, Exec,
// ExecErr or Done.
type PrunerReport struct {
	State     string
	Error     string
	Pending   []PrunerFilesystem
	Completed []PrunerFilesystem
}

// PrunerFilesystem is one filesystem of a pruning run.
type PrunerFilesystem struct {
	Filesystem string
	SkipReason string
	LastError  string
}

// SnapshotterReport is the snapshotter's state; Periodic or Cron is set.
type SnapshotterReport struct {
	Type     string
	Periodic *SnapperReport
	Cron     *SnapperReport
}

// SnapperReport is a periodic or cron snapshotter's state. State and the
// progress states are numbers (Go enums without a JSON form).
type SnapperReport struct {
	State      int
	SleepUntil time.Time
	Error      string
	Progress   []SnapProgress
}

// SnapProgress is one filesystem's snapshot of the current or last round.
type SnapProgress struct {
	Path          string
	State         int
	SnapName      string
	StartAt       time.Time
	DoneAt        time.Time
	Hooks         string
	HooksHadError bool
}

// Snapshot progress states (daemon/snapper): pending, started, done, error.
const (
	SnapPending = 1 << iota
	SnapStarted
	SnapDone
	SnapError
)

var snapperStates = map[int]string{1: "SyncUp", 2: "SyncUpErrWait", 4: "Planning", 8: "Snapshotting",
	16: "Waiting", 32: "ErrorWait", 64: "Stopped"}

// ParseStatus reads the output of `zrepl status --mode raw`.
func ParseStatus(data []byte) (*Status, error) {
	var raw struct {
		Jobs map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("zrepl status --mode raw: %w", err)
	}
	if raw.Jobs == nil {
		return nil, fmt.Errorf("zrepl status --mode raw: no \"Jobs\" in %.200q", data)
	}
	st := &Status{}
	for name, obj := range raw.Jobs {
		var typ string
		if err := json.Unmarshal(obj["type"], &typ); err != nil {
			return nil, fmt.Errorf("zrepl status --mode raw: job %q has no type: %w", name, err)
		}
		if typ == "internal" || strings.HasPrefix(name, "_") {
			continue
		}
		js := JobStatus{Name: name, Type: typ}
		if body := obj[typ]; len(body) > 0 && string(body) != "null" {
			var parts struct {
				Replication     *ReplicationReport
				PruningSender   *PrunerReport
				PruningReceiver *PrunerReport
				Pruning         *PrunerReport
				Snapshotting    *SnapshotterReport
				Snapper         *SnapshotterReport // source jobs call it so
			}
			if err := json.Unmarshal(body, &parts); err != nil {
				return nil, fmt.Errorf("zrepl status --mode raw: job %q: %w", name, err)
			}
			js.Replication, js.PruningSender, js.PruningReceiver, js.Pruning = parts.Replication,
				parts.PruningSender, parts.PruningReceiver, parts.Pruning
			js.Snapshotting = parts.Snapshotting
			if js.Snapshotting == nil {
				js.Snapshotting = parts.Snapper
			}
		}
		st.Jobs = append(st.Jobs, js)
	}
	sort.Slice(st.Jobs, func(a, b int) bool { return st.Jobs[a].Name < st.Jobs[b].Name })
	return st, nil
}

// LastAttempt is the newest attempt of the last run, or nil.
func (j JobStatus) LastAttempt() *AttemptReport {
	if j.Replication == nil || len(j.Replication.Attempts) == 0 {
		return nil
	}
	return &j.Replication.Attempts[len(j.Replication.Attempts)-1]
}

// SnapshottingState names the snapshotter's state (Waiting, ErrorWait, ...).
func (j JobStatus) SnapshottingState() string {
	r := j.snapper()
	if r == nil {
		return ""
	}
	if name, ok := snapperStates[r.State]; ok {
		return name
	}
	return fmt.Sprintf("state %d", r.State)
}

func (j JobStatus) snapper() *SnapperReport {
	if j.Snapshotting == nil {
		return nil
	}
	if j.Snapshotting.Periodic != nil {
		return j.Snapshotting.Periodic
	}
	return j.Snapshotting.Cron
}

// LastSnapshot is the name of the newest snapshot the snapshotter took
// ("zrepl_20250701_193148_000"), or "".
func (j JobStatus) LastSnapshot() string {
	r := j.snapper()
	if r == nil {
		return ""
	}
	var name string
	var at time.Time
	for _, p := range r.Progress {
		if p.State&SnapDone != 0 && p.SnapName != "" && !p.DoneAt.Before(at) {
			name, at = p.SnapName, p.DoneAt
		}
	}
	return name
}

// FilesystemSummary is one filesystem of the last attempt.
type FilesystemSummary struct {
	Name  string
	State string
	// LastReplicated is the newest snapshot the attempt completed, without
	// the "@" ("zrepl_20250701_193148_000"), or "".
	LastReplicated string
	Error          string
}

// Filesystems summarises the filesystems of the last attempt.
func (j JobStatus) Filesystems() []FilesystemSummary {
	a := j.LastAttempt()
	if a == nil {
		return nil
	}
	out := make([]FilesystemSummary, 0, len(a.Filesystems))
	for _, f := range a.Filesystems {
		s := FilesystemSummary{Name: f.Info.Name, State: f.State}
		if n := min(f.CurrentStep, len(f.Steps)); n > 0 {
			s.LastReplicated = strings.TrimLeft(f.Steps[n-1].Info.To, "@#")
		}
		if f.PlanError != nil {
			s.Error = f.PlanError.Err
		} else if f.StepError != nil {
			s.Error = f.StepError.Err
		}
		out = append(out, s)
	}
	return out
}

// Errors lists every error the report carries: reconnect and planning
// errors of the last attempt, step errors per filesystem, pruning and
// snapshotting errors, each prefixed with where it happened.
func (j JobStatus) Errors() []string {
	var errs []string
	if r := j.Replication; r != nil && r.WaitReconnectError != nil {
		errs = append(errs, "replication: waiting to reconnect: "+r.WaitReconnectError.Err)
	}
	if a := j.LastAttempt(); a != nil {
		if a.PlanError != nil {
			errs = append(errs, "replication: planning: "+a.PlanError.Err)
		}
		for _, f := range a.Filesystems {
			if f.PlanError != nil {
				errs = append(errs, "replication: "+f.Info.Name+": planning: "+f.PlanError.Err)
			}
			if f.StepError != nil {
				errs = append(errs, "replication: "+f.Info.Name+": "+f.StepError.Err)
			}
		}
	}
	for _, p := range []struct {
		what string
		r    *PrunerReport
	}{{"pruning sender", j.PruningSender}, {"pruning receiver", j.PruningReceiver}, {"pruning", j.Pruning}} {
		if p.r == nil {
			continue
		}
		if p.r.Error != "" {
			errs = append(errs, p.what+": "+p.r.Error)
		}
		for _, f := range slices.Concat(p.r.Pending, p.r.Completed) {
			if f.LastError != "" {
				errs = append(errs, p.what+": "+f.Filesystem+": "+f.LastError)
			}
		}
	}
	if r := j.snapper(); r != nil {
		if r.Error != "" {
			errs = append(errs, "snapshotting: "+r.Error)
		}
		for _, p := range r.Progress {
			if p.State&SnapError != 0 {
				errs = append(errs, "snapshotting: "+p.Path+": snapshot "+p.SnapName+" failed")
			}
			if p.HooksHadError {
				errs = append(errs, "snapshotting: "+p.Path+": hook error: "+p.Hooks)
			}
		}
	}
	return errs
}

// Healthy is true when the report carries no error and the last attempt
// (if any) did not end in one.
func (j JobStatus) Healthy() bool {
	if a := j.LastAttempt(); a != nil && (a.State == AttemptPlanningError || a.State == AttemptFSError) {
		return false
	}
	return len(j.Errors()) == 0
}
