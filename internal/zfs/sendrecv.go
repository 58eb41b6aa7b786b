package zfs

import "github.com/f3s-storage/terraform-provider-f3s/internal/host"

// ReceiveSpec copies a snapshot into a new dataset on the same host.
type ReceiveSpec struct {
	Snapshot string // DATASET@SNAPSHOT to send
	Name     string // the dataset zfs recv creates
	// Raw sends the blocks as stored (zfs send -w): an encrypted source
	// stays encrypted with its own key, and the copy needs no key loaded
	// to be received (§3).
	Raw bool
	// Options go to zfs recv -o, as if set just before the receive: how a
	// non-raw copy becomes an encryption root of its own.
	Options map[string]string
}

// SendArgv is `zfs send [-w] SNAPSHOT`.
func SendArgv(snapshot string, raw bool) []string {
	if raw {
		return []string{"zfs", "send", "-w", snapshot}
	}
	return []string{"zfs", "send", snapshot}
}

// RecvArgv is `zfs recv [-o PROP=VALUE]... NAME`.
func RecvArgv(name string, options map[string]string) []string {
	argv := append([]string{"zfs", "recv"}, optionArgs("-o", options)...)
	return append(argv, name)
}

// ReceiveScript is `zfs send [-w] SNAP | zfs recv [-o ...] NAME`, the
// article's migration step. The pipeline's status is recv's; when send
// fails, recv fails too on the empty stream, and both messages are on
// stderr.
func ReceiveScript(r ReceiveSpec) string {
	return host.Join(SendArgv(r.Snapshot, r.Raw)) + " | " + host.Join(RecvArgv(r.Name, r.Options))
}
