package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

func TestCheckHostName(t *testing.T) {
	configured := &providerData{names: []string{"f0", "f1"}, namesKnown: true}
	tests := []struct {
		name string
		data *providerData
		host types.String
		want string // detail; "" for no error
	}{
		{"configured", configured, str("f1"), ""},
		{"not configured", configured, str("f9"), `Host "f9" is not configured in the f3s provider block. Configured hosts: f0, f1.`},
		{"no hosts at all", &providerData{namesKnown: true}, str("f0"), `Host "f0" is not configured in the f3s provider block. No hosts are configured: add them to hosts in the provider block.`},
		{"name unknown", configured, types.StringUnknown(), ""},
		{"hosts unknown", &providerData{}, str("f9"), ""},
		{"provider not configured yet", nil, str("f9"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := tc.data.checkHostName(tc.host, path.Root("host"))
			switch {
			case tc.want == "" && diags.HasError():
				t.Errorf("unexpected error: %v", diags)
			case tc.want != "" && !diags.HasError():
				t.Errorf("no error, want %q", tc.want)
			case tc.want != "":
				d := diags.Errors()[0]
				if d.Summary() != "Unknown Host" || d.Detail() != tc.want || diagPath(d) != "host" {
					t.Errorf("got %q / %q at %q, want Unknown Host / %q at host", d.Summary(), d.Detail(), diagPath(d), tc.want)
				}
			}
		})
	}
}

func TestProviderDataTarget(t *testing.T) {
	k := newTestKey(t)
	pool, err := host.NewPool([]host.Config{{Name: "f0", Address: "127.0.0.1", User: "paul", PrivateKey: []byte(k.PEM), HostKey: k.PublicKey}}, host.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pool.Close() })
	data := &providerData{pool: pool, names: []string{"f0", "f1"}, namesKnown: true,
		deferred: map[string]string{"f1": `hosts["f1"].address is not known until apply`}}

	tests := []struct {
		name string
		data *providerData
		host string
		want string // summary; "" for success
	}{
		{"configured", data, "f0", ""},
		{"deferred", data, "f1", "Host Configuration Not Known"},
		{"not configured", data, "f9", "Unknown Host"},
		{"provider not configured", nil, "f0", "Provider Not Configured"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target, diags := tc.data.target(tc.host)
			if tc.want == "" {
				if diags.HasError() || target == nil || target.Name() != tc.host {
					t.Fatalf("target = %v, diags = %v", target, diags)
				}
				return
			}
			if !diags.HasError() || diags.Errors()[0].Summary() != tc.want {
				t.Errorf("diags = %v, want %q", diags, tc.want)
			}
		})
	}
}

func TestConfigureProviderData(t *testing.T) {
	if d, diags := configureProviderData(nil); d != nil || diags.HasError() {
		t.Errorf("nil provider data: got %v, %v; want nil, no error", d, diags)
	}
	if _, diags := configureProviderData("wrong"); !diags.HasError() || diags.Errors()[0].Summary() != "Unexpected Provider Data" {
		t.Errorf("wrong type: diags = %v", diags)
	}
	want := &providerData{}
	if d, diags := configureProviderData(want); d != want || diags.HasError() {
		t.Errorf("got %v, %v; want the same pointer", d, diags)
	}
}
