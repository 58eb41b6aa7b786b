package sim

// Network is the lab's LAN as the hosts on it see it: which hosts are
// powered on, and a lock for the changes that concern several hosts at once
// (a CARP election reads and writes every peer's interfaces). The lab
// installs one on each host it starts or opens; a host without one (a
// family's unit test) is alone on its links.
type Network interface {
	// Hosts lists the hosts of the lab that are powered on, in the lab's
	// order (the host asking among them).
	Hosts() []*Host
	// Lock serialises such changes across the processes that share the lab.
	// It must not be taken while holding a host's state lock.
	Lock() (unlock func(), err error)
}

// SetNetwork installs the host's network; nil removes it.
func (h *Host) SetNetwork(n Network) {
	if n == nil {
		h.net.Store(nil)
		return
	}
	h.net.Store(&n)
}

// Network returns the host's network, or nil when it is alone.
func (h *Host) Network() Network {
	if n := h.net.Load(); n != nil {
		return *n
	}
	return nil
}
