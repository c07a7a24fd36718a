package emulator

import (
	"path/filepath"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// TestRestartPersistence creates objects, closes the server, opens a new one
// on the same file, and reads everything back.
func TestRestartPersistence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "emu.db")
	cfg := func(c *Config) {
		c.DataFile = file
		c.Provisioning = map[catalog.Tier]ProvisioningConfig{catalog.Dedicated: {Mode: catalog.ProvisionManual}}
	}
	h := newHarness(t, cfg)
	p, ws := h.tierWorkspace(tokA, catalog.Dedicated, "persist")
	var d api.Domain
	h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "p.example.net"}, &d)
	var fw api.FirewallRule
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "::/0", Action: "deny", Protocol: "any", Priority: 5}, &fw)
	var ip api.StaticIP
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, &ip)
	before := h.s.Counts("org-a")
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := h.s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	h2 := newHarness(t, cfg)
	after := h2.s.Counts("org-a")
	for k, v := range before {
		if after[k] != v || v != 1 {
			t.Errorf("%s: %d before, %d after", k, v, after[k])
		}
	}
	var w api.Workspace
	h2.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
	if w.Status != api.StatusPending || w.PlanID != p.ID {
		t.Fatalf("%+v", w)
	}
	h2.must(200, tokA, "GET", path(api.RouteDomain, ws.ID, d.ID), nil, nil)
	h2.must(200, tokA, "GET", path(api.RouteFirewallRule, ws.ID, fw.ID), nil, nil)
	var ip2 api.StaticIP
	h2.must(200, tokA, "GET", path(api.RouteStaticIP, ws.ID, ip.ID), nil, &ip2)
	if ip2 != ip {
		t.Fatalf("%+v != %+v", ip2, ip)
	}
	if h2.s.ApproveAll() != 1 {
		t.Fatal("pending approval lost")
	}
	problem(t, h2.do(tokA, "DELETE", path(api.RoutePlan, p.ID), nil), 409)
}
