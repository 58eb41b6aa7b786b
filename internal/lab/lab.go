// Package lab runs simulated FreeBSD 14 and Rocky Linux 9 hosts behind real
// SSH servers (x/crypto/ssh with exec and the SFTP subsystem), for the
// provider's tests and for the demo. Each host is a sim.Host: a confined file
// tree and persistent state under the lab's directory, so a lab survives
// between processes, and commands run in a POSIX shell interpreter over that
// tree with the command families' emulations. It imports nothing from the
// provider or the domain packages: it is written from ../shared/reference.
package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Options configure a lab.
type Options struct {
	// Dir holds everything: lab.json, the client key, hosts/NAME/...
	Dir   string
	Hosts []HostSpec
	// Addr is where the hosts listen; default "127.0.0.1:0": each host
	// gets a port of its own, the one it had before when that is free. A
	// fixed port P gives the i-th host port P+i.
	Addr string
	// Profile replaces the command families (tests that need programs of
	// their own); nil means the lab's default.
	Profile Profile
	// Logf, when set, receives connection-level errors.
	Logf func(format string, args ...any)
}

// HostSpec names a host and its OS.
type HostSpec struct {
	Name string
	OS   sim.OS
}

// Endpoint is how a client reaches one host.
type Endpoint struct {
	Name           string
	OS             sim.OS
	Address        string
	Port           int
	User           string
	PrivateKeyFile string
	PrivateKeyPEM  []byte
	HostKey        string // the host's public key, as an authorized_keys line
}

// Lab is a set of running (Start) or opened (Open) hosts.
type Lab struct {
	dir     string
	ctx     context.Context
	cancel  context.CancelFunc
	names   []string
	hosts   map[string]*hostRuntime
	client  keyPair
	clock   *sim.Clock    // see clock.go
	netLock *sim.FileLock // see network.go
	logf    func(format string, args ...any)
	wg      sync.WaitGroup
	closing sync.Once
}

type hostRuntime struct {
	spec     HostSpec
	host     *sim.Host
	faults   *Faults
	stats    *recorder // nil for an opened lab
	srv      *server   // nil for an opened lab
	endpoint Endpoint
}

// Start creates or reopens each host under opts.Dir and starts one SSH
// server per host. It writes DIR/lab.json once every host listens.
func Start(ctx context.Context, opts Options) (*Lab, error) {
	if len(opts.Hosts) == 0 {
		return nil, errors.New("lab: no hosts")
	}
	l, err := newLab(ctx, opts.Dir, opts.Logf)
	if err != nil {
		return nil, err
	}
	prev, _ := readManifest(l.dir)
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	bindHost, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("lab: address %q: %w", addr, err)
	}
	basePort, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("lab: address %q: %w", addr, err)
	}
	for i, spec := range opts.Hosts {
		if _, dup := l.hosts[spec.Name]; dup {
			l.Close()
			return nil, fmt.Errorf("lab: host %s named twice", spec.Name)
		}
		rt, err := l.openHost(spec, opts.Profile)
		if err != nil {
			l.Close()
			return nil, err
		}
		rt.stats = newRecorder(statsFile(l.dir, spec.Name))
		port := 0
		if basePort != 0 {
			port = basePort + i
		} else if p, ok := prev.Hosts[spec.Name]; ok {
			port = p.Port
		}
		ln, err := listen(bindHost, port, basePort == 0)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("lab: host %s: %w", spec.Name, err)
		}
		srv, err := newServer(l, rt, ln)
		if err != nil {
			ln.Close()
			l.Close()
			return nil, err
		}
		rt.srv = srv
		tcp, _ := ln.Addr().(*net.TCPAddr) // a "tcp" listener's address
		rt.endpoint = Endpoint{
			Name:           spec.Name,
			OS:             spec.OS,
			Address:        tcp.IP.String(),
			Port:           tcp.Port,
			User:           rt.host.LoginUser.Name,
			PrivateKeyFile: l.client.file,
			PrivateKeyPEM:  l.client.pem,
			HostKey:        authorizedKey(srv.hostKey.PublicKey()),
		}
	}
	if err := writeManifest(l.dir, l.Endpoints()); err != nil {
		l.Close()
		return nil, err
	}
	for _, name := range l.names {
		srv := l.hosts[name].srv
		l.wg.Go(srv.serve)
	}
	l.wg.Go(l.tickDaemons)
	l.wg.Go(l.watchPower)
	// The servers stop when ctx ends; Close still releases the hosts.
	context.AfterFunc(l.ctx, func() {
		for _, name := range l.names {
			l.hosts[name].srv.shutdown()
		}
	})
	return l, nil
}

// listen binds port, or any port when the wanted one is taken and may change.
func listen(host string, port int, flexible bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil && flexible && port != 0 {
		ln, err = net.Listen("tcp", net.JoinHostPort(host, "0"))
	}
	return ln, err
}

// Open opens the hosts of a lab directory without serving them, for
// out-of-band commands from another process while the servers run (state
// and trees are shared on disk under file locks).
func Open(dir string) (*Lab, error) {
	return OpenOptions(Options{Dir: dir})
}

// OpenOptions is Open with the Dir and Profile of opts (the rest is ignored).
func OpenOptions(opts Options) (*Lab, error) {
	l, err := newLab(context.Background(), opts.Dir, opts.Logf)
	if err != nil {
		return nil, err
	}
	specs, err := readHostSpecs(l.dir)
	if err != nil {
		l.Close()
		return nil, err
	}
	if len(specs) == 0 {
		l.Close()
		return nil, fmt.Errorf("lab: no hosts in %s", l.dir)
	}
	m, _ := readManifest(l.dir)
	for _, spec := range specs {
		rt, err := l.openHost(spec, opts.Profile)
		if err != nil {
			l.Close()
			return nil, err
		}
		if e, ok := m.Hosts[spec.Name]; ok {
			rt.endpoint = e.endpoint(spec.Name, l.client)
		}
	}
	return l, nil
}

