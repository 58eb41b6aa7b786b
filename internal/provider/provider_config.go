package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// environment is the process environment, replaceable in tests.
type environment interface {
	Getenv(key string) string
}

type osEnvironment struct{}

func (osEnvironment) Getenv(key string) string { return os.Getenv(key) }

// resolvedConfig is the provider configuration turned into host configs.
type resolvedConfig struct {
	configs    []host.Config
	names      []string          // every configured host name, sorted
	namesKnown bool              // false while hosts itself is unknown
	deferred   map[string]string // host name -> why it cannot be used yet
	// sources maps host name -> host.ConfigError attribute -> the
	// configuration path that supplied the value, for precise diagnostics.
	sources map[string]map[string]path.Path
}

func (r resolvedConfig) deferredNames() []string { return slices.Sorted(maps.Keys(r.deferred)) }

// secrets lists every secret value, for log masking.
func (r resolvedConfig) secrets() []string {
	var s []string
	for _, c := range r.configs {
		if len(c.PrivateKey) > 0 {
			s = append(s, string(c.PrivateKey))
		}
		if len(c.PrivateKeyPassphrase) > 0 {
			s = append(s, string(c.PrivateKeyPassphrase))
		}
	}
	return s
}

// resolveConfig merges, for every host, its own settings over defaults over
// the environment over built-in values, and reads key files. A host whose
// settings are not known yet is deferred: using it fails, planning does not.
func resolveConfig(ctx context.Context, m providerModel, env environment) (resolvedConfig, diag.Diagnostics) {
	r := resolvedConfig{deferred: map[string]string{}, sources: map[string]map[string]path.Path{}}
	hosts, known, diags := m.hostModels(ctx)
	if !known || diags.HasError() {
		return r, diags
	}
	r.namesKnown = true
	r.names = slices.Sorted(maps.Keys(hosts))

	defaults, defaultsKnown, d := m.defaultsModel(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return r, diags
	}
	defaultsUnknown := ""
	if !defaultsKnown {
		defaultsUnknown = "defaults is not known until apply"
	} else if a := firstUnknown(defaults.values()); a != "" {
		defaultsUnknown = fmt.Sprintf("defaults.%s is not known until apply", a)
	}

	diags.Append(validateJumpHosts(hosts)...)
	if diags.HasError() {
		return r, diags
	}

	resolved := map[string]*host.Config{}
	for _, name := range r.names {
		h := hosts[name]
		switch {
		case h == nil:
			r.deferred[name] = fmt.Sprintf("the settings of host %q are not known until apply", name)
			continue
		case defaultsUnknown != "":
			r.deferred[name] = defaultsUnknown
			continue
		}
		if a := firstUnknown(h.values()); a != "" {
			r.deferred[name] = fmt.Sprintf("hosts[%q].%s is not known until apply", name, a)
			continue
		}
		l := layers{name: name, host: h.connectionModel, defaults: defaults, env: env, sources: map[string]path.Path{}}
		cfg, d := l.resolve(*h)
		diags.Append(d...)
		resolved[name] = &cfg
		r.sources[name] = l.sources
	}
	if diags.HasError() {
		return r, diags
	}

	// A host behind a deferred jump host is deferred too; repeat until
	// nothing changes so that chains are followed.
	for changed := true; changed; {
		changed = false
		for _, name := range r.names {
			h := hosts[name]
			if h == nil || resolved[name] == nil || h.JumpHost.IsNull() {
				continue
			}
			if _, ok := r.deferred[h.JumpHost.ValueString()]; ok {
				r.deferred[name] = fmt.Sprintf("its jump host %q is not known until apply", h.JumpHost.ValueString())
				delete(resolved, name)
				changed = true
			}
		}
	}
	for _, name := range r.names {
		if cfg := resolved[name]; cfg != nil && !hosts[name].JumpHost.IsNull() {
			cfg.Jump = resolved[hosts[name].JumpHost.ValueString()]
		}
	}
	for _, name := range r.names {
		if cfg := resolved[name]; cfg != nil {
			r.configs = append(r.configs, *cfg)
		}
	}
	return r, diags
}

// layers resolves one host's settings: host, then defaults, then the
// environment, then built-in values.
type layers struct {
	name     string
	host     connectionModel
	defaults connectionModel
	env      environment
	sources  map[string]path.Path
}

