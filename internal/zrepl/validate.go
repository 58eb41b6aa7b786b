package zrepl

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Validate checks a whole configuration: every value's format and what
// zrepl requires of each job and transport kind, plus what zrepl does not
// catch but cannot work (two client addresses mapped to one identity, a
// local transport without its listener, duplicate job names).
func Validate(c *Config) Problems {
	k := &checker{formats: true}
	k.config(c)
	return k.problems
}

// CheckStructure is Validate without the checks of single values, for a
// caller (the provider's plan-time validation) that checks those per
// attribute already.
func CheckStructure(c *Config) Problems {
	k := &checker{}
	k.config(c)
	return k.problems
}

type checker struct {
	formats  bool
	problems Problems
}

func (k *checker) add(at Path, format string, args ...any) {
	k.problems = append(k.problems, Problem{Path: at, Message: fmt.Sprintf(format, args...)})
}

// value checks one non-empty value's format.
func (k *checker) value(at Path, v string, check func(string) error) {
	if !k.formats || v == "" {
		return
	}
	if err := check(v); err != nil {
		k.add(at, "%s", err)
	}
}

func (k *checker) values(at Path, vs []string, check func(string) error) {
	for i, v := range vs {
		if v == "" {
			k.add(at.Index(i), "must not be empty")
			continue
		}
		k.value(at.Index(i), v, check)
	}
}

func (k *checker) atLeast(at Path, v *int64, minimum int64) {
	if k.formats && v != nil && *v < minimum {
		k.add(at, "%d must be at least %d", *v, minimum)
	}
}

// kind checks a union's type: it must be one of the known kinds. It
// reports false when the rest of the union cannot be checked.
func (k *checker) kind(at Path, typ string, kinds []string) bool {
	if typ == "" {
		k.add(at.Field("type"), "is required: one of %s", quoteJoin(kinds))
		return false
	}
	if !slices.Contains(kinds, typ) {
		k.add(at.Field("type"), "%q must be one of %s", typ, quoteJoin(kinds))
		return false
	}
	return true
}

