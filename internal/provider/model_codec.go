package provider

import (
	"fmt"
	"math/big"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// modelCodec converts between a resource's model and the value Terraform
// sends, for the requests a large plan makes once per resource (validate,
// plan, read). The framework's Get and Set do the same through general
// reflection that compiles a regular expression for every field of every
// value (internal/reflect.isValidFieldName): a fifth of the provider's
// allocations in a plan over 1,000 datasets. A codec handles models whose
// fields are types.String, types.Bool, types.Int64 and types.Map of
// strings, tagged tfsdk, one per schema attribute; its tests compare it
// with the framework's Get and Set.
type modelCodec[T any] struct {
	fields []codecField
}

type codecField struct {
	name  string
	index int
	kind  codecKind
}

type codecKind int

const (
	codecString codecKind = iota
	codecBool
	codecInt64
	codecStringMap
)

// newModelCodec builds the codec of T; an unsupported field is a
// programming error and panics (at init, where the codecs are made).
func newModelCodec[T any]() *modelCodec[T] {
	t := reflect.TypeFor[T]()
	c := &modelCodec[T]{}
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("tfsdk")
		if name == "" || name == "-" {
			panic(fmt.Sprintf("modelCodec: %s.%s has no tfsdk tag", t.Name(), f.Name))
		}
		var k codecKind
		switch f.Type {
		case reflect.TypeFor[types.String]():
			k = codecString
		case reflect.TypeFor[types.Bool]():
			k = codecBool
		case reflect.TypeFor[types.Int64]():
			k = codecInt64
		case reflect.TypeFor[types.Map]():
			k = codecStringMap
		default:
			panic(fmt.Sprintf("modelCodec: %s.%s has unsupported type %s", t.Name(), f.Name, f.Type))
		}
		c.fields = append(c.fields, codecField{name: name, index: i, kind: k})
	}
	return c
}

// decode reads v, an object of the model's attributes, into out.
func (c *modelCodec[T]) decode(v tftypes.Value, out *T) error {
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return err
	}
	if len(attrs) != len(c.fields) {
		return fmt.Errorf("the value has %d attributes, the model %d", len(attrs), len(c.fields))
	}
	rv := reflect.ValueOf(out).Elem()
	for _, f := range c.fields {
		av, ok := attrs[f.name]
		if !ok {
			return fmt.Errorf("the value has no attribute %q", f.name)
		}
		fv, err := decodeField(f.kind, av)
		if err != nil {
			return fmt.Errorf("attribute %q: %w", f.name, err)
		}
		rv.Field(f.index).Set(reflect.ValueOf(fv))
	}
	return nil
}

func decodeField(k codecKind, v tftypes.Value) (attr.Value, error) {
	switch k {
	case codecString:
		if !v.IsKnown() {
			return types.StringUnknown(), nil
		}
		if v.IsNull() {
			return types.StringNull(), nil
		}
		var s string
		err := v.As(&s)
		return types.StringValue(s), err
	case codecBool:
		if !v.IsKnown() {
			return types.BoolUnknown(), nil
		}
		if v.IsNull() {
			return types.BoolNull(), nil
		}
		var b bool
		err := v.As(&b)
		return types.BoolValue(b), err
	case codecInt64:
		if !v.IsKnown() {
			return types.Int64Unknown(), nil
		}
		if v.IsNull() {
			return types.Int64Null(), nil
		}
		var n big.Float
		if err := v.As(&n); err != nil {
			return nil, err
		}
		i, acc := n.Int64()
		if acc != big.Exact {
			return nil, fmt.Errorf("%s is not a 64-bit integer", n.String())
		}
		return types.Int64Value(i), nil
	default:
		if !v.IsKnown() {
			return types.MapUnknown(types.StringType), nil
		}
		if v.IsNull() {
			return types.MapNull(types.StringType), nil
		}
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			return nil, err
		}
		elems := make(map[string]attr.Value, len(m))
		for key, ev := range m {
			e, err := decodeField(codecString, ev)
			if err != nil {
				return nil, fmt.Errorf("element %q: %w", key, err)
			}
			elems[key] = e
		}
		mv, diags := types.MapValue(types.StringType, elems)
		if diags.HasError() {
			return nil, fmt.Errorf("%v", diags)
		}
		return mv, nil
	}
}

// encode makes the value of in, of the object type typ (the schema's).
func (c *modelCodec[T]) encode(in *T, typ tftypes.Type) (tftypes.Value, error) {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("type %s is not an object", typ)
	}
	rv := reflect.ValueOf(in).Elem()
	attrs := make(map[string]tftypes.Value, len(c.fields))
	for _, f := range c.fields {
		at, ok := obj.AttributeTypes[f.name]
		if !ok {
			return tftypes.Value{}, fmt.Errorf("the schema has no attribute %q", f.name)
		}
		v, err := encodeField(f.kind, rv.Field(f.index).Interface(), at)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("attribute %q: %w", f.name, err)
		}
		attrs[f.name] = v
	}
	if len(attrs) != len(obj.AttributeTypes) {
		return tftypes.Value{}, fmt.Errorf("the schema has %d attributes, the model %d", len(obj.AttributeTypes), len(attrs))
	}
	return tftypes.NewValue(obj, attrs), nil
}

func encodeField(k codecKind, v any, typ tftypes.Type) (tftypes.Value, error) {
	var (
		val   attr.Value
		known any
	)
	switch k {
	case codecString:
		s, _ := v.(types.String)
		val, known = s, s.ValueString()
	case codecBool:
		b, _ := v.(types.Bool)
		val, known = b, b.ValueBool()
	case codecInt64:
		n, _ := v.(types.Int64)
		val, known = n, new(big.Float).SetInt64(n.ValueInt64())
	default:
		m, _ := v.(types.Map)
		val = m
		if !m.IsNull() && !m.IsUnknown() {
			mt, ok := typ.(tftypes.Map)
			if !ok {
				return tftypes.Value{}, fmt.Errorf("type %s is not a map", typ)
			}
			elems := make(map[string]tftypes.Value, len(m.Elements()))
			for key, e := range m.Elements() {
				s, ok := e.(types.String)
				if !ok {
					return tftypes.Value{}, fmt.Errorf("element %q is not a string", key)
				}
				ev, err := encodeField(codecString, s, mt.ElementType)
				if err != nil {
					return tftypes.Value{}, err
				}
				elems[key] = ev
			}
			known = elems
		}
	}
	switch {
	case val.IsUnknown():
		return tftypes.NewValue(typ, tftypes.UnknownValue), nil
	case val.IsNull():
		return tftypes.NewValue(typ, nil), nil
	}
	return tftypes.NewValue(typ, known), nil
}

// get is decode with the framework's diagnostic for a failed conversion.
func (c *modelCodec[T]) get(v tftypes.Value, out *T) diag.Diagnostics {
	var diags diag.Diagnostics
	if err := c.decode(v, out); err != nil {
		diags.AddError("Value Conversion Error",
			"An unexpected error was encountered converting a value. This is always an error in the provider. "+
				"Please report the following to the provider developer:\n\n"+err.Error())
	}
	return diags
}

// set is encode into *raw, of the type *raw has (the schema's).
func (c *modelCodec[T]) set(in *T, raw *tftypes.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	v, err := c.encode(in, raw.Type())
	if err != nil {
		diags.AddError("Value Conversion Error",
			"An unexpected error was encountered converting a value. This is always an error in the provider. "+
				"Please report the following to the provider developer:\n\n"+err.Error())
		return diags
	}
	*raw = v
	return diags
}
