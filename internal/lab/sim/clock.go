package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"
)

// Clock is the virtual time that the hosts of one lab share. Lab time runs
// with real time from an offset that only grows: advancing the clock (the
// lab's AdvanceClock) moves it forward, and while an advance runs the jobs
// that came due, the clock stands still at each job's due time (frozen), so
// that everything a job does carries that time.
//
// The clock lives in one file of the lab directory, so that every process
// serving or changing the lab agrees on it: a list of segments, each saying
// "from this real instant on, lab time was T and runs (or stands)". The
// segments also map the real modification time of a file on disk back to
// the lab time at which it was written (FromReal), and a lab time given to
// touch back to a real one (ToReal).
type Clock struct {
	path string
	lock *fileLock

	mu       sync.Mutex
	stamp    fileStamp
	segs     []clockSeg
	loadedAt int64 // real time of the last look at the file
}

// clockSeg is one stretch of the lab's time line.
type clockSeg struct {
	Real   int64 `json:"real"` // real Unix time in ns at which the segment starts
	Lab    int64 `json:"lab"`  // lab time in ns at that instant
	Frozen bool  `json:"frozen,omitempty"`
}

type clockFile struct {
	Segments []clockSeg `json:"segments"`
}

// maxClockSegs bounds the file: the oldest segments are dropped (the times
// of files written then map as if the next segment had always held).
const maxClockSegs = 4096

// OpenClock opens the clock kept in the file path (its lock beside it,
// path+".lock"); a missing file is a clock at real time.
func OpenClock(path string) *Clock {
	return &Clock{path: path, lock: newFileLock(path + ".lock")}
}

// Close releases the clock's lock file.
func (c *Clock) Close() error { return c.lock.close() }

// Lock serialises the processes that advance the clock (the advance holds
// it for its whole run). It is not taken by Now or Set.
func (c *Clock) Lock() (unlock func(), err error) { return c.lock.lock() }

func (s clockSeg) at(r int64) int64 {
	if s.Frozen {
		return s.Lab
	}
	return s.Lab + (r - s.Real)
}

// load refreshes the cached segments when the file changed on disk.
func (c *Clock) load() []clockSeg {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loadedAt = time.Now().UnixNano()
	st := stampPath(c.path)
	if st == c.stamp {
		return c.segs
	}
	c.stamp = st
	c.segs = nil
	data, err := os.ReadFile(c.path)
	if err != nil {
		return nil
	}
	var f clockFile
	if json.Unmarshal(data, &f) == nil {
		c.segs = f.Segments
	}
	return c.segs
}

// Now is the lab's time.
func (c *Clock) Now() time.Time {
	now := time.Now().UnixNano()
	segs := c.load()
	if len(segs) == 0 {
		return time.Unix(0, now)
	}
	return time.Unix(0, segs[len(segs)-1].at(now))
}

// Frozen reports whether the clock stands still (an advance is running jobs).
func (c *Clock) Frozen() bool {
	segs := c.load()
	return len(segs) > 0 && segs[len(segs)-1].Frozen
}

// FromReal is the lab time at the real instant r (a file's time on disk).
// A segment starts at the real time it is written, so one the cache has
// not seen yet starts after the last look: an earlier r needs no look at
// the file (listings of many files stay cheap).
func (c *Clock) FromReal(r time.Time) time.Time {
	c.mu.Lock()
	segs, seen := c.segs, c.loadedAt
	c.mu.Unlock()
	if seen == 0 || r.UnixNano() >= seen {
		segs = c.load()
	}
	if len(segs) == 0 {
		return r
	}
	n := r.UnixNano()
	i := sort.Search(len(segs), func(i int) bool { return segs[i].Real > n }) - 1
	if i < 0 {
		i = 0
	}
	return time.Unix(0, segs[i].at(n))
}

