package zfs

import (
	"fmt"
	"strings"
)

// SourceKind is what the SOURCE column of zfs get / zpool get says.
type SourceKind string

const (
	SourceNone      SourceKind = "-" // read-only or not applicable
	SourceDefault   SourceKind = "default"
	SourceLocal     SourceKind = "local"
	SourceTemporary SourceKind = "temporary"
	SourceInherited SourceKind = "inherited"
	SourceReceived  SourceKind = "received"
)

const inheritedPrefix = "inherited from "

// Source is a parsed SOURCE column: `inherited from zdata` is
// {SourceInherited, "zdata"}.
type Source struct {
	Kind SourceKind
	From string // the dataset inherited from
}

// String prints the source as zfs does.
func (s Source) String() string {
	if s.Kind == SourceInherited {
		return inheritedPrefix + s.From
	}
	return string(s.Kind)
}

// ParseSource reads a SOURCE column (zprop_print_one_property).
func ParseSource(s string) (Source, error) {
	switch SourceKind(s) {
	case SourceNone, SourceDefault, SourceLocal, SourceTemporary, SourceReceived:
		return Source{Kind: SourceKind(s)}, nil
	}
	if from, ok := strings.CutPrefix(s, inheritedPrefix); ok && from != "" {
		return Source{Kind: SourceInherited, From: from}, nil
	}
	return Source{}, fmt.Errorf("unknown property source %q", s)
}

// Property is one value with where it comes from.
type Property struct {
	Value  string
	Source Source
}

// IsLocal reports whether the value was set on this dataset (or pool),
// which is what "set by the user" means.
func (p Property) IsLocal() bool { return p.Source.Kind == SourceLocal }

// Properties are one object's properties by name, in no order.
type Properties map[string]Property

// Local returns the locally set values, leaving out the names in skip.
func (ps Properties) Local(skip ...string) map[string]string {
	out := map[string]string{}
	for name, p := range ps {
		if p.IsLocal() && !contains(skip, name) {
			out[name] = p.Value
		}
	}
	return out
}

// Value is a property's value, "" when zfs did not report it.
func (ps Properties) Value(name string) string { return ps[name].Value }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// getColumns is the column list of every zfs get / zpool get the provider runs.
const getColumns = "name,property,value,source"

// GetArgv reads every property of the named datasets (or snapshots) in one
// command: `zfs get -H -p -o name,property,value,source all NAME...`
// (reference §2.2). -p prints sizes in bytes and dates in epoch seconds.
func GetArgv(names ...string) []string {
	return append([]string{"zfs", "get", "-H", "-p", "-o", getColumns, "all"}, names...)
}

// GetPropsArgv reads the listed properties only.
func GetPropsArgv(props []string, names ...string) []string {
	return append([]string{"zfs", "get", "-H", "-p", "-o", getColumns, strings.Join(props, ",")}, names...)
}

// PoolGetArgv is `zpool get -H -p -o name,property,value,source all POOL` (§1.3).
func PoolGetArgv(pool string) []string {
	return []string{"zpool", "get", "-H", "-p", "-o", getColumns, "all", pool}
}

// ParseGet reads the output of zfs get (or zpool get) -H -o
// name,property,value,source into properties per object name, keeping the
// order in which objects first appear. A value may itself contain tabs:
// the name and property are the first two fields, the source the last.
func ParseGet(out string) (names []string, props map[string]Properties, err error) {
	props = map[string]Properties{}
	for n, line := range strings.Split(out, "\n") {
		if line == "" {
			continue
		}
		name, rest, ok1 := strings.Cut(line, "\t")
		prop, rest, ok2 := strings.Cut(rest, "\t")
		i := strings.LastIndexByte(rest, '\t')
		if !ok1 || !ok2 || i < 0 || name == "" || prop == "" {
			return nil, nil, fmt.Errorf("line %d of zfs get output is not NAME<TAB>PROPERTY<TAB>VALUE<TAB>SOURCE: %q", n+1, line)
		}
		src, err := ParseSource(rest[i+1:])
		if err != nil {
			return nil, nil, fmt.Errorf("line %d of zfs get output: %w", n+1, err)
		}
		if props[name] == nil {
			props[name] = Properties{}
			names = append(names, name)
		}
		props[name][prop] = Property{Value: rest[:i], Source: src}
	}
	return names, props, nil
}
