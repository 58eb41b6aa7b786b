package host

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrClosed is returned by every operation after Pool.Close.
var ErrClosed = errors.New("host: connection pool closed")

// maxErrorText bounds the stderr quoted in an error message.
const maxErrorText = 4000

// CommandError reports a command that ran and exited non-zero. Command,
// Stdout and Stderr are already redacted.
type CommandError struct {
	Host     string
	Command  string
	ExitCode int
	Stderr   string
	Stdout   string
}

func (e *CommandError) Error() string {
	msg := fmt.Sprintf("%s: command %q exited %d", e.Host, e.Command, e.ExitCode)
	if s := strings.TrimSpace(e.Stderr); s != "" {
		return msg + ": " + truncate(s)
	}
	return msg
}

// TransportError reports a command that did not complete over the
// connection: it could not be started, the connection was lost, it was
// killed by a signal or cancelled. MayHaveRun tells whether the command was
// sent, in which case it is never retried automatically.
type TransportError struct {
	Host       string
	Command    string // redacted
	MayHaveRun bool
	Err        error
}

func (e *TransportError) Error() string {
	if e.MayHaveRun {
		return fmt.Sprintf("%s: command %q did not complete: %v; the command may or may not have run", e.Host, e.Command, e.Err)
	}
	return fmt.Sprintf("%s: command %q not started: %v", e.Host, e.Command, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// OutcomeUnknown reports whether err is a command that was sent but whose
// end was not seen (the connection dropped, the command was cancelled):
// it may or may not have run, and only looking at the host tells.
func OutcomeUnknown(err error) bool {
	var te *TransportError
	return errors.As(err, &te) && te.MayHaveRun
}

// ConfigError is one invalid attribute of a Config. Validate joins several
// of them with errors.Join.
type ConfigError struct {
	Host      string // Config.Name
	Attribute string // schema name, e.g. "become" or "jump.port"
	Message   string
}

func (e *ConfigError) Error() string {
	if e.Host == "" {
		return fmt.Sprintf("%s: %s", e.Attribute, e.Message)
	}
	return fmt.Sprintf("host %q: %s: %s", e.Host, e.Attribute, e.Message)
}

// HostKeyError reports a host key that could not be verified: unknown,
// changed, or revoked. It names the host and the key the server presented.
type HostKeyError struct {
	Host        string // Config.Name
	Address     string // host:port dialled
	KeyType     string // presented key, e.g. ssh-ed25519
	Fingerprint string // presented key, SHA256:...
	Problem     string // what is wrong
	Hint        string // what the user can do
}

func (e *HostKeyError) Error() string {
	return fmt.Sprintf("host %q (%s): %s: the server presented a %s key %s; %s",
		e.Host, e.Address, e.Problem, e.KeyType, e.Fingerprint, e.Hint)
}

// redact replaces every non-empty secret in s by "***". Longer secrets go
// first so that a secret containing another is hidden whole.
func redact(s string, secrets []string) string {
	if len(secrets) == 0 {
		return s
	}
	sorted := slices.Clone(secrets)
	slices.SortFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	for _, sec := range sorted {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return s
}

func truncate(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	return s[:maxErrorText] + "... (truncated)"
}
