package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zrepl"
)

// The model of f3s_zrepl_config: leaves are framework values (null means
// "not in the file"), nested objects are pointers, collections plain Go
// types. Reading into it needs a fully known value: the resource checks
// that first.

type zreplConfigModel struct {
	ID             types.String          `tfsdk:"id"`
	Host           types.String          `tfsdk:"host"`
	Path           types.String          `tfsdk:"path"`
	RestartService types.Bool            `tfsdk:"restart_service"`
	ContentSHA256  types.String          `tfsdk:"content_sha256"`
	ReceivedRoots  types.Map             `tfsdk:"received_roots"`
	Global         *zreplGlobalModel     `tfsdk:"global"`
	PushJobs       []zreplPushJobModel   `tfsdk:"push_job"`
	SinkJobs       []zreplSinkJobModel   `tfsdk:"sink_job"`
	PullJobs       []zreplPullJobModel   `tfsdk:"pull_job"`
	SourceJobs     []zreplSourceJobModel `tfsdk:"source_job"`
	SnapJobs       []zreplSnapJobModel   `tfsdk:"snap_job"`
}

type zreplGlobalModel struct {
	Logging    []zreplOutletModel     `tfsdk:"logging"`
	Monitoring []zreplMonitoringModel `tfsdk:"monitoring"`
}

type zreplOutletModel struct {
	Type          types.String   `tfsdk:"type"`
	Level         types.String   `tfsdk:"level"`
	Format        types.String   `tfsdk:"format"`
	Time          types.Bool     `tfsdk:"time"`
	Color         types.Bool     `tfsdk:"color"`
	Facility      types.String   `tfsdk:"facility"`
	Address       types.String   `tfsdk:"address"`
	Net           types.String   `tfsdk:"net"`
	RetryInterval types.String   `tfsdk:"retry_interval"`
	TLS           *zreplTLSModel `tfsdk:"tls"`
}

type zreplTLSModel struct {
	CA   types.String `tfsdk:"ca"`
	Cert types.String `tfsdk:"cert"`
	Key  types.String `tfsdk:"key"`
}

type zreplMonitoringModel struct {
	Type           types.String `tfsdk:"type"`
	Listen         types.String `tfsdk:"listen"`
	ListenFreebind types.Bool   `tfsdk:"listen_freebind"`
}

type zreplConnectModel struct {
	Type           types.String `tfsdk:"type"`
	Address        types.String `tfsdk:"address"`
	CA             types.String `tfsdk:"ca"`
	Cert           types.String `tfsdk:"cert"`
	Key            types.String `tfsdk:"key"`
	ServerCN       types.String `tfsdk:"server_cn"`
	Host           types.String `tfsdk:"host"`
	User           types.String `tfsdk:"user"`
	Port           types.Int64  `tfsdk:"port"`
	IdentityFile   types.String `tfsdk:"identity_file"`
	Options        []string     `tfsdk:"options"`
	ListenerName   types.String `tfsdk:"listener_name"`
	ClientIdentity types.String `tfsdk:"client_identity"`
	DialTimeout    types.String `tfsdk:"dial_timeout"`
}

type zreplServeModel struct {
	Type             types.String      `tfsdk:"type"`
	Listen           types.String      `tfsdk:"listen"`
	ListenFreebind   types.Bool        `tfsdk:"listen_freebind"`
	Clients          map[string]string `tfsdk:"clients"`
	CA               types.String      `tfsdk:"ca"`
	Cert             types.String      `tfsdk:"cert"`
	Key              types.String      `tfsdk:"key"`
	ClientCNs        []string          `tfsdk:"client_cns"`
	HandshakeTimeout types.String      `tfsdk:"handshake_timeout"`
	ClientIdentities []string          `tfsdk:"client_identities"`
	ListenerName     types.String      `tfsdk:"listener_name"`
}

type zreplBandwidthModel struct {
	Max            types.String `tfsdk:"max"`
	BucketCapacity types.String `tfsdk:"bucket_capacity"`
}

