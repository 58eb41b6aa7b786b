package zrepl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const statusCmd = "zrepl status --mode raw"

// pushStatus is the status of one push job "nfs" whose last run started at
// start (none when empty) and whose last attempt is in state.
func pushStatus(start, finish, state, stepErr string) string {
	if start == "" {
		return `{"Jobs":{"_control":{"internal":null,"type":"internal"},"nfs":{"push":{"Replication":null,` +
			`"PruningSender":null,"PruningReceiver":null,"Snapshotting":null},"type":"push"}}}`
	}
	se := "null"
	if stepErr != "" {
		se = fmt.Sprintf(`{"Err":%q,"Time":%q}`, stepErr, start)
	}
	return fmt.Sprintf(`{"Jobs":{"nfs":{"push":{"Replication":{"StartAt":%q,"FinishAt":%q,"WaitReconnectError":null,`+
		`"Attempts":[{"State":%q,"StartAt":%q,"FinishAt":%q,"PlanError":null,"Filesystems":[{"Info":{"Name":"zdata/enc/nfsdata"},`+
		`"State":"stepping","PlanError":null,"StepError":%s,"CurrentStep":0,"Steps":null}]}]},"PruningSender":null,`+
		`"PruningReceiver":null,"Snapshotting":null},"type":"push"},"sink":{"sink":{"Snapper":null},"type":"sink"}}}`,
		start, finish, state, start, finish, se)
}

const (
	t0   = "2025-07-01T20:00:00Z"
	t1   = "2025-07-01T20:01:00Z"
	zero = "0001-01-01T00:00:00Z"
)

func TestWakeup(t *testing.T) {
	signal := call{line: "zrepl signal wakeup -- nfs"}
	status := func(out string) call { return call{line: statusCmd, stdout: out} }
	tests := []struct {
		name  string
		wait  time.Duration
		calls []call
		want  string // error text; "" for success
		state string // the returned job's last attempt state
	}{
		{"no wait", 0, []call{status(pushStatus(t0, t0, "done", "")), signal}, "", "done"},
		{"first run delivered", time.Minute, []call{
			status(pushStatus("", "", "", "")), signal,
			status(pushStatus("", "", "", "")),
			status(pushStatus(t1, zero, "fan-out-filesystems", "")),
			status(pushStatus(t1, t1, "done", "")),
		}, "", "done"},
		{"an older run does not count", time.Minute, []call{
			status(pushStatus(t0, t0, "done", "")), signal,
			status(pushStatus(t0, t0, "done", "")),
			status(pushStatus(t1, t1, "done", "")),
		}, "", "done"},
		{"failed run", time.Minute, []call{
			status(pushStatus(t0, t0, "done", "")), signal,
			status(pushStatus(t1, zero, "filesystem-error", "cannot receive")), // may be retried
			status(pushStatus(t1, t1, "filesystem-error", "cannot receive")),
		}, `zrepl job "nfs": replication after the wakeup failed (last attempt: filesystem-error): replication: zdata/enc/nfsdata: cannot receive`, "filesystem-error"},
		{"no such job", time.Minute, []call{status(pushStatus(t0, t0, "done", ""))},
			`f0: the zrepl daemon runs no job "other" (its jobs: nfs, sink): zrepl job not found`, ""},
		{"passive job", time.Minute, []call{status(pushStatus(t0, t0, "done", ""))},
			`f0: zrepl job "sink" is a sink job: only push, pull and snap jobs can be woken up (wake the job on the other side instead)`, ""},
		{"daemon down", time.Minute, []call{{line: statusCmd, code: 1,
			stderr: `Post "http://unix/status": dial unix /var/run/zrepl/control: connect: no such file or directory`}},
			"f0: the zrepl daemon is not running (start it, for example with f3s_service)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := "nfs"
			switch tt.name {
			case "no such job":
				job = "other"
			case "passive job":
				job = "sink"
			}
			js, err := Wakeup(context.Background(), newScripted(t, tt.calls...), job, WakeupOptions{Wait: tt.wait, Poll: time.Millisecond})
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if tt.state != "" && (js.LastAttempt() == nil || js.LastAttempt().State != tt.state) {
				t.Errorf("returned status %+v", js)
			}
		})
	}
}

// A run that never finishes ends in a DeliveryError once the wait is over.
func TestWakeupTimesOut(t *testing.T) {
	running := call{line: statusCmd, stdout: pushStatus(t1, zero, "planning", "")}
	calls := []call{{line: statusCmd, stdout: pushStatus(t0, t0, "done", "")}, {line: "zrepl signal wakeup -- nfs"}}
	for range 1000 {
		calls = append(calls, running)
	}
	s := newScripted(t, calls...).AllowUnused() // not every poll is used
	_, err := Wakeup(context.Background(), s, "nfs", WakeupOptions{Wait: 20 * time.Millisecond, Poll: time.Millisecond})
	var de *DeliveryError
	if !errors.As(err, &de) || de.State != "planning" ||
		!strings.Contains(err.Error(), "the replication run started after the wakeup did not finish within 20ms") {
		t.Fatalf("error %v", err)
	}
}

// TestAwaitWakeup: a wakeup whose connection dropped is confirmed by the
// run it started; without a wait nothing can tell.
func TestAwaitWakeup(t *testing.T) {
	ctx := context.Background()
	before, err := ParseStatus([]byte(pushStatus(t0, t0, "done", "")))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := before.Job("nfs")
	if _, err := AwaitWakeup(ctx, newScripted(t), "nfs", js, WakeupOptions{}); !errors.Is(err, ErrUnconfirmed) {
		t.Errorf("no wait: %v, want ErrUnconfirmed", err)
	}
	target := newScripted(t, call{line: statusCmd, stdout: pushStatus(t1, t1, "done", "")})
	got, err := AwaitWakeup(ctx, target, "nfs", js, WakeupOptions{Wait: time.Minute, Poll: time.Millisecond})
	if err != nil || got.LastAttempt().State != "done" {
		t.Errorf("a run after the wakeup: %+v, %v", got, err)
	}
	target = newScripted(t, call{line: statusCmd, stdout: pushStatus(t0, t0, "done", "")}).AllowUnused()
	var de *DeliveryError
	if _, err := AwaitWakeup(ctx, target, "nfs", js, WakeupOptions{Wait: 20 * time.Millisecond, Poll: 50 * time.Millisecond}); !errors.As(err, &de) {
		t.Errorf("no run after the wakeup: %v, want a DeliveryError", err)
	}
}
