package linux

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// NFSType is the file system type the provider writes: NFSv4 (the article's
// servers export through a V4: root and only over stunnel's one port).
const NFSType = "nfs4"

// DefaultNFSPort is NFS's own port, what mount.nfs4 uses without port=.
const DefaultNFSPort = 2049

// DefaultMountOptions are the options a mount gets when none are given:
// hard (an application waits through a failover instead of getting I/O
// errors it may not handle; the monitor remounts a stale mount) and
// _netdev (a network file system: mounted after the network is up).
var DefaultMountOptions = []string{"hard", "_netdev"}

// NFSMount is a client's NFSv4 mount as the provider manages it.
type NFSMount struct {
	Server     string   // 127.0.0.1 (the local stunnel), a host name, or [IPv6]
	Port       int      // 2323 for the article's stunnel; DefaultNFSPort for none
	Export     string   // relative to the server's V4: root: /k3svolumes
	MountPoint string   // /data/nfs/k3svolumes
	Options    []string // hard,_netdev,... (not port=, not the systemd ordering)
	// After is the systemd unit the mount needs and is ordered after
	// (x-systemd.requires= and x-systemd.after=): stunnel.service, so that
	// a boot never mounts before the tunnel is up. "" for none.
	After string
}

// Source is the mount's source, SERVER:EXPORT.
func (m NFSMount) Source() string { return m.Server + ":" + m.Export }

// Soft tells whether the mount is soft (hard is the default).
func (m NFSMount) Soft() bool { return slices.Contains(m.Options, "soft") }

// Fstab is the mount's /etc/fstab entry: port= first, the user's options,
// then the systemd ordering.
func (m NFSMount) Fstab() FstabEntry {
	var opts []string
	if m.Port != 0 && m.Port != DefaultNFSPort {
		opts = append(opts, "port="+strconv.Itoa(m.Port))
	}
	opts = append(opts, m.Options...)
	if m.After != "" {
		opts = append(opts, "x-systemd.requires="+m.After, "x-systemd.after="+m.After)
	}
	return FstabEntry{Source: m.Source(), Target: m.MountPoint, Type: NFSType, Options: opts}
}

// MountFromFstab reads an entry back into a mount; ok is false for an
// entry that is not an NFS mount of SERVER:/PATH. Options the provider
// does not split out (x-systemd.requires= naming another unit than
// x-systemd.after=, say) stay in Options, so that an edit shows as drift.
func MountFromFstab(e FstabEntry) (NFSMount, bool) {
	if e.Type != NFSType && e.Type != "nfs" {
		return NFSMount{}, false
	}
	i := strings.Index(e.Source, ":/")
	if i <= 0 {
		return NFSMount{}, false
	}
	m := NFSMount{Server: e.Source[:i], Export: e.Source[i+1:], MountPoint: e.Target, Port: DefaultNFSPort}
	var requires, after string
	var rest []string
	for _, o := range e.Options {
		k, v, _ := strings.Cut(o, "=")
		switch {
		case k == "port" && v != "":
			if n, err := strconv.Atoi(v); err == nil && m.Port == DefaultNFSPort {
				m.Port = n
				continue
			}
		case k == "x-systemd.requires" && requires == "":
			requires = v
			continue
		case k == "x-systemd.after" && after == "":
			after = v
			continue
		}
		rest = append(rest, o)
	}
	if requires == after {
		m.After = after
	} else {
		if requires != "" {
			rest = append(rest, "x-systemd.requires="+requires)
		}
		if after != "" {
			rest = append(rest, "x-systemd.after="+after)
		}
	}
	if e.Type != NFSType {
		rest = append(rest, "x-f3s-type="+e.Type) // a type nfs line is not the nfs4 one planned
	}
	m.Options = rest
	return m, true
}

// Serves tells whether a live mount is this mount as planned: the same
// source, NFSv4, the same port, hard or soft as asked. Other options are
// the kernel's and change only at the next mount.
func (m NFSMount) Serves(live Mounted) bool {
	if live.Source != m.Source() || !strings.HasPrefix(live.FSType, "nfs") {
		return false
	}
	port := strconv.Itoa(DefaultNFSPort)
	if v, ok := live.Option("port"); ok {
		port = v
	}
	if port != strconv.Itoa(m.Port) {
		return false
	}
	_, soft := live.Option("soft")
	return soft == m.Soft()
}

