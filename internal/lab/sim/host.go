package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// LoginName is the login user of every simulated host (the article's user).
const LoginName = "paul"

// StubScript is the file content of an emulated program: the registry runs
// the emulation, the file only makes the program exist for PATH lookup.
const StubScript = "#!/bin/sh\n# lab: emulated program\n"

// Host is one simulated host: its directory on disk (DIR/hosts/NAME), its
// file tree (DIR/hosts/NAME/root), its persistent state
// (DIR/hosts/NAME/state/*.json) and its command registry (base programs and
// package programs: both are looked up, but only base programs get their
// files when the host is first seeded; a package installer calls WriteStub).
type Host struct {
	Name      string
	OS        OS
	Dir       string
	Tree      *Tree
	LoginUser User
	Registry  Registry

	clock atomic.Pointer[func() time.Time]
	state *fileLock
	// saves counts the state saves of this process, so that Peek never
	// trusts a cached value across one (see peek.go).
	saves atomic.Uint64
	peeks peekCache
	peers atomic.Pointer[PeerFunc] // see peer.go
	times atomic.Pointer[Clock]    // see clock.go
	net   atomic.Pointer[Network]  // see network.go
}

var (
	hostName  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
	stateName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
)

// seededMarker marks a host directory whose seeds have run.
const seededMarker = ".seeded"

// NewHost opens the host name under dir (DIR/hosts/NAME), creating it when
// missing. A host seen for the first time runs seeds in order and then gets
// a stub file (mode 0555, owned by root) for every base program whose path
// the seeds left empty; this happens once: a host reopened later keeps its
// tree and state as they were left. Every opened host, new or reopened,
// consults the path checks registered for its OS (RegisterPathCheck).
func NewHost(dir, name string, os OS, base, pkgs Registry, seeds ...func(*Host) error) (*Host, error) {
	if !hostName.MatchString(name) {
		return nil, fmt.Errorf("invalid host name %q", name)
	}
	if os != FreeBSD && os != Rocky {
		return nil, fmt.Errorf("host %s: unknown OS %q", name, os)
	}
	hostDir, err := filepath.Abs(filepath.Join(dir, "hosts", name))
	if err != nil {
		return nil, err
	}
	for _, d := range []string{hostDir, filepath.Join(hostDir, "state")} {
		if err := mkdirAllDisk(d); err != nil {
			return nil, fmt.Errorf("host %s: %w", name, err)
		}
	}
	tree, err := OpenTree(hostDir, os)
	if err != nil {
		return nil, fmt.Errorf("host %s: %w", name, err)
	}
	reg := Registry{}
	reg.Merge(pkgs).Merge(base)
	h := &Host{
		Name:     name,
		OS:       os,
		Dir:      hostDir,
		Tree:     tree,
		Registry: reg,
		state:    newFileLock(filepath.Join(hostDir, "state.lock")),
	}
	if err := h.seed(base, seeds); err != nil {
		h.Close()
		return nil, fmt.Errorf("host %s: seed: %w", name, err)
	}
	// The path checks apply from here on, not to the seeds: a fresh host
	// has nothing for them to refuse, and a seed needs no Peek.
	tree.bind(h)
	h.LoginUser = h.defaultLogin()
	if u, ok := h.LookupUser(LoginName); ok {
		h.LoginUser = u
	}
	return h, nil
}

func (h *Host) defaultLogin() User {
	uid := 1001 // FreeBSD's adduser starts at 1001
	if h.OS == Rocky {
		uid = 1000
	}
	return User{Name: LoginName, UID: uid, GID: uid, Group: LoginName, Home: "/home/" + LoginName}
}

