package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

var _ validator.String = apiStringValidator{}

// apiStringValidator runs one of the API's own field checks at plan time, so
// the provider and the API accept exactly the same values.
type apiStringValidator struct {
	description string
	check       func(field, value string) *api.FieldError
}

func (v apiStringValidator) Description(context.Context) string { return v.description }

func (v apiStringValidator) MarkdownDescription(ctx context.Context) string { return v.description }

func (v apiStringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if fe := v.check(req.Path.String(), req.ConfigValue.ValueString()); fe != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), fe.Message)
	}
}
