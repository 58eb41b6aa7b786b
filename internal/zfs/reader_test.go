package zfs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host/hosttest"
)

// gated holds each command of a scripted target until the test releases
// it, and tells when one starts: reads asked meanwhile queue for the next.
type gated struct {
	*hosttest.Scripted
	started chan string
	release chan struct{}
}

func newGated(t *testing.T, calls ...hosttest.Call) *gated {
	return &gated{Scripted: hosttest.New(t, calls...), started: make(chan string, 10), release: make(chan struct{}, 10)}
}

func (g *gated) Run(ctx context.Context, cmd host.Command) (host.Result, error) {
	g.started <- host.Join(cmd.Argv)
	<-g.release
	return g.Scripted.Run(ctx, cmd)
}

type readAnswer struct {
	name string
	ds   Dataset
	err  error
}

func readAsync(r *Reader, name string, out chan<- readAnswer) {
	go func() {
		ds, err := r.Dataset(context.Background(), name)
		out <- readAnswer{name, ds, err}
	}()
}

func getLine(names ...string) string { return host.Join(GetArgv(names...)) }

// getOut is zfs get -H output of two properties per name.
func getOut(names ...string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + "\ttype\tfilesystem\t-\n" + n + "\tcompression\tlz4\tlocal\n")
	}
	return b.String()
}

// TestReaderBatchesReads: reads asked while a zfs get runs go out in one
// zfs get naming all of them, and each gets its own dataset.
func TestReaderBatchesReads(t *testing.T) {
	g := newGated(t,
		hosttest.Call{Line: getLine("zdata/a"), Stdout: getOut("zdata/a")},
		hosttest.Call{Line: getLine("zdata/b", "zdata/c", "zdata/a"), Stdout: getOut("zdata/a", "zdata/b", "zdata/c")},
	)
	r := NewReader(g)
	out := make(chan readAnswer, 10)
	readAsync(r, "zdata/a", out)
	<-g.started
	askInOrder(t, r, out, "zdata/b", "zdata/c", "zdata/a")
	g.release <- struct{}{}
	<-g.started
	g.release <- struct{}{}
	for range 4 {
		a := <-out
		if a.err != nil {
			t.Fatalf("read %s: %v", a.name, a.err)
		}
		if a.ds.Name != a.name || a.ds.Props.Value("compression") != "lz4" || len(a.ds.Props) != 2 {
			t.Errorf("read %s: %+v", a.name, a.ds)
		}
	}
	if r.Commands() != 2 {
		t.Errorf("%d commands for 4 reads, want 2", r.Commands())
	}
}

// askInOrder asks for names one after the other, each once the one before
// waits: the next command names them in that order.
func askInOrder(t *testing.T, r *Reader, out chan<- readAnswer, names ...string) {
	t.Helper()
	for _, n := range names {
		before := r.batch.Waiting()
		readAsync(r, n, out)
		deadline := time.Now().Add(5 * time.Second)
		for r.batch.Waiting() == before {
			if time.Now().After(deadline) {
				t.Fatalf("the read of %s does not wait", n)
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// TestReaderOneVanishedDataset: zfs get naming a missing dataset prints
// the others and exits 1 (reference §0.1, §2.2); only the missing one is
// not found.
func TestReaderOneVanishedDataset(t *testing.T) {
	g := newGated(t,
		hosttest.Call{Line: getLine("zdata/a"), Stdout: getOut("zdata/a")},
		hosttest.Call{Line: getLine("zdata/b", "zdata/gone", "zdata/c"), Stdout: getOut("zdata/b", "zdata/c"),
			Stderr: "cannot open 'zdata/gone': dataset does not exist\n", Code: 1},
	)
	r := NewReader(g)
	out := make(chan readAnswer, 10)
	readAsync(r, "zdata/a", out)
	<-g.started
	askInOrder(t, r, out, "zdata/b", "zdata/gone", "zdata/c")
	g.release <- struct{}{}
	<-g.started
	g.release <- struct{}{}
	got := map[string]readAnswer{}
	for range 4 {
		a := <-out
		got[a.name] = a
	}
	for _, n := range []string{"zdata/a", "zdata/b", "zdata/c"} {
		if got[n].err != nil || got[n].ds.Props.Value("type") != "filesystem" {
			t.Errorf("read %s: %+v", n, got[n])
		}
	}
	if err := got["zdata/gone"].err; !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `"zdata/gone"`) {
		t.Errorf("read of the vanished dataset: %v, want ErrNotFound naming it", err)
	}
}

func TestReaderErrors(t *testing.T) {
	tests := []struct {
		name string
		call hosttest.Call
		want string // in the error; "" for not found
	}{
		{"missing alone", hosttest.Call{Stderr: "cannot open 'zdata/a': dataset does not exist\n", Code: 1}, ""},
		{"missing pool", hosttest.Call{Stderr: "cannot open 'zdata/a': no such pool\n", Code: 1}, ""},
		{"exit 0 without it", hosttest.Call{}, ""},
		{"another failure", hosttest.Call{Stderr: "cannot open 'zdata/a': permission denied\n", Code: 1}, "permission denied"},
		{"missing and another failure", hosttest.Call{Stderr: "cannot open 'zdata/a': dataset does not exist\nsomething else\n", Code: 1}, "something else"},
		{"usage", hosttest.Call{Stderr: "bad property list: invalid property 'x'\n", Code: 2}, "exited 2"},
		{"not asked for", hosttest.Call{Stdout: getOut("zdata/a", "zdata/other")}, `reported "zdata/other"`},
		{"garbage", hosttest.Call{Stdout: "zdata/a only\n"}, "is not NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.call.Line = getLine("zdata/a")
			r := NewReader(hosttest.New(t, tt.call))
			_, err := r.Dataset(context.Background(), "zdata/a")
			switch {
			case tt.want == "" && !errors.Is(err, ErrNotFound):
				t.Errorf("err = %v, want ErrNotFound", err)
			case tt.want != "" && (err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestReaderReadsAfterAChange: a read asked while a zfs get runs (after a
// change that this get may have missed) is answered by the next zfs get,
// never by the one already running.
func TestReaderReadsAfterAChange(t *testing.T) {
	g := newGated(t,
		hosttest.Call{Line: getLine("zdata/a"), Stdout: "zdata/a\tcompression\toff\tdefault\n"},
		hosttest.Call{Line: getLine("zdata/a"), Stdout: "zdata/a\tcompression\tlz4\tlocal\n"},
	)
	r := NewReader(g)
	before, after := make(chan readAnswer, 1), make(chan readAnswer, 1)
	readAsync(r, "zdata/a", before)
	<-g.started
	askInOrder(t, r, after, "zdata/a") // the read-back of a change made meanwhile
	g.release <- struct{}{}
	<-g.started
	g.release <- struct{}{}
	if a := <-before; a.err != nil || a.ds.Props.Value("compression") != "off" {
		t.Errorf("the read asked first: %+v", a)
	}
	if a := <-after; a.err != nil || a.ds.Props.Value("compression") != "lz4" {
		t.Errorf("the read asked while the first zfs get ran: %+v, want the second's answer", a)
	}
}
