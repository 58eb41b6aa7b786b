package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Faults are the failures injected into one host. Command patterns match
// when the command line contains them (an empty pattern matches any);
// path patterns match the virtual path as a path.Match glob when they hold
// one of "*?[", else when the path contains them. Each "Next" or "On" fault
// fires once; several may be queued. Faults apply to SSH traffic (and, for
// FailNextWrite, to every write into the host's tree, including out-of-band
// ones).
//
// They are kept in DIR/hosts/NAME/faults.json, so that another process
// (f3s-lab fault) can set them while a lab serves the host: every use
// reads the file again when it changed, and every change, including a
// fault that fires, is made under a lock on DIR/hosts/NAME/faults.lock.
// A lab that starts clears them.
type Faults struct {
	mu    sync.Mutex
	file  string // "" keeps the faults in memory only
	state FaultState
	seen  fs.FileInfo // the file state was last read from; nil when none
	// saveErr is the last failure to read or save faults.json.
	saveErr error
}

// FaultState is what is in force on one host: what f3s-lab stats shows and
// faults.json holds.
type FaultState struct {
	Refuse       bool           `json:"refuse,omitempty"`
	Latency      Duration       `json:"latency,omitempty"`
	Drops        []string       `json:"drop_on_command,omitempty"`
	FailCommands []CommandFault `json:"fail_command,omitempty"`
	FailWrites   []string       `json:"fail_write,omitempty"`
}

// CommandFault is one FailNextCommand.
type CommandFault struct {
	Pattern  string `json:"pattern"`
	ExitCode int    `json:"exit_code"`
	Stderr   string `json:"stderr,omitempty"`
}

// Duration is a time.Duration written as "250ms" in faults.json.
type Duration time.Duration

// MarshalJSON writes the duration as Go spells it.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "250ms".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// Empty reports whether no fault is in force.
func (s FaultState) Empty() bool {
	return !s.Refuse && s.Latency == 0 && len(s.Drops) == 0 && len(s.FailCommands) == 0 && len(s.FailWrites) == 0
}

// String lists the faults in force, "-" when none, for f3s-lab stats.
func (s FaultState) String() string {
	var out []string
	if s.Refuse {
		out = append(out, "refuse connections")
	}
	if s.Latency > 0 {
		out = append(out, "latency "+time.Duration(s.Latency).String())
	}
	for _, p := range s.Drops {
		out = append(out, "drop after command "+strconv.Quote(p))
	}
	for _, c := range s.FailCommands {
		out = append(out, fmt.Sprintf("fail command %q (exit %d)", c.Pattern, c.ExitCode))
	}
	for _, p := range s.FailWrites {
		out = append(out, "fail write "+strconv.Quote(p))
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, "; ")
}

// faultsFile is where a lab keeps a host's faults.
func faultsFile(dir, name string) string {
	return filepath.Join(dir, "hosts", name, "faults.json")
}

// RefuseConnections makes the host close every new TCP connection at once
// (before the SSH handshake) while on.
func (f *Faults) RefuseConnections(on bool) {
	f.change(func(s *FaultState) { s.Refuse = on })
}

// DropConnectionOnCommand arms a drop: the next command whose line contains
// pattern runs on the host (its effects happen, its output is sent), then
// the connection is closed before the exit status is sent. Once.
func (f *Faults) DropConnectionOnCommand(pattern string) {
	f.change(func(s *FaultState) { s.Drops = append(s.Drops, pattern) })
}

// Latency makes each command and each SFTP request wait d first (0 turns it off).
func (f *Faults) Latency(d time.Duration) {
	f.change(func(s *FaultState) { s.Latency = Duration(d) })
}

// FailNextCommand makes the next command whose line contains pattern fail
// without running: stderr is sent as given and the exit status is exitCode. Once.
func (f *Faults) FailNextCommand(pattern string, exitCode int, stderr string) {
	f.change(func(s *FaultState) {
		s.FailCommands = append(s.FailCommands, CommandFault{Pattern: pattern, ExitCode: exitCode, Stderr: stderr})
	})
}

// FailNextWrite makes the next open for writing of a matching path fail with
// EIO ("Input/output error"): an SFTP upload, a shell redirection, a
// command writing a file. Once.
func (f *Faults) FailNextWrite(pathPattern string) {
	f.change(func(s *FaultState) { s.FailWrites = append(s.FailWrites, pathPattern) })
}

// Reset clears every fault.
func (f *Faults) Reset() {
	f.change(func(s *FaultState) { *s = FaultState{} })
}

