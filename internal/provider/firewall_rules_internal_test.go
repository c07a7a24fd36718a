package provider

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// Keys are priorities in canonical form only, so key and stored priority agree.
func TestParsePriorityKey(t *testing.T) {
	for k, want := range map[string]int64{"1": 1, "100": 100, "10000": 10000} {
		if p, ok := parsePriorityKey(k); !ok || p != want {
			t.Errorf("%q: %d %v", k, p, ok)
		}
	}
	for _, k := range []string{"", "0", "10001", "0100", "+100", "-1", "1e2", " 1", "100 ", "1.0", "99999999999999999999"} {
		if _, ok := parsePriorityKey(k); ok {
			t.Errorf("%q accepted", k)
		}
	}
}

// An API error on rules[i].field lands on the attribute of the rule sent at
// index i; priority (the key) on the rule; others on workspace_id or rules.
func TestRuleSetErrorPaths(t *testing.T) {
	entries := []ruleSetEntry{{key: "100"}, {key: "250"}}
	err := &client.Error{StatusCode: http.StatusUnprocessableEntity, Method: "PUT", Path: "/v1/workspaces/ws-1/firewall-rules", FromAPI: true,
		RequestID: "req-1", Problem: api.Problem{Errors: []api.FieldError{
			{Field: "rules[1].cidr", Message: "bad cidr"},
			{Field: "rules[0].priority", Message: "taken"},
			{Field: "rules", Message: "too many"},
			{Field: "workspace_id", Message: "tier"},
			{Field: "rules[7].cidr", Message: "out of range index"},
		}}}
	var diags diag.Diagnostics
	addRuleSetError(&diags, "Cannot replace", err, entries)
	want := []path.Path{
		path.Root("rules").AtMapKey("250").AtName("cidr"),
		path.Root("rules").AtMapKey("100"),
		path.Root("rules"),
		path.Root("workspace_id"),
		path.Root("rules"),
	}
	if len(diags) != len(want) {
		t.Fatalf("%d diagnostics: %v", len(diags), diags)
	}
	for i, d := range diags {
		wp, ok := d.(diag.DiagnosticWithPath)
		if !ok || !wp.Path().Equal(want[i]) {
			t.Errorf("diagnostic %d (%s) not on %s", i, d.Detail(), want[i])
		}
		if !strings.Contains(d.Detail(), "req-1") {
			t.Errorf("diagnostic %d lacks the request ID: %s", i, d.Detail())
		}
	}

	// A stale version says what happened and how to re-plan.
	diags = nil
	addRuleSetError(&diags, "Cannot replace", &client.Error{StatusCode: http.StatusPreconditionFailed, FromAPI: true}, entries)
	if len(diags) != 1 || diags[0].Summary() != "Firewall rules changed since the plan" || !strings.Contains(diags[0].Detail(), "Run `terraform plan`") {
		t.Fatalf("%v", diags)
	}
	if !client.IsPreconditionFailed(errors.Join(errors.New("x"), &client.Error{StatusCode: 412, FromAPI: true})) {
		t.Fatal("a wrapped 412 is not recognised")
	}
	if client.IsPreconditionFailed(&client.Error{StatusCode: 412}) {
		t.Fatal("a proxy's 412 is taken for the API's")
	}
}

// sameRules compares by priority, every field.
func TestSameRules(t *testing.T) {
	in := []api.FirewallRuleInput{{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}, {CIDR: "::/0", Action: "deny", Protocol: "any", Priority: 2}}
	got := []api.FirewallRule{{FirewallRuleInput: in[1]}, {FirewallRuleInput: in[0]}}
	if !sameRules(got, in) {
		t.Fatal("same rules in another order differ")
	}
	got[0].Description = "x"
	if sameRules(got, in) || sameRules(got[:1], in) {
		t.Fatal("different rules are the same")
	}
}
