package provider

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

type mapEnv map[string]string

func (e mapEnv) Getenv(k string) string { return e[k] }

func defaultsAttrTypes() map[string]attr.Type {
	return providerSchema().Attributes["defaults"].GetType().(attr.TypeWithAttributeTypes).AttributeTypes()
}

func hostAttrTypes() map[string]attr.Type {
	elem := providerSchema().Attributes["hosts"].GetType().(attr.TypeWithElementType).ElementType()
	return elem.(attr.TypeWithAttributeTypes).AttributeTypes()
}

// testModel builds the provider model as Terraform would hand it over.
// Zero fields of the Go structs are null values.
func testModel(t *testing.T, defaults *connectionModel, hosts map[string]hostModel) providerModel {
	t.Helper()
	ctx := context.Background()
	m := providerModel{
		Defaults: types.ObjectNull(defaultsAttrTypes()),
		Hosts:    types.MapNull(types.ObjectType{AttrTypes: hostAttrTypes()}),
	}
	if defaults != nil {
		obj, diags := types.ObjectValueFrom(ctx, defaultsAttrTypes(), defaults)
		if diags.HasError() {
			t.Fatal(diags)
		}
		m.Defaults = obj
	}
	if hosts != nil {
		mv, diags := types.MapValueFrom(ctx, types.ObjectType{AttrTypes: hostAttrTypes()}, hosts)
		if diags.HasError() {
			t.Fatal(diags)
		}
		m.Hosts = mv
	}
	return m
}

func str(s string) types.String { return types.StringValue(s) }

