package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// populateOrg writes n objects of the organization straight to the store
// (batched store writes, as a seed or snapshot restore makes): n/4 dedicated
// plans, each with a workspace, and one firewall rule and one custom domain
// per workspace, usage counters set. The index picks them up from the writes.
// Object i of a kind has ID <prefix>-<org>-<i>; workspace i has subdomain
// <org>-<i> and its domain hostname chat<i>.<org>.example.
func populateOrg(tb testing.TB, s *Server, org string, n int) {
	tb.Helper()
	base := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	// Each kind's record is encoded once with placeholders, then copied with
	// the object's number and creation time in: 100,000 objects take a
	// fraction of the time that encoding each would.
	const num, stamp = "@N@", "2029-01-01T00:00:00.999999999Z"
	ts, err := base.Add(999_999_999).MarshalJSON()
	if err != nil || string(ts) != `"`+stamp+`"` {
		tb.Fatalf("timestamp placeholder: %s %v", ts, err)
	}
	planID, wsID, ruleID, domID := "pln-"+org+"-"+num, "ws-"+org+"-"+num, "fw-"+org+"-"+num, "dom-"+org+"-"+num
	at := base.Add(999_999_999)
	protos := []struct {
		kind, id string
		rec      any
	}{
		{store.KindPlans, planID, store.PlanRec{Org: org, Plan: api.Plan{ID: planID, PlanInput: api.PlanInput{Tier: "dedicated", Region: catalog.DefaultRegion},
			Status: api.StatusActive, WorkspaceID: wsID, CreatedAt: at, UpdatedAt: at}}},
		{store.KindWorkspaces, wsID, store.WorkspaceRec{Org: org, Workspace: api.Workspace{ID: wsID, Name: "bulk", Subdomain: org + "-" + num,
			PlanID: planID, Tier: "dedicated", Region: catalog.DefaultRegion, CreatedAt: at,
			Usage: api.WorkspaceUsage{CustomDomains: 1, FirewallRules: 1}}}},
		{store.KindFirewallRules, ruleID, store.FirewallRec{Org: org, FirewallRule: api.FirewallRule{ID: ruleID, WorkspaceID: wsID,
			FirewallRuleInput: api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}, CreatedAt: at}}},
		{store.KindDomains, domID, store.DomainRec{Org: org, Domain: api.Domain{ID: domID, WorkspaceID: wsID,
			Hostname: "chat" + num + "." + org + ".example", CreatedAt: at}}},
	}
	tmpl := make([][]byte, len(protos))
	for k, p := range protos {
		if tmpl[k], err = marshal(p.rec); err != nil {
			tb.Fatal(err)
		}
	}
	var ops []store.Op
	for i := 0; i < n/4; i++ {
		nr := strconv.Itoa(i)
		t, _ := base.Add(time.Duration(i) * time.Microsecond).MarshalJSON()
		for k, p := range protos {
			v := bytes.ReplaceAll(bytes.ReplaceAll(tmpl[k], []byte(num), []byte(nr)), []byte(`"`+stamp+`"`), t)
			ops = append(ops, store.Op{Kind: p.kind, ID: strings.ReplaceAll(p.id, num, nr), Value: v})
		}
		if len(ops) >= 20_000 || i == n/4-1 {
			if err := s.store.Apply(ops); err != nil {
				tb.Fatal(err)
			}
			ops = ops[:0]
		}
	}
}

// tenantStep is one request of organization A's walk over every /v1 route.
type tenantStep struct {
	name            string
	method, pattern string
	ids             func(*tenantWalk) []string // the pattern's IDs
	body            any
	headers         []string
	status          int
	into            func(w *tenantWalk, body []byte) error // keeps an ID from the answer
}

// tenantWalk holds the IDs A's walk creates.
type tenantWalk struct {
	plan, spare, ws, rule, domain, ip, export string
}

// tenantCost is what one request cost: records decoded and index entries visited.
type tenantCost struct{ decoded, visited int64 }

// keepID decodes the answer's "id" into the walk field set picks.
func keepID(set func(*tenantWalk) *string) func(*tenantWalk, []byte) error {
	return func(w *tenantWalk, body []byte) error {
		var v struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(body, &v); err != nil || v.ID == "" {
			return fmt.Errorf("no id in %s (%v)", body, err)
		}
		*set(w) = v.ID
		return nil
	}
}

