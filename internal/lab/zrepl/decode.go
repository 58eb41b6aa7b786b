package zrepl

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// zrepl decodes its configuration with yaml-config, a fork of go-yaml v2,
// in strict mode. The lab parses the YAML with yaml/v3 (the same libyaml
// port, so syntax errors read the same) and decodes the node tree itself,
// reproducing v2's type errors and yaml-config's additions:
//
//   - unknown keys:      "line N: field X not found in type config.T"   (N: the key's line)
//   - a key twice:       "line N: field X already set in type config.T"
//   - wrong scalar:      "line N: cannot unmarshal !!str `ten` into int"
//   - required, absent:  "line N: field X is required"                  (N: the mapping's 0-based line)
//   - required, zero:    "line N: field X is required but has zero value"
//
// All errors of a document are collected and returned together, as v2's
// TypeError: "yaml: unmarshal errors:\n  " + one error per line. An enum
// (jobs, transports, snapshotting, keep rules, ...) that has any error is
// left unset, so its own field then reports "required but has zero value"
// too: a real zrepl 0.6 prints exactly that cascade (zrepl issue #694).

// ErrEmpty is config.ParseConfigBytes's error for a document without content.
var ErrEmpty = errors.New("config is empty or only consists of comments")

// Parse is config.ParseConfigBytes: strict YAML into a Config.
func Parse(data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, ErrEmpty
		}
		root = root.Content[0]
	}
	if root.Kind == 0 || isNull(root) {
		return nil, ErrEmpty
	}
	d := &decoder{}
	c := &Config{}
	if err := d.run(func() { d.unmarshal(root, reflect.ValueOf(c).Elem(), fieldInfo{}) }); err != nil {
		return nil, err
	}
	if len(d.errs) > 0 {
		return nil, &TypeError{Errors: d.errs}
	}
	return c, nil
}

// TypeError is go-yaml v2's collected decoding errors.
type TypeError struct {
	Errors []string
}

func (e *TypeError) Error() string {
	return "yaml: unmarshal errors:\n  " + strings.Join(e.Errors, "\n  ")
}

type decoder struct {
	errs []string
}

// abort is how a custom unmarshaler's plain error ends the whole decoding,
// as go-yaml v2's fail() does.
type abort struct{ err error }

func (d *decoder) run(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			a, ok := r.(abort)
			if !ok {
				panic(r)
			}
			err = a.err
		}
	}()
	fn()
	return nil
}

func (d *decoder) errorf(format string, a ...any) {
	d.errs = append(d.errs, fmt.Sprintf(format, a...))
}

// typeName is reflect's name of t with zrepl's package name.
func typeName(t reflect.Type) string {
	return strings.ReplaceAll(t.String(), "zrepl.", "config.")
}

// shortTag is the node's resolved tag as v2 prints it.
func shortTag(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "!!map"
	case yaml.SequenceNode:
		return "!!seq"
	}
	if quoted(n) {
		return "!!str"
	}
	return n.ShortTag()
}

// terror is v2's "cannot unmarshal" error.
func (d *decoder) terror(n *yaml.Node, t reflect.Type, extra string) {
	value := ""
	if n.Kind == yaml.ScalarNode {
		v := n.Value
		if len(v) > 10 {
			v = v[:7] + "..."
		}
		value = " `" + v + "`"
	}
	d.errorf("line %d: cannot unmarshal %s%s into %s%s", n.Line, shortTag(n), value, typeName(t), extra)
}

func quoted(n *yaml.Node) bool {
	return n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
}

func isNull(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || quoted(n) {
		return false
	}
	if n.Tag == "!!null" {
		return true
	}
	switch n.Value {
	case "", "~", "null", "Null", "NULL":
		return n.Tag == "" || n.Tag == "!!null"
	}
	return false
}

// fieldInfo is a struct field with its yaml-config options.
type fieldInfo struct {
	key          string
	index        []int
	optional     bool
	fromDefaults bool
	positive     bool
	zeroPositive bool
	def          *string
}

func (f fieldInfo) required() bool { return !f.optional && !f.fromDefaults && f.def == nil }

// structFields lists t's fields in declaration order, inline structs expanded.
func structFields(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("yaml")
		parts := strings.Split(tag, ",")
		f := fieldInfo{key: parts[0], index: []int{i}}
		inline := false
		for _, o := range parts[1:] {
			switch {
			case o == "inline":
				inline = true
			case o == "optional":
				f.optional = true
			case o == "fromdefaults":
				f.fromDefaults = true
			case o == "positive":
				f.positive = true
			case o == "zeropositive":
				f.zeroPositive = true
			case strings.HasPrefix(o, "default="):
				v := strings.TrimPrefix(o, "default=")
				f.def = &v
			}
		}
		if inline {
			for _, sub := range structFields(sf.Type) {
				sub.index = append([]int{i}, sub.index...)
				out = append(out, sub)
			}
			continue
		}
		if f.key == "" {
			f.key = strings.ToLower(sf.Name)
		}
		out = append(out, f)
	}
	return out
}

