// Package stunnel is what the lab's two stunnel emulations (the freebsd
// family's server, the rocky family's client) share for the data path:
// stunnel.conf(5) parsed into services, the TLS context a service loads at
// start-up (certificate chain, private key, CAfile, as src/ctx.c and
// src/verify.c do), and the handshake between a client and a server service
// with the log lines each side writes (src/verify.c, src/client.c,
// src/log.c of stunnel 5.62/5.75 over OpenSSL 3.0). It is written from
// stunnel's doc/stunnel.pod.in and src/, never from the provider's code, and
// knows nothing of hosts: callers hand it file readers and clocks.
package stunnel

import (
	"fmt"
	"net"
	"path"
	"strconv"
	"strings"
)

var globalOpts = map[string]bool{}
var serviceOpts = map[string]bool{}

// repeatable are the service options stunnel keeps as lists.
var repeatable = map[string]bool{"connect": true, "checkhost": true, "checkip": true, "checkemail": true}

func init() {
	for _, o := range strings.Fields(`chroot compression EGD engine engineCtrl engineDefault fips foreground
		iconActive iconError iconIdle include log output pid RNDbytes RNDfile RNDoverwrite service
		setgid setuid socket syslog taskbar debug`) {
		globalOpts[strings.ToLower(o)] = true
	}
	for _, o := range strings.Fields(`accept CApath CAfile cert checkEmail checkHost checkIP ciphers
		ciphersuites client config connect CRLpath CRLfile curves logId debug delay engineId engineNum
		exec execArgs failover ident include key libwrap local OCSP OCSPaia OCSPflag OCSPnonce options
		protocol protocolAuthentication protocolDomain protocolHost protocolPassword protocolUsername
		PSKidentity PSKsecrets pty redirect renegotiation requireCert reset retry securityLevel
		sessionCacheSize sessionCacheTimeout sessiond setgid setuid sni socket sslVersion sslVersionMax
		sslVersionMin stack ticketKeySecret ticketMacSecret TIMEOUTbusy TIMEOUTclose TIMEOUTconnect
		TIMEOUTidle transparent verify verifyChain verifyPeer`) {
		serviceOpts[strings.ToLower(o)] = true
	}
}

// Service is one [section] with the service-level defaults written before
// the first section copied in (src/options.c CMD_SET_COPY).
type Service struct {
	Name string
	// Opts holds the last value of each option, by lower-case name.
	Opts map[string]string
	// Lists holds every value of the repeatable options (connect,
	// checkHost, checkIP, checkEmail), in order.
	Lists map[string][]string
	// Order is the lower-case option names in the order they were set
	// (defaults first), for the options whose effects depend on it.
	Order []string
}

// Config is a parsed stunnel.conf: global options and services.
type Config struct {
	Global   map[string]string
	Services []Service
}

// Parse checks the syntax and option names of stunnel.conf(5) (and its
// include directories, read through list); errors are stunnel's "[!]
// FILE:LINE" lines.
func Parse(read func(string) ([]byte, error), list func(string) []string, file string) (*Config, []string) {
	c := &Config{Global: map[string]string{}}
	defaults := Service{Opts: map[string]string{}, Lists: map[string][]string{}}
	var errs []string
	var cur *Service
	set := func(s *Service, k, v string) {
		if repeatable[k] {
			s.Lists[k] = append(s.Lists[k], v)
		}
		s.Opts[k] = v
		s.Order = append(s.Order, k)
	}
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
				svc := Service{Name: line[1 : len(line)-1], Opts: map[string]string{}, Lists: map[string][]string{}}
				for k, v := range defaults.Opts {
					svc.Opts[k] = v
				}
				for k, v := range defaults.Lists {
					svc.Lists[k] = append([]string(nil), v...)
				}
				svc.Order = append([]string(nil), defaults.Order...)
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
			case cur == nil && globalOpts[k]:
				c.Global[k] = v
			case cur == nil && serviceOpts[k]:
				set(&defaults, k, v)
			case cur != nil && serviceOpts[k]:
				set(cur, k, v)
			default:
				errs = append(errs, fmt.Sprintf("[!] %s:%d: \"%s\": Specified option name is not valid here", file, i+1, line))
				return
			}
		}
	}
	parse(file, 0)
	return c, errs
}

// Client reports whether the service runs in client mode (client = yes).
func (s Service) Client() bool { return strings.EqualFold(s.Opts["client"], "yes") }

// CertFile, KeyFile and CAFile are the service's files; key defaults to
// cert (stunnel.pod.in: "key ... by default the same file as cert").
func (s Service) CertFile() string { return s.Opts["cert"] }

// KeyFile is the private key file: key, or cert when key is not set.
func (s Service) KeyFile() string {
	if k := s.Opts["key"]; k != "" {
		return k
	}
	return s.Opts["cert"]
}

// CAFile is the file of trusted certificates (CAfile).
func (s Service) CAFile() string { return s.Opts["cafile"] }

// CheckHosts are the checkHost names, in order.
func (s Service) CheckHosts() []string { return s.Lists["checkhost"] }

// Verify is what a service asks of its peer's certificate (src/options.c:
// verify = LEVEL sets all four; verifyChain, verifyPeer and requireCert
// set theirs, later lines overriding earlier ones).
type Verify struct {
	Request bool // ask the peer for a certificate (SSL_VERIFY_PEER)
	Require bool // refuse a peer without one
	Chain   bool // verify the chain up to CAfile
	Peer    bool // the peer's certificate must be in CAfile itself
}

// Verify returns the service's verification settings.
func (s Service) Verify() Verify {
	var v Verify
	for _, k := range s.Order {
		val := s.Opts[k]
		yes := strings.EqualFold(val, "yes")
		switch k {
		case "verify":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 || n > 4 {
				continue
			}
			v = Verify{Request: true, Require: n >= 2, Chain: n >= 1 && n <= 3, Peer: n >= 3}
		case "verifychain":
			v.Chain = yes
			if yes {
				v.Request, v.Require = true, true
			}
		case "verifypeer":
			v.Peer = yes
			if yes {
				v.Request, v.Require = true, true
			}
		case "requirecert":
			v.Require = yes
			if yes {
				v.Request = true
			}
		}
	}
	return v
}

// Endpoint is an accept or connect address: Host empty means every
// address (accept = PORT) or localhost (connect = PORT).
type Endpoint struct {
	Host string
	Port int
}

func (e Endpoint) String() string { return net.JoinHostPort(e.Host, strconv.Itoa(e.Port)) }

// ParseEndpoint reads "[HOST:]PORT" as accept and connect take it.
func ParseEndpoint(v string) (Endpoint, bool) {
	host, port := "", v
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		host, port = strings.Trim(v[:i], "[]"), v[i+1:]
	}
	n, err := strconv.Atoi(port)
	if err != nil || n <= 0 || n > 65535 {
		return Endpoint{}, false
	}
	return Endpoint{Host: host, Port: n}, true
}

// Accept is the service's accept address.
func (s Service) Accept() (Endpoint, bool) {
	v, ok := s.Opts["accept"]
	if !ok {
		return Endpoint{}, false
	}
	return ParseEndpoint(v)
}

// Connects are the service's connect addresses, in order.
func (s Service) Connects() []Endpoint {
	var out []Endpoint
	for _, v := range s.Lists["connect"] {
		if e, ok := ParseEndpoint(v); ok {
			out = append(out, e)
		}
	}
	return out
}
