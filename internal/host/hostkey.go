package host

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// hostKeyPolicy verifies the key a server presents: a pinned key wins over
// a known_hosts file; skipping the check needs InsecureIgnoreHostKey.
type hostKeyPolicy struct {
	name     string
	file     string
	db       ssh.HostKeyCallback
	pinned   ssh.PublicKey
	insecure bool
}

func newHostKeyPolicy(c Config, attrHost, attrPrefix string) (*hostKeyPolicy, error) {
	p := &hostKeyPolicy{name: c.Name, file: c.KnownHostsFile, insecure: c.InsecureIgnoreHostKey}
	switch {
	case c.HostKey != "":
		key, err := parseHostKey(c.HostKey)
		if err != nil {
			return nil, &ConfigError{Host: attrHost, Attribute: attrPrefix + "host_key", Message: err.Error()}
		}
		p.pinned = key
	case c.KnownHostsFile != "":
		db, err := knownhosts.New(c.KnownHostsFile)
		if err != nil {
			return nil, &ConfigError{Host: attrHost, Attribute: attrPrefix + "known_hosts_file", Message: err.Error()}
		}
		p.db = db
	}
	return p, nil
}

// callback checks the presented key. hostPort is the address as dialled.
func (p *hostKeyPolicy) callback(hostPort string) ssh.HostKeyCallback {
	return func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		switch {
		case p.pinned != nil:
			if bytes.Equal(key.Marshal(), p.pinned.Marshal()) {
				return nil
			}
			return p.keyError(hostPort, key, "the host key does not match host_key",
				fmt.Sprintf("host_key is %s %s; if the host was reinstalled, update host_key, otherwise someone may be intercepting the connection",
					p.pinned.Type(), ssh.FingerprintSHA256(p.pinned)))
		case p.db != nil:
			err := p.db(hostname, remote, key)
			var revoked *knownhosts.RevokedError
			var keyErr *knownhosts.KeyError
			switch {
			case err == nil:
				return nil
			case errors.As(err, &revoked):
				return p.keyError(hostPort, key, "the host key is revoked in "+revoked.Revoked.String(),
					"do not connect to this host until its key is replaced")
			case errors.As(err, &keyErr) && len(keyErr.Want) == 0:
				return p.keyError(hostPort, key, "the host is not in known_hosts file "+p.file,
					fmt.Sprintf("verify the fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_%s_key.pub) and add its key to %s (ssh-keyscan -p %s %s >> %s), or set host_key",
						keyFileType(key.Type()), p.file, portOf(hostPort), hostOf(hostPort), p.file))
			case errors.As(err, &keyErr):
				var known []string
				for _, k := range keyErr.Want {
					known = append(known, fmt.Sprintf("%s:%d has %s %s", k.Filename, k.Line, k.Key.Type(), ssh.FingerprintSHA256(k.Key)))
				}
				return p.keyError(hostPort, key, "HOST KEY CHANGED: the key does not match known_hosts",
					strings.Join(known, ", ")+"; if the host was reinstalled, remove those lines (ssh-keygen -R) and add the new key, otherwise someone may be intercepting the connection")
			default:
				return fmt.Errorf("host %q (%s): checking the host key: %w", p.name, hostPort, err)
			}
		case p.insecure:
			return nil
		}
		return fmt.Errorf("host %q: no host key policy", p.name)
	}
}

func (p *hostKeyPolicy) keyError(hostPort string, key ssh.PublicKey, problem, hint string) error {
	return &HostKeyError{
		Host:        p.name,
		Address:     hostPort,
		KeyType:     key.Type(),
		Fingerprint: ssh.FingerprintSHA256(key),
		Problem:     problem,
		Hint:        hint,
	}
}

// algorithms lists the host key algorithms to offer, so that a server with
// several host keys presents the one we know. Nil leaves the defaults.
func (p *hostKeyPolicy) algorithms(hostname string, remote net.Addr) []string {
	var keys []ssh.PublicKey
	switch {
	case p.pinned != nil:
		keys = []ssh.PublicKey{p.pinned}
	case p.db != nil:
		// Asking about a key nobody has yields every key known for the host.
		var keyErr *knownhosts.KeyError
		if errors.As(p.db(hostname, remote, probeKey()), &keyErr) {
			for _, k := range keyErr.Want {
				keys = append(keys, k.Key)
			}
		}
	}
	var algos []string
	for _, k := range keys {
		for _, a := range algorithmsFor(k.Type()) {
			if !slices.Contains(algos, a) {
				algos = append(algos, a)
			}
		}
	}
	return algos
}

func algorithmsFor(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}

var probeKey = sync.OnceValue(func() ssh.PublicKey {
	// A fixed seed: the key only has to be one no known_hosts file lists.
	seed := bytes.Repeat([]byte{0x5a}, ed25519.SeedSize)
	pub, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(seed).Public())
	if err != nil {
		panic(err)
	}
	return pub
})

func keyFileType(t string) string {
	switch {
	case t == ssh.KeyAlgoED25519:
		return "ed25519"
	case strings.HasPrefix(t, "ecdsa-"):
		return "ecdsa"
	case t == ssh.KeyAlgoRSA:
		return "rsa"
	}
	return "*"
}

func hostOf(hostPort string) string {
	h, _, err := net.SplitHostPort(hostPort)
	if err != nil {
		return hostPort
	}
	return h
}

func portOf(hostPort string) string {
	_, p, err := net.SplitHostPort(hostPort)
	if err != nil {
		return "22"
	}
	return p
}