func (l layers) resolve(h hostModel) (host.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := host.Config{
		Name:    l.name,
		Address: h.Address.ValueString(),
		HostKey: h.HostKey.ValueString(),
	}
	l.sources["address"] = hostPath(l.name).AtName("address")
	l.sources["host_key"] = hostPath(l.name).AtName("host_key")
	l.sources["jump"] = hostPath(l.name).AtName("jump_host")

	cfg.User = defaultUser
	if v, ok := l.str("user", func(c connectionModel) types.String { return c.User }); ok {
		cfg.User = v
	} else if v := l.env.Getenv(envUser); v != "" {
		cfg.User = v
	}
	if v, ok := l.int("port", func(c connectionModel) types.Int64 { return c.Port }); ok {
		cfg.Port = v
	}
	if v, ok := l.str("become", func(c connectionModel) types.String { return c.Become }); ok {
		cfg.Become = host.Become(v)
	}
	if v, ok := l.int("max_sessions", func(c connectionModel) types.Int64 { return c.MaxSessions }); ok {
		cfg.MaxSessions = v
	}
	if v, ok := l.str("connect_timeout", func(c connectionModel) types.String { return c.ConnectTimeout }); ok {
		d, err := parseDuration(v)
		if err != nil {
			diags.AddAttributeError(l.sources["connect_timeout"], "Invalid Duration", err.Error())
		}
		cfg.ConnectTimeout = d
	}

	key, d := l.privateKey()
	diags.Append(d...)
	cfg.PrivateKey = key
	if v, ok := l.str("private_key_passphrase", func(c connectionModel) types.String { return c.PrivateKeyPassphrase }); ok {
		cfg.PrivateKeyPassphrase = []byte(v)
	} else if v := l.env.Getenv(envPrivateKeyPassphrase); v != "" {
		cfg.PrivateKeyPassphrase = []byte(v)
	}
	if v, ok := l.bool("agent", func(c connectionModel) types.Bool { return c.Agent }); ok {
		cfg.Agent = v
		l.sources["agent_socket"] = l.sources["agent"]
	} else {
		cfg.Agent = len(cfg.PrivateKey) == 0 && l.env.Getenv(envAgentSocket) != ""
	}

	if v, ok := l.bool("insecure_ignore_host_key", func(c connectionModel) types.Bool { return c.InsecureIgnoreHostKey }); ok {
		cfg.InsecureIgnoreHostKey = v
	}
	if cfg.HostKey == "" && !cfg.InsecureIgnoreHostKey {
		file, ok := l.str("known_hosts_file", func(c connectionModel) types.String { return c.KnownHostsFile })
		from := "known_hosts_file"
		if !ok {
			file, from = l.env.Getenv(envKnownHosts), "environment variable "+envKnownHosts
		}
		if file == "" {
			file, from = defaultKnownHostsFile, "the default known_hosts_file"
		}
		// A file named in the configuration was checked at validation; one
		// from the environment or the default gets its own explanation.
		if msg := checkFile(file, true); !ok && msg != "" {
			diags.Append(noHostKeyPolicyDiag(hostPath(l.name), file, from, msg))
		}
		cfg.KnownHostsFile, _ = expandHome(file)
	}
	return cfg, diags
}

// privateKey returns the first key set: host private_key or
// private_key_file, then the same in defaults, then the environment.
func (l layers) privateKey() ([]byte, diag.Diagnostics) {
	var diags diag.Diagnostics
	for _, lv := range []struct {
		model connectionModel
		at    path.Path
	}{{l.host, hostPath(l.name)}, {l.defaults, defaultsPath()}} {
		if !lv.model.PrivateKey.IsNull() {
			l.sources["private_key"] = lv.at.AtName("private_key")
			return []byte(lv.model.PrivateKey.ValueString()), nil
		}
		if !lv.model.PrivateKeyFile.IsNull() {
			at := lv.at.AtName("private_key_file")
			l.sources["private_key"] = at
			key, err := readKeyFile(lv.model.PrivateKeyFile.ValueString())
			if err != nil {
				diags.AddAttributeError(at, "Unable to Read Private Key File", err.Error())
			}
			return key, diags
		}
	}
	if v := l.env.Getenv(envPrivateKey); v != "" {
		if msg := checkPrivateKey([]byte(v)); msg != "" {
			diags.AddError("Invalid Private Key", fmt.Sprintf("Environment variable %s: %s.", envPrivateKey, msg))
		}
		return []byte(v), diags
	}
	if v := l.env.Getenv(envPrivateKeyFile); v != "" {
		key, err := readKeyFile(v)
		if err != nil {
			diags.AddError("Unable to Read Private Key File", fmt.Sprintf("Environment variable %s: %v.", envPrivateKeyFile, err))
		}
		return key, diags
	}
	return nil, nil
}