// tenantSteps: organization A creates, reads, lists, updates and deletes one
// object of every kind through every /v1 route, including the uniqueness
// checks that span organizations (a subdomain or hostname B holds) and a keyed
// create. B's first workspace has subdomain org-b-0 and a domain
// chat0.org-b.example (populateOrg).
func tenantSteps() []tenantStep {
	none := func(*tenantWalk) []string { return nil }
	ws := func(w *tenantWalk) []string { return []string{w.ws} }
	rule := func(w *tenantWalk) []string { return []string{w.ws, w.rule} }
	domain := func(w *tenantWalk) []string { return []string{w.ws, w.domain} }
	ip := func(w *tenantWalk) []string { return []string{w.ws, w.ip} }
	std := api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion}
	allow := api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}
	return []tenantStep{
		{"create plan", "POST", api.RoutePlans, none, api.PlanInput{Tier: "dedicated", Region: catalog.DefaultRegion}, nil, 201, keepID(func(w *tenantWalk) *string { return &w.plan })},
		{"create plan (keyed)", "POST", api.RoutePlans, none, std, []string{api.IdempotencyKeyHeader, "tenant-cost"}, 201, keepID(func(w *tenantWalk) *string { return &w.spare })},
		{"list plans", "GET", api.RoutePlans, none, nil, nil, 200, nil},
		{"read plan", "GET", api.RoutePlan, func(w *tenantWalk) []string { return []string{w.plan} }, nil, nil, 200, nil},
		{"update plan", "PATCH", api.RoutePlan, func(w *tenantWalk) []string { return []string{w.spare} }, api.PlanInput{Tier: "premium", Region: catalog.DefaultRegion}, nil, 200, nil},
		{"subdomain taken (B's)", "POST", api.RouteWorkspaces, none, func(w *tenantWalk) any {
			return api.WorkspaceInput{Name: "x", Subdomain: "org-b-0", PlanID: w.plan}
		}, nil, 409, nil},
		{"create workspace", "POST", api.RouteWorkspaces, none, func(w *tenantWalk) any {
			return api.WorkspaceInput{Name: "small", Subdomain: "small-tenant", PlanID: w.plan}
		}, nil, 201, keepID(func(w *tenantWalk) *string { return &w.ws })},
		{"list workspaces", "GET", api.RouteWorkspaces, none, nil, nil, 200, nil},
		{"read workspace", "GET", api.RouteWorkspace, ws, nil, nil, 200, nil},
		{"update workspace", "PATCH", api.RouteWorkspace, ws, map[string]any{"name": "renamed"}, nil, 200, nil},
		{"create rule", "POST", api.RouteFirewallRules, ws, allow, nil, 201, keepID(func(w *tenantWalk) *string { return &w.rule })},
		{"priority taken", "POST", api.RouteFirewallRules, ws, allow, nil, 409, nil},
		{"list rules", "GET", api.RouteFirewallRules, ws, nil, nil, 200, nil},
		{"read rule", "GET", api.RouteFirewallRule, rule, nil, nil, 200, nil},
		{"update rule", "PATCH", api.RouteFirewallRule, rule, api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "deny", Protocol: "tcp", Priority: 2}, nil, 200, nil},
		{"hostname taken (B's)", "POST", api.RouteDomains, ws, api.DomainInput{Hostname: "chat0.org-b.example"}, nil, 409, nil},
		{"create domain", "POST", api.RouteDomains, ws, api.DomainInput{Hostname: "chat.small.example"}, nil, 201, keepID(func(w *tenantWalk) *string { return &w.domain })},
		{"list domains", "GET", api.RouteDomains, ws, nil, nil, 200, nil},
		{"read domain", "GET", api.RouteDomain, domain, nil, nil, 200, nil},
		{"verify domain (no TXT record)", "POST", api.RouteDomainVerify, domain, nil, nil, 422, nil},
		{"allocate static IP", "POST", api.RouteStaticIPs, ws, api.StaticIPInput{Purpose: "outbound"}, nil, 201, keepID(func(w *tenantWalk) *string { return &w.ip })},
		{"list static IPs", "GET", api.RouteStaticIPs, ws, nil, nil, 200, nil},
		{"read static IP", "GET", api.RouteStaticIP, ip, nil, nil, 200, nil},
		{"update static IP", "PATCH", api.RouteStaticIP, ip, api.StaticIPInput{Purpose: "outbound", Description: "egress"}, nil, 200, nil},
		{"issue admin token", "POST", api.RouteAdminTokens, ws, nil, nil, 201, nil},
		{"request export", "POST", api.RouteExports, ws, nil, nil, 202, keepID(func(w *tenantWalk) *string { return &w.export })},
		{"read export", "GET", api.RouteExport, func(w *tenantWalk) []string { return []string{w.ws, w.export} }, nil, nil, 200, nil},
		{"delete static IP", "DELETE", api.RouteStaticIP, ip, nil, nil, 204, nil},
		{"delete domain", "DELETE", api.RouteDomain, domain, nil, nil, 204, nil},
		{"delete rule", "DELETE", api.RouteFirewallRule, rule, nil, nil, 204, nil},
		{"replace rule set", "PUT", api.RouteFirewallRules, ws, api.FirewallRuleSetInput{Rules: []api.FirewallRuleInput{
			allow, {CIDR: "10.2.0.0/16", Action: "deny", Protocol: "tcp", Priority: 3}}}, nil, 200, nil},
		{"release rule set", "DELETE", api.RouteFirewallRules, ws, nil, nil, 204, nil},
		{"delete workspace", "DELETE", api.RouteWorkspace, ws, nil, nil, 204, nil},
		{"delete plan", "DELETE", api.RoutePlan, func(w *tenantWalk) []string { return []string{w.spare} }, nil, nil, 204, nil},
	}
}

