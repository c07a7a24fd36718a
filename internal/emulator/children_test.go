package emulator

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

func TestDomains(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.DomainVerifyDelay = 30 * time.Second })
	_, ws := h.tierWorkspace(tokA, catalog.Standard, "dom-ws")
	var d api.Domain
	h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "chat.example.com"}, &d)
	if !strings.HasPrefix(d.ID, "dom-") || d.Status != api.StatusPending || d.CertificateStatus != api.StatusPending ||
		d.VerificationRecord.Type != "TXT" || d.VerificationRecord.Name != "_rocketchat-challenge.chat.example.com" || d.VerificationRecord.Value == "" ||
		d.RoutingRecord != (api.DNSRecord{Type: "CNAME", Name: "chat.example.com", Value: "dom-ws.rocket.chat"}) {
		t.Fatalf("%+v", d)
	}
	h.clock.Advance(30 * time.Second)
	var got api.Domain
	h.must(200, tokA, "GET", path(api.RouteDomain, ws.ID, d.ID), nil, &got)
	if got.Status != api.StatusVerified || got.CertificateStatus != api.StatusIssued {
		t.Fatalf("after delay: %+v", got)
	}
	pp := problem(t, h.do(tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "https://x.example.com/"}), 422)
	if !hasFieldError(pp, "hostname", "format") {
		t.Fatalf("%+v", pp.Errors)
	}
	// Unique across organizations.
	_, wsB := h.tierWorkspace(tokB, catalog.Standard, "dom-ws-b")
	pp = problem(t, h.do(tokB, "POST", path(api.RouteDomains, wsB.ID), api.DomainInput{Hostname: "chat.example.com"}), 409)
	if !strings.Contains(pp.Detail, `"chat.example.com"`) || strings.Contains(pp.Detail, ws.ID) {
		t.Fatalf("detail %q", pp.Detail)
	}
	problem(t, h.do(tokA, "PATCH", path(api.RouteDomain, ws.ID, d.ID), `{"hostname":"a.example.com"}`), 405)
	var list api.List[api.Domain]
	h.must(200, tokA, "GET", path(api.RouteDomains, ws.ID), nil, &list)
	if len(list.Items) != 1 {
		t.Fatalf("%+v", list)
	}
	h.must(204, tokA, "DELETE", path(api.RouteDomain, ws.ID, d.ID), nil, nil)
	problem(t, h.do(tokA, "GET", path(api.RouteDomain, ws.ID, d.ID), nil), 404)
	h.must(201, tokB, "POST", path(api.RouteDomains, wsB.ID), api.DomainInput{Hostname: "chat.example.com"}, nil)
}

func TestDomainManualVerifyAndQuota(t *testing.T) {
	h := newHarness(t) // DomainVerifyDelay 0: only the admin verifies
	_, ws := h.tierWorkspace(tokA, catalog.Standard, "quota-ws")
	quota := catalog.Tiers[0].CustomDomainQuota
	var first api.Domain
	for i := 0; i < quota; i++ {
		h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: fmt.Sprintf("d%d.example.org", i)}, &first)
	}
	pp := problem(t, h.do(tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "extra.example.org"}), 422)
	if !hasFieldError(pp, "workspace_id", catalog.RuleTierQuota) {
		t.Fatalf("%+v", pp.Errors)
	}
	h.clock.Advance(1000 * time.Hour)
	var d api.Domain
	h.must(200, tokA, "GET", path(api.RouteDomain, ws.ID, first.ID), nil, &d)
	if d.Status != api.StatusPending {
		t.Fatalf("verified without the admin: %+v", d)
	}
	h.must(200, tokAdmin, "POST", path(api.RouteAdminVerifyDomain, first.ID), nil, &d)
	if d.Status != api.StatusVerified || d.CertificateStatus != api.StatusIssued {
		t.Fatalf("%+v", d)
	}
	problem(t, h.do(tokAdmin, "POST", path(api.RouteAdminVerifyDomain, "dom-nope"), nil), 404)
}

func TestFirewallRules(t *testing.T) {
	h := newHarness(t)
	_, std := h.tierWorkspace(tokA, catalog.Standard, "fw-std")
	rule := api.FirewallRuleInput{CIDR: "192.168.0.0/16", Action: "allow", Protocol: "tcp", PortRange: "443", Priority: 100}
	pp := problem(t, h.do(tokA, "POST", path(api.RouteFirewallRules, std.ID), rule), 422)
	if !hasFieldError(pp, "workspace_id", catalog.RuleTierFeature) {
		t.Fatalf("standard tier: %+v", pp.Errors)
	}
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "fw-prem")
	bad := api.FirewallRuleInput{CIDR: "10.1.2.3/8", Action: "maybe", Protocol: "icmp", PortRange: "80", Priority: 0}
	pp = problem(t, h.do(tokA, "POST", path(api.RouteFirewallRules, ws.ID), bad), 422)
	for _, f := range []string{"cidr", "action", "port_range", "priority"} {
		if !hasFieldError(pp, f, "") {
			t.Errorf("no error on %s: %+v", f, pp.Errors)
		}
	}
	var fw api.FirewallRule
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), rule, &fw)
	if !strings.HasPrefix(fw.ID, "fw-") || fw.FirewallRuleInput != rule || fw.WorkspaceID != ws.ID {
		t.Fatalf("%+v", fw)
	}
	pp = problem(t, h.do(tokA, "POST", path(api.RouteFirewallRules, ws.ID), rule), 409)
	if !hasFieldError(pp, "priority", "unique") || !strings.Contains(pp.Detail, "priority 100") {
		t.Fatalf("%+v", pp)
	}
	other := rule
	other.Priority = 200
	var fw2 api.FirewallRule
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), other, &fw2)
	other.Priority = 100
	problem(t, h.do(tokA, "PATCH", path(api.RouteFirewallRule, ws.ID, fw2.ID), other), 409)
	other.Priority = 200
	other.Description = "updated"
	var upd api.FirewallRule
	h.must(200, tokA, "PATCH", path(api.RouteFirewallRule, ws.ID, fw2.ID), other, &upd)
	if upd.Description != "updated" {
		t.Fatalf("%+v", upd)
	}
	// The same priority in another workspace is fine.
	_, ws2 := h.tierWorkspace(tokA, catalog.Premium, "fw-prem2")
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws2.ID), rule, nil)
	var list api.List[api.FirewallRule]
	h.must(200, tokA, "GET", path(api.RouteFirewallRules, ws.ID), nil, &list)
	if len(list.Items) != 2 {
		t.Fatalf("%+v", list)
	}
	h.must(204, tokA, "DELETE", path(api.RouteFirewallRule, ws.ID, fw.ID), nil, nil)
	problem(t, h.do(tokA, "GET", path(api.RouteFirewallRule, ws.ID, fw.ID), nil), 404)
}

