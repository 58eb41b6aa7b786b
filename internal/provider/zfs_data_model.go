package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// propertyObjectType is one property in a data source: its value and where
// the value comes from.
var propertyObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"value":  types.StringType,
	"source": types.StringType,
}}

// propertiesValue is a map of property objects.
func propertiesValue(ps zfs.Properties) types.Map {
	elems := make(map[string]attr.Value, len(ps))
	for name, p := range ps {
		elems[name] = types.ObjectValueMust(propertyObjectType.AttrTypes, map[string]attr.Value{
			"value":  types.StringValue(p.Value),
			"source": types.StringValue(p.Source.String()),
		})
	}
	return types.MapValueMust(propertyObjectType, elems)
}

// propertiesAttribute is the schema of such a map.
func propertiesAttribute(description string) schema.MapNestedAttribute {
	return schema.MapNestedAttribute{
		MarkdownDescription: description,
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"value": schema.StringAttribute{
					MarkdownDescription: "The value as `zfs get -p` prints it: sizes in bytes, dates in seconds since the epoch.",
					Computed:            true,
				},
				"source": schema.StringAttribute{
					MarkdownDescription: "Where the value comes from: `local`, `default`, `inherited from DATASET`, `received`, " +
						"`temporary`, or `-` for read-only values.",
					Computed: true,
				},
			},
		},
	}
}
