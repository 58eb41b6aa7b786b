package realtest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/pki"
	"github.com/f3s-storage/terraform-provider-f3s/internal/stunnel"
)

// programs the tier runs, and the Debian packages they come from.
var programs = map[string]string{
	"stunnel":      "stunnel4",
	"ganesha.nfsd": "nfs-ganesha nfs-ganesha-vfs",
	"nfs-cp":       "libnfs-utils",
	"nfs-ls":       "libnfs-utils",
}

// requireTier skips (or, in CI, fails) unless the real components are
// there.
func requireTier(tb testing.TB) {
	tb.Helper()
	var missing []string
	for p, pkg := range programs {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, p+" (Debian package "+pkg+")")
		}
	}
	if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/ganesha/libfsalvfs.so"); err != nil && !hasVFS() {
		missing = append(missing, "ganesha's VFS FSAL (Debian package nfs-ganesha-vfs)")
	}
	if os.Geteuid() != 0 {
		missing = append(missing, "root (nfs-ganesha exports as root)")
	}
	if len(missing) == 0 {
		return
	}
	msg := "real-components tier: missing " + strings.Join(missing, ", ") +
		"; install with: apt-get install stunnel4 nfs-ganesha nfs-ganesha-vfs libnfs-utils"
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

func hasVFS() bool {
	m, _ := filepath.Glob("/usr/lib/*/ganesha/libfsalvfs.so")
	return len(m) > 0
}

// freePort is a loopback port nothing listens on right now.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitPort waits (bounded) until something accepts on port.
func waitPort(tb testing.TB, port int, what string, logf string) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, _ := os.ReadFile(logf)
	tb.Fatalf("%s did not listen on 127.0.0.1:%d within 30s; its log:\n%s", what, port, tail(log))
}

func tail(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

// start runs a daemon in the foreground, killed at cleanup.
func start(tb testing.TB, logf string, name string, args ...string) {
	tb.Helper()
	cmd := exec.Command(name, args...)
	out, err := os.Create(logf + ".stdio")
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		tb.Fatalf("starting %s: %v", name, err)
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		out.Close()
	})
}

// pkiSet is a CA and certificates made by internal/pki, written to dir as
// the provider writes them to hosts.
type pkiSet struct {
	dir    string
	caKey  []byte
	caCert []byte
}

func (p pkiSet) write(tb testing.TB, name string, data []byte, mode os.FileMode) string {
	tb.Helper()
	f := filepath.Join(p.dir, name)
	if err := os.WriteFile(f, data, mode); err != nil {
		tb.Fatal(err)
	}
	return f
}

// newCA makes a CA as f3s_pki_ca does (the article's subject), issued at.
func newCA(tb testing.TB, dir string, alg pki.Algorithm, at time.Time) pkiSet {
	tb.Helper()
	key, err := pki.Generate(alg)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := pki.IssueCA(key, pki.Subject{Country: "US", Province: "State", Locality: "City",
		Organization: "F3S Storage", CommonName: "F3S Stunnel CA"}, pki.Days(3650), at)
	if err != nil {
		tb.Fatal(err)
	}
	kp, err := pki.EncodeKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	return pkiSet{dir: dir, caKey: kp, caCert: cert}
}

// issue makes a key and a certificate as f3s_pki_certificate does, and
// writes them as NAME-cert.pem and NAME-key.pem (0400).
func (p pkiSet) issue(tb testing.TB, name string, req pki.Request, at time.Time) (certPath, keyPath string) {
	tb.Helper()
	caKey, err := pki.ParseKey(p.caKey)
	if err != nil {
		tb.Fatal(err)
	}
	key, err := pki.Generate(pki.ECDSAP256)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := pki.Issue(p.caCert, caKey, key.Public(), req, at)
	if err != nil {
		tb.Fatal(err)
	}
	kp, err := pki.EncodeKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	return p.write(tb, name+"-cert.pem", cert, 0o644), p.write(tb, name+"-key.pem", kp, 0o400)
}

// serverName is the article's server certificate name.
const serverName = "f3s-storage-ha.lan"

func serverRequest() pki.Request {
	return pki.Request{Subject: pki.Subject{Organization: "F3S Storage", CommonName: serverName},
		DNSNames: []string{serverName}, IPAddresses: []string{"127.0.0.1"},
		Usages: []pki.Usage{pki.ServerAuth}, Validity: pki.Days(365)}
}

func clientRequest(cn string) pki.Request {
	return pki.Request{Subject: pki.Subject{Organization: "F3S Storage", CommonName: cn},
		Usages: []pki.Usage{pki.ClientAuth}, Validity: pki.Days(365)}
}

// runStunnel writes c (as internal/stunnel renders it) with the test's
// foreground and log settings, starts stunnel on it and waits for its
// accept port.
func runStunnel(tb testing.TB, dir, name string, c stunnel.Config, acceptPort int) string {
	tb.Helper()
	logf := filepath.Join(dir, name+".log")
	c.Pid = filepath.Join(dir, name+".pid")
	if c.Global == nil {
		c.Global = map[string]string{}
	}
	c.Global["foreground"] = "yes"
	c.Global["output"] = logf
	c.Global["debug"] = "info"
	if err := c.Validate(); err != nil {
		tb.Fatalf("the %s configuration does not validate: %v", name, err)
	}
	conf := filepath.Join(dir, name+".conf")
	if err := os.WriteFile(conf, []byte(c.Render()), 0o644); err != nil {
		tb.Fatal(err)
	}
	start(tb, logf, "stunnel", conf)
	waitPort(tb, acceptPort, "stunnel "+name, logf+".stdio")
	return logf
}

// ganesha starts nfs-ganesha exporting a fresh directory over NFSv4 on
// a loopback port, as /export; it returns the directory and the port.
func ganesha(tb testing.TB, dir string) (string, int) {
	tb.Helper()
	export := filepath.Join(dir, "export")
	recov := filepath.Join(dir, "recovery")
	for _, d := range []string{export, recov} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	port := freePort(tb)
	conf := fmt.Sprintf(`NFS_CORE_PARAM {
    Protocols = 4;
    NFS_Port = %d;
    Bind_addr = 127.0.0.1;
    Enable_NLM = false;
    Enable_RQUOTA = false;
    Enable_UDP = false;
}
NFSV4 {
    RecoveryBackend = fs;
    RecoveryRoot = %s;
    Graceless = true;
    Lease_Lifetime = 10;
}
EXPORT {
    Export_Id = 1;
    Path = %s;
    Pseudo = /export;
    Access_Type = RW;
    Squash = No_Root_Squash;
    Protocols = 4;
    Transports = TCP;
    SecType = sys;
    FSAL { Name = VFS; }
}
LOG { Default_Log_Level = EVENT; }
`, port, recov, export)
	cf := filepath.Join(dir, "ganesha.conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		tb.Fatal(err)
	}
	logf := filepath.Join(dir, "ganesha.log")
	start(tb, logf, "ganesha.nfsd", "-F", "-f", cf, "-L", logf, "-p", filepath.Join(dir, "ganesha.pid"))
	waitPort(tb, port, "nfs-ganesha", logf)
	return export, port
}

// nfsURL is libnfs's URL of a path under the export, NFSv4 on port.
func nfsURL(port int, p string) string {
	return fmt.Sprintf("nfs://127.0.0.1/export/%s?version=4&nfsport=%d", p, port)
}

// libnfs runs an nfs-* tool with a bounded time and returns its output.
func libnfs(tb testing.TB, timeout time.Duration, name string, args ...string) (string, error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s timed out after %s", name, timeout)
	}
	return out.String(), err
}
