package zrepl

// The types below are both the model and the YAML schema: the yaml tags are
// zrepl's key names, and the field order is the order in which Render writes
// the keys (the order of zrepl's documentation and of the article). Each
// union type (a job, a transport, a rule) holds the fields of all its kinds;
// Validate refuses fields that do not belong to the kind named by Type.
// Pointers and empty values mean "not in the file": zrepl then applies its
// own default.

// Config is a whole zrepl.yml.
type Config struct {
	Global *Global `yaml:"global,omitempty"`
	Jobs   []Job   `yaml:"jobs"`
}

// Global is the daemon-wide section.
type Global struct {
	Logging    []LoggingOutlet `yaml:"logging,omitempty"`
	Monitoring []Monitoring    `yaml:"monitoring,omitempty"`
}

// LoggingOutlet is one entry of global.logging: stdout, syslog or tcp.
type LoggingOutlet struct {
	Type   string `yaml:"type"`
	Level  string `yaml:"level,omitempty"`
	Format string `yaml:"format,omitempty"`
	// stdout
	Time  *bool `yaml:"time,omitempty"`
	Color *bool `yaml:"color,omitempty"`
	// syslog
	Facility string `yaml:"facility,omitempty"`
	// tcp
	Address string     `yaml:"address,omitempty"`
	Net     string     `yaml:"net,omitempty"`
	TLS     *OutletTLS `yaml:"tls,omitempty"`
	// syslog and tcp
	RetryInterval string `yaml:"retry_interval,omitempty"`
}

// OutletTLS is the client authentication of a tcp logging outlet.
type OutletTLS struct {
	CA   string `yaml:"ca,omitempty"`
	Cert string `yaml:"cert,omitempty"`
	Key  string `yaml:"key,omitempty"`
}

// Monitoring is one entry of global.monitoring (prometheus).
type Monitoring struct {
	Type           string `yaml:"type"`
	Listen         string `yaml:"listen,omitempty"`
	ListenFreebind *bool  `yaml:"listen_freebind,omitempty"`
}

// Job is one entry of jobs. Type is push, sink, pull, source or snap.
type Job struct {
	Name               string              `yaml:"name"`
	Type               string              `yaml:"type"`
	Connect            *Connect            `yaml:"connect,omitempty"`
	Serve              *Serve              `yaml:"serve,omitempty"`
	Filesystems        map[string]bool     `yaml:"filesystems,omitempty"`
	Send               *SendOptions        `yaml:"send,omitempty"`
	Recv               *RecvOptions        `yaml:"recv,omitempty"`
	RootFS             string              `yaml:"root_fs,omitempty"`
	Interval           string              `yaml:"interval,omitempty"`
	Snapshotting       *Snapshotting       `yaml:"snapshotting,omitempty"`
	Pruning            *Pruning            `yaml:"pruning,omitempty"`
	Replication        *Replication        `yaml:"replication,omitempty"`
	ConflictResolution *ConflictResolution `yaml:"conflict_resolution,omitempty"`
}

// Connect is an active job's transport: tcp, tls, ssh+stdinserver or local.
type Connect struct {
	Type    string `yaml:"type"`
	Address string `yaml:"address,omitempty"` // tcp, tls
	// tls
	CA       string `yaml:"ca,omitempty"`
	Cert     string `yaml:"cert,omitempty"`
	Key      string `yaml:"key,omitempty"`
	ServerCN string `yaml:"server_cn,omitempty"`
	// ssh+stdinserver
	Host         string   `yaml:"host,omitempty"`
	User         string   `yaml:"user,omitempty"`
	Port         *int64   `yaml:"port,omitempty"`
	IdentityFile string   `yaml:"identity_file,omitempty"`
	Options      []string `yaml:"options,omitempty"`
	// local
	ListenerName   string `yaml:"listener_name,omitempty"`
	ClientIdentity string `yaml:"client_identity,omitempty"`
	// all
	DialTimeout string `yaml:"dial_timeout,omitempty"`
}

// Serve is a passive job's transport: tcp, tls, stdinserver or local.
type Serve struct {
	Type           string `yaml:"type"`
	Listen         string `yaml:"listen,omitempty"`          // tcp, tls
	ListenFreebind *bool  `yaml:"listen_freebind,omitempty"` // tcp, tls
	// tcp: client IP address or CIDR -> client identity
	Clients map[string]string `yaml:"clients,omitempty"`
	// tls
	CA               string   `yaml:"ca,omitempty"`
	Cert             string   `yaml:"cert,omitempty"`
	Key              string   `yaml:"key,omitempty"`
	ClientCNs        []string `yaml:"client_cns,omitempty"`
	HandshakeTimeout string   `yaml:"handshake_timeout,omitempty"`
	// stdinserver
	ClientIdentities []string `yaml:"client_identities,omitempty"`
	// local
	ListenerName string `yaml:"listener_name,omitempty"`
}

