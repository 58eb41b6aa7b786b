package zrepl

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want *Config
	}{
		{"article f0", articleF0, articleF0Config()},
		{"article f1", articleF1, articleF1Config()},
		{"every option", everythingYAML, everythingConfig()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			again, err := Render(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != tt.yaml {
				t.Errorf("Render(Parse(x)) != x:\n%s", cmp.Diff(tt.yaml, string(again)))
			}
		})
	}
}

// The fixtures of the toolchain reference, checked with the real zrepl
// configcheck: the accepted file, and one-field changes of it.
const fixtureAccepted = `global:
  logging: [{type: stdout, level: info, format: human}]
jobs:
  - name: f0_to_r0
    type: push
    connect: {type: tcp, address: "198.18.0.20:8888"}
    filesystems: {"tank/export<": true, "tank/export/scratch": false}
    send: {encrypted: true}
    snapshotting: {type: periodic, prefix: zrepl_, interval: 1m}
    pruning:
      keep_sender:   [{type: not_replicated}, {type: last_n, count: 10}]
      keep_receiver: [{type: last_n, count: 10}]
  - name: sink
    type: sink
    serve: {type: tcp, listen: "198.18.0.20:8888", clients: {"198.18.0.10": "f0", "198.18.0.11": "f1"}}
    recv: {placeholder: {encryption: inherit}}
    root_fs: "tank/replicas"
`

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		name      string
		old, repl string
		want      string // regexp of the error; "" when accepted
	}{
		{name: "accepted"},
		{"misspelt send option", "send: {encrypted: true}", "send: {encryptd: true}",
			`field encryptd not found in type zrepl\.SendOptions`},
		{"interval in words", "interval: 1m", "interval: 1 minute",
			`jobs\[0\]\.snapshotting\.interval: "1 minute" must match ` + regexp.QuoteMeta(`^\s*([\+-]?\d+)\s*(|s|m|h|d|w)\s*$`)},
		{"placeholder encryption", "encryption: inherit", "encryption: maybe",
			`jobs\[1\]\.recv\.placeholder\.encryption: "maybe" must be one of "unspecified", "inherit", "off"`},
		{"empty prefix", "prefix: zrepl_", `prefix: ""`,
			`jobs\[0\]\.snapshotting\.prefix: is required for snapshotting of type "periodic"`},
		// Not caught by zrepl's configcheck, refused here.
		{"two addresses, one identity", `"198.18.0.11": "f1"`, `"198.18.0.11": "f0"`,
			`jobs\[1\]\.serve\.clients\["198\.18\.0\.11"\]: identity "f0" is already mapped to "198\.18\.0\.10"`},
		// Allowed by zrepl, and here: the placeholder default applies.
		{"sink without placeholder", "    recv: {placeholder: {encryption: inherit}}\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fixtureAccepted
			if tt.old != "" {
				if !strings.Contains(in, tt.old) {
					t.Fatalf("fixture has no %q", tt.old)
				}
				in = strings.Replace(in, tt.old, tt.repl, 1)
			}
			c, err := Parse([]byte(in))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(c.Jobs) != 2 || c.Jobs[1].RootFS != "tank/replicas" {
					t.Errorf("parsed %+v", c)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error %v, want a ParseError", err)
			}
			if !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Errorf("Parse error\n%v\nwant match for\n%s", err, tt.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"empty file", "", "config is empty"},
		{"comments only", "# nothing\n", "config is empty"},
		{"not yaml", "jobs: [", "did not find expected"},
		{"unknown top-level key", "jobs: []\nglobals: {}\n", "field globals not found in type zrepl.Config"},
		{"unknown job key", "jobs:\n  - name: a\n    type: sink\n    rootfs: x\n", "field rootfs not found in type zrepl.Job"},
		{"unknown connect key", strings.Replace(articleF0, "address:", "addr:", 1), "field addr not found in type zrepl.Connect"},
		{"duplicate key", strings.Replace(articleF1, "    root_fs:", "    type: sink\n    root_fs:", 1), `mapping key "type" already defined`},
		{"count not a number", strings.Replace(articleF0, "count: 10", "count: ten", 1), "cannot unmarshal"},
		{"no jobs", "global: {}\n", "jobs: at least one job is required"},
		{"two documents", articleF1 + "---\n" + articleF1, "more than one YAML document"},
		{"unknown job type", "jobs:\n  - name: a\n    type: mirror\n", `jobs\[0\]\.type: "mirror" must be one of`},
		{"database hook", strings.Replace(articleF0, "      interval: 1m\n", "      interval: 1m\n      hooks:\n        - type: postgres-checkpoint\n          dsn: x\n", 1),
			"field dsn not found in type zrepl.Hook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatal("Parse accepted it")
			}
			if !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Errorf("Parse error\n%v\nwant match for %q", err, tt.want)
			}
		})
	}
}
