package zfs

import (
	"bytes"
	"fmt"
	"strings"
)

// poolFields parses zpool -o lists; "name" is a column too.
func poolFields(list string) ([]*propDef, string) {
	var out []*propDef
	for _, f := range strings.Split(list, ",") {
		if f == "name" {
			out = append(out, &propDef{name: "name", col: "NAME", kind: kindString})
			continue
		}
		pd := lookupPoolProp(f)
		if pd == nil {
			return nil, f
		}
		out = append(out, pd)
	}
	return out, ""
}

// poolsNamed returns the imported pools named (all when none), reporting
// the missing ones.
func (c *ctx) poolsNamed(names []string) ([]*Pool, int) {
	if len(names) == 0 {
		return c.st.imported(), 0
	}
	var out []*Pool
	rc := 0
	for _, n := range names {
		p := c.st.pool(n)
		if p == nil {
			c.errf("cannot open '%s': no such pool\n", n)
			rc = 1
			continue
		}
		out = append(out, p)
	}
	return out, rc
}

func (e *env) zpoolList(args []string) int {
	opts, rest, oe := getopt(args, ":gHLpPo:T:v")
	if oe != nil {
		return e.poolBadOpt("list", oe)
	}
	fieldList := "name,size,allocated,free,checkpoint,expandsize,fragmentation,capacity,dedupratio,health,altroot"
	var scripted, parsable bool
	for _, o := range opts {
		switch o.c {
		case 'H':
			scripted = true
		case 'p':
			parsable = true
		case 'o':
			fieldList = o.arg
		}
	}
	fields, bad := poolFields(fieldList)
	if bad != "" {
		e.errf("property '%s' is not a valid pool or vdev property\n", bad)
		return e.poolUsage("list")
	}
	c, err := e.peek()
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	pools, rc := c.poolsNamed(rest)
	if len(pools) == 0 {
		if rc == 0 && !scripted {
			e.outf("no pools available\n")
		}
		return rc
	}
	cols := make([]column, len(fields))
	rows := make([][]string, len(pools))
	for i, f := range fields {
		col := column{header: f.col}
		fixed := false
		if f.name == "name" {
			col.width = len("NAME")
		} else {
			col.width, fixed = poolWidth(f)
			col.right = f.kind == kindNumber
		}
		for j, p := range pools {
			if rows[j] == nil {
				rows[j] = make([]string, len(fields))
			}
			val := p.Name
			if f.name != "name" {
				val = c.v.poolProp(p, f, parsable).val
			}
			rows[j][i] = val
			if (!fixed || parsable) && len(val) > col.width {
				col.width = len(val)
			}
		}
		cols[i] = col
	}
	writeTable(&e.out, cols, rows, scripted, true)
	return rc
}

func (e *env) zpoolGet(args []string) int {
	opts, rest, oe := getopt(args, ":Hpo:")
	if oe != nil {
		return e.poolBadOpt("get", oe)
	}
	o := getOpts{columns: []getColumn{colName, colProperty, colValue, colSource}}
	for _, op := range opts {
		switch op.c {
		case 'H':
			o.scripted = true
		case 'p':
			o.parsable = true
		case 'o':
			o.columns = nil
			for _, tok := range strings.Split(op.arg, ",") {
				if tok == "all" {
					o.columns = []getColumn{colName, colProperty, colValue, colSource}
					continue
				}
				col, ok := getColumnNames[tok]
				if !ok || col == colReceived {
					e.errf("invalid column name '%s'\n", tok)
					return e.poolUsage("get")
				}
				o.columns = append(o.columns, col)
			}
		}
	}
	if len(rest) == 0 {
		e.errf("missing property argument\n")
		return e.poolUsage("get")
	}
	var fields []*propDef
	all := rest[0] == "all"
	if !all {
		for _, f := range strings.Split(rest[0], ",") {
			if strings.HasPrefix(f, "feature@") {
				fields = append(fields, &propDef{name: f, kind: kindString})
				continue
			}
			if f == "name" {
				fields = append(fields, &propDef{name: "name", col: "NAME", kind: kindString})
				continue
			}
			pd := lookupPoolProp(f)
			if pd == nil {
				e.errf("bad property list: invalid property '%s'\n", f)
				return e.poolUsage("get")
			}
			fields = append(fields, pd)
		}
	}
	c, err := e.peek()
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	pools, rc := c.poolsNamed(rest[1:])
	var lines []getLine
	var widthFields []field
	for _, p := range pools {
		fs := fields
		if all {
			fs = nil
			for i := range poolProps {
				fs = append(fs, &poolProps[i])
			}
			for _, ft := range poolFeatures {
				fs = append(fs, &propDef{name: "feature@" + ft.name, kind: kindString})
			}
		}
		for _, f := range fs {
			var pv pval
			switch {
			case f.name == "name":
				pv = none(p.Name)
			case strings.HasPrefix(f.name, "feature@"):
				pv = pval{"", srcLocal, true}
				for _, ft := range poolFeatures {
					if "feature@"+ft.name == f.name {
						pv.val = featureState(p, ft.name, ft.state)
					}
				}
				if pv.val == "" {
					pv = pval{"-", srcNone, true}
				}
			default:
				pv = c.v.poolProp(p, f, o.parsable)
			}
			lines = append(lines, getLine{name: p.Name, prop: f.name, value: pv.val, received: "-", source: pv.src})
		}
		if widthFields == nil {
			for _, f := range fs {
				wf := field{name: f.name, prop: f}
				if f.name == "name" {
					wf = field{name: "name"}
				}
				widthFields = append(widthFields, wf)
			}
		}
	}
	ns := make([]node, 0, len(pools))
	for _, p := range pools {
		ns = append(ns, node{ds: &Dataset{Name: p.Name}})
	}
	o.fields = widthFields
	c.v.writeGet(&e.out, ns, lines, o)
	return rc
}

