package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestModelCodecMatchesTheFramework: the codec makes the values the
// framework's Set makes, and reads them back as its Get does, for known,
// null and unknown attributes.
func TestModelCodecMatchesTheFramework(t *testing.T) {
	ctx := context.Background()
	var sr resource.SchemaResponse
	NewZFSDatasetResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	models := map[string]zfsDatasetResourceModel{
		"zero": {Properties: types.MapNull(types.StringType)},
		"known": {
			ID: types.StringValue("f0:zdata/enc"), Host: types.StringValue("f0"), Name: types.StringValue("zdata/enc"),
			Type: types.StringValue("filesystem"), Volsize: types.StringNull(),
			Properties: types.MapValueMust(types.StringType, map[string]attr.Value{
				"compression": types.StringValue("lz4"), "com.example:owner": types.StringValue(""),
			}),
			Mountpoint: types.StringValue("/data/enc"), Encryption: types.StringValue("on"), KeyFormat: types.StringValue("raw"),
			KeyLocation: types.StringValue("file:///k"), SourceSnapshot: types.StringNull(), SourceRaw: types.BoolValue(true),
			ForceDestroy: types.BoolValue(false), EncryptionRoot: types.StringNull(), KeyStatus: types.StringValue("available"),
			Mounted: types.BoolValue(true), Used: types.Int64Value(9007199254740993), Available: types.Int64Value(-1),
		},
		"unknown": {
			ID: types.StringUnknown(), Host: types.StringValue("f0"), Name: types.StringValue("zdata/x"),
			Type: types.StringUnknown(), Volsize: types.StringUnknown(), Properties: types.MapUnknown(types.StringType),
			Mountpoint: types.StringUnknown(), Encryption: types.StringUnknown(), KeyFormat: types.StringUnknown(),
			KeyLocation: types.StringUnknown(), SourceSnapshot: types.StringUnknown(), SourceRaw: types.BoolUnknown(),
			ForceDestroy: types.BoolUnknown(), EncryptionRoot: types.StringUnknown(), KeyStatus: types.StringUnknown(),
			Mounted: types.BoolUnknown(), Used: types.Int64Unknown(), Available: types.Int64Unknown(),
		},
		"unknown element": {
			Properties: types.MapValueMust(types.StringType, map[string]attr.Value{"quota": types.StringUnknown(), "atime": types.StringNull()}),
		},
		"empty map": {Properties: types.MapValueMust(types.StringType, map[string]attr.Value{})},
	}
	for name, m := range models {
		t.Run(name, func(t *testing.T) {
			want := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}
			if diags := want.Set(ctx, &m); diags.HasError() {
				t.Fatalf("framework Set: %v", diags)
			}
			got := tftypes.NewValue(typ, nil)
			if diags := zfsDatasetCodec.set(&m, &got); diags.HasError() {
				t.Fatalf("codec set: %v", diags)
			}
			if !got.Equal(want.Raw) {
				t.Fatalf("codec value\n%s\nframework value\n%s", got, want.Raw)
			}
			var fromFramework, fromCodec zfsDatasetResourceModel
			if diags := want.Get(ctx, &fromFramework); diags.HasError() {
				t.Fatalf("framework Get: %v", diags)
			}
			if diags := zfsDatasetCodec.get(want.Raw, &fromCodec); diags.HasError() {
				t.Fatalf("codec get: %v", diags)
			}
			a, _ := zfsDatasetCodec.encode(&fromFramework, typ)
			b, _ := zfsDatasetCodec.encode(&fromCodec, typ)
			if !a.Equal(b) || !fromCodec.Properties.Equal(fromFramework.Properties) || !fromCodec.Used.Equal(fromFramework.Used) {
				t.Errorf("codec get %+v, framework Get %+v", fromCodec, fromFramework)
			}
		})
	}
}

func TestModelCodecRefusesAnotherShape(t *testing.T) {
	other := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}
	var m zfsDatasetResourceModel
	if diags := zfsDatasetCodec.get(tftypes.NewValue(other, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "x")}), &m); !diags.HasError() {
		t.Error("decoding an object of another shape: no error")
	}
	if _, err := zfsDatasetCodec.encode(&m, other); err == nil {
		t.Error("encoding to another shape: no error")
	}
}
