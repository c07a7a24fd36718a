package emulator

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func rule(priority int64, cidr string) api.FirewallRuleInput {
	return api.FirewallRuleInput{CIDR: cidr, Action: "allow", Protocol: "tcp", PortRange: "443", Priority: priority}
}

func ruleSet(rules ...api.FirewallRuleInput) api.FirewallRuleSetInput {
	return api.FirewallRuleSetInput{Rules: append([]api.FirewallRuleInput{}, rules...)}
}

// listRules lists a workspace of org-a's rules in one page and returns them with the ETag.
func (h *harness) listRules(wsID string) ([]api.FirewallRule, string) {
	h.t.Helper()
	return h.listRulesAs(tokA, wsID)
}

func (h *harness) listRulesAs(token, wsID string) ([]api.FirewallRule, string) {
	h.t.Helper()
	var l api.List[api.FirewallRule]
	r := h.must(200, token, "GET", path(api.RouteFirewallRules, wsID)+"?page_size=1000", nil, &l)
	return l.Items, r.Header.Get(api.ETagHeader)
}

// A replace makes the rules exactly the body's in one change: a kept rule
// keeps its ID, a changed one keeps its ID, a missing one is deleted, a new
// one created; the answer and the listing carry the same new ETag.
func TestReplaceFirewallRules(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "set-basic")
	var a, b, c api.FirewallRule
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), rule(100, "10.0.0.0/8"), &a)
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), rule(200, "10.1.0.0/16"), &b)
	created := h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), rule(300, "10.2.0.0/16"), &c)
	if created.Header.Get(api.ETagHeader) != `"3"` {
		t.Fatalf("ETag after three creates %q, want \"3\"", created.Header.Get(api.ETagHeader))
	}
	_, etag := h.listRules(ws.ID)
	if etag != `"3"` {
		t.Fatalf("listing ETag %q", etag)
	}

	changed := rule(200, "10.9.0.0/16")
	var set api.FirewallRuleSet
	r := h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID),
		ruleSet(rule(400, "192.0.2.0/24"), changed, rule(100, "10.0.0.0/8")), &set, api.IfMatchHeader, etag)
	if got := r.Header.Get(api.ETagHeader); got != `"4"` || set.Version != "4" || !set.Exclusive {
		t.Fatalf("after replace: ETag %q, body %+v", got, set)
	}
	if len(set.Items) != 3 || set.Items[0].Priority != 100 || set.Items[1].Priority != 200 || set.Items[2].Priority != 400 {
		t.Fatalf("answer not by priority: %+v", set.Items)
	}
	if set.Items[0].ID != a.ID || set.Items[0].CreatedAt != a.CreatedAt {
		t.Errorf("unchanged rule got a new identity: %+v, was %+v", set.Items[0], a)
	}
	if set.Items[1].ID != b.ID || set.Items[1].CIDR != "10.9.0.0/16" {
		t.Errorf("changed rule: %+v, want ID %s", set.Items[1], b.ID)
	}
	h.must(404, tokA, "GET", path(api.RouteFirewallRule, ws.ID, c.ID), nil, nil)
	items, etag := h.listRules(ws.ID)
	if len(items) != 3 || etag != `"4"` {
		t.Fatalf("listing after replace: %d rules, ETag %q", len(items), etag)
	}
	var got api.Workspace
	h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &got)
	if got.Usage.FirewallRules != 3 || !got.FirewallRulesExclusive || got.FirewallRulesVersion != 4 {
		t.Fatalf("workspace after replace: usage %+v exclusive %v version %d", got.Usage, got.FirewallRulesExclusive, got.FirewallRulesVersion)
	}

	// The same set again changes nothing: same version, nothing written.
	before := h.s.store.Count("firewall_rules|ws|" + ws.ID)
	r = h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID),
		ruleSet(rule(400, "192.0.2.0/24"), changed, rule(100, "10.0.0.0/8")), &set, api.IfMatchHeader, `"4"`)
	if r.Header.Get(api.ETagHeader) != `"4"` || h.s.store.Count("firewall_rules|ws|"+ws.ID) != before {
		t.Fatalf("a no-op replace changed the version to %s", r.Header.Get(api.ETagHeader))
	}
}