type zreplSendModel struct {
	Encrypted        types.Bool           `tfsdk:"encrypted"`
	Raw              types.Bool           `tfsdk:"raw"`
	SendProperties   types.Bool           `tfsdk:"send_properties"`
	BackupProperties types.Bool           `tfsdk:"backup_properties"`
	LargeBlocks      types.Bool           `tfsdk:"large_blocks"`
	Compressed       types.Bool           `tfsdk:"compressed"`
	EmbeddedData     types.Bool           `tfsdk:"embedded_data"`
	Saved            types.Bool           `tfsdk:"saved"`
	BandwidthLimit   *zreplBandwidthModel `tfsdk:"bandwidth_limit"`
}

type zreplRecvModel struct {
	Placeholder    *zreplPlaceholderModel    `tfsdk:"placeholder"`
	Properties     *zreplRecvPropertiesModel `tfsdk:"properties"`
	BandwidthLimit *zreplBandwidthModel      `tfsdk:"bandwidth_limit"`
}

type zreplPlaceholderModel struct {
	Encryption types.String `tfsdk:"encryption"`
}

type zreplRecvPropertiesModel struct {
	Inherit  []string          `tfsdk:"inherit"`
	Override map[string]string `tfsdk:"override"`
}

type zreplSnapshottingModel struct {
	Type            types.String     `tfsdk:"type"`
	Prefix          types.String     `tfsdk:"prefix"`
	Interval        types.String     `tfsdk:"interval"`
	Cron            types.String     `tfsdk:"cron"`
	TimestampFormat types.String     `tfsdk:"timestamp_format"`
	Hooks           []zreplHookModel `tfsdk:"hooks"`
}

type zreplHookModel struct {
	Type        types.String    `tfsdk:"type"`
	Path        types.String    `tfsdk:"path"`
	Timeout     types.String    `tfsdk:"timeout"`
	ErrIsFatal  types.Bool      `tfsdk:"err_is_fatal"`
	Filesystems map[string]bool `tfsdk:"filesystems"`
}

type zreplKeepRuleModel struct {
	Type                 types.String `tfsdk:"type"`
	Count                types.Int64  `tfsdk:"count"`
	Grid                 types.String `tfsdk:"grid"`
	Regex                types.String `tfsdk:"regex"`
	Negate               types.Bool   `tfsdk:"negate"`
	KeepSnapshotAtCursor types.Bool   `tfsdk:"keep_snapshot_at_cursor"`
}

type zreplPruningSRModel struct {
	KeepSender   []zreplKeepRuleModel `tfsdk:"keep_sender"`
	KeepReceiver []zreplKeepRuleModel `tfsdk:"keep_receiver"`
}

type zreplPruningLocalModel struct {
	Keep []zreplKeepRuleModel `tfsdk:"keep"`
}

type zreplReplicationModel struct {
	Protection  *zreplProtectionModel  `tfsdk:"protection"`
	Concurrency *zreplConcurrencyModel `tfsdk:"concurrency"`
}

type zreplProtectionModel struct {
	Initial     types.String `tfsdk:"initial"`
	Incremental types.String `tfsdk:"incremental"`
}

type zreplConcurrencyModel struct {
	Steps         types.Int64 `tfsdk:"steps"`
	SizeEstimates types.Int64 `tfsdk:"size_estimates"`
}

type zreplConflictModel struct {
	InitialReplication types.String `tfsdk:"initial_replication"`
}

type zreplPushJobModel struct {
	Name               types.String            `tfsdk:"name"`
	Connect            *zreplConnectModel      `tfsdk:"connect"`
	Filesystems        map[string]bool         `tfsdk:"filesystems"`
	Send               *zreplSendModel         `tfsdk:"send"`
	Snapshotting       *zreplSnapshottingModel `tfsdk:"snapshotting"`
	Pruning            *zreplPruningSRModel    `tfsdk:"pruning"`
	Replication        *zreplReplicationModel  `tfsdk:"replication"`
	ConflictResolution *zreplConflictModel     `tfsdk:"conflict_resolution"`
}

type zreplSinkJobModel struct {
	Name   types.String     `tfsdk:"name"`
	Serve  *zreplServeModel `tfsdk:"serve"`
	Recv   *zreplRecvModel  `tfsdk:"recv"`
	RootFS types.String     `tfsdk:"root_fs"`
}

