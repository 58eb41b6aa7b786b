package zrepl

import "time"

// The configuration schema of zrepl 0.6.1 (config/config.go). The type
// names are zrepl's, because the decoder's errors name them
// ("field encryptd not found in type config.SendOptions"). Tag options are
// yaml-config's: optional (may be absent), default=V (value when absent),
// fromdefaults (a struct built from its own defaults when absent), positive
// and zeropositive (durations). A field with none of optional, default and
// fromdefaults is required, and must not be zero either.

// Config is a whole zrepl.yml.
type Config struct {
	Jobs   []JobEnum `yaml:"jobs"`
	Global *Global   `yaml:"global,optional,fromdefaults"`
}

// JobEnum holds one of *PushJob, *SinkJob, *PullJob, *SourceJob, *SnapJob.
type JobEnum struct {
	Ret any
}

// Name is the job's name.
func (j JobEnum) Name() string {
	switch v := j.Ret.(type) {
	case *PushJob:
		return v.Name
	case *SinkJob:
		return v.Name
	case *PullJob:
		return v.Name
	case *SourceJob:
		return v.Name
	case *SnapJob:
		return v.Name
	}
	return ""
}

// Type is the job's type ("push", "sink", ...).
func (j JobEnum) Type() string {
	switch v := j.Ret.(type) {
	case *PushJob:
		return v.Type
	case *SinkJob:
		return v.Type
	case *PullJob:
		return v.Type
	case *SourceJob:
		return v.Type
	case *SnapJob:
		return v.Type
	}
	return ""
}

// Job returns the job named name.
func (c *Config) Job(name string) (JobEnum, bool) {
	for _, j := range c.Jobs {
		if j.Name() == name {
			return j, true
		}
	}
	return JobEnum{}, false
}

type ActiveJob struct {
	Type               string                `yaml:"type"`
	Name               string                `yaml:"name"`
	Connect            ConnectEnum           `yaml:"connect"`
	Pruning            PruningSenderReceiver `yaml:"pruning"`
	Debug              JobDebugSettings      `yaml:"debug,optional"`
	Replication        *Replication          `yaml:"replication,optional,fromdefaults"`
	ConflictResolution *ConflictResolution   `yaml:"conflict_resolution,optional,fromdefaults"`
}

type PassiveJob struct {
	Type  string           `yaml:"type"`
	Name  string           `yaml:"name"`
	Serve ServeEnum        `yaml:"serve"`
	Debug JobDebugSettings `yaml:"debug,optional"`
}

type SnapJob struct {
	Type         string            `yaml:"type"`
	Name         string            `yaml:"name"`
	Pruning      PruningLocal      `yaml:"pruning"`
	Debug        JobDebugSettings  `yaml:"debug,optional"`
	Snapshotting SnapshottingEnum  `yaml:"snapshotting"`
	Filesystems  FilesystemsFilter `yaml:"filesystems"`
}

type SendOptions struct {
	Encrypted        bool            `yaml:"encrypted,optional,default=false"`
	Raw              bool            `yaml:"raw,optional,default=false"`
	SendProperties   bool            `yaml:"send_properties,optional,default=false"`
	BackupProperties bool            `yaml:"backup_properties,optional,default=false"`
	LargeBlocks      bool            `yaml:"large_blocks,optional,default=false"`
	Compressed       bool            `yaml:"compressed,optional,default=false"`
	EmbeddedData     bool            `yaml:"embedded_data,optional,default=false"`
	Saved            bool            `yaml:"saved,optional,default=false"`
	BandwidthLimit   *BandwidthLimit `yaml:"bandwidth_limit,optional,fromdefaults"`
}

type RecvOptions struct {
	Properties     *PropertyRecvOptions    `yaml:"properties,fromdefaults"`
	BandwidthLimit *BandwidthLimit         `yaml:"bandwidth_limit,optional,fromdefaults"`
	Placeholder    *PlaceholderRecvOptions `yaml:"placeholder,fromdefaults"`
}

type BandwidthLimit struct {
	Max            string `yaml:"max,default=-1 B"`
	BucketCapacity string `yaml:"bucket_capacity,default=128 KiB"`
}

type Replication struct {
	Protection  *ReplicationOptionsProtection  `yaml:"protection,optional,fromdefaults"`
	Concurrency *ReplicationOptionsConcurrency `yaml:"concurrency,optional,fromdefaults"`
}

