package emulator

import (
	"net/http"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// TestTenantIsolation: org B's token gets 404 on every /v1 route that names
// one of org A's objects, exactly as if it were absent, and changes nothing.
func TestTenantIsolation(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.DomainVerifyDelay = 0 })
	p, ws := h.tierWorkspace(tokA, catalog.Dedicated, "tenant-a")
	var dom api.Domain
	h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "chat.a.example"}, &dom)
	var fw api.FirewallRule
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID),
		api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", PortRange: "443", Priority: 10}, &fw)
	var ip api.StaticIP
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, &ip)
	var exp api.Export
	h.must(202, tokA, "POST", path(api.RouteExports, ws.ID), api.ExportInput{}, &exp)
	// Org B has its own workspace, so a mismatched parent is also checked.
	_, wsB := h.tierWorkspace(tokB, catalog.Dedicated, "tenant-b")

	planBody := api.PlanInput{Tier: "dedicated", Region: "us-east"}
	wsBody := api.WorkspaceInput{Name: "x"}
	fwBody := api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "deny", Protocol: "any", Priority: 20}
	ipBody := api.StaticIPInput{Purpose: "outbound", Description: "x"}
	cases := []struct {
		method, path string
		body         any
	}{
		{"GET", path(api.RoutePlan, p.ID), nil},
		{"PATCH", path(api.RoutePlan, p.ID), planBody},
		{"DELETE", path(api.RoutePlan, p.ID), nil},
		{"GET", path(api.RouteWorkspace, ws.ID), nil},
		{"PATCH", path(api.RouteWorkspace, ws.ID), wsBody},
		{"DELETE", path(api.RouteWorkspace, ws.ID), nil},
		{"GET", path(api.RouteDomains, ws.ID), nil},
		{"POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "other.b.example"}},
		{"GET", path(api.RouteDomain, ws.ID, dom.ID), nil},
		{"DELETE", path(api.RouteDomain, ws.ID, dom.ID), nil},
		{"GET", path(api.RouteDomain, wsB.ID, dom.ID), nil},
		{"DELETE", path(api.RouteDomain, wsB.ID, dom.ID), nil},
		{"GET", path(api.RouteFirewallRules, ws.ID), nil},
		{"POST", path(api.RouteFirewallRules, ws.ID), fwBody},
		{"PUT", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleSetInput{Rules: []api.FirewallRuleInput{}}},
		{"DELETE", path(api.RouteFirewallRules, ws.ID), nil},
		{"GET", path(api.RouteFirewallRule, ws.ID, fw.ID), nil},
		{"PATCH", path(api.RouteFirewallRule, ws.ID, fw.ID), fwBody},
		{"DELETE", path(api.RouteFirewallRule, ws.ID, fw.ID), nil},
		{"GET", path(api.RouteFirewallRule, wsB.ID, fw.ID), nil},
		{"PATCH", path(api.RouteFirewallRule, wsB.ID, fw.ID), fwBody},
		{"DELETE", path(api.RouteFirewallRule, wsB.ID, fw.ID), nil},
		{"GET", path(api.RouteStaticIPs, ws.ID), nil},
		{"POST", path(api.RouteStaticIPs, ws.ID), ipBody},
		{"GET", path(api.RouteStaticIP, ws.ID, ip.ID), nil},
		{"PATCH", path(api.RouteStaticIP, ws.ID, ip.ID), ipBody},
		{"DELETE", path(api.RouteStaticIP, ws.ID, ip.ID), nil},
		{"GET", path(api.RouteStaticIP, wsB.ID, ip.ID), nil},
		{"PATCH", path(api.RouteStaticIP, wsB.ID, ip.ID), ipBody},
		{"DELETE", path(api.RouteStaticIP, wsB.ID, ip.ID), nil},
		{"POST", path(api.RouteAdminTokens, ws.ID), nil},
		{"POST", path(api.RouteExports, ws.ID), api.ExportInput{}},
		{"GET", path(api.RouteExport, ws.ID, exp.ID), nil},
		{"GET", path(api.RouteExport, wsB.ID, exp.ID), nil},
		{"POST", path(api.RouteDomainVerify, ws.ID, dom.ID), nil},
		{"POST", path(api.RouteDomainVerify, wsB.ID, dom.ID), nil},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := h.do(tokB, tc.method, tc.path, tc.body)
			problem(t, r, http.StatusNotFound)
			req, _ := http.NewRequest(tc.method, tc.path, nil)
			_, pattern := h.s.mux.Handler(req)
			covered[pattern] = true
		})
	}
	// Every /v1 route with an ID in its path is covered.
	for _, rt := range h.s.Routes() {
		if rt == "GET "+api.RoutePlans || rt == "POST "+api.RoutePlans || rt == "GET "+api.RouteWorkspaces || rt == "POST "+api.RouteWorkspaces {
			continue
		}
		if !covered[rt] {
			t.Errorf("route %s not covered by the isolation table", rt)
		}
	}
	// Org B's create on A's plan ID is "unknown plan" (422), not a leak.
	pp := problem(t, h.do(tokB, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "x", Subdomain: "steal", PlanID: p.ID}), 422)
	if !hasFieldError(pp, "plan_id", "unknown_plan") {
		t.Fatalf("%+v", pp.Errors)
	}
	want := map[string]int{"plans": 1, "workspaces": 1, "domains": 1, "firewall_rules": 1, "static_ips": 1}
	for k, v := range want {
		if got := h.s.Counts("org-a")[k]; got != v {
			t.Errorf("org A has %d %s after org B's attempts, want %d", got, k, v)
		}
	}
}
