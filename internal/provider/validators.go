package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
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

// timeoutsBlock is timeouts.Block whose durations must also be positive:
// "0s" or "-5m" would start the operation and report it timed out at once
// (a created object then kept as tainted), so they are refused at plan time
// on the attribute.
func timeoutsBlock(ctx context.Context, opts timeouts.Opts) schema.Block {
	b, ok := timeouts.Block(ctx, opts).(schema.SingleNestedBlock)
	if !ok {
		return timeouts.Block(ctx, opts)
	}
	attrs := make(map[string]schema.Attribute, len(b.Attributes))
	var defaults []string
	for _, name := range []string{"create", "read", "update", "delete"} {
		a, ok := b.Attributes[name]
		if !ok {
			continue
		}
		if s, ok := a.(schema.StringAttribute); ok {
			s.Validators = append(slices.Clone(s.Validators), positiveDuration{})
			s.MarkdownDescription = "A positive Go duration (`30s`, `20m`, `2h45m`) bounding the " + name + " wait"
			if d, ok := defaultTimeouts[name]; ok {
				s.MarkdownDescription += "; default `" + shortDuration(d) + "`"
				defaults = append(defaults, name+" `"+shortDuration(d)+"`")
			}
			s.MarkdownDescription += "."
			a = s
		}
		attrs[name] = a
	}
	b.Attributes = attrs
	if len(defaults) > 0 {
		b.MarkdownDescription = "How long to wait for the API's asynchronous work (defaults: " + strings.Join(defaults, ", ") + ")."
	}
	return b
}

// defaultTimeouts are the waits used when the timeouts block leaves one out.
var defaultTimeouts = map[string]time.Duration{
	"create": defaultCreateTimeout, "update": defaultUpdateTimeout, "delete": defaultDeleteTimeout,
}

// shortDuration writes 20m0s as 20m and 1h30m0s as 1h30m, as a user would type it.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// positiveDuration refuses a duration that is zero or negative. A value that
// does not parse is left to the timeouts package's own validator.
type positiveDuration struct{}

func (positiveDuration) Description(context.Context) string { return "a positive duration" }

func (v positiveDuration) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (positiveDuration) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err == nil && d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
			fmt.Sprintf("%q is not a positive duration: a timeout must be greater than zero, e.g. \"30s\" or \"20m\"", req.ConfigValue.ValueString()))
	}
}