// ToReal is a real instant that FromReal maps to the lab time l, for times
// set by hand (touch -t): the latest segment that reached l, or, for a lab
// time an advance skipped, the end of the segment before the skip.
func (c *Clock) ToReal(l time.Time) time.Time {
	segs := c.load()
	if len(segs) == 0 {
		return l
	}
	n := l.UnixNano()
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s.Lab > n && i > 0 {
			continue
		}
		r := s.Real
		if !s.Frozen {
			r += n - s.Lab
		}
		if i+1 < len(segs) && r >= segs[i+1].Real {
			r = segs[i+1].Real - 1
		}
		return time.Unix(0, r)
	}
	return l
}

// fsNow is where a new segment starts: at the next tick of the file
// system's clock (which gives files their times and lags time.Now by up to
// a tick), so that every file written before lies before the segment and
// every file written after lies in it.
func (c *Clock) fsNow() int64 {
	probe := c.path + ".probe"
	stamp := func() (int64, bool) {
		if err := os.WriteFile(probe, nil, 0o600); err != nil {
			return 0, false
		}
		fi, err := os.Stat(probe)
		if err != nil {
			return 0, false
		}
		return fi.ModTime().UnixNano(), true
	}
	first, ok := stamp()
	if !ok {
		return time.Now().UnixNano()
	}
	deadline := time.Now().Add(50 * time.Millisecond)
	for time.Now().Before(deadline) {
		t, ok := stamp()
		if !ok {
			return time.Now().UnixNano()
		}
		if t > first {
			return t
		}
		time.Sleep(100 * time.Microsecond)
	}
	return first + 1
}

// Set makes the lab time t from this instant, standing still when frozen.
// Time never goes back: a t before Now keeps Now.
func (c *Clock) Set(t time.Time, frozen bool) error {
	segs := c.load()
	now := c.fsNow() // after load: a new segment starts after every look
	lab := t.UnixNano()
	if len(segs) > 0 {
		if cur := segs[len(segs)-1].at(now); cur > lab {
			lab = cur
		}
	}
	out := append([]clockSeg(nil), segs...)
	if len(out) == 0 {
		// The time line before the first change is real time.
		out = append(out, clockSeg{Real: 0, Lab: 0})
	}
	out = append(out, clockSeg{Real: now, Lab: lab, Frozen: frozen})
	if len(out) > maxClockSegs {
		out = out[len(out)-maxClockSegs:]
	}
	data, err := json.Marshal(clockFile{Segments: out})
	if err != nil {
		return err
	}
	if err := writeFileAtomic(c.path, append(data, '\n')); err != nil {
		return fmt.Errorf("clock: %w", err)
	}
	return nil
}

// UseClock makes c the host's clock: Now reads it, Sleep does not wait
// while it stands still, and file times are kept in its time line.
func (h *Host) UseClock(c *Clock) {
	h.SetClock(c.Now)
	h.times.Store(c)
}

// LabClock is the clock UseClock installed, or nil.
func (h *Host) LabClock() *Clock { return h.times.Load() }

// Sleep waits d as sleep(1) does on the host: in real time, except while
// the lab clock stands still (an advance running due jobs), when a job's
// sleep returns at once and the clock stays at the job's due time.
func (h *Host) Sleep(ctx context.Context, d time.Duration) error {
	if c := h.times.Load(); c != nil && c.Frozen() {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
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

// labTime maps a file's time on disk to the host's lab time.
func (t *Tree) labTime(onDisk time.Time) time.Time {
	if h := t.host.Load(); h != nil {
		if c := h.times.Load(); c != nil {
			return c.FromReal(onDisk)
		}
	}
	return onDisk
}

// realTime maps a lab time to be set on a file to the time kept on disk.
func (t *Tree) realTime(lab time.Time) time.Time {
	if h := t.host.Load(); h != nil {
		if c := h.times.Load(); c != nil {
			return c.ToReal(lab)
		}
	}
	return lab
}
