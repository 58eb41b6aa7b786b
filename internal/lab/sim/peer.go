package sim

// PeerFunc resolves a network address to the host of the same lab that
// holds it, as a network would route a connection to it. There are no
// sockets between simulated hosts: a command that "connects" to another
// host (zrepl's replication) resolves the address and runs commands there.
type PeerFunc func(addr string) (*Host, bool)

// SetPeers installs the host's resolver; nil removes it. The lab installs
// one on every host it starts or opens.
func (h *Host) SetPeers(f PeerFunc) {
	if f == nil {
		h.peers.Store(nil)
		return
	}
	h.peers.Store(&f)
}

// Peer returns the host that holds addr (an IP address, without port), or
// false when no host of the lab does or no resolver is installed.
func (h *Host) Peer(addr string) (*Host, bool) {
	f := h.peers.Load()
	if f == nil {
		return nil, false
	}
	return (*f)(addr)
}
