package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// A workspace is protected unless asked otherwise; while it is, DELETE of it
// or of its plan is a 409 naming deletion_protection and how to lift it, and
// changes nothing. PATCH lifts it; a PATCH that omits it keeps it.
func TestDeletionProtection(t *testing.T) {
	h := newHarness(t)
	p, ws := h.tierWorkspace(tokA, catalog.Premium, "guarded")
	if !ws.DeletionProtection {
		t.Fatal("a workspace created without deletion_protection is not protected")
	}
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID),
		api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}, nil)
	before := h.s.Counts("org-a")
	for _, route := range []string{path(api.RouteWorkspace, ws.ID), path(api.RoutePlan, p.ID)} {
		pp := problem(t, h.do(tokA, "DELETE", route, nil), http.StatusConflict)
		if !hasFieldError(pp, "deletion_protection", api.RuleDeletionProtected) ||
			!strings.Contains(pp.Detail, "PATCH /v1/workspaces/"+ws.ID+` with {"deletion_protection": false}`) {
			t.Fatalf("DELETE %s: %+v", route, pp)
		}
	}
	if after := h.s.Counts("org-a"); !mapsEqual(before, after) {
		t.Fatalf("a refused delete changed the store: %v -> %v", before, after)
	}
	// Renaming keeps the flag; only an explicit false lifts it.
	var got api.Workspace
	h.must(200, tokA, "PATCH", path(api.RouteWorkspace, ws.ID), `{"name":"Renamed"}`, &got)
	if !got.DeletionProtection {
		t.Fatal("a PATCH without deletion_protection lifted it")
	}
	h.must(200, tokA, "PATCH", path(api.RouteWorkspace, ws.ID), `{"deletion_protection":false}`, &got)
	if got.DeletionProtection || got.Name != "Renamed" {
		t.Fatalf("after lifting: %+v", got)
	}
	problem(t, h.do(tokA, "PATCH", path(api.RouteWorkspace, ws.ID), `{"deletion_protection":"no"}`), http.StatusBadRequest)
	h.must(204, tokA, "DELETE", path(api.RouteWorkspace, ws.ID), nil, nil)
	h.must(204, tokA, "DELETE", path(api.RoutePlan, p.ID), nil, nil)

	// Created unprotected on request.
	q := h.plan(tokA, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	h.must(201, tokA, "POST", api.RouteWorkspaces, `{"name":"Scratch","subdomain":"scratch","plan_id":"`+q.ID+`","deletion_protection":false}`, &got)
	if got.DeletionProtection {
		t.Fatal("deletion_protection false was ignored on create")
	}
	h.must(204, tokA, "DELETE", path(api.RouteWorkspace, got.ID), nil, nil)
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Seeds and snapshots carry the flag. Absent means false: a seed or snapshot
// written before the flag existed holds workspaces created unprotected.
func TestDeletionProtectionSeedAndSnapshot(t *testing.T) {
	h := newHarness(t)
	body := `{"organizations":[{"name":"org-a","plans":[{"key":"p1","tier":"standard","region":"us-east"},{"key":"p2","tier":"standard","region":"us-east"}],
	  "workspaces":[{"key":"old","name":"Old","subdomain":"old-ws","plan":"p1"},
	                {"key":"new","name":"New","subdomain":"new-ws","plan":"p2","deletion_protection":true}]}]}`
	var out Seed
	h.must(http.StatusCreated, tokAdmin, "POST", RouteAdminSeed, body, &out)
	flags := func() map[string]bool {
		var list api.List[api.Workspace]
		h.must(200, tokA, "GET", api.RouteWorkspaces, nil, &list)
		m := map[string]bool{}
		for _, w := range list.Items {
			m[w.Subdomain] = w.DeletionProtection
		}
		return m
	}
	if f := flags(); f["old-ws"] || !f["new-ws"] {
		t.Fatalf("seeded flags %v; want old-ws false (absent), new-ws true", f)
	}
	snap := h.must(200, tokAdmin, "GET", RouteAdminSnapshot, nil, nil).Body
	var doc Seed
	if err := json.Unmarshal(snap, &doc); err != nil {
		t.Fatal(err)
	}
	for _, w := range doc.Organizations[0].Workspaces {
		if w.DeletionProtection != (w.Subdomain == "new-ws") {
			t.Fatalf("snapshot of %s: deletion_protection %v", w.Subdomain, w.DeletionProtection)
		}
	}
	h.must(204, tokAdmin, "POST", api.RouteAdminReset, nil, nil)
	h.must(200, tokAdmin, "PUT", RouteAdminSnapshot+"?scope=all", snap, nil)
	if f := flags(); f["old-ws"] || !f["new-ws"] {
		t.Fatalf("restored flags %v", f)
	}
	problem(t, h.do(tokA, "DELETE", path(api.RouteWorkspace, out.Organizations[0].Workspaces[1].ID), nil), http.StatusConflict)
}

// A data file from before the flag opens without a migration: its workspace
// reads unprotected (it was created so) and can be deleted as before.
func TestDeletionProtectionOlderDataFile(t *testing.T) {
	file := copyFixture(t)
	raw, err := store.OpenBoltStore(file)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := raw.List(store.KindWorkspaces)
	_ = raw.Close()
	if err != nil || len(recs) != 1 || strings.Contains(string(recs[0]), "deletion_protection") {
		t.Fatalf("the fixture should hold one workspace without the flag (%v): %s", err, recs)
	}
	h := newHarness(t, func(c *Config) { c.DataFile = file })
	var list api.List[api.Workspace]
	r := h.must(200, tokA, "GET", api.RouteWorkspaces, nil, &list)
	if len(list.Items) != 1 || list.Items[0].DeletionProtection || !strings.Contains(string(r.Body), `"deletion_protection":false`) {
		t.Fatalf("legacy workspace: %s", r.Body)
	}
	h.must(204, tokA, "DELETE", path(api.RouteWorkspace, list.Items[0].ID), nil, nil)
}