func (h *Host) seed(base Registry, seeds []func(*Host) error) error {
	l := newFileLock(filepath.Join(h.Dir, "seed.lock"))
	defer l.close()
	unlock, err := l.lock()
	if err != nil {
		return err
	}
	defer unlock()
	marker := filepath.Join(h.Dir, seededMarker)
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	h.LoginUser = h.defaultLogin()
	err = h.Tree.batch(func() error {
		// Seeds run first, so that they lay out the tree (Rocky's /bin is
		// a symlink to usr/bin) and may put a real file where a program lives.
		for _, seed := range seeds {
			if err := seed(h); err != nil {
				return err
			}
		}
		for _, p := range slices.Sorted(maps.Keys(base)) {
			if _, err := h.Tree.Lstat(p); err == nil {
				continue
			}
			if err := h.WriteStub(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
}

// WriteStub creates the file of an emulated program at the absolute path p
// (and its missing directories, 0755), owned by root, mode 0555.
func (h *Host) WriteStub(p string) error {
	root := h.Root()
	if err := h.Tree.MkdirAll(root, path.Dir(p), 0o755); err != nil {
		return err
	}
	return h.Tree.WriteFile(root, p, []byte(StubScript), 0o555) // 0555 is untouched by the umask
}

// Close releases the host's files; the host stays on disk.
func (h *Host) Close() error {
	return errors.Join(h.Tree.Close(), h.state.close())
}

// Root is the host's superuser.
func (h *Host) Root() User {
	if u, ok := h.LookupUser("root"); ok {
		return u
	}
	return rootUser(h.OS)
}

// LookupUser finds a user by name or decimal uid in the tree's /etc/passwd
// (root exists even before the tree has one).
func (h *Host) LookupUser(name string) (User, bool) { return h.Tree.lookupUser(name) }

// SetClock fixes the host's clock for tests; nil restores the real one.
func (h *Host) SetClock(now func() time.Time) {
	if now == nil {
		h.clock.Store(nil)
		return
	}
	h.clock.Store(&now)
}

// Now is the host's clock.
func (h *Host) Now() time.Time {
	if f := h.clock.Load(); f != nil {
		return (*f)()
	}
	return time.Now()
}

// Syslog appends "Mon DD HH:MM:SS HOST TAG: MSG" to /var/log/messages, as
// logger(1) does through syslogd. It cannot fail visibly, as syslog(3).
func (h *Host) Syslog(tag, msg string) {
	root := h.Root()
	line := fmt.Sprintf("%s %s %s: %s\n", h.Now().Format(time.Stamp), h.Name, tag, msg)
	_ = h.Tree.MkdirAll(root, "/var/log", 0o755)
	_ = h.Tree.AppendFile(root, "/var/log/messages", []byte(line), 0o644)
}

// DefaultPath is the PATH of a login shell on os.
func DefaultPath(os OS) string {
	if os == Rocky {
		return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
	}
	return "/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"
}

// NewProc returns the process context of a fresh login session of u, as
// sshd starts one: HOME, USER, LOGNAME, SHELL, PATH and PWD set, working
// directory the home directory (or / when it is missing).
func (h *Host) NewProc(ctx context.Context, u User, stdin io.Reader, stdout, stderr io.Writer) *Proc {
	if ctx == nil {
		ctx = context.Background()
	}
	dir := "/"
	if fi, err := h.Tree.StatAs(u, u.Home); err == nil && fi.IsDir() && u.Home != "" {
		dir = u.Home
	}
	return &Proc{
		Ctx:    ctx,
		Host:   h,
		Stdin:  stdin,
		Stdout: stdout,
		Stderr: stderr,
		User:   u,
		Dir:    dir,
		Env: []string{
			"HOME=" + u.Home,
			"LOGNAME=" + u.Name,
			"PATH=" + DefaultPath(h.OS),
			"PWD=" + dir,
			"SHELL=/bin/sh",
			"USER=" + u.Name,
		},
	}
}

// update runs fn under the host's state lock with the loader and saver of
// DIR/hosts/NAME/state/NAME.json. See Update in state.go.
func (h *Host) update(name string, fn func(load func(any) error, save func(any) error) error) error {
	if !stateName.MatchString(name) {
		return fmt.Errorf("host %s: invalid state name %q", h.Name, name)
	}
	unlock, err := h.state.lock()
	if err != nil {
		return fmt.Errorf("host %s: %w", h.Name, err)
	}
	defer unlock()
	file := filepath.Join(h.Dir, "state", name+".json")
	load := func(v any) error {
		data, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(data, v); err != nil {
			return fmt.Errorf("host %s: state %s: %w", h.Name, name, err)
		}
		return nil
	}
	save := func(v any) error {
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("host %s: state %s: %w", h.Name, name, err)
		}
		defer h.saves.Add(1)
		return writeFileAtomic(file, append(data, '\n'))
	}
	return fn(load, save)
}

// envValue returns the value of key in a KEY=VALUE list (the last one wins).
func envValue(env []string, key string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], key+"="); ok {
			return v, true
		}
	}
	return "", false
}
