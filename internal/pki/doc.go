// Package pki makes the private CA and the certificates that stunnel uses
// for mutual TLS: keys generated in the provider's memory with Go's crypto
// (RSA or ECDSA), certificates signed with crypto/x509, and the files that
// carry them to hosts. A private key only ever travels from memory to a
// host file (over the host layer's stdin or SFTP stream) and back into
// memory to sign; what callers keep is public: the certificate's PEM, the
// public key's fingerprint, and the SHA-256 of each key file as written, so
// that a changed or missing key file is still seen.
package pki

import "errors"

var (
	// ErrKeyMismatch means a key does not belong to a certificate.
	ErrKeyMismatch = errors.New("the key does not match the certificate")
	// ErrConflict means the files found at a key's path are not one key.
	ErrConflict = errors.New("the key files differ")
	// ErrLost means no host holds the key any more.
	ErrLost = errors.New("no host has the key")
)
