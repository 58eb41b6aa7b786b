// Package zrepl models zrepl 0.6's configuration file (zrepl.yml): a strict
// Go model of its global logging and monitoring and of every job kind (push,
// sink, pull, source, snap) with their transports, filters, send and receive
// options, snapshotting and pruning rules; validation that names the field
// at fault; a deterministic YAML rendering; and a strict parser (unknown
// keys rejected, as zrepl's own yaml.UnmarshalStrict does) for drift and
// import. It also parses `zrepl status --mode raw` and runs the few zrepl
// commands the provider needs (restart after a config change, signal
// wakeup) on a host.Target.
//
// The key names, nesting, defaults and required fields follow zrepl's
// config/config.go at v0.6.1 (as recorded in the reference, section 12).
// zrepl's Go module cannot be imported (its config package is internal from
// v0.7.0 on), so the schema is kept here.
package zrepl

import "errors"

// ErrNotFound means the configuration file does not exist on the host.
var ErrNotFound = errors.New("zrepl configuration not found")

// DefaultPath is where the FreeBSD port's rc.d script points the daemon
// (zrepl_config) and the second of zrepl's default locations.
const DefaultPath = "/usr/local/etc/zrepl/zrepl.yml"

// Service is the rc.d script of the sysutils/zrepl port.
const Service = "zrepl"
