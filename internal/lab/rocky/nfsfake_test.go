package rocky

import (
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/pkitest"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/stunnel"
)

// The rocky family's tests have no FreeBSD family: storage servers here are
// bare hosts whose tree holds the export, behind a test listener that
// speaks TLS as a stunnel server service on the VIP's port 2323 and
// answers NFS requests relative to /data/nfs. The lab's own tests
// (internal/lab) run the real FreeBSD side.

const vip = "192.168.1.138"

type fakeStorage struct {
	t      *testing.T
	ca     *pkitest.CA
	client *pkitest.Cert // r0's certificate
	server *stunnel.Context

	mu       sync.Mutex
	servers  map[string]*sim.Host // by name
	master   string               // who holds the VIP ("" nobody)
	readOnly map[string]bool
	answer   error // an NFS-level error to give instead of the export
}

// newFakeStorage makes servers f0 and f1 (f0 holding the VIP) and routes
// h's connections to the VIP to the MASTER.
func newFakeStorage(t *testing.T, h *sim.Host) *fakeStorage {
	t.Helper()
	f := &fakeStorage{t: t, ca: pkitest.NewCA(t, "F3S Stunnel CA"), servers: map[string]*sim.Host{}, master: "f0", readOnly: map[string]bool{}}
	f.client = f.ca.Issue(t, "r0.lan.buetow.org")
	srv := f.ca.Issue(t, "f3s-storage-ha.lan")
	conf := "cert = /s/cert.pem\nkey = /s/key.pem\n[nfs-tls]\naccept = " + vip + ":2323\nconnect = 127.0.0.1:2049\nCAfile = /s/ca.pem\nverify = 2\nrequireCert = yes\n"
	parsed, _ := stunnel.Parse(func(string) ([]byte, error) { return []byte(conf), nil }, nil, "/s/stunnel.conf")
	ctx, log, ok := stunnel.Init(parsed.Services[0], stunnelMemFiles{"/s/cert.pem": srv.CertPEM, "/s/key.pem": srv.KeyPEM, "/s/ca.pem": f.ca.CertPEM}, stunnel.Release575)
	if !ok {
		t.Fatalf("server context: %v", log)
	}
	f.server = ctx
	for _, name := range []string{"f0", "f1"} {
		s, err := sim.NewHost(t.TempDir(), name, sim.FreeBSD, sim.Registry{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Tree.MkdirAll(s.Root(), "/data/nfs/k3svolumes", 0o755); err != nil {
			t.Fatal(err)
		}
		f.servers[name] = s
	}
	h.SetPeers(func(addr string) (*sim.Host, bool) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if addr != vip || f.master == "" {
			return nil, false
		}
		return f.servers[f.master], true
	})
	sim.RegisterListener(sim.FreeBSD, "rocky-test-storage", f.listen)
	t.Cleanup(func() { sim.RegisterListener(sim.FreeBSD, "rocky-test-storage", nil) })
	return f
}

func (f *fakeStorage) setMaster(name string) {
	f.mu.Lock()
	f.master = name
	f.mu.Unlock()
}

func (f *fakeStorage) listen(h *sim.Host, addr string, port int) (sim.Service, bool) {
	if addr != vip || port != 2323 {
		return nil, false
	}
	return func(c *sim.Conn, req any) (any, error) {
		offer, ok := c.TLS.(*stunnel.Offer)
		if !ok {
			return nil, syscall.ECONNRESET
		}
		res := stunnel.Handshake(offer.Ctx, f.server, offer.Now, h.Now())
		offer.Log = append(offer.Log, res.Client...)
		if !res.OK {
			return nil, syscall.ECONNRESET
		}
		r := req.(*sim.NFSRequest)
		f.mu.Lock()
		answer, ro := f.answer, f.readOnly[h.Name]
		f.mu.Unlock()
		if answer != nil {
			return nil, answer
		}
		dir := "/data/nfs" + strings.TrimSuffix(r.Path, "/")
		if fi, err := h.Tree.Stat(dir); err != nil || !fi.IsDir() {
			return nil, syscall.ENOENT
		}
		return &sim.NFSExport{Host: h, Dir: dir, FS: "zdata/" + h.Name, MapRoot: sim.Cred{}, ReadOnly: ro}, nil
	}, true
}

// setUpClient installs stunnel and nfs-utils on h and starts its stunnel
// with r0's certificate, as the article's client (with the errata's
// certificate and key).
func (f *fakeStorage) setUpClient(t *testing.T, h *sim.Host) {
	t.Helper()
	mustRun(t, h, "root", "dnf install -y -q stunnel nfs-utils && mkdir -p /data/nfs/k3svolumes")
	if err := h.Tree.WriteFile(root, "/etc/stunnel/r0.pem", f.client.Bundle(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := h.Tree.WriteFile(root, "/etc/stunnel/ca-cert.pem", f.ca.CertPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, h, "root", "cat > /etc/stunnel/stunnel.conf <<'EOF'\n"+strings.Replace(articleStunnelConf, "r0-key.pem", "r0.pem", 1)+"EOF\nsystemctl enable --now stunnel 2>/dev/null")
}
