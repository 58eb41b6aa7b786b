package zfs

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// field is a column of zfs list or a property of zfs get.
type field struct {
	name string   // as given (canonical for native properties)
	prop *propDef // native property, nil for name and user properties
	user bool     // user property
}

func (f field) isName() bool { return f.prop == nil && !f.user }

// parseFields parses a comma-separated property list; the error is libzfs's
// "invalid property 'x'".
func parseFields(list string) ([]field, error) {
	var out []field
	for _, f := range strings.Split(list, ",") {
		switch {
		case f == "name":
			out = append(out, field{name: "name"})
		case lookupProp(f) != nil:
			p := lookupProp(f)
			out = append(out, field{name: p.name, prop: p})
		case isUserProp(f):
			out = append(out, field{name: f, user: true})
		default:
			return nil, fmt.Errorf("invalid property '%s'", f)
		}
	}
	return out, nil
}

// value renders a field of a node for zfs list.
func (v *view) value(n node, f field, parsable bool) pval {
	switch {
	case f.isName():
		return none(n.name())
	case f.user:
		return v.userProp(n, f.name)
	}
	return v.prop(n, f.prop, parsable)
}

// sortKey is one -s/-S of zfs list.
type sortKey struct {
	f    field
	desc bool
}

// sortList orders nodes by the keys, then in zfs_compare order (zfs_sort).
func (v *view) sortList(ns []node, keys []sortKey) {
	if len(keys) == 0 {
		return
	}
	sort.SliceStable(ns, func(i, j int) bool {
		for _, k := range keys {
			c := v.compare(ns[i], ns[j], k.f)
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return lessNode(ns[i], ns[j])
	})
}

func (v *view) compare(a, b node, f field) int {
	if f.isName() {
		return strings.Compare(a.name(), b.name())
	}
	av, bv := v.value(a, f, true), v.value(b, f, true)
	if f.prop != nil && f.prop.kind == kindNumber {
		an, aerr := strconv.ParseUint(av.val, 10, 64)
		bn, berr := strconv.ParseUint(bv.val, 10, 64)
		switch {
		case aerr != nil && berr != nil:
			return 0
		case aerr != nil:
			return 1
		case berr != nil:
			return -1
		case an < bn:
			return -1
		case an > bn:
			return 1
		}
		return 0
	}
	if !av.ok && !bv.ok {
		return 0
	}
	if !av.ok {
		return 1
	}
	if !bv.ok {
		return -1
	}
	return strings.Compare(av.val, bv.val)
}

// writeList prints zfs list output.
func (v *view) writeList(w io.Writer, ns []node, fields []field, scripted, parsable bool) {
	cols := make([]column, len(fields))
	rows := make([][]string, len(ns))
	for i, f := range fields {
		c := column{}
		fixed := false
		switch {
		case f.isName():
			c.header, c.width = "NAME", 4
		case f.user:
			c.header, c.width = strings.ToUpper(f.name), len(f.name)
		default:
			c.header = f.prop.col
			c.width, fixed = f.prop.width()
			c.right = f.prop.rightAlign()
		}
		for j, n := range ns {
			if rows[j] == nil {
				rows[j] = make([]string, len(fields))
			}
			val := v.value(n, f, parsable)
			s := val.val
			if !val.ok {
				s = "-"
			}
			rows[j][i] = s
			if (!fixed || parsable) && len(s) > c.width {
				c.width = len(s)
			}
		}
		cols[i] = c
	}
	writeTable(w, cols, rows, scripted, true)
}

// getColumn is a column of zfs get -o.
type getColumn int

const (
	colName getColumn = iota
	colProperty
	colValue
	colReceived
	colSource
)

var getColumnNames = map[string]getColumn{
	"name": colName, "property": colProperty, "value": colValue, "received": colReceived, "source": colSource,
}

var getColumnTitles = []string{"NAME", "PROPERTY", "VALUE", "RECEIVED", "SOURCE"}

// getLine is one line of zfs get.
type getLine struct {
	name, prop, value, received, source string
}

// sourceKind classifies a printed source for zfs get -s.
func sourceKind(src string) string {
	switch {
	case src == srcNone:
		return "none"
	case strings.HasPrefix(src, srcInherited):
		return "inherited"
	}
	return src
}

// getOpts are zfs get's output options.
type getOpts struct {
	all      bool // the property list was "all"
	fields   []field
	columns  []getColumn
	sources  map[string]bool // nil: all
	scripted bool
	parsable bool
}

// getLines evaluates zfs get for the nodes.
func (v *view) getLines(ns []node, o getOpts) []getLine {
	var out []getLine
	for _, n := range ns {
		fields := o.fields
		if o.all {
			fields = nil
			for i := range props {
				if props[i].types&n.typ() != 0 {
					fields = append(fields, field{name: props[i].name, prop: &props[i]})
				}
			}
			for _, u := range userProps(n) {
				fields = append(fields, field{name: u, user: true})
			}
		}
		for _, f := range fields {
			var pv pval
			switch {
			case f.isName():
				pv = none(n.name())
			case f.user:
				pv = v.userProp(n, f.name)
			default:
				pv = v.prop(n, f.prop, o.parsable)
				if !pv.ok {
					if o.all {
						continue
					}
					pv = pval{"-", srcNone, true}
				}
			}
			if o.sources != nil && !o.sources[sourceKind(pv.src)] {
				continue
			}
			recvd := "-"
			if f.user || f.prop != nil {
				if r, ok := n.ds.Received[f.name]; ok && n.snap == nil && n.book == nil {
					recvd = r
					if f.prop != nil && f.prop.kind == kindNumber {
						if u, err := strconv.ParseUint(r, 10, 64); err == nil {
							recvd = number(f.name, u, o.parsable)
						}
					}
				}
			}
			out = append(out, getLine{name: n.name(), prop: f.name, value: pv.val, received: recvd, source: pv.src})
		}
	}
	return out
}

// writeGet prints zfs get lines with zprop_print_headers' column widths.
func (v *view) writeGet(w io.Writer, ns []node, lines []getLine, o getOpts) {
	widths := []int{len("NAME"), len("PROPERTY"), len("VALUE"), len("RECEIVED"), len("SOURCE")}
	nameW := len("NAME")
	for _, n := range ns {
		if len(n.name()) > nameW {
			nameW = len(n.name())
		}
	}
	if nameW > widths[colName] {
		widths[colName] = nameW
		widths[colSource] = nameW + len("inherited from")
	}
	// Property and value widths come from the property list (all
	// properties of every type for "all"), grown by values where the
	// property is not fixed-width or -p is given.
	var fields []field
	if o.all {
		for i := range props {
			fields = append(fields, field{name: props[i].name, prop: &props[i]})
		}
		seen := map[string]bool{}
		for _, n := range ns {
			for _, u := range userProps(n) {
				if !seen[u] {
					seen[u] = true
					fields = append(fields, field{name: u, user: true})
				}
			}
		}
	} else {
		fields = o.fields
	}
	for _, f := range fields {
		if len(f.name) > widths[colProperty] {
			widths[colProperty] = len(f.name)
		}
		var pw int
		fixed := false
		switch {
		case f.isName():
			pw = nameW
		case f.user:
			pw = len(f.name)
		default:
			pw, fixed = f.prop.width()
		}
		if !fixed || o.parsable {
			for _, l := range lines {
				if l.prop == f.name && len(l.value) > pw {
					pw = len(l.value)
				}
			}
		}
		if pw > widths[colValue] {
			widths[colValue] = pw
		}
	}
	for _, l := range lines {
		if len(l.received) > widths[colReceived] {
			widths[colReceived] = len(l.received)
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range o.columns {
			s := cells[c]
			switch {
			case i == len(o.columns)-1:
				b.WriteString(s)
			case o.scripted:
				b.WriteString(s)
				b.WriteByte('\t')
			default:
				fmt.Fprintf(&b, "%-*s  ", widths[c], s)
			}
		}
		b.WriteByte('\n')
	}
	if !o.scripted && len(lines) > 0 {
		line(getColumnTitles)
	}
	for _, l := range lines {
		line([]string{l.name, l.prop, l.value, l.received, l.source})
	}
	_, _ = io.WriteString(w, b.String())
}
