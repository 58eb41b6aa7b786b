package sim

import (
	"context"
	"net/netip"
	"slices"
	"sync"
	"syscall"
)

// The lab's connections: no sockets between simulated hosts, but a route
// that a connection takes through them. A family says, per OS, who listens
// on an address and port of a host (RegisterListener) and which addresses
// a host holds (RegisterAddresses); Host.Dial finds the host that holds
// the address (itself for loopback and its own addresses, else the lab's
// Peer) and hands the request to the service listening there, which may
// dial on (stunnel does). The request and the reply are the families'
// business (NFSRequest and NFSExport for NFS).
//
// Listeners and the services they return run inside other commands, also
// inside path checks (a mount's route is checked on access): they read
// state with Peek, never Update, Load or Exec, and they do not block.

// Conn is one connection as the service that accepts it sees it.
type Conn struct {
	Ctx context.Context
	// From is the host that connects, Src its address as the listener
	// sees it ("127.0.0.1" over loopback).
	From *Host
	Src  string
	// Addr and Port are the address and port connected to.
	Addr string
	Port int
	// TLS is what a TLS client offers the service (the stunnel family's
	// type), nil for plain TCP.
	TLS any
	// Quiet asks the services not to log this connection: the lab checks
	// an established connection's route, which the real daemons never
	// see again.
	Quiet bool
}

// Service answers one request on a connection. Its errors are errnos as the
// connecting side sees them (syscall.ECONNRESET, ...), or the families' own.
type Service func(c *Conn, req any) (any, error)

// ListenFunc returns the service of h listening on addr:port, if any.
type ListenFunc func(h *Host, addr string, port int) (Service, bool)

var netRegistry struct {
	sync.RWMutex
	listeners map[OS][]namedListener
	addresses map[OS]func(h *Host) []string
}

type namedListener struct {
	name string
	find ListenFunc
}

// RegisterListener adds (or, under the same name, replaces; nil removes) a
// listener finder for the hosts of os.
func RegisterListener(os OS, name string, find ListenFunc) {
	netRegistry.Lock()
	defer netRegistry.Unlock()
	if netRegistry.listeners == nil {
		netRegistry.listeners = map[OS][]namedListener{}
	}
	list := slices.Clone(netRegistry.listeners[os])
	i := slices.IndexFunc(list, func(l namedListener) bool { return l.name == name })
	switch {
	case find == nil && i >= 0:
		list = slices.Delete(list, i, i+1)
	case find == nil:
	case i >= 0:
		list[i].find = find
	default:
		list = append(list, namedListener{name, find})
	}
	netRegistry.listeners[os] = list
}

// RegisterAddresses sets how the hosts of os list the addresses they hold
// now (no loopback; a CARP address only while MASTER).
func RegisterAddresses(os OS, f func(h *Host) []string) {
	netRegistry.Lock()
	defer netRegistry.Unlock()
	if netRegistry.addresses == nil {
		netRegistry.addresses = map[OS]func(h *Host) []string{}
	}
	netRegistry.addresses[os] = f
}

// Addresses lists the addresses h holds now, first the one it connects from.
func (h *Host) Addresses() []string {
	netRegistry.RLock()
	f := netRegistry.addresses[h.OS]
	netRegistry.RUnlock()
	if f == nil {
		return nil
	}
	return f(h)
}

// Dial connects from h to addr:port (an IP address) and hands req to the
// service listening there. Nothing holds addr: EHOSTUNREACH (a LAN without
// an ARP answer); nothing listens on the port: ECONNREFUSED.
func (h *Host) Dial(c *Conn, addr string, port int, req any) (any, error) {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return nil, syscall.EHOSTUNREACH
	}
	conn := *c
	if conn.Ctx == nil {
		conn.Ctx = context.Background()
	}
	conn.From, conn.Addr, conn.Port = h, ip.String(), port
	target := h
	own := h.Addresses()
	switch {
	case ip.IsLoopback():
		conn.Src = "127.0.0.1"
	case slices.Contains(own, conn.Addr):
		conn.Src = conn.Addr
	default:
		peer, ok := h.Peer(conn.Addr)
		if !ok {
			return nil, syscall.EHOSTUNREACH
		}
		target = peer
		conn.Src = "0.0.0.0"
		if len(own) > 0 {
			conn.Src = own[0]
		}
	}
	netRegistry.RLock()
	list := netRegistry.listeners[target.OS]
	netRegistry.RUnlock()
	for _, l := range list {
		if svc, ok := l.find(target, conn.Addr, port); ok {
			return svc(&conn, req)
		}
	}
	return nil, syscall.ECONNREFUSED
}