var (
	durationType       = reflect.TypeOf(time.Duration(0))
	pdomType           = reflect.TypeOf(PositiveDurationOrManual{})
	loggingListType    = reflect.TypeOf(LoggingOutletEnumList{})
	filesystemsType    = reflect.TypeOf(FilesystemsFilter{})
	durationStringExpr = `^\s*([\+-]?\d+)\s*(|s|m|h|d|w)\s*$`
	durationString     = regexp.MustCompile(durationStringExpr)
)

// isEnum reports whether v (addressable) is one of the config's enums.
func isEnum(v reflect.Value) bool {
	return v.CanAddr() && enumTypes(v.Addr().Interface()) != nil
}

// unmarshal decodes n into out and reports whether out was set (v2's "good").
func (d *decoder) unmarshal(n *yaml.Node, out reflect.Value, f fieldInfo) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if isNull(n) {
		out.Set(reflect.Zero(out.Type()))
		return true
	}
	if isEnum(out) {
		return d.enum(n, out)
	}
	switch out.Type() {
	case durationType:
		return d.duration(n, out, f)
	case pdomType:
		return d.durationOrManual(n, out)
	}
	switch out.Kind() {
	case reflect.Pointer:
		v := reflect.New(out.Type().Elem())
		good := d.unmarshal(n, v.Elem(), f)
		out.Set(v)
		return good
	case reflect.Struct:
		return d.mapping(n, out)
	case reflect.Slice:
		return d.sequence(n, out)
	case reflect.Map:
		return d.mapOf(n, out)
	}
	return d.scalar(n, out)
}

// enum is zrepl's enumUnmarshal: the "type" key picks the concrete struct,
// decoded strictly; any error inside leaves the enum unset.
func (d *decoder) enum(n *yaml.Node, out reflect.Value) bool {
	types := enumTypes(out.Addr().Interface())
	if n.Kind != yaml.MappingNode {
		d.errorf("line %d: cannot unmarshal %s%s into struct { Type string }", n.Line, shortTag(n), scalarValue(n))
		return false
	}
	typ := ""
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "type" && n.Content[i+1].Kind == yaml.ScalarNode {
			typ = n.Content[i+1].Value
		}
	}
	if typ == "" {
		d.errorf("must specify type")
		return false
	}
	ctor, ok := types[typ]
	if !ok {
		d.errorf("invalid type name %q", typ)
		return false
	}
	v := ctor()
	before := len(d.errs)
	d.unmarshal(n, reflect.ValueOf(v).Elem(), fieldInfo{})
	if len(d.errs) > before {
		return false
	}
	out.Field(0).Set(reflect.ValueOf(v))
	return true
}

func scalarValue(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return ""
	}
	return " `" + n.Value + "`"
}

// mapping decodes a mapping into a struct, then applies defaults and checks
// the required fields.
func (d *decoder) mapping(n *yaml.Node, out reflect.Value) bool {
	if n.Kind != yaml.MappingNode {
		d.terror(n, out.Type(), "")
		return false
	}
	fields := structFields(out.Type())
	seen := make([]bool, len(fields))
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		idx := -1
		for j, f := range fields {
			if f.key == k.Value {
				idx = j
				break
			}
		}
		switch {
		case idx < 0:
			d.errorf("line %d: field %s not found in type %s", k.Line, k.Value, typeName(out.Type()))
		case seen[idx]:
			d.errorf("line %d: field %s already set in type %s", k.Line, k.Value, typeName(out.Type()))
		default:
			seen[idx] = true
			d.unmarshal(v, out.FieldByIndex(fields[idx].index), fields[idx])
		}
	}
	for i, f := range fields {
		fv := out.FieldByIndex(f.index)
		if !seen[i] {
			switch {
			case f.def != nil:
				d.setDefault(fv, *f.def)
			case f.fromDefaults:
				d.fromDefaults(fv)
			case !f.optional:
				d.errorf("line %d: field %s is required", n.Line-1, f.key)
			}
			continue
		}
		if f.required() && isZero(fv) {
			d.errorf("line %d: field %s is required but has zero value", n.Line-1, f.key)
		}
	}
	return true
}

// fromDefaults builds a struct (behind a pointer) from its defaults alone.
func (d *decoder) fromDefaults(fv reflect.Value) {
	if fv.Type() == reflect.PointerTo(loggingListType) {
		l := LoggingOutletEnumList{{Ret: &StdoutLoggingOutlet{
			LoggingOutletCommon: LoggingOutletCommon{Type: "stdout", Level: "warn", Format: "human"}, Time: true, Color: true}}}
		fv.Set(reflect.ValueOf(&l))
		return
	}
	if fv.Kind() != reflect.Pointer || fv.Type().Elem().Kind() != reflect.Struct {
		return
	}
	v := reflect.New(fv.Type().Elem())
	d.mapping(&yaml.Node{Kind: yaml.MappingNode, Line: 1}, v.Elem())
	fv.Set(v)
}