// A stale If-Match is a 412 naming both versions, and changes nothing;
// single-rule writes bump the version too.
func TestReplaceFirewallRulesStaleVersion(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "set-stale")
	var fw api.FirewallRule
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), rule(100, "10.0.0.0/8"), &fw)
	_, etag := h.listRules(ws.ID) // "1"
	upd := h.must(200, tokA, "PATCH", path(api.RouteFirewallRule, ws.ID, fw.ID), rule(100, "10.0.0.0/9"), nil)
	if upd.Header.Get(api.ETagHeader) != `"2"` {
		t.Fatalf("PATCH ETag %q, want \"2\"", upd.Header.Get(api.ETagHeader))
	}
	r := h.do(tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(), api.IfMatchHeader, etag)
	p := problem(t, r, http.StatusPreconditionFailed)
	if !hasFieldError(p, api.IfMatchHeader, "version") || !strings.Contains(p.Detail, `version "2", not "1"`) {
		t.Fatalf("412 does not name both versions: %+v", p)
	}
	if r.Header.Get(api.ETagHeader) != `"2"` {
		t.Fatalf("412 ETag %q", r.Header.Get(api.ETagHeader))
	}
	items, _ := h.listRules(ws.ID)
	if len(items) != 1 || items[0].CIDR != "10.0.0.0/9" {
		t.Fatalf("a refused replace changed the rules: %+v", items)
	}
	// Single-rule writes honour If-Match as well; * and a list match.
	problem(t, h.do(tokA, "DELETE", path(api.RouteFirewallRule, ws.ID, fw.ID), nil, api.IfMatchHeader, `"1"`), 412)
	problem(t, h.do(tokA, "DELETE", path(api.RouteFirewallRule, ws.ID, fw.ID), nil, api.IfMatchHeader, `W/"2"`), 412)
	for _, bad := range []string{`2`, `"2`, `*, "2"`, `"a b"`} {
		p := problem(t, h.do(tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(), api.IfMatchHeader, bad), 400)
		if !hasFieldError(p, api.IfMatchHeader, "format") {
			t.Errorf("If-Match %s: %+v", bad, p)
		}
	}
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(rule(5, "10.0.0.0/8")), nil, api.IfMatchHeader, `"1", "2"`)
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(rule(6, "10.0.0.0/8")), nil, api.IfMatchHeader, `*`)
}

// Every violation of a set is answered at once, each naming its rule by
// index and field, and nothing changes.
func TestReplaceFirewallRulesAllErrors(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "set-errors")
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(rule(1, "10.0.0.0/8")), nil)
	bad := ruleSet(
		rule(10, "10.0.0.1/8"), // host bits
		api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "permit", Protocol: "icmp", PortRange: "22", Priority: 20},
		rule(10, "192.0.2.0/24"), // duplicate priority
		rule(0, "192.0.2.0/24"),  // out of range
	)
	p := problem(t, h.do(tokA, "PUT", path(api.RouteFirewallRules, ws.ID), bad), 422)
	for _, want := range []struct{ field, rule string }{
		{"rules[0].cidr", "canonical"}, {"rules[1].action", catalog.RuleOneOf}, {"rules[1].port_range", "format"},
		{"rules[2].priority", "unique"}, {"rules[3].priority", catalog.RuleRange},
	} {
		if !hasFieldError(p, want.field, want.rule) {
			t.Errorf("no %s error on %s in %+v", want.rule, want.field, p.Errors)
		}
	}
	if len(p.Errors) != 5 {
		t.Errorf("%d errors, want 5: %+v", len(p.Errors), p.Errors)
	}
	items, etag := h.listRules(ws.ID)
	if len(items) != 1 || etag != `"1"` {
		t.Fatalf("a refused replace changed something: %+v %s", items, etag)
	}
	// A body without rules is not an empty set.
	p = problem(t, h.do(tokA, "PUT", path(api.RouteFirewallRules, ws.ID), map[string]any{}), 422)
	if !hasFieldError(p, "rules", "required") {
		t.Fatalf("%+v", p)
	}
	problem(t, h.do(tokA, "PUT", path(api.RouteFirewallRules, ws.ID), `{"rules":[],"extra":1}`), 400)
}

