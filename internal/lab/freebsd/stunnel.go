package freebsd

import (
	"fmt"
	"io"
	"strconv"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/stunnel"
)

const stunnelDefaultConf = "/usr/local/etc/stunnel/stunnel.conf"

// stunnelCheck parses the configuration (stunnel.Parse, with include
// directories) and initializes each service's TLS context as stunnel does
// at start-up (stunnel.Init: certificate, key, CAfile). It returns the
// configuration, the error lines to print ("[!] ...") and the lines the
// daemon logs once it runs (warnings).
func stunnelCheck(p *sim.Proc, file string) (*stunnel.Config, []string, []stunnel.Line) {
	files := rootFiles{p.Host}
	read := func(f string) ([]byte, error) { return p.Host.Tree.ReadFile(p.User, f) }
	c, errs := stunnel.Parse(read, files.list, file)
	if len(errs) > 0 {
		return c, errs, nil
	}
	if len(c.Services) == 0 {
		return c, []string{"[!] No services defined"}, nil
	}
	var logged []stunnel.Line
	for _, s := range c.Services {
		if s.Opts["accept"] == "" && s.Opts["exec"] == "" {
			return c, []string{fmt.Sprintf("[!] Service [%s]: Each service must define two endpoints", s.Name)}, nil
		}
		_, lines, ok := stunnel.Init(s, files, stunnel.Release575)
		if !ok {
			var out []string
			for _, l := range lines {
				if l.Level <= stunnel.Err {
					out = append(out, l.Stderr())
				}
			}
			return c, out, nil
		}
		logged = append(logged, lines...)
	}
	return c, nil, logged
}

func printStunnelErrs(w io.Writer, errs []string) {
	for _, e := range errs {
		fmt.Fprintln(w, e)
	}
}

// stunnelValidate is what the rc.d start sees when stunnel exits at start-up.
func stunnelValidate(p *sim.Proc, file string) bool {
	_, errs, _ := stunnelCheck(p, file)
	printStunnelErrs(p.Stderr, errs)
	return len(errs) == 0
}

// stunnelCmd is /usr/local/bin/stunnel [CONFIG] | -version | -help.
func stunnelCmd(p *sim.Proc) int {
	args := p.Args[1:]
	if len(args) > 0 && (args[0] == "-version" || args[0] == "-help") {
		fmt.Fprintln(p.Stderr, "stunnel 5.75 on amd64-portbld-freebsd14.3 platform")
		fmt.Fprintln(p.Stderr, "Compiled/running with OpenSSL 3.0.16 11 Feb 2025")
		fmt.Fprintln(p.Stderr, "Threading:PTHREAD Sockets:POLL,IPv6 TLS:ENGINE,OCSP,PSK,SNI")
		return 0
	}
	file := stunnelDefaultConf
	if len(args) > 0 {
		file = args[0]
	}
	c, errs, logged := stunnelCheck(p, file)
	if len(errs) > 0 {
		printStunnelErrs(p.Stderr, errs)
		return 1
	}
	if !p.User.IsRoot() {
		fmt.Fprintln(p.Stderr, "[!] Cannot create pid file: Permission denied")
		return 1
	}
	var pid int
	_ = sim.Update(p.Host, procsState, func(t *procs) error {
		pid = t.spawn(stunnelProc, file, firstNonEmpty(c.Global["setuid"], "root"))
		return nil
	})
	if pf := c.Global["pid"]; pf != "" {
		writePidfile(p, pf, pid)
	} else if _, set := c.Global["pid"]; !set {
		writePidfile(p, "/var/tmp/stunnel.pid", pid)
	}
	logStunnelStart(p.Host, pid, logged)
	return 0
}

// logStunnelStart is what a started daemon logs of its configuration
// (stunnel buffers these lines and hands them to syslog once it runs).
func logStunnelStart(h *sim.Host, pid int, lines []stunnel.Line) {
	for _, l := range append(lines, stunnel.Line{Level: stunnel.Notice, Text: "Configuration successful"}) {
		if l.Logged() {
			h.Syslog("stunnel["+strconv.Itoa(pid)+"]", l.Syslog("ui"))
		}
	}
}

// stunnelStarted is the rc.d start's hook: the new daemon logs its start.
func stunnelStarted(r *rcRun) {
	cfg := firstNonEmpty(r.v["command_args"], stunnelDefaultConf)
	_, _, logged := stunnelCheck(r.p, cfg)
	t := loadProcs(r.p.Host)
	if pids := t.byName(stunnelProc); len(pids) > 0 {
		logStunnelStart(r.p.Host, pids[len(pids)-1], logged)
	}
}

const stunnelProc = "/usr/local/bin/stunnel"
