package rocky

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"path"
	"strconv"
	"strings"
	"syscall"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// NFSState is the lab's view of the NFS world from a Rocky client, kept
// under NFSStateName: which servers answer, and which client mounts went
// stale (a CARP failover moved the server away).
type NFSState struct {
	Servers []NFSServer
	Stale   []string // mount points whose file handles are stale
}

// NFSServer is a reachable NFS server address (as the client dials it:
// 127.0.0.1 and port 2323 when stunnel carries NFS). Exports, when not
// empty, are the paths it lets this client mount.
type NFSServer struct {
	Addr    string
	Port    int
	Exports []string
}

// Errors NFSDial returns; mount.nfs prints them after its name.
var (
	ErrNFSConnRefused = errors.New("Connection refused")   //nolint:staticcheck // the text mount.nfs prints
	ErrNFSTimedOut    = errors.New("Connection timed out") //nolint:staticcheck // the text mount.nfs prints
)

// NFSDial decides whether the NFS server at addr:port answers p's host. The
// lab cannot carry NFS through stunnel yet, so the default consults
// NFSState.Servers (set out of band with SetNFSReachable); a later lab issue
// replaces it with a real dial through the data path. Tests may swap it.
var NFSDial = func(p *sim.Proc, addr string, port int) error {
	s, err := sim.Load[NFSState](p.Host, NFSStateName)
	if err != nil {
		return err
	}
	if s.server(addr, port) == nil {
		return ErrNFSConnRefused
	}
	return nil
}

func (s *NFSState) server(addr string, port int) *NFSServer {
	for i := range s.Servers {
		if s.Servers[i].Addr == addr && (s.Servers[i].Port == port || s.Servers[i].Port == 0) {
			return &s.Servers[i]
		}
	}
	return nil
}

// SetNFSReachable marks addr:port as an answering NFS server for h,
// exporting the given paths (none: any path).
func SetNFSReachable(h *sim.Host, addr string, port int, exports ...string) error {
	return sim.Update[NFSState](h, NFSStateName, func(s *NFSState) error {
		if srv := s.server(addr, port); srv != nil {
			srv.Exports = exports
			return nil
		}
		s.Servers = append(s.Servers, NFSServer{Addr: addr, Port: port, Exports: exports})
		return nil
	})
}

// SetNFSUnreachable forgets addr:port, as when the server or tunnel is down.
func SetNFSUnreachable(h *sim.Host, addr string, port int) error {
	return sim.Update[NFSState](h, NFSStateName, func(s *NFSState) error {
		out := s.Servers[:0]
		for _, srv := range s.Servers {
			if srv.Addr != addr || srv.Port != port {
				out = append(out, srv)
			}
		}
		s.Servers = out
		return nil
	})
}

// SetStale marks (or clears) the mount at point as having stale file
// handles; umount clears it.
func SetStale(h *sim.Host, point string, stale bool) error {
	point = path.Clean(point)
	return sim.Update[NFSState](h, NFSStateName, func(s *NFSState) error {
		out := s.Stale[:0]
		for _, p := range s.Stale {
			if p != point {
				out = append(out, p)
			}
		}
		if stale {
			out = append(out, point)
		}
		s.Stale = out
		return nil
	})
}

func init() {
	sim.RegisterPathCheck(sim.Rocky, "rocky-stale-nfs", func(h *sim.Host, _ sim.PathOp, vpath string) error {
		if err := StaleCheck(h, vpath); errors.Is(err, syscall.ESTALE) {
			return err
		}
		return nil // an unreadable NFS state is not every file access's failure
	})
}

// StaleCheck returns an *fs.PathError with syscall.ESTALE ("Stale file
// handle") when name is at or under a stale mount point of h, else nil.
// Every Rocky host's tree consults it (a sim path check), so stat, ls, cat,
// test and the shell's redirections fail there as on the article's client
// after a failover. It reads the NFS state as last saved, without the state
// lock, since it runs inside other commands' updates.
func StaleCheck(h *sim.Host, name string) error {
	s, err := sim.Peek[NFSState](h, NFSStateName)
	if err != nil {
		return err
	}
	name = path.Clean(name)
	for _, p := range s.Stale {
		if name == p || strings.HasPrefix(name, p+"/") {
			return &fs.PathError{Op: "stat", Path: name, Err: syscall.ESTALE}
		}
	}
	return nil
}

func removeStale(h *sim.Host, point string) {
	_ = SetStale(h, point, false)
}

