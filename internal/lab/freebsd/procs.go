package freebsd

import (
	"path"
	"sort"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// procsState is the Update/Load name of the host's table of daemons.
const procsState = "freebsd-procs"

// firstPID is where a host's fake pids start, above what boot would use.
const firstPID = 1000

// proc is a daemon the lab considers running. rc.subr finds it the way
// check_pidfile/check_process do: by pid from the pid file, or by name.
type proc struct {
	PID     int
	Command string // argv[0], the procname rc.subr matches
	Args    string
	User    string
}

// procs is the process table kept under procsState.
type procs struct {
	NextPID int
	List    []proc
}

// spawn adds a process and returns its pid (a per-host counter).
func (t *procs) spawn(command, args, user string) int {
	if t.NextPID < firstPID {
		t.NextPID = firstPID
	}
	t.NextPID += 1 + t.NextPID%7 // pids do not come in strict sequence
	t.List = append(t.List, proc{PID: t.NextPID, Command: command, Args: args, User: user})
	return t.NextPID
}

func (t *procs) kill(pid int) bool {
	for i, p := range t.List {
		if p.PID == pid {
			t.List = append(t.List[:i], t.List[i+1:]...)
			return true
		}
	}
	return false
}

// matchProcname is _find_processes for a normal daemon: procname, its
// basename, "basename:", "(basename)" or "[basename]" as the first word.
func matchProcname(arg0, procname string) bool {
	bn := path.Base(procname)
	switch arg0 {
	case procname, bn, bn + ":", "(" + bn + ")", "[" + bn + "]":
		return true
	}
	return false
}

// pidAlive is check_pidfile's test of one pid against procname.
func (t *procs) pidAlive(pid int, procname string) bool {
	for _, p := range t.List {
		if p.PID == pid && matchProcname(p.Command, procname) {
			return true
		}
	}
	return false
}

// byName is check_process: pids of processes named procname, ascending.
func (t *procs) byName(procname string) []int {
	var out []int
	for _, p := range t.List {
		if matchProcname(p.Command, procname) {
			out = append(out, p.PID)
		}
	}
	sort.Ints(out)
	return out
}

func loadProcs(h *sim.Host) procs {
	t, _ := sim.Load[procs](h, procsState)
	return t
}
