package stunnel

import (
	"crypto/x509"
	"fmt"
	"time"
)

// OpenSSL reason strings of the handshake failures and alerts stunnel logs
// through sslerror, with stand-in source locations (UNCONFIRMED, as above).
const (
	errVerifyFailedClient = "ssl/statem/statem_clnt.c:1889: error:0A000086:SSL routines::certificate verify failed"
	errVerifyFailedServer = "ssl/statem/statem_srvr.c:3510: error:0A000086:SSL routines::certificate verify failed"
	errNoPeerCert         = "ssl/statem/statem_srvr.c:3472: error:0A0000C7:SSL routines::peer did not return a certificate"
	alertLocation         = "ssl/record/rec_layer_s3.c:1584: "
)

// alert is the TLS alert OpenSSL sends for a verification error
// (ssl_x509err2alert) and the reason the peer's OpenSSL logs for it.
func alert(verr int) string {
	switch verr {
	case vUnableIssuer, vDepthZeroSelfSig, vSelfSignedInChain, vUnableIssuerLocal, vInvalidCA:
		return "error:0A000418:SSL routines::tlsv1 alert unknown ca"
	case vExpired:
		return "error:0A000415:SSL routines::sslv3 alert certificate expired"
	case vNotYetValid, certRejected:
		return "error:0A000412:SSL routines::sslv3 alert bad certificate"
	case vSignatureFailure:
		return "error:0A00041B:SSL routines::tlsv1 alert decrypt error"
	case vInvalidPurpose:
		return "error:0A000413:SSL routines::sslv3 alert unsupported certificate"
	}
	return "error:0A000416:SSL routines::sslv3 alert certificate unknown"
}

// certRejected is X509_V_ERR_CERT_REJECTED, set by verifyPeer's check.
const certRejected = 28

// Result is the outcome of a handshake: what each side logged and
// whether the connection is up. Failed tells which side refused.
type Result struct {
	Client, Server []Line
	OK             bool
	// RefusedBy is "client" when the client refused the server's
	// certificate, "server" when the server refused the client.
	RefusedBy string
}

// Offer is what a client service brings to a connection: its context,
// its clock, and the lines it logs of the handshake (the server side
// appends them, since in the lab one call runs both sides).
type Offer struct {
	Ctx *Context
	Now time.Time
	Log []Line
}

// Handshake runs the TLS handshake between a client service and a server
// service, each side with its host's clock: the client verifies the
// server's certificate, then, when the server asks for one, the server
// verifies the client's (TLS 1.3: the client has finished its side before
// the server's verdict, so it learns of a refusal from the alert on its
// first read).
func Handshake(client, server *Context, clientNow, serverNow time.Time) Result {
	var r Result
	lines, verr, ok := client.checkPeer(server.Chain, clientNow, x509.ExtKeyUsageServerAuth)
	r.Client = append(r.Client, lines...)
	if !ok {
		r.Client = append(r.Client, Line{Err, "SSL_connect: " + errVerifyFailedClient})
		r.Server = append(r.Server, Line{Err, "SSL_accept: " + alertLocation + alert(verr)})
		r.RefusedBy = "client"
		return r
	}
	if !server.Verify.Request {
		r.OK = true
		return r
	}
	if len(client.Chain) == 0 {
		if server.Verify.Require {
			r.Server = append(r.Server, Line{Err, "SSL_accept: " + errNoPeerCert})
			r.Client = append(r.Client, Line{Err, "SSL_read: " + alertLocation + "error:0A00045C:SSL routines::tlsv13 alert certificate required"})
			r.RefusedBy = "server"
			return r
		}
		r.Server = append(r.Server, Line{Info, "No peer certificate received"})
		r.OK = true
		return r
	}
	lines, verr, ok = server.checkPeer(client.Chain, serverNow, x509.ExtKeyUsageClientAuth)
	r.Server = append(r.Server, lines...)
	if !ok {
		r.Server = append(r.Server, Line{Err, "SSL_accept: " + errVerifyFailedServer})
		r.Client = append(r.Client, Line{Err, "SSL_read: " + alertLocation + alert(verr)})
		r.RefusedBy = "server"
		return r
	}
	r.OK = true
	return r
}

