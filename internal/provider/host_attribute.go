package provider

import (
	datasourceschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

const hostAttributeDescription = "Name of the host to act on, as configured in the provider's `hosts` " +
	"(for example `f0`). A name that is not configured fails at plan time."

// resourceHostAttribute is the host attribute of every resource. Moving an
// object to another host is a new object, so a change replaces it.
func resourceHostAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: hostAttributeDescription + " Changing it replaces the resource.",
		Required:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// dataSourceHostAttribute is the host attribute of every data source.
func dataSourceHostAttribute() datasourceschema.StringAttribute {
	return datasourceschema.StringAttribute{
		MarkdownDescription: hostAttributeDescription,
		Required:            true,
	}
}
