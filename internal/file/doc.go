// Package file manages whole files and the parts of shared files that other
// tools also edit: one marked block, one line, one crontab entry. The text
// functions are pure and leave every line they do not own untouched, byte
// for byte; the operations take a host.Target and take its per-path lock
// around every read-modify-write, re-reading the file under the lock.
package file

import "errors"

// ErrNotFound reports that a file, a block, a line or a crontab entry is not
// on the host. Read removes the resource from state on it; Delete ignores it.
var ErrNotFound = errors.New("not found")