type ReplicationOptionsProtection struct {
	Initial     string `yaml:"initial,optional,default=guarantee_resumability"`
	Incremental string `yaml:"incremental,optional,default=guarantee_resumability"`
}

type ReplicationOptionsConcurrency struct {
	Steps         int `yaml:"steps,optional,default=1"`
	SizeEstimates int `yaml:"size_estimates,optional,default=4"`
}

type ConflictResolution struct {
	InitialReplication string `yaml:"initial_replication,optional,default=most_recent"`
}

type PropertyRecvOptions struct {
	Inherit  []string          `yaml:"inherit,optional"`
	Override map[string]string `yaml:"override,optional"`
}

type PlaceholderRecvOptions struct {
	Encryption string `yaml:"encryption,default=unspecified"`
}

type PushJob struct {
	ActiveJob    `yaml:",inline"`
	Snapshotting SnapshottingEnum  `yaml:"snapshotting"`
	Filesystems  FilesystemsFilter `yaml:"filesystems"`
	Send         *SendOptions      `yaml:"send,fromdefaults,optional"`
}

type PullJob struct {
	ActiveJob `yaml:",inline"`
	RootFS    string                   `yaml:"root_fs"`
	Interval  PositiveDurationOrManual `yaml:"interval"`
	Recv      *RecvOptions             `yaml:"recv,fromdefaults,optional"`
}

// PositiveDurationOrManual is a pull job's interval: "manual" or a Go duration.
type PositiveDurationOrManual struct {
	Interval time.Duration
	Manual   bool
}

type SinkJob struct {
	PassiveJob `yaml:",inline"`
	RootFS     string       `yaml:"root_fs"`
	Recv       *RecvOptions `yaml:"recv,optional,fromdefaults"`
}

type SourceJob struct {
	PassiveJob   `yaml:",inline"`
	Snapshotting SnapshottingEnum  `yaml:"snapshotting"`
	Filesystems  FilesystemsFilter `yaml:"filesystems"`
	Send         *SendOptions      `yaml:"send,optional,fromdefaults"`
}

// FilesystemsFilter maps filter patterns ("pool/a<", "pool/a") to allow/deny.
type FilesystemsFilter map[string]bool

// SnapshottingEnum holds *SnapshottingPeriodic, *SnapshottingCron or *SnapshottingManual.
type SnapshottingEnum struct {
	Ret any
}

type SnapshottingPeriodic struct {
	Type            string        `yaml:"type"`
	Prefix          string        `yaml:"prefix"`
	Interval        time.Duration `yaml:"interval,positive"`
	Hooks           HookList      `yaml:"hooks,optional"`
	TimestampFormat string        `yaml:"timestamp_format,optional,default=dense"`
}

type SnapshottingCron struct {
	Type            string   `yaml:"type"`
	Prefix          string   `yaml:"prefix"`
	Cron            string   `yaml:"cron"`
	Hooks           HookList `yaml:"hooks,optional"`
	TimestampFormat string   `yaml:"timestamp_format,optional,default=dense"`
}

type SnapshottingManual struct {
	Type string `yaml:"type"`
}

type PruningSenderReceiver struct {
	KeepSender   []PruningEnum `yaml:"keep_sender"`
	KeepReceiver []PruningEnum `yaml:"keep_receiver"`
}

type PruningLocal struct {
	Keep []PruningEnum `yaml:"keep"`
}

type Global struct {
	Logging    *LoggingOutletEnumList `yaml:"logging,optional,fromdefaults"`
	Monitoring []MonitoringEnum       `yaml:"monitoring,optional"`
	Control    *GlobalControl         `yaml:"control,optional,fromdefaults"`
	Serve      *GlobalServe           `yaml:"serve,optional,fromdefaults"`
}

// LoggingOutletEnumList defaults to one stdout outlet (level warn, human).
type LoggingOutletEnumList []LoggingOutletEnum

type ConnectEnum struct {
	Ret any
}

type ConnectCommon struct {
	Type string `yaml:"type"`
}

type TCPConnect struct {
	ConnectCommon `yaml:",inline"`
	Address       string        `yaml:"address"`
	DialTimeout   time.Duration `yaml:"dial_timeout,zeropositive,default=10s"`
}

