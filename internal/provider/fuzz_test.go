package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
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

// FuzzAPIStringValidators: the plan-time validators wrap the API's own
// checks, so they refuse exactly what the API refuses, never panic, and put
// their error on the attribute.
func FuzzAPIStringValidators(f *testing.F) {
	for _, s := range []string{"chat.example.com", "10.0.0.0/8", "10.0.0.1/8", "acme-chat", "Acme", "", "\x00", "a.b", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	validators := map[string]apiStringValidator{
		"hostname":    {"a hostname", api.ValidateHostname},
		"cidr":        {"a CIDR block", api.ValidateCIDR},
		"subdomain":   {"a subdomain", api.ValidateSubdomain},
		"name":        {"a name", api.ValidateName},
		"description": {"a description", api.ValidateDescription},
	}
	f.Fuzz(func(t *testing.T, v string) {
		for attr, val := range validators {
			req := validator.StringRequest{Path: path.Root(attr), ConfigValue: types.StringValue(v)}
			var resp validator.StringResponse
			val.ValidateString(context.Background(), req, &resp)
			apiErr := val.check(attr, v)
			if resp.Diagnostics.HasError() != (apiErr != nil) {
				t.Fatalf("%s %q: validator error %v, API error %v", attr, v, resp.Diagnostics, apiErr)
			}
			if apiErr != nil {
				d := resp.Diagnostics.Errors()[0]
				if d.Detail() != apiErr.Message {
					t.Fatalf("%s %q: detail %q, API message %q", attr, v, d.Detail(), apiErr.Message)
				}
			}
		}
	})
}