// nfsOptions is a parsed mount.nfs option list.
type nfsOptions struct {
	vers                  string // "4.2", "4.1", "4.0", "3", or "" (negotiate)
	port                  int
	rsize, wsize          int
	timeo, retrans        int
	soft, ro              bool
	nosuid, nodev, noexec bool
	sync                  bool
	atime                 string // relatime, noatime, strictatime
	nodiratime            bool
	sec                   string
	proto                 string
	nconnect              int
	clientaddr            string
	extra                 []string // flags shown as-is (noac, nocto, nolock, ...)
}

var nfsFlagOpts = map[string]string{"noac": ",noac", "nocto": ",nocto", "nolock": ",nolock", "noacl": ",noacl", "nordirplus": ",nordirplus", "nosharecache": ",nosharecache", "noresvport": ",noresvport", "softerr": ",softerr", "posix": ",posix"}

// ignoredOpts are mount(8) and fstab options the kernel never sees.
var ignoredOpts = setOf("defaults", "auto", "noauto", "_netdev", "nofail", "user", "nouser", "users", "owner", "group",
	"intr", "nointr", "bg", "fg", "rw", "hard", "cto", "ac", "lock", "acl", "rdirplus", "sharecache", "resvport", "async",
	"dev", "suid", "exec", "diratime", "mand", "nomand", "loud", "silent")

