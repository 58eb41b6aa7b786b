package rocky

import (
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// State names (sim.Update/sim.Load) owned by this package.
const (
	systemdStateName = "rocky.systemd"
	journalStateName = "rocky.journal"
	rpmStateName     = "rocky.rpmdb"
	netStateName     = "rocky.net"
)

// managerState is the simulated service manager (PID 1).
type managerState struct {
	Boot    time.Time
	NextPID int
	Units   map[string]*unitState
}

// unitState is one unit's runtime record. A unit with a Snapshot is loaded in
// the manager; edits on disk are only picked up by daemon-reload.
type unitState struct {
	Active        string // ActiveState
	Sub           string // SubState
	Result        string
	MainPID       int
	MainCmd       []string
	ExecMainPID   int
	ExecMainCode  string // "exited"
	ExecMainState int
	StateChange   time.Time
	ActiveEnter   time.Time
	ActiveExit    time.Time
	InactiveEnter time.Time
	InactiveExit  time.Time
	Processes     []procRecord
	LastTrigger   time.Time // timers
	TimerStart    time.Time // timers: when the timer unit was activated
	Snapshot      *snapshot
}

// procRecord is an exited control process, for status's "Process:" lines.
type procRecord struct {
	Name   string // ExecStart, ExecStartPre, ...
	Argv   string
	PID    int
	Status int
}

func (m *managerState) unit(id string) *unitState {
	if m.Units == nil {
		m.Units = map[string]*unitState{}
	}
	u := m.Units[id]
	if u == nil {
		u = &unitState{Active: "inactive", Sub: "dead"}
		m.Units[id] = u
	}
	return u
}

func (m *managerState) pid() int {
	if m.NextPID < 1000 {
		m.NextPID = 1000
	}
	m.NextPID++
	return m.NextPID
}

func loadManager(h *sim.Host) (managerState, error) {
	return sim.Load[managerState](h, systemdStateName)
}

func updateManager(h *sim.Host, fn func(m *managerState) error) error {
	return sim.Update[managerState](h, systemdStateName, fn)
}
