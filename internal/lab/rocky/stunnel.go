package rocky

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/stunnel"
)

// stunnel 5.62 option names (src/options.c). Names are case-insensitive.
// setuid, setgid, debug and socket are both global and service options.
var stunnelGlobal = setOf("chroot", "compression", "egd", "engine", "enginectrl", "enginedefault", "fips", "foreground",
	"include", "log", "output", "pid", "rndbytes", "rndfile", "rndoverwrite", "syslog", "setuid", "setgid", "debug", "socket")

var stunnelService = setOf("accept", "capath", "cafile", "cert", "checkemail", "checkhost", "checkip", "ciphers",
	"ciphersuites", "client", "config", "connect", "crlpath", "crlfile", "curves", "debug", "delay", "engineid",
	"enginenum", "exec", "execargs", "failover", "ident", "key", "libwrap", "local", "logid", "ocsp", "ocspaia",
	"ocspflag", "ocspnonce", "ocsprequire", "options", "protocol", "protocolauthentication", "protocoldomain",
	"protocolheader", "protocolhost", "protocolpassword", "protocolusername", "pskidentity", "psksecrets", "pty",
	"redirect", "renegotiation", "requirecert", "reset", "retry", "securitylevel", "sessioncachesize",
	"sessioncachetimeout", "sessionresume", "sessiond", "setgid", "setuid", "sni", "socket", "sslversion",
	"sslversionmax", "sslversionmin", "stack", "ticketkeysecret", "ticketmacsecret", "timeoutbusy", "timeoutclose",
	"timeoutconnect", "timeoutidle", "timeoutocsp", "transparent", "verify", "verifychain", "verifypeer")

var stunnelYesNo = setOf("client", "delay", "libwrap", "ocspaia", "ocspnonce", "ocsprequire", "pty", "requirecert",
	"reset", "retry", "sessionresume", "verifychain", "verifypeer")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// stunnelService is one [section] of a parsed configuration.
type stunnelSection struct {
	Name     string
	Options  map[string]string // lower-case name -> value (service defaults copied in)
	Accept   bool
	Connects int
}

// checkStunnelConfig parses a configuration as options_file/init_section do
// and returns the lines stunnel prints up to its verdict. At the end of
// each section it initializes the service's TLS context through initTLS
// (stunnel.Init over the host's files), whose warnings and errors it
// prints.
func checkStunnelConfig(path, text string, initTLS func(service string) ([]stunnel.Line, bool)) (log []string, ok bool) {
	log = append(log, "[.] Reading configuration from file "+path)
	defaults := map[string]string{}
	var cur *stunnelSection
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && strings.HasSuffix(text, "\n") {
		lines = lines[:len(lines)-1]
	}
	fail := func(msg string) ([]string, bool) {
		log = append(log, "[!] "+msg, "[!] Configuration failed")
		return log, false
	}
	finish := func() string {
		if cur == nil {
			return ""
		}
		log = append(log, "[.] Initializing service ["+cur.Name+"]")
		endpoints := 0
		if cur.Accept {
			endpoints++
		}
		if cur.Connects > 0 || cur.Options["exec"] != "" || cur.Options["redirect"] != "" {
			endpoints++
		}
		if _, ok := cur.Options["sni"]; ok && endpoints < 2 {
			endpoints++
		}
		if endpoints != 2 {
			return "Service [" + cur.Name + "]: Each service must define two endpoints"
		}
		lines, ok := initTLS(cur.Name)
		for i, l := range lines {
			switch {
			case !ok && i == len(lines)-1:
				return strings.TrimPrefix(l.Stderr(), "[!] ")
			case l.Level <= stunnel.Warning:
				log = append(log, l.Stderr())
			}
		}
		return ""
	}
	for i, raw := range lines {
		line := raw
		if i == 0 {
			if strings.HasPrefix(line, "\ufeff") {
				log = append(log, "[.] UTF-8 byte order mark detected")
				line = strings.TrimPrefix(line, "\ufeff")
			} else {
				log = append(log, "[.] UTF-8 byte order mark not detected")
			}
		}
		opt := strings.TrimSpace(line)
		if opt == "" || opt[0] == '#' || opt[0] == ';' {
			continue
		}
		lineNo := i + 1
		if strings.HasPrefix(opt, "[") && strings.HasSuffix(opt, "]") {
			if msg := finish(); msg != "" {
				return fail(msg)
			}
			cur = &stunnelSection{Name: opt[1 : len(opt)-1], Options: map[string]string{}}
			for k, v := range defaults {
				cur.Options[k] = v
			}
			if defaults["connect"] != "" {
				cur.Connects = 1
			}
			continue
		}
		k, v, found := strings.Cut(opt, "=")
		if !found {
			return fail(fmt.Sprintf("%s:%d: \"%s\": No '=' found", path, lineNo, strings.TrimRight(raw, "\r")))
		}
		name := strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		errstr := ""
		switch {
		case cur == nil && stunnelGlobal[name]:
		case stunnelService[name]:
			errstr = checkStunnelValue(name, v)
		default:
			errstr = "Specified option name is not valid here"
		}
		if errstr != "" {
			return fail(fmt.Sprintf("%s:%d: \"%s\": %s", path, lineNo, strings.TrimRight(raw, "\r"), errstr))
		}
		target := defaults
		if cur != nil {
			target = cur.Options
		}
		if cur == nil && stunnelGlobal[name] && !stunnelService[name] {
			continue
		}
		target[name] = v
		if cur != nil {
			switch name {
			case "accept":
				cur.Accept = true
			case "connect":
				cur.Connects++
			}
		}
	}
	if cur == nil {
		return fail("Inetd mode: Each service must define two endpoints")
	}
	if msg := finish(); msg != "" {
		return fail(msg)
	}
	log = append(log, "[.] Configuration successful")
	return log, true
}

