package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zrepl"
)

// The f3s_zrepl_config schema mirrors zrepl.yml: every nested attribute has
// zrepl's key name, so zrepl's documentation reads straight into HCL. The
// jobs are blocks per kind (push_job, sink_job, ...), which lets the schema
// itself require each kind's fields; a transport or rule is an object whose
// `type` selects the kind, as in zrepl, and ValidateConfig refuses fields
// that do not belong to it.

const zreplSummary = "Invalid zrepl Configuration"

func zreplCheck(desc string, check func(string) error) validator.String {
	return domainValidator(zreplSummary, desc, check)
}

func oneOfText(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}

func zOneOf(values []string) validator.String {
	return zreplCheck("must be one of "+strings.Join(values, ", "), zrepl.OneOf(values))
}

func zStr(desc string, required bool, v validator.String) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Required: required, Optional: !required,
		Validators: []validator.String{v}}
}

func zEnum(desc string, required bool, values []string) schema.StringAttribute {
	return zStr(desc+" One of "+oneOfText(values)+".", required, zOneOf(values))
}

func zBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{MarkdownDescription: desc, Optional: true}
}

func zStrings(desc string, v validator.String) schema.ListAttribute {
	return schema.ListAttribute{MarkdownDescription: desc, ElementType: types.StringType, Optional: true,
		Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(v)}}
}

func zSingle(desc string, required bool, attrs map[string]schema.Attribute) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{MarkdownDescription: desc, Required: required, Optional: !required, Attributes: attrs}
}

func zList(desc string, required bool, attrs map[string]schema.Attribute) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{MarkdownDescription: desc, Required: required, Optional: !required,
		NestedObject: schema.NestedAttributeObject{Attributes: attrs},
		Validators:   []validator.List{listvalidator.SizeAtLeast(1)}}
}

var (
	zHostPort  = zreplCheck("must be HOST:PORT", zrepl.ValidateHostPort)
	zAbsPath   = zreplCheck("must be an absolute path", zrepl.ValidateAbsolutePath)
	zDuration  = zreplCheck("must be a duration such as 10s", zrepl.ValidateDuration)
	zPosDur    = zreplCheck("must be a positive duration such as 10s", zrepl.ValidatePositiveDuration)
	zNotEmpty  = zreplCheck("must not be empty", zrepl.ValidateNotEmpty)
	zIdentity  = zreplCheck("must be a client identity (a dataset name component)", zrepl.ValidateClientIdentity)
	zRegex     = zreplCheck("must be a regular expression", zrepl.ValidateRegex)
	zDataSize  = zreplCheck("must be a size such as 23.5 MiB", zrepl.ValidateDataSize)
	zFilterKey = zreplCheck("must be a dataset name, optionally followed by <", zrepl.ValidateFilesystemFilter)
)

func zreplFilesystemsAttribute(desc string, required bool) schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: desc + " A map from filter to `true` (include) or `false` (exclude): a dataset name " +
			"(`\"zdata/enc/nfsdata\"`), a dataset name followed by `<` for it and everything below it " +
			"(`\"zroot/bhyve<\"`), or `\"<\"` for every dataset; the most specific filter wins.",
		ElementType: types.BoolType, Required: required, Optional: !required,
		Validators: []validator.Map{mapvalidator.SizeAtLeast(1), mapvalidator.KeysAre(zFilterKey)},
	}
}

func zreplConnectAttribute() schema.SingleNestedAttribute {
	return zSingle("How this job reaches the passive side (`connect`); `type` selects the transport and its fields. "+
		"The article's: `{ type = \"tcp\", address = \"192.168.2.131:8888\" }`.", true, map[string]schema.Attribute{
		"type":            zEnum("The transport.", true, zrepl.ConnectTypes()),
		"address":         zStr("`tcp`, `tls`: the passive side's `HOST:PORT`.", false, zHostPort),
		"ca":              zStr("`tls`: path of the CA certificate that signed the server's certificate.", false, zAbsPath),
		"cert":            zStr("`tls`: path of this client's certificate.", false, zAbsPath),
		"key":             zStr("`tls`: path of this client's private key (the path only: the key stays on the host).", false, zAbsPath),
		"server_cn":       zStr("`tls`: the common name the server's certificate must carry.", false, zNotEmpty),
		"host":            zStr("`ssh+stdinserver`: the SSH server.", false, zNotEmpty),
		"user":            zStr("`ssh+stdinserver`: the SSH user.", false, zNotEmpty),
		"port":            schema.Int64Attribute{MarkdownDescription: "`ssh+stdinserver`: the SSH port.", Optional: true, Validators: []validator.Int64{int64validator.Between(1, 65535)}},
		"identity_file":   zStr("`ssh+stdinserver`: path of the SSH private key.", false, zAbsPath),
		"options":         zStrings("`ssh+stdinserver`: extra `ssh -o` options (`Compression=yes`).", zNotEmpty),
		"listener_name":   zStr("`local`: the `listener_name` of a `local` serve in this configuration.", false, zNotEmpty),
		"client_identity": zStr("`local`: the identity this job presents.", false, zIdentity),
		"dial_timeout":    zStr("Connection timeout, a duration (`10s`; zrepl's default is 10s, 2s for `local`).", false, zDuration),
	})
}

