package realtest

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/pki"
	"github.com/f3s-storage/terraform-provider-f3s/internal/stunnel"
)

// tunnel is the server side of the article's data path, running: ganesha
// exporting a directory, and server stunnel in front of it.
type tunnel struct {
	dir         string
	ca          pkiSet
	export      string
	nfsPort     int
	serverPort  int
	serverLog   string
	caPath      string
	issuedAt    time.Time
	clientCount int
}

// startTunnel starts ganesha and the server stunnel, configured as
// f3s_stunnel_service renders the article's server section (accept on
// the VIP, here loopback; connect to the local NFS server; verifyChain).
func startTunnel(tb testing.TB) *tunnel {
	tb.Helper()
	requireTier(tb)
	dir := tb.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	tn := &tunnel{dir: dir, ca: newCA(tb, dir, pki.RSA4096, now.Add(-72*time.Hour)), issuedAt: now}
	tn.caPath = tn.ca.write(tb, "ca-cert.pem", tn.ca.caCert, 0o644)
	cert, key := tn.ca.issue(tb, "server", serverRequest(), now)
	tn.export, tn.nfsPort = ganesha(tb, dir)
	tn.serverPort = freePort(tb)
	tn.serverLog = runStunnel(tb, dir, "server", stunnel.Config{Service: stunnel.Service{
		Name: "nfs-tls", Accept: fmt.Sprintf("127.0.0.1:%d", tn.serverPort), Connect: []string{fmt.Sprintf("127.0.0.1:%d", tn.nfsPort)},
		Cert: cert, Key: key, CAFile: tn.caPath, VerifyChain: true}}, tn.serverPort)
	return tn
}

// clientConfig is the client section as f3s_stunnel_service renders it
// for r0: client mode, its certificate and key, the CA, verifyChain and
// checkHost with the server's name.
func (tn *tunnel) clientConfig(tb testing.TB, cert, key string) (stunnel.Config, int) {
	port := freePort(tb)
	return stunnel.Config{Service: stunnel.Service{
		Name: "nfs-ha", Client: true, Accept: fmt.Sprintf("127.0.0.1:%d", port), Connect: []string{fmt.Sprintf("127.0.0.1:%d", tn.serverPort)},
		Cert: cert, Key: key, CAFile: tn.caPath, VerifyChain: true, CheckHost: []string{serverName}}}, port
}

// client starts a client stunnel with c and returns its port and log.
func (tn *tunnel) client(tb testing.TB, c stunnel.Config, port int) (int, string) {
	tb.Helper()
	tn.clientCount++
	return port, runStunnel(tb, tn.dir, fmt.Sprintf("client%d", tn.clientCount), c, port)
}

// goodClient is r0 with a certificate from the CA.
func (tn *tunnel) goodClient(tb testing.TB) int {
	cert, key := tn.ca.issue(tb, "r0", clientRequest("r0.lan.buetow.org"), tn.issuedAt)
	c, port := tn.clientConfig(tb, cert, key)
	port, _ = tn.client(tb, c, port)
	return port
}

func randomFile(tb testing.TB, p string, n int) []byte {
	tb.Helper()
	data := make([]byte, n)
	if _, err := rand.Read(data); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return data
}

func (tn *tunnel) logs() string {
	var b strings.Builder
	for _, f := range []string{"server.log", "ganesha.log"} {
		data, _ := os.ReadFile(filepath.Join(tn.dir, f))
		fmt.Fprintf(&b, "--- %s\n%s\n", f, tail(data))
	}
	return b.String()
}

// libnfs 4.0 (Debian 12's libnfs-utils) sends an NFSv4 WRITE larger than
// about 3.5 KB in a request that nfs-ganesha never sees (nfs-cp then says
// "Failed to write to dest file"), also without any tunnel; its reads are
// not limited. Files written through the tunnel stay under that size, the
// large file goes the other way.
const libnfsWriteLimit = 3000

