package freebsd

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/stunnel"
)

// The server side of the lab's NFS data path (sim/net.go): stunnel's
// server services listen where their accept says while the daemon runs,
// hand the client's TLS offer to the handshake and connect on to their
// connect address; nfsd listens on port 2049 of every address while it
// runs and answers a mount with the directory and terms of the kernel's
// exports (exports.go) under the NFSv4 root. Everything here reads state
// with Peek: it runs inside other hosts' commands and path checks.

// nfsdState records what nfsd was started with (rc.d/nfsd's precmd sets
// vfs.nfsd.server_max_nfsvers from nfsv4_server_enable).
const nfsdState = "freebsd-nfsd"

type nfsdInfo struct {
	MaxVers int
}

func nfsdStarted(r *rcRun) {
	vers := 3
	if r.checkyesno("nfsv4_server_enable") || r.checkyesno("nfsv4_server_only") {
		vers = 4
	}
	_ = sim.Update(r.p.Host, nfsdState, func(s *nfsdInfo) error { s.MaxVers = vers; return nil })
}

func nfsdStopped(r *rcRun) {
	_ = sim.Update(r.p.Host, nfsdState, func(s *nfsdInfo) error { *s = nfsdInfo{}; return nil })
}

// FreeBSD's errno numbers, as stunnel logs them after the text.
var bsdErrno = map[syscall.Errno]int{syscall.ECONNREFUSED: 61, syscall.EHOSTUNREACH: 65, syscall.ETIMEDOUT: 60, syscall.ECONNRESET: 54}

// nfsdPort is where nfsd listens (on every address).
const nfsdPort = 2049

// Stand-in source ports of the connections the lab logs (UNCONFIRMED:
// ephemeral ports on the real hosts).
const stunnelToNFSDPort = 32918

// connections numbers the connections the stunnel daemons of this process
// log ("LOG5[N]").
var connections atomic.Int64

func init() {
	sim.RegisterAddresses(sim.FreeBSD, func(h *sim.Host) []string {
		var out []string
		for _, p := range Addresses(h) {
			out = append(out, p.Addr().String())
		}
		return out
	})
	sim.RegisterListener(sim.FreeBSD, "stunnel", stunnelListener)
	sim.RegisterListener(sim.FreeBSD, "nfsd", nfsdListener)
	sim.RegisterListener(sim.FreeBSD, "rpcbind", rpcbindListener)
}

// rpcbindListener answers the MOUNT protocol's export list on port 111
// while rpcbind runs: mountd's list, or "program not registered"
// (EPROTONOSUPPORT) without mountd.
func rpcbindListener(h *sim.Host, _ string, port int) (sim.Service, bool) {
	t := peekProcs(h)
	if port != 111 || len(t.byName("/usr/sbin/rpcbind")) == 0 {
		return nil, false
	}
	return func(_ *sim.Conn, req any) (any, error) {
		if _, ok := req.(*sim.ExportsRequest); !ok {
			return nil, syscall.ECONNRESET
		}
		if len(t.byName("/usr/sbin/mountd")) == 0 {
			return nil, syscall.EPROTONOSUPPORT
		}
		ex, _ := sim.Peek[mountdExports](h, mountdState)
		out := []sim.ExportEntry{}
		for _, e := range ex.Exports {
			out = append(out, sim.ExportEntry{Dir: e.Dir, Groups: e.Groups})
		}
		return out, nil
	}, true
}

func peekProcs(h *sim.Host) procs {
	t, _ := sim.Peek[procs](h, procsState)
	return t
}

// rootFiles reads h's files as root, as stunnel loads its configuration
// and keys before it drops privileges.
type rootFiles struct{ h *sim.Host }

func (f rootFiles) ReadFile(name string) ([]byte, error) { return f.h.Tree.ReadFile(rootUser(), name) }

func (f rootFiles) Mode(name string) (fs.FileMode, error) {
	fi, err := f.h.Tree.Stat(name)
	return fi.Mode.Perm(), err
}

