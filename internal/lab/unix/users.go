package unix

import (
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// group is one line of the tree's /etc/group.
type group struct {
	Name    string
	GID     int
	Members []string
}

// parseGroups reads group(5) lines; comments and malformed lines are skipped
// as getgrent(3) skips them.
func parseGroups(data string) []group {
	var gs []group
	for _, line := range strings.Split(data, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) < 3 {
			continue
		}
		gid, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		g := group{Name: f[0], GID: gid}
		if len(f) > 3 && f[3] != "" {
			g.Members = strings.Split(f[3], ",")
		}
		gs = append(gs, g)
	}
	return gs
}

// rootUser is the superuser as the tree's passwd names it.
func rootUser(h *sim.Host) sim.User {
	if u, ok := h.LookupUser("root"); ok {
		return u
	}
	g := "wheel"
	if h.OS == sim.Rocky {
		g = "root"
	}
	return sim.User{Name: "root", UID: 0, GID: 0, Group: g, Home: "/root"}
}

// groups reads the host's /etc/group.
func (c *cmd) groups() []group {
	data, err := c.tree().ReadFile(rootUser(c.Host), "/etc/group")
	if err != nil {
		return nil
	}
	return parseGroups(string(data))
}

// lookupGroup finds a group by name, or by number when the name is numeric.
func lookupGroup(gs []group, s string) (group, bool) {
	for _, g := range gs {
		if g.Name == s {
			return g, true
		}
	}
	if n, err := strconv.Atoi(s); err == nil {
		for _, g := range gs {
			if g.GID == n {
				return g, true
			}
		}
	}
	return group{}, false
}

// groupByID finds a group by number.
func groupByID(gs []group, gid int) (group, bool) {
	for _, g := range gs {
		if g.GID == gid {
			return g, true
		}
	}
	return group{}, false
}

// memberships returns u's groups as initgroups(3) builds them: the primary
// group first, then every group listing u as a member, in file order.
func memberships(gs []group, u sim.User) []group {
	var out []group
	seen := map[int]bool{}
	if g, ok := groupByID(gs, u.GID); ok {
		out = append(out, g)
	} else {
		out = append(out, group{Name: u.Group, GID: u.GID})
	}
	seen[u.GID] = true
	for _, g := range gs {
		if seen[g.GID] {
			continue
		}
		for _, m := range g.Members {
			if m == u.Name {
				out = append(out, g)
				seen[g.GID] = true
				break
			}
		}
	}
	return out
}