func (e *env) zpoolSet(args []string) int {
	if len(args) < 1 {
		e.errf("missing property=value argument\n")
		return e.poolUsage("set")
	}
	if len(args) < 2 {
		e.errf("missing pool name\n")
		return e.poolUsage("set")
	}
	if len(args) > 2 {
		e.errf("too many pool names\n")
		return e.poolUsage("set")
	}
	name, value, ok := parsePropArg(args[0])
	if !ok {
		e.errf("missing value in property=value argument\n")
		return e.poolUsage("set")
	}
	poolName := args[1]
	return e.mutate(func(c *ctx) int {
		p := c.st.pool(poolName)
		if p == nil {
			c.errf("cannot open '%s': no such pool\n", poolName)
			return 1
		}
		fail := func(msg string) int {
			c.errf("cannot set property for '%s': %s\n", poolName, msg)
			return 1
		}
		if !c.p.User.IsRoot() {
			return fail("permission denied")
		}
		if strings.HasPrefix(name, "feature@") {
			if value != "enabled" {
				return fail(fmt.Sprintf("property '%s' can only be set to 'enabled'", name))
			}
			return 0
		}
		pd := lookupPoolProp(name)
		switch {
		case pd == nil:
			return fail(fmt.Sprintf("invalid property '%s'", name))
		case pd.attr == attrReadonly:
			return fail(fmt.Sprintf("property '%s' is readonly", pd.name))
		case pd.name == "altroot" || pd.name == "ashift":
			return fail(fmt.Sprintf("property '%s' can only be set during pool creation or import", pd.name))
		case pd.kind == kindIndex && !pd.validValue(value):
			return fail(fmt.Sprintf("property '%s' must be one of '%s'", pd.name, pd.valuesHelp()))
		case pd.name == "bootfs" && value != "" && p.dataset(value) == nil:
			return fail(fmt.Sprintf("'%s' is an invalid name", value))
		}
		if p.Props == nil {
			p.Props = map[string]string{}
		}
		p.Props[pd.name] = value
		return 0
	})
}

// vdevName is a vdev's name in zpool status: the device, or type-id.
func vdevName(v Vdev, id int, full bool) string {
	if v.Type == "disk" {
		return devName(v.Devices[0], full)
	}
	return fmt.Sprintf("%s-%d", v.Type, id)
}

func devName(d string, full bool) string {
	if full {
		return d
	}
	return strings.TrimPrefix(d, "/dev/")
}

// vdevRow is one line of a pool's config: its indentation and name.
type vdevRow struct {
	depth int
	name  string
}

// vdevRows lists the config lines of a pool.
func vdevRows(p string, vdevs []Vdev, full bool) []vdevRow {
	rows := []vdevRow{{0, p}}
	for i, v := range vdevs {
		rows = append(rows, vdevRow{2, vdevName(v, i, full)})
		if v.Type != "disk" {
			for _, d := range v.Devices {
				rows = append(rows, vdevRow{4, devName(d, full)})
			}
		}
	}
	return rows
}

