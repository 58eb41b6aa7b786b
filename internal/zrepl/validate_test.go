package zrepl

import (
	"slices"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	f0 := func(edit func(c *Config)) *Config {
		c := articleF0Config()
		edit(c)
		return c
	}
	f1 := func(edit func(c *Config)) *Config {
		c := articleF1Config()
		edit(c)
		return c
	}
	tests := []struct {
		name string
		cfg  *Config
		want []string // Problem.Error() of every problem, in order
	}{
		{"article f0", articleF0Config(), nil},
		{"article f1", articleF1Config(), nil},
		{"every option", everythingConfig(), nil},
		{"push without connect", f0(func(c *Config) { c.Jobs[0].Connect = nil }),
			[]string{`jobs[0].connect: is required for a job of type "push"`}},
		{"sink without root_fs", f1(func(c *Config) { c.Jobs[0].RootFS = "" }),
			[]string{`jobs[0].root_fs: is required for a job of type "sink"`}},
		{"push with a sink's fields", f0(func(c *Config) {
			c.Jobs[0].RootFS = "zdata/sink"
			c.Jobs[0].Serve = &Serve{Type: "local", ListenerName: "x"}
		}), []string{
			`jobs[0].root_fs: is not an option of a job of type "push" (it takes connect, filesystems, send, snapshotting, pruning, replication, conflict_resolution)`,
			`jobs[0].serve: is not an option of a job of type "push" (it takes connect, filesystems, send, snapshotting, pruning, replication, conflict_resolution)`,
		}},
		{"push without filesystems", f0(func(c *Config) { c.Jobs[1].Filesystems = map[string]bool{} }),
			[]string{`jobs[1].filesystems: is required for a job of type "push"`}},
		{"duplicate job names", f0(func(c *Config) { c.Jobs[1].Name = c.Jobs[0].Name }),
			[]string{`jobs[1].name: job name "f0_to_f1_nfsdata" is already used by jobs[0]: job names must be unique`}},
		{"reserved job name", f0(func(c *Config) { c.Jobs[0].Name = "_control" }),
			[]string{`jobs[0].name: job name "_control" starts with "_", which zrepl reserves for its internal jobs`}},
		{"job name with a space", f0(func(c *Config) { c.Jobs[0].Name = "f0 to f1" }),
			[]string{`jobs[0].name: job name "f0 to f1" contains ' ': use letters, digits and ` + "`_ - . :`"}},
		{"interval zrepl refuses", f0(func(c *Config) { c.Jobs[0].Snapshotting.Interval = "1 minute" }),
			[]string{`jobs[0].snapshotting.interval: "1 minute" must match ^\s*([\+-]?\d+)\s*(|s|m|h|d|w)\s*$ (a number and a unit: 30s, 10m, 1h, 1d, 1w)`}},
		{"interval without unit", f0(func(c *Config) { c.Jobs[0].Snapshotting.Interval = "10" }),
			[]string{`jobs[0].snapshotting.interval: "10" has no time unit (s, m, h, d or w)`}},
		{"interval zero", f0(func(c *Config) { c.Jobs[0].Snapshotting.Interval = "0" }),
			[]string{`jobs[0].snapshotting.interval: "0" must be a positive duration`}},
		{"interval negative", f0(func(c *Config) { c.Jobs[0].Snapshotting.Interval = "-5m" }),
			[]string{`jobs[0].snapshotting.interval: "-5m" must be a positive duration`}},
		{"empty prefix", f0(func(c *Config) { c.Jobs[0].Snapshotting.Prefix = "" }),
			[]string{`jobs[0].snapshotting.prefix: is required for snapshotting of type "periodic"`}},
		{"prefix with a slash", f0(func(c *Config) { c.Jobs[0].Snapshotting.Prefix = "a/b" }),
			[]string{`jobs[0].snapshotting.prefix: prefix "a/b" contains '/': use letters, digits and ` + "`_ - . :`"}},
		{"cron field on periodic", f0(func(c *Config) { c.Jobs[0].Snapshotting.Cron = "0 3 * * *" }),
			[]string{`jobs[0].snapshotting.cron: is not an option of snapshotting of type "periodic" (it takes prefix, interval, timestamp_format, hooks)`}},
		{"bad cron", f0(func(c *Config) {
			c.Jobs[0].Snapshotting = &Snapshotting{Type: "cron", Prefix: "zrepl_", Cron: "every day"}
		}), []string{`jobs[0].snapshotting.cron: cron spec "every day" has 2 fields: give 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)`}},
		{"placeholder encryption", f1(func(c *Config) { c.Jobs[0].Recv.Placeholder.Encryption = "maybe" }),
			[]string{`jobs[0].recv.placeholder.encryption: "maybe" must be one of "unspecified", "inherit", "off"`}},
		{"two addresses, one identity", f1(func(c *Config) { c.Jobs[0].Serve.Clients["192.168.2.132"] = "f0" }),
			[]string{`jobs[0].serve.clients["192.168.2.132"]: identity "f0" is already mapped to "192.168.2.130": two clients with one identity would receive into the same datasets (root_fs/f0/...), give each client its own identity`}},
		{"client not an address", f1(func(c *Config) { c.Jobs[0].Serve.Clients = map[string]string{"f0.lan": "f0"} }),
			[]string{`jobs[0].serve.clients["f0.lan"]: "f0.lan" is neither an IP address nor a CIDR network`}},
		{"identity with a slash", f1(func(c *Config) { c.Jobs[0].Serve.Clients = map[string]string{"192.168.2.130": "f0/x"} }),
			[]string{`jobs[0].serve.clients["192.168.2.130"]: client identity "f0/x" contains '/': use letters, digits and ` + "`_ - . :`"}},
		{"tcp serve without clients", f1(func(c *Config) { c.Jobs[0].Serve.Clients = nil }),
			[]string{`jobs[0].serve.clients: is required for serve of type "tcp"`}},
		{"listen without port", f1(func(c *Config) { c.Jobs[0].Serve.Listen = "192.168.2.131" }),
			[]string{`jobs[0].serve.listen: "192.168.2.131" is not HOST:PORT: missing port in address`}},
		{"bad root_fs", f1(func(c *Config) { c.Jobs[0].RootFS = "zdata//sink" }),
			[]string{`jobs[0].root_fs: the dataset name "zdata//sink" has an empty component (a leading, trailing or doubled '/')`}},
		{"tls connect missing its files", f0(func(c *Config) {
			c.Jobs[0].Connect = &Connect{Type: "tls", Address: "b:8888", ServerCN: "b"}
		}), []string{
			`jobs[0].connect.ca: is required for connect of type "tls"`,
			`jobs[0].connect.cert: is required for connect of type "tls"`,
			`jobs[0].connect.key: is required for connect of type "tls"`,
		}},
		{"tcp connect with a tls field", f0(func(c *Config) { c.Jobs[0].Connect.CA = "/etc/ca.crt" }),
			[]string{`jobs[0].connect.ca: is not an option of connect of type "tcp" (it takes address, dial_timeout)`}},
		{"ssh port out of range", f0(func(c *Config) {
			c.Jobs[0].Connect = &Connect{Type: "ssh+stdinserver", Host: "h", User: "root", Port: ptr[int64](0), IdentityFile: "/k"}
		}), []string{`jobs[0].connect.port: 0 must be from 1 to 65535`}},
		{"unknown connect type", f0(func(c *Config) { c.Jobs[0].Connect.Type = "udp" }),
			[]string{`jobs[0].connect.type: "udp" must be one of "tcp", "tls", "ssh+stdinserver", "local"`}},
		{"local connect without a listener", f0(func(c *Config) {
			c.Jobs[0].Connect = &Connect{Type: "local", ListenerName: "pool", ClientIdentity: "me"}
		}), []string{`jobs[0].connect.listener_name: no job of this configuration serves the local listener "pool": a local transport connects to a sink or source job with serve type "local" in the same daemon`}},
		{"keep on a push job", f0(func(c *Config) { c.Jobs[0].Pruning.Keep = []KeepRule{{Type: "not_replicated"}} }),
			[]string{`jobs[0].pruning.keep: is not an option of the pruning of a push job (it takes keep_sender, keep_receiver)`}},
		{"no receiver rules", f0(func(c *Config) { c.Jobs[0].Pruning.KeepReceiver = nil }),
			[]string{`jobs[0].pruning.keep_receiver: is required and must hold at least one rule: a snapshot that no rule keeps is destroyed`}},
		{"last_n without count", f0(func(c *Config) { c.Jobs[0].Pruning.KeepSender[0].Count = nil }),
			[]string{`jobs[0].pruning.keep_sender[0].count: is required for a keep rule of type "last_n"`}},
		{"last_n count zero", f0(func(c *Config) { c.Jobs[0].Pruning.KeepSender[0].Count = ptr[int64](0) }),
			[]string{`jobs[0].pruning.keep_sender[0].count: 0 must be at least 1`}},
		{"grid without regex", f0(func(c *Config) { c.Jobs[0].Pruning.KeepSender[0] = KeepRule{Type: "grid", Grid: "24x1h"} }),
			[]string{`jobs[0].pruning.keep_sender[0].regex: is required for a keep rule of type "grid"`}},
		{"bad grid", f0(func(c *Config) {
			c.Jobs[0].Pruning.KeepSender[0] = KeepRule{Type: "grid", Grid: "24x1h | 7 days", Regex: "^zrepl_"}
		}), []string{`jobs[0].pruning.keep_sender[0].grid: grid "24x1h | 7 days": interval 2 of 2 ("7 days") is not COUNTxDURATION(keep=N)`}},
		{"bad regex", f0(func(c *Config) { c.Jobs[0].Pruning.KeepSender[0].Regex = "(zrepl" }),
			[]string{"jobs[0].pruning.keep_sender[0].regex: \"(zrepl\" is not a regular expression: error parsing regexp: missing closing ): `(zrepl`"}},
		{"bad filter", f0(func(c *Config) { c.Jobs[0].Filesystems = map[string]bool{"zdata/enc/": true} }),
			[]string{`jobs[0].filesystems["zdata/enc/"]: "zdata/enc/" is not a filter (a dataset name, optionally followed by "<" for its subtree): the dataset name "zdata/enc/" has an empty component (a leading, trailing or doubled '/')`}},
		{"bad bandwidth", f0(func(c *Config) { c.Jobs[0].Send.BandwidthLimit = &BandwidthLimit{Max: "fast"} }),
			[]string{`jobs[0].send.bandwidth_limit.max: "fast" must be a number and a unit: bit, B, Kb, KiB, Mb, MiB, Gb, GiB, Tb, TiB (bits with b, bytes with B)`}},
		{"bad pull interval", &Config{Jobs: []Job{{Name: "p", Type: JobPull, Connect: &Connect{Type: "tcp", Address: "a:1"},
			RootFS: "t/r", Interval: "1d", Pruning: &Pruning{KeepSender: []KeepRule{{Type: "regex", Regex: ".*"}},
				KeepReceiver: []KeepRule{{Type: "regex", Regex: ".*"}}}}}},
			[]string{`jobs[0].interval: "1d" must be "manual" or a positive duration such as 10m`}},
		{"two stdout outlets", f0(func(c *Config) {
			c.Global.Logging = append(c.Global.Logging, LoggingOutlet{Type: "stdout", Level: "debug", Format: "json"})
		}), []string{`global.logging[1].type: a stdout outlet can be given only once (it is also logging[0])`}},
		{"outlet without level", f0(func(c *Config) { c.Global.Logging[0].Level = "" }),
			[]string{`global.logging[0].level: is required for a logging outlet of type "stdout"`}},
		{"bad level", f0(func(c *Config) { c.Global.Logging[0].Level = "verbose" }),
			[]string{`global.logging[0].level: "verbose" must be one of "debug", "info", "warn", "error"`}},
		{"prometheus without listen", f0(func(c *Config) { c.Global.Monitoring = []Monitoring{{Type: "prometheus"}} }),
			[]string{`global.monitoring[0].listen: is required for prometheus monitoring`}},
		{"no jobs", &Config{}, []string{`jobs: at least one job is required`}},
		{"no job type", &Config{Jobs: []Job{{Name: "x"}}},
			[]string{`jobs[0].type: is required: one of "push", "sink", "pull", "source", "snap"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range Validate(tt.cfg) {
				got = append(got, p.Error())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Validate:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(tt.want) > 0 {
				if _, err := Render(tt.cfg); err == nil {
					t.Error("Render accepted an invalid config")
				}
			}
		})
	}
}

// CheckStructure leaves single values to the per-attribute validators.
func TestCheckStructure(t *testing.T) {
	c := articleF0Config()
	c.Jobs[0].Snapshotting.Interval = "1 minute" // a value's format: not structure
	c.Jobs[1].Connect = nil                      // structure
	var got []string
	for _, p := range CheckStructure(c) {
		got = append(got, p.Error())
	}
	want := []string{`jobs[1].connect: is required for a job of type "push"`}
	if !slices.Equal(got, want) {
		t.Errorf("CheckStructure = %q, want %q", got, want)
	}
}

func TestProblemPaths(t *testing.T) {
	p := Path{}.Field("jobs").Index(2).Field("serve").Field("clients").Key("10.0.0.1")
	if got, want := p.String(), `jobs[2].serve.clients["10.0.0.1"]`; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got := (Problems{}).Err(); got != nil {
		t.Errorf("empty Problems.Err() = %v", got)
	}
}
