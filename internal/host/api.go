// Package host is the only package that speaks SSH and SFTP. It keeps one
// connection per host per provider process, runs commands given as argv through
// /bin/sh -c, moves files atomically, and serialises edits of shared files.
//
// Domain packages depend on the Target interface, never on *Host, so that they
// can be tested against the lab or a fake.
package host

import (
	"context"
	"io"
	"io/fs"
	"time"
)

// Become selects the privilege escalation wrapped around every command.
type Become string

const (
	BecomeNone Become = "none"
	BecomeDoas Become = "doas"
	BecomeSudo Become = "sudo"
)

// BecomeValues lists the accepted values, for validators and descriptions.
func BecomeValues() []string {
	return []string{string(BecomeNone), string(BecomeDoas), string(BecomeSudo)}
}

// Config describes how to reach one named host. It carries secrets
// (PrivateKey, Passphrase) and must never be logged.
type Config struct {
	Name    string // the name resources use: host = "f0"
	Address string // hostname or IP, without port
	Port    int    // default 22
	User    string

	PrivateKey           []byte // PEM; empty when only the agent is used
	PrivateKeyPassphrase []byte
	Agent                bool   // use the ssh-agent at AgentSocket
	AgentSocket          string // defaults to $SSH_AUTH_SOCK

	KnownHostsFile        string // OpenSSH known_hosts file
	HostKey               string // pinned public key, authorized_keys format
	InsecureIgnoreHostKey bool   // only when the user asks for it explicitly

	Become Become
	Jump   *Config // optional jump host, already resolved

	ConnectTimeout    time.Duration // dial plus handshake; default 30s
	MaxSessions       int           // concurrent sessions per connection; default 10 (OpenSSH MaxSessions)
	MaxConnections    int           // connections per host, opened only when all others are at MaxSessions; default 4
	KeepaliveInterval time.Duration // default 30s; 0 keeps the default, negative disables
}

// Command is one remote command. Exactly one of Argv and Script is set.
type Command struct {
	// Argv is a simple command; every word is quoted by Quote.
	Argv []string
	// Script is a POSIX sh script composed by a domain package from words
	// quoted with Quote or Join (pipelines, &&, redirections). Never glue
	// user input into it unquoted.
	Script string
	// Stdin streams to the command. Secrets travel here or over SFTP, never in argv.
	Stdin io.Reader
	// Redact lists substrings (secrets) to hide from errors and logs.
	Redact []string
}

// Result is what a command printed and how it ended. Non-empty Stderr is not failure.
type Result struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
}

// Info is what OS detection learns once per host.
type Info struct {
	Hostname string
	OS       string // "FreeBSD" or "Linux" (uname -s)
	Release  string // FreeBSD: freebsd-version -u (14.2-RELEASE); Linux: VERSION_ID of os-release (9.4)
	Distro   string // Linux: ID of os-release ("rocky"); FreeBSD: "freebsd"
	Kernel   string // uname -r
	Machine  string // uname -m
}

// IsFreeBSD and IsLinux choose a dialect.
func (i Info) IsFreeBSD() bool { return i.OS == "FreeBSD" }
func (i Info) IsLinux() bool   { return i.OS == "Linux" }

// FileInfo is a remote file's metadata with owner and group names.
type FileInfo struct {
	Path  string
	Mode  fs.FileMode // permission bits plus fs.ModeDir / fs.ModeSymlink
	Owner string
	Group string
	Size  int64
}

// FileOptions are applied to a written file before it is renamed into place.
// Empty Owner or Group leaves the default of the writing user.
type FileOptions struct {
	Mode  fs.FileMode
	Owner string
	Group string
	// DirMode, when non-zero, creates missing parent directories with this mode.
	DirMode fs.FileMode
}

// Target is what domain packages use to act on one host.
type Target interface {
	Name() string
	Run(ctx context.Context, cmd Command) (Result, error)
	Info(ctx context.Context) (Info, error)
	ReadFile(ctx context.Context, path string) ([]byte, error) // errors.Is(err, fs.ErrNotExist) when missing
	Stat(ctx context.Context, path string) (FileInfo, error)   // errors.Is(err, fs.ErrNotExist) when missing
	WriteFile(ctx context.Context, path string, data io.Reader, opts FileOptions) error
	Remove(ctx context.Context, path string) error // missing is not an error
	// Lock serialises edits of one shared file on this host across resources.
	Lock(ctx context.Context, path string) (unlock func(), err error)
}
