package stunnel

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/pkitest"
)

// memFiles is a Files over a map; files missing from modes are 0600.
type memFiles struct {
	data  map[string][]byte
	modes map[string]fs.FileMode
}

func (m memFiles) ReadFile(name string) ([]byte, error) {
	d, ok := m.data[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return d, nil
}

func (m memFiles) Mode(name string) (fs.FileMode, error) {
	if _, ok := m.data[name]; !ok {
		return 0, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	if md, ok := m.modes[name]; ok {
		return md, nil
	}
	return 0o600, nil
}

func TestParse(t *testing.T) {
	files := map[string]string{
		"/c":           "cert = /x.pem\nsetuid = stunnel\n\n[nfs]\naccept = 1.2.3.4:2323\nconnect = 127.0.0.1:2049\nbogus = 1\n",
		"/d":           "include = /inc\nverify = 2\n[s]\nclient = yes\naccept = 2323\nconnect = h:1\nconnect = h2:2\nverifyChain = no\n",
		"/inc/00.conf": "pid = /var/run/stunnel.pid\n",
	}
	read := func(f string) ([]byte, error) {
		if d, ok := files[f]; ok {
			return []byte(d), nil
		}
		return nil, fs.ErrNotExist
	}
	list := func(d string) []string {
		if d == "/inc" {
			return []string{"00.conf"}
		}
		return nil
	}
	_, errs := Parse(read, list, "/c")
	if strings.Join(errs, "|") != `[!] /c:7: "bogus = 1": Specified option name is not valid here` {
		t.Errorf("errs %v", errs)
	}
	c, errs := Parse(read, list, "/d")
	if len(errs) != 0 || c.Global["pid"] != "/var/run/stunnel.pid" || !c.Services[0].Client() {
		t.Fatalf("conf %+v %v", c, errs)
	}
	s := c.Services[0]
	if a, ok := s.Accept(); !ok || a.Host != "" || a.Port != 2323 {
		t.Errorf("accept %+v", a)
	}
	if cs := s.Connects(); len(cs) != 2 || cs[1].String() != "h2:2" {
		t.Errorf("connects %+v", cs)
	}
	if v := s.Verify(); v != (Verify{Request: true, Require: true}) {
		t.Errorf("verify = 2 then verifyChain = no: %+v", v)
	}
	if _, errs := Parse(read, list, "/missing"); len(errs) != 1 {
		t.Errorf("missing file: %v", errs)
	}
}

func TestVerifyLevels(t *testing.T) {
	for opts, want := range map[string]Verify{
		"verify = 0":                         {Request: true},
		"verify = 1":                         {Request: true, Chain: true},
		"verify = 2":                         {Request: true, Require: true, Chain: true},
		"verify = 3":                         {Request: true, Require: true, Chain: true, Peer: true},
		"verify = 4":                         {Request: true, Require: true, Peer: true},
		"requireCert = yes":                  {Request: true, Require: true},
		"verifyChain = yes":                  {Request: true, Require: true, Chain: true},
		"verifyChain = yes\nrequireCert=no":  {Request: true, Chain: true},
		"verify = 2\nrequireCert = yes":      {Request: true, Require: true, Chain: true},
		"verifyPeer = yes":                   {Request: true, Require: true, Peer: true},
		"":                                   {},
		"verify = 9":                         {},
		"requireCert = yes\nverifyChain=yes": {Request: true, Require: true, Chain: true},
	} {
		c, errs := Parse(func(string) ([]byte, error) { return []byte("[s]\n" + opts + "\n"), nil }, nil, "/f")
		if len(errs) != 0 {
			t.Fatal(errs)
		}
		if got := c.Services[0].Verify(); got != want {
			t.Errorf("%q: %+v, want %+v", opts, got, want)
		}
	}
}

// pki is the article's: a CA, the VIP's server certificate, r0's client
// certificate, plus the bad ones.
type pki struct {
	ca, other                      *pkitest.CA
	server, client, otherClient    *pkitest.Cert
	expired, notYet, selfSigned    *pkitest.Cert
	serverSAN, serverClientEKUOnly *pkitest.Cert
}

func newPKI(t *testing.T) *pki {
	ca := pkitest.NewCA(t, "F3S Stunnel CA")
	other := pkitest.NewCA(t, "Other CA")
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	x509ClientAuth := pkitest.Usage(2) // x509.ExtKeyUsageClientAuth
	return &pki{
		ca: ca, other: other,
		server:              ca.Issue(t, "f3s-storage-ha.lan"),
		serverSAN:           ca.Issue(t, "storage", pkitest.DNS("f3s-storage-ha", "*.lan.buetow.org")),
		serverClientEKUOnly: ca.Issue(t, "f3s-storage-ha.lan", x509ClientAuth),
		client:              ca.Issue(t, "r0.lan.buetow.org"),
		otherClient:         other.Issue(t, "r0.lan.buetow.org"),
		expired:             ca.Issue(t, "r0.lan.buetow.org", pkitest.Valid(old, old.AddDate(1, 0, 0))),
		notYet:              ca.Issue(t, "r0.lan.buetow.org", pkitest.Valid(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))),
		selfSigned:          pkitest.SelfSigned(t, "r0.lan.buetow.org"),
	}
}

var now = time.Date(2025, 7, 6, 10, 0, 0, 0, time.UTC)

func service(t *testing.T, conf string) Service {
	t.Helper()
	c, errs := Parse(func(string) ([]byte, error) { return []byte(conf), nil }, nil, "/etc/stunnel/stunnel.conf")
	if len(errs) != 0 || len(c.Services) != 1 {
		t.Fatalf("%v %+v", errs, c)
	}
	return c.Services[0]
}

const serverConf = "cert = /s/server-cert.pem\nkey = /s/server-key.pem\n[nfs-tls]\naccept = 192.168.1.138:2323\nconnect = 127.0.0.1:2049\nCAfile = /s/ca/ca-cert.pem\nverify = 2\nrequireCert = yes\n"

func serverFiles(p *pki, server *pkitest.Cert) memFiles {
	return memFiles{data: map[string][]byte{"/s/server-cert.pem": server.CertPEM, "/s/server-key.pem": server.KeyPEM, "/s/ca/ca-cert.pem": p.ca.CertPEM}}
}

func clientFiles(p *pki, client *pkitest.Cert) memFiles {
	d := map[string][]byte{"/etc/stunnel/ca-cert.pem": p.ca.CertPEM}
	if client != nil {
		d["/etc/stunnel/r0.pem"] = client.Bundle()
	}
	return memFiles{data: d}
}

func mustInit(t *testing.T, conf string, f Files, rel Release) *Context {
	t.Helper()
	c, log, ok := Init(service(t, conf), f, rel)
	if !ok {
		t.Fatalf("init: %v", log)
	}
	return c
}

func texts(lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		if l.Logged() {
			b.WriteString(l.Syslog("0") + "\n")
		}
	}
	return b.String()
}