func zreplServeAttribute() schema.SingleNestedAttribute {
	return zSingle("How this job listens for the active side (`serve`); `type` selects the transport and its fields. "+
		"The article's: `{ type = \"tcp\", listen = \"192.168.2.131:8888\", clients = { \"192.168.2.130\" = \"f0\" } }`.",
		true, map[string]schema.Attribute{
			"type":            zEnum("The transport.", true, zrepl.ServeTypes()),
			"listen":          zStr("`tcp`, `tls`: the `HOST:PORT` to listen on (`:8888` for every address).", false, zHostPort),
			"listen_freebind": zBool("`tcp`, `tls`: listen even before the address is configured (`IP_FREEBIND`)."),
			"clients": schema.MapAttribute{
				MarkdownDescription: "`tcp`: client IP address or CIDR network to client identity. A sink receives a " +
					"client's datasets under `root_fs/<identity>/...`, so two addresses may not share one identity.",
				ElementType: types.StringType, Optional: true,
				Validators: []validator.Map{mapvalidator.SizeAtLeast(1),
					mapvalidator.KeysAre(zreplCheck("must be an IP address or CIDR network", zrepl.ValidateClientAddress)),
					mapvalidator.ValueStringsAre(zIdentity)},
			},
			"ca":                zStr("`tls`: path of the CA certificate that signed the clients' certificates.", false, zAbsPath),
			"cert":              zStr("`tls`: path of this server's certificate.", false, zAbsPath),
			"key":               zStr("`tls`: path of this server's private key (the path only).", false, zAbsPath),
			"client_cns":        zStrings("`tls`: the accepted client certificate common names; each is also the client's identity.", zIdentity),
			"handshake_timeout": zStr("`tls`: TLS handshake timeout, a duration (`10s`).", false, zDuration),
			"client_identities": zStrings("`stdinserver`: the client identities accepted over SSH.", zIdentity),
			"listener_name":     zStr("`local`: the name `local` connects use.", false, zNotEmpty),
		})
}

func zreplBandwidthAttribute() schema.SingleNestedAttribute {
	return zSingle("Bandwidth limit.", false, map[string]schema.Attribute{
		"max":             zStr("Maximum rate per second, in zrepl's units (`23.5 MiB`, `100 Mb`; `-1 B` is unlimited).", true, zDataSize),
		"bucket_capacity": zStr("Token bucket size (zrepl's default `128 KiB`).", false, zDataSize),
	})
}

var zreplSendFlags = []struct{ name, desc string }{
	{"raw", "Raw sends (`zfs send -w`) for unencrypted datasets too."},
	{"send_properties", "Send properties (`zfs send -p`)."},
	{"backup_properties", "Send properties as in a backup (`zfs send -b`)."},
	{"large_blocks", "Large blocks (`zfs send -L`)."},
	{"compressed", "Compressed blocks as stored (`zfs send -c`)."},
	{"embedded_data", "Embedded data blocks (`zfs send -e`)."},
	{"saved", "Send a partially received dataset (`zfs send -S`)."},
}

var zreplBandwidthTypes = map[string]attr.Type{"max": types.StringType, "bucket_capacity": types.StringType}

func zreplSendAttrTypes() map[string]attr.Type {
	t := map[string]attr.Type{"encrypted": types.BoolType, "bandwidth_limit": types.ObjectType{AttrTypes: zreplBandwidthTypes}}
	for _, f := range zreplSendFlags {
		t[f.name] = types.BoolType
	}
	return t
}

