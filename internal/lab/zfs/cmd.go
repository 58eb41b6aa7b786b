package zfs

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Commands returns the emulated /sbin/zfs and /sbin/zpool.
func Commands() sim.Registry {
	return sim.Registry{
		"/sbin/zfs":   func(p *sim.Proc) int { return newEnv(p).zfsMain() },
		"/sbin/zpool": func(p *sim.Proc) int { return newEnv(p).zpoolMain() },
	}
}

// env is one run of zfs or zpool. Output is buffered and written when the
// command ends, after the state lock is released.
type env struct {
	p    *sim.Proc
	h    *sim.Host
	out  bytes.Buffer
	errb bytes.Buffer
	now  time.Time
	loc  *time.Location
}

func newEnv(p *sim.Proc) *env {
	now := p.Host.Now()
	return &env{p: p, h: p.Host, now: now, loc: now.Location()}
}

func (e *env) outf(format string, a ...any) { fmt.Fprintf(&e.out, format, a...) }
func (e *env) errf(format string, a ...any) { fmt.Fprintf(&e.errb, format, a...) }

// finish writes the buffered output and returns the exit status.
func (e *env) finish(rc int) int {
	_, _ = e.p.Stdout.Write(e.out.Bytes())
	_, _ = e.p.Stderr.Write(e.errb.Bytes())
	e.out.Reset()
	e.errb.Reset()
	return rc
}

// ctx is a command's access to the state and the files while it holds the lock.
type ctx struct {
	*env
	st   *State
	fsys *fileStore
	v    *view
}

// load reads the state without changing it (list, get, status).
func (e *env) load() (*ctx, error) {
	mounts, err := sim.Load[sim.Mounts](e.h, sim.MountsState)
	if err != nil {
		return nil, err
	}
	st, err := sim.Load[State](e.h, StateName)
	if err != nil {
		return nil, err
	}
	return e.newCtx(&st, mounts.List), nil
}

// peek reads the state as last saved, without the lock, for the commands
// that only read it (list, get, zpool list, get and status). The decoded
// state is shared by every such command until it is saved again
// (sim.Peek), so a read does not decode every dataset of the host each
// time; nothing reached from the ctx may change it. A read that runs while
// a change is being made sees the state before it, as if it ran first.
func (e *env) peek() (*ctx, error) {
	mounts, err := sim.Peek[sim.Mounts](e.h, sim.MountsState)
	if err != nil {
		return nil, err
	}
	st, err := sim.Peek[State](e.h, StateName)
	if err != nil {
		return nil, err
	}
	c := e.newCtx(&st, mounts.List)
	c.v.frozen()
	return c, nil
}

func (e *env) newCtx(st *State, mounts []sim.Mount) *ctx {
	fsys := newFileStore(e.h, mounts, st)
	return &ctx{env: e, st: st, fsys: fsys, v: newView(st, e.loc, fsys)}
}

// mutate runs fn on the state under the lock and saves it, then brings the
// host's mount table in line with the mounted datasets.
func (e *env) mutate(fn func(c *ctx) int) int {
	mounts, err := sim.Load[sim.Mounts](e.h, sim.MountsState)
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	rc := 0
	var mounted []sim.Mount
	err = sim.Update(e.h, StateName, func(st *State) error {
		c := e.newCtx(st, mounts.List)
		rc = fn(c)
		c.settle()
		mounted = zfsMounts(st)
		return nil
	})
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	if err := syncMounts(e.h, mounted); err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	return rc
}

// zfsMounts lists the mounted datasets as mount table entries, in mount order.
func zfsMounts(st *State) []sim.Mount {
	type seqMount struct {
		seq uint64
		m   sim.Mount
	}
	var all []seqMount
	for _, p := range st.imported() {
		for _, ds := range p.Datasets {
			if ds.Mounted {
				all = append(all, seqMount{ds.MountSeq, sim.Mount{Source: ds.Name, Point: ds.MountedAt, FSType: "zfs", Options: mountOptions(p, ds)}})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b seqMount) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	out := make([]sim.Mount, len(all))
	for i, a := range all {
		out[i] = a.m
	}
	return out
}

// mountOptions are the flags mount(8) prints for a ZFS mount, in FreeBSD's order.
func mountOptions(p *Pool, ds *Dataset) []string {
	opts := []string{"local"}
	get := func(name, def string) string {
		if t, ok := ds.Temp[name]; ok {
			return t
		}
		v, _, _, ok := inherited(p, ds, name)
		if !ok {
			return def
		}
		return v
	}
	if get("atime", "on") == "off" {
		opts = append(opts, "noatime")
	}
	if get("exec", "on") == "off" {
		opts = append(opts, "noexec")
	}
	if get("setuid", "on") == "off" {
		opts = append(opts, "nosuid")
	}
	if get("readonly", "off") == "on" {
		opts = append(opts, "read-only")
	}
	return append(opts, "nfsv4acls")
}

// syncMounts replaces the ZFS entries of the host's mount table with
// mounted, keeping the place of entries that did not change.
func syncMounts(h *sim.Host, mounted []sim.Mount) error {
	return sim.Update(h, sim.MountsState, func(m *sim.Mounts) error {
		want := map[string]sim.Mount{}
		for _, x := range mounted {
			want[x.Source+"\x00"+x.Point] = x
		}
		var out []sim.Mount
		kept := map[string]bool{}
		for _, x := range m.List {
			if x.FSType != "zfs" {
				out = append(out, x)
				continue
			}
			k := x.Source + "\x00" + x.Point
			if w, ok := want[k]; ok && !kept[k] {
				out = append(out, w)
				kept[k] = true
			}
		}
		for _, x := range mounted {
			if k := x.Source + "\x00" + x.Point; !kept[k] {
				out = append(out, x)
				kept[k] = true
			}
		}
		m.List = out
		return nil
	})
}

// readAll reads stdin (before any state lock is taken).
func readAll(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	return io.ReadAll(r)
}