func TestInit(t *testing.T) {
	p := newPKI(t)
	f := serverFiles(p, p.server)
	c := mustInit(t, serverConf, f, Release575)
	if len(c.Chain) != 1 || len(c.CAs) != 1 || c.Client || c.Subject() != "C=US, ST=State, L=City, O=F3S Storage, CN=f3s-storage-ha.lan" {
		t.Errorf("context %+v %q", c, c.Subject())
	}
	clientConf := "cert = /etc/stunnel/r0.pem\nCAfile = /etc/stunnel/ca-cert.pem\nclient = yes\nverify = 2\n[nfs-ha]\naccept = 127.0.0.1:2323\nconnect = 192.168.1.138:2323\n"
	_, log, ok := Init(service(t, clientConf), clientFiles(p, p.client), Release562)
	if !ok || texts(log) != "LOG4[0]: Service [nfs-ha] uses \"verifyChain\" without subject checks\nLOG4[0]: Use \"checkHost\" or \"checkIP\" to restrict trusted certificates\n" {
		t.Errorf("client without checkHost: %v %q", ok, texts(log))
	}
	if _, log, _ := Init(service(t, clientConf+"checkHost = f3s-storage-ha.lan\n"), clientFiles(p, p.client), Release562); texts(log) != "" {
		t.Errorf("client with checkHost: %q", texts(log))
	}

	fail := func(name, conf string, files memFiles, want ...string) {
		t.Helper()
		_, log, ok := Init(service(t, conf), files, Release562)
		var got []string
		for _, l := range log {
			got = append(got, l.Stderr())
		}
		if ok || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: ok=%v\n got %q\nwant %q", name, ok, got, want)
		}
	}
	without := func(m memFiles, name string) memFiles {
		d := map[string][]byte{}
		for k, v := range m.data {
			if k != name {
				d[k] = v
			}
		}
		return memFiles{data: d}
	}
	with := func(m memFiles, name string, v []byte) memFiles {
		d := map[string][]byte{name: v}
		for k, x := range m.data {
			if k != name {
				d[k] = x
			}
		}
		return memFiles{data: d}
	}
	const failed = "[!] Service [nfs-tls]: Failed to initialize TLS context"
	fail("no cert file", serverConf, without(f, "/s/server-cert.pem"),
		"[!] error queue: ssl/ssl_rsa.c:603: error:0A080002:SSL routines::system lib",
		"[!] error queue: crypto/bio/bss_file.c:75: error:10080002:BIO routines::system lib",
		"[!] SSL_CTX_use_certificate_chain_file: crypto/bio/bss_file.c:67: error:80000002:system library::No such file or directory", failed)
	fail("garbage cert", serverConf, with(f, "/s/server-cert.pem", []byte("x\n")),
		"[!] error queue: ssl/ssl_rsa.c:611: error:0A080009:SSL routines::PEM lib",
		"[!] SSL_CTX_use_certificate_chain_file: crypto/pem/pem_lib.c:763: error:0480006C:PEM routines::no start line", failed)
	fail("no key file", serverConf, without(f, "/s/server-key.pem"),
		"[!] /s/server-key.pem: No such file or directory (2)", failed)
	fail("another key", serverConf, with(f, "/s/server-key.pem", p.client.KeyPEM),
		"[!] SSL_CTX_use_PrivateKey_file: crypto/x509/x509_cmp.c:408: error:05800074:x509 certificate routines::key values mismatch", failed)
	fail("no CA file", serverConf, without(f, "/s/ca/ca-cert.pem"),
		"[!] error queue: crypto/x509/by_file.c:86: error:05880002:x509 certificate routines::system lib",
		"[!] error queue: crypto/bio/bss_file.c:75: error:10000080:BIO routines::no such file",
		"[!] SSL_CTX_load_verify_locations: crypto/bio/bss_file.c:67: error:80000002:system library::No such file or directory", failed)
	fail("empty CA file", serverConf, with(f, "/s/ca/ca-cert.pem", []byte("\n")),
		"[!] SSL_CTX_load_verify_locations: crypto/x509/by_file.c:251: error:05800088:x509 certificate routines::no certificate or crl found", failed)
	fail("server without cert", "[nfs-tls]\naccept = 2323\nconnect = 2049\n", f,
		"[!] Service [nfs-tls]: TLS server needs a certificate")
	fail("verify without CAfile", "cert = /s/server-cert.pem\nkey = /s/server-key.pem\n[nfs-tls]\naccept = 2323\nconnect = 2049\nverify = 2\n", f,
		`[!] Service [nfs-tls]: Either "CAfile" or "CApath" has to be configured`)
	// the article's client copies only its key and names it as cert (errata)
	fail("key as cert", "cert = /etc/stunnel/r0-key.pem\nCAfile = /etc/stunnel/ca-cert.pem\nclient = yes\nverify = 2\n[nfs-ha]\naccept = 127.0.0.1:2323\nconnect = 192.168.1.138:2323\n",
		memFiles{data: map[string][]byte{"/etc/stunnel/r0-key.pem": p.client.KeyPEM, "/etc/stunnel/ca-cert.pem": p.ca.CertPEM}},
		"[!] error queue: ssl/ssl_rsa.c:611: error:0A080009:SSL routines::PEM lib",
		"[!] SSL_CTX_use_certificate_chain_file: crypto/pem/pem_lib.c:763: error:0480006C:PEM routines::no start line",
		"[!] Service [nfs-ha]: Failed to initialize TLS context")

	loose := serverFiles(p, p.server)
	loose.modes = map[string]fs.FileMode{"/s/server-key.pem": 0o644}
	if _, log, ok := Init(service(t, serverConf), loose, Release575); !ok || texts(log) != "LOG4[0]: Insecure file permissions on /s/server-key.pem\n" {
		t.Errorf("world-readable key: %v %q", ok, texts(log))
	}
}

