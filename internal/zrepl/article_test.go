package zrepl

import (
	"os"
	"path/filepath"
)

// The article's configurations (reference section 12.2), byte for byte, are
// in testdata (the provider's tests read them too); these are the models
// they parse into.
var (
	articleF0 = readTestdata("article-f0.yml")
	articleF1 = readTestdata("article-f1.yml")
)

func readTestdata(name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		panic(err)
	}
	return string(b)
}

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