// zreplSendDefault is what an omitted send block means: encrypted, raw
// sends. zrepl's own default is false; the errata of the article's spec ask
// for the safe one, which also keeps the standby copy encrypted at rest.
func zreplSendDefault() types.Object {
	attrTypes := zreplSendAttrTypes()
	vals := map[string]attr.Value{}
	for name := range attrTypes {
		switch name {
		case "encrypted":
			vals[name] = types.BoolValue(true)
		case "bandwidth_limit":
			vals[name] = types.ObjectNull(zreplBandwidthTypes)
		default:
			vals[name] = types.BoolNull()
		}
	}
	return types.ObjectValueMust(attrTypes, vals)
}

func zreplSendAttribute() schema.SingleNestedAttribute {
	attrs := map[string]schema.Attribute{
		"encrypted": schema.BoolAttribute{
			MarkdownDescription: "Send encrypted datasets raw (`zfs send -w`): the stream and the received copy stay " +
				"encrypted with the source's key, and an unencrypted dataset is refused. Defaults to `true` here " +
				"(zrepl's own default is `false`); set `false` to send decrypted data.",
			Optional: true, Computed: true, Default: booldefault.StaticBool(true),
		},
		"bandwidth_limit": zreplBandwidthAttribute(),
	}
	for _, f := range zreplSendFlags {
		attrs[f.name] = zBool(f.desc)
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: "`zfs send` options. Omitted, it is `{ encrypted = true }`.",
		Optional:            true, Computed: true, Attributes: attrs,
		Default: objectdefault.StaticValue(zreplSendDefault()),
	}
}

func zreplRecvAttribute() schema.SingleNestedAttribute {
	return zSingle("`zfs receive` options.", false, map[string]schema.Attribute{
		"placeholder": zSingle("The placeholder datasets zrepl creates for missing parents of a received dataset.", false,
			map[string]schema.Attribute{
				"encryption": zEnum("`inherit` (from the parent, as the article), `off`, or `unspecified` (zrepl's "+
					"default: refuse when it matters).", false, zrepl.PlaceholderEncryptions()),
			}),
		"properties": zSingle("Properties of received datasets.", false, map[string]schema.Attribute{
			"inherit": zStrings("Properties to inherit instead of receiving (`zfs receive -x`).",
				zreplCheck("must be a ZFS property name", zrepl.ValidatePropertyName)),
			"override": schema.MapAttribute{
				MarkdownDescription: "Properties to set on receive (`zfs receive -o`), such as `{ canmount = \"off\" }`.",
				ElementType:         types.StringType, Optional: true,
				Validators: []validator.Map{mapvalidator.SizeAtLeast(1),
					mapvalidator.KeysAre(zreplCheck("must be a ZFS property name", zrepl.ValidatePropertyName))},
			},
		}),
		"bandwidth_limit": zreplBandwidthAttribute(),
	})
}

func zreplSnapshottingAttribute() schema.SingleNestedAttribute {
	return zSingle("How snapshots are taken. The article's: `{ type = \"periodic\", prefix = \"zrepl_\", interval = \"1m\" }`.",
		true, map[string]schema.Attribute{
			"type": zEnum("`periodic` (every `interval`), `cron` (at `cron` times) or `manual` (zrepl takes none).",
				true, zrepl.SnapshottingTypes()),
			"prefix": zStr("`periodic`, `cron`: the snapshot name prefix; the name is the prefix and the UTC time "+
				"(`zrepl_20250701_193148_000`).", false, zreplCheck("must be a snapshot name prefix", zrepl.ValidatePrefix)),
			"interval": zStr("`periodic`: a duration in zrepl's syntax, a number and a unit `s`, `m`, `h`, `d` or `w` "+
				"(`1m`, `10m`, `1d`).", false, zreplCheck("must be a duration such as 10m", zrepl.ValidateInterval)),
			"cron": zStr("`cron`: five fields (minute hour day-of-month month day-of-week), six with seconds, or "+
				"`@daily` and the like.", false, zreplCheck("must be a cron spec", zrepl.ValidateCron)),
			"timestamp_format": zStr("`periodic`, `cron`: the name's time suffix: "+oneOfText(zrepl.TimestampFormats())+
				" (zrepl's default `dense`, `20060102_150405_000`) or a Go time layout.", false,
				zreplCheck("must not be empty", zrepl.ValidateTimestampFormat)),
			"hooks": zList("`periodic`, `cron`: commands run before and after each snapshot.", false, map[string]schema.Attribute{
				"type":         zEnum("The hook kind. Database hooks (whose DSN holds a password) are not supported.", true, zrepl.HookTypes()),
				"path":         zStr("Absolute path of the program to run.", true, zAbsPath),
				"timeout":      zStr("Kill the hook after this duration (zrepl's default `30s`).", false, zPosDur),
				"err_is_fatal": zBool("Skip the snapshot when the pre-snapshot hook fails."),
				"filesystems":  zreplFilesystemsAttribute("Datasets the hook runs for (all of the job's by default).", false),
			}),
		})
}

