package sim

import (
	"bufio"
	"bytes"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// accounts is the parsed /etc/passwd and /etc/group of a tree, reloaded
// whenever either file changes on disk (another process may edit them).
type accounts struct {
	users  []User
	groups []group
}

type group struct {
	Name    string
	GID     int
	Members []string
}

type accountCache struct {
	mu       sync.Mutex
	pwStamp  fileStamp
	grStamp  fileStamp
	accounts accounts
	loaded   bool
}

func (t *Tree) accounts() accounts {
	c := &t.acct
	pw := t.stampOf("etc/passwd")
	gr := t.stampOf("etc/group")
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded && pw == c.pwStamp && gr == c.grStamp {
		return c.accounts
	}
	var a accounts
	if data, err := t.root.ReadFile("etc/passwd"); err == nil {
		a.users = parsePasswd(data)
	}
	if data, err := t.root.ReadFile("etc/group"); err == nil {
		a.groups = parseGroup(data)
	}
	for i := range a.users {
		if g, ok := a.groupByID(a.users[i].GID); ok {
			a.users[i].Group = g.Name
		} else {
			a.users[i].Group = strconv.Itoa(a.users[i].GID)
		}
	}
	c.pwStamp, c.grStamp, c.accounts, c.loaded = pw, gr, a, true
	return a
}

func parsePasswd(data []byte) []User {
	var users []User
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) < 7 {
			continue
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			continue
		}
		home := f[5]
		if len(f) >= 10 { // master.passwd layout
			home = f[8]
		}
		users = append(users, User{Name: f[0], UID: uid, GID: gid, Home: home})
	}
	return users
}

func parseGroup(data []byte) []group {
	var groups []group
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
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
		groups = append(groups, g)
	}
	return groups
}

func (a accounts) userByName(name string) (User, bool) {
	for _, u := range a.users {
		if u.Name == name {
			return u, true
		}
	}
	return User{}, false
}

func (a accounts) userByID(uid int) (User, bool) {
	for _, u := range a.users {
		if u.UID == uid {
			return u, true
		}
	}
	return User{}, false
}

func (a accounts) groupByName(name string) (group, bool) {
	for _, g := range a.groups {
		if g.Name == name {
			return g, true
		}
	}
	return group{}, false
}

func (a accounts) groupByID(gid int) (group, bool) {
	for _, g := range a.groups {
		if g.GID == gid {
			return g, true
		}
	}
	return group{}, false
}

// inGroup reports whether u belongs to gid, as primary or supplementary group.
func (a accounts) inGroup(u User, gid int) bool {
	if u.GID == gid {
		return true
	}
	g, ok := a.groupByID(gid)
	return ok && slices.Contains(g.Members, u.Name)
}

// rootUser is root as the OS names it, also when the tree has no /etc/passwd yet.
func rootUser(os OS) User {
	return User{Name: "root", UID: 0, GID: 0, Group: rootGroup(os), Home: "/root"}
}

// rootGroup is the name of gid 0: wheel on FreeBSD, root on Linux.
func rootGroup(os OS) string {
	if os == FreeBSD {
		return "wheel"
	}
	return "root"
}

func (t *Tree) userName(uid int) string {
	if u, ok := t.accounts().userByID(uid); ok {
		return u.Name
	}
	if uid == 0 {
		return "root"
	}
	return strconv.Itoa(uid)
}

func (t *Tree) groupName(gid int) string {
	if g, ok := t.accounts().groupByID(gid); ok {
		return g.Name
	}
	if gid == 0 {
		return rootGroup(t.os)
	}
	return strconv.Itoa(gid)
}

// lookupUser finds a user by name or decimal uid.
func (t *Tree) lookupUser(name string) (User, bool) {
	a := t.accounts()
	if u, ok := a.userByName(name); ok {
		return u, true
	}
	if uid, err := strconv.Atoi(name); err == nil {
		if u, ok := a.userByID(uid); ok {
			return u, true
		}
	}
	if name == "root" || name == "0" {
		return rootUser(t.os), true
	}
	return User{}, false
}

// lookupGroupID finds a group by name or decimal gid (a number needs no entry).
func (t *Tree) lookupGroupID(name string) (int, bool) {
	if g, ok := t.accounts().groupByName(name); ok {
		return g.GID, true
	}
	if gid, err := strconv.Atoi(name); err == nil && gid >= 0 {
		return gid, true
	}
	if name == rootGroup(t.os) {
		return 0, true
	}
	return 0, false
}

// lookupUserID finds a uid by name or decimal number (a number needs no entry).
func (t *Tree) lookupUserID(name string) (int, bool) {
	if u, ok := t.accounts().userByName(name); ok {
		return u.UID, true
	}
	if uid, err := strconv.Atoi(name); err == nil && uid >= 0 {
		return uid, true
	}
	if name == "root" {
		return 0, true
	}
	return 0, false
}

// UserName is the name of uid in the tree's /etc/passwd, or the number.
func (t *Tree) UserName(uid int) string { return t.userName(uid) }

// GroupName is the name of gid in the tree's /etc/group, or the number.
func (t *Tree) GroupName(gid int) string { return t.groupName(gid) }
