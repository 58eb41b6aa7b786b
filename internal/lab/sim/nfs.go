package sim

import (
	"context"
	"errors"
	"sync"
	"syscall"
	"time"
)

// NFS between lab hosts: a client's mount asks, over Host.Dial, for a path
// of a server (NFSRequest); the server's NFS service answers with the
// directory and the export's terms (NFSExport); the client records them in
// its mount table (Mount.Remote), and from then on its tree serves every
// path at or below the mount point from the server's tree (remote.go),
// after checking on each access that the mount's route still leads to the
// same server (RegisterRoute).

// NFSRequest asks an NFS server for Path, relative to its NFSv4 root, with
// protocol version Vers ("4.2", "4.1", "4.0").
type NFSRequest struct {
	Path string
	Vers string
}

// ExportsRequest asks a server's rpcbind and mountd for the export list
// (the MOUNT protocol's EXPORT call, showmount -e); the answer is an
// []ExportEntry.
type ExportsRequest struct{}

// ExportEntry is one exported directory and the hosts or networks it goes
// to, as mountd names them (none: everyone).
type ExportEntry struct {
	Dir    string
	Groups []string
}

// Cred is an AUTH_SYS credential: what the server acts as.
type Cred struct {
	UID, GID int
	Groups   []int `json:",omitempty"`
}

// NobodyCred is the credential FreeBSD's mountd gives root by default
// (nobody:nogroup, exports(5) without -maproot).
var NobodyCred = Cred{UID: 65534, GID: 65533}

// NFSExport is a server's answer to an NFSRequest.
type NFSExport struct {
	Host *Host
	Dir  string // the directory on Host
	FS   string // the file system Dir is on (its mount source), for staleness
	// MapRoot is what the client's root acts as (-maproot), MapAll, when
	// set, what every user acts as (-mapall).
	MapRoot  Cred
	MapAll   *Cred
	ReadOnly bool // -ro
}

// RemoteMount is what a mount table entry records of an NFS mount: how to
// reach the server again and what it served.
type RemoteMount struct {
	Kind string // the route's kind, as registered with RegisterRoute ("nfs4")
	Addr string // the address and port the client dials
	Port int
	Path string // the path asked for
	Vers string
	// Host, Dir and FS are the server, its directory and file system
	// when the mount was made.
	Host     string
	Dir      string
	FS       string
	MapRoot  Cred
	MapAll   *Cred `json:",omitempty"`
	ReadOnly bool  `json:",omitempty"`
	// Soft mounts fail (EIO, or ETIMEDOUT with SoftErr) after Timeo
	// deciseconds and Retrans retransmissions; hard ones wait.
	Soft    bool `json:",omitempty"`
	SoftErr bool `json:",omitempty"`
	Timeo   int
	Retrans int
}

// SoftTimeout is how long a soft mount's request waits for a server that
// does not answer: Retrans+1 tries, each timeo longer than the one before
// (linear backoff, at most 600 s each; nfs(5) "timeo").
func (m *RemoteMount) SoftTimeout() time.Duration {
	timeo := time.Duration(m.Timeo) * 100 * time.Millisecond
	var d time.Duration
	for i := 1; i <= m.Retrans+1; i++ {
		d += min(time.Duration(i)*timeo, 600*time.Second)
	}
	return d
}

// RouteFunc dials a remote mount's server again from client and returns its
// answer now, with ctx the accessing process's context.
type RouteFunc func(ctx context.Context, client *Host, m *RemoteMount) (*NFSExport, error)

var routes struct {
	sync.RWMutex
	byKind map[string]RouteFunc
}

// RegisterRoute sets the route of remote mounts of kind.
func RegisterRoute(kind string, f RouteFunc) {
	routes.Lock()
	defer routes.Unlock()
	if routes.byKind == nil {
		routes.byKind = map[string]RouteFunc{}
	}
	routes.byKind[kind] = f
}

func routeFor(kind string) RouteFunc {
	routes.RLock()
	defer routes.RUnlock()
	return routes.byKind[kind]
}

// Unreachable reports whether err is a transport failure (nothing answers
// at the end of the route) rather than a server's answer.
func Unreachable(err error) bool {
	for _, e := range []syscall.Errno{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EHOSTUNREACH, syscall.ETIMEDOUT, syscall.ENETUNREACH} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
