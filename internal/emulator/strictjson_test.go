package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// Each case was accepted (201) before bodies were checked token by token.
func TestStrictBodies(t *testing.T) {
	h := newHarness(t)
	const ok = `{"tier":"standard","region":"us-east"}`
	ct := func(v string) []string { return []string{"Content-Type", v} }
	cases := []struct {
		name   string
		body   string
		hdr    []string
		status int
		detail string
		field  string
	}{
		{"trailing ]", ok + `]`, nil, 400, "after the JSON object", ""},
		{"trailing }", ok + `}`, nil, 400, "after the JSON object", ""},
		{"trailing value", ok + ` 1`, nil, 400, "after the JSON object", ""},
		{"key in another case", `{"TIER":"standard","region":"us-east"}`, nil, 400, `case-sensitive: "TIER" is not a field, did you mean "tier"`, "TIER"},
		{"duplicate key", `{"tier":"premium","tier":"standard","region":"us-east"}`, nil, 400, `duplicate key "tier"`, "tier"},
		{"invalid UTF-8", "{\"tier\":\"standard\",\"region\":\"us-east\",\"version_freeze\":\"\xff\"}", nil, 400, "not valid UTF-8 (first invalid byte at offset 56)", ""},
		{"unpaired surrogate", `{"tier":"standard","region":"us-east","version_freeze":"\ud800"}`, nil, 400, "unpaired UTF-16 surrogate", ""},
		{"null", `null`, nil, 400, "expected a JSON object, got null", ""},
		{"too deep", `{"tier":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, nil, 400, "deeper than 32 levels", ""},
		{"text/plain", ok, ct("text/plain"), 415, `Content-Type "text/plain" is not supported; send Content-Type: application/json`, "Content-Type"},
		{"form", ok, ct("application/x-www-form-urlencoded"), 415, "application/json", "Content-Type"},
		{"no content type", ok, ct(""), 415, "no Content-Type header", "Content-Type"},
		{"other charset", ok, ct("application/json; charset=latin1"), 415, "charset=utf-8", "Content-Type"},
		{"json suffix type", ok, ct("application/merge-patch+json"), 415, "not supported", "Content-Type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := problem(t, h.do(tokA, "POST", api.RoutePlans, tc.body, tc.hdr...), tc.status)
			if !strings.Contains(p.Detail, tc.detail) {
				t.Fatalf("detail %q does not contain %q", p.Detail, tc.detail)
			}
			if tc.field != "" && !hasFieldError(p, tc.field, "") {
				t.Fatalf("errors %+v do not name %s", p.Errors, tc.field)
			}
		})
	}
	if n := h.s.Counts("org-a")["plans"]; n != 0 {
		t.Fatalf("%d plans stored from rejected bodies", n)
	}
	// What a client should send is accepted, charset included; a literal or
	// escaped U+FFFD is a legitimate character.
	h.must(201, tokA, "POST", api.RoutePlans, ok, nil, ct("application/json; charset=UTF-8")...)
	h.must(201, tokA, "POST", api.RoutePlans, `{"tier":"standard","region":"us-east"}`+"\n", nil)
	var ws api.Workspace
	p := h.plan(tokA, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	h.must(201, tokA, "POST", api.RouteWorkspaces, `{"name":"A \ufffd �","subdomain":"fffd","plan_id":"`+p.ID+`"}`, &ws)
	if ws.Name != "A \ufffd \ufffd" {
		t.Fatalf("name %q", ws.Name)
	}
}

// Nested documents are checked at every level their type describes.
func TestStrictBodiesNested(t *testing.T) {
	h := newHarness(t)
	p := problem(t, h.do(tokAdmin, "PUT", api.RouteAdminProvisioning, `{"premium":{"MODE":"manual"}}`), 400)
	if !hasFieldError(p, "premium.MODE", "unknown_field") || !strings.Contains(p.Detail, `did you mean "mode"`) {
		t.Fatalf("%+v", p)
	}
	p = problem(t, h.do(tokAdmin, "PUT", api.RouteAdminProvisioning, `{"premium":{"mode":"manual","mode":"immediate"}}`), 400)
	if !hasFieldError(p, "premium.mode", "duplicate") {
		t.Fatalf("%+v", p)
	}
	p = problem(t, h.do(tokAdmin, "PUT", api.RouteAdminFaults, `{"Error_Rate":1}`), 400)
	if !hasFieldError(p, "Error_Rate", "unknown_field") {
		t.Fatalf("%+v", p)
	}
	if f := h.s.faults.get(); f.ErrorRate != 0 {
		t.Fatalf("faults changed: %+v", f)
	}
	// A duration may still be a string or a number (json.RawMessage is not described further).
	h.must(200, tokAdmin, "PUT", api.RouteAdminFaults, `{"latency":"0s"}`, nil)
	h.must(200, tokAdmin, "PUT", api.RouteAdminProvisioning, `{"premium":{"mode":"delayed","delay":250}}`, nil)
}

// Every route that takes a body applies the same checks before its handler
// runs, admin routes included, whatever the path's IDs.
func TestStrictBodiesEveryRoute(t *testing.T) {
	h := newHarness(t)
	type rt struct{ tok, method, pattern string }
	var routes []rt
	for _, r := range h.s.v1Routes() {
		routes = append(routes, rt{tokA, r.method, r.pattern})
	}
	for _, r := range h.s.adminRoutes() {
		routes = append(routes, rt{tokAdmin, r.method, r.pattern})
	}
	bad := []struct {
		body, ctype string
		status      int
		detail      string
	}{
		{`{}]`, "application/json", 400, "after the JSON object"},
		{`{"a":1,"a":1}`, "application/json", 400, "duplicate key"},
		{"{\"a\":\"\xc3\"}", "application/json", 400, "UTF-8"},
		{strings.Repeat("[", 30000), "application/json", 400, "expected a JSON object"},
		{`{"a":` + strings.Repeat("[", 30000), "application/json", 400, "deeper than"},
		{`{}`, "text/plain", 415, "application/json"},
	}
	n := 0
	for _, r := range routes {
		if r.method != http.MethodPost && r.method != http.MethodPatch && r.method != http.MethodPut && r.method != http.MethodDelete {
			continue
		}
		n++
		u := strings.NewReplacer("{workspace_id}", "ws-x", "{plan_id}", "pln-x", "{domain_id}", "dom-x", "{rule_id}", "fw-x", "{ip_id}", "ip-x").Replace(r.pattern)
		for _, b := range bad {
			p := problem(t, h.do(r.tok, r.method, u, b.body, "Content-Type", b.ctype), b.status)
			if !strings.Contains(p.Detail, b.detail) {
				t.Errorf("%s %s with %.20q: detail %q does not contain %q", r.method, r.pattern, b.body, p.Detail, b.detail)
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d routes with bodies", n)
	}
}

// POST .../admin-tokens ignored its body: any bytes minted a token. It takes
// no fields now: an empty body or {}.
func TestAdminTokenBody(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "tokens")
	route := path(api.RouteAdminTokens, ws.ID)
	for name, body := range map[string]string{
		"garbage":        "garbage",
		"nested arrays":  strings.Repeat("[", 30000) + strings.Repeat("]", 30000),
		"invalid UTF-8":  "{\"x\":\"\xff\"}",
		"huge number":    `1e38`,
		"unknown field":  `{"ttl":1e38}`,
		"trailing":       `{}]`,
		"array of empty": `[{}]`,
	} {
		r := h.do(tokA, "POST", route, body)
		if r.Code != 400 {
			t.Errorf("%s: got %d, want 400: %s", name, r.Code, r.Body)
			continue
		}
		problem(t, r, 400)
	}
	var tok api.AdminToken
	h.must(201, tokA, "POST", route, nil, &tok)
	h.must(201, tokA, "POST", route, `{}`, &tok)
	if tok.Token == "" {
		t.Fatal("no token")
	}
	// The admin API's body-less actions are just as strict.
	p := problem(t, h.do(tokAdmin, "POST", api.RouteAdminApproveAll, `{"all":true}`), 400)
	if !hasFieldError(p, "all", "unknown_field") {
		t.Fatalf("%+v", p)
	}
	h.must(200, tokAdmin, "POST", api.RouteAdminApproveAll, `{}`, nil)
}
