package provider

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zrepl"
)

// zreplEveryOption uses every attribute of the schema, jobs grouped by kind
// in the order the model renders them.
const zreplEveryOption = `global:
  logging:
    - type: stdout
      level: warn
      format: human
      time: false
      color: false
    - type: syslog
      level: info
      format: logfmt
      facility: local0
      retry_interval: 10s
    - type: tcp
      level: debug
      format: json
      address: "logs.example.org:10202"
      net: tcp
      tls:
        ca: "/etc/zrepl/ca.crt"
        cert: "/etc/zrepl/log.crt"
        key: "/etc/zrepl/log.key"
      retry_interval: 30s
  monitoring:
    - type: prometheus
      listen: ":9811"
      listen_freebind: true

jobs:
  - name: push_tls
    type: push
    connect:
      type: tls
      address: "backup.example.org:8888"
      ca: "/etc/zrepl/ca.crt"
      cert: "/etc/zrepl/f0.crt"
      key: "/etc/zrepl/f0.key"
      server_cn: backup
      dial_timeout: 20s
    filesystems:
      "tank/tmp": false
      "tank<": true
    send:
      encrypted: true
      raw: true
      send_properties: true
      backup_properties: false
      large_blocks: true
      compressed: true
      embedded_data: true
      saved: false
      bandwidth_limit:
        max: 23.5 MiB
        bucket_capacity: 10 MiB
    snapshotting:
      type: periodic
      prefix: zrepl_
      interval: 1d
      timestamp_format: iso-8601
      hooks:
        - type: command
          path: "/usr/local/libexec/zrepl/pre.sh"
          timeout: 30s
          err_is_fatal: true
          filesystems:
            "tank/db": true
    pruning:
      keep_sender:
        - type: not_replicated
          keep_snapshot_at_cursor: true
        - type: regex
          regex: "^manual_.*"
          negate: false
        - type: grid
          grid: "1x1h(keep=all) | 24x1h | 14x1d"
          regex: "^zrepl_.*"
      keep_receiver:
        - type: last_n
          count: 10
          regex: "^zrepl_"
    replication:
      protection:
        initial: guarantee_resumability
        incremental: guarantee_incremental
      concurrency:
        steps: 2
        size_estimates: 4
    conflict_resolution:
      initial_replication: all

  - name: push_local
    type: push
    connect:
      type: local
      listener_name: backuppool
      client_identity: local
    filesystems:
      "zroot/var/db": true
    send:
      encrypted: false
    snapshotting:
      type: cron
      prefix: local_
      cron: "0 3 * * *"
    pruning:
      keep_sender:
        - type: not_replicated
      keep_receiver:
        - type: last_n
          count: 48

  - name: sink_tls
    type: sink
    serve:
      type: tls
      listen: ":8888"
      listen_freebind: true
      ca: "/etc/zrepl/ca.crt"
      cert: "/etc/zrepl/backup.crt"
      key: "/etc/zrepl/backup.key"
      client_cns:
        - f0
        - f1
      handshake_timeout: 15s
    recv:
      properties:
        inherit:
          - mountpoint
        override:
          "canmount": "off"
      bandwidth_limit:
        max: 100 Mb
      placeholder:
        encryption: "off"
    root_fs: "backup/sink"

  - name: sink_local
    type: sink
    serve:
      type: local
      listener_name: backuppool
    root_fs: "backuppool/local"

  - name: pull_ssh
    type: pull
    connect:
      type: ssh+stdinserver
      host: prod.example.org
      user: root
      port: 22
      identity_file: "/etc/zrepl/ssh/identity"
      options:
        - Compression=yes
      dial_timeout: 10s
    recv:
      placeholder:
        encryption: unspecified
    root_fs: "backup/prod"
    interval: manual
    pruning:
      keep_sender:
        - type: regex
          regex: ".*"
      keep_receiver:
        - type: grid
          grid: "1x1h(keep=all) | 24x1h | 35x1d | 6x30d"
          regex: "^zrepl_"

  - name: source_stdin
    type: source
    serve:
      type: stdinserver
      client_identities:
        - backup
    filesystems:
      "<": true
    send:
      encrypted: true
    snapshotting:
      type: manual

  - name: snap_manual
    type: snap
    filesystems:
      "zroot/usr/home<": true
    snapshotting:
      type: periodic
      prefix: snap_
      interval: 15m
    pruning:
      keep:
        - type: last_n
          count: 7
`