// checkPeer is stunnel's verify_callback over OpenSSL's verification of
// the peer's chain (src/verify.c verify_checks, cert_check,
// cert_check_subject, cert_check_local). It returns the lines logged, the
// verification error behind a refusal and whether the peer is accepted.
func (c *Context) checkPeer(peer []*x509.Certificate, now time.Time, usage x509.ExtKeyUsage) ([]Line, int, bool) {
	if !c.Verify.Request || (!c.Verify.Chain && !c.Verify.Peer) || len(peer) == 0 {
		return []Line{{Info, "CERT: Certificate verification disabled"}}, vOK, true
	}
	var log []Line
	for _, st := range verifyChain(peer, c.CAs, now, usage) {
		subject := nameText(st.cert.RawSubject)
		log = append(log, Line{7, fmt.Sprintf("Verification started at depth=%d: %s", st.depth, subject)})
		reject := func(verr int) ([]Line, int, bool) {
			return append(log, Line{Warning, fmt.Sprintf("Rejected by CERT at depth=%d: %s", st.depth, subject)}), verr, false
		}
		if st.err != vOK {
			ignorable := st.err == vUnableIssuerLocal || st.err == 21 || st.err == 27
			if c.Verify.Chain || st.depth != 0 || !ignorable {
				prefix := ""
				if c.Release >= Release575 && (st.err == vSelfSignedInChain || st.err == vDepthZeroSelfSig) {
					prefix = "certificate not found in local repository: "
				}
				log = append(log, Line{Warning, "CERT: Pre-verification error: " + prefix + verifyText[st.err]})
				return reject(st.err)
			}
			log = append(log, Line{Info, "CERT: Pre-verification error ignored: " + verifyText[st.err]})
		}
		if st.depth == 0 {
			if len(c.CheckHost) == 0 {
				log = append(log, Line{Info, "CERT: No subject checks configured"})
			} else {
				matched := false
				for _, h := range c.CheckHost {
					if peername, ok := checkHost(st.cert, h); ok {
						log = append(log, Line{Info, fmt.Sprintf("CERT: Host name %q matched with %q", h, peername)})
						matched = true
						break
					}
				}
				if !matched {
					log = append(log, Line{Warning, "CERT: Subject checks failed"})
					return reject(vOK)
				}
			}
			if c.Verify.Peer && !c.trusts(st.cert) {
				log = append(log, Line{Warning, "CERT: Certificate not found in local repository"})
				return reject(certRejected)
			}
		}
		level := Info
		if st.depth == 0 {
			level = Notice
		}
		log = append(log, Line{level, fmt.Sprintf("Certificate accepted at depth=%d: %s", st.depth, subject)})
	}
	return log, vOK, true
}

func (c *Context) trusts(cert *x509.Certificate) bool {
	for _, ca := range c.CAs {
		if sameCert(ca, cert) {
			return true
		}
	}
	return false
}

// Subject is the leaf certificate's subject as stunnel logs it, or "".
func (c *Context) Subject() string {
	if len(c.Chain) == 0 {
		return ""
	}
	return nameText(c.Chain[0].RawSubject)
}

// The lines of a connection's life that both emulations log
// (src/client.c, src/network.c).

// Accepted is "Service [S] accepted connection from ADDR:PORT".
func Accepted(service, from string) Line {
	return Line{Notice, fmt.Sprintf("Service [%s] accepted connection from %s", service, from)}
}

// Connected is s_connect's success, "s_connect: connected ADDR:PORT".
func Connected(to string) Line { return Line{Notice, "s_connect: connected " + to} }

// ConnectedRemote is "Service [S] connected remote server from ADDR:PORT".
func ConnectedRemote(service, from string) Line {
	return Line{Notice, fmt.Sprintf("Service [%s] connected remote server from %s", service, from)}
}

// ConnectError is s_connect's failure to reach to, with the errno's text
// and number as the host's libc has them.
func ConnectError(to, text string, errno int) Line {
	return Line{Err, fmt.Sprintf("s_connect: connect %s: %s (%d)", to, text, errno)}
}

// NoMoreAddresses ends a connect that reached none of its addresses.
func NoMoreAddresses() Line { return Line{Err, "No more addresses to connect"} }

// ReadReset is a TLS read that found the connection reset by the peer
// (sockerror in s_ssl_read), with the host's errno for ECONNRESET.
func ReadReset(errno int) Line {
	return Line{Err, fmt.Sprintf("SSL_read: Connection reset by peer (%d)", errno)}
}

// Reset is the end of a connection stunnel aborts, with TCP RST ("reset
// = yes", the default): "Connection reset: N byte(s) sent to TLS, M
// byte(s) sent to socket".
func Reset(toTLS, toSocket int) Line {
	return Line{Notice, fmt.Sprintf("Connection reset: %d byte(s) sent to TLS, %d byte(s) sent to socket", toTLS, toSocket)}
}