func readKeyFile(p string) ([]byte, error) {
	full, err := expandHome(p)
	if err != nil {
		return nil, err
	}
	key, err := os.ReadFile(full)
	if err != nil {
		return nil, err
	}
	if msg := checkPrivateKey(key); msg != "" {
		return nil, fmt.Errorf("%s: %s", full, msg)
	}
	return key, nil
}

func (l layers) str(attr string, get func(connectionModel) types.String) (string, bool) {
	if v := get(l.host); !v.IsNull() {
		l.sources[attr] = hostPath(l.name).AtName(attr)
		return v.ValueString(), true
	}
	if v := get(l.defaults); !v.IsNull() {
		l.sources[attr] = defaultsPath().AtName(attr)
		return v.ValueString(), true
	}
	return "", false
}

func (l layers) int(attr string, get func(connectionModel) types.Int64) (int, bool) {
	if v := get(l.host); !v.IsNull() {
		l.sources[attr] = hostPath(l.name).AtName(attr)
		return int(v.ValueInt64()), true
	}
	if v := get(l.defaults); !v.IsNull() {
		l.sources[attr] = defaultsPath().AtName(attr)
		return int(v.ValueInt64()), true
	}
	return 0, false
}

func (l layers) bool(attr string, get func(connectionModel) types.Bool) (bool, bool) {
	if v := get(l.host); !v.IsNull() {
		l.sources[attr] = hostPath(l.name).AtName(attr)
		return v.ValueBool(), true
	}
	if v := get(l.defaults); !v.IsNull() {
		l.sources[attr] = defaultsPath().AtName(attr)
		return v.ValueBool(), true
	}
	return false, false
}

// expandHome turns a leading ~/ into the user's home directory, as ssh does.
func expandHome(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot expand %q: %w", p, err)
	}
	return filepath.Join(home, strings.TrimPrefix(p, "~")), nil
}

// validateJumpHosts checks that every known jump_host names a configured host
// and that no chain of jump hosts loops. A cycle is reported once, on its
// alphabetically first host.
func validateJumpHosts(hosts map[string]*hostModel) diag.Diagnostics {
	var diags diag.Diagnostics
	names := slices.Sorted(maps.Keys(hosts))
	jumpOf := func(name string) (string, bool) {
		h := hosts[name]
		if h == nil || h.JumpHost.IsNull() || h.JumpHost.IsUnknown() {
			return "", false
		}
		return h.JumpHost.ValueString(), true
	}
	for _, name := range names {
		target, ok := jumpOf(name)
		if !ok {
			continue
		}
		if _, configured := hosts[target]; !configured {
			diags.Append(unknownJumpHostDiag(hostPath(name).AtName("jump_host"), target, names))
		}
	}
	reported := map[string]bool{}
	for _, name := range names {
		chain := []string{name}
		for cur := name; ; {
			next, ok := jumpOf(cur)
			if !ok {
				break
			}
			if _, configured := hosts[next]; !configured {
				break
			}
			if i := slices.Index(chain, next); i >= 0 {
				cycle := append(slices.Clone(chain[i:]), next)
				first := slices.Min(chain[i:])
				if !reported[first] {
					reported[first] = true
					diags.Append(jumpHostCycleDiag(hostPath(first).AtName("jump_host"), cycle))
				}
				break
			}
			chain = append(chain, next)
			cur = next
		}
	}
	return diags
}

// configErrorDiags turns the pool's validation errors into attribute errors
// at the configuration path that supplied the value.
func configErrorDiags(err error, r resolvedConfig) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, e := range unjoin(err) {
		var ce *host.ConfigError
		if !errors.As(e, &ce) {
			diags.AddError("Invalid Host Configuration", e.Error())
			continue
		}
		// A jump host's problems are reported on its own entry in hosts.
		if strings.HasPrefix(ce.Attribute, "jump.") {
			continue
		}
		at, ok := r.sources[ce.Host][ce.Attribute]
		what := at.String()
		if !ok {
			at = hostPath(ce.Host)
			what = fmt.Sprintf("%s (%s)", at, ce.Attribute)
		}
		diags.Append(invalidHostConfigDiag(at, what, ce.Message))
	}
	if !diags.HasError() {
		diags.AddError("Invalid Host Configuration", err.Error())
	}
	return diags
}
