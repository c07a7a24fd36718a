package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// sameIndex fails unless two indexes hold the same groups (same order) and
// unique values.
func sameIndex(t *testing.T, what string, got, want *index) {
	t.Helper()
	if !maps.Equal(got.uniques, want.uniques) {
		t.Fatalf("%s: unique values differ:\n got %v\nwant %v", what, got.uniques, want.uniques)
	}
	if len(got.groups) != len(want.groups) {
		t.Fatalf("%s: %d groups, want %d", what, len(got.groups), len(want.groups))
	}
	for g, set := range want.groups {
		if other := got.groups[g]; other == nil || !slices.Equal(other.keys, set.keys) {
			t.Fatalf("%s: group %s differs", what, g)
		}
	}
}

// The index kept up to date write by write equals one rebuilt from the
// records (memory and bbolt, and after a reopen): whatever writes the
// handlers queue, creates, updates (a firewall rule's priority) and cascading
// deletes, no entry is missed or left behind.
func TestIndexMatchesRebuild(t *testing.T) {
	for _, file := range []string{"", filepath.Join(t.TempDir(), "idx.db")} {
		h := newHarness(t, func(c *Config) { c.DataFile = file })
		_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "idx-one")
		_, ws2 := h.tierWorkspace(tokB, catalog.Premium, "idx-two")
		var rule api.FirewallRule
		h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}, &rule)
		h.must(200, tokA, "PATCH", path(api.RouteFirewallRule, ws.ID, rule.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 2}, nil)
		// The old priority is free again, the new one taken.
		h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "deny", Protocol: "tcp", Priority: 1}, nil)
		problem(t, h.do(tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "deny", Protocol: "tcp", Priority: 2}), 409)
		h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "a.idx.example"}, nil)
		h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, nil)
		h.must(201, tokB, "POST", path(api.RouteStaticIPs, ws2.ID), api.StaticIPInput{Purpose: "outbound"}, nil)
		h.must(201, tokB, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: "us-east"}, nil, api.IdempotencyKeyHeader, "idx-key")
		_, ws3 := h.tierWorkspace(tokA, catalog.Dedicated, "idx-three")
		h.must(201, tokA, "POST", path(api.RouteDomains, ws3.ID), api.DomainInput{Hostname: "b.idx.example"}, nil)
		h.must(204, tokA, "DELETE", path(api.RouteWorkspace, ws3.ID), nil, nil)

		rebuilt, err := newIndexedStore(h.s.store.Store)
		if err != nil {
			t.Fatal(err)
		}
		sameIndex(t, "incremental vs rebuilt "+file, h.s.store.idx, rebuilt.idx)
		if file == "" {
			continue
		}
		live := h.s.store.idx
		if err := h.s.Close(); err != nil {
			t.Fatal(err)
		}
		h2 := newHarness(t, func(c *Config) { c.DataFile = file })
		sameIndex(t, "after reopen", h2.s.store.idx, live)
	}
}

// A batch the index cannot read (not JSON) is refused whole: neither the
// records nor the index change.
func TestIndexRefusesUnreadableBatch(t *testing.T) {
	h := newHarness(t)
	err := h.s.store.Apply([]Op{
		{Kind: kindPlans, ID: "pln-ok", Value: []byte(`{"id":"pln-ok","org":"org-a"}`)},
		{Kind: kindPlans, ID: "pln-bad", Value: []byte(`not json`)},
	})
	if err == nil {
		t.Fatal("unreadable record accepted")
	}
	if _, ok, _ := h.s.store.Get(kindPlans, "pln-ok"); ok || h.s.store.count(orgGroup(kindPlans, "org-a")) != 0 {
		t.Fatal("refused batch partly applied")
	}
}

// Concurrent creates and deletes of children keep every workspace's usage
// counters equal to what the index counts (mutations are serialised by the
// server's lock; this proves nothing bypasses it).
func TestUsageMatchesIndexUnderConcurrency(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "conc")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				r := h.do(tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: int64(g*100 + i + 1)})
				if r.Code != 201 {
					t.Errorf("%s", r)
					return
				}
				h.do(tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"})
				h.do(tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: fmt.Sprintf("h%d-%d.conc.example", g, i)})
				if i%3 == 0 {
					var fr api.FirewallRule
					_ = jsonDecode(r.Body, &fr)
					h.do(tokA, "DELETE", path(api.RouteFirewallRule, ws.ID, fr.ID), nil)
				}
			}
		}()
	}
	wg.Wait()
	var got api.Workspace
	h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &got)
	for _, u := range usageKinds {
		if n := h.s.store.count(wsGroup(u.kind, ws.ID)); got.Usage.Count(u.feature) != n {
			t.Errorf("%s: usage %d, index %d", u.feature, got.Usage.Count(u.feature), n)
		}
	}
	if got.Usage.StaticIPs != 16 || got.Usage.FirewallRules != 40-16 || got.Usage.CustomDomains != 40 {
		t.Errorf("usage %+v", got.Usage)
	}
}

func jsonDecode(b []byte, v any) error { return json.Unmarshal(b, v) }