// Every attribute survives the trip file -> model -> Terraform state ->
// model -> file, which exercises the schema's types and the model's tags.
func TestZreplConfigModelRoundTrip(t *testing.T) {
	ctx := context.Background()
	cfg, err := zrepl.Parse([]byte(zreplEveryOption))
	if err != nil {
		t.Fatal(err)
	}
	var sr resource.SchemaResponse
	NewZreplConfigResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		t.Fatal(sr.Diagnostics)
	}
	if diags := sr.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatal(diags)
	}
	state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
	in := zreplConfigModel{}
	in.setFromDomain(cfg)
	if diags := state.Set(ctx, &in); diags.HasError() {
		t.Fatal(diags)
	}
	var out zreplConfigModel
	if diags := state.Get(ctx, &out); diags.HasError() {
		t.Fatal(diags)
	}
	back, _ := out.toDomain()
	got, err := zrepl.Render(back)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(zreplEveryOption, string(got)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// A file without a send section means zrepl's unencrypted send, which the
// schema's default (encrypted) then shows as a change.
func TestZreplSendFromDomain(t *testing.T) {
	for _, tt := range []struct {
		name string
		send *zrepl.SendOptions
		want bool
	}{
		{"no send section", nil, false},
		{"send without encrypted", &zrepl.SendOptions{}, false},
		{"encrypted", &zrepl.SendOptions{Encrypted: new(true)}, true},
	} {
		if got := sendFromDomain(tt.send).Encrypted; got.IsNull() || got.ValueBool() != tt.want {
			t.Errorf("%s: encrypted = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestZreplProblemPath(t *testing.T) {
	refs := []zreplJobRef{{"push_job", 0}, {"push_job", 1}, {"sink_job", 0}}
	tests := []struct {
		in   zrepl.Path
		want path.Path
	}{
		{zrepl.Path{}.Field("jobs").Index(2).Field("serve").Field("clients").Key("10.0.0.1"),
			path.Root("sink_job").AtListIndex(0).AtName("serve").AtName("clients").AtMapKey("10.0.0.1")},
		{zrepl.Path{}.Field("jobs").Index(1).Field("pruning").Field("keep_sender").Index(3).Field("count"),
			path.Root("push_job").AtListIndex(1).AtName("pruning").AtName("keep_sender").AtListIndex(3).AtName("count")},
		{zrepl.Path{}.Field("global").Field("logging").Index(0).Field("level"),
			path.Root("global").AtName("logging").AtListIndex(0).AtName("level")},
		{zrepl.Path{}.Field("jobs").Index(7), path.Empty()},
		{nil, path.Empty()},
	}
	for _, tt := range tests {
		if got := zreplProblemPath(tt.in, refs); !got.Equal(tt.want) {
			t.Errorf("%s -> %s, want %s", tt.in, got, tt.want)
		}
	}
}

// Every attribute of the zrepl resources says what it is.
func TestZreplSchemasDescribed(t *testing.T) {
	ctx := context.Background()
	var walk func(at string, attrs map[string]rschema.Attribute)
	walk = func(at string, attrs map[string]rschema.Attribute) {
		for name, a := range attrs {
			if a.GetMarkdownDescription() == "" {
				t.Errorf("%s%s has no description", at, name)
			}
			switch n := a.(type) {
			case rschema.SingleNestedAttribute:
				walk(at+name+".", n.Attributes)
			case rschema.ListNestedAttribute:
				walk(at+name+"[].", n.NestedObject.Attributes)
			}
		}
	}
	for _, r := range []resource.Resource{NewZreplConfigResource(), NewZreplWakeupResource()} {
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		walk("", sr.Schema.Attributes)
		for name, b := range sr.Schema.Blocks {
			lb, ok := b.(rschema.ListNestedBlock)
			if !ok || lb.MarkdownDescription == "" {
				t.Errorf("block %s has no description", name)
				continue
			}
			walk(name+"[].", lb.NestedObject.Attributes)
		}
	}
	var dr datasource.SchemaResponse
	NewZreplStatusDataSource().Schema(ctx, datasource.SchemaRequest{}, &dr)
	var dwalk func(at string, attrs map[string]dschema.Attribute)
	dwalk = func(at string, attrs map[string]dschema.Attribute) {
		for name, a := range attrs {
			if a.GetMarkdownDescription() == "" {
				t.Errorf("data source %s%s has no description", at, name)
			}
			if n, ok := a.(dschema.ListNestedAttribute); ok {
				dwalk(at+name+"[].", n.NestedObject.Attributes)
			}
		}
	}
	dwalk("", dr.Schema.Attributes)
}