// union checks which fields a union of kind typ sets: every required one,
// and none that belongs to another kind. what names the union for the
// messages ("connect", "a push job").
func (k *checker) union(at Path, what, typ string, present map[string]bool, allowed, required map[string][]string) {
	for _, f := range required[typ] {
		if !present[f] {
			k.add(at.Field(f), "is required for %s of type %q", what, typ)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(present)) {
		if present[f] && !slices.Contains(allowed[typ], f) {
			k.add(at.Field(f), "is not an option of %s of type %q (it takes %s)", what, typ, strings.Join(allowed[typ], ", "))
		}
	}
}

func (k *checker) config(c *Config) {
	if c.Global != nil {
		k.global(Path{}.Field("global"), c.Global)
	}
	jobs := Path{}.Field("jobs")
	if len(c.Jobs) == 0 {
		k.add(jobs, "at least one job is required")
	}
	names := map[string]int{}
	for i := range c.Jobs {
		j := &c.Jobs[i]
		at := jobs.Index(i)
		if j.Name == "" {
			k.add(at.Field("name"), "is required")
		} else {
			k.value(at.Field("name"), j.Name, ValidateJobName)
			if prev, dup := names[j.Name]; dup {
				k.add(at.Field("name"), "job name %q is already used by jobs[%d]: job names must be unique", j.Name, prev)
			} else {
				names[j.Name] = i
			}
		}
		k.job(at, j)
	}
	k.localListeners(c)
}

var jobFields = map[string][]string{
	JobPush:   {"connect", "filesystems", "send", "snapshotting", "pruning", "replication", "conflict_resolution"},
	JobSink:   {"serve", "recv", "root_fs"},
	JobPull:   {"connect", "recv", "root_fs", "interval", "pruning", "replication", "conflict_resolution"},
	JobSource: {"serve", "filesystems", "send", "snapshotting"},
	JobSnap:   {"filesystems", "snapshotting", "pruning"},
}

var jobRequired = map[string][]string{
	JobPush:   {"connect", "filesystems", "snapshotting", "pruning"},
	JobSink:   {"serve", "root_fs"},
	JobPull:   {"connect", "root_fs", "interval", "pruning"},
	JobSource: {"serve", "filesystems", "snapshotting"},
	JobSnap:   {"filesystems", "snapshotting", "pruning"},
}

func (k *checker) job(at Path, j *Job) {
	if !k.kind(at, j.Type, JobTypes()) {
		return
	}
	present := map[string]bool{
		"connect": j.Connect != nil, "serve": j.Serve != nil, "filesystems": len(j.Filesystems) > 0,
		"send": j.Send != nil, "recv": j.Recv != nil, "root_fs": j.RootFS != "", "interval": j.Interval != "",
		"snapshotting": j.Snapshotting != nil, "pruning": j.Pruning != nil, "replication": j.Replication != nil,
		"conflict_resolution": j.ConflictResolution != nil,
	}
	k.union(at, "a job", j.Type, present, jobFields, jobRequired)
	if j.Connect != nil {
		k.connect(at.Field("connect"), j.Connect)
	}
	if j.Serve != nil {
		k.serve(at.Field("serve"), j.Serve)
	}
	k.filter(at.Field("filesystems"), j.Filesystems)
	if j.Send != nil {
		k.bandwidth(at.Field("send").Field("bandwidth_limit"), j.Send.BandwidthLimit)
	}
	if j.Recv != nil {
		k.recv(at.Field("recv"), j.Recv)
	}
	k.value(at.Field("root_fs"), j.RootFS, ValidateDataset)
	k.value(at.Field("interval"), j.Interval, ValidatePullInterval)
	if j.Snapshotting != nil {
		k.snapshotting(at.Field("snapshotting"), j.Snapshotting)
	}
	if j.Pruning != nil {
		k.pruning(at.Field("pruning"), j.Type, j.Pruning)
	}
	if r := j.Replication; r != nil {
		if p := r.Protection; p != nil {
			k.value(at.Field("replication").Field("protection").Field("initial"), p.Initial, OneOf(Protections()))
			k.value(at.Field("replication").Field("protection").Field("incremental"), p.Incremental, OneOf(Protections()))
		}
		if c := r.Concurrency; c != nil {
			k.atLeast(at.Field("replication").Field("concurrency").Field("steps"), c.Steps, 1)
			k.atLeast(at.Field("replication").Field("concurrency").Field("size_estimates"), c.SizeEstimates, 1)
		}
	}
	if cr := j.ConflictResolution; cr != nil {
		k.value(at.Field("conflict_resolution").Field("initial_replication"), cr.InitialReplication, OneOf(InitialReplications()))
	}
}

// filter checks a filesystems map. Required-ness is the job's business.
func (k *checker) filter(at Path, f map[string]bool) {
	for _, key := range slices.Sorted(maps.Keys(f)) {
		k.value(at.Key(key), key, ValidateFilesystemFilter)
	}
}

var connectFields = map[string][]string{
	"tcp":             {"address", "dial_timeout"},
	"tls":             {"address", "ca", "cert", "key", "server_cn", "dial_timeout"},
	"ssh+stdinserver": {"host", "user", "port", "identity_file", "options", "dial_timeout"},
	"local":           {"listener_name", "client_identity", "dial_timeout"},
}

var connectRequired = map[string][]string{
	"tcp":             {"address"},
	"tls":             {"address", "ca", "cert", "key", "server_cn"},
	"ssh+stdinserver": {"host", "user", "port", "identity_file"},
	"local":           {"listener_name", "client_identity"},
}

func (k *checker) connect(at Path, c *Connect) {
	if !k.kind(at, c.Type, ConnectTypes()) {
		return
	}
	present := map[string]bool{
		"address": c.Address != "", "ca": c.CA != "", "cert": c.Cert != "", "key": c.Key != "", "server_cn": c.ServerCN != "",
		"host": c.Host != "", "user": c.User != "", "port": c.Port != nil, "identity_file": c.IdentityFile != "",
		"options": len(c.Options) > 0, "listener_name": c.ListenerName != "", "client_identity": c.ClientIdentity != "",
		"dial_timeout": c.DialTimeout != "",
	}
	k.union(at, "connect", c.Type, present, connectFields, connectRequired)
	k.value(at.Field("address"), c.Address, ValidateHostPort)
	k.value(at.Field("ca"), c.CA, ValidateAbsolutePath)
	k.value(at.Field("cert"), c.Cert, ValidateAbsolutePath)
	k.value(at.Field("key"), c.Key, ValidateAbsolutePath)
	k.value(at.Field("server_cn"), c.ServerCN, ValidateNotEmpty)
	k.value(at.Field("host"), c.Host, ValidateNotEmpty)
	k.value(at.Field("user"), c.User, ValidateNotEmpty)
	if k.formats && c.Port != nil && (*c.Port < 1 || *c.Port > 65535) {
		k.add(at.Field("port"), "%d must be from 1 to 65535", *c.Port)
	}
	k.value(at.Field("identity_file"), c.IdentityFile, ValidateAbsolutePath)
	k.values(at.Field("options"), c.Options, ValidateNotEmpty)
	k.value(at.Field("listener_name"), c.ListenerName, ValidateNotEmpty)
	k.value(at.Field("client_identity"), c.ClientIdentity, ValidateClientIdentity)
	k.value(at.Field("dial_timeout"), c.DialTimeout, ValidateDuration)
}

var serveFields = map[string][]string{
	"tcp":         {"listen", "listen_freebind", "clients"},
	"tls":         {"listen", "listen_freebind", "ca", "cert", "key", "client_cns", "handshake_timeout"},
	"stdinserver": {"client_identities"},
	"local":       {"listener_name"},
}

var serveRequired = map[string][]string{
	"tcp":         {"listen", "clients"},
	"tls":         {"listen", "ca", "cert", "key", "client_cns"},
	"stdinserver": {"client_identities"},
	"local":       {"listener_name"},
}

func (k *checker) serve(at Path, s *Serve) {
	if !k.kind(at, s.Type, ServeTypes()) {
		return
	}
	present := map[string]bool{
		"listen": s.Listen != "", "listen_freebind": s.ListenFreebind != nil, "clients": len(s.Clients) > 0,
		"ca": s.CA != "", "cert": s.Cert != "", "key": s.Key != "", "client_cns": len(s.ClientCNs) > 0,
		"handshake_timeout": s.HandshakeTimeout != "", "client_identities": len(s.ClientIdentities) > 0,
		"listener_name": s.ListenerName != "",
	}
	k.union(at, "serve", s.Type, present, serveFields, serveRequired)
	k.value(at.Field("listen"), s.Listen, ValidateHostPort)
	owner := map[string]string{}
	for _, addr := range slices.Sorted(maps.Keys(s.Clients)) {
		id := s.Clients[addr]
		k.value(at.Field("clients").Key(addr), addr, ValidateClientAddress)
		if id == "" {
			k.add(at.Field("clients").Key(addr), "the client identity must not be empty")
			continue
		}
		k.value(at.Field("clients").Key(addr), id, ValidateClientIdentity)
		if first, dup := owner[id]; dup {
			k.add(at.Field("clients").Key(addr), "identity %q is already mapped to %q: two clients with one identity "+
				"would receive into the same datasets (root_fs/%s/...), give each client its own identity", id, first, id)
		} else {
			owner[id] = addr
		}
	}
	k.value(at.Field("ca"), s.CA, ValidateAbsolutePath)
	k.value(at.Field("cert"), s.Cert, ValidateAbsolutePath)
	k.value(at.Field("key"), s.Key, ValidateAbsolutePath)
	k.values(at.Field("client_cns"), s.ClientCNs, ValidateClientIdentity)
	k.value(at.Field("handshake_timeout"), s.HandshakeTimeout, ValidateDuration)
	k.values(at.Field("client_identities"), s.ClientIdentities, ValidateClientIdentity)
	k.unique(at.Field("client_cns"), s.ClientCNs, "client common name")
	k.unique(at.Field("client_identities"), s.ClientIdentities, "client identity")
	k.value(at.Field("listener_name"), s.ListenerName, ValidateNotEmpty)
}

func (k *checker) unique(at Path, vs []string, what string) {
	seen := map[string]int{}
	for i, v := range vs {
		if prev, dup := seen[v]; dup {
			k.add(at.Index(i), "%s %q repeats element %d", what, v, prev)
			continue
		}
		seen[v] = i
	}
}

func (k *checker) bandwidth(at Path, b *BandwidthLimit) {
	if b == nil {
		return
	}
	if b.Max == "" {
		k.add(at.Field("max"), "is required in a bandwidth_limit")
	}
	k.value(at.Field("max"), b.Max, ValidateDataSize)
	k.value(at.Field("bucket_capacity"), b.BucketCapacity, ValidateDataSize)
}

func (k *checker) recv(at Path, r *RecvOptions) {
	if p := r.Properties; p != nil {
		k.values(at.Field("properties").Field("inherit"), p.Inherit, ValidatePropertyName)
		for _, name := range slices.Sorted(maps.Keys(p.Override)) {
			k.value(at.Field("properties").Field("override").Key(name), name, ValidatePropertyName)
			if slices.Contains(p.Inherit, name) {
				k.add(at.Field("properties").Field("override").Key(name), "property %q is both inherited and overridden", name)
			}
		}
	}
	k.bandwidth(at.Field("bandwidth_limit"), r.BandwidthLimit)
	if p := r.Placeholder; p != nil {
		k.value(at.Field("placeholder").Field("encryption"), p.Encryption, OneOf(PlaceholderEncryptions()))
	}
}

var snapshottingFields = map[string][]string{
	"periodic": {"prefix", "interval", "timestamp_format", "hooks"},
	"cron":     {"prefix", "cron", "timestamp_format", "hooks"},
	"manual":   {},
}

var snapshottingRequired = map[string][]string{
	"periodic": {"prefix", "interval"},
	"cron":     {"prefix", "cron"},
}

func (k *checker) snapshotting(at Path, s *Snapshotting) {
	if !k.kind(at, s.Type, SnapshottingTypes()) {
		return
	}
	present := map[string]bool{
		"prefix": s.Prefix != "", "interval": s.Interval != "", "cron": s.Cron != "",
		"timestamp_format": s.TimestampFormat != "", "hooks": len(s.Hooks) > 0,
	}
	k.union(at, "snapshotting", s.Type, present, snapshottingFields, snapshottingRequired)
	k.value(at.Field("prefix"), s.Prefix, ValidatePrefix)
	k.value(at.Field("interval"), s.Interval, ValidateInterval)
	k.value(at.Field("cron"), s.Cron, ValidateCron)
	k.value(at.Field("timestamp_format"), s.TimestampFormat, ValidateTimestampFormat)
	for i := range s.Hooks {
		h, hat := &s.Hooks[i], at.Field("hooks").Index(i)
		if !k.kind(hat, h.Type, HookTypes()) {
			continue
		}
		if h.Path == "" {
			k.add(hat.Field("path"), "is required for a command hook")
		}
		k.value(hat.Field("path"), h.Path, ValidateAbsolutePath)
		k.value(hat.Field("timeout"), h.Timeout, ValidatePositiveDuration)
		k.filter(hat.Field("filesystems"), h.Filesystems)
	}
}

func (k *checker) pruning(at Path, jobType string, p *Pruning) {
	lists := map[string][]KeepRule{"keep_sender": p.KeepSender, "keep_receiver": p.KeepReceiver, "keep": p.Keep}
	want := []string{"keep_sender", "keep_receiver"}
	if jobType == JobSnap {
		want = []string{"keep"}
	}
	for _, name := range []string{"keep_sender", "keep_receiver", "keep"} {
		rules, wanted := lists[name], slices.Contains(want, name)
		switch {
		case wanted && len(rules) == 0:
			k.add(at.Field(name), "is required and must hold at least one rule: a snapshot that no rule keeps is destroyed")
		case !wanted && len(rules) > 0:
			k.add(at.Field(name), "is not an option of the pruning of a %s job (it takes %s)", jobType, strings.Join(want, ", "))
		}
		for i := range rules {
			k.keepRule(at.Field(name).Index(i), &rules[i])
		}
	}
}

var keepRuleFields = map[string][]string{
	"not_replicated": {"keep_snapshot_at_cursor"},
	"last_n":         {"count", "regex"},
	"grid":           {"grid", "regex"},
	"regex":          {"regex", "negate"},
}

var keepRuleRequired = map[string][]string{
	"last_n": {"count"},
	"grid":   {"grid", "regex"},
	"regex":  {"regex"},
}

func (k *checker) keepRule(at Path, r *KeepRule) {
	if !k.kind(at, r.Type, KeepRuleTypes()) {
		return
	}
	present := map[string]bool{
		"count": r.Count != nil, "grid": r.Grid != "", "regex": r.Regex != "", "negate": r.Negate != nil,
		"keep_snapshot_at_cursor": r.KeepSnapshotAtCursor != nil,
	}
	k.union(at, "a keep rule", r.Type, present, keepRuleFields, keepRuleRequired)
	k.atLeast(at.Field("count"), r.Count, 1)
	k.value(at.Field("grid"), r.Grid, ValidateGrid)
	k.value(at.Field("regex"), r.Regex, ValidateRegex)
}

var outletFields = map[string][]string{
	"stdout": {"level", "format", "time", "color"},
	"syslog": {"level", "format", "facility", "retry_interval"},
	"tcp":    {"level", "format", "address", "net", "tls", "retry_interval"},
}

var outletRequired = map[string][]string{
	"stdout": {"level", "format"},
	"syslog": {"level", "format"},
	"tcp":    {"level", "format", "address"},
}

func (k *checker) global(at Path, g *Global) {
	once := map[string]int{}
	for i := range g.Logging {
		o, oat := &g.Logging[i], at.Field("logging").Index(i)
		if !k.kind(oat, o.Type, LoggingTypes()) {
			continue
		}
		present := map[string]bool{
			"level": o.Level != "", "format": o.Format != "", "time": o.Time != nil, "color": o.Color != nil,
			"facility": o.Facility != "", "address": o.Address != "", "net": o.Net != "", "tls": o.TLS != nil,
			"retry_interval": o.RetryInterval != "",
		}
		k.union(oat, "a logging outlet", o.Type, present, outletFields, outletRequired)
		if o.Type != "tcp" {
			if prev, dup := once[o.Type]; dup {
				k.add(oat.Field("type"), "a %s outlet can be given only once (it is also logging[%d])", o.Type, prev)
			} else {
				once[o.Type] = i
			}
		}
		k.value(oat.Field("level"), o.Level, OneOf(LogLevels()))
		k.value(oat.Field("format"), o.Format, OneOf(LogFormats()))
		k.value(oat.Field("facility"), o.Facility, OneOf(SyslogFacilities()))
		k.value(oat.Field("address"), o.Address, ValidateHostPort)
		k.value(oat.Field("net"), o.Net, OneOf(LogNets()))
		k.value(oat.Field("retry_interval"), o.RetryInterval, ValidatePositiveDuration)
		if t := o.TLS; t != nil {
			for _, f := range []struct{ name, v string }{{"ca", t.CA}, {"cert", t.Cert}, {"key", t.Key}} {
				if f.v == "" {
					k.add(oat.Field("tls").Field(f.name), "is required in the tls of a tcp outlet")
				}
			}
			k.value(oat.Field("tls").Field("ca"), t.CA, ValidateAbsolutePath)
			k.value(oat.Field("tls").Field("cert"), t.Cert, ValidateAbsolutePath)
			k.value(oat.Field("tls").Field("key"), t.Key, ValidateAbsolutePath)
		}
	}
	for i, m := range g.Monitoring {
		mat := at.Field("monitoring").Index(i)
		if !k.kind(mat, m.Type, MonitoringTypes()) {
			continue
		}
		if m.Listen == "" {
			k.add(mat.Field("listen"), "is required for prometheus monitoring")
		}
		k.value(mat.Field("listen"), m.Listen, ValidateHostPort)
	}
}

// localListeners checks that every local connect names a local serve of
// this daemon: the local transport does not leave the process.
func (k *checker) localListeners(c *Config) {
	served := map[string]bool{}
	for _, j := range c.Jobs {
		if j.Serve != nil && j.Serve.Type == "local" && j.Serve.ListenerName != "" {
			served[j.Serve.ListenerName] = true
		}
	}
	for i, j := range c.Jobs {
		if j.Connect != nil && j.Connect.Type == "local" && j.Connect.ListenerName != "" && !served[j.Connect.ListenerName] {
			k.add(Path{}.Field("jobs").Index(i).Field("connect").Field("listener_name"),
				"no job of this configuration serves the local listener %q: a local transport connects to a sink or "+
					"source job with serve type \"local\" in the same daemon", j.Connect.ListenerName)
		}
	}
}
