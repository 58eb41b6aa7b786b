package freebsd

import (
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

const stunnelDefaultConf = "/usr/local/etc/stunnel/stunnel.conf"

var stunnelGlobalOpts = map[string]bool{}
var stunnelServiceOpts = map[string]bool{}

func init() {
	for _, o := range strings.Fields(`chroot compression EGD engine engineCtrl engineDefault fips foreground
		iconActive iconError iconIdle include log output pid RNDbytes RNDfile RNDoverwrite service
		setgid setuid socket syslog taskbar debug`) {
		stunnelGlobalOpts[strings.ToLower(o)] = true
	}
	for _, o := range strings.Fields(`accept CApath CAfile cert checkEmail checkHost checkIP ciphers
		ciphersuites client config connect CRLpath CRLfile curves logId debug delay engineId engineNum
		exec execArgs failover ident include key libwrap local OCSP OCSPaia OCSPflag OCSPnonce options
		protocol protocolAuthentication protocolDomain protocolHost protocolPassword protocolUsername
		PSKidentity PSKsecrets pty redirect renegotiation requireCert reset retry securityLevel
		sessionCacheSize sessionCacheTimeout sessiond setgid setuid sni socket sslVersion sslVersionMax
		sslVersionMin stack ticketKeySecret ticketMacSecret TIMEOUTbusy TIMEOUTclose TIMEOUTconnect
		TIMEOUTidle transparent verify verifyChain verifyPeer`) {
		stunnelServiceOpts[strings.ToLower(o)] = true
	}
}

// stunnelService is one [section] with the defaults copied in.
type stunnelService struct {
	Name string
	Opts map[string]string
}

// stunnelConf is a parsed stunnel.conf: global options and services.
type stunnelConf struct {
	Global   map[string]string
	Services []stunnelService
}

// parseStunnelConf checks the syntax and option names of stunnel.conf(5)
// (and its include directories); errors are stunnel's "[!] FILE:LINE" lines.
func parseStunnelConf(read func(string) ([]byte, error), list func(string) []string, file string) (*stunnelConf, []string) {
	c := &stunnelConf{Global: map[string]string{}}
	defaults := map[string]string{}
	var errs []string
	var cur *stunnelService
	var parse func(file string, depth int)
	parse = func(file string, depth int) {
		data, err := read(file)
		if err != nil {
			errs = append(errs, fmt.Sprintf("[!] Cannot open configuration file %s", file))
			return
		}
		for i, raw := range strings.Split(string(data), "\n") {
			line := strings.TrimSpace(strings.TrimPrefix(raw, "\ufeff"))
			if line == "" || strings.HasPrefix(line, ";") || strings.HasPrefix(line, "#") {
				continue
			}
			if strings.HasPrefix(line, "[") {
				if !strings.HasSuffix(line, "]") {
					errs = append(errs, fmt.Sprintf("[!] %s:%d: \"%s\": Invalid service name", file, i+1, line))
					return
				}
				svc := stunnelService{Name: line[1 : len(line)-1], Opts: map[string]string{}}
				for k, v := range defaults {
					svc.Opts[k] = v
				}
				c.Services = append(c.Services, svc)
				cur = &c.Services[len(c.Services)-1]
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				errs = append(errs, fmt.Sprintf("[!] %s:%d: \"%s\": No '=' found", file, i+1, line))
				return
			}
			k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
			switch {
			case k == "include" && cur == nil:
				for _, f := range list(v) {
					parse(path.Join(v, f), depth+1)
				}
			case cur == nil && stunnelGlobalOpts[k]:
				c.Global[k] = v
			case cur == nil && stunnelServiceOpts[k]:
				defaults[k] = v
			case cur != nil && stunnelServiceOpts[k]:
				cur.Opts[k] = v
			default:
				errs = append(errs, fmt.Sprintf("[!] %s:%d: \"%s\": Specified option name is not valid here", file, i+1, line))
				return
			}
		}
	}
	parse(file, 0)
	return c, errs
}

// stunnelCheck parses the configuration and checks what stunnel opens at
// start-up (certificate, key and CA files of each service).
func stunnelCheck(p *sim.Proc, file string) (*stunnelConf, []string) {
	read := func(f string) ([]byte, error) { return p.Host.Tree.ReadFile(p.User, f) }
	list := func(dir string) []string {
		l, err := p.Host.Tree.ReadDir(p.User, dir)
		if err != nil {
			return nil
		}
		var out []string
		for _, f := range l {
			if f.Mode.IsRegular() {
				out = append(out, f.Name)
			}
		}
		return out
	}
	c, errs := parseStunnelConf(read, list, file)
	if len(errs) > 0 {
		return c, errs
	}
	if len(c.Services) == 0 {
		return c, []string{"[!] No services defined"}
	}
	for _, s := range c.Services {
		if s.Opts["accept"] == "" && s.Opts["exec"] == "" {
			return c, []string{fmt.Sprintf("[!] Service [%s]: Each service must define two endpoints", s.Name)}
		}
		for _, k := range []string{"cert", "key", "cafile"} {
			if f := s.Opts[k]; f != "" {
				if _, err := read(f); err != nil {
					what := map[string]string{"cert": "certificate", "key": "private key", "cafile": "CA"}[k]
					return c, []string{fmt.Sprintf("[!] Error reading %s file: %s", what, f), fmt.Sprintf("[!] Service [%s]: Failed to initialize TLS context", s.Name)}
				}
			}
		}
		if (s.Opts["client"] == "" || strings.EqualFold(s.Opts["client"], "no")) && s.Opts["cert"] == "" {
			return c, []string{fmt.Sprintf("[!] Service [%s]: SSL server needs a certificate", s.Name)}
		}
	}
	return c, nil
}

func printStunnelErrs(w io.Writer, errs []string) {
	for _, e := range errs {
		fmt.Fprintln(w, e)
	}
}

// stunnelValidate is what the rc.d start sees when stunnel exits at start-up.
func stunnelValidate(p *sim.Proc, file string) bool {
	_, errs := stunnelCheck(p, file)
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
	c, errs := stunnelCheck(p, file)
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
	return 0
}

const stunnelProc = "/usr/local/bin/stunnel"
