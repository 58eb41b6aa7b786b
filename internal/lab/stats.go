package lab

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Stats are the counters of one host since the lab started.
type Stats struct {
	Connections  int64 `json:"connections"`   // SSH connections past the handshake
	Sessions     int64 `json:"sessions"`      // session channels opened
	Commands     int64 `json:"commands"`      // exec requests (faulted ones included)
	SFTPRequests int64 `json:"sftp_requests"` // SFTP operations (open, stat, list, rename, ...; not reads and writes)
	Refused      int64 `json:"refused"`       // connections closed by RefuseConnections
	Dropped      int64 `json:"dropped"`       // connections closed by DropConnectionOnCommand
}

// statsFile is where a running lab keeps a host's counters for f3s-lab stats.
func statsFile(dir, name string) string {
	return filepath.Join(dir, "hosts", name, "stats.json")
}

// recorder counts in memory and mirrors the counters to stats.json from a
// goroutine of its own, so that counting never waits for the disk.
type recorder struct {
	mu    sync.Mutex
	stats Stats
	file  string
	dirty chan struct{}
	done  chan struct{}
}

func newRecorder(file string) *recorder {
	r := &recorder{file: file, dirty: make(chan struct{}, 1), done: make(chan struct{})}
	r.markDirty()
	go r.flusher()
	return r
}

func (r *recorder) add(fn func(s *Stats)) {
	r.mu.Lock()
	fn(&r.stats)
	r.mu.Unlock()
	r.markDirty()
}

func (r *recorder) get() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

func (r *recorder) markDirty() {
	select {
	case r.dirty <- struct{}{}:
	default:
	}
}

func (r *recorder) flusher() {
	defer close(r.done)
	for range r.dirty {
		_ = r.flush()
	}
}

func (r *recorder) flush() error {
	data, err := json.MarshalIndent(r.get(), "", "  ")
	if err != nil {
		return err
	}
	tmp := r.file + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, r.file)
}

// close stops the flusher after a last write.
func (r *recorder) close() {
	close(r.dirty)
	<-r.done
	_ = r.flush()
}

// readStats reads the counters a lab process left in DIR/hosts/NAME/stats.json.
func readStats(dir, name string) (Stats, error) {
	var s Stats
	data, err := os.ReadFile(statsFile(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("%s: %w", statsFile(dir, name), err)
	}
	return s, nil
}
