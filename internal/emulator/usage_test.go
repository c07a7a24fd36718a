package emulator

import (
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// A workspace's usage counts follow its children, so a client checks the
// tier's quotas with the single read it makes of the workspace.
func TestWorkspaceUsageFollowsChildren(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "usage")
	usage := func() api.WorkspaceUsage {
		var w api.Workspace
		h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
		return w.Usage
	}
	var d api.Domain
	var r api.FirewallRule
	var ip api.StaticIP
	h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "chat.usage.example"}, &d)
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}, &r)
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "deny", Protocol: "any", Priority: 2}, nil)
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, &ip)
	// A rejected request counts nothing.
	h.do(tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.1/8", Action: "allow", Protocol: "tcp", Priority: 3})
	if got, want := usage(), (api.WorkspaceUsage{CustomDomains: 1, FirewallRules: 2, StaticIPs: 1}); got != want {
		t.Fatalf("usage after creates = %+v, want %+v", got, want)
	}
	h.must(204, tokA, "DELETE", path(api.RouteDomain, ws.ID, d.ID), nil, nil)
	h.must(204, tokA, "DELETE", path(api.RouteFirewallRule, ws.ID, r.ID), nil, nil)
	h.must(204, tokA, "DELETE", path(api.RouteStaticIP, ws.ID, ip.ID), nil, nil)
	if got, want := usage(), (api.WorkspaceUsage{FirewallRules: 1}); got != want {
		t.Fatalf("usage after deletes = %+v, want %+v", got, want)
	}
}