func zreplKeepRules(desc string) schema.ListNestedAttribute {
	return zList(desc+" A snapshot that no rule keeps is destroyed.", true, map[string]schema.Attribute{
		"type": zEnum("`not_replicated` (snapshots not yet replicated), `last_n` (the newest `count`), `grid` "+
			"(a thinning time grid) or `regex` (names matching `regex`).", true, zrepl.KeepRuleTypes()),
		"count": schema.Int64Attribute{MarkdownDescription: "`last_n`: how many of the newest snapshots to keep.",
			Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}},
		"grid": zStr("`grid`: buckets such as `1x1h(keep=all) | 24x1h | 14x1d`.", false,
			zreplCheck("must be a retention grid such as 24x1h | 14x1d", zrepl.ValidateGrid)),
		"regex":                   zStr("`last_n` (optional), `grid`, `regex`: only snapshots whose name matches count.", false, zRegex),
		"negate":                  zBool("`regex`: keep the snapshots that do not match."),
		"keep_snapshot_at_cursor": zBool("`not_replicated`: also keep the last replicated snapshot (zrepl's default `true`)."),
	})
}

func zreplPruningSRAttribute() schema.SingleNestedAttribute {
	return zSingle("Which snapshots to keep; the rest are destroyed after each replication. The article keeps "+
		"`[{ type = \"last_n\", count = 10 }]` on both sides.", true, map[string]schema.Attribute{
		"keep_sender":   zreplKeepRules("Rules for the sending side."),
		"keep_receiver": zreplKeepRules("Rules for the receiving side."),
	})
}

func zreplReplicationAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"replication": zSingle("Replication guarantees and parallelism.", false, map[string]schema.Attribute{
			"protection": zSingle("Holds and bookmarks that keep sender and receiver in step.", false, map[string]schema.Attribute{
				"initial":     zEnum("For initial replication (zrepl's default `guarantee_resumability`).", false, zrepl.Protections()),
				"incremental": zEnum("For incremental replication (zrepl's default `guarantee_resumability`).", false, zrepl.Protections()),
			}),
			"concurrency": zSingle("Parallelism.", false, map[string]schema.Attribute{
				"steps": schema.Int64Attribute{MarkdownDescription: "Replication steps at once (zrepl's default 1).",
					Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}},
				"size_estimates": schema.Int64Attribute{MarkdownDescription: "Size estimates at once (zrepl's default 4).",
					Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}},
			}),
		}),
		"conflict_resolution": zSingle("What the first replication of a dataset sends.", false, map[string]schema.Attribute{
			"initial_replication": zEnum("`most_recent` (zrepl's default), `all` snapshots, or `fail`.", false,
				zrepl.InitialReplications()),
		}),
	}
}

func zreplNameAttribute() schema.StringAttribute {
	return zStr("The job's name, unique in the file: zrepl uses it in hold and bookmark names and `zrepl signal "+
		"wakeup` takes it. Letters, digits and `_ - . :`, not starting with `_` or `-`.", true,
		zreplCheck("must be a zrepl job name", zrepl.ValidateJobName))
}

func zreplRootFSAttribute(desc string) schema.StringAttribute {
	return zStr(desc, true, zreplCheck("must be a ZFS dataset name", zrepl.ValidateDataset))
}

