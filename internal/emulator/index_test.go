package emulator

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// sameIndex fails unless two indexes hold the same groups (same order) and
// unique values.
func sameIndex(t *testing.T, what string, got, want *store.IndexedStore) {
	t.Helper()
	if err := store.IndexDiff(got, want); err != nil {
		t.Fatalf("%s: %v", what, err)
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

		rebuilt, err := store.NewIndexed(h.s.store.Store)
		if err != nil {
			t.Fatal(err)
		}
		sameIndex(t, "incremental vs rebuilt "+file, h.s.store, rebuilt)
		if file == "" {
			continue
		}
		live := h.s.store
		if err := h.s.Close(); err != nil {
			t.Fatal(err)
		}
		h2 := newHarness(t, func(c *Config) { c.DataFile = file })
		sameIndex(t, "after reopen", h2.s.store, live)
	}
}

// A batch the index cannot read (not JSON) is refused whole: neither the
// records nor the index change.
func TestIndexRefusesUnreadableBatch(t *testing.T) {
	h := newHarness(t)
	err := h.s.store.Apply([]store.Op{
		{Kind: store.KindPlans, ID: "pln-ok", Value: []byte(`{"id":"pln-ok","org":"org-a"}`)},
		{Kind: store.KindPlans, ID: "pln-bad", Value: []byte(`not json`)},
	})
	if err == nil {
		t.Fatal("unreadable record accepted")
	}
	if _, ok, _ := h.s.store.Get(store.KindPlans, "pln-ok"); ok || h.s.store.Count(store.OrgGroup(store.KindPlans, "org-a")) != 0 {
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
	for _, u := range store.UsageKinds {
		if n := h.s.store.Count(store.WsGroup(u.Kind, ws.ID)); got.Usage.Count(u.Feature) != n {
			t.Errorf("%s: usage %d, index %d", u.Feature, got.Usage.Count(u.Feature), n)
		}
	}
	if got.Usage.StaticIPs != 16 || got.Usage.FirewallRules != 40-16 || got.Usage.CustomDomains != 40 {
		t.Errorf("usage %+v", got.Usage)
	}
}

func jsonDecode(b []byte, v any) error { return json.Unmarshal(b, v) }
