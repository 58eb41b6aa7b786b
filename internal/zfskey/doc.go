// Package zfskey manages a raw ZFS encryption key (keyformat=raw: 32
// bytes) kept as a file at one path on several hosts, the article's "every
// node's keys on every node". The key is generated once from a host's own
// random source (or supplied by the user), and copied host to host through
// the caller's memory and the host layer's stdin or SFTP streams: never in
// argv, never in a log. What callers keep is its SHA-256 fingerprint, which
// is enough to tell a good copy from a missing or a changed one.
//
// Nothing here ever overwrites a key file the caller has not identified as
// its own, and nothing removes a copy that a dataset on that host names as
// its keylocation.
package zfskey

import "errors"

var (
	// ErrNotFound means no listed host holds a file at the key's path.
	ErrNotFound = errors.New("no key file")
	// ErrLost means no host holds a copy with the key's fingerprint: the
	// key cannot be copied, only replaced by a new one.
	ErrLost = errors.New("no host has a good copy of the key")
	// ErrConflict means the files found at the path are not one key.
	ErrConflict = errors.New("the key files differ")
	// ErrInUse means a dataset on the host loads its key from the file.
	ErrInUse = errors.New("the key file is in use")
	// ErrNoDirectory means the key's directory does not exist on a host.
	ErrNoDirectory = errors.New("the key's directory does not exist")
)
