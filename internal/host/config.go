package host

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// Defaults applied to zero Config fields.
const (
	DefaultPort              = 22
	DefaultConnectTimeout    = 30 * time.Second
	DefaultMaxSessions       = 10 // OpenSSH's MaxSessions
	DefaultMaxConnections    = 4
	DefaultKeepaliveInterval = 30 * time.Second
)

// maxJumpDepth bounds a chain of jump hosts (and catches a Jump cycle).
const maxJumpDepth = 4

// Validate checks a Config without touching the network or the file system
// (except for the agent socket variable). Each problem is a *ConfigError
// naming the schema attribute; several are joined with errors.Join.
func (c Config) Validate() error {
	return errors.Join(c.problems(c.Name, "", 0, true)...)
}

// problems lists what is wrong with c. parseKey decrypts PrivateKey, which
// is slow for encrypted keys; NewPool does that once, when it keeps the key.
func (c Config) problems(host, prefix string, depth int, parseKey bool) []error {
	var errs []error
	bad := func(attr, format string, args ...any) {
		errs = append(errs, &ConfigError{Host: host, Attribute: prefix + attr, Message: fmt.Sprintf(format, args...)})
	}
	if prefix == "" && strings.TrimSpace(c.Name) == "" {
		bad("name", "must not be empty")
	}
	if msg := checkAddress(c.Address); msg != "" {
		bad("address", "%s", msg)
	}
	if c.Port < 0 || c.Port > 65535 {
		bad("port", "%d is out of range 1..65535", c.Port)
	}
	if strings.TrimSpace(c.User) == "" {
		bad("user", "must not be empty")
	} else if strings.ContainsAny(c.User, " \t\n@:") {
		bad("user", "%q contains a space, '@' or ':'", c.User)
	}
	if len(c.PrivateKey) == 0 && !c.Agent {
		bad("private_key", "no authentication method: set private_key or agent = true")
	}
	if len(c.PrivateKey) > 0 && parseKey {
		if _, err := parseSigner(c.PrivateKey, c.PrivateKeyPassphrase); err != nil {
			bad("private_key", "%v", err)
		}
	}
	if c.Agent && c.agentSocket() == "" {
		bad("agent_socket", "agent = true but SSH_AUTH_SOCK is not set: set agent_socket or start an ssh-agent")
	}
	switch {
	case c.HostKey != "":
		if _, err := parseHostKey(c.HostKey); err != nil {
			bad("host_key", "%v", err)
		}
	case c.KnownHostsFile != "", c.InsecureIgnoreHostKey:
	default:
		bad("known_hosts_file", "no host key verification: set known_hosts_file or host_key (or insecure_ignore_host_key = true to skip verification)")
	}
	if prefix == "" && c.Become != "" && !slices.Contains(BecomeValues(), string(c.Become)) {
		bad("become", "unknown value %q, want one of %s", c.Become, strings.Join(becomeChoices(), ", "))
	}
	if c.ConnectTimeout < 0 {
		bad("connect_timeout", "must not be negative")
	}
	if c.MaxSessions < 0 {
		bad("max_sessions", "must not be negative")
	}
	if c.MaxConnections < 0 {
		bad("max_connections", "must not be negative")
	}
	if c.Jump != nil {
		if depth+1 >= maxJumpDepth {
			bad("jump", "more than %d jump hosts in a chain (or a cycle)", maxJumpDepth-1)
		} else {
			errs = append(errs, c.Jump.problems(host, prefix+"jump.", depth+1, parseKey)...)
		}
	}
	return errs
}

func becomeChoices() []string {
	return []string{string(BecomeDoas), string(BecomeSudo), string(BecomeNone)}
}

func checkAddress(a string) string {
	switch {
	case a == "":
		return "must not be empty"
	case strings.ContainsAny(a, " \t\r\n"):
		return fmt.Sprintf("%q contains white space", a)
	case strings.HasPrefix(a, "["):
		return fmt.Sprintf("%q: give an IPv6 address without brackets and the port in port", a)
	case strings.HasPrefix(a, "-"):
		return fmt.Sprintf("%q must not start with '-'", a)
	case strings.Contains(a, "@"):
		return fmt.Sprintf("%q contains '@': set the user in user", a)
	case strings.Contains(a, ":") && net.ParseIP(a) == nil:
		return fmt.Sprintf("%q looks like host:port: set the port in port", a)
	}
	return ""
}

// withDefaults fills the zero fields. The Config is already valid.
func (c Config) withDefaults() Config {
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.Become == "" {
		c.Become = BecomeNone
	}
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.MaxSessions == 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.MaxConnections == 0 {
		c.MaxConnections = DefaultMaxConnections
	}
	if c.KeepaliveInterval == 0 {
		c.KeepaliveInterval = DefaultKeepaliveInterval
	}
	return c
}

func (c Config) hostPort() string {
	port := c.Port
	if port == 0 {
		port = DefaultPort
	}
	return net.JoinHostPort(c.Address, fmt.Sprint(port))
}

func (c Config) agentSocket() string {
	if c.AgentSocket != "" {
		return c.AgentSocket
	}
	return os.Getenv("SSH_AUTH_SOCK")
}

// parseSigner reads a PEM private key. Its errors never quote the key.
func parseSigner(key, passphrase []byte) (ssh.Signer, error) {
	if len(passphrase) > 0 {
		s, err := ssh.ParsePrivateKeyWithPassphrase(key, passphrase)
		if err == nil {
			return s, nil
		}
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, errors.New("private_key_passphrase does not decrypt the key (wrong passphrase)")
		}
		// A passphrase given for a key that is not encrypted is harmless.
		if s, err2 := ssh.ParsePrivateKey(key); err2 == nil {
			return s, nil
		}
		return nil, fmt.Errorf("not a usable private key: %w", err)
	}
	s, err := ssh.ParsePrivateKey(key)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		return nil, errors.New("the key is encrypted: set private_key_passphrase")
	}
	if err != nil {
		return nil, fmt.Errorf("not a usable private key: %w", err)
	}
	return s, nil
}

func parseHostKey(s string) (ssh.PublicKey, error) {
	key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("not a public key in authorized_keys format (\"ssh-ed25519 AAAA...\"): %w", err)
	}
	return key, nil
}