// The tier gate and the tier's quota apply to the set as a whole.
func TestReplaceFirewallRulesTierRules(t *testing.T) {
	h := newHarness(t)
	_, std := h.tierWorkspace(tokA, catalog.Standard, "set-standard")
	p := problem(t, h.do(tokA, "PUT", path(api.RouteFirewallRules, std.ID), ruleSet(rule(1, "10.0.0.0/8"))), 422)
	if !hasFieldError(p, "workspace_id", catalog.RuleTierFeature) {
		t.Fatalf("%+v", p)
	}
	// An empty set asks for nothing the tier gates.
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, std.ID), ruleSet(), nil)

	_, prem := h.tierWorkspace(tokA, catalog.Premium, "set-quota")
	quota := catalog.Tiers[1].FirewallRuleQuota
	rules := make([]api.FirewallRuleInput, quota+1)
	for i := range rules {
		rules[i] = rule(int64(i+1), fmt.Sprintf("10.%d.%d.0/24", i/256, i%256))
	}
	p = problem(t, h.do(tokA, "PUT", path(api.RouteFirewallRules, prem.ID), ruleSet(rules...)), 422)
	if !hasFieldError(p, "rules", catalog.RuleTierQuota) || len(p.Errors) != 1 {
		t.Fatalf("%+v", p.Errors)
	}
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, prem.ID), ruleSet(rules[:quota]...), nil)
}

// A dedicated workspace's 1,000 rules fit one request and one listing page.
func TestReplaceFirewallRulesLargestSet(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "set-large")
	rules := make([]api.FirewallRuleInput, api.MaxFirewallRulesPageSize)
	for i := range rules {
		rules[i] = rule(int64(i+1), fmt.Sprintf("2001:db8:%x::/48", i))
		rules[i].Description = strings.Repeat("\u00e9", api.MaxDescriptionLength)
	}
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(rules...), nil)
	items, etag := h.listRules(ws.ID)
	if len(items) != len(rules) || etag != `"1"` {
		t.Fatalf("%d rules listed, ETag %s", len(items), etag)
	}
	for i, fw := range items { // creation order is the order sent
		if fw.Priority != int64(i+1) {
			t.Fatalf("item %d has priority %d", i, fw.Priority)
		}
	}
	big := `{"rules":[` + strings.Repeat(`{"cidr":"10.0.0.0/8","action":"allow","protocol":"tcp","priority":1,"description":"`+strings.Repeat("x", 200)+`"},`, 12000) + `{}]}`
	problem(t, h.do(tokA, "PUT", path(api.RouteFirewallRules, ws.ID), big), http.StatusRequestEntityTooLarge)
}

// While a set owns the rules, single-rule creates are refused (409); other
// single-rule writes still work and bump the version; DELETE empties the set
// and releases it.
func TestFirewallRuleSetOwnership(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "set-owned")
	var set api.FirewallRuleSet
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(rule(100, "10.0.0.0/8")), &set)
	p := problem(t, h.do(tokA, "POST", path(api.RouteFirewallRules, ws.ID), rule(200, "10.1.0.0/16")), 409)
	if !strings.Contains(p.Detail, "owned by a rule set") {
		t.Fatalf("%+v", p)
	}
	// An out-of-band change by another client bumps the version.
	r := h.must(200, tokA, "PATCH", path(api.RouteFirewallRule, ws.ID, set.Items[0].ID), rule(100, "10.0.0.0/9"), nil)
	if r.Header.Get(api.ETagHeader) != `"2"` {
		t.Fatalf("%q", r.Header.Get(api.ETagHeader))
	}
	r = h.must(204, tokA, "DELETE", path(api.RouteFirewallRules, ws.ID), nil, nil, api.IfMatchHeader, `"2"`)
	if r.Header.Get(api.ETagHeader) != `"3"` {
		t.Fatalf("%q", r.Header.Get(api.ETagHeader))
	}
	var got api.Workspace
	h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &got)
	if got.FirewallRulesExclusive || got.Usage.FirewallRules != 0 {
		t.Fatalf("after release: %+v", got)
	}
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), rule(200, "10.1.0.0/16"), nil)
	// Releasing what no set owns and holds nothing is a no-op.
	h.must(204, tokA, "DELETE", path(api.RouteFirewallRules, ws.ID), nil, nil)
	r = h.must(204, tokA, "DELETE", path(api.RouteFirewallRules, ws.ID), nil, nil)
	if r.Header.Get(api.ETagHeader) != `"5"` {
		t.Fatalf("a no-op release changed the version: %q", r.Header.Get(api.ETagHeader))
	}
}