// setDefault sets a default=V value.
func (d *decoder) setDefault(fv reflect.Value, def string) {
	switch {
	case fv.Type() == durationType:
		dur, _ := parseDuration(def)
		fv.SetInt(int64(dur))
	case fv.Type() == filesystemsType:
		fv.Set(reflect.ValueOf(FilesystemsFilter{"<": true}))
	case fv.Kind() == reflect.String:
		fv.SetString(def)
	case fv.Kind() == reflect.Bool:
		fv.SetBool(def == "true")
	case fv.Kind() == reflect.Int:
		i, _ := strconv.Atoi(def)
		fv.SetInt(int64(i))
	}
}

func (d *decoder) sequence(n *yaml.Node, out reflect.Value) bool {
	if n.Kind != yaml.SequenceNode {
		d.terror(n, out.Type(), "")
		return false
	}
	s := reflect.MakeSlice(out.Type(), 0, len(n.Content))
	for _, c := range n.Content {
		e := reflect.New(out.Type().Elem()).Elem()
		if d.unmarshal(c, e, fieldInfo{}) {
			s = reflect.Append(s, e)
		}
	}
	out.Set(s)
	return true
}

func (d *decoder) mapOf(n *yaml.Node, out reflect.Value) bool {
	if n.Kind != yaml.MappingNode {
		d.terror(n, out.Type(), "")
		return false
	}
	m := reflect.MakeMap(out.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := reflect.New(out.Type().Key()).Elem()
		if !d.unmarshal(n.Content[i], k, fieldInfo{}) {
			continue
		}
		if m.MapIndex(k).IsValid() {
			d.errorf("line %d: key %#v already set in map", n.Content[i].Line, k.Interface())
			continue
		}
		e := reflect.New(out.Type().Elem()).Elem()
		if d.unmarshal(n.Content[i+1], e, fieldInfo{}) {
			m.SetMapIndex(k, e)
		}
	}
	out.Set(m)
	return true
}

// v2's YAML 1.1 booleans.
var boolValues = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"true": true, "True": true, "TRUE": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
	"false": false, "False": false, "FALSE": false,
}

func (d *decoder) scalar(n *yaml.Node, out reflect.Value) bool {
	if n.Kind != yaml.ScalarNode {
		d.terror(n, out.Type(), "")
		return false
	}
	switch out.Kind() {
	case reflect.String:
		out.SetString(n.Value)
		return true
	case reflect.Bool:
		if b, ok := boolValues[n.Value]; ok && !quoted(n) {
			out.SetBool(b)
			return true
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil && !quoted(n) && !out.OverflowInt(i) {
			out.SetInt(i)
			return true
		}
	case reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		if u, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil && !quoted(n) && !out.OverflowUint(u) {
			out.SetUint(u)
			return true
		}
	}
	d.terror(n, out.Type(), "")
	return false
}

// duration is yaml-config's duration: zrepl's units (s m h d w), and the
// positive/zeropositive field options.
func (d *decoder) duration(n *yaml.Node, out reflect.Value, f fieldInfo) bool {
	if n.Kind != yaml.ScalarNode {
		d.terror(n, out.Type(), "")
		return false
	}
	dur, err := parseDuration(n.Value)
	if err != nil {
		d.terror(n, out.Type(), ": "+err.Error())
		return false
	}
	switch {
	case f.positive && dur <= 0:
		d.errorf("line %d: field %s must be positive duration, got %s", n.Line, f.key, n.Value)
		return false
	case f.zeroPositive && dur < 0:
		d.errorf("line %d: field %s must be zero or positive duration, got %s", n.Line, f.key, n.Value)
		return false
	}
	out.SetInt(int64(dur))
	return true
}

// parseDuration parses zrepl's duration syntax.
func parseDuration(s string) (time.Duration, error) {
	m := durationString.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("must match %s", durationStringExpr)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, err
	}
	unit := map[string]time.Duration{"": time.Second, "s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
	if n > math.MaxInt64/int64(unit) || n < math.MinInt64/int64(unit) {
		return 0, fmt.Errorf("duration %q out of range", s)
	}
	return time.Duration(n) * unit, nil
}

// durationOrManual is PositiveDurationOrManual.UnmarshalYAML, whose plain
// errors abort the whole decoding (v2 does not collect them).
func (d *decoder) durationOrManual(n *yaml.Node, out reflect.Value) bool {
	if n.Kind != yaml.ScalarNode {
		d.terror(n, reflect.TypeOf(""), "")
		return false
	}
	v := PositiveDurationOrManual{}
	switch n.Value {
	case "manual":
		v.Manual = true
	case "":
		panic(abort{errors.New("value must not be empty")})
	default:
		dur, err := time.ParseDuration(n.Value)
		if err != nil {
			panic(abort{err})
		}
		if dur <= 0 {
			panic(abort{fmt.Errorf("value must be a positive duration, got %q", n.Value)})
		}
		v.Interval = dur
	}
	out.Set(reflect.ValueOf(v))
	return true
}

// isZero is go-yaml v2's zero test: empty strings, slices and maps, nil
// pointers and interfaces, false, 0, and structs whose fields are all zero.
func isZero(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return v.Len() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && !isZero(v.Field(i)) {
				return false
			}
		}
		return true
	}
	return false
}