type TLSConnect struct {
	ConnectCommon `yaml:",inline"`
	Address       string        `yaml:"address"`
	Ca            string        `yaml:"ca"`
	Cert          string        `yaml:"cert"`
	Key           string        `yaml:"key"`
	ServerCN      string        `yaml:"server_cn"`
	DialTimeout   time.Duration `yaml:"dial_timeout,zeropositive,default=10s"`
}

type SSHStdinserverConnect struct {
	ConnectCommon        `yaml:",inline"`
	Host                 string        `yaml:"host"`
	User                 string        `yaml:"user"`
	Port                 uint16        `yaml:"port"`
	IdentityFile         string        `yaml:"identity_file"`
	TransportOpenCommand []string      `yaml:"transport_open_command,optional"`
	SSHCommand           string        `yaml:"ssh_command,optional"`
	Options              []string      `yaml:"options,optional"`
	DialTimeout          time.Duration `yaml:"dial_timeout,zeropositive,default=10s"`
}

type LocalConnect struct {
	ConnectCommon  `yaml:",inline"`
	ListenerName   string        `yaml:"listener_name"`
	ClientIdentity string        `yaml:"client_identity"`
	DialTimeout    time.Duration `yaml:"dial_timeout,zeropositive,default=2s"`
}

type ServeEnum struct {
	Ret any
}

type ServeCommon struct {
	Type string `yaml:"type"`
}

type TCPServe struct {
	ServeCommon    `yaml:",inline"`
	Listen         string            `yaml:"listen"`
	ListenFreeBind bool              `yaml:"listen_freebind,default=false"`
	Clients        map[string]string `yaml:"clients"`
}

type TLSServe struct {
	ServeCommon      `yaml:",inline"`
	Listen           string        `yaml:"listen"`
	ListenFreeBind   bool          `yaml:"listen_freebind,default=false"`
	Ca               string        `yaml:"ca"`
	Cert             string        `yaml:"cert"`
	Key              string        `yaml:"key"`
	ClientCNs        []string      `yaml:"client_cns"`
	HandshakeTimeout time.Duration `yaml:"handshake_timeout,zeropositive,default=10s"`
}

type StdinserverServer struct {
	ServeCommon      `yaml:",inline"`
	ClientIdentities []string `yaml:"client_identities"`
}

type LocalServe struct {
	ServeCommon  `yaml:",inline"`
	ListenerName string `yaml:"listener_name"`
}

type PruningEnum struct {
	Ret any
}

type PruneKeepNotReplicated struct {
	Type                 string `yaml:"type"`
	KeepSnapshotAtCursor bool   `yaml:"keep_snapshot_at_cursor,optional,default=true"`
}

type PruneKeepLastN struct {
	Type  string `yaml:"type"`
	Count int    `yaml:"count"`
	Regex string `yaml:"regex,optional"`
}

type PruneKeepRegex struct {
	Type   string `yaml:"type"`
	Regex  string `yaml:"regex"`
	Negate bool   `yaml:"negate,optional,default=false"`
}

type PruneGrid struct {
	Type  string `yaml:"type"`
	Grid  string `yaml:"grid"`
	Regex string `yaml:"regex"`
}

type LoggingOutletEnum struct {
	Ret any
}

