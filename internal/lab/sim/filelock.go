package sim

// FileLock is a lock that the goroutines of this process and other
// processes share through a file (flock(2)), for the lab's own
// coordination beside the hosts' state locks (the network of a CARP
// election). Lock waits; a wait of more than 30 s in this process fails.
type FileLock struct{ l *fileLock }

// NewFileLock returns the lock kept in the file path (created on first use).
func NewFileLock(path string) *FileLock { return &FileLock{l: newFileLock(path)} }

// Lock takes the lock; call the returned function to release it.
func (f *FileLock) Lock() (unlock func(), err error) { return f.l.lock() }

// Close releases the lock's file.
func (f *FileLock) Close() error { return f.l.close() }
