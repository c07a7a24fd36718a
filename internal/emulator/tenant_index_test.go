package emulator

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// populateOrg writes n objects of the organization straight to the store
// (batched, as a seed or snapshot restore would): n/4 dedicated plans, each
// with a workspace, and one firewall rule and one custom domain per
// workspace, usage counters set. The index picks them up from the writes.
func populateOrg(tb testing.TB, s *Server, org string, n int) {
	tb.Helper()
	base := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	q := &request{now: base}
	flush := func() {
		if err := s.commit(q); err != nil {
			tb.Fatal(err)
		}
		q.ops = q.ops[:0]
	}
	for i := 0; i < n/4; i++ {
		at := base.Add(time.Duration(i) * time.Microsecond)
		planID, wsID := fmt.Sprintf("pln-%s-%d", org, i), fmt.Sprintf("ws-%s-%d", org, i)
		put := func(kind, id string, v any) {
			if err := q.put(kind, id, v); err != nil {
				tb.Fatal(err)
			}
		}
		put(store.KindPlans, planID, store.PlanRec{Org: org, Plan: api.Plan{ID: planID, PlanInput: api.PlanInput{Tier: "dedicated", Region: catalog.DefaultRegion},
			Status: api.StatusActive, WorkspaceID: wsID, CreatedAt: at, UpdatedAt: at}})
		put(store.KindWorkspaces, wsID, store.WorkspaceRec{Org: org, Workspace: api.Workspace{ID: wsID, Name: "bulk", Subdomain: fmt.Sprintf("%s-%d", org, i),
			PlanID: planID, Tier: "dedicated", Region: catalog.DefaultRegion, CreatedAt: at,
			Usage: api.WorkspaceUsage{CustomDomains: 1, FirewallRules: 1}}})
		ruleID, domID := fmt.Sprintf("fw-%s-%d", org, i), fmt.Sprintf("dom-%s-%d", org, i)
		put(store.KindFirewallRules, ruleID, store.FirewallRec{Org: org, FirewallRule: api.FirewallRule{ID: ruleID, WorkspaceID: wsID,
			FirewallRuleInput: api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}, CreatedAt: at}})
		put(store.KindDomains, domID, store.DomainRec{Org: org, Domain: api.Domain{ID: domID, WorkspaceID: wsID,
			Hostname: fmt.Sprintf("chat%d.%s.example", i, org), CreatedAt: at}})
		if len(q.ops) >= 20_000 {
			flush()
		}
	}
	flush()
}

// Organization A's requests decode what A holds, not what the store holds:
// with B at 4,000 objects, each of A's lists, creates and uniqueness checks
// decodes a handful of records (a scan would decode thousands).
func TestTenantRequestsUseTheIndex(t *testing.T) {
	h := newHarness(t)
	populateOrg(t, h.s, "org-b", 4000)
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "small-tenant")
	free := h.plan(tokA, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	const most = 8
	for _, c := range []struct {
		name         string
		method, path string
		body         any
		status       int
	}{
		{"list plans", "GET", api.RoutePlans, nil, 200},
		{"list workspaces", "GET", api.RouteWorkspaces, nil, 200},
		{"list rules", "GET", path(api.RouteFirewallRules, ws.ID), nil, 200},
		{"list domains", "GET", path(api.RouteDomains, ws.ID), nil, 200},
		{"list static IPs", "GET", path(api.RouteStaticIPs, ws.ID), nil, 200},
		{"create plan", "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion}, 201},
		{"subdomain taken (B's)", "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "x", Subdomain: "org-b-17", PlanID: free.ID}, 409},
		{"create rule", "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}, 201},
		{"priority taken", "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "deny", Protocol: "tcp", Priority: 1}, 409},
		{"hostname taken (B's)", "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "chat5.org-b.example"}, 409},
		{"create domain", "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "chat.small.example"}, 201},
		{"allocate static IP", "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, 201},
		{"delete workspace", "DELETE", path(api.RouteWorkspace, ws.ID), nil, 204},
	} {
		before := h.s.store.Decoded.Load()
		r := h.do(tokA, c.method, c.path, c.body)
		if r.Code != c.status {
			t.Fatalf("%s: %s", c.name, r)
		}
		if n := h.s.store.Decoded.Load() - before; n > most {
			t.Errorf("%s decoded %d records with B holding 4000 objects; want at most %d", c.name, n, most)
		}
	}
	// B's objects are all there, and B's own lists page through them.
	var page api.List[api.Plan]
	h.must(http.StatusOK, tokB, "GET", api.RoutePlans+"?page_size=500", nil, &page)
	if len(page.Items) != 500 || page.NextCursor == "" {
		t.Fatalf("B's first page: %d items, cursor %q", len(page.Items), page.NextCursor)
	}
}
