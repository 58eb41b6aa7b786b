package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Peek returns the host's state named name as last saved, without the state
// lock: a state file is replaced atomically, so Peek sees a whole saved
// state, never part of one, and never what an Update in progress has not
// saved yet. It is for path checks, which run inside other commands'
// Updates, where Load would wait for the lock forever. The value is cached
// until the file changes, so a caller must not modify what it shares
// (slices, maps, pointers).
func Peek[T any](h *Host, name string) (T, error) {
	var zero T
	v, err := h.peek(name, func(data []byte) (any, error) {
		var s T
		err := json.Unmarshal(data, &s)
		return s, err
	}, func(v any) bool { _, ok := v.(T); return ok })
	if err != nil {
		return zero, err
	}
	s, _ := v.(T) // nil (no state saved yet) gives the zero value
	return s, nil
}

// peekCache holds the last decoded value of each state name with the
// identity of the file it came from and the host's save count then: a save
// by this process (which may reuse an inode within the file system's clock
// tick) or any change of the file by another one invalidates it.
type peekCache struct {
	mu      sync.Mutex
	entries map[string]peekEntry
}

type peekEntry struct {
	stamp fileStamp
	saves uint64
	value any
}

func (h *Host) peek(name string, decode func([]byte) (any, error), ok func(any) bool) (any, error) {
	if !stateName.MatchString(name) {
		return nil, fmt.Errorf("host %s: invalid state name %q", h.Name, name)
	}
	file := filepath.Join(h.Dir, "state", name+".json")
	saves := h.saves.Load()
	st := stampPath(file)
	if !st.ok {
		return nil, nil
	}
	c := &h.peeks
	c.mu.Lock()
	e, hit := c.entries[name]
	c.mu.Unlock()
	if hit && e.stamp == st && e.saves == saves && ok(e.value) {
		return e.value, nil
	}
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("host %s: state %s: %w", h.Name, name, err)
	}
	// The file read may be newer than st (a save in between): cache it
	// under st anyway, which the next call then finds outdated.
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]peekEntry{}
	}
	c.entries[name] = peekEntry{stamp: st, saves: saves, value: v}
	c.mu.Unlock()
	return v, nil
}