// walkTenant runs A's steps against h and returns what each cost.
func walkTenant(t *testing.T, h *harness) []tenantCost {
	t.Helper()
	var w tenantWalk
	var costs []tenantCost
	for _, st := range tenantSteps() {
		body := st.body
		if f, ok := body.(func(*tenantWalk) any); ok {
			body = f(&w)
		}
		decoded, visited := h.s.store.Decoded.Load(), h.s.store.Visited.Load()
		r := h.do(tokA, st.method, path(st.pattern, st.ids(&w)...), body, st.headers...)
		costs = append(costs, tenantCost{h.s.store.Decoded.Load() - decoded, h.s.store.Visited.Load() - visited})
		if r.Code != st.status {
			t.Fatalf("%s: got %d, want %d: %s", st.name, r.Code, st.status, r.Body)
		}
		if st.into != nil {
			if err := st.into(&w, r.Body); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
	}
	return costs
}

// One tenant's size never costs another: organization A's walk over every
// /v1 route (create, read, list, update, delete of every kind, the
// uniqueness checks that span organizations, a keyed create, the actions)
// decodes the same records and visits the same index entries, request by
// request, whether organization B holds 4 objects or 100,000. Any request
// that scanned B (its records or its index entries) would cost thousands more.
func TestTenantRequestsUseTheIndex(t *testing.T) {
	steps := tenantSteps()
	// Every /v1 route is walked, so a new route is measured too.
	walked := map[string]bool{}
	for _, st := range steps {
		walked[st.method+" "+st.pattern] = true
	}
	var costs [2][]tenantCost
	for i, n := range []int{4, 100_000} {
		h := newHarness(t)
		if i == 0 {
			for _, rt := range h.s.Routes() {
				if !walked[rt] {
					t.Errorf("route %s is not walked: add it to tenantSteps", rt)
				}
			}
		}
		populateOrg(t, h.s, "org-b", n)
		if got := h.s.store.Count(store.OrgGroup(store.KindPlans, "org-b")); got != n/4 {
			t.Fatalf("B holds %d plans, want %d", got, n/4)
		}
		// B's answers are stored too (more than one sweep's worth, none
		// expired), so a keyed create of A meets them in the sweep.
		for k := range 2 * sweepBatch {
			h.must(201, tokB, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion}, nil,
				api.IdempotencyKeyHeader, fmt.Sprintf("b-%d", k))
		}
		costs[i] = walkTenant(t, h)
		if i == 1 {
			// B's own lists page through its objects.
			var page api.List[api.Plan]
			h.must(http.StatusOK, tokB, "GET", api.RoutePlans+"?page_size=500", nil, &page)
			if len(page.Items) != 500 || page.NextCursor == "" {
				t.Fatalf("B's first page: %d items, cursor %q", len(page.Items), page.NextCursor)
			}
		}
	}
	for i, st := range steps {
		small, big := costs[0][i], costs[1][i]
		t.Logf("%-30s decoded %2d, index entries visited %2d", st.name, big.decoded, big.visited)
		if small != big {
			t.Errorf("%s: with B at 100,000 objects it decoded %d records and visited %d index entries; with B at 4, %d and %d",
				st.name, big.decoded, big.visited, small.decoded, small.visited)
		}
	}
}
