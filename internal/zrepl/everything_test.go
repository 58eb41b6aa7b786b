package zrepl

// A configuration that uses every kind and option the model has, and its
// YAML written by hand from zrepl's documentation.

func everythingConfig() *Config {
	cmd := []Hook{{Type: "command", Path: "/usr/local/libexec/zrepl/pre.sh", Timeout: "30s", ErrIsFatal: ptr(true),
		Filesystems: map[string]bool{"tank/db": true}}}
	return &Config{
		Global: &Global{
			Logging: []LoggingOutlet{
				{Type: "stdout", Level: "warn", Format: "human", Time: ptr(false), Color: ptr(false)},
				{Type: "syslog", Level: "info", Format: "logfmt", Facility: "local0", RetryInterval: "10s"},
				{Type: "tcp", Level: "debug", Format: "json", Address: "logs.example.org:10202", Net: "tcp",
					RetryInterval: "30s", TLS: &OutletTLS{CA: "/etc/zrepl/ca.crt", Cert: "/etc/zrepl/log.crt", Key: "/etc/zrepl/log.key"}},
			},
			Monitoring: []Monitoring{{Type: "prometheus", Listen: ":9811", ListenFreebind: ptr(true)}},
		},
		Jobs: []Job{
			{
				Name: "push_tls", Type: JobPush,
				Connect:     &Connect{Type: "tls", Address: "backup.example.org:8888", CA: "/etc/zrepl/ca.crt", Cert: "/etc/zrepl/f0.crt", Key: "/etc/zrepl/f0.key", ServerCN: "backup", DialTimeout: "20s"},
				Filesystems: map[string]bool{"tank<": true, "tank/tmp": false},
				Send: &SendOptions{Encrypted: ptr(true), Raw: ptr(true), SendProperties: ptr(true), BackupProperties: ptr(false),
					LargeBlocks: ptr(true), Compressed: ptr(true), EmbeddedData: ptr(true), Saved: ptr(false),
					BandwidthLimit: &BandwidthLimit{Max: "23.5 MiB", BucketCapacity: "10 MiB"}},
				Snapshotting: &Snapshotting{Type: "periodic", Prefix: "zrepl_", Interval: "1d", TimestampFormat: "iso-8601", Hooks: cmd},
				Pruning: &Pruning{
					KeepSender: []KeepRule{
						{Type: "not_replicated", KeepSnapshotAtCursor: ptr(true)},
						{Type: "regex", Regex: "^manual_.*", Negate: ptr(false)},
						{Type: "grid", Grid: "1x1h(keep=all) | 24x1h | 14x1d", Regex: "^zrepl_.*"},
					},
					KeepReceiver: []KeepRule{{Type: "last_n", Count: ptr[int64](10), Regex: "^zrepl_"}},
				},
				Replication: &Replication{
					Protection:  &Protection{Initial: "guarantee_resumability", Incremental: "guarantee_incremental"},
					Concurrency: &Concurrency{Steps: ptr[int64](2), SizeEstimates: ptr[int64](4)},
				},
				ConflictResolution: &ConflictResolution{InitialReplication: "all"},
			},
			{
				Name: "sink_tls", Type: JobSink,
				Serve: &Serve{Type: "tls", Listen: ":8888", ListenFreebind: ptr(true), CA: "/etc/zrepl/ca.crt",
					Cert: "/etc/zrepl/backup.crt", Key: "/etc/zrepl/backup.key", ClientCNs: []string{"f0", "f1"}, HandshakeTimeout: "15s"},
				Recv: &RecvOptions{
					Properties:     &RecvProperties{Inherit: []string{"mountpoint"}, Override: map[string]string{"canmount": "off", "org.example:backup": "yes"}},
					BandwidthLimit: &BandwidthLimit{Max: "100 Mb"},
					Placeholder:    &Placeholder{Encryption: "off"},
				},
				RootFS: "backup/sink",
			},
			{
				Name: "pull_ssh", Type: JobPull,
				Connect: &Connect{Type: "ssh+stdinserver", Host: "prod.example.org", User: "root", Port: ptr[int64](22),
					IdentityFile: "/etc/zrepl/ssh/identity", Options: []string{"Compression=yes"}, DialTimeout: "10s"},
				Recv:     &RecvOptions{Placeholder: &Placeholder{Encryption: "unspecified"}},
				RootFS:   "backup/prod",
				Interval: "manual",
				Pruning: &Pruning{
					KeepSender:   []KeepRule{{Type: "regex", Regex: ".*"}},
					KeepReceiver: []KeepRule{{Type: "grid", Grid: "1x1h(keep=all) | 24x1h | 35x1d | 6x30d", Regex: "^zrepl_"}},
				},
			},
			{
				Name: "source_stdin", Type: JobSource,
				Serve:        &Serve{Type: "stdinserver", ClientIdentities: []string{"backup"}},
				Filesystems:  map[string]bool{"<": true},
				Send:         &SendOptions{Encrypted: ptr(false)},
				Snapshotting: &Snapshotting{Type: "cron", Prefix: "zrepl_", Cron: "0 3 * * *", TimestampFormat: "dense"},
			},
			{
				Name: "snap_manual", Type: JobSnap,
				Filesystems:  map[string]bool{"zroot/usr/home<": true},
				Snapshotting: &Snapshotting{Type: "manual"},
				Pruning:      &Pruning{Keep: []KeepRule{{Type: "last_n", Count: ptr[int64](7)}}},
			},
			{
				Name: "push_local", Type: JobPush,
				Connect:      &Connect{Type: "local", ListenerName: "backuppool", ClientIdentity: "local", DialTimeout: "2s"},
				Filesystems:  map[string]bool{"zroot/var/db": true},
				Snapshotting: &Snapshotting{Type: "periodic", Prefix: "local_", Interval: "15m"},
				Pruning: &Pruning{
					KeepSender:   []KeepRule{{Type: "not_replicated"}, {Type: "last_n", Count: ptr[int64](4)}},
					KeepReceiver: []KeepRule{{Type: "last_n", Count: ptr[int64](48)}},
				},
			},
			{
				Name: "sink_local", Type: JobSink,
				Serve:  &Serve{Type: "local", ListenerName: "backuppool"},
				RootFS: "backuppool/local",
			},
			{
				Name: "sink_tcp", Type: JobSink,
				Serve: &Serve{Type: "tcp", Listen: "[fd00::1]:8888", ListenFreebind: ptr(false),
					Clients: map[string]string{"192.168.2.0/24": "lan", "fd00::2": "f2"}},
				RootFS: "zdata/sink",
			},
		},
	}
}