// parseNFSOptions validates an -o list as the kernel's NFS parser would.
func parseNFSOptions(list string) (*nfsOptions, error) {
	o := &nfsOptions{rsize: 131072, wsize: 131072, timeo: 600, retrans: 2, sec: "sys", proto: "tcp", atime: "relatime"}
	num := func(v string) (int, error) {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, errBadOption
		}
		return n, nil
	}
	for _, opt := range strings.Split(list, ",") {
		if opt == "" {
			continue
		}
		k, v, hasVal := strings.Cut(opt, "=")
		var err error
		switch {
		case strings.HasPrefix(k, "x-") || k == "comment":
		case k == "vers" || k == "nfsvers":
			switch v {
			case "4", "4.2":
				o.vers = "4.2"
			case "4.1", "4.0", "3":
				o.vers = v
			default:
				return nil, errBadOption
			}
		case k == "minorversion":
			o.vers = "4." + v
		case k == "port":
			o.port, err = num(v)
		case k == "rsize":
			o.rsize, err = num(v)
			o.rsize = clampIO(o.rsize)
		case k == "wsize":
			o.wsize, err = num(v)
			o.wsize = clampIO(o.wsize)
		case k == "timeo":
			o.timeo, err = num(v)
		case k == "retrans":
			o.retrans, err = num(v)
		case k == "nconnect":
			o.nconnect, err = num(v)
		case k == "proto":
			if v != "tcp" && v != "rdma" && v != "tcp6" {
				return nil, errBadOption
			}
			o.proto = v
		case k == "sec":
			o.sec = v
		case k == "clientaddr":
			o.clientaddr = v
		case k == "actimeo" || k == "acregmin" || k == "acregmax" || k == "acdirmin" || k == "acdirmax" || k == "retry" ||
			k == "lookupcache" || k == "local_lock" || k == "namlen" || k == "mountport" || k == "mountproto" || k == "mounthost" ||
			k == "mountvers" || k == "fsc" || k == "context" || k == "fscontext":
			if !hasVal && k != "fsc" {
				return nil, errBadOption
			}
		case k == "soft":
			o.soft = true
		case k == "ro":
			o.ro = true
		case k == "nosuid":
			o.nosuid = true
		case k == "nodev":
			o.nodev = true
		case k == "noexec":
			o.noexec = true
		case k == "sync":
			o.sync = true
		case k == "noatime" || k == "relatime" || k == "strictatime":
			o.atime = k
		case k == "nodiratime":
			o.nodiratime = true
		case nfsFlagOpts[k] != "":
			o.extra = append(o.extra, k)
		case ignoredOpts[k] && !hasVal:
			if k == "rw" {
				o.ro = false
			}
			if k == "hard" {
				o.soft = false
			}
		default:
			return nil, errBadOption
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

var errBadOption = errors.New("an incorrect mount option was specified")

// clampIO is the kernel's rsize/wsize rounding against the server's maximum
// (FreeBSD's nfsd serves at most 128 KiB).
func clampIO(n int) int {
	if n > 131072 || n == 0 {
		return 131072
	}
	if n < 4096 {
		return 4096
	}
	return n &^ 4095
}

// kernelOptions renders /proc/mounts' option list for an NFSv4 mount
// (fs/nfs/super.c nfs_show_mount_options and nfs_show_nfsv4_options).
func (o *nfsOptions) kernelOptions(clientaddr, addr string) []string {
	var b strings.Builder
	if o.ro {
		b.WriteString("ro")
	} else {
		b.WriteString("rw")
	}
	if o.sync {
		b.WriteString(",sync")
	}
	if o.nosuid {
		b.WriteString(",nosuid")
	}
	if o.nodev {
		b.WriteString(",nodev")
	}
	if o.noexec {
		b.WriteString(",noexec")
	}
	switch o.atime {
	case "noatime":
		b.WriteString(",noatime")
	case "relatime":
		if o.nodiratime {
			b.WriteString(",nodiratime")
		}
		b.WriteString(",relatime")
	default:
		if o.nodiratime {
			b.WriteString(",nodiratime")
		}
	}
	vers := o.vers
	if vers == "" {
		vers = "4.2"
	}
	fmt.Fprintf(&b, ",vers=%s,rsize=%d,wsize=%d,namlen=255", vers, o.rsize, o.wsize)
	if !o.soft {
		b.WriteString(",hard")
	} else {
		b.WriteString(",soft")
	}
	for _, k := range []string{"softerr", "posix", "nocto", "noac", "nolock", "noacl", "nordirplus", "nosharecache", "noresvport"} {
		if contains(o.extra, k) {
			b.WriteString(nfsFlagOpts[k])
		}
	}
	fmt.Fprintf(&b, ",proto=%s", o.proto)
	if o.nconnect > 0 {
		fmt.Fprintf(&b, ",nconnect=%d", o.nconnect)
	}
	if o.port != 0 && o.port != 2049 {
		fmt.Fprintf(&b, ",port=%d", o.port)
	}
	fmt.Fprintf(&b, ",timeo=%d,retrans=%d,sec=%s,clientaddr=%s,local_lock=none,addr=%s", o.timeo, o.retrans, o.sec, clientaddr, addr)
	return strings.Split(b.String(), ",")
}

// resolveHost turns an NFS server name into an IPv4 address through the
// tree's /etc/hosts, as getaddrinfo would with files first.
func resolveHost(h *sim.Host, name string) (string, bool) {
	name = strings.Trim(name, "[]")
	if ip := net.ParseIP(name); ip != nil {
		return ip.String(), true
	}
	if name == "localhost" {
		return "127.0.0.1", true
	}
	text, err := readFile(h, "/etc/hosts")
	if err != nil {
		return "", false
	}
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 || net.ParseIP(f[0]) == nil || net.ParseIP(f[0]).To4() == nil {
			continue
		}
		for _, n := range f[1:] {
			if n == name {
				return f[0], true
			}
		}
	}
	return "", false
}

// mountNFSCmd is mount.nfs / mount.nfs4 (nfs-utils 2.5.4): mount.nfs SPEC
// DIR [-o OPTS] [-r] [-w] [-f] [-n] [-v] [-s].
func mountNFSCmd(p *sim.Proc) int {
	prog := path.Base(p.Args[0])
	var pos []string
	opts := ""
	fake := false
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o":
			if i+1 >= len(args) {
				errw(p, "%s: option requires an argument -- 'o'", prog)
				return 1
			}
			i++
			if opts != "" {
				opts += ","
			}
			opts += args[i]
		case strings.HasPrefix(a, "-o") && len(a) > 2:
			if opts != "" {
				opts += ","
			}
			opts += a[2:]
		case a == "-r":
			opts += ",ro"
		case a == "-w":
			opts += ",rw"
		case a == "-f":
			fake = true
		case a == "-n" || a == "-v" || a == "-s" || a == "-N":
		case a == "-V":
			outw(p.Stdout, "%s: (linux nfs-utils 2.5.4)", prog)
			return 0
		case strings.HasPrefix(a, "-"):
			errw(p, "%s: invalid option -- '%s'", prog, strings.TrimPrefix(a, "-"))
			return 1
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) != 2 {
		errw(p, "usage: %s remotetarget dir [-rvVwfnsh] [-o nfsoptions]", prog)
		return 1
	}
	spec, point := pos[0], path.Clean(pos[1])
	return nfsMount(p, prog, spec, point, opts, fake)
}

