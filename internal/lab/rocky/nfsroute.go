package rocky

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/stunnel"
)

// The client side of the lab's NFS data path (sim/net.go): mount.nfs dials
// the server address and port of the mount; on the client, the stunnel
// service whose accept matches takes the connection while its unit runs
// (systemd's stunnel.service or any unit whose main process is stunnel),
// does the TLS handshake with the server's stunnel through the connect
// address (resolved by the lab's network: the CARP VIP leads to the MASTER)
// and carries the request on. The same route, dialled quietly, tells an
// existing mount whether its server is still the one that served it
// (sim.RegisterRoute).

// nfsKind is the remote mount kind of NFSv4 mounts.
const nfsKind = "nfs4"

// Linux's errno numbers, as stunnel logs them after the text.
var linuxErrno = map[syscall.Errno]int{syscall.ECONNREFUSED: 111, syscall.EHOSTUNREACH: 113, syscall.ETIMEDOUT: 110, syscall.ECONNRESET: 104}

// Stand-in source ports of the connections the client's stunnel logs
// (UNCONFIRMED: the kernel's NFS client takes a reserved port, stunnel an
// ephemeral one).
const (
	nfsClientPort   = 876
	stunnelFromPort = 40722
)

// connections numbers the connections the stunnel daemons of this process
// log ("LOG5[N]").
var connections atomic.Int64

func init() {
	sim.RegisterAddresses(sim.Rocky, hostAddresses)
	sim.RegisterListener(sim.Rocky, "stunnel", stunnelListener)
	sim.RegisterRoute(nfsKind, func(ctx context.Context, h *sim.Host, m *sim.RemoteMount) (*sim.NFSExport, error) {
		return nfsDial(ctx, h, m.Addr, m.Port, m.Path, m.Vers, true)
	})
}

// hostAddresses are the addresses of h's interfaces but loopback.
func hostAddresses(h *sim.Host) []string {
	n, err := sim.Peek[netState](h, netStateName)
	if err != nil || len(n.Interfaces) == 0 {
		n = defaultNet(h.Name)
	}
	var out []string
	for _, i := range n.Interfaces {
		if i.Name != "lo" && i.Addr != "" {
			out = append(out, strings.Split(i.Addr, "/")[0])
		}
	}
	return out
}

// nfsDial asks the NFS server at addr:port for path, as the kernel does
// when it mounts; quiet connections are not logged by the daemons on the
// way (an established connection's route being checked).
func nfsDial(ctx context.Context, h *sim.Host, addr string, port int, path, vers string, quiet bool) (*sim.NFSExport, error) {
	reply, err := h.Dial(&sim.Conn{Ctx: ctx, Quiet: quiet}, addr, port, &sim.NFSRequest{Path: path, Vers: vers})
	if err != nil {
		return nil, err
	}
	ex, ok := reply.(*sim.NFSExport)
	if !ok || ex.Host == nil {
		return nil, syscall.EIO
	}
	return ex, nil
}

// rootFiles reads h's files as root, as stunnel loads its configuration
// and keys.
type rootFiles struct{ h *sim.Host }

func (f rootFiles) ReadFile(name string) ([]byte, error) { return f.h.Tree.ReadFile(root, name) }

func (f rootFiles) Mode(name string) (fs.FileMode, error) {
	fi, err := f.h.Tree.Stat(name)
	return fi.Mode.Perm(), err
}

func (f rootFiles) list(dir string) []string {
	var out []string
	for _, e := range listDir(f.h, dir) {
		if e.Mode.IsRegular() {
			out = append(out, e.Name)
		}
	}
	return out
}

// stunnelDaemon is a running stunnel: its unit, main pid and configuration.
type stunnelDaemon struct {
	unit string
	pid  int
	conf string
}

