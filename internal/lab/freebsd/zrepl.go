package freebsd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/zrepl"
)

// zrepl 0.6.1 as installed by the sysutils/zrepl package: the CLI. Every
// command parses the config first (strictly, internal/lab/zrepl), as zrepl's
// cli does; status and signal then talk to the daemon (zrepl_daemon.go).

const (
	zreplControl = "/var/run/zrepl/control"
	zreplPidfile = "/var/run/zrepl/daemon.pid"
	zreplProc    = "/usr/local/bin/zrepl"
)

var zreplDefaultConfigs = []string{"/etc/zrepl/zrepl.yml", "/usr/local/etc/zrepl/zrepl.yml"}

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

// zreplParseConfig is config.ParseConfig: the file, then the strict schema.
func zreplParseConfig(p *sim.Proc, path string) (*zrepl.Config, error) {
	data, err := p.Host.Tree.ReadFile(p.User, path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %s", path, strings.ToLower(errText(err)))
	}
	return zrepl.Parse(data)
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
		case a == "--":
			// pflag: "--" ends the flags and is not an argument itself.
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case a == "--config" || strings.HasPrefix(a, "--config="):
			config = val()
		case a == "--mode" || strings.HasPrefix(a, "--mode="):
			mode = val()
		case a == "--show" || strings.HasPrefix(a, "--show="):
			show = val()
		case a == "--job" || strings.HasPrefix(a, "--job=") || a == "--format" || strings.HasPrefix(a, "--format=") || a == "--what" || strings.HasPrefix(a, "--what="):
			val()
		case a == "-h" || a == "--help":
			// cobra prints the command's help and runs nothing.
			fmt.Fprintln(p.Stdout, "One-stop ZFS replication solution\n\nUsage:\n  zrepl [command]")
			return 0
		case strings.HasPrefix(a, "--"):
			fmt.Fprintf(p.Stderr, "Error: unknown flag: %s\n", a)
			return 1
		case strings.HasPrefix(a, "-") && len(a) > 1:
			fmt.Fprintf(p.Stderr, "Error: unknown shorthand flag: %q in %s\n", a[1], a)
			return 1
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
	case "daemon":
		fmt.Fprintln(p.Stderr, "zrepl daemon: the lab runs the daemon through `service zrepl start`")
		return 1
	case "configcheck", "status", "signal":
	default:
		fmt.Fprintf(p.Stderr, "Error: unknown command %q for \"zrepl\"\nRun 'zrepl --help' for usage.\n", rest[0])
		return 1
	}
	// cli.Subcommand.run: the config is parsed before the command runs.
	conf, err := zreplParseConfig(p, zreplConfigPath(p, config))
	if err != nil {
		fmt.Fprintf(p.Stderr, "could not parse config: %v\n", err)
		return 1
	}
	switch rest[0] {
	case "configcheck":
		if err := zrepl.BuildJobs(conf); err != nil {
			fmt.Fprintf(p.Stderr, "cannot build jobs from config: %v\n", err)
			fmt.Fprintln(p.Stderr, "config parsing failed")
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
		body, code := zreplControlCall(p, "status", func(rt *zreplRun) error {
			rt.catchUp()
			return nil
		})
		if code != 0 {
			return code
		}
		if mode == "raw" {
			_, _ = p.Stdout.Write(body)
			return 0
		}
		return zreplDump(p.Stdout, body)
	}
	// signal
	if len(rest) != 3 {
		fmt.Fprintln(p.Stderr, "Expected 2 arguments: [wakeup|reset] JOB")
		return 1
	}
	op, job := rest[1], rest[2]
	_, code := zreplControlCall(p, "signal", func(rt *zreplRun) error {
		switch op {
		case "wakeup":
			rt.catchUp()
			return rt.wakeup(job)
		case "reset":
			if _, ok := rt.conf.Job(job); !ok {
				return errors.New("Job " + job + " does not exist")
			}
			// Nothing runs between the lab's runs: there is no invocation to abort.
			return errors.New("Cannot reset") //nolint:staticcheck // zrepl's text (daemon/job/reset.AlreadyReset)
		}
		return fmt.Errorf("operation %q is invalid", op)
	})
	return code
}

// zreplControlCall is a request on the daemon's control socket: the
// socket's checks, then a daemon run; the status body is what the daemon
// answers after the run. A daemon error is printed as zrepl's client does.
func zreplControlCall(p *sim.Proc, endpoint string, fn func(rt *zreplRun) error) ([]byte, int) {
	if !zreplDaemonRunning(p) {
		return nil, zreplDialError(p.Stderr, endpoint)
	}
	if !p.User.IsRoot() {
		fmt.Fprintf(p.Stderr, "Post \"http://unix/%s\": dial unix %s: connect: permission denied\n", endpoint, zreplControl)
		return nil, 1
	}
	err := withZreplRun(p.Host, true, fn)
	if errors.Is(err, errZreplDown) {
		return nil, zreplDialError(p.Stderr, endpoint)
	}
	if err != nil {
		fmt.Fprintln(p.Stderr, err)
		return nil, 1
	}
	d, err := sim.Load[zreplDaemon](p.Host, zreplStateName)
	if err != nil {
		fmt.Fprintln(p.Stderr, err)
		return nil, 1
	}
	body, err := d.statusJSON()
	if err != nil {
		fmt.Fprintln(p.Stderr, err)
		return nil, 1
	}
	return body, 0
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
