package host

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// waitQueued waits until n reads wait for the next command.
func waitQueued[K comparable, V any](t *testing.T, b *Batch[K, V], n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for b.Waiting() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d reads queued, want %d", b.Waiting(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// gatedRun is a command that records its keys, answers "KEY@GENERATION"
// for every key but "missing", and waits for a release when asked to.
type gatedRun struct {
	mu      sync.Mutex
	batches [][]string
	hold    chan struct{} // closed or fed to let a command end; nil: never wait
	started chan int      // receives the generation of each command as it starts
	fail    map[int]error // generation -> the command's error
	gaveUp  chan int      // receives the generation of each command cancelled while held
}

func (g *gatedRun) run(ctx context.Context, keys []string) (map[string]string, error) {
	g.mu.Lock()
	g.batches = append(g.batches, slices.Clone(keys))
	gen := len(g.batches)
	g.mu.Unlock()
	if g.started != nil {
		g.started <- gen
	}
	if g.hold != nil {
		select {
		case <-g.hold:
		case <-ctx.Done():
			if g.gaveUp != nil {
				g.gaveUp <- gen
			}
			return nil, ctx.Err()
		}
	}
	if err := g.fail[gen]; err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, k := range keys {
		if k != "missing" {
			out[k] = fmt.Sprintf("%s@%d", k, gen)
		}
	}
	return out, nil
}

func (g *gatedRun) seen() [][]string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.batches)
}

type answer struct {
	key, val string
	ok       bool
	err      error
}

// ask runs b.Do(key) in a goroutine and delivers its answer.
func ask(ctx context.Context, b *Batch[string, string], key string, out chan<- answer) {
	go func() {
		v, ok, err := b.Do(ctx, key)
		out <- answer{key, v, ok, err}
	}()
}

func TestBatchReadAloneGoesAtOnce(t *testing.T) {
	g := &gatedRun{}
	b := NewBatch(0, g.run)
	v, ok, err := b.Do(context.Background(), "a")
	if err != nil || !ok || v != "a@1" {
		t.Fatalf("Do(a) = %q, %v, %v", v, ok, err)
	}
	if _, ok, err := b.Do(context.Background(), "missing"); ok || err != nil {
		t.Fatalf("Do(missing) = %v, %v; want not found, no error", ok, err)
	}
	if got := g.seen(); !slices.EqualFunc(got, [][]string{{"a"}, {"missing"}}, slices.Equal) {
		t.Errorf("commands %q", got)
	}
}

// TestBatchCoalescesWhileACommandRuns: reads asked while a command runs go
// out together in the next one, each key once, and none is answered by the
// command that was running when it was asked.
func TestBatchCoalescesWhileACommandRuns(t *testing.T) {
	g := &gatedRun{hold: make(chan struct{}), started: make(chan int, 10)}
	b := NewBatch(0, g.run)
	ctx := context.Background()
	answers := make(chan answer, 10)
	ask(ctx, b, "a", answers)
	if gen := <-g.started; gen != 1 {
		t.Fatalf("first command is generation %d", gen)
	}
	for _, k := range []string{"b", "c", "a", "b", "missing"} {
		ask(ctx, b, k, answers)
	}
	waitQueued(t, b, 5)
	close(g.hold)
	got := map[string][]string{}
	for range 6 {
		a := <-answers
		if a.err != nil {
			t.Fatalf("Do(%s): %v", a.key, a.err)
		}
		got[a.key] = append(got[a.key], fmt.Sprintf("%s %v", a.val, a.ok))
	}
	want := map[string][]string{
		"a":       {"a@1 true", "a@2 true"}, // the second read of a was asked after command 1 started
		"b":       {"b@2 true", "b@2 true"},
		"c":       {"c@2 true"},
		"missing": {" false"},
	}
	for k := range want {
		slices.Sort(got[k])
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("answers for %s: %q, want %q", k, got[k], want[k])
		}
	}
	cmds := g.seen()
	for _, c := range cmds {
		slices.Sort(c) // the reads were asked concurrently
	}
	if !slices.EqualFunc(cmds, [][]string{{"a"}, {"a", "b", "c", "missing"}}, slices.Equal) {
		t.Errorf("commands %q, want [a] then [a b c missing]", cmds)
	}
	if b.Runs() != 2 {
		t.Errorf("Runs() = %d, want 2", b.Runs())
	}
}

