package zfs

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// poolPropDef is one pool property of OpenZFS 2.2 (module/zcommon/zpool_prop.c).
type poolPropDef struct {
	name   string
	set    settability
	values []string // accepted words; nil for free text or numbers
}

var poolPropDefs = []poolPropDef{
	{name: "size"}, {name: "capacity"}, {name: "health"}, {name: "guid"}, {name: "load_guid"},
	{name: "dedupratio"}, {name: "free"}, {name: "allocated"}, {name: "readonly"}, {name: "expandsize"},
	{name: "freeing"}, {name: "fragmentation"}, {name: "leaked"}, {name: "checkpoint"},
	{name: "bcloneused"}, {name: "bclonesaved"}, {name: "bcloneratio"},
	{name: "altroot", set: createOnly},
	{name: "ashift", set: settable},
	{name: "autoexpand", set: settable, values: onOff},
	{name: "autoreplace", set: settable, values: onOff},
	{name: "autotrim", set: settable, values: onOff},
	{name: "bootfs", set: settable},
	{name: "cachefile", set: settable},
	{name: "comment", set: settable},
	{name: "compatibility", set: settable},
	{name: "delegation", set: settable, values: onOff},
	{name: "failmode", set: settable, values: []string{"wait", "continue", "panic"}},
	{name: "listsnapshots", set: settable, values: onOff},
	{name: "multihost", set: settable, values: onOff},
	{name: "version", set: settable},
}

var poolPropIndex = func() map[string]*poolPropDef {
	m := make(map[string]*poolPropDef, len(poolPropDefs))
	for i := range poolPropDefs {
		m[poolPropDefs[i].name] = &poolPropDefs[i]
	}
	return m
}()

const featurePrefix = "feature@"

// SettablePoolProperties lists the pool properties zpool create -o takes, sorted.
func SettablePoolProperties() []string {
	var out []string
	for _, p := range poolPropDefs {
		if p.set != readOnly {
			out = append(out, p.name)
		}
	}
	sort.Strings(out)
	return append(out, featurePrefix+"NAME")
}

// IsCreateOnlyPoolProperty reports a pool property that only zpool create sets.
func IsCreateOnlyPoolProperty(name string) bool {
	p := poolPropIndex[name]
	return p != nil && p.set == createOnly
}

// ValidatePoolPropertyName accepts a pool property zpool create -o takes,
// or feature@NAME.
func ValidatePoolPropertyName(name string) error {
	if f, ok := strings.CutPrefix(name, featurePrefix); ok {
		for i := 0; i < len(f); i++ {
			c := f[i]
			if !isLowerOrDigit(c) && c != '_' {
				return fmt.Errorf("%q is not a feature name: use feature@ and lower-case letters, digits and '_'", name)
			}
		}
		if f == "" {
			return fmt.Errorf("%q names no feature", name)
		}
		return nil
	}
	p := poolPropIndex[name]
	switch {
	case p == nil:
		return fmt.Errorf("%q is not a pool property that can be set; settable pool properties: %s",
			name, strings.Join(SettablePoolProperties(), ", "))
	case p.set == readOnly:
		return fmt.Errorf("the pool property %q is read-only", name)
	}
	return nil
}

// ValidatePoolPropertyValue checks the words of on/off and enumerated pool
// properties, ashift, and feature states.
func ValidatePoolPropertyValue(name, value string) error {
	if strings.ContainsAny(value, "\t\n\r\x00") {
		return fmt.Errorf("the value of %q contains a tab, a line break or a NUL", name)
	}
	if strings.HasPrefix(name, featurePrefix) {
		if value != "enabled" && value != "disabled" {
			return fmt.Errorf("%q is not a valid value of %q: use enabled or disabled", value, name)
		}
		return nil
	}
	p := poolPropIndex[name]
	if p == nil {
		return nil
	}
	if p.values != nil && !slices.Contains(p.values, value) {
		return fmt.Errorf("%q is not a valid value of %q: use one of %s", value, name, strings.Join(p.values, ", "))
	}
	switch name {
	case "ashift":
		n, err := strconv.Atoi(value)
		if err != nil || (n != 0 && (n < 9 || n > 16)) {
			return fmt.Errorf("%q is not a valid value of ashift: use 0 (automatic) or 9 to 16", value)
		}
	case "altroot":
		if !strings.HasPrefix(value, "/") {
			return fmt.Errorf("invalid altroot %q: must be an absolute path", value)
		}
	case "comment":
		if len(value) > 32 {
			return fmt.Errorf("the pool comment is %d characters long; at most 32 are allowed", len(value))
		}
	}
	return nil
}

// PoolEquivalent is Equivalent for pool properties: a feature the user
// enables is reported active once used.
func PoolEquivalent(name, a, b string) bool {
	if a == b {
		return true
	}
	if strings.HasPrefix(name, featurePrefix) {
		on := func(v string) bool { return v == "enabled" || v == "active" }
		return on(a) && on(b)
	}
	return false
}
