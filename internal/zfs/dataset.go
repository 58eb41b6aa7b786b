package zfs

import (
	"sort"
	"strconv"
	"strings"
)

// Dataset types as zfs get type prints them.
const (
	TypeFilesystem = "filesystem"
	TypeVolume     = "volume"
	TypeSnapshot   = "snapshot"
)

// DatasetTypes are the types f3s_zfs_dataset creates.
var DatasetTypes = []string{TypeFilesystem, TypeVolume}

// AttributeProperties are native properties that the dataset resource
// manages through attributes of their own rather than its properties map,
// by property name -> attribute name.
var AttributeProperties = map[string]string{
	"mountpoint":  "mountpoint",
	"encryption":  "encryption",
	"keyformat":   "keyformat",
	"keylocation": "keylocation",
	"volsize":     "volsize",
}

// Dataset is a filesystem, volume or snapshot as zfs get all reports it.
type Dataset struct {
	Name  string
	Props Properties
}

// Type is filesystem, volume or snapshot.
func (d Dataset) Type() string { return d.Props.Value("type") }

// Mountpoint is the effective mountpoint and where it comes from; a volume
// has none ("").
func (d Dataset) Mountpoint() (string, Source) {
	p, ok := d.Props["mountpoint"]
	if !ok || p.Value == "-" {
		return "", Source{Kind: SourceNone}
	}
	return p.Value, p.Source
}

// Encryption is the cipher suite, or "off".
func (d Dataset) Encryption() string {
	if v := d.Props.Value("encryption"); v != "" && v != "-" {
		return v
	}
	return "off"
}

// Encrypted reports native encryption.
func (d Dataset) Encrypted() bool { return d.Encryption() != "off" }

// KeyFormat is raw, hex, passphrase, or "none" for an unencrypted dataset.
func (d Dataset) KeyFormat() string { return dashless(d.Props.Value("keyformat"), "none") }

// KeyLocation is the key location; "none" on encrypted children and
// unencrypted datasets (§2.2).
func (d Dataset) KeyLocation() string { return dashless(d.Props.Value("keylocation"), "none") }

// EncryptionRoot is the dataset holding the key, "" when unencrypted.
func (d Dataset) EncryptionRoot() string { return dashless(d.Props.Value("encryptionroot"), "") }

// IsEncryptionRoot reports whether the dataset holds its own key.
func (d Dataset) IsEncryptionRoot() bool { return d.EncryptionRoot() == d.Name }

// KeyStatus is available or unavailable, "none" when unencrypted.
func (d Dataset) KeyStatus() string { return dashless(d.Props.Value("keystatus"), "none") }

// Mounted reports whether a filesystem is mounted (mounted is yes/no).
func (d Dataset) Mounted() bool { return d.Props.Value("mounted") == "yes" }

// Used, Available and Volsize are bytes (zfs get -p); 0 when not reported.
func (d Dataset) Used() int64      { return d.bytes("used") }
func (d Dataset) Available() int64 { return d.bytes("available") }
func (d Dataset) Volsize() int64   { return d.bytes("volsize") }

// Creation is the creation time in epoch seconds.
func (d Dataset) Creation() int64 { return d.bytes("creation") }

// GUID is the dataset's or snapshot's guid, a decimal uint64.
func (d Dataset) GUID() string { return d.Props.Value("guid") }

