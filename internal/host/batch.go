package host

import (
	"context"
	"sync"
	"sync/atomic"
)

// Batch coalesces reads of one kind on one host (the properties of
// datasets, the state of files) into as few commands as the reads' timing
// allows: the first read goes out at once, alone; reads asked while that
// command runs wait for it to end and then go out together, in one command,
// and so on. So:
//
//   - a read is never answered by a command that started before it was
//     asked: a read made after a change sees the change, batched or not;
//   - a host runs at most one command of a Batch at a time, and a plan that
//     reads many objects of one host at once sends far fewer commands than
//     it reads objects;
//   - a read alone costs what it cost unbatched: nothing waits on purpose.
//
// Reads of the same key in one command share its answer. A Batch is safe
// for concurrent use; a provider keeps one per host and kind of read.
type Batch[K comparable, V any] struct {
	run func(ctx context.Context, keys []K) (map[K]V, error)
	max int

	mu      sync.Mutex
	running bool
	queue   []*batchCall[K, V]
	runs    atomic.Int64
}

type batchCall[K comparable, V any] struct {
	ctx  context.Context
	key  K
	done chan struct{}
	val  V
	ok   bool
	err  error
}

// NewBatch returns a Batch whose commands run does: it is given the keys of
// one command (distinct, in the order they were asked, at most limit of
// them when limit > 0) and returns what it found per key. A key it leaves out is
// answered "not found" (ok false); its error answers every read of the
// command.
func NewBatch[K comparable, V any](limit int, run func(ctx context.Context, keys []K) (map[K]V, error)) *Batch[K, V] {
	return &Batch[K, V]{run: run, max: limit}
}

// Do reads key: the value and true when found, false when the command's
// answer left key out, or the error of the command that read it. It returns
// early with ctx's error when ctx ends first.
func (b *Batch[K, V]) Do(ctx context.Context, key K) (V, bool, error) {
	c := &batchCall[K, V]{ctx: ctx, key: key, done: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, c)
	if !b.running {
		b.running = true
		go b.loop()
	}
	b.mu.Unlock()
	select {
	case <-c.done:
		return c.val, c.ok, c.err
	case <-ctx.Done():
		var zero V
		return zero, false, ctx.Err()
	}
}

// Runs counts the commands run so far.
func (b *Batch[K, V]) Runs() int64 { return b.runs.Load() }

// Waiting counts the reads waiting for the next command.
func (b *Batch[K, V]) Waiting() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue)
}

// loop runs commands while reads are queued.
func (b *Batch[K, V]) loop() {
	for {
		b.mu.Lock()
		calls, keys := b.take()
		if len(calls) == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		b.serve(calls, keys)
	}
}

// take removes from the queue the reads of the next command: the first max
// distinct keys and every read of those keys, in order. Reads whose context
// has ended are dropped.
func (b *Batch[K, V]) take() ([]*batchCall[K, V], []K) {
	var calls []*batchCall[K, V]
	var keys []K
	seen := map[K]bool{}
	rest := b.queue[:0]
	for _, c := range b.queue {
		switch {
		case c.ctx.Err() != nil:
			continue
		case seen[c.key]:
		case b.max > 0 && len(keys) == b.max:
			rest = append(rest, c)
			continue
		default:
			seen[c.key] = true
			keys = append(keys, c.key)
		}
		calls = append(calls, c)
	}
	clear(b.queue[len(rest):])
	b.queue = rest
	return calls, keys
}

// serve runs one command for calls. Its context keeps the first read's
// values (loggers) and ends once every read of the command has given up.
func (b *Batch[K, V]) serve(calls []*batchCall[K, V], keys []K) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(calls[0].ctx))
	defer cancel()
	waiting := atomic.Int64{}
	waiting.Store(int64(len(calls)))
	stops := make([]func() bool, len(calls))
	for i, c := range calls {
		stops[i] = context.AfterFunc(c.ctx, func() {
			if waiting.Add(-1) == 0 {
				cancel()
			}
		})
	}
	b.runs.Add(1)
	found, err := b.run(ctx, keys)
	for i, c := range calls {
		stops[i]()
		if err != nil {
			c.err = err
		} else {
			c.val, c.ok = found[c.key]
		}
		close(c.done)
	}
}
