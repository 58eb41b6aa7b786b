package zrepl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// ErrJobNotFound means the running daemon has no job of that name.
var ErrJobNotFound = errors.New("zrepl job not found")

// ReadStatus runs `zrepl status --mode raw` (the interactive mode needs a
// terminal, which a command over SSH does not have).
func ReadStatus(ctx context.Context, t host.Target) (*Status, error) {
	res, err := t.Run(ctx, host.Command{Argv: []string{"zrepl", "status", "--mode", "raw"}})
	if err != nil {
		return nil, daemonError(t, err)
	}
	st, err := ParseStatus(res.Stdout)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return st, nil
}

// daemonError explains the usual failure: no daemon behind the control socket.
func daemonError(t host.Target, err error) error {
	var ce *host.CommandError
	if errors.As(err, &ce) && strings.Contains(ce.Stderr, "/var/run/zrepl/control") {
		return fmt.Errorf("%s: the zrepl daemon is not running (start it, for example with f3s_service): %w", t.Name(), err)
	}
	return err
}

// ReadJobStatus reads the status and picks one job.
func ReadJobStatus(ctx context.Context, t host.Target, job string) (JobStatus, error) {
	st, err := ReadStatus(ctx, t)
	if err != nil {
		return JobStatus{}, err
	}
	js, ok := st.Job(job)
	if !ok {
		return JobStatus{}, fmt.Errorf("%s: the zrepl daemon runs no job %q (its jobs: %s): %w", t.Name(), job,
			strings.Join(st.Names(), ", "), ErrJobNotFound)
	}
	return js, nil
}

// WakeupOptions bound the wait for a woken job's replication.
type WakeupOptions struct {
	// Wait is how long to wait for a replication run that started after the
	// wakeup to end; zero signals without waiting.
	Wait time.Duration
	// Poll is the pause between status reads; one second when zero.
	Poll time.Duration
}

// DeliveryError is a replication run that ended in an error, or did not
// end in time.
type DeliveryError struct {
	Job    string
	State  string // the last attempt's state, "" when no run started
	Errors []string
	Reason string
}

func (e *DeliveryError) Error() string {
	msg := fmt.Sprintf("zrepl job %q: %s", e.Job, e.Reason)
	if e.State != "" {
		msg += fmt.Sprintf(" (last attempt: %s)", e.State)
	}
	if len(e.Errors) > 0 {
		msg += ": " + strings.Join(e.Errors, "; ")
	}
	return msg
}

// WakeupArgv is `zrepl signal wakeup -- JOB`: zrepl's command line
// (cobra) ends its flags at "--", so a job is never read as one.
func WakeupArgv(job string) []string { return []string{"zrepl", "signal", "wakeup", "--", job} }

// Wakeup runs `zrepl signal wakeup JOB`, which starts a push or pull job's
// replication (and pruning) at once instead of at the next snapshot or
// interval. With opts.Wait it then waits until a replication run that
// started after the wakeup has finished, and returns the job's status: a
// run that ended in an error, or none that ended in time, is a
// DeliveryError carrying the status's errors.
func Wakeup(ctx context.Context, t host.Target, job string, opts WakeupOptions) (JobStatus, error) {
	before, err := ReadJobStatus(ctx, t, job)
	if err != nil {
		return JobStatus{}, err
	}
	switch before.Type {
	case JobPush, JobPull, JobSnap:
	default:
		return before, fmt.Errorf("%s: zrepl job %q is a %s job: only push, pull and snap jobs can be woken up "+
			"(wake the job on the other side instead)", t.Name(), job, before.Type)
	}
	var since time.Time
	if before.Replication != nil {
		since = before.Replication.StartAt
	}
	if _, err := t.Run(ctx, host.Command{Argv: WakeupArgv(job)}); err != nil {
		return before, daemonError(t, err)
	}
	if opts.Wait <= 0 || before.Type == JobSnap {
		return before, nil
	}
	return waitForRun(ctx, t, job, since, opts)
}

// ErrUnconfirmed means that whether a wakeup whose connection was lost
// reached the daemon cannot be told: without waiting, nothing on the host
// shows it.
var ErrUnconfirmed = errors.New("whether the wakeup reached the daemon cannot be told without waiting for its run")

// AwaitWakeup tells whether a wakeup whose outcome is unknown (the
// connection dropped after the signal was sent) took effect: the job's
// status before the signal is before; with opts.Wait, a replication run
// that starts after it and ends in time shows it did (the job's status is
// returned), and none starting is a DeliveryError. A snap job, or no wait,
// is ErrUnconfirmed.
func AwaitWakeup(ctx context.Context, t host.Target, job string, before JobStatus, opts WakeupOptions) (JobStatus, error) {
	if opts.Wait <= 0 || before.Type == JobSnap {
		return before, fmt.Errorf("%s: zrepl job %q: %w", t.Name(), job, ErrUnconfirmed)
	}
	var since time.Time
	if before.Replication != nil {
		since = before.Replication.StartAt
	}
	return waitForRun(ctx, t, job, since, opts)
}

// waitForRun polls until the job's replication run is newer than since and
// has ended. A run whose last attempt failed may still be retried, so an
// error is final only once the run has a finish time (or time is up).
func waitForRun(ctx context.Context, t host.Target, job string, since time.Time, opts WakeupOptions) (JobStatus, error) {
	poll := opts.Poll
	if poll <= 0 {
		poll = time.Second
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, opts.Wait)
	defer cancel()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var last JobStatus
	for {
		js, err := ReadJobStatus(ctx, t, job)
		switch {
		case err != nil && ctx.Err() == nil:
			return js, err
		case err == nil:
			last = js
			if r := js.Replication; r != nil && !r.StartAt.Equal(since) {
				if a := js.LastAttempt(); a != nil && Terminal(a.State) {
					if a.State == AttemptDone {
						return js, nil
					}
					if !r.FinishAt.IsZero() {
						return js, &DeliveryError{Job: job, State: a.State, Errors: js.Errors(),
							Reason: "replication after the wakeup failed"}
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			if err := parent.Err(); err != nil {
				return last, err
			}
			e := &DeliveryError{Job: job, Errors: last.Errors(),
				Reason: fmt.Sprintf("no replication run started after the wakeup finished within %s", opts.Wait)}
			if r := last.Replication; r != nil && !r.StartAt.Equal(since) {
				e.Reason = fmt.Sprintf("the replication run started after the wakeup did not finish within %s", opts.Wait)
			}
			if a := last.LastAttempt(); a != nil {
				e.State = a.State
			}
			return last, e
		case <-tick.C:
		}
	}
}
