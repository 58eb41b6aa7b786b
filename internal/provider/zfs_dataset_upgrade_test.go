package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestZFSDatasetStateWithAllProperties: a state written by a version that
// kept all_properties loads without an upgrader: the framework drops the
// attribute the schema no longer has and keeps the rest.
func TestZFSDatasetStateWithAllProperties(t *testing.T) {
	old := map[string]any{
		"id": "f0:zdata/enc", "host": "f0", "name": "zdata/enc", "type": "filesystem", "volsize": nil,
		"properties": map[string]string{"compression": "lz4"},
		"mountpoint": "/data/enc", "encryption": "on", "keyformat": "raw",
		"keylocation": "file:///keys/f0.lan.buetow.org:zdata.key", "source_snapshot": nil, "source_raw": nil,
		"force_destroy":   false,
		"all_properties":  map[string]string{"atime": "on", "compression": "lz4", "casesensitivity": "sensitive"},
		"encryption_root": "zdata/enc", "key_status": "available", "mounted": true,
		"used": 204800, "available": 965257318400,
	}
	raw, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	server, err := testProviderFactories[TypeName]()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	resp, err := server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: ZFSDatasetResourceType,
		Version:  0,
		RawState: &tfprotov6.RawState{JSON: raw},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("diagnostic: %s: %s", d.Summary, d.Detail)
	}
	if resp.UpgradedState == nil {
		t.Fatal("no upgraded state")
	}
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schema.ResourceSchemas[ZFSDatasetResourceType].ValueType()
	v, err := resp.UpgradedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	var obj map[string]tftypes.Value
	if err := v.As(&obj); err != nil {
		t.Fatal(err)
	}
	for k := range obj {
		got[k] = true
	}
	if got["all_properties"] {
		t.Error("all_properties is still in the state")
	}
	for _, k := range []string{"name", "properties", "mountpoint", "used", "key_status"} {
		if !got[k] {
			t.Errorf("%s is gone from the state", k)
		}
	}
	var name string
	if err := obj["name"].As(&name); err != nil || name != "zdata/enc" {
		t.Errorf("name = %q, %v", name, err)
	}
}