func zreplJobBlocks() map[string]schema.Block {
	block := func(desc string, attrs map[string]schema.Attribute) schema.ListNestedBlock {
		return schema.ListNestedBlock{MarkdownDescription: desc, NestedObject: schema.NestedBlockObject{Attributes: attrs}}
	}
	push := map[string]schema.Attribute{
		"name":         zreplNameAttribute(),
		"connect":      zreplConnectAttribute(),
		"filesystems":  zreplFilesystemsAttribute("The datasets to snapshot and push.", true),
		"send":         zreplSendAttribute(),
		"snapshotting": zreplSnapshottingAttribute(),
		"pruning":      zreplPruningSRAttribute(),
	}
	pull := map[string]schema.Attribute{
		"name":    zreplNameAttribute(),
		"connect": zreplConnectAttribute(),
		"recv":    zreplRecvAttribute(),
		"root_fs": zreplRootFSAttribute("Where received datasets go: `root_fs/<source path>`."),
		"interval": zStr("How often to pull: a duration (`10m`) or `manual` (only on `zrepl signal wakeup`).", true,
			zreplCheck("must be manual or a duration such as 10m", zrepl.ValidatePullInterval)),
		"pruning": zreplPruningSRAttribute(),
	}
	for name, a := range zreplReplicationAttributes() {
		push[name], pull[name] = a, a
	}
	return map[string]schema.Block{
		"push_job": block("A `push` job: snapshots `filesystems` and sends them to a `sink` job.", push),
		"sink_job": block("A `sink` job: receives what `push` jobs send, under `root_fs/<client identity>/<source path>`.",
			map[string]schema.Attribute{
				"name":    zreplNameAttribute(),
				"serve":   zreplServeAttribute(),
				"recv":    zreplRecvAttribute(),
				"root_fs": zreplRootFSAttribute("Where received datasets go: `root_fs/<client identity>/<source path>` (`zdata/sink`)."),
			}),
		"pull_job": block("A `pull` job: fetches from a `source` job every `interval`.", pull),
		"source_job": block("A `source` job: snapshots `filesystems` and serves them to `pull` jobs.",
			map[string]schema.Attribute{
				"name":         zreplNameAttribute(),
				"serve":        zreplServeAttribute(),
				"filesystems":  zreplFilesystemsAttribute("The datasets to snapshot and serve.", true),
				"send":         zreplSendAttribute(),
				"snapshotting": zreplSnapshottingAttribute(),
			}),
		"snap_job": block("A `snap` job: snapshots and prunes locally, without replication.",
			map[string]schema.Attribute{
				"name":         zreplNameAttribute(),
				"filesystems":  zreplFilesystemsAttribute("The datasets to snapshot.", true),
				"snapshotting": zreplSnapshottingAttribute(),
				"pruning": zSingle("Which snapshots to keep.", true, map[string]schema.Attribute{
					"keep": zreplKeepRules("Rules."),
				}),
			}),
	}
}

func zreplGlobalAttribute() schema.SingleNestedAttribute {
	return zSingle("The `global` section. Omitted, zrepl logs to stdout at level `warn`.", false, map[string]schema.Attribute{
		"logging": zList("Logging outlets; the article's is `[{ type = \"stdout\", level = \"info\", format = \"human\" }]` "+
			"(the port's rc.d script hands stdout to syslog).", false, map[string]schema.Attribute{
			"type":           zEnum("The outlet.", true, zrepl.LoggingTypes()),
			"level":          zEnum("Minimum level.", true, zrepl.LogLevels()),
			"format":         zEnum("Format.", true, zrepl.LogFormats()),
			"time":           zBool("`stdout`: print the time (zrepl's default `true`)."),
			"color":          zBool("`stdout`: color on a terminal (zrepl's default `true`)."),
			"facility":       zEnum("`syslog`: the facility (zrepl's default `local0`).", false, zrepl.SyslogFacilities()),
			"address":        zStr("`tcp`: the log server's `HOST:PORT`.", false, zHostPort),
			"net":            zEnum("`tcp`: the network (zrepl's default `tcp`).", false, zrepl.LogNets()),
			"retry_interval": zStr("`syslog`, `tcp`: pause between reconnection attempts, a duration (`10s`).", false, zPosDur),
			"tls": zSingle("`tcp`: client authentication (paths on the host).", false, map[string]schema.Attribute{
				"ca":   zStr("Path of the CA certificate.", true, zAbsPath),
				"cert": zStr("Path of the client certificate.", true, zAbsPath),
				"key":  zStr("Path of the client key.", true, zAbsPath),
			}),
		}),
		"monitoring": zList("Monitoring endpoints.", false, map[string]schema.Attribute{
			"type":            zEnum("The endpoint.", true, zrepl.MonitoringTypes()),
			"listen":          zStr("The `HOST:PORT` of the Prometheus exporter (`:9811`).", true, zHostPort),
			"listen_freebind": zBool("Listen before the address is configured."),
		}),
	})
}