func nfsMount(p *sim.Proc, prog, spec, point, opts string, fake bool) int {
	h := p.Host
	if !p.User.IsRoot() {
		errw(p, "%s: only root can mount %s on %s", prog, spec, point)
		return 1
	}
	host, rpath, ok := strings.Cut(spec, ":")
	if !ok || host == "" || !strings.HasPrefix(rpath, "/") {
		errw(p, "%s: remote share not in 'host:dir' format", prog)
		return 32
	}
	fi, err := h.Tree.Stat(point)
	if err != nil {
		errw(p, "%s: mount point %s does not exist", prog, point)
		return 1
	}
	if !fi.IsDir() {
		errw(p, "%s: mount point %s is not a directory", prog, point)
		return 1
	}
	o, err := parseNFSOptions(opts)
	if err != nil {
		errw(p, "%s: %v", prog, err)
		return 32
	}
	if o.vers == "3" {
		errw(p, "%s: requested NFS version or transport protocol is not supported", prog)
		return 32
	}
	addr, ok := resolveHost(h, host)
	if !ok {
		errw(p, "%s: Failed to resolve server %s: Name or service not known", prog, host)
		return 32
	}
	m, _ := sim.Load[sim.Mounts](h, sim.MountsState)
	for _, e := range m.List {
		if e.Point == point && e.Source == spec {
			errw(p, "%s: %s is busy or already mounted", prog, point)
			return 32
		}
	}
	port := o.port
	if port == 0 {
		port = 2049
	}
	if err := NFSDial(p, addr, port); err != nil {
		errw(p, "%s: %v", prog, err)
		return 32
	}
	if st, err := sim.Load[NFSState](h, NFSStateName); err == nil {
		if srv := st.server(addr, port); srv != nil && len(srv.Exports) > 0 && !contains(srv.Exports, path.Clean(rpath)) {
			errw(p, "%s: access denied by server while mounting %s", prog, spec)
			return 32
		}
	}
	if fake {
		return 0
	}
	client := o.clientaddr
	if client == "" {
		client = clientAddrFor(h, addr)
	}
	entry := sim.Mount{Source: spec, Point: point, FSType: "nfs4", Options: o.kernelOptions(client, addr)}
	if err := sim.Update[sim.Mounts](h, sim.MountsState, func(s *sim.Mounts) error {
		s.List = append(s.List, entry)
		return nil
	}); err != nil {
		errw(p, "%s: %v", prog, err)
		return 32
	}
	removeStale(h, point)
	return 0
}

// clientAddrFor is the address the client's NFSv4 callback uses: loopback
// for a loopback server, else the LAN address.
func clientAddrFor(h *sim.Host, server string) string {
	if strings.HasPrefix(server, "127.") {
		return "127.0.0.1"
	}
	n, err := sim.Load[netState](h, netStateName)
	if err == nil {
		for _, i := range n.Interfaces {
			if i.Name != "lo" && i.Addr != "" {
				return strings.Split(i.Addr, "/")[0]
			}
		}
	}
	return "0.0.0.0"
}

// showmountCmd is showmount -e HOST against the lab's NFS state; NFSv4
// through stunnel has no mountd to ask, so an unreachable server fails as
// the portmapper call does (UNCONFIRMED text).
func showmountCmd(p *sim.Proc) int {
	args := p.Args[1:]
	host := ""
	for _, a := range args {
		switch a {
		case "-e", "--exports":
		default:
			if strings.HasPrefix(a, "-") {
				errw(p, "showmount: invalid option -- '%s'", strings.TrimPrefix(a, "-"))
				return 1
			}
			host = a
		}
	}
	if host == "" {
		host = p.Host.Name
	}
	addr, ok := resolveHost(p.Host, host)
	if !ok {
		errw(p, "clnt_create: RPC: Unknown host")
		return 1
	}
	st, _ := sim.Load[NFSState](p.Host, NFSStateName)
	srv := st.server(addr, 0)
	if srv == nil {
		for i := range st.Servers {
			if st.Servers[i].Addr == addr {
				srv = &st.Servers[i]
			}
		}
	}
	if srv == nil {
		errw(p, "clnt_create: RPC: Port mapper failure - Unable to receive: errno 111 (Connection refused)")
		return 1
	}
	outw(p.Stdout, "Export list for %s:", host)
	for _, e := range srv.Exports {
		outw(p.Stdout, "%s (everyone)", e)
	}
	return 0
}
