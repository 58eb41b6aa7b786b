package zrepl

import (
	"encoding/json"
	"time"
)

// The daemon's /status JSON (reference §12.4): Go structs marshalled by
// encoding/json, so struct fields keep zrepl's declaration order and maps
// (jobs, the per-job {"T": ..., "type": T} wrapper) come out sorted. The
// field order below is zrepl 0.6.1's.

// Status is daemon.Status.
type Status struct {
	Jobs   map[string]*JobStatus
	Global GlobalStatus
}

// GlobalStatus is the daemon's global part.
type GlobalStatus struct {
	ZFSCmds   ZFSCmdsStatus
	Envconst  EnvconstReport
	OsEnviron []string
}

// ZFSCmdsStatus lists running zfs commands (none between the lab's runs).
type ZFSCmdsStatus struct {
	Active []any
}

// EnvconstReport lists the environment tunables the daemon read.
type EnvconstReport struct {
	Entries []any
}

// JobStatus is job.Status: {"type": T, T: body}.
type JobStatus struct {
	Type string
	Body any
}

// MarshalJSON writes the job's map form, keys sorted ("push" < "type").
func (s *JobStatus) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"type": s.Type, s.Type: s.Body})
}

// ActiveSideStatus is the body of push and pull jobs.
type ActiveSideStatus struct {
	Replication                    *ReplicationReport
	PruningSender, PruningReceiver *PrunerReport
	Snapshotting                   *SnapperReport
}

// PassiveStatus is the body of sink and source jobs.
type PassiveStatus struct {
	Snapper *SnapperReport
}

// SnapJobStatus is the body of snap jobs.
type SnapJobStatus struct {
	Pruning      *PrunerReport
	Snapshotting *SnapperReport
}

// ReplicationReport is replication/report.Report.
type ReplicationReport struct {
	StartAt, FinishAt                      time.Time
	WaitReconnectSince, WaitReconnectUntil time.Time
	WaitReconnectError                     *TimedError
	Attempts                               []*AttemptReport
}

// TimedError is an error with the time it happened.
type TimedError struct {
	Err  string
	Time time.Time
}

// AttemptReport is one replication attempt.
type AttemptReport struct {
	State             string
	StartAt, FinishAt time.Time
	PlanError         *TimedError
	Filesystems       []*FilesystemReport
}

// Attempt states.
const (
	AttemptPlanning            = "planning"
	AttemptPlanningError       = "planning-error"
	AttemptFanOut              = "fan-out-filesystems"
	AttemptFilesystemError     = "filesystem-error"
	AttemptDone                = "done"
	FilesystemPlanning         = "planning"
	FilesystemPlanningError    = "planning-error"
	FilesystemStepping         = "stepping"
	FilesystemStepError        = "step-error"
	FilesystemDone             = "done"
	BlockedOnNothing           = "nothing"
	PrunerDone                 = "Done"
	PrunerPlanErr              = "PlanErr"
	SkipReasonPlaceholder      = "filesystem is placeholder"
	SkipReasonNoCorrespondence = "filesystem has no correspondence on sender"
)

// FilesystemReport is one filesystem of an attempt.
type FilesystemReport struct {
	Info        *FilesystemInfo
	State       string
	BlockedOn   string
	PlanError   *TimedError
	StepError   *TimedError
	CurrentStep int
	Steps       []*StepReport
}

// FilesystemInfo names the filesystem.
type FilesystemInfo struct {
	Name string
}

// StepReport is one send/receive step.
type StepReport struct {
	Info *StepInfo
}

// StepInfo carries the step's versions with their delimiter ("@a", "#b").
type StepInfo struct {
	From, To        string
	Resumed         bool
	BytesExpected   uint64
	BytesReplicated uint64
}

// PrunerReport is daemon/pruner.Report.
type PrunerReport struct {
	State              string
	Error              string
	Pending, Completed []FSReport
}

// FSReport is the pruning of one filesystem.
type FSReport struct {
	Filesystem                string
	SnapshotList, DestroyList []SnapshotReport
	SkipReason                string
	LastError                 string
}

// SnapshotReport is one snapshot the pruner considered.
type SnapshotReport struct {
	Name       string
	Replicated bool
	Date       time.Time
}

// SnapperReport is daemon/snapper.Report.
type SnapperReport struct {
	Type     string
	Periodic *PeriodicReport
	Cron     *PeriodicReport
	Manual   *struct{}
}

// PeriodicReport is the periodic (and cron) snapshotter's report.
type PeriodicReport struct {
	State      int
	SleepUntil time.Time
	Error      string
	Progress   []*SnapProgress
}

// SnapProgress is one filesystem of the last snapshotting round.
type SnapProgress struct {
	Path          string
	State         int
	SnapName      string
	StartAt       time.Time
	Hooks         string
	HooksHadError bool
	DoneAt        time.Time
}

// Snapshotter states (Go uint values without a JSON marshaller: numbers).
const (
	SnapperSyncUp        = 1
	SnapperSyncUpErrWait = 2
	SnapperPlanning      = 4
	SnapperSnapshotting  = 8
	SnapperWaiting       = 16
	SnapperErrorWait     = 32
	SnapperStopped       = 64
	SnapPending          = 1
	SnapStarted          = 2
	SnapDone             = 4
	SnapError            = 8
)