const everythingYAML = `global:
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
          "org.example:backup": "yes"
      bandwidth_limit:
        max: 100 Mb
      placeholder:
        encryption: "off"
    root_fs: "backup/sink"

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
      encrypted: false
    snapshotting:
      type: cron
      prefix: zrepl_
      cron: "0 3 * * *"
      timestamp_format: dense

  - name: snap_manual
    type: snap
    filesystems:
      "zroot/usr/home<": true
    snapshotting:
      type: manual
    pruning:
      keep:
        - type: last_n
          count: 7

  - name: push_local
    type: push
    connect:
      type: local
      listener_name: backuppool
      client_identity: local
      dial_timeout: 2s
    filesystems:
      "zroot/var/db": true
    snapshotting:
      type: periodic
      prefix: local_
      interval: 15m
    pruning:
      keep_sender:
        - type: not_replicated
        - type: last_n
          count: 4
      keep_receiver:
        - type: last_n
          count: 48

  - name: sink_local
    type: sink
    serve:
      type: local
      listener_name: backuppool
    root_fs: "backuppool/local"

  - name: sink_tcp
    type: sink
    serve:
      type: tcp
      listen: "[fd00::1]:8888"
      listen_freebind: false
      clients:
        "192.168.2.0/24": "lan"
        "fd00::2": "f2"
    root_fs: "zdata/sink"
`
