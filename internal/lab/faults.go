package lab

import (
	"context"
	"path"
	"strings"
	"sync"
	"time"
)

// Faults are the failures injected into one host. Command patterns match
// when the command line contains them (an empty pattern matches any);
// path patterns match the virtual path as a path.Match glob when they hold
// one of "*?[", else when the path contains them. Each "Next" or "On" fault
// fires once; several may be queued. Faults apply to SSH traffic (and, for
// FailNextWrite, to every write into the host's tree, including out-of-band
// ones); they are not persisted.
type Faults struct {
	mu        sync.Mutex
	refuse    bool
	latency   time.Duration
	drops     []string
	failCmds  []commandFault
	failWrite []string
}

type commandFault struct {
	pattern string
	code    int
	stderr  string
}

// RefuseConnections makes the host close every new TCP connection at once
// (before the SSH handshake) while on.
func (f *Faults) RefuseConnections(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = on
}

// DropConnectionOnCommand arms a drop: the next command whose line contains
// pattern runs on the host (its effects happen, its output is sent), then
// the connection is closed before the exit status is sent. Once.
func (f *Faults) DropConnectionOnCommand(pattern string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drops = append(f.drops, pattern)
}

// Latency makes each command and each SFTP request wait d first (0 turns it off).
func (f *Faults) Latency(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency = d
}

// FailNextCommand makes the next command whose line contains pattern fail
// without running: stderr is sent as given and the exit status is exitCode. Once.
func (f *Faults) FailNextCommand(pattern string, exitCode int, stderr string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failCmds = append(f.failCmds, commandFault{pattern: pattern, code: exitCode, stderr: stderr})
}

// FailNextWrite makes the next open for writing of a matching path fail with
// EIO ("Input/output error"): an SFTP upload, a shell redirection, a
// command writing a file. Once.
func (f *Faults) FailNextWrite(pathPattern string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failWrite = append(f.failWrite, pathPattern)
}

// Reset clears every fault.
func (f *Faults) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse, f.latency, f.drops, f.failCmds, f.failWrite = false, 0, nil, nil, nil
}

func (f *Faults) refusing() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refuse
}

// delay waits the configured latency, or until ctx ends.
func (f *Faults) delay(ctx context.Context) error {
	f.mu.Lock()
	d := f.latency
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

func (f *Faults) takeCommandFailure(line string) (commandFault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, c := range f.failCmds {
		if strings.Contains(line, c.pattern) {
			f.failCmds = append(f.failCmds[:i], f.failCmds[i+1:]...)
			return c, true
		}
	}
	return commandFault{}, false
}

func (f *Faults) takeDrop(line string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, p := range f.drops {
		if strings.Contains(line, p) {
			f.drops = append(f.drops[:i], f.drops[i+1:]...)
			return true
		}
	}
	return false
}

func (f *Faults) takeWrite(vpath string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, p := range f.failWrite {
		if matchPath(p, vpath) {
			f.failWrite = append(f.failWrite[:i], f.failWrite[i+1:]...)
			return true
		}
	}
	return false
}

func matchPath(pattern, vpath string) bool {
	if strings.ContainsAny(pattern, "*?[") {
		ok, _ := path.Match(pattern, vpath)
		return ok
	}
	return strings.Contains(vpath, pattern)
}
