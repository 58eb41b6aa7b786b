package crond

import (
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// RunsState is the state name of the lab's record of scheduled runs. It is
// the lab's own account, beside what the hosts log: a job's exit status,
// which no cron logs, and its output, which real cron mails.
const RunsState = "lab-jobs"

// maxRuns bounds the record; the oldest runs go first.
const maxRuns = 1000

// RunRecord is one scheduled run on a host.
type RunRecord struct {
	Time    time.Time // when it was due, in lab time
	Kind    string    // "cron", "cron @reboot" or "timer"
	User    string    // cron: whose job; timer: the timer unit
	Command string    // cron: the command as written; timer: the unit started
	Status  int       // exit status (timer: 0 when the unit's job was done)
	Output  string    // cron: the job's output; timer: the job's result
}

type runsFile struct {
	Runs []RunRecord
}

// Record adds a run to the host's record.
func Record(h *sim.Host, r RunRecord) {
	_ = sim.Update(h, RunsState, func(s *runsFile) error {
		s.Runs = append(s.Runs, r)
		if n := len(s.Runs); n > maxRuns {
			s.Runs = s.Runs[n-maxRuns:]
		}
		return nil
	})
}

// Runs returns the host's recorded runs, oldest first.
func Runs(h *sim.Host) ([]RunRecord, error) {
	s, err := sim.Load[runsFile](h, RunsState)
	return s.Runs, err
}