type zreplPullJobModel struct {
	Name               types.String           `tfsdk:"name"`
	Connect            *zreplConnectModel     `tfsdk:"connect"`
	Recv               *zreplRecvModel        `tfsdk:"recv"`
	RootFS             types.String           `tfsdk:"root_fs"`
	Interval           types.String           `tfsdk:"interval"`
	Pruning            *zreplPruningSRModel   `tfsdk:"pruning"`
	Replication        *zreplReplicationModel `tfsdk:"replication"`
	ConflictResolution *zreplConflictModel    `tfsdk:"conflict_resolution"`
}

type zreplSourceJobModel struct {
	Name         types.String            `tfsdk:"name"`
	Serve        *zreplServeModel        `tfsdk:"serve"`
	Filesystems  map[string]bool         `tfsdk:"filesystems"`
	Send         *zreplSendModel         `tfsdk:"send"`
	Snapshotting *zreplSnapshottingModel `tfsdk:"snapshotting"`
}

type zreplSnapJobModel struct {
	Name         types.String            `tfsdk:"name"`
	Filesystems  map[string]bool         `tfsdk:"filesystems"`
	Snapshotting *zreplSnapshottingModel `tfsdk:"snapshotting"`
	Pruning      *zreplPruningLocalModel `tfsdk:"pruning"`
}

// zreplJobRef locates a domain job (jobs[i]) among the blocks.
type zreplJobRef struct {
	block string
	index int
}

// toDomain builds the zrepl configuration, jobs in the order of the
// blocks: push, sink, pull, source, snap.
func (m *zreplConfigModel) toDomain() (*zrepl.Config, []zreplJobRef) {
	c := &zrepl.Config{Global: m.Global.toDomain()}
	var refs []zreplJobRef
	add := func(block string, i int, j zrepl.Job) {
		c.Jobs = append(c.Jobs, j)
		refs = append(refs, zreplJobRef{block: block, index: i})
	}
	for i, j := range m.PushJobs {
		add("push_job", i, zrepl.Job{Name: j.Name.ValueString(), Type: zrepl.JobPush, Connect: j.Connect.toDomain(),
			Filesystems: j.Filesystems, Send: j.Send.toDomain(), Snapshotting: j.Snapshotting.toDomain(),
			Pruning: j.Pruning.toDomain(), Replication: j.Replication.toDomain(), ConflictResolution: j.ConflictResolution.toDomain()})
	}
	for i, j := range m.SinkJobs {
		add("sink_job", i, zrepl.Job{Name: j.Name.ValueString(), Type: zrepl.JobSink, Serve: j.Serve.toDomain(),
			Recv: j.Recv.toDomain(), RootFS: j.RootFS.ValueString()})
	}
	for i, j := range m.PullJobs {
		add("pull_job", i, zrepl.Job{Name: j.Name.ValueString(), Type: zrepl.JobPull, Connect: j.Connect.toDomain(),
			Recv: j.Recv.toDomain(), RootFS: j.RootFS.ValueString(), Interval: j.Interval.ValueString(),
			Pruning: j.Pruning.toDomain(), Replication: j.Replication.toDomain(), ConflictResolution: j.ConflictResolution.toDomain()})
	}
	for i, j := range m.SourceJobs {
		add("source_job", i, zrepl.Job{Name: j.Name.ValueString(), Type: zrepl.JobSource, Serve: j.Serve.toDomain(),
			Filesystems: j.Filesystems, Send: j.Send.toDomain(), Snapshotting: j.Snapshotting.toDomain()})
	}
	for i, j := range m.SnapJobs {
		var p *zrepl.Pruning
		if j.Pruning != nil {
			p = &zrepl.Pruning{Keep: keepRulesToDomain(j.Pruning.Keep)}
		}
		add("snap_job", i, zrepl.Job{Name: j.Name.ValueString(), Type: zrepl.JobSnap, Filesystems: j.Filesystems,
			Snapshotting: j.Snapshotting.toDomain(), Pruning: p})
	}
	return c, refs
}