// A data file from before rule sets opens: its workspace reads as version 0,
// not owned, and takes a replace.
func TestFirewallRuleSetOnLegacyFile(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.DataFile = copyFixture(t) })
	var list api.List[api.Workspace]
	h.must(200, tokA, "GET", api.RouteWorkspaces, nil, &list)
	ws := list.Items[0]
	if ws.FirewallRulesExclusive || ws.FirewallRulesVersion != 0 {
		t.Fatalf("legacy workspace: exclusive %v version %d", ws.FirewallRulesExclusive, ws.FirewallRulesVersion)
	}
	items, etag := h.listRules(ws.ID)
	if len(items) != 1 || etag != `"0"` {
		t.Fatalf("legacy rules %+v, ETag %s", items, etag)
	}
	keep := items[0].FirewallRuleInput
	var set api.FirewallRuleSet
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(keep), &set, api.IfMatchHeader, etag)
	if set.Version != "1" || set.Items[0].ID != items[0].ID {
		t.Fatalf("%+v", set)
	}
}

// A set's ownership and version travel in snapshots and seeds: after a
// restore the workspace still refuses single-rule creates, its rules keep
// their IDs, and the version (ETag) continues, so a state written before the
// snapshot still matches. A seed's set goes through the PUT's checks, named
// as the seed writes them.
func TestFirewallRuleSetInSnapshotsAndSeeds(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "set-snap")
	h.unprotect(tokA, ws.ID)
	var set api.FirewallRuleSet
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(rule(100, "10.0.0.0/8"), rule(200, "10.1.0.0/16")), &set)
	h.must(200, tokA, "PATCH", path(api.RouteFirewallRule, ws.ID, set.Items[0].ID), rule(100, "10.0.0.0/9"), nil)
	before, etag := h.listRules(ws.ID)
	if etag != `"2"` {
		t.Fatalf("ETag %s", etag)
	}
	snap := h.must(200, tokAdmin, "GET", RouteAdminSnapshot+"?org=org-a", nil, nil).Body
	if !bytes.Contains(snap, []byte(`"firewall_rules_exclusive":true`)) || !bytes.Contains(snap, []byte(`"firewall_rules_version":2`)) {
		t.Fatalf("the snapshot does not carry the set: %s", snap)
	}
	h.must(204, tokA, "DELETE", path(api.RouteFirewallRules, ws.ID), nil, nil) // gone, and released
	h.must(200, tokAdmin, "PUT", RouteAdminSnapshot+"?org=org-a", snap, nil)
	after, etag := h.listRules(ws.ID)
	if etag != `"2"` || !reflect.DeepEqual(before, after) {
		t.Fatalf("restored rules %+v ETag %s, want %+v \"2\"", after, etag, before)
	}
	problem(t, h.do(tokA, "POST", path(api.RouteFirewallRules, ws.ID), rule(300, "10.2.0.0/16")), http.StatusConflict)
	h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(rule(100, "10.0.0.0/9")), nil, api.IfMatchHeader, `"2"`)

	// A seed: ownership, fixed IDs, a version to continue from.
	doc := &Seed{Organizations: []SeedOrganization{{Name: "org-b",
		Plans: []SeedPlan{{Key: "p", PlanInput: api.PlanInput{Tier: "premium", Region: "us-east"}}, {Key: "s", PlanInput: api.PlanInput{Tier: "standard", Region: "us-east"}}},
		Workspaces: []SeedWorkspace{{Name: "Seeded", Subdomain: "seeded-set", Plan: "p", FirewallRulesExclusive: true, FirewallRulesVersion: 41,
			FirewallRules: []SeedFirewallRule{{ID: "fw-fixed", FirewallRuleInput: rule(100, "192.0.2.0/24")}}}}}}}
	out, err := h.s.Seed(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got api.Workspace
	h.must(200, tokB, "GET", path(api.RouteWorkspace, out.Organizations[0].Workspaces[0].ID), nil, &got)
	items, etag := h.listRulesAs(tokB, got.ID)
	if !got.FirewallRulesExclusive || etag != `"41"` || len(items) != 1 || items[0].ID != "fw-fixed" || got.Usage.FirewallRules != 1 {
		t.Fatalf("seeded set: %+v, rules %+v, ETag %s", got, items, etag)
	}

	// Every problem of a seeded set at once, named by the seed's fields.
	bad := &Seed{Organizations: []SeedOrganization{{Name: "org-c",
		Plans: []SeedPlan{{Key: "s", PlanInput: api.PlanInput{Tier: "standard", Region: "us-east"}}, {Key: "p", PlanInput: api.PlanInput{Tier: "premium", Region: "us-east"}}},
		Workspaces: []SeedWorkspace{
			{Name: "Std", Subdomain: "std-set", Plan: "s", FirewallRulesExclusive: true,
				FirewallRules: []SeedFirewallRule{{FirewallRuleInput: rule(100, "192.0.2.0/24")}}},
		}}}}
	_, err = h.s.Seed(bad)
	se, ok := err.(*SeedError)
	if !ok || !hasFieldError(api.Problem{Errors: se.Errors}, "organizations[0].workspaces[0].firewall_rules", "tier_feature") {
		t.Fatalf("tier gate: %v", err)
	}
	bad.Organizations[0].Workspaces[0].Plan = "p"
	bad.Organizations[0].Workspaces[0].FirewallRules = append(bad.Organizations[0].Workspaces[0].FirewallRules,
		SeedFirewallRule{FirewallRuleInput: rule(100, "not-a-cidr")})
	_, err = h.s.Seed(bad)
	se, ok = err.(*SeedError)
	if !ok || !hasFieldError(api.Problem{Errors: se.Errors}, "organizations[0].workspaces[0].firewall_rules[1].priority", "unique") ||
		!hasFieldError(api.Problem{Errors: se.Errors}, "organizations[0].workspaces[0].firewall_rules[1].cidr", "") {
		t.Fatalf("rules: %v", err)
	}
	bad.Organizations[0].Workspaces[0].FirewallRules = nil
	for _, v := range []int64{-1, 1 << 53, math.MaxInt64} {
		bad.Organizations[0].Workspaces[0].FirewallRulesVersion = v
		_, err = h.s.Seed(bad)
		if se, ok := err.(*SeedError); !ok || !hasFieldError(api.Problem{Errors: se.Errors}, "organizations[0].workspaces[0].firewall_rules_version", "range") {
			t.Fatalf("version %d: %v", v, err)
		}
	}
}

