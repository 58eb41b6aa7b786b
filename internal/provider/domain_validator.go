package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// domainValidator is a plan-time validator that asks a domain package's
// own check (rc.ValidateName, pkg.ValidateName, ...), so that the docs,
// the plan and the domain code accept the same values.
func domainValidator(summary, description string, check func(string) error) validator.String {
	return domainStringValidator{summary: summary, description: description, check: check}
}

type domainStringValidator struct {
	summary     string
	description string
	check       func(string) error
}

func (v domainStringValidator) Description(context.Context) string { return v.description }

func (v domainStringValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v domainStringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.Append(invalidAttributeDiag(req.Path, v.summary, err.Error()))
	}
}
