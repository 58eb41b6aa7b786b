package stunnel

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"syscall"
)

// Log levels of stunnel's s_log (syslog's): at the default "debug = 5"
// only levels up to Notice reach the log.
const (
	Err     = 3
	Warning = 4
	Notice  = 5
	Info    = 6
)

// Line is one message stunnel logs, with its level.
type Line struct {
	Level int
	Text  string
}

// Syslog renders l as stunnel's syslog(3) message: "LOG5[ID]: TEXT"
// (src/log.c log_raw); ID is "ui" for the main thread, the connection
// number for a connection.
func (l Line) Syslog(id string) string { return fmt.Sprintf("LOG%d[%s]: %s", l.Level, id, l.Text) }

// Stderr renders l as stunnel prints it on the terminal before its log is
// configured (src/log.c LOG_MODE_ERROR): "[!] TEXT".
func (l Line) Stderr() string {
	c := byte('?')
	if l.Level >= 0 && l.Level <= 7 {
		c = "***!:.  "[l.Level]
	}
	return "[" + string(c) + "] " + l.Text
}

// Logged reports whether l passes stunnel's default log level (5).
func (l Line) Logged() bool { return l.Level <= Notice }

// Files is how a context reads its files: as the daemon does, on its host.
type Files interface {
	ReadFile(name string) ([]byte, error)
	// Mode is stat(2)'s permission bits of name.
	Mode(name string) (fs.FileMode, error)
}

// Release is the stunnel a host runs; the texts of 5.62 (Rocky 9) and
// 5.75 (the FreeBSD port) differ in places.
type Release int

// The releases the lab's hosts run.
const (
	Release562 Release = 562
	Release575 Release = 575
)

// Context is a service's TLS context as context_init leaves it: its own
// certificate chain (leaf first) and key, the certificates it trusts, and
// what it asks of the peer.
type Context struct {
	Service   string
	Client    bool
	Release   Release
	Chain     []*x509.Certificate
	CAs       []*x509.Certificate
	Verify    Verify
	CheckHost []string
}

// Init loads the TLS context of svc as stunnel's context_init does at
// start-up (src/options.c CMD_INITIALIZE, src/ctx.c auth_init,
// src/verify.c verify_init): the certificate chain file, the private key
// (key defaults to cert) and its match with the certificate, then CAfile.
// It returns the context, the lines logged on the way (warnings included)
// and whether the service may start; after a failure the last line is
// "Service [NAME]: ..." as init_section prints it.
func Init(svc Service, files Files, rel Release) (*Context, []Line, bool) {
	c := &Context{Service: svc.Name, Client: svc.Client(), Release: rel, Verify: svc.Verify(), CheckHost: svc.CheckHosts()}
	var log []Line
	fail := func(reason string) (*Context, []Line, bool) {
		return nil, append(log, Line{Err, fmt.Sprintf("Service [%s]: %s", svc.Name, reason)}), false
	}
	if !c.Client && svc.CertFile() == "" {
		return fail("TLS server needs a certificate")
	}
	if (c.Verify.Chain || c.Verify.Peer) && svc.CAFile() == "" && svc.Opts["capath"] == "" {
		return fail(`Either "CAfile" or "CApath" has to be configured`)
	}
	if cert := svc.CertFile(); cert != "" {
		chain, lines := loadChain(files, cert)
		log = append(log, lines...)
		if chain == nil {
			return fail("Failed to initialize TLS context")
		}
		key := svc.KeyFile()
		if mode, err := files.Mode(key); err != nil {
			log = append(log, Line{Err, fmt.Sprintf("%s: %s (%d)", key, errnoText(err), errnoNum(err))})
			return fail("Failed to initialize TLS context")
		} else if mode&0o7 != 0 {
			log = append(log, Line{Warning, "Insecure file permissions on " + key})
		}
		if lines := loadKey(files, key, chain[0]); lines != nil {
			log = append(log, lines...)
			return fail("Failed to initialize TLS context")
		}
		c.Chain = chain
	}
	if ca := svc.CAFile(); ca != "" {
		cas, lines := loadCAs(files, ca)
		log = append(log, lines...)
		if cas == nil {
			return fail("Failed to initialize TLS context")
		}
		c.CAs = cas
	}
	if c.Client && !c.Verify.Peer {
		switch {
		case c.Verify.Chain && len(c.CheckHost) == 0 && svc.Opts["checkip"] == "" && svc.Opts["checkemail"] == "":
			log = append(log,
				Line{Warning, fmt.Sprintf(`Service [%s] uses "verifyChain" without subject checks`, svc.Name)},
				Line{Warning, `Use "checkHost" or "checkIP" to restrict trusted certificates`})
		case !c.Verify.Chain:
			log = append(log, Line{Warning, fmt.Sprintf("Service [%s] needs authentication to prevent MITM attacks", svc.Name)})
		}
	}
	return c, log, true
}

