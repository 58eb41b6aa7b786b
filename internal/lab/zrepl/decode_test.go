package zrepl

import (
	"os"
	"strings"
	"testing"
	"time"
)

func readFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// check is configcheck without its CLI prefixes: the parse error, else the
// job builder's.
func check(doc string) string {
	c, err := Parse([]byte(doc))
	if err == nil {
		err = BuildJobs(c)
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// The toolchain fixtures: the accepted config and its one-field changes,
// rejected by a real configcheck with the fragments the reference records.
func TestToolchainFixtures(t *testing.T) {
	accepted := readFixture(t, "toolchain-accepted.yml")
	tests := []struct {
		name, old, new string
		want           string
	}{
		{name: "accepted"},
		{"misspelt send key", "send: {encrypted: true}", "send: {encryptd: true}",
			"yaml: unmarshal errors:\n  line 8: field encryptd not found in type config.SendOptions"},
		{"interval not matching the regex", "interval: 1m}", "interval: 1 minute}",
			"yaml: unmarshal errors:\n" +
				"  line 9: cannot unmarshal !!str `1 minute` into time.Duration: must match ^\\s*([\\+-]?\\d+)\\s*(|s|m|h|d|w)\\s*$\n" +
				"  line 8: field interval is required but has zero value\n" +
				"  line 3: field snapshotting is required but has zero value"},
		{"placeholder encryption value", "encryption: inherit", "encryption: maybe",
			`cannot build job "sink": placeholder encryption value "maybe" is invalid, must be one of [unspecified inherit off]`},
		{"empty prefix", "prefix: zrepl_", `prefix: ""`,
			"yaml: unmarshal errors:\n  line 8: field prefix is required but has zero value\n  line 3: field snapshotting is required but has zero value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := accepted
			if tt.old != "" {
				if !strings.Contains(doc, tt.old) {
					t.Fatalf("fixture lacks %q", tt.old)
				}
				doc = strings.Replace(doc, tt.old, tt.new, 1)
			}
			if got := check(doc); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	sink := "jobs:\n- name: s\n  type: sink\n  serve: {type: tcp, listen: \":8888\", clients: {\"10.0.0.1\": a}}\n  root_fs: pool/sink\n"
	tests := []struct{ name, doc, want string }{
		{"valid sink", sink, ""},
		{"empty document", "# only a comment\n", "config is empty or only consists of comments"},
		{"syntax", "global: [\n", "yaml: line 1: did not find expected node content"},
		{"no jobs key", "global:\n  logging: []\n", "yaml: unmarshal errors:\n  line 0: field jobs is required"},
		{"empty jobs", "jobs: []\n", "yaml: unmarshal errors:\n  line 0: field jobs is required but has zero value"},
		{"unknown top-level key", sink + "extra: 1\n", "yaml: unmarshal errors:\n  line 6: field extra not found in type config.Config"},
		{"unknown job type", "jobs:\n- {name: x, type: mirror}\n",
			"yaml: unmarshal errors:\n  invalid type name \"mirror\"\n  line 0: field jobs is required but has zero value"},
		{"job without type", "jobs:\n- {name: x}\n",
			"yaml: unmarshal errors:\n  must specify type\n  line 0: field jobs is required but has zero value"},
		{"missing root_fs", strings.Replace(sink, "  root_fs: pool/sink\n", "", 1),
			"yaml: unmarshal errors:\n  line 1: field root_fs is required\n  line 0: field jobs is required but has zero value"},
		{"key twice", strings.Replace(sink, "  type: sink\n", "  type: sink\n  type: sink\n", 1),
			"yaml: unmarshal errors:\n  line 4: field type already set in type config.SinkJob\n  line 0: field jobs is required but has zero value"},
		{"string for a map", strings.Replace(sink, `clients: {"10.0.0.1": a}`, "clients: none", 1),
			"yaml: unmarshal errors:\n  line 4: cannot unmarshal !!str `none` into map[string]string\n  line 3: field clients is required but has zero value\n  line 1: field serve is required but has zero value\n  line 0: field jobs is required but has zero value"},
		{"count not a number", "jobs:\n- name: p\n  type: snap\n  filesystems: {\"<\": true}\n  snapshotting: {type: manual}\n  pruning: {keep: [{type: last_n, count: ten}]}\n",
			"yaml: unmarshal errors:\n  line 6: cannot unmarshal !!str `ten` into int\n  line 5: field count is required but has zero value\n  line 5: field keep is required but has zero value\n  line 1: field pruning is required but has zero value\n  line 0: field jobs is required but has zero value"},
		{"pull interval", "jobs:\n- name: p\n  type: pull\n  connect: {type: tcp, address: \"h:1\"}\n  root_fs: a/b\n  interval: 0s\n  pruning: {keep_sender: [{type: regex, regex: .*}], keep_receiver: [{type: regex, regex: .*}]}\n",
			`value must be a positive duration, got "0s"`},
		{"negative last_n", "jobs:\n- name: p\n  type: snap\n  filesystems: {\"<\": true}\n  snapshotting: {type: manual}\n  pruning: {keep: [{type: last_n, count: -1}]}\n",
			`cannot build job "p": cannot build snapjob pruning rules: cannot build rule #0: must specify positive number as 'keep last count', got -1`},
		{"bad filter", "jobs:\n- name: p\n  type: snap\n  filesystems: {\"a<b\": true}\n  snapshotting: {type: manual}\n  pruning: {keep: [{type: regex, regex: .*}]}\n",
			`cannot build job "p": cannot build filesystem filter: invalid filter pattern "a<b": '<' is only allowed at the end`},
		{"bad root_fs", strings.Replace(sink, "pool/sink", "/pool/sink", 1), `cannot build job "s": root_fs is not a valid zfs filesystem path`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := check(tt.doc); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The article's configs parse with zrepl's defaults filled in.
func TestArticleConfigs(t *testing.T) {
	c, err := Parse([]byte(readFixture(t, "article-f0.yml")))
	if err != nil {
		t.Fatal(err)
	}
	if err := BuildJobs(c); err != nil {
		t.Fatal(err)
	}
	j, ok := c.Job("f0_to_f1_fedora")
	if !ok {
		t.Fatal("no job f0_to_f1_fedora")
	}
	push := j.Ret.(*PushJob)
	per := push.Snapshotting.Ret.(*SnapshottingPeriodic)
	conn := push.Connect.Ret.(*TCPConnect)
	if per.Prefix != "zrepl_" || per.Interval != 10*time.Minute || per.TimestampFormat != "dense" ||
		!push.Send.Encrypted || push.Send.Raw || conn.Address != "192.168.2.131:8888" || conn.DialTimeout != 10*time.Second ||
		push.Replication.Protection.Initial != "guarantee_resumability" || push.ConflictResolution.InitialReplication != "most_recent" ||
		push.Pruning.KeepSender[0].Ret.(*PruneKeepLastN).Count != 10 || c.Global.Control.SockPath != "/var/run/zrepl/control" {
		t.Errorf("push job decoded as %+v / %+v / %+v", push, per, conn)
	}
	c, err = Parse([]byte(readFixture(t, "article-f1.yml")))
	if err != nil {
		t.Fatal(err)
	}
	sink := c.Jobs[0].Ret.(*SinkJob)
	serve := sink.Serve.Ret.(*TCPServe)
	if sink.RootFS != "zdata/sink" || sink.Recv.Placeholder.Encryption != "inherit" || serve.Clients["192.168.2.130"] != "f0" || serve.Listen != "192.168.2.131:8888" {
		t.Errorf("sink job decoded as %+v / %+v", sink, serve)
	}
	// Without a global section zrepl logs warnings to stdout.
	c, err = Parse([]byte("jobs:\n- name: s\n  type: sink\n  serve: {type: tcp, listen: \":1\", clients: {\"1.2.3.4\": x}}\n  root_fs: a\n"))
	if err != nil {
		t.Fatal(err)
	}
	out := (*c.Global.Logging)[0].Ret.(*StdoutLoggingOutlet)
	if out.Level != "warn" || out.Format != "human" || c.Jobs[0].Ret.(*SinkJob).Recv.Placeholder.Encryption != "unspecified" {
		t.Errorf("defaults: %+v", out)
	}
}