type LoggingOutletCommon struct {
	Type   string `yaml:"type"`
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

type StdoutLoggingOutlet struct {
	LoggingOutletCommon `yaml:",inline"`
	Time                bool `yaml:"time,default=true"`
	Color               bool `yaml:"color,default=true"`
}

type SyslogLoggingOutlet struct {
	LoggingOutletCommon `yaml:",inline"`
	Facility            string        `yaml:"facility,optional,default=local0"`
	RetryInterval       time.Duration `yaml:"retry_interval,positive,default=10s"`
}

type TCPLoggingOutlet struct {
	LoggingOutletCommon `yaml:",inline"`
	Address             string               `yaml:"address"`
	Net                 string               `yaml:"net,default=tcp"`
	RetryInterval       time.Duration        `yaml:"retry_interval,positive,default=10s"`
	TLS                 *TCPLoggingOutletTLS `yaml:"tls,optional"`
}

type TCPLoggingOutletTLS struct {
	CA   string `yaml:"ca"`
	Cert string `yaml:"cert"`
	Key  string `yaml:"key"`
}

type MonitoringEnum struct {
	Ret any
}

type PrometheusMonitoring struct {
	Type           string `yaml:"type"`
	Listen         string `yaml:"listen"`
	ListenFreeBind bool   `yaml:"listen_freebind,default=false"`
}

type GlobalControl struct {
	SockPath string `yaml:"sockpath,default=/var/run/zrepl/control"`
}

type GlobalServe struct {
	StdinServer *GlobalStdinServer `yaml:"stdinserver,optional,fromdefaults"`
}

type GlobalStdinServer struct {
	SockDir string `yaml:"sockdir,default=/var/run/zrepl/stdinserver"`
}

type JobDebugSettings struct {
	Conn   *JobDebugConn `yaml:"conn,optional"`
	RPCLog bool          `yaml:"rpc_log,optional,default=false"`
}

type JobDebugConn struct {
	ReadDump  string `yaml:"read_dump"`
	WriteDump string `yaml:"write_dump"`
}

type HookList []HookEnum

type HookEnum struct {
	Ret any
}

type HookSettingsCommon struct {
	Type       string `yaml:"type"`
	ErrIsFatal bool   `yaml:"err_is_fatal,optional,default=false"`
}

type HookCommand struct {
	Path               string            `yaml:"path"`
	Timeout            time.Duration     `yaml:"timeout,optional,positive,default=30s"`
	Filesystems        FilesystemsFilter `yaml:"filesystems,optional,default=all"`
	HookSettingsCommon `yaml:",inline"`
}

type HookPostgresCheckpoint struct {
	HookSettingsCommon `yaml:",inline"`
	DSN                string            `yaml:"dsn"`
	Timeout            time.Duration     `yaml:"timeout,optional,positive,default=30s"`
	Filesystems        FilesystemsFilter `yaml:"filesystems"`
}

type HookMySQLLockTables struct {
	HookSettingsCommon `yaml:",inline"`
	DSN                string            `yaml:"dsn"`
	Timeout            time.Duration     `yaml:"timeout,optional,positive,default=30s"`
	Filesystems        FilesystemsFilter `yaml:"filesystems"`
}

// enumTypes lists, per enum, the concrete struct of each "type" value.
func enumTypes(enum any) map[string]func() any {
	switch enum.(type) {
	case *JobEnum:
		return map[string]func() any{
			"snap": func() any { return &SnapJob{} }, "push": func() any { return &PushJob{} },
			"sink": func() any { return &SinkJob{} }, "pull": func() any { return &PullJob{} },
			"source": func() any { return &SourceJob{} },
		}
	case *ConnectEnum:
		return map[string]func() any{
			"tcp": func() any { return &TCPConnect{} }, "tls": func() any { return &TLSConnect{} },
			"ssh+stdinserver": func() any { return &SSHStdinserverConnect{} }, "local": func() any { return &LocalConnect{} },
		}
	case *ServeEnum:
		return map[string]func() any{
			"tcp": func() any { return &TCPServe{} }, "tls": func() any { return &TLSServe{} },
			"stdinserver": func() any { return &StdinserverServer{} }, "local": func() any { return &LocalServe{} },
		}
	case *PruningEnum:
		return map[string]func() any{
			"not_replicated": func() any { return &PruneKeepNotReplicated{} }, "last_n": func() any { return &PruneKeepLastN{} },
			"grid": func() any { return &PruneGrid{} }, "regex": func() any { return &PruneKeepRegex{} },
		}
	case *SnapshottingEnum:
		return map[string]func() any{
			"periodic": func() any { return &SnapshottingPeriodic{} }, "cron": func() any { return &SnapshottingCron{} },
			"manual": func() any { return &SnapshottingManual{} },
		}
	case *LoggingOutletEnum:
		return map[string]func() any{
			"stdout": func() any { return &StdoutLoggingOutlet{} }, "syslog": func() any { return &SyslogLoggingOutlet{} },
			"tcp": func() any { return &TCPLoggingOutlet{} },
		}
	case *MonitoringEnum:
		return map[string]func() any{"prometheus": func() any { return &PrometheusMonitoring{} }}
	case *HookEnum:
		return map[string]func() any{
			"command": func() any { return &HookCommand{} }, "postgres-checkpoint": func() any { return &HookPostgresCheckpoint{} },
			"mysql-lock-tables": func() any { return &HookMySQLLockTables{} },
		}
	}
	return nil
}
