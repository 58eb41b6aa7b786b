package zfs

import (
	"strconv"
	"strings"
)

// parseTypes parses zfs -t; the error names the bad token.
func parseTypes(list string) (dsType, string) {
	var t dsType
	for _, tok := range strings.Split(list, ",") {
		switch tok {
		case "filesystem", "fs":
			t |= typeFS
		case "volume", "vol":
			t |= typeVol
		case "snapshot", "snap":
			t |= typeSnap
		case "bookmark":
			t |= typeBook
		case "all":
			t |= typeFS | typeVol | typeSnap | typeBook
		default:
			return 0, tok
		}
	}
	return t, ""
}

// parseDepth is parse_depth: strtol with base 0.
func (e *env) parseDepth(cmd, s string) (int, bool) {
	d, err := strconv.ParseInt(s, 0, 32)
	if err != nil {
		e.errf("%s is not an integer\n", s)
		e.usage(cmd)
		return 0, false
	}
	if d < 0 {
		e.errf("Depth can not be negative.\n")
		e.usage(cmd)
		return 0, false
	}
	return int(d), true
}

func (e *env) zfsList(args []string) int {
	opts, rest, oe := getopt(args, ":d:o:prt:Hs:S:")
	if oe != nil {
		return e.badOpt("list", oe)
	}
	fieldList := "name,used,available,referenced,mountpoint"
	wo := walkOpts{types: typeFS | typeVol, depth: -1}
	typesGiven := false
	var scripted, parsable bool
	var keys []sortKey
	for _, o := range opts {
		switch o.c {
		case 'd':
			d, ok := e.parseDepth("list", o.arg)
			if !ok {
				return 2
			}
			wo.recurse, wo.depth = true, d
		case 'o':
			fieldList = o.arg
		case 'p':
			parsable = true
		case 'r':
			wo.recurse = true
		case 't':
			t, bad := parseTypes(o.arg)
			if bad != "" {
				e.errf("invalid type '%s'\n", bad)
				return e.usage("list")
			}
			wo.types, typesGiven = t, true
		case 'H':
			scripted = true
		case 's', 'S':
			fs, err := parseFields(o.arg)
			if err != nil || len(fs) != 1 {
				e.errf("invalid property '%s'\n", o.arg)
				return e.usage("list")
			}
			keys = append(keys, sortKey{f: fs[0], desc: o.c == 'S'})
		}
	}
	fields, err := parseFields(fieldList)
	if err != nil {
		e.errf("bad property list: %v\n", err)
		return e.usage("list")
	}
	if len(rest) == 0 {
		wo.recurse = true
	} else if typesGiven && wo.types == typeSnap && !wo.recurse {
		wo.recurse, wo.depth = true, 1
	}
	c, lerr := e.peek()
	if lerr != nil {
		e.errf("internal error: %v\n", lerr)
		return 1
	}
	nodes, errs := c.st.walk(rest, wo)
	rc := 0
	for _, oe := range errs {
		e.errf("cannot open '%s': %s\n", oe.name, oe.msg)
		rc = 1
	}
	c.v.sortList(nodes, keys)
	if len(nodes) == 0 {
		if rc == 0 && !scripted {
			e.errf("no datasets available\n")
		}
		return rc
	}
	c.v.writeList(&e.out, nodes, fields, scripted, parsable)
	return rc
}

func (e *env) zfsGet(args []string) int {
	opts, rest, oe := getopt(args, ":d:o:s:rt:Hp")
	if oe != nil {
		return e.badOpt("get", oe)
	}
	o := getOpts{columns: []getColumn{colName, colProperty, colValue, colSource}}
	wo := walkOpts{types: typeDataset | typeBook, depth: -1}
	for _, op := range opts {
		switch op.c {
		case 'd':
			d, ok := e.parseDepth("get", op.arg)
			if !ok {
				return 2
			}
			wo.recurse, wo.depth = true, d
		case 'o':
			o.columns = nil
			for _, tok := range strings.Split(op.arg, ",") {
				if tok == "all" {
					o.columns = []getColumn{colName, colProperty, colValue, colReceived, colSource}
					continue
				}
				col, ok := getColumnNames[tok]
				if !ok {
					e.errf("invalid column name '%s'\n", tok)
					return e.usage("get")
				}
				o.columns = append(o.columns, col)
			}
		case 's':
			o.sources = map[string]bool{}
			for _, tok := range strings.Split(op.arg, ",") {
				switch tok {
				case "local", "default", "inherited", "received", "temporary", "none":
					o.sources[tok] = true
				default:
					e.errf("invalid source '%s'\n", tok)
					return e.usage("get")
				}
			}
		case 'r':
			wo.recurse = true
		case 't':
			t, bad := parseTypes(op.arg)
			if bad != "" {
				e.errf("invalid type '%s'\n", bad)
				return e.usage("get")
			}
			wo.types = t
		case 'H':
			o.scripted = true
		case 'p':
			o.parsable = true
		}
	}
	if len(rest) == 0 {
		e.errf("missing property argument\n")
		return e.usage("get")
	}
	if rest[0] == "all" {
		o.all = true
	} else {
		fields, err := parseFields(rest[0])
		if err != nil {
			e.errf("bad property list: %v\n", err)
			return e.usage("get")
		}
		o.fields = fields
	}
	targets := rest[1:]
	if len(targets) == 0 {
		wo.recurse = true
	}
	c, lerr := e.peek()
	if lerr != nil {
		e.errf("internal error: %v\n", lerr)
		return 1
	}
	nodes, errs := c.st.walk(targets, wo)
	rc := 0
	for _, oe := range errs {
		e.errf("cannot open '%s': %s\n", oe.name, oe.msg)
		rc = 1
	}
	lines := c.v.getLines(nodes, o)
	c.v.writeGet(&e.out, nodes, lines, o)
	return rc
}
