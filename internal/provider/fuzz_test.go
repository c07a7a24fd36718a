package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// FuzzParseChildID: the import ID of child resources. Whatever the input, no
// panic; an accepted ID splits into two non-empty parts without "/" that
// join back to the input; a refused one gets an error that quotes it and
// shows the expected form.
func FuzzParseChildID(f *testing.F) {
	for _, s := range []string{"ws-0123/fw-4567", "ws-1/", "/fw-1", "/", "", "ws-1", "ws-1/fw-1/extra", "ws-1//fw-1",
		"a/b", "ws 1/fw 1", "ws-1/fw-1\n", "..//..", "ws-\x00/x", "é/ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		ws, child, err := parseChildID(id, "firewall_rule")
		if err != nil {
			if ws != "" || child != "" {
				t.Fatalf("%q: error %v with parts %q, %q", id, err, ws, child)
			}
			msg := err.Error()
			if !strings.Contains(msg, "invalid firewall_rule import ID") || !strings.Contains(msg, `"<workspace_id>/<firewall_rule_id>"`) {
				t.Fatalf("%q: unclear error %q", id, msg)
			}
			return
		}
		if ws == "" || child == "" || strings.Contains(ws, "/") || strings.Contains(child, "/") || ws+"/"+child != id {
			t.Fatalf("%q accepted as %q / %q", id, ws, child)
		}
	})
}

// FuzzAPIStringValidators: every attribute whose value the API checks runs
// the same check at plan time, through the validators of the real resource
// schemas, so plan and API refuse exactly the same values (an attribute wired
// to the wrong check, or to none, fails here), with the API's own words.
func FuzzAPIStringValidators(f *testing.F) {
	for _, s := range []string{"chat.example.com", "10.0.0.0/8", "10.0.0.1/8", "acme-chat", "Acme", "", "\x00", "a.b", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	type wired struct {
		res   resource.Resource
		attr  string
		check func(field, v string) *api.FieldError
	}
	cases := []wired{
		{NewWorkspaceResource(), "name", api.ValidateName},
		{NewWorkspaceResource(), "subdomain", api.ValidateSubdomain},
		{NewCustomDomainResource(), "hostname", api.ValidateHostname},
		{NewFirewallRuleResource(), "cidr", api.ValidateCIDR},
		{NewFirewallRuleResource(), "description", api.ValidateDescription},
		{NewStaticIPResource(), "description", api.ValidateDescription},
	}
	validators := make([][]validator.String, len(cases))
	for i, c := range cases {
		var resp resource.SchemaResponse
		c.res.Schema(context.Background(), resource.SchemaRequest{}, &resp)
		a, ok := resp.Schema.Attributes[c.attr].(schema.StringAttribute)
		if !ok || len(a.Validators) == 0 {
			f.Fatalf("%T.%s has no string validators", c.res, c.attr)
		}
		validators[i] = a.Validators
	}
	f.Fuzz(func(t *testing.T, v string) {
		for i, c := range cases {
			if c.attr == "description" && v == "" {
				continue // the provider refuses "" (unset it instead); the API drops it
			}
			var resp validator.StringResponse
			for _, val := range validators[i] {
				val.ValidateString(context.Background(), validator.StringRequest{Path: path.Root(c.attr), ConfigValue: types.StringValue(v)}, &resp)
			}
			apiErr := c.check(c.attr, v)
			if resp.Diagnostics.HasError() != (apiErr != nil) {
				t.Fatalf("%T.%s %q: plan-time errors %v, API error %v", c.res, c.attr, v, resp.Diagnostics, apiErr)
			}
			if apiErr != nil && !strings.Contains(fmt.Sprint(resp.Diagnostics), apiErr.Message) {
				t.Fatalf("%T.%s %q: plan-time errors %v lack the API's words %q", c.res, c.attr, v, resp.Diagnostics, apiErr.Message)
			}
		}
	})
}