// nameWidth is max_width: the widest indented name, at least 10.
func nameWidth(rows []vdevRow) int {
	w := 10
	for _, r := range rows {
		w = max(w, len(r.name)+r.depth)
	}
	return w
}

// writeVdevTree prints the layout of zpool create -n.
func writeVdevTree(b *bytes.Buffer, name string, vdevs []Vdev) {
	for _, r := range vdevRows(name, vdevs, false) {
		fmt.Fprintf(b, "\t%*s%s\n", r.depth, "", r.name)
	}
}

// writeStatus prints one pool as zpool status does.
func writeStatus(b *bytes.Buffer, p *Pool, full bool) {
	fmt.Fprintf(b, "  pool: %s\n state: ONLINE\nconfig:\n\n", p.Name)
	rows := vdevRows(p.Name, p.Vdevs, full)
	w := nameWidth(rows)
	fmt.Fprintf(b, "\t%-*s  %-8s %5s %5s %5s\n", w, "NAME", "STATE", "READ", "WRITE", "CKSUM")
	for _, r := range rows {
		fmt.Fprintf(b, "\t%*s%-*s  %-8s %5s %5s %5s\n", r.depth, "", w-r.depth, r.name, "ONLINE", "0", "0", "0")
	}
	b.WriteString("\nerrors: No known data errors\n")
}

func (e *env) zpoolStatus(args []string) int {
	opts, rest, oe := getopt(args, ":c:igLpPsvxDtT:")
	if oe != nil {
		return e.poolBadOpt("status", oe)
	}
	var full, onlyBad bool
	for _, o := range opts {
		switch o.c {
		case 'P':
			full = true
		case 'x':
			onlyBad = true
		}
	}
	c, err := e.peek()
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	pools, rc := c.poolsNamed(rest)
	if len(c.st.imported()) == 0 {
		e.errf("no pools available\n")
		return rc
	}
	if onlyBad {
		switch {
		case len(rest) == 1 && len(pools) == 1:
			e.outf("pool '%s' is healthy\n", pools[0].Name)
		case rc == 0:
			e.outf("all pools are healthy\n")
		}
		return rc
	}
	for i, p := range pools {
		if i > 0 {
			e.out.WriteString("\n")
		}
		writeStatus(&e.out, p, full)
	}
	return rc
}

// unmountPool unmounts every dataset of a pool; false when one is busy.
func (c *ctx) unmountPool(p *Pool) bool {
	for _, d := range p.Datasets {
		if d.Mounted && d.Fixed > 0 {
			return false
		}
	}
	_, err := c.unmountTree(p.Datasets)
	return err == nil
}

func (e *env) zpoolDestroy(args []string) int {
	_, rest, oe := getopt(args, ":f")
	if oe != nil {
		return e.poolBadOpt("destroy", oe)
	}
	if len(rest) == 0 {
		e.errf("missing pool argument\n")
		return e.poolUsage("destroy")
	}
	if len(rest) > 1 {
		e.errf("too many arguments\n")
		return e.poolUsage("destroy")
	}
	name := rest[0]
	var vdevs []Vdev
	rc := e.mutate(func(c *ctx) int {
		p := c.st.pool(name)
		if p == nil {
			c.errf("cannot open '%s': no such pool\n", name)
			return 1
		}
		if !c.p.User.IsRoot() {
			c.errf("cannot destroy '%s': permission denied\n", name)
			return 1
		}
		if !c.unmountPool(p) {
			c.errf("could not destroy '%s': could not unmount datasets\n", name)
			return 1
		}
		vdevs = p.Vdevs
		c.removePool(p)
		return 0
	})
	if rc == 0 {
		if err := holdDisks(e.h, vdevs, ""); err != nil {
			e.errf("internal error: %v\n", err)
			return 1
		}
	}
	return rc
}