// setFromDomain replaces the global section and the jobs with c's. Job
// lists are never nil: a block list in state is a list, possibly empty.
func (m *zreplConfigModel) setFromDomain(c *zrepl.Config) {
	m.ReceivedRoots = mapValue(c.ReceivedRoots())
	m.Global = globalFromDomain(c.Global)
	m.PushJobs, m.SinkJobs, m.PullJobs = []zreplPushJobModel{}, []zreplSinkJobModel{}, []zreplPullJobModel{}
	m.SourceJobs, m.SnapJobs = []zreplSourceJobModel{}, []zreplSnapJobModel{}
	for _, j := range c.Jobs {
		name := types.StringValue(j.Name)
		switch j.Type {
		case zrepl.JobPush:
			m.PushJobs = append(m.PushJobs, zreplPushJobModel{Name: name, Connect: connectFromDomain(j.Connect),
				Filesystems: j.Filesystems, Send: sendFromDomain(j.Send), Snapshotting: snapshottingFromDomain(j.Snapshotting),
				Pruning: pruningSRFromDomain(j.Pruning), Replication: replicationFromDomain(j.Replication),
				ConflictResolution: conflictFromDomain(j.ConflictResolution)})
		case zrepl.JobSink:
			m.SinkJobs = append(m.SinkJobs, zreplSinkJobModel{Name: name, Serve: serveFromDomain(j.Serve),
				Recv: recvFromDomain(j.Recv), RootFS: strValue(j.RootFS)})
		case zrepl.JobPull:
			m.PullJobs = append(m.PullJobs, zreplPullJobModel{Name: name, Connect: connectFromDomain(j.Connect),
				Recv: recvFromDomain(j.Recv), RootFS: strValue(j.RootFS), Interval: strValue(j.Interval),
				Pruning: pruningSRFromDomain(j.Pruning), Replication: replicationFromDomain(j.Replication),
				ConflictResolution: conflictFromDomain(j.ConflictResolution)})
		case zrepl.JobSource:
			m.SourceJobs = append(m.SourceJobs, zreplSourceJobModel{Name: name, Serve: serveFromDomain(j.Serve),
				Filesystems: j.Filesystems, Send: sendFromDomain(j.Send), Snapshotting: snapshottingFromDomain(j.Snapshotting)})
		case zrepl.JobSnap:
			var p *zreplPruningLocalModel
			if j.Pruning != nil {
				p = &zreplPruningLocalModel{Keep: keepRulesFromDomain(j.Pruning.Keep)}
			}
			m.SnapJobs = append(m.SnapJobs, zreplSnapJobModel{Name: name, Filesystems: j.Filesystems,
				Snapshotting: snapshottingFromDomain(j.Snapshotting), Pruning: p})
		}
	}
}

// zreplProblemPath maps a domain path (jobs[3].connect.address) onto the
// schema's (sink_job[0].connect.address). The key names below a job are
// the same on both sides.
func zreplProblemPath(p zrepl.Path, refs []zreplJobRef) path.Path {
	if len(p) == 0 {
		return path.Empty()
	}
	var at path.Path
	rest := p[1:]
	if p[0].Name == "jobs" {
		if len(p) < 2 || p[1].Kind != zrepl.StepIndex || p[1].Index >= len(refs) {
			return path.Empty()
		}
		ref := refs[p[1].Index]
		at, rest = path.Root(ref.block).AtListIndex(ref.index), p[2:]
	} else {
		at = path.Root(p[0].Name)
	}
	for _, s := range rest {
		switch s.Kind {
		case zrepl.StepField:
			at = at.AtName(s.Name)
		case zrepl.StepIndex:
			at = at.AtListIndex(s.Index)
		case zrepl.StepKey:
			at = at.AtMapKey(s.Name)
		}
	}
	return at
}