var (
	mountPointPattern = regexp.MustCompile(`^(/[A-Za-z0-9_.@+-]+)+$`)
	exportPattern     = regexp.MustCompile(`^/([A-Za-z0-9_.@+-]+(/[A-Za-z0-9_.@+-]+)*)?$`)
	hostNamePattern   = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$`)
	optionPattern     = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.:@/+-]*(=[A-Za-z0-9_.:@/+-]+)?$`)
	unitNamePattern   = regexp.MustCompile(`^[A-Za-z0-9_:][A-Za-z0-9_:.@\\-]*\.(service|socket|timer|mount|automount|path|target|swap|slice)$`)
)

// ValidateMountPoint accepts an absolute path of letters, digits and
// `_ . @ + -` components, not / itself, without `.` or `..` components.
func ValidateMountPoint(p string) error {
	if !mountPointPattern.MatchString(p) || strings.Contains(p+"/", "/./") || strings.Contains(p+"/", "/../") || len(p) > 1024 {
		return fmt.Errorf("%q is not a mount point: use an absolute path such as /data/nfs/k3svolumes, of letters, digits and `_ . @ + -`", p)
	}
	return nil
}

// ValidateExport accepts the export's path relative to the server's V4:
// root: /k3svolumes (not /data/nfs/k3svolumes, when V4: is /data/nfs).
func ValidateExport(p string) error {
	if !exportPattern.MatchString(p) || strings.Contains(p+"/", "/./") || strings.Contains(p+"/", "/../") {
		return fmt.Errorf("%q is not an NFSv4 export path: use an absolute path relative to the server's V4: root, such as /k3svolumes", p)
	}
	return nil
}

// ValidateServer accepts a host name, an IPv4 address or an IPv6 address
// in brackets ([::1]), as mount.nfs4 reads SERVER:PATH.
func ValidateServer(s string) error {
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil && a.Is6() {
			return nil
		}
		return fmt.Errorf("%q is not an IPv6 address in brackets", s)
	}
	if _, err := netip.ParseAddr(s); err == nil && !strings.Contains(s, ":") {
		return nil
	}
	if len(s) <= 253 && hostNamePattern.MatchString(s) {
		return nil
	}
	return fmt.Errorf("%q is not a server: use a host name, an IPv4 address (127.0.0.1 for the local stunnel) or an IPv6 address in brackets", s)
}

// ValidatePort accepts 1 to 65535.
func ValidatePort(n int64) error {
	if n < 1 || n > 65535 {
		return fmt.Errorf("%d is not a port: use 1 to 65535", n)
	}
	return nil
}

// managedOptions are set through their own attributes.
var managedOptions = map[string]string{
	"port": "port", "x-systemd.requires": "after_unit", "x-systemd.after": "after_unit",
}

// ValidateOption accepts one mount option (hard, soft, _netdev, timeo=600,
// nfsvers=4.2, ...): no commas, blanks or leading `-`; port= and the
// systemd ordering have their own attributes.
func ValidateOption(o string) error {
	if !optionPattern.MatchString(o) || len(o) > 256 {
		return fmt.Errorf("%q is not a mount option: use one word such as hard, _netdev or timeo=600 (letters, digits and `_ . : @ / + -`, one `=`)", o)
	}
	k, _, _ := strings.Cut(o, "=")
	if attr, ok := managedOptions[k]; ok {
		return fmt.Errorf("%q is set through the %s attribute", o, attr)
	}
	return nil
}

// ValidateOptions checks each option and that hard and soft are not both
// given.
func ValidateOptions(opts []string) error {
	var errs []error
	for _, o := range opts {
		if err := ValidateOption(o); err != nil {
			errs = append(errs, err)
		}
	}
	if err := ValidateHardSoft(opts); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ValidateHardSoft refuses hard and soft together (each option alone is
// checked by ValidateOption).
func ValidateHardSoft(opts []string) error {
	if slices.Contains(opts, "hard") && slices.Contains(opts, "soft") {
		return errors.New("hard and soft exclude each other: give one")
	}
	return nil
}

// ValidateUnitName accepts a systemd unit name with its type
// (stunnel.service, nfs-mount-monitor.timer, stunnel@nfs.service).
func ValidateUnitName(n string) error {
	if len(n) > 255 || !unitNamePattern.MatchString(n) {
		return fmt.Errorf("%q is not a systemd unit name: use NAME.TYPE such as stunnel.service or backup.timer (letters, digits, `_ : . @ \\ -`)", n)
	}
	return nil
}