func TestResolveConfig(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	knownHosts := filepath.Join(home, ".ssh", "known_hosts")
	if err := os.MkdirAll(filepath.Dir(knownHosts), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(knownHosts, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	otherKnownHosts := filepath.Join(home, "other_known_hosts")
	if err := os.WriteFile(otherKnownHosts, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	k1, k2 := newTestKey(t), newTestKey(t)

	tests := []struct {
		name     string
		env      mapEnv
		defaults *connectionModel
		hosts    map[string]hostModel
		want     []host.Config
	}{
		{
			name:  "built-in values",
			hosts: map[string]hostModel{"f0": {Address: str("f0.lan")}},
			want:  []host.Config{{Name: "f0", Address: "f0.lan", User: "root", KnownHostsFile: knownHosts}},
		},
		{
			name:  "agent by default when SSH_AUTH_SOCK is set and no key is given",
			env:   mapEnv{envAgentSocket: "/run/agent.sock"},
			hosts: map[string]hostModel{"f0": {Address: str("f0.lan")}},
			want:  []host.Config{{Name: "f0", Address: "f0.lan", User: "root", Agent: true, KnownHostsFile: knownHosts}},
		},
		{
			name:     "a key turns the default agent off",
			env:      mapEnv{envAgentSocket: "/run/agent.sock"},
			defaults: &connectionModel{PrivateKeyFile: str(k1.File)},
			hosts:    map[string]hostModel{"f0": {Address: str("f0.lan")}},
			want: []host.Config{{Name: "f0", Address: "f0.lan", User: "root", PrivateKey: []byte(k1.PEM),
				KnownHostsFile: knownHosts}},
		},
		{
			name:     "explicit agent with a key",
			defaults: &connectionModel{PrivateKey: str(k1.PEM), Agent: types.BoolValue(true)},
			hosts:    map[string]hostModel{"f0": {Address: str("f0.lan")}},
			want: []host.Config{{Name: "f0", Address: "f0.lan", User: "root", PrivateKey: []byte(k1.PEM), Agent: true,
				KnownHostsFile: knownHosts}},
		},
		{
			name: "host over defaults over environment",
			env:  mapEnv{envUser: "envuser", envKnownHosts: otherKnownHosts},
			defaults: &connectionModel{User: str("paul"), Port: types.Int64Value(2222), Become: str("doas"),
				ConnectTimeout: str("5s"), MaxSessions: types.Int64Value(4)},
			hosts: map[string]hostModel{
				"f0": {Address: str("f0.lan"), connectionModel: connectionModel{User: str("admin"), Become: str("sudo"), MaxSessions: types.Int64Value(20)}},
				"f1": {Address: str("f1.lan")},
			},
			want: []host.Config{
				{Name: "f0", Address: "f0.lan", User: "admin", Port: 2222, Become: host.BecomeSudo,
					ConnectTimeout: 5 * time.Second, MaxSessions: 20, KnownHostsFile: otherKnownHosts},
				{Name: "f1", Address: "f1.lan", User: "paul", Port: 2222, Become: host.BecomeDoas,
					ConnectTimeout: 5 * time.Second, MaxSessions: 4, KnownHostsFile: otherKnownHosts},
			},
		},
		{
			name:  "environment over built-in values",
			env:   mapEnv{envUser: "envuser", envPrivateKey: k2.PEM, envPrivateKeyPassphrase: "secret"},
			hosts: map[string]hostModel{"f0": {Address: str("f0.lan")}},
			want: []host.Config{{Name: "f0", Address: "f0.lan", User: "envuser", PrivateKey: []byte(k2.PEM),
				PrivateKeyPassphrase: []byte("secret"), KnownHostsFile: knownHosts}},
		},
		{
			name:  "key file from the environment",
			env:   mapEnv{envPrivateKeyFile: k2.File},
			hosts: map[string]hostModel{"f0": {Address: str("f0.lan")}},
			want: []host.Config{{Name: "f0", Address: "f0.lan", User: "root", PrivateKey: []byte(k2.PEM),
				KnownHostsFile: knownHosts}},
		},
		{
			name:     "host key over defaults key file over environment key",
			env:      mapEnv{envPrivateKey: k1.PEM},
			defaults: &connectionModel{PrivateKeyFile: str(k1.File)},
			hosts: map[string]hostModel{
				"f0": {Address: str("f0.lan"), connectionModel: connectionModel{PrivateKey: str(k2.PEM)}},
				"f1": {Address: str("f1.lan")},
			},
			want: []host.Config{
				{Name: "f0", Address: "f0.lan", User: "root", PrivateKey: []byte(k2.PEM), KnownHostsFile: knownHosts},
				{Name: "f1", Address: "f1.lan", User: "root", PrivateKey: []byte(k1.PEM), KnownHostsFile: knownHosts},
			},
		},
		{
			name:     "pinned host key needs no known_hosts file",
			defaults: &connectionModel{KnownHostsFile: str(otherKnownHosts)},
			hosts:    map[string]hostModel{"f0": {Address: str("f0.lan"), HostKey: str(k1.PublicKey)}},
			want:     []host.Config{{Name: "f0", Address: "f0.lan", User: "root", HostKey: k1.PublicKey}},
		},
		{
			name:     "insecure_ignore_host_key needs no known_hosts file",
			defaults: &connectionModel{InsecureIgnoreHostKey: types.BoolValue(true)},
			hosts:    map[string]hostModel{"f0": {Address: str("f0.lan")}},
			want:     []host.Config{{Name: "f0", Address: "f0.lan", User: "root", InsecureIgnoreHostKey: true}},
		},
		{
			name: "known_hosts_file with ~",
			hosts: map[string]hostModel{"f0": {Address: str("f0.lan"),
				connectionModel: connectionModel{KnownHostsFile: str("~/other_known_hosts")}}},
			want: []host.Config{{Name: "f0", Address: "f0.lan", User: "root", KnownHostsFile: otherKnownHosts}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, diags := resolveConfig(context.Background(), testModel(t, tc.defaults, tc.hosts), tc.env)
			if diags.HasError() {
				t.Fatalf("resolveConfig: %v", diags)
			}
			if diff := cmp.Diff(tc.want, r.configs); diff != "" {
				t.Errorf("configs (-want +got):\n%s", diff)
			}
			if !r.namesKnown || len(r.deferred) != 0 {
				t.Errorf("namesKnown = %v, deferred = %v; want true, none", r.namesKnown, r.deferred)
			}
		})
	}
}

func TestResolveConfigJumpHosts(t *testing.T) {
	k := newTestKey(t)
	hosts := map[string]hostModel{
		"f0": {Address: str("f0.lan"), HostKey: str(k.PublicKey)},
		"f1": {Address: str("f1.lan"), HostKey: str(k.PublicKey), JumpHost: str("f0")},
		"f2": {Address: str("f2.lan"), HostKey: str(k.PublicKey), JumpHost: str("f1")},
	}
	r, diags := resolveConfig(context.Background(), testModel(t, nil, hosts), mapEnv{})
	if diags.HasError() {
		t.Fatal(diags)
	}
	f0 := host.Config{Name: "f0", Address: "f0.lan", User: "root", HostKey: k.PublicKey}
	f1 := host.Config{Name: "f1", Address: "f1.lan", User: "root", HostKey: k.PublicKey, Jump: &f0}
	f2 := host.Config{Name: "f2", Address: "f2.lan", User: "root", HostKey: k.PublicKey, Jump: &f1}
	if diff := cmp.Diff([]host.Config{f0, f1, f2}, r.configs); diff != "" {
		t.Errorf("configs (-want +got):\n%s", diff)
	}
}

func TestResolveConfigDeferred(t *testing.T) {
	k := newTestKey(t)
	ctx := context.Background()
	known := hostModel{Address: str("f0.lan"), HostKey: str(k.PublicKey)}

	t.Run("unknown address defers the host and those behind it", func(t *testing.T) {
		m := testModel(t, nil, map[string]hostModel{
			"f0": known,
			"f1": {Address: types.StringUnknown(), HostKey: str(k.PublicKey)},
			"f2": {Address: str("f2.lan"), HostKey: str(k.PublicKey), JumpHost: str("f1")},
		})
		r, diags := resolveConfig(ctx, m, mapEnv{})
		if diags.HasError() {
			t.Fatal(diags)
		}
		if diff := cmp.Diff([]string{"f0", "f1", "f2"}, r.names); diff != "" {
			t.Errorf("names (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"f1", "f2"}, r.deferredNames()); diff != "" {
			t.Errorf("deferred (-want +got):\n%s", diff)
		}
		if len(r.configs) != 1 || r.configs[0].Name != "f0" {
			t.Errorf("configs = %v, want only f0", r.configs)
		}
	})

	t.Run("unknown defaults defer every host", func(t *testing.T) {
		m := testModel(t, &connectionModel{User: types.StringUnknown()}, map[string]hostModel{"f0": known})
		r, diags := resolveConfig(ctx, m, mapEnv{})
		if diags.HasError() {
			t.Fatal(diags)
		}
		if diff := cmp.Diff([]string{"f0"}, r.deferredNames()); diff != "" {
			t.Errorf("deferred (-want +got):\n%s", diff)
		}
		if len(r.configs) != 0 {
			t.Errorf("configs = %v, want none", r.configs)
		}
	})

	t.Run("an unknown host entry is deferred", func(t *testing.T) {
		m := testModel(t, nil, nil)
		m.Hosts = types.MapValueMust(types.ObjectType{AttrTypes: hostAttrTypes()}, map[string]attr.Value{
			"f0": types.ObjectUnknown(hostAttrTypes()),
		})
		r, diags := resolveConfig(ctx, m, mapEnv{})
		if diags.HasError() {
			t.Fatal(diags)
		}
		if !r.namesKnown || len(r.deferred) != 1 {
			t.Errorf("namesKnown = %v, deferred = %v; want true, [f0]", r.namesKnown, r.deferred)
		}
	})

	t.Run("unknown hosts leave the names unknown", func(t *testing.T) {
		m := testModel(t, nil, nil)
		m.Hosts = types.MapUnknown(types.ObjectType{AttrTypes: hostAttrTypes()})
		r, diags := resolveConfig(ctx, m, mapEnv{})
		if diags.HasError() {
			t.Fatal(diags)
		}
		if r.namesKnown {
			t.Error("namesKnown = true, want false")
		}
	})
}

func TestResolveConfigErrors(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home) // no ~/.ssh/known_hosts
	k := newTestKey(t)
	notAKey := filepath.Join(home, "not-a-key")
	if err := os.WriteFile(notAKey, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		env      mapEnv
		defaults *connectionModel
		hosts    map[string]hostModel
		want     string // summary
		wantPath string
	}{
		{
			name:     "key file that is not a key",
			defaults: &connectionModel{PrivateKeyFile: str(notAKey)},
			hosts:    map[string]hostModel{"f0": {Address: str("f0.lan"), HostKey: str(k.PublicKey)}},
			want:     "Unable to Read Private Key File",
			wantPath: `defaults.private_key_file`,
		},
		{
			name:     "no known_hosts file",
			hosts:    map[string]hostModel{"f0": {Address: str("f0.lan")}},
			want:     "No Host Key Verification",
			wantPath: `hosts["f0"]`,
		},
		{
			name:     "known_hosts from the environment missing",
			env:      mapEnv{envKnownHosts: filepath.Join(home, "missing")},
			hosts:    map[string]hostModel{"f0": {Address: str("f0.lan")}},
			want:     "No Host Key Verification",
			wantPath: `hosts["f0"]`,
		},
		{
			name: "jump host cycle",
			hosts: map[string]hostModel{
				"f0": {Address: str("f0.lan"), HostKey: str(k.PublicKey), JumpHost: str("f1")},
				"f1": {Address: str("f1.lan"), HostKey: str(k.PublicKey), JumpHost: str("f0")},
			},
			want:     "Jump Host Cycle",
			wantPath: `hosts["f0"].jump_host`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := resolveConfig(context.Background(), testModel(t, tc.defaults, tc.hosts), tc.env)
			if diags.ErrorsCount() != 1 {
				t.Fatalf("got %d errors, want 1: %v", diags.ErrorsCount(), diags)
			}
			d := diags.Errors()[0]
			if d.Summary() != tc.want {
				t.Errorf("summary = %q, want %q", d.Summary(), tc.want)
			}
			if got := diagPath(d); got != tc.wantPath {
				t.Errorf("path = %q, want %q", got, tc.wantPath)
			}
		})
	}
}
