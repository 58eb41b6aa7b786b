package freebsd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// zrepl 0.6.1 as installed by the sysutils/zrepl package: the CLI basics.
// The daemon itself (snapshotting, replication, pruning) is a later piece
// of the lab: ZreplStatusRaw is its seam.

const (
	zreplControl = "/var/run/zrepl/control"
	zreplPidfile = "/var/run/zrepl/daemon.pid"
	zreplProc    = "/usr/local/bin/zrepl"
)

var zreplDefaultConfigs = []string{"/etc/zrepl/zrepl.yml", "/usr/local/etc/zrepl/zrepl.yml"}

// ZreplStatusRaw produces the body of `zrepl status --mode raw` (the daemon's
// /status JSON, one line, no trailing newline) for a running daemon. The
// default reports every configured job before its first run; the zrepl
// simulation replaces it.
var ZreplStatusRaw = func(p *sim.Proc, config map[string]any) ([]byte, error) {
	jobs := map[string]any{"_control": map[string]any{"internal": nil, "type": "internal"}}
	list, _ := config["jobs"].([]any)
	for _, j := range list {
		m, _ := j.(map[string]any)
		name, _ := m["name"].(string)
		typ, _ := m["type"].(string)
		if name == "" {
			continue
		}
		var body any
		switch typ {
		case "push", "pull":
			body = map[string]any{"Replication": nil, "PruningSender": nil, "PruningReceiver": nil,
				"Snapshotting": map[string]any{"Type": "periodic", "Periodic": map[string]any{"State": 1, "SleepUntil": "0001-01-01T00:00:00Z", "Error": "", "Progress": nil}, "Cron": nil, "Manual": nil}}
		case "sink", "source":
			body = map[string]any{"Snapper": nil}
		default:
			body = nil
		}
		jobs[name] = map[string]any{typ: body, "type": typ}
	}
	status := map[string]any{"Jobs": jobs, "Global": map[string]any{"ZFSCmds": map[string]any{"Active": nil},
		"Envconst": map[string]any{"Entries": nil}, "OsEnviron": []string{"PATH=/sbin:/bin:/usr/sbin:/usr/bin"}}}
	return json.Marshal(status)
}

// zreplConfigPath resolves --config or the default locations.
func zreplConfigPath(p *sim.Proc, flag string) string {
	if flag != "" {
		return flag
	}
	for _, l := range zreplDefaultConfigs {
		if fi, err := p.Host.Tree.Stat(l); err == nil && fi.Mode.IsRegular() {
			return l
		}
	}
	return ""
}

// zreplParseConfig is config.ParseConfig for YAML syntax (no schema yet).
func zreplParseConfig(p *sim.Proc, path string) (map[string]any, error) {
	data, err := p.Host.Tree.ReadFile(p.User, path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %s", path, strings.ToLower(errText(err)))
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, errors.New("config is empty or only consists of comments")
	}
	return doc, nil
}

func zreplDaemonRunning(p *sim.Proc) bool {
	return daemonRunning(p, zreplPidfile, zreplProc) && exists(p, zreplControl)
}

func zreplDialError(w io.Writer, endpoint string) int {
	fmt.Fprintf(w, "Post \"http://unix/%s\": dial unix %s: connect: no such file or directory\n", endpoint, zreplControl)
	return 1
}

// zreplCmd is /usr/local/bin/zrepl.
func zreplCmd(p *sim.Proc) int {
	var config, mode, show string
	var rest []string
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		val := func() string {
			if k := strings.IndexByte(a, '='); k >= 0 {
				return a[k+1:]
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "--config" || strings.HasPrefix(a, "--config="):
			config = val()
		case a == "--mode" || strings.HasPrefix(a, "--mode="):
			mode = val()
		case a == "--show" || strings.HasPrefix(a, "--show="):
			show = val()
		case a == "--job" || strings.HasPrefix(a, "--job=") || a == "--format" || strings.HasPrefix(a, "--format=") || a == "--what" || strings.HasPrefix(a, "--what="):
			val()
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) == 0 {
		fmt.Fprintln(p.Stdout, "One-stop ZFS replication solution\n\nUsage:\n  zrepl [command]")
		return 0
	}
	switch rest[0] {
	case "version":
		if show == "" || show == "client" {
			fmt.Fprintln(p.Stdout, "client: zrepl version=v0.6.1 go=go1.22.7 GOOS=freebsd GOARCH=amd64 Compiler=gc")
		}
		if show == "" || show == "daemon" {
			if !zreplDaemonRunning(p) {
				fmt.Fprintf(p.Stderr, "server: error: Get \"http://unix/version\": dial unix %s: connect: no such file or directory\n", zreplControl)
				return 1
			}
			fmt.Fprintln(p.Stdout, "server: zrepl version=v0.6.1 go=go1.22.7 GOOS=freebsd GOARCH=amd64 Compiler=gc")
		}
		return 0
	case "configcheck":
		if _, err := zreplParseConfig(p, zreplConfigPath(p, config)); err != nil {
			fmt.Fprintf(p.Stderr, "could not parse config: %v\n", err)
			return 1
		}
		return 0
	case "status":
		if mode == "" {
			mode = "interactive"
		}
		if mode != "raw" && mode != "dump" {
			// The lab's sessions have no terminal (ssh without -t).
			fmt.Fprintln(p.Stderr, "error: stdout is not a tty, please use --mode dump or --mode raw")
			return 1
		}
		conf, err := zreplParseConfig(p, zreplConfigPath(p, config))
		if err != nil {
			fmt.Fprintf(p.Stderr, "could not parse config: %v\n", err)
			return 1
		}
		if !zreplDaemonRunning(p) {
			return zreplDialError(p.Stderr, "status")
		}
		body, err := ZreplStatusRaw(p, conf)
		if err != nil {
			fmt.Fprintln(p.Stderr, err)
			return 1
		}
		if mode == "raw" {
			_, _ = p.Stdout.Write(body)
			return 0
		}
		return zreplDump(p.Stdout, body)
	case "signal":
		if len(rest) != 3 || rest[1] != "wakeup" && rest[1] != "reset" {
			fmt.Fprintln(p.Stderr, "Expected 2 arguments: [wakeup|reset] JOB")
			return 1
		}
		if _, err := zreplParseConfig(p, zreplConfigPath(p, config)); err != nil {
			fmt.Fprintf(p.Stderr, "could not parse config: %v\n", err)
			return 1
		}
		if !zreplDaemonRunning(p) {
			return zreplDialError(p.Stderr, "signal")
		}
		return 0
	case "daemon":
		fmt.Fprintln(p.Stderr, "zrepl daemon: the lab runs the daemon through `service zrepl start`")
		return 1
	}
	fmt.Fprintf(p.Stderr, "Error: unknown command %q for \"zrepl\"\nRun 'zrepl --help' for usage.\n", rest[0])
	return 1
}

// zreplDump prints the status per job (the text of --mode dump is not
// modelled beyond job names and types).
func zreplDump(w io.Writer, body []byte) int {
	var s struct {
		Jobs map[string]map[string]any
	}
	if err := json.Unmarshal(body, &s); err != nil {
		return 1
	}
	var names []string
	for n := range s.Jobs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "Job: %s\n    Type: %v\n\n", n, s.Jobs[n]["type"])
	}
	return 0
}