func (e *env) zpoolExport(args []string) int {
	opts, rest, oe := getopt(args, ":af")
	if oe != nil {
		return e.poolBadOpt("export", oe)
	}
	all := false
	for _, o := range opts {
		if o.c == 'a' {
			all = true
		}
	}
	if !all && len(rest) == 0 {
		e.errf("missing pool argument\n")
		return e.poolUsage("export")
	}
	return e.mutate(func(c *ctx) int {
		names := rest
		if all {
			names = nil
			for _, p := range c.st.imported() {
				names = append(names, p.Name)
			}
		}
		rc := 0
		for _, n := range names {
			p := c.st.pool(n)
			if p == nil {
				c.errf("cannot open '%s': no such pool\n", n)
				rc = 1
				continue
			}
			if !c.p.User.IsRoot() {
				c.errf("cannot export '%s': permission denied\n", n)
				rc = 1
				continue
			}
			if !c.unmountPool(p) {
				c.errf("cannot export '%s': pool is busy\n", n)
				rc = 1
				continue
			}
			for _, d := range p.Datasets {
				if d.Enc != nil && d.Enc.Root == d.Name {
					d.Enc.Loaded = false
				}
			}
			p.Exported = true
		}
		return rc
	})
}

func (e *env) zpoolImport(args []string) int {
	opts, rest, oe := getopt(args, ":ac:d:DflmNo:R:FnXT:s")
	if oe != nil {
		return e.poolBadOpt("import", oe)
	}
	var all, loadKeys, noMount bool
	for _, o := range opts {
		switch o.c {
		case 'a':
			all = true
		case 'l':
			loadKeys = true
		case 'N':
			noMount = true
		}
	}
	if !all && len(rest) == 0 {
		c, err := e.load()
		if err != nil {
			e.errf("internal error: %v\n", err)
			return 1
		}
		first := true
		for _, p := range c.st.Pools {
			if !p.Exported {
				continue
			}
			if !first {
				e.out.WriteString("\n")
			}
			first = false
			fmt.Fprintf(&e.out, "   pool: %s\n     id: %d\n  state: ONLINE\n action: The pool can be imported using its name or numeric identifier.\n config:\n\n", p.Name, p.GUID)
			rows := vdevRows(p.Name, p.Vdevs, false)
			w := nameWidth(rows)
			for _, r := range rows {
				fmt.Fprintf(&e.out, "\t%*s%-*s  %s\n", r.depth, "", w-r.depth, r.name, "ONLINE")
			}
		}
		if first {
			e.errf("no pools available to import\n")
		}
		return 0
	}
	if len(rest) > 2 {
		e.errf("too many arguments\n")
		return e.poolUsage("import")
	}
	var renamed []Vdev
	newName := ""
	rc := e.mutate(func(c *ctx) int {
		var todo []*Pool
		if all {
			for _, p := range c.st.Pools {
				if p.Exported {
					todo = append(todo, p)
				}
			}
		} else {
			want := rest[0]
			if len(rest) == 2 {
				newName = rest[1]
			}
			var found *Pool
			for _, p := range c.st.Pools {
				if p.Exported && (p.Name == want || fmt.Sprint(p.GUID) == want) {
					found = p
				}
			}
			if found == nil {
				if c.st.pool(want) != nil {
					c.errf("cannot import '%s': a pool with that name already exists\n", want)
					c.errf("use the form 'zpool import <pool | id> <newpool>' to give it a new name\n")
				} else {
					c.errf("cannot import '%s': no such pool available\n", want)
				}
				return 1
			}
			if target := newName; target != "" || c.st.pool(found.Name) != nil {
				if target == "" {
					target = found.Name
				}
				if c.st.pool(target) != nil {
					c.errf("cannot import '%s': a pool with that name already exists\n", want)
					c.errf("use the form 'zpool import <pool | id> <newpool>' to give it a new name\n")
					return 1
				}
			}
			todo = []*Pool{found}
		}
		if !c.p.User.IsRoot() {
			c.errf("cannot import '%s': permission denied\n", rest[0])
			return 1
		}
		for _, p := range todo {
			if newName != "" {
				renameTree(p, p.Name, newName)
				p.Name = newName
				renamed = p.Vdevs
			}
			p.Exported = false
			p.LoadGUID = randGUID()
			if loadKeys {
				c.loadKeysQuiet(p)
			}
			if !noMount {
				_ = c.mountAll(p, p.Datasets)
			}
		}
		return 0
	})
	if rc == 0 && renamed != nil {
		if err := holdDisks(e.h, renamed, "zpool:"+newName); err != nil {
			e.errf("internal error: %v\n", err)
			return 1
		}
	}
	return rc
}