func TestHandshake(t *testing.T) {
	p := newPKI(t)
	const clientConf = "cert = /etc/stunnel/r0.pem\nCAfile = /etc/stunnel/ca-cert.pem\nclient = yes\nverify = 2\n[nfs-ha]\naccept = 127.0.0.1:2323\nconnect = 192.168.1.138:2323\n"
	server := mustInit(t, serverConf, serverFiles(p, p.server), Release575)
	hs := func(client, server *Context) Result { return Handshake(client, server, now, now) }
	const serverSubject = "C=US, ST=State, L=City, O=F3S Storage, CN=f3s-storage-ha.lan"
	const clientSubject = "C=US, ST=State, L=City, O=F3S Storage, CN=r0.lan.buetow.org"

	tests := []struct {
		name              string
		client            *Context
		server            *Context
		ok                bool
		clientLog, srvLog string
		refusedBy         string
	}{
		{name: "good", client: mustInit(t, clientConf, clientFiles(p, p.client), Release562), server: server, ok: true,
			clientLog: "LOG5[0]: Certificate accepted at depth=0: " + serverSubject + "\n",
			srvLog:    "LOG5[0]: Certificate accepted at depth=0: " + clientSubject + "\n"},
		{name: "no client certificate", client: mustInit(t, "CAfile = /etc/stunnel/ca-cert.pem\nclient = yes\nverify = 2\n[nfs-ha]\naccept = 2323\nconnect = 192.168.1.138:2323\n", clientFiles(p, nil), Release562), server: server,
			refusedBy: "server",
			clientLog: "LOG5[0]: Certificate accepted at depth=0: " + serverSubject + "\nLOG3[0]: SSL_read: ssl/record/rec_layer_s3.c:1584: error:0A00045C:SSL routines::tlsv13 alert certificate required\n",
			srvLog:    "LOG3[0]: SSL_accept: ssl/statem/statem_srvr.c:3472: error:0A0000C7:SSL routines::peer did not return a certificate\n"},
		{name: "client certificate of another CA", client: mustInit(t, clientConf, clientFiles(p, p.otherClient), Release562), server: server,
			refusedBy: "server",
			clientLog: "LOG5[0]: Certificate accepted at depth=0: " + serverSubject + "\nLOG3[0]: SSL_read: ssl/record/rec_layer_s3.c:1584: error:0A000418:SSL routines::tlsv1 alert unknown ca\n",
			srvLog:    "LOG4[0]: CERT: Pre-verification error: unable to get local issuer certificate\nLOG4[0]: Rejected by CERT at depth=0: " + clientSubject + "\nLOG3[0]: SSL_accept: ssl/statem/statem_srvr.c:3510: error:0A000086:SSL routines::certificate verify failed\n"},
		{name: "expired client certificate", client: mustInit(t, clientConf, clientFiles(p, p.expired), Release562), server: server,
			refusedBy: "server",
			clientLog: "LOG5[0]: Certificate accepted at depth=0: " + serverSubject + "\nLOG3[0]: SSL_read: ssl/record/rec_layer_s3.c:1584: error:0A000415:SSL routines::sslv3 alert certificate expired\n",
			srvLog:    "LOG4[0]: CERT: Pre-verification error: certificate has expired\nLOG4[0]: Rejected by CERT at depth=0: " + clientSubject + "\nLOG3[0]: SSL_accept: ssl/statem/statem_srvr.c:3510: error:0A000086:SSL routines::certificate verify failed\n"},
		{name: "client certificate not yet valid", client: mustInit(t, clientConf, clientFiles(p, p.notYet), Release562), server: server,
			refusedBy: "server",
			clientLog: "LOG5[0]: Certificate accepted at depth=0: " + serverSubject + "\nLOG3[0]: SSL_read: ssl/record/rec_layer_s3.c:1584: error:0A000412:SSL routines::sslv3 alert bad certificate\n",
			srvLog:    "LOG4[0]: CERT: Pre-verification error: certificate is not yet valid\nLOG4[0]: Rejected by CERT at depth=0: " + clientSubject + "\nLOG3[0]: SSL_accept: ssl/statem/statem_srvr.c:3510: error:0A000086:SSL routines::certificate verify failed\n"},
		{name: "self-signed client certificate (5.75 server)", client: mustInit(t, clientConf, clientFiles(p, p.selfSigned), Release562), server: server,
			refusedBy: "server",
			clientLog: "LOG5[0]: Certificate accepted at depth=0: " + serverSubject + "\nLOG3[0]: SSL_read: ssl/record/rec_layer_s3.c:1584: error:0A000418:SSL routines::tlsv1 alert unknown ca\n",
			srvLog:    "LOG4[0]: CERT: Pre-verification error: certificate not found in local repository: self-signed certificate\nLOG4[0]: Rejected by CERT at depth=0: " + clientSubject + "\nLOG3[0]: SSL_accept: ssl/statem/statem_srvr.c:3510: error:0A000086:SSL routines::certificate verify failed\n"},
		{name: "server certificate of another CA", client: mustInit(t, clientConf, clientFiles(p, p.client), Release562),
			server:    mustInit(t, serverConf, memFiles{data: map[string][]byte{"/s/server-cert.pem": p.other.Issue(t, "f3s-storage-ha.lan").CertPEM, "/s/server-key.pem": nil, "/s/ca/ca-cert.pem": p.ca.CertPEM}}.withKeyOf(t, p), Release575),
			refusedBy: "client",
			clientLog: "LOG4[0]: CERT: Pre-verification error: unable to get local issuer certificate\nLOG4[0]: Rejected by CERT at depth=0: " + serverSubject + "\nLOG3[0]: SSL_connect: ssl/statem/statem_clnt.c:1889: error:0A000086:SSL routines::certificate verify failed\n",
			srvLog:    "LOG3[0]: SSL_accept: ssl/record/rec_layer_s3.c:1584: error:0A000418:SSL routines::tlsv1 alert unknown ca\n"},
		{name: "wrong host name", client: mustInit(t, clientConf+"checkHost = f3s-storage-ha.lan.buetow.org\n", clientFiles(p, p.client), Release562), server: server,
			refusedBy: "client",
			clientLog: "LOG4[0]: CERT: Subject checks failed\nLOG4[0]: Rejected by CERT at depth=0: " + serverSubject + "\nLOG3[0]: SSL_connect: ssl/statem/statem_clnt.c:1889: error:0A000086:SSL routines::certificate verify failed\n",
			srvLog:    "LOG3[0]: SSL_accept: ssl/record/rec_layer_s3.c:1584: error:0A000416:SSL routines::sslv3 alert certificate unknown\n"},
		{name: "host name from the CN when there is no SAN", client: mustInit(t, clientConf+"checkHost = F3S-storage-ha.lan\n", clientFiles(p, p.client), Release562), server: server, ok: true,
			clientLog: "LOG5[0]: Certificate accepted at depth=0: " + serverSubject + "\n",
			srvLog:    "LOG5[0]: Certificate accepted at depth=0: " + clientSubject + "\n"},
		{name: "SAN names hide the CN", client: mustInit(t, clientConf+"checkHost = storage\n", clientFiles(p, p.client), Release562),
			server:    mustInit(t, serverConf, serverFiles(p, p.serverSAN), Release575),
			refusedBy: "client",
			clientLog: "LOG4[0]: CERT: Subject checks failed\nLOG4[0]: Rejected by CERT at depth=0: C=US, ST=State, L=City, O=F3S Storage, CN=storage\nLOG3[0]: SSL_connect: ssl/statem/statem_clnt.c:1889: error:0A000086:SSL routines::certificate verify failed\n",
			srvLog:    "LOG3[0]: SSL_accept: ssl/record/rec_layer_s3.c:1584: error:0A000416:SSL routines::sslv3 alert certificate unknown\n"},
		{name: "wildcard SAN", client: mustInit(t, clientConf+"checkHost = x.lan.buetow.org\n", clientFiles(p, p.client), Release562),
			server: mustInit(t, serverConf, serverFiles(p, p.serverSAN), Release575), ok: true,
			clientLog: "LOG5[0]: Certificate accepted at depth=0: C=US, ST=State, L=City, O=F3S Storage, CN=storage\n",
			srvLog:    "LOG5[0]: Certificate accepted at depth=0: " + clientSubject + "\n"},
		{name: "server certificate for clients only", client: mustInit(t, clientConf, clientFiles(p, p.client), Release562),
			server:    mustInit(t, serverConf, serverFiles(p, p.serverClientEKUOnly), Release575),
			refusedBy: "client",
			clientLog: "LOG4[0]: CERT: Pre-verification error: unsupported certificate purpose\nLOG4[0]: Rejected by CERT at depth=0: " + serverSubject + "\nLOG3[0]: SSL_connect: ssl/statem/statem_clnt.c:1889: error:0A000086:SSL routines::certificate verify failed\n",
			srvLog:    "LOG3[0]: SSL_accept: ssl/record/rec_layer_s3.c:1584: error:0A000413:SSL routines::sslv3 alert unsupported certificate\n"},
		{name: "server without verify takes any client", client: mustInit(t, clientConf, clientFiles(p, p.otherClient), Release562),
			server: mustInit(t, strings.Replace(strings.Replace(serverConf, "verify = 2\n", "", 1), "requireCert = yes\n", "", 1), serverFiles(p, p.server), Release575), ok: true,
			clientLog: "LOG5[0]: Certificate accepted at depth=0: " + serverSubject + "\n"},
	}
	for _, tt := range tests {
		r := hs(tt.client, tt.server)
		if r.OK != tt.ok || r.RefusedBy != tt.refusedBy || texts(r.Client) != tt.clientLog || texts(r.Server) != tt.srvLog {
			t.Errorf("%s: ok=%v refused by %q\nclient:\n%s\nserver:\n%s\nwant ok=%v %q\nclient:\n%s\nserver:\n%s",
				tt.name, r.OK, r.RefusedBy, texts(r.Client), texts(r.Server), tt.ok, tt.refusedBy, tt.clientLog, tt.srvLog)
		}
	}
	// the expiry follows the clock: the same pair fails once the client's certificate has expired
	shortLived := p.ca.Issue(t, "r0.lan.buetow.org", pkitest.Valid(now.Add(-time.Hour), now.Add(time.Hour)))
	c := mustInit(t, clientConf, clientFiles(p, shortLived), Release562)
	if !Handshake(c, server, now, now).OK || Handshake(c, server, now, now.Add(2*time.Hour)).OK {
		t.Error("expiry does not follow the clock")
	}
}

// withKeyOf gives the server files a matching key for the certificate
// issued by the other CA (the test makes it on the fly).
func (m memFiles) withKeyOf(t *testing.T, p *pki) memFiles {
	t.Helper()
	c := p.other.Issue(t, "f3s-storage-ha.lan")
	m.data["/s/server-cert.pem"], m.data["/s/server-key.pem"] = c.CertPEM, c.KeyPEM
	return m
}