func TestFirewallQuota(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "fw-quota")
	quota := catalog.Tiers[1].FirewallRuleQuota
	for i := 1; i <= quota; i++ {
		h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID),
			api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "any", Priority: int64(i)}, nil)
	}
	pp := problem(t, h.do(tokA, "POST", path(api.RouteFirewallRules, ws.ID),
		api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "any", Priority: 9999}), 422)
	if !hasFieldError(pp, "workspace_id", catalog.RuleTierQuota) {
		t.Fatalf("%+v", pp.Errors)
	}
}

func TestStaticIPs(t *testing.T) {
	h := newHarness(t)
	_, std := h.tierWorkspace(tokA, catalog.Standard, "ip-std")
	pp := problem(t, h.do(tokA, "POST", path(api.RouteStaticIPs, std.ID), api.StaticIPInput{Purpose: "outbound"}), 422)
	if !hasFieldError(pp, "workspace_id", catalog.RuleTierFeature) {
		t.Fatalf("%+v", pp.Errors)
	}
	_, prem := h.tierWorkspace(tokA, catalog.Premium, "ip-prem")
	_, ded := h.tierWorkspace(tokB, catalog.Dedicated, "ip-ded")
	pp = problem(t, h.do(tokA, "POST", path(api.RouteStaticIPs, prem.ID), api.StaticIPInput{Purpose: "inbound"}), 422)
	if !hasFieldError(pp, "purpose", catalog.RuleOneOf) {
		t.Fatalf("%+v", pp.Errors)
	}
	shared := SharedIPPools[0]
	seen := map[string]bool{}
	var premIPs []api.StaticIP
	for i := 0; i < catalog.Tiers[1].StaticIPQuota; i++ {
		var ip api.StaticIP
		h.must(201, tokA, "POST", path(api.RouteStaticIPs, prem.ID), api.StaticIPInput{Purpose: "outbound"}, &ip)
		a := netip.MustParseAddr(ip.Address)
		if !shared.Contains(a) || ip.Dedicated || seen[ip.Address] || a == shared.Addr() {
			t.Fatalf("premium address %+v", ip)
		}
		seen[ip.Address] = true
		premIPs = append(premIPs, ip)
	}
	pp = problem(t, h.do(tokA, "POST", path(api.RouteStaticIPs, prem.ID), api.StaticIPInput{Purpose: "outbound"}), 422)
	if !hasFieldError(pp, "workspace_id", catalog.RuleTierQuota) {
		t.Fatalf("%+v", pp.Errors)
	}
	var dip api.StaticIP
	h.must(201, tokB, "POST", path(api.RouteStaticIPs, ded.ID), api.StaticIPInput{Purpose: "load_balancer", Description: "lb"}, &dip)
	if !inPools(DedicatedIPPools, dip.Address) || !dip.Dedicated || seen[dip.Address] {
		t.Fatalf("dedicated address %+v", dip)
	}
	// PATCH: description only.
	pp = problem(t, h.do(tokB, "PATCH", path(api.RouteStaticIP, ded.ID, dip.ID), api.StaticIPInput{Purpose: "outbound"}), 422)
	if !hasFieldError(pp, "purpose", catalog.RuleImmutable) {
		t.Fatalf("%+v", pp.Errors)
	}
	var upd api.StaticIP
	h.must(200, tokB, "PATCH", path(api.RouteStaticIP, ded.ID, dip.ID), `{"description":"new"}`, &upd)
	if upd.Description != "new" || upd.Address != dip.Address || upd.Purpose != "load_balancer" {
		t.Fatalf("%+v", upd)
	}
	// Release: the address is free again, and the quota has room.
	h.must(204, tokA, "DELETE", path(api.RouteStaticIP, prem.ID, premIPs[1].ID), nil, nil)
	if _, held := h.s.store.Holder(store.UniqueKey("address", premIPs[1].Address)); held {
		t.Fatalf("released %s is still held", premIPs[1].Address)
	}
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, prem.ID), api.StaticIPInput{Purpose: "outbound"}, nil)
}