func newLab(ctx context.Context, dir string, logf func(string, ...any)) (*Lab, error) {
	if dir == "" {
		return nil, errors.New("lab: no directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(abs, "hosts"), 0o755); err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	client, err := loadOrCreateKey(filepath.Join(abs, "id_ed25519"), "f3s-lab")
	if err != nil {
		return nil, fmt.Errorf("lab: client key: %w", err)
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	lctx, cancel := context.WithCancel(ctx)
	return &Lab{dir: abs, ctx: lctx, cancel: cancel, hosts: map[string]*hostRuntime{}, client: client, logf: logf,
		clock: sim.OpenClock(filepath.Join(abs, clockFile)), netLock: sim.NewFileLock(filepath.Join(abs, networkLockFile))}, nil
}

// openHost opens (creating and seeding when new) one host and records its OS.
func (l *Lab) openHost(spec HostSpec, prof Profile) (*hostRuntime, error) {
	if prof == nil {
		prof = profile
	}
	base, pkgs, seeds := prof(spec.OS)
	h, err := sim.NewHost(l.dir, spec.Name, spec.OS, base, pkgs, seeds...)
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	if err := writeHostFile(h.Dir, spec.OS); err != nil {
		h.Close()
		return nil, fmt.Errorf("lab: %w", err)
	}
	rt := &hostRuntime{spec: spec, host: h, faults: &Faults{}}
	h.SetPeers(l.peer)
	h.SetNetwork(labNetwork{l})
	h.UseClock(l.clock)
	h.Tree.SetWriteFault(func(vpath string) error {
		if rt.faults.takeWrite(vpath) {
			return syscall.EIO
		}
		return nil
	})
	l.names = append(l.names, spec.Name)
	l.hosts[spec.Name] = rt
	return rt, nil
}

// hostFile is DIR/hosts/NAME/host.json: what Open needs to reopen a host.
type hostFile struct {
	OS sim.OS `json:"os"`
}

// writeHostFile records the OS of a host unless already recorded: many
// f3s-lab processes (one per command behind OpenSSH) open a lab at once,
// and each may read it while another writes.
func writeHostFile(hostDir string, hostOS sim.OS) error {
	file := filepath.Join(hostDir, "host.json")
	data, _ := json.Marshal(hostFile{OS: hostOS})
	data = append(data, '\n')
	if old, err := os.ReadFile(file); err == nil && string(old) == string(data) {
		return nil
	}
	tmp := fmt.Sprintf("%s.tmp%d", file, os.Getpid())
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

func readHostSpecs(dir string) ([]HostSpec, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "hosts"))
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	var specs []HostSpec
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, "hosts", e.Name(), "host.json"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("lab: %w", err)
		}
		var hf hostFile
		if err := json.Unmarshal(data, &hf); err != nil {
			return nil, fmt.Errorf("lab: host %s: %w", e.Name(), err)
		}
		specs = append(specs, HostSpec{Name: e.Name(), OS: hf.OS})
	}
	return specs, nil
}

// Dir is the lab's directory, absolute.
func (l *Lab) Dir() string { return l.dir }

// Names lists the hosts in the order they were given.
func (l *Lab) Names() []string { return slices.Clone(l.names) }

// Host returns the simulated host name, or nil.
func (l *Lab) Host(name string) *sim.Host {
	if rt, ok := l.hosts[name]; ok {
		return rt.host
	}
	return nil
}

// Faults returns the fault switches of host name, or nil.
func (l *Lab) Faults(name string) *Faults {
	if rt, ok := l.hosts[name]; ok {
		return rt.faults
	}
	return nil
}

// Stats returns the counters of host name: live for a started lab, as the
// running lab last wrote them for an opened one.
func (l *Lab) Stats(name string) Stats {
	rt, ok := l.hosts[name]
	if !ok {
		return Stats{}
	}
	if rt.stats != nil {
		return rt.stats.get()
	}
	s, _ := readStats(l.dir, name)
	return s
}

// Endpoint returns how to reach host name.
func (l *Lab) Endpoint(name string) (Endpoint, bool) {
	rt, ok := l.hosts[name]
	if !ok || rt.endpoint.Port == 0 {
		return Endpoint{}, false
	}
	return rt.endpoint, true
}

// Endpoints lists every host's endpoint in the order of the hosts.
func (l *Lab) Endpoints() []Endpoint {
	var out []Endpoint
	for _, name := range l.names {
		if e, ok := l.Endpoint(name); ok {
			out = append(out, e)
		}
	}
	return out
}

// Close stops the servers (closing their connections), writes the last
// counters and releases the hosts. The lab stays on disk.
func (l *Lab) Close() error {
	var errs []error
	l.closing.Do(func() {
		l.cancel()
		for _, name := range l.names {
			if srv := l.hosts[name].srv; srv != nil {
				srv.shutdown()
			}
		}
		l.wg.Wait()
		for _, name := range l.names {
			rt := l.hosts[name]
			if rt.srv != nil {
				rt.srv.wait()
			}
			if rt.stats != nil {
				rt.stats.close()
			}
			errs = append(errs, rt.host.Close())
		}
		errs = append(errs, l.clock.Close(), l.netLock.Close())
	})
	return errors.Join(errs...)
}
