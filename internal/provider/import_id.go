package provider

import "strings"

// Import IDs of objects that live on one host start with the host's name
// and a colon (host names hold no colon): f0:zrepl.

// hostScopedID joins a host name and the object's key within the host.
func hostScopedID(hostName string, key ...string) string {
	return hostName + ":" + strings.Join(key, ":")
}

// parseHostScopedID splits HOST:KEY at the first colon; both must be non-empty.
func parseHostScopedID(id string) (hostName, key string, ok bool) {
	hostName, key, ok = strings.Cut(id, ":")
	if !ok || hostName == "" || key == "" {
		return "", "", false
	}
	return hostName, key, true
}
