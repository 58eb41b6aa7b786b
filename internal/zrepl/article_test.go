package zrepl

// The article's configurations (reference section 12.2), byte for byte, and
// the models they parse into.

const articleF0 = `global:
  logging:
    - type: stdout
      level: info
      format: human

jobs:
  - name: f0_to_f1_nfsdata
    type: push
    connect:
      type: tcp
      address: "192.168.2.131:8888"
    filesystems:
      "zdata/enc/nfsdata": true
    send:
      encrypted: true
    snapshotting:
      type: periodic
      prefix: zrepl_
      interval: 1m
    pruning:
      keep_sender:
        - type: last_n
          count: 10
      keep_receiver:
        - type: last_n
          count: 10

  - name: f0_to_f1_fedora
    type: push
    connect:
      type: tcp
      address: "192.168.2.131:8888"
    filesystems:
      "zroot/bhyve/fedora": true
    send:
      encrypted: true
    snapshotting:
      type: periodic
      prefix: zrepl_
      interval: 10m
    pruning:
      keep_sender:
        - type: last_n
          count: 10
      keep_receiver:
        - type: last_n
          count: 10
`

const articleF1 = `global:
  logging:
    - type: stdout
      level: info
      format: human

jobs:
  - name: sink
    type: sink
    serve:
      type: tcp
      listen: "192.168.2.131:8888"
      clients:
        "192.168.2.130": "f0"
    recv:
      placeholder:
        encryption: inherit
    root_fs: "zdata/sink"
`

func ptr[T any](v T) *T { return &v }

func articleGlobal() *Global {
	return &Global{Logging: []LoggingOutlet{{Type: "stdout", Level: "info", Format: "human"}}}
}

func articlePush(name, fs, interval string) Job {
	return Job{
		Name:         name,
		Type:         JobPush,
		Connect:      &Connect{Type: "tcp", Address: "192.168.2.131:8888"},
		Filesystems:  map[string]bool{fs: true},
		Send:         &SendOptions{Encrypted: ptr(true)},
		Snapshotting: &Snapshotting{Type: "periodic", Prefix: "zrepl_", Interval: interval},
		Pruning: &Pruning{
			KeepSender:   []KeepRule{{Type: "last_n", Count: ptr[int64](10)}},
			KeepReceiver: []KeepRule{{Type: "last_n", Count: ptr[int64](10)}},
		},
	}
}

func articleF0Config() *Config {
	return &Config{Global: articleGlobal(), Jobs: []Job{
		articlePush("f0_to_f1_nfsdata", "zdata/enc/nfsdata", "1m"),
		articlePush("f0_to_f1_fedora", "zroot/bhyve/fedora", "10m"),
	}}
}

func articleF1Config() *Config {
	return &Config{Global: articleGlobal(), Jobs: []Job{{
		Name: "sink",
		Type: JobSink,
		Serve: &Serve{Type: "tcp", Listen: "192.168.2.131:8888",
			Clients: map[string]string{"192.168.2.130": "f0"}},
		Recv:   &RecvOptions{Placeholder: &Placeholder{Encryption: "inherit"}},
		RootFS: "zdata/sink",
	}}}
}