func checkStunnelValue(name, v string) string {
	if stunnelYesNo[name] && !strings.EqualFold(v, "yes") && !strings.EqualFold(v, "no") {
		return "The argument needs to be either 'yes' or 'no'"
	}
	if name == "verify" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 4 {
			return "Bad verify level"
		}
	}
	return ""
}

// stunnelBanner is what stunnel 5.62 logs at startup on Rocky 9
// (UNCONFIRMED: OpenSSL build/runtime versions are illustrative).
var stunnelBanner = []string{
	"[.] stunnel 5.62 on x86_64-redhat-linux-gnu platform",
	"[.] Compiled with OpenSSL 3.0.7 1 Nov 2022",
	"[.] Running  with OpenSSL 3.2.2 4 Jun 2024",
	"[.] Threading:PTHREAD Sockets:POLL,IPv6 TLS:ENGINE,FIPS,OCSP,PSK,SNI Auth:LIBWRAP",
}

// stunnelCmd validates the configuration (default /etc/stunnel/stunnel.conf)
// and, when it is valid, "daemonizes": exits 0 as the parent of a forking
// daemon does. No socket is opened; the data path is a later lab issue.
func stunnelCmd(p *sim.Proc) int {
	conf := "/etc/stunnel/stunnel.conf"
	if len(p.Args) > 1 {
		a := p.Args[1]
		switch strings.ToLower(a) {
		case "-version":
			for _, l := range stunnelBanner {
				fmt.Fprintln(p.Stderr, strings.TrimPrefix(l, "[.] "))
			}
			return 0
		case "-help":
			fmt.Fprintln(p.Stderr, "Syntax:")
			fmt.Fprintln(p.Stderr, "stunnel [<filename>] ] -fd <n> | -help | -version | -sockets | -options")
			return 0
		case "-fd":
			errw(p, "[!] lab: stunnel -fd is not emulated")
			return 1
		}
		conf = a
		if !strings.HasPrefix(conf, "/") {
			conf = p.Dir + "/" + conf
		}
	}
	for _, l := range stunnelBanner {
		fmt.Fprintln(p.Stderr, l)
	}
	text, err := p.Host.Tree.ReadFile(p.User, conf)
	if err != nil {
		fmt.Fprintln(p.Stderr, "[.] Reading configuration from file "+conf)
		fmt.Fprintln(p.Stderr, "[!] Cannot open configuration file")
		fmt.Fprintln(p.Stderr, "[!] Syntax:")
		fmt.Fprintln(p.Stderr, "[!] stunnel [<filename>] ] -fd <n> | -help | -version | -sockets | -options")
		fmt.Fprintln(p.Stderr, "[!] Configuration failed")
		return 1
	}
	files := rootFiles{p.Host}
	parsed, _ := stunnel.Parse(func(f string) ([]byte, error) { return p.Host.Tree.ReadFile(p.User, f) }, files.list, conf)
	initTLS := func(name string) ([]stunnel.Line, bool) {
		for _, svc := range parsed.Services {
			if svc.Name == name {
				_, lines, ok := stunnel.Init(svc, files, stunnel.Release562)
				return lines, ok
			}
		}
		return nil, true
	}
	log, ok := checkStunnelConfig(conf, string(text), initTLS)
	for _, l := range log {
		fmt.Fprintln(p.Stderr, l)
	}
	if !ok {
		return 1
	}
	return 0
}