// TestBatchFreshAfterAChange: a read asked after a change was made (here:
// after a value changed while a command was running) never gets the
// answer of the command that was already running.
func TestBatchFreshAfterAChange(t *testing.T) {
	var mu sync.Mutex
	value := "old"
	started := make(chan struct{})
	release := make(chan struct{})
	b := NewBatch(0, func(_ context.Context, keys []string) (map[string]string, error) {
		mu.Lock()
		v := value // what the host has when the command reads it
		mu.Unlock()
		select {
		case started <- struct{}{}:
		default:
		}
		<-release
		return map[string]string{keys[0]: v}, nil
	})
	first := make(chan answer, 1)
	ask(context.Background(), b, "x", first)
	<-started
	mu.Lock()
	value = "new" // the change, made while the first command runs
	mu.Unlock()
	second := make(chan answer, 1)
	ask(context.Background(), b, "x", second)
	waitQueued(t, b, 1)
	close(release)
	if a := <-first; a.val != "old" {
		t.Errorf("the read asked before the change got %q", a.val)
	}
	if a := <-second; a.val != "new" {
		t.Errorf("the read asked after the change got %q, want new", a.val)
	}
}

func TestBatchErrorAnswersItsCommandOnly(t *testing.T) {
	boom := errors.New("connection lost")
	g := &gatedRun{hold: make(chan struct{}), started: make(chan int, 10), fail: map[int]error{2: boom}}
	b := NewBatch(0, g.run)
	ctx := context.Background()
	answers := make(chan answer, 10)
	ask(ctx, b, "a", answers)
	<-g.started
	ask(ctx, b, "b", answers)
	ask(ctx, b, "c", answers)
	waitQueued(t, b, 2)
	g.hold <- struct{}{} // command 1 ends
	<-g.started
	ask(ctx, b, "d", answers)
	waitQueued(t, b, 1)
	close(g.hold)
	got := map[string]answer{}
	for range 4 {
		a := <-answers
		got[a.key] = a
	}
	if got["a"].err != nil || got["d"].err != nil || got["d"].val != "d@3" {
		t.Errorf("reads outside the failed command: a %+v, d %+v", got["a"], got["d"])
	}
	for _, k := range []string{"b", "c"} {
		if !errors.Is(got[k].err, boom) {
			t.Errorf("read %s of the failed command: %+v, want its error", k, got[k])
		}
	}
}

func TestBatchMax(t *testing.T) {
	g := &gatedRun{hold: make(chan struct{}), started: make(chan int, 10)}
	b := NewBatch(2, g.run)
	ctx := context.Background()
	answers := make(chan answer, 10)
	ask(ctx, b, "first", answers)
	<-g.started
	for i, k := range []string{"a", "b", "a", "c"} {
		ask(ctx, b, k, answers)
		waitQueued(t, b, i+1) // in this order
	}
	close(g.hold)
	for range 5 {
		if a := <-answers; a.err != nil || !a.ok {
			t.Fatalf("Do(%s): %+v", a.key, a)
		}
	}
	// The second read of a joins the full command that reads a.
	if cmds := g.seen(); !slices.EqualFunc(cmds, [][]string{{"first"}, {"a", "b"}, {"c"}}, slices.Equal) {
		t.Errorf("commands %q, want [first] [a b] [c]", cmds)
	}
}

// TestBatchGivesUpWithItsReads: a read whose context ends returns at once;
// a command whose reads all gave up is cancelled.
func TestBatchGivesUpWithItsReads(t *testing.T) {
	g := &gatedRun{hold: make(chan struct{}), started: make(chan int, 10), gaveUp: make(chan int, 1)}
	b := NewBatch(0, g.run)
	ctx, cancel := context.WithCancel(context.Background())
	answers := make(chan answer, 1)
	ask(ctx, b, "a", answers)
	<-g.started
	cancel()
	if a := <-answers; !errors.Is(a.err, context.Canceled) {
		t.Fatalf("a cancelled read: %+v", a)
	}
	if gen := <-g.gaveUp; gen != 1 {
		t.Fatalf("command %d gave up, want 1", gen)
	}
	// The next read gets a command of its own.
	close(g.hold)
	v, ok, err := b.Do(context.Background(), "b")
	if err != nil || !ok || v != "b@2" {
		t.Fatalf("the next read: %q %v %v", v, ok, err)
	}
}

// TestBatchConcurrent is for the race detector: many readers, few keys.
func TestBatchConcurrent(t *testing.T) {
	var mu sync.Mutex
	inFlight := 0
	b := NewBatch(3, func(_ context.Context, keys []string) (map[string]string, error) {
		mu.Lock()
		inFlight++
		n := inFlight
		mu.Unlock()
		defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		if n > 1 {
			return nil, errors.New("two commands at once")
		}
		time.Sleep(100 * time.Microsecond)
		out := map[string]string{}
		for _, k := range keys {
			out[k] = k
		}
		return out, nil
	})
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := fmt.Sprint(i % 7)
			v, ok, err := b.Do(context.Background(), k)
			if err != nil || !ok || v != k {
				t.Errorf("Do(%s) = %q %v %v", k, v, ok, err)
			}
		}()
	}
	wg.Wait()
	if b.Runs() >= 200 {
		t.Errorf("%d commands for 200 reads", b.Runs())
	}
}