// runningStunnels are the units whose main process is stunnel, active.
func runningStunnels(h *sim.Host) []stunnelDaemon {
	m, err := sim.Peek[managerState](h, systemdStateName)
	if err != nil {
		return nil
	}
	var out []stunnelDaemon
	for id, u := range m.Units {
		if u == nil || u.Active != "active" || len(u.MainCmd) == 0 || path.Base(u.MainCmd[0]) != "stunnel" {
			continue
		}
		conf := "/etc/stunnel/stunnel.conf"
		if len(u.MainCmd) > 1 && !strings.HasPrefix(u.MainCmd[1], "-") {
			conf = u.MainCmd[1]
		}
		out = append(out, stunnelDaemon{unit: id, pid: u.MainPID, conf: conf})
	}
	return out
}

func stunnelListener(h *sim.Host, addr string, port int) (sim.Service, bool) {
	files := rootFiles{h}
	for _, d := range runningStunnels(h) {
		cfg, errs := stunnel.Parse(files.ReadFile, files.list, d.conf)
		if len(errs) > 0 {
			continue
		}
		for _, svc := range cfg.Services {
			ep, ok := svc.Accept()
			if !svc.Client() || !ok || ep.Port != port {
				continue
			}
			if ep.Host != "" {
				if ip, ok := resolveHost(h, ep.Host); !ok || ip != addr {
					continue
				}
			}
			return stunnelClient(h, d, svc), true
		}
	}
	return nil, false
}

// stunnelClient is one client service: it connects to its connect
// addresses in turn and speaks TLS to the server there; a failure resets
// the local connection (stunnel's "reset = yes").
func stunnelClient(h *sim.Host, d stunnelDaemon, svc stunnel.Service) sim.Service {
	return func(c *sim.Conn, req any) (any, error) {
		id := strconv.FormatInt(connections.Add(1)-1, 10)
		var lines []stunnel.Line
		defer func() {
			if c.Quiet {
				return
			}
			var entries []journalEntry
			for _, l := range lines {
				if l.Logged() {
					entries = append(entries, journalEntry{Time: h.Now(), Ident: "stunnel", PID: d.pid, Unit: d.unit, Priority: l.Level, Message: l.Syslog(id)})
				}
			}
			journal(h, entries...)
		}()
		lines = append(lines, stunnel.Accepted(svc.Name, c.Src+":"+strconv.Itoa(nfsClientPort)))
		ctx, _, ok := stunnel.Init(svc, rootFiles{h}, stunnel.Release562)
		if !ok {
			lines = append(lines, stunnel.Reset(0, 0))
			return nil, syscall.ECONNRESET
		}
		from := "0.0.0.0"
		if a := hostAddresses(h); len(a) > 0 {
			from = a[0]
		}
		for _, ep := range svc.Connects() {
			addr, ok := resolveHost(h, firstNonEmptyStr(ep.Host, "localhost"))
			if !ok {
				continue
			}
			offer := &stunnel.Offer{Ctx: ctx, Now: h.Now()}
			reply, err := h.Dial(&sim.Conn{Ctx: c.Ctx, TLS: offer, Quiet: c.Quiet}, addr, ep.Port, req)
			var errno syscall.Errno
			if err != nil && errors.As(err, &errno) && errno != syscall.ECONNRESET && sim.Unreachable(err) {
				lines = append(lines, stunnel.ConnectError(ep.String(), sim.ErrText(errno), linuxErrno[errno]))
				continue
			}
			lines = append(lines, stunnel.Connected(ep.String()), stunnel.ConnectedRemote(svc.Name, from+":"+strconv.Itoa(stunnelFromPort)))
			lines = append(lines, offer.Log...)
			if errors.Is(err, syscall.ECONNRESET) {
				lines = append(lines, stunnel.Reset(0, 0))
			}
			return reply, err
		}
		lines = append(lines, stunnel.NoMoreAddresses(), stunnel.Reset(0, 0))
		return nil, syscall.ECONNRESET
	}
}

func firstNonEmptyStr(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
