package lab

import (
	"context"
	"slices"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestFaultsShared: faults set through one process's Lab (here a Lab
// opened on the directory, as f3s-lab fault does) are in force in the
// serving Lab and the other way round; one that fires is gone for both;
// a lab that starts again begins without faults.
func TestFaultsShared(t *testing.T) {
	dir := t.TempDir()
	spec := []HostSpec{{Name: "f0", OS: sim.FreeBSD}}
	l, err := Start(context.Background(), Options{Dir: dir, Hosts: spec})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()

	o.Faults("f0").DropConnectionOnCommand("marker")
	o.Faults("f0").FailNextCommand("other", 3, "no\n")
	if err := o.Faults("f0").Err(); err != nil {
		t.Fatal(err)
	}
	st := l.Faults("f0").State()
	if !slices.Equal(st.Drops, []string{"marker"}) || len(st.FailCommands) != 1 || st.FailCommands[0].ExitCode != 3 {
		t.Fatalf("serving lab sees %+v", st)
	}
	if !l.Faults("f0").takeDrop("echo marker") || l.Faults("f0").takeDrop("echo marker") {
		t.Error("the drop did not fire exactly once")
	}
	if got := o.Faults("f0").State().String(); got != `fail command "other" (exit 3)` {
		t.Errorf("after the drop fired, the other process sees %q", got)
	}
	l.Faults("f0").Latency(5)
	if got := o.Faults("f0").State().Latency; got != 5 {
		t.Errorf("latency set by the serving lab: %v", got)
	}
	l.Close()

	l, err = Start(context.Background(), Options{Dir: dir, Hosts: spec})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if st := o.Faults("f0").State(); !st.Empty() {
		t.Errorf("faults after a restart: %+v", st)
	}
}
