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
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

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
	retry                 int      // minutes mount.nfs retries in the foreground; -1: not given
	extra                 []string // flags shown as-is (noac, nocto, nolock, ...)
}

var nfsFlagOpts = map[string]string{"noac": ",noac", "nocto": ",nocto", "nolock": ",nolock", "noacl": ",noacl", "nordirplus": ",nordirplus", "nosharecache": ",nosharecache", "noresvport": ",noresvport", "softerr": ",softerr", "posix": ",posix"}

// ignoredOpts are mount(8) and fstab options the kernel never sees.
var ignoredOpts = setOf("defaults", "auto", "noauto", "_netdev", "nofail", "user", "nouser", "users", "owner", "group",
	"intr", "nointr", "bg", "fg", "rw", "hard", "cto", "ac", "lock", "acl", "rdirplus", "sharecache", "resvport", "async",
	"dev", "suid", "exec", "diratime", "mand", "nomand", "loud", "silent")

// parseNFSOptions validates an -o list as the kernel's NFS parser would.
func parseNFSOptions(list string) (*nfsOptions, error) {
	o := &nfsOptions{rsize: 131072, wsize: 131072, timeo: 600, retrans: 2, sec: "sys", proto: "tcp", atime: "relatime", retry: -1}
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
		case k == "retry":
			o.retry, err = num(v)
		case k == "actimeo" || k == "acregmin" || k == "acregmax" || k == "acdirmin" || k == "acdirmax" ||
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
// DIR [-o OPTS] [-r] [-w] [-f] [-n] [-v] [-s]. Called as umount.nfs or
// umount.nfs4 (the same program, utils/mount/mount.c) it unmounts.
func mountNFSCmd(p *sim.Proc) int {
	prog := path.Base(p.Args[0])
	if strings.HasPrefix(prog, "umount") {
		return umountNFSCmd(p, prog)
	}
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

// nfsDefaultRetry is mount.nfs's foreground retry period in minutes
// (NFS_DEF_FG_TIMEOUT_MINUTES) when the options give no retry=.
const nfsDefaultRetry = 2

// nfsTemporary is nfs_is_permanent_error's list of errors a foreground
// mount retries until its retry period ends (utils/mount/stropts.c).
func nfsTemporary(err error) bool {
	for _, e := range []syscall.Errno{syscall.ECONNREFUSED, syscall.ETIMEDOUT, syscall.EHOSTUNREACH, syscall.EAGAIN} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// nfsMountError prints a failed mount as mount_error does
// (utils/mount/error.c of nfs-utils 2.5.4).
func nfsMountError(p *sim.Proc, prog, spec, point string, err error) {
	switch {
	case errors.Is(err, syscall.EACCES):
		errw(p, "%s: access denied by server while mounting %s", prog, spec)
	case errors.Is(err, syscall.ENOENT):
		errw(p, "%s: mounting %s failed, reason given by server: No such file or directory", prog, spec)
	case errors.Is(err, syscall.ENOTDIR):
		errw(p, "%s: mount spec %s or point %s is not a directory", prog, spec, point)
	default:
		errw(p, "%s: %s", prog, sim.ErrText(err))
	}
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
	// chk_mountpoint: stat(2) of the mount point, mount_error without a spec
	fi, err := p.Tree().Stat(point)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		errw(p, "%s: mount point %s does not exist", prog, point)
		return 1
	case err != nil:
		errw(p, "%s: %s", prog, sim.ErrText(err))
		return 1
	case !fi.IsDir():
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
	port := o.port
	if port == 0 {
		port = 2049
	}
	vers := o.vers
	if vers == "" {
		vers = "4.2"
	}
	// The kernel answers EBUSY when the same server's file system is
	// mounted there already, and mount.nfs then succeeds quietly (2.5.4's
	// nfsmount_fg: "EBUSY && is_mountpoint").
	for _, e := range loadMounts(h) {
		if e.Point == point && e.Source == spec {
			return 0
		}
	}
	retry := o.retry
	if retry < 0 {
		retry = nfsDefaultRetry
	}
	deadline := time.Now().Unix() + int64(retry)*60
	wait := time.Second
	var ex *sim.NFSExport
	for {
		ex, err = nfsDial(p.Ctx, h, addr, port, rpath, vers, false)
		if err == nil || !nfsTemporary(err) || time.Now().Unix() > deadline {
			break
		}
		if errors.Is(err, syscall.ETIMEDOUT) {
			continue
		}
		select {
		case <-p.Ctx.Done():
		case <-time.After(wait):
		}
		if p.Ctx.Err() != nil {
			break
		}
		wait = min(2*wait, 10*time.Second)
	}
	if err != nil {
		nfsMountError(p, prog, spec, point, err)
		return 32
	}
	if fake {
		return 0
	}
	client := o.clientaddr
	if client == "" {
		client = clientAddrFor(h, addr)
	}
	entry := sim.Mount{Source: spec, Point: point, FSType: "nfs4", Options: o.kernelOptions(client, addr), Remote: &sim.RemoteMount{
		Kind: nfsKind, Addr: addr, Port: port, Path: rpath, Vers: vers,
		Host: ex.Host.Name, Dir: ex.Dir, FS: ex.FS, MapRoot: ex.MapRoot, MapAll: ex.MapAll, ReadOnly: ex.ReadOnly,
		Soft: o.soft, SoftErr: contains(o.extra, "softerr"), Timeo: o.timeo, Retrans: o.retrans,
	}}
	if err := sim.Update[sim.Mounts](h, sim.MountsState, func(s *sim.Mounts) error {
		s.List = append(s.List, entry)
		return nil
	}); err != nil {
		errw(p, "%s: %v", prog, err)
		return 32
	}
	return 0
}

// clientAddrFor is the address the client's NFSv4 callback uses: loopback
// for a loopback server, else the LAN address.
func clientAddrFor(h *sim.Host, server string) string {
	if strings.HasPrefix(server, "127.") {
		return "127.0.0.1"
	}
	if a := hostAddresses(h); len(a) > 0 {
		return a[0]
	}
	return "0.0.0.0"
}

// umountNFSCmd is umount.nfs / umount.nfs4 DIR|SPEC [-fvnrlh]
// (utils/mount/nfsumount.c): it unmounts an NFS entry of the mount table
// without looking at the mount point (NFSv4 sends the server nothing).
func umountNFSCmd(p *sim.Proc, prog string) int {
	usage := func() int {
		outw(p.Stdout, "usage: %s dir [-fvnrlh]", prog)
		outw(p.Stdout, "options:\n\t-f\tforce unmount\n\t-v\tverbose\n\t-n\tDo not update /etc/mtab\n\t-r\tremount\n\t-l\tlazy unmount\n\t-h\tprint this help\n")
		return 1
	}
	if len(p.Args) < 2 {
		return usage()
	}
	spec := p.Args[1]
	for _, a := range p.Args[2:] {
		if !strings.HasPrefix(a, "-") || strings.Trim(a, "-fvnrl") != "" {
			return usage()
		}
	}
	if spec == "" || (spec[0] != '/' && !strings.Contains(spec, ":")) {
		errw(p, "%s: %s: not found\n", prog, spec)
		return 1
	}
	var found *sim.Mount
	list := loadMounts(p.Host)
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Point == path.Clean(spec) || list[i].Source == spec {
			found = &list[i]
			break
		}
	}
	switch {
	case found != nil && found.FSType != "nfs" && found.FSType != "nfs4":
		errw(p, "%s: %s on %s is not an NFS filesystem", prog, found.Source, found.Point)
		return 1
	case !p.User.IsRoot() && found == nil:
		return 0
	case !p.User.IsRoot():
		errw(p, "%s: You are not permitted to unmount %s", prog, spec)
		return 1
	case found == nil:
		errw(p, "%s: %s: not mounted", prog, spec)
		return 16
	}
	if err := removeMount(p.Host, found.Point); err != nil {
		errw(p, "%s: %s: %v", prog, found.Point, err)
		return 16
	}
	return 0
}

// showmountCmd is showmount -e HOST (nfs-utils): the MOUNT protocol goes
// to the server's rpcbind (port 111) and mountd, not through stunnel, so
// asking 127.0.0.1 on a client fails as the portmapper call does.
func showmountCmd(p *sim.Proc) int {
	host := ""
	for _, a := range p.Args[1:] {
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
	reply, err := p.Host.Dial(&sim.Conn{Ctx: p.Ctx}, addr, 111, &sim.ExportsRequest{})
	var list []sim.ExportEntry
	if err == nil {
		list, ok = reply.([]sim.ExportEntry)
	}
	switch {
	case errors.Is(err, syscall.EPROTONOSUPPORT):
		errw(p, "clnt_create: RPC: Program not registered")
		return 1
	case err != nil || !ok:
		var errno syscall.Errno
		if !errors.As(err, &errno) {
			errno = syscall.ECONNREFUSED
		}
		errw(p, "clnt_create: RPC: Port mapper failure - Unable to receive: errno %d (%s)", linuxErrno[errno], sim.ErrText(errno))
		return 1
	}
	outw(p.Stdout, "Export list for %s:", host)
	width := 0
	for _, e := range list {
		width = max(width, len(e.Dir))
	}
	for _, e := range list {
		groups := strings.Join(e.Groups, ",")
		if groups == "" {
			groups = "(everyone)"
		}
		outw(p.Stdout, "%-*s %s", width, e.Dir, groups)
	}
	return 0
}