// BenchmarkFirewallRuleSet compares the API's cost of writing a dedicated
// workspace's 1,000 rules as one set (PUT) with writing them one by one
// (1,000 POSTs), and of reading them back as one page.
func BenchmarkFirewallRuleSet(b *testing.B) {
	const n = api.MaxFirewallRulesPageSize
	rules := make([]api.FirewallRuleInput, n)
	for i := range rules {
		rules[i] = rule(int64(i+1), fmt.Sprintf("2001:db8:%x::/48", i))
	}
	b.Run("put-set", func(b *testing.B) {
		h := newHarness(b)
		_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "bench-set")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			set := ruleSet(rules...)
			set.Rules[0].Description = fmt.Sprint(i) // one rule changes each time, as in a plan
			h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), set, nil)
		}
	})
	b.Run("post-each", func(b *testing.B) {
		h := newHarness(b)
		_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "bench-each")
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			h.must(204, tokA, "DELETE", path(api.RouteFirewallRules, ws.ID), nil, nil)
			b.StartTimer()
			for _, r := range rules {
				h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), r, nil)
			}
		}
	})
	b.Run("list-set", func(b *testing.B) {
		h := newHarness(b)
		_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "bench-list")
		h.must(200, tokA, "PUT", path(api.RouteFirewallRules, ws.ID), ruleSet(rules...), nil)
		b.ReportAllocs()
		for b.Loop() {
			h.listRules(ws.ID)
		}
	})
}
