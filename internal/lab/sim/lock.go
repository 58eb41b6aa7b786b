package sim

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
)

// lockWait bounds how long a goroutine waits for a host lock held in this
// process. Holders never run commands while holding it, so a long wait means
// a nested Update inside an Update's fn, which would otherwise hang forever.
var lockWait = 30 * time.Second

// fileLock serialises goroutines of this process (a one-slot semaphore) and
// processes (flock(2) on a file), so that f3s-lab exec in another process
// and the lab's SSH servers never interleave their changes.
type fileLock struct {
	path string
	sem  chan struct{}
	mu   sync.Mutex // guards f
	f    *os.File
}

func newFileLock(path string) *fileLock {
	return &fileLock{path: path, sem: make(chan struct{}, 1)}
}

func (l *fileLock) lock() (unlock func(), err error) {
	timer := time.NewTimer(lockWait)
	defer timer.Stop()
	select {
	case l.sem <- struct{}{}:
	case <-timer.C:
		return nil, fmt.Errorf("lock %s not acquired in %s: is Update called inside an Update?", l.path, lockWait)
	}
	f, err := l.file()
	if err == nil {
		err = flock(f, syscall.LOCK_EX)
	}
	if err != nil {
		<-l.sem
		return nil, fmt.Errorf("lock %s: %w", l.path, err)
	}
	return func() {
		_ = flock(f, syscall.LOCK_UN)
		<-l.sem
	}, nil
}

func (l *fileLock) file() (*os.File, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, err
		}
		l.f = f
	}
	return l.f, nil
}

func (l *fileLock) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			return err
		}
	}
}

// writeFileAtomic writes data to a temporary file beside path and renames it
// into place, so that a reader in another process sees the old or the new
// content, never a part.
func writeFileAtomic(path string, data []byte) error {
	tmp := fmt.Sprintf("%s.tmp%d", path, os.Getpid())
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}