// SendOptions are the zfs send flags of push and source jobs. zrepl's
// default for Encrypted is false; the provider's default is true (raw
// sends, which keep the copy encrypted with the source's key).
type SendOptions struct {
	Encrypted        *bool           `yaml:"encrypted,omitempty"`
	Raw              *bool           `yaml:"raw,omitempty"`
	SendProperties   *bool           `yaml:"send_properties,omitempty"`
	BackupProperties *bool           `yaml:"backup_properties,omitempty"`
	LargeBlocks      *bool           `yaml:"large_blocks,omitempty"`
	Compressed       *bool           `yaml:"compressed,omitempty"`
	EmbeddedData     *bool           `yaml:"embedded_data,omitempty"`
	Saved            *bool           `yaml:"saved,omitempty"`
	BandwidthLimit   *BandwidthLimit `yaml:"bandwidth_limit,omitempty"`
}

// RecvOptions are the receive options of sink and pull jobs.
type RecvOptions struct {
	Properties     *RecvProperties `yaml:"properties,omitempty"`
	BandwidthLimit *BandwidthLimit `yaml:"bandwidth_limit,omitempty"`
	Placeholder    *Placeholder    `yaml:"placeholder,omitempty"`
}

// RecvProperties are zfs recv's -x (inherit) and -o (override).
type RecvProperties struct {
	Inherit  []string          `yaml:"inherit,omitempty"`
	Override map[string]string `yaml:"override,omitempty"`
}

// Placeholder controls the placeholder datasets zrepl creates on the receiver.
type Placeholder struct {
	Encryption string `yaml:"encryption,omitempty"`
}

// BandwidthLimit is a rate such as "23.5 MiB" (per second) and a bucket.
type BandwidthLimit struct {
	Max            string `yaml:"max,omitempty"`
	BucketCapacity string `yaml:"bucket_capacity,omitempty"`
}

// Snapshotting is periodic, cron or manual.
type Snapshotting struct {
	Type            string `yaml:"type"`
	Prefix          string `yaml:"prefix,omitempty"`
	Interval        string `yaml:"interval,omitempty"` // periodic
	Cron            string `yaml:"cron,omitempty"`     // cron
	TimestampFormat string `yaml:"timestamp_format,omitempty"`
	Hooks           []Hook `yaml:"hooks,omitempty"`
}

// Hook is a snapshot hook. Only command hooks are modelled: the
// postgres-checkpoint and mysql-lock-tables hooks carry a DSN, which usually
// holds a password and would end up in Terraform's state.
type Hook struct {
	Type        string          `yaml:"type"`
	Path        string          `yaml:"path,omitempty"`
	Timeout     string          `yaml:"timeout,omitempty"`
	ErrIsFatal  *bool           `yaml:"err_is_fatal,omitempty"`
	Filesystems map[string]bool `yaml:"filesystems,omitempty"`
}

// Pruning holds keep_sender and keep_receiver (push, pull) or keep (snap).
type Pruning struct {
	KeepSender   []KeepRule `yaml:"keep_sender,omitempty"`
	KeepReceiver []KeepRule `yaml:"keep_receiver,omitempty"`
	Keep         []KeepRule `yaml:"keep,omitempty"`
}

// KeepRule is not_replicated, last_n, grid or regex.
type KeepRule struct {
	Type                 string `yaml:"type"`
	Count                *int64 `yaml:"count,omitempty"`                   // last_n
	Grid                 string `yaml:"grid,omitempty"`                    // grid
	Regex                string `yaml:"regex,omitempty"`                   // last_n, grid, regex
	Negate               *bool  `yaml:"negate,omitempty"`                  // regex
	KeepSnapshotAtCursor *bool  `yaml:"keep_snapshot_at_cursor,omitempty"` // not_replicated
}

// Replication holds the protection and concurrency options of active jobs.
type Replication struct {
	Protection  *Protection  `yaml:"protection,omitempty"`
	Concurrency *Concurrency `yaml:"concurrency,omitempty"`
}

// Protection selects the guarantees for initial and incremental steps.
type Protection struct {
	Initial     string `yaml:"initial,omitempty"`
	Incremental string `yaml:"incremental,omitempty"`
}

// Concurrency bounds parallel steps and size estimates.
type Concurrency struct {
	Steps         *int64 `yaml:"steps,omitempty"`
	SizeEstimates *int64 `yaml:"size_estimates,omitempty"`
}

// ConflictResolution decides what a first replication sends.
type ConflictResolution struct {
	InitialReplication string `yaml:"initial_replication,omitempty"`
}

// ReceivedRoots says where the sink jobs put what each client sends, by
// the client's identity: zrepl places a client's dataset DS at
// ROOT_FS/IDENTITY/DS, so f0's zdata/enc/nfsdata arrives in a sink with
// root_fs zdata/sink as zdata/sink/f0/zdata/enc/nfsdata.
func (c *Config) ReceivedRoots() map[string]string {
	out := map[string]string{}
	if c == nil {
		return out
	}
	for _, j := range c.Jobs {
		if j.Type != "sink" || j.RootFS == "" || j.Serve == nil {
			continue
		}
		ids := append(append([]string{}, j.Serve.ClientCNs...), j.Serve.ClientIdentities...)
		for _, id := range j.Serve.Clients {
			ids = append(ids, id)
		}
		for _, id := range ids {
			out[id] = j.RootFS + "/" + id
		}
	}
	return out
}
