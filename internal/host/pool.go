package host

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Logger receives debug events; the provider adapts tflog. Fields never
// hold secrets: commands are redacted and stdin is never logged.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// PoolOptions tunes a Pool. The zero value is usable.
type PoolOptions struct {
	Logger Logger // nil: no logging
}

// ConnStats counts what a host's connections did, for tests and benchmarks.
type ConnStats struct {
	Dials            int64 // connections established since the pool was made
	Connections      int   // connections open now
	SessionsInFlight int   // sessions open now, over all connections
	Waiting          int   // callers waiting for a free session slot or a dial
	Commands         int64 // commands started
}

// Pool holds the hosts of one provider instance and their connections. It
// dials nothing until a host is used.
type Pool struct {
	ctx    context.Context // cancelled by Close; bounds every dial
	cancel context.CancelFunc
	log    Logger

	hosts map[string]*Host
	names []string

	mu    sync.Mutex
	jumps map[string]*Host
}

// NewPool validates cfgs and prepares one Host per config. Errors are
// *ConfigError values (joined) naming the host and the attribute.
func NewPool(cfgs []Config, opts PoolOptions) (*Pool, error) {
	var errs []error
	for _, c := range cfgs {
		errs = append(errs, c.problems(c.Name, "", 0, false)...)
	}
	seen := map[string]bool{}
	for _, c := range cfgs {
		if c.Name != "" && seen[c.Name] {
			errs = append(errs, &ConfigError{Host: c.Name, Attribute: "name", Message: "configured more than once"})
		}
		seen[c.Name] = true
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{ctx: ctx, cancel: cancel, log: opts.Logger, hosts: map[string]*Host{}, jumps: map[string]*Host{}}
	if p.log == nil {
		p.log = nopLogger{}
	}
	for _, c := range cfgs {
		h, err := p.newHost(c, c.Name, "")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.hosts[c.Name] = h
		p.names = append(p.names, c.Name)
	}
	if len(errs) > 0 {
		cancel()
		return nil, errors.Join(errs...)
	}
	slices.Sort(p.names)
	return p, nil
}

// newHost prepares a Host; attrHost and attrPrefix name the attributes in
// errors ("jump." for a jump host).
func (p *Pool) newHost(c Config, attrHost, attrPrefix string) (*Host, error) {
	c = c.withDefaults()
	h := &Host{cfg: c, pool: p, log: p.log, wake: make(chan struct{}), locks: map[string]chan struct{}{}}
	if len(c.PrivateKey) > 0 {
		s, err := parseSigner(c.PrivateKey, c.PrivateKeyPassphrase)
		if err != nil {
			return nil, &ConfigError{Host: attrHost, Attribute: attrPrefix + "private_key", Message: err.Error()}
		}
		h.signer = s
	}
	keys, err := newHostKeyPolicy(c, attrHost, attrPrefix)
	if err != nil {
		return nil, err
	}
	h.keys = keys
	if c.Jump != nil {
		j, err := p.jumpHost(*c.Jump, attrHost, attrPrefix+"jump.")
		if err != nil {
			return nil, err
		}
		h.jump = j
	}
	return h, nil
}

// jumpHost shares one connection to a jump host among all hosts behind it.
func (p *Pool) jumpHost(c Config, attrHost, attrPrefix string) (*Host, error) {
	if c.Name == "" {
		c.Name = c.Address
	}
	key := fmt.Sprintf("%s|%s@%s", c.Name, c.User, c.hostPort())
	p.mu.Lock()
	defer p.mu.Unlock()
	if h, ok := p.jumps[key]; ok {
		return h, nil
	}
	c.Become = BecomeNone
	c.MaxConnections = 1
	h, err := p.newHost(c, attrHost, attrPrefix)
	if err != nil {
		return nil, err
	}
	p.jumps[key] = h
	return h, nil
}

// Host returns the named host. An unknown name lists the configured ones.
func (p *Pool) Host(name string) (*Host, error) {
	if h, ok := p.hosts[name]; ok {
		return h, nil
	}
	if len(p.names) == 0 {
		return nil, fmt.Errorf("unknown host %q: no hosts are configured in the provider", name)
	}
	return nil, fmt.Errorf("unknown host %q: configured hosts are %s", name, strings.Join(p.names, ", "))
}

// Names lists the configured host names, sorted.
func (p *Pool) Names() []string { return slices.Clone(p.names) }

// Stats reports the named host's counters; zero for an unknown name.
func (p *Pool) Stats(name string) ConnStats {
	if h, ok := p.hosts[name]; ok {
		return h.Stats()
	}
	return ConnStats{}
}

// Close ends every connection and in-flight dial. Later calls fail with ErrClosed.
func (p *Pool) Close() error {
	p.cancel()
	for _, h := range p.hosts {
		h.close()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range p.jumps {
		h.close()
	}
	return nil
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