// OpenSSL 3.0's error queue entries, as ERR_error_string_n prints them,
// with the source location stunnel's sslerror_log puts before them. The
// locations are those of an OpenSSL 3.0.7 build as far as the lab knows
// them (UNCONFIRMED: they move between releases).
const (
	errSysNoEnt      = "crypto/bio/bss_file.c:67: error:80000002:system library::No such file or directory"
	errSysAccess     = "crypto/bio/bss_file.c:67: error:8000000D:system library::Permission denied"
	errBIOSysLib     = "crypto/bio/bss_file.c:75: error:10080002:BIO routines::system lib"
	errBIONoSuchFile = "crypto/bio/bss_file.c:75: error:10000080:BIO routines::no such file"
	errSSLSysLib     = "ssl/ssl_rsa.c:603: error:0A080002:SSL routines::system lib"
	errSSLPEMLib     = "ssl/ssl_rsa.c:611: error:0A080009:SSL routines::PEM lib"
	errKeyPEMLib     = "ssl/ssl_rsa.c:367: error:0A080009:SSL routines::PEM lib"
	errNoStartLine   = "crypto/pem/pem_lib.c:763: error:0480006C:PEM routines::no start line"
	errX509SysLib    = "crypto/x509/by_file.c:86: error:05880002:x509 certificate routines::system lib"
	errNoCertOrCRL   = "crypto/x509/by_file.c:251: error:05800088:x509 certificate routines::no certificate or crl found"
	errKeyMismatch   = "crypto/x509/x509_cmp.c:408: error:05800074:x509 certificate routines::key values mismatch"
	errKeyTypeMis    = "crypto/x509/x509_cmp.c:405: error:05800073:x509 certificate routines::key type mismatch"
)

// sslerror renders a failed OpenSSL call as stunnel's sslerror does: the
// newest entries of the queue first as "error queue: ...", the oldest last
// after the caller's text.
func sslerror(txt string, queue ...string) []Line {
	var out []Line
	for i := len(queue) - 1; i > 0; i-- {
		out = append(out, Line{Err, "error queue: " + queue[i]})
	}
	return append(out, Line{Err, txt + ": " + queue[0]})
}

func sysErr(err error) string {
	if errors.Is(err, fs.ErrPermission) {
		return errSysAccess
	}
	return errSysNoEnt
}

// loadChain is SSL_CTX_use_certificate_chain_file: the first PEM
// CERTIFICATE block is the certificate, the following ones its chain.
func loadChain(files Files, name string) ([]*x509.Certificate, []Line) {
	data, err := files.ReadFile(name)
	if err != nil {
		return nil, sslerror("SSL_CTX_use_certificate_chain_file", sysErr(err), errBIOSysLib, errSSLSysLib)
	}
	certs := pemCerts(data)
	if len(certs) == 0 {
		return nil, sslerror("SSL_CTX_use_certificate_chain_file", errNoStartLine, errSSLPEMLib)
	}
	return certs, nil
}

// pemCerts parses every CERTIFICATE block of data; an unparsable one ends
// the list, as PEM_read_bio_X509 would fail there.
func pemCerts(data []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out
		}
		if b.Type != "CERTIFICATE" && b.Type != "TRUSTED CERTIFICATE" && b.Type != "X509 CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return out
		}
		out = append(out, c)
	}
}

// loadKey is SSL_CTX_use_PrivateKey_file: the first private key block of
// the file, which must match the certificate (OpenSSL 3.0's ssl_set_pkey
// refuses a mismatch); nil means success.
func loadKey(files Files, name string, cert *x509.Certificate) []Line {
	data, err := files.ReadFile(name)
	if err != nil {
		return sslerror("SSL_CTX_use_PrivateKey_file", sysErr(err), errBIOSysLib, errSSLSysLib)
	}
	key := pemKey(data)
	if key == nil {
		return sslerror("SSL_CTX_use_PrivateKey_file", errNoStartLine, errKeyPEMLib)
	}
	pub, ok := key.(interface{ Public() crypto.PublicKey })
	if !ok {
		return sslerror("SSL_CTX_use_PrivateKey_file", errKeyTypeMis)
	}
	if !sameKeyType(pub.Public(), cert.PublicKey) {
		return sslerror("SSL_CTX_use_PrivateKey_file", errKeyTypeMis)
	}
	if eq, ok := pub.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !eq.Equal(cert.PublicKey) {
		return sslerror("SSL_CTX_use_PrivateKey_file", errKeyMismatch)
	}
	return nil
}

func sameKeyType(a, b crypto.PublicKey) bool {
	switch a.(type) {
	case *rsa.PublicKey:
		_, ok := b.(*rsa.PublicKey)
		return ok
	case *ecdsa.PublicKey:
		_, ok := b.(*ecdsa.PublicKey)
		return ok
	case ed25519.PublicKey:
		_, ok := b.(ed25519.PublicKey)
		return ok
	}
	return false
}

// pemKey returns the first private key of data (PKCS#8, PKCS#1 or SEC 1),
// or nil; an encrypted key counts as none (stunnel would ask for its
// passphrase on a terminal it does not have).
func pemKey(data []byte) any {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil
		}
		var k any
		var err error
		switch b.Type {
		case "PRIVATE KEY":
			k, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(b.Bytes)
		default:
			continue
		}
		if err == nil {
			return k
		}
	}
}

// loadCAs is SSL_CTX_load_verify_locations with a CAfile.
func loadCAs(files Files, name string) ([]*x509.Certificate, []Line) {
	data, err := files.ReadFile(name)
	if err != nil {
		q := []string{sysErr(err), errBIONoSuchFile, errX509SysLib}
		if errors.Is(err, fs.ErrPermission) {
			q[1] = errBIOSysLib
		}
		return nil, sslerror("SSL_CTX_load_verify_locations", q...)
	}
	certs := pemCerts(data)
	if len(certs) == 0 {
		return nil, sslerror("SSL_CTX_load_verify_locations", errNoCertOrCRL)
	}
	return certs, nil
}

// errnoText and errnoNum render a file error as stunnel's ioerror does.
func errnoText(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied"
	case errors.Is(err, syscall.ENOTDIR):
		return "Not a directory"
	}
	return "No such file or directory"
}

func errnoNum(err error) int {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return 13
	case errors.Is(err, syscall.ENOTDIR):
		return 20
	}
	return 2
}

// sameCert reports whether a and b are the same certificate.
func sameCert(a, b *x509.Certificate) bool { return bytes.Equal(a.Raw, b.Raw) }