// State returns the faults in force.
func (f *Faults) State() FaultState {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshLocked()
	return f.state.clone()
}

// Err reports a change that could not be saved to faults.json (the
// setters have no error result, as tests call them inline); nil when all
// were saved.
func (f *Faults) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.saveErr
}

func (s FaultState) clone() FaultState {
	s.Drops = append([]string(nil), s.Drops...)
	s.FailCommands = append([]CommandFault(nil), s.FailCommands...)
	s.FailWrites = append([]string(nil), s.FailWrites...)
	return s
}

func (f *Faults) refusing() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshLocked()
	return f.state.Refuse
}

// delay waits the configured latency, or until ctx ends.
func (f *Faults) delay(ctx context.Context) error {
	f.mu.Lock()
	f.refreshLocked()
	d := time.Duration(f.state.Latency)
	f.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *Faults) takeCommandFailure(line string) (CommandFault, bool) {
	var got CommandFault
	ok := f.take(func(s *FaultState) bool {
		for i, c := range s.FailCommands {
			if strings.Contains(line, c.Pattern) {
				got = c
				s.FailCommands = append(s.FailCommands[:i:i], s.FailCommands[i+1:]...)
				return true
			}
		}
		return false
	})
	return got, ok
}

func (f *Faults) takeDrop(line string) bool {
	return f.take(func(s *FaultState) bool {
		for i, p := range s.Drops {
			if strings.Contains(line, p) {
				s.Drops = append(s.Drops[:i:i], s.Drops[i+1:]...)
				return true
			}
		}
		return false
	})
}

func (f *Faults) takeWrite(vpath string) bool {
	return f.take(func(s *FaultState) bool {
		for i, p := range s.FailWrites {
			if matchPath(p, vpath) {
				s.FailWrites = append(s.FailWrites[:i:i], s.FailWrites[i+1:]...)
				return true
			}
		}
		return false
	})
}

func matchPath(pattern, vpath string) bool {
	if strings.ContainsAny(pattern, "*?[") {
		ok, _ := path.Match(pattern, vpath)
		return ok
	}
	return strings.Contains(vpath, pattern)
}

// take removes a fault that fires: fn reports whether one matched, and
// changes s when it did. The usual case, nothing queued, costs a stat of
// faults.json and no lock between processes.
func (f *Faults) take(fn func(s *FaultState) bool) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshLocked()
	probe := f.state.clone()
	if !fn(&probe) {
		return false
	}
	fired := false
	f.updateLocked(func(s *FaultState) { fired = fn(s) })
	return fired
}

// change applies a setter.
func (f *Faults) change(fn func(s *FaultState)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updateLocked(fn)
}

// updateLocked applies fn to the current state and saves it, under the
// lock between processes. A state that cannot be saved stays in memory
// (and Err reports it).
func (f *Faults) updateLocked(fn func(s *FaultState)) {
	if f.file == "" {
		fn(&f.state)
		return
	}
	unlock, err := lockFile(f.file + ".lock")
	if err != nil {
		fn(&f.state)
		f.saveErr = err
		return
	}
	defer unlock()
	f.seen = nil
	f.refreshLocked()
	fn(&f.state)
	if err := f.saveLocked(); err != nil {
		f.saveErr = err
	}
}

// refreshLocked reads faults.json again when it changed since the last
// read: every save renames a new file into place.
func (f *Faults) refreshLocked() {
	if f.file == "" {
		return
	}
	fi, err := os.Stat(f.file)
	if errors.Is(err, fs.ErrNotExist) {
		f.state, f.seen = FaultState{}, nil
		return
	}
	if err != nil || (f.seen != nil && os.SameFile(fi, f.seen) && fi.ModTime().Equal(f.seen.ModTime()) && fi.Size() == f.seen.Size()) {
		return
	}
	st, err := readFaults(f.file)
	if err != nil {
		f.saveErr = err
		return
	}
	f.state, f.seen = st, fi
}

func (f *Faults) saveLocked() error {
	if f.state.Empty() {
		if err := os.Remove(f.file); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		f.seen = nil
		return nil
	}
	data, err := json.MarshalIndent(f.state, "", "  ")
	if err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.tmp%d", f.file, os.Getpid())
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, f.file); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	f.seen, err = os.Stat(f.file)
	return err
}

func readFaults(file string) (FaultState, error) {
	var st FaultState
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return FaultState{}, fmt.Errorf("%s: %w", file, err)
	}
	return st, nil
}

// lockFile takes an exclusive flock(2) on file, which it creates.
func lockFile(file string) (func(), error) {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", file, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