func TestNFSThroughStunnel(t *testing.T) {
	tn := startTunnel(t)
	port := tn.goodClient(t)
	local := t.TempDir()

	// Up: libnfs -> client stunnel -> server stunnel -> ganesha.
	up := randomFile(t, filepath.Join(local, "up.bin"), libnfsWriteLimit)
	if out, err := libnfs(t, 30*time.Second, "nfs-cp", filepath.Join(local, "up.bin"), nfsURL(port, "up.bin")); err != nil {
		t.Fatalf("nfs-cp up through the tunnel: %v\n%s\n%s", err, out, tn.logs())
	}
	if got, err := os.ReadFile(filepath.Join(tn.export, "up.bin")); err != nil || !bytes.Equal(got, up) {
		t.Fatalf("the exported file differs from what was written through the tunnel (%d bytes, %v)", len(got), err)
	}
	// And back.
	if out, err := libnfs(t, 30*time.Second, "nfs-cp", nfsURL(port, "up.bin"), filepath.Join(local, "back.bin")); err != nil {
		t.Fatalf("nfs-cp back through the tunnel: %v\n%s\n%s", err, out, tn.logs())
	}
	if got, _ := os.ReadFile(filepath.Join(local, "back.bin")); !bytes.Equal(got, up) {
		t.Fatal("the file read back through the tunnel differs from the one written")
	}
	// A large file made on the server comes through whole.
	big := randomFile(t, filepath.Join(tn.export, "big.bin"), 8<<20)
	if out, err := libnfs(t, 60*time.Second, "nfs-cp", nfsURL(port, "big.bin"), filepath.Join(local, "big.bin")); err != nil {
		t.Fatalf("nfs-cp of 8 MiB through the tunnel: %v\n%s\n%s", err, out, tn.logs())
	}
	if got, _ := os.ReadFile(filepath.Join(local, "big.bin")); !bytes.Equal(got, big) {
		t.Fatal("the 8 MiB file read through the tunnel differs")
	}
	if out, err := libnfs(t, 30*time.Second, "nfs-ls", fmt.Sprintf("nfs://127.0.0.1/export?version=4&nfsport=%d", port)); err != nil ||
		!strings.Contains(out, "up.bin") || !strings.Contains(out, "big.bin") {
		t.Fatalf("nfs-ls through the tunnel: %v\n%s", err, out)
	}
	// The server stunnel saw a verified client.
	log, _ := os.ReadFile(tn.serverLog)
	if !strings.Contains(string(log), "Certificate accepted") {
		t.Errorf("the server stunnel did not log an accepted client certificate:\n%s", tail(log))
	}
}

func TestStunnelRefuses(t *testing.T) {
	tn := startTunnel(t)
	foreign := newCA(t, tn.dir, pki.ECDSAP256, tn.issuedAt.Add(-72*time.Hour))
	foreign.dir = filepath.Join(tn.dir, "foreign")
	if err := os.MkdirAll(foreign.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  func() (stunnel.Config, int)
		// logs: where the refusal shows, and a word of it.
		server bool
		reason []string
	}{
		{"client without a certificate", func() (stunnel.Config, int) {
			c, p := tn.clientConfig(t, "", "")
			return c, p
		}, true, []string{"peer did not return a certificate", "certificate required"}},
		{"client certificate from another CA", func() (stunnel.Config, int) {
			cert, key := foreign.issue(t, "stranger", clientRequest("stranger.lan"), tn.issuedAt)
			return tn.clientConfig(t, cert, key)
		}, true, []string{"unable to get local issuer certificate", "unknown ca", "certificate verify failed"}},
		{"expired client certificate", func() (stunnel.Config, int) {
			req := clientRequest("r1.lan.buetow.org")
			req.Validity = pki.Days(1)
			cert, key := tn.ca.issue(t, "expired", req, tn.issuedAt.Add(-48*time.Hour))
			return tn.clientConfig(t, cert, key)
		}, true, []string{"certificate has expired"}},
		{"client expecting another server name", func() (stunnel.Config, int) {
			cert, key := tn.ca.issue(t, "r2", clientRequest("r2.lan.buetow.org"), tn.issuedAt)
			c, p := tn.clientConfig(t, cert, key)
			c.Service.CheckHost = []string{"other-storage.lan"}
			return c, p
		}, false, []string{"CERT: Subject checks failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, port := tt.cfg()
			port, clientLog := tn.client(t, c, port)
			out, err := libnfs(t, 30*time.Second, "nfs-ls", fmt.Sprintf("nfs://127.0.0.1/export?version=4&nfsport=%d", port))
			if err == nil {
				t.Fatalf("nfs-ls went through:\n%s", out)
			}
			logf := clientLog
			if tt.server {
				logf = tn.serverLog
			}
			log, _ := os.ReadFile(logf)
			for _, r := range tt.reason {
				if strings.Contains(string(log), r) {
					t.Logf("refused: %s says %q", filepath.Base(logf), r)
					return
				}
			}
			t.Errorf("refused (%v), but %s does not say why (%q):\n%s", err, filepath.Base(logf), tt.reason, tail(log))
		})
	}
	// The same server still lets a good client through.
	port := tn.goodClient(t)
	if out, err := libnfs(t, 30*time.Second, "nfs-ls", fmt.Sprintf("nfs://127.0.0.1/export?version=4&nfsport=%d", port)); err != nil {
		t.Fatalf("a good client after the refusals: %v\n%s\n%s", err, out, tn.logs())
	}
}
