package sim

import "time"

// Host is one simulated host: its directory on disk (DIR/hosts/NAME), its
// file tree (DIR/hosts/NAME/root), its persistent state
// (DIR/hosts/NAME/state/*.json) and its command registry.
//
// STUB: the lab core replaces the bodies below.
type Host struct {
	Name      string
	OS        OS
	Dir       string
	Tree      *Tree
	LoginUser User
	Registry  Registry
}

func (h *Host) Exec(p *Proc, argv []string) int                 { panic("lab core: not implemented") }
func (h *Host) Shell(p *Proc, script string, args []string) int { panic("lab core: not implemented") }
func (h *Host) LookupUser(name string) (User, bool)             { panic("lab core: not implemented") }
func (h *Host) Now() time.Time                                  { return time.Now() }
func (h *Host) Syslog(tag, msg string)                          { panic("lab core: not implemented") }

func (h *Host) update(name string, fn func(load func(any) error, save func(any) error) error) error {
	panic("lab core: not implemented")
}