// strValue is null for "", which the domain uses for "not in the file".
func strValue(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func (g *zreplGlobalModel) toDomain() *zrepl.Global {
	if g == nil {
		return nil
	}
	out := &zrepl.Global{}
	for _, o := range g.Logging {
		lo := zrepl.LoggingOutlet{Type: o.Type.ValueString(), Level: o.Level.ValueString(), Format: o.Format.ValueString(),
			Time: o.Time.ValueBoolPointer(), Color: o.Color.ValueBoolPointer(), Facility: o.Facility.ValueString(),
			Address: o.Address.ValueString(), Net: o.Net.ValueString(), RetryInterval: o.RetryInterval.ValueString()}
		if o.TLS != nil {
			lo.TLS = &zrepl.OutletTLS{CA: o.TLS.CA.ValueString(), Cert: o.TLS.Cert.ValueString(), Key: o.TLS.Key.ValueString()}
		}
		out.Logging = append(out.Logging, lo)
	}
	for _, mo := range g.Monitoring {
		out.Monitoring = append(out.Monitoring, zrepl.Monitoring{Type: mo.Type.ValueString(), Listen: mo.Listen.ValueString(),
			ListenFreebind: mo.ListenFreebind.ValueBoolPointer()})
	}
	return out
}

func globalFromDomain(g *zrepl.Global) *zreplGlobalModel {
	if g == nil {
		return nil
	}
	out := &zreplGlobalModel{}
	for _, o := range g.Logging {
		lo := zreplOutletModel{Type: strValue(o.Type), Level: strValue(o.Level), Format: strValue(o.Format),
			Time: types.BoolPointerValue(o.Time), Color: types.BoolPointerValue(o.Color), Facility: strValue(o.Facility),
			Address: strValue(o.Address), Net: strValue(o.Net), RetryInterval: strValue(o.RetryInterval)}
		if o.TLS != nil {
			lo.TLS = &zreplTLSModel{CA: strValue(o.TLS.CA), Cert: strValue(o.TLS.Cert), Key: strValue(o.TLS.Key)}
		}
		out.Logging = append(out.Logging, lo)
	}
	for _, mo := range g.Monitoring {
		out.Monitoring = append(out.Monitoring, zreplMonitoringModel{Type: strValue(mo.Type), Listen: strValue(mo.Listen),
			ListenFreebind: types.BoolPointerValue(mo.ListenFreebind)})
	}
	return out
}

func (c *zreplConnectModel) toDomain() *zrepl.Connect {
	if c == nil {
		return nil
	}
	return &zrepl.Connect{Type: c.Type.ValueString(), Address: c.Address.ValueString(), CA: c.CA.ValueString(),
		Cert: c.Cert.ValueString(), Key: c.Key.ValueString(), ServerCN: c.ServerCN.ValueString(), Host: c.Host.ValueString(),
		User: c.User.ValueString(), Port: c.Port.ValueInt64Pointer(), IdentityFile: c.IdentityFile.ValueString(),
		Options: c.Options, ListenerName: c.ListenerName.ValueString(), ClientIdentity: c.ClientIdentity.ValueString(),
		DialTimeout: c.DialTimeout.ValueString()}
}

func connectFromDomain(c *zrepl.Connect) *zreplConnectModel {
	if c == nil {
		return nil
	}
	return &zreplConnectModel{Type: strValue(c.Type), Address: strValue(c.Address), CA: strValue(c.CA), Cert: strValue(c.Cert),
		Key: strValue(c.Key), ServerCN: strValue(c.ServerCN), Host: strValue(c.Host), User: strValue(c.User),
		Port: types.Int64PointerValue(c.Port), IdentityFile: strValue(c.IdentityFile), Options: c.Options,
		ListenerName: strValue(c.ListenerName), ClientIdentity: strValue(c.ClientIdentity), DialTimeout: strValue(c.DialTimeout)}
}

func (s *zreplServeModel) toDomain() *zrepl.Serve {
	if s == nil {
		return nil
	}
	return &zrepl.Serve{Type: s.Type.ValueString(), Listen: s.Listen.ValueString(), ListenFreebind: s.ListenFreebind.ValueBoolPointer(),
		Clients: s.Clients, CA: s.CA.ValueString(), Cert: s.Cert.ValueString(), Key: s.Key.ValueString(), ClientCNs: s.ClientCNs,
		HandshakeTimeout: s.HandshakeTimeout.ValueString(), ClientIdentities: s.ClientIdentities, ListenerName: s.ListenerName.ValueString()}
}

func serveFromDomain(s *zrepl.Serve) *zreplServeModel {
	if s == nil {
		return nil
	}
	return &zreplServeModel{Type: strValue(s.Type), Listen: strValue(s.Listen), ListenFreebind: types.BoolPointerValue(s.ListenFreebind),
		Clients: s.Clients, CA: strValue(s.CA), Cert: strValue(s.Cert), Key: strValue(s.Key), ClientCNs: s.ClientCNs,
		HandshakeTimeout: strValue(s.HandshakeTimeout), ClientIdentities: s.ClientIdentities, ListenerName: strValue(s.ListenerName)}
}

func (b *zreplBandwidthModel) toDomain() *zrepl.BandwidthLimit {
	if b == nil {
		return nil
	}
	return &zrepl.BandwidthLimit{Max: b.Max.ValueString(), BucketCapacity: b.BucketCapacity.ValueString()}
}

func bandwidthFromDomain(b *zrepl.BandwidthLimit) *zreplBandwidthModel {
	if b == nil {
		return nil
	}
	return &zreplBandwidthModel{Max: strValue(b.Max), BucketCapacity: strValue(b.BucketCapacity)}
}

func (s *zreplSendModel) toDomain() *zrepl.SendOptions {
	if s == nil {
		return nil
	}
	return &zrepl.SendOptions{Encrypted: s.Encrypted.ValueBoolPointer(), Raw: s.Raw.ValueBoolPointer(),
		SendProperties: s.SendProperties.ValueBoolPointer(), BackupProperties: s.BackupProperties.ValueBoolPointer(),
		LargeBlocks: s.LargeBlocks.ValueBoolPointer(), Compressed: s.Compressed.ValueBoolPointer(),
		EmbeddedData: s.EmbeddedData.ValueBoolPointer(), Saved: s.Saved.ValueBoolPointer(),
		BandwidthLimit: s.BandwidthLimit.toDomain()}
}

// sendFromDomain reads zrepl's meaning: no send section, or no encrypted
// key, is an unencrypted send. The schema's default (true) then shows as a
// change, which is the truth.
func sendFromDomain(s *zrepl.SendOptions) *zreplSendModel {
	if s == nil {
		s = &zrepl.SendOptions{}
	}
	return &zreplSendModel{Encrypted: types.BoolValue(s.Encrypted != nil && *s.Encrypted), Raw: types.BoolPointerValue(s.Raw),
		SendProperties: types.BoolPointerValue(s.SendProperties), BackupProperties: types.BoolPointerValue(s.BackupProperties),
		LargeBlocks: types.BoolPointerValue(s.LargeBlocks), Compressed: types.BoolPointerValue(s.Compressed),
		EmbeddedData: types.BoolPointerValue(s.EmbeddedData), Saved: types.BoolPointerValue(s.Saved),
		BandwidthLimit: bandwidthFromDomain(s.BandwidthLimit)}
}

func (r *zreplRecvModel) toDomain() *zrepl.RecvOptions {
	if r == nil {
		return nil
	}
	out := &zrepl.RecvOptions{BandwidthLimit: r.BandwidthLimit.toDomain()}
	if r.Placeholder != nil {
		out.Placeholder = &zrepl.Placeholder{Encryption: r.Placeholder.Encryption.ValueString()}
	}
	if r.Properties != nil {
		out.Properties = &zrepl.RecvProperties{Inherit: r.Properties.Inherit, Override: r.Properties.Override}
	}
	return out
}

func recvFromDomain(r *zrepl.RecvOptions) *zreplRecvModel {
	if r == nil {
		return nil
	}
	out := &zreplRecvModel{BandwidthLimit: bandwidthFromDomain(r.BandwidthLimit)}
	if r.Placeholder != nil {
		out.Placeholder = &zreplPlaceholderModel{Encryption: strValue(r.Placeholder.Encryption)}
	}
	if r.Properties != nil {
		out.Properties = &zreplRecvPropertiesModel{Inherit: r.Properties.Inherit, Override: r.Properties.Override}
	}
	return out
}

func (s *zreplSnapshottingModel) toDomain() *zrepl.Snapshotting {
	if s == nil {
		return nil
	}
	out := &zrepl.Snapshotting{Type: s.Type.ValueString(), Prefix: s.Prefix.ValueString(), Interval: s.Interval.ValueString(),
		Cron: s.Cron.ValueString(), TimestampFormat: s.TimestampFormat.ValueString()}
	for _, h := range s.Hooks {
		out.Hooks = append(out.Hooks, zrepl.Hook{Type: h.Type.ValueString(), Path: h.Path.ValueString(),
			Timeout: h.Timeout.ValueString(), ErrIsFatal: h.ErrIsFatal.ValueBoolPointer(), Filesystems: h.Filesystems})
	}
	return out
}

func snapshottingFromDomain(s *zrepl.Snapshotting) *zreplSnapshottingModel {
	if s == nil {
		return nil
	}
	out := &zreplSnapshottingModel{Type: strValue(s.Type), Prefix: strValue(s.Prefix), Interval: strValue(s.Interval),
		Cron: strValue(s.Cron), TimestampFormat: strValue(s.TimestampFormat)}
	for _, h := range s.Hooks {
		out.Hooks = append(out.Hooks, zreplHookModel{Type: strValue(h.Type), Path: strValue(h.Path), Timeout: strValue(h.Timeout),
			ErrIsFatal: types.BoolPointerValue(h.ErrIsFatal), Filesystems: h.Filesystems})
	}
	return out
}

func keepRulesToDomain(rules []zreplKeepRuleModel) []zrepl.KeepRule {
	var out []zrepl.KeepRule
	for _, r := range rules {
		out = append(out, zrepl.KeepRule{Type: r.Type.ValueString(), Count: r.Count.ValueInt64Pointer(), Grid: r.Grid.ValueString(),
			Regex: r.Regex.ValueString(), Negate: r.Negate.ValueBoolPointer(), KeepSnapshotAtCursor: r.KeepSnapshotAtCursor.ValueBoolPointer()})
	}
	return out
}

func keepRulesFromDomain(rules []zrepl.KeepRule) []zreplKeepRuleModel {
	var out []zreplKeepRuleModel
	for _, r := range rules {
		out = append(out, zreplKeepRuleModel{Type: strValue(r.Type), Count: types.Int64PointerValue(r.Count), Grid: strValue(r.Grid),
			Regex: strValue(r.Regex), Negate: types.BoolPointerValue(r.Negate), KeepSnapshotAtCursor: types.BoolPointerValue(r.KeepSnapshotAtCursor)})
	}
	return out
}

func (p *zreplPruningSRModel) toDomain() *zrepl.Pruning {
	if p == nil {
		return nil
	}
	return &zrepl.Pruning{KeepSender: keepRulesToDomain(p.KeepSender), KeepReceiver: keepRulesToDomain(p.KeepReceiver)}
}

func pruningSRFromDomain(p *zrepl.Pruning) *zreplPruningSRModel {
	if p == nil {
		return nil
	}
	return &zreplPruningSRModel{KeepSender: keepRulesFromDomain(p.KeepSender), KeepReceiver: keepRulesFromDomain(p.KeepReceiver)}
}

func (r *zreplReplicationModel) toDomain() *zrepl.Replication {
	if r == nil {
		return nil
	}
	out := &zrepl.Replication{}
	if r.Protection != nil {
		out.Protection = &zrepl.Protection{Initial: r.Protection.Initial.ValueString(), Incremental: r.Protection.Incremental.ValueString()}
	}
	if r.Concurrency != nil {
		out.Concurrency = &zrepl.Concurrency{Steps: r.Concurrency.Steps.ValueInt64Pointer(),
			SizeEstimates: r.Concurrency.SizeEstimates.ValueInt64Pointer()}
	}
	return out
}

func replicationFromDomain(r *zrepl.Replication) *zreplReplicationModel {
	if r == nil {
		return nil
	}
	out := &zreplReplicationModel{}
	if r.Protection != nil {
		out.Protection = &zreplProtectionModel{Initial: strValue(r.Protection.Initial), Incremental: strValue(r.Protection.Incremental)}
	}
	if r.Concurrency != nil {
		out.Concurrency = &zreplConcurrencyModel{Steps: types.Int64PointerValue(r.Concurrency.Steps),
			SizeEstimates: types.Int64PointerValue(r.Concurrency.SizeEstimates)}
	}
	return out
}

func (c *zreplConflictModel) toDomain() *zrepl.ConflictResolution {
	if c == nil {
		return nil
	}
	return &zrepl.ConflictResolution{InitialReplication: c.InitialReplication.ValueString()}
}

func conflictFromDomain(c *zrepl.ConflictResolution) *zreplConflictModel {
	if c == nil {
		return nil
	}
	return &zreplConflictModel{InitialReplication: strValue(c.InitialReplication)}
}