func (f rootFiles) list(dir string) []string {
	l, err := f.h.Tree.ReadDir(rootUser(), dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range l {
		if e.Mode.IsRegular() {
			out = append(out, e.Name)
		}
	}
	return out
}

// stunnelConfigOf is the configuration file a stunnel process runs with:
// the last word of its arguments (rc.d passes command_args, the command
// line names the file), the default otherwise.
func stunnelConfigOf(p proc) string {
	f := strings.Fields(p.Args)
	if len(f) > 0 && f[len(f)-1] != stunnelProc && !strings.HasPrefix(f[len(f)-1], "-") {
		return f[len(f)-1]
	}
	return stunnelDefaultConf
}

// resolveIPv4 resolves a connect or accept host on h, preferring IPv4;
// "" and "localhost" are 127.0.0.1.
func resolveIPv4(h *sim.Host, name string) (string, bool) {
	if name == "" || name == "localhost" {
		return "127.0.0.1", true
	}
	ip, ok := resolveHost(h, name)
	if !ok {
		return "", false
	}
	return ip.String(), true
}

func stunnelListener(h *sim.Host, addr string, port int) (sim.Service, bool) {
	files := rootFiles{h}
	for _, p := range peekProcs(h).List {
		if !matchProcname(p.Command, stunnelProc) {
			continue
		}
		cfg, errs := stunnel.Parse(files.ReadFile, files.list, stunnelConfigOf(p))
		if len(errs) > 0 {
			continue
		}
		for _, svc := range cfg.Services {
			ep, ok := svc.Accept()
			if svc.Client() || !ok || ep.Port != port {
				continue
			}
			if ep.Host != "" {
				if ip, ok := resolveIPv4(h, ep.Host); !ok || ip != addr {
					continue
				}
			}
			return stunnelServer(h, p.PID, svc), true
		}
	}
	return nil, false
}

// stunnelServer is one server service: TLS with the client's offer, then
// the connection to its connect address, which the request rides on.
func stunnelServer(h *sim.Host, pid int, svc stunnel.Service) sim.Service {
	return func(c *sim.Conn, req any) (any, error) {
		id := strconv.FormatInt(connections.Add(1)-1, 10)
		log := func(lines ...stunnel.Line) {
			if c.Quiet {
				return
			}
			for _, l := range lines {
				if l.Logged() {
					h.Syslog("stunnel["+strconv.Itoa(pid)+"]", l.Syslog(id))
				}
			}
		}
		log(stunnel.Accepted(svc.Name, c.Src+":"+strconv.Itoa(stunnelFromPort)))
		offer, ok := c.TLS.(*stunnel.Offer)
		if !ok {
			log(stunnel.Line{Level: stunnel.Err, Text: "SSL_accept: ssl/record/ssl3_record.c:354: error:0A00010B:SSL routines::wrong version number"}, stunnel.Reset(0, 0))
			return nil, syscall.ECONNRESET
		}
		ctx, _, ok := stunnel.Init(svc, rootFiles{h}, stunnel.Release575)
		if !ok {
			log(stunnel.Reset(0, 0))
			return nil, syscall.ECONNRESET
		}
		res := stunnel.Handshake(offer.Ctx, ctx, offer.Now, h.Now())
		offer.Log = append(offer.Log, res.Client...)
		log(res.Server...)
		if !res.OK {
			log(stunnel.Reset(0, 0))
			return nil, syscall.ECONNRESET
		}
		for _, ep := range svc.Connects() {
			addr, ok := resolveIPv4(h, ep.Host)
			if !ok {
				continue
			}
			reply, err := h.Dial(&sim.Conn{Ctx: c.Ctx, Quiet: c.Quiet}, addr, ep.Port, req)
			var errno syscall.Errno
			if err != nil && sim.Unreachable(err) && errors.As(err, &errno) {
				log(stunnel.ConnectError(ep.String(), sim.ErrText(errno), bsdErrno[errno]))
				continue
			}
			log(stunnel.Connected(ep.String()), stunnel.ConnectedRemote(svc.Name, "127.0.0.1:"+strconv.Itoa(stunnelToNFSDPort)))
			return reply, err
		}
		log(stunnel.NoMoreAddresses(), stunnel.Reset(0, 0))
		offer.Log = append(offer.Log, stunnel.ReadReset(104))
		return nil, syscall.ECONNRESET
	}
}

// stunnelFromPort is the stand-in source port of a client stunnel's
// connection (UNCONFIRMED: ephemeral on the real hosts).
const stunnelFromPort = 40722

func nfsdListener(h *sim.Host, _ string, port int) (sim.Service, bool) {
	t := peekProcs(h)
	if port != nfsdPort || len(t.byName("/usr/sbin/nfsd")) == 0 {
		return nil, false
	}
	return func(c *sim.Conn, req any) (any, error) { return nfsMount(h, c, req) }, true
}

// nfsMount answers an NFSv4 mount: the path is looked up under the V4:
// root, its file system must be exported to the client's address (NFSv4
// applies the exports per file system), and the export line's options come
// with the answer. EPROTONOSUPPORT when nfsd serves NFSv3 only, EACCES when
// the client may not, ENOENT when the path is not there.
func nfsMount(h *sim.Host, c *sim.Conn, req any) (any, error) {
	r, ok := req.(*sim.NFSRequest)
	if !ok {
		return nil, syscall.ECONNRESET
	}
	if st, _ := sim.Peek[nfsdInfo](h, nfsdState); st.MaxVers < 4 {
		return nil, syscall.EPROTONOSUPPORT
	}
	ex, _ := sim.Peek[mountdExports](h, mountdState)
	if ex.V4 == nil || !admits(ex.V4.Hosts, ex.V4.Nets, c.Src) {
		return nil, syscall.EACCES
	}
	dir := path.Join(ex.V4.Dir, "/"+r.Path)
	resolved, err := h.Tree.RealPath(dir)
	if err != nil {
		return nil, syscall.ENOENT
	}
	if fi, err := h.Tree.Stat(resolved); err != nil || !fi.IsDir() {
		return nil, syscall.ENOTDIR
	}
	mounts, _ := sim.Peek[sim.Mounts](h, sim.MountsState)
	point, source := fileSystemOf(mounts, resolved)
	for _, l := range ex.Lines {
		if !admits(l.Hosts, l.Nets, c.Src) || !slices.ContainsFunc(l.Dirs, func(d string) bool { p, _ := fileSystemOf(mounts, d); return p == point }) {
			continue
		}
		answer := &sim.NFSExport{Host: h, Dir: resolved, FS: source, MapRoot: sim.NobodyCred, MapAll: l.MapAll, ReadOnly: l.RO}
		if l.MapRoot != nil {
			answer.MapRoot = *l.MapRoot
		}
		return answer, nil
	}
	return nil, syscall.EACCES
}

// fileSystemOf is statfs's f_mntonname and f_mntfromname for p: the mount
// with the longest mount point at or above it.
func fileSystemOf(m sim.Mounts, p string) (point, source string) {
	point, source = "/", "/"
	best := -1
	for _, e := range m.List {
		if (p == e.Point || e.Point == "/" || strings.HasPrefix(p, e.Point+"/")) && len(e.Point) > best {
			best, point, source = len(e.Point), e.Point, e.Source
		}
	}
	return point, source
}