func (d Dataset) bytes(prop string) int64 {
	n, err := strconv.ParseInt(d.Props.Value(prop), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func dashless(v, empty string) string {
	if v == "" || v == "-" {
		return empty
	}
	return v
}

// UserProperties are the properties set on the dataset itself that a
// resource adopts on import: local values, without the ones that have
// attributes of their own, and without a volume's refreservation, which
// zfs create -V sets by itself.
func (d Dataset) UserProperties() map[string]string {
	skip := make([]string, 0, len(AttributeProperties)+1)
	for p := range AttributeProperties {
		skip = append(skip, p)
	}
	if d.Type() == TypeVolume {
		skip = append(skip, "refreservation")
	}
	return d.Props.Local(skip...)
}

// ManagedValues are the values a resource compares its managed properties
// with: what is set locally, and the effective value of every property
// fixed at creation, which zfs reports with source "-" however it was set.
func (d Dataset) ManagedValues() map[string]string {
	out := d.Props.Local()
	for name, v := range d.CreateOnlyValues() {
		out[name] = v
	}
	return out
}

// CreateOnlyValues are the effective values of the properties fixed at
// creation (encryption, casesensitivity, ...), those zfs reports.
func (d Dataset) CreateOnlyValues() map[string]string {
	out := map[string]string{}
	for name, p := range d.Props {
		if IsCreateOnly(name) && p.Value != "-" {
			out[name] = p.Value
		}
	}
	return out
}

// Settings are the effective values of everything that is not a statistic
// (used, written, ...): what the dataset is configured as, wherever the
// value comes from.
func (d Dataset) Settings() map[string]string {
	out := make(map[string]string, len(d.Props))
	for name, p := range d.Props {
		if !IsStatistic(name) {
			out[name] = p.Value
		}
	}
	return out
}

// DatasetSpec is what zfs create is given.
type DatasetSpec struct {
	Name string
	// Volsize makes a volume (zfs create -V); empty for a filesystem.
	Volsize string
	// Properties go to -o, including mountpoint and the encryption
	// properties.
	Properties map[string]string
}

// CreateArgv is `zfs create [-V SIZE] [-o PROP=VALUE]... -- NAME` (§2.1),
// the options sorted. No -p: a missing parent is an error, and an existing
// dataset is not adopted silently. Commands whose operands follow options
// end them with "--" (getopt's end of options).
func CreateArgv(s DatasetSpec) []string {
	argv := []string{"zfs", "create"}
	if s.Volsize != "" {
		argv = append(argv, "-V", s.Volsize)
	}
	argv = append(argv, optionArgs("-o", s.Properties)...)
	return append(argv, "--", s.Name)
}

func optionArgs(flag string, props map[string]string) []string {
	var out []string
	for _, k := range sortedKeys(props) {
		out = append(out, flag, k+"="+props[k])
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// SetArgv is `zfs set PROP=VALUE... NAME` (§2.4): several properties in one
// command, sorted.
func SetArgv(name string, props map[string]string) []string {
	argv := []string{"zfs", "set"}
	for _, k := range sortedKeys(props) {
		argv = append(argv, k+"="+props[k])
	}
	return append(argv, name)
}

// InheritArgv is `zfs inherit PROP NAME`: zfs inherit takes one property.
func InheritArgv(name, prop string) []string {
	return []string{"zfs", "inherit", prop, name}
}

// RenameArgv is `zfs rename OLD NEW` (§2.5).
func RenameArgv(from, to string) []string {
	return []string{"zfs", "rename", from, to}
}

// DestroyArgv is `zfs destroy [-r] -- NAME` (§2.5).
func DestroyArgv(name string, recursive bool) []string {
	if recursive {
		return []string{"zfs", "destroy", "-r", "--", name}
	}
	return []string{"zfs", "destroy", "--", name}
}

// DescendantsArgv lists a dataset, its descendants and all their
// snapshots by name: `zfs list -H -o name -t filesystem,volume,snapshot -r NAME` (§2.3).
func DescendantsArgv(name string) []string {
	return []string{"zfs", "list", "-H", "-o", "name", "-t", "filesystem,volume,snapshot", "-r", name}
}

// ParseNames reads one name per line.
func ParseNames(out string) []string {
	var names []string
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			names = append(names, l)
		}
	}
	return names
}

// LoadKeyArgv is `zfs load-key [-L LOCATION] -- NAME` (§2.6); -L does not
// change the keylocation property.
func LoadKeyArgv(name, location string) []string {
	if location != "" {
		return []string{"zfs", "load-key", "-L", location, "--", name}
	}
	return []string{"zfs", "load-key", "--", name}
}

// MountArgv is `zfs mount NAME` (§2.6).
func MountArgv(name string) []string { return []string{"zfs", "mount", name} }
